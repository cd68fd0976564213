"""A user vocabulary folder (--vocab DIR, default vocab/): agency aliases, header synonyms
and status words added to the shipped CSVs, on a small hand-made table; malformed files
are usage errors naming file and line; the vocabulary is part of the run cache key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from dhrplans.normalise.agencies import AgencyRegistry
from dhrplans.normalise.plan import normalise_document
from dhrplans.schemas import vocab
from typer.testing import CliRunner
from unit_fixtures.build import doc, table

import dhrplans
from dhrplans.cli import app
from dhrplans.run.cache import ResultCache
from dhrplans.run.inputs import user_vocabulary

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "tests" / "fixtures" / "pdf" / "cumbria-dhr-fx-unruled.pdf"  # status words

HEADER = ["Ref", "Action", "Owning Body", "Target Date", "Status"]
ROWS = [
    ["1", "Train staff", "Acme Outreach", "Mar-14", "Wrapped up"],
    ["2", "Audit files", "Kent Bobbies", "Dec-14", "Parked"],
]


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def actions_with(user: vocab.UserVocabulary | None) -> list[dict]:
    with vocab.active(user):
        return normalise_document(doc([table([HEADER, *ROWS])])).actions


@pytest.fixture
def shipped() -> list[dict]:
    return actions_with(None)


def test_header_synonym_maps_a_column(tmp_path: Path, shipped: list[dict]) -> None:
    assert [a["lead_agency_raw"] for a in shipped] == [None, None]
    assert "Owning Body" in dict(shipped[0]["extra"])
    write(tmp_path, "header_synonyms.csv", "field,synonym\nlead_agency,Owning body\n")
    added = actions_with(vocab.load(tmp_path))
    assert [a["lead_agency_raw"] for a in added] == ["Acme Outreach", "Kent Bobbies"]


def test_agency_aliases_new_body_and_registry_body(tmp_path: Path) -> None:
    write(tmp_path, "header_synonyms.csv", "field,synonym\nlead_agency,owning body\n")
    before = actions_with(vocab.load(tmp_path))
    assert [a["lead_agency_source"] for a in before] == ["unmatched", "unmatched"]
    write(
        tmp_path,
        "agencies.csv",
        "canonical,type,aliases\n"
        "# a body the registry does not know, and an alias of one it does\n"
        "Acme Outreach Service,voluntary_sector,Acme Outreach|AOS\n"
        "Kent Police,,Kent Bobbies\n",
    )
    after = actions_with(vocab.load(tmp_path))
    assert [a["lead_agency"] for a in after] == ["Acme Outreach Service", "Kent Police"]
    assert [a["lead_agency_type"] for a in after] == ["voluntary_sector", "police"]
    assert [a["lead_agency_source"] for a in after] == ["alias", "alias"]


def test_status_words(tmp_path: Path, shipped: list[dict]) -> None:
    assert [a["status"] for a in shipped] == ["unknown", "unknown"]
    write(
        tmp_path,
        "status_synonyms.csv",
        "text,status,rag\nwrapped up,completed,\nparked,not_started,red\n",
    )
    after = actions_with(vocab.load(tmp_path))
    assert [a["status"] for a in after] == ["completed", "not_started"]
    assert [a["rag"] for a in after] == [None, "red"]  # the word's colour, as shipped rows


def test_user_status_word_wins_over_the_shipped_reading(tmp_path: Path) -> None:
    from dhrplans.normalise.status import parse_status

    assert parse_status("Signed off").status == "completed"
    write(tmp_path, "status_synonyms.csv", "text,status,rag\nsigned off,in_progress,\n")
    with vocab.active(vocab.load(tmp_path)):
        assert parse_status("Signed off").status == "in_progress"
    assert parse_status("Signed off").status == "completed"  # only while active


def test_user_alias_takes_a_name_from_another_body(tmp_path: Path) -> None:
    shipped = AgencyRegistry.load()
    assert shipped.match("KCC").name == "Kent County Council"
    write(tmp_path, "agencies.csv", "canonical,type,aliases\nKent Police,,KCC\n")
    with vocab.active(vocab.load(tmp_path)):
        assert AgencyRegistry.load().match("KCC").name == "Kent Police"
    assert AgencyRegistry.load().match("KCC").name == "Kent County Council"


def test_empty_or_missing_folder(tmp_path: Path) -> None:
    assert vocab.load(tmp_path).empty and vocab.load(tmp_path).digest == ""
    with pytest.raises(vocab.VocabularyError, match="not found"):
        vocab.load(tmp_path / "nope")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("agencies.csv", "canonical,kind,aliases\nX,police,\n", r"agencies.csv:1: missing column"),
        (
            "agencies.csv",
            "canonical,type,aliases\nX,spaceship,\n",
            r"agencies.csv:2: unknown agency type",
        ),
        ("agencies.csv", "canonical,type,aliases\n,police,Y\n", r"agencies.csv:2: empty canonical"),
        ("agencies.csv", "canonical,type,aliases\nA,police,B,C\n", r"agencies.csv:2: 4 fields"),
        (
            "header_synonyms.csv",
            "field,synonym\n\nwho,Lead\n",
            r"header_synonyms.csv:3: unknown field",
        ),
        (
            "status_synonyms.csv",
            "text,status,rag\ndone,finished,\n",
            r"status_synonyms.csv:2: status",
        ),
        (
            "status_synonyms.csv",
            "text,status,rag\ndone,completed,blue\n",
            r"status_synonyms.csv:2: rag",
        ),
        (
            "status_synonyms.csv",
            "text,status,rag\nparked,not_started,\nParked,completed,\n",
            r"status_synonyms.csv:3: 'Parked' given twice",
        ),
        ("agency.csv", "canonical,type,aliases\n", r"agency.csv: not a vocabulary file"),
    ],
)
def test_malformed_file_names_file_and_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    write(tmp_path, name, text)
    with pytest.raises(vocab.VocabularyError, match=message):
        vocab.load(tmp_path)


def test_run_refuses_a_malformed_vocabulary_with_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "vocab"
    write(folder, "status_synonyms.csv", "text,status,rag\ndone,finished,\n")
    result = CliRunner().invoke(
        app, ["run", str(PLAN), "--out", str(tmp_path / "out"), "--vocab", str(folder)]
    )
    assert result.exit_code == 2
    assert "status_synonyms.csv:2" in result.output
    assert not (tmp_path / "out" / "actions.parquet").exists()


def test_alias_naming_another_canonical_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "agencies.csv", "canonical,type,aliases\nKent Police,,Kent County Council\n")
    with pytest.raises(vocab.VocabularyError, match="agencies.csv: alias 'Kent County Council'"):
        user_vocabulary(tmp_path)


def test_default_folder_is_vocab_in_the_current_folder(tmp_path: Path) -> None:
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert user_vocabulary() is None  # no vocab/ here
        write(tmp_path / "vocab", "status_synonyms.csv", "text,status,rag\nparked,not_started,\n")
        found = user_vocabulary()
        assert found is not None and found.status_synonyms == (("parked", "not_started", ""),)
    finally:
        os.chdir(here)


def test_vocabulary_is_part_of_the_cache_key(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache", version="v1")
    assert cache.for_vocabulary(None) is cache
    assert cache.for_vocabulary(vocab.load(tmp_path)) is cache  # empty folder: same entries
    write(tmp_path, "status_synonyms.csv", "text,status,rag\nparked,not_started,\n")
    one = cache.for_vocabulary(vocab.load(tmp_path)).version
    write(tmp_path, "status_synonyms.csv", "text,status,rag\nparked,in_progress,\n")
    two = cache.for_vocabulary(vocab.load(tmp_path)).version
    assert len({cache.version, one, two}) == 3
    assert cache.for_vocabulary(vocab.load(tmp_path)).version == two  # content, not time


def test_run_with_vocabulary_reruns_cached_documents(tmp_path: Path) -> None:
    folder, cache_dir = tmp_path / "vocab", tmp_path / "cache"
    base = ["run", str(PLAN), "--out", str(tmp_path / "out"), "--cache", str(cache_dir)]
    cli = CliRunner()
    assert cli.invoke(app, base + ["--jobs", "1"]).exit_code == 0
    assert "taken from the cache" in cli.invoke(app, base + ["--jobs", "1"]).output
    plain = dhrplans.read_dataset(tmp_path / "out").actions
    completed = (plain.status == "completed").sum()
    assert completed > 0
    write(folder, "status_synonyms.csv", "text,status,rag\ncomplete,in_progress,\n")
    again = cli.invoke(app, base + ["--jobs", "1", "--vocab", str(folder)])
    assert again.exit_code == 0, again.output
    assert "taken from the cache" not in again.output  # the vocabulary is in the key
    changed = dhrplans.read_dataset(tmp_path / "out").actions
    assert (changed.status == "completed").sum() < completed


def test_extract_plans_takes_a_vocabulary(tmp_path: Path) -> None:
    plain = dhrplans.extract_plans(PLAN, isolate=False).actions
    write(tmp_path, "status_synonyms.csv", "text,status,rag\ncomplete,in_progress,\n")
    added = dhrplans.extract_plans(PLAN, isolate=False, vocab=tmp_path).actions
    assert (added.status == "completed").sum() < (plain.status == "completed").sum()
    write(tmp_path, "header_synonyms.csv", "field,synonym\nnowhere,x\n")
    with pytest.raises(ValueError, match="header_synonyms.csv:2"):
        dhrplans.extract_plans(PLAN, isolate=False, vocab=tmp_path)


def test_inspect_takes_a_vocabulary(tmp_path: Path) -> None:
    folder = tmp_path / "vocab"
    write(folder, "header_synonyms.csv", "field,synonym\nlead_agency,owning body\n")
    cli = CliRunner()
    args = ["inspect", str(PLAN), "--page", "1", "--out", str(tmp_path / "p.png")]
    assert cli.invoke(app, args + ["--vocab", str(folder)]).exit_code == 0
    write(folder, "header_synonyms.csv", "field,synonym\nowner,owning body\n")
    bad = cli.invoke(app, args + ["--vocab", str(folder)])
    assert bad.exit_code == 2 and "header_synonyms.csv:2: unknown field" in bad.output
