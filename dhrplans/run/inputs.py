"""What a run reads: files named, the plans inside folders named, and the user vocabulary."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dhrplans.schemas import vocab
from dhrplans.schemas.vocab import UserVocabulary

INPUT_SUFFIXES = (".pdf", ".docx")


class DuplicateIdError(ValueError):
    """Two inputs would be one document: a document's id is its file name without the
    suffix, so `plan.pdf` and `plan.docx` (or one file named twice) cannot share a run."""


def find_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named, and the PDF and DOCX files inside folders named (not recursive),
    sorted by name. A path that does not exist raises FileNotFoundError; two inputs with
    one file stem raise DuplicateIdError naming them, before any work."""
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
    by_id: dict[str, list[Path]] = {}
    for path in found:
        by_id.setdefault(path.stem, []).append(path)
    clashes = {k: v for k, v in by_id.items() if len(v) > 1}
    if clashes:
        shown = "; ".join(f"{k!r}: {', '.join(map(str, v))}" for k, v in sorted(clashes.items()))
        raise DuplicateIdError(
            f"inputs share a document id (the file name without its suffix): {shown}; "
            "rename one, or run them separately"
        )
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
