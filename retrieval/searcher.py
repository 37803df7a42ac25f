"""Search: candidate clauses from every ranking, scored by the learned ranker, filters applied.

    searcher.search(searcher.parse("广东省出口退税审批要在多少个工作日内完成？"), k=5)
        -> [Hit(clause=Clause(clause_id="gd-2014-stabilize-trade#6.18", label="（十八）", …), score=0.93, …), …]

English questions reach the Chinese text through the glossary ("export tax refund" -> "出口退税"), the
English reference translations where the corpus has them, and the cross-lingual encoder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from ingest.errors import InvalidQueryError
from ingest.model import Clause, DocumentMeta, Status

from .embedders import Encoders
from .features import FEATURES, Candidates, FeatureExtractor
from .language import Language
from .loaded import LoadedIndex
from .query import Query, QueryParser
from .adapter import QueryAdapter
from .ranker import Ranker

_DATE = r"\d{4}-\d{2}-\d{2}"


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrict a search: documents, issuer (substring), date range (YYYY-MM-DD), statuses.

    Built once at the edge with `Filters.of(...)`, which validates every value.
    """

    doc_ids: tuple[str, ...] = ()
    issuer: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    statuses: tuple[Status, ...] = ()

    @classmethod
    def of(cls, *, doc_ids=(), issuer: str | None = None, date_from: str | None = None,
           date_to: str | None = None, statuses=()) -> "Filters":
        strict_date("date_from", date_from)
        strict_date("date_to", date_to)
        if date_from and date_to and date_from > date_to:
            raise InvalidQueryError(f"date_from {date_from} is after date_to {date_to}")
        try:
            parsed = tuple(Status(s) for s in statuses)
        except ValueError:
            raise InvalidQueryError(f"status must be one of {', '.join(s.value for s in Status)}") from None
        return cls(tuple(doc_ids or ()), (issuer or "").strip() or None, date_from, date_to, parsed)

    def validate(self, documents: dict[str, DocumentMeta]) -> None:
        unknown = [d for d in self.doc_ids if d not in documents]
        if unknown:
            raise InvalidQueryError(f"unknown document id {unknown[0]!r}; known ids: {', '.join(sorted(documents))}")

    def active(self) -> bool:
        return bool(self.doc_ids or self.issuer or self.date_from or self.date_to or self.statuses)

    def allows(self, doc: DocumentMeta) -> bool:
        if self.doc_ids and doc.doc_id not in self.doc_ids:
            return False
        if self.issuer and (doc.issuer is None or self.issuer not in doc.issuer):
            return False
        if self.date_from and (doc.date is None or doc.date < self.date_from):
            return False
        if self.date_to and (doc.date is None or doc.date > self.date_to):
            return False
        return not self.statuses or doc.status in self.statuses


def strict_date(name: str, value: str | None) -> str | None:
    """Only YYYY-MM-DD and a real date: Python's fromisoformat also takes 20240101 and 2024-W05-1, which would
    then compare as strings and silently match nothing."""
    if value is None:
        return None
    ok = bool(re.fullmatch(_DATE, value))
    if ok:
        try:
            date.fromisoformat(value)
        except ValueError:
            ok = False
    if not ok:
        raise InvalidQueryError(f"{name} {value[:40]!r} is not a date in the form YYYY-MM-DD (e.g. 2024-01-31)")
    return value


@dataclass(frozen=True, slots=True)
class Hit:
    clause: Clause
    document: DocumentMeta
    score: float                      # the ranker's judgement mapped to (0, 1): 1 / (1 + e^-raw)
    raw: float                        # the ranker's score (comparable within one question)
    features: tuple[float, ...] = ()  # the candidate's features, in FEATURES order
    sources: tuple[str, ...] = ()     # which rankings found it: "bm25_zh", "cos_zh", "lookup", …
    item: str | None = None           # the item a reference names in this clause: 第十八条第（三）项 -> "（三）"

    def feature(self, name: str) -> float:
        return self.features[FEATURES.index(name)] if self.features else 0.0


@dataclass(frozen=True, slots=True)
class SearchConfig:
    depth: int = 40  # candidates taken from the top of each ranking

    def __post_init__(self) -> None:
        if self.depth <= 0:
            raise ValueError(f"depth must be greater than 0. Currently, the depth is {self.depth}")


class HybridSearcher:
    def __init__(self, index: LoadedIndex, encoders: Encoders, *, ranker: Ranker,
                 config: SearchConfig = SearchConfig(), check_model: bool = True,
                 adapter: QueryAdapter | None = None) -> None:
        if check_model:
            encoders = index.check_encoders(encoders)
        self.index = index
        self.encoders = encoders
        self.ranker = ranker
        self.config = config
        resources = index.resources
        self.parser = QueryParser(tokenizer=resources.tokenizer(), glossary=resources.glossary,
                                  aliases=resources.aliases)
        self.extractor = FeatureExtractor(index, encoders, depth=config.depth, adapter=adapter)

    def parse(self, question: str, *, language: Language | None = None) -> Query:
        return self.parser.parse(question, language=language)

    def _allowed(self, filters: Filters) -> np.ndarray | None:
        if not filters.active():
            return None
        filters.validate(self.index.documents)
        docs = {d for d, meta in self.index.documents.items() if filters.allows(meta)}
        return np.array([i for i, c in enumerate(self.index.clauses) if c.doc_id in docs], dtype=np.int64)

    def candidates(self, query: Query, filters: Filters | None = None, *,
                   vectors: dict[str, np.ndarray] | None = None) -> Candidates | None:
        """The scored candidates before the cut to k (None when the filters leave nothing); `vectors` are the
        question's (FeatureExtractor.embed), when the caller has them."""
        allowed = self._allowed(filters or Filters())
        if allowed is not None and len(allowed) == 0:
            return None
        return self.extractor.candidates(query, allowed=allowed, vectors=vectors)

    def search(self, query: Query | str, *, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        if isinstance(query, str):
            query = self.parse(query)
        if k <= 0:
            raise InvalidQueryError(f"k must be greater than 0. Currently, the k is {k}")
        found = self.candidates(query, filters)
        if found is None or not found.positions:
            return []
        return self.ranked(query, found, self.ranker.scores(found.matrix), k=k)

    def ranked(self, query: Query, found: Candidates, raw: np.ndarray, *, k: int) -> list[Hit]:
        """The top k candidates by the scores `raw` (the ranker's; training passes another model's) as hits."""
        order = sorted(range(len(found.positions)), key=lambda r: (-raw[r], found.positions[r]))
        hits = []
        for r in order[:k]:
            position = found.positions[r]
            clause = self.index.clauses[position]
            row = found.matrix[r]
            sources = tuple(name.removesuffix("_rank") for name in FEATURES
                            if name.endswith("_rank") and row[FEATURES.index(name)] > 0)
            item = None
            if found.lookup == position:
                sources += ("lookup",)
                item = query.reference.item_label(clause) if query.reference else None
            hits.append(Hit(clause, self.index.documents[clause.doc_id], round(float(1 / (1 + np.exp(-raw[r]))), 4),
                            round(float(raw[r]), 4), tuple(round(float(x), 5) for x in row), sources, item))
        return hits
