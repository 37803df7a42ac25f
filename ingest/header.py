"""Markup and metadata that are not body text: front matter, HTML comments and a metadata header.

Three forms occur in converted documents:

    ---                                  YAML front matter at the very start
    title: 中华人民共和国海关法
    时效性: 有效
    ---

    <!-- SOURCE: https://… -->           an HTML comment, anywhere

    # 中华人民共和国刑法                  a LawRefBook header: everything above "<!-- INFO END -->"
    1979年7月1日 第五届全国人民代表大会第二次会议通过
    公布日期: 2023-12-29
    时效性: 有效
    <!-- INFO END -->

Page numbers left between lines by a PDF ("- 3 -", "第 3 页 共 10 页") are blanked too. None of it reaches a clause. `read_header` blanks these ranges out of the text (same length, line
breaks kept, so offsets still point into the source) and reads what they state: title, issuer,
date, validity ("有效", "已废止"), each to be used with provenance "text". Nothing is guessed:
a header that names no date gives none.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

import yaml

from .markup import clean_line
from .numbering import match_label

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_INFO_END = re.compile(r"^[ \t]*<!--\s*INFO END\s*-->[ \t]*$", re.M)
_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
# "公布日期：2023-12-29", "制定机关: 全国人民代表大会常务委员会"
_FIELD = re.compile(r"^(?P<key>[\w\u4e00-\u9fff]{2,8})\s*[：:]\s*(?P<value>.+)$")
_KEYS = {
    "title": ("title", "标题", "名称", "法规名称", "文件名称"),
    "issuer": ("issuer", "office", "制定机关", "发布机关", "发文机关", "发布部门", "颁布机关"),
    "date": ("date", "公布日期", "发布日期", "颁布日期", "成文日期", "publish", "published"),
    "validity": ("validity", "status", "时效性", "效力状态", "时效"),
}
# other keys of a metadata line or table (a government site's "索引号：… 发文字号：国令第792号"): blanked, not used
_OTHER_KEYS = {"索引号", "主题分类", "发文字号", "文号", "施行日期", "实施日期", "生效日期", "失效日期", "效力级别", "效力位阶",
               "来源", "分类", "体裁分类", "组配分类", "公文种类", "主题词", "信息来源", "法规类别", "适用范围"}
_NUMBER_KEYS = {"发文字号", "文号"}  # a document number: given when a document is issued
# "索 引 号：", "标　　题：": keys are printed spaced out to align the record
_CELL_PAIR = re.compile(r"^(?P<key>[\u4e00-\u9fff](?:[ \u3000]*[\u4e00-\u9fff]){1,5})\s*[：:]\s*(?P<value>.*)$")
# what a validity field may say; anything else is not taken
_VALIDITY = re.compile(r"^(有效|现行有效|已废止|废止|失效|已失效|已被修改|已修改|部分失效|尚未生效)$")
# "2018年12月29日 第十三届全国人民代表大会常务委员会第七次会议第二次修正": an adoption or amendment
_HISTORY = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日.*(通过|修正|修订|公布|发布)")
# who adopted or promulgated it, as the adoption line says:
#   "第十四届全国人民代表大会常务委员会第九次会议通过"   -> 全国人民代表大会常务委员会
#   "上海市第十六届人民代表大会常务委员会第十七次会议通过" -> 上海市人民代表大会常务委员会
#   "中华人民共和国国务院令第336号公布"               -> 中华人民共和国国务院
#   "食品药品监管局、海关总署第4号令公布"              -> 食品药品监管局、海关总署
#   "最高人民法院审判委员会第1824次会议通过"            -> 最高人民法院
#   "经人力资源和社会保障部第6次部务会议通过"            -> 人力资源和社会保障部
_CN = "一二三四五六七八九十百零〇"
_ADOPTED_BY = (
    re.compile(rf"(?P<place>[\u4e00-\u9fff]{{0,12}}?)第[{_CN}]+届(?P<body>(?:全国)?人民代表大会(?:常务委员会)?)"
               rf"第[{_CN}]+次(?:全体)?会议"),
    re.compile(rf"(?P<body>[\u4e00-\u9fff、]{{2,40}}?)(?:第[0-9{_CN}]+号)?令(?:第[0-9{_CN}]+号)?(?:公布|发布)"),
    re.compile(r"(?P<body>[\u4e00-\u9fff]{2,20}?)审判委员会第[0-9]+次会议"),
    # "经人力资源和社会保障部第6次部务会议通过", "国务院第41次常务会议通过"
    re.compile(rf"^(?:经)?(?P<body>[\u4e00-\u9fff]{{2,30}}?)第[0-9{_CN}]+次(?:部务|署务|局务|委务|行务|常务|全体|办公)?会议"),
)
_DATED = re.compile(r"^[（(]?(根据)?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_ISO = re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$")


@dataclass(frozen=True, slots=True)
class Header:
    body: str                          # the source with markup and metadata blanked out
    spans: tuple[tuple[int, int], ...]  # the blanked ranges
    title: str | None = None
    issuer: str | None = None
    date: str | None = None            # ISO 8601
    validity: str | None = None
    adopted: bool = False              # the header records an adoption, amendment, publication or document number
    evidence: tuple[tuple[str, str], ...] = ()  # (field, the text that states it)


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One line of a statute's record of adoption: "2024年4月26日 第十四届全国人民代表大会常务委员会第九次会议通过"."""

    date: str | None  # ISO 8601
    issuer: str | None
    adoption: bool    # 通过/公布/发布 (the first enactment), not a 修正/修订


