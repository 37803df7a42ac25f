"""Shared fixtures: the real corpus, a deterministic fake embedder, and a real index built once."""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
# Per-user caches (jieba's prefix dictionary, retrieval/prefixdict.py) go to a folder of this run, not the home folder.
if "XDG_CACHE_HOME" not in os.environ:
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="policyqa-test-cache-")
    atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED_IDS = (
    "gd-2014-stabilize-trade",
    "sz-2022-cross-border-ecommerce",
    "sz-2024-foreign-trade-measures",
    "sz-customs-business-environment-20",
    "sz-trade-integration-draft",
)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch):
    """No POLICYQA_* setting of the developer's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("POLICYQA_"):
            monkeypatch.delenv(name, raising=False)


class FakeEmbedder:
    """Deterministic bag-of-character-bigrams hashing embedder: same text, same vector; shared bigrams, closer."""

    def __init__(self, name: str = "fake-embedder", dimension: int = 64) -> None:
        self.name = name
        self._dimension = dimension
        self.calls = 0
        self.texts_embedded = 0

    @property
    def dimension(self) -> int:
        return self._dimension

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self._dimension, dtype=np.float32)
        for a, b in zip(text, text[1:]):
            v[int(hashlib.md5((a + b).encode()).hexdigest(), 16) % self._dimension] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts_embedded += len(texts)
        return np.vstack([self._one(t) for t in texts]) if texts else np.zeros((0, self._dimension), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._one(text)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def corpus_copy(tmp_path_factory) -> Path:
    """A private copy of the corpus folder (documents, manifest, resources, translations)."""
    target = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture(scope="session")
def settings_factory():
    from app.settings import Settings

    def make(index_dir: Path, corpus_dir: Path = CORPUS, **extra) -> Settings:
        return Settings(index_dir=index_dir, corpus_dir=corpus_dir, **extra)

    return make


@pytest.fixture(scope="session")
def real_service(tmp_path_factory, settings_factory):
    """The PolicyQA service over the real corpus, with the real default embedder (built once per session)."""
    from app.service import PolicyQA

    index_dir = tmp_path_factory.mktemp("index")
    qa = PolicyQA(settings_factory(index_dir))
    report = qa.ingest()
    assert not report.errors, report.errors
    return qa
