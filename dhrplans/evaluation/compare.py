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

:func:`dhrplans.evaluation.report.format_report` renders the :class:`Report` as text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from dhrplans.evaluation.align import DEFAULT_THRESHOLD, align, gold_key, pred_key
from dhrplans.evaluation.gold import EvalError, GoldAction, GoldDoc, fold, load_gold
from dhrplans.evaluation.predictions import gold_for, group_by_doc, read_parquet
from dhrplans.evaluation.scores import (
    NORM_FIELDS,
    PRINTED_FIELDS,
    Count,
    DocScore,
    Mismatch,
    Report,
    Unmatched,
    short,
)

_DATE_FIELDS = {"target_date", "completion_date"}


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
    seen = Count()

    def record(col: str, expected: Any, got: Any, ok: bool, bucket: dict[str, Count]) -> None:
        bucket.setdefault(col, Count()).add(ok)
        seen.add(ok)
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
    numbered = gold.rec_style in ("banner", "column")
    if numbered:
        printed("rec_number", gold.rec_number)
        # An action's recommendation reads as in recommendations.parquet: the text without
        # the number printed before it in a merged cell ("3. Text" -> "Text").
        printed("recommendation", gold.rec_text)
    elif "recommendation" not in gold.cells:
        printed("recommendation", gold.rec_text)  # normally "": null or "" expected
    for key, expected in gold.cells.items():
        col = PRINTED_FIELDS.get(key)
        if col is not None and not (numbered and key == "recommendation"):
            printed(col, expected)
    for key, expected in gold.norm.items():
        col = NORM_FIELDS.get(key)
        if col is None:
            continue
        is_date = key in _DATE_FIELDS
        exp, got = _norm_value(expected, is_date), _norm_value(row.get(col), is_date)
        record(col, exp, got, exp == got, score.normalised)
    warnings = row.get("warnings")
    score.flags.add(
        seen.correct,
        seen.total - seen.correct,
        float(row.get("confidence") if row.get("confidence") is not None else 1.0),
        list(warnings) if warnings is not None else [],
    )


def _unmatched_pred(doc_id: str, row: dict[str, Any]) -> Unmatched:
    return Unmatched(
        doc_id=doc_id,
        side="predicted",
        section=row.get("section"),
        rec_number=row.get("rec_number"),
        ref=fold(row.get("ref")) or str(row.get("action_id") or ""),
        text=short(row.get("action")),
        page=row.get("page_start"),
    )


def _score_recs(
    gold: GoldDoc,
    rows: list[dict[str, Any]],
    score: DocScore,
    mismatches: list[Mismatch],
    unmatched: list[Unmatched],
) -> None:
    score.rec_scored = True
    score.rec_gold = len(gold.recommendations)
    score.rec_predicted = len(rows)
    gkeys = [f"{fold(r.number)} {fold(r.text)}" for r in gold.recommendations]
    pkeys = [f"{fold(r.get('rec_number'))} {fold(r.get('text'))}" for r in rows]
    pairs = align(gkeys, pkeys, DEFAULT_THRESHOLD)
    score.rec_matched = len(pairs)
    matched = {gi for gi, _ in pairs}
    unmatched.extend(
        Unmatched(score.doc_id, "gold", r.section, r.number, "", short(r.text))
        for i, r in enumerate(gold.recommendations)
        if i not in matched
    )
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
    pred_by_doc = group_by_doc(read_parquet(actions_path), "page_start")
    recs_path = out_dir / "recommendations.parquet"
    recs_by_doc = group_by_doc(read_parquet(recs_path), "page") if recs_path.is_file() else None

    gold_by_id = {g.doc_id: g for g in golds}
    gold_ids = list(gold_by_id)
    assigned: dict[str, list[str]] = {g: [] for g in gold_ids}
    unscored: list[str] = []
    all_pred_ids = sorted(set(pred_by_doc) | set(recs_by_doc or {}))
    for doc_id in all_pred_ids:
        owner = gold_for(doc_id, gold_ids)
        if owner is None:
            unscored.append(doc_id)
        else:
            assigned[owner].append(doc_id)

    docs: list[DocScore] = []
    mismatches: list[Mismatch] = []
    rec_mismatches: list[Mismatch] = []
    unmatched_gold: list[Unmatched] = []
    unmatched_pred: list[Unmatched] = []
    unmatched_recs: list[Unmatched] = []
    for gold in golds:
        pred_ids = assigned[gold.doc_id]
        if not pred_ids:
            score = DocScore(gold.doc_id, gold.doc_id, predicted=False, n_gold=len(gold.actions))
            unmatched_gold.extend(_unmatched_gold(gold.doc_id, a) for a in gold.actions)
            if recs_by_doc is not None:  # every recommendation of the document is missed
                _score_recs(gold, [], score, rec_mismatches, unmatched_recs)
            docs.append(score)
            continue
        for doc_id in pred_ids:
            rows = pred_by_doc.get(doc_id, [])
            score = DocScore(doc_id, gold.doc_id, True, len(gold.actions), len(rows))
            pairs = align(
                [gold_key(a) for a in gold.actions], [pred_key(r) for r in rows], threshold
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
                _score_recs(
                    gold, recs_by_doc.get(doc_id, []), score, rec_mismatches, unmatched_recs
                )
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
        unmatched_gold_recs=unmatched_recs,
    )


def _unmatched_gold(doc_id: str, a: GoldAction) -> Unmatched:
    return Unmatched(doc_id, "gold", a.section, a.rec_number, a.label, short(a.cells.get("action")))
