"""Record ids that survive edits elsewhere in the plan.

An id is built from what is printed, never from position, so a row or a table inserted
or removed earlier in the plan leaves every other record's id as it was:

- section key: ``s`` + 6 hex digits of a hash of the section's heading (case and
  spacing folded); sections of one document with the same heading are told apart by
  their order among those alone (``-2``, ``-3``...).
- ``rec_id``: ``{doc_id}/{section key}/r{rec_number}`` (``r?`` when unnumbered).
- ``action_id``: ``{doc_id}/{section key}/a`` + 8 hex digits of a hash of the action's
  recommendation number, ref and text (each folded the same way).

Records of one document that would share an id (a repeated row, a number printed twice)
get ``#2``, ``#3``... in document order, so only an edit to an identical record shifts
another's id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

SECTION_DIGITS = 6  # hex digits of a section heading's hash
ACTION_DIGITS = 8  # hex digits of an action's hash: collisions are disambiguated anyway


def _fold(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


def _digest(parts: Iterable[str | None], digits: int) -> str:
    text = "\x1f".join(_fold(p) for p in parts)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=(digits + 1) // 2).hexdigest()[:digits]


def section_keys(headings: Iterable[str | None]) -> list[str]:
    """One key per section, from its heading; repeated headings numbered in order."""
    seen: dict[str, int] = {}
    keys = []
    for heading in headings:
        base = "s" + _digest([heading], SECTION_DIGITS)
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return keys


def rec_id(doc_id: str, section_key: str, rec_number: str | None) -> str:
    return f"{doc_id}/{section_key}/r{rec_number or '?'}"


def action_id(
    doc_id: str, section_key: str, rec_number: str | None, ref: str | None, action: str | None
) -> str:
    return f"{doc_id}/{section_key}/a" + _digest([rec_number, ref, action], ACTION_DIGITS)


def dedupe_ids(records: list[dict], key: str) -> None:
    """Ids shared by several records of a document: ``#2``, ``#3``... in record order."""
    seen: dict[str, int] = {}
    for record in records:
        base = record[key]
        if base in seen:
            seen[base] += 1
            record[key] = f"{base}#{seen[base]}"
        else:
            seen[base] = 1
