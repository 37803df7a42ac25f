"""A published build, loaded for searching: clauses in memory, FAISS and BM25 indexes, resources.

    LoadedIndex.open(IndexDir(Path("index")))   -> the build CURRENT names, verified, fully loaded
    LoadedIndex.open_build(build)               -> CorruptIndexError("…/dense_zh.faiss has 12 bytes, …") when bad

Every file is checked against the checksums recorded at publish before anything is parsed, and any
failure while loading becomes one CorruptIndexError naming the file, so a caller can keep serving
the last good build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.errors import CorruptIndexError, ModelMismatchError
from ingest.model import Clause, DocumentMeta

from . import layout
from .builds import IndexDir, verify
from .dense import DenseIndex
from .lexical import LexicalIndex
from .resources import Resources
from .store import Store


@dataclass
class LoadedIndex:
    build: Path
    store: Store
    info: dict[str, str]
    clauses: list[Clause]            # by vector id
    documents: dict[str, DocumentMeta]
    dense: DenseIndex                # over Chinese passages (windows of clauses)
    dense_en: DenseIndex | None      # over English translation passages, when the corpus has any
    lexical_zh: LexicalIndex
    lexical_en: LexicalIndex
    resources: Resources
    passage_clause: np.ndarray       # passage id -> clause position
    passage_clause_en: np.ndarray

    @classmethod
    def open(cls, index_dir: IndexDir) -> "LoadedIndex":
        return cls.open_build(index_dir.resolve())

    @classmethod
    def open_build(cls, build: Path) -> "LoadedIndex":
        verify(build)
        store = None
        step = build / layout.DB_NAME
        try:
            store = Store(step, readonly=True)
            rows = store.clause_rows()
            by_id = {c.clause_id: c for c in store.clauses()}
            clauses = [by_id[cid] for _, cid, _ in sorted(rows)]
            documents = {d.doc_id: d for d in store.documents()}
            info = store.info()
            step = build / layout.passages_file("zh")
            passage_clause = np.load(step, allow_pickle=False)
            en_path = build / layout.passages_file("en")
            step = en_path
            passage_clause_en = np.load(en_path, allow_pickle=False) if en_path.exists() else np.zeros(0, np.int32)
            step = build / layout.dense_file("zh")
            dense = DenseIndex.load(step)
            step = build / layout.dense_file("en")
            dense_en = DenseIndex.load(step) if en_path.exists() else None
            step = build / layout.lexical_dir("zh")
            lexical_zh = LexicalIndex.load(step, len(passage_clause))
            step = build / layout.lexical_dir("en")
            lexical_en = LexicalIndex.load(step, max(len(passage_clause_en), 1))
        except Exception as exc:  # sqlite3, numpy, FAISS and bm25s each raise their own types for a bad file
            if store is not None:
                store.close()
            raise CorruptIndexError(f"{step} cannot be loaded ({type(exc).__name__}: {str(exc)[:200]}); "
                                    "re-run `policyqa ingest` to rebuild the index", path=str(step)) from exc
        return cls(
            build=build, store=store, info=info, clauses=clauses, documents=documents,
            dense=dense, dense_en=dense_en, lexical_zh=lexical_zh, lexical_en=lexical_en,
            resources=Resources.from_build(build),
            passage_clause=passage_clause, passage_clause_en=passage_clause_en,
        )

    def close(self) -> None:
        self.store.close()

    @property
    def model(self) -> str:
        return self.info.get("model", "?")

    def check_model(self, name: str, fingerprint: str) -> None:
        """Raise ModelMismatchError when the index was built with another embedding model."""
        built_with, built_fp = self.info.get("model"), self.info.get("model_fingerprint")
        if built_with != name or (built_fp and built_fp != fingerprint):
            raise ModelMismatchError(
                f"the index in {self.build.parent.parent} was built with the embedding model {built_with!r} "
                f"(fingerprint {built_fp}), not {name!r} (fingerprint {fingerprint}); "
                "re-run `policyqa ingest` with the model you want to search with")

    def passages_of(self, position: int) -> np.ndarray:
        """Passage ids of the clause at `position`."""
        if not hasattr(self, "_passages_of"):
            order = np.argsort(self.passage_clause, kind="stable")
            bounds = np.searchsorted(self.passage_clause[order], np.arange(len(self.clauses) + 1))
            self._passages_of = [order[bounds[i]:bounds[i + 1]] for i in range(len(self.clauses))]
        return self._passages_of[position]

    def cosine(self, position: int, query: np.ndarray) -> float:
        """Best cosine between the query and any passage of the clause."""
        return max(float(query @ self.dense.index.reconstruct(int(p))) for p in self.passages_of(position))

    def per_clause(self, passage_scores: np.ndarray, *, english: bool = False) -> np.ndarray:
        """Max over each clause's passages: passage scores -> clause scores."""
        mapping = self.passage_clause_en if english else self.passage_clause
        out = np.zeros(len(self.clauses), dtype=np.float32)
        if len(passage_scores) and len(mapping):
            np.maximum.at(out, mapping[: len(passage_scores)], passage_scores[: len(mapping)])
        return out

    def position_of(self, clause_id: str) -> int | None:
        if not hasattr(self, "_positions"):
            self._positions = {c.clause_id: i for i, c in enumerate(self.clauses)}
        return self._positions.get(clause_id)
