"""Compare two outputs record by record: `dhrplans diff BASE NEW`.

Each side is a folder with actions, recommendations and documents, as Parquet
(`dhrplans run`) or JSON Lines (`dhrplans snapshot`); both are read in snapshot
form (`dhrplans.audit.snapshot`). Records are matched by their stable key (doc_id,
section, rec_number, ref; see `dhrplans.audit.snapshot`), never by position, so
reordering rows is no difference. Records left without an exact match are
paired by text similarity before anything is called added or removed: within
the same doc/section/rec/ref (the text was edited, so the first words in the
key changed), then within the same document for nearly the same text (the
section heading, rec_number or ref changed).

A matched record's fields fall in three groups:

- **changed**: every content field, including the derived ones (normalised
  values, `engine`, `confidence`, `warnings`): a change there is a change in
  what a user of the dataset reads.
- **moved**: provenance, where the record is printed (`page_start`,
  `page_end`, `page`, `cells` boxes): reported separately, as the content is
  the same when only these differ.
- **renumbered**: the ids (`action_id`, `rec_id`) alone; built from the printed
  text (normalise/ids.py), they change with a section heading or the id scheme,
  and are counted, with the full list in the JSON report.

Any of them (and added, removed records or columns) makes the outputs differ.

Each table's report opens with a per-field summary (`TableDiff.by_field`): records
changed per field and, for short values, counts per old -> new value, so a reviewer
sees what a change did to the data in aggregate before reading records.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from dhrplans import schemas
from dhrplans.audit.snapshot import (
    SPECS,
    TABLE_NAMES,
    Key,
    LoadedTable,
    content_json,
    key_label,
    keyed,
    load_output,
    sort_key,
)

FORMATS = ("text", "markdown", "json")
PAIR_MIN_SIMILARITY = 50.0  # text similarity (0..100) to call two records of one key one
PAIR_MOVED_SIMILARITY = 90.0  # the same, for records of one document under another key
TEXT_WIDTH = 100
MARKDOWN_WIDTH = 160
DEFAULT_LIMIT = 100  # records listed per category in text and markdown
SUMMARY_VALUE_WIDTH = 40  # old/new values up to this long are counted per transition
SUMMARY_TRANSITIONS = 8  # transitions shown per field in the per-field summary


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class Entry:
    """A record present on one side only."""

    key: str
    id: str | None
    record: dict


@dataclass
class RecordDiff:
    """A record on both sides that differs."""

    key: str  # label of the key in NEW
    base_key: str  # label of the key in BASE (differs when paired by similarity)
    base_id: str | None
    new_id: str | None
    changed: list[FieldChange] = field(default_factory=list)
    moved: list[FieldChange] = field(default_factory=list)

    @property
    def renumbered(self) -> bool:
        return self.base_id != self.new_id


@dataclass
class FieldSummary:
    """One field's changes over a table: records changed, and old -> new value counts."""

    field: str
    kind: str  # changed (content) | moved (provenance)
    records: int = 0
    transitions: dict[tuple[str, str], int] = field(default_factory=dict)
    # lists of text (warnings, notes): items removed ("-") and added ("+"), by kind
    items: dict[tuple[str, str], int] = field(default_factory=dict)

    def lines(self, limit: int = SUMMARY_TRANSITIONS) -> list[str]:
        """`status completed -> in_progress: 312`, one line a transition; values too long
        to count (texts, lists, boxes) summed up as `action (other values): 12`."""
        shown = list(self.transitions.items())[:limit]
        out = [f"{self.field} {old} -> {new}: {n}" for (old, new), n in shown]
        out += [f"{self.field} {sign}{kind}: {n}" for (sign, kind), n in self.items.items()]
        rest = self.records - sum(n for _, n in shown)
        if self.items:
            return out
        if rest:
            label = "other values" if self.transitions else "values"
            out.append(f"{self.field} ({label}): {rest}")
        return out


def _text_items(old: Any, new: Any) -> list[tuple[str, str]]:
    """Items of two lists of text, removed ("-") and added ("+"), each by its kind (the
    text before a colon or parenthesis: a warning's kind), once per record."""
    if not all(isinstance(v, list) or v is None for v in (old, new)):
        return []
    old, new = old or [], new or []
    if not all(isinstance(i, str) for i in [*old, *new]):
        return []
    gone = {schemas.warning_kind(i) for i in old if i not in new}
    came = {schemas.warning_kind(i) for i in new if i not in old}
    return [("-", k) for k in sorted(gone)] + [("+", k) for k in sorted(came)]


