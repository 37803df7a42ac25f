"""Check English reference translations against the corpus and the glossary.

    python -m retrieval.translation_check [--corpus corpus] [--index-dir index] [--doc DOC_ID]

Reports clauses without a translation, translations that belong to no clause, labels
that do not match, and glossary terms that occur in a clause but are rendered otherwise
in its translation. Exit status 1 when anything is reported.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from ingest.model import Clause
from ingest.translations import Translations

from .glossary import Glossary, _forms, _phrase


@dataclass(frozen=True, slots=True)
class Problem:
    clause_id: str
    message: str


def rendered(entry, english: str) -> bool:
    """Does the English text use one of the entry's renderings (case, plurals and hyphens aside)?"""
    text = f" {_phrase(english)} "
    return any(f" {_phrase(form)} " in text for rendering in entry.en for form in _forms(rendering) if _phrase(form))


def _aligned(entry, text: str, boundaries: set[int] | None) -> bool:
    """Does the term occur as whole words? "进出口" is in "改进出口退税" only across words (改进/出口)."""
    if boundaries is None:
        return True
    start = text.find(entry.zh)
    while start >= 0:
        if start in boundaries and start + len(entry.zh) in boundaries:
            return True
        start = text.find(entry.zh, start + 1)
    return False


def glossary_problems(clause: Clause, english: str, glossary: Glossary, segmenter=None) -> list[Problem]:
    """Glossary terms of the clause (as whole words, when a jieba `segmenter` is given) not rendered as listed."""
    problems = []
    boundaries = None
    if segmenter is not None:
        boundaries = {0}
        for _, start, end in segmenter.tokenize(clause.text):
            boundaries |= {start, end}
    for entry in glossary.terms_in(clause.text):
        if not _aligned(entry, clause.text, boundaries):
            continue
        if not rendered(entry, english):
            problems.append(Problem(clause.clause_id, f"glossary term {entry.zh} should be rendered as "
                                                      f"{' | '.join(entry.en)!r}"))
    return problems


def segmenter_for(glossary: Glossary, userdict: Path | None = None):
    """jieba with the glossary's terms as words, so term boundaries follow word boundaries."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if userdict is not None and userdict.exists():
        tokenizer.load_userdict(str(userdict))
    for e in glossary.entries:
        if " " not in e.zh:
            tokenizer.add_word(e.zh, freq=2000)
    return tokenizer


def check(clauses: list[Clause], translations: Translations, glossary: Glossary,
          doc_ids: set[str] | None = None, segmenter=None) -> list[Problem]:
    problems: list[Problem] = []
    by_doc: dict[str, list[Clause]] = {}
    for c in clauses:
        by_doc.setdefault(c.doc_id, []).append(c)
    for doc_id, items in by_doc.items():
        if doc_ids and doc_id not in doc_ids:
            continue
        d = translations.documents.get(doc_id)
        if d is None:
            problems.append(Problem(doc_id, "no translation file"))
            continue
        if not d.title_en:
            problems.append(Problem(doc_id, "title_en is missing"))
        ids = {c.clause_id for c in items}
        for cid in sorted(set(d.clauses) - ids):
            problems.append(Problem(cid, "translation of a clause the corpus does not have"))
        for c in items:
            en = d.clauses.get(c.clause_id)
            if en is None:
                problems.append(Problem(c.clause_id, "no translation"))
                continue
            if d.labels.get(c.clause_id, c.label) != c.label:
                problems.append(Problem(c.clause_id, f"label {d.labels[c.clause_id]!r} but the clause is {c.label!r}"))
            problems += glossary_problems(c, en, glossary, segmenter)
    return problems


def main(argv: list[str] | None = None) -> int:
    from ingest.manifest import load_manifest
    from ingest.pipeline import discover, parse_document

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--doc", action="append", default=[])
    args = parser.parse_args(argv)
    manifest = load_manifest(args.corpus / "manifest.toml")
    clauses = [c for f in discover([args.corpus]).files for c in parse_document(f, manifest).clauses]
    glossary_path = args.corpus / "resources" / "glossary.tsv"
    glossary = Glossary.load(glossary_path)
    problems = check(clauses, Translations.load(args.corpus / "translations"), glossary, set(args.doc) or None,
                     segmenter_for(glossary, args.corpus / "resources" / "userdict.txt"))
    for p in problems:
        print(f"{p.clause_id}: {p.message}")
    print(f"{len(problems)} problem(s); glossary {glossary_path} has {len(glossary)} entries", file=sys.stderr)
    return 1 if problems else 0

