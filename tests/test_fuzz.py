"""Fuzzing: the normalisers on arbitrary text, and process_file on mutated PDF bytes.

The normalisers never raise and only give values of their vocabularies. A PDF
mutated from a small sample plan (bytes flipped, overwritten, cut, inserted,
repeated; in its compressed form and in an uncompressed rewrite, where the
mutations hit the text operators) gives process_file a result or a clean one-line
error, never an exception, and whatever records it gives pass the writer's checks.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pikepdf
import pytest
from dhrplans.normalise.agencies import AgencyRegistry
from dhrplans.normalise.dates import parse_date, parse_date_detail
from dhrplans.normalise.headers import is_header_row, map_header, score_label
from dhrplans.normalise.status import infer_status, parse_status
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dhrplans import schemas, writer
from dhrplans.run import workers
from dhrplans.run.result import DocResult

SMALL_PLAN = Path(__file__).parent / "fixtures" / "pdf" / "cumbria-dhr-fx-unruled.pdf"

FRAGMENTS = [
    "31/03/2014",
    "Mar-14",
    "Q2 2022/23",
    "2021-13-45",
    "30/02/2020",
    "Ongoing",
    "TBC",
    "Complete",
    "completed",
    "In progress",
    "not started",
    "RED",
    "Amber",
    "green",
    "Police",
    "West Midlands Police",
    "NHS",
    "CCG",
    "ICB",
    "Council",
    "(Lead officer)",
    "Action",
    "Lead agency",
    "Target date",
    "Outcome",
    "Status",
    "RAG",
    "Ref",
    "&",
    "-",
    "/",
    ".",
    "|",
    "0",
    "1",
    "l",
    "O",
    "\u2019",
    "\u00a0",
    "\n",
    "\t",
    "\x00",
    "\ufffd",
]
texts = st.one_of(
    st.text(max_size=120),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=12).map(" ".join),
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def registry() -> AgencyRegistry:
    return AgencyRegistry.load()


@FUZZ
@given(texts)
def test_dates_never_raise(text: str) -> None:
    detail = parse_date_detail(text)
    assert detail.value is None or isinstance(detail.value, dt.date)
    assert parse_date(text) == detail.value
    assert detail.candidates >= (1 if detail.value else 0)


@FUZZ
@given(texts)
def test_statuses_in_vocabulary(text: str) -> None:
    parsed = parse_status(text)
    assert parsed.status in schemas.STATUSES
    assert parsed.rag is None or parsed.rag in schemas.RAGS
    assert 0.0 <= parsed.score <= 1.0
    assert infer_status(text) in (None, *schemas.STATUSES)


@FUZZ
@given(texts, st.one_of(st.none(), texts, st.sampled_from(["West Midlands Police", "NHS"])))
def test_agencies_from_the_registry(registry: AgencyRegistry, text: str, section) -> None:
    names = {a.name for a in registry}
    types = {a.type for a in registry}
    for match in (registry.match(text, section_agency=section), registry.find(text)):
        assert match.name is None or match.name in names
        assert match.type is None or match.type in types
        assert 0.0 <= match.score <= 100.0
        assert isinstance(match.text, str)


@FUZZ
@given(st.lists(texts, max_size=10))
def test_header_mapping_in_canonical_fields(labels: list[str]) -> None:
    mapped = map_header(labels)
    assert len(mapped) == len(labels)
    fields = [m.field for m in mapped if m.field is not None]
    assert set(fields) <= set(schemas.CANONICAL_FIELDS)
    assert len(fields) == len(set(fields))  # each field at most once
    assert all(0.0 <= m.score <= 100.0 for m in mapped)
    assert isinstance(is_header_row(labels), bool)
    for label in labels:
        field, score = score_label(label)
        assert field is None or field in schemas.CANONICAL_FIELDS


# --- mutated PDF bytes through process_file ----------------------------------------------


def _uncompressed(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        buffer = io.BytesIO()
        pdf.save(
            buffer,
            compress_streams=False,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
        )
    return buffer.getvalue()


ORIGINAL = SMALL_PLAN.read_bytes()
BASES = (ORIGINAL, _uncompressed(ORIGINAL))
mutations = st.lists(
    st.tuples(
        st.sampled_from(["flip", "overwrite", "delete", "insert", "truncate", "repeat"]),
        st.floats(min_value=0.0, max_value=1.0),
        st.binary(min_size=1, max_size=48),
    ),
    min_size=1,
    max_size=4,
)


def _mutate(data: bytes, ops: list[tuple[str, float, bytes]]) -> bytes:
    buf = bytearray(data)
    for kind, where, payload in ops:
        at = int(where * max(len(buf) - 1, 0))
        if kind == "flip":
            for k, b in enumerate(payload[:8]):
                if at + k < len(buf):
                    buf[at + k] ^= b or 0xFF
        elif kind == "overwrite":
            buf[at : at + len(payload)] = payload
        elif kind == "delete":
            del buf[at : at + 16 * len(payload)]
        elif kind == "insert":
            buf[at:at] = payload
        elif kind == "truncate":
            del buf[max(at, 1) :]
        else:  # repeat a stretch: duplicated objects, streams, xref rows
            buf[at:at] = buf[at : at + 64 * len(payload)]
    return bytes(buf)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=15, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(range(len(BASES))), mutations)
def test_mutated_pdf_gives_result_or_clean_error(workdir: Path, base: int, ops) -> None:
    """process_file runs in a worker (a crash in native code must not take pytest down):
    a worker that did not send a result back means process_file raised or crashed."""
    path = workdir / "mutated.pdf"
    path.write_bytes(_mutate(BASES[base], ops))
    (result,) = workers.process_all([path], jobs=1, timeout=60)
    assert isinstance(result, DocResult)
    if result.error is not None:
        assert not result.error.startswith(("worker process", "timed out")), result.error
        assert result.error.strip() and "\n" not in result.error
        assert result.actions == [] and result.recommendations == []
    else:
        assert result.pages >= 1
    writer.to_table("actions", result.actions)
    writer.to_table("recommendations", result.recommendations)
    writer.to_table("documents", [result.document_row()])
