"""Incremental runs: unchanged documents come from the cache, the dataset stays whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq

from dhrplans.run import document, runner
from dhrplans.run.cache import ResultCache, pipeline_version, versioned_sources

TESTS = Path(__file__).parent
SMALL = TESTS / "fixtures" / "pdf" / "cumbria-dhr-fx-unruled.pdf"
OTHER = TESTS / "fixtures" / "pdf" / "southwark-dhr-fx-agency-hrule.pdf"


def _run(raw: Path, out: Path, cache: ResultCache) -> runner.RunSummary:
    return runner.run(runner.find_inputs([raw]), out, jobs=1, cache=cache)


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

    monkeypatch.setattr(document, "process_file", refuse)
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


def test_version_hashes_the_installed_code():
    import dhrplans.extract
    import dhrplans.normalise
    import dhrplans.schemas

    sources = versioned_sources()
    for package in (dhrplans.extract, dhrplans.normalise, dhrplans.schemas):
        assert Path(package.__file__).parent in sources
    assert Path(document.__file__) in sources
    version = pipeline_version()
    assert len(version) == 16 and version == pipeline_version()
    assert pipeline_version(sources) == version


def test_version_follows_the_code(tmp_path):
    """A copy of the versioned code: each edit (a parser, a normaliser, a vocabulary,
    the settings, the per-document run) gives a new version; nothing edited, the same one."""
    copies = []
    for source in versioned_sources():
        target = tmp_path / source.name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)
        copies.append(target)
    seen = [pipeline_version(copies)]
    assert pipeline_version(copies) == seen[0]
    edits = [
        next(p for p in sorted((tmp_path / "extract").glob("*.py")) if p.stem != "__init__"),
        next(p for p in sorted((tmp_path / "normalise").glob("*.py")) if p.stem != "__init__"),
        sorted((tmp_path / "schemas").glob("*.csv"))[0],
        tmp_path / Path(document.__file__).name,
        tmp_path / "settings.py",
    ]
    for path in edits:
        assert path.is_file(), path
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        version = pipeline_version(copies)
        assert version not in seen, f"editing {path.name} left the version unchanged"
        assert pipeline_version(copies) == version
        seen.append(version)
    (tmp_path / "extract" / "notes.txt").write_text("not code")  # neither .py nor .csv
    assert pipeline_version(copies) == seen[-1]
