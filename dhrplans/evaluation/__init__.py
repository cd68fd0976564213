"""Scoring an output against gold action plans (`dhrplans eval`): the gold files
(`gold`), the output read per document (`predictions`), gold and predicted actions
paired (`align`), the comparisons (`compare`, whose `evaluate` is the entry point),
what they count (`scores`), the text report (`report`) and, for OCR'd text, cell
similarity instead of exact matches (`ocr_score`)."""
