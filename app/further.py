"""Which other retrieved clauses also apply, once a question is answered: the measures of a scenario or a comparison
beyond the one that answers best.

    further = FurtherClauses.load()
    matrix, probabilities = answerability.judged(query, hits)           # rows of ANSWER_FEATURES
    further.probabilities(query, matrix, margins=[p - threshold for p in probabilities], chosen=[0],
                          docs=[h.document.doc_id for h in hits])
        -> [0.0, 0.41, 0.03, 0.27, 0.02]    # hit 0 is cited already; hit 1 also applies if 0.41 >= further.threshold

The answerability model judges each clause on its own: does it answer the question? A scenario ("我们是做储能电池
出口的，深圳有什么支持？") or a comparison ("分别怎么支持海外仓？") is answered by several clauses, and the second and
third of them answer less of the question alone, so they fall below the answerability threshold. This logistic
model sees what that one does not: that the question is answered already, how the clause compares with the
cited ones (its probability's margin, its rank, whether it is of the same document), and whether the question
asks for several things (a list, "分别", "both", an exporter describing their business). Fitted on the gold train
split with every clause of each question's evidence as a positive, on the answerability probabilities of the nested
folds (eval.further_train; `policyqa tune answerability` writes it beside the answerability model); the threshold
is the lowest at which the clauses it added were at least MIN_PRECISION relevant out of fold. Saved as JSON
(coefficients, standardisation, threshold, card): no pickle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retrieval.asked import asks_several, describes_self, lists_measures
from retrieval.query import Query

from .answerability import ANSWER_FEATURES, JUDGED_HITS, logistic_scores, read_model_file

DEFAULT_FURTHER = Path(__file__).resolve().parent / "models" / "further.json"
MIN_PRECISION = 1 / 3  # of the clauses the threshold adds, out of fold: at least one in three holds evidence
_HIT = ("raw", "raw_gap", "rank_recip", "coverage", "coverage_exp", "cos_zh", "cos_en", "cos_x", "missing_rare",
        "kind_annex_row", "kind_unnumbered", "miss_w", "en_miss_w", "states_asked")
FURTHER_FEATURES = ("margin", "below_best", "rank", "log_rank", "same_doc", "cited_n",
                    "lists", "several", "self_described", "is_en", *_HIT)
_COLUMN = {name: i for i, name in enumerate(ANSWER_FEATURES)}


def cited_rows(probabilities: Sequence[float], threshold: float, bar: float = MIN_PRECISION) -> list[int]:
    """The hits the answerability model cites on its own judgement: the likeliest one if it reaches the threshold
    (which decides whether to answer at all), any other only if it also reaches `bar` (cited beside the best, a
    clause should hold evidence at least as often as this model's additions do):
    cited_rows([0.4, 0.12, 0.6], 0.1) -> [0, 2]."""
    likeliest = max(range(len(probabilities)), key=lambda r: probabilities[r], default=-1)
    return [r for r, p in enumerate(probabilities) if p >= threshold and (r == likeliest or p >= bar)]


def further_features(query: Query, matrix: np.ndarray, margins: Sequence[float], chosen: Sequence[int],
                     docs: Sequence[str]) -> np.ndarray:
    """One row of FURTHER_FEATURES per hit. `margins`: each hit's answerability probability minus the threshold
    (>= 0 for the cited ones); `chosen`: the positions of the hits cited already; `docs`: each hit's document id.
    Rows of chosen hits are computed too (and ignored by the caller)."""
    out = np.zeros((len(matrix), len(FURTHER_FEATURES)))
    if not len(matrix) or not chosen:
        return out
    best = max(chosen, key=lambda r: margins[r])
    question = (float(lists_measures(query.folded)), float(asks_several(query.folded)),
                float(describes_self(query.folded)), float(query.language == "en"))
    for r in range(len(matrix)):
        out[r] = (margins[r], margins[r] - margins[best], r, np.log1p(r), float(docs[r] == docs[best]), len(chosen),
                  *question, *(matrix[r, _COLUMN[n]] for n in _HIT))
    return out


@dataclass(frozen=True)
class FurtherClauses:
    coef: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float
    card: dict = field(default_factory=dict, compare=False)

    @classmethod
    def load(cls, path: Path = DEFAULT_FURTHER) -> "FurtherClauses":
        data = read_model_file(path, "the further-clauses model", FURTHER_FEATURES)
        return cls(tuple(data["coef"]), float(data["intercept"]), tuple(data["mean"]), tuple(data["scale"]),
                   float(data["threshold"]), data.get("card", {}))

    def to_json(self) -> dict:
        return {"features": list(FURTHER_FEATURES), "coef": list(self.coef), "intercept": self.intercept,
                "mean": list(self.mean), "scale": list(self.scale), "threshold": self.threshold, "card": self.card}

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return logistic_scores(rows, self.coef, self.intercept, self.mean, self.scale)

    def probabilities(self, query: Query, matrix: np.ndarray, margins: Sequence[float], chosen: Sequence[int],
                      docs: Sequence[str]) -> list[float]:
        """P(hit r also holds evidence) for every hit not chosen (0.0 for the chosen ones, when none is, and beyond
        the JUDGED_HITS the model is fitted on)."""
        if not chosen:
            return [0.0] * len(matrix)
        p = self.scores(further_features(query, matrix, margins, chosen, docs))
        return [0.0 if r in chosen or r >= JUDGED_HITS else round(float(v), 4) for r, v in enumerate(p)]
