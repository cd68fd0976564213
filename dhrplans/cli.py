"""dhrplans: DHR action plans (PDF or Word .docx) to a clean Parquet dataset.

Commands: run (extract), eval (score against gold), diff (compare two outputs),
snapshot (readable form of an output, and --check for audits), inspect (draw a
page with what was read from it), export (CSV or Excel for spreadsheets).

Exit codes: 0 every document processed (or, for eval, scored; for diff, equal),
1 any document failed (for diff: different; for eval: a --require not met), 2 usage errors.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import click
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperArgument, TyperCommand

from dhrplans import __version__, writer
from dhrplans.run import runner
from dhrplans.run.cache import ResultCache
from dhrplans.run.cluster import ExecutorError
from dhrplans.run.inputs import user_vocabulary
from dhrplans.run.result import DocResult
from dhrplans.run.workers import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT
from dhrplans.schemas.vocab import VocabularyError


class _PlainArgument(TyperArgument):
    """An argument shown in help by its metavar alone: Typer would add its own type label
    (`<path>`, `<list[Path]>`) and wrap a required one in braces, which a user cannot read."""

    def display_type_rich(self, ctx: click.Context) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")


class _Command(TyperCommand):
    """Every command's arguments are shown plainly (click's own notation)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is TyperArgument:
                param.__class__ = _PlainArgument


class _App(typer.Typer):
    def command(self, *args, **kwargs):
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


#: --vocab, shared by the commands that read plans (run, inspect).
VocabOption = Annotated[
    Path | None,
    typer.Option(
        "--vocab",
        metavar="DIR",
        help="User vocabulary folder (agencies.csv, header_synonyms.csv, "
        "status_synonyms.csv) added to the shipped one (default: vocab/ when present).",
    ),
]

app = _App(add_completion=False, no_args_is_help=True, help=__doc__, rich_markup_mode=None)
err = Console(stderr=True)


def _say(text: str) -> None:
    """One plain line on stderr: no markup, no wrapping (logs keep it on one line)."""
    err.print(text, markup=False, highlight=False, soft_wrap=True)


def _fail(message: str, code: int) -> NoReturn:
    _say(f"dhrplans: {message}")
    raise typer.Exit(code)


def _default_jobs() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


DEFAULT_OUT = Path("data/clean")


