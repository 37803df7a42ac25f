"""Index builds with a deterministic fake embedder: round trip, incremental re-ingest, atomic swap, model checks."""

import shutil
from pathlib import Path

import pytest

from app.service import PolicyQA
from app.settings import Settings
from ingest.errors import ModelMismatchError, PolicyQAError
from retrieval.builds import IndexDir
from retrieval.loaded import LoadedIndex
from retrieval.embedders import Encoders
from retrieval.ranker import Ranker
from retrieval.searcher import HybridSearcher
from tests.conftest import CORPUS, FakeEmbedder


def _corpus(tmp_path: Path, names: list[str]) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copytree(CORPUS / "resources", corpus / "resources")
    for name in names:
        shutil.copy(CORPUS / f"{name}.txt", corpus / f"{name}.txt")
    return corpus


def _service(tmp_path, corpus, embedder):
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_model=embedder.name)
    return PolicyQA(settings, embedder=embedder)


def test_round_trip_keeps_every_clause(tmp_path):
    corpus = _corpus(tmp_path, ["sz-customs-business-environment-20", "gd-2014-stabilize-trade"])
    qa = _service(tmp_path, corpus, FakeEmbedder())
    report = qa.ingest()
    assert report.clauses == 24 + 29 and not report.errors
    loaded = LoadedIndex.open(IndexDir(tmp_path / "index"))
    assert [c.clause_id for c in loaded.clauses][:5] == [
        "gd-2014-stabilize-trade#p1", "gd-2014-stabilize-trade#p2", "gd-2014-stabilize-trade#p3",
        "gd-2014-stabilize-trade#p4", "gd-2014-stabilize-trade#1.1"]
    c = next(c for c in loaded.clauses if c.clause_id == "gd-2014-stabilize-trade#5.14")
    assert len(c.responsible_by_paragraph) == 2 and c.label == "（十四）"
    dense = loaded.dense[("zh", "primary")]
    assert dense.size == len(loaded.passage_clause["zh"]) >= 53 and dense.kind == "flat"
    assert set(loaded.passage_clause["zh"].tolist()) == set(range(53))
    assert ("zh", "cross") not in loaded.dense  # one encoder given: no cross-lingual index
    assert loaded.documents["gd-2014-stabilize-trade"].issuer == "广东省人民政府办公厅"


def test_reingest_unchanged_does_no_embedding_work(tmp_path):
    corpus = _corpus(tmp_path, ["sz-customs-business-environment-20"])
    embedder = FakeEmbedder()
    qa = _service(tmp_path, corpus, embedder)
    first = qa.ingest()
    assert first.embedded == 24
    calls = embedder.texts_embedded
    again = qa.ingest()
    assert again.unchanged and again.embedded == 0
    assert embedder.texts_embedded == calls
    assert again.build == first.build


def test_changed_document_reembeds_only_changed_clauses_and_removed_document_disappears(tmp_path):
    corpus = _corpus(tmp_path, ["sz-customs-business-environment-20", "gd-2014-stabilize-trade"])
    embedder = FakeEmbedder()
    qa = _service(tmp_path, corpus, embedder)
    qa.ingest()
    path = corpus / "sz-customs-business-environment-20.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("支持前海蛇口自贸片区进口贸易促进创新示范区建设。",
                                                              "支持前海蛇口自贸片区建设。"), encoding="utf-8")
    report = qa.ingest()
    assert report.embedded == 1  # one passage changed; every other vector is reused
    assert report.embedded + report.reused == len(qa.index.passage_clause["zh"])
    assert "支持前海蛇口自贸片区建设。" in qa.clause("sz-customs-business-environment-20#9").text
    (corpus / "gd-2014-stabilize-trade.txt").unlink()
    report = qa.ingest()
    assert report.embedded == 0
    assert {d.doc_id for d in qa.documents()} == {"sz-customs-business-environment-20"}
    hits = qa.search("广东省出口退税审批要在多少个工作日内完成？", k=10)
    assert all(h.clause.doc_id != "gd-2014-stabilize-trade" for h in hits)


