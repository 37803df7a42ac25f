"""Build an index from documents: parse, plan passages, embed what is new, write, publish.

    report = build_index([Path("corpus")], index_dir=IndexDir(Path("index")), inputs=CorpusInputs.from_corpus(…),
                         encoders_factory=lambda: make_encoders(), model_names={"primary": "multilingual-e5-small"})
    report.clauses, report.embedded, report.reused   # e.g. 181, 0, 912 on a re-run

Re-running on unchanged input does no work at all; a changed corpus embeds only the passages
whose text is new. Each build is written aside and published atomically, so a failure leaves
the last good index serving.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.corpus import Corpus, DocumentReport, parse_corpus
from ingest.errors import CorruptIndexError, EmptyCorpusError
from ingest.progress import NullProgress, Progress

from .builds import IndexDir, database_intact
from .embedders import Embedder, Encoders, fingerprint
from .passages import WINDOW, Passages, plan_passages
from .adapter import DEFAULT_ADAPTER
from .ranker import DEFAULT_RANKER
from .inputs import CorpusInputs
from .store import Store
from .layout import DB_NAME, FORMAT_VERSION
from .writer import write_build

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


def vector_key(model_fingerprint: str, text: str) -> str:
    """What a vector is cached under: the model's fingerprint and the exact text."""
    return hashlib.sha256(f"{model_fingerprint}\x00{text}".encode()).hexdigest()


def _input_fingerprint(corpus: Corpus, extra: dict[str, str]) -> str:
    h = hashlib.sha256()
    for doc in corpus.documents:
        h.update(json.dumps([doc.path, doc.sha256, doc.meta.doc_id, str(doc.meta)], ensure_ascii=False).encode())
    h.update(json.dumps(extra, sort_keys=True).encode())
    return h.hexdigest()


def _vector_source(build: Path | None) -> Store | None:
    """The build whose vectors the new one may reuse. Vectors are keyed by model fingerprint and exact text, so
    a build of an older format, or one whose other files are damaged, can lend them, provided its database still
    matches the checksum recorded when it was written."""
    if build is None or not database_intact(build):
        return None
    try:
        store = Store(build / DB_NAME, readonly=True)
        store.info()
    except (sqlite3.DatabaseError, OSError):
        return None
    return store


def _named_build(index_dir: IndexDir) -> Path | None:
    try:
        return index_dir.current()
    except CorruptIndexError:
        return None


def _texts_for(encoder: str, passages: Passages) -> list[str]:
    """The cross encoder embeds only the Chinese passages (it serves English questions over them)."""
    texts = [p.text for p in passages.zh]
    return texts if encoder == "cross" else texts + [p.text for p in passages.en]


def embed_new(texts: list[str], embedder: Embedder, cached: dict[str, np.ndarray], model_fp: str,
              progress: Progress, label: str) -> tuple[dict[str, str], dict[str, np.ndarray], int]:
    """The one embedding loop: keys for every text, vectors for every key, embedding only keys not cached.

    Returns (text -> key, key -> vector, how many were embedded).
    """
    keys = {t: vector_key(model_fp, t) for t in texts}
    vectors = {k: cached[k] for k in set(keys.values()) if k in cached}
    todo = sorted({k: t for t, k in keys.items() if k not in vectors}.items())
    task = progress.task(label, total=len(todo))
    batch = 32
    for i in range(0, len(todo), batch):
        chunk = todo[i:i + batch]
        for (k, _), v in zip(chunk, embedder.embed_documents([t for _, t in chunk]), strict=True):
            vectors[k] = np.asarray(v, dtype=np.float32)
        progress.advance(task, len(chunk))
    return keys, vectors, len(todo)


def _digest(path: Path | None) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None and path.exists() else ""


def build_index(paths: list[Path], *, index_dir: IndexDir, inputs: CorpusInputs,
                encoders_factory: Callable[[], Encoders], model_names: dict[str, str],
                ranker_file: Path | None = DEFAULT_RANKER, adapter_file: Path | None = DEFAULT_ADAPTER,
                progress: Progress | None = None,
                hnsw_above: int = 20000, window: int = WINDOW, force: bool = False) -> IngestReport:
    """Parse `paths` and publish a new build holding exactly these documents.

    `model_names` names the encoders by role ({"primary": …, "cross": …}); `ranker_file` is the ranking model
    copied into the build (none: rank fusion without weights), `adapter_file` the question adapter it was
    trained with (none: questions keep their own vectors).
    """
    progress = progress or NullProgress()
    started = time.perf_counter()
    with index_dir.lock():
        corpus = parse_corpus(paths, inputs.manifest, inputs.translations, progress)
        if not corpus.documents:
            raise EmptyCorpusError(
                "no document could be read: " + ("; ".join(corpus.errors) if corpus.errors else
                                                 f"no supported files under {', '.join(map(str, paths))}") +
                ". The last good index (if any) is still in place.")
        ranker_digest = _digest(ranker_file)
        if adapter_file is not None and adapter_file.exists():  # without one, builds keep the fingerprint they had
            ranker_digest += "+" + _digest(adapter_file)
        extra = {"models": json.dumps(model_names, sort_keys=True), "format": FORMAT_VERSION, "ranker": ranker_digest,
                 "resources": inputs.fingerprint(), "hnsw_above": str(hnsw_above), "window": str(window)}
        input_fp = _input_fingerprint(corpus, extra)
        current = index_dir.last_good()  # a corrupt build is rebuilt from scratch, not read
        if current is not None and not force:
            with Store(current / DB_NAME, readonly=True) as live:
                if live.info().get("input_fingerprint") == input_fp:
                    return IngestReport(corpus.reports, corpus.errors, current, unchanged=True,
                                        reused=sum(r.clauses for r in corpus.reports),
                                        seconds=time.perf_counter() - started, warnings=corpus.warnings)
        previous = _vector_source(current or _named_build(index_dir))
        clauses = [(d, c) for d in corpus.documents for c in d.clauses]
        passages = plan_passages(clauses, window=window)
        encoders = encoders_factory()
        keys: dict[str, dict[str, str]] = {}
        vectors: dict[str, dict[str, np.ndarray]] = {}
        info: dict[str, str | int] = {"input_fingerprint": input_fp, "format_version": FORMAT_VERSION,
                                      "window": window}
        embedded = reused = 0
        try:
            for role, embedder in encoders.named().items():
                model_fp = fingerprint(embedder)
                texts = _texts_for(role, passages)
                wanted = {vector_key(model_fp, t) for t in texts}
                cached = previous.vectors_for(wanted, embedder.dimension) if previous is not None else {}
                keys[role], vectors[role], n = embed_new(texts, embedder, cached, model_fp, progress,
                                                         f"embedding ({role})")
                embedded += n
                reused += len(wanted) - n
                prefix = "" if role == "primary" else f"{role}_"
                info |= {f"{prefix}model": embedder.name, f"{prefix}model_fingerprint": model_fp,
                         f"{prefix}dimension": embedder.dimension}
        finally:
            if previous is not None:
                previous.close()
        tmp = index_dir.new_build()
        try:
            write_build(tmp, corpus.documents, passages, vectors, keys, resources=inputs.resources, encoders=encoders,
                        hnsw_above=hnsw_above, info=info, ranker_file=ranker_file, progress=progress,
                        adapter_file=adapter_file)
            build = index_dir.publish(tmp)
        except BaseException:
            index_dir.discard(tmp)
            raise
    return IngestReport(corpus.reports, corpus.errors, build, embedded=embedded, reused=reused,
                        seconds=time.perf_counter() - started, warnings=corpus.warnings)
