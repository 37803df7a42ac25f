"""Hybrid search: dense (FAISS) and lexical (jieba BM25) rankings fused, plus clause lookup.

    searcher.search("广东省出口退税审批要在多少个工作日内完成？", k=5)
        -> [Hit(clause=Clause(clause_id="gd-2014-stabilize-trade#6.18", label="（十八）", …), score=0.93, …), …]

English questions also reach the Chinese text through the glossary ("export tax refund" ->
"出口退税") and, where the corpus has them, through the English reference translations.
Weights are per question language and were chosen on the gold set (see eval/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ingest.errors import InvalidQueryError
from ingest.model import Clause, ClauseKind, DocumentMeta, Status

from .embedders import Embedder
from .fusion import ranked, rrf
from .language import Language, detect_language
from .loaded import LoadedIndex
from .lookup import DocumentHints, choose_clause, parse_reference
from .tokenize import EnglishTokenizer

MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Weights:
    dense: float = 1.0
    lexical: float = 1.0
    dense_en: float = 0.0    # dense match against English translations
    lexical_en: float = 0.0  # BM25 over English translations
    unnumbered: float = 1.0  # factor on preambles, notices, signatures (rarely the answer)


@dataclass(frozen=True, slots=True)
class SearchConfig:
    candidates: int = 50
    # chosen with `python -m eval.tune weights` on the gold set (figures in eval/README.md)
    rrf_k: int = 10
    zh: Weights = Weights(dense=0.25, lexical=2.0, unnumbered=1.0)
    en: Weights = Weights(dense=0.5, lexical=0.5, dense_en=0.0, lexical_en=1.0, unnumbered=0.7)
    annex_weight: float = 0.85  # annex rows repeat the body's tasks: prefer the task itself
    lookup: bool = True

    def __post_init__(self) -> None:
        if self.candidates <= 0:
            raise ValueError(f"candidates must be greater than 0. Currently, the candidates is {self.candidates}")

    def weights(self, language: Language) -> Weights:
        return self.zh if language == "zh" else self.en


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrict a search: documents, issuer (substring), date range (ISO dates), statuses."""

    doc_ids: tuple[str, ...] = ()
    issuer: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    statuses: tuple[Status, ...] = ()

    def validate(self, documents: dict[str, DocumentMeta]) -> None:
        unknown = [d for d in self.doc_ids if d not in documents]
        if unknown:
            raise InvalidQueryError(f"unknown document id {unknown[0]!r}; known ids: {', '.join(sorted(documents))}")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise InvalidQueryError(f"{name} {value!r} is not a date; use YYYY-MM-DD") from None
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidQueryError(f"date_from {self.date_from} is after date_to {self.date_to}")

    def active(self) -> bool:
        return bool(self.doc_ids or self.issuer or self.date_from or self.date_to or self.statuses)

    def allows(self, doc: DocumentMeta) -> bool:
        if self.doc_ids and doc.doc_id not in self.doc_ids:
            return False
        if self.issuer and (doc.issuer is None or self.issuer.strip() not in doc.issuer):
            return False
        if self.date_from and (doc.date is None or doc.date < self.date_from):
            return False
        if self.date_to and (doc.date is None or doc.date > self.date_to):
            return False
        return not self.statuses or doc.status in self.statuses


@dataclass(frozen=True, slots=True)
class Hit:
    clause: Clause
    document: DocumentMeta
    score: float            # fused relevance in [0, 1]
    dense: float            # cosine similarity of question and clause
    lexical: float          # BM25 score (0 when no term matched)
    sources: tuple[str, ...] = field(default=())  # which rankings found it: "dense", "lexical", "lookup", …


