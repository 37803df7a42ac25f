"""Build an index from documents: parse, embed (reusing unchanged vectors), write, publish.

    report = build_index([Path("corpus")], index_dir=IndexDir(Path("index")), resources=resources,
                         embedder_factory=lambda: make_embedder())
    report.clauses, report.embedded, report.reused   # e.g. 188, 0, 188 on a re-run

Re-running on unchanged input does no work at all; a changed corpus re-embeds only the
clauses whose text changed. Each build is written aside and published atomically, so a
failure leaves the last good index serving.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.errors import EmptyCorpusError, ParseError, ReadError
from ingest.manifest import Manifest
from ingest.model import Clause, ParsedDocument
from ingest.pipeline import discover, parse_document, with_meta
from ingest.translations import Translations

from . import layout
from .builds import IndexDir
from .dense import DenseIndex
from .embedders import Embedder, fingerprint
from .lexical import LexicalIndex
from .passages import WINDOW, windows
from .progress import Progress, NullProgress
from .resources import Resources
from .store import Store
from .tokenize import EnglishTokenizer

DB_NAME = layout.DB_NAME


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
class IngestReport:
    documents: tuple[DocumentReport, ...]
    errors: tuple[str, ...]
    build: Path | None
    unchanged: bool = False
    embedded: int = 0
    reused: int = 0
    seconds: float = 0.0
    warnings: tuple[str, ...] = field(default=())

    @property
    def clauses(self) -> int:
        return sum(d.clauses for d in self.documents)


def embedding_text(doc: ParsedDocument | None, clause: Clause, title: str | None) -> str:
    """What the dense index sees: the clause with its document title and heading path as context."""
    context = " > ".join(p for p in clause.path[:-1]) if clause.path else ""
    head = "｜".join(x for x in (title or "", context) if x)
    return f"{head}\n{clause.text}" if head else clause.text


def _hash(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()


def _input_fingerprint(docs: list[ParsedDocument], extra: dict[str, str]) -> str:
    h = hashlib.sha256()
    for doc in docs:
        h.update(json.dumps([doc.path, doc.sha256, doc.meta.doc_id, str(doc.meta)], ensure_ascii=False).encode())
    h.update(json.dumps(extra, sort_keys=True).encode())
    return h.hexdigest()


def _report(doc: ParsedDocument, translated: int) -> DocumentReport:
    by_level: dict[str, int] = {}
    for c in doc.clauses:
        key = c.style or c.kind.value
        by_level[key] = by_level.get(key, 0) + 1
    m = doc.meta
    return DocumentReport(m.doc_id, doc.path, m.title, m.issuer, m.date, m.status.value, len(doc.clauses), by_level,
                          doc.levels, len(doc.sections), doc.warnings, translated)


def parse_corpus(paths: list[Path], manifest: Manifest, progress: Progress) -> tuple[list[ParsedDocument], list[str]]:
    found = discover(paths)
    errors = list(found.errors)
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
                docs.append(doc)
        progress.advance(task)
    return docs, errors


def build_index(paths: list[Path], *, index_dir: IndexDir, resources: Resources,
                embedder_factory: Callable[[], Embedder], model_name: str,
                progress: Progress | None = None, hnsw_above: int = 20000, window: int = WINDOW,
                force: bool = False) -> IngestReport:
    """Parse `paths` and publish a new build holding exactly these documents."""
    progress = progress or NullProgress()
    started = time.perf_counter()
    with index_dir.lock():
        docs, errors = parse_corpus(paths, resources.manifest, progress)
        translations = resources.translations
        errors += translations.errors
        docs = [_apply_translations(d, translations) for d in docs]
        reports = tuple(_report(d, translations.count(d.meta.doc_id)) for d in docs)
        warnings = tuple(translations.check(docs))
        if not docs:
            raise EmptyCorpusError("no document could be read: " + ("; ".join(errors) if errors else
                                f"no supported files under {', '.join(map(str, paths))}") +
                                ". The last good index (if any) is still in place.")
        extra = {"model": model_name, "format": layout.FORMAT_VERSION, "resources": resources.fingerprint(),
                 "hnsw_above": str(hnsw_above), "window": str(window)}
        input_fp = _input_fingerprint(docs, extra)
        current = index_dir.last_good()  # a corrupt build is rebuilt from scratch, not read
        previous: Store | None = None
        if current is not None:
            previous = Store(current / DB_NAME, readonly=True)
            if not force and previous.info().get("input_fingerprint") == input_fp:
                previous.close()
                return IngestReport(reports, tuple(errors), current, unchanged=True,
                                    reused=sum(r.clauses for r in reports),
                                    seconds=time.perf_counter() - started, warnings=warnings)
        embedder = embedder_factory()
        model_fp = fingerprint(embedder)
        clauses = [(d, c) for d in docs for c in d.clauses]
        passages = plan_passages(clauses, window=window)
        keys = {t: _hash(model_fp, t) for t in passages.texts()}  # passage text -> vector key, hashed once
        cached: dict[str, np.ndarray] = {}
        if previous is not None:
            if previous.info().get("model_fingerprint") == model_fp:
                cached = previous.vectors_for(set(keys.values()), embedder.dimension)
            previous.close()
        todo = sorted({h: t for t, h in keys.items() if h not in cached}.items())
        task = progress.task("embedding", total=len(todo))
        batch = 64
        for i in range(0, len(todo), batch):
            chunk = todo[i:i + batch]
            vectors = embedder.embed_documents([t for _, t in chunk])
            cached.update({h: v for (h, _), v in zip(chunk, vectors, strict=True)})
            progress.advance(task, len(chunk))
        tmp = index_dir.new_build()
        try:
            _write_build(tmp, docs, clauses, passages, keys, cached, resources, embedder, model_name, model_fp,
                         input_fp, hnsw_above, window, progress)
            build = index_dir.publish(tmp)
        except BaseException:
            index_dir.discard(tmp)
            raise
    return IngestReport(reports, tuple(errors), build, embedded=len(todo), reused=len(keys) - len(todo),
                        seconds=time.perf_counter() - started, warnings=warnings)


def _apply_translations(doc: ParsedDocument, translations: Translations) -> ParsedDocument:
    if not translations.has(doc.meta.doc_id):
        return doc
    from dataclasses import replace

    clauses = tuple(c.with_(text_en=translations.clause(c.clause_id)) for c in doc.clauses)
    doc = replace(doc, clauses=clauses)
    title_en = translations.title(doc.meta.doc_id)
    return with_meta(doc, title_en=title_en) if title_en and not doc.meta.title_en else doc


@dataclass(frozen=True, slots=True)
class Passages:
    """The searchable windows of every clause: Chinese (with context) and English translations.

    zh[i] = (clause position, text to embed and tokenise); en likewise for translated clauses.
    """

    zh: tuple[tuple[int, str], ...]
    en: tuple[tuple[int, str], ...]

    def texts(self) -> list[str]:
        return [t for _, t in self.zh] + [t for _, t in self.en]


def plan_passages(clauses: list[tuple[ParsedDocument, Clause]], *, window: int = WINDOW) -> Passages:
    zh: list[tuple[int, str]] = []
    en: list[tuple[int, str]] = []
    for position, (doc, clause) in enumerate(clauses):
        head = embedding_text(doc, clause, doc.meta.title).split("\n", 1)[0] if clause.path or doc.meta.title else ""
        for piece in windows(clause.text, size=window):
            zh.append((position, f"{head}\n{piece}" if head else piece))
        if clause.text_en:
            title_en = doc.meta.title_en or ""
            for piece in windows(clause.text_en, size=window * 3):
                en.append((position, f"{title_en}\n{piece}" if title_en else piece))
    return Passages(tuple(zh), tuple(en))


def _write_build(tmp: Path, docs, clauses, passages: Passages, keys: dict[str, str], vectors, resources: Resources,
                 embedder: Embedder,
                 model_name: str, model_fp: str, input_fp: str, hnsw_above: int, window: int,
                 progress: Progress) -> None:
    resources.copy_into(tmp)
    store = Store(tmp / DB_NAME)
    offset = 0
    for position, doc in enumerate(docs):
        n = len(doc.clauses)
        ids = list(range(offset, offset + n))
        store.add_document(doc, position, vector_ids=ids, hashes=[
            _hash(model_fp, embedding_text(doc, c, doc.meta.title)) for c in doc.clauses])
        offset += n
    store.put_vectors((h, vectors[h]) for h in set(keys.values()))
    for name, items in (("zh", passages.zh), ("en", passages.en)):
        if not items and name == "en":
            continue
        matrix = (np.vstack([vectors[keys[t]] for _, t in items]) if items
                  else np.zeros((0, embedder.dimension), np.float32))
        DenseIndex.build(matrix, hnsw_above=hnsw_above).save(tmp / layout.dense_file(name))
        np.save(tmp / layout.passages_file(name), np.array([p for p, _ in items], dtype=np.int32), allow_pickle=False)
    task = progress.task("lexical index", total=2)
    tokenizer = resources.tokenizer()
    LexicalIndex.build([tokenizer.tokens(t) for _, t in passages.zh]).save(tmp / layout.lexical_dir("zh"))
    progress.advance(task)
    english = EnglishTokenizer()
    LexicalIndex.build([english.tokens(t) for _, t in passages.en] or [[]]).save(tmp / layout.lexical_dir("en"))
    progress.advance(task)
    store.set_info(model=model_name, model_fingerprint=model_fp, dimension=embedder.dimension,
                   input_fingerprint=input_fp, format_version=layout.FORMAT_VERSION, clauses=len(clauses),
                   documents=len(docs), passages=len(passages.zh), passages_en=len(passages.en),
                   translated=len({p for p, _ in passages.en}), window=window,
                   built_at=time.strftime("%Y-%m-%dT%H:%M:%S"))
    store.commit()
    store.close()
