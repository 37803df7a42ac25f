"""The direct answer of the cited clauses to a question that asks for a figure, a date, an agency or a yes/no.

    short_answer(query("出口退税审批要多少个工作日？"), [clause（十八）])             -> "在20个工作日内完成退（免）税审批手续"
    short_answer(query("年出口过亿的跨境电商品牌，深圳想要几个？"), [clause 一、总体要求])
        -> "年出口额超亿元跨境电商品牌不少于 50 个"      (not "新增跨境电商上市企业 5-10 家", earlier in the sentence)
    short_answer(query("这条由哪些部门负责？"), [clause（十八）])                     -> "省国税局，省财政厅"

What is looked for is the query's `wants` kind (retrieval.asked.wanted). The result is always a verbatim substring
of one clause's text (at most MAX_SHORT characters): among every cited clause, the comma-delimited phrase that
holds a figure of the wanted kind (any phrase, for "which" and yes/no questions) and best matches the question.
A phrase matches by the question's terms (glossary expansions included, so an English question matches through
its Chinese terms) in the phrase and, less, in its sentence, each weighted by its length and by how few of the
cited sentences hold it. A figure the question itself states ("超过10亿美元的企业给多少奖励？") is its condition,
not its answer: such a phrase is taken only when no other holds a figure. For agencies, the list inside a clause's
trailing responsibility parenthesis. None when no cited clause states anything of the wanted kind.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.model import Clause
from ingest.text import fold, sentence_spans, squash
from retrieval.asked import LIST_MARKER, answer_spans, open_question
from retrieval.query import Query
from retrieval.tokenize import EnglishTokenizer

from .answerability import english_terms

MAX_SHORT = 80
PHRASE_WEIGHT = 2.0  # a term in the phrase itself counts this much more than one elsewhere in its sentence
ENGLISH_WEIGHT = 3.0  # an English word of the question in the aligned part of the translation, like a 3-character term
MIN_SHARE = 0.4  # a "which" or yes/no answer: the share of the question's words (by weight) its phrase must hold
NEAR = 0.15  # how far (share of the paragraph) an English chunk may sit from the phrase's place and still support it
_PHRASE_END = re.compile(r"[，,；;。：:！？]")
_ITEM_END = re.compile(r"[、]")
_PARENTHESIS = re.compile(r"[（(〔]([^（）()〔〕]{2,120})[）)〕]")  # where a clause names its responsible units
_ROLE_WORDS = re.compile(r"(按职责分工)?(分别)?(牵头)?负责$|牵头$|配合$")
_PLAN_YEARS = re.compile(r"\d{4}\s*[-－—–~至]\s*\d{4}\s*(年)?\s*[）)]")  # "（2022-2025）" ending a plan's name
_EN_AMOUNT = re.compile(r"(us\$|\$|usd|rmb|cny)?\s*(\d+(?:\.\d+)?)\s*(billion|bn|million|mn)\b\s*(us dollars|dollars|usd|yuan|rmb)?")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_NUMBER_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*(亿美元|万美元|亿元|万元|美元|万平方米|平方米)?")  # a number, with its unit of money or area
_NOT_STATED = frozenset({"in_force", "advice"})  # asked of the system: whether it still applies, what to do
_PHRASE_KINDS = ("which", "yesno")  # answered by the phrase that matches best, figure or not
_WIDER = {"days": ("days", "date", "number"), "date": ("date", "days", "number"), "count": ("count", "number"),
          "money": ("money", "number"), "percent": ("percent", "number")}  # what else may answer a figure question
_OPEN = "open"  # an open wh-question: a phrase stating any figure, held to MIN_SHARE like the phrase kinds
_EN_CHUNK = re.compile(r"[^,;:\n]+?(?:[,;:](?=\s)|\.(?=\s|$)|$)", re.M)
_english = EnglishTokenizer()


@dataclass(frozen=True, slots=True)
class _Candidate:
    phrase: str
    score: float
    condition: bool  # its figure is one the question states
    order: tuple[int, int]  # (clause rank, position): ties go to the better-ranked clause, then the earlier phrase

    def key(self) -> tuple:
        return (not self.condition, self.score, -self.order[0], -self.order[1])


def short_answer(query: Query, clauses: Sequence[Clause]) -> str | None:
    """The direct answer from `clauses` (the cited clauses, best first), or None."""
    kind = query.wants
    if kind is None and query.reference is None and open_question(query.folded):
        kind = _OPEN  # "定了什么目标？": the figure of the phrase that best matches the question, if any
    if kind is None or not clauses or query.intents & _NOT_STATED:
        return None
    if kind == "agency":
        return next((s for c in clauses if (s := _agencies(c))), None)
    # a sentence to its 。: "…给予500万元扶持；其中…超10亿美元的，再给予500万元奖励。" is one context
    sentences = [(rank, c.text[a:b], a) for rank, c in enumerate(clauses)
                 for a, b in sentence_spans(c.text, semicolons=False)]
    weights = term_weights(query, [fold(s) for _, s, _ in sentences])
    english = [_Translation(c) for c in clauses] if query.language == "en" else []
    words = _english_weights(english_terms(query), english)
    units = [_units(c) for c in clauses] if kind in _PHRASE_KINDS else []  # no widened kind is a phrase kind
    # the figure asked for, else one of a neighbouring kind ("How soon …?" answered by "今年内"; "几个地方" by
    # "两地"), else any figure: the kinds past the first are held to MIN_SHARE, as the question's word for the
    # figure no longer vouches for the phrase, and never give a figure the question itself states
    for i, step in enumerate(_WIDER.get(kind, (kind,))):
        found = _candidates(step, i > 0, query, sentences, weights, english, words, units)
        if found:
            return max(found, key=_Candidate.key).phrase
    return None


def _candidates(kind: str, widened: bool, query: Query, sentences: list[tuple[int, str, int]],
                weights: dict[str, float], english: list["_Translation"], words: dict[str, float],
                units: list[list[tuple[int, int]]]) -> list[_Candidate]:
    candidates: list[_Candidate] = []
    for rank, sentence, offset in sentences:
        around = _overlap(weights, fold(sentence))
        if kind in _PHRASE_KINDS:  # any phrase but the list of responsible units
            found = [(a, b, False) for a, b in _phrases(sentence)
                     if not any(x <= offset + a < y for x, y in units[rank])]
        else:
            spans = answer_spans("number" if kind == _OPEN else kind, sentence)
            if kind == _OPEN or widened:  # a figure in a title ("《…20 条》", "（2022-2025）") names a document
                spans = [(a, b) for a, b in spans if not _in_title(sentence, a)]
            found = [(*_phrase_span(sentence, a, b, spans), _is_condition(sentence, a, b, query)) for a, b in spans]
        for a, b, condition in found:
            if condition and widened:
                continue  # a figure the question states, of another kind than asked: not even a fallback
            phrase = sentence[a:b]
            own = _overlap(weights, fold(phrase))
            support = english[rank].support(words, offset + a, offset + b) if words else 0.0
            if (widened or kind in (*_PHRASE_KINDS, _OPEN)) and \
                    _share(own, weights, support, words, query) < MIN_SHARE:
                continue  # no figure to go by: the phrase itself must say much of what the question asks
            score = PHRASE_WEIGHT * own + around + ENGLISH_WEIGHT * support
            candidates.append(_Candidate(phrase, score, condition, (rank, offset + a)))
    return candidates


def term_weights(query: Query, sentences: list[str]) -> dict[str, float]:
    """Weight of each of the query's terms (two characters or more, or a number) that some sentence holds:
    min(length, 4) × log(1 + sentences / sentences holding it). With 4 sentences, "工作日" in one of them
    weighs 3 × log(5) ≈ 4.8; "企业" in all four, 2 × log(2) ≈ 1.4."""
    n = len(sentences)
    weights: dict[str, float] = {}
    for term in dict.fromkeys(query.terms):
        if len(term) < 2 and not term.isdigit():
            continue
        df = sum(1 for s in sentences if term in s)
        if df:
            weights[term] = min(len(term), 4) * math.log(1 + n / df)
    return weights


class _Translation:
    """A clause's English reference translation in chunks (split at , ; : and sentence ends), each placed in the
    paragraph that corresponds to the Chinese one (paragraphs are kept one for one; when the counts differ, the
    whole text is one paragraph), so that a Chinese phrase can be matched by the English words near its place:

        "…新增跨境电商上市企业 5-10 家，年出口额超亿元跨境电商品牌不少于 50 个，…"
        "…; 5 to 10 additional cross-border e-commerce enterprises are listed; there are no fewer than 50
         cross-border e-commerce brands with annual exports exceeding RMB 100 million; …"
        -> "年出口额超亿元跨境电商品牌不少于 50 个" is supported by "brand" (the same number 50, and nearby)
    """

    def __init__(self, clause: Clause) -> None:
        self.text = clause.text
        self.zh = _paragraphs(clause.text)
        en = _paragraphs(clause.text_en or "")
        if len(en) != len(self.zh):
            self.zh, en = [(0, len(clause.text))], [(0, len(clause.text_en or ""))]
        text = clause.text_en or ""
        # (paragraph, relative middle, stemmed words, numbers) of each chunk
        self.chunks = [(i, ((m.start() + m.end()) / 2 - a) / max(b - a, 1), set(_english.tokens(m.group(0))),
                        set(_DIGITS.findall(m.group(0))))
                       for i, (a, b) in enumerate(en) for m in _EN_CHUNK.finditer(text, a, b) if m.group(0).strip()]

    def support(self, words: dict[str, float], a: int, b: int) -> float:
        """The weight of the question's English words in the chunk that best supports the clause's text[a:b]:
        a chunk counts in full when it has a number of the phrase, less the farther its place is from the phrase's."""
        here = next((i for i, (pa, pb) in enumerate(self.zh) if pa <= a < pb), None)
        if here is None:
            return 0.0
        pa, pb = self.zh[here]
        middle = ((a + b) / 2 - pa) / max(pb - pa, 1)
        numbers = set(_DIGITS.findall(self.text[a:b]))
        best = 0.0
        for i, at, tokens, figures in self.chunks:
            if i != here:
                continue
            near = 1.0 if numbers & figures else max(0.0, 1 - abs(at - middle) / NEAR)
            if near:
                best = max(best, near * sum(w for t, w in words.items() if t in tokens))
        return best


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]


