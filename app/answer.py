"""Answers without a language model: pick the clauses that answer, quote them verbatim, cite them.

    ExtractiveAnswerer(glossary, tokenizer).answer("广东省出口退税审批要在多少个工作日内完成？", hits)
        -> Answer(refused=False, citations=[Hit(（十八）…)],
                  text="根据《广东省支持外贸稳定增长实施方案》（广东省人民政府办公厅，2014年5月23日）第（十八）条：
                        “对申报单证齐全真实……在20个工作日内完成退（免）税审批手续，确保及时足额退税。”[1] …")

A clause answers when its evidence (fused retrieval score and how much of the question's
content it covers) reaches a threshold calibrated on the gold set; otherwise the answer
says plainly that the corpus does not cover the question and lists the nearest clauses
as possibly related, without claiming they answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ingest.model import ClauseKind
from retrieval.glossary import Glossary
from retrieval.language import Language
from retrieval.places import covers, places_in
from retrieval.searcher import Hit
from retrieval.tokenize import ChineseTokenizer, EnglishTokenizer

import math
from collections import Counter
from functools import lru_cache

from . import frames
from .answer_types import required_type, states, years

_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
_RESPONSIBILITY = re.compile(r"^[（(〔].*[）)〕]。?$")


@dataclass(frozen=True, slots=True)
class AnswerConfig:
    threshold: float = 0.65     # evidence a clause needs to be cited (calibrated on the gold set, see eval/README.md)
    threshold_en: float | None = 0.40  # for English questions (None: same as threshold)
    max_citations: int = 3
    relative: float = 0.85      # further clauses must reach this share of the best clause's evidence
    weight_score: float = 0.5   # evidence = weight_score * fused score + (1 - weight_score) * coverage
    quote_sentences: int = 2
    whole_clause_below: int = 160  # quote a clause whole when it is this short

    def __post_init__(self) -> None:
        if not 0 <= self.threshold <= 1:
            raise ValueError(f"threshold must be between 0 and 1. Currently, the threshold is {self.threshold}")
        if self.threshold_en is not None and not 0 <= self.threshold_en <= 1:
            raise ValueError(f"threshold_en must be between 0 and 1. Currently, the threshold_en is {self.threshold_en}")
        if self.max_citations <= 0:
            raise ValueError(f"max_citations must be greater than 0. Currently, it is {self.max_citations}")


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    language: Language
    refused: bool
    text: str
    citations: tuple[Hit, ...]
    retrieved: tuple[Hit, ...]
    evidence: tuple[float, ...] = ()      # per retrieved hit
    quotes: tuple[str, ...] = ()          # the verbatim spans quoted, one per citation
    caveats: tuple[str, ...] = ()
    mode: str = "extractive"
    notes: tuple[str, ...] = field(default=())


class ExtractiveAnswerer:
    def __init__(self, *, glossary: Glossary, tokenizer: ChineseTokenizer, config: AnswerConfig | None = None,
                 today: date | None = None, corpus_texts: list[str] = (), corpus_texts_en: list[str] = ()) -> None:
        self.glossary = glossary
        self.tokenizer = tokenizer
        self.english = EnglishTokenizer()
        self.config = config or AnswerConfig()
        self.today = today or date.today()
        # how rare each term is in the corpus: covering "签证" matters more than covering "深圳"
        self._df_zh = Counter(t for text in corpus_texts for t in set(tokenizer.tokens(text)))
        self._df_en = Counter(w for text in corpus_texts_en for w in set(self.english.tokens(text)))
        self._n_zh = max(len(corpus_texts), 1)
        self._n_en = max(len(corpus_texts_en), 1)
        # asked once per retrieved clause and again for quoting: segment each question once
        self.question_terms = lru_cache(maxsize=256)(self._question_terms)

    def _idf(self, term: str, english: bool) -> float:
        df, n = (self._df_en, self._n_en) if english else (self._df_zh, self._n_zh)
        return math.log((n + 1) / (df.get(term, 0) + 1)) + 1.0

    # ---------- evidence ----------
    def _question_terms(self, question: str, language: Language) -> frozenset[str]:
        terms = set(self.tokenizer.tokens(question))
        if language == "en":
            terms = {t for t in terms if not t.isascii()}
            for zh in self.glossary.expand(question):
                terms |= set(self.tokenizer.tokens(zh)) | {zh}
        return frozenset(t for t in terms if len(t) >= 2 or not t.isascii())

    def coverage(self, question: str, language: Language, hit: Hit) -> float:
        """Share of the question's content terms, weighted by rarity (idf), that the clause contains
        (with its path and title). English questions are compared with the clause's translation when it has one."""
        if language == "en" and hit.clause.text_en:
            words = set(self.english.tokens(question))
            clause_words = set(self.english.tokens(hit.clause.text_en + " " + (hit.document.title_en or "")))
            total = sum(self._idf(w, True) for w in words)
            return sum(self._idf(w, True) for w in words & clause_words) / total if total else 0.0
        haystack = f"{hit.document.title or ''} {' '.join(hit.clause.path)} {hit.clause.text}".lower()
        terms = self.question_terms(question, language)
        total = sum(self._idf(t, False) for t in terms)
        return sum(self._idf(t, False) for t in terms if t in haystack) / total if total else 0.0

    @staticmethod
    def _context(hit: Hit) -> str:
        """What a clause says about where and when it applies: its document's names and date, its path and text."""
        d = hit.document
        return " ".join([d.title or "", d.issuer or "", d.publisher or "", d.date or "", " ".join(hit.clause.path),
                         hit.clause.text])

    def evidence(self, question: str, language: Language, hit: Hit) -> float:
        places = places_in(question)
        if places and not covers(places, self._context(hit)):
            return 0.0  # the question is about another jurisdiction than this clause's
        if "lookup" in hit.sources:
            return 1.0
        asked = required_type(question)
        if asked and not states(asked, hit.clause.text):
            return 0.0  # asks for a figure of a kind this clause does not state
        asked_years = years(question)
        if asked_years and not asked_years <= years(self._context(hit)):
            return 0.0  # asks about a year this clause does not speak of
        w = self.config.weight_score
        return round(w * hit.score + (1 - w) * self.coverage(question, language, hit), 4)

    def threshold(self, language: Language) -> float:
        if language == "en" and self.config.threshold_en is not None:
            return self.config.threshold_en
        return self.config.threshold

    def select(self, question: str, language: Language, hits: list[Hit]) -> tuple[list[Hit], list[float]]:
        scores = [self.evidence(question, language, h) for h in hits]
        threshold = self.threshold(language)
        if not hits or max(scores) < threshold:
            return [], scores
        best = max(scores)
        chosen = [h for h, s in zip(hits, scores) if s >= threshold and s >= best * self.config.relative]
        # an annex row repeats a task: cite the task when both are chosen
        tasks = {h.clause.clause_id for h in chosen}
        chosen = [h for h in chosen if not (h.clause.kind == ClauseKind.ANNEX_ROW and
                                            any(h.clause.clause_id in t.clause.annex_rows for t in chosen
                                                if t.clause.clause_id in tasks))]
        return chosen[: self.config.max_citations], scores

    # ---------- quoting ----------
    def quote(self, question: str, language: Language, hit: Hit) -> str:
        """The clause's most relevant sentences, verbatim (joined by …… where sentences are skipped)."""
        text = hit.clause.text
        if len(text) <= self.config.whole_clause_below:
            return text
        sentences = [(m.start(), m.group(0)) for m in _SENTENCE.finditer(text) if m.group(0).strip()]
        sentences = [(i, s) for i, s in sentences if not _RESPONSIBILITY.match(s.strip())] or sentences
        terms = self.question_terms(question, language)
        scored = sorted(sentences, key=lambda p: (-sum(len(t) for t in terms if t in p[1]), p[0]))
        picked = sorted(scored[: self.config.quote_sentences])
        out, last_end = "", None
        for start, s in picked:
            if last_end is not None and start != last_end:
                out += "……"
            out += s.strip() if last_end is None or start != last_end else s
            last_end = start + len(s)
        return out

    # ---------- writing ----------
    def answer(self, question: str, language: Language, hits: list[Hit]) -> Answer:
        chosen, scores = self.select(question, language, hits)
        if not chosen:
            return self._refusal(question, language, hits, scores)
        quotes = [self.quote(question, language, h) for h in chosen]
        parts: list[str] = []
        caveats: list[str] = []
        for n, (hit, quote) in enumerate(zip(chosen, quotes), start=1):
            parts.append(self._zh_part(n, hit, quote) if language == "zh" else self._en_part(n, hit, quote))
            for note in (frames.zh_caveats(hit.document, self.today) if language == "zh"
                         else frames.en_caveats(hit.document, self.today, self.glossary)):
                if note not in caveats:
                    caveats.append(note)
        text = "\n\n".join(parts + caveats)
        return Answer(question, language, False, text, tuple(chosen), tuple(hits), tuple(scores), tuple(quotes),
                      tuple(caveats))

    def _zh_part(self, n: int, hit: Hit, quote: str) -> str:
        c = hit.clause
        line = f"根据{frames.zh_source(hit.document)}{frames.zh_clause_ref(c)}：“{quote}”[{n}]"
        if c.responsible:
            lead = f"（牵头：{'、'.join(c.lead)}）" if c.lead else ""
            line += f"\n责任单位：{'、'.join(c.responsible)}{lead}。"
        return line

    def _en_part(self, n: int, hit: Hit, quote: str) -> str:
        c = hit.clause
        lines = [f"According to {frames.en_clause_ref(c)} ({c.label or 'unnumbered'}) of "
                 f"{frames.en_source(hit.document, self.glossary)} [{n}]:",
                 f"Original wording (Chinese): “{quote}”"]
        if c.text_en:
            lines.append(f"English reference translation (unofficial; the Chinese text is authoritative): “{c.text_en}”")
        else:
            lines.append("No English translation of this clause is available; the Chinese original above is the "
                         "authoritative wording.")
        if c.responsible:
            names = [f"{self.glossary.english(r)} ({r})" if self.glossary.english(r) else r for r in c.responsible]
            lines.append("Responsible: " + "; ".join(names) + ".")
        return "\n".join(lines)

    def _refusal(self, question: str, language: Language, hits: list[Hit], scores: list[float]) -> Answer:
        related = hits[:3]
        if language == "zh":
            text = "现有语料中没有能够回答这个问题的条款，无法据此作答。"
            if related:
                text += "\n以下条款可能相关，但不一定回答了您的问题：\n" + "\n".join(
                    f"- 《{h.document.title}》{frames.zh_clause_ref(h.clause)}" for h in related)
        else:
            text = "The corpus has no clause that answers this question, so PolicyQA cannot answer it."
            if related:
                text += "\nThese clauses may be related, but do not necessarily answer it:\n" + "\n".join(
                    f"- {frames.en_clause_ref(h.clause)} ({h.clause.label or 'unnumbered'}) of "
                    f"“{h.document.title_en or h.document.title}”" for h in related)
        return Answer(question, language, True, text, (), tuple(hits), tuple(scores))
