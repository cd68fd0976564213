"""Running documents through the stages: one document (`document`), its result
(`result`), isolation in worker processes (`workers`) or on a Dask cluster
(`cluster`), the result cache (`cache`) and the whole run (`runner`)."""
