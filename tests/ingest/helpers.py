"""Small lookups over parsed documents shared by the ingest tests."""

from __future__ import annotations

from pathlib import Path

from ingest.model import Clause, ClauseKind, ParsedDocument
from ingest.pipeline import parse_document

# the seed documents (tests.conftest.SEED_IDS), by the names the ingest tests use
SZ2024 = "sz-2024-foreign-trade-measures"
GD = "gd-2014-stabilize-trade"
SZ2022 = "sz-2022-cross-border-ecommerce"
CUSTOMS = "sz-customs-business-environment-20"
DRAFT = "sz-trade-integration-draft"


def parse_written(folder: Path, name: str, text: str) -> ParsedDocument:
    """Write `text` as folder/name (UTF-8) and parse it as `policyqa ingest` would, without a manifest."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return parse_document(path)


def clause(doc: ParsedDocument, label: str) -> Clause:
    """The one clause of `doc` printed with `label` ("（十四）", "7.", "附件 第19项")."""
    found = [c for c in doc.clauses if c.label == label]
    assert len(found) == 1, f"{doc.meta.doc_id}: {len(found)} clauses labelled {label!r}"
    return found[0]


def by_id(doc: ParsedDocument, clause_id: str) -> Clause:
    found = [c for c in doc.clauses if c.clause_id == clause_id]
    assert len(found) == 1, f"no clause {clause_id}"
    return found[0]


def of_kind(doc: ParsedDocument, kind: ClauseKind) -> list[Clause]:
    return [c for c in doc.clauses if c.kind is kind]


def source_of(doc: ParsedDocument, c: Clause) -> str:
    """The raw source characters a clause spans."""
    return doc.text[c.start:c.end]


def uncovered_and_overlaps(doc: ParsedDocument) -> tuple[list[int], list[int]]:
    """Offsets of non-blank source characters in no clause or section heading, and offsets in more than one."""
    owners = [0] * len(doc.text)
    for start, end in [(c.start, c.end) for c in doc.clauses] + [(s.start, s.end) for s in doc.sections]:
        for i in range(start, end):
            owners[i] += 1
    uncovered = [i for i, ch in enumerate(doc.text) if not ch.isspace() and owners[i] == 0]
    overlaps = [i for i, n in enumerate(owners) if n > 1]
    return uncovered, overlaps
