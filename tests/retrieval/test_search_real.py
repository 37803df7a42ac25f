"""Real questions on the real corpus with the real default embedder: the expected clause comes first."""

import pytest

from ingest.errors import InvalidQueryError
from retrieval.searcher import Filters


@pytest.mark.parametrize("question, clause_id", [
    ("广东省出口退税审批要在多少个工作日内完成？", "gd-2014-stabilize-trade#6.18"),
    ("深圳对RCEP原产地证书签证智能化有什么措施？", "sz-2024-foreign-trade-measures#4.14"),
    ("出口锂电池危险货物的包装有什么便利措施？", "sz-customs-business-environment-20#5"),
    ("跨境电商海外仓面积目标是多少？", "sz-2022-cross-border-ecommerce#1"),
    ("How many working days does Guangdong take to approve export tax refunds?", "gd-2014-stabilize-trade#6.18"),
    ("Which customs facilitation applies to exporting lithium batteries?", "sz-customs-business-environment-20#5"),
])
def test_expected_clause_first(real_service, question, clause_id):
    hits = real_service.search(question, k=5)
    assert hits[0].clause.clause_id == clause_id, [h.clause.clause_id for h in hits]


def test_filters_restrict_documents_and_issuers(real_service):
    hits = real_service.search("出口信用保险", k=10, filters=Filters(doc_ids=("gd-2014-stabilize-trade",)))
    assert hits and {h.clause.doc_id for h in hits} == {"gd-2014-stabilize-trade"}
    hits = real_service.search("出口信用保险", k=10, filters=Filters(issuer="深圳市商务局"))
    assert hits and {h.document.issuer for h in hits} == {"深圳市商务局"}
    hits = real_service.search("出口信用保险", k=10, filters=Filters(date_from="2020-01-01"))
    assert hits and all(h.document.date >= "2020-01-01" for h in hits)


@pytest.mark.parametrize("filters, message", [
    (Filters(doc_ids=("no-such-doc",)), "unknown document id 'no-such-doc'"),
])
def test_bad_filters_are_named(real_service, filters, message):
    with pytest.raises(InvalidQueryError, match=message):
        real_service.search("出口", filters=filters)


@pytest.mark.parametrize("question, message", [("   ", "the question is empty"), ("问" * 2001, "2001 characters")])
def test_bad_questions_are_named(real_service, question, message):
    with pytest.raises(InvalidQueryError, match=message):
        real_service.search(question)


@pytest.mark.parametrize("values, message", [
    ({"date_from": "2024-13-01"}, "date_from '2024-13-01' is not a date"),
    ({"date_from": "20240101"}, "date_from '20240101' is not a date in the form YYYY-MM-DD"),
    ({"date_to": "2024-W05-1"}, "date_to '2024-W05-1' is not a date"),
    ({"date_from": "2024-01-01", "date_to": "2023-01-01"}, "is after date_to"),
    ({"statuses": ["final"]}, "status must be one of issued, draft, unknown"),
])
def test_filters_are_validated_where_they_are_built(values, message):
    with pytest.raises(InvalidQueryError, match=message):
        Filters.of(**values)
