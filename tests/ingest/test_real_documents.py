"""Real public documents parsed as Chinese drafting convention says they are built (issue 10).

tests/data/documents holds published laws, regulations, rules, notices and plans in the forms
they are served in (.md, .txt, .html, .docx, text-layer .pdf, some GBK); SOURCES.md says where
each came from and expectations.toml what each states (its schema is described at its top).
Every expectation becomes one test case, named `<kind>[<file>]`, so a failure names the file
and the field:

    test_clause_count[中华人民共和国关税法.md]  ->  72 clauses labelled 第X条, one per article
    test_clause[中华人民共和国关税法.md#第七条]   ->  lead-in, items （一）…（七） and the paragraph
                                                   after them are all in the one clause 第七条
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from pathlib import Path

import pytest

from ingest.model import Clause, ClauseKind, ParsedDocument
from ingest.pipeline import parse_document

DOCS = Path(__file__).resolve().parents[1] / "data" / "documents"
NOT_DOCUMENTS = {"SOURCES.md", "expectations.toml"}
EXPECT: dict[str, dict] = tomllib.loads((DOCS / "expectations.toml").read_text(encoding="utf-8"))["docs"]

_NUM = "零〇一二三四五六七八九十百千"
# Numbering levels, by the label as printed (《立法技术规范》 for 编/章/节/条; 党政机关公文格式 for the rest).
LEVELS = {
    "编": re.compile(rf"^第[{_NUM}\d]+编"),
    "章": re.compile(rf"^第[{_NUM}\d]+章"),
    "节": re.compile(rf"^第[{_NUM}\d]+节"),
    "条": re.compile(rf"^第[{_NUM}\d]+条(之[{_NUM}]+)?$"),
    "一、": re.compile(rf"^[{_NUM}]+、"),
    "（一）": re.compile(rf"^[（(][{_NUM}]+[）)]"),
    "1.": re.compile(r"^[0-9０-９]+[.．、]"),
    "（1）": re.compile(r"^[（(][0-9０-９]+[）)]"),
}
_ITEM = re.compile(rf"^\s*([（(][{_NUM}]+[）)])", re.MULTILINE)


def norm(value: str) -> str:
    """Text compared as CONTRACTS §1 compares it: NFKC, all whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))


