"""`dhrplans eval`: the gold recommendations an output missed, and `--require` minimum
scores that set the exit code."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_evaluate import make_gold, rows_from_gold, write_actions, write_gold
from typer.testing import CliRunner

from dhrplans import schemas
from dhrplans.cli import app
from dhrplans.evaluation.compare import evaluate
from dhrplans.evaluation.gold import EvalError
from dhrplans.evaluation.report import format_report
from dhrplans.evaluation.require import parse_requirements, unmet

runner = CliRunner()
SECOND_REC = "Training on coercive control for all front-line staff."


def _recs(doc_id: str, texts: dict[str, str]) -> pa.Table:
    rows = [
        {
            "rec_id": f"{doc_id}/s01/r{number}",
            "doc_id": doc_id,
            "section": "Testshire Police",
            "rec_number": number,
            "text": text,
            "n_actions": 1,
            "page": 1,
        }
        for number, text in texts.items()
    ]
    return pa.Table.from_pylist(rows, schema=schemas.RECOMMENDATIONS)


@pytest.fixture
def one_rec_missed(tmp_path):
    """An output whose actions are perfect but which lost recommendation 2 (of 3)."""
    gold = make_gold()
    out = write_actions(tmp_path / "out", rows_from_gold(gold))
    first = "Officers should record every call about domestic abuse."
    pq.write_table(_recs("plan-a", {"1": first}), out / "recommendations.parquet")
    return write_gold(tmp_path / "gold", gold), out


def test_missed_gold_recommendations_are_listed(one_rec_missed):
    gold_dir, out = one_rec_missed
    report = evaluate(gold_dir, out)
    assert (report.rec_gold, report.rec_matched) == (3, 1)
    missed = report.unmatched_gold_recs
    assert len(missed) == report.rec_gold - report.rec_matched
    assert {(m.doc_id, m.side) for m in missed} == {("plan-a", "gold")}
    assert "2" in {m.rec_number for m in missed}
    assert SECOND_REC[:40] in {m.text[:40] for m in missed}
    text = format_report(report)
    assert "Unmatched gold recommendations (2, showing 2):" in text
    assert "rec 2 |" in text
    listed = report.to_dict()["unmatched_gold_recommendations"]
    assert [u["rec_number"] for u in listed] == [m.rec_number for m in missed]


def test_a_document_without_output_misses_all_its_recommendations(tmp_path):
    gold_a, gold_b = make_gold("plan-a"), make_gold("plan-b")
    out = write_actions(tmp_path / "out", rows_from_gold(gold_a))
    pq.write_table(_recs("plan-a", {}), out / "recommendations.parquet")
    report = evaluate(write_gold(tmp_path / "gold", gold_a, gold_b), out)
    n_recs = sum(len(s["recommendations"]) for s in gold_b["sections"])
    assert sum(m.doc_id == "plan-b" for m in report.unmatched_gold_recs) == n_recs
    assert report.rec_gold == 2 * n_recs and report.rec_matched == 0


def test_requirements_parse_comma_separated_repeated_and_percent():
    wanted = parse_requirements(["recall=0.99,precision=99.5%", "printed = 1"])
    assert wanted == {"recall": 0.99, "precision": 0.995, "printed": 1.0}
    assert parse_requirements([]) == {}
    for bad in ("recal=0.9", "recall", "recall=high", "recall=1.5", "recall=150%"):
        with pytest.raises(EvalError):
            parse_requirements([bad])


def test_unmet_names_each_shortfall(one_rec_missed):
    report = evaluate(*one_rec_missed)
    assert unmet(report, {"recall": 1.0, "precision": 1.0, "printed": 1.0}) == []
    (line,) = unmet(report, {"recall": 1.0, "rec_recall": 0.5})
    assert line == "rec_recall 33.33% is below the required 50.00%"


def test_eval_exit_code_follows_require(one_rec_missed, tmp_path):
    gold_dir, out = one_rec_missed
    base = ["eval", str(gold_dir), str(out)]
    assert runner.invoke(app, base).exit_code == 0
    assert runner.invoke(app, [*base, "--require", "recall=1,precision=100%"]).exit_code == 0
    failed = runner.invoke(app, [*base, "--require", "recall=1", "--require", "rec_recall=0.9"])
    assert failed.exit_code == 1
    assert "rec_recall 33.33% is below the required 90.00%" in failed.stderr
    assert "TOTAL actions" in failed.stdout  # the report is still printed
    assert runner.invoke(app, [*base, "--require", "speed=1"]).exit_code == 2
    json_path = tmp_path / "r.json"
    runner.invoke(app, [*base, "--json", str(json_path)])
    assert len(json.loads(json_path.read_text())["unmatched_gold_recommendations"]) == 2
