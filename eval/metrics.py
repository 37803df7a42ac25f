"""Retrieval and answer metrics over gold questions, computed from plain data.

A ranked list is a list of clause texts (or chunk texts) best first; a question's
evidence items are covered by a text when it contains the normalised quote.

    hit_at_k([False, True, False], k=1) -> 0.0 ; k=2 -> 1.0
    reciprocal_rank([False, True, False]) -> 0.5
"""

from __future__ import annotations

from collections.abc import Sequence

from .gold import Evidence


def relevance(texts: Sequence[str], evidence: Sequence[Evidence]) -> list[bool]:
    """For each ranked text: does it cover at least one evidence item?"""
    return [any(e.covered_by(t) for e in evidence) for t in texts]


def hit_at_k(relevant: Sequence[bool], k: int) -> float:
    return 1.0 if any(relevant[:k]) else 0.0


def reciprocal_rank(relevant: Sequence[bool]) -> float:
    for rank, r in enumerate(relevant, start=1):
        if r:
            return 1.0 / rank
    return 0.0


def recall_at_k(texts: Sequence[str], evidence: Sequence[Evidence], k: int) -> float:
    """Share of evidence items covered by at least one of the top k texts."""
    if not evidence:
        return 0.0
    top = texts[:k]
    return sum(1 for e in evidence if any(e.covered_by(t) for t in top)) / len(evidence)


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile, q in [0, 100]: percentile([1, 2, 3, 4], 50) -> 2.5."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
