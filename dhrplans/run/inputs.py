"""Which files a run reads: files named, and the plans inside folders named."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

INPUT_SUFFIXES = (".pdf", ".docx")


def find_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named, and the PDF and DOCX files inside folders named (not recursive),
    sorted by name. A path that does not exist raises FileNotFoundError."""
    found: list[Path] = []
    for item in map(Path, inputs):
        if item.is_dir():
            found += sorted(
                p for p in item.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
            )
        elif item.is_file():
            found.append(item)
        else:
            raise FileNotFoundError(f"no such file or folder: {item}")
    return found
