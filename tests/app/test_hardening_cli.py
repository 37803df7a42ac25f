"""The CLI on a corrupt index and a full disk: one sentence naming the file and what to do, never a traceback."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from eval.fixtures import remove_passage_map, truncate_dense, zero_sqlite_header
from retrieval.builds import IndexDir
from retrieval.embedders import Encoders
from tests.app.hardening_helpers import indexed_copy
from tests.conftest import FakeEmbedder, ROOT

POLICYQA = str(Path(sys.executable).parent / "policyqa")


def run(args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYQA_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([POLICYQA, *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("damage, named", [
    (truncate_dense, "dense_zh.faiss"),
    (zero_sqlite_header, "corpus.sqlite"),
    (remove_passage_map, "passages_zh.npy"),
    ("outside", "CURRENT"),
])
def test_a_corrupt_index_is_one_sentence(tmp_path, damage, named):
    indexed_copy(tmp_path)
    index = IndexDir(tmp_path / "index")
    if damage == "outside":
        index.pointer.write_text("../../../../etc\n", encoding="utf-8")
    else:
        damage(index.resolve())
    out = run(["clauses", "--json", "--index-dir", str(index.root)])
    assert out.returncode == 1, out.stderr
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert lines[0].startswith("error: ") and named in lines[0] and "re-run `policyqa ingest`" in lines[0]


def test_a_full_disk_is_one_sentence(tmp_path, monkeypatch, capsys):
    indexed_copy(tmp_path)
    (tmp_path / "corpus" / "extra.txt").write_text("宁波市办法\n\n一、对企业给予补贴。\n", encoding="utf-8")
    import app.cli as cli
    import app.service as service

    def no_space(file, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(file))

    monkeypatch.setattr(service, "make_encoders", lambda *a, **k: Encoders(FakeEmbedder()))
    monkeypatch.setattr(np, "save", no_space)
    monkeypatch.setattr(sys, "argv", ["policyqa", "ingest", "--index-dir", str(tmp_path / "index")])
    monkeypatch.setenv("POLICYQA_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("POLICYQA_EMBEDDING_MODEL", "fake-embedder")
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 74
    err = capsys.readouterr().err.strip().splitlines()
    message = [line for line in err if line.startswith("error:")]
    assert len(message) == 1 and "Traceback" not in "\n".join(err)
    assert "the disk is full" in message[0] and "passages_zh.npy" in message[0]
    assert "last good index is still in place" in message[0]
    assert IndexDir(tmp_path / "index").last_good() is not None  # and it is


def test_search_dates_must_be_yyyy_mm_dd(tmp_path):
    indexed_copy(tmp_path)
    out = run(["search", "出口", "--from", "20240101", "--index-dir", str(tmp_path / "index")])
    assert out.returncode == 1 and "--from '20240101' is not a date in the form YYYY-MM-DD" in out.stderr
