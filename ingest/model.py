"""The data of a parsed corpus: documents, their clauses and section headings.

    Clause(clause_id="gd-2014-stabilize-trade#6.18", doc_id="gd-2014-stabilize-trade",
           label="（十八）", number="十八", path=("六、加大财税金融支持力度", "（十八）加快出口退税进度"),
           text="（十八）加快出口退税进度。对申报单证齐全真实……（省国税局，省财政厅负责）",
           responsible=("省国税局", "省财政厅"), lead=(), start=5120, end=5391, ...)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum
from typing import Any


class Status(str, Enum):
    """Whether the document states it was issued. Whether it is still in force is never claimed."""

    ISSUED = "issued"
    DRAFT = "draft"
    UNKNOWN = "unknown"


class ClauseKind(str, Enum):
    NUMBERED = "numbered"      # a numbered unit that carries policy text: （十四）, 1., 第三条 (an article, whole)
    INTRO = "intro"            # a numbered section's heading with the text before its first sub-unit
    UNNUMBERED = "unnumbered"  # preamble, notice, signature, or paragraphs of a document with no numbering
    ANNEX_ROW = "annex-row"    # one row of an annex table (任务分工表)
    ANNEX = "annex"            # other annex text


class NumberingStyle(StrEnum):
    """How a unit is numbered; one style is one nesting level within a document. The values are what the index
    database and CONTRACTS output store ("cn-paren"), so a StrEnum compares and serialises as those strings.

        NumberingStyle("cn-paren").parenthesised -> True     "（十四）", "(一)"
        NumberingStyle.di("条") -> NumberingStyle.DI_TIAO    "第三条"; .statutory -> True
        NumberingStyle.AR_DOT.arabic -> True                 "1."
        NumberingStyle.NONE -> ""                            an unnumbered clause
    """

    DI_BIAN = "di-编"       # 第一编 (《立法技术规范》's units, coarse to fine: 编, 分编/部分, 章, 节, 条, 款)
    DI_FENBIAN = "di-分编"
    DI_BUFEN = "di-部分"
    DI_ZHANG = "di-章"
    DI_JIE = "di-节"
    DI_TIAO = "di-条"       # 第三条: an article
    DI_KUAN = "di-款"
    CN_DUN = "cn-dun"       # 一、
    CN_DOT = "cn-dot"       # 一.
    CN_PAREN = "cn-paren"   # （一） (一)
    AR_DUN = "ar-dun"       # 1、
    AR_DOT = "ar-dot"       # 1.
    AR_PAREN = "ar-paren"   # （1）
    CIRCLED = "circled"     # ①
    NONE = ""               # unnumbered

    @classmethod
    def di(cls, unit: str) -> "NumberingStyle":
        """The style of a 第X<unit> label: di("章") -> DI_ZHANG."""
        return cls(f"di-{unit}")

    @property
    def numbered(self) -> bool:
        return self is not NumberingStyle.NONE

    @property
    def parenthesised(self) -> bool:
        """The number stands in brackets: （十四）, （2）."""
        return self in (NumberingStyle.CN_PAREN, NumberingStyle.AR_PAREN)

    @property
    def statutory(self) -> bool:
        """A 第X编/章/节/条/款 unit (the numbered units of a statute)."""
        return self.value.startswith("di-")

    @property
    def arabic(self) -> bool:
        """Numbered with Arabic digits: 1、 1. （1）."""
        return self in (NumberingStyle.AR_DUN, NumberingStyle.AR_DOT, NumberingStyle.AR_PAREN)


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph of the source after repair: its text and where it lies in the source.

    `text` is verbatim but for removed indentation and markup and joined page breaks:
    "(四) 培育扩大汽车出口。…工业园二\\n\\n期项目投产出口…" -> "(四) 培育扩大汽车出口。…工业园二期项目投产出口…".
    """

    text: str
    start: int  # character offset of the first source character
    end: int    # offset just past the last source character
    heading: bool = False  # a markdown heading (## …)
    table_row: tuple[str, ...] | None = None  # the cells, when the block is a row of a table


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered heading that only groups clauses ("一、促进产业贸易紧密联动"); it appears in their path."""

    doc_id: str
    label: str
    number: str
    style: NumberingStyle
    heading: str
    path: tuple[str, ...]  # enclosing headings, then this one
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Item:
    """An item (项 "（三）") or sub-item (目 "1.", "（1）") of an article, addressable inside the article's clause.

    `start`/`end` are offsets into `Clause.text`, the item's own line and its sub-items:

        Clause(label="第五条", text="第五条 区内企业可以依法开展以下业务：\n（一）研发、加工、制造；\n（二）…",
               items=(Item("（一）", "一", CN_PAREN, 20, 32), Item("（二）", "二", CN_PAREN, 33, …), …))
        clause.text[item.start:item.end] == "（一）研发、加工、制造；"
    """

    label: str   # as printed: "（三）", "1."
    number: str  # bare number word: "三", "1"
    style: NumberingStyle  # CN_PAREN ("（三）"), AR_DOT ("1.")
    start: int
    end: int
    parent: str = ""  # the enclosing item's label for a sub-item (目): "（三）"
    paragraph: int = 1  # the 款 (paragraph) of the article the item's list belongs to: 第二款第（一）项 -> 2


@dataclass(frozen=True, slots=True)
class Clause:
    clause_id: str
    doc_id: str
    position: int          # 0-based order in the document
    kind: ClauseKind
    label: str             # as printed: "（十八）", "十六、", "1.", "第三条", "附件 第12项"; "" when unnumbered
    number: str            # bare number word: "十八", "16", "3"; "" when unnumbered
    style: NumberingStyle  # CN_PAREN for "（十八）", …; NONE ("") when unnumbered
    path: tuple[str, ...]  # enclosing headings, then the clause's own heading
    text: str
    start: int
    end: int
    responsible: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    responsible_by_paragraph: tuple[tuple[str, ...], ...] = ()
    annex_rows: tuple[str, ...] = ()  # clause ids of annex rows whose units were attached here
    text_en: str | None = None
    # additions (issue 10)
    suffix: str = ""           # "二" for 第二百八十七条之二 (label "第二百八十七条之二", number "二百八十七")
    items: tuple[Item, ...] = ()  # an article's items (项) and sub-items (目), in order
    support: tuple[str, ...] = ()  # units named as supporting (配合), also listed in `responsible`
    # the reference translation of `path`, heading by heading ("VI. …", "(18) Speeding up export tax refunds"); empty
    # unless every heading of the path has one (a half-English path would pass an unknown off as known)
    path_en: tuple[str, ...] = ()

    def with_(self, **changes: Any) -> "Clause":
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What is known about a document; None means unknown (stated neither by the text nor the manifest)."""

    doc_id: str
    title: str | None
    issuer: str | None
    date: str | None  # ISO 8601
    status: Status
    source_url: str | None = None
    publisher: str | None = None
    title_en: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)  # field -> "text" | "source page" | "manifest"
    validity: str | None = None  # as the document's own metadata states it: "有效", "已废止", "已被修改"; else None


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    meta: DocumentMeta
    path: str            # source file, relative to where ingest was run
    sha256: str          # of the source bytes
    text: str            # the decoded source text that offsets refer to
    clauses: tuple[Clause, ...]
    sections: tuple[Section, ...]
    levels: tuple[NumberingStyle, ...]  # numbering styles from coarse to fine, e.g. (CN_DUN, CN_PAREN)
    warnings: tuple[str, ...] = ()
    # source ranges that are markup or metadata, not body text (front matter, <!-- … -->, a metadata header)
    markup_spans: tuple[tuple[int, int], ...] = ()
