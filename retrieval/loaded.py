"""A published build, loaded for searching: clauses in memory, FAISS and BM25 indexes, resources."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.errors import ModelMismatchError
from ingest.model import Clause, DocumentMeta

from .builds import IndexDir
from .dense import DenseIndex
from .indexer import DB_NAME
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
    dense: DenseIndex
    dense_en: DenseIndex | None
    lexical_zh: LexicalIndex
    lexical_en: LexicalIndex
    resources: Resources

    @classmethod
    def open(cls, index_dir: IndexDir) -> "LoadedIndex":
        build = index_dir.require_current()
        store = Store(build / DB_NAME, readonly=True)
        rows = store.clause_rows()
        by_id = {c.clause_id: c for c in store.clauses()}
        clauses = [by_id[cid] for _, cid, _ in sorted(rows)]
        documents = {d.doc_id: d for d in store.documents()}
        n = len(clauses)
        dense_en_path = build / "dense_en.faiss"
        return cls(
            build=build, store=store, info=store.info(), clauses=clauses, documents=documents,
            dense=DenseIndex.load(build / "dense.faiss"),
            dense_en=DenseIndex.load(dense_en_path) if dense_en_path.exists() else None,
            lexical_zh=LexicalIndex.load(build / "lexical_zh", n),
            lexical_en=LexicalIndex.load(build / "lexical_en", n),
            resources=Resources.from_build(build),
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

    def vector(self, vector_id: int) -> np.ndarray:
        return self.dense.index.reconstruct(int(vector_id))

    def position_of(self, clause_id: str) -> int | None:
        if not hasattr(self, "_positions"):
            self._positions = {c.clause_id: i for i, c in enumerate(self.clauses)}
        return self._positions.get(clause_id)
