"""Which lines printed over a table are its heading: one rule for both readers.

A heading is the short block of lines just above a table (bold, larger than the body
type, or narrower than half the page), or the bold or larger line over a line or two
introducing the table; a caption naming a recommendation by its number joins the
paragraph of its text under it. The PDF reader gives the free lines of a page as it
printed them; the Word reader lays a document's paragraphs out as lines the same way
(extract/docx_reader._laid_out), so both reach the same heading for the same plan.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dhrplans.extract.headers import (
    NAMED_RECOMMENDATION,
    NUMBERED,
    RECOMMENDATION_CAPTION,
    reads_as_prose,
)
from dhrplans.extract.layout import PageLine, split_phrases
from dhrplans.schemas import names_the_document

from dhrplans.settings import LayoutSettings

Headings = tuple[str | None, tuple | None, str | None, tuple | None]


def headings_over(
    top: float,
    free: Sequence[PageLine],
    floor: float,
    page_width: float,
    body: float,
    settings: LayoutSettings,
) -> Headings:
    """A table's heading and the heading over it (with their boxes), from the free
    lines between `floor` (the table before) and `top` (the table's)."""
    heading, box = heading_above(top, free, floor, page_width, body, settings)
    if box is None:
        return heading, box, None, None
    # the heading over a heading: a section's name over a recommendation printed as a
    # paragraph above its table
    outer, outer_box = heading_above(box[1] - 1, free, floor, page_width, body, settings)
    if outer and outer_box is not None and RECOMMENDATION_CAPTION.match(outer):
        # "Recommendation 3" over a paragraph of its text: one heading, the
        # recommendation; the heading over the caption is the section's
        heading = f"{outer.strip().rstrip(':.').rstrip()}: {heading}"
        box = tuple(f(a, b) for f, a, b in zip((min, min, max, max), outer_box, box))
        outer, outer_box = heading_above(outer_box[1] - 1, free, floor, page_width, body, settings)
    return heading, box, outer, outer_box


def heading_above(
    top: float,
    free_lines: Sequence[PageLine],
    floor: float,
    page_width: float,
    body: float,
    settings: LayoutSettings,
) -> tuple[str | None, tuple | None]:
    """The short block of lines printed just above `top` (a table's): its heading."""
    above = [ln for ln in free_lines if floor - 1 <= ln.top and ln.bottom <= top + 1]
    if not above:
        return None, None
    block = [above[-1]]
    if top - block[0].bottom > settings.heading_gap_lines * (block[0].bottom - block[0].top):
        return None, None
    for ln in reversed(above[:-1]):
        if len(block) >= settings.heading_max_lines or block[
            0
        ].top - ln.bottom > settings.heading_line_gap * (ln.bottom - ln.top):
            break
        if abs(ln.size - block[0].size) >= 0.5:
            break  # a heading wrapped over lines keeps one type size
        if ln.bold != block[0].bold and not _reads_as_caption(ln):
            break  # and one weight: plain prose closely set above a bold heading is apart
        if _set_apart(ln, block[0], settings):
            break  # and one alignment: a centred line over a left-aligned heading is apart
        block.insert(0, ln)
    if _in_columns(block, settings):
        return None, None  # a glossary or key printed unruled over the plan: a table
    headingish = (
        all(
            ln.bold
            or ln.size > body + settings.heading_size_step
            or (ln.x1 - ln.x0) < settings.heading_width_share * page_width
            for ln in block
        )
        and not names_the_document(join_heading(block), ("control",))
        and not _introduces(block, body, settings)
    )
    if not headingish:
        caption = _caption_over(above[: len(above) - len(block)], block[0], body, settings)
        if caption is None:
            return _over_introduction(above[: len(above) - len(block)], block, body, settings)
        block = [caption, *block]  # "Recommendation 3" over a paragraph of its text
    text = join_heading(block)
    if not all(ln.bold for ln in block) and reads_as_prose(text, settings):
        # narrative set larger than the table's small type, unless a caption names it as
        # a recommendation ("Recommendation 3" over a paragraph of its text)
        caption = _caption_over(above[: len(above) - len(block)], block[0], body, settings)
        if caption is None:
            return _over_introduction(above[: len(above) - len(block)], block, body, settings)
        if RECOMMENDATION_CAPTION.match(block[0].text):
            return None, None
        block = [caption, *block]
        text = join_heading(block)
    bbox = (
        min(ln.x0 for ln in block),
        block[0].top,
        max(ln.x1 for ln in block),
        block[-1].bottom,
    )
    return text or None, tuple(round(v, 2) for v in bbox)


def _introduces(block: Sequence[PageLine], body: float, settings: LayoutSettings) -> bool:
    """A short sentence in the body's plain type introducing the table ("Actions are set
    out by recommendation."): its words after the first mostly in lower case, ending in a
    full stop, so no name (an agency's heading is in capitals word by word) and no
    numbered recommendation. Short only, it passed for a heading by its width alone."""
    if any(ln.bold or ln.size > body + settings.heading_size_step for ln in block):
        return False
    text = join_heading(block)
    words = text.split()
    lower = sum(1 for w in words[1:] if w[:1].islower())
    return (
        text.rstrip()[-1:] in ".!?"
        and len(words) >= 3
        and 2 * lower >= len(words) - 1
        and not NUMBERED.match(text)
    )


def _set_apart(line: PageLine, under: PageLine, settings: LayoutSettings) -> bool:
    """A line starting right of the line under it without sharing its middle: set in
    another alignment (a centred "Action Plan" over a section heading at the margin), not
    a line of one heading, whose lines start at one edge or (centred) share one middle. A
    line starting left of the next (a numbered paragraph's hanging indent) may be one."""
    slack = settings.heading_align_slack
    middle = abs((line.x0 + line.x1) / 2 - (under.x0 + under.x1) / 2)
    return line.x0 > under.x0 + slack and middle > slack


def _reads_as_caption(line: PageLine) -> bool:
    """A line opening with a recommendation's caption ("Recommendation 3:"), which a
    heading may set bold over the rest of its text in plain type."""
    return bool(RECOMMENDATION_CAPTION.match(line.text) or NAMED_RECOMMENDATION.match(line.text))


def _over_introduction(
    above: Sequence[PageLine], intro: Sequence[PageLine], body: float, settings: LayoutSettings
) -> tuple[str | None, tuple | None]:
    """The heading printed over a short introduction to its table ("The Trust (SHSC) has
    agreed the actions below."): a line or two of body text between an agency's heading
    and its table name no section, the bold or larger line just above them does. A
    longer paragraph is narrative: no heading is read over it."""
    if not above or len(intro) > settings.heading_intro_max_lines:
        return None, None
    line = above[-1]
    # set apart from the introduction's type (narrative may be set larger than the
    # table's body type), and no sentence's end ("... safe at" / "home.")
    strong = (line.bold and not any(ln.bold for ln in intro)) or line.size > max(
        ln.size for ln in intro
    ) + settings.heading_size_step
    gap = intro[0].top - line.bottom
    if (
        not strong
        or names_the_document(line.text)  # the plan's title over its introduction
        or gap > settings.heading_gap_lines * (line.bottom - line.top)
        or line.text.rstrip()[-1:] in ".!?"
        or reads_as_prose(line.text, settings)
    ):
        return None, None
    bbox = (line.x0, line.top, line.x1, line.bottom)
    return line.text, tuple(round(v, 2) for v in bbox)


def _in_columns(block: Sequence[PageLine], settings: LayoutSettings) -> bool:
    """Two or more lines parting at one gutter ("CPS | Crown Prosecution Service" over
    "IMR | Individual Management Review"): a small table set without rules, not a
    heading, whose lines run on as words do."""
    starts = [[p[0]["x0"] for p in split_phrases(ln, settings.gutter_min)[1:]] for ln in block]
    for i, mine in enumerate(starts):
        for theirs in starts[i + 1 :]:
            if any(abs(a - b) <= settings.column_cluster for a in mine for b in theirs):
                return True
    return False


def _caption_over(
    above: Sequence[PageLine], first: PageLine, body: float, settings: LayoutSettings
) -> PageLine | None:
    """A bold or larger line naming a recommendation by its number alone ("Recommendation
    3"), right above a paragraph that is not a heading itself: the caption of that
    paragraph, the recommendation's text, printed over its table."""
    if not above:
        return None
    line = above[-1]
    close = first.top - line.bottom <= settings.heading_line_gap * (line.bottom - line.top) * 2
    strong = line.bold or line.size > body + settings.heading_size_step
    return line if close and strong and RECOMMENDATION_CAPTION.match(line.text) else None


def join_heading(block: Sequence[PageLine]) -> str:
    """A heading's lines as one text. A line ending in a hyphen after a letter broke a
    hyphenated word ("decision-" / "making"): joined without a space."""
    text = ""
    for line in block:
        wrapped = re.search(r"[A-Za-z]-$", text) and line.text[:1].isalpha()
        text = f"{text}{line.text}" if wrapped or not text else f"{text} {line.text}"
    return text.strip()
