"""Warnings are reasons for a person to look (issue 13): a documented rule applied is a
note (provenance), a table-level doubt is said once on the document, and the run summary
counts warnings by kind."""

from __future__ import annotations

from dhrplans.normalise.dates import documented_date_rule, parse_date_detail
from dhrplans.normalise.plan import normalise_document
from unit_fixtures.build import doc, table

from dhrplans.run.runner import RunSummary

POLICE = "West Midlands Police"


def _doc(header: list[str], *rows: list[str]):
    return normalise_document(doc([table([header, *rows], heading=POLICE)]))


def test_month_only_date_is_provenance_not_a_warning():
    out = _doc(
        ["Ref", "Action", "Lead Agency", "Target Date", "Status"],
        ["1", "Deliver training", "WMP", "Mar-14", "Complete"],
    )
    (action,) = out.actions
    assert str(action["target_date"]) == "2014-03-31"
    assert action["warnings"] == [] and action["confidence"] == 1.0
    assert action["notes"] == ["target_date by rule (month_only): Mar-14"]


def test_a_repaired_date_is_still_a_warning():
    detail = parse_date_detail("3O/O4/2O13")  # OCR damage: a repair, not a rule
    assert detail.guessed and not all(documented_date_rule(r) for r in detail.reasons)
    out = _doc(
        ["Ref", "Action", "Lead Agency", "Target Date", "Status"],
        ["1", "Deliver training", "WMP", "3O/O4/2O13", "Complete"],
    )
    (action,) = out.actions
    assert any(w.startswith("target_date guessed from text") for w in action["warnings"])
    assert action["confidence"] < 1.0


def test_fuzzy_header_is_said_once_on_the_document():
    out = _doc(
        ["Ref", "Acton", "Lead Agency", "Target Date", "Status"],
        ["1", "Deliver training", "WMP", "31/03/2014", "Complete"],
        ["2", "Audit case files", "WMP", "30/04/2014", "Complete"],
        ["3", "Write a protocol", "WMP", "31/12/2014", "Complete"],
    )
    assert [a["action"] for a in out.actions][0] == "Deliver training"
    assert all(not a["warnings"] for a in out.actions)
    fuzzy = [w for w in out.warnings if w.startswith("fuzzy header")]
    assert fuzzy == ["fuzzy header (page 1): Acton"]


def test_role_resolved_to_the_section_is_provenance_but_a_cell_not_understood_is_not():
    out = _doc(
        ["Ref", "Action", "Lead Officer", "Target Date", "Status"],
        ["1", "Deliver training", "Head of Crime Standards", "31/03/2014", "Complete"],
        ["2", "Audit case files", "Zorblax Qwerty", "31/03/2014", "Complete"],
    )
    role, unknown = out.actions
    assert role["lead_agency"] == POLICE and role["lead_agency_source"] == "section"
    assert role["warnings"] == []
    assert unknown["lead_agency_source"] == "section"
    assert any(w.startswith("agency matched below threshold") for w in unknown["warnings"])


def test_run_summary_breaks_warnings_down_by_kind():
    summary = RunSummary(documents=1)
    summary.add_warnings(["agency not in registry: Foo", "status not recognised: ??"])
    summary.add_warnings(["agency not in registry: Bar", "fuzzy header (page 2): Acton"])
    assert summary.warnings == 4
    assert (
        "warnings 4 (agency not in registry 2, fuzzy header 1, status not recognised 1)"
        in summary.line()
    )


def test_one_fuzzy_header_printed_over_many_tables_is_one_warning():
    header = ["Ref", "Acton", "Lead Agency", "Target Date", "Status"]
    tables = [
        table([header, ["1", "Deliver training", "WMP", "", ""]], heading=POLICE),
        table(
            [header, ["1", "Audit files", "BCC", "", ""]], heading="Birmingham City Council", page=2
        ),
    ]
    out = normalise_document(doc(tables))
    assert [w for w in out.warnings if w.startswith("fuzzy")] == [
        "fuzzy header (pages 1, 2): Acton"
    ]


def test_warning_kinds():
    from dhrplans.schemas import warning_kind

    assert warning_kind("page 3: skipped a table with no recognisable header") == (
        "skipped a table with no recognisable header"
    )
    assert warning_kind("target_date guessed from text (ocr_month): Jui-13") == (
        "target_date guessed from text"
    )
    assert (
        warning_kind("2 page(s) without a text layer (need OCR)")
        == "N page(s) without a text layer"
    )


def test_eval_counts_warnings_and_low_confidence_on_right_and_wrong_records():
    from dhrplans.evaluation.scores import Flags

    flags = Flags()
    flags.add(10, 0, 1.0, [])
    flags.add(9, 0, 0.7, ["agency not in registry: X", "agency not in registry: Y"])
    flags.add(8, 2, 0.5, ["status not recognised: ?"])
    assert (flags.right_records, flags.right_warned, flags.right_low) == (2, 1, 1)
    assert (flags.wrong_records, flags.wrong_warned, flags.wrong_low) == (1, 1, 1)
    assert (flags.right_values, flags.right_values_low) == (27, 17)
    assert (flags.wrong_values, flags.wrong_values_low) == (2, 2)
    assert flags.warning_kinds == {"agency not in registry": 1}
    total = Flags()
    total.merge(flags)
    total.merge(flags)
    assert total.right_records == 4 and total.warning_kinds == {"agency not in registry": 2}


def test_a_line_of_column_labels_left_outside_every_table_is_a_warning() -> None:
    # A header no engine turned into a table, with lines under it: its rows are lost
    # without a word in the tables' counts, so the document says so.
    from dhrplans.extract.document import _unread_header
    from dhrplans.extract.model import LooseLine

    from dhrplans.settings import DEFAULT_SETTINGS

    labels = ("Progress status", "Action No.", "Due date", "Recommendation/Action", "Lead")
    header = LooseLine(6, (71.0, 93.5, 745.0, 103.5), " ".join(labels), (71.0,) * 5, labels)
    row = LooseLine(
        6, (186.0, 105.0, 650.0, 115.0), "R1.1 Identify the officer", (186.0,), ("R1.1",)
    )
    warning = _unread_header([header, row], DEFAULT_SETTINGS)
    assert warning is not None and warning.startswith("page 6: a line of column labels")
    # the same labels with nothing under them (a header alone at a page foot), or prose
    assert _unread_header([header], DEFAULT_SETTINGS) is None
    prose = LooseLine(6, (71.0, 93.5, 745.0, 103.5), "The review met", (71.0,), ("The review met",))
    assert _unread_header([prose, row], DEFAULT_SETTINGS) is None
