"""Print the output contract as Markdown tables (pasted into README.md).

python -m dhrplans.schemas
"""

from __future__ import annotations

from dhrplans.schemas import TABLES, describe


def markdown() -> str:
    parts = []
    for name, schema in TABLES.items():
        parts.append(f"#### `{name}.parquet`\n")
        parts.append("| column | type | description |\n| --- | --- | --- |")
        for field, type_, description in describe(schema):
            parts.append(f"| `{field}` | `{type_}` | {description} |")
        parts.append("")
    return "\n".join(parts)


if __name__ == "__main__":
    print(markdown())
