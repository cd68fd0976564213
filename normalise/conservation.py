"""Conservation: every word printed inside an action-plan table lands in the output, or is
classified on purpose (a header, a title row, a header repeated on a page, a
recommendation row). A row must never disappear silently.

The reader tallies, row by row, the words of the cells it reads and of those it sets
aside; words of a table inside the plan that no section could read, and lines printed
among a table's rows in its columns that no engine took (a grid cut short), count as
printed in a table but not accounted. The tally per page becomes the document's
`words_in_tables` / `words_accounted` and a warning naming the pages that lost words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dhrplans.extract.model import BBox, LooseLine


def count_words(text: str) -> int:
    return len(text.split())


@dataclass(slots=True)
class Tally:
    """Words printed in action-plan tables, and those accounted for, per page."""

    printed: Counter[int] = field(default_factory=Counter)
    accounted: Counter[int] = field(default_factory=Counter)

    def add(self, page: int, words: int, accounted: bool) -> None:
        self.printed[page] += words
        if accounted:
            self.accounted[page] += words

    def merge(self, other: Tally) -> None:
        self.printed.update(other.printed)
        self.accounted.update(other.accounted)

    @property
    def words_in_tables(self) -> int:
        return sum(self.printed.values())

    @property
    def words_accounted(self) -> int:
        return sum(self.accounted.values())

    def warnings(self) -> list[str]:
        """One warning per page where words printed in a table are not in the output."""
        out = []
        for page in sorted(self.printed):
            lost = self.printed[page] - self.accounted[page]
            if lost > 0:
                out.append(
                    f"page {page}: {lost} of {self.printed[page]} words printed in action-plan"
                    " tables are not in the output"
                )
        return out


def loose_words(
    loose: Iterable[LooseLine],
    placements: Sequence[tuple[int, BBox, list[float]]],
    slack: float,
) -> list[LooseLine]:
    """The loose lines printed as rows of a section's table: below the top of
    one of its tables on that page, within its width, and with at least two phrases each
    starting at one of its columns (a paragraph or heading has one), none running on
    across the start of a column after its own (a cell's text wraps inside its column: a
    closing line whose "Date:" happens to start at a column is prose)."""
    found = []
    for line in loose:
        for page, bbox, edges in placements:
            if page != line.page or line.bbox[1] < bbox[1] - 1:
                continue
            if line.bbox[0] < bbox[0] - slack or line.bbox[2] > bbox[2] + slack:
                continue
            starts = line.phrase_starts
            aligned = sum(any(abs(x - e) <= slack for e in edges[:-1]) for x in starts)
            if len(starts) >= 2 and aligned >= 2 and not _runs_across(line, edges, slack):
                found.append(line)
                break
    return found


def _runs_across(line: LooseLine, edges: Sequence[float], slack: float) -> bool:
    """Some phrase of the line ends past the start of the column after the one it starts
    in (lines made before phrase ends were kept have none to tell)."""
    for start, end in zip(line.phrase_starts, line.phrase_ends):
        later = [e for e in edges[1:-1] if e > start + slack]
        if later and end > later[0] + slack:
            return True
    return False
