"""Benchmark of generality: the pipeline on N freshly generated plan layouts.

    python bench/layouts.py [--n 200] [--seed S] [--out data/interim/layouts] [--jobs 2]

Draws N plans with tests/fixtures/generate.py (seeds S*100000 .. S*100000+N-1; S defaults
to the clock and is printed, so a run can be repeated with --seed S), renders them to DOCX and
PDF with LibreOffice, runs ``dhrplans run --no-cache`` on the PDFs and ``dhrplans eval``
against their gold, then prints the overall figures, a breakdown per value of every layout
dimension, the fields that go wrong, and the 10 worst documents with their dimensions.

A plan whose PDF does not print every gold word (LibreOffice broke a word inside a narrow
column) has no exact gold: it is left out of the scores and counted.

Figures: action recall and precision; "printed" = exact printed text of the action's own
cells; "context" = section heading, recommendation number and recommendation text;
"normalised" = lead_agency, target_date, status, rag, completion_date. Not a test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

import generate  # noqa: E402  (tests/fixtures/generate.py)

CONTEXT_FIELDS = ("section", "rec_number", "recommendation")


class Tally:
    """Sums of the per-document counts of one group of documents."""

    def __init__(self) -> None:
        self.docs = 0
        self.gold = self.pred = self.matched = 0
        self.c: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind -> [correct, total]

    def add(self, doc: dict) -> None:
        self.docs += 1
        self.gold += doc["n_gold"]
        self.pred += doc["n_predicted"]
        self.matched += doc["n_matched"]
        for field, cnt in doc.get("printed", {}).items():
            kind = "context" if field in CONTEXT_FIELDS else "printed"
            self.c[kind][0] += cnt["correct"]
            self.c[kind][1] += cnt["total"]
        for cnt in doc.get("normalised", {}).values():
            self.c["normalised"][0] += cnt["correct"]
            self.c["normalised"][1] += cnt["total"]

    def rates(self) -> dict[str, float | None]:
        def rate(a: int, b: int) -> float | None:
            return a / b if b else None

        return {
            "recall": rate(self.matched, self.gold),
            "precision": rate(self.matched, self.pred),
            **{k: rate(*self.c[k]) for k in ("printed", "context", "normalised")},
        }


def pct(x: float | None) -> str:
    return "   -  " if x is None else f"{100 * x:5.1f}%"


def doc_f1(doc: dict) -> float:
    r = doc["n_matched"] / doc["n_gold"] if doc["n_gold"] else 1.0
    p = doc["n_matched"] / doc["n_predicted"] if doc["n_predicted"] else 0.0
    return 2 * r * p / (r + p) if r + p else 0.0


def render(
    seeds: list[int], out: Path, soffice: str | None, overrides: dict | None = None
) -> tuple[list[dict], list[str]]:
    """Render the plans; return (golds with exact PDFs, doc_ids left out)."""
    golds = [generate.generate_plan(s, overrides) for s in seeds]
    problems = generate.render_plans(golds, out, soffice=soffice)
    dropped = sorted(k for k, v in problems.items() if v)
    for doc_id in dropped:  # no exact gold: keep the files aside, out of the run and the scores
        aside = out / "not_exact"
        aside.mkdir(exist_ok=True)
        for sub, ext in (("gold", "json"), ("pdf", "pdf"), ("docx", "docx")):
            shutil.move(str(out / sub / f"{doc_id}.{ext}"), aside / f"{doc_id}.{ext}")
    return [g for g in golds if g["doc_id"] not in dropped], dropped


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=None, help="default: from the clock")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "interim" / "layouts")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--soffice", default=None)
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="DIM=VALUE",
        help="fix a dimension in every plan (repeatable), e.g. --set alt_rows=yes: two runs "
        "with the same --seed that differ in one --set compare that dimension alone",
    )
    ap.add_argument(
        "--score-only",
        action="store_true",
        help="print the figures of the last run in --out again (no render, no run)",
    )
    args = ap.parse_args(argv)
    if args.score_only:
        golds = [json.loads(p.read_text()) for p in sorted((args.out / "gold").glob("*.json"))]
        report = json.loads((args.out / "eval.json").read_text())
        summarise(report, {g["doc_id"]: g for g in golds})
        return 0
    seed = args.seed if args.seed is not None else int(time.time()) % 1_000_000
    fixed = " ".join(f"--set {x}" for x in args.set)
    print(f"layouts: {args.n} plans, seed {seed} {fixed}(repeat with SEED={seed})", flush=True)
    seeds = [seed * 100_000 + i for i in range(args.n)]

    out = args.out
    if out.is_dir() and any(out.iterdir()) and not (out / "gold").is_dir():
        print(f"{out} is not empty and is not a previous layouts run: not overwriting it")
        return 2
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    t0 = time.time()
    overrides = generate.parse_overrides(args.set)
    golds, dropped = render(seeds, out, args.soffice, overrides)
    print(
        f"rendered {len(golds) + len(dropped)} plans in {time.time() - t0:.0f} s; "
        f"{len(dropped)} left out (a word broken by LibreOffice, gold not exact)",
        flush=True,
    )
    bindir = Path(sys.executable).parent
    dhr = str(bindir / "dhrplans") if (bindir / "dhrplans").exists() else "dhrplans"
    run = subprocess.run(
        [dhr, "run", str(out / "pdf"), "--out", str(out / "out"), "--no-cache"]
        + ["--jobs", str(args.jobs)],
        capture_output=True,
        text=True,
    )
    (out / "run.log").write_text(run.stdout + run.stderr)
    if run.returncode not in (0, 1):
        print(run.stdout[-2000:], run.stderr[-2000:])
        return run.returncode
    print((run.stdout.strip().splitlines() or [""])[-1])
    ev = subprocess.run(
        [dhr, "eval", str(out / "gold"), str(out / "out"), "--json", str(out / "eval.json")],
        capture_output=True,
        text=True,
    )
    (out / "eval.txt").write_text(ev.stdout + ev.stderr)
    if not (out / "eval.json").exists():
        print(ev.stdout[-2000:], ev.stderr[-2000:])
        return 2
    report = json.loads((out / "eval.json").read_text())
    summary = summarise(report, {g["doc_id"]: g for g in golds})
    summary.update(seed=seed, n=args.n, left_out=dropped, set=args.set)
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(f"\nwritten: {out}/summary.json, eval.txt, eval.json; re-run: make layouts SEED={seed}")
    return 0


def summarise(report: dict, golds: dict[str, dict]) -> dict:
    """Print the figures and return them as a dict."""
    docs = [d for d in report["docs"] if d["gold_doc_id"] in golds]
    total = Tally()
    by_dim: dict[tuple[str, str], Tally] = defaultdict(Tally)
    by_dim_tables: dict[tuple[str, str], Tally] = defaultdict(Tally)
    by_label: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for d in docs:
        gold = golds[d["gold_doc_id"]]
        total.add(d)
        for dim, value in gold["layout"].items():
            by_dim[(dim, str(value))].add(d)
            if gold["layout"]["form"] == "no":
                by_dim_tables[(dim, str(value))].add(d)
        if gold["layout"]["form"] == "no":
            for col in gold["sections"][0]["columns"]:
                by_label[(col["field"], col["label"])].add(d)
    r = total.rates()
    print(f"\nplans scored: {len(docs)}; actions gold {total.gold}, predicted {total.pred}")
    print(
        f"OVERALL  recall {pct(r['recall'])}  precision {pct(r['precision'])}  "
        f"printed {pct(r['printed'])}  context {pct(r['context'])}  "
        f"normalised {pct(r['normalised'])}"
    )
    zero = [d["gold_doc_id"] for d in docs if d["n_predicted"] == 0]
    print(f"plans with no action extracted: {len(zero)} of {len(docs)}")

    print("\nper field (matched actions): exact / total")
    fields = {**report["totals"]["printed"], **report["totals"]["normalised"]}
    for name, cnt in report["totals"]["printed"].items():
        print(f"  printed {name:22s} {pct(cnt['rate'])}  ({cnt['correct']}/{cnt['total']})")
    for name, cnt in report["totals"]["normalised"].items():
        print(f"  norm    {name:22s} {pct(cnt['rate'])}  ({cnt['correct']}/{cnt['total']})")

    head = (
        f"{'docs':>4s} {'recall':>7s} {'prec.':>7s} {'printed':>7s} {'context':>7s} {'norm.':>7s}"
    )
    print(
        "\nper dimension value, over the table plans (form=no; form plans are one line, "
        "they share no table layout):"
    )
    print(f"{'dimension=value':34s} {head}")
    rows = {}
    for dim in generate.ALL_DIMENSIONS:
        values = sorted({v for (k, v) in by_dim if k == dim}, key=_value_key)
        for v in values:
            t = by_dim[(dim, v)] if dim in ("form", "form_layout") else by_dim_tables[(dim, v)]
            if not t.docs:
                continue
            rows[f"{dim}={v}"] = {"docs": t.docs, **t.rates()}
            print(f"{dim + '=' + v:34s} {_line(t)}")

    print("\nheader labels, over the table plans: the 20 with the lowest recall")
    print(f"{'field: label':54s} {head}")
    labels = sorted(by_label.items(), key=lambda kv: (kv[1].rates()["recall"] or 0, kv[0]))
    for (f, label), t in labels[:20]:
        print(f"{(f + ': ' + label)[:54]:54s} {_line(t)}")
    rows.update({f"label {f}: {lab}": {"docs": t.docs, **t.rates()} for (f, lab), t in labels})

    print("\n10 worst plans (action F1):")
    worst = sorted(docs, key=lambda d: (doc_f1(d), d["gold_doc_id"]))[:10]
    for d in worst:
        lay = golds[d["gold_doc_id"]]["layout"]
        print(
            f"  {d['gold_doc_id']}: gold {d['n_gold']} predicted {d['n_predicted']} "
            f"matched {d['n_matched']}  | " + " ".join(f"{k}={v}" for k, v in lay.items())
        )
    return {
        "overall": {**r, "gold": total.gold, "predicted": total.pred, "docs": len(docs)},
        "fields": {k: v["rate"] for k, v in fields.items()},
        "by_dimension": rows,
        "worst": [d["gold_doc_id"] for d in worst],
        "no_actions": zero,
    }


def _line(t: Tally) -> str:
    r = t.rates()
    return (
        f"{t.docs:4d} {pct(r['recall'])} {pct(r['precision'])} {pct(r['printed'])} "
        f"{pct(r['context'])} {pct(r['normalised'])}"
    )


def _value_key(v: str):
    try:
        return (0, float(v), "")
    except ValueError:
        return (1, 0.0, v)


if __name__ == "__main__":
    sys.exit(main())
