"""A :class:`Report` as text for a reader; its last four lines are a compact summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dhrplans.evaluation.gold import fold
from dhrplans.evaluation.scores import (
    LOW_CONFIDENCE,
    Count,
    Mismatch,
    Report,
    Unmatched,
    short,
)


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


def _flags_lines(report: Report) -> list[str]:
    """Do warnings and confidence point at the wrong records (matched actions)?"""
    f = report.flags
    if not f.right_records + f.wrong_records:
        return []
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(f.warning_kinds.items(), key=lambda x: -x[1]))
    return [
        f"Warnings and confidence (matched actions; low = confidence < {LOW_CONFIDENCE}):",
        f"  right records  {f.right_records:5d}  with a warning "
        f"{_count(Count(f.right_warned, f.right_records))}  low {f.right_low}",
        f"  wrong records  {f.wrong_records:5d}  with a warning "
        f"{_count(Count(f.wrong_warned, f.wrong_records))}  low {f.wrong_low}",
        f"  wrong values   {f.wrong_values:5d}  low "
        f"{_count(Count(f.wrong_values_low, f.wrong_values))}",
        f"  right values   {f.right_values:5d}  low "
        f"{_count(Count(f.right_values_low, f.right_values))}",
        *([f"  warnings on right records, by kind: {kinds}"] if kinds else []),
    ]


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
    lines += _flags_lines(report)

    def mismatch_block(title: str, items: list[Mismatch]) -> None:
        if not items:
            return
        lines.append("")
        shown = items[:max_mismatches]
        lines.append(f"{title} ({len(items)}, showing {len(shown)}):")
        for m in shown:
            exp, got = _show_pair(m.expected, m.got)
            where = f"{m.doc_id} | {short(m.section, 40) or '-'} | rec {m.rec_number or '-'}"
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
                f"  {u.doc_id}{page} | {short(u.section, 40) or '-'} | rec {u.rec_number or '-'}"
                f" | {u.ref or '-'} | {u.text!r}"
            )

    mismatch_block("Mismatches", report.mismatches)
    mismatch_block("Recommendation mismatches", report.rec_mismatches)
    unmatched_block("Unmatched gold actions", report.unmatched_gold)
    unmatched_block("Unmatched predicted actions", report.unmatched_predicted)
    unmatched_block("Unmatched gold recommendations", report.unmatched_gold_recs)

    lines.append("")
    lines.append(
        f"TOTAL actions: gold {report.n_gold} predicted {report.n_predicted}"
        f" matched {report.n_matched}"
    )
    lines.append(f"recall {_pct(report.recall)}  precision {_pct(report.precision)}")
    lines.append(f"printed exact {_count(report.printed_counts)}")
    lines.append(f"normalised accuracy {_count(report.normalised_counts)}")
    return "\n".join(lines)
