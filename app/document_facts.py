"""A follow-up about the document itself (when it was issued, by whom, whether it is final), cited to the passage
of the document that states it.

    fact_asked("什么时候印发的？")          -> "date"
    fact_asked("这个20条是谁制定的？")      -> "issuer"
    fact_asked("Is that document final?") -> "status"
    fact_asked("到哪一年要完成？")          -> None   (a measure's deadline: the clauses answer that)
    stating(meta(date="2014-05-23"), clauses, "date") -> clause p2 "广东省人民政府办公厅\\n2014年5月23日"

A previous answer cited a measure; the date, the issuer and the draft status are in the document's unnumbered
passages (the notice, the signature, the title) and in its metadata, which ingest read from that text. The passage
cited is the one whose words state the metadata's value, so the answer quotes the document, never the metadata
alone, and the clauses the previous answer cited follow it (the fact is of their document); when the value is
unknown, or no passage states it, nothing is answered here and the follow-up goes on as any other (refused when
nothing answers it).

Written by hand: three small bilingual patterns for what is asked, and a lookup in the document's own passages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.model import Clause, ClauseKind, DocumentMeta, Status
from ingest.text import squash

from .frames import zh_date

_ISSUED = r"(印发|发布|发文|出台|签发|下发|颁布|公布|制定|发的|出的|定的)"
_DATE = re.compile(rf"{_ISSUED}的?(时间|日期)|(什么时候|何时|哪天|哪一天|哪年|几时|几月几号|几号){_ISSUED}|"
                   r"\bwhen (was|were|did)\b.{0,60}\b(issued|published|released|signed|adopted|promulgated|"
                   r"come out|issue|publish|release)\b|\b(issue|issuing|publication|release) date\b", re.I)
_ISSUER = re.compile(rf"(谁|哪个(部门|机关|单位|局)|哪家|哪一?个?单位){_ISSUED}|由(谁|哪个(部门|机关|单位))(印发|发布|制定)|"
                     r"发文(机关|单位)|\bwho (issued|published|wrote|drafted|made|released|signed)\b|"
                     r"\bwhich (body|agency|department|authority|bureau) (issued|published|drafted|released)\b|"
                     r"\bissuing (body|authority|agency)\b", re.I)
# asked of the status, not a mention of the draft ("What does the draft say about …?" is about its clauses)
_STATUS = re.compile(r"(征求意见稿|草案|正式(印发|发布)?的?(文件|版本?)?|定稿)了?(吗|嘛|么|呢|还是|没有?)|是否(正式|定稿)|"
                     r"\b(is|was|are)\b.{0,40}\b(final|a draft|finali[sz]ed|official|in draft|still (a )?draft)\b", re.I)
_NOTICE = re.compile(r"现予?以?印发|现印发|印发给你们|关于印发")


def fact_asked(question: str) -> str | None:
    """Which fact of the document a question asks for: "date", "issuer", "status", or None."""
    for fact, pattern in (("date", _DATE), ("issuer", _ISSUER), ("status", _STATUS)):
        if pattern.search(question):
            return fact
    return None


def _value(meta: DocumentMeta, fact: str) -> str | None:
    if fact == "date" and meta.date:
        return zh_date(meta.date)  # the way the documents sign: "2014年5月23日"
    if fact == "issuer":
        return meta.issuer
    if fact == "status":
        return {Status.DRAFT: "征求意见稿"}.get(meta.status)
    return None


def stating(meta: DocumentMeta, clauses: Iterable[Clause], fact: str) -> Clause | None:
    """The unnumbered passage of the document that states the fact's known value (for an issued document's status,
    the notice that issues it; for the issuer, a passage that also says it issues or made the document, if any)."""
    passages = [c for c in clauses if c.kind == ClauseKind.UNNUMBERED]
    if fact == "status" and meta.status == Status.ISSUED:
        return next((c for c in passages if _NOTICE.search(c.text)), None)
    value = _value(meta, fact)
    if not value:
        return None
    holding = [c for c in passages if squash(value) in squash(c.text)]
    if fact == "issuer":
        holding.sort(key=lambda c: not re.search(r"印发|制定|通知", c.text))
    return holding[0] if holding else None
