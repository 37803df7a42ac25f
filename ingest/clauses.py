"""Turn a document's blocks into clauses: the finest numbered units that carry policy text.

Numbering styles nest in the order a document first uses them, so the parser keeps a
stack of open units: a label whose style is already open closes that unit and opens a
sibling; a new style opens a child. 第X编/章/节/条/款 also keep their fixed order.

A unit with no numbered children is a clause ("（十四）…", "1.…", "十六、…"). A unit with
children is a section heading that goes into its children's `path`; if text stands
between its heading and its first child, heading and text form an intro clause.
Text before the first numbered unit (notice, preamble, signature, title) becomes
unnumbered clauses, so no text is lost. An annex (附件) is read separately: its table
rows become clauses of their own and lend their responsible units to the body clause
each row quotes (see `annex`).

A unit whose lead-in ends in "：" and announces short parts ("（二）重点支持以下方面：" "1.…；" "2.…。")
is one measure: one clause, its parts its `items`.

Documents numbered by 条 (laws, regulations, rules, interpretations, and policies drafted in
articles) follow the legislative convention instead: the article is the clause, whole (see `articles`).

    Seed 000: 一、…七、 are sections; (一)…(二十四) are the 24 measure clauses.
    Seed 004: 一、…二十、 have no children, so the 20 articles are the clauses.
    刑法: 第一编/第一章/第一节 are sections; 第一条 … 第二百八十七条之二 … are the 505 article clauses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import articles as statute
from .annex import emit_annex, link_rows
from .metadata import is_signature_line, is_title_like, parse_date
from .model import Block, Clause, ClauseKind, Item, NumberingStyle, Section
from .numbering import CN_NUMERAL, Label, match_label, number_value
from .paragraphs import group_unnumbered
from .responsible import Units, paragraph_units

# "附件2：任务分工表", "附件", "附表1", "附录", and "附：中华人民共和国进出口税则" (a law's attached schedule)
_ANNEX = re.compile(r"^附\s*(件|表|录)\s*[0-9０-９一二三四五六七八九十]*\s*[：:]?\s*(?P<title>.{0,60})$|"
                    r"^附\s*[：:]\s*(?P<named>.{2,80})$")
# the closing of a notice, report or letter, after its last unit: "抄送：…", "（此件公开发布）", "特此通知。",
# "以上意见如无不妥，请批转各地、各部门贯彻执行。", "以上报告，请审阅。"
_CLOSING = re.compile(r"^(抄送|抄报|主送)[：:]|^（此件.{0,20}）$|^\(此件.{0,20}\)$|"
                      r"^特此(通知|报告|函告|函复|批复|公告|通告)。?$|"
                      r"^以上(意见|报告|请示|方案|建议).{0,12}(如无不妥|如无不当|请审|请批|请予|妥否).{0,40}$")
# a paragraph that sums up the list before it: "…这些地区也应按照上述精神认真做好防震减灾工作。"
_SUMS_UP = re.compile(r"上述|前述|综上|以上各项|以上措施|以上工作")
_HEADING_MAX = 40


@dataclass
class _Node:
    label: Label
    blocks: list[Block]
    children: list["_Node"] = field(default_factory=list)
    after: list[Block] = field(default_factory=list)  # paragraphs after its list that belong to it, not its last child


@dataclass(frozen=True, slots=True)
class Structure:
    clauses: tuple[Clause, ...]
    sections: tuple[Section, ...]
    levels: tuple[str, ...]
    preamble: tuple[Block, ...]
    annexes: tuple[tuple[Block, ...], ...]
    warnings: tuple[str, ...]
    tail: tuple[Block, ...] = ()  # signature, date, distribution list after the last clause


def heading_of(block: Block) -> str:
    """The heading a block gives its clause in a path: "（十八）加快出口退税进度。对申报…" -> "（十八）加快出口退税进度"."""
    text = block.text
    if len(text) <= _HEADING_MAX and "。" not in text[:-1]:
        return text.rstrip("。")
    m = re.search(r"[。；：]", text)
    if m and m.start() <= _HEADING_MAX:
        return text[:m.start()]
    label = match_label(text)
    return label.text if label else text[:_HEADING_MAX] + "…"


def is_heading_only(block: Block) -> bool:
    """A heading line, maybe closed by a full stop: "一、总体要求", "（三）基本原则。"; not "（一）加强组织。内容。"."""
    return len(block.text) <= _HEADING_MAX and not any(ch in block.text[:-1] for ch in "。；") \
        and not block.text.endswith("；")


def _is_annex_marker(block: Block) -> bool:
    m = _ANNEX.match(block.text)
    return bool(m) and not any(ch in block.text for ch in "，。；")


def _split_annexes(blocks: list[Block]) -> tuple[list[Block], list[list[Block]]]:
    body: list[Block] = []
    annexes: list[list[Block]] = []
    seen_number = False
    for block in blocks:
        if not block.table_row and seen_number and _is_annex_marker(block):
            annexes.append([block])
            continue
        if annexes:
            annexes[-1].append(block)
        else:
            body.append(block)
            if not seen_number and not block.table_row and match_label(block.text):
                seen_number = True
    return body, annexes


def _is_tail_start(blocks: list[Block], i: int) -> bool:
    """Is blocks[i] the start of a closing signature or distribution list after the last clause?"""
    text = blocks[i].text
    if _CLOSING.match(text):
        return True
    if parse_date(text) and (i + 1 == len(blocks) or _is_tail_start(blocks, i + 1)):
        return True
    return is_signature_line(text) and i + 1 < len(blocks) and bool(parse_date(blocks[i + 1].text))


def _bare_heading_label(block: Block, stack: list[_Node]) -> Label | None:
    """A markdown heading that is only a numeral ("## 三") where the open "二、" calls for "三、": the converter
    dropped the "、". It is the next unit of that level."""
    if not block.heading or not re.fullmatch(rf"[{CN_NUMERAL}]+", block.text):
        return None
    try:
        value = number_value(block.text)
    except ValueError:
        return None
    sibling = next((n.label for n in reversed(stack) if n.label.style is NumberingStyle.CN_DUN), None)
    if sibling is None or value != sibling.value + 1:
        return None
    return Label(style=NumberingStyle.CN_DUN, number=block.text, value=value, text=block.text)


def _closes_list(stack: list[_Node], block: Block) -> bool:
    """Does this unnumbered paragraph close the list the innermost unit is an item of?"""
    if len(stack) < 2 or stack[-1].children or len(stack[-2].children) < 2:
        return False
    lead_in = stack[-2].blocks[-1].text
    return lead_in.endswith(("：", ":")) and bool(_SUMS_UP.search(block.text))


def _build_tree(body: list[Block], warnings: list[str]) -> tuple[list[Block], list[_Node], list[Block]]:
    preamble: list[Block] = []
    roots: list[_Node] = []
    stack: list[_Node] = []
    tail: list[Block] = []
    for i, block in enumerate(body):
        if tail:
            tail.append(block)
            continue
        label = None if block.table_row else match_label(block.text) or _bare_heading_label(block, stack)
        if label is None:
            if stack and _is_tail_start(body, i):
                tail.append(block)
            elif stack and stack[-1].after:
                stack[-1].after.append(block)
            elif stack and _closes_list(stack, block):
                # as with a statute's items: a lead-in ending in "：" announces a list, and a paragraph after
                # it that sums it up is the enclosing unit's, not the last item's
                stack.pop()
                stack[-1].after.append(block)
            elif stack:
                stack[-1].blocks.append(block)
            else:
                preamble.append(block)
            continue
        closes = any(n.label.style == label.style for n in stack) or (
            bool(stack) and label.rank is not None and stack[-1].label.rank is not None
            and stack[-1].label.rank >= label.rank)
        if stack and stack[-1].after and (not closes or label.style == stack[-1].children[-1].label.style):
            # another item (or a part of one) follows: the paragraph did not close the list, it was the last item's
            last = stack[-1].children[-1]
            last.blocks += stack[-1].after
            stack[-1].after.clear()
            stack.append(last)
        node = _Node(label, [block])
        same = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].label.style == label.style), None)
        if same is not None:
            previous = stack[same].label
            if label.value != previous.value + 1:
                warnings.append(f"numbering jumps from {previous.text} to {label.text}")
            del stack[same:]
        elif label.rank is not None:
            while stack and stack[-1].label.rank is not None and stack[-1].label.rank >= label.rank:
                stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return preamble, roots, tail


def _key_of(value: int, suffix: str = "") -> str:
    """A clause id part: 18 -> "18"; 第二百八十七条之二 -> "287-2"."""
    return str(value) + (f"-{number_value(suffix)}" if suffix else "")


_PART_MAX = 100
_LEAD_IN_MIN = 9  # "重点支持以下方面：" announces parts; "重点任务：" only heads them


def _one_measure(node: _Node) -> bool:
    """Is a unit with children one measure whose parts are listed ("（二）重点支持以下方面：" "1.参加境外展会；"
    "2.开展品牌推广。")? Its lead-in ends with "：" and announces the list; the parts are short leaves that name
    no units of their own. Such a unit is cited whole, as an article is, and its parts are its items."""
    lead_in = node.blocks[-1].text
    if not lead_in.endswith(("：", ":")) or len("".join(b.text for b in node.blocks)) - len(node.label.text) < _LEAD_IN_MIN:
        return False  # "三、重点任务：" is a heading over tasks, not a measure announcing its parts
    return all(not child.children and sum(len(b.text) for b in child.blocks) <= _PART_MAX
               and not any(paragraph_units(b.text) for b in child.blocks) for child in node.children)


def _flatten(node: _Node) -> list[Block]:
    out = list(node.blocks)
    for child in node.children:
        out += _flatten(child)
    return out + node.after


class _Emitter:
    """Collects clauses and sections in document order with stable ids."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.clauses: list[Clause] = []
        self.sections: list[Section] = []
        self._keys: set[str] = set()
        self._unnumbered = 0
        # inside an annex that is a document of its own: its key prefix and path ("annex.", ("附件1", "…规范"))
        self.scope_key = ""
        self.scope_path: tuple[str, ...] = ()

    def key(self, key: str) -> str:
        candidate, n = key, 1
        while candidate in self._keys:
            n += 1
            candidate = f"{key}~{n}"
        self._keys.add(candidate)
        return candidate

    def clause(self, *, key: str, kind: ClauseKind, blocks: list[Block], path: tuple[str, ...],
               label: Label | None = None, label_text: str | None = None, number: str | None = None,
               units: Units | None = None, text: str | None = None, items: tuple[Item, ...] = ()) -> Clause:
        per_paragraph = tuple(paragraph_units(b.text) for b in blocks) if units is None else ()
        responsible: list[str] = list(units.responsible) if units else []
        lead: list[str] = list(units.lead) if units else []
        support: list[str] = list(units.support) if units else []
        for u in per_paragraph:
            if u:
                responsible += [r for r in u.responsible if r not in responsible]
                lead += [r for r in u.lead if r not in lead]
                support += [r for r in u.support if r not in support]
        by_paragraph = tuple(u.responsible if u else () for u in per_paragraph)
        if sum(1 for u in per_paragraph if u) < 2:
            by_paragraph = ()
        path = self.scope_path + path
        clause = Clause(
            clause_id=f"{self.doc_id}#{self.key(self.scope_key + key)}",
            doc_id=self.doc_id,
            position=len(self.clauses),
            kind=kind,
            label=label_text if label_text is not None else (label.text if label else ""),
            number=number if number is not None else (label.number if label else ""),
            style=label.style if label else NumberingStyle.NONE,
            path=path,
            text=text if text is not None else "\n".join(b.text for b in blocks),
            start=blocks[0].start,
            end=blocks[-1].end,
            responsible=tuple(responsible),
            lead=tuple(lead),
            responsible_by_paragraph=by_paragraph,
            suffix=label.suffix if label else "",
            items=items,
            support=tuple(support),
        )
        self.clauses.append(clause)
        return clause

    def unnumbered(self, groups: list[list[Block]]) -> None:
        """Top-level clauses without a number, keyed p1, p2, … in document order."""
        for group in groups:
            self._unnumbered += 1
            self.clause(key=f"p{self._unnumbered}", kind=ClauseKind.UNNUMBERED, blocks=group, path=())

    def tree(self, nodes: list[_Node], parents: tuple[str, ...], chain: tuple[str, ...]) -> None:
        for node in nodes:
            heading = heading_of(node.blocks[0])
            path = parents + (heading,)
            key = ".".join(chain + (_key_of(node.label.value, node.label.suffix),))
            if node.children and _one_measure(node):
                blocks = _flatten(node)
                self.clause(key=key, kind=ClauseKind.NUMBERED, blocks=blocks, path=path, label=node.label,
                            items=statute.article_items(blocks))
            elif node.children:
                if len(node.blocks) > 1 or not is_heading_only(node.blocks[0]):
                    self.clause(key=key, kind=ClauseKind.INTRO, blocks=node.blocks, path=path, label=node.label)
                else:
                    b = node.blocks[0]
                    self.sections.append(Section(self.doc_id, node.label.text, node.label.number,
                                                 node.label.style, heading, self.scope_path + path, b.start, b.end))
                self.tree(node.children, path, chain + (_key_of(node.label.value, node.label.suffix),))
                if node.after:
                    self.clause(key=key + ".after", kind=ClauseKind.UNNUMBERED, blocks=node.after, path=path)
            else:
                self.clause(key=key, kind=ClauseKind.NUMBERED, blocks=node.blocks, path=path, label=node.label)

    def statute(self, tree: statute.StatuteTree) -> None:
        """Articles as clauses (key: the article number, "287-2" for 第二百八十七条之二), groupings as sections."""
        for unit in tree.units:
            if isinstance(unit, statute.Article):
                label = unit.label
                key = _key_of(label.value, label.suffix)
                self.clause(key=key, kind=ClauseKind.NUMBERED, blocks=unit.blocks, label=label,
                            path=unit.parents + (heading_of(unit.blocks[0]),),
                            items=statute.article_items(unit.blocks))
            elif isinstance(unit, statute.Grouping):
                lb, b = unit.label, unit.block
                self.sections.append(Section(self.doc_id, lb.text if lb else "", lb.number if lb else "",
                                             lb.style if lb else NumberingStyle.NONE, unit.heading, self.scope_path + unit.path,
                                             b.start, b.end))
            else:
                for group in [list(unit.blocks)] if unit.whole else group_unnumbered(list(unit.blocks)):
                    self._unnumbered += 1
                    self.clause(key=f"p{self._unnumbered}", kind=ClauseKind.UNNUMBERED, blocks=group,
                                path=unit.parents)


