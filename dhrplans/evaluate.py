"""Score a pipeline output directory against gold action plans.

The gold (``gold/FORMAT.md``) says, table by table, what is printed in a plan and
the clean values a perfect pipeline must produce. :func:`evaluate` reads
``OUT_DIR/actions.parquet`` (and ``recommendations.parquet`` when present) and
compares it with every gold file:

* each predicted ``doc_id`` is scored on its own against the gold document whose
  id it is, or whose id it starts with followed by ``--`` (variants of one plan,
  e.g. ``bdhr-2012-13-04--unruled``); a gold document with no output counts as
  recall 0;
* gold and predicted actions are paired by an order-preserving alignment (a
  Needleman-Wunsch style dynamic programme without gap costs) on the similarity of
  their printed text; pairs under ``threshold`` are never matched;
* per matched pair, printed cells are compared exactly (white space folded) and
  normalised values are compared exactly.

:func:`format_report` renders a :class:`Report` as text whose last four lines are
a compact summary.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from dhrplans import schemas

__all__ = [
    "DEFAULT_THRESHOLD",
    "NORM_FIELDS",
    "PRINTED_FIELDS",
    "Count",
    "DocScore",
    "EvalError",
    "GoldAction",
    "GoldDoc",
    "GoldRecommendation",
    "Mismatch",
    "Report",
    "Unmatched",
    "evaluate",
    "format_report",
    "load_gold",
]

#: Minimum ``fuzz.ratio`` (0..100) for a gold and a predicted action to be paired.
DEFAULT_THRESHOLD = 60.0

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

_DATE_FIELDS = {"target_date", "completion_date"}

# Display order of the per-field tables (predicted column names).
_PRINTED_ORDER = ["section", "rec_number", "recommendation", *PRINTED_FIELDS.values()]
_NORM_ORDER = list(NORM_FIELDS.values())
_REC_FIELDS_ORDER = ["section", "rec_number", "text", "n_actions"]

_WS = re.compile(r"\s+")


class EvalError(Exception):
    """The evaluation cannot run (missing output, no gold...); the message is one line."""


# --------------------------------------------------------------------------- gold


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


# ----------------------------------------------------------------------- scoring


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
    """A gold action with no predicted partner, or a predicted one with no gold partner."""

    doc_id: str
    side: str  # "gold" | "predicted"
    section: str | None
    rec_number: str | None
    ref: str
    text: str  # the action text, short
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


# ------------------------------------------------------------------ predictions


def _read_parquet(path: Path) -> list[dict[str, Any]]:
    try:
        table: pa.Table = pq.read_table(path)
    except Exception as exc:  # any reader error becomes a one-line message
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EvalError(f"cannot read {path}: {msg}") from exc
    if "doc_id" not in table.column_names:
        raise EvalError(f"{path} has no doc_id column")
    return table.to_pylist()


def _group_by_doc(rows: list[dict[str, Any]], page_key: str) -> dict[str, list[dict[str, Any]]]:
    """Rows per doc_id, in document order: by page, then by order in the file."""
    groups: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
    for i, row in enumerate(rows):
        page = row.get(page_key)
        groups.setdefault(str(row.get("doc_id")), []).append(
            (page if isinstance(page, int) else 1 << 30, i, row)
        )
    return {
        doc: [r for _, _, r in sorted(items, key=lambda t: t[:2])] for doc, items in groups.items()
    }


def _gold_for(doc_id: str, gold_ids: Sequence[str]) -> str | None:
    """The gold doc a predicted doc_id belongs to: itself, or the longest ``D`` with ``D--``."""
    if doc_id in gold_ids:
        return doc_id
    owners = [g for g in gold_ids if doc_id.startswith(g + "--")]
    return max(owners, key=len) if owners else None


# -------------------------------------------------------------------- alignment


def _gold_key(action: GoldAction) -> str:
    c = action.cells
    lead = c.get("lead_agency") or c.get("lead_officer")
    return " | ".join(fold(v) for v in (c.get("ref"), c.get("action"), lead, c.get("target_date")))


def _pred_key(row: dict[str, Any]) -> str:
    lead = row.get("lead_agency_raw") or row.get("lead_officer")
    parts = (row.get("ref"), row.get("action"), lead, row.get("target_date_raw"))
    return " | ".join(fold(v) for v in parts)


def align(
    gold_keys: Sequence[str], pred_keys: Sequence[str], threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[int, int]]:
    """Order-preserving pairs ``(gold index, predicted index)`` maximising total similarity.

    A dynamic programme over both sequences (Needleman-Wunsch with no gap cost):
    a pair may be taken only when its ``fuzz.ratio`` is at least ``threshold``.
    """
    n, m = len(gold_keys), len(pred_keys)
    if not n or not m:
        return []
    sim = cdist(list(gold_keys), list(pred_keys), scorer=fuzz.ratio, workers=1).tolist()
    # best[i][j]: best total for gold[:i] and pred[:j]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, prev, s_row = best[i], best[i - 1], sim[i - 1]
        for j in range(1, m + 1):
            v = prev[j] if prev[j] >= row[j - 1] else row[j - 1]
            s = s_row[j - 1]
            if s >= threshold and prev[j - 1] + s > v:
                v = prev[j - 1] + s
            row[j] = v
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 and j > 0:
        s = sim[i - 1][j - 1]
        if s >= threshold and best[i][j] == best[i - 1][j - 1] + s:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    return pairs


# ---------------------------------------------------------------- comparisons


def _norm_value(value: Any, is_date: bool) -> Any:
    """Normalised value for comparison: dates as ISO strings, others as-is."""
    if value is None:
        return None
    if is_date:
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if hasattr(value, "isoformat"):  # pandas Timestamp, numpy datetime64 via pandas
            return str(value.isoformat())[:10]
        return str(value)
    return value


def _compare_action(
    gold: GoldAction, row: dict[str, Any], score: DocScore, mismatches: list[Mismatch]
) -> None:
    def record(col: str, expected: Any, got: Any, ok: bool, bucket: dict[str, Count]) -> None:
        bucket.setdefault(col, Count()).add(ok)
        if not ok:
            mismatches.append(
                Mismatch(
                    score.doc_id, gold.section, gold.rec_number, gold.label, col, expected, got
                )
            )

    def printed(col: str, expected: Any) -> None:
        got = row.get(col)
        record(col, expected, got, fold(expected) == fold(got), score.printed)

    printed("section", gold.section)
    if gold.rec_style in ("banner", "column"):
        printed("rec_number", gold.rec_number)
        if "recommendation" not in gold.cells:  # else the cell itself is compared below
            printed("recommendation", gold.rec_text)
    elif "recommendation" not in gold.cells:
        printed("recommendation", gold.rec_text)  # normally "": null or "" expected
    for key, expected in gold.cells.items():
        col = PRINTED_FIELDS.get(key)
        if col is not None:
            printed(col, expected)
    for key, expected in gold.norm.items():
        col = NORM_FIELDS.get(key)
        if col is None:
            continue
        is_date = key in _DATE_FIELDS
        exp, got = _norm_value(expected, is_date), _norm_value(row.get(col), is_date)
        record(col, exp, got, exp == got, score.normalised)


def _short(text: Any, width: int = 70) -> str:
    s = fold(text)
    return s if len(s) <= width else s[: width - 3] + "..."


def _unmatched_pred(doc_id: str, row: dict[str, Any]) -> Unmatched:
    return Unmatched(
        doc_id=doc_id,
        side="predicted",
        section=row.get("section"),
        rec_number=row.get("rec_number"),
        ref=fold(row.get("ref")) or str(row.get("action_id") or ""),
        text=_short(row.get("action")),
        page=row.get("page_start"),
    )


def _score_recs(
    gold: GoldDoc, rows: list[dict[str, Any]], score: DocScore, mismatches: list[Mismatch]
) -> None:
    score.rec_scored = True
    score.rec_gold = len(gold.recommendations)
    score.rec_predicted = len(rows)
    gkeys = [f"{fold(r.number)} {fold(r.text)}" for r in gold.recommendations]
    pkeys = [f"{fold(r.get('rec_number'))} {fold(r.get('text'))}" for r in rows]
    pairs = align(gkeys, pkeys, DEFAULT_THRESHOLD)
    score.rec_matched = len(pairs)
    for gi, pi in pairs:
        g, row = gold.recommendations[gi], rows[pi]
        checks = [
            ("section", g.section, row.get("section"), fold(g.section) == fold(row.get("section"))),
            (
                "rec_number",
                g.number,
                row.get("rec_number"),
                fold(g.number) == fold(row.get("rec_number")),
            ),
            ("text", g.text, row.get("text"), fold(g.text) == fold(row.get("text"))),
            ("n_actions", g.n_actions, row.get("n_actions"), g.n_actions == row.get("n_actions")),
        ]
        for col, exp, got, ok in checks:
            score.rec_fields.setdefault(col, Count()).add(ok)
            if not ok:
                mismatches.append(Mismatch(score.doc_id, g.section, g.number, "", col, exp, got))


# ------------------------------------------------------------------- evaluate


def evaluate(gold_dir: Path, out_dir: Path, *, threshold: float = DEFAULT_THRESHOLD) -> Report:
    """Score ``out_dir`` (a ``dhrplans run`` output) against the gold plans in ``gold_dir``.

    Raises :class:`EvalError` when there is no gold or no ``actions.parquet``.
    """
    gold_dir, out_dir = Path(gold_dir), Path(out_dir)
    golds = load_gold(gold_dir)
    actions_path = out_dir / "actions.parquet"
    if not actions_path.is_file():
        raise EvalError(f"no actions.parquet in {out_dir}")
    pred_by_doc = _group_by_doc(_read_parquet(actions_path), "page_start")
    recs_path = out_dir / "recommendations.parquet"
    recs_by_doc = _group_by_doc(_read_parquet(recs_path), "page") if recs_path.is_file() else None

    gold_by_id = {g.doc_id: g for g in golds}
    gold_ids = list(gold_by_id)
    assigned: dict[str, list[str]] = {g: [] for g in gold_ids}
    unscored: list[str] = []
    all_pred_ids = sorted(set(pred_by_doc) | set(recs_by_doc or {}))
    for doc_id in all_pred_ids:
        owner = _gold_for(doc_id, gold_ids)
        if owner is None:
            unscored.append(doc_id)
        else:
            assigned[owner].append(doc_id)

    docs: list[DocScore] = []
    mismatches: list[Mismatch] = []
    rec_mismatches: list[Mismatch] = []
    unmatched_gold: list[Unmatched] = []
    unmatched_pred: list[Unmatched] = []
    for gold in golds:
        pred_ids = assigned[gold.doc_id]
        if not pred_ids:
            docs.append(
                DocScore(gold.doc_id, gold.doc_id, predicted=False, n_gold=len(gold.actions))
            )
            unmatched_gold.extend(_unmatched_gold(gold.doc_id, a) for a in gold.actions)
            continue
        for doc_id in pred_ids:
            rows = pred_by_doc.get(doc_id, [])
            score = DocScore(doc_id, gold.doc_id, True, len(gold.actions), len(rows))
            pairs = align(
                [_gold_key(a) for a in gold.actions], [_pred_key(r) for r in rows], threshold
            )
            score.n_matched = len(pairs)
            for gi, pi in pairs:
                _compare_action(gold.actions[gi], rows[pi], score, mismatches)
            matched_g = {gi for gi, _ in pairs}
            matched_p = {pi for _, pi in pairs}
            unmatched_gold.extend(
                _unmatched_gold(doc_id, a) for i, a in enumerate(gold.actions) if i not in matched_g
            )
            unmatched_pred.extend(
                _unmatched_pred(doc_id, r) for i, r in enumerate(rows) if i not in matched_p
            )
            if recs_by_doc is not None:
                _score_recs(gold, recs_by_doc.get(doc_id, []), score, rec_mismatches)
            docs.append(score)

    return Report(
        gold_dir=str(gold_dir),
        out_dir=str(out_dir),
        threshold=threshold,
        docs=docs,
        mismatches=mismatches,
        unmatched_gold=unmatched_gold,
        unmatched_predicted=unmatched_pred,
        unscored_doc_ids=unscored,
        rec_mismatches=rec_mismatches,
    )


def _unmatched_gold(doc_id: str, a: GoldAction) -> Unmatched:
    return Unmatched(
        doc_id, "gold", a.section, a.rec_number, a.label, _short(a.cells.get("action"))
    )


# --------------------------------------------------------------------- format


def _pct(rate: float) -> str:
    return f"{100 * rate:.2f}%"


def _count(c: Count) -> str:
    return f"{_pct(c.rate)} ({c.correct}/{c.total})"


def _show(value: Any, width: int) -> str:
    if value is None:
        return "null"
    if isinstance(value, dt.date):
        value = value.isoformat()
    s = fold(value) if isinstance(value, str) else str(value)
    if len(s) > width:
        s = s[: width - 3] + "..."
    return repr(s)


def _show_pair(expected: Any, got: Any, width: int = 60) -> tuple[str, str]:
    """Both values, clipped; long strings are shown from a little before they differ."""
    if isinstance(expected, str) and isinstance(got, str):
        e, g = fold(expected), fold(got)
        p = 0
        while p < min(len(e), len(g)) and e[p] == g[p]:
            p += 1
        if p > width // 2 and max(len(e), len(g)) > width:
            start = p - 20
            e, g = "..." + e[start:], "..." + g[start:]
        return _show(e, width), _show(g, width)
    return _show(expected, width), _show(got, width)


def format_report(report: Report, max_mismatches: int = 50) -> str:
    """Human-readable report; the last four lines are a compact summary."""
    lines: list[str] = []
    width = max([len(d.doc_id) for d in report.docs] + [6])
    lines.append(f"Gold: {report.gold_dir}   Output: {report.out_dir}")
    lines.append("")
    for d in report.docs:
        if not d.predicted:
            lines.append(
                f"{d.doc_id:<{width}}  gold {d.n_gold:4d}  NO OUTPUT  recall {_pct(d.recall)}"
            )
            continue
        line = (
            f"{d.doc_id:<{width}}  gold {d.n_gold:4d}  pred {d.n_predicted:4d}"
            f"  matched {d.n_matched:4d}  recall {_pct(d.recall):>7}"
            f"  precision {_pct(d.precision):>7}"
            f"  printed {_count(d.printed_total)}  norm {_count(d.normalised_total)}"
        )
        if d.rec_scored:
            line += f"  recs {d.rec_matched}/{d.rec_gold} (pred {d.rec_predicted})"
        lines.append(line)
    for doc_id in report.unscored_doc_ids:
        lines.append(f"{doc_id:<{width}}  (no gold document: not scored)")

    lines.append("")
    lines.append("TOTAL")
    lines.append(f"  action recall        {_count(Count(report.n_matched, report.n_gold))}")
    lines.append(f"  action precision     {_count(Count(report.n_matched, report.n_predicted))}")
    lines.append(f"  printed exact        {_count(report.printed_counts)}")
    lines.append(f"  normalised accuracy  {_count(report.normalised_counts)}")
    if report.rec_scored:
        lines.append(
            f"  recommendation recall {_count(Count(report.rec_matched, report.rec_gold))}"
            f"  precision {_count(Count(report.rec_matched, report.rec_predicted))}"
        )
    lines.append("")
    lines.append("Printed exact, per field:")
    for name, c in report.printed_fields.items():
        lines.append(f"  {name:<20} {_count(c)}")
    lines.append("Normalised accuracy, per field:")
    for name, c in report.normalised_fields.items():
        lines.append(f"  {name:<20} {_count(c)}")
    if report.rec_scored:
        lines.append("Recommendations, per field:")
        for name, c in report.rec_fields.items():
            lines.append(f"  {name:<20} {_count(c)}")

    def mismatch_block(title: str, items: list[Mismatch]) -> None:
        if not items:
            return
        lines.append("")
        shown = items[:max_mismatches]
        lines.append(f"{title} ({len(items)}, showing {len(shown)}):")
        for m in shown:
            exp, got = _show_pair(m.expected, m.got)
            where = f"{m.doc_id} | {_short(m.section, 40) or '-'} | rec {m.rec_number or '-'}"
            if m.ref:
                where += f" | {m.ref}"
            lines.append(f"  {where} | {m.field}")
            lines.append(f"      expected {exp}")
            lines.append(f"      got      {got}")

    def unmatched_block(title: str, items: list[Unmatched]) -> None:
        if not items:
            return
        lines.append("")
        shown = items[:max_mismatches]
        lines.append(f"{title} ({len(items)}, showing {len(shown)}):")
        for u in shown:
            page = f" p{u.page}" if u.page is not None else ""
            lines.append(
                f"  {u.doc_id}{page} | {_short(u.section, 40) or '-'} | rec {u.rec_number or '-'}"
                f" | {u.ref or '-'} | {u.text!r}"
            )

    mismatch_block("Mismatches", report.mismatches)
    mismatch_block("Recommendation mismatches", report.rec_mismatches)
    unmatched_block("Unmatched gold actions", report.unmatched_gold)
    unmatched_block("Unmatched predicted actions", report.unmatched_predicted)

    lines.append("")
    lines.append(
        f"TOTAL actions: gold {report.n_gold} predicted {report.n_predicted}"
        f" matched {report.n_matched}"
    )
    lines.append(f"recall {_pct(report.recall)}  precision {_pct(report.precision)}")
    lines.append(f"printed exact {_count(report.printed_counts)}")
    lines.append(f"normalised accuracy {_count(report.normalised_counts)}")
    return "\n".join(lines)
