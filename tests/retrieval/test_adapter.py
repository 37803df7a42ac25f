"""The question adapter: its file (open format, atomic, refused when it is not one), and where search uses it."""

import numpy as np
import pytest

from ingest.errors import ModelFileError
from retrieval.adapter import QueryAdapter
from retrieval.features import FeatureExtractor


def _adapter(model="m", dimension=8, seed=0):
    rng = np.random.default_rng(seed)
    return QueryAdapter(model, np.eye(dimension, dtype=np.float32) + 0.3 * rng.standard_normal((dimension, dimension)).astype(np.float32))


def test_an_adapter_reads_back_the_same_and_maps_to_unit_vectors(tmp_path):
    adapter = _adapter()
    path = tmp_path / "models" / "adapter.npz"
    adapter.save(path)
    back = QueryAdapter.load(path)
    assert back.model == "m" and np.array_equal(back.matrix, adapter.matrix) and back.digest == adapter.digest
    assert [p.name for p in path.parent.iterdir()] == ["adapter.npz"]  # no temporary file left
    v = np.arange(1, 9, dtype=np.float32)
    mapped = back.apply(v / np.linalg.norm(v))
    assert abs(float(np.linalg.norm(mapped)) - 1.0) < 1e-6
    assert np.allclose(mapped, (v @ adapter.matrix) / np.linalg.norm(v @ adapter.matrix), atol=1e-6)
    unit = v / np.linalg.norm(v)
    assert np.allclose(QueryAdapter.identity("m", 8).apply(unit), unit)


def test_no_file_means_no_adapter_and_a_bad_file_is_refused_by_name(tmp_path):
    assert QueryAdapter.load(tmp_path / "absent.npz") is None and QueryAdapter.load(None) is None
    garbage = tmp_path / "adapter.npz"
    garbage.write_bytes(b"not a zip at all")
    with pytest.raises(ModelFileError, match="adapter.npz: not a question adapter"):
        QueryAdapter.load(garbage)
    # an object array would need pickle to load: it is refused, nothing of it runs
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, model=np.array([{"a": 1}], dtype=object), matrix=np.eye(2))
    with pytest.raises(ModelFileError, match="pickled.npz"):
        QueryAdapter.load(pickled)
    with pytest.raises(ValueError, match="square"):
        QueryAdapter("m", np.ones((2, 3), dtype=np.float32))


def test_fits_only_the_encoder_it_was_fitted_for():
    adapter = _adapter("intfloat/multilingual-e5-small", 384)
    assert adapter.fits("intfloat/multilingual-e5-small", 384)
    assert not adapter.fits("fake-embedder", 384) and not adapter.fits("intfloat/multilingual-e5-small", 64)


@pytest.mark.slow
def test_search_maps_chinese_questions_for_the_chinese_passages_only(real_service):
    searcher = real_service.searcher
    index, encoders = searcher.index, searcher.encoders
    primary = encoders.primary
    plain = FeatureExtractor(index, encoders, adapter=QueryAdapter.identity(primary.name, primary.dimension))
    mapped = FeatureExtractor(index, encoders, adapter=_adapter(primary.name, primary.dimension, seed=3))
    other = FeatureExtractor(index, encoders, adapter=_adapter("another-model", primary.dimension))
    assert other.adapter is None and mapped.adapter is not None
    zh = searcher.parse("深圳对出口信用保险保费有什么补贴？")
    a, b = plain.candidates(zh), mapped.candidates(zh)
    before, after = dict(zip(a.positions, a.column("cos_zh"))), dict(zip(b.positions, b.column("cos_zh")))
    shared = [p for p in a.positions if p in after]
    assert shared and any(abs(before[p] - after[p]) > 1e-3 for p in shared)
    # an English question keeps its own vector everywhere
    en = searcher.parse("Which agency handles export credit insurance premium subsidies in Shenzhen?")
    c, d = plain.candidates(en), mapped.candidates(en)
    assert c.positions == d.positions and np.allclose(c.matrix, d.matrix, atol=1e-6)
    # the identity adapter changes nothing
    none = FeatureExtractor(index, encoders).candidates(zh)
    assert none.positions == a.positions and np.allclose(none.matrix, a.matrix, atol=1e-5)


def test_every_build_holds_the_shipped_adapter_used_only_with_its_encoder(tmp_path):
    import shutil

    from app.service import PolicyQA
    from app.settings import Settings
    from retrieval.adapter import DEFAULT_ADAPTER
    from retrieval.embedders import E5_MODEL
    from retrieval.layout import ADAPTER_NAME
    from tests.conftest import CORPUS, FakeEmbedder

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS / "resources", corpus / "resources")
    shutil.copy(CORPUS / "gd-2014-stabilize-trade.txt", corpus)
    embedder = FakeEmbedder()
    qa = PolicyQA(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_model=embedder.name),
                  embedder=embedder)
    build = qa.ingest().build
    assert (build / ADAPTER_NAME).read_bytes() == DEFAULT_ADAPTER.read_bytes()
    assert QueryAdapter.load(build / ADAPTER_NAME).model == E5_MODEL
    assert qa.searcher.extractor.adapter is None  # fitted for e5, not for this encoder


@pytest.mark.slow
def test_the_real_service_maps_chinese_questions_with_the_shipped_adapter(real_service):
    adapter = real_service.searcher.extractor.adapter
    assert adapter is not None and adapter.fits(real_service.searcher.encoders.primary.name, 384)
