"""Annexes (附件), and the task table (任务分工表) that assigns units to the body's tasks.

The draft's annex is a table of rows `序号 / 实施方案条款 / 责任分工`:

    ("1", "梳理修订妨碍内外贸一体化的地方性法规…推动健全有利于内外贸一体化发展的制度体系。",
     "市司法局牵头，各有关部门按职责分工负责")

Each row becomes a clause of its own (label "附件 第1项") with the row's units. Rows
quote the body's tasks sentence by sentence, though not always word for word (row 1
says 推动健全 where task 1 says 建立健全), so each row is matched to the body clause
whose text is most similar to the row's sentences, and that clause gains the row's units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .model import Block, Clause, ClauseKind
from .paragraphs import group_unnumbered
from .responsible import Units, parse_units
from .text import sentences

_NUMBER_HEADER = re.compile(r"序号|编号|^No\.?$", re.I)
_TEXT_HEADER = re.compile(r"条款|任务|内容|措施|事项|工作")
_UNITS_HEADER = re.compile(r"责任|分工|单位|部门|牵头")
MIN_SIMILARITY = 75.0


@dataclass(frozen=True, slots=True)
class AnnexRow:
    clause_id: str
    text: str  # the row's quoted task text


def _columns(header: tuple[str, ...]) -> tuple[int | None, int | None, int | None]:
    def find(pattern: re.Pattern[str]) -> int | None:
        return next((i for i, cell in enumerate(header) if pattern.search(cell)), None)
    return find(_NUMBER_HEADER), find(_TEXT_HEADER), find(_UNITS_HEADER)


def emit_annex(emitter, blocks: list[Block], *, index: int, count: int, warnings: list[str]) -> list[AnnexRow]:
    """Emit the clauses of one annex; returns its task rows for `link_rows`."""

    prefix = "annex." if count == 1 else f"annex{index}."
    marker, _, inline_title = blocks[0].text.replace(":", "：").partition("：")
    marker = marker.strip()
    first_row = next((i for i, b in enumerate(blocks) if b.table_row), len(blocks))
    above = blocks[:first_row]  # the marker, the annex title, any text above the table
    rows = [b for b in blocks if b.table_row]
    # the title follows the marker ("附件2：名词解释") or stands right under it; a sentence ("本方案所称…，是指…。")
    # or a note below the table ("说明：…") is no title
    title = inline_title.strip() or next((b.text for b in above[1:2]
                                          if len(b.text) <= 80 and not any(ch in b.text for ch in "，。；,;")), None)
    path = (marker, title) if title else (marker,)
    header = rows[0] if rows and all(not c.isdigit() for c in rows[0].table_row or ()) else None
    number_col, text_col, units_col = _columns(header.table_row) if header else (None, None, None)
    # text groups in document order; the header row goes with the text right above it
    groups: list[list[Block]] = [list(above[:2])] if above else []
    groups += group_unnumbered(list(above[2:]))
    if header is not None:
        if groups:
            groups[-1].append(header)
        else:
            groups.append([header])
    for n, group in enumerate(groups, start=1):
        emitter.clause(key=f"{prefix}p{n}", kind=ClauseKind.ANNEX, blocks=group, path=path)
    n = len(groups)
    out: list[AnnexRow] = []
    run: list[Block] = []  # text between or below the tables

    def flush() -> None:
        nonlocal n, run
        for group in group_unnumbered(run):
            n += 1
            emitter.clause(key=f"{prefix}p{n}", kind=ClauseKind.ANNEX, blocks=group, path=path)
        run = []

    position = 0
    for row in blocks[first_row:]:
        if row is header:
            continue
        if not row.table_row:
            run.append(row)
            continue
        flush()
        position += 1
        cells = row.table_row
        number = cells[number_col].strip() if number_col is not None and number_col < len(cells) else str(position)
        if not number.isdigit():
            number = str(position)
        units = None
        if units_col is not None and units_col < len(cells):
            units = parse_units(cells[units_col], strict=False)
        clause = emitter.clause(key=f"{prefix}{number}", kind=ClauseKind.ANNEX_ROW, blocks=[row], path=path,
                                label_text=f"{marker} 第{number}项", number=number,
                                units=units or Units((), ()), text="\t".join(cells))
        if text_col is not None and text_col < len(cells):
            out.append(AnnexRow(clause.clause_id, cells[text_col]))
    flush()
    if position and text_col is None:
        warnings.append(f"{marker}: table without a recognisable task column; rows not linked to the body")
    return out


def _sentences(text: str) -> list[str]:
    """The row's sentences and list items (a ；ends one), fragments under four characters dropped."""
    return [s.strip() for s in sentences(text) if len(s.strip()) >= 4]


def similarity(row_text: str, clause_text: str) -> float:
    """Mean, over the row's sentences, of how well each is found in the clause (0–100)."""
    quoted = _sentences(row_text) or [row_text]
    return sum(fuzz.partial_ratio(s, clause_text) for s in quoted) / len(quoted)


def link_rows(clauses: list[Clause], rows: list[AnnexRow], warnings: list[str]) -> list[Clause]:
    """Attach each row's units to the body clause the row quotes; returns the updated clauses."""
    by_id = {c.clause_id: i for i, c in enumerate(clauses)}
    body = [i for i, c in enumerate(clauses) if c.kind in (ClauseKind.NUMBERED, ClauseKind.INTRO)]
    out = list(clauses)
    for row in rows:
        if not body:
            break
        scored = [(similarity(row.text, clauses[i].text), i) for i in body]
        score, best = max(scored)
        row_clause = out[by_id[row.clause_id]]
        if score < MIN_SIMILARITY:
            warnings.append(f"{row_clause.label}: no body clause quotes this row (best match {score:.0f}%)")
            continue
        target = out[best]
        out[best] = target.with_(
            responsible=target.responsible + tuple(r for r in row_clause.responsible if r not in target.responsible),
            lead=target.lead + tuple(r for r in row_clause.lead if r not in target.lead),
            support=target.support + tuple(r for r in row_clause.support if r not in target.support),
            annex_rows=target.annex_rows + (row.clause_id,),
        )
    return out
