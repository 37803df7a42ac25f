"""The calibrated answerability model: it loads, says which features it weighs, and judges real questions."""

import pytest

from app.answerability import ANSWER_FEATURES, DEFAULT_MODEL, Answerability
from ingest.errors import PolicyQAError


def test_committed_model_loads_with_one_threshold_and_a_card():
    model = Answerability.load(DEFAULT_MODEL)
    assert len(model.coef) == len(ANSWER_FEATURES) and 0 < model.threshold < 1
    assert "gold-train" in model.card["sets"] and model.card["reliability_out_of_fold"]


def test_reliability_is_close_to_the_diagonal_out_of_fold():
    curve = Answerability.load(DEFAULT_MODEL).card["reliability_out_of_fold"]
    heavy = [b for b in curve if b["count"] >= 30]
    assert heavy and all(abs(b["mean_predicted"] - b["observed"]) <= 0.15 for b in heavy), heavy


def test_a_model_for_other_features_is_refused(tmp_path):
    path = tmp_path / "answerability.json"
    path.write_text('{"features": ["raw"], "coef": [1], "intercept": 0, "mean": [0], "scale": [1], '
                    '"threshold": 0.5}', encoding="utf-8")
    with pytest.raises(PolicyQAError, match="other features.*policyqa tune answerability"):
        Answerability.load(path)


@pytest.mark.slow
def test_a_clause_that_holds_the_answer_is_judged_above_the_threshold(real_service):
    query = real_service.parse("广东省出口退税审批要在多少个工作日内完成？")
    hits = real_service.search(query, k=5)
    p = real_service.answerer.model.probabilities(query, hits)
    assert hits[0].clause.clause_id == "gd-2014-stabilize-trade#6.18"
    assert p[0] >= real_service.answerer.threshold > min(p)