def _summary_value(value: Any) -> str | None:
    """A value short enough to count transitions of, as shown in the summary."""
    if value is None:
        return "null"
    if isinstance(value, (list, dict)):
        return None
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    text = " ".join(text.split())
    if text == "":
        return '""'
    return text if len(text) <= SUMMARY_VALUE_WIDTH else None


@dataclass
class TableDiff:
    name: str
    base_rows: int
    new_rows: int
    added: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    records: list[RecordDiff] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[RecordDiff]:
        return [r for r in self.records if r.changed]

    @property
    def moved(self) -> list[RecordDiff]:
        return [r for r in self.records if r.moved]

    @property
    def renumbered(self) -> list[RecordDiff]:
        return [r for r in self.records if r.renumbered]

    @property
    def equal(self) -> bool:
        return not (
            self.added or self.removed or self.records or self.columns_added or self.columns_removed
        )

    def by_field(self) -> list[FieldSummary]:
        """What changed, field by field, over all matched records: how many records each
        field changed in, and for short values (statuses, dates, agencies, confidence)
        how many went from each old value to each new one, most frequent first."""
        summaries: dict[str, FieldSummary] = {}
        for r in self.records:
            for kind, changes in (("changed", r.changed), ("moved", r.moved)):
                for change in changes:
                    entry = summaries.setdefault(change.field, FieldSummary(change.field, kind))
                    entry.records += 1
                    old, new = _summary_value(change.old), _summary_value(change.new)
                    if old is not None and new is not None:
                        entry.transitions[(old, new)] = entry.transitions.get((old, new), 0) + 1
                    for item in _text_items(change.old, change.new):
                        entry.items[item] = entry.items.get(item, 0) + 1
        for entry in summaries.values():
            entry.transitions = dict(
                sorted(entry.transitions.items(), key=lambda kv: (-kv[1], kv[0]))
            )
            entry.items = dict(sorted(entry.items.items(), key=lambda kv: (kv[0][0], -kv[1])))
        return sorted(summaries.values(), key=lambda e: (e.kind != "changed", -e.records, e.field))

    def counts(self) -> dict[str, int]:
        return {
            "base_rows": self.base_rows,
            "new_rows": self.new_rows,
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
            "moved": len(self.moved),
            "renumbered": len(self.renumbered),
        }


@dataclass
class DiffResult:
    base: str
    new: str
    tables: dict[str, TableDiff]

    @property
    def equal(self) -> bool:
        return all(t.equal for t in self.tables.values())

    def summary_line(self) -> str:
        if self.equal:
            return "no differences"
        parts = []
        for name, t in self.tables.items():
            if t.equal:
                continue
            counts = t.counts()
            bits = [
                f"{counts[c]} {c}"
                for c in ("added", "removed", "changed", "moved", "renumbered")
                if counts[c]
            ]
            if t.columns_added or t.columns_removed:
                bits.append("columns differ")
            parts.append(f"{name} " + ", ".join(bits))
        return "differences: " + "; ".join(parts)

    def to_dict(self) -> dict:
        def changes(items: list[FieldChange]) -> list[dict]:
            return [{"field": c.field, "old": c.old, "new": c.new} for c in items]

        def rec(r: RecordDiff, items: list[FieldChange]) -> dict:
            return {
                "key": r.key,
                "base_key": r.base_key,
                "base_id": r.base_id,
                "new_id": r.new_id,
                "fields": changes(items),
            }

        tables = {}
        for name, t in self.tables.items():
            tables[name] = {
                "counts": t.counts(),
                "by_field": [
                    {
                        "field": f.field,
                        "kind": f.kind,
                        "records": f.records,
                        "transitions": [
                            {"old": old, "new": new, "records": n}
                            for (old, new), n in f.transitions.items()
                        ],
                    }
                    for f in t.by_field()
                ],
                "columns_added": t.columns_added,
                "columns_removed": t.columns_removed,
                "added": [{"key": e.key, "id": e.id, "record": e.record} for e in t.added],
                "removed": [{"key": e.key, "id": e.id, "record": e.record} for e in t.removed],
                "changed": [rec(r, r.changed) for r in t.changed],
                "moved": [rec(r, r.moved) for r in t.moved],
                "renumbered": [
                    {"key": r.key, "base_id": r.base_id, "new_id": r.new_id} for r in t.renumbered
                ],
            }
        return {"base": self.base, "new": self.new, "equal": self.equal, "tables": tables}


