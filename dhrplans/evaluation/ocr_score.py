"""How close OCR'd text comes to the gold: similarity of printed cells, 0..1.

`dhrplans eval` compares printed cells exactly, which OCR text seldom is (one
misread letter fails the cell). This scores the same pairs as
:func:`dhrplans.evaluation.compare.evaluate`
(the same gold documents, doc_id assignment and alignment of actions) with
rapidfuzz's ``ratio`` per printed cell instead: 1.0 for identical text, after
white space is folded; two empty cells count 1.0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean

from rapidfuzz import fuzz

from dhrplans.evaluation.align import DEFAULT_THRESHOLD, align, gold_key, pred_key
from dhrplans.evaluation.gold import EvalError, fold, load_gold
from dhrplans.evaluation.predictions import gold_for, group_by_doc, read_parquet
from dhrplans.evaluation.scores import PRINTED_FIELDS

__all__ = ["CellSimilarity", "Similarity", "printed_similarity"]


@dataclass(frozen=True)
class CellSimilarity:
    doc_id: str
    ref: str  # gold ref, or "#position"
    field: str  # predicted column
    expected: str
    got: str
    ratio: float  # 0..1


@dataclass
class Similarity:
    cells: list[CellSimilarity] = field(default_factory=list)

    @property
    def mean(self) -> float:
        """Mean similarity over every compared cell (0.0 when none)."""
        return fmean(c.ratio for c in self.cells) if self.cells else 0.0

    @property
    def char_weighted(self) -> float:
        """Similarity weighted by the length of the gold text: long cells count more."""
        weights = [max(1, len(c.expected)) for c in self.cells]
        if not weights:
            return 0.0
        return sum(w * c.ratio for w, c in zip(weights, self.cells)) / sum(weights)

    def by_field(self) -> dict[str, float]:
        out: dict[str, list[float]] = {}
        for c in self.cells:
            out.setdefault(c.field, []).append(c.ratio)
        return {k: fmean(v) for k, v in out.items()}

    def worst(self, n: int = 10) -> list[CellSimilarity]:
        return sorted(self.cells, key=lambda c: c.ratio)[:n]


def _ratio(expected: str, got: str) -> float:
    if expected == got:
        return 1.0
    return fuzz.ratio(expected, got) / 100.0


def printed_similarity(
    gold_dir: str | Path, out_dir: str | Path, *, threshold: float = DEFAULT_THRESHOLD
) -> Similarity:
    """Similarity of the printed cells of every matched action (the pairs `evaluate`
    makes) to the gold: section, rec_number and recommendation as `evaluate` compares
    them, then each printed cell of the gold."""
    golds = load_gold(Path(gold_dir))
    actions_path = Path(out_dir) / "actions.parquet"
    if not actions_path.is_file():
        raise EvalError(f"no actions.parquet in {out_dir}")
    pred_by_doc = group_by_doc(read_parquet(actions_path), "page_start")
    gold_ids = [g.doc_id for g in golds]
    result = Similarity()
    for doc_id, rows in sorted(pred_by_doc.items()):
        owner = gold_for(doc_id, gold_ids)
        if owner is None:
            continue
        gold = golds[gold_ids.index(owner)]
        pairs = align([gold_key(a) for a in gold.actions], [pred_key(r) for r in rows], threshold)
        for gi, pi in pairs:
            action, row = gold.actions[gi], rows[pi]
            wanted: list[tuple[str, object]] = [("section", action.section)]
            if action.rec_style in ("banner", "column"):
                wanted.append(("rec_number", action.rec_number))
            if "recommendation" not in action.cells:
                wanted.append(("recommendation", action.rec_text))
            wanted += [
                (PRINTED_FIELDS[k], v) for k, v in action.cells.items() if k in PRINTED_FIELDS
            ]
            for col, value in wanted:
                expected, got = fold(value), fold(row.get(col))
                result.cells.append(
                    CellSimilarity(doc_id, action.label, col, expected, got, _ratio(expected, got))
                )
    return result
