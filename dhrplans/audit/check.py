"""The extraction audit behind `make audit`: a fresh output against the committed
snapshot, as a markdown report a reviewer can paste into a pull request.

`make snapshot` accepts a change (rewrites tests/snapshot/); `make audit` only
compares, and fails when the output differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dhrplans.audit import diff
from dhrplans.writer import write_text

ACCEPT_HINT = (
    "If these changes are intended, run `make snapshot` and commit tests/snapshot/ "
    "with the change that caused them."
)


@dataclass
class AuditResult:
    equal: bool
    report: str  # markdown


def audit(
    snapshot_dir: str | Path, out_dir: str | Path, report_path: str | Path | None = None
) -> AuditResult:
    """Compare a fresh output with the committed snapshot; the markdown report is
    written to `report_path` (if given). Raises OutputError for unreadable folders."""
    result = diff.diff_outputs(snapshot_dir, out_dir)
    if result.equal:
        report = f"# Extraction audit\n\nno differences from the snapshot `{snapshot_dir}`\n"
    else:
        report = (
            f"# Extraction audit\n\n**The extraction output differs from the committed snapshot "
            f"`{snapshot_dir}`.** {ACCEPT_HINT}\n\n" + diff.format_markdown(result, heading_level=2)
        )
    if report_path is not None:
        write_text(report_path, report)
    return AuditResult(result.equal, report)
