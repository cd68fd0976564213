"""Comparing outputs: the snapshot form of an output (`snapshot`), record-by-record
differences (`diff`) and the extraction audit against the committed snapshot (`check`)."""
