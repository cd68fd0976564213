"""Incremental runs: unchanged documents come from the cache, the dataset stays whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq

from dhrplans import pipeline
from dhrplans.cache import ResultCache, pipeline_version

TESTS = Path(__file__).parent
SMALL = TESTS / "fixtures" / "pdf" / "cumbria-dhr-fx-unruled.pdf"
OTHER = TESTS / "fixtures" / "pdf" / "southwark-dhr-fx-agency-hrule.pdf"


def _run(raw: Path, out: Path, cache: ResultCache) -> pipeline.RunSummary:
    return pipeline.run(pipeline.find_inputs([raw]), out, jobs=1, cache=cache)


def test_unchanged_documents_are_not_extracted_again(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SMALL, raw)
    shutil.copy(OTHER, raw)
    cache = ResultCache(tmp_path / "cache", version="pinned")
    first = _run(raw, tmp_path / "a", cache)
    assert first.cached == 0 and first.failures == 0

    def refuse(path):
        raise AssertionError(f"{path} was extracted again")

    monkeypatch.setattr(pipeline, "process_file", refuse)
    second = _run(raw, tmp_path / "b", ResultCache(tmp_path / "cache", version="pinned"))
    assert second.cached == 2
    assert second.line().startswith(first.line())
    for name in ("actions", "recommendations", "documents"):
        assert (tmp_path / "a" / f"{name}.parquet").read_bytes() == (
            tmp_path / "b" / f"{name}.parquet"
        ).read_bytes()


def test_changed_renamed_and_removed_documents(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SMALL, raw / "plan.pdf")
    shutil.copy(OTHER, raw / "other.pdf")
    cache = ResultCache(tmp_path / "cache", version="pinned")
    _run(raw, tmp_path / "out", cache)

    shutil.copy(OTHER, raw / "plan.pdf")  # same name, new bytes
    (raw / "other.pdf").unlink()  # removed
    again = _run(raw, tmp_path / "out", ResultCache(tmp_path / "cache", version="pinned"))
    assert again.cached == 0
    docs = pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()
    assert [d["doc_id"] for d in docs] == ["plan"]
    actions = pq.read_table(tmp_path / "out" / "actions.parquet").column("doc_id").to_pylist()
    assert set(actions) == {"plan"}


def test_a_new_pipeline_version_misses_and_prunes(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SMALL, raw)
    _run(raw, tmp_path / "out", ResultCache(tmp_path / "cache", version="v1"))
    assert any((tmp_path / "cache").glob("v1-*"))
    summary = _run(raw, tmp_path / "out", ResultCache(tmp_path / "cache", version="v2"))
    assert summary.cached == 0
    assert not any((tmp_path / "cache").glob("v1-*"))
    assert any((tmp_path / "cache").glob("v2-*"))


def test_failures_are_not_cached(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "broken.pdf").write_bytes(b"not a pdf")
    cache = ResultCache(tmp_path / "cache", version="pinned")
    assert _run(raw, tmp_path / "out", cache).failures == 1
    assert not list((tmp_path / "cache").glob("pinned-*"))


def test_version_follows_the_code():
    version = pipeline_version()
    assert len(version) == 16 and version == pipeline_version()
