"""What scoring counts: per field, per document (:class:`DocScore`) and in total
(:class:`Report`), with the mismatched and unmatched records listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from dhrplans import schemas
from dhrplans.evaluation.gold import fold

#: Gold cell key -> predicted column holding the same printed text.
PRINTED_FIELDS: dict[str, str] = schemas.PRINTED_COLUMNS

#: Gold ``norm`` key -> predicted column holding the normalised value.
NORM_FIELDS: dict[str, str] = {
    "lead_agency": "lead_agency",
    "target_date": "target_date",
    "completion_date": "completion_date",
    "status": "status",
    "rag": "rag",
}

# Display order of the per-field tables (predicted column names).
_PRINTED_ORDER = ["section", "rec_number", "recommendation", *PRINTED_FIELDS.values()]
_NORM_ORDER = list(NORM_FIELDS.values())
_REC_FIELDS_ORDER = ["section", "rec_number", "text", "n_actions"]


@dataclass
class Count:
    """``correct`` out of ``total`` comparisons."""

    correct: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.correct += int(ok)

    def merge(self, other: Count) -> None:
        self.correct += other.correct
        self.total += other.total

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "rate": self.rate}


#: Below this confidence a record is worth a look (README: "Filter on confidence < 0.8").
LOW_CONFIDENCE = 0.8


@dataclass
class Flags:
    """Whether warnings and confidence point at the wrong records, over matched actions:
    a record is right when every value compared with the gold is; a value is one
    printed or normalised field of it."""

    right_records: int = 0
    right_warned: int = 0  # right records carrying a warning (should be few)
    right_low: int = 0  # right records below LOW_CONFIDENCE
    wrong_records: int = 0
    wrong_warned: int = 0
    wrong_low: int = 0
    right_values: int = 0
    right_values_low: int = 0  # right values of records below LOW_CONFIDENCE
    wrong_values: int = 0
    wrong_values_low: int = 0  # wrong values of records below LOW_CONFIDENCE
    warning_kinds: dict[str, int] = field(default_factory=dict)  # on right records

    def add(self, right: int, wrong: int, confidence: float, warnings: Sequence[str]) -> None:
        """One matched record: its right and wrong values, confidence and warnings."""
        low = confidence < LOW_CONFIDENCE
        if wrong:
            self.wrong_records += 1
            self.wrong_warned += bool(warnings)
            self.wrong_low += low
        else:
            self.right_records += 1
            self.right_warned += bool(warnings)
            self.right_low += low
            for kind in sorted({schemas.warning_kind(w) for w in warnings}):
                self.warning_kinds[kind] = self.warning_kinds.get(kind, 0) + 1
        self.right_values += right
        self.wrong_values += wrong
        self.right_values_low += right * low
        self.wrong_values_low += wrong * low

    def merge(self, other: Flags) -> None:
        for name, value in vars(other).items():
            if name == "warning_kinds":
                for kind, n in value.items():
                    self.warning_kinds[kind] = self.warning_kinds.get(kind, 0) + n
            else:
                setattr(self, name, getattr(self, name) + value)

    def to_dict(self) -> dict[str, Any]:
        return {**vars(self), "warning_kinds": dict(sorted(self.warning_kinds.items()))}


@dataclass
class Mismatch:
    """A matched action (or recommendation) whose ``field`` differs from the gold."""

    doc_id: str  # predicted doc_id
    section: str | None  # gold section heading
    rec_number: str  # gold recommendation number
    ref: str  # gold ref, or "#position" when blank
    field: str  # predicted column
    expected: Any
    got: Any


@dataclass
class Unmatched:
    """A gold action (or recommendation) with no predicted partner, or a predicted one
    with no gold partner."""

    doc_id: str
    side: str  # "gold" | "predicted"
    section: str | None
    rec_number: str | None
    ref: str
    text: str  # the action (or recommendation) text, short
    page: int | None = None  # predicted only


@dataclass
class DocScore:
    """Scores of one predicted doc_id against its gold document."""

    doc_id: str  # predicted doc_id, or the gold doc_id when nothing was predicted
    gold_doc_id: str
    predicted: bool  # False: the gold document has no output at all
    n_gold: int = 0
    n_predicted: int = 0
    n_matched: int = 0
    printed: dict[str, Count] = field(default_factory=dict)
    normalised: dict[str, Count] = field(default_factory=dict)
    # Recommendations, scored only when recommendations.parquet exists.
    rec_scored: bool = False
    rec_gold: int = 0
    rec_predicted: int = 0
    rec_matched: int = 0
    rec_fields: dict[str, Count] = field(default_factory=dict)
    flags: Flags = field(default_factory=Flags)

    @property
    def recall(self) -> float:
        return self.n_matched / self.n_gold if self.n_gold else float(self.n_predicted == 0)

    @property
    def precision(self) -> float:
        if self.n_predicted:
            return self.n_matched / self.n_predicted
        return float(self.n_gold == 0)

    @property
    def printed_total(self) -> Count:
        return _sum_counts(self.printed.values())

    @property
    def normalised_total(self) -> Count:
        return _sum_counts(self.normalised.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "gold_doc_id": self.gold_doc_id,
            "predicted": self.predicted,
            "n_gold": self.n_gold,
            "n_predicted": self.n_predicted,
            "n_matched": self.n_matched,
            "recall": self.recall,
            "precision": self.precision,
            "printed_exact": self.printed_total.to_dict(),
            "normalised_accuracy": self.normalised_total.to_dict(),
            "printed": {k: v.to_dict() for k, v in self.printed.items()},
            "normalised": {k: v.to_dict() for k, v in self.normalised.items()},
            "flags": self.flags.to_dict(),
            "recommendations": (
                {
                    "n_gold": self.rec_gold,
                    "n_predicted": self.rec_predicted,
                    "n_matched": self.rec_matched,
                    "fields": {k: v.to_dict() for k, v in self.rec_fields.items()},
                }
                if self.rec_scored
                else None
            ),
        }


@dataclass
class Report:
    """Result of :func:`evaluate`: per-document scores and totals over all of them."""

    gold_dir: str
    out_dir: str
    threshold: float
    docs: list[DocScore]
    mismatches: list[Mismatch]
    unmatched_gold: list[Unmatched]
    unmatched_predicted: list[Unmatched]
    unscored_doc_ids: list[str]  # predicted doc_ids with no gold document
    rec_mismatches: list[Mismatch] = field(default_factory=list)
    # Gold recommendations with no predicted partner (recommendations.parquet present).
    unmatched_gold_recs: list[Unmatched] = field(default_factory=list)

    # Totals ------------------------------------------------------------------
    @property
    def n_gold(self) -> int:
        return sum(d.n_gold for d in self.docs)

    @property
    def n_predicted(self) -> int:
        return sum(d.n_predicted for d in self.docs)

    @property
    def n_matched(self) -> int:
        return sum(d.n_matched for d in self.docs)

    @property
    def recall(self) -> float:
        return self.n_matched / self.n_gold if self.n_gold else float(self.n_predicted == 0)

    @property
    def precision(self) -> float:
        return self.n_matched / self.n_predicted if self.n_predicted else 0.0

    @property
    def printed_fields(self) -> dict[str, Count]:
        """Per predicted column: exact matches of printed text over matched pairs."""
        return _merge_fields((d.printed for d in self.docs), _PRINTED_ORDER)

    @property
    def normalised_fields(self) -> dict[str, Count]:
        """Per predicted column: exact matches of normalised values over matched pairs."""
        return _merge_fields((d.normalised for d in self.docs), _NORM_ORDER)

    @property
    def printed_counts(self) -> Count:
        return _sum_counts(self.printed_fields.values())

    @property
    def normalised_counts(self) -> Count:
        return _sum_counts(self.normalised_fields.values())

    @property
    def printed_exact(self) -> float:
        return self.printed_counts.rate

    @property
    def normalised_accuracy(self) -> float:
        return self.normalised_counts.rate

    @property
    def printed_field_rates(self) -> dict[str, float]:
        return {k: v.rate for k, v in self.printed_fields.items()}

    @property
    def normalised_field_rates(self) -> dict[str, float]:
        return {k: v.rate for k, v in self.normalised_fields.items()}

    # Recommendations (only when recommendations.parquet was present) ----------
    @property
    def rec_scored(self) -> bool:
        return any(d.rec_scored for d in self.docs)

    @property
    def rec_gold(self) -> int:
        return sum(d.rec_gold for d in self.docs if d.rec_scored)

    @property
    def rec_predicted(self) -> int:
        return sum(d.rec_predicted for d in self.docs if d.rec_scored)

    @property
    def rec_matched(self) -> int:
        return sum(d.rec_matched for d in self.docs if d.rec_scored)

    @property
    def rec_recall(self) -> float:
        return self.rec_matched / self.rec_gold if self.rec_gold else 0.0

    @property
    def rec_precision(self) -> float:
        return self.rec_matched / self.rec_predicted if self.rec_predicted else 0.0

    @property
    def rec_fields(self) -> dict[str, Count]:
        return _merge_fields((d.rec_fields for d in self.docs), _REC_FIELDS_ORDER)

    @property
    def flags(self) -> Flags:
        total = Flags()
        for d in self.docs:
            total.merge(d.flags)
        return total

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""
        out: dict[str, Any] = {
            "gold_dir": self.gold_dir,
            "out_dir": self.out_dir,
            "threshold": self.threshold,
            "totals": {
                "n_gold": self.n_gold,
                "n_predicted": self.n_predicted,
                "n_matched": self.n_matched,
                "recall": self.recall,
                "precision": self.precision,
                "printed_exact": self.printed_counts.to_dict(),
                "normalised_accuracy": self.normalised_counts.to_dict(),
                "printed": {k: v.to_dict() for k, v in self.printed_fields.items()},
                "normalised": {k: v.to_dict() for k, v in self.normalised_fields.items()},
                "flags": self.flags.to_dict(),
            },
            "recommendations": (
                {
                    "n_gold": self.rec_gold,
                    "n_predicted": self.rec_predicted,
                    "n_matched": self.rec_matched,
                    "recall": self.rec_recall,
                    "precision": self.rec_precision,
                    "fields": {k: v.to_dict() for k, v in self.rec_fields.items()},
                }
                if self.rec_scored
                else None
            ),
            "docs": [d.to_dict() for d in self.docs],
            "mismatches": [_jsonable(asdict(m)) for m in self.mismatches],
            "rec_mismatches": [_jsonable(asdict(m)) for m in self.rec_mismatches],
            "unmatched_gold": [asdict(u) for u in self.unmatched_gold],
            "unmatched_predicted": [asdict(u) for u in self.unmatched_predicted],
            "unmatched_gold_recommendations": [asdict(u) for u in self.unmatched_gold_recs],
            "unscored_doc_ids": list(self.unscored_doc_ids),
        }
        return out


def _sum_counts(counts: Iterable[Count]) -> Count:
    total = Count()
    for c in counts:
        total.merge(c)
    return total


def _merge_fields(dicts: Iterable[dict[str, Count]], order: Sequence[str]) -> dict[str, Count]:
    merged: dict[str, Count] = {}
    for d in dicts:
        for k, c in d.items():
            merged.setdefault(k, Count()).merge(c)
    rank = {k: i for i, k in enumerate(order)}
    return {k: merged[k] for k in sorted(merged, key=lambda k: (rank.get(k, len(rank)), k))}


def _jsonable(d: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in d.items()}


def short(text: Any, width: int = 70) -> str:
    """Text folded and clipped to `width` characters, for listings."""
    s = fold(text)
    return s if len(s) <= width else s[: width - 3] + "..."