# --- comparing ---------------------------------------------------------------------------------


def diff_outputs(base_dir: str | Path, new_dir: str | Path) -> DiffResult:
    """Compare two output or snapshot folders. Raises OutputError if one is unreadable."""
    base = load_output(base_dir)
    new = load_output(new_dir)
    tables = {name: diff_table(name, base[name], new[name]) for name in TABLE_NAMES}
    return DiffResult(str(base_dir), str(new_dir), tables)


def diff_table(name: str, base: LoadedTable, new: LoadedTable) -> TableDiff:
    spec = SPECS[name]
    result = TableDiff(name, len(base.records), len(new.records))
    base_cols, new_cols = set(base.columns), set(new.columns)
    result.columns_added = [c for c in new.columns if c not in base_cols]
    result.columns_removed = [c for c in base.columns if c not in new_cols]
    columns = [c for c in new.columns if c in base_cols]

    base_map = dict(keyed(name, base.records))
    new_map = dict(keyed(name, new.records))
    pairs: list[tuple[Key, Key]] = []
    left_base: list[Key] = []
    for key, record in base_map.items():
        other = new_map.get(key)
        # an occurrence counter is not content: such rows match only if identical
        if other is not None and (
            not key[2] or content_json(name, record) == content_json(name, other)
        ):
            pairs.append((key, key))
        else:
            left_base.append(key)
    matched = {kn for _, kn in pairs}
    left_new = [k for k in new_map if k not in matched]
    more, left_base, left_new = _pair_leftovers(name, left_base, left_new, base_map, new_map)
    pairs.extend(more)
    pairs.sort(key=lambda p: sort_key(p[1]))

    for kb, kn in pairs:
        old, cur = base_map[kb], new_map[kn]
        diff = RecordDiff(
            key_label(name, kn), key_label(name, kb), old.get(spec.id_field), cur.get(spec.id_field)
        )
        for column in columns:
            if column == spec.id_field or old.get(column) == cur.get(column):
                continue
            change = FieldChange(column, old.get(column), cur.get(column))
            (diff.moved if column in spec.moved else diff.changed).append(change)
        if diff.changed or diff.moved or diff.renumbered:
            result.records.append(diff)
    result.added = [
        Entry(key_label(name, k), new_map[k].get(spec.id_field), new_map[k]) for k in left_new
    ]
    result.removed = [
        Entry(key_label(name, k), base_map[k].get(spec.id_field), base_map[k]) for k in left_base
    ]
    return result


def _pair_leftovers(
    name: str,
    left_base: list[Key],
    left_new: list[Key],
    base_map: dict[Key, dict],
    new_map: dict[Key, dict],
) -> tuple[list[tuple[Key, Key]], list[Key], list[Key]]:
    """Pair unmatched records, most similar text first: within the same
    doc/section/rec/ref (text edited), then within the same document when the
    text is nearly the same (section, rec_number or ref edited)."""
    pairs: list[tuple[Key, Key]] = []
    passes = (
        (lambda k: k[0], PAIR_MIN_SIMILARITY, False),
        (lambda k: k[0][:1], PAIR_MOVED_SIMILARITY, True),
    )
    for group, threshold, need_text in passes:
        more, left_base, left_new = _pair_pass(
            name, left_base, left_new, base_map, new_map, group, threshold, need_text
        )
        pairs.extend(more)
    return pairs, left_base, left_new


