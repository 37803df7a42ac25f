"""Out-of-fold ranker figures and the cached examples, on small synthetic candidates (no search needed)."""

import numpy as np

from eval.gold import Evidence, GoldQuestion
from eval.train import RankerExamples, TrainingSet, _figures, _load_examples, _write_json, out_of_fold_figures
from retrieval.features import FEATURES

SIGNAL = FEATURES.index("coverage")


def _examples(name: str, n: int, seed: int) -> RankerExamples:
    rng = np.random.default_rng(seed)
    ex = RankerExamples(name, [], [], [], [], [])
    for i in range(n):
        m = rng.random((8, len(FEATURES)))
        good = int(rng.integers(8))
        m[good, SIGNAL] += 2.0                      # the relevant candidate stands out on one feature
        texts = [f"clause {i}-{r} " + ("answer" if r == good else "other") for r in range(8)]
        q = GoldQuestion(f"{name}-{i}", "zh" if i % 2 else "en", f"q{i}", True, (Evidence(None, f"{i}-{good} answer"),), ())
        ex.ids.append(q.id)
        ex.matrices.append(m)
        ex.labels.append(np.array([int(r == good) for r in range(8)], dtype=np.int32))
        ex.texts.append(texts)
        ex.questions.append(q)
    return ex


def test_out_of_fold_figures_rank_held_questions_and_split_languages():
    sets = [_examples("gold-train", 60, 1), _examples("stard-dev", 40, 2)]
    oof = out_of_fold_figures(sets, folds=3, params=None, rounds=30)
    assert oof["gold-train"]["questions"] == 60
    assert oof["gold-train"]["hit@1"] > 0.9 and oof["stard-dev"]["recall@1"] > 0.9
    assert oof["gold-train"]["zh"]["questions"] == 30 and oof["gold-train"]["en"]["questions"] == 30


def test_cached_examples_read_back_the_same(tmp_path):
    ex = _examples("gold-train", 5, 3)
    path = tmp_path / "ranker-examples-gold-train-x.json"
    _write_json(path, {"examples": [{"id": i, "matrix": m.tolist(), "labels": lab.tolist(), "texts": t}
                                    for i, m, lab, t in zip(ex.ids, ex.matrices, ex.labels, ex.texts)]})
    back = _load_examples(TrainingSet("gold-train", None, ex.questions), path)
    assert back.ids == ex.ids and back.texts == ex.texts
    assert all(np.array_equal(a, b) for a, b in zip(back.matrices, ex.matrices))
    assert all(np.array_equal(a, b) for a, b in zip(back.labels, ex.labels))


def test_figures_count_hits_within_k_and_reciprocal_ranks():
    # three questions whose answering clause the scores put 1st, 3rd and 7th of 8
    ex = _examples("gold-train", 3, 4)
    scores = []
    for lab, place in zip(ex.labels, (0, 2, 6)):
        s = np.zeros(8)
        others = [r for r in range(8) if not lab[r]]
        order = others[:place] + [int(np.flatnonzero(lab)[0])] + others[place:]
        s[order] = np.arange(8, 0, -1)            # best first
        scores.append(s)
    fig = _figures(ex, scores)
    assert fig["hit@1"] == round(1 / 3, 4)         # only the first
    assert fig["hit@5"] == round(2 / 3, 4)         # 1st and 3rd, not 7th
    assert fig["recall@10"] == 1.0
    assert fig["mrr"] == round((1 + 1 / 3 + 1 / 7) / 3, 4)  # = 0.4921
