"""Tests for dhrplans.evaluation: scoring an output directory against gold plans."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dhrplans import schemas
from dhrplans.evaluation.align import align
from dhrplans.evaluation.compare import evaluate
from dhrplans.evaluation.gold import EvalError, load_gold
from dhrplans.evaluation.report import format_report
from dhrplans.evaluation.scores import Report

REPO_GOLD = Path(__file__).resolve().parent / "gold" / "bdhr-2012-13-04.json"

CELL_TO_COL = schemas.PRINTED_COLUMNS  # gold cell key -> predicted column


def _action(ref, action, lead, target, status, norm_lead, norm_target, norm_status):
    return {
        "cells": {
            "ref": ref,
            "action": action,
            "lead_agency": lead,
            "target_date": target,
            "status": status,
        },
        "norm": {
            "lead_agency": norm_lead,
            "target_date": norm_target,
            "status": norm_status,
            "rag": None,
        },
    }


def make_gold(doc_id: str = "plan-a") -> dict:
    """A small gold plan: a banner section with two recs and a rec_style none section."""
    cols = [
        {"label": "Ref", "field": "ref"},
        {"label": "Action", "field": "action"},
        {"label": "Lead", "field": "lead_agency"},
        {"label": "Target", "field": "target_date"},
        {"label": "Status", "field": "status"},
    ]
    return {
        "doc_id": doc_id,
        "title": "Test plan",
        "area": "Testshire",
        "sections": [
            {
                "heading": "Testshire Police",
                "agency": "Testshire Police",
                "rec_style": "banner",
                "columns": cols,
                "recommendations": [
                    {
                        "number": "1",
                        "text": "Officers should record every call about domestic abuse.",
                        "actions": [
                            _action(
                                "1.1",
                                "Issue a briefing note to all response officers on recording calls",
                                "Testshire Police",
                                "Mar-14",
                                "Completed",
                                "Testshire Police",
                                "2014-03-31",
                                "completed",
                            ),
                            _action(
                                "1.2",
                                "Audit a sample of one hundred call records every quarter",
                                "Testshire Police Audit Team",
                                "30/06/2014",
                                "Ongoing",
                                "Testshire Police",
                                "2014-06-30",
                                "in_progress",
                            ),
                        ],
                    },
                    {
                        "number": "2",
                        "text": "Training on coercive control for all front-line staff.",
                        "actions": [
                            _action(
                                "2.1",
                                "Deliver coercive control training sessions to front-line staff",
                                "Learning and Development",
                                "Ongoing",
                                "",
                                "Testshire Police",
                                None,
                                "unknown",
                            ),
                        ],
                    },
                ],
            },
            {
                "heading": None,
                "agency": "Surgery 1",
                "rec_style": "none",
                "columns": cols,
                "recommendations": [
                    {
                        "number": "1",
                        "text": "",
                        "actions": [
                            _action(
                                "",
                                "Practice to add a domestic abuse prompt to new patient forms",
                                "Practice manager",
                                "01/09/2013",
                                "Post publication",
                                "Surgery 1",
                                "2013-09-01",
                                "not_started",
                            ),
                            _action(
                                "",
                                "Nominate a safeguarding lead GP and publish their name to staff",
                                "Lead GP",
                                "TBC",
                                "Action completed",
                                "Surgery 1",
                                None,
                                "completed",
                            ),
                        ],
                    }
                ],
            },
        ],
    }


def rows_from_gold(gold: dict, doc_id: str | None = None) -> list[dict]:
    """The rows a perfect pipeline would write for ``gold``."""
    doc_id = doc_id or gold["doc_id"]
    rows = []
    for si, section in enumerate(gold["sections"], 1):
        printed_rec = section["rec_style"] in ("banner", "column")
        for rec in section["recommendations"]:
            for action in rec["actions"]:
                cells, norm = action["cells"], action["norm"]
                row = {
                    "action_id": f"{doc_id}/{si}/{len(rows) + 1}",
                    "doc_id": doc_id,
                    "section": section["heading"],
                    "section_agency": section["agency"],
                    "rec_number": rec["number"],
                    "recommendation": rec["text"] if printed_rec else None,
                    "status": norm.get("status") or "unknown",
                    "page_start": si,
                    "page_end": si,
                    "confidence": 1.0,
                }
                for key, value in cells.items():
                    row[CELL_TO_COL[key]] = value
                for key in ("lead_agency", "status", "rag"):
                    if key in norm:
                        row[key] = norm[key]
                for key in ("target_date", "completion_date"):
                    if norm.get(key):
                        row[key] = dt.date.fromisoformat(norm[key])
                rows.append(row)
    return rows


def write_gold(gold_dir: Path, *golds: dict) -> Path:
    gold_dir.mkdir(parents=True, exist_ok=True)
    for g in golds:
        (gold_dir / f"{g['doc_id']}.json").write_text(json.dumps(g, indent=1), encoding="utf-8")
    return gold_dir


def write_actions(out_dir: Path, rows: list[dict]) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schemas.ACTIONS), out_dir / "actions.parquet")
    return out_dir


def run(tmp_path: Path, rows: list[dict], *golds: dict) -> Report:
    golds = golds or (make_gold(),)
    gold_dir = write_gold(tmp_path / "gold", *golds)
    out_dir = write_actions(tmp_path / "out", rows)
    return evaluate(gold_dir, out_dir)


# Comparisons per matched action of make_gold():
#   banner actions: section, rec_number, recommendation + 5 cells = 8 printed; 4 norm
#   none actions:   section, recommendation + 5 cells = 7 printed; 4 norm
N_ACTIONS = 5
N_PRINTED = 3 * 8 + 2 * 7
N_NORM = 5 * 4


# ----------------------------------------------------------------------- tests


def test_load_gold_flattens_in_order_and_skips_non_gold(tmp_path):
    gold_dir = write_gold(tmp_path / "gold", make_gold("plan-b"), make_gold("plan-a"))
    (gold_dir / "notes.json").write_text('{"comment": "not gold"}', encoding="utf-8")
    (gold_dir / "README.md").write_text("# not json", encoding="utf-8")
    docs = load_gold(gold_dir)
    assert [d.doc_id for d in docs] == ["plan-a", "plan-b"]
    actions = docs[0].actions
    assert [a.position for a in actions] == [1, 2, 3, 4, 5]
    assert [a.cells["ref"] for a in actions] == ["1.1", "1.2", "2.1", "", ""]
    first, last = actions[0], actions[-1]
    assert (first.section, first.section_agency, first.rec_style) == (
        "Testshire Police",
        "Testshire Police",
        "banner",
    )
    assert first.rec_number == "1" and first.rec_text.startswith("Officers should")
    assert first.norm["target_date"] == "2014-03-31"
    assert (last.section, last.rec_style, last.rec_text, last.label) == (None, "none", "", "#5")
    assert [r.n_actions for r in docs[0].recommendations] == [2, 1, 2]


def test_repo_gold_file_loads():
    docs = load_gold(REPO_GOLD.parent)
    (doc,) = [d for d in docs if d.doc_id == "bdhr-2012-13-04"]
    assert len(doc.actions) == 87


def test_perfect_output_scores_100(tmp_path):
    report = run(tmp_path, rows_from_gold(make_gold()))
    assert (report.n_gold, report.n_predicted, report.n_matched) == (5, 5, 5)
    assert report.recall == report.precision == 1.0
    assert report.printed_exact == 1.0 and report.normalised_accuracy == 1.0
    assert report.printed_counts.total == N_PRINTED
    assert report.normalised_counts.total == N_NORM
    assert (
        report.mismatches == [] and report.unmatched_gold == [] and report.unmatched_predicted == []
    )
    assert set(report.printed_field_rates.values()) == {1.0}
    assert report.printed_fields["rec_number"].total == 3  # not scored for rec_style none
    assert report.printed_fields["recommendation"].total == 5

    text = format_report(report)
    assert text.splitlines()[-4:] == [
        "TOTAL actions: gold 5 predicted 5 matched 5",
        "recall 100.00%  precision 100.00%",
        f"printed exact 100.00% ({N_PRINTED}/{N_PRINTED})",
        f"normalised accuracy 100.00% ({N_NORM}/{N_NORM})",
    ]
    assert "action recall" in text and "action precision" in text
    json.dumps(report.to_dict())  # serialisable


def test_repo_gold_perfect_output(tmp_path):
    gold = json.loads(REPO_GOLD.read_text(encoding="utf-8"))
    report = run(tmp_path, rows_from_gold(gold), gold)
    assert report.n_matched == report.n_gold == 87
    assert report.printed_exact == 1.0 and report.normalised_accuracy == 1.0


def test_missing_action_lowers_recall_by_one(tmp_path):
    rows = rows_from_gold(make_gold())
    del rows[1]  # 1.2
    report = run(tmp_path, rows)
    assert report.n_matched == N_ACTIONS - 1
    assert report.recall == pytest.approx((N_ACTIONS - 1) / N_ACTIONS)
    assert report.precision == 1.0
    assert report.printed_exact == 1.0
    (missing,) = report.unmatched_gold
    assert (missing.doc_id, missing.ref, missing.side) == ("plan-a", "1.2", "gold")
    assert "Unmatched gold actions (1" in format_report(report)


def test_extra_action_lowers_precision(tmp_path):
    rows = rows_from_gold(make_gold())
    extra = dict(rows[2], action="Completely unrelated row about car parking permits", ref="9.9")
    extra["action_id"] = "plan-a/1/99"
    rows.insert(3, extra)
    report = run(tmp_path, rows)
    assert (report.n_gold, report.n_predicted, report.n_matched) == (5, 6, 5)
    assert report.recall == 1.0
    assert report.precision == pytest.approx(5 / 6)
    (unmatched,) = report.unmatched_predicted
    assert unmatched.ref == "9.9" and unmatched.side == "predicted"
    assert report.printed_exact == 1.0


def test_changed_field_is_a_mismatch(tmp_path):
    rows = rows_from_gold(make_gold())
    rows[0]["lead_agency_raw"] = "Testshire Constabulary"
    report = run(tmp_path, rows)
    assert report.n_matched == N_ACTIONS
    assert report.printed_exact == pytest.approx((N_PRINTED - 1) / N_PRINTED)
    assert report.printed_counts.correct == N_PRINTED - 1
    assert report.printed_fields["lead_agency_raw"].correct == N_ACTIONS - 1
    assert report.printed_field_rates["lead_agency_raw"] == pytest.approx(4 / 5)
    assert report.normalised_accuracy == 1.0
    (m,) = report.mismatches
    assert (m.doc_id, m.section, m.rec_number, m.ref, m.field) == (
        "plan-a",
        "Testshire Police",
        "1",
        "1.1",
        "lead_agency_raw",
    )
    assert (m.expected, m.got) == ("Testshire Police", "Testshire Constabulary")
    text = format_report(report)
    assert "'Testshire Constabulary'" in text and "lead_agency_raw" in text


def test_wrong_recommendation_and_section(tmp_path):
    rows = rows_from_gold(make_gold())
    rows[2]["recommendation"] = "Training on coercive control."
    rows[2]["rec_number"] = "3"
    rows[0]["section"] = None
    report = run(tmp_path, rows)
    fields = sorted(m.field for m in report.mismatches)
    assert fields == ["rec_number", "recommendation", "section"]
    assert report.printed_counts.correct == N_PRINTED - 3


def test_rec_style_none_wants_no_recommendation(tmp_path):
    rows = rows_from_gold(make_gold())
    rows[3]["recommendation"] = ""  # same as null
    rows[3]["rec_number"] = "whatever"  # not scored for rec_style none
    rows[4]["recommendation"] = "Invented recommendation"
    report = run(tmp_path, rows)
    (m,) = report.mismatches
    assert (m.field, m.ref, m.expected, m.got) == (
        "recommendation",
        "#5",
        "",
        "Invented recommendation",
    )


def test_whitespace_and_null_do_not_count(tmp_path):
    rows = rows_from_gold(make_gold())
    rows[0]["action"] = "  Issue a briefing note\nto all  response officers\ton recording calls "
    rows[2]["status_raw"] = None  # gold ""
    rows[3]["ref"] = None  # gold ""
    rows[1]["recommendation"] = "Officers should record every call\nabout domestic abuse."
    report = run(tmp_path, rows)
    assert report.printed_exact == 1.0
    assert report.mismatches == []


def test_wrong_date_counts_against_normalised_accuracy(tmp_path):
    rows = rows_from_gold(make_gold())
    rows[0]["target_date"] = dt.date(2014, 3, 1)
    rows[4]["target_date"] = dt.date(2020, 1, 1)  # gold null
    report = run(tmp_path, rows)
    assert report.printed_exact == 1.0
    assert report.normalised_counts.correct == N_NORM - 2
    assert report.normalised_accuracy == pytest.approx((N_NORM - 2) / N_NORM)
    assert report.normalised_field_rates["target_date"] == pytest.approx(3 / 5)
    got = {(m.ref, m.field): (m.expected, m.got) for m in report.mismatches}
    assert got == {
        ("1.1", "target_date"): ("2014-03-31", "2014-03-01"),
        ("#5", "target_date"): (None, "2020-01-01"),
    }


def test_wrong_status_and_rag(tmp_path):
    rows = rows_from_gold(make_gold())
    rows[1]["status"] = "completed"
    rows[2]["rag"] = "green"
    report = run(tmp_path, rows)
    assert sorted(m.field for m in report.mismatches) == ["rag", "status"]
    assert report.normalised_counts.correct == N_NORM - 2


def test_variants_scored_separately_against_base(tmp_path):
    gold = make_gold("plan-a")
    rows = rows_from_gold(gold, "plan-a") + rows_from_gold(gold, "plan-a--unruled")
    broken = rows_from_gold(gold, "plan-a--portrait")
    broken[0]["action"] = "Issue a briefing note to all response officers on recording"
    rows += broken[:-1]  # portrait misses its last action
    report = run(tmp_path, rows, gold)
    by_id = {d.doc_id: d for d in report.docs}
    assert set(by_id) == {"plan-a", "plan-a--unruled", "plan-a--portrait"}
    assert all(d.gold_doc_id == "plan-a" for d in report.docs)
    assert by_id["plan-a--unruled"].recall == 1.0
    assert by_id["plan-a--portrait"].recall == pytest.approx(4 / 5)
    assert (report.n_gold, report.n_predicted, report.n_matched) == (15, 14, 14)
    assert [m.doc_id for m in report.mismatches] == ["plan-a--portrait"]
    assert report.unmatched_gold[0].doc_id == "plan-a--portrait"
    lines = format_report(report).splitlines()
    assert lines[-4] == "TOTAL actions: gold 15 predicted 14 matched 14"
    assert any(line.startswith("plan-a--unruled") for line in lines)


def test_gold_doc_without_output_has_recall_zero(tmp_path):
    gold_a, gold_b = make_gold("plan-a"), make_gold("plan-b")
    rows = rows_from_gold(gold_a) + rows_from_gold(gold_a, "other-plan")
    report = run(tmp_path, rows, gold_a, gold_b)
    by_id = {d.doc_id: d for d in report.docs}
    assert by_id["plan-b"].predicted is False and by_id["plan-b"].recall == 0.0
    assert (report.n_gold, report.n_predicted, report.n_matched) == (10, 5, 5)
    assert report.recall == 0.5 and report.precision == 1.0
    assert report.unscored_doc_ids == ["other-plan"]  # no gold: listed, not counted
    assert "NO OUTPUT" in format_report(report)


def test_predicted_order_is_by_page_then_file_order(tmp_path):
    rows = rows_from_gold(make_gold())
    # Same rows, written with the second section first: page_start restores the order.
    shuffled = rows[3:] + rows[:3]
    report = run(tmp_path, shuffled)
    assert report.n_matched == N_ACTIONS and report.mismatches == []


def test_below_threshold_is_not_a_match(tmp_path):
    rows = rows_from_gold(make_gold())
    rows[1].update(ref="", action="Something else entirely", lead_agency_raw="", target_date_raw="")
    report = run(tmp_path, rows)
    assert report.n_matched == N_ACTIONS - 1
    assert len(report.unmatched_gold) == 1 and len(report.unmatched_predicted) == 1


def test_align_is_order_preserving():
    gold = ["a one", "b two", "c three", "b two"]
    pred = ["b two", "c three"]
    pairs = align(gold, pred, threshold=60)
    assert pairs == [(1, 0), (2, 1)]
    assert align([], pred) == [] and align(gold, []) == []


def test_recommendations_parquet_is_scored_when_present(tmp_path):
    gold = make_gold()
    out_dir = tmp_path / "out"
    write_actions(out_dir, rows_from_gold(gold))
    recs = [
        {
            "rec_id": "plan-a/1/1",
            "doc_id": "plan-a",
            "section": "Testshire Police",
            "rec_number": "1",
            "text": "Officers should record every call about domestic abuse.",
            "n_actions": 2,
            "page": 1,
        },
        {
            "rec_id": "plan-a/1/2",
            "doc_id": "plan-a",
            "section": "Testshire Police",
            "rec_number": "2",
            "text": "Training on coercive control for all front-line staff.",
            "n_actions": 3,  # wrong
            "page": 1,
        },
    ]
    table = pa.Table.from_pylist(recs, schema=schemas.RECOMMENDATIONS)
    pq.write_table(table, out_dir / "recommendations.parquet")
    report = evaluate(write_gold(tmp_path / "gold", gold), out_dir)
    assert (report.rec_gold, report.rec_predicted, report.rec_matched) == (3, 2, 2)
    (m,) = report.rec_mismatches
    assert (m.field, m.expected, m.got) == ("n_actions", 1, 3)
    assert report.printed_exact == 1.0  # actions untouched
    assert "recommendation recall" in format_report(report)


def test_mismatch_list_is_truncated(tmp_path):
    rows = rows_from_gold(make_gold())
    for row in rows:
        row["progress"] = "x" * 300
    report = run(tmp_path, rows)
    assert len(report.mismatches) == 0  # gold has no progress column: not compared
    for row in rows:
        row["status_raw"] = "Done " + "y" * 300
    report = run(tmp_path / "2", rows)
    assert len(report.mismatches) == N_ACTIONS
    text = format_report(report, max_mismatches=2)
    assert f"Mismatches ({N_ACTIONS}, showing 2)" in text
    assert "y" * 100 not in text


def test_missing_parquet_raises(tmp_path):
    gold_dir = write_gold(tmp_path / "gold", make_gold())
    (tmp_path / "out").mkdir()
    with pytest.raises(EvalError, match="actions.parquet"):
        evaluate(gold_dir, tmp_path / "out")


def test_empty_or_missing_gold_dir_raises(tmp_path):
    out_dir = write_actions(tmp_path / "out", rows_from_gold(make_gold()))
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "x.json").write_text("[]", encoding="utf-8")
    with pytest.raises(EvalError, match="no gold"):
        evaluate(tmp_path / "empty", out_dir)
    with pytest.raises(EvalError, match="not found"):
        evaluate(tmp_path / "nowhere", out_dir)


def test_broken_gold_json_raises(tmp_path):
    gold_dir = write_gold(tmp_path / "gold", make_gold())
    (gold_dir / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(EvalError, match="broken.json"):
        load_gold(gold_dir)


def test_error_messages_are_one_line(tmp_path):
    gold_dir = write_gold(tmp_path / "gold", make_gold())
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "actions.parquet").write_bytes(b"not parquet")
    with pytest.raises(EvalError) as info:
        evaluate(gold_dir, tmp_path / "out")
    assert "\n" not in str(info.value)
