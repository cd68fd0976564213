"""Every tunable of the extract and normalise stages, in one frozen object.

Like pdfplumber's `TableSettings`: the numbers that decide what a table, a row, a
heading or a header is are named here with what they mean, and passed down
explicitly (`extract_document(..., settings=...)`, `normalise_document(...,
settings=...)`), so a run, a test or an experiment can change one without editing
code. Lengths are in PDF points; shares are 0..1; scores are rapidfuzz's 0..100.
Each field says which property of many plans it relies on.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class HeaderSettings:
    """When printed text reads as column labels (against schemas/header_synonyms.csv)."""

    #: A phrase on a page scores at least this against a label synonym (or as its first
    #: words, for a label wrapped over lines) to count as a header phrase.
    phrase_score: float = 85.0
    #: A wrapped label shows only its first words: the prefix score is discounted.
    wrapped_prefix_factor: float = 0.95
    #: A printed label scores at least this against a synonym to map to its field.
    label_cutoff: float = 80.0
    #: A label that opens with a known label and adds words ("Action required").
    prefixed_label_score: float = 86.0
    #: A label written as a question may follow up to this many words that name it
    #: ("Specific - what will be done?", "Time-bound - by when?").
    cue_lead_words: int = 2
    #: A label broken letter by letter in a narrow column ("R e f"), compared without
    #: spaces, must score this; its score is then discounted by the factor below.
    squeezed_cutoff: float = 92.0
    squeezed_factor: float = 0.9
    #: The other half of a label printed in two languages ("Cyf / Ref") scores below
    #: this against every synonym: it is no label, the known half names the field.
    foreign_label_cutoff: float = 60.0
    #: A header row has at least this many label cells (fewer when the row has fewer)...
    min_labels: int = 3
    #: ... and at least this share of its filled cells read as labels.
    label_share: float = 0.6
    #: A one-row ruled table whose header score reaches this is a header boxed by its
    #: shading over an unruled body, not a table: the text engine reads header and body.
    lone_header_score: float = 0.5


@dataclass(frozen=True, slots=True)
class LayoutSettings:
    """Page geometry: lines, columns, rows, headings, running headers (extract/)."""

    #: Words whose tops differ by less than this sit on one printed line.
    line_tolerance: float = 2.5
    #: Gap between two phrases of a line (a column gutter): at least this many points,
    #: and at least this many times the page's word spacing.
    gutter_min: float = 3.5
    gutter_space_factor: float = 1.8
    #: ... and wider than this share of the line's own type size: the page's spacing is
    #: the body's, and a heading set larger has word spaces of its own type (0.2-0.35 em
    #: in common fonts), which are no gutter.
    gutter_em: float = 0.4
    #: Pages with at least this many ruling lines and boxes are ruled: when pdfplumber
    #: finds no grid on them, camelot reads the rules from the page image.
    min_rulings: int = 6
    #: A filled rectangle thicker than this both ways is shading (a cell background), not
    #: a rule: grids are read from lines and thin boxes only.
    rule_max_thickness: float = 4.0
    #: Edges of a drawn grid closer than this are one edge.
    edge_tolerance: float = 2.0
    #: A cell box covering at least this share of a grid cell is that cell.
    cell_cover: float = 0.6
    #: A fill whose RGB components differ by this much is a colour, not grey or white (a
    #: text-engine table's empty cell in a colour is kept: RAG shown as colour alone).
    colour_spread: float = 0.25
    #: pdfplumber's grid gets camelot's second opinion when its table score (share of
    #: header labels) is below this, and a rival replaces it when they overlap by more
    #: than `rival_overlap` of the smaller box and it scores higher.
    doubtful_score: float = 0.3
    rival_overlap: float = 0.5
    #: A doubtful grid whose top row holds one label of at most this many words per
    #: column has whole columns (a glossary, a sign-off table): no second opinion.
    label_max_words: int = 4

    # Text-aligned tables (no vertical rules): columns start where header labels start.
    #: A word starting this far left of a column start still belongs to the column.
    column_start_slack: float = 1.5
    #: A word ending this far past the next column's start runs across the gutter.
    column_overrun: float = 1.0
    #: Left edges of header phrases closer than this are one column start.
    column_cluster: float = 3.0
    #: Lines of one header: same weight, type size within this many points, and a gap
    #: under this share of the line height.
    header_size_step: float = 0.5
    header_line_gap: float = 0.8
    #: A header label may wrap over this many lines below the header's first line.
    header_wrap_lines: int = 3
    #: A gap over this share of the line pitch between two lines opens a new row.
    row_gap_pitch: float = 0.8
    #: A banner's line ended within this share of the table width from its right edge
    #: (it wrapped), and the next line starts within `same_left_edge` of it.
    banner_wrap_share: float = 0.15
    same_left_edge: float = 2.0
    #: A ref broken by a narrow column fills the column: its last word ends within this
    #: many character widths of the gutter.
    ref_fill_chars: float = 2.0
    #: Word wraps a cell's line only when its next word does not fit: a line whose
    #: next word (space included, a space being this share of the type size) would
    #: still fit before the widest line of its column did not wrap there.
    wrap_space_share: float = 0.25
    #: A word parts at a border between two cells when the border runs this far inside it
    #: (points), at a change of case or kind within this many characters of the border.
    border_overrun: float = 1.0
    border_split_chars: float = 2.5
    #: Room (points) the next word must leave before that widest line, for measuring.
    wrap_fit_slack: float = 1.0
    #: Two form blocks (label | value, one action each) are apart by a gap of more than
    #: this many line heights; the lines of one block are closer.
    form_gap_lines: float = 0.8
    #: A "Label: value" line (a form with no table) ends its label with a colon within
    #: this many words.
    colon_label_words: int = 5
    #: A horizontal rule at least this long (points) can part a form's rows (a form's
    #: rules span both its columns; an underlined word's is shorter).
    form_rule_min_width: float = 72.0
    #: A horizontal rule spanning at least this share of the table's width is a row rule.
    rule_width_share: float = 0.6
    #: Line pitch when a table has one line (line height times this, or the default).
    pitch_height_factor: float = 1.3
    default_pitch: float = 10.0
    #: The table body stops at a line in larger type than the body (by this much), at a
    #: line starting this far left of the first column, or at a gap of this many lines.
    body_heading_step: float = 0.6
    body_left_overhang: float = 12.0
    body_gap_lines: float = 2.5
    #: A page with no header continues the last page's columns when at least this share
    #: of its first `align_lines` lines start their phrases within `align_slack` of them.
    align_share: float = 0.7
    align_lines: int = 30
    align_slack: float = 3.0

    # Headings, titles and page furniture.
    #: A heading sits at most this many of its line heights above its table, in at most
    #: two lines at most `heading_line_gap` line heights apart; it is bold, larger than
    #: body type by `heading_size_step`, or narrower than `heading_width_share` of the page.
    heading_gap_lines: float = 4.0
    #: A heading (or a recommendation printed as a paragraph over its table) has at most
    #: this many lines.
    heading_max_lines: int = 16
    heading_line_gap: float = 0.6
    heading_size_step: float = 0.5
    heading_width_share: float = 0.5
    #: A heading's lines start within this of one left edge, or share a middle within it.
    heading_align_slack: float = 3.0
    #: A block of lines not all bold, of at least this many words ending in a full stop,
    #: is prose (narrative in larger type than the table's), not a heading.
    heading_prose_words: int = 8
    #: An introduction of at most this many lines between a heading and its table ("X has
    #: agreed the actions below.") leaves the heading to the table; a longer paragraph is
    #: narrative, and no heading is read over it.
    heading_intro_max_lines: int = 2
    #: The title is the first block of page 1 in type within this of its largest.
    title_size_slack: float = 1.0
    #: A contents page: at least `contents_entries` lines in turn, each an entry then its
    #: page number set apart at the line's end (a tab's gap of at least
    #: `contents_number_gap` ems, or dot leaders). The line over them is the contents'
    #: heading, not the title's second line.
    contents_entries: int = 2
    contents_number_gap: float = 2.0
    #: Running headers/footers: the same text (numbers aside) at a page edge on at least
    #: this many pages and this share of the pages.
    furniture_min_pages: int = 3
    #: How many lines at a page's top and foot a running header or footer may take (the
    #: same text at one height on every page of a size).
    furniture_depth: int = 3
    #: A line of known labels at one height on every page is still furniture when it is
    #: one phrase of at least this many words (a running title, not a repeated header).
    furniture_title_words: int = 4
    furniture_page_share: float = 0.4
    #: A lone number at a page edge is its page number when within this of the page's.
    page_number_slack: int = 2


@dataclass(frozen=True, slots=True)
class CellSettings:
    """Joining a cell's printed lines: was a word broken by a narrow column? (character
    widths from the column's text edge)."""

    #: A line ending this close to the column's edge filled the column.
    filled_chars: float = 1.2
    #: A hyphen or fragment this close to the edge was broken by the column.
    near_chars: float = 3.0
    #: Every line but the last this close to the edge: a very narrow column.
    narrow_chars: float = 1.5


