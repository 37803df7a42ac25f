"""What a question asks of the system rather than of the corpus, learned: advice, whether a document is still in
force, an instruction to the system, or smalltalk (a greeting, thanks, "test", "你是谁？": no question of policy at
all). No clause can answer such a question, so the answer refuses it.

    model = IntentModel.load()
    model.scores("我们该选信保补贴还是展会补贴？")   -> {"advice": 0.98, "in_force": 0.02, "injection": 0.0, "smalltalk": 0.01}
    model.intents("Is the 2014 plan still in force?")  -> frozenset({"in_force"})
    model.intents("谢谢你！")                           -> frozenset({"smalltalk"})
    model.intents("出口退税审批要几个工作日？")          -> frozenset()

A logistic regression per intent (one-vs-rest) over the character n-grams (1 to 4) of the folded question (NFKC,
lower case, simplified script: `Query.folded`) and its English word n-grams (1 and 2). retrieval.asked's patterns
can be three more features (`grams.rules`: measured, not shipped, since a model that has them leans on them and
the patterns were written on the train wording); the shipped model OR-s them instead (`union_rules`). The n-grams
are not hashed: the model file keeps each n-gram that carries a weight, so it reads as data,

    {"classes": ["advice", "in_force", "injection", "smalltalk"], "grams": {"chars": [1, 4], "words": [1, 2], …},
     "weights": {"帮我": [5.6002, -0.3227, -1.7791, -1.4889], "谢谢": [-0.5332, -0.1226, -1.2858, 2.5378], …},
     "intercepts": [-3.3216, -4.5508, -1.8895, 1.4522], "threshold": 0.43, "union_rules": true, "card": {…}}

and a question's features are its n-grams, each 1/sqrt(n) for the n distinct n-grams it has (whether or not the
model knows them), plus 1 for each pattern that matches when `grams.rules`. With `union_rules` the patterns'
intents are taken as they are: the classifier adds intents, never removes one. Fitted by `policyqa tune intents` (eval.intent_train),
which chose the threshold on out-of-fold predictions; no pickle, no scikit-learn at run time.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ingest.errors import ModelFileError

from .asked import intents as rule_intents

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "intents.json"
INTENTS = ("advice", "in_force", "injection", "smalltalk")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass(frozen=True, slots=True)
class Grams:
    """Which features a question has: character n-grams of sizes chars[0]..chars[1], English word n-grams of
    sizes words[0]..words[1] ((0, 0): none), and the hand-written patterns ("rule:advice", …) when `rules`."""

    chars: tuple[int, int] = (1, 4)
    words: tuple[int, int] = (1, 2)
    rules: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.chars[0] <= self.chars[1]:
            raise ValueError(f"chars must be (lo, hi) with 1 <= lo <= hi; got {self.chars}")

    def features(self, folded: str) -> dict[str, float]:
        """features("still valid?") -> {" ": …, "s": …, "st": …, …, "w:still": …, "w:still valid": …}, every
        n-gram 1/sqrt(n); with `rules`, also {"rule:in_force": 1.0}."""
        text = " " + _SPACE.sub(" ", folded).strip() + " "
        found = {text[i:i + n] for n in range(self.chars[0], self.chars[1] + 1) for i in range(len(text) - n + 1)}
        found.discard(" ")
        if self.words[1] > 0:
            words = _WORD.findall(folded)
            found |= {"w:" + " ".join(words[i:i + n]) for n in range(max(self.words[0], 1), self.words[1] + 1)
                      for i in range(len(words) - n + 1)}
        value = 1.0 / math.sqrt(len(found)) if found else 0.0
        out = dict.fromkeys(found, value)
        if self.rules:
            out.update({f"rule:{name}": 1.0 for name in rule_intents(folded)})
        return out

    def to_json(self) -> dict:
        return {"chars": list(self.chars), "words": list(self.words), "rules": self.rules}


@dataclass(frozen=True, slots=True)
class IntentModel:
    grams: Grams
    classes: tuple[str, ...]
    weights: dict[str, tuple[float, ...]] = field(repr=False, compare=False)  # feature -> a weight per class
    intercepts: tuple[float, ...]
    threshold: float                                          # an intent when its probability reaches this
    union_rules: bool = True                                  # the patterns' intents count as they are
    card: dict = field(default_factory=dict, repr=False, compare=False)  # how it was trained: data, figures

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL) -> "IntentModel":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            grams = Grams(tuple(data["grams"]["chars"]), tuple(data["grams"]["words"]), bool(data["grams"]["rules"]))
            classes = tuple(data["classes"])
            weights = {g: tuple(map(float, w)) for g, w in data["weights"].items()}
            model = cls(grams, classes, weights, tuple(map(float, data["intercepts"])), float(data["threshold"]),
                        bool(data.get("union_rules", True)), data.get("card", {}))
        except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ModelFileError(f"{path}: cannot read the intent model ({exc}); "
                                 "retrain it with `policyqa tune intents`") from exc
        if set(classes) - set(INTENTS) or len(model.intercepts) != len(classes) or \
                any(len(w) != len(classes) for w in weights.values()):
            raise ModelFileError(f"{path}: the intent model's classes {classes} do not fit its weights; "
                                 "retrain it with `policyqa tune intents`")
        return model

    def to_json(self) -> dict:
        return {"classes": list(self.classes), "grams": self.grams.to_json(), "threshold": self.threshold,
                "union_rules": self.union_rules, "intercepts": list(self.intercepts), "card": self.card,
                "weights": {g: list(w) for g, w in sorted(self.weights.items())}}

    def scores(self, folded: str) -> dict[str, float]:
        """The probability of each intent for a folded question."""
        z = list(self.intercepts)
        for gram, value in self.grams.features(folded).items():
            w = self.weights.get(gram)
            if w is not None:
                z = [a + value * b for a, b in zip(z, w)]
        return {c: 1.0 / (1.0 + math.exp(-v)) for c, v in zip(self.classes, z)}

    def intents(self, folded: str) -> frozenset[str]:
        """The intents whose probability reaches the threshold, and the patterns' own when `union_rules`."""
        found = {c for c, p in self.scores(folded).items() if p >= self.threshold}
        if self.union_rules:
            found |= rule_intents(folded)
        return frozenset(found)


@lru_cache(maxsize=1)
def default_model() -> IntentModel:
    """The package's model (retrieval/models/intents.json), read once."""
    return IntentModel.load(DEFAULT_MODEL)
