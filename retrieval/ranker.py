"""The learned ranking stage: a LightGBM LambdaRank model over candidate features.

    ranker = Ranker.load(Path("retrieval/models/ranker.json"))
    ranker.scores(candidates.matrix)   -> array([2.31, -0.4, …])  (higher is better)

The model is data, trained by `policyqa tune ranker` on the gold train split and the external development
set and committed in two open formats: LightGBM's text model (`ranker.txt`, to retrain or inspect with
LightGBM) and its JSON dump (`ranker.json`, what search loads, see retrieval.trees), with a card
(`ranker.card.json`: training sets, parameters, out-of-fold figures). It is copied into every build, so an
index ranks the way it was built to. Without a model, ranking falls back to plain reciprocal-rank fusion
of the candidate rankings, with no weights to tune.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from ingest.errors import ModelFileError

from .features import FEATURES, INDEX
from .trees import Forest

MODELS = Path(__file__).resolve().parent / "models"
DEFAULT_RANKER = MODELS / "ranker.json"
RANK_FEATURES = ("bm25_zh_rank", "bm25_en_rank", "cos_zh_rank", "cos_en_rank", "cos_x_rank")


class Ranker:
    def __init__(self, forest: Forest | None = None, *, digest: str = "rrf") -> None:
        self._forest = forest
        self.digest = digest

    @classmethod
    def load(cls, path: Path | None) -> "Ranker":
        """The model in `path` (a LightGBM JSON dump); rank fusion without weights when there is none."""
        if path is None or not path.exists():
            return cls()
        raw = path.read_bytes()
        try:
            forest = Forest.from_dump(json.loads(raw))
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelFileError(f"{path}: not a LightGBM model dump ({exc}); retrain it with "
                                "`policyqa tune ranker` or remove the file") from exc
        if forest.feature_names != FEATURES:
            raise ModelFileError(f"{path}: the ranker was trained on other features ({len(forest.feature_names)}) "
                                f"than this version computes ({len(FEATURES)}); retrain it with `policyqa tune ranker`")
        return cls(forest, digest=hashlib.sha256(raw).hexdigest()[:16])

    @property
    def learned(self) -> bool:
        return self._forest is not None

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        if len(matrix) == 0:
            return np.zeros(0, dtype=np.float64)
        if self._forest is not None:
            return self._forest.predict(matrix)
        # reciprocal-rank fusion (k = 0) over every ranking, a clause named by number first
        fused = sum(matrix[:, INDEX[name]] for name in RANK_FEATURES).astype(np.float64)
        return fused + 10.0 * matrix[:, INDEX["lookup"]]
