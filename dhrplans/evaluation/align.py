"""Gold and predicted actions paired: an order-preserving alignment (a
Needleman-Wunsch style dynamic programme without gap costs) on the similarity of
their printed text; pairs under the threshold are never matched.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from dhrplans.evaluation.gold import GoldAction, fold

#: Minimum ``fuzz.ratio`` (0..100) for a gold and a predicted action to be paired.
DEFAULT_THRESHOLD = 60.0


def gold_key(action: GoldAction) -> str:
    """What a gold action is paired on: ref, action, lead, target date (printed)."""
    c = action.cells
    lead = c.get("lead_agency") or c.get("lead_officer")
    return " | ".join(fold(v) for v in (c.get("ref"), c.get("action"), lead, c.get("target_date")))


def pred_key(row: dict[str, Any]) -> str:
    """The same four printed cells of a predicted action."""
    lead = row.get("lead_agency_raw") or row.get("lead_officer")
    parts = (row.get("ref"), row.get("action"), lead, row.get("target_date_raw"))
    return " | ".join(fold(v) for v in parts)


def align(
    gold_keys: Sequence[str], pred_keys: Sequence[str], threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[int, int]]:
    """Order-preserving pairs ``(gold index, predicted index)`` maximising total similarity.

    A dynamic programme over both sequences (Needleman-Wunsch with no gap cost):
    a pair may be taken only when its ``fuzz.ratio`` is at least ``threshold``.
    """
    n, m = len(gold_keys), len(pred_keys)
    if not n or not m:
        return []
    sim = cdist(list(gold_keys), list(pred_keys), scorer=fuzz.ratio, workers=1).tolist()
    # best[i][j]: best total for gold[:i] and pred[:j]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, prev, s_row = best[i], best[i - 1], sim[i - 1]
        for j in range(1, m + 1):
            v = prev[j] if prev[j] >= row[j - 1] else row[j - 1]
            s = s_row[j - 1]
            if s >= threshold and prev[j - 1] + s > v:
                v = prev[j - 1] + s
            row[j] = v
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 and j > 0:
        s = sim[i - 1][j - 1]
        if s >= threshold and best[i][j] == best[i - 1][j - 1] + s:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    return pairs
