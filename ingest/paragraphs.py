"""Paragraphs without a number, grouped into clauses: the preamble, notices, signatures, annex notes.

    group_unnumbered([Block("特此通知。"), Block("深圳市商务局"), Block("2024年2月20日")])
        -> [[Block("特此通知。"), Block("深圳市商务局"), Block("2024年2月20日")]]
"""

from __future__ import annotations

import re

from .metadata import is_title_like
from .model import Block


def group_unnumbered(blocks: list[Block]) -> list[list[Block]]:
    """Group paragraphs that have no number into clauses.

    A title stands alone (with a "（征求意见稿）" line under it); short lines without
    sentence punctuation stay together ("特此通知。" + "深圳市商务局" + "2024年2月20日");
    a line ending in "：" (an addressee) goes with the paragraph after it; other
    paragraphs stand alone.
    """
    groups: list[list[Block]] = []
    current: list[Block] = []

    def flush() -> None:
        nonlocal current
        if current:
            groups.append(current)
        current = []

    for block in blocks:
        text = block.text
        if current and current[-1].text.endswith(("：", ":")):
            current.append(block)
            if not is_line(text):
                flush()
            continue
        if block.heading or is_title_like(text):
            flush()
            current = [block]
            flush()
            continue
        if groups and len(groups[-1]) == 1 and (groups[-1][0].heading or is_title_like(groups[-1][0].text)) \
                and not current and re.fullmatch(r"[（(][^（）()]{1,20}[）)]", text):
            groups[-1].append(block)  # "（征求意见稿）" under the title
            continue
        if is_line(text):
            if current and not is_line(current[-1].text):
                flush()
            current.append(block)
            continue
        flush()
        current = [block]
        if not text.endswith(("：", ":")):
            flush()
    flush()
    return groups


def is_line(text: str) -> bool:
    """A short line without inner sentence punctuation: a name, a date, "特此通知。"."""
    body = text[:-1]
    return len(text) <= 40 and not any(ch in body for ch in "，。；,;")