def _print_version(value: bool) -> None:
    if value:
        print(f"dhrplans {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """dhrplans: DHR action plans (PDF or Word .docx) to a clean Parquet dataset."""


@app.command()
def run(
    ctx: typer.Context,
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="INPUT", help="PDF or Word .docx files, or folders of them (default: data/raw)."
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Output folder.")] = DEFAULT_OUT,
    add: Annotated[
        bool,
        typer.Option(
            "--add",
            help="Keep the documents already in the output; the inputs are added (a document "
            "of the same name is replaced).",
        ),
    ] = False,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="The output holds only the inputs: documents not among them go."
        ),
    ] = False,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            metavar="SECONDS",
            min=0,
            help="Seconds to wait while another run writes the same output (0: stop at once).",
        ),
    ] = 0,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, metavar="N", help="Worker processes (default: all cores)."
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0,
            metavar="SECONDS",
            help="Seconds one document may take before it is stopped (0: none).",
        ),
    ] = DEFAULT_TIMEOUT,
    max_memory: Annotated[
        int,
        typer.Option(
            "--max-memory",
            metavar="MB",
            min=0,
            help="Memory (MB of address space) one document's worker may use (0: no limit).",
        ),
    ] = DEFAULT_MAX_MEMORY_MB,
    cache: Annotated[
        Path,
        typer.Option(
            "--cache",
            metavar="DIR",
            envvar="DHRPLANS_CACHE",
            help="Folder of per-document results reused while a file is unchanged.",
        ),
    ] = Path("data/interim/cache"),
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Extract every document again.")
    ] = False,
    executor: Annotated[
        str,
        typer.Option(
            "--executor",
            metavar="local|dask",
            help="local (worker processes here) or dask (a Dask cluster).",
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of failures.")] = False,
    vocab: VocabOption = None,
) -> None:
    """Extract every action plan in INPUTS into OUT/{actions,recommendations,documents}.parquet.

    Named inputs written to the default output (data/clean) while it holds a dataset need
    --add or --replace, so the dataset never loses documents by surprise."""
    if add and replace:
        _fail("--add and --replace exclude each other", 2)
    if executor not in ("local", "dask"):
        _fail(f"--executor must be local or dask, not {executor!r}", 2)
    if executor == "dask" and not scheduler:
        _fail("--executor dask needs --scheduler ADDRESS", 2)
    try:
        paths = runner.find_inputs(inputs or [Path("data/raw")])
    except runner.UsageError as exc:
        _fail(str(exc), 2)
    if not paths:
        _fail("no PDF or DOCX files found in the inputs", 2)
    try:
        user_vocab = user_vocabulary(vocab)
    except VocabularyError as exc:
        _fail(str(exc), 2)
    if out.exists() and not out.is_dir():
        _fail(f"--out is not a folder: {out}", 2)
    source = ctx.get_parameter_source("out")
    default_out = source is None or source.name == "DEFAULT"  # --out not given
    if inputs and default_out and not (add or replace):
        held = writer.read_dataset(out)
        if held is not None and held["documents"].num_rows:
            _fail(
                f"{out} holds a dataset of {held['documents'].num_rows} documents; "
                f"running only the {len(paths)} document(s) named would replace it. "
                "Pass --add to add them to it (same-named documents are replaced), "
                "--replace to keep only them, or --out DIR for another folder",
                2,
            )
    jobs = jobs or _default_jobs()
    interactive = err.is_terminal

    def report(result: DocResult) -> None:
        if result.error:
            _say(f"FAILED {result.source_file}: {result.error}")
            if debug and result.debug:
                _say(result.debug)
        elif not interactive:
            _say(
                f"ok {result.source_file}: {result.pages} pages, "
                f"{len(result.recommendations)} recommendations, {len(result.actions)} actions"
            )

    limits = dict(jobs=jobs, timeout=timeout, max_memory_mb=max_memory, quiet=not debug)
    limits.update(executor=executor, scheduler=scheduler, add=add, wait=wait, vocab=user_vocab)
    if not no_cache:
        limits["cache"] = ResultCache(cache)
    try:
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

                def on_result(result: DocResult) -> None:
                    report(result)
                    done = progress.tasks[0].fields["pages"] + result.pages
                    progress.update(task, advance=1, pages=done)

                summary = runner.run(paths, out, on_result=on_result, **limits)
        else:
            summary = runner.run(paths, out, on_result=report, **limits)
    except (ExecutorError, runner.UsageError) as exc:
        _fail(str(exc), 2)
    except KeyboardInterrupt:
        _fail(f"interrupted: workers stopped, nothing written ({out} left as it was)", 130)
    except OSError as exc:  # the output folder: permissions, disk full
        if debug:
            raise
        _fail(f"cannot write the dataset: {exc.filename or out}: {exc.strerror or exc}", 1)
    except writer.SchemaViolation as exc:  # a pipeline bug: loud, yet one line
        if debug:
            raise
        _fail(f"internal error, nothing written: {exc} (--debug shows the traceback)", 1)
    if summary.unmatched_agencies:
        shown = "; ".join(summary.unmatched_agencies[:20])
        more = len(summary.unmatched_agencies) - 20
        _say(
            f"agency names not in the registry ({len(summary.unmatched_agencies)}): {shown}"
            + (f" (+{more} more)" if more > 0 else "")
        )
    print(summary.line())
    raise typer.Exit(1 if summary.failures else 0)


@app.command("eval")
def eval_(
    gold_dir: Annotated[
        Path, typer.Argument(metavar="GOLD_DIR", help="Folder of gold JSON files.")
    ],
    out_dir: Annotated[
        Path, typer.Argument(metavar="OUT_DIR", help="Output folder of `dhrplans run`.")
    ],
    max_mismatches: Annotated[int, typer.Option(metavar="N", help="Mismatches to list.")] = 50,
    json_out: Annotated[
        Path | None, typer.Option("--json", metavar="FILE", help="Also write JSON here.")
    ] = None,
    require: Annotated[
        list[str] | None,
        typer.Option(
            "--require",
            metavar="METRIC=VALUE",
            help="Minimum score, METRIC=VALUE (0..1 or N%), comma-separated or repeated; "
            "metrics: recall, precision, printed, normalised, rec_recall, rec_precision. "
            "Exit 1 when one is not reached.",
        ),
    ] = None,
) -> None:
    """Score an output folder against gold files. Exit 0 scored (and every --require
    met), 1 a --require not met, 2 usage error."""
    from dhrplans.evaluation.compare import evaluate
    from dhrplans.evaluation.gold import EvalError
    from dhrplans.evaluation.report import format_report
    from dhrplans.evaluation.require import parse_requirements, unmet

    try:
        wanted = parse_requirements(require or [])
        report = evaluate(gold_dir, out_dir)
    except EvalError as exc:
        err.print(f"dhrplans eval: {exc}", markup=False)
        raise typer.Exit(2) from None
    if json_out:
        import json

        writer.write_text(json_out, json.dumps(report.to_dict(), indent=2, default=str))
    print(format_report(report, max_mismatches=max_mismatches))
    failed = unmet(report, wanted)
    for line in failed:
        _say(f"dhrplans eval: {line}")
    raise typer.Exit(1 if failed else 0)


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command("diff")
def diff_(
    base_dir: Annotated[
        Path, typer.Argument(metavar="BASE_DIR", help="Base output (Parquet) or snapshot folder.")
    ],
    new_dir: Annotated[
        Path, typer.Argument(metavar="NEW_DIR", help="New output (Parquet) or snapshot folder.")
    ],
    fmt: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", metavar="text|markdown|json", help="Report format."),
    ] = (DiffFormat.text),
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="FILE", help="Write the report here (stdout: a summary)."),
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, metavar="N", help="Records listed per category (text, markdown).")
    ] = 100,
) -> None:
    """Compare two outputs record by record. Exit 0 equal, 1 different, 2 usage error."""
    from dhrplans.audit.diff import diff_outputs, render
    from dhrplans.audit.snapshot import OutputError

    try:
        result = diff_outputs(base_dir, new_dir)
    except OutputError as exc:
        err.print(f"dhrplans diff: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    report = render(result, fmt.value, limit=limit)
    if out:
        writer.write_text(out, report)
        print(f"{result.summary_line()} (report: {out})")
    else:
        sys.stdout.write(report)
    raise typer.Exit(0 if result.equal else 1)


@app.command("snapshot")
def snapshot_(
    out_dir: Annotated[
        Path, typer.Argument(metavar="OUT_DIR", help="Output folder of `dhrplans run`.")
    ],
    snapshot_dir: Annotated[
        Path, typer.Argument(metavar="SNAPSHOT_DIR", help="Snapshot folder (JSON Lines).")
    ],
    check: Annotated[
        bool,
        typer.Option("--check", help="Compare OUT_DIR with the snapshot instead of writing it."),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option("--report", metavar="FILE", help="With --check: write the markdown here."),
    ] = None,
) -> None:
    """Write OUT_DIR as JSON Lines in SNAPSHOT_DIR; --check: compare, exit 1 if different."""
    from dhrplans.audit.check import ACCEPT_HINT, audit
    from dhrplans.audit.snapshot import OutputError, write_snapshot

    try:
        if not check:
            for path in write_snapshot(out_dir, snapshot_dir):
                print(f"wrote {path}")
            return
        if not snapshot_dir.is_dir():
            err.print(
                f"dhrplans snapshot: no snapshot at {snapshot_dir} (run `make snapshot`)",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(2)
        result = audit(snapshot_dir, out_dir, report)
    except OutputError as exc:
        err.print(f"dhrplans snapshot: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    sys.stdout.write(result.report)
    if not result.equal:
        err.print(
            f"dhrplans snapshot: {out_dir} differs from the snapshot {snapshot_dir}"
            + (f" (report: {report})" if report else "")
            + f". {ACCEPT_HINT}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1)


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


@app.command("export")
def export_(
    out_dir: Annotated[
        Path, typer.Argument(metavar="OUT_DIR", help="Output folder of `dhrplans run`.")
    ],
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", metavar="csv|xlsx", help="csv (a file per table) or xlsx."),
    ] = ExportFormat.csv,
    to: Annotated[
        Path | None,
        typer.Option(
            "--to",
            metavar="PATH",
            help="csv: folder (default OUT_DIR/csv); xlsx: file (default OUT_DIR/dhrplans.xlsx).",
        ),
    ] = None,
) -> None:
    """Write the dataset for spreadsheets: nested columns flattened ("; "-joined lists,
    JSON for cell boxes and extra columns)."""
    from dhrplans.export import ExportError, export

    try:
        written = export(out_dir, fmt.value, to)
    except ExportError as exc:
        _fail(str(exc), 2)
    except OSError as exc:
        _fail(f"cannot write the export: {exc.filename or to}: {exc.strerror or exc}", 1)
    for path in written:
        print(f"wrote {path}")


@app.command()
def inspect(
    pdf: Annotated[
        Path, typer.Argument(metavar="PDF", help="A PDF file.", exists=True, dir_okay=False)
    ],
    page: Annotated[int, typer.Option("--page", min=1, metavar="N", help="Page number (1-based).")],
    out: Annotated[Path, typer.Option("--out", metavar="PNG", help="PNG to write.")],
    record: Annotated[
        str | None, typer.Option("--record", metavar="ID", help="action_id or rec_id to highlight.")
    ] = None,
    vocab: VocabOption = None,
) -> None:
    """Draw a page with the detected tables, cells, header, recommendation and split rows."""
    from dhrplans.inspect import InspectError, inspect_page

    try:
        user_vocab = user_vocabulary(vocab)
    except VocabularyError as exc:
        _fail(str(exc), 2)
    try:
        picture = inspect_page(pdf, page, out, record, user_vocab)
    except InspectError as exc:
        _fail(f"inspect: {exc}", 2)
    drawn = ", ".join(f"{k} {v}" for k, v in picture.boxes.items() if v)
    print(f"wrote {picture.path} ({picture.size[0]}x{picture.size[1]}): {drawn}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
