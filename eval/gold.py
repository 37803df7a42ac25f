"""Gold question files (CONTRACTS §1): loading, validation and the matching rule.

    {"id": "zh-001", "lang": "zh", "question": "广东省要求出口退税审批在多少个工作日内完成？", "answerable": true,
     "evidence": [{"doc": "gd-2014-stabilize-trade", "quote": "在20个工作日内完成退（免）税审批手续",
                   "issuer": "广东省人民政府办公厅", "clause": "十八"}], "tags": ["numeric", "tax"]}

A clause covers an evidence item when its text, NFKC-normalised with all whitespace
removed, contains the quote normalised the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ingest.errors import PolicyQAError
from ingest.text import squash

GOLD_DIR = Path(__file__).resolve().parent / "gold"


class GoldFormatError(PolicyQAError):
    """A gold file line that does not follow CONTRACTS §1."""


def normalize(text: str) -> str:
    """NFKC, all whitespace removed: "在 20 个工作日" -> "在20个工作日" (ingest.text.squash)."""
    return squash(text)


@dataclass(frozen=True, slots=True)
class Evidence:
    doc: str | None  # None in external sets that name the law and file instead (stard-dev): matching is by quote
    quote: str
    issuer: str | None = None
    clause: str | None = None
    responsible: tuple[str, ...] = ()
    short: str | None = None  # the direct answer, a verbatim substring of the quote's clause ("20个工作日")

    def covered_by(self, text: str) -> bool:
        return normalize(self.quote) in normalize(text)


class Split(str, Enum):
    TRAIN = "train"
    TEST = "test"


@dataclass(frozen=True, slots=True)
class Turn:
    role: str     # "user" | "assistant"
    content: str


@dataclass(frozen=True, slots=True)
class GoldQuestion:
    id: str
    lang: str
    question: str
    answerable: bool
    evidence: tuple[Evidence, ...]
    tags: tuple[str, ...]
    split: Split | None = None        # None: not assigned (external sets); tuning reads only TRAIN
    history: tuple[Turn, ...] = ()    # earlier turns of a conversation, for follow-up questions

    @property
    def unanswerable_kind(self) -> str | None:
        """The near-miss kind of an unanswerable question ("other-region", …), from its tags."""
        if self.answerable:
            return None
        return next((t for t in self.tags if t in UNANSWERABLE_KINDS), "unspecified")


UNANSWERABLE_KINDS = ("other-region", "absent-figure", "absent-topic", "in-force", "advice", "injection")


def parse_line(raw: str, where: str) -> GoldQuestion:
    try:
        item = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise GoldFormatError(f"{where}: not valid JSON ({exc.msg})") from exc
    if not isinstance(item, dict):
        raise GoldFormatError(f"{where}: expected a JSON object")
    for name, kind in (("id", str), ("lang", str), ("question", str), ("answerable", bool)):
        if not isinstance(item.get(name), kind):
            raise GoldFormatError(f"{where}: field {name!r} must be a {kind.__name__}")
    if item["lang"] not in ("zh", "en"):
        raise GoldFormatError(f"{where}: lang {item['lang']!r} must be 'zh' or 'en'")
    evidence = []
    for j, ev in enumerate(item.get("evidence", []), start=1):
        if not isinstance(ev, dict) or not isinstance(ev.get("quote"), str) or not ev["quote"].strip():
            raise GoldFormatError(f"{where}: evidence #{j} needs a non-empty 'quote' string")
        if not isinstance(ev.get("doc", ""), str) or not isinstance(ev.get("short", ""), (str, type(None))):
            raise GoldFormatError(f"{where}: evidence #{j}: 'doc' and 'short' must be strings")
        evidence.append(Evidence(ev.get("doc"), ev["quote"], ev.get("issuer"), ev.get("clause"),
                                 tuple(ev.get("responsible", [])), ev.get("short")))
    split = item.get("split")
    if split is not None and split not in (s.value for s in Split):
        raise GoldFormatError(f"{where}: split {split!r} must be 'train' or 'test'")
    history = item.get("history", [])
    if not isinstance(history, list) or not all(
            isinstance(t, dict) and t.get("role") in ("user", "assistant") and isinstance(t.get("content"), str)
            for t in history):
        raise GoldFormatError(f"{where}: history must be a list of {{'role': 'user'|'assistant', 'content': str}}")
    if item["answerable"] and not evidence:
        raise GoldFormatError(f"{where}: an answerable question needs evidence")
    if not item["answerable"] and evidence:
        raise GoldFormatError(f"{where}: an unanswerable question must have evidence []")
    return GoldQuestion(item["id"], item["lang"], item["question"], item["answerable"], tuple(evidence),
                        tuple(item.get("tags", [])), Split(split) if split else None,
                        tuple(Turn(t["role"], t["content"]) for t in history))


def load_gold(paths: list[Path] | None = None) -> list[GoldQuestion]:
    """All questions of the given files (default: every eval/gold/*.jsonl); ids must be unique."""
    files = paths or sorted(GOLD_DIR.glob("*.jsonl"))
    if not files:
        raise GoldFormatError(f"no gold files found in {GOLD_DIR}")
    questions: list[GoldQuestion] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise GoldFormatError(f"{path}: cannot read ({exc.strerror})") from exc
        for n, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            q = parse_line(raw, f"{path}:{n}")
            if q.id in seen:
                raise GoldFormatError(f"{path}:{n}: id {q.id!r} repeats (first at {seen[q.id]})")
            seen[q.id] = f"{path}:{n}"
            questions.append(q)
    return questions


def select_split(questions: list[GoldQuestion], split: str) -> list[GoldQuestion]:
    """The questions of one split ("train", "test") or all of them ("all").

    Questions without a split (external sets) belong to "all" only.
    """
    if split == "all":
        return list(questions)
    wanted = Split(split)
    return [q for q in questions if q.split == wanted]
