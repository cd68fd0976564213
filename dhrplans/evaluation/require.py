"""Minimum scores an evaluation must reach (`dhrplans eval --require`), so CI and a
reviewer's script can fail on a drop without reading the report."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from dhrplans.evaluation.gold import EvalError
from dhrplans.evaluation.scores import Report

#: Name usable in --require -> the total it reads from a Report (0..1).
METRICS: dict[str, Callable[[Report], float]] = {
    "recall": lambda r: r.recall,
    "precision": lambda r: r.precision,
    "printed": lambda r: r.printed_exact,
    "normalised": lambda r: r.normalised_accuracy,
    "rec_recall": lambda r: r.rec_recall,
    "rec_precision": lambda r: r.rec_precision,
}


def parse_requirements(items: Iterable[str]) -> dict[str, float]:
    """`["recall=0.99,precision=99%", "printed=0.995"]` -> {metric: minimum in 0..1}.
    A value with `%` is a percentage. Unknown metrics and bad values raise EvalError."""
    wanted: dict[str, float] = {}
    for item in items:
        for part in filter(None, (p.strip() for p in item.split(","))):
            name, sep, value = (s.strip() for s in part.partition("="))
            if name not in METRICS:
                known = ", ".join(METRICS)
                raise EvalError(f"--require: unknown metric {name!r} (known: {known})")
            try:
                number = float(value.removesuffix("%")) / (100 if value.endswith("%") else 1)
            except ValueError:
                number = -1.0
            if not sep or not 0 <= number <= 1:
                raise EvalError(f"--require: {part!r} is not METRIC=VALUE, VALUE 0..1 or 0..100%")
            wanted[name] = number
    return wanted


def unmet(report: Report, wanted: dict[str, float]) -> list[str]:
    """One line per requirement the report falls short of (empty: all met)."""
    lines = []
    for name, minimum in wanted.items():
        got = METRICS[name](report)
        if got < minimum:
            lines.append(f"{name} {100 * got:.2f}% is below the required {100 * minimum:.2f}%")
    return lines
