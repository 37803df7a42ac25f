"""Document metadata stated by the text itself: title, issuer, date, draft status.

    "深圳市商务局关于印发《深圳市推动外贸稳规模稳份额稳增长工作措施》的通知"
        -> title "深圳市推动外贸稳规模稳份额稳增长工作措施", issuer "深圳市商务局"
    "广东省人民政府办公厅\\n2014年5月23日" (a signature)  -> issuer "广东省人民政府办公厅", date "2014-05-23"
    "深圳市促进内外贸一体化发展实施方案\\n（征求意见稿）"     -> status draft

Only what the text states is returned; anything else stays None (unknown).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace

from .header import Header
from .model import Block, Status
from .numbering import cn_to_int
from .responsible import is_agency

_DOC_TYPES = ("方案", "措施", "办法", "意见", "通知", "条例", "规定", "决定", "细则", "计划", "规划",
              "纲要", "指引", "指南", "若干条", "条", "公告", "通告", "批复", "函", "要点", "清单", "政策",
              "法", "解释", "规则", "章程")  # statutes: "中华人民共和国海关法", "…适用法律问题的解释"
_TITLE_TAIL = re.compile(r"[（(][^（）()]{1,20}[）)]$")
_DATE = re.compile(r"^(\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
                   r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$")
_NOTICE = re.compile(r"^(?P<issuer>.{2,40}?)关于(印发|转发|发布)?《(?P<title>[^》]{4,80})》的?(通知|公告|决定)$")
# the same without book-title marks: "某省人民政府关于印发某省优化营商环境实施方案的通知"
_NOTICE_BARE = re.compile(r"^(?P<issuer>.{2,40}?)关于(印发|转发|发布)(?P<title>[^《》]{4,80}?)的(通知|公告)$")
_DRAFT = re.compile(r"征求意见稿|草案|送审稿|讨论稿")
# a cover notice: "现将《某市促进会展经济发展的实施意见》印发给你们", "《广东省…实施方案》已经省人民政府同意，现印发给你们"
# a cover notice: "现将《某市促进会展经济发展的实施意见》印发给你们", "《广东省…实施方案》已经省人民政府同意，现印发给你们",
# "国家地震局《关于…的报告》已经国务院同意，现转发给你们", "制定《…实施细则（试行）》，现印发给你们"
# and an order (令): "《中华人民共和国某某管理办法》已于2022年1月1日经署务会议审议通过，现予公布，自…起施行。"
_COVER = re.compile(r"(?:现将|现把)《(?P<a>[^》]{4,80})》(?:予以)?(?:印发|转发|发布)给你们|"
                    r"《(?P<b>[^》]{4,80})》(?:已经.{0,30}同意)?[，,]\s*现(?:予以|予)?(?:印发|转发|发布)|"
                    r"^《(?P<c>[^》]{4,80})》已.{0,60}?(?:通过|同意)，现予(?:以)?(?:公布|发布)")
_ISSUED = re.compile(r"现予以?印发|现印发给你们|现将.{0,40}印发给你们|予以印发|特此通知|现转发给你们|现予转发|特此函复|特此函告|现予以?公布|现予以?发布")
_TITLE_LINE_MAX = 40
_IN_FORCE = re.compile(r"本(法|条例|办法|规定|细则|解释|决定|规则|意见|方案|措施|通知|实施细则)自\s*\d{4}\s*年\s*\d{1,2}\s*月"
                       r"\s*\d{1,2}\s*日起?(施行|实施|生效)")
_ORDER = re.compile(r"^(?P<issuer>[\u4e00-\u9fff、]{2,40}?)令\s*(?:[〔\[]\d{4}[〕\]])?\s*(?:第\s*[0-9一二三四五六七八九十百零〇]+\s*号)?$")
# a document number, given to a document when it is issued: "国办发〔2018〕123号", "劳社部发[2008]3号"
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号$")


def parse_date(text: str) -> str | None:
    """A date line to ISO 8601: "2014年5月23日" -> "2014-05-23", "二〇二四年二月二十日" -> "2024-02-20"."""
    m = _DATE.match(text.strip())
    if not m:
        return None
    parts = [int(p) if p.isdigit() else cn_to_int(p) for p in m.groups()]
    year, month, day = parts
    try:
        return datetime.date(year, month, day).isoformat()  # "2024年2月30日" is not a date
    except ValueError:
        return None


def is_title_like(text: str) -> bool:
    """A line that reads as a document title: short, no sentence punctuation, ends with a document type."""
    if not (4 <= len(text) <= 80) or any(ch in text for ch in "，。；：,;:"):
        return False
    core = _TITLE_TAIL.sub("", text).rstrip()
    return core.endswith(_DOC_TYPES)


def is_signature_line(text: str) -> bool:
    """A short line naming a unit, as in a signature ("深圳市商务局")."""
    return len(text) <= 30 and is_agency(text) and not any(ch in text for ch in "，。；：、")


@dataclass(frozen=True, slots=True)
class StatedMeta:
    title: str | None = None
    issuer: str | None = None
    date: str | None = None
    status: Status = Status.UNKNOWN
    evidence: tuple[tuple[str, str], ...] = ()  # (field, the text that states it)
    validity: str | None = None  # "有效", "已废止" as a metadata header states it
    title_from_cover: bool = False  # the title is the one a notice sends out ("关于印发《X》的通知", "现将《X》印发…")


def extract(preamble: list[Block], tail: list[Block] | tuple[Block, ...] = (), header: Header | None = None,
            *, body: tuple[str, ...] | list[str] = ()) -> StatedMeta:
    """Metadata from the blocks before the first numbered unit, and the signature and date in either
    those or the `tail` after the last clause (where most documents sign: "深圳市商务局\n2024年2月20日").

    What a metadata `header` (front matter, a LawRefBook header) states comes first: it is the
    document's own record of its title, issuer, date and validity."""
    stated = _extract_text(preamble, tail)
    if stated.status is Status.UNKNOWN and any(_IN_FORCE.search(text) for text in body[-5:]):
        # "本条例自2020年1月1日起施行。": a text that fixes the day it takes effect was enacted
        stated = replace(stated, status=Status.ISSUED)
    if header is None:
        return stated
    evidence = list(header.evidence) + [e for e in stated.evidence if getattr(header, e[0]) is None]
    status = stated.status
    if status is Status.UNKNOWN and header.adopted:
        status = Status.ISSUED  # the header records the adoption or publication
    # a site's record titles the page, the notice; the document a notice sends out is what is cited
    title = stated.title if stated.title_from_cover else header.title or stated.title
    return StatedMeta(title, header.issuer or stated.issuer, header.date or stated.date,
                      status, tuple(evidence), header.validity, stated.title_from_cover)


