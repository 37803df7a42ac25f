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
    # the direct answer first, verbatim from the clause, then the cited clause with its issuer and date
    assert answer.short and answer.short in first.clause.text and "20个工作日" in answer.short
    assert answer.text.startswith(answer.short)
    assert "根据《广东省支持外贸稳定增长实施方案》（广东省人民政府办公厅，2014年5月23日）第（十八）条：" in answer.text
    assert "[1]" in answer.text
    assert "已超过五年" in answer.text  # a 2014 document carries the in-force caveat


def test_english_question_is_answered_in_english_with_the_original_quoted(real_service):
    answer = real_service.ask("How many working days does Guangdong take to approve export tax refunds?")
    assert not answer.refused and answer.language == "en"
    assert answer.citations[0].clause.clause_id == "gd-2014-stabilize-trade#6.18"
    assert "According to measure (18)" in answer.text and answer.short and "20个工作日" in answer.short
    assert "Original wording (Chinese): “" in answer.text
    assert "English reference translation (unofficial" in answer.text
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


def test_threshold_one_refuses_everything_and_zero_with_no_bar_cites_every_retrieved_clause(real_service):
    glossary = real_service.index.resources.glossary
    query = real_service.parse("海外仓建设有什么支持？")
    hits = real_service.search(query)
    strict = ExtractiveAnswerer(glossary=glossary, config=AnswerConfig(threshold=1.0), today=date(2026, 11, 22))
    assert strict.answer(query, hits).refused
    # a clause beside the likeliest is cited at the cite bar (or on app.further's judgement): no bar, all of them
    lenient = ExtractiveAnswerer(glossary=glossary, config=AnswerConfig(threshold=0.0, cite_bar=0.0),
                                 today=date(2026, 11, 22))
    cited = lenient.answer(query, hits).citations
    tasks = {h.clause.clause_id for h in cited}
    # every retrieved clause, but an annex row whose task is cited too (the row repeats it)
    assert {h.clause.clause_id for h in cited} == {
        h.clause.clause_id for h in hits
        if not any(h.clause.clause_id in t.clause.annex_rows for t in hits if t.clause.clause_id in tasks)}


def test_a_traditional_question_gets_a_traditional_frame_and_verbatim_quotes(real_service):
    answer = real_service.ask("廣東省出口退稅審批要喺幾多個工作日內完成？")
    assert not answer.refused and answer.script == "traditional"
    assert "根據《" in answer.text  # the frame in the user's script
    assert all(q in answer.text for q in answer.quotes)  # quotes untouched (the clause is in simplified characters)
    assert "20个工作日" in answer.short


def test_in_force_questions_state_date_and_status_and_claim_nothing(real_service):
    answer = real_service.ask("广东2014年那个支持外贸稳定增长的方案现在还有效吗？")
    assert "无法判断其目前是否仍然有效" in answer.text
    assert "2014年5月23日" in answer.text


def test_an_in_force_question_the_patterns_miss_is_refused_with_the_same_frame(real_service):
    # "still in effect" is none of retrieval.asked's wordings; the learned classifier (retrieval.intents) finds it
    answer = real_service.ask("Is the Guangdong 2014 plan to stabilise foreign trade still in effect?")
    assert answer.refused and "in force" in answer.text.lower()
    # the same document named in a question for a figure is answered
    assert not real_service.ask("广东2014年支持外贸稳定增长实施方案要求出口退税多少个工作日内完成审批？").refused


def test_config_validation():
    with pytest.raises(ValueError, match="threshold must be between 0 and 1"):
        AnswerConfig(threshold=1.5)


def test_a_drafts_task_names_the_units_of_the_annex_row_that_quotes_it(real_service):
    # task 6. carries the units of its rows 16 (市商务局牵头，市贸促委) and 17 (市市场监管局); the question is about row 16's part
    answer = real_service.ask("内外贸一体化方案里支持大型商贸物流企业“走出去”这项任务谁牵头？")
    assert answer.citations[0].clause.clause_id == "sz-trade-integration-draft#2.2.6"
    assert "责任单位（附件 第16项）：市商务局（牵头）、市贸促委。" in answer.text
    assert "市市场监管局" not in answer.text


