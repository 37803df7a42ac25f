"""Answers without a language model: the clauses judged to answer, the direct answer first, quotes verbatim.

    ExtractiveAnswerer(glossary=g).answer(query("广东省出口退税审批要在多少个工作日内完成？"), hits)
        -> Answer(refused=False, short="在20个工作日内完成退（免）税审批手续", citations=(Hit(（十八）…),),
                  text="在20个工作日内完成退（免）税审批手续。\\n\\n根据《广东省支持外贸稳定增长实施方案》"
                       "（广东省人民政府办公厅，2014年5月23日）第（十八）条：“…在20个工作日内完成…”[1] …")

A clause is cited when the calibrated answerability model (app.answerability) judges that it answers
the question; every clause so judged is cited, grouped by document. When none is, the answer says
plainly that the corpus does not cover the question and lists the nearest clauses as possibly related.
The frame speaks the user's script (traditional characters for a question in traditional characters);
quotes stay verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum

from ingest.model import Clause, ClauseKind
from ingest.text import sentence_spans, squash, to_script
from retrieval.glossary import Glossary
from retrieval.language import Language
from retrieval.query import Query
from retrieval.searcher import Hit
from retrieval.tokenize import EnglishTokenizer

from . import frames
from .answerability import DEFAULT_MODEL, Answerability, names_no_topic
from .further import DEFAULT_FURTHER, MIN_PRECISION, FurtherClauses, cited_rows
from .short import short_answer


class AnswerMode(str, Enum):
    EXTRACTIVE = "extractive"
    GENERATED = "generated"
    EXTRACTIVE_FALLBACK = "extractive-fallback"  # generation was tried and too little of it could be verified


@dataclass(frozen=True, slots=True)
class AnswerConfig:
    threshold: float | None = None  # probability a clause needs to be cited; None: the model's calibrated one
    max_citations: int = 8          # every applicable clause, within reason
    quote_sentences: int = 2
    whole_clause_below: int = 160   # quote a clause whole when it is this short
    related: int = 3                # clauses listed as possibly related in a refusal
    further: bool = True            # also cite the retrieved clauses app.further judges to apply (scenarios, comparisons)
    # probability a clause other than the likeliest needs to be cited on the answerability model's judgement
    # (app.further.cited_rows): the threshold decides whether to answer at all and is low, so as not to refuse
    # what the corpus answers; those below this bar are still weighed by app.further
    cite_bar: float = MIN_PRECISION

    def __post_init__(self) -> None:
        if self.threshold is not None and not 0 <= self.threshold <= 1:
            raise ValueError(f"threshold must be between 0 and 1. Currently, the threshold is {self.threshold}")
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
    evidence: tuple[float, ...] = ()      # P(answers) per retrieved hit
    quotes: tuple[str, ...] = ()          # the verbatim spans quoted, one per citation
    caveats: tuple[str, ...] = ()
    mode: AnswerMode = AnswerMode.EXTRACTIVE
    notes: tuple[str, ...] = field(default=())
    short: str | None = None              # the direct answer, a verbatim substring of a cited clause
    units: tuple[tuple["RowUnits", ...], ...] = ()  # who is responsible for each citation's quoted part, as stated
    script: str = "simplified"


@dataclass(frozen=True, slots=True)
class RowUnits:
    """Who carries out the quoted part of a clause: (row 附件 第16项, ("市商务局", "市贸促委"), ("市商务局",));
    `row` None when the units are the clause's own."""

    row: Clause | None
    responsible: tuple[str, ...]
    lead: tuple[str, ...]


def quoting_rows(quote: str, rows: list[Clause]) -> list[Clause]:
    """The annex rows whose task text holds a sentence of the quote: a draft's task lists its units per row,
    and the task's own clause carries the union of all its rows, so the rows say who does the quoted part.

        quote "……支持有条件和意愿的大型商贸、物流、供应链企业“走出去”，开拓国际市场……"
        rows  [第16项 "支持有条件和意愿的大型商贸…“走出去”…"  市商务局牵头，市贸促委, 第17项 "进一步优化…" 市市场监管局]
        -> [第16项]
    """
    # phrase by phrase: a row may word the rest of a sentence differently (“推动健全” for the task's “建立健全”)
    parts = [squash(p).strip("。；;，,、") for part in quote.split("……") for p in _PHRASES.split(part)]
    parts = [p for p in parts if len(p) >= 8]
    texts = [squash(r.text) for r in rows]
    return [r for r, text in zip(rows, texts) if any(p in text for p in parts)]


def row_task(text: str) -> str:
    """An annex row's task, without its number and its units column: "34\t研究建立…\t市商务局牵头…" -> "研究建立…"
    (a row as the parser gives it, in Chinese or in its reference translation); other text as it is."""
    fields = text.split("\t")
    return "\t".join(fields[1:-1]) if len(fields) >= 3 else text


