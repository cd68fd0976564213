"""Writes the analyst notebooks (outputs stripped). Edit here, then `python notebooks/build.py`.

Notebooks read the dataset from $DHRPLANS_DATA (default data/clean), so CI can run
them on the test corpus's output.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent

LOAD = """\
import os
from pathlib import Path

import duckdb
import matplotlib.pyplot as plt
import pandas as pd
from dhrplans.schemas import STATUS_COLOURS, STATUSES

DATA = Path(os.environ.get("DHRPLANS_DATA", "../data/clean"))
actions = pd.read_parquet(DATA / "actions.parquet")
recommendations = pd.read_parquet(DATA / "recommendations.parquet")
documents = pd.read_parquet(DATA / "documents.parquet")
con = duckdb.connect()
for name in ("actions", "recommendations", "documents"):
    con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{(DATA / name).as_posix()}.parquet')")
print(len(documents), "documents,", len(recommendations), "recommendations,", len(actions), "actions")
"""

OVERVIEW = [
    new_markdown_cell(
        "# DHR action plans: overview\n\n"
        "Which agencies get which actions, what is completed, what is overdue. Data: the "
        "`dhrplans run` output (`actions.parquet`, one row per action; column descriptions "
        "are in the README and in the Parquet field metadata). Every status chart uses one "
        "palette, `dhrplans.schemas.STATUS_COLOURS`: completed green, in progress amber, "
        "not started red, unknown (blank cell) grey."
    ),
    new_code_cell(LOAD),
    new_markdown_cell("## Actions per agency type (DuckDB)"),
    new_code_cell(
        "by_type = con.sql('''\n"
        "    SELECT coalesce(lead_agency_type, 'not in registry') AS agency_type,\n"
        "           count(*) AS actions,\n"
        "           round(avg(CASE WHEN status = 'completed' THEN 1 ELSE 0 END), 2) AS share_completed\n"
        "    FROM actions GROUP BY 1 ORDER BY actions DESC\n"
        "''').df()\n"
        "by_type"
    ),
    new_code_cell(
        "ax = by_type.set_index('agency_type')['actions'].plot.barh(figsize=(7, 4))\n"
        "ax.set_xlabel('actions')\n"
        "ax.invert_yaxis()\n"
        "plt.tight_layout()"
    ),
    new_markdown_cell("## Status mix per lead agency (pandas)"),
    new_code_cell(
        "mix = actions.pivot_table(index='lead_agency', columns='status', values='action_id',\n"
        "                          aggfunc='count', fill_value=0)\n"
        "mix = mix.reindex(columns=list(STATUSES), fill_value=0)\n"
        "mix = mix.loc[mix.sum(axis=1).sort_values(ascending=False).index]\n"
        "mix.head(15)"
    ),
    new_code_cell(
        "ax = mix.head(15).plot.barh(stacked=True, figsize=(8, 5),\n"
        "                            color=[STATUS_COLOURS[s] for s in mix.columns])\n"
        "ax.invert_yaxis()\n"
        "ax.set_xlabel('actions')\n"
        "plt.tight_layout()"
    ),
    new_markdown_cell("## Overdue actions\n\nTarget date passed and not completed (as of today)."),
    new_code_cell(
        "today = pd.Timestamp.today().date()\n"
        "has_date = actions.target_date.notna()\n"
        "overdue = actions[has_date & (actions.status != 'completed')]\n"
        "overdue = overdue[overdue.target_date < today]\n"
        "print(len(overdue), 'overdue actions')\n"
        "overdue[['doc_id', 'lead_agency', 'ref', 'target_date', 'status', 'action']].head(20)"
    ),
    new_code_cell(
        "by_year = con.sql('''\n"
        "    SELECT year(target_date) AS year, status, count(*) AS actions\n"
        "    FROM actions WHERE target_date IS NOT NULL\n"
        "    GROUP BY ALL ORDER BY year, status\n"
        "''').df()\n"
        "by_year = by_year.pivot_table(index='year', columns='status', values='actions',\n"
        "                              aggfunc='sum', fill_value=0)\n"
        "by_year = by_year.reindex(columns=list(STATUSES), fill_value=0)\n"
        "ax = by_year.plot.bar(stacked=True, figsize=(7, 4),\n"
        "                      color=[STATUS_COLOURS[s] for s in by_year.columns])\n"
        "ax.set_xlabel('target year')\n"
        "ax.set_ylabel('actions')\n"
        "plt.tight_layout()"
    ),
]

QUALITY = [
    new_markdown_cell(
        "# DHR action plans: data quality\n\n"
        "Where to look before trusting a figure: low-confidence records, agency names not in "
        "the registry, warnings per document. Every record carries `page_start`/`page_end` and "
        "the page and bbox of each cell (`cells`), so any value can be found in its PDF."
    ),
    new_code_cell(LOAD),
    new_markdown_cell("## Confidence"),
    new_code_cell(
        "by_status = actions.pivot(columns='status', values='confidence')\n"
        "by_status = by_status.reindex(columns=list(STATUSES))\n"
        "ax = by_status.plot.hist(bins=20, stacked=True, figsize=(6, 3),\n"
        "                         color=[STATUS_COLOURS[s] for s in by_status.columns])\n"
        "ax.set_xlabel('confidence (stacked by status)')\n"
        "plt.tight_layout()\n"
        "low = actions[actions.confidence < 0.8]\n"
        "print(len(low), 'actions below 0.8')\n"
        "low[['doc_id', 'page_start', 'ref', 'confidence', 'warnings']].head(20)"
    ),
    new_markdown_cell("## Why records are flagged"),
    new_code_cell(
        "reasons = actions.explode('warnings').warnings.dropna().str.split(':').str[0]\n"
        "reasons.value_counts().to_frame('actions')"
    ),
    new_markdown_cell(
        "## Agency names not in the registry\n\nAdd them as aliases in `schemas/agencies.csv`."
    ),
    new_code_cell(
        "con.sql('''\n"
        "    SELECT lead_agency AS name, count(*) AS actions, list(DISTINCT doc_id) AS documents\n"
        "    FROM actions WHERE lead_agency IS NOT NULL AND lead_agency_type IS NULL\n"
        "    GROUP BY 1 ORDER BY actions DESC\n"
        "''').df()"
    ),
    new_markdown_cell("## Documents: failures and warnings"),
    new_code_cell(
        "documents.assign(n_warnings=documents.warnings.map(len))[\n"
        "    ['doc_id', 'status', 'error', 'pages', 'n_tables', 'n_actions', 'n_warnings', 'engines']\n"
        "]"
    ),
]


def write(name: str, cells) -> Path:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = HERE / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


if __name__ == "__main__":
    paths = [
        write(name, cells) for name, cells in (("overview", OVERVIEW), ("data_quality", QUALITY))
    ]
    # the cells in the project's style, as `make lint` checks them
    subprocess.run([sys.executable, "-m", "ruff", "format", *map(str, paths)], check=True)
    print(*paths, sep="\n")
