"""Fusing ranked lists: weighted reciprocal rank fusion.

    rrf([([7, 3, 9], 1.0), ([3, 5], 0.5)], k=60)
        -> {3: 1/62 + 0.5/61, 7: 1/61, 5: 0.5/62, 9: 1/63}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence


def rrf(rankings: Sequence[tuple[Sequence[int], float]], *, k: int = 60) -> dict[int, float]:
    """Sum over rankings of weight / (k + rank), rank counted from 1."""
    if k < 0:
        raise ValueError(f"k must be at least 0. Currently, the k is {k}")
    scores: dict[int, float] = defaultdict(float)
    for ids, weight in rankings:
        if weight == 0:
            continue
        for rank, item in enumerate(ids, start=1):
            scores[int(item)] += weight / (k + rank)
    return dict(scores)


def ranked(scores: dict[int, float]) -> list[int]:
    """Ids by score, best first; ties broken by the smaller id (earlier in the corpus)."""
    return sorted(scores, key=lambda i: (-scores[i], i))