def norm_heading(value: str) -> str:
    """A path heading compared with single spaces: "第一章　总则" -> "第一章 总则" (but "第一章 总 则" stays)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value)).strip()


@functools.cache
def parsed(name: str) -> ParsedDocument:
    return parse_document(DOCS / name)


def citable(doc: ParsedDocument) -> list[Clause]:
    """The numbered clauses a citation can name, outside annex tables."""
    return [c for c in doc.clauses if c.label and c.kind not in (ClauseKind.ANNEX, ClauseKind.ANNEX_ROW)]


def level_counts(doc: ParsedDocument) -> dict[str, int]:
    """Numbered units per level: section headings and citable clauses, each unit once.

    A policy heading with intro text is both a Section and an intro Clause; they share label and parents.
    """
    units = {(s.label, tuple(s.path[:-1])) for s in doc.sections if s.label}
    units |= {(c.label, tuple(c.path[:-1])) for c in citable(doc)}
    counts: dict[str, int] = {}
    for label, _parents in units:
        for level, pattern in LEVELS.items():
            if pattern.match(label.strip()):
                counts[level] = counts.get(level, 0) + 1
                break
    return counts


def cases(key: str) -> list:
    return [pytest.param(name, id=name) for name, exp in EXPECT.items() if key in exp]


def find_clause(name: str, check: dict) -> Clause:
    doc = parsed(name)
    found = [c for c in citable(doc) if c.label == check["label"]]
    if "path" in check:
        want = [norm_heading(p) for p in check["path"]]
        found = [c for c in found if [norm_heading(p) for p in c.path[:len(want)]] == want]
    if "under" in check:  # an enclosing heading that starts with this label: "三、" for （一） under 三、
        found = [c for c in found
                 if any(norm(p).startswith(norm(check["under"])) for p in c.path if not norm(p).startswith(norm(c.label)))]
    assert len(found) == 1, (f"{name}: {len(found)} clauses labelled {check['label']!r}"
                             f"{' in ' + '/'.join(check['path']) if 'path' in check else ''}"
                             f"{' under ' + check['under'] if 'under' in check else ''}; "
                             f"labels are {[c.label for c in citable(doc)][:60]}")
    return found[0]


# -- the folder and its records ------------------------------------------------------------------

def test_sources_lists_exactly_the_files_present():
    text = (DOCS / "SOURCES.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\|\s*`([^`]+)`\s*\|", text, re.MULTILINE))
    present = {p.name for p in DOCS.iterdir() if p.is_file() and p.name not in NOT_DOCUMENTS}
    assert listed == present, (f"SOURCES.md rows without a file: {sorted(listed - present)}; "
                               f"files without a SOURCES.md row: {sorted(present - listed)}")


def test_every_file_has_expectations():
    present = {p.name for p in DOCS.iterdir() if p.is_file() and p.name not in NOT_DOCUMENTS}
    assert set(EXPECT) == present, (f"expectations without a file: {sorted(set(EXPECT) - present)}; "
                                    f"files without expectations: {sorted(present - set(EXPECT))}")


def test_files_are_small_and_real_containers():
    for path in DOCS.iterdir():
        if path.name in NOT_DOCUMENTS:
            continue
        assert path.stat().st_size <= 300_000, f"{path.name}: {path.stat().st_size} bytes, over 300 KB"
        head = path.read_bytes()[:8]
        if path.suffix == ".pdf":
            assert head.startswith(b"%PDF"), f"{path.name}: not a PDF"
        if path.suffix == ".docx":
            assert head.startswith(b"PK"), f"{path.name}: not a docx (zip) file"


# -- what each document states ------------------------------------------------------------------

@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in EXPECT])
def test_metadata(name):
    exp, meta = EXPECT[name], parsed(name).meta
    for field in ("title", "issuer", "date"):
        if field in exp:
            allowed = exp[field] if isinstance(exp[field], list) else [exp[field]]
            got = getattr(meta, field)
            assert got is not None and norm(got) in {norm(a) for a in allowed}, \
                f"{name}: {field} is {got!r}, expected {' or '.join(map(repr, allowed))}"
    for field in exp.get("unstated", []):
        assert getattr(meta, field) is None, \
            f"{name}: {field} is {getattr(meta, field)!r}, but the document does not state it"
    if "status" in exp:
        assert meta.status.value == exp["status"], f"{name}: status is {meta.status.value!r}, expected {exp['status']!r}"


@pytest.mark.parametrize("name", cases("clauses"))
def test_clause_count(name):
    got = citable(parsed(name))
    assert len(got) == EXPECT[name]["clauses"], \
        f"{name}: {len(got)} citable clauses, expected {EXPECT[name]['clauses']}; labels {[c.label for c in got][:80]}"


@pytest.mark.parametrize("name", cases("levels"))
def test_levels(name):
    got = level_counts(parsed(name))
    want = EXPECT[name]["levels"]
    assert {k: got.get(k, 0) for k in want} == want and set(got) <= set(want), \
        f"{name}: numbered units per level {got}, expected {want}"


@pytest.mark.parametrize("name", cases("labels"))
def test_labels(name):
    got = [c.label for c in citable(parsed(name))]
    assert got == EXPECT[name]["labels"], f"{name}: labels {got}, expected {EXPECT[name]['labels']}"


@pytest.mark.parametrize("name", cases("labels_first"))
def test_labels_first(name):
    want = EXPECT[name]["labels_first"]
    got = [c.label for c in citable(parsed(name))][:len(want)]
    assert got == want, f"{name}: first labels {got}, expected {want}"


@pytest.mark.parametrize("name", cases("labels_last"))
def test_labels_last(name):
    want = EXPECT[name]["labels_last"]
    got = [c.label for c in citable(parsed(name))][-len(want):]
    assert got == want, f"{name}: last labels {got}, expected {want}"


CLAUSE_CASES = [pytest.param(name, i, id=f"{name}#{c.get('under', '')}{c['label']}")
                for name, exp in EXPECT.items() for i, c in enumerate(exp.get("clause", []))]


@pytest.mark.parametrize(("name", "index"), CLAUSE_CASES)
def test_clause(name, index):
    check = EXPECT[name]["clause"][index]
    c = find_clause(name, check)
    where = f"{name} {check['label']}"
    text = norm(c.text)
    if "text_startswith" in check:
        assert text.startswith(norm(check["text_startswith"])), f"{where}: text starts {c.text[:80]!r}"
    if "text_endswith" in check:
        assert text.endswith(norm(check["text_endswith"])), f"{where}: text ends {c.text[-80:]!r}"
    for part in check.get("text_contains", []):
        assert norm(part) in text, f"{where}: text lacks {part!r}"
    for part in check.get("text_not_contains", []):
        assert norm(part) not in text, f"{where}: text holds {part!r}, which belongs elsewhere"
    if "items" in check:
        got = _ITEM.findall(c.text)
        assert got == check["items"], f"{where}: items starting lines {got}, expected {check['items']}"
    if "responsible" in check:
        assert sorted(map(norm, c.responsible)) == sorted(map(norm, check["responsible"])), \
            f"{where}: responsible {list(c.responsible)}, expected {check['responsible']}"
    for unit in check.get("responsible_includes", []):
        assert norm(unit) in map(norm, c.responsible), \
            f"{where}: responsible {list(c.responsible)} lacks {unit!r}"
    if "lead" in check:
        assert sorted(map(norm, c.lead)) == sorted(map(norm, check["lead"])), \
            f"{where}: lead {list(c.lead)}, expected {check['lead']}"


@pytest.mark.parametrize("name", cases("not_responsible"))
def test_not_responsible(name):
    doc = parsed(name)
    for c in doc.clauses:
        for unit in (*c.responsible, *c.lead):
            for bad in EXPECT[name]["not_responsible"]:
                assert norm(bad) not in norm(unit), \
                    f"{name} {c.label or c.clause_id}: {unit!r} taken as a responsible unit, but {bad!r} is no agency"


@pytest.mark.parametrize("name", cases("no_text_contains"))
def test_markup_stays_out_of_clause_text(name):
    for c in parsed(name).clauses:
        for bad in EXPECT[name]["no_text_contains"]:
            assert bad not in c.text, f"{name} {c.label or c.clause_id}: clause text holds {bad!r}: {c.text[:80]!r}"
