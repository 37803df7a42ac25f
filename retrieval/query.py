"""One question, understood once: the `Query` every later stage (search, ranking, answering) reads.

    QueryParser(tokenizer=…, glossary=…, aliases=…).parse("海關20條第十二條講咗咩？")
        -> Query(text="海關20條第十二條講咗咩？", folded="海关20条第十二条讲咗咩?", language="zh",
                 script="traditional", terms=("海关", "20", "条", …), reference=Reference(12, False, "条"), …)

Nothing downstream re-segments, re-validates or re-normalises the question.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.errors import InvalidQueryError
from ingest.text import Script, collapse, fold, script, years

from .aliases import Aliases
from .asked import asked_type, wanted
from .glossary import Glossary
from .intents import IntentModel, default_model
from .language import Language, detect_language
from .lookup import Reference, parse_reference
from .places import places_in
from .tokenize import ChineseTokenizer, EnglishTokenizer

MAX_QUESTION_CHARS = 2000
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,9}\b")


@dataclass(frozen=True, slots=True)
class Query:
    text: str                       # as asked, whitespace collapsed
    folded: str                     # NFKC, lower case, simplified script: what matching compares
    language: Language
    script: Script                  # the user's Chinese script, for the reply ("none" when no Chinese)
    terms: tuple[str, ...]          # Chinese lexical terms: the question's words, then expansions' words
    own_terms: tuple[str, ...]      # the question's own Chinese words (no expansions)
    words_en: tuple[str, ...]       # English words, stemmed (for the translations' BM25)
    expansions: tuple[str, ...]     # Chinese terms added by the glossary (English phrases) and aliases
    places: frozenset[str]
    years: frozenset[int]
    reference: Reference | None     # a clause named by number ("第十二條", "article 16")
    asked: str | None               # the kind of fact asked for: "days", "date", "percent", "money", "count", …
    intents: frozenset[str] = frozenset()  # what it asks of the system (retrieval.intents): "in_force", "advice",
                                           # "injection", "smalltalk"
    wants: str | None = None        # the direct answer it wants (app.short): `asked` widened, e.g. "number" for
                                    # "第几届", "agency" for "哪几家单位负责", "yesno" for "还有额外奖励吗？"


def _visible(text: str) -> str:
    """`text` without invisible control and format characters (NUL, zero-width spaces, bidi overrides, BOM), which
    mean nothing to a search but split its words: "出口\x00退税" -> "出口退税"."""
    return "".join(ch for ch in text if ch in "\t\n\r" or unicodedata.category(ch) not in ("Cc", "Cf"))


def validate_question(question: object) -> str:
    """The question as searched: invisible characters removed, whitespace collapsed; InvalidQueryError when it is
    empty, has no word (only punctuation, symbols or emoji: nothing to search for) or is too long."""
    text = collapse(_visible(str(question))) if question is not None else ""
    if not text:
        raise InvalidQueryError("the question is empty; ask something, e.g. 出口退税审批要多久？")
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise InvalidQueryError(f"the question {text[:40]!r} has no words, only punctuation or symbols; "
                                "ask something, e.g. 出口退税审批要多久？")
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidQueryError(f"the question has {len(text)} characters; the limit is {MAX_QUESTION_CHARS}")
    return text


class QueryParser:
    def __init__(self, *, tokenizer: ChineseTokenizer, glossary: Glossary, aliases: Aliases,
                 intent_model: IntentModel | None = None) -> None:
        self.tokenizer = tokenizer
        self.glossary = glossary
        self.aliases = aliases
        self.intent_model = intent_model or default_model()  # the package's retrieval/models/intents.json
        self.english = EnglishTokenizer()

    def parse(self, question: str, *, language: Language | None = None) -> Query:
        text = validate_question(question)
        folded = fold(text)
        language = language or detect_language(text)
        own = self.tokenizer.tokens(folded)
        if language == "en":
            # English words do not occur in the Chinese text; acronyms (RCEP, AEO, LNG) do
            acronyms = {w.lower() for w in _ACRONYM.findall(text)}
            own = [t for t in own if not t.isascii() or t in acronyms]
        expansions = (self.glossary.expand(text) if language == "en" else []) + self.aliases.others(text)
        expansions = list(dict.fromkeys(e for e in expansions))
        terms = list(own)
        for term in expansions:
            terms += [t for t in self.tokenizer.tokens(term) if t not in terms]
        return Query(text=text, folded=folded, language=language, script=script(text), terms=tuple(terms),
                     own_terms=tuple(own), words_en=tuple(self.english.tokens(text)), expansions=tuple(expansions),
                     places=frozenset(places_in(folded)), years=frozenset(years(folded)),
                     reference=parse_reference(folded), asked=asked_type(folded),
                     intents=self.intent_model.intents(folded), wants=wanted(folded))
