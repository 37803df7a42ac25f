"""Responsible units: the trailing parenthetical that names who carries out a measure.

    "…加快拓展供油业务。（市商务局、发展改革委、交通运输局、前海管理局，盐田区政府、罗湖区政府）"
        -> Units(responsible=("市商务局", "发展改革委", "交通运输局", "前海管理局", "盐田区政府", "罗湖区政府"), lead=())
    "…〔市商务局、贸促委，深圳海关，各区政府（大鹏新区管委会、深汕特别合作区管委会，下同）〕"
        -> responsible=("市商务局", "贸促委", "深圳海关", "各区政府"): the inner note is not a unit
    "（省商务厅，海关广东分署，广东、深圳、珠海出入境检验检疫局负责）"
        -> responsible=("省商务厅", "海关广东分署", "广东出入境检验检疫局", "深圳出入境检验检疫局", "珠海出入境检验检疫局")
    "市司法局牵头，各有关部门按职责分工负责"   (an annex cell, no brackets)
        -> responsible=("市司法局", "各有关部门"), lead=("市司法局",)
    "市发展改革委（牵头）、市商务局"
        -> responsible=("市发展改革委", "市商务局"), lead=("市发展改革委",)
    "（市科技局牵头，市财政局、市人社局配合）"
        -> responsible=("市科技局", "市财政局", "市人社局"), lead=("市科技局",), support=("市财政局", "市人社局")

A parenthetical that is not a list of agencies is left alone: "（2024—2025年）", "（3～12月）",
"（以下简称“三同”）", "（简称“留交会”）", "（国办发〔2014〕19号）", "（包括珍珠、珊瑚、琥珀等）",
"（试点区）", "（含县级市）".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = {"）": "（(", ")": "（(", "〕": "〔[", "]": "〔[", "】": "【", "〉": "〈<", ">": "〈<"}
_ALL_OPEN = set("（(〔[【〈<")
_ALL_CLOSE = set(_OPEN)
_TRAILING_NOISE = "。.；; \t\u3000"

# "行" only as a bank ("人民银行广州分行", "中心支行"): "（试行）", "（暂行）" are not units
_AGENCY = re.compile(
    r"(局|委|厅|办|署|会|银行|分行|支行|总行|府|关|区|部|院|所|处|站|队|庭|组|室|党校|学校|中心|公司|集团|"
    r"管委会|办公室|委员会|部门|单位|机构|政府|海关)$"
)
# abbreviations ("简称“留交会”"), time windows ("3～12月", "年底前"), scopes ("含县级市") and explanations
# ("即…", "下同") are no units
_NOT_AGENCY = re.compile(r"[0-9０-９年月日号“”\"《》～~—]|简称|包括|以下|其中|例如|下同|详见|参见|是指|季度|"
                         r"^(即|含|不含|如|指|注)")
# "区" names a unit only as a place ("南沙区", "各区"), not as a kind of area ("试点区", "示范区", "片区")
_GENERIC_AREA = re.compile(r"^(各|全|本|该|每个)?(试点|重点|示范|先行示范|自贸|功能|片|园|社|小|城|市|县|地|景|库|保税|综保|"
                           r"特|新|老|山|郊|辖|核心|先行|实验|试验|产业|集聚|商业|开发|示范园)区$")
_ROLE_LEAD = re.compile(r"(牵头单位[：:]|牵头负责|牵头)")
_ROLE_SUPPORT = re.compile(r"(配合单位[：:]|协办单位[：:]|参与单位[：:]|配合|协办|参与)")
_ROLE_WORDS = re.compile(
    r"(牵头单位|配合单位|责任单位|参与单位|协办单位|主办单位)[：:]|"
    r"(等)?(按职责分工负责|按职责分工|按职能分工|分工负责|牵头负责|共同负责|配合|参与|负责|牵头)$"
)
_NOTE = re.compile(r"[（(〈<〔][^（()）〈<>〉〔〕]*[）)〉>〕]")
# "市发展改革委（牵头）、市商务局": a note that makes the unit before it the lead
_LEAD_NOTE = re.compile(r"\s*[（(]\s*牵头(单位)?\s*[）)]")
_LEAD_MARK = "\u2605"
_SEGMENT = re.compile(r"[，,；;]")


@dataclass(frozen=True, slots=True)
class Units:
    responsible: tuple[str, ...]
    lead: tuple[str, ...]
    support: tuple[str, ...] = ()  # named as supporting: "市财政局、市人社局配合" (also in `responsible`)


def trailing_parenthetical(text: str) -> tuple[str, int] | None:
    """The content of the bracketed group that ends `text` and its start offset, or None.

    >>> trailing_parenthetical("…出口。（市商务局、贸促委）")
    ('市商务局、贸促委', 4)
    """
    stripped = text.rstrip(_TRAILING_NOISE)
    if not stripped or stripped[-1] not in _ALL_CLOSE:
        return None
    depth = 0
    for i in range(len(stripped) - 1, -1, -1):
        ch = stripped[i]
        if ch in _ALL_CLOSE:
            depth += 1
        elif ch in _ALL_OPEN:
            depth -= 1
            if depth == 0:
                if ch not in _OPEN[stripped[-1]]:
                    return None
                return stripped[i + 1:-1], i
    return None


def is_agency(name: str) -> bool:
    """Does this read as the name of a unit? ("市商务局" yes, "2024—2025年" no, "琥珀" no, "试行" no, "试点区" no).

    A name is a unit when it ends in a unit word of the lexicon (局, 委, 厅, 办, 署, 政府, 海关, 银行, 中心,
    单位, 部门 …) and holds nothing that marks a note (a date, a quotation, 简称, 包括 …).
    """
    return (2 <= len(name) <= 40 and bool(_AGENCY.search(name)) and not _NOT_AGENCY.search(name)
            and not _GENERIC_AREA.match(name))


_PLACE_MAX = 3
# "市监察局等部门", "市商务局等有关单位": the unit named, then a class of others
_AND_OTHERS = re.compile(r"等(有关|相关)?(部门|单位|机构)$")


def _distribute(items: list[str]) -> list[str]:
    """Share a common suffix among bare place names: ["广东", "深圳海事局"] -> ["广东海事局", "深圳海事局"]."""
    out: list[str] = []
    pending: list[str] = []
    for item in items:
        if is_agency(item):
            if pending:
                if "等" in item:
                    place, suffix = item.split("等", 1)
                    item = place + suffix
                else:
                    place_len = len(pending[-1])
                    suffix = item[place_len:]
                # only bare place names share a suffix ("广东", "黑龙江"); "市委党校" is a unit of its own
                bare = all(len(p) <= _PLACE_MAX for p in pending)
                if bare and (suffix and is_agency(suffix) or suffix.startswith(("市", "省", "区", "县"))):
                    out.extend(p + suffix for p in pending)
                else:
                    out.extend(pending)
                pending = []
            out.append(item)
        else:
            pending.append(item)
    return out + pending


def parse_units(content: str, *, strict: bool = True) -> Units | None:
    """Units named in a responsibility text (a parenthetical's content or an annex cell).

    Returns None when the text is not a list of agencies. With `strict`, every item must
    read as an agency; without, most must (annex cells may name "各有关部门" and the like).
    """
    content = content.strip()
    if not content:
        return None
    content = _LEAD_NOTE.sub(_LEAD_MARK, content)
    # drop inner notes: "各区政府（大鹏新区管委会…，下同）" -> "各区政府"
    previous = None
    while previous != content:
        previous, content = content, _NOTE.sub("", content)
    responsible: list[str] = []
    lead: list[str] = []
    support: list[str] = []
    role_seen = False
    for segment in _SEGMENT.split(content):
        segment = segment.strip()
        if not segment:
            continue
        is_lead = bool(_ROLE_LEAD.search(segment))
        is_support = not is_lead and bool(_ROLE_SUPPORT.search(segment))
        stripped = segment
        while True:
            new = _ROLE_WORDS.sub("", stripped).strip()
            if new == stripped:
                break
            role_seen = True
            stripped = new
        items = [_AND_OTHERS.sub("", i.strip()).removesuffix("等").strip() for i in stripped.split("、")]
        marked = {i.replace(_LEAD_MARK, "") for i in items if _LEAD_MARK in i}
        items = _distribute([i.replace(_LEAD_MARK, "") for i in items if i.replace(_LEAD_MARK, "")])
        for item in items:
            if item not in responsible:
                responsible.append(item)
            if (is_lead or item in marked) and item not in lead:
                lead.append(item)
            elif is_support and item not in support and item not in marked:
                support.append(item)
    if not responsible:
        return None
    agencies = sum(1 for r in responsible if is_agency(r))
    if strict and agencies < len(responsible):
        if not role_seen or agencies * 2 <= len(responsible):
            return None
    if not strict and agencies * 2 < len(responsible):
        return None
    return Units(tuple(responsible), tuple(lead), tuple(support))


def paragraph_units(text: str) -> Units | None:
    """Units of the trailing parenthetical of one paragraph, or None if it has none."""
    found = trailing_parenthetical(text)
    if not found:
        return None
    return parse_units(found[0])
