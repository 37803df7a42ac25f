"""Batch answering (CONTRACTS §2): JSON Lines in, one JSON object per input line out, in order.

    {"id": "zh-001", "question": "广东省要求出口退税审批在多少个工作日内完成？"}
 -> {"id": "zh-001", "lang": "zh", "refused": false, "answer": "根据…[1]", "citations": [...], "retrieved": [...]}
    {"id": "zh-002", "question": "该条由哪些部门负责？", "history": [{"role": "user", "content": "广东省…"}, …]}
 -> the follow-up answered with the conversation (app.conversation)

The record is app.serialize's, the same shape as the API's answers.

A line that cannot be used yields {"id": …, "error": "…"}; the others are still answered.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ingest.errors import InvalidQueryError, UnknownIdError

from .serialize import answer_record


@dataclass(frozen=True, slots=True)
class BatchLine:
    number: int
    record: dict
    ok: bool


def run_batch(lines: Iterable[str], ask, *, k: int | None = None) -> Iterator[BatchLine]:
    """Answer each line with `ask(question, k=k)` (plus `history=` when the line has one);
    yields one record per non-blank input line."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield BatchLine(number, {"id": None, "error": f"line {number}: not valid JSON ({exc.msg})"}, False)
            continue
        if not isinstance(item, dict):
            yield BatchLine(number, {"id": None, "error": f"line {number}: expected a JSON object"}, False)
            continue
        item_id = item.get("id")
        question = item.get("question")
        if item_id is None or not isinstance(question, str):
            yield BatchLine(number, {"id": item_id, "error": f"line {number}: needs an 'id' and a 'question' string"},
                            False)
            continue
        history = item.get("history")
        if history is not None and not isinstance(history, list):
            yield BatchLine(number, {"id": item_id, "error": f"line {number}: 'history' must be a list of "
                                                            "{\"role\", \"content\"} turns"}, False)
            continue
        try:
            answer = ask(question, k=k, history=history) if history else ask(question, k=k)
        except (InvalidQueryError, UnknownIdError) as exc:
            yield BatchLine(number, {"id": item_id, "error": f"line {number}: {exc}"}, False)
            continue
        yield BatchLine(number, answer_record(answer, item_id=item_id), True)
