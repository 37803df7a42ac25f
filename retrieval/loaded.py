"""A published build, loaded for searching: clauses in memory, FAISS and BM25 indexes, resources.

    index = LoadedIndex.open(IndexDir(Path("index")))
    index.clauses[17].clause_id            -> "gd-2014-stabilize-trade#6.18"
    index.dense[("zh", "primary")]         -> DenseIndex over the Chinese passages (e5)
    index.per_clause(passage_scores, "zh") -> clause scores (best passage per clause)

    LoadedIndex.open_build(build)          -> CorruptIndexError("…/dense_zh.faiss has 12 bytes, …") when bad

It depends on the build's layout (retrieval.layout), never on the code that writes builds. Every file is checked against the checksums recorded at publish before anything is parsed, and any
failure while loading becomes one CorruptIndexError naming the file, so a caller can keep serving
the last good build.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ingest.errors import CorruptIndexError, ModelMismatchError
from ingest.model import Clause, DocumentMeta

from .builds import IndexDir, verify
from .dense import DenseIndex
from .embedders import CheckedOnFirstUse, Encoders, fingerprint
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
        return cls.open_build(index_dir.resolve())

    @classmethod
    def open_build(cls, build: Path) -> "LoadedIndex":
        """Every file is checked against the checksums recorded at publish, then loaded; any failure is one
        CorruptIndexError naming the file, so a caller can keep serving the last good build."""
        verify(build)
        store = None
        step = build / DB_NAME
        try:
            store = Store(step, readonly=True)
            clauses = tuple(store.clauses_in_build_order())
            documents = {d.doc_id: d for d in store.documents()}
            info = store.info()
            mapping = {}
            for lang in LANGUAGES:
                step = build / passages_name(lang)
                mapping[lang] = np.load(step, allow_pickle=False)
            dense = {}
            for lang, enc in DENSE_PLAN:
                step = build / dense_name(lang, enc)
                if step.exists():
                    dense[(lang, enc)] = DenseIndex.load(step)
            lexical = {}
            for lang in LANGUAGES:
                step = build / lexical_name(lang)
                lexical[lang] = LexicalIndex.load(step, max(len(mapping[lang]), 1))
        except Exception as exc:  # sqlite3, numpy, FAISS and bm25s each raise their own types for a bad file
            if store is not None:
                store.close()
            raise CorruptIndexError(f"{step} cannot be loaded ({type(exc).__name__}: {str(exc)[:200]}); "
                                    "re-run `policyqa ingest` to rebuild the index", path=str(step)) from exc
        return cls(build=build, store=store, info=info, clauses=clauses, documents=documents, dense=dense,
                   lexical=lexical, passage_clause=mapping,
                   passages_of={lang: _group(m, len(clauses)) for lang, m in mapping.items()},
                   positions={c.clause_id: i for i, c in enumerate(clauses)}, resources=Resources.from_build(build))

    def close(self) -> None:
        self.store.close()

    @property
    def model(self) -> str:
        return self.info.get("model", "?")

    def check_encoders(self, encoders: Encoders) -> Encoders:
        """The encoders, checked against the ones the index was built with (ModelMismatchError otherwise).

        Names are compared now; the primary encoder's fingerprint too; the cross encoder's fingerprint the
        first time it embeds (it loads slowly and Chinese questions never use it).
        """
        for role, embedder in encoders.named().items():
            built_with = self.info.get(f"{self._prefix(role)}model")
            if built_with != embedder.name:
                raise self._mismatch(role, embedder, fingerprint(embedder))
        self.check_fingerprint("primary", encoders.primary)
        if encoders.cross is None:
            return encoders
        return replace(encoders, cross=CheckedOnFirstUse(encoders.cross,
                                                         lambda e: self.check_fingerprint("cross", e)))

    def check_fingerprint(self, role: str, embedder) -> None:
        built_fp = self.info.get(f"{self._prefix(role)}model_fingerprint")
        actual = fingerprint(embedder)
        if built_fp and built_fp != actual:
            raise self._mismatch(role, embedder, actual)

    @staticmethod
    def _prefix(role: str) -> str:
        return "" if role == "primary" else f"{role}_"

    def _mismatch(self, role: str, embedder, actual: str) -> ModelMismatchError:
        built_with = self.info.get(f"{self._prefix(role)}model")
        built_fp = self.info.get(f"{self._prefix(role)}model_fingerprint")
        return ModelMismatchError(
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
