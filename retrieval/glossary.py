"""The curated English ↔ Chinese glossary (`corpus/resources/glossary.tsv`).

    zh        en                                                kind
    海外仓     overseas warehouse                                term
    深圳海关   Shenzhen Customs                                  agency
    经认证的经营者  Authorized Economic Operator (AEO)            term

It expands English questions into Chinese terms for the lexical index
("overseas warehouses" -> "海外仓") and names agencies and titles in English.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import ResourceError

from .tokenize import EnglishTokenizer, normalise

_PAREN = re.compile(r"^(?P<main>.*?)\s*\((?P<inner>[^()]+)\)\s*$")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Entry:
    zh: str
    en: tuple[str, ...]  # preferred first
    kind: str
    note: str = ""

    @property
    def preferred(self) -> str:
        return self.en[0]


def _phrase(text: str) -> str:
    return " ".join(EnglishTokenizer.stem(w) for w in _WORD.findall(normalise(text)))


def _forms(english: str) -> list[str]:
    """Matchable forms of one rendering: "Authorized Economic Operator (AEO)" -> [full, main, "AEO"]."""
    forms = [english]
    m = _PAREN.match(english)
    if m:
        forms += [m.group("main"), m.group("inner")]
    return [f for f in forms if f.strip()]


class Glossary:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self._by_zh = {e.zh: e for e in entries}
        index: dict[str, list[str]] = {}
        for e in entries:
            for rendering in e.en:
                for form in _forms(rendering):
                    phrase = _phrase(form)
                    # single short words ("tax", "port") are too ambiguous to expand on their own
                    if phrase and (len(phrase) >= 4 or form.isupper()):
                        index.setdefault(phrase, []).append(e.zh)
        # longest phrases first, so "export credit insurance" wins over "insurance"
        self._phrases = sorted(index.items(), key=lambda kv: -len(kv[0]))

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def load(cls, path: Path) -> "Glossary":
        if not path.exists():
            return cls([])
        entries = []
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            if reader.fieldnames is None or not {"zh", "en"} <= set(reader.fieldnames):
                raise ResourceError(f"{path}: the first line must be the header 'zh<TAB>en<TAB>kind<TAB>note'")
            for line_no, row in enumerate(reader, start=2):
                zh, en = (row.get("zh") or "").strip(), (row.get("en") or "").strip()
                if not zh or not en:
                    raise ResourceError(f"{path}:{line_no}: an entry needs both zh and en")
                renderings = tuple(part.strip() for part in en.split(" | ") if part.strip())
                entries.append(Entry(zh, renderings, (row.get("kind") or "term").strip(), (row.get("note") or "").strip()))
        return cls(entries)

    def english(self, zh: str) -> str | None:
        entry = self._by_zh.get(zh)
        return entry.preferred if entry else None

    def expand(self, question: str) -> list[str]:
        """Chinese terms for the English phrases found in a question, longest phrases first."""
        text = f" {_phrase(question)} "
        found: list[str] = []
        for phrase, terms in self._phrases:
            if f" {phrase} " in text:
                found += [t for t in terms if t not in found]
                text = text.replace(f" {phrase} ", " | ")
        return found

    def terms_in(self, chinese: str) -> list[Entry]:
        """Glossary entries whose Chinese term occurs in a text, longest first, not nested in a longer one."""
        hits: list[Entry] = []
        covered: list[tuple[int, int]] = []
        for e in sorted(self.entries, key=lambda e: -len(e.zh)):
            start = chinese.find(e.zh)
            while start >= 0:
                end = start + len(e.zh)
                if not any(s <= start and end <= t for s, t in covered):
                    hits.append(e)
                    covered.append((start, end))
                    break
                start = chinese.find(e.zh, start + 1)
        return hits
