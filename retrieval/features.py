"""Candidate clauses for a question and the features a learned ranker scores them by.

    extractor.candidates(query, allowed=None)
        -> Candidates(positions=[17, 3, …], matrix=float32 (n, len(FEATURES)), lookup=17)

Candidates are the union of the top of every ranking (BM25 over the Chinese passages, BM25 over the
English translations, each encoder's cosine over its passages) plus the clause a lookup names.
Features are made comparable across corpora: scores are given relative to the best candidate's, and
ranks as 1/(1+rank), so a ranker trained on one corpus's questions carries over to another's.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from ingest.model import Clause, ClauseKind, DocumentMeta
from ingest.numbering import number_value
from ingest.text import fold, years

from .adapter import QueryAdapter
from .embedders import Encoders
from .loaded import LoadedIndex
from .hints import DocumentHints
from .lookup import choose_clause
from .places import covers, jurisdiction, relation
from .query import Query

# (passage language, encoder role, which query language uses it)
DENSE_RANKINGS = (("zh", "primary", ("zh", "en")), ("en", "primary", ("en",)), ("zh", "cross", ("en",)))

FEATURES = (
    "is_en",
    "bm25_zh", "bm25_zh_rel", "bm25_zh_rank",
    "bm25_en", "bm25_en_rel", "bm25_en_rank",
    "cos_zh", "cos_zh_gap", "cos_zh_rank",
    "cos_en", "cos_en_gap", "cos_en_rank",
    "cos_x", "cos_x_gap", "cos_x_rank",
    "has_en",
    "coverage", "coverage_exp", "missing_rare", "coverage_title",
    "kind_numbered", "kind_intro", "kind_unnumbered", "kind_annex_row", "kind_annex",
    "log_len", "lookup", "ref_number", "doc_hint", "years_ok", "place_ok",
    "place_same", "place_inside", "place_other",
)
INDEX = {name: i for i, name in enumerate(FEATURES)}


@dataclass(frozen=True, slots=True)
class Candidates:
    positions: tuple[int, ...]
    matrix: np.ndarray          # (len(positions), len(FEATURES)) float32
    lookup: int | None          # the position a clause reference names, if any

    def column(self, name: str) -> np.ndarray:
        return self.matrix[:, INDEX[name]]


class FeatureExtractor:
    def __init__(self, index: LoadedIndex, encoders: Encoders, *, depth: int = 40,
                 adapter: QueryAdapter | None = None) -> None:
        if depth <= 0:
            raise ValueError(f"depth must be greater than 0. Currently, the depth is {depth}")
        self.index = index
        self.encoders = encoders
        self.depth = depth
        primary = encoders.primary
        # an adapter fitted for another encoder would map the vectors into nonsense: it is not used
        self.adapter = adapter if adapter is not None and adapter.fits(primary.name, primary.dimension) else None
        self.tokenizer = index.resources.tokenizer()
        self.hints = DocumentHints(list(index.documents.values()), glossary=index.resources.glossary,
                                   tokenizer=self.tokenizer)
        # how rare each term is in the corpus: covering "签证" matters more than covering "深圳"
        haystacks = [self._haystack(c, index.documents[c.doc_id]) for c in index.clauses]
        self._haystacks = haystacks
        self._titles = [fold(" ".join([index.documents[c.doc_id].title or "", *c.path])) for c in index.clauses]
        df = Counter(t for c in index.clauses for t in set(self.tokenizer.tokens(c.text)))
        self._df, self._n = df, max(len(index.clauses), 1)
        self._kinds = [c.kind for c in index.clauses]
        self._log_len = np.array([math.log1p(len(c.text)) for c in index.clauses], dtype=np.float32)
        self._years = [years(h) for h in haystacks]
        self._jurisdiction = {d.doc_id: jurisdiction(" ".join([d.title or "", d.issuer or "", d.publisher or ""]))
                              for d in index.documents.values()}

    @staticmethod
    def _haystack(clause: Clause, doc: DocumentMeta) -> str:
        return fold(" ".join([doc.title or "", doc.issuer or "", doc.publisher or "", doc.date or "",
                              " ".join(clause.path), clause.text]))

    def idf(self, term: str) -> float:
        return math.log((self._n + 1) / (self._df.get(term, 0) + 1)) + 1.0

    def embed(self, query: Query, adapter: QueryAdapter | None = None) -> dict[str, np.ndarray]:
        """The question's vector for each encoder it needs (the cross encoder for English questions only), and
        for a Chinese question the primary vector mapped by the adapter ("adapted", compared with the Chinese
        passages) when there is one: it was fitted on Chinese questions.

        `adapter` replaces the extractor's own (training passes the one fitted without the question's fold).
        """
        out = {"primary": self.encoders.primary.embed_query(query.text)}
        adapter = adapter or self.adapter
        if adapter is not None and query.language == "zh":
            out["adapted"] = adapter.apply(out["primary"])
        if query.language == "en" and self.encoders.cross is not None:
            out["cross"] = self.encoders.cross.embed_query(query.text)
        return out

    def _top(self, scores: np.ndarray, allowed: np.ndarray | None) -> list[int]:
        if allowed is not None:
            masked = np.full_like(scores, -np.inf)
            masked[allowed] = scores[allowed]
            scores = masked
        top = np.argsort(-scores, kind="stable")[: self.depth]
        return [int(i) for i in top if scores[i] > 0 and np.isfinite(scores[i])]

    def _dense(self, language: str, encoder: str, vector: np.ndarray, allowed: np.ndarray | None) -> dict[int, float]:
        """clause position -> best passage cosine, for the top clauses of one dense ranking."""
        dense = self.index.dense.get((language, encoder))
        if dense is None or dense.size == 0:
            return {}
        mapping = self.index.passage_clause[language]
        passage_filter = np.flatnonzero(np.isin(mapping, allowed)) if allowed is not None else None
        ids, scores = dense.search(vector, self.depth * 3, passage_filter)
        out: dict[int, float] = {}
        for p, s in zip(ids, scores):
            c = int(mapping[p])
            if c not in out:
                out[c] = float(s)
            if len(out) >= self.depth:
                break
        return out

    def candidates(self, query: Query, *, allowed: np.ndarray | None = None,
                   vectors: dict[str, np.ndarray] | None = None) -> Candidates:
        vectors = vectors if vectors is not None else self.embed(query)
        bm25_zh = self.index.per_clause(self.index.lexical["zh"].scores(list(query.terms)), "zh")
        bm25_en = (self.index.per_clause(self.index.lexical["en"].scores(list(query.words_en)), "en")
                   if query.language == "en" else np.zeros(len(self.index.clauses), np.float32))
        rankings: dict[str, list[int]] = {"bm25_zh": self._top(bm25_zh, allowed), "bm25_en": self._top(bm25_en, allowed)}
        cosines: dict[str, dict[int, float]] = {}
        for language, encoder, used_by in DENSE_RANKINGS:
            name = {"zh": "cos_zh", "en": "cos_en"}[language] if encoder == "primary" else "cos_x"
            if query.language in used_by and encoder in vectors:
                cosines[name] = self._dense(language, encoder, _vector_for(vectors, language, encoder), allowed)
                rankings[name] = list(cosines[name])
        doc_hints = self.hints.scores(query)
        lookup = self._lookup(query, rankings, allowed, doc_hints)
        pool = list(dict.fromkeys([p for ids in rankings.values() for p in ids] + ([lookup] if lookup is not None else [])))
        matrix = np.zeros((len(pool), len(FEATURES)), dtype=np.float32)
        if not pool:
            return Candidates((), matrix, None)
        # what is the same for every candidate, computed once per question
        best_hint = max(doc_hints.values(), default=0.0) or 1.0
        own = set(query.own_terms)
        rare_total = sum(self.idf(t) for t in own) or 1.0
        expansions = [t for t in query.terms if t not in query.own_terms]
        lexical = (("bm25_zh", bm25_zh), ("bm25_en", bm25_en))
        pool_max = {name: max(float(scores[p]) for p in pool) or 1.0 for name, scores in lexical}
        rank_recip = {name: _reciprocal_ranks(ids) for name, ids in rankings.items()}
        best_cosine = {name: max(found.values()) if found else None for name, found in cosines.items()}
        for row, position in enumerate(pool):
            clause = self.index.clauses[position]
            f = matrix[row]
            f[INDEX["is_en"]] = query.language == "en"
            for name, scores in lexical:
                f[INDEX[name]] = math.log1p(float(scores[position]))
                f[INDEX[f"{name}_rel"]] = float(scores[position]) / pool_max[name]
                f[INDEX[f"{name}_rank"]] = rank_recip.get(name, {}).get(position, 0.0)
            for name in ("cos_zh", "cos_en", "cos_x"):
                if name not in cosines:
                    continue
                language, encoder = {"cos_zh": ("zh", "primary"), "cos_en": ("en", "primary"),
                                     "cos_x": ("zh", "cross")}[name]
                vector = _vector_for(vectors, language, encoder)
                cosine = cosines[name].get(position)
                if cosine is None:
                    cosine = self.index.cosine(language, encoder, position, vector)
                best = best_cosine[name] if best_cosine[name] is not None else cosine
                f[INDEX[name]] = cosine
                f[INDEX[f"{name}_gap"]] = cosine - best
                f[INDEX[f"{name}_rank"]] = rank_recip[name].get(position, 0.0)
            f[INDEX["has_en"]] = clause.text_en is not None
            haystack = self._haystacks[position]
            covered = sum(self.idf(t) for t in own if t in haystack)
            f[INDEX["coverage"]] = covered / rare_total
            f[INDEX["missing_rare"]] = max((self.idf(t) for t in own if t not in haystack), default=0.0)
            f[INDEX["coverage_exp"]] = (sum(1 for t in expansions if t in haystack) / len(expansions)
                                        if expansions else 0.0)
            f[INDEX["coverage_title"]] = (sum(self.idf(t) for t in own if t in self._titles[position]) / rare_total)
            kind = self._kinds[position]
            for k, name in ((ClauseKind.NUMBERED, "kind_numbered"), (ClauseKind.INTRO, "kind_intro"),
                            (ClauseKind.UNNUMBERED, "kind_unnumbered"), (ClauseKind.ANNEX_ROW, "kind_annex_row"),
                            (ClauseKind.ANNEX, "kind_annex")):
                f[INDEX[name]] = kind == k
            f[INDEX["log_len"]] = self._log_len[position]
            f[INDEX["lookup"]] = position == lookup
            f[INDEX["ref_number"]] = query.reference is not None and _number_value(clause) == query.reference.value
            f[INDEX["doc_hint"]] = doc_hints.get(clause.doc_id, 0.0) / best_hint
            f[INDEX["years_ok"]] = (not query.years) or bool(query.years & self._years[position])
            f[INDEX["place_ok"]] = (not query.places) or covers(set(query.places), haystack)
            where = relation(set(query.places), self._jurisdiction[clause.doc_id])
            for name in ("same", "inside", "other"):
                f[INDEX[f"place_{name}"]] = where == name
        return Candidates(tuple(pool), matrix, lookup)

    def _lookup(self, query: Query, rankings: dict[str, list[int]], allowed: np.ndarray | None,
                doc_hints: dict[str, float]) -> int | None:
        if query.reference is None:
            return None
        clauses = self.index.clauses
        pool = list(clauses) if allowed is None else [clauses[i] for i in allowed]
        order = list(dict.fromkeys(p for ids in rankings.values() for p in ids))
        rank_of = {clauses[p].clause_id: r for r, p in enumerate(order)}
        target = choose_clause(query.reference, pool, doc_hints, rank_of)
        return None if target is None else self.index.position_of(target.clause_id)


def _vector_for(vectors: dict[str, np.ndarray], language: str, encoder: str) -> np.ndarray:
    """The question vector a dense ranking compares: the adapted one for the primary encoder's Chinese passages."""
    if encoder == "primary" and language == "zh" and "adapted" in vectors:
        return vectors["adapted"]
    return vectors[encoder]


def _reciprocal_ranks(ranking: list[int]) -> dict[int, float]:
    """position -> 1 / (1 + rank) for a ranking best first (its first occurrence): [7, 3] -> {7: 1.0, 3: 0.5}."""
    out: dict[int, float] = {}
    for rank, position in enumerate(ranking):
        out.setdefault(position, 1.0 / (1 + rank))
    return out


def _number_value(clause: Clause) -> int:
    try:
        return number_value(clause.number) if clause.number else -1
    except ValueError:
        return -1
