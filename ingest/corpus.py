"""Parse a whole corpus: every readable file into a ParsedDocument, translations attached, a report per document.

    corpus = parse_corpus([Path("corpus")], manifest, translations, progress)
    corpus.documents[0].clauses[5].text_en     -> "(6) Expand the export of ..."
    corpus.errors                               -> ["corpus/broken.pdf: no text layer ..."]

A file that cannot be read or parsed is reported by name and left out; the rest are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .errors import ParseError, ReadError
from .manifest import Manifest
from .model import ParsedDocument
from .pipeline import discover, parse_document, with_meta
from .progress import NullProgress, Progress
from .translations import Translations


@dataclass(frozen=True, slots=True)
class DocumentReport:
    doc_id: str
    path: str
    title: str | None
    issuer: str | None
    date: str | None
    status: str
    clauses: int
    by_level: dict[str, int]
    levels: tuple[str, ...]
    sections: int
    warnings: tuple[str, ...]
    translated: int = 0


@dataclass(frozen=True, slots=True)
class Corpus:
    documents: tuple[ParsedDocument, ...]
    reports: tuple[DocumentReport, ...]
    errors: tuple[str, ...]
    warnings: tuple[str, ...]


def parse_corpus(paths: list[Path], manifest: Manifest, translations: Translations,
                 progress: Progress | None = None) -> Corpus:
    progress = progress or NullProgress()
    found = discover(paths)
    errors = list(found.errors) + list(translations.errors)
    docs: list[ParsedDocument] = []
    seen: dict[str, str] = {}
    task = progress.task("parsing", total=len(found.files))
    for path in found.files:
        try:
            doc = parse_document(path, manifest)
        except (ReadError, ParseError) as exc:
            errors.append(str(exc))
        else:
            if doc.meta.doc_id in seen:
                errors.append(f"{path}: document id {doc.meta.doc_id!r} is already used by {seen[doc.meta.doc_id]}; "
                              "rename the file or give it its own id in the manifest")
            else:
                seen[doc.meta.doc_id] = str(path)
                docs.append(attach_translations(doc, translations))
        progress.advance(task)
    reports = tuple(_report(d, translations.count(d.meta.doc_id)) for d in docs)
    return Corpus(tuple(docs), reports, tuple(errors), tuple(translations.check(docs)))


def attach_translations(doc: ParsedDocument, translations: Translations) -> ParsedDocument:
    """Each clause's English reference translation (text_en) and headings (path_en), and the document's English
    title, where there are."""
    if not translations.has(doc.meta.doc_id):
        return doc
    clauses = tuple(c.with_(text_en=translations.clause(c.clause_id),
                            path_en=translations.path(c.doc_id, c.path)) for c in doc.clauses)
    doc = replace(doc, clauses=clauses)
    title_en = translations.title(doc.meta.doc_id)
    return with_meta(doc, title_en=title_en) if title_en and not doc.meta.title_en else doc


def _report(doc: ParsedDocument, translated: int) -> DocumentReport:
    by_level: dict[str, int] = {}
    for c in doc.clauses:
        key = c.style.value if c.style.numbered else c.kind.value
        by_level[key] = by_level.get(key, 0) + 1
    m = doc.meta
    return DocumentReport(m.doc_id, doc.path, m.title, m.issuer, m.date, m.status.value, len(doc.clauses), by_level,
                          tuple(s.value for s in doc.levels), len(doc.sections), doc.warnings, translated)
