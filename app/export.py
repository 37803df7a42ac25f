"""An answer, or a whole conversation, as Markdown with its citations.

    answer_markdown(record) ->
        ## 问题 Question
        广东省出口退税审批要在多少个工作日内完成？

        ## 回答 Answer
        根据《广东省支持外贸稳定增长实施方案》（广东省人民政府办公厅，2014年5月23日）第（十八）条：“…”[1]

        ## 引用 Citations
        **[1] 《广东省支持外贸稳定增长实施方案》 （十八）**
        - 发文机关 Issuer: 广东省人民政府办公厅 · 日期 Date: 2014-05-23 · 状态 Status: issued
        - 条款 Clause: gd-2014-stabilize-trade#6.18 — 六、加大财税金融支持力度 › （十八）加快出口退税进度
        - 原文 Quote:
          > 对申报单证齐全真实……在20个工作日内完成退（免）税审批手续……
        - 链接 Link: <http://127.0.0.1:8000/documents/gd-2014-stabilize-trade?quote=…#clause=…>

Text from documents and answers is data: HTML in it is escaped, so a Markdown viewer shows it as text.
"""

from __future__ import annotations

import re

from .serialize import AnswerRecord, LinkedCitation

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$])")
_HEADING = re.compile(r"(?m)^(\s*)#")


def escape_markdown(value: str | None, *, unknown: str = "未注明 not stated") -> str:
    """Plain text safe in Markdown: no raw HTML, no accidental emphasis or links."""
    if value is None or value == "":
        return unknown
    escaped = _HEADING.sub(r"\1\\#", _MD_SPECIAL.sub(r"\\\1", value.replace("&", "&amp;")))
    return re.sub(r"\n(?!\n)", "  \n", escaped)  # keep the answer's line breaks


_t = escape_markdown


def _block(value: str) -> str:
    """A multi-line text as a Markdown quote block, each line escaped."""
    return "\n".join(f"  > {_t(line, unknown='')}" for line in value.splitlines() if line.strip())


def citation_markdown(n: int | None, c: LinkedCitation) -> str:
    marker = f"[{n}] " if n is not None else ""
    lines = [f"**{marker}《{_t(c.doc_title or c.doc_id)}》 {_t(c.clause, unknown='（无编号 unnumbered）')}**",
             f"- 发文机关 Issuer: {_t(c.issuer)} · 日期 Date: {_t(c.date)} · 状态 Status: {_t(c.status)}",
             f"- 条款 Clause: {_t(c.clause_id)}" + (f" — {_t(' › '.join(c.path))}" if c.path else ""),
             "- 原文 Quote:", _block(c.quote or c.text)]
    if c.text_en:
        lines += ["- 英文参考译文 English reference translation (unofficial):", _block(c.text_en)]
    if c.responsible:
        lines.append(f"- 责任单位 Responsible: {_t('、'.join(c.responsible))}")
    if c.url:
        lines.append(f"- 链接 Link: <{c.url}>")
    return "\n".join(lines)


def answer_markdown(record: AnswerRecord, *, level: int = 2, heading: str | None = None) -> str:
    h = "#" * level
    parts = []
    if heading:
        parts.append(f"{'#' * (level - 1)} {heading}" if level > 1 else heading)
    parts += [f"{h} 问题 Question\n{_t(record.question)}", f"{h} 回答 Answer\n{_t(record.answer)}"]
    if record.citations:
        parts.append(f"{h} 引用 Citations\n" + "\n\n".join(
            citation_markdown(n, c) for n, c in enumerate(record.citations, start=1)))
    elif record.refused:
        parts.append(f"{h} 引用 Citations\n无：语料中没有回答该问题的条款。 None: no clause in the corpus answers "
                     "this question.")
    return "\n\n".join(parts) + "\n"


def conversation_markdown(records: list[AnswerRecord], *, title: str = "PolicyQA 对话 Conversation") -> str:
    """Every turn in order, each with its own citations."""
    turns = [answer_markdown(r, level=3, heading=f"第{n}轮 Turn {n}") for n, r in enumerate(records, start=1)]
    return f"# {title}\n\n" + "\n".join(turns)
