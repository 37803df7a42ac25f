"""The parsed corpus and its vectors in SQLite, one database per index build.

Tables: `documents`, `clauses` (one row per clause, with its position in the build,
which the passage maps refer to), `sections`, `vectors` (content hash -> float32 bytes, reused by the next
build so unchanged clauses are never embedded twice) and `info` (model name,
dimension, fingerprint). Lists are JSON text; vectors are raw float32 bytes, never pickles.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from ingest.model import Clause, ClauseKind, DocumentMeta, Item, NumberingStyle, ParsedDocument, Section, Status

SCHEMA = """
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, position INTEGER NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL,
    title TEXT, issuer TEXT, date TEXT, status TEXT NOT NULL, source_url TEXT, publisher TEXT, title_en TEXT,
    provenance TEXT NOT NULL, levels TEXT NOT NULL, warnings TEXT NOT NULL, clause_count INTEGER NOT NULL,
    validity TEXT);
CREATE TABLE IF NOT EXISTS clauses (
    clause_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(doc_id), position INTEGER NOT NULL,
    kind TEXT NOT NULL, label TEXT NOT NULL, number TEXT NOT NULL, style TEXT NOT NULL, path TEXT NOT NULL,
    text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, responsible TEXT NOT NULL, lead TEXT NOT NULL,
    responsible_by_paragraph TEXT NOT NULL, annex_rows TEXT NOT NULL, text_en TEXT,
    build_position INTEGER NOT NULL UNIQUE, suffix TEXT NOT NULL DEFAULT '', items TEXT NOT NULL DEFAULT '[]',
    support TEXT NOT NULL DEFAULT '[]', path_en TEXT NOT NULL DEFAULT '[]');
CREATE INDEX IF NOT EXISTS clauses_doc ON clauses(doc_id, position);
CREATE TABLE IF NOT EXISTS sections (
    doc_id TEXT NOT NULL, position INTEGER NOT NULL, label TEXT NOT NULL, number TEXT NOT NULL, style TEXT NOT NULL,
    heading TEXT NOT NULL, path TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS vectors (content_hash TEXT PRIMARY KEY, vector BLOB NOT NULL);
"""


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


class Store:
    """Read and write one build's database."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        if readonly:
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        else:
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.executescript(SCHEMA)
        self._db.row_factory = sqlite3.Row

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # ---------- writing ----------
    def set_info(self, **values: str | int) -> None:
        self._db.executemany("INSERT OR REPLACE INTO info VALUES (?, ?)", [(k, str(v)) for k, v in values.items()])

    def add_document(self, doc: ParsedDocument, position: int, *, first: int) -> None:
        """Store a document and its clauses; its clauses take build positions first, first + 1, …"""
        m = doc.meta
        self._db.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (m.doc_id, position, doc.path, doc.sha256, m.title, m.issuer, m.date, m.status.value, m.source_url,
             m.publisher, m.title_en, _dumps(m.provenance), _dumps(list(doc.levels)), _dumps(list(doc.warnings)),
             len(doc.clauses), m.validity))
        self._db.executemany(
            "INSERT INTO clauses VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(c.clause_id, c.doc_id, c.position, c.kind.value, c.label, c.number, c.style, _dumps(list(c.path)),
              c.text, c.start, c.end, _dumps(list(c.responsible)), _dumps(list(c.lead)),
              _dumps([list(p) for p in c.responsible_by_paragraph]), _dumps(list(c.annex_rows)),
              c.text_en, first + i, c.suffix,
              _dumps([[it.label, it.number, it.style, it.start, it.end, it.parent, it.paragraph] for it in c.items]),
              _dumps(list(c.support)), _dumps(list(c.path_en)))
             for i, c in enumerate(doc.clauses)])
        self._db.executemany(
            "INSERT INTO sections VALUES (?,?,?,?,?,?,?,?,?)",
            [(s.doc_id, i, s.label, s.number, s.style, s.heading, _dumps(list(s.path)), s.start, s.end)
             for i, s in enumerate(doc.sections)])

    def put_vectors(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                             [(h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items])

    def commit(self) -> None:
        self._db.commit()

    # ---------- reading ----------
    def info(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self._db.execute("SELECT key, value FROM info")}

    def vectors_for(self, hashes: Iterable[str], dimension: int) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        hashes = list(hashes)
        for i in range(0, len(hashes), 500):
            chunk = hashes[i:i + 500]
            rows = self._db.execute(
                f"SELECT content_hash, vector FROM vectors WHERE content_hash IN ({','.join('?' * len(chunk))})", chunk)
            for r in rows:
                vector = np.frombuffer(r["vector"], dtype=np.float32)
                if vector.shape == (dimension,):
                    out[r["content_hash"]] = vector
        return out

    def documents(self) -> list[DocumentMeta]:
        return [_meta(r) for r in self._db.execute("SELECT * FROM documents ORDER BY position")]

    def document_rows(self) -> list[sqlite3.Row]:
        return list(self._db.execute("SELECT * FROM documents ORDER BY position"))

    def clauses(self, doc_id: str | None = None) -> Iterator[Clause]:
        if doc_id is None:
            rows = self._db.execute(
                "SELECT c.* FROM clauses c JOIN documents d USING (doc_id) ORDER BY d.position, c.position")
        else:
            rows = self._db.execute("SELECT * FROM clauses WHERE doc_id = ? ORDER BY position", (doc_id,))
        for r in rows:
            yield _clause(r)

    def clause(self, clause_id: str) -> Clause | None:
        row = self._db.execute("SELECT * FROM clauses WHERE clause_id = ?", (clause_id,)).fetchone()
        return _clause(row) if row else None

    def clauses_in_build_order(self) -> list[Clause]:
        """Every clause by its build position (the order the passage maps refer to)."""
        return [_clause(r) for r in self._db.execute("SELECT * FROM clauses ORDER BY build_position")]

    def sections(self, doc_id: str) -> list[Section]:
        return [Section(r["doc_id"], r["label"], r["number"], NumberingStyle(r["style"]), r["heading"], tuple(json.loads(r["path"])),
                        r["start"], r["end"])
                for r in self._db.execute("SELECT * FROM sections WHERE doc_id = ? ORDER BY position", (doc_id,))]


def _meta(r: sqlite3.Row) -> DocumentMeta:
    return DocumentMeta(doc_id=r["doc_id"], title=r["title"], issuer=r["issuer"], date=r["date"],
                        status=Status(r["status"]), source_url=r["source_url"], publisher=r["publisher"],
                        title_en=r["title_en"], provenance=json.loads(r["provenance"]), validity=r["validity"])


def _clause(r: sqlite3.Row) -> Clause:
    return Clause(
        clause_id=r["clause_id"], doc_id=r["doc_id"], position=r["position"], kind=ClauseKind(r["kind"]),
        label=r["label"], number=r["number"], style=NumberingStyle(r["style"]), path=tuple(json.loads(r["path"])), text=r["text"],
        start=r["start"], end=r["end"], responsible=tuple(json.loads(r["responsible"])),
        lead=tuple(json.loads(r["lead"])),
        responsible_by_paragraph=tuple(tuple(p) for p in json.loads(r["responsible_by_paragraph"])),
        annex_rows=tuple(json.loads(r["annex_rows"])), text_en=r["text_en"], suffix=r["suffix"],
        items=tuple(Item(i[0], i[1], NumberingStyle(i[2]), *i[3:]) for i in json.loads(r["items"])), support=tuple(json.loads(r["support"])),
        path_en=tuple(json.loads(r["path_en"])))