def _statute_levels(tree: statute.StatuteTree) -> tuple[NumberingStyle, ...]:
    """(DI_ZHANG, DI_JIE, DI_TIAO, CN_PAREN, AR_DOT): groupings by rank, then articles, then item styles."""
    groups = sorted({(u.label.rank if u.label.rank is not None else 3.5, u.label.style)
                     for u in tree.units if isinstance(u, statute.Grouping) and u.label})
    items: list[NumberingStyle] = []
    for u in tree.units:
        if isinstance(u, statute.Article):
            items += [i.style for i in statute.article_items(u.blocks) if i.style not in items]
    return tuple(dict.fromkeys([s for _, s in groups] + [statute.ARTICLE] + items))


def _title_hint(body: list[Block]) -> str | None:
    """The first heading or title-like line before the first numbered unit, to tell a statute by its title."""
    for block in body:
        if not block.table_row and match_label(block.text):
            return None
        if block.heading or is_title_like(block.text):
            return block.text
    return None


def _levels(roots: list[_Node]) -> tuple[NumberingStyle, ...]:
    """Numbering styles from coarse to fine: (CN_DUN, CN_PAREN)."""
    order: dict[NumberingStyle, tuple[int, int]] = {}
    counter = 0

    def walk(nodes: list[_Node], depth: int) -> None:
        nonlocal counter
        for node in nodes:
            counter += 1
            style = node.label.style
            if style not in order or depth < order[style][0]:
                order[style] = (depth, order.get(style, (depth, counter))[1])
            walk(node.children, depth + 1)

    walk(roots, 0)
    return tuple(sorted(order, key=lambda s: order[s]))