def _title_runs(texts: list[str]) -> list[str]:
    """Each line, and each run of up to four short lines joined, for a title printed over several lines:
    "重庆市粮食局 重庆市财政局" / "关于印发《重庆市…违法违规" / "行为举报奖励实施细则（试行）》的通知"."""
    runs: list[str] = []
    for i in range(len(texts)):
        joined = ""
        for text in texts[i:i + 4]:
            if len(text) > _TITLE_LINE_MAX * 2 or any(ch in text for ch in "，。；,;"):
                break
            joined += text
            runs.append(joined)
    return runs or list(texts)


def _extract_text(preamble: list[Block], tail: list[Block] | tuple[Block, ...]) -> StatedMeta:
    title = issuer = date = None
    evidence: list[tuple[str, str]] = []
    texts = [b.text for b in preamble]
    tail_texts = [b.text for b in tail]
    cover = False
    for text in _title_runs(texts):
        m = _NOTICE.match(text) or _NOTICE_BARE.match(text)
        if m:
            title, cover = m.group("title"), True
            if is_agency(m.group("issuer")):
                issuer = m.group("issuer")
            evidence.append(("title", text))
            break
    for lines in (texts, tail_texts):  # a signature line directly above a date line
        found = next(((text, after, d) for text, after in zip(lines, lines[1:])
                      if (d := parse_date(after)) and is_signature_line(text)), None)
        if found:
            issuer, date_line, date = found
            evidence.append(("issuer", f"{issuer} {date_line}"))
            break
    if issuer is None:
        # an order is headed by the organ that issues it: "中华人民共和国国务院令", "海关总署令 第256号"
        for text in texts[:6]:
            m = _ORDER.match(text)
            if m and is_agency(m.group("issuer")):
                issuer = m.group("issuer")
                evidence.append(("issuer", text))
                break
    if date is None:
        for text in texts + tail_texts:
            if (d := parse_date(text)):
                date = d
                evidence.append(("date", text))
                break
    if title is None:
        # the cover notice names the document it sends out: that is the title, not the issuer's letterhead
        for b in preamble:
            m = _COVER.search(b.text)
            if m:
                title, cover = m.group("a") or m.group("b") or m.group("c"), True
                evidence.append(("title", m.group(0)))
                break
    if title is None:
        # a heading or title-like line; a unit's name (the letterhead "某市人民政府办公厅") is the issuer, no title
        candidates = [b for b in preamble if b.heading and not is_signature_line(b.text)] or \
                     [b for b in preamble if is_title_like(b.text) and not is_signature_line(b.text)]
        if candidates:
            first = candidates[0]
            title = first.text
            nxt = preamble.index(first) + 1
            if nxt < len(preamble) and _TITLE_TAIL.fullmatch(preamble[nxt].text) and _DRAFT.search(preamble[nxt].text):
                title += preamble[nxt].text
            evidence.append(("title", title))
    head = "\n".join(texts[:12])
    if _DRAFT.search(title or "") or _DRAFT.search(head):
        status = Status.DRAFT
    elif _ISSUED.search(head) or _ISSUED.search("\n".join(tail_texts)) or any(_DOC_NUMBER.match(t) for t in texts[:12]):
        status = Status.ISSUED
    else:
        status = Status.UNKNOWN
    return StatedMeta(title, issuer, date, status, tuple(evidence), title_from_cover=cover)
