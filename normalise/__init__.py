"""Normalisers: turn printed cell text into clean values (dates, statuses, agencies)."""
