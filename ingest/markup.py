"""Strip markdown and indentation from one line, keeping its text verbatim otherwise.

    "### 一、总体要求"                    -> ("一、总体要求", heading=True)
    "(一)**加强平台企业培育引进**。大力…"   -> "(一)加强平台企业培育引进。大力…"
    "　　（一）完善进口目录和贴息政策。"       -> "（一）完善进口目录和贴息政策。"
    "[http://a.cn/post\\\\_1.html](http://a.cn/post_1.html))" -> "http://a.cn/post_1.html)"
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s+|$)")
_EMPHASIS = re.compile(r"\*\*|__(?=\S)|(?<=\S)__")
_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]*)\)")
_ESCAPE = re.compile(r"\\+([_*\[\]()#`>-])")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
# indentation: ASCII blanks, tabs, ideographic and no-break spaces, BOM, zero-width spaces and joiners
_BLANKS = " \t\u3000\u00a0\ufeff\r\u200b\u200c\u200d\u2060"


def clean_line(line: str) -> tuple[str, bool]:
    """(visible text, is a markdown heading). A horizontal rule gives ("", False)."""
    if _RULE.match(line):
        return "", False
    heading = bool(_HEADING.match(line))
    text = _HEADING.sub("", line) if heading else line
    text = _LINK.sub(lambda m: _ESCAPE.sub(r"\1", m.group(1)) or m.group(2), text)
    text = _ESCAPE.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    text = text.rstrip("#").strip(_BLANKS) if heading else text.strip(_BLANKS)
    return text, heading