def _best(rows: list[Clause], scores: list) -> list[Clause]:
    best = max(scores)
    return [r for r, score in zip(rows, scores) if score == best] if best else rows


def asked_rows(terms: Iterable[str], rows: list[Clause], words_en: Iterable[str] = (),
               english: EnglishTokenizer | None = None) -> list[Clause]:
    """Of the rows that quote a task, those about what the question asks: the rows whose task text holds the most
    of the question's words (`terms`, by length), then, of those, whose reference translation holds the most of its
    English words (`words_en`, tokens of `english`); all of them when none holds any.

        "深入实施“孔雀计划”……由哪个部门负责？", rows [第36项 "…职业院校…", 第37项 "深入实施“孔雀计划”…"] -> [第37项]
        "Who waives deferred-tax interest on 'Three Sames' products?", rows [第13项 "…self-declaration…",
            第14项 "…exempted from deferred tax interest…"] -> [第14项]
    """
    if len(rows) < 2:
        return rows
    terms = [t for t in set(terms) if len(t) >= 2]
    rows = _best(rows, [sum(len(t) for t in terms if t in squash(r.text)) for r in rows])
    words = set(words_en)
    if len(rows) < 2 or not words or english is None:
        return rows
    return _best(rows, [len(words & set(english.tokens(row_task(r.text_en or "")))) for r in rows])


def said_rows(reply: str, rows: list[Clause], english: EnglishTokenizer) -> list[Clause]:
    """Of the rows that quote a task, those the previous reply spoke of, when a follow-up points back at it ("这条由
    哪个单位落实？"): the rows whose task holds a phrase the reply quotes, else the rows whose reference translation
    shares the most words with it; all of them when it names none.

        reply "…第5项：海关部门对“三同”企业及产品出口时优先安排下厂检验等海关监管措施…",
        rows [第13项 "鼓励企业通过自我声明…", 第14项 "海关部门对“三同”企业及产品出口时…"] -> [第14项]
    """
    if len(rows) < 2 or not reply.strip():
        return rows
    # the reply frames what it quotes ("根据《…》第5项：…[1]"): count the runs of 8 characters it shares with a row
    said = squash(reply)
    runs = {said[i:i + 8] for i in range(len(said) - 7)}
    quoted = _best(rows, [sum(run in squash(row_task(r.text)) for run in runs) for r in rows])
    if quoted is not rows:
        return quoted
    words = set(english.tokens(reply))
    return _best(rows, [len(words & set(english.tokens(row_task(r.text_en or "")))) for r in rows])


_PHRASES = re.compile(r"[。；;，,！？]")


