"""The build layout and its checks: checksums recorded at publish, CURRENT confined to builds/, every kind of
corruption a CorruptIndexError naming the file, and the search side free of the build side's code."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.service import PolicyQA
from app.settings import Settings
from ingest.errors import CorruptIndexError, IndexBusyError, IndexNotFoundError
from retrieval import layout
from retrieval.builds import IndexDir, verify
from retrieval.loaded import LoadedIndex
from tests.conftest import CORPUS, FakeEmbedder, ROOT

DOC = "sz-customs-business-environment-20"


@pytest.fixture
def built(tmp_path) -> IndexDir:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copytree(CORPUS / "resources", corpus / "resources")
    shutil.copy(CORPUS / f"{DOC}.txt", corpus)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_model="fake-embedder")
    PolicyQA(settings, embedder=FakeEmbedder()).ingest()
    return IndexDir(tmp_path / "index")


def test_publish_records_length_and_sha256_of_every_file(built):
    build = built.resolve()
    recorded = json.loads((build / layout.CHECKSUMS).read_text(encoding="utf-8"))
    assert recorded["format"] == layout.FORMAT_VERSION
    on_disk = sorted(p.relative_to(build).as_posix() for p in build.rglob("*")
                     if p.is_file() and p.name != layout.CHECKSUMS)
    assert sorted(recorded["files"]) == on_disk
    assert {layout.DB_NAME, layout.dense_name("zh"), layout.passages_name("zh")} <= set(on_disk)
    assert recorded["files"][layout.DB_NAME]["bytes"] == (build / layout.DB_NAME).stat().st_size
    verify(build)  # a fresh build verifies


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("name, damage, message", [
    (layout.dense_name("zh"), _truncate, "truncated"),
    (layout.DB_NAME, _flip_one_byte, "does not match the checksum"),
    (layout.passages_name("zh"), Path.unlink, "is missing"),
    (layout.CHECKSUMS, Path.unlink, "CHECKSUMS.json is missing"),
])
def test_each_damaged_file_is_named(built, name, damage, message):
    build = built.resolve()
    damage(build / name)
    with pytest.raises(CorruptIndexError, match=message) as caught:
        LoadedIndex.open(built)
    assert name in str(caught.value) and "re-run `policyqa ingest`" in str(caught.value)


def test_a_file_that_checks_out_but_cannot_be_parsed_is_a_corrupt_index(built):
    """Checksums guard against damage after publish; a parser failure (e.g. a build rewritten with fresh
    checksums) still becomes CorruptIndexError naming the file, never a raw FAISS/SQLite error."""
    build = built.resolve()
    (build / layout.dense_name("zh")).write_bytes(b"not a faiss index")
    from retrieval.builds import record_checksums

    record_checksums(build)
    with pytest.raises(CorruptIndexError, match=r"dense_zh\.faiss cannot be loaded"):
        LoadedIndex.open(built)


@pytest.mark.parametrize("pointer", ["../../etc", "/tmp", "builds/../../x", "", "20990101T000000-abcd"])
def test_current_must_name_a_build_inside_the_index(built, pointer):
    built.pointer.write_text(pointer + "\n", encoding="utf-8")
    with pytest.raises(CorruptIndexError, match="CURRENT|missing"):
        built.resolve()
    assert built.current() is None  # the build side starts afresh instead of reading it
    with pytest.raises(CorruptIndexError):
        LoadedIndex.open(built)


def test_no_pointer_is_no_index(tmp_path):
    with pytest.raises(IndexNotFoundError, match="run `policyqa ingest` first"):
        IndexDir(tmp_path / "index").resolve()


def test_an_ingest_over_a_corrupt_build_rebuilds_it(built, tmp_path):
    _truncate(built.resolve() / layout.dense_name("zh"))
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=built.root, embedding_model="fake-embedder")
    report = PolicyQA(settings, embedder=FakeEmbedder()).ingest()
    # rebuilt, not declared unchanged; the vectors come from its database, which still matches its checksum
    assert not report.unchanged and report.embedded == 0 and report.reused > 0
    assert len(LoadedIndex.open(built).clauses) == report.clauses


def test_vectors_are_not_reused_from_a_damaged_database(built, tmp_path):
    path = built.resolve() / layout.DB_NAME
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF  # one flipped byte: the recorded checksum no longer matches
    path.write_bytes(bytes(data))
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=built.root, embedding_model="fake-embedder")
    report = PolicyQA(settings, embedder=FakeEmbedder()).ingest()
    assert not report.unchanged and report.embedded > 0 and report.reused == 0


def test_the_lock_says_busy(built):
    with built.lock():
        assert built.busy()
        with pytest.raises(IndexBusyError, match="another ingest is writing"):
            with built.lock():
                pass
    assert not built.busy()


def test_build_info_records_the_format_version(built):
    loaded = LoadedIndex.open(built)
    assert loaded.info["format_version"] == layout.FORMAT_VERSION
    loaded.close()


def test_the_search_side_does_not_import_the_build_side():
    """Loading and searching a build needs only the layout module; importing the indexer no longer hashes the
    source files (editing searcher.py must not force a re-parse of the corpus)."""
    code = ("import sys, retrieval.loaded, retrieval.searcher, retrieval.builds; "
            "print('retrieval.indexer' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
    source = (ROOT / "retrieval" / "indexer.py").read_text(encoding="utf-8")
    assert "_code_version" not in source and "PARSER_VERSION" not in source
