"""The learned ranker: the committed model loads, the numpy tree walker agrees with LightGBM, ranking is
deterministic, and a bad model file is a clear error."""

import json

import numpy as np
import pytest

from app.service import PolicyQA
from app.settings import Settings
from ingest.errors import ModelFileError
from retrieval.features import FEATURES
from retrieval.ranker import DEFAULT_RANKER, Ranker
from retrieval.trees import Forest
from tests.conftest import CORPUS, FakeEmbedder


@pytest.fixture(scope="module")
def fake_service(tmp_path_factory):
    """The real seeds with a deterministic fake embedder: real BM25, lookup and coverage features."""
    index = tmp_path_factory.mktemp("rank-index")
    qa = PolicyQA(Settings(corpus_dir=CORPUS, index_dir=index), embedder=FakeEmbedder())
    qa.ingest()
    return qa


def test_committed_model_loads_with_this_versions_features():
    ranker = Ranker.load(DEFAULT_RANKER)
    assert ranker.learned
    card = json.loads((DEFAULT_RANKER.parent / "ranker.card.json").read_text(encoding="utf-8"))
    assert card["features"] == list(FEATURES) and "gold-train" in card["sets"]


def test_tree_walker_agrees_with_lightgbm_on_real_features(fake_service):
    lightgbm = pytest.importorskip("lightgbm")
    booster = lightgbm.Booster(model_file=str(DEFAULT_RANKER.with_suffix(".txt")))
    forest = Forest.from_dump(json.loads(DEFAULT_RANKER.read_text(encoding="utf-8")))
    searcher = fake_service.searcher
    rows = [searcher.candidates(searcher.parse(q)).matrix for q in
            ("广东省出口退税审批要在多少个工作日内完成？", "海關20條第十二條講咗咩？", "Which bureau leads task 7 of the draft?")]
    matrix = np.vstack(rows)
    assert np.allclose(forest.predict(matrix), booster.predict(matrix, num_threads=1), atol=1e-9)


def test_ranking_is_deterministic(fake_service):
    first = [h.clause.clause_id for h in fake_service.search("深圳对海外仓有什么支持？", k=10)]
    second = [h.clause.clause_id for h in fake_service.search("深圳对海外仓有什么支持？", k=10)]
    assert first == second and len(first) == 10


def test_lookup_in_traditional_characters_ranks_the_named_clause_first(fake_service):
    hits = fake_service.search("深圳海關20條第十二條講咗咩？", k=3)
    assert hits[0].clause.clause_id == "sz-customs-business-environment-20#12" and "lookup" in hits[0].sources


def test_a_model_trained_on_other_features_is_refused(tmp_path):
    dump = json.loads(DEFAULT_RANKER.read_text(encoding="utf-8"))
    dump["feature_names"] = dump["feature_names"][:-1]
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps(dump), encoding="utf-8")
    with pytest.raises(ModelFileError, match="trained on other features.*policyqa tune ranker"):
        Ranker.load(path)
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(ModelFileError, match="not a LightGBM model dump"):
        Ranker.load(path)


def test_without_a_model_ranking_falls_back_to_unweighted_fusion(fake_service):
    searcher = fake_service.searcher
    found = searcher.candidates(searcher.parse("出口信用保险"))
    scores = Ranker().scores(found.matrix)
    assert scores.shape == (len(found.positions),) and np.all(np.isfinite(scores))