def test_each_quoting_row_is_named_with_its_lead_in_english(real_service):
    answer = real_service.ask("Who leads promoting the 'credit insurance + guarantee' financing model in Shenzhen's "
                              "draft plan for integrating domestic and foreign trade?")
    assert answer.citations[0].clause.clause_id == "sz-trade-integration-draft#2.2.11"
    task = answer.text.split("\n\n")[1 if answer.short else 0]  # the draft task's part (another clause may follow)
    rows = [line for line in task.splitlines() if line.startswith("Responsible")]
    assert rows and all("of the annex)" in line for line in rows)
    assert any("(市商务局), lead (牵头)" in line and "中国出口信用保险公司深圳分公司" in line for line in rows)


def test_an_annex_row_is_cited_as_the_task_it_repeats_with_that_rows_units(real_service):
    # the question matches an annex row of the draft; the clause to cite is the task the row repeats (its number
    # is the one users cite), with the units of the quoting row
    answer = real_service.ask("征求意见稿里“制造业数字化转型计划”是哪个局牵头的")
    assert not answer.refused
    kinds = [h.clause.kind.value for h in answer.citations]
    assert "annex-row" not in kinds
    first = answer.citations[0].clause
    assert first.annex_rows and "制造业数字化转型" in first.text
    assert "责任单位（附件 第" in answer.text and "（牵头）" in answer.text


def _draft_rows(task_number: str):
    from pathlib import Path

    from ingest.manifest import load_manifest
    from ingest.pipeline import parse_document

    corpus = Path(__file__).parents[2] / "corpus"
    doc = parse_document(corpus / "sz-trade-integration-draft.txt", load_manifest(corpus / "manifest.toml"))
    by_id = {c.clause_id: c for c in doc.clauses}
    task = by_id[f"sz-trade-integration-draft#{task_number}"]
    return task, [by_id[r] for r in task.annex_rows]


def test_a_row_quotes_a_task_phrase_by_phrase_though_it_words_the_rest_otherwise():
    from app.answer import quoting_rows
    from ingest.text import sentences
    task, rows = _draft_rows("2.1.1")
    first = next(s for s in sentences(task.text) if "建立健全" in s)  # the task says 建立健全, its row 推动健全
    assert [r.label for r in quoting_rows(first, rows)] == ["附件 第1项"]


def test_of_the_rows_a_quote_reaches_the_units_are_those_of_the_row_the_question_is_about():
    import jieba

    from app.answer import asked_rows, quoting_rows
    task, rows = _draft_rows("2.2.12")
    quoting = quoting_rows(task.text, rows)
    assert len(quoting) == 2                      # the quote reaches both rows: education and talent
    terms = jieba.lcut("深入实施孔雀计划、引进高层次人才，由哪个部门负责？")
    assert [r.responsible for r in asked_rows(terms, quoting)] == [("市人力资源保障局",)]
    assert asked_rows(["跨境电商"], quoting) == quoting  # a question about neither row: both rows' units


def test_of_the_rows_an_english_question_reaches_the_units_are_those_its_words_share_the_translation_of(real_service):
    from app.answer import asked_rows
    from retrieval.tokenize import EnglishTokenizer

    clauses = real_service.answerer.clauses
    rows = [clauses[r] for r in clauses["sz-trade-integration-draft#2.1.5"].annex_rows]
    assert [r.label for r in rows] == ["附件 第13项", "附件 第14项", "附件 第15项"]
    english = EnglishTokenizer()
    words = english.tokens("Which body puts Three Sames firms first for the CCC certification exemption channel?")
    assert [r.label for r in asked_rows([], rows, words, english)] == ["附件 第15项"]
    # "Three Sames" is in every row: it tells none apart; nor do the units columns (row 14's is Shenzhen Customs)
    assert asked_rows([], rows, english.tokens("Three Sames products: is Shenzhen in charge?"), english) == rows