def _pair_pass(
    name: str,
    left_base: list[Key],
    left_new: list[Key],
    base_map: dict[Key, dict],
    new_map: dict[Key, dict],
    group: Callable[[Key], tuple[str, ...]],
    threshold: float,
    need_text: bool,
) -> tuple[list[tuple[Key, Key]], list[Key], list[Key]]:
    spec = SPECS[name]
    groups: dict[tuple[str, ...], tuple[list[Key], list[Key]]] = defaultdict(lambda: ([], []))
    for k in left_base:
        groups[group(k)][0].append(k)
    for k in left_new:
        groups[group(k)][1].append(k)
    content: dict[tuple[int, Key], str] = {}

    def whole(side: int, key: Key) -> str:
        if (side, key) not in content:
            content[side, key] = content_json(name, (base_map, new_map)[side][key])
        return content[side, key]

    candidates = []
    for olds, news in groups.values():
        for kb in olds:
            for kn in news:
                a, b = base_map[kb], new_map[kn]
                if spec.text is None:
                    text = 100.0
                elif need_text and not str(a.get(spec.text) or "").strip():
                    continue  # an empty text says nothing about which record it is
                else:
                    text = _similarity(a.get(spec.text), b.get(spec.text))
                if text < threshold:
                    continue
                score = fuzz.ratio(whole(0, kb), whole(1, kn))
                candidates.append(((-text, -score, sort_key(kb), sort_key(kn)), kb, kn))
    candidates.sort(key=lambda c: c[0])
    used_base: set[Key] = set()
    used_new: set[Key] = set()
    pairs = []
    for _, kb, kn in candidates:
        if kb in used_base or kn in used_new:
            continue
        used_base.add(kb)
        used_new.add(kn)
        pairs.append((kb, kn))
    return (
        pairs,
        [k for k in left_base if k not in used_base],
        [k for k in left_new if k not in used_new],
    )


def _similarity(a: Any, b: Any) -> float:
    a, b = " ".join(str(a or "").split()), " ".join(str(b or "").split())
    return 100.0 if a == b else float(fuzz.ratio(a, b))


# --- showing values ----------------------------------------------------------------------------


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def _show(value: Any, width: int) -> str:
    """A value on one line: JSON (strings quoted, null), clipped to width."""
    if isinstance(value, str):
        return json.dumps(_clip(" ".join(value.split()), width), ensure_ascii=False)
    return _clip(json.dumps(value, ensure_ascii=False, default=str), width)


def _excerpts(a: str, b: str, width: int, context: int = 24) -> tuple[str, str]:
    """Two long strings cut to where they differ, with some context either side."""
    a, b = " ".join(a.split()), " ".join(b.split())
    if len(a) <= width and len(b) <= width:
        return a, b
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(a), len(b)) - prefix and a[len(a) - 1 - suffix] == b[len(b) - 1 - suffix]
    ):
        suffix += 1
    start = max(0, prefix - context)
    space = a.rfind(" ", 0, start)
    if start and space != -1 and start - space < context // 2:
        start = space + 1  # begin at a word

    def cut(s: str) -> str:
        stop = min(len(s), len(s) - suffix + context)
        space = s.find(" ", stop)
        if stop < len(s) and space != -1 and space - stop < context // 2:
            stop = space  # end at a word
        middle = s[start:stop]
        if len(middle) > width:
            middle = middle[: width - 1] + "…"
            return ("…" if start else "") + middle
        return ("…" if start else "") + middle + ("…" if stop < len(s) else "")

    return cut(a), cut(b)


def _cell_boxes(cells: Any) -> dict[str, list[str]]:
    boxes: dict[str, list[str]] = defaultdict(list)
    for cell in cells or []:
        if not isinstance(cell, dict):
            continue
        coords = ", ".join(str(cell.get(c)) for c in ("x0", "top", "x1", "bottom"))
        boxes[str(cell.get("field"))].append(f"p{cell.get('page')} ({coords})")
    return boxes


def _cells_pair(old: Any, new: Any, shown: int = 3) -> tuple[str, str]:
    """The cells whose boxes differ: `field p1 (x0, top, x1, bottom)` on each side."""
    if old is None or new is None:

        def count(v: Any) -> str:
            return "null" if v is None else f"{len(v)} cells"

        return count(old), count(new)
    a, b = _cell_boxes(old), _cell_boxes(new)
    fields = [f for f in dict.fromkeys([*a, *b]) if a.get(f) != b.get(f)]

    def side(boxes: dict[str, list[str]]) -> str:
        text = "; ".join(
            f"{f} {' + '.join(boxes[f]) if f in boxes else '-'}" for f in fields[:shown]
        )
        return text + (f"; +{len(fields) - shown} more cells" if len(fields) > shown else "")

    return side(a), side(b)


