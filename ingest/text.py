"""The one text toolkit: width and script normalisation, sentences, years. Every package uses these.

    squash("在 20 个工作日")                  -> "在20个工作日"        (NFKC, whitespace removed: the gold matching rule)
    fold("海關20條第十二條")                   -> "海关20条第十二条"     (NFKC, lower case, traditional -> simplified)
    script("海關有冇補貼？")                   -> "traditional"
    to_script("现有语料中没有", "traditional")  -> "現有語料中沒有"
    sentences("一是…。二是…；三是…")            -> ["一是…。", "二是…；", "三是…"]
    years("2022-2025年，2024年")               -> {2022, 2023, 2024, 2025}

Script conversion uses OpenCC's dictionaries (the `opencc` package bundles them): a phrase-level
conversion, which a character table cannot do (e.g. 乾 -> 干 or 乾 by context).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

import opencc

Script = Literal["simplified", "traditional", "none"]

_WHITESPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年?\s*[-—–~～至到]\s*((?:19|20)\d{2})(?!\d)")


def _sentence_pattern(semicolons: bool) -> re.Pattern[str]:
    """A sentence ends at 。！？ (and ；), at . ! ? before a space or the end (English), at ! ? (and ;) typed
    half-width before a Chinese character ("是否?可以;另外"), or at a line break; the terminator stays with it.
    A "." before a Chinese character is not an end: "1.加快退税" is an item number."""
    full, half = ("。！？；", "!?;") if semicolons else ("。！？", "!?")
    return re.compile(rf"[^\n]+?(?:[{full}]+|[.!?]+(?=\s)|[{half}]+(?=[\u3400-\u9fff])|(?=\n)|$)")


# semicolons=True: the units of policy text, where ；separates the items of a list ("一是…；二是…")
# semicolons=False: prose, where ；stays inside a sentence (generated answers)
_SENTENCE = {True: _sentence_pattern(True), False: _sentence_pattern(False)}


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def nfkc(text: str) -> str:
    """Full-width to half-width and compatibility forms: "（１）ＡＥＯ" -> "(1)AEO"."""
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """NFKC with all whitespace removed (CONTRACTS §1 matching rule)."""
    return _WHITESPACE.sub("", nfkc(text))


def collapse(text: str) -> str:
    """Runs of whitespace to one space, trimmed."""
    return _WHITESPACE.sub(" ", text).strip()


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text) if _CJK.search(text) else text


def to_script(text: str, target: Script) -> str:
    """Convert PolicyQA's own (simplified) wording into the user's script; other text is left alone."""
    if target != "traditional" or not _CJK.search(text):
        return text
    return _converter("s2t").convert(text)


def script(text: str) -> Script:
    """Which Chinese script a text is written in: traditional when converting it to simplified changes at least
    one character in twenty (and at least one), simplified when it has Chinese otherwise, "none" without Chinese."""
    chinese = _CJK.findall(text)
    if not chinese:
        return "none"
    changed = sum(a != b for a, b in zip(text, to_simplified(text)))
    return "traditional" if changed and changed * 20 >= len(chinese) else "simplified"


def fold(text: str) -> str:
    """The form matching compares: NFKC, lower case, simplified script."""
    return to_simplified(nfkc(text)).lower()


def sentences(text: str, *, semicolons: bool = True) -> list[str]:
    """Sentences with their terminators, verbatim (blank pieces dropped); with semicolons=False a ；does not end
    one: sentences("一是…；二是…。三是…", semicolons=False) -> ["一是…；二是…。", "三是…"]."""
    return [m.group(0) for m in _SENTENCE[semicolons].finditer(text) if m.group(0).strip()]


def sentence_spans(text: str, *, semicolons: bool = True) -> list[tuple[int, int]]:
    """(start, end) of every sentence of `text`, in order."""
    return [(m.start(), m.end()) for m in _SENTENCE[semicolons].finditer(text) if m.group(0).strip()]


def years(text: str) -> set[int]:
    """Years a text speaks of, ranges expanded: "2022-2025年" -> {2022, 2023, 2024, 2025}."""
    text = nfkc(text)
    found = {int(m.group(1)) for m in _YEAR.finditer(text)}
    for m in _YEAR_RANGE.finditer(text):
        low, high = int(m.group(1)), int(m.group(2))
        if 0 <= high - low <= 30:
            found |= set(range(low, high + 1))
    return found