def _english_weights(words: list[str], translations: list[_Translation]) -> dict[str, float]:
    """log(1 + chunks / chunks holding it) for each of the question's English content words the translations hold."""
    chunks = [tokens for t in translations for _, _, tokens, _ in t.chunks]
    out = {}
    for word in words:
        df = sum(1 for tokens in chunks if word in tokens)
        if df:
            out[word] = math.log(1 + len(chunks) / df)
    return out


def _share(own: float, weights: dict[str, float], support: float, words: dict[str, float], query: Query) -> float:
    """The share (by weight) of the question's words a phrase holds: its Chinese terms for a Chinese question; for an
    English one, its English words in the aligned translation (its Chinese terms are few, often a place name)."""
    if query.language == "en":
        return support / sum(words.values()) if words else 0.0
    return own / sum(weights.values()) if weights else 0.0


def _overlap(weights: dict[str, float], text: str) -> float:
    return sum(w for t, w in weights.items() if t in text)


def _is_condition(sentence: str, a: int, b: int, query: Query) -> bool:
    """Whether the question states the figure sentence[a:b] itself: every number of it ("10" of "超10亿美元")
    among the question's numbers, or a number of the same unit ("12亿美元" asked, "超10亿美元的企业" stated); for a
    figure in words ("七"), the words in the question."""
    figure = sentence[a:b]
    numbers = _DIGITS.findall(figure)
    if not numbers:
        return squash(fold(figure)) in squash(query.folded)
    asked = _stated_amounts(query.folded)
    if all(n in asked for n in numbers):
        return True
    unit = _NUMBER_UNIT.match(sentence, a)
    return bool(unit and unit.group(2) and unit.group(2) in asked.values())