def _pair(change: FieldChange, width: int) -> tuple[str, str]:
    if change.field == "cells":
        return _cells_pair(change.old, change.new)
    if isinstance(change.old, str) and isinstance(change.new, str):
        a, b = _excerpts(change.old, change.new, width)
        return json.dumps(a, ensure_ascii=False), json.dumps(b, ensure_ascii=False)
    return _show(change.old, width), _show(change.new, width)


def _describe(name: str, record: dict, width: int) -> str:
    """What a reader needs to recognise an added or removed record."""
    if name == "documents":
        return (
            f"{record.get('source_file')}: {record.get('status')}, "
            f"{record.get('n_recommendations')} recommendations, "
            f"{record.get('n_actions')} actions"
            + (f", error {record.get('error')}" if record.get("error") else "")
        )
    text = record.get(SPECS[name].text)
    return _show(text, width) if text else "(no text)"


def _listed(items: list, limit: int) -> tuple[list, int]:
    return items[:limit], max(0, len(items) - limit)


# --- text --------------------------------------------------------------------------------------


def format_text(result: DiffResult, limit: int = DEFAULT_LIMIT, width: int = TEXT_WIDTH) -> str:
    if result.equal:
        return "no differences\n"
    out = [f"base: {result.base}", f"new:  {result.new}", ""]
    for name, t in result.tables.items():
        c = t.counts()
        out.append(
            f"{name:<16} {c['base_rows']:>5} -> {c['new_rows']:<5}  +{c['added']} added  "
            f"-{c['removed']} removed  ~{c['changed']} changed  >{c['moved']} moved  "
            f"#{c['renumbered']} renumbered"
        )
    for name, t in result.tables.items():
        if t.equal:
            continue
        out.append("")
        out.append(f"== {name} ==")
        summary = t.by_field()
        if summary:
            out.append("by field (records):")
            out += [f"  {line}" for f in summary for line in f.lines()]
        if t.columns_added:
            out.append(f"columns added: {', '.join(t.columns_added)}")
        if t.columns_removed:
            out.append(f"columns removed: {', '.join(t.columns_removed)}")
        for title, mark, entries in (("added", "+", t.added), ("removed", "-", t.removed)):
            if not entries:
                continue
            shown, more = _listed(entries, limit)
            out.append(f"{title} ({len(entries)}):")
            for e in shown:
                ident = f"  [{e.id}]" if e.id and e.id != e.key else ""
                out.append(f"  {mark} {e.key}{ident}")
                out.append(f"      {_describe(name, e.record, width)}")
            if more:
                out.append(f"  ... and {more} more (all in --format json)")
        for title, mark, attr in (("changed", "~", "changed"), ("moved", ">", "moved")):
            records = getattr(t, attr)
            if not records:
                continue
            shown, more = _listed(records, limit)
            out.append(f"{title} ({len(records)}):")
            for r in shown:
                out.append(f"  {mark} {r.key}{_id_suffix(r, lambda i: f'  [{i}]')}")
                if r.base_key != r.key:
                    out.append(f"      (was {r.base_key})")
                for change in getattr(r, attr):
                    old, new = _pair(change, width)
                    out.append(f"      {change.field}: {old}")
                    out.append(f"      {' ' * len(change.field)}  -> {new}")
            if more:
                out.append(f"  ... and {more} more (all in --format json)")
        if t.renumbered:
            out.append("renumbered: " + _renumbered_note(t))
    return "\n".join(out) + "\n"


def _id_text(r: RecordDiff) -> str:
    return f"{r.base_id} -> {r.new_id}" if r.renumbered else str(r.new_id)


def _id_suffix(r: RecordDiff, wrap: Callable[[str], str]) -> str:
    """The record's id after its key, unless the id is the key (documents)."""
    return "" if r.new_id == r.key and not r.renumbered else wrap(_id_text(r))


def _renumbered_note(t: TableDiff, code: Callable[[str], str] = str) -> str:
    spec = SPECS[t.name]
    examples = ", ".join(code(f"{r.base_id} -> {r.new_id}") for r in t.renumbered[:3])
    return (
        f"{len(t.renumbered)} {t.name} have a new {code(spec.id_field)} "
        f"(e.g. {examples}); all in --format json"
    )


# --- markdown ----------------------------------------------------------------------------------

_MD_SPECIAL = set("\\`*_[]<>|~#")


def _md(text: str) -> str:
    """Plain text safe inside a markdown table cell or list item."""
    text = " ".join(str(text).split()).replace("&", "&amp;")
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def _code(text: str) -> str:
    text = " ".join(str(text).split())
    if "`" in text:
        return f"`` {text} ``"
    return f"`{text}`"


