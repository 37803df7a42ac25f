"""A learned linear map of the primary encoder's vectors of Chinese questions, for the Chinese passages.

    adapter = QueryAdapter.load(Path("retrieval/models/adapter.npz"))
    adapter.model                 -> "intfloat/multilingual-e5-small"
    adapter.apply(vector)         -> vector @ adapter.matrix, unit length again

e5 places a question near the passage that answers it, but legal and policy questions are worded as cases
("名为个体工商户实为合伙，内部纠纷如何认定？") and clauses as rules; a (384 x 384) matrix fitted on real questions and
the articles that answer them (STARD's development set: 400 questions over 40 laws; `policyqa tune ranker`,
eval/adapter_train.py) moves a question's vector towards the wording of rules. It is not fitted on the configured
corpus's own questions, so that it knows no clause of it better than one uploaded later. It is used for Chinese questions against the Chinese passages only (what it was fitted on: for
English questions it lowered the ranker's out-of-fold hit@1) and only with the encoder it was fitted for. It is data in numpy's .npz format read with `allow_pickle=False` (no code runs on load), copied
into every build beside the ranker trained on its cosines, so an index ranks the way it was built to.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.errors import ModelFileError

from .layout import ADAPTER_NAME

MODELS = Path(__file__).resolve().parent / "models"
DEFAULT_ADAPTER = MODELS / ADAPTER_NAME


@dataclass(frozen=True, eq=False)
class QueryAdapter:
    model: str            # the encoder whose question vectors it maps
    matrix: np.ndarray    # (dimension, dimension) float32

    def __post_init__(self) -> None:
        m = self.matrix
        if m.ndim != 2 or m.shape[0] != m.shape[1] or not np.isfinite(m).all():
            raise ValueError(f"the matrix must be square and finite. Currently, its shape is {m.shape}")

    @property
    def dimension(self) -> int:
        return int(self.matrix.shape[0])

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.model.encode() + np.ascontiguousarray(self.matrix).tobytes()).hexdigest()[:16]

    def fits(self, model: str, dimension: int) -> bool:
        """Was it fitted for this encoder?"""
        return model == self.model and dimension == self.dimension

    def apply(self, vector: np.ndarray) -> np.ndarray:
        """The mapped vector, of unit length (a zero result, which no fitted matrix gives, is returned as it was)."""
        mapped = np.asarray(vector, dtype=np.float32) @ self.matrix
        norm = float(np.linalg.norm(mapped))
        return (mapped / norm).astype(np.float32) if norm > 0 else np.asarray(vector, dtype=np.float32)

    @classmethod
    def identity(cls, model: str, dimension: int) -> "QueryAdapter":
        return cls(model, np.eye(dimension, dtype=np.float32))

    @classmethod
    def load(cls, path: Path | None) -> "QueryAdapter | None":
        """The adapter in `path`, or None when there is no file (search then uses the question's own vector)."""
        if path is None or not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                model, matrix = str(data["model"]), np.asarray(data["matrix"], dtype=np.float32)
            return cls(model, matrix)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise ModelFileError(f"{path}: not a question adapter ({exc}); retrain it with `policyqa tune ranker` "
                                 "or remove the file") from exc

    def save(self, path: Path) -> None:
        """Written whole to a temporary file, then renamed into place."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                np.savez(out, model=np.array(self.model), matrix=self.matrix.astype(np.float32))
            os.chmod(tmp, 0o644)  # mkstemp's file is private; a model file is read by whoever serves the index
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