@lru_cache(maxsize=256)
def _stated_amounts(folded: str) -> dict[str, str | None]:
    """The numbers a (folded) question states, number -> unit as Chinese clauses write it (None: no unit), computed
    once per question for every phrase weighed: "超10亿美元" -> {"10": "亿美元"}; English amounts converted,
    "more than us$1 billion" -> {"10": "亿美元"}, "5 million yuan" -> {"500": "万元"}. Not to be mutated (cached)."""
    out: dict[str, str | None] = {m.group(1): m.group(2) for m in _NUMBER_UNIT.finditer(folded)}
    for m in _EN_AMOUNT.finditer(folded):
        billions = m.group(3) in ("billion", "bn")
        currency, named = m.group(1) or "", m.group(4) or ""
        dollars = "$" in currency or currency == "usd" or named in ("dollars", "usd", "us dollars")
        out[f"{float(m.group(2)) * (10 if billions else 100):g}"] = ("亿" if billions else "万") + ("美元" if dollars else "元")
    return out


def _phrases(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of each comma-delimited phrase of a sentence, stripped, at most MAX_SHORT characters."""
    out, start = [], 0
    for m in [*_PHRASE_END.finditer(sentence), None]:
        end = m.start() if m else len(sentence)
        a, b = _strip(sentence, start, end)
        marker = LIST_MARKER.match(sentence, a, b)
        if marker:  # "19\t出台市场采购贸易扶持政策" -> "出台市场采购贸易扶持政策"
            a, b = _strip(sentence, marker.end(), b)
        if b - a >= 2:
            out.append((a, min(b, a + MAX_SHORT)))
        start = m.end() if m else end
    return out


def _phrase_span(sentence: str, a: int, b: int, spans: list[tuple[int, int]] = ()) -> tuple[int, int]:
    """The comma-delimited phrase around sentence[a:b], trimmed to MAX_SHORT characters around the figure;
    the 、-delimited item around it when the phrase lists other figures of the kind too
    ("第116届…交易会、第16届…交易会、第11届…博览会" -> "第16届中国（深圳）国际高新技术成果交易会")."""
    left = max((m.end() for m in _PHRASE_END.finditer(sentence, 0, a)), default=0)
    right_match = _PHRASE_END.search(sentence, b)
    right = right_match.start() if right_match else len(sentence)
    if any(left <= x < right and (x, y) != (a, b) for x, y in spans):
        left = max(left, max((m.end() for m in _ITEM_END.finditer(sentence, left, a)), default=left))
        item_end = _ITEM_END.search(sentence, b, right)
        right = item_end.start() if item_end else right
    left, right = _strip(sentence, left, right)
    if right - left <= MAX_SHORT:
        return left, right
    return _strip(sentence, max(a - 30, left), min(b + 30, right))


def _in_title(sentence: str, at: int) -> bool:
    """Whether sentence[at] lies inside a 《》 title, or in a phrase that names a plan by its years."""
    return sentence.rfind("《", 0, at) > sentence.rfind("》", 0, at) or bool(_PLAN_YEARS.match(sentence, at))


def _units(clause: Clause) -> list[tuple[int, int]]:
    """Where the clause's text lists its responsible units: the parenthesis that names them."""
    return [m.span() for m in _PARENTHESIS.finditer(clause.text)
            if any(unit in m.group(1) for unit in clause.responsible)]


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _agencies(clause: Clause) -> str | None:
    """The verbatim inside of the last parenthesis that names the clause's responsible units."""
    if not clause.responsible:
        return None
    text = clause.text
    for m in reversed(list(_PARENTHESIS.finditer(text))):
        inner = m.group(1)
        if any(unit in inner for unit in clause.responsible):
            inner = _ROLE_WORDS.sub("", inner.strip()).rstrip("，,、；; ")
            return inner[:MAX_SHORT] or None
    return None
