"""Which language a question is in: "zh" when it has a fair share of Chinese characters, else "en"."""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["zh", "en"]
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def detect_language(text: str) -> Language:
    """ "出口退税多久？" -> "zh"; "How fast are export tax refunds?" -> "en"; "RCEP 原产地证书" -> "zh"."""
    cjk = len(_CJK.findall(text))
    latin_words = len(re.findall(r"[A-Za-z]+", text))
    if cjk == 0:
        return "en"
    return "zh" if cjk >= latin_words else "en"