def history_line(text: str) -> HistoryLine | None:
    """Read an adoption or amendment line; None for any other line ("2021年1月1日 施行" included)."""
    # a rule prints its record in brackets under the title: "（2022年1月1日海关总署令第256号公布 自2022年4月1日起施行）"
    text = text.strip().removeprefix("（").removeprefix("(").removesuffix("）").removesuffix(")")
    text = text.removeprefix("根据").strip()  # "根据2009年8月27日…《关于修改部分法律的决定》第二次修正"
    h = _HISTORY.match(unicodedata.normalize("NFKC", text).strip())
    if not h:
        return None
    rest = text[text.find("日") + 1:].strip()
    issuer = None
    for pattern in _ADOPTED_BY:
        m = pattern.search(rest)
        if m:
            place = m.groupdict().get("place") or ""
            issuer = (place + m.group("body")).strip("、")
            break
    return HistoryLine(_iso(f"{h.group(1)}-{h.group(2)}-{h.group(3)}"), issuer, h.group(4) in ("通过", "公布", "发布"))


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def _iso(value: str) -> str | None:
    """"2023-12-29" / "2023年12月29日" / a YAML date -> "2023-12-29"; anything else None."""
    m = _ISO.match(unicodedata.normalize("NFKC", value).strip())
    if not m:
        return None
    try:
        return datetime.date(*(int(g) for g in m.groups())).isoformat()
    except ValueError:
        return None


def _field_name(key: str) -> str | None:
    key = key.strip().lower()
    return next((name for name, keys in _KEYS.items() if key in keys), None)


def read_header(text: str) -> Header:
    """Blank out front matter, comments and a metadata header; return what they state."""
    spans: list[tuple[int, int]] = []
    found: dict[str, str] = {}
    evidence: list[tuple[str, str]] = []

    def take(name: str | None, value: str, shown: str) -> None:
        value = value.strip()
        if name is None or not value or name in found:
            return
        if name == "date":
            value = _iso(value) or ""
        elif name == "validity" and not _VALIDITY.match(value):
            value = ""
        if value:
            found[name] = value
            evidence.append((name, shown))

    front = _FRONT.match(text)
    if front:
        try:
            data = yaml.safe_load(front.group(1))
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict):  # else a horizontal rule that happens to open the text
            spans.append((front.start(), front.end()))
            for key, value in data.items():
                if isinstance(value, (str, int, float, datetime.date)):
                    take(_field_name(str(key)), str(value), f"{key}: {value}")
    info = _INFO_END.search(text)
    adopted = False
    titles: list[str] = []
    history: list[tuple[HistoryLine, str]] = []
    pending: str | None = None  # a dated record line still waiting for its verb on the next line
    if info:
        start = spans[-1][1] if spans else 0
        spans.append((start, info.end()))
        for line in text[start:info.start()].splitlines():
            cleaned, heading = clean_line(_COMMENT.sub("", line))
            if not cleaned:
                continue
            if heading:
                titles.append(cleaned)
                continue
            m = _FIELD.match(cleaned)
            if m and _field_name(m.group("key")):
                take(_field_name(m.group("key")), m.group("value"), cleaned)
                continue
            if pending and not _DATED.match(cleaned):
                cleaned, pending = pending + cleaned, None  # a record line broken in two
            h = history_line(cleaned)
            if h:
                adopted = True
                history.append((h, cleaned))
            pending = cleaned if _DATED.match(cleaned) and not h else None
    history += _metadata_lines(text, spans, take, pending)
    adopted = adopted or bool(history)
    _page_furniture(text, spans)
    for m in _COMMENT.finditer(text):
        if not any(s <= m.start() < e for s, e in spans):
            spans.append((m.start(), m.end()))
    if titles:
        # "# 中华人民共和国民法典", "# 附则": a code's part is printed under the code's title
        take("title", " ".join(titles), "\n".join(f"# {t}" for t in titles))
    take_history(history, take)
    spans.sort()
    return Header(_blank(text, spans) if spans else text, tuple(spans), found.get("title"), found.get("issuer"),
                  found.get("date"), found.get("validity"), adopted or "validity" in found or "number" in found,
                  tuple(evidence))


