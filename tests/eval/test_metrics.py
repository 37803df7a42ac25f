"""Metric functions against small cases worked out by hand."""

import pytest

from eval.gold import Evidence, normalize
from eval.metrics import hit_at_k, percentile, recall_at_k, reciprocal_rank, relevance


def test_normalize_folds_width_and_whitespace():
    assert normalize("在 20 个工作日\n内") == "在20个工作日内"
    assert normalize("（ＲＣＥＰ）") == "(RCEP)"


def test_relevance_hit_and_mrr():
    evidence = [Evidence("d", "20个工作日"), Evidence("d", "足额退税")]
    texts = ["无关条款", "在 20 个工作日内完成", "确保及时足额退税"]
    relevant = relevance(texts, evidence)
    assert relevant == [False, True, True]
    assert hit_at_k(relevant, 1) == 0.0 and hit_at_k(relevant, 2) == 1.0
    assert reciprocal_rank(relevant) == 0.5          # first relevant at rank 2 -> 1/2
    assert reciprocal_rank([False, False]) == 0.0


def test_recall_at_k():
    evidence = [Evidence("d", "甲"), Evidence("d", "乙"), Evidence("d", "丙")]
    texts = ["甲乙", "丁", "丙"]
    assert recall_at_k(texts, evidence, 1) == pytest.approx(2 / 3)  # 甲, 乙 covered by the first text
    assert recall_at_k(texts, evidence, 3) == 1.0
    assert recall_at_k(texts, [], 3) == 0.0


def test_percentile_interpolates():
    assert percentile([1, 2, 3, 4], 50) == 2.5       # position 1.5 between 2 and 3
    assert percentile([10, 20, 30, 40, 50], 95) == pytest.approx(48.0)  # position 3.8: 40 + 0.8 * 10
    assert percentile([], 50) is None


def test_citation_precision_is_the_share_of_cited_clauses_holding_evidence_of_answerable_questions():
    from eval.runner import QuestionResult, aggregate

    def result(answerable, cited_relevant):
        return QuestionResult(id="q", lang="zh", tags=[], answerable=answerable, question="?", retrieved=[],
                              relevant=[], refused=not cited_relevant, cited=["c"] * len(cited_relevant),
                              citation_coverage=None, issuer_checks=[], clause_checks=[], responsible_checks=[],
                              latency_ms=1.0, cited_relevant=cited_relevant,
                              recall={1: 0.0, 5: 0.0})

    figures = aggregate([result(True, [True, False]), result(True, [True]), result(False, [])], k=5)
    assert abs(figures["citation_precision"] - 2 / 3) < 1e-9
    assert aggregate([result(True, [])], k=5)["citation_precision"] is None  # nothing cited: no figure
