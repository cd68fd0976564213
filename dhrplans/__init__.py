"""dhrplans: Domestic Homicide Review action-plan PDFs to a clean Parquet dataset.

For analysts: ``dhrplans.extract_plans(paths)`` and ``dhrplans.read_dataset(dir)`` give the
tables as pandas DataFrames (``dhrplans.api``; imported on first use, so ``import
dhrplans`` stays cheap for the command line and the worker processes).
"""

__version__ = "0.1.0"

_API = ("extract_plans", "read_dataset", "Dataset", "Extraction", "ParsingReport")
__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        from dhrplans import api

        return getattr(api, name)
    raise AttributeError(f"module 'dhrplans' has no attribute {name!r}")
