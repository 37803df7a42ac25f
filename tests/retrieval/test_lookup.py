import pytest

from retrieval.lookup import Reference, parse_reference


@pytest.mark.parametrize("question, expected", [
    ("深圳海关优化营商环境20条的第十六条是什么？", Reference(16, False, "条")),
    ("第（九）条讲了什么", Reference(9, True, "条")),
    ("广东省支持外贸稳定增长实施方案（十八）", Reference(18, True, "")),
    ("What does article 16 say?", Reference(16, False, "article")),
    ("measure (9) of the Guangdong plan", Reference(9, True, "measure")),
    ("task 7 of the draft", Reference(7, False, "task")),
    ("附件第12项由谁负责", Reference(12, False, "项")),
])
def test_parse_reference(question, expected):
    assert parse_reference(question) == expected


@pytest.mark.parametrize("question", ["出口退税审批要多久？", "How big is the 2025 target?", "按照规定办理"])
def test_no_reference(question):
    assert parse_reference(question) is None


@pytest.mark.parametrize("question, clause_id", [
    ("深圳海关优化营商环境20条的第十六条是什么？", "sz-customs-business-environment-20#16"),
    ("广东省支持外贸稳定增长实施方案第（九）条讲了什么？", "gd-2014-stabilize-trade#3.9"),
    ("深圳2024年外贸稳规模稳份额稳增长工作措施第（十四）条", "sz-2024-foreign-trade-measures#4.14"),
    ("What does article 16 of Shenzhen Customs' 20 measures say?", "sz-customs-business-environment-20#16"),
    ("What is measure (9) of the Guangdong plan to support stable growth of foreign trade?", "gd-2014-stabilize-trade#3.9"),
    ("内外贸一体化实施方案征求意见稿的第7项任务是什么", "sz-trade-integration-draft#2.2.7"),
])
def test_lookup_puts_the_named_clause_first(real_service, question, clause_id):
    hits = real_service.search(question, k=5)
    assert hits[0].clause.clause_id == clause_id
    assert "lookup" in hits[0].sources
