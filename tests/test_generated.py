"""Generality ratchet: the pipeline on a fixed sample of 40 generated plan layouts.

The generality work of issue 10 was debugged on this sample, so it is a regression guard,
not a measure of generality: `make layouts N=200` on fresh seeds is that measure.

tests/fixtures/generated/ holds 40 plans drawn by tests/fixtures/generate.py from fixed seeds
(gold/, pdf/, and docx/ for the first 10; tests/fixtures/README.md says how to regenerate).
They are extracted once per session, from the PDFs and from the DOCX files, and scored with
the evaluator.

The floors below are what the pipeline scored when the sample was made, rounded down to one
decimal: a ratchet, not the bar. The bar (issue 10) is action recall and precision >= 99.5%,
printed text >= 99%, context (section, recommendation number and text) >= 99% and normalised
values >= 99%. Raise a floor whenever the pipeline improves; never lower one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dhrplans.evaluation.compare import evaluate
from dhrplans.evaluation.gold import load_gold
from dhrplans.evaluation.scores import Count, DocScore
from dhrplans.run import runner

SAMPLE = Path(__file__).parent / "fixtures" / "generated"
CONTEXT_FIELDS = {"section", "rec_number", "recommendation"}

# Percentages measured on the committed sample, rounded down to 1 decimal. Target: 99.5
# (recall, precision), 99 (printed, context, normalised). The sample was re-drawn with the layout
# families of the outside testers' plans (generate.FAMILIES: bilingual, qualified and question
# labels, tick statuses, a glossary, a recommendation list table, captions, two-line
# furniture...): the PDF floors are what the pipeline scores on it (before the families:
# 100, 99.7, 99.9, 99.8, 99.8 on the sample without them). They are below the targets: the
# families' failures (issue 10's notes) are to be fixed in extract/ and normalise/, and the
# floors raised with them. Conservation is whole (no word unaccounted) on every plan.
FLOORS = {
    "pdf": {
        "recall": 100.0,
        "precision": 99.7,
        "printed": 96.8,
        "context": 96.7,
        "normalised": 99.1,
    },
    "docx": {
        "recall": 100.0,
        "precision": 100.0,
        "printed": 100.0,
        "context": 100.0,
        "normalised": 100.0,
    },
}


def figures(docs: list[DocScore], unscored_gold: int = 0) -> dict[str, float]:
    """Recall, precision, printed, context and normalised (percent) over ``docs``.

    ``unscored_gold``: gold actions of documents that have no score here (nothing extracted).
    """
    gold = sum(d.n_gold for d in docs) + unscored_gold
    pred = sum(d.n_predicted for d in docs)
    matched = sum(d.n_matched for d in docs)
    printed, context, norm = Count(), Count(), Count()
    for d in docs:
        for field, c in d.printed.items():
            (context if field in CONTEXT_FIELDS else printed).merge(c)
        for c in d.normalised.values():
            norm.merge(c)
    return {
        "recall": 100 * matched / gold if gold else 0.0,
        "precision": 100 * matched / pred if pred else 0.0,
        "printed": 100 * printed.rate,
        "context": 100 * context.rate,
        "normalised": 100 * norm.rate,
    }


def score_sample(sample: Path, tmp_path_factory) -> dict:
    """Run a fixture sample (pdf/, docx/ scored as D--docx of D, gold/) and score it:
    figures per kind, and the words each document left unaccounted (conservation)."""
    inputs = tmp_path_factory.mktemp(f"{sample.name}-in")
    for pdf in sorted((sample / "pdf").glob("*.pdf")):
        shutil.copy(pdf, inputs / pdf.name)
    for docx in sorted((sample / "docx").glob("*.docx")):
        shutil.copy(docx, inputs / f"{docx.stem}--docx.docx")
    out = tmp_path_factory.mktemp(f"{sample.name}-out")
    summary = runner.run(runner.find_inputs([inputs]), out, jobs=2)
    assert summary.failures == 0, summary.failed
    report = evaluate(sample / "gold", out)
    n_gold = {g.doc_id: len(g.actions) for g in load_gold(sample / "gold")}
    docx_ids = {p.stem for p in (sample / "docx").glob("*.docx")}
    docs = {
        "pdf": [d for d in report.docs if not d.doc_id.endswith("--docx")],
        "docx": [d for d in report.docs if d.doc_id.endswith("--docx")],
    }
    expected = {"pdf": set(n_gold), "docx": docx_ids}
    result: dict = {"n_docs": len(report.docs)}
    for kind, ds in docs.items():
        # A document that gave no record at all has no score of its kind: count it as missed.
        missed = expected[kind] - {d.gold_doc_id for d in ds}
        result[kind] = figures(ds, sum(n_gold[m] for m in missed))
    documents = pq.read_table(out / "documents.parquet").to_pylist()
    result["lost_words"] = {
        d["doc_id"]: d["words_in_tables"] - d["words_accounted"]
        for d in documents
        if d["words_in_tables"] != d["words_accounted"]
    }
    return result


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> dict[str, dict[str, float]]:
    return score_sample(SAMPLE, tmp_path_factory)


def test_sample_is_complete():
    golds = sorted(p.stem for p in (SAMPLE / "gold").glob("*.json"))
    pdfs = sorted(p.stem for p in (SAMPLE / "pdf").glob("*.pdf"))
    assert len(golds) == 40 and golds == pdfs
    assert len(list((SAMPLE / "docx").glob("*.docx"))) == 10


def test_every_word_in_an_action_plan_table_is_accounted(scored):
    """Conservation (issue 10) on every generated plan, PDF and DOCX."""
    assert scored["lost_words"] == {}


@pytest.mark.parametrize("kind", ["pdf", "docx"])
@pytest.mark.parametrize("metric", ["recall", "precision", "printed", "context", "normalised"])
def test_not_worse_than_the_floor(scored, kind, metric):
    got, floor = scored[kind][metric], FLOORS[kind][metric]
    assert got >= floor, f"{kind} {metric}: {got:.2f}% is below the floor {floor}%"
