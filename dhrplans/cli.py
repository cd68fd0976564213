"""Command line: `dhrplans run`, `dhrplans eval`.

Exit codes: 0 every document processed (or, for eval, scored), 1 any document
failed, 2 usage errors (typer's own, and missing inputs).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dhrplans import pipeline

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
err = Console(stderr=True)


def _default_jobs() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


@app.command()
def run(
    inputs: Annotated[
        list[Path] | None, typer.Argument(help="PDF files or folders (default: data/raw).")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("data/clean"),
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of failures.")] = False,
) -> None:
    """Extract every action plan in INPUTS into OUT/{actions,recommendations,documents}.parquet."""
    try:
        paths = pipeline.find_inputs(inputs or [Path("data/raw")])
    except pipeline.UsageError as exc:
        err.print(f"dhrplans: {exc}")
        raise typer.Exit(2) from None
    if not paths:
        err.print("dhrplans: no PDF files found in the inputs")
        raise typer.Exit(2)
    jobs = jobs or _default_jobs()
    interactive = err.is_terminal

    def report(result: pipeline.DocResult) -> None:
        if result.error:
            err.print(f"FAILED {result.source_file}: {result.error}", markup=False, highlight=False)
            if debug and result.debug:
                err.print(result.debug, markup=False, highlight=False)
        elif not interactive:
            err.print(
                f"ok {result.source_file}: {result.pages} pages, "
                f"{len(result.recommendations)} recommendations, {len(result.actions)} actions",
                markup=False,
                highlight=False,
            )

    if interactive:
        with Progress(
            TextColumn("[bold]documents"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[pages]} pages"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as progress:
            task = progress.add_task("run", total=len(paths), pages=0)

            def on_result(result: pipeline.DocResult) -> None:
                report(result)
                done = progress.tasks[0].fields["pages"] + result.pages
                progress.update(task, advance=1, pages=done)

            summary = pipeline.run(paths, out, jobs=jobs, on_result=on_result)
    else:
        summary = pipeline.run(paths, out, jobs=jobs, on_result=report)
    if summary.unmatched_agencies:
        shown = "; ".join(summary.unmatched_agencies[:20])
        more = len(summary.unmatched_agencies) - 20
        err.print(
            f"agency names not in the registry ({len(summary.unmatched_agencies)}): {shown}"
            + (f" (+{more} more)" if more > 0 else ""),
            markup=False,
            highlight=False,
        )
    print(summary.line())
    raise typer.Exit(1 if summary.failures else 0)


@app.command("eval")
def eval_(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold JSON files.")],
    out_dir: Annotated[Path, typer.Argument(help="Output folder of `dhrplans run`.")],
    max_mismatches: Annotated[int, typer.Option(help="Mismatches to list.")] = 50,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write JSON here.")] = None,
) -> None:
    """Score an output folder against gold files."""
    from dhrplans.evaluate import EvalError, evaluate, format_report

    try:
        report = evaluate(gold_dir, out_dir)
    except EvalError as exc:
        err.print(f"dhrplans eval: {exc}", markup=False)
        raise typer.Exit(2) from None
    if json_out:
        import json

        from dhrplans.writer import write_text

        write_text(json_out, json.dumps(report.to_dict(), indent=2, default=str))
    print(format_report(report, max_mismatches=max_mismatches))


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
