"""Statute references: 第X条之Y, 第X条第Y款, 第X条第（Y）项 name the article, and the item inside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import parse_document, parse_text
from retrieval.citations import item_of
from retrieval.lookup import Reference, choose_clause, parse_reference
from tests.ingest.test_articles import LAW

# the sample statute of the parser's tests: 第二条 with items and sub-items, 第三条 and 第三条之一

TARIFF_LAW = Path(__file__).parents[1] / "data" / "documents" / "中华人民共和国关税法.md"


@pytest.mark.parametrize("question, expected", [
    ("刑法第二百八十七条之二第二款是怎么规定的", Reference(287, False, "条", suffix=2, paragraph=2)),
    ("第287条之1", Reference(287, False, "条", suffix=1)),
    ("海关法第十八条第（三）项", Reference(18, False, "条", item=3)),
    ("第十八条第3项说了什么", Reference(18, False, "条", item=3)),
    ("第五条第二款规定了什么", Reference(5, False, "条", paragraph=2)),
    ("第（九）条讲了什么", Reference(9, True, "条")),          # a policy's bracketed measure: no parts
    ("附件第12项由谁负责", Reference(12, False, "项")),       # an annex row, not an item of an article
])
def test_statute_forms(question, expected):
    assert parse_reference(question) == expected


def _clauses(text: str):
    _, structure = parse_text("law", text)
    return list(structure.clauses)


def test_the_suffix_tells_an_inserted_article_from_its_namesake():
    clauses = _clauses(LAW)
    pick = lambda q: choose_clause(parse_reference(q), clauses, {}, {}).label  # noqa: E731
    assert pick("第三条之一是什么") == "第三条之一"
    assert pick("第三条是什么") == "第三条"
    assert choose_clause(parse_reference("第二条之一"), clauses, {}, {}) is None  # no such article


def test_the_named_item_of_an_article():
    article = next(c for c in _clauses(LAW) if c.label == "第二条")
    assert parse_reference("第二条第（三）项").item_label(article) == "（三）"
    assert parse_reference("第二条第（九）项").item_label(article) is None
    assert parse_reference("第二条").item_label(article) is None


def test_the_item_a_quote_rests_on_is_the_outermost_holding_it():
    article = next(c for c in _clauses(LAW) if c.label == "第二条")

    def span(words: str) -> tuple[int, int]:
        start = article.text.index(words)
        return start, start + len(words)

    assert item_of(article, [span("国际转口贸易")]) == "（三）"
    assert item_of(article, [span("保税维修")]) == "（二）"   # a sub-item (目) is cited through its item (项)
    assert item_of(article, [span("前款规定的业务")]) is None  # a later paragraph is in no item


def test_the_item_a_quote_rests_on_in_a_real_law():
    doc = parse_document(TARIFF_LAW)
    article = next(c for c in doc.clauses if len(c.items) >= 2)
    first, second = article.items[0], article.items[1]
    lead_in = (0, min(i.start for i in article.items) - 1)
    assert item_of(article, [lead_in, (second.start, second.end)]) == second.label
    assert item_of(article, [(first.start, second.end)]) is None   # across two items
    assert item_of(article, [lead_in]) is None                      # the lead-in alone
    assert item_of(article, []) is None
