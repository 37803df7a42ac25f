import pytest

from retrieval.fusion import ranked, rrf


def test_rrf_hand_computed():
    # dense ranks 7,3,9; lexical (weight 0.5) ranks 3,5; k=60
    # 3: 1/62 + 0.5/61 = 0.016129 + 0.008197 = 0.024326
    # 7: 1/61 = 0.016393 ; 9: 1/63 = 0.015873 ; 5: 0.5/62 = 0.008065
    scores = rrf([([7, 3, 9], 1.0), ([3, 5], 0.5)], k=60)
    assert scores[3] == pytest.approx(1 / 62 + 0.5 / 61)
    assert scores[7] == pytest.approx(1 / 61)
    assert scores[5] == pytest.approx(0.5 / 62)
    assert ranked(scores) == [3, 7, 9, 5]


def test_rrf_zero_weight_ranking_is_ignored_and_ties_go_to_the_smaller_id():
    scores = rrf([([2, 1], 1.0), ([1, 2], 1.0), ([9], 0.0)], k=0)
    # 1: 1/2 + 1/1 = 1.5 ; 2: 1/1 + 1/2 = 1.5 -> tie, smaller id first
    assert 9 not in scores
    assert ranked(scores) == [1, 2]


def test_rrf_rejects_negative_k():
    with pytest.raises(ValueError, match="k must be at least 0"):
        rrf([([1], 1.0)], k=-1)