def _md_value(rendered: str) -> str:
    """A JSON-rendered value as a table cell: strings unquoted, null and empty marked."""
    if rendered == "null":
        return "*null*"
    if rendered == '""':
        return "*empty*"
    if rendered.startswith('"') and rendered.endswith('"'):
        try:
            rendered = json.loads(rendered)
        except json.JSONDecodeError:
            pass
    return _md(rendered)


def format_markdown(
    result: DiffResult,
    limit: int = DEFAULT_LIMIT,
    width: int = MARKDOWN_WIDTH,
    heading_level: int = 1,
) -> str:
    def h(level: int, text: str) -> str:
        return f"{'#' * (heading_level + level - 1)} {text}"

    out = [h(1, "Extraction diff"), "", f"base {_code(result.base)} → new {_code(result.new)}", ""]
    if result.equal:
        out.append("**No differences.**")
        return "\n".join(out) + "\n"
    cols = ("added", "removed", "changed", "moved", "renumbered")
    out.append("| table | base rows | new rows | " + " | ".join(cols) + " |")
    out.append("| --- | ---: | ---: | " + " | ".join("---:" for _ in cols) + " |")
    for name, t in result.tables.items():
        c = t.counts()
        cells = [str(c["base_rows"]), str(c["new_rows"]), *(str(c[k]) for k in cols)]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out.append("")
    for name, t in result.tables.items():
        if t.equal:
            continue
        out += [h(2, name.capitalize()), ""]
        summary = t.by_field()
        if summary:
            out += ["By field (records):", ""]
            out += [f"- {_code(line)}" for f in summary for line in f.lines()]
            out.append("")
        if t.columns_added:
            out += [f"Columns added: {', '.join(_code(c) for c in t.columns_added)}", ""]
        if t.columns_removed:
            out += [f"Columns removed: {', '.join(_code(c) for c in t.columns_removed)}", ""]
        for title, entries in (("Added", t.added), ("Removed", t.removed)):
            if not entries:
                continue
            out += [h(3, f"{title} ({len(entries)})"), ""]
            shown, more = _listed(entries, limit)
            for e in shown:
                ident = f" ({_code(e.id)})" if e.id and e.id != e.key else ""
                out.append(
                    f"- {_code(e.key)}{ident}: {_md_value(_describe(name, e.record, width))}"
                )
            if more:
                out.append(f"- … and {more} more (all in `--format json`)")
            out.append("")
        _md_records(out, h, "Changed", t.changed, "changed", limit, width, details=False)
        _md_records(out, h, "Moved", t.moved, "moved", limit, width, True)
        if t.renumbered:
            out += [h(3, f"Renumbered ({len(t.renumbered)})"), "", _renumbered_note(t, _code), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _md_records(
    out: list[str],
    h: Callable[[int, str], str],
    title: str,
    records: list[RecordDiff],
    attr: str,
    limit: int,
    width: int,
    details: bool,
) -> None:
    if not records:
        return
    out += [h(3, f"{title} ({len(records)})"), ""]
    if details:
        summary = "page or cell boxes changed; content the same unless listed above"
        out += [f"<details><summary>{summary}</summary>", ""]
    shown, more = _listed(records, limit)
    for r in shown:
        out.append(f"**{_code(r.key)}**{_id_suffix(r, lambda i: f' ({_code(i)})')}")
        if r.base_key != r.key:
            out[-1] += f", was {_code(r.base_key)}"
        out += ["", "| field | base | new |", "| --- | --- | --- |"]
        for change in getattr(r, attr):
            old, new = _pair(change, width)
            out.append(f"| {_md(change.field)} | {_md_value(old)} | {_md_value(new)} |")
        out.append("")
    if more:
        out += [f"… and {more} more (all in `--format json`)", ""]
    if details:
        out += ["</details>", ""]


# --- json --------------------------------------------------------------------------------------


def format_json(result: DiffResult) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"


def render(result: DiffResult, fmt: str = "text", limit: int = DEFAULT_LIMIT) -> str:
    if fmt == "text":
        return format_text(result, limit=limit)
    if fmt == "markdown":
        return format_markdown(result, limit=limit)
    if fmt == "json":
        return format_json(result)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