class ExtractiveAnswerer:
    def __init__(self, *, glossary: Glossary, config: AnswerConfig | None = None,
                 model: Answerability | None = None, today: date | None = None,
                 clauses: Mapping[str, Clause] | None = None, further: FurtherClauses | None = None) -> None:
        """`clauses` (clause id -> clause) lets an answer name the annex rows behind a task's units."""
        self.glossary = glossary
        self.clauses = clauses or {}
        # an annex row repeats (part of) a draft's task and names its units: the task is the clause to cite
        self.task_of = {row: c for c in self.clauses.values() for row in c.annex_rows}
        self.config = config or AnswerConfig()
        self.model = model or Answerability.load(DEFAULT_MODEL)
        self.further = further if further is not None else FurtherClauses.load(DEFAULT_FURTHER)
        self.today = today or date.today()
        self.english = EnglishTokenizer()

    @property
    def threshold(self) -> float:
        return self.config.threshold if self.config.threshold is not None else self.model.threshold

    # ---------- judging ----------
    def select(self, query: Query, hits: list[Hit]) -> tuple[list[Hit], list[float]]:
        matrix, probabilities = self.model.judged(query, hits)
        picked = cited_rows(probabilities, self.threshold, self.config.cite_bar)
        if picked and self.config.further:
            # the other measures of a scenario or a comparison: each answers less of the question alone
            further = self.further.probabilities(query, matrix, [p - self.threshold for p in probabilities], picked,
                                                 [h.document.doc_id for h in hits])
            picked += [r for r, p in enumerate(further) if r not in picked and p >= self.further.threshold]
        chosen = [hits[r] for r in picked]
        among = {row: h.clause for h in chosen for row in h.clause.annex_rows}
        chosen = [self._as_task(h, among) for h in chosen]
        # a task reached through two of its rows (or itself and a row) is cited once
        seen: set[str] = set()
        chosen = [h for h in chosen if not (h.clause.clause_id in seen or seen.add(h.clause.clause_id))]
        # a clause named by number ("第十六条是什么？") is what is asked for: other clauses of its document are
        # not cited beside it; another document's clause may be (a comparison names two)
        named = next((h for h in chosen if "lookup" in h.sources), None) if query.reference else None
        if named is not None:
            chosen = [named] + [h for h in chosen if h is not named and h.document.doc_id != named.document.doc_id]
        return chosen[: self.config.max_citations], probabilities

    def _as_task(self, hit: Hit, among: Mapping[str, Clause]) -> Hit:
        """An annex row stands for the draft's task it repeats: cite the task (its number is the clause's), whose
        units the answer then gives per quoting row; a row whose task is unknown is cited as it is. `among`: the
        tasks of the other chosen clauses (row id -> task), for an answerer built without the index's clauses."""
        if hit.clause.kind != ClauseKind.ANNEX_ROW:
            return hit
        task = self.task_of.get(hit.clause.clause_id) or among.get(hit.clause.clause_id)
        return replace(hit, clause=task, item=None) if task is not None else hit

    # ---------- quoting ----------
    def quote(self, query: Query, text: str, *, english: bool = False, must: str | None = None) -> str:
        """The most relevant sentences of `text`, verbatim, joined by …… where sentences are skipped;
        the sentence holding `must` (the short answer) is always among them."""
        if len(text) <= self.config.whole_clause_below * (3 if english else 1):
            return text
        spans = sentence_spans(text)
        terms = set(self.english.tokens(query.text)) if english else set(query.terms)

        def relevance(span: tuple[int, int]) -> int:
            sentence = text[span[0]:span[1]]
            if english:
                return len(terms & set(self.english.tokens(sentence)))
            return sum(len(t) for t in terms if t in sentence)

        ranked = sorted(spans, key=lambda s: (-relevance(s), s[0]))
        picked = ranked[: self.config.quote_sentences]
        if must:
            at = text.find(must)
            holding = [s for s in spans if s[0] <= at < s[1]] if at >= 0 else []
            if holding and holding[0] not in picked:
                picked = [holding[0]] + picked[: self.config.quote_sentences - 1]
        out, last_end = "", None
        for start, end in sorted(picked):
            if last_end is not None and start != last_end:
                out += "……"
            out += text[start:end].strip() if last_end is None or start != last_end else text[start:end]
            last_end = end
        return out

    # ---------- writing ----------
    def answer(self, query: Query, hits: list[Hit], *, named: bool = False, said: str = "") -> Answer:
        """`named`: the hits are the clauses the user points at ("这条由哪个部门负责？" after a clause was cited):
        they are the subject of the question, so they are cited without the answerability judgement. `said`: the
        reply of the conversation's previous turn, when the hits are the clauses it cited: of a task's annex rows,
        the ones it spoke of say who is responsible."""
        chosen, probabilities = self.select(query, hits)
        if named:
            chosen = list(hits[: self.config.max_citations])
        if not chosen:
            return self._refusal(query, hits, probabilities)
        short = short_answer(query, [h.clause for h in chosen])
        # grouped by document, in the order documents first appear among the cited clauses
        order = list(dict.fromkeys(h.document.doc_id for h in chosen))
        chosen = sorted(chosen, key=lambda h: order.index(h.document.doc_id))
        quotes = [self.quote(query, h.clause.text, must=short if short and short in h.clause.text else None)
                  for h in chosen]
        parts: list[str] = []
        caveats: list[str] = []
        if short:
            parts.append(short if query.language == "zh" else f"Short answer (Chinese original): “{short}”")
        # the annex row the search ranked highest is the part of a task the question reached
        rank = {h.clause.clause_id: i for i, h in enumerate(hits)}
        reached = [min((r for r in h.clause.annex_rows if r in rank), key=rank.get, default=None) for h in chosen]
        units = [tuple(self.units(h.clause, quote, query, row, said))
                 for h, quote, row in zip(chosen, quotes, reached)]
        for n, (hit, quote, stated) in enumerate(zip(chosen, quotes, units), start=1):
            parts.append(self._zh_part(n, hit, quote, stated) if query.language == "zh" else
                         self._en_part(n, hit, quote, stated, query))
            for note in (frames.zh_caveats(hit.document, self.today) if query.language == "zh"
                         else frames.en_caveats(hit.document, self.today)):
                if note not in caveats:
                    caveats.append(note)
        if "in_force" in query.intents:
            caveats.append(frames.in_force_note(query.language))
        text = "\n\n".join(parts + caveats)
        return Answer(query.text, query.language, False, self._script(text, query, ([short] if short else []) + quotes), tuple(chosen),
                      tuple(hits), tuple(probabilities), tuple(quotes), tuple(caveats), short=short,
                      script=query.script, units=tuple(units))

    @staticmethod
    def _script(text: str, query: Query, quotes: list[str]) -> str:
        """The frame in the user's script, the quotes (verbatim clause text) untouched."""
        if query.script != "traditional":
            return text
        out, rest = [], text
        for quote in quotes:
            before, sep, rest = rest.partition(quote)
            out += [to_script(before, "traditional"), sep]
        return "".join(out) + to_script(rest, "traditional")

    def units(self, clause: Clause, quote: str, query: Query | None = None,
              reached: str | None = None, said: str = "") -> list[RowUnits]:
        """Who is responsible for the part asked about: the units of the annex row the search reached (`reached`,
        a row id of this clause), else of the rows the previous reply `said` spoke of, else of the quoting rows; of
        those, the rows about what `query` asks; else the clause's own."""
        if reached in clause.annex_rows and reached in self.clauses:
            row = self.clauses[reached]
            return [RowUnits(row, row.responsible, row.lead)]
        rows = [self.clauses[r] for r in clause.annex_rows if r in self.clauses]
        spoken = said_rows(said, rows, self.english) if said else rows
        # what the previous reply spoke of is what a follow-up asks about, whatever part of the task is quoted now
        rows = spoken if len(spoken) < len(rows) else quoting_rows(quote, rows)
        if query is not None:
            rows = asked_rows(query.terms, rows, query.words_en if query.language == "en" else (), self.english)
        if rows:
            return [RowUnits(r, r.responsible, r.lead) for r in rows]
        return [RowUnits(None, clause.responsible, clause.lead)] if clause.responsible else []

    def _zh_part(self, n: int, hit: Hit, quote: str, units: tuple[RowUnits, ...]) -> str:
        c = hit.clause
        line = f"根据{frames.zh_source(hit.document)}{frames.zh_clause_ref(c)}：“{quote}”[{n}]"
        for u in units:
            names = "、".join(f"{r}（牵头）" if r in u.lead else r for r in u.responsible)
            line += f"\n责任单位{f'（{u.row.label}）' if u.row else ''}：{names}。"
        return line

    def _en_part(self, n: int, hit: Hit, quote: str, units: tuple[RowUnits, ...], query: Query) -> str:
        c = hit.clause
        lines = [f"According to {frames.en_clause_ref(c)}{f' ({c.label})' if c.label else ''} of "
                 f"{frames.en_source(hit.document, self.glossary)} [{n}]:"]
        if c.path_en:
            lines.append("Section (reference translation): " + " › ".join(c.path_en))
        if c.text_en:
            lines.append("English reference translation (unofficial; the Chinese text is authoritative): "
                         f"“{self.quote(query, c.text_en, english=True)}”")
        else:
            lines.append("No English translation of this clause is available; the Chinese original below is the "
                         "authoritative wording.")
        lines.append(f"Original wording (Chinese): “{quote}”")
        for u in units:
            names = [(f"{self.glossary.english(r)} ({r})" if self.glossary.english(r) else r)
                     + (", lead (牵头)" if r in u.lead else "") for r in u.responsible]
            row = f" ({frames.en_clause_ref(u.row)})" if u.row else ""
            lines.append(f"Responsible{row}: " + "; ".join(names) + ".")
        return "\n".join(lines)

    def _refusal(self, query: Query, hits: list[Hit], probabilities: list[float]) -> Answer:
        # smalltalk, or nothing to look up: the nearest clauses are arbitrary, so none is listed
        smalltalk = "smalltalk" in query.intents
        if smalltalk or names_no_topic(query):
            zh, en = ((frames.SMALLTALK_ZH, frames.SMALLTALK_EN) if smalltalk
                      else (frames.NO_TOPIC_ZH, frames.NO_TOPIC_EN))
            text = self._script(zh, query, []) if query.language == "zh" else en
            return Answer(query.text, query.language, True, text, (), tuple(hits), tuple(probabilities),
                          script=query.script)
        related = hits[: self.config.related]
        if query.language == "zh":
            text = "现有语料中没有能够回答这个问题的条款，无法据此作答。"
            if "in_force" in query.intents:
                text += frames.in_force_note("zh", [h.document for h in related])
            if related:
                text += "\n以下条款可能相关，但不一定回答了您的问题：\n" + "\n".join(
                    f"- 《{h.document.title}》{frames.related_ref('zh', h.clause)}" for h in related)
            # the opening words of an unnumbered passage are quoted verbatim, the frame speaks the user's script
            text = self._script(text, query, [frames.opening(h.clause) for h in related if not h.clause.label])
        else:
            text = "The corpus has no clause that answers this question, so PolicyQA cannot answer it."
            if "in_force" in query.intents:
                text += " " + frames.in_force_note("en", [h.document for h in related])
            if related:
                text += "\nThese clauses may be related, but do not necessarily answer it:\n" + "\n".join(
                    f"- {frames.related_ref('en', h.clause)} of “{h.document.title_en or h.document.title}”"
                    for h in related)
        return Answer(query.text, query.language, True, text, (), tuple(hits), tuple(probabilities),
                      script=query.script)
