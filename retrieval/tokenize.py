"""Tokenisation for the lexical index: jieba with a domain dictionary for Chinese, words for English.

    ChineseTokenizer(userdict=["跨境电商", "海外仓"]).tokens("支持企业建设海外仓，发展跨境电商")
        -> ["支持", "企业", "建设", "海外仓", "发展", "跨境电商", "跨境", "电商"]

Search-mode segmentation (`cut_for_search`) adds the parts of long words, so a question
that says "电商" still meets a clause that says "跨境电商".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

from ingest.text import fold

_WORD = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_PUNCT = re.compile(r"^[\W_]+$")

# Function words and generic policy verbs that carry no topic, e.g. "的", "推动", "加快".
DEFAULT_ZH_STOPWORDS = frozenset(
    "的 了 和 与 及 等 在 对 为 以 于 或 并 是 将 把 被 其 之 中 上 下 由 从 向 按 按照 根据 通过 "
    "有关 相关 进一步 加快 推动 推进 支持 加大 加强 强化 提升 提高 积极 鼓励 实施 开展 持续 不断 "
    "我市 我省 各类 一批 工作 方面 什么 甚么 哪些 哪个 多少 怎么 如何 是否 吗 呢 请问 规定 要求".split()
)
DEFAULT_EN_STOPWORDS = frozenset(
    "a an the of to in on for and or is are was were be been by with as at from that this which what "
    "who whom whose how does do did can could should would will shall may might it its their there "
    "any some all about under into per than then so such these those i we you our my me us".split()
)


def normalise(text: str) -> str:
    """What both the index and a question are tokenised from: NFKC, lower case, simplified script (ingest.text)."""
    return fold(text)


class ChineseTokenizer:
    """jieba segmentation with a user dictionary, stopwords removed; English words kept as words."""

    def __init__(self, *, userdict: Iterable[str] = (), userdict_files: Iterable[Path] = (),
                 stopwords: frozenset[str] = DEFAULT_ZH_STOPWORDS | DEFAULT_EN_STOPWORDS,
                 cache_dir: Path | None = None) -> None:
        """`cache_dir`: where jieba's prefix dictionary is cached as a numpy file (retrieval/prefixdict.py), which
        loads in a quarter of jieba's own time; None leaves it to jieba's marshal cache in the temporary folder."""
        import jieba

        from .prefixdict import PrefixDict

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        if cache_dir is None:
            self._jieba.initialize()
        else:
            PrefixDict.for_jieba(self._jieba, cache_dir).install(self._jieba)
        for path in userdict_files:
            if path.exists():
                self._jieba.load_userdict(str(path))
        for word in userdict:
            if word and " " not in word:
                self._jieba.add_word(word, freq=2000)
        self.stopwords = stopwords

    def tokens(self, text: str) -> list[str]:
        text = normalise(text)
        out: list[str] = []
        for token in self._jieba.cut_for_search(text):
            token = token.strip()
            if not token or token in self.stopwords or _PUNCT.match(token):
                continue
            if _HAS_CJK.search(token) or _WORD.fullmatch(token):
                out.append(token)
        return out


class EnglishTokenizer:
    """Lower-cased words with light suffix folding, so inflections meet:
    "warehouses", "warehouse" -> "warehous"; "taxes", "tax" -> "tax"; "processing" -> "process"."""

    def __init__(self, *, stopwords: frozenset[str] = DEFAULT_EN_STOPWORDS) -> None:
        self.stopwords = stopwords

    @staticmethod
    def stem(word: str) -> str:
        if len(word) <= 3:
            return word
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        for suffix in ("ing", "ed"):
            if word.endswith(suffix) and len(word) > len(suffix) + 3:
                return word[: -len(suffix)]
        if word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word.endswith("e") and len(word) > 3:
            word = word[:-1]
        return word

    def tokens(self, text: str) -> list[str]:
        return [self.stem(w) for w in _WORD.findall(normalise(text)) if w not in self.stopwords]
