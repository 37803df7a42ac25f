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

from ingest.errors import ParseError, PolicyQAError, ReadError
from ingest.manifest import Manifest
from ingest.model import Clause, ParsedDocument
from ingest.pipeline import discover, parse_document, with_meta
from ingest.translations import Translations

from .builds import IndexDir
from .dense import DenseIndex
from .embedders import Embedder, fingerprint
from .lexical import LexicalIndex
from .progress import Progress, NullProgress
from .resources import Resources
from .store import Store
from .tokenize import EnglishTokenizer

PARSER_VERSION = "1"
DB_NAME = "corpus.sqlite"


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
                progress: Progress | None = None, hnsw_above: int = 20000, force: bool = False) -> IngestReport:
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
            raise PolicyQAError("no document could be read: " + ("; ".join(errors) if errors else
                                f"no supported files under {', '.join(map(str, paths))}") +
                                ". The last good index (if any) is still in place.")
        extra = {"model": model_name, "parser": PARSER_VERSION, "resources": resources.fingerprint(),
                 "hnsw_above": str(hnsw_above)}
        input_fp = _input_fingerprint(docs, extra)
        current = index_dir.current()
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
        texts = [embedding_text(d, c, d.meta.title) for d, c in clauses]
        texts_en = [(i, c.text_en) for i, (d, c) in enumerate(clauses) if c.text_en]
        hashes = [_hash(model_fp, t) for t in texts]
        hashes_en = [_hash(model_fp, "en\x00" + t) for _, t in texts_en]
        cached: dict[str, np.ndarray] = {}
        if previous is not None:
            if previous.info().get("model_fingerprint") == model_fp:
                cached = previous.vectors_for(set(hashes) | set(hashes_en), embedder.dimension)
            previous.close()
        todo = sorted({h: t for h, t in list(zip(hashes, texts)) + list(zip(hashes_en, (t for _, t in texts_en)))
                       if h not in cached}.items())
        task = progress.task("embedding", total=len(todo))
        batch = 64
        for i in range(0, len(todo), batch):
            chunk = todo[i:i + batch]
            vectors = embedder.embed_documents([t for _, t in chunk])
            cached.update({h: v for (h, _), v in zip(chunk, vectors, strict=True)})
            progress.advance(task, len(chunk))
        tmp = index_dir.new_build()
        try:
            _write_build(tmp, docs, clauses, hashes, hashes_en, texts_en, cached, resources, embedder, model_name,
                         model_fp, input_fp, hnsw_above, progress)
            build = index_dir.publish(tmp)
        except BaseException:
            index_dir.discard(tmp)
            raise
    return IngestReport(reports, tuple(errors), build, embedded=len(todo),
                        reused=len(hashes) + len(hashes_en) - len(todo),
                        seconds=time.perf_counter() - started, warnings=warnings)


def _apply_translations(doc: ParsedDocument, translations: Translations) -> ParsedDocument:
    if not translations.has(doc.meta.doc_id):
        return doc
    from dataclasses import replace

    clauses = tuple(c.with_(text_en=translations.clause(c.clause_id)) for c in doc.clauses)
    doc = replace(doc, clauses=clauses)
    title_en = translations.title(doc.meta.doc_id)
    return with_meta(doc, title_en=title_en) if title_en and not doc.meta.title_en else doc


def _write_build(tmp: Path, docs, clauses, hashes, hashes_en, texts_en, vectors, resources: Resources,
                 embedder: Embedder, model_name: str, model_fp: str, input_fp: str, hnsw_above: int,
                 progress: Progress) -> None:
    resources.copy_into(tmp)
    store = Store(tmp / DB_NAME)
    offset = 0
    for position, doc in enumerate(docs):
        n = len(doc.clauses)
        store.add_document(doc, position, vector_ids=list(range(offset, offset + n)), hashes=hashes[offset:offset + n])
        offset += n
    used = set(hashes) | set(hashes_en)
    store.put_vectors((h, vectors[h]) for h in used)
    matrix = np.vstack([vectors[h] for h in hashes]) if hashes else np.zeros((0, embedder.dimension), np.float32)
    DenseIndex.build(matrix, hnsw_above=hnsw_above).save(tmp / "dense.faiss")
    if texts_en:
        ids = np.array([i for i, _ in texts_en], dtype=np.int64)
        matrix_en = np.vstack([vectors[h] for h in hashes_en])
        DenseIndex.build(matrix_en, ids=ids, hnsw_above=hnsw_above).save(tmp / "dense_en.faiss")
    task = progress.task("lexical index", total=2)
    tokenizer = resources.tokenizer()
    LexicalIndex.build([tokenizer.tokens(f"{d.meta.title or ''} {' '.join(c.path)} {c.text}")
                        for d, c in clauses]).save(tmp / "lexical_zh")
    progress.advance(task)
    english = EnglishTokenizer()
    LexicalIndex.build([english.tokens(c.text_en or "") for _, c in clauses]).save(tmp / "lexical_en")
    progress.advance(task)
    store.set_info(model=model_name, model_fingerprint=model_fp, dimension=embedder.dimension,
                   input_fingerprint=input_fp, parser_version=PARSER_VERSION, clauses=len(clauses),
                   documents=len(docs), translated=len(texts_en), built_at=time.strftime("%Y-%m-%dT%H:%M:%S"))
    store.commit()
    store.close()
