"""Small hand-written inputs for the unit tests (no PDFs)."""
