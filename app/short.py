"""The direct answer of a clause to a question that asks for a figure, a deadline, a date or an agency.

    short_answer(query("出口退税审批要多少个工作日？"), clause（十八）)  -> "在20个工作日内完成退（免）税审批手续"
    short_answer(query("这条由哪些部门负责？"), clause（十八）)         -> "省国税局，省财政厅"

The result is always a verbatim substring of the clause text (at most 80 characters): the comma-delimited
phrase that holds a figure of the asked kind, in the sentence that shares the most words with the question;
for agencies, the list inside the clause's trailing responsibility parenthesis. None when the clause
states nothing of the asked kind.
"""

from __future__ import annotations

import re

from ingest.model import Clause
from ingest.text import sentence_spans
from retrieval.asked import figure_spans
from retrieval.query import Query

MAX_SHORT = 80
_PHRASE_END = re.compile(r"[，,；;。：:！？]")
_ROLE_WORDS = re.compile(r"(按职责分工)?(分别)?(牵头)?负责$|牵头$|配合$")


def short_answer(query: Query, clause: Clause) -> str | None:
    if query.asked is None:
        return None
    if query.asked == "agency":
        return _agencies(clause)
    text = clause.text
    best: tuple[int, str] | None = None
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        for a, b in figure_spans(query.asked, sentence):
            phrase = _phrase(sentence, a, b)
            overlap = sum(len(t) for t in query.terms if t in sentence)
            if best is None or overlap > best[0]:
                best = (overlap, phrase)
    return best[1] if best else None


def _phrase(sentence: str, a: int, b: int) -> str:
    """The comma-delimited phrase around sentence[a:b], trimmed to MAX_SHORT characters around the figure."""
    left = max((m.end() for m in _PHRASE_END.finditer(sentence, 0, a)), default=0)
    right_match = _PHRASE_END.search(sentence, b)
    right = right_match.start() if right_match else len(sentence)
    phrase = sentence[left:right].strip()
    if len(phrase) <= MAX_SHORT:
        return phrase
    return sentence[max(a - 30, left):min(b + 30, right)].strip()


def _agencies(clause: Clause) -> str | None:
    """The verbatim inside of the last parenthesis that names the clause's responsible units."""
    if not clause.responsible:
        return None
    text = clause.text
    for m in reversed(list(re.finditer(r"[（(〔]([^（）()〔〕]{2,120})[）)〕]", text))):
        inner = m.group(1)
        if any(unit in inner for unit in clause.responsible):
            inner = _ROLE_WORDS.sub("", inner.strip()).rstrip("，,、；; ")
            return inner[:MAX_SHORT] or None
    return None
