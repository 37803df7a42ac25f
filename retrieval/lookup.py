"""Clause lookup: a question that names a clause by number, and a hint of which document.

    parse_reference("深圳海关20条的第十六条是什么？")   -> Reference(value=16, bracketed=False, unit="条")
    parse_reference("第（九）条讲了什么")               -> Reference(value=9, bracketed=True, unit="条")
    parse_reference("What does article 16 say?")      -> Reference(value=16, bracketed=False, unit="article")
    parse_reference("measure (9) of the Guangdong plan") -> Reference(value=9, bracketed=True, unit="measure")
    parse_reference("刑法第二百八十七条之二第二款")     -> Reference(287, False, "条", suffix=2, paragraph=2)
    parse_reference("海关法第十八条第（三）项")          -> Reference(18, False, "条", item=3)

The clause with that number in the document the question points at (retrieval/hints.py) is put first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import Clause, ClauseKind
from ingest.text import nfkc
from ingest.numbering import CN_NUMERAL, number_value


_NUM = rf"[{CN_NUMERAL}]+|\d+"
_ZH = [
    (re.compile(rf"第\s*[（(]\s*({_NUM})\s*[）)]\s*(条|项|点|款|个)?"), True),
    (re.compile(rf"第\s*({_NUM})\s*(条|项|点|款|个措施|项措施|项任务)"), False),
    (re.compile(rf"(?:任务|措施|举措|条款)\s*[（(]?\s*({_NUM})\s*[）)]?"), False),
]
# how statutes name a part of an article, after "第X条": 之二 (an article inserted by amendment), 第二款 (a
# paragraph), 第（三）项 (an item); each optional, in this order (立法技术规范: 条 > 款 > 项 > 目)
_ARTICLE_PARTS = re.compile(rf"\s*(?:之\s*({_NUM}))?\s*(?:第\s*({_NUM})\s*款)?\s*(?:第\s*[（(]?\s*({_NUM})\s*[）)]?\s*项)?")
_ZH_BARE = re.compile(rf"[（(]\s*([{CN_NUMERAL}]+|\d{{1,2}})\s*[）)]")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
          "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15, "xvi": 16, "xvii": 17, "xviii": 18, "xix": 19, "xx": 20}
_EN = re.compile(r"\b(article|art\.|measure|clause|item|task|point|no\.|number|section|paragraph|provision)\s*"
                 r"(\()?\s*(?:#|no\.?)?\s*(\d{1,3}|[ivx]{1,5})\s*(\))?(?![\w])", re.I)
_EN_BARE = re.compile(r"(?<![\w(])\((\d{1,3})\)")


@dataclass(frozen=True, slots=True)
class Reference:
    value: int
    bracketed: bool
    unit: str
    suffix: int | None = None      # 第二百八十七条之二 -> 2; None: the article itself (287, not 287-2)
    paragraph: int | None = None   # 第X条第二款 -> 2
    item: int | None = None        # 第X条第（三）项 -> 3

    def item_label(self, clause: Clause) -> str | None:
        """The label of the named item in `clause` ("（三）"), None when none is named or the clause has no such item."""
        if self.item is None:
            return None
        return next((i.label for i in clause.items if _number_of(i.number) == self.item), None)


def _number_of(word: str) -> int | None:
    try:
        return number_value(word)
    except ValueError:
        return None


def _article_parts(text: str, end: int) -> dict[str, int | None]:
    m = _ARTICLE_PARTS.match(text, end)
    return {name: (_number_of(m.group(g)) if m.group(g) else None)
            for g, name in ((1, "suffix"), (2, "paragraph"), (3, "item"))}


def parse_reference(question: str) -> Reference | None:
    text = nfkc(question)
    # the earliest mention is the article itself: in 第十八条第（三）项 the item comes after it
    found = sorted(((m, bracketed) for pattern, bracketed in _ZH if (m := pattern.search(text))),
                   key=lambda x: x[0].start())
    for m, bracketed in found:
        value = _number_of(m.group(1))
        if value is not None and 0 < value < 1000:
            unit = m.group(2) if m.lastindex and m.lastindex >= 2 and m.group(2) else ""
            parts = _article_parts(text, m.end()) if unit == "条" else {}
            return Reference(value, bracketed, unit, **parts)
    m = _EN.search(text)
    if m:
        raw = m.group(3).lower()
        value = int(raw) if raw.isdigit() else _ROMAN.get(raw, 0)
        if value:
            return Reference(value, bool(m.group(2)), m.group(1).lower())
    m = _ZH_BARE.search(text)
    if m:
        return Reference(number_value(m.group(1)), True, "")
    m = _EN_BARE.search(text)
    if m:
        return Reference(int(m.group(1)), True, "")
    return None


def choose_clause(ref: Reference, clauses: list[Clause], doc_scores: dict[str, float],
                  rank_of: dict[str, int]) -> Clause | None:
    """The clause a reference names: best-hinted document first, then style fit, then retrieval rank."""
    # 第二百八十七条 and 第二百八十七条之二 share the number; the suffix tells them apart
    candidates = [c for c in clauses if c.number and c.kind != ClauseKind.ANNEX_ROW and _value(c) == ref.value
                  and _suffix(c) == ref.suffix]
    if ref.unit in ("项",) or ref.unit in ("item",):
        candidates += [c for c in clauses if c.kind == ClauseKind.ANNEX_ROW and _value(c) == ref.value]
    if not candidates:
        return None
    best_doc = max(doc_scores.values(), default=0.0)

    def key(c: Clause) -> tuple:
        hinted = doc_scores.get(c.doc_id, 0.0)
        style_fit = ref.bracketed == c.style.parenthesised
        return (-(hinted >= best_doc > 0), -hinted, -(c.kind == ClauseKind.NUMBERED), -style_fit,
                rank_of.get(c.clause_id, 10**9))

    return min(candidates, key=key)


def _suffix(clause: Clause) -> int | None:
    return _number_of(clause.suffix) if clause.suffix else None


def _value(clause: Clause) -> int:
    value = _number_of(clause.number)
    return -1 if value is None else value