class HybridSearcher:
    def __init__(self, index: LoadedIndex, embedder: Embedder, *, config: SearchConfig | None = None,
                 check_model: bool = True) -> None:
        self.index = index
        self.embedder = embedder
        self.config = config or SearchConfig()
        if check_model:
            from .embedders import fingerprint
            index.check_model(embedder.name, fingerprint(embedder))
        self.tokenizer = index.resources.tokenizer()
        self.glossary = index.resources.glossary
        self.english = EnglishTokenizer()
        self.hints = DocumentHints(list(index.documents.values()), glossary=self.glossary, tokenizer=self.tokenizer)
        self._annex = np.array([c.kind == ClauseKind.ANNEX_ROW for c in index.clauses])
        self._unnumbered = np.array([c.kind == ClauseKind.UNNUMBERED for c in index.clauses])

    def with_config(self, config: SearchConfig) -> "HybridSearcher":
        clone = object.__new__(HybridSearcher)
        clone.__dict__.update(self.__dict__)
        clone.config = config
        return clone

    def _allowed(self, filters: Filters) -> np.ndarray | None:
        if not filters.active():
            return None
        filters.validate(self.index.documents)
        docs = {d for d, meta in self.index.documents.items() if filters.allows(meta)}
        return np.array([i for i, c in enumerate(self.index.clauses) if c.doc_id in docs], dtype=np.int64)

    def lexical_terms(self, question: str, language: Language) -> list[str]:
        """Chinese query terms: the question's own words, plus glossary terms for English phrases."""
        tokens = self.tokenizer.tokens(question)
        if language == "en":
            # English words do not occur in the Chinese text; acronyms (RCEP, AEO, LNG) and glossary terms do
            acronyms = {w.lower() for w in re.findall(r"\b[A-Z][A-Z0-9]{1,9}\b", question)}
            tokens = [t for t in tokens if not t.isascii() or t in acronyms]
            for term in self.glossary.expand(question):
                tokens += self.tokenizer.tokens(term)
        return tokens

    def search(self, question: str, *, k: int = 5, filters: Filters | None = None,
               language: Language | None = None) -> list[Hit]:
        question = validate_question(question)
        if k <= 0:
            raise InvalidQueryError(f"k must be greater than 0. Currently, the k is {k}")
        filters = filters or Filters()
        allowed = self._allowed(filters)
        if allowed is not None and len(allowed) == 0:
            return []
        language = language or detect_language(question)
        weights = self.config.weights(language)
        n = self.config.candidates
        query = self.embedder.embed_query(question)
        rankings: list[tuple[list[int], float]] = []
        sources: dict[int, set[str]] = {}

        def add(ids: list[int], weight: float, name: str) -> None:
            rankings.append((ids, weight))
            for i in ids:
                sources.setdefault(i, set()).add(name)

        add(self._dense(self.index.dense, self.index.passage_clause, query, n, allowed), weights.dense, "dense")
        lexical_scores = self.index.per_clause(self.index.lexical_zh.scores(self.lexical_terms(question, language)))
        add(self._top(lexical_scores, n, allowed), weights.lexical, "lexical")
        if language == "en":
            if weights.dense_en and self.index.dense_en is not None:
                add(self._dense(self.index.dense_en, self.index.passage_clause_en, query, n, allowed),
                    weights.dense_en, "dense-en")
            if weights.lexical_en and len(self.index.passage_clause_en):
                scores_en = self.index.per_clause(self.index.lexical_en.scores(self.english.tokens(question)),
                                                  english=True)
                add(self._top(scores_en, n, allowed), weights.lexical_en, "lexical-en")
        fused = rrf(rankings, k=self.config.rrf_k)
        for i in fused:
            if self._annex[i]:
                fused[i] *= self.config.annex_weight
            elif self._unnumbered[i]:
                fused[i] *= weights.unnumbered
        order = ranked(fused)
        ceiling = sum(w for _, w in rankings) / (self.config.rrf_k + 1)
        normalised = {i: min(1.0, s / ceiling) for i, s in fused.items()}
        if self.config.lookup:
            order = self._apply_lookup(question, order, normalised, sources, allowed)
        hits = []
        for i in order[:k]:
            clause = self.index.clauses[i]
            cosine = self.index.cosine(i, query)
            hits.append(Hit(clause, self.index.documents[clause.doc_id], round(normalised.get(i, 0.0), 4),
                            round(cosine, 4), round(float(lexical_scores[i]), 4), tuple(sorted(sources.get(i, ())))))
        return hits

    def _dense(self, dense, mapping: np.ndarray, query: np.ndarray, n: int, allowed: np.ndarray | None) -> list[int]:
        """Clause positions ranked by their best passage (dense search over passages)."""
        passage_filter = None
        if allowed is not None:
            passage_filter = np.flatnonzero(np.isin(mapping, allowed))
        ids, _ = dense.search(query, n * 3, passage_filter)
        ranked_clauses: list[int] = []
        for p in ids:
            c = int(mapping[p])
            if c not in ranked_clauses:
                ranked_clauses.append(c)
        return ranked_clauses[:n]

    @staticmethod
    def _top(scores: np.ndarray, n: int, allowed: np.ndarray | None) -> list[int]:
        if allowed is not None:
            masked = np.full_like(scores, -1.0)
            masked[allowed] = scores[allowed]
            scores = masked
        top = np.argsort(-scores, kind="stable")[:n]
        return [int(i) for i in top if scores[i] > 0]

    def _apply_lookup(self, question: str, order: list[int], normalised: dict[int, float],
                      sources: dict[int, set[str]], allowed: np.ndarray | None) -> list[int]:
        ref = parse_reference(question)
        if ref is None:
            return order
        pool = self.index.clauses if allowed is None else [self.index.clauses[i] for i in allowed]
        rank_of = {self.index.clauses[i].clause_id: r for r, i in enumerate(order)}
        target = choose_clause(ref, pool, self.hints.scores(question), rank_of)
        if target is None:
            return order
        position = self.index.position_of(target.clause_id)
        normalised[position] = 1.0
        sources.setdefault(position, set()).add("lookup")
        return [position] + [i for i in order if i != position]


def validate_question(question: str) -> str:
    if question is None or not str(question).strip():
        raise InvalidQueryError("the question is empty; ask something, e.g. 出口退税审批要多久？")
    question = re.sub(r"\s+", " ", str(question)).strip()
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidQueryError(f"the question has {len(question)} characters; the limit is {MAX_QUESTION_CHARS}")
    return question

