"""Answers on the real corpus: the right clause and issuer cited, honest refusals, caveats."""

from datetime import date

import pytest

from app.answer import AnswerConfig, ExtractiveAnswerer


def test_chinese_question_cites_the_clause_with_issuer_and_quotes_it_verbatim(real_service):
    answer = real_service.ask("广东省出口退税审批要在多少个工作日内完成？")
    assert not answer.refused and answer.language == "zh"
    first = answer.citations[0]
    assert first.clause.clause_id == "gd-2014-stabilize-trade#6.18"
    assert first.document.issuer == "广东省人民政府办公厅"
    assert "在20个工作日内完成退（免）税审批手续" in answer.quotes[0]
    assert answer.quotes[0].replace("……", "") in first.clause.text or all(
        part in first.clause.text for part in answer.quotes[0].split("……"))
    assert answer.text.startswith("根据《广东省支持外贸稳定增长实施方案》（广东省人民政府办公厅，2014年5月23日）第（十八）条：")
    assert "[1]" in answer.text
    assert "已超过五年" in answer.text  # a 2014 document carries the in-force caveat


def test_english_question_is_answered_in_english_with_the_original_quoted(real_service):
    answer = real_service.ask("How many working days does Guangdong take to approve export tax refunds?")
    assert not answer.refused and answer.language == "en"
    assert answer.citations[0].clause.clause_id == "gd-2014-stabilize-trade#6.18"
    assert answer.text.startswith("According to measure (18)")
    assert "Original wording (Chinese): “" in answer.text
    assert "more than five years ago" in answer.text


@pytest.mark.parametrize("question", [
    "上海市对跨境电商企业有什么补贴？",
    "What subsidies does Beijing give to exporters of electric vehicles?",
])
def test_another_citys_policy_is_refused_with_related_clauses(real_service, question):
    answer = real_service.ask(question)
    assert answer.refused and not answer.citations
    assert answer.retrieved  # the nearest clauses are still listed as possibly related
    if answer.language == "zh":
        assert answer.text.startswith("现有语料中没有能够回答这个问题的条款") and "可能相关" in answer.text
    else:
        assert answer.text.startswith("The corpus has no clause that answers this question")


def test_draft_is_named_as_a_draft(real_service):
    answer = real_service.ask("内外贸一体化实施方案征求意见稿的第7项任务是什么")
    assert answer.citations[0].clause.clause_id == "sz-trade-integration-draft#2.2.7"
    assert "征求意见稿，并非正式发布的文件" in answer.text


def test_responsible_units_are_listed(real_service):
    answer = real_service.ask("深圳2024年外贸稳规模稳份额稳增长工作措施第（十四）条由哪些单位负责？")
    assert answer.citations[0].clause.clause_id == "sz-2024-foreign-trade-measures#4.14"
    assert "责任单位：市商务局、贸促委、深圳海关、各区政府。" in answer.text


def test_threshold_one_refuses_everything_but_lookups(real_service):
    answerer = ExtractiveAnswerer(glossary=real_service.index.resources.glossary,
                                  tokenizer=real_service.index.resources.tokenizer(),
                                  config=AnswerConfig(threshold=1.0), today=date(2026, 11, 22))
    hits = real_service.search("海外仓建设有什么支持？")
    assert answerer.answer("海外仓建设有什么支持？", "zh", hits).refused
    hits = real_service.search("深圳海关优化营商环境20条的第十六条")
    assert not answerer.answer("深圳海关优化营商环境20条的第十六条", "zh", hits).refused


def test_config_validation():
    with pytest.raises(ValueError, match="threshold must be between 0 and 1"):
        AnswerConfig(threshold=1.5)