def _emit_body(emitter: _Emitter, body: list[Block], title: str | None,
               warnings: list[str]) -> tuple[list[Block], list[Block], tuple[str, ...]]:
    """Emit the clauses of a body (the document's, or an annex's that is a document of its own);
    returns its preamble, tail and numbering levels."""
    if statute.is_statute(body, title or _title_hint(body)):
        # documents numbered by 条: the article is the clause (see `articles`)
        tree = statute.build(body, warnings, _is_tail_start)
        emitter.unnumbered(group_unnumbered(tree.preamble))
        emitter.statute(tree)
        emitter.unnumbered(group_unnumbered(tree.tail))
        return tree.preamble, tree.tail, _statute_levels(tree)
    preamble, roots, tail = _build_tree(body, warnings)
    if not roots:
        warnings.append("no clause numbering found: each paragraph is a clause")
        emitter.unnumbered([[b] for b in preamble])
    else:
        emitter.unnumbered(group_unnumbered(preamble))
        emitter.tree(roots, (), ())
        emitter.unnumbered(group_unnumbered(tail))
    return preamble, tail, _levels(roots)


def _is_document(annex: list[Block]) -> bool:
    """An annex that is a document of its own ("附件一：“中华老字号”认定规范（试行）" with its 第一条 … or
    一、…), not a table: its numbered units are citable clauses like the body's."""
    inline = annex[0].text.replace(":", "：").partition("：")[2].strip()
    if match_label(inline):
        return False  # "附件：1．…审批表" "2．…通知书": the list of what is attached, not an attachment
    return not any(b.table_row for b in annex) and sum(1 for b in annex[1:] if match_label(b.text)) >= 2


