"""Statutes: documents numbered by 条, read by the drafting convention of Chinese legislation.

《立法技术规范（试行）》 (全国人大常委会法工委) fixes the structure of laws, and regulations, rules,
办法, 规定 and judicial interpretations follow it:

- 条 (article) is the basic unit: it is what is cited ("第十八条"), so one article is one clause,
  holding its whole text verbatim.
- 款 (paragraphs) are the article's later paragraphs, unnumbered: they stay in the article.
- 项 are its items "（一）（二）…", 目 the sub-items "1. 2. …" of an item: they stay in the article
  and are recorded as its `items`, so an answer can point at 第十八条第（三）项.
- 编, 分编, 章, 节 group articles: they are headings that go into the articles' `path`.
- An amendment inserts articles without renumbering: 第十七条之一 is an article of its own.
- A table of contents (目录) may list the 编/章/节 first: that list is text, not the headings.

Some documents group their articles under headings of another style ("## 一、关于一般规定" in a
judicial interpretation); such a style, seen outside any article as a heading over articles, is a
grouping heading wherever it appears again as a heading.

    "## 第一章 总 则", "第一条 为了…。", "第二条 …下列业务：", "（一）…；", "（二）…。", "前款规定…。"
        -> Section("第一章 总则"), Article(第一条, 1 block), Article(第二条, 4 blocks)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .model import Block, Item, NumberingStyle
from .numbering import Label, match_label

ARTICLE = NumberingStyle.DI_TIAO
# Titles of statutes and rules (《立法法》: 法律, 行政法规 (条例, 规定, 办法), 规章, 司法解释 (解释, 规定, 批复)).
STATUTE_TYPES = ("法", "条例", "办法", "规定", "解释", "细则", "规则", "决定", "章程", "准则", "批复")
_TITLE_TAIL = re.compile(r"[（(][^（）()]{1,20}[）)]$")
_GROUP_MAX = 60
_TOC = re.compile(r"^目[\s\u3000]*录$")
# "第一章 总 则" / "第八章　附　　则": a short title printed with letters spaced out
_SPACED = re.compile(r"^(\S+?)[\s\u3000]+((?:\S[\s\u3000]+)+\S)$")


def statute_title(title: str | None) -> bool:
    """Does a title name a statute or rule? ("中华人民共和国海关法", "物业管理条例（2018修订）" yes; "实施意见" no)."""
    if not title:
        return False
    core = _TITLE_TAIL.sub("", title.strip()).strip()
    return core.endswith(STATUTE_TYPES)


def is_statute(blocks: list[Block], title: str | None) -> bool:
    """Is the document numbered by 条? Three articles or more make it so whatever its title (a 措施 may be
    drafted in articles too); one or two do when the title names a statute or rule. A policy that quotes
    articles after its own numbered measures ("（三）…。" before any 第X条) is numbered by those measures."""
    articles = measures_before = 0
    for b in blocks:
        label = None if b.table_row else match_label(b.text)
        if label is None:
            continue
        if label.style == ARTICLE:
            articles += 1
        elif articles == 0 and label.rank is None and not _heading_like(b):
            measures_before += 1
    if measures_before > articles:
        return False
    return articles >= 3 or (articles >= 1 and statute_title(title))


def normalize_heading(text: str) -> str:
    """A grouping heading as it goes into a path: spaced letters closed up, runs of blanks made one space.

    >>> normalize_heading("第一章 总 则"), normalize_heading("第一章  一般规定"), normalize_heading("第八章　附　　则")
    ('第一章 总则', '第一章 一般规定', '第八章 附则')
    """
    text = text.strip()
    m = _SPACED.match(text)
    if m and all(len(part) == 1 for part in re.split(r"[\s\u3000]+", m.group(2))):
        text = m.group(1) + " " + re.sub(r"[\s\u3000]+", "", m.group(2))
    return re.sub(r"[\s\u3000]+", " ", text)


@dataclass
class Article:
    label: Label
    blocks: list[Block]
    parents: tuple[str, ...]  # the enclosing grouping headings, normalised


@dataclass(frozen=True, slots=True)
class Grouping:
    """A 编/章/节 heading (or a heading of another style over articles)."""

    label: Label | None
    block: Block
    heading: str             # normalised: "第一章 总则"
    path: tuple[str, ...]    # enclosing headings, then this one


@dataclass(frozen=True, slots=True)
class Text:
    """Unnumbered paragraphs between a heading and the first article under it."""

    blocks: tuple[Block, ...]
    parents: tuple[str, ...]
    whole: bool = False  # one clause (a table of contents), not grouped paragraph by paragraph


@dataclass
class StatuteTree:
    preamble: list[Block] = field(default_factory=list)
    units: list[Article | Grouping | Text] = field(default_factory=list)  # in document order
    tail: list[Block] = field(default_factory=list)


def _heading_like(block: Block) -> bool:
    return len(block.text) <= _GROUP_MAX and not any(ch in block.text for ch in "。；;")


def build(body: list[Block], warnings: list[str], is_tail_start) -> StatuteTree:
    """Articles, grouping headings and text, in document order (`is_tail_start(blocks, i)`: a signature begins)."""
    tree = StatuteTree()
    stack: list[tuple[float, str]] = []  # open groupings: (rank, heading)
    group_styles: dict[NumberingStyle, float] = {}  # non-di styles used as headings over articles -> their rank
    article: Article | None = None
    text: list[Block] = []
    previous: Label | None = None

    def next_opens_article_or_group(i: int) -> bool:
        if i + 1 >= len(body):
            return False
        nxt = body[i + 1]
        lb = None if nxt.table_row else match_label(nxt.text)
        return nxt.heading or bool(lb and lb.rank is not None and lb.rank <= 4)

    def flush_text() -> None:
        nonlocal text
        if text:
            if tree.units:
                tree.units.append(Text(tuple(text), tuple(h for _, h in stack)))
            else:
                tree.preamble.extend(text)
        text = []

    toc: list[str] | None = None  # the headings listed under "目录", until the first of them comes again
    toc_blocks: list[Block] = []

    for i, block in enumerate(body):
        if tree.tail:
            tree.tail.append(block)
            continue
        label = None if block.table_row else match_label(block.text)
        if toc is None and previous is None and _TOC.match(block.text):
            flush_text()
            toc, toc_blocks = [], [block]
            continue
        if toc is not None:
            # a table of contents lists the 编/章/节 before the text: its lines are text, not the headings
            key = label.text if label else normalize_heading(block.text)  # "第一章 总则……1" lists "第一章"
            if not (label and label.style == ARTICLE or toc and key == toc[0]):  # sections repeat: "第一节"
                if label or block.heading:
                    toc.append(key)
                toc_blocks.append(block)
                continue
            toc = None
            tree.units.append(Text(tuple(toc_blocks), (), whole=True))
        if label and label.style == ARTICLE:
            flush_text()
            if previous and label.value != previous.value + 1 and not (label.suffix and label.value == previous.value):
                warnings.append(f"article numbering jumps from {previous.text} to {label.text}")
            previous = label
            article = Article(label, [block], tuple(h for _, h in stack))
            tree.units.append(article)
            continue
        rank = _grouping_rank(block, label, article is not None, group_styles, next_opens_article_or_group(i),
                              stack, bool(tree.units))
        if rank is not None:
            flush_text()
            article = None
            while stack and stack[-1][0] >= rank:
                stack.pop()
            heading = normalize_heading(block.text)
            stack.append((rank, heading))
            tree.units.append(Grouping(label, block, heading, tuple(h for _, h in stack)))
            continue
        if article is not None:
            if is_tail_start(body, i):
                tree.tail.append(block)
            else:
                article.blocks.append(block)  # a paragraph (款), an item (项) or a sub-item (目)
        else:
            text.append(block)
    flush_text()
    if toc is not None:
        tree.units.append(Text(tuple(toc_blocks), (), whole=True))  # a list that no heading followed
    return tree


def _grouping_rank(block: Block, label: Label | None, in_article: bool, group_styles: dict[NumberingStyle, float],
                   before_articles: bool, stack: list[tuple[float, str]], started: bool) -> float | None:
    """The rank of a grouping heading (coarser is smaller), or None when the block is not one."""
    if label is not None and label.rank is not None and label.rank < 4:
        return float(label.rank) if _heading_like(block) else None  # 第X编/分编/章/节
    if block.heading:
        if label is not None:
            return group_styles.setdefault(label.style, 3.5 + 0.01 * len(group_styles))
        if stack:
            return stack[-1][0]  # an unnumbered heading ("## 附则"): a sibling of the last one
        return 2.0 if started else None  # the document's title above everything is no grouping
    if label is None or not _heading_like(block):
        return None
    if not in_article:  # a numbered heading line outside any article: "一、关于一般规定"
        return group_styles.setdefault(label.style, 3.5 + 0.01 * len(group_styles))
    if label.style in group_styles and before_articles:
        return group_styles[label.style]  # the same style again, right above an article: the next heading
    return None


def article_items(blocks: list[Block]) -> tuple[Item, ...]:
    """The items (项) and sub-items (目) of an article, with offsets into its text ("\\n".join of the blocks).

    Numbering styles nest in the order the article first uses them: "（一）" items, "1." sub-items. An item
    spans its own paragraph and its sub-items; an unnumbered paragraph after a list is a new 款 of the
    article and closes every open item. Two 款 may each have a list ("（一）…（六）", then "（一）…（三）"):
    `paragraph` tells them apart, as a citation does ("第七十八条第二款第（一）项").
    """
    items: list[Item] = []
    open_: list[tuple[Label, int, int]] = []  # (label, index into items, start)
    offset = len(blocks[0].text) + 1

    def close(depth: int, end: int) -> None:
        while len(open_) > depth:
            lb, index, start = open_.pop()
            items[index] = replace(items[index], end=end)

    end_of_previous = len(blocks[0].text)
    paragraph = 1  # the 款 the lists belong to: the article's first paragraph is 第一款
    for block in blocks[1:]:
        label = None if block.table_row else match_label(block.text)
        if label is not None and label.style is NumberingStyle.DI_KUAN:
            label = None  # 款 are unnumbered: "第一款罪，告诉的才处理。" is a paragraph that cites one
        start = offset
        if label is None:
            close(0, end_of_previous)
            paragraph += 1
        else:
            # a style used before by an enclosing item closes the deeper ones
            same = next((k for k, (lb, _, _) in enumerate(open_) if lb.style == label.style), None)
            close(same if same is not None else len(open_), end_of_previous)
            parent = open_[-1][0].text if open_ else ""
            items.append(Item(label.text, label.number, label.style, start, start, parent, paragraph))
            open_.append((label, len(items) - 1, start))
        offset += len(block.text) + 1
        end_of_previous = offset - 1
    close(0, end_of_previous)
    return tuple(items)