def _metadata_pairs(line: str) -> list[tuple[str, str]] | None:
    """"发文机关：国务院" or cells "索引号：\t000014349/2024-00108\t主题分类：\t对外经贸" -> their (key, value)
    pairs, when every cell belongs to a pair with a metadata key; else None."""
    cells = [c.strip() for c in re.split(r"\t| {2,}", line) if c.strip()]
    pairs: list[tuple[str, str]] = []
    i = 0
    while i < len(cells):
        m = _CELL_PAIR.match(cells[i])
        key = re.sub(r"[ \u3000]", "", m.group("key")) if m else ""
        if not m or not (_field_name(key) or key in _OTHER_KEYS):
            return None
        value = m.group("value")
        if not value and i + 1 < len(cells) and not _CELL_PAIR.match(cells[i + 1]):
            value, i = cells[i + 1], i + 1
        pairs.append((key, value))
        i += 1
    return pairs or None


def _metadata_lines(text: str, spans: list[tuple[int, int]], take,
                    pending: str | None = None) -> list[tuple[HistoryLine, str]]:
    """Metadata lines above the body ("发文机关：国务院", "成文日期：2024年09月30日", "时效性：有效") and the
    statute's record of adoption ("2024年6月28日 第十四届全国人民代表大会常务委员会第十次会议修订）"): blanked
    and taken; the adoption lines are returned. Only lines before the first numbered unit are looked at."""
    history: list[tuple[HistoryLine, str]] = []
    pos = spans[-1][1] if spans else 0
    for raw in text[pos:].splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        cleaned = clean_line(line)[0]
        if cleaned and match_label(cleaned):
            break
        record = cleaned and not any(ch in cleaned for ch in "，。；,;")
        h = history_line(cleaned) if record else None
        if record and not h and pending and not _DATED.match(cleaned):
            h = history_line(pending + cleaned)  # "2019年3月15日 第十三届全国人民代表大会第二次" + "会议通过）"
        if h:  # a record line, never a sentence of the text ("2023年5月10日，市政府常务会议审议通过了…。")
            spans.append((pos, pos + len(line)))
            history.append((h, cleaned))
        if cleaned:
            pending = cleaned if record and not h and _DATED.match(cleaned) else None
        pairs = _metadata_pairs(line.strip()) if cleaned and not h else None
        if pairs:
            spans.append((pos, pos + len(line)))
            for key, value in pairs:
                take(_field_name(key), value, f"{key}：{value}")
                if key in _NUMBER_KEYS and value.strip():
                    take("number", value, f"{key}：{value}")  # a document number is given when it is issued
        pos += len(raw)
    return history


# a page number a PDF or a scan leaves between the lines of a paragraph: "- 3 -", "—12—", "第 3 页 共 10 页", "3/10"
_PAGE_NUMBER = re.compile(r"^[ \u3000]*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
                          r"\d{1,3}\s*/\s*\d{1,3})[ \u3000]*$")


def _page_furniture(text: str, spans: list[tuple[int, int]]) -> None:
    """Blank page-number lines, so the sentence a page break cut is joined again (see `blocks`)."""
    for m in re.finditer(r"^.*$", text, re.M):
        if _PAGE_NUMBER.match(m.group(0)) and not any(s <= m.start() < e for s, e in spans):
            spans.append((m.start(), m.end()))


def take_history(history: list[tuple[HistoryLine, str]], take) -> None:
    """Date and issuer from adoption lines: the body that first adopted or promulgated the text is its issuer;
    the text in force is the one of the latest adoption or amendment, so that gives the date."""
    first = next(((h, line) for h, line in history if h.adoption and h.issuer), None)
    if first:
        take("issuer", first[0].issuer, first[1])
    dated = [(h.date, line) for h, line in history if h.date]
    if dated:
        latest = max(dated)
        take("date", latest[0], latest[1])
