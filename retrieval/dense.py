"""Dense vectors in FAISS: inner product over L2-normalised vectors (= cosine similarity).

Exact search (`IndexFlatIP`) up to `hnsw_above` vectors, HNSW above that. Vector id i is
row i of the build's clause table. Written and read with FAISS's own I/O.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


class DenseIndex:
    def __init__(self, index: faiss.Index, *, ef_search: int = 128) -> None:
        self.index = index
        self.ef_search = ef_search

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @property
    def kind(self) -> str:
        base = self.index
        if isinstance(base, faiss.IndexIDMap):
            base = faiss.downcast_index(base.index)
        return "hnsw" if isinstance(base, faiss.IndexHNSW) else "flat"

    @classmethod
    def build(cls, vectors: np.ndarray, *, hnsw_above: int = 20000, hnsw_m: int = 32) -> "DenseIndex":
        """Index `vectors`; vector i gets id i."""
        if hnsw_above <= 0:
            raise ValueError(f"hnsw_above must be greater than 0. Currently, the hnsw_above is {hnsw_above}")
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dimension = vectors.shape[1]
        if len(vectors) > hnsw_above:
            index = faiss.IndexHNSWFlat(dimension, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
        else:
            index = faiss.IndexFlatIP(dimension)
        if len(vectors):
            index.add(vectors)
        return cls(index)

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> "DenseIndex":
        return cls(faiss.read_index(str(path)))

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(vector ids, cosine scores) of the k nearest vectors, best first; `allowed` restricts the ids."""
        if self.size == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        k = min(k, self.size)
        params = None
        if allowed is not None:
            if len(allowed) == 0:
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
            selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed, dtype=np.int64))
            if self.kind == "hnsw":
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(self.ef_search, k))
            else:
                params = faiss.SearchParameters(sel=selector)
        elif self.kind == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(self.ef_search, k))
        scores, ids = self.index.search(query, k, params=params)
        keep = ids[0] >= 0
        return ids[0][keep].astype(np.int64), scores[0][keep]
