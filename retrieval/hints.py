"""Which document a question points at: how much of each document's title, issuer, years and English names the
question mentions.

    hints = DocumentHints(documents, glossary=glossary, tokenizer=tokenizer)
    hints.scores(parser.parse("深圳海关20条的第十六条是什么？"))
        -> {"sz-customs-business-environment-20": 3.4, "gd-2014-stabilize-trade": 0.3, …}

A clause named by number ("第十六条") is looked up in the best-hinted document first (lookup.choose_clause), and
the score is one of the ranker's features. The question is read from its `Query`: never segmented again here.
"""

from __future__ import annotations

import re

from ingest.model import DocumentMeta
from ingest.text import squash, years

from .glossary import Glossary
from .query import Query
from .tokenize import ChineseTokenizer, EnglishTokenizer


class DocumentHints:
    def __init__(self, docs: list[DocumentMeta], *, glossary: Glossary, tokenizer: ChineseTokenizer) -> None:
        english = EnglishTokenizer()
        self._profiles = []
        for d in docs:
            names = [d.title or "", d.issuer or "", d.publisher or ""]
            names_en = " ".join(x for x in [d.title_en or "", *(glossary.english(n) or "" for n in names if n)] if x)
            self._profiles.append((
                d.doc_id, set(tokenizer.tokens(" ".join(names))), set(english.tokens(names_en)),
                years(" ".join([d.date or "", d.title or "", d.doc_id])),  # "2022-2025年" in a title: every year
                set(re.findall(r"\d+条", squash(d.title or "").lower())),  # "20条": the 海关20条
                squash(d.issuer or "").lower()))

    def scores(self, query: Query) -> dict[str, float]:
        q_zh, q_en = set(query.own_terms), set(query.words_en)
        q_squashed = squash(query.folded)
        out = {}
        for doc_id, zh, en, doc_years, counts, issuer in self._profiles:
            score = 0.0
            if zh:
                score += 2.0 * len(q_zh & zh) / len(zh)
            if en:
                score += 2.0 * len(q_en & en) / len(en)
            if query.years & doc_years:
                score += 1.0
            if any(c in q_squashed for c in counts):
                score += 1.0
            if issuer and issuer in q_squashed:
                score += 1.0
            out[doc_id] = score
        return out
