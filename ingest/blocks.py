"""Split a document's text into paragraph blocks, repairing page breaks and reading tables.

A page break in a converted document cuts a sentence, sometimes a word, in two:

    "…推动深汕比亚迪汽车工业园二\\n\\n期项目投产出口，…"  ->  one block "…工业园二期项目投产出口，…"
    "…对企信息化服\\n\\n务应用，…"                    ->  one block "…对企信息化服务应用，…"

A line is joined to the next non-blank line when it reads as prose that stops
mid-sentence (no closing punctuation) and the next line does not start a numbered
unit or a heading. A heading line such as "一、巩固先进制造产业优势" is short and
has no sentence punctuation, so the paragraph under it is never glued to it.

Tables arrive as tab-indented cells, one per line, rows separated by blank lines
(as the draft's 任务分工表), as tab-separated lines, or as markdown pipe tables;
each row becomes one block with its cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .markup import clean_line
from .model import Block
from .numbering import match_label

_TERMINAL = tuple("。！？；：!?;:…」』”\"）)】〕]>〉")
_SENTENCE_PUNCT = set("，。；,;")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class Line:
    raw: str
    text: str       # cleaned
    heading: bool   # markdown heading
    start: int
    end: int

    @property
    def blank(self) -> bool:
        return not self.text


def split_lines(source: str) -> list[Line]:
    """Lines with their offsets; any line ending (LF, CRLF, CR, form feed) ends a line."""
    lines, pos = [], 0
    for raw in source.splitlines(keepends=True):
        content = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        text, heading = clean_line(content)
        lines.append(Line(content, text, heading, pos, pos + len(content)))
        pos += len(raw)
    return lines


def _open_bracket(text: str) -> bool:
    """Is a bracket left open at the end? "…（牵头单位：" (a PDF line break inside the parenthetical)."""
    depth = 0
    for ch in text:
        if ch in "（(〔【":
            depth += 1
        elif ch in "）)〕】" and depth:
            depth -= 1
    return depth > 0


def is_cut(text: str) -> bool:
    """Does this paragraph stop mid-sentence? ("…工业园二" yes; "一、促进产业贸易紧密联动" no; "…（牵头单位：" yes)."""
    if not text:
        return False
    if len(text) >= 12 and _open_bracket(text[-40:]) and _open_bracket(text):
        return True
    if text.endswith(_TERMINAL):
        return False
    label = match_label(text)
    if label and len(text) < 30 and "。" not in text:
        return False  # a heading line
    return len(text) >= 40 or (len(text) >= 12 and any(ch in _SENTENCE_PUNCT for ch in text))


def starts_unit(line: Line) -> bool:
    return line.heading or match_label(line.text) is not None


def _join(left: str, right: str) -> str:
    if _ASCII_WORD.match(left[-1:]) and _ASCII_WORD.match(right[:1]):
        return f"{left} {right}"
    return left + right


def _is_tab_cell(line: Line) -> bool:
    return line.raw.startswith("\t") and not line.blank


def _is_pipe_row(line: Line) -> bool:
    return line.raw.lstrip().startswith("|") and line.raw.rstrip().endswith("|") and line.raw.count("|") >= 3


_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _table_rows(lines: list[Line], i: int) -> tuple[list[Block], int]:
    """Read the table starting at lines[i]; return its row blocks and the index after it."""
    rows: list[Block] = []
    if _is_pipe_row(lines[i]):
        while i < len(lines) and _is_pipe_row(lines[i]):
            line = lines[i]
            if not _PIPE_SEPARATOR.match(line.raw):
                cells = tuple(clean_line(c)[0] for c in line.raw.strip().strip("|").split("|"))
                rows.append(Block(" ".join(c for c in cells if c), line.start, line.end, table_row=cells))
            i += 1
        return rows, i
    # tab-indented: consecutive tab lines form a row (one cell a line) unless a line has several cells
    while i < len(lines) and (_is_tab_cell(lines[i]) or lines[i].blank):
        if lines[i].blank:
            # a blank line separates rows; two blank lines followed by a non-tab line end the table
            j = i
            while j < len(lines) and lines[j].blank:
                j += 1
            if j >= len(lines) or not _is_tab_cell(lines[j]):
                return rows, i
            i = j
            continue
        group: list[Line] = []
        while i < len(lines) and _is_tab_cell(lines[i]):
            group.append(lines[i])
            i += 1
        if len(group) == 1 and "\t" in group[0].raw.strip("\t"):
            cells = tuple(clean_line(c)[0] for c in group[0].raw.strip("\t").split("\t"))
        else:
            cells = tuple(g.text for g in group)
        rows.append(Block("\t".join(cells), group[0].start, group[-1].end, table_row=cells))
    return rows, i


_MAX_CELLS = 20


def _table_starts(lines: list[Line], i: int) -> bool:
    """Does a table start at lines[i]?

    Tab-indented lines form a table only when they read as rows of two or more cells whose first cell is
    short and not a clause label: a row on one line ("\t1\t梳理修订…\t市司法局牵头"), a numbered row of one
    cell a line ("\t1", "\t梳理修订…", "\t市司法局牵头"), or two rows with as many cells each ("\t序号",
    "\t实施方案条款", "\t责任分工", then the first row). Paragraphs merely indented with a tab
    ("\t（一）完善进口目录和贴息政策。…"), with or without blank lines between them, are no table.
    """
    if _is_pipe_row(lines[i]):
        return i + 1 < len(lines) and _is_pipe_row(lines[i + 1])
    if not _is_tab_cell(lines[i]):
        return False
    rows: list[list[str]] = []  # the cells of the first two rows
    first_on_one_line = False
    j = i
    while len(rows) < 2:
        while j < len(lines) and lines[j].blank:  # rows may stand blank lines apart
            j += 1
        k = j
        while k < len(lines) and _is_tab_cell(lines[k]) and k - j <= _MAX_CELLS:
            k += 1
        if k == j or k - j > _MAX_CELLS:
            break
        if k - j == 1:
            rows.append([clean_line(c)[0] for c in lines[j].raw.strip("\t").split("\t")])
            first_on_one_line = first_on_one_line or len(rows) == 1
        else:
            rows.append([line.text for line in lines[j:k]])
        j = k
    if not rows or not all(_row_like(row) for row in rows):
        return False
    if first_on_one_line or rows[0][0].isdigit():
        return True
    return len(rows) == 2 and len(rows[0]) == len(rows[1])


def _row_like(cells: list[str]) -> bool:
    """Two or more cells, the first short and not a label: ("1", "梳理修订…", "市司法局"), not ("第一条", "为了…")."""
    head = cells[0]
    label = match_label(head)
    return len(cells) >= 2 and len(head) <= 20 and not (label and label.text == head)


def split_blocks(source: str) -> list[Block]:
    """Paragraph blocks of a document, in order, page breaks repaired."""
    return list(_iter_blocks(split_lines(source)))


def _iter_blocks(lines: list[Line]) -> Iterator[Block]:
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.blank:
            i += 1
            continue
        if _table_starts(lines, i):
            rows, i = _table_rows(lines, i)
            yield from rows
            continue
        text, start, end = line.text, line.start, line.end
        i += 1
        while not line.heading and is_cut(text):
            j = i
            while j < len(lines) and lines[j].blank:
                j += 1
            if j >= len(lines) or starts_unit(lines[j]) or _table_starts(lines, j):
                break
            text, end = _join(text, lines[j].text), lines[j].end
            i = j + 1
        yield Block(text, start, end, heading=line.heading)
