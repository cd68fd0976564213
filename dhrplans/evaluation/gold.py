"""The gold plans (``tests/gold/FORMAT.md``): what is printed in a plan, table by
table, and the clean values a perfect pipeline must produce; loaded as one
:class:`GoldAction` per action row with the context it is printed in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_WS = re.compile(r"\s+")


class EvalError(Exception):
    """The evaluation cannot run (missing output, no gold...); the message is one line."""


@dataclass(frozen=True)
class GoldAction:
    """One action row of a gold plan, with the context it is printed in."""

    doc_id: str
    position: int  # 1-based, in document order
    section: str | None  # heading printed above the table
    section_agency: str | None
    rec_style: str  # banner | column | none
    rec_number: str
    rec_text: str
    cells: dict[str, str]
    norm: dict[str, Any]

    @property
    def label(self) -> str:
        """The printed ref, or ``#position`` when the ref cell is blank or absent."""
        ref = fold(self.cells.get("ref"))
        return ref if ref else f"#{self.position}"


@dataclass(frozen=True)
class GoldRecommendation:
    """One recommendation of a gold plan."""

    doc_id: str
    section: str | None
    rec_style: str
    number: str
    text: str
    n_actions: int


@dataclass
class GoldDoc:
    doc_id: str
    path: Path
    title: str | None
    area: str | None
    actions: list[GoldAction]
    recommendations: list[GoldRecommendation]


def fold(value: Any) -> str:
    """Printed-text comparison key: ``None`` -> "", runs of white space -> one space."""
    if value is None:
        return ""
    return _WS.sub(" ", str(value)).strip()


def _is_gold(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("sections"), list)


def _gold_from_json(data: dict[str, Any], path: Path) -> GoldDoc:
    doc_id = str(data.get("doc_id") or path.stem)
    actions: list[GoldAction] = []
    recs: list[GoldRecommendation] = []
    for section in data["sections"]:
        heading = section.get("heading")
        style = section.get("rec_style") or "none"
        for rec in section.get("recommendations") or []:
            number = "" if rec.get("number") is None else str(rec["number"])
            text = rec.get("text") or ""
            rec_actions = rec.get("actions") or []
            recs.append(GoldRecommendation(doc_id, heading, style, number, text, len(rec_actions)))
            for action in rec_actions:
                actions.append(
                    GoldAction(
                        doc_id=doc_id,
                        position=len(actions) + 1,
                        section=heading,
                        section_agency=section.get("agency"),
                        rec_style=style,
                        rec_number=number,
                        rec_text=text,
                        cells=dict(action.get("cells") or {}),
                        norm=dict(action.get("norm") or {}),
                    )
                )
    return GoldDoc(doc_id, path, data.get("title"), data.get("area"), actions, recs)


def load_gold(gold_dir: Path) -> list[GoldDoc]:
    """Every gold plan in ``gold_dir`` (``*.json`` with ``sections``), sorted by doc_id.

    JSON files that are not gold (no ``sections`` list) are skipped. Raises
    :class:`EvalError` when the directory is missing, holds no gold, a ``*.json``
    cannot be parsed, or two gold files share a doc_id.
    """
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise EvalError(f"gold directory not found: {gold_dir}")
    docs: dict[str, GoldDoc] = {}
    for path in sorted(gold_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise EvalError(f"cannot read gold file {path}: {msg}") from exc
        if not _is_gold(data):
            continue
        doc = _gold_from_json(data, path)
        if doc.doc_id in docs:
            raise EvalError(
                f"gold doc_id {doc.doc_id!r} appears twice: {docs[doc.doc_id].path} and {path}"
            )
        docs[doc.doc_id] = doc
    if not docs:
        raise EvalError(f"no gold files (*.json with 'sections') in {gold_dir}")
    return [docs[k] for k in sorted(docs)]
