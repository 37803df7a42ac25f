"""The bundled encoders for real, and the sentence-transformers backend with a tiny model built offline."""

import subprocess
import sys

import numpy as np
import pytest

from retrieval.embedders import (DEFAULT_MODEL, E5Embedder, SentenceTransformerEmbedder, UseEmbedder, as_langchain,
                                 make_embedder, make_encoders)


def test_default_encoder_is_e5_normalised_and_deterministic():
    embedder = make_embedder(DEFAULT_MODEL)
    assert isinstance(embedder, E5Embedder) and embedder.dimension == 384
    vectors = embedder.embed_documents(["对申报单证齐全的出口业务，在20个工作日内完成退税审批", "海关查验场地建设"])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    query = embedder.embed_query("出口退税多久能批下来")
    assert np.array_equal(query, embedder.embed_query("出口退税多久能批下来"))
    assert vectors[0] @ query > vectors[1] @ query


def test_e5_embeds_long_texts_whole_not_cut_at_512_tokens():
    embedder = make_embedder(DEFAULT_MODEL)
    head = "出口信用保险。" * 100
    tail = "海关查验场地。" * 300  # well past 512 tokens: a truncating encoder would not see it
    long, same_head = embedder.embed_documents([head + tail, head])
    assert long @ embedder.embed_query("海关查验场地") > same_head @ embedder.embed_query("海关查验场地")


def test_cross_encoder_matches_english_questions_with_chinese_text():
    encoders = make_encoders()
    assert isinstance(encoders.cross, UseEmbedder)
    vectors = encoders.cross.embed_documents(["出口信用保险", "export credit insurance", "海关查验场地"])
    assert vectors.shape == (3, 512)
    assert vectors[0] @ vectors[1] > 0.75 > vectors[1] @ vectors[2]
    assert make_encoders(cross_model="none").cross is None


def test_default_path_does_not_import_sentence_transformers():
    code = ("import sys; from retrieval.embedders import make_encoders; e = make_encoders(); "
            "e.primary.embed_query('x'); e.cross.embed_query('x'); print('sentence_transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_langchain_adapter():
    embeddings = as_langchain(make_embedder())
    assert len(embeddings.embed_query("海外仓")) == 384
    assert len(embeddings.embed_documents(["海外仓", "跨境电商"])) == 2


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A small BERT with random weights and a WordPiece vocabulary trained on the corpus, saved to disk."""
    from sentence_transformers import SentenceTransformer, models
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    from tests.conftest import CORPUS

    root = tmp_path_factory.mktemp("tiny")
    texts = [p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")]
    wordpiece = BertWordPieceTokenizer(handle_chinese_chars=True, lowercase=True)
    wordpiece.train_from_iterator(texts, vocab_size=3000, min_frequency=1)
    wordpiece.save_model(str(root))
    tokenizer = BertTokenizerFast(vocab_file=str(root / "vocab.txt"))
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=256)
    bert_dir = root / "bert"
    BertModel(config).save_pretrained(bert_dir)
    tokenizer.save_pretrained(bert_dir)
    word = models.Transformer(str(bert_dir), max_seq_length=128)
    model = SentenceTransformer(modules=[word, models.Pooling(word.get_embedding_dimension())], device="cpu")
    path = root / "st-model"
    model.save(str(path))
    return path


def test_sentence_transformers_backend_loads_by_path_indexes_and_searches(tiny_model, tmp_path):
    from app.service import PolicyQA
    from app.settings import Settings
    from tests.conftest import CORPUS

    embedder = make_embedder(str(tiny_model))
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.dimension == 32
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "customs.txt").write_bytes((CORPUS / "sz-customs-business-environment-20.txt").read_bytes())
    qa = PolicyQA(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_model=str(tiny_model),
                           cross_model="none"))
    report = qa.ingest()
    assert report.clauses == 24 and qa.index.info["dimension"] == "32"
    # the stored vectors are the model's: a clause's own indexed text is its nearest neighbour
    index = qa.index
    dense = index.dense[("zh", "primary")]
    passage = int(np.flatnonzero(index.passage_clause["zh"] == index.position_of("customs#5"))[0])
    stored = dense.index.reconstruct(passage)
    ids, scores = dense.search(stored, 1)
    assert ids[0] == passage and scores[0] == pytest.approx(1.0, abs=1e-4)
    # search runs end to end with this model (random weights: the lexical features carry the ranking)
    hits = qa.search("出口锂电池危险货物的包装使用鉴定", k=3)
    assert hits[0].clause.clause_id == "customs#5"


def test_unknown_sentence_transformers_model_is_a_clear_error():
    from ingest.errors import EncoderLoadError

    with pytest.raises(EncoderLoadError, match="cannot load the sentence-transformers model 'no/such-model'"):
        make_embedder("no/such-model")


def test_default_encoder_is_reachable_through_sentence_transformers():
    from sentence_transformers import SentenceTransformer

    from retrieval.st_use import UseModule

    model = SentenceTransformer(modules=[UseModule()], device="cpu")
    texts = ["出口信用保险", "export credit insurance"]
    vectors = model.encode(texts, normalize_embeddings=True)
    assert vectors.shape == (2, 512)
    assert np.allclose(vectors, UseEmbedder().embed_documents(texts), atol=1e-5)
