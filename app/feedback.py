"""User feedback on answers, kept in SQLite beside the index builds (it survives re-ingests)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')), comment TEXT, clause_ids TEXT NOT NULL)"""


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute(SCHEMA)
        self._db.commit()
        self._lock = threading.Lock()

    def add(self, *, question: str, answer: str, rating: str, comment: str | None = None,
            clause_ids: list[str] | None = None) -> int:
        if rating not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO feedback (created_at, question, answer, rating, comment, clause_ids) VALUES (?,?,?,?,?,?)",
                (time.strftime("%Y-%m-%dT%H:%M:%S"), question, answer, rating, comment,
                 json.dumps(clause_ids or [], ensure_ascii=False)))
            self._db.commit()
            return int(cur.lastrowid)

    def all(self) -> list[dict]:
        with self._lock:
            cur = self._db.execute("SELECT id, created_at, question, answer, rating, comment, clause_ids FROM feedback "
                                   "ORDER BY id")
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row)) | {"clause_ids": json.loads(row[-1])} for row in cur.fetchall()]
