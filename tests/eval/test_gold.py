"""The gold set itself: format, unique ids, coverage, and every quote found verbatim in the clause it names."""

from collections import Counter

import pytest

from eval.gold import UNANSWERABLE_KINDS, GoldFormatError, load_gold, normalize, parse_line
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


# the composition issue 7 asks for: styles and kinds users bring, near-misses of every kind
MINIMUM_TAGS = {"traditional": 40, "colloquial": 60, "typo": 15, "vocab": 40, "scenario": 80, "multi": 40,
                "lookup": 40, "metadata": 20, "unanswerable": 120, "followup": 40,
                "numeric": 5, "responsible": 5, "paraphrase": 5}


def test_size_and_mix(gold):
    langs = Counter(q.lang for q in gold)
    assert len(gold) >= 600 and langs["zh"] >= 250 and langs["en"] >= 250
    tags = Counter(t for q in gold for t in q.tags)
    short = {tag: tags[tag] for tag, n in MINIMUM_TAGS.items() if tags[tag] < n}
    assert not short, short
    kinds = Counter(q.unanswerable_kind for q in gold if not q.answerable)
    assert set(kinds) == set(UNANSWERABLE_KINDS), kinds  # every near-miss has a kind
    assert all(kinds[k] >= 15 for k in UNANSWERABLE_KINDS), kinds
    assert {e.doc for q in gold for e in q.evidence} == set(SEED_IDS)


def test_follow_ups_carry_a_history(gold):
    follow_ups = [q for q in gold if "followup" in q.tags]
    assert follow_ups and all(q.history and q.history[-1].role == "assistant" for q in follow_ups)


def test_short_answers_are_verbatim_in_the_quoted_clause(gold, clauses_by_doc):
    problems = []
    for q in gold:
        for ev in q.evidence:
            if ev.short is None:
                continue
            clauses = clauses_by_doc[ev.doc][1]
            if not any(normalize(ev.quote) in normalize(c.text) and normalize(ev.short) in normalize(c.text)
                       for c in clauses):
                problems.append(f"{q.id}: short {ev.short!r} is not in the clause quoting {ev.quote!r}")
    assert not problems, "\n".join(problems)


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
    with pytest.raises(GoldFormatError, match="split 'dev' must be 'train' or 'test'"):
        parse_line('{"id": "a", "lang": "zh", "question": "q", "answerable": false, "split": "dev"}', "x.jsonl:2")
    with pytest.raises(GoldFormatError, match="history must be a list"):
        parse_line('{"id": "a", "lang": "zh", "question": "q", "answerable": false, "history": "hi"}', "x.jsonl:4")
    with pytest.raises(GoldFormatError, match="unanswerable question must have evidence"):
        parse_line('{"id": "a", "lang": "en", "question": "q", "answerable": false, '
                   '"evidence": [{"doc": "d", "quote": "x"}]}', "x.jsonl:1")
