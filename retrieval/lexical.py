"""BM25 over tokenised clauses with bm25s (saved as JSON and .npy files, never pickles)."""

from __future__ import annotations

import logging
from pathlib import Path

import bm25s
import numpy as np

logging.getLogger("bm25s").setLevel(logging.ERROR)


class LexicalIndex:
    def __init__(self, retriever: bm25s.BM25, size: int) -> None:
        self._retriever = retriever
        self.size = size
        self._vocab = retriever.vocab_dict

    @classmethod
    def build(cls, token_lists: list[list[str]], *, k1: float = 1.2, b: float = 0.75) -> "LexicalIndex":
        retriever = bm25s.BM25(k1=k1, b=b)
        # bm25s needs at least one token per document
        retriever.index([tokens or ["\u2205"] for tokens in token_lists], show_progress=False)
        return cls(retriever, len(token_lists))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(folder), allow_pickle=False)

    @classmethod
    def load(cls, folder: Path, size: int) -> "LexicalIndex":
        retriever = bm25s.BM25.load(str(folder), allow_pickle=False, show_progress=False)
        return cls(retriever, size)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every document for these query tokens (zeros when none is known)."""
        known = [t for t in tokens if t in self._vocab]
        if not known or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(known), dtype=np.float32)
