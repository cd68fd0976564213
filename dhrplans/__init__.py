"""dhrplans: Domestic Homicide Review action-plan PDFs to a clean Parquet dataset."""

__version__ = "0.1.0"
