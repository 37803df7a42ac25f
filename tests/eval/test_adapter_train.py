"""Fitting the question adapter on real questions over the real corpus (the real encoder, a few epochs)."""

import numpy as np
import pytest

from eval.adapter_train import adapter_set, dense_figures, fit_adapter
from eval.gold import load_gold, select_split
from eval.train import TrainingSet, fit_fold_adapters
from retrieval.adapter import QueryAdapter
from retrieval.embedders import E5_MODEL

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def questions():
    from pathlib import Path

    gold = select_split(load_gold([Path("eval/gold/zh.jsonl"), Path("eval/gold/zh-users.jsonl")]), "train")
    return [q for q in gold if q.answerable][:60]


@pytest.fixture(scope="module")
def data(real_service, questions):
    return adapter_set("gold-train", real_service.searcher, questions)


def test_the_set_holds_each_question_with_the_clauses_its_evidence_is_in(real_service, data, questions):
    index = real_service.searcher.index
    assert 40 <= len(data.ids) <= len(questions)
    assert data.questions.shape == (len(data.ids), 384) and len(data.passage_clause) == len(data.passages)
    by_id = {q.id: q for q in questions}
    for qid, found in zip(data.ids, data.positives):
        assert found and all(any(e.covered_by(index.clauses[p].text) for e in by_id[qid].evidence) for p in found)


def test_english_questions_are_left_to_their_own_vectors(real_service):
    from pathlib import Path

    english = [q for q in select_split(load_gold([Path("eval/gold/en.jsonl")]), "train") if q.answerable][:5]
    empty = adapter_set("en", real_service.searcher, english)
    assert empty.ids == () and empty.questions.shape == (0, 384) and dense_figures(empty, None) == {}


def test_fitting_brings_questions_closer_to_their_clauses_and_is_deterministic(data):
    before = dense_figures(data, None)
    first = fit_adapter([data], model=E5_MODEL, epochs=30)
    again = fit_adapter([data], model=E5_MODEL, epochs=30)
    assert np.array_equal(first.matrix, again.matrix)
    after = dense_figures(data, first)
    assert after["hit@1"] > before["hit@1"] and after["recall@10"] >= before["recall@10"]
    # the identity changes nothing
    assert dense_figures(data, QueryAdapter.identity(first.model, 384)) == before


def test_questions_left_out_are_not_fitted_on(data):
    every = set(data.ids)
    with pytest.raises(ValueError, match="no questions left"):
        fit_adapter([data], model="m", without={"gold-train": every})
    half = set(data.ids[::2])
    held = fit_adapter([data], model="m", without={"gold-train": half}, epochs=30)
    full = fit_adapter([data], model="m", epochs=30)
    assert not np.array_equal(held.matrix, full.matrix)


def test_fold_adapters_are_fitted_on_the_external_set_only_and_leave_each_fold_out(real_service, questions):
    from pathlib import Path

    others = [q for q in select_split(load_gold([Path("eval/gold/zh-traditional.jsonl")]), "train") if q.answerable]
    sets = [TrainingSet("gold-train", real_service, questions), TrainingSet("external", real_service, others)]
    assert fit_fold_adapters(sets[:1], folds=3) is None  # nothing but the gold set: no adapter
    adapters = fit_fold_adapters(sets, folds=3)
    # the gold set's questions are not fitted on: the full adapter is the external set's alone
    external = adapter_set("external", real_service.searcher, others)
    assert np.array_equal(adapters.full.matrix, fit_adapter([external], model=adapters.full.model).matrix)
    assert adapters.card["fitted_on"] == ["external"] and sorted(adapters.by_fold) == [0, 1, 2]
    assert len({a.digest for a in [adapters.full, *adapters.by_fold.values()]}) == 4
    assert set(adapters.card["sets"]) == {"gold-train", "external"}
    figures = adapters.card["sets"]["external"]
    assert set(figures) == {"questions", "encoder_alone", "out_of_fold", "full_adapter"}
    # the full adapter has seen the external questions: it does at least as well on them as those of the folds
    assert figures["full_adapter"]["hit@1"] >= figures["out_of_fold"]["hit@1"]
