"""Gold question files (CONTRACTS §1): loading, validation and the matching rule.

    {"id": "zh-001", "lang": "zh", "question": "广东省要求出口退税审批在多少个工作日内完成？", "answerable": true,
     "evidence": [{"doc": "gd-2014-stabilize-trade", "quote": "在20个工作日内完成退（免）税审批手续",
                   "issuer": "广东省人民政府办公厅", "clause": "十八"}], "tags": ["numeric", "tax"]}

A clause covers an evidence item when its text, NFKC-normalised with all whitespace
removed, contains the quote normalised the same way.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import PolicyQAError

GOLD_DIR = Path(__file__).resolve().parent / "gold"


class GoldFormatError(PolicyQAError):
    """A gold file line that does not follow CONTRACTS §1."""


def normalize(text: str) -> str:
    """NFKC, all whitespace removed: "在 20 个工作日" -> "在20个工作日"."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True, slots=True)
class Evidence:
    doc: str
    quote: str
    issuer: str | None = None
    clause: str | None = None
    responsible: tuple[str, ...] = ()

    def covered_by(self, text: str) -> bool:
        return normalize(self.quote) in normalize(text)


@dataclass(frozen=True, slots=True)
class GoldQuestion:
    id: str
    lang: str
    question: str
    answerable: bool
    evidence: tuple[Evidence, ...]
    tags: tuple[str, ...]


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
        if not isinstance(ev, dict) or not isinstance(ev.get("doc"), str) or not isinstance(ev.get("quote"), str):
            raise GoldFormatError(f"{where}: evidence #{j} needs 'doc' and 'quote' strings")
        evidence.append(Evidence(ev["doc"], ev["quote"], ev.get("issuer"), ev.get("clause"),
                                 tuple(ev.get("responsible", []))))
    if item["answerable"] and not evidence:
        raise GoldFormatError(f"{where}: an answerable question needs evidence")
    if not item["answerable"] and evidence:
        raise GoldFormatError(f"{where}: an unanswerable question must have evidence []")
    return GoldQuestion(item["id"], item["lang"], item["question"], item["answerable"], tuple(evidence),
                        tuple(item.get("tags", [])))


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
