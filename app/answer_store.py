"""Recent answers kept in memory by id, so an answer can be fetched again (e.g. as Markdown) after it was given.

    store = AnswerStore(capacity=2)
    store.put(record) -> AnswerRecord(id="3f9c2a…", …);  store.get("3f9c2a…") -> that record;
    a third put forgets the oldest.

Bounded and in memory only: a restart forgets them (answers are cheap to ask again).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict

from .serialize import AnswerRecord


class AnswerStore:
    def __init__(self, *, capacity: int = 1000) -> None:
        if capacity <= 0:
            raise ValueError(f"capacity must be greater than 0. Currently, the capacity is {capacity}")
        self.capacity = capacity
        self._items: OrderedDict[str, AnswerRecord] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, record: AnswerRecord) -> AnswerRecord:
        """Store a copy of `record` under a new random id; returns the copy (its `id` set)."""
        stored = record.model_copy(update={"id": secrets.token_hex(8)})
        with self._lock:
            self._items[stored.id] = stored
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return stored

    def get(self, answer_id: str) -> AnswerRecord | None:
        with self._lock:
            return self._items.get(answer_id)
