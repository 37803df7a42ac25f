"""The gold set itself: format, unique ids, coverage, and every quote found verbatim in the clause it names."""

from collections import Counter

import pytest

from eval.gold import GoldFormatError, load_gold, normalize, parse_line
from ingest.manifest import load_manifest
from ingest.pipeline import parse_document
from tests.conftest import CORPUS, SEED_IDS


@pytest.fixture(scope="module")
def gold():
    return load_gold()


@pytest.fixture(scope="module")
def clauses_by_doc():
    manifest = load_manifest(CORPUS / "manifest.toml")
    out = {}
    for doc_id in SEED_IDS:
        doc = parse_document(CORPUS / f"{doc_id}.txt", manifest)
        out[doc_id] = (doc.meta, doc.clauses)
    return out


def test_size_and_mix(gold):
    langs = Counter(q.lang for q in gold)
    assert len(gold) >= 150 and langs["zh"] >= 60 and langs["en"] >= 60
    assert sum(1 for q in gold if not q.answerable) >= 20
    tags = Counter(t for q in gold for t in q.tags)
    for kind in ("numeric", "responsible", "lookup", "multi", "paraphrase", "scenario", "unanswerable"):
        assert tags[kind] >= 5, kind
    assert {e.doc for q in gold for e in q.evidence} == set(SEED_IDS)


def test_ids_are_unique(gold):
    assert len({q.id for q in gold}) == len(gold)


def test_every_quote_is_verbatim_in_a_clause_of_its_document(gold, clauses_by_doc):
    problems = []
    for q in gold:
        for ev in q.evidence:
            if ev.doc not in clauses_by_doc:
                problems.append(f"{q.id}: unknown doc {ev.doc}")
                continue
            meta, clauses = clauses_by_doc[ev.doc]
            covering = [c for c in clauses if normalize(ev.quote) in normalize(c.text)]
            if not covering:
                problems.append(f"{q.id}: quote not found in {ev.doc}: {ev.quote}")
                continue
            if ev.clause is not None and not any(c.number == ev.clause for c in covering):
                problems.append(f"{q.id}: no clause {ev.clause} of {ev.doc} contains {ev.quote}")
            if ev.issuer is not None and meta.issuer != ev.issuer:
                problems.append(f"{q.id}: issuer {ev.issuer} but {ev.doc} is issued by {meta.issuer}")
            for name in ev.responsible:
                if not any(name in r for c in covering for r in c.responsible):
                    problems.append(f"{q.id}: {name} is not responsible for the clause quoting {ev.quote}")
    assert not problems, "\n".join(problems)


def test_format_errors_name_the_line():
    with pytest.raises(GoldFormatError, match="x.jsonl:3: field 'answerable' must be a bool"):
        parse_line('{"id": "a", "lang": "zh", "question": "q", "answerable": "yes"}', "x.jsonl:3")
    with pytest.raises(GoldFormatError, match="unanswerable question must have evidence"):
        parse_line('{"id": "a", "lang": "en", "question": "q", "answerable": false, '
                   '"evidence": [{"doc": "d", "quote": "x"}]}', "x.jsonl:1")
