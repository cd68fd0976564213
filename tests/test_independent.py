"""Plans from templates the team did not write: 20 plans drawn by an outside tester's own
generator (tests/fixtures/independent/generate.py, python-docx, not tests/fixtures/generate.py),
each rendered as DOCX and as PDF (LibreOffice), with gold written from the same spec.

They were made to find what the pipeline had not learnt (two-row grouped headers, a
"Recommendation and actions" column, a running footer naming the plan, forms per agency,
Welsh bodies...). Each failure class they showed is fixed and has a unit test elsewhere; this
is the ratchet over the whole set. Two gold readings here differ from the team's reading of
FORMAT.md and are left as the tester wrote them (so the floors are below 100): an
"Appendix A: Action Plan" title as a section heading, and a "Lead"/"By whom" column of role
titles as the lead agency's printed text (the team reads it as lead_officer).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_generated import score_sample

SAMPLE = Path(__file__).parent / "fixtures" / "independent"

# Measured on this set (rounded down to 1 decimal); raise when the pipeline improves.
FLOORS = {
    "pdf": {
        "recall": 100.0,
        "precision": 100.0,
        "printed": 99.3,
        "context": 96.0,
        "normalised": 99.6,
    },
    "docx": {
        "recall": 100.0,
        "precision": 100.0,
        "printed": 99.3,
        "context": 96.0,
        "normalised": 99.6,
    },
}


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> dict:
    return score_sample(SAMPLE, tmp_path_factory)


def test_every_plan_scored(scored):
    assert scored["n_docs"] == 2 * len(list((SAMPLE / "gold").glob("*.json")))


def test_every_word_in_an_action_plan_table_is_accounted(scored):
    assert scored["lost_words"] == {}


@pytest.mark.parametrize("kind", ["pdf", "docx"])
@pytest.mark.parametrize("metric", ["recall", "precision", "printed", "context", "normalised"])
def test_not_worse_than_the_floor(scored, kind, metric):
    got, floor = scored[kind][metric], FLOORS[kind][metric]
    print(f"{kind} {metric}: {got:.2f}%")
    assert got >= floor, f"{kind} {metric}: {got:.2f}% is below the floor {floor}%"


# Later outside testers' plans (each from their own generator), taken with their failure
# classes, all fixed since (issue 10's notes), with floors measured after the fixes:
# - independent2 (10 plans, session 3): an agency column merged down its rows under a
#   recommendation banner, label | value | label | value forms, a recommendation as the first
#   row of a small table under a caption;
# - independent3 (12 plans, session 4): bilingual Welsh / English labels, group headers over
#   some columns beside labels merged down both rows, two-line page headers on two-page
#   plans, an agency column on every row, "Green - complete" statuses, boxed tables with no
#   rules between rows, unruled single-spaced rows ("Action 1.1" refs);
# - independent4 (12 plans, session 4): labels written as questions ("What needs to happen",
#   "Who is responsible"), lettered and Roman-numeral recommendations, a separate list of the
#   recommendations named by number in a "Rec" column, a "Done" column of ticks, an officer's
#   column of agency names, a rotated agency column;
# - independent5 (10 plans, session 4), the last measure of that session on templates the
#   code had not seen: recall 85.3%, precision 100%, printed 93.6% (PDF) / 94.4% (DOCX)
#   before its fixes (a label qualified by a word, "Intended action"; a "Recommendation N"
#   caption over a paragraph of its text; words in capitals broken by a narrow column).
# - independent6 (12 plans, session 5; two are spreadsheets printed to PDF, no DOCX), first
#   sight PDF recall 77.6%, precision 88.2%, printed 93.9% (eval's exact figure). Fixed: SMART
#   labels ("Specific - what will be done?"), a header under a title row and blank rows
#   inside a spreadsheet's grid, spreadsheet text running over a cell's border, a "Rec No."
#   column under a list of the recommendations, a merged recommendation cell opening page 2,
#   a heading and a recommendation paragraph at a page's foot. Not yet: an "Agency" column
#   under a group header "Responsibility" read as each row's section (FORMAT.md reading).
# - independent7 (8 plans, session 5, the born-digital side of a scan tester's set): first
#   sight PDF recall 92.8%; fixed: rules boxing only the header, an evidence column of updates.
# - independent8 (12 plans, session 5): first sight PDF recall 89.4%, precision 96.6%, printed
#   92.2% (eval's exact figure; DOCX 90.6 / 96.7 / 94.3). Fixed: a table per recommendation
#   with its title row inside, an agency column set sideways (PDF), the plan's title line
#   over a part's heading, "Label: value" lines with no table (PDF: its actions are read,
#   its "Agency: X" line is not yet its section). Not yet: the Word side of that form, a
#   table set in two halves side by side (t8-07).
# - independent9 (12 plans, session 5, the session's last measure on templates the code had
#   not seen): first sight recall 100%, precision 100% (PDF and DOCX), printed 94.1% (PDF) /
#   95.0% (DOCX) by eval's exact figure. Fixed: "Argymhelliad / Recommendation N" banners,
#   "Key milestones / target date", a group row over an unruled header, RAG as a cell's
#   colour alone in a row-ruled table. Not yet: a repeated recommendation's piece at the top
#   of a page (t9-04), lead officer or agency for a column of acronyms or roles (t9-03, 07,
#   11: normalised agency right).
# - independent10 (25 plans, session 6): its first 12 plans were the first-sight measure of
#   templates the code had not seen: recall 100%, precision 100%, printed 99.58% (PDF and
#   DOCX alike); 13 harder plans written after (t10h-*, t10p-*): PDF 88.1 / 92.5 / 86.3 and
#   89.7 / 100 / 95.9. Fixed: "Completed (date)" of dates, "Lead Officer/Agency" as no
#   owner column, numbered recommendation rows over unnumbered actions, a progress column
#   of status words, a header in two languages one line over the other, lead and date
#   cells merged down several actions, a title row inside each agency's table, card forms
#   ("Ref: 1.1 | Lead: X" in each cell). Not yet: unruled per-recommendation label | value
#   tables whose labels repeat per action (t10h-06).
# - independent11 (12 plans, session 6; p01's PDF printed from a spreadsheet, its DOCX a
#   Word copy), first sight (code of 05:14): PDF 96.15 / 96.15 / 97.00, DOCX 100 / 100 /
#   97.80. Fixed: a header the page broke, an Agency column beside "Responsible Lead", a
#   "Status update" column of sentences, "Summer '23", council initialisms keeping "and",
#   an organisation with its officer's role after a dash, a form's export stamp over its
#   agency heading (Word), a "Label: value" form's first line alone at a page's foot, a
#   glossary's short names ("Cambs Police"). Not yet: a short name defined in a footnote
#   ("Harbour*").
# - independent12 (12 plans, session 6, the session's last first-sight measure, code of
#   05:44): PDF 100 / 85.7 / 90.5, DOCX 100 / 100 / 95.8. Fixed: page headers and footers
#   of three lines, furniture at heights of its own on landscape pages after portrait ones
#   (a report with the plan as its appendix), a running title that reads as labels, "End
#   Date" beside "Start Date"; (session 7) a tracker's "Rec No." beside a recommendation
#   repeated on every row (p12: 83.3 -> 100 printed). Not yet: the plan's own title as the
#   section (p03, p06: a FORMAT.md reading; our gold renders the title apart from the
#   sections' headings); struck-through text (p09).
# - independent13 (12 plans, session 7), first sight (code 33f57b6): PDF 86.3 / 98.5 / 93.7,
#   DOCX 78.4 / 100 / 96.2. Fixed: a misspelt word inside a label ("Agreed Actoin": a table
#   of 20 actions was no plan), a line introducing the table under its heading, a table
#   typed with tab stops (Word), recommendations listed as numbered paragraphs before a
#   table citing "Rec N", a year broken after its century ("30/04/20 13"), prose set close
#   above a bold recommendation heading, a "Label: value" form broken by the page. Not yet:
#   a table run through a two-column page layout (p06); a "Responsible officer" column of
#   "Role (Agency)" cells (p03: lead officer or agency, a FORMAT.md reading).
# - independent14 (12 plans, session 8), first sight (code 0e75aa1): PDF 83.8 / 84.6 / 96.3,
#   DOCX 100 / 90.5 / 92.2. Fixed: a two-row header whose upper cell groups columns
#   ("Progress" over Update | Date | RAG: "Date" there is the completion date), unruled
#   Letter pages in capitals with "1 | text" banners, a progress log's update rows under an
#   action, "i"/"ii" action numbers in the recommendation column under "1." banners, an
#   unnumbered recommendation numbered by its actions' refs ("3.1"), an agency heading boxed
#   in a one-cell Word table, a glossary ruled only across (its acronyms).
# - independent15 (12 plans, session 8), first sight (code a343ae0): PDF 100 / 99.1 / 97.6,
#   DOCX 100 / 99.1 / 96.6. Fixed: a "Total" row under the actions, an ICB defined after
#   its body's full name, a header label turned to read bottom to top (p07, PDF), prose or
#   a version line over the table as the heading (Word), the plan's title over a line
#   introducing the table (PDF). Not yet: an Agency column beside a printed heading (p06:
#   FORMAT.md's "instead of a heading" read as the heading winning).
# - independent16 (12 plans, session 8), first sight (code 731a33f): PDF 100 / 95.0 / 92.9,
#   DOCX 100 / 100 / 93.5. Fixed: "Completion Due" (the target), "IMR Ref", "Responsible
#   Manager", agency-name rows across one shared table (p06), "Recommendation N | text
#   merged across" rows with the label broken inside its word (p02, PDF). Open: "Responsible
#   Lead" over roles (p08: officer or the lead agency's printed text), a "Rec" column
#   repeating the number (p06: ref or not), a title row in the table (p07): readings.
# - independent18 (12 plans, session 9), first sight (code 4aa6546), eval's printed (context
#   included): PDF 100 / 100 / 94.35, DOCX 100 / 100 / 94.63. Fixed (branch numbering2):
#   lower-case Roman numbers in a merged Recommendation column ("i. ..."), "Recommendation
#   (a):" banners, a "Rec" column of refs "a1", "a2". Open: short names of bodies not in the
#   registry (since resolved: county abbreviations, initialisms, the plan's area), a running
#   page header pulled into a recommendation at a page break (PDF: fixed, geometry2), the
#   "Learning" column (a reading).
# - independent17 (12 plans, session 9), first sight (code 4aa6546), eval: PDF 98.0 / 100 /
#   95.85 / 95.82 (normalised), DOCX 100 / 100 / 95.81 / 95.90. Fixed: words broken by a
#   narrow column in an Agency column and in header labels, a pairs form whose wrapped
#   labels the page cut, "Acheivement date", "Outcome / Evidence" beside "Progress", "Yet
#   to commence", a role before a local body, a short name printed in full in a banner.
# - independent19 (12 plans, session 9, code 9d6a7f7): PDF and DOCX 93.3 / 100 / 100 / 100:
#   SMART column labels (Specific | Measurable | Achievable | Relevant | Timely) made no
#   header and the plan was lost. Fixed (schemas: header synonyms).
# - independent20 (12 plans printed as a report's appendix, session 9, code 3665da1): 92.47
#   / 96.63 / 95.38 / 95.44 (PDF and DOCX alike). Fixed: "Timescale" over "Start | End" and
#   "Responsibility" over "Agency | Officer", "Objective | Task" labels, "Actions to be
#   agreed" (no action yet), a glossary's short name of a local body, a summary or key
#   table carried over the page.
# - independent21 (12 plans of irregular tables, session 9, code 669655c): PDF 100 / 98.88
#   / 95.16 / 98.31, DOCX 95.45 / 98.82 / 94.93 / 98.23. Fixed: a sign-off row, Symbol-font
#   bullets (U+F0B7) in the PDF, agency sub-heading rows inside the table, a headerless
#   continuation table (DOCX), "Rationale:" rows after a recommendation (rows21). Open:
#   bullets in the gold (a reading), an Agency column beside a printed heading (a reading).
# - independent22 (12 plans testing agency names, session 9, code 669655c): 100 / 100 /
#   97.98 / 94.64 (lead agency 77.7), PDF and DOCX alike. Fixed: "Lead Agency/Agencies" as
#   an owner column (p devon: printed 75 -> 100), council departments. Open when measured:
#   renamed trusts under old names, roles around local bodies, local acronyms (floors below
#   cover recall, precision and printed; normalised is measured by eval). After agencies3
#   (renamed trusts, departments in a cell's parts, "Police" as the plan's own force):
#   lead agency 77.7 -> 95.1 (eval).
# - independent23 (12 plans drawn at random from ordinary choices, session 9, code
#   8b364c5): PDF 94.78 / 80.15 / 87.61 / 92.13, DOCX 100 / 100 / 87.03 / 90.37 (eval).
#   Fixed: "Action Status", "How monitored", "Date Achieved". Open: see the floor.
# Session 10 (first sight -> after, eval's recall / precision / printed / normalised; PDF,
# DOCX where it differs):
# - independent24 (ordinary random plans, code 95d596e): PDF 92.0 / 100 / 98.5 / 96.4 (a
#   Word "Medium Shading 1" table lost, a status label with its values in brackets, a local
#   body beside a role in another body's table), DOCX 100 / 100 / 98.8 / 96.7.
# - independent25 (long plans over 2-4 pages): 100 / 100 / 99.1 / 98.6 (a dated entry
#   glued to a sentence the page ended; a housing company read as a health body; bare
#   "Q3 2024" read as a financial quarter: FORMAT.md is silent, left as is).
# - independent26 (2011-2016 style, Word table styles with shading and few rules): PDF
#   58.4 / 100 / 95.6 / 93.9, DOCX 100 / 100 / 99.6 / 97.3 (branches shaded, agencies4,
#   rows27).
# - independent27 (Home Office 2020s template): 100 / 100 / 98.5 / 98.9. Open: a title
#   directly over the table read as the heading by this tester's gold only (context).
# - independent28 (ordinary random plans in Word's built-in styles): PDF 56.4 / 100 / 98.4 /
#   97.8 ("Light List" tables skipped whole), DOCX 100 / 100 / 100 / 97.7.
# - independent29 (unusual column sets): 94.7 / 100 / 98.0 / 97.3 ("What:" label unknown,
#   "Owner" of bodies not in the registry, "By whom").
# - independent30 (the plan inside a document): 100 / 95.2 / 99.9 / 99.3 (a summary table of
#   the recommendations read as actions, numbering continued across tables, a contents
#   heading joined to the title).
# - independent31 (ordinary random plans, code 3d4b568): 100 / 100 / 99.2 / 100, PDF and
#   DOCX alike: the first sample of an outside tester's at the 99% bar on first sight.
# - independent32 (plans imitating real partnerships', 3d4b568): 91.5 / 91.5 / 97.7 / 99.3
#   (a misspelt "Reccomendation No." and "Action Taken / Planned" lost a plan).
LATER = {
    "independent2": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    "independent3": {"pdf": (100.0, 100.0, 99.9), "docx": (100.0, 100.0, 100.0)},
    "independent4": {"pdf": (100.0, 100.0, 99.9), "docx": (100.0, 100.0, 100.0)},
    "independent5": {"pdf": (100.0, 100.0, 96.5), "docx": (100.0, 100.0, 96.5)},
    "independent6": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    "independent7": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    "independent8": {"pdf": (93.1, 96.7, 98.2), "docx": (94.3, 96.7, 98.1)},
    "independent9": {"pdf": (100.0, 100.0, 97.7), "docx": (100.0, 100.0, 97.7)},
    # PDF re-measured after the form-plan work (branch forms6): t10h-06 went from no
    # record to 5 of 5, recall 97.1 -> 100, and its new records' text lowered printed
    # from 100 to 99.5: a floor moved on purpose.
    "independent10": {"pdf": (100.0, 100.0, 99.5), "docx": (98.3, 100.0, 99.8)},
    "independent11": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    "independent12": {"pdf": (100.0, 100.0, 98.4), "docx": (100.0, 100.0, 98.6)},
    "independent13": {"pdf": (99.3, 98.7, 97.6), "docx": (100.0, 100.0, 98.0)},
    "independent14": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    "independent15": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    "independent16": {"pdf": (100.0, 100.0, 97.3), "docx": (100.0, 100.0, 97.3)},
    "independent17": {"pdf": (100.0, 100.0, 99.8), "docx": (100.0, 100.0, 100.0)},
    "independent18": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    "independent19": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    "independent20": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    "independent21": {"pdf": (100.0, 100.0, 97.6), "docx": (100.0, 100.0, 97.6)},
    "independent22": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    # p lancashire (PDF): an unruled table beside a merged recommendation column read each
    # wrapped action line as an action (94.7 / 80.1 before the unruled23 merge)
    "independent23": {"pdf": (100.0, 100.0, 99.8), "docx": (100.0, 100.0, 100.0)},
    "independent24": {"pdf": (100.0, 100.0, 99.7), "docx": (100.0, 100.0, 100.0)},
    "independent25": {"pdf": (100.0, 100.0, 98.9), "docx": (100.0, 100.0, 98.9)},
    "independent26": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    "independent27": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    "independent28": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    "independent29": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    "independent30": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    # "Outcome achieved" over progress notes (bradford) is read as desired outcome, as
    # independent5's gold reads the same label over outcomes: testers' readings differ
    "independent31": {"pdf": (100.0, 100.0, 98.8), "docx": (100.0, 100.0, 98.8)},
    # context 93.7: an "Agency" / "Organisation" column beside a printed heading that names
    # no agency is read as the heading (FORMAT.md's "instead of a heading"); this tester's
    # gold keeps the printed heading (a reading, left open)
    "independent32": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    # independent26's plans re-rendered in 24 of Word's built-in table styles (session 10,
    # first measured on 1449e5f: PDF recall 85.2-92.1% per batch of 12, "Colorful Shading"
    # and "Medium Grid 2 Accent 1" plans reading nothing; 100% after styles2)
    "word-styles": {"pdf": (100.0, 100.0, 99.5), "docx": (100.0, 100.0, 99.7)},
    # ordinary random plans (seed 3333), first sight on cb6086f: PDF 100 / 100 / 97.9 / 98.9
    # (eval), DOCX 100 / 100 / 100 / 100; barnet's PDF (a "Light List" table: a merged
    # cell no rule closes, rows under the grid's last rule, a closing line pushed to the
    # next page) lost 18 words; 100 on every figure since session 11
    "independent33": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    # long plans (2-5 pages, 12-25 actions, rows broken by pages) in ruled and borderless
    # styles (seed 3434), first sight on 56e669e (eval): PDF 97.6 / 98.6 / 96.6 / 100, recs
    # 75.7% (a Light List plan's pages 3-5 skipped, 387 words lost), DOCX 100 / 100 / 99.1
    # (after session 11's fixes: 100 / 100 / 98.7 PDF and DOCX alike, no word lost; the
    # rest is a "Rec No." column of bare numbers, read as the recommendation's number,
    # that this tester's gold reads as the action's ref, a reading left open)
    "independent34": {"pdf": (100.0, 100.0, 98.7), "docx": (100.0, 100.0, 98.7)},
    # older-style plans (seed 3535: agency rows inside the table, a separate list of the
    # recommendations, free-text notes holding the status), first sight on 56e669e
    # (eval): PDF 100 / 99.4 / 89.2 / 98.7, recs 64.4%; DOCX 100 / 100 / 96.5 / 98.7
    # (100 / 100 / 100 PDF and DOCX after session 11's fixes)
    "independent35": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    # action plans as the appendix of a long report (narrative, chronology and glossary
    # tables before it, landscape sections, bilingual labels, forms; seed 3636), first
    # sight on 8cf56f6 (eval): 100 / 100 / 100 / 100, PDF and DOCX alike; recommendation
    # precision 88.4% (a form plan repeating its recommendation over each form); 5 PDFs
    # warned of lost words (a sign-off line under the table), mended in 52b4e52
    "independent36": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    # ordinary plans from all over England and Wales (seed 3737), first sight on d113e3d
    # (eval): 100 / 100 / 96.5 / 98.9 PDF and DOCX, recommendations 59.0% / 64.6% (lists
    # of the recommendations apart from the table, numbered once each, in Roman numerals,
    # out of order, or ending right over the table; acronyms with a digit; a council
    # renamed on city status; local bodies naming headings): 100 on each after the fixes
    "independent37": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    # ordinary random plans (seed 3838), first sight on 26f5549 (eval): PDF 100 / 99.0 /
    # 93.8 / 99.3, DOCX 100 / 100 / 95.4 / 99.5: a section heading set larger than a title
    # at body size read as the title, a recommendation opening a page glued to the last,
    # a merged cell cut at a row line, a heading over an unruled table read as a row; a
    # "Status (RAG)" column of colours read as the RAG column (a reading: FORMAT.md's
    # example maps the label to status); since fixes38 a merged cell is whole past its
    # first row and a heading between two grids is no row: PDF 100 / 100 / 96.5, as DOCX
    "independent38": {"pdf": (100.0, 100.0, 96.5), "docx": (100.0, 100.0, 96.5)},
    # northern English and Welsh council plans after a long report (seed 3939), first
    # sight on 94322b2 (tester's eval): PDF 100 / 100 / 97.8 / 99.2, recommendations
    # 93.2 / 92.0 (an outcome label read as progress, a possessive wrapped at its
    # apostrophe, an unruled glossary's local body, a Recommendation / Action column
    # unruled, a repeated recommendation cut by a page); DOCX 100 / 100 / 98.9 / 99.7.
    # Its "NCUH" leads are read as the successor trust (trust_successors.csv), a reading.
    # PDF 100 / 100 / 100 / 100 after fix39 (the unruled column, the page-cut repeat)
    "independent39": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    # 2020s plans of the south and midlands (seed 4040), first sight on 94322b2 (eval):
    # PDF 100 / 100 / 95.4 / 95.6, DOCX 100 / 100 / 96.0 / 95.6: labels unknown ("Action
    # ID", "Due", "Start – End"), local "Body – Role" leads, a partial initialism, a
    # subtitle read as a form plan's heading, narrow columns joining words; after session
    # 12's fixes 100 / 100 / 100 / 100, PDF and DOCX (context 97.4: the subtitle, a reading)
    "independent40": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    # the same tester's harder round (seed 4041, made after round 1 was scored): banners
    # over an agency column merged down, shaded agency rows in an unruled table, a
    # recommendation label in each form, "Y – date" completion cells; first sight PDF 100 /
    # 98.8 / 90.5 / 95.7, DOCX 100 / 100 / 93.9 / 96.9; after the fixes 100 / 100 / 100
    "independent40r2": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    # ordinary plans in Word's built-in table styles, rows broken by pages (seed 4141),
    # first sight on 4f00c5a (tester's eval): 100 / 100 / 99.8 / 100, PDF and DOCX alike,
    # recommendations 78/80 (two with one wording joined: mended where refs number them)
    "independent41": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    # awkward layouts (seed 4242: continuation pages with no header, two tables side by
    # side, Roman numerals, footnotes, totals and sign-off under the table, 7 pt long
    # cells, bilingual labels), first sight on 4f00c5a (tester's eval): PDF 88.5 / 98.9 /
    # 99.0 / 100, DOCX 92.3 / 99.0 / 100 / 100 (a blank page between a table and its
    # headerless rest, a totals row with its count, the DOCX of p02 whose action tables
    # sit in the cells of a borderless layout table: mended); p02's two side-by-side
    # headings, joined in the PDF (context 97.4), parted at the tables' gap since fix42
    "independent42": {"pdf": (100.0, 100.0, 100.0), "docx": (100.0, 100.0, 100.0)},
    # - independent46 (full-grid tables with content at the edges of FORMAT.md's rules: refs
    #   with the review's name or letters, "<role>, <body>" leads, financial years, percentage
    #   statuses), first sight on f3a582e: PDF and DOCX alike 97.2 / 97.2 / 97.7, context 96.3,
    #   normalised 95.3 (a financial year alone read as no date; "% Complete" statuses; a
    #   "Status Update" column beside "Status"; an action column labelled "Recommendation
    #   Action"; refs carrying the review's name with no recommendation text).
    "independent46": {"pdf": (97.2, 97.2, 97.6), "docx": (97.2, 97.2, 97.6)},
    # - independent44 (transposed and mixed forms, prose recommendation lists, unusual
    #   labels), first sight on f3a582e: PDF 74.3 / 100 / 95.9 (context 93.8, normalised
    #   98.1), DOCX 80.7 / 100 / 98.0 (context 92.0, normalised 100): a transposed table,
    #   heavily abbreviated labels and a pair form ruled only horizontally read nothing;
    #   a pair form cut by a page joins the cut action to the next.
    "independent44": {"pdf": (74.3, 100.0, 95.9), "docx": (80.7, 100.0, 98.0)},
    # - independent43 (older landscape plans in small type, many columns, one table per
    #   agency, plans as a long report's appendix; the tester's PDF gold, as LibreOffice
    #   printed a centred merged cell cut by a page), first sight on f3a582e: 100 / 100 /
    #   97.4, normalised 97.7, PDF and DOCX (a two-row header whose lower label means
    #   something only under its group label, "Completion" over "Date | Status").
    "independent43": {"pdf": (100.0, 100.0, 97.4), "docx": (100.0, 100.0, 97.4)},
    # - independent45 (structure carried by shading, bold and horizontal rules rather than a
    #   grid), first sight on f3a582e: PDF 88.4 / 95.6 / 99.9, DOCX 100 / 100 / 100 (a
    #   merged recommendation column that is not the first, ruled only horizontally, made
    #   one action of each recommendation's rows); its harder round independent45r2: PDF
    #   100 / 86.7 / 92.2, DOCX 100 / 100 / 100 (paragraphs of a cell in an unruled zebra
    #   table read as rows; numbered points inside an action read as recommendations).
    "independent45": {"pdf": (88.3, 95.5, 99.8), "docx": (100.0, 100.0, 100.0)},
    "independent45r2": {"pdf": (100.0, 86.6, 92.1), "docx": (100.0, 100.0, 100.0)},
}
METRICS = ("recall", "precision", "printed")


@pytest.fixture(scope="module")
def later_scores(tmp_path_factory):
    """Each later sample scored once, when a test first asks for it."""
    cache: dict[str, dict] = {}

    def scored(name: str) -> dict:
        if name not in cache:
            cache[name] = score_sample(Path(__file__).parent / "fixtures" / name, tmp_path_factory)
        return cache[name]

    return scored


#: Samples with a known conservation failure, found on first sight and not yet mended:
#: strict xfail, so the test says so the day the words are accounted for.
LOST_WORDS_KNOWN: dict[str, str] = {
    "independent44": "a two-column pair form cut by a page inside an action loses 24 words "
    "of the cut action's rest (PDF, plan 09, pages 1-2; first sight on f3a582e)",
}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=LOST_WORDS_KNOWN[n]))
        if n in LOST_WORDS_KNOWN
        else n
        for n in sorted(LATER)
    ],
)
def test_later_sample_every_word_accounted(later_scores, name):
    assert later_scores(name)["lost_words"] == {}


@pytest.mark.parametrize("name", sorted(LATER))
@pytest.mark.parametrize("kind", ["pdf", "docx"])
@pytest.mark.parametrize("metric", METRICS)
def test_later_sample_not_worse_than_the_floor(later_scores, name, kind, metric):
    got = later_scores(name)[kind][metric]
    floor = LATER[name][kind][METRICS.index(metric)]
    print(f"{name} {kind} {metric}: {got:.2f}%")
    assert got >= floor, f"{name} {kind} {metric}: {got:.2f}% is below {floor}%"
