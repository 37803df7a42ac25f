"""Long clauses are searched as overlapping windows of sentences; a clause scores as its best window.

    windows("一、总体要求\\n以习近平…（1000 characters）…")  -> ["一、总体要求\\n以习近平…", "…到 2025 年，…", …]

A 1,000-character clause that states one figure in one sentence would otherwise be diluted
in both the embedding (an average over the whole text) and BM25 (length normalisation).
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"[^。；！？\n]*(?:[。；！？]|\n|$)|[^.!?\n]*(?:[.!?](?=\s)|\n|$)")
WINDOW = 240


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def windows(text: str, *, size: int = WINDOW) -> list[str]:
    """The text itself when short; else windows of whole sentences of about `size` characters,
    each overlapping the previous one by a sentence."""
    if len(text) <= size * 3 // 2:
        return [text]
    parts = sentences(text)
    out: list[str] = []
    current: list[str] = []
    for sentence in parts:
        current.append(sentence)
        if sum(map(len, current)) >= size:
            out.append("".join(current).strip())
            current = [sentence] if len(sentence) < size else []
    if current and (not out or "".join(current).strip() not in out[-1]):
        out.append("".join(current).strip())
    return out or [text]
