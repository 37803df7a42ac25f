"""What gets embedded and tokenised: each clause as one or more passages, with its document and heading as context.

    plan_passages([(doc, clause), …]).zh[7]
        -> Passage(clause=3, text="广东省支持外贸稳定增长实施方案｜六、加大财税金融支持力度\\n（十八）加快出口退税进度。…")

Long clauses are searched as overlapping windows of whole sentences; a clause scores as its best window.
A 1,000-character clause that states one figure in one sentence would otherwise be diluted in both the
embedding (an average over the whole text) and BM25 (length normalisation).
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.model import Clause, ParsedDocument
from ingest.text import sentences

WINDOW = 240


@dataclass(frozen=True, slots=True)
class Passage:
    clause: int  # position of the clause in the build
    text: str


@dataclass(frozen=True, slots=True)
class Passages:
    """zh: windows of the Chinese clauses with context; en: windows of their English reference translations."""

    zh: tuple[Passage, ...]
    en: tuple[Passage, ...]


def windows(text: str, *, size: int = WINDOW) -> list[str]:
    """The text itself when short; else windows of whole sentences of about `size` characters,
    each overlapping the previous one by a sentence."""
    if len(text) <= size * 3 // 2:
        return [text]
    out: list[str] = []
    current: list[str] = []
    for sentence in sentences(text):
        current.append(sentence)
        if sum(map(len, current)) >= size:
            out.append("".join(current).strip())
            current = [sentence] if len(sentence) < size else []
    if current and (not out or "".join(current).strip() not in out[-1]):
        out.append("".join(current).strip())
    return out or [text]


def context(doc: ParsedDocument, clause: Clause) -> str:
    """The document title and the clause's enclosing headings: "广东省支持外贸稳定增长实施方案｜六、加大财税金融支持力度"."""
    return "｜".join(x for x in (doc.meta.title or "", " > ".join(clause.path[:-1])) if x)


def plan_passages(clauses: list[tuple[ParsedDocument, Clause]], *, window: int = WINDOW) -> Passages:
    zh: list[Passage] = []
    en: list[Passage] = []
    for position, (doc, clause) in enumerate(clauses):
        head = context(doc, clause)
        for piece in windows(clause.text, size=window):
            zh.append(Passage(position, f"{head}\n{piece}" if head else piece))
        if clause.text_en:
            title_en = doc.meta.title_en or ""
            for piece in windows(clause.text_en, size=window * 3):
                en.append(Passage(position, f"{title_en}\n{piece}" if title_en else piece))
    return Passages(tuple(zh), tuple(en))
