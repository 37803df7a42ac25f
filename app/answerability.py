"""Does this clause answer this question? A calibrated probability, from features of the question and the clause.

    model = Answerability.load(Path("app/models/answerability.json"))
    model.probabilities(query, hits)  -> [0.93, 0.41, 0.05, …]   (one per retrieved clause)
    model.threshold                   -> 0.5  (one operating point, the same for every language)

A logistic regression over ANSWER_FEATURES, fitted by `policyqa tune answerability` on the gold train split
(answerable questions: the clauses that hold the evidence are positives; near-misses of every kind give
negatives), stored as JSON coefficients. The old regex gates (another jurisdiction, a figure of the asked
kind not stated, a year not spoken of) survive as features the model weighs, not as vetoes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.errors import PolicyQAError
from retrieval.asked import states
from retrieval.query import Query
from retrieval.searcher import Hit

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "answerability.json"
ASKED = ("days", "date", "percent", "money", "count", "agency")
HIT_FEATURES = ("coverage", "missing_rare", "coverage_exp", "coverage_title", "cos_zh", "cos_en", "cos_x",
                "lookup", "ref_number", "place_ok", "years_ok", "kind_unnumbered", "kind_annex_row", "doc_hint",
                "place_same", "place_inside", "place_other")
ANSWER_FEATURES = (
    "raw", "raw_gap", "raw_next_gap", "rank_recip", *HIT_FEATURES,
    "asked_any", *(f"asked_{a}" for a in ASKED), "states_asked",
    "is_en", "traditional", "has_places", "has_years",
    "intent_in_force", "intent_advice", "intent_injection",
)


def features(query: Query, hits: list[Hit]) -> np.ndarray:
    """One row of ANSWER_FEATURES per retrieved hit, best first."""
    out = np.zeros((len(hits), len(ANSWER_FEATURES)), dtype=np.float64)
    if not hits:
        return out
    top = hits[0].raw
    col = {name: i for i, name in enumerate(ANSWER_FEATURES)}
    for r, hit in enumerate(hits):
        f = out[r]
        f[col["raw"]] = hit.raw
        f[col["raw_gap"]] = hit.raw - top
        f[col["raw_next_gap"]] = hit.raw - hits[r + 1].raw if r + 1 < len(hits) else 1.0
        f[col["rank_recip"]] = 1.0 / (1 + r)
        for name in HIT_FEATURES:
            f[col[name]] = hit.feature(name)
        f[col["asked_any"]] = query.asked is not None
        for a in ASKED:
            f[col[f"asked_{a}"]] = query.asked == a
        if query.asked is None:
            f[col["states_asked"]] = 1.0
        elif query.asked == "agency":
            f[col["states_asked"]] = bool(hit.clause.responsible) or states("agency", hit.clause.text)
        else:
            f[col["states_asked"]] = states(query.asked, hit.clause.text)
        f[col["is_en"]] = query.language == "en"
        f[col["traditional"]] = query.script == "traditional"
        f[col["has_places"]] = bool(query.places)
        f[col["has_years"]] = bool(query.years)
        for intent in ("in_force", "advice", "injection"):
            f[col[f"intent_{intent}"]] = intent in query.intents
    return out


@dataclass(frozen=True, slots=True)
class Answerability:
    coef: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]     # standardisation the model was fitted with
    scale: tuple[float, ...]
    threshold: float            # cite a clause when its probability reaches this
    card: dict                  # how it was trained: split, counts, date, figures

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL) -> "Answerability":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise PolicyQAError(f"{path}: cannot read the answerability model ({exc}); "
                                "retrain it with `policyqa tune answerability`") from exc
        if tuple(data.get("features", ())) != ANSWER_FEATURES:
            raise PolicyQAError(f"{path}: the answerability model was fitted on other features than this version "
                                "computes; retrain it with `policyqa tune answerability`")
        return cls(tuple(data["coef"]), float(data["intercept"]), tuple(data["mean"]), tuple(data["scale"]),
                   float(data["threshold"]), data.get("card", {}))

    def to_json(self) -> dict:
        return {"features": list(ANSWER_FEATURES), "coef": list(self.coef), "intercept": self.intercept,
                "mean": list(self.mean), "scale": list(self.scale), "threshold": self.threshold, "card": self.card}

    def probabilities(self, query: Query, hits: list[Hit]) -> list[float]:
        if not hits:
            return []
        x = (features(query, hits) - np.array(self.mean)) / np.array(self.scale)
        z = x @ np.array(self.coef) + self.intercept
        return [round(1.0 / (1.0 + math.exp(-v)), 4) for v in z]
