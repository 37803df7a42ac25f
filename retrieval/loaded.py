"""A published build, loaded for searching: clauses in memory, FAISS and BM25 indexes, resources.

    index = LoadedIndex.open(IndexDir(Path("index")))
    index.clauses[17].clause_id            -> "gd-2014-stabilize-trade#6.18"
    index.dense[("zh", "primary")]         -> DenseIndex over the Chinese passages (e5)
    index.per_clause(passage_scores, "zh") -> clause scores (best passage per clause)

It depends on the build's layout (retrieval.layout), never on the code that writes builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.errors import ModelMismatchError
from ingest.model import Clause, DocumentMeta

from .builds import IndexDir
from .dense import DenseIndex
from .embedders import Encoders, fingerprint
from .layout import DB_NAME, DENSE_PLAN, LANGUAGES, dense_name, lexical_name, passages_name
from .lexical import LexicalIndex
from .resources import Resources
from .store import Store


@dataclass(frozen=True)
class LoadedIndex:
    build: Path
    store: Store
    info: dict[str, str]
    clauses: tuple[Clause, ...]                    # by build position
    documents: dict[str, DocumentMeta]
    dense: dict[tuple[str, str], DenseIndex]      # (passage language, encoder role) -> index
    lexical: dict[str, LexicalIndex]              # passage language -> BM25
    passage_clause: dict[str, np.ndarray]         # passage language -> (passage id -> clause position)
    passages_of: dict[str, tuple[np.ndarray, ...]]  # passage language -> (clause position -> its passage ids)
    positions: dict[str, int]                     # clause id -> build position
    resources: Resources

    @classmethod
    def open(cls, index_dir: IndexDir) -> "LoadedIndex":
        build = index_dir.require_current()
        store = Store(build / DB_NAME, readonly=True)
        clauses = tuple(store.clauses_in_build_order())
        mapping = {lang: np.load(build / passages_name(lang), allow_pickle=False) for lang in LANGUAGES}
        dense = {(lang, enc): DenseIndex.load(build / dense_name(lang, enc)) for lang, enc in DENSE_PLAN
                 if (build / dense_name(lang, enc)).exists()}
        lexical = {lang: LexicalIndex.load(build / lexical_name(lang), max(len(mapping[lang]), 1))
                   for lang in LANGUAGES}
        return cls(build=build, store=store, info=store.info(), clauses=clauses,
                   documents={d.doc_id: d for d in store.documents()}, dense=dense, lexical=lexical,
                   passage_clause=mapping,
                   passages_of={lang: _group(m, len(clauses)) for lang, m in mapping.items()},
                   positions={c.clause_id: i for i, c in enumerate(clauses)},
                   resources=Resources.from_build(build))

    def close(self) -> None:
        self.store.close()

    @property
    def model(self) -> str:
        return self.info.get("model", "?")

    def check_encoders(self, encoders: Encoders) -> None:
        """Raise ModelMismatchError when the index was built with other embedding models than these."""
        for role, embedder in encoders.named().items():
            prefix = "" if role == "primary" else f"{role}_"
            built_with, built_fp = self.info.get(f"{prefix}model"), self.info.get(f"{prefix}model_fingerprint")
            actual = fingerprint(embedder)
            if built_with != embedder.name or (built_fp and built_fp != actual):
                raise ModelMismatchError(
                    f"the index in {self.build.parent.parent} was built with the {role} embedding model "
                    f"{built_with!r} (fingerprint {built_fp}), not {embedder.name!r} (fingerprint {actual}); "
                    "re-run `policyqa ingest` with the models you want to search with")

    def cosine(self, language: str, encoder: str, position: int, query: np.ndarray) -> float:
        """Best cosine between the query and any passage of the clause (0 when it has none in that language)."""
        index = self.dense.get((language, encoder))
        ids = self.passages_of[language][position]
        if index is None or not len(ids):
            return 0.0
        return max(float(query @ index.index.reconstruct(int(p))) for p in ids)

    def per_clause(self, passage_scores: np.ndarray, language: str) -> np.ndarray:
        """Max over each clause's passages: passage scores -> clause scores."""
        mapping = self.passage_clause[language]
        out = np.zeros(len(self.clauses), dtype=np.float32)
        if len(passage_scores) and len(mapping):
            np.maximum.at(out, mapping[: len(passage_scores)], passage_scores[: len(mapping)])
        return out

    def position_of(self, clause_id: str) -> int | None:
        return self.positions.get(clause_id)


def _group(mapping: np.ndarray, n: int) -> tuple[np.ndarray, ...]:
    """Passage ids of each clause position, from the passage -> clause map."""
    order = np.argsort(mapping, kind="stable")
    bounds = np.searchsorted(mapping[order], np.arange(n + 1))
    return tuple(order[bounds[i]:bounds[i + 1]] for i in range(n))