def test_the_rows_a_previous_reply_spoke_of_are_found_through_its_framing_and_in_english():
    from app.answer import said_rows
    from retrieval.tokenize import EnglishTokenizer

    task, rows = _draft_rows("2.1.5")
    reply = ("根据《深圳市促进内外贸一体化发展实施方案（征求意见稿）》第5项：海关部门对“三同”企业及产品出口时优先安排"
             "下厂检验等海关监管措施[1]。")
    assert [r.label for r in said_rows(reply, rows, EnglishTokenizer())] == ["附件 第14项"]
    assert said_rows("好的，谢谢。", rows, EnglishTokenizer()) == rows  # a reply naming no row: all of them


def test_a_follow_up_pointing_back_gets_the_units_of_the_row_the_previous_reply_spoke_of(real_service):
    # task 5. of the draft has three rows; the previous reply quoted the customs one (第14项), so "this" is it,
    # though the follow-up's standalone topic ("三同", "产品") is in all three
    history = [{"role": "user", "content": "内外贸一体化方案里“三同”产品有哪些措施？"},
               {"role": "assistant", "content": "根据《深圳市促进内外贸一体化发展实施方案（征求意见稿）》第5项：海关部门对"
                                                "“三同”企业及产品出口时优先安排下厂检验等海关监管措施[1]。"}]
    answer = real_service.ask("这条由哪个部门负责？", history=history)
    task = next(i for i, h in enumerate(answer.citations) if h.clause.clause_id == "sz-trade-integration-draft#2.1.5")
    assert [(u.row.label, u.responsible) for u in answer.units[task]] == [("附件 第14项", ("深圳海关",))]
    # an English reply (a generated answer's words): the row whose translation it shares most words with
    history = [{"role": "user", "content": "What does the draft integration plan do for trade credit?"},
               {"role": "assistant", "content": "Task 11 of the draft: study a credit evaluation system for foreign "
                                                "trade enterprises and promote the credit insurance + guarantee "
                                                "financing model [1]."}]
    answer = real_service.ask("Who is in charge of that?", history=history)
    task = next(i for i, h in enumerate(answer.citations) if h.clause.clause_id == "sz-trade-integration-draft#2.2.11")
    assert [u.row.label for u in answer.units[task]] == ["附件 第34项"]


def test_an_english_question_gets_the_units_of_the_annex_row_the_search_reached(real_service):
    # task 11. of the draft carries rows 34 (credit insurance + guarantee) and 35 (SME loan risk pool); the English
    # question shares no Chinese words with either, but the search reaches row 34
    answer = real_service.ask("In the draft, who's leading the work on a credit-scoring system for trading companies?")
    task = answer.citations[0]
    assert task.clause.clause_id == "sz-trade-integration-draft#2.2.11"
    stated = answer.units[0]  # the task's units (other measures the answer cites have their own)
    assert [u.row.label for u in stated if u.row] == ["附件 第34项"]
    assert stated[0].lead == ("市商务局",)


@pytest.mark.parametrize("question", [
    "深圳2024年那份稳外贸措施现在还有效吗？",
    "深圳2024年那份穩外貿措施現在還有效嗎？",
    "Is the Guangdong 2014 plan on stable trade growth still in force?",
])
def test_possibly_related_clauses_can_be_told_apart(real_service, question):
    """Two unnumbered passages of one document are listed by their opening words (verbatim, also under a frame in
    traditional characters), not twice as "unnumbered"."""
    answer = real_service.ask(question)
    assert answer.refused
    listed = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert len(listed) == len(set(listed)) == 3
    for line, hit in zip(listed, answer.retrieved):
        if not hit.clause.label:
            assert " ".join(hit.clause.text.split())[:8] in line
    assert "(unnumbered)" not in answer.text
