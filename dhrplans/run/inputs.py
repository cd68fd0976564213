"""What a run reads: files named, the plans inside folders named, and the user vocabulary."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dhrplans.schemas import vocab
from dhrplans.schemas.vocab import UserVocabulary

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


def user_vocabulary(folder: str | Path | None = None) -> UserVocabulary | None:
    """The user vocabulary of a run: `folder`, else ``vocab/`` in the current folder when
    there is one, else none. Checked before any work: a VocabularyError names the file
    and line (the agency rows are also checked against the registry)."""
    from dhrplans.normalise.agencies import AgencyRegistry

    chosen = Path(folder) if folder is not None else vocab.default_folder()
    if chosen is None:
        return None
    loaded = vocab.load(chosen)
    if loaded.agencies:
        try:
            with vocab.active(loaded):
                AgencyRegistry.load()
        except ValueError as exc:
            raise vocab.VocabularyError(f"{chosen / vocab.AGENCIES}: {exc}") from None
    return None if loaded.empty else loaded