@dataclass(frozen=True, slots=True)
class PlanSettings:
    """What rows and columns mean (normalise/plan.py)."""

    #: An agency matched with a score below this is flagged.
    agency_score_ok: float = 90.0
    #: The section's agency taken for a cell that starts with a role (FORMAT.md: a role
    #: names the section's organisation) scores 80, a documented rule, not flagged; a cell
    #: not understood at all scores 50: the section's agency is then a guess, flagged.
    agency_section_score_ok: float = 80.0
    #: A status column is the plan's RAG column when this share of its values are colours.
    rag_column_share: float = 0.6
    #: A row opening the page under a header the page broke is the header's rest when
    #: no cell of it holds more words than this ("n / Action", "(Y/N)").
    header_rest_max_words: int = 3
    #: A header cell of two lines in two languages ("Arweinydd" over "Lead") holds no more
    #: words than this (a longer cell is data, never scored as a label).
    bilingual_label_max_words: int = 8
    #: Share of a progress column's cells that must be status words alone ("Complete",
    #: "On track") for it to be read as the status column (when the plan has none).
    status_column_share: float = 0.8
    #: A column whose label names several fields is read as the one at least this share
    #: of its cells fit (else the label's usual reading).
    content_share: float = 0.5
    #: An officer's column is the lead agency when at least this share of its cells name
    #: an agency and no role ("Responsible Officer" over agency names only).
    officer_agency_share: float = 0.8
    #: A status cell is a few words; longer text that opens with a status word ("In
    #: progress - change scheduled for ...") is an update, no evidence of a status column.
    status_max_words: int = 6
    #: Recommendations listed as numbered paragraphs outside the tables: each item has at
    #: least this many words (a report's numbered section titles have fewer), and its
    #: wrapped lines sit at most `listed_line_gap` line heights apart.
    listed_recommendation_words: int = 5
    listed_line_gap: float = 1.0
    #: A lead column ("Lead", "By whom") naming registry agencies in at least this share of
    #: its cells is the lead agency column, whatever its other cells (role titles) say.
    agency_column_share: float = 0.3
    #: Conservation: a line no table took is a row of a table printed above it when two
    #: of its phrases start within this of the table's column edges (a cell's padding).
    loose_row_slack: float = 8.0
    #: A recommendation label cell ("Recommendation 3") is at most this long.
    rec_label_max_chars: int = 40
    #: A numbered paragraph above a table is a recommendation (not a section heading)
    #: when its text has at least this many words ("3. Police" is a heading).
    rec_heading_min_words: int = 6
    #: A table's header may sit this many rows down when the rows above it hold nothing
    #: or only a title (a spreadsheet's title and spacer rows inside its gridlines).
    header_search_rows: int = 4


