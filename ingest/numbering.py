"""Recognise clause numbering at the start of a line.

Chinese policy documents number their units in a handful of styles, nested in an
order each document chooses for itself:

    "第三条 为了…"        -> Label(style="di-条",    number="三",  value=3,  text="第三条")
    "第十七条之一 已满…"   -> Label(style="di-条",    number="十七", value=17, text="第十七条之一", suffix="一")
    "一、促进产业贸易…"    -> Label(style="cn-dun",   number="一",  value=1,  text="一、")
    "（十四）用足用好…"    -> Label(style="cn-paren", number="十四", value=14, text="（十四）")
    "(一) 扩大先进制造业…" -> Label(style="cn-paren", number="一",  value=1,  text="(一)")
    "1.健全法规制度。"     -> Label(style="ar-dot",   number="1",   value=1,  text="1.")
    "１、 总体要求"        -> Label(style="ar-dun",   number="１",  value=1,  text="１、")
    "（2） 强化资金支持"    -> Label(style="ar-paren", number="2",   value=2,  text="（2）")
    "③ 加强…"             -> Label(style="circled",  number="③",   value=3,  text="③")

Full- and half-width brackets and digits are the same style. A reference inside a
sentence ("按照第三条规定", "依照本条例第五条、第八条") is not a label: only the start of
a line is examined, and a 第X条 followed by words that make it a reference is rejected.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .model import NumberingStyle

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL = "零〇○一二两三四五六七八九十百千"


def cn_to_int(numeral: str) -> int:
    """Chinese numeral to int: "二十四" -> 24, "十" -> 10, "一百零五" -> 105, "三百" -> 300.

    Raises ValueError for anything that is not a Chinese numeral.
    """
    if not numeral or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in numeral):
        raise ValueError(f"not a Chinese numeral: {numeral!r}")
    if all(ch in _CN_DIGITS for ch in numeral) and len(numeral) > 1:
        # digit-by-digit form used in dates: "二〇二四" -> 2024
        return int("".join(str(_CN_DIGITS[ch]) for ch in numeral))
    total, current = 0, 0
    for ch in numeral:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            total += (current or 1) * unit
            current = 0
    return total + current


def int_to_cn(value: int) -> str:
    """int to Chinese numeral, up to the thousands: 24 -> "二十四", 10 -> "十", 105 -> "一百零五"."""
    if value < 0 or value >= 10000:
        raise ValueError(f"out of range for a clause number: {value}")
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    if value < 20:
        return "十" + (digits[value - 10] if value > 10 else "")
    out, zero_pending = "", False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = value // unit_value % 10
        if d:
            if zero_pending:
                out += "零"
            out += digits[d] + unit
            zero_pending = False
        elif out:
            zero_pending = True
    return out


def number_value(number: str) -> int:
    """The integer a bare number word stands for: "十八" -> 18, "16" -> 16, "１６" -> 16, "③" -> 3."""
    folded = unicodedata.normalize("NFKC", number)
    if folded.isdigit():
        return int(folded)
    if len(number) == 1 and "①" <= number <= "⑳":
        return ord(number) - ord("①") + 1
    return cn_to_int(number)


@dataclass(frozen=True, slots=True)
class Label:
    """A clause label found at the start of a line."""

    style: NumberingStyle  # e.g. CN_PAREN ("cn-paren"); one style is one nesting level within a document
    number: str  # the bare number word as printed: "十四", "1", "１"
    value: int   # its integer value: 14
    text: str    # the label exactly as printed: "（十四）"
    rank: int | None = None  # fixed rank for 第X编/章/节/条/款 (coarser first); None for the others
    suffix: str = ""  # "二" for "第二百八十七条之二": an article inserted after 第二百八十七条 by an amendment

    @property
    def end(self) -> int:
        return len(self.text)


# A 第X条 that is followed by one of these is a reference, not a heading:
# "第三条规定", "第五条、第八条", "第三条的", "第三条至第五条", "第二款所称".
# An amending decision names articles too: "第二十条修改为：", "第三条后增加一条", "第五条删去".
_REFERENCE_FOLLOWERS = re.compile(r"^(规定|的|、|和|或|及|至|中|之|所|以|第|条|款|项|，|,|修改|修正|增加|增设|删|改为|"
                                  r"后增|前增|作为|列为|调整为|变更为)")

# 《立法技术规范》: a code groups articles into 编 (and 分编), 章, 节; 条 is the basic unit; 款 its paragraphs.
_DI_UNITS = {"编": 0, "分编": 1, "部分": 1, "章": 2, "节": 3, "条": 4, "款": 5}
_NUM = rf"[{CN_NUMERAL}]+|[0-9０-９]+"
# An amendment inserts articles without renumbering: "第十七条之一" follows 第十七条 (刑法, 民事诉讼法).
_INSERTED = re.compile(r"^之([一二三四五六七八九十]+)")
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [  # "di": the style follows from the unit (NumberingStyle.di)
    ("di", re.compile(rf"^第({_NUM})(分编|编|部分|章|节|条|款)")),
    ("cn-paren", re.compile(rf"^[（(]([{CN_NUMERAL}]+)[）)]")),
    ("ar-paren", re.compile(r"^[（(]([0-9０-９]{1,3})[）)]")),
    ("cn-dun", re.compile(rf"^([{CN_NUMERAL}]+)(、|[.．](?![0-9０-９]))")),
    # "1." but not "1.5亿元" and not "2024年"; "1、" and "1．" too
    ("ar-dun", re.compile(r"^([0-9０-９]{1,3})(、)")),
    ("ar-dot", re.compile(r"^([0-9０-９]{1,3})([.．](?![0-9０-９]))")),
    ("circled", re.compile(r"^([①-⑳])")),
]


def match_label(line: str) -> Label | None:
    """The label at the start of `line` (already stripped of indentation and markup), or None.

    >>> match_label("（十八）加快出口退税进度。").text
    '（十八）'
    >>> match_label("第三条规定的情形") is None
    True
    """
    for kind, pattern in _PATTERNS:
        m = pattern.match(line)
        if not m:
            continue
        number = m.group(1)
        try:
            value = number_value(number)
        except ValueError:
            return None
        if value <= 0:
            return None
        if kind == "di":
            unit = m.group(2)
            text, suffix = m.group(0), ""
            rest = line[m.end():]
            inserted = _INSERTED.match(rest) if unit == "条" else None
            if inserted:  # "第十七条之一 已满…"; but "第十七条之一的规定" is a reference
                suffix = inserted.group(1)
                text += inserted.group(0)
                rest = rest[inserted.end():]
            if _REFERENCE_FOLLOWERS.match(rest):
                return None
            return Label(style=NumberingStyle.di(unit), number=number, value=value, text=text,
                         rank=_DI_UNITS[unit], suffix=suffix)
        style = NumberingStyle(kind)
        if style is NumberingStyle.CN_DUN and m.group(2) != "、":
            style = NumberingStyle.CN_DOT
        return Label(style=style, number=number, value=value, text=m.group(0))
    return None