def test_failed_ingest_leaves_the_last_good_index(tmp_path):
    corpus = _corpus(tmp_path, ["sz-customs-business-environment-20"])
    qa = _service(tmp_path, corpus, FakeEmbedder())
    good = qa.ingest().build
    (corpus / "sz-customs-business-environment-20.txt").unlink()
    (corpus / "broken.txt").write_bytes(b"\x00\x01binary")
    with pytest.raises(PolicyQAError, match="broken.txt: looks like a binary file"):
        qa.ingest()
    assert IndexDir(tmp_path / "index").current() == good
    assert len(qa.clauses()) == 24


def test_crash_during_build_leaves_the_last_good_index(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path, ["sz-customs-business-environment-20"])
    qa = _service(tmp_path, corpus, FakeEmbedder())
    good = qa.ingest().build
    (corpus / "gd-2014-stabilize-trade.txt").write_bytes((CORPUS / "gd-2014-stabilize-trade.txt").read_bytes())
    import retrieval.writer as writer

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer.DenseIndex, "build", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        qa.ingest()
    index_dir = IndexDir(tmp_path / "index")
    assert index_dir.current() == good
    assert not [p for p in index_dir.builds.iterdir() if p.name.startswith(".tmp-")]


def test_one_unreadable_file_is_reported_and_the_rest_indexed(tmp_path):
    corpus = _corpus(tmp_path, ["sz-customs-business-environment-20"])
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "notes.xyz").write_text("hello", encoding="utf-8")
    report = _service(tmp_path, corpus, FakeEmbedder()).ingest()
    assert report.clauses == 24
    assert any("empty.txt: the file is empty" in e for e in report.errors)
    assert any("notes.xyz: unsupported file type '.xyz'" in e for e in report.errors)


def test_searching_with_another_model_is_a_clear_error(tmp_path):
    corpus = _corpus(tmp_path, ["sz-customs-business-environment-20"])
    _service(tmp_path, corpus, FakeEmbedder()).ingest()
    loaded = LoadedIndex.open(IndexDir(tmp_path / "index"))
    with pytest.raises(ModelMismatchError, match="built with the primary embedding model 'fake-embedder'.*re-run `policyqa ingest`"):
        HybridSearcher(loaded, Encoders(FakeEmbedder(name="other-model")), ranker=Ranker())
    with pytest.raises(ModelMismatchError, match="fingerprint"):
        HybridSearcher(loaded, Encoders(FakeEmbedder(dimension=32)), ranker=Ranker())


def test_the_cross_encoder_is_checked_when_first_used(tmp_path):
    corpus = _corpus(tmp_path, ["sz-customs-business-environment-20"])
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_model="fake-embedder")
    PolicyQA(settings, encoders=Encoders(FakeEmbedder(), FakeEmbedder(name="fake-cross"))).ingest()
    loaded = LoadedIndex.open(IndexDir(tmp_path / "index"))
    with pytest.raises(ModelMismatchError, match="cross embedding model 'fake-cross'"):
        HybridSearcher(loaded, Encoders(FakeEmbedder(), FakeEmbedder(name="other-cross")), ranker=Ranker())
    # same name, other weights: loading succeeds, a Chinese question never touches the cross encoder ...
    wrong = FakeEmbedder(name="fake-cross", dimension=32)
    searcher = HybridSearcher(loaded, Encoders(FakeEmbedder(), wrong), ranker=Ranker())
    assert searcher.search("出口锂电池危险货物的包装", k=3)
    # ... and the first English question finds the mismatch before any vector is used
    with pytest.raises(ModelMismatchError, match="cross embedding model 'fake-cross'.*fingerprint"):
        searcher.search("packaging of lithium batteries for export", k=3)


def test_hnsw_above_threshold(tmp_path):
    corpus = _corpus(tmp_path, ["sz-customs-business-environment-20"])
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_model="fake-embedder", hnsw_above=10)
    qa = PolicyQA(settings, embedder=FakeEmbedder())
    qa.ingest()
    assert qa.index.dense[("zh", "primary")].kind == "hnsw"
    hits = qa.search("出口锂电池危险货物的包装", k=3)
    assert hits[0].clause.clause_id == "sz-customs-business-environment-20#5"