def _annex_heading(annex: list[Block]) -> tuple[str, str | None, int]:
    """("附件1", its title or None, how many blocks the marker and the title take)."""
    marker, _, inline = annex[0].text.replace(":", "：").partition("：")
    if inline.strip():
        return marker.strip(), inline.strip(), 1
    nxt = annex[1] if len(annex) > 1 else None
    if nxt and not match_label(nxt.text) and len(nxt.text) <= 80 and not any(ch in nxt.text for ch in "，。；,;"):
        return marker.strip(), nxt.text, 2
    return marker.strip(), None, 1


def _emit_annex_document(emitter: _Emitter, annex: list[Block], prefix: str) -> None:
    marker, title, used = _annex_heading(annex)
    path = (marker, title) if title else (marker,)
    emitter.clause(key=f"{prefix}head", kind=ClauseKind.ANNEX, blocks=annex[:used], path=path)
    emitter.scope_key, emitter.scope_path = prefix, path
    try:
        _emit_body(emitter, annex[used:], title, [])  # the annex's numbering is its own: no jumps to report
    finally:
        emitter.scope_key, emitter.scope_path = "", ()


def parse_structure(doc_id: str, blocks: list[Block], *, title: str | None = None) -> Structure:
    """Clauses and sections of one document (annex rows included, not yet linked to the body).

    `title` (from the document's metadata, if any) helps tell a statute: see `articles.is_statute`.
    """

    warnings: list[str] = []
    body, annexes = _split_annexes(blocks)
    emitter = _Emitter(doc_id)
    preamble, tail, levels = _emit_body(emitter, body, title, warnings)
    rows = []
    for index, annex in enumerate(annexes, start=1):
        if _is_document(annex):
            _emit_annex_document(emitter, annex, "annex." if len(annexes) == 1 else f"annex{index}.")
        else:
            rows += emit_annex(emitter, annex, index=index, count=len(annexes), warnings=warnings)
    clauses = link_rows(emitter.clauses, rows, warnings) if rows else emitter.clauses
    return Structure(tuple(clauses), tuple(emitter.sections), levels,
                     tuple(preamble), tuple(tuple(a) for a in annexes), tuple(warnings), tuple(tail))