@dataclass(frozen=True, slots=True)
class ConfidencePenalties:
    """What each doubt costs a record's confidence (1.0 less the sum, floored)."""

    agency_fuzzy: float = 0.2
    agency_unregistered: float = 0.3
    date_guessed: float = 0.05
    status_unrecognised: float = 0.2
    ocr: float = 0.25
    inferred_grid: float = 0.05
    floor: float = 0.05


@dataclass(frozen=True, slots=True)
class OcrSettings:
    """Reading scanned pages cell by cell (extract/cellocr.py) and the checks on what OCR
    read (normalise/ocrfix.py). Word confidences are Tesseract's, 0..100."""

    #: A cell is read from a crop of its page rendered at this resolution: Tesseract reads
    #: type best at about 300 dpi, and a scan made at less is upsampled to it.
    cell_dpi: int = 300
    #: White border (points) put around a cell's crop: Tesseract misreads text touching
    #: the edge of its image.
    crop_border: float = 4.0
    #: A word read with doubt (below `keep_first_pass` + 10) over a run wider than this
    #: many line heights per letter is a piece of a rule or a fill's edge: dropped.
    phantom_width: float = 3.0
    #: A cell whose words read alone reach a mean confidence below this keeps the text
    #: of the whole-page pass (empty or not): specks and shading read as letters.
    keep_first_pass: float = 40.0
    #: A crop with fewer dark pixels (at cell_dpi) than this is blank: specks of noise.
    min_ink_pixels: int = 40
    #: Gaussian blur (pixels at cell_dpi) of the page image: an upsampled black-and-white
    #: scan is made of square blocks, and Tesseract reads smooth strokes better.
    blur: float = 0.8
    #: Cells whose grid is drawn are cropped this far inside their rules (points), so the
    #: rules are not read as letters; other cells this far outside their text.
    drawn_inset: float = 1.0
    text_pad: float = 2.0
    #: Dark runs at least this long (points) are table rules, removed from the page image
    #: before cells are read: no letter is this long.
    rule_min_length: float = 14.0
    #: ... and darker than this grey level (0..255): shaded rows are lighter.
    rule_ink: int = 128
    #: ... and thinner than this (points): a darker, thicker area is a fill (a header
    #: row printed light on dark), kept, and its cells read turned over.
    rule_max_thickness: float = 3.0
    #: A value read with a word below this confidence is checked against what its column
    #: may hold (refs, dates, status and RAG words) and corrected to the nearest valid form.
    low_confidence: float = 80.0
    #: A status or RAG word is corrected to a vocabulary form scoring at least this
    #: (rapidfuzz ratio).
    vocabulary_score: float = 80.0
    #: A document's time limit (`--timeout`) grows by this for each page it OCRs: a
    #: scanned page takes 10 to 30 s (OCRmyPDF, then cell by cell) on a shared core.
    seconds_per_page: float = 60.0
    #: Records whose words were read below this mean confidence are warned about.
    warn_confidence: float = 70.0
    #: A scanned page's phrases start within this (points) of the columns carried from
    #: the page before (`LayoutSettings.align_slack` on born-digital pages): each page
    #: is turned straight and placed on its own, a few points from where the last one was.
    align_slack: float = 6.0
    #: A scanned word starting this far left of a column start still belongs to the
    #: column (`LayoutSettings.column_start_slack` on born-digital pages): OCR's word
    #: boxes start a point or two off the letters, capitals further left.
    column_start_slack: float = 4.0


@dataclass(frozen=True, slots=True)
class Settings:
    """All tunables; `Settings()` is the default the pipeline runs with."""

    headers: HeaderSettings = field(default_factory=HeaderSettings)
    layout: LayoutSettings = field(default_factory=LayoutSettings)
    cells: CellSettings = field(default_factory=CellSettings)
    plan: PlanSettings = field(default_factory=PlanSettings)
    penalties: ConfidencePenalties = field(default_factory=ConfidencePenalties)
    ocr: OcrSettings = field(default_factory=OcrSettings)


DEFAULT_SETTINGS = Settings()
