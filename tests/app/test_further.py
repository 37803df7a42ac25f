"""The further-clauses model: the other measures of a scenario or a comparison, cited once a question is answered."""

import json

import pytest

from app.answer import AnswerConfig, ExtractiveAnswerer
from app.further import DEFAULT_FURTHER, FURTHER_FEATURES, MIN_PRECISION, FurtherClauses, cited_rows
from ingest.errors import ModelFileError


def test_the_shipped_model_loads_with_its_out_of_fold_card():
    model = FurtherClauses.load(DEFAULT_FURTHER)
    assert len(model.coef) == len(model.mean) == len(model.scale) == len(FURTHER_FEATURES)
    assert 0 < model.threshold < 1
    card = model.card
    # the threshold rule held out of fold, and what it bought there: more of the evidence cited
    assert card["added_precision_out_of_fold"] >= MIN_PRECISION
    before, after = card["out_of_fold"]["without"]["gold-train"], card["out_of_fold"]["with"]["gold-train"]
    assert after["coverage"] > before["coverage"] and after["coverage_multi"] > before["coverage_multi"]


def test_a_model_of_other_features_is_a_clear_error(tmp_path):
    data = FurtherClauses.load(DEFAULT_FURTHER).to_json() | {"features": ["margin"]}
    path = tmp_path / "further.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelFileError, match="retrain it with `policyqa tune answerability`"):
        FurtherClauses.load(path)


def test_the_clauses_of_each_document_are_cited_for_a_question_about_several(real_service):
    # a training question (en-users, train split): lithium batteries in the customs 20, the 2022 e-commerce plan
    # and the 2024 measures; the 2024 clause answers less of it alone and is cited only through the further model
    question = "Where do the Shenzhen documents talk about lithium batteries, and what does each one say?"
    query = real_service.parse(question)
    hits = real_service.search(query)
    answerer = real_service.answerer
    with_further = {h.clause.clause_id for h in answerer.answer(query, hits).citations}
    alone = ExtractiveAnswerer(glossary=real_service.index.resources.glossary, model=answerer.model,
                               config=AnswerConfig(further=False), clauses=answerer.clauses)
    without = {h.clause.clause_id for h in alone.answer(query, hits).citations}
    assert "sz-2024-foreign-trade-measures#5.17" in with_further - without
    assert without < with_further


def test_a_question_with_one_answer_gets_no_further_clause(real_service):
    answer = real_service.ask("广东省出口退税审批要在多少个工作日内完成？")
    assert [h.clause.clause_id for h in answer.citations] == ["gd-2014-stabilize-trade#6.18"]


def test_beside_the_likeliest_clause_only_those_at_the_bar_are_cited_on_the_answer_judgement():
    # the threshold decides whether to answer; a second clause needs the bar (one in three holds evidence)
    assert cited_rows([0.4, 0.12, 0.6], 0.1) == [0, 2]
    assert cited_rows([0.12, 0.11], 0.1) == [0]
    assert cited_rows([0.05, 0.08], 0.1) == []
    assert cited_rows([0.2, 0.3], 0.1, bar=0.25) == [1]
