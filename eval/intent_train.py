"""Fit and measure the intent classifier (retrieval.intents) on the train split: `policyqa tune intents`.

    examples = load_examples(select_split(load_gold(), "train"), {"stard-dev": load_gold([stard_queries])})
    card = train_intents(examples, out_path=Path("retrieval/models/intents.json"))
    card["out_of_fold"]["classifier_or_rules"]["recall_by_kind"]  -> {"advice": 0.93, "in-force": 0.87, …}
    card["out_of_fold"]["classifier_or_rules"]["false_positive"]  -> 0.005

Examples: the gold train questions (an unanswerable one of kind advice / in-force / injection is a positive of
its intent, every other question a negative), an external set's questions (real layperson legal questions, all
answerable: negatives, hard ones among them: "我该怎么办？"), and the questions the team wrote for this training
(eval/intent_questions.jsonl: positives of each intent in both scripts, Cantonese, colloquial and English, and
hard negatives that policy or law text does answer: "这项政策的有效期是多久？", "保证合同是否有效？"). The written
questions are training data only, never scored.

Figures are out of fold: gold and external questions fall into folds by id (answer_train.fold_of); each fold is
scored by a model fitted without it (the written questions are in every fold's training data). A question
counts as refused when its intents, as app.answerability.of_the_system reads them, include one the answerability
model refuses (in force only of a document or measure). The threshold is the one of the out-of-fold scores that
refuses most questions of the three kinds (macro) while flagging at most `max_false_positive` of the answerable
gold questions and of each external set: every flagged answerable question is a false refusal.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from app.answerability import of_the_system
from ingest.text import fold
from retrieval.asked import intents as rule_intents
from retrieval.intents import INTENTS, Grams, IntentModel

from .answer_train import SYSTEM_INTENTS, fold_of
from .gold import GoldQuestion

WRITTEN = Path(__file__).resolve().parent / "intent_questions.jsonl"
KIND_INTENT = {"advice": "advice", "in-force": "in_force", "injection": "injection"}
REFUSED = frozenset(SYSTEM_INTENTS)   # Answerability.refuse_intents; of its "no_topic" of_the_system finds none
STYLE_TAGS = ("traditional", "colloquial", "typo", "vocab", "scenario")
C = 16.0           # inverse regularisation of each one-vs-rest logistic regression
MIN_DF = 2         # an n-gram is a feature when at least this many training questions have it
MAX_FALSE_POSITIVE = 0.01
NEVER = -20.0      # the intercept of an intent without training examples: probability 2e-9
PRUNE = 0.05       # weights below this (for every intent) are left out: the same out-of-fold figures, a third of the file


@dataclass(frozen=True, slots=True)
class Example:
    """One training question: Example("una-003", "gold", "这个方案还有效吗?", "in_force", "zh", ("in-force", …), "in-force")."""

    id: str
    source: str              # "gold", an external set's name, or "written"
    folded: str              # ingest.text.fold of the question: what Query.folded holds
    label: str | None        # its intent (retrieval.intents.INTENTS), None for every other question
    lang: str
    tags: tuple[str, ...] = ()
    kind: str | None = None  # a gold question's unanswerable kind, None when answerable


def load_written(path: Path = WRITTEN) -> list[Example]:
    """The team's training questions: {"id": "int-001", "lang": "zh", "question": "…", "intent": "advice"|null}."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            item = json.loads(line)
            if item["intent"] is not None and item["intent"] not in INTENTS:
                raise ValueError(f"{path}:{n}: intent {item['intent']!r} is not one of {INTENTS}")
            out.append(Example(item["id"], "written", fold(item["question"]), item["intent"], item["lang"]))
    return out


def load_examples(gold_train: list[GoldQuestion], external: dict[str, list[GoldQuestion]] | None = None,
                  written: Path | None = WRITTEN) -> list[Example]:
    """Gold train questions (the caller passes the train split only), external sets' questions, written ones."""
    out = [Example(q.id, "gold", fold(q.question), KIND_INTENT.get(q.unanswerable_kind or ""), q.lang, q.tags,
                   q.unanswerable_kind) for q in gold_train]
    for name, questions in (external or {}).items():
        out += [Example(q.id, name, fold(q.question), None, q.lang, q.tags, q.unanswerable_kind) for q in questions]
    return out + (load_written(written) if written is not None else [])


def _matrix(rows: list[dict[str, float]], vocab: dict[str, int]) -> csr_matrix:
    data, cols, ptr = [], [], [0]
    for row in rows:
        for gram, value in row.items():
            if gram in vocab:
                cols.append(vocab[gram])
                data.append(value)
        ptr.append(len(cols))
    return csr_matrix((data, cols, ptr), shape=(len(rows), len(vocab)))


def fit(examples: list[Example], *, grams: Grams = Grams(), c: float = C, min_df: int = MIN_DF,
        threshold: float = 0.5, union_rules: bool = True, prune: float = PRUNE) -> IntentModel:
    """One logistic regression per intent (classes balanced), over the n-grams `min_df` questions share; an
    n-gram whose weights are all below `prune` is left out of the model (its file stays small)."""
    rows = [grams.features(e.folded) for e in examples]
    df = Counter(g for row in rows for g in row)
    vocab = {g: i for i, g in enumerate(sorted(g for g, n in df.items() if n >= min_df or g.startswith("rule:")))}
    X = _matrix(rows, vocab)
    names = sorted(vocab, key=vocab.get)
    coef, intercepts = [], []
    for intent in INTENTS:
        y = np.array([e.label == intent for e in examples], dtype=int)
        if not y.any():  # no example of this intent (a small or old training set): it is never found
            coef.append(np.zeros(len(names)))
            intercepts.append(NEVER)
            continue
        model = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=1000)
        model.fit(X, y)
        coef.append(model.coef_[0])
        intercepts.append(round(float(model.intercept_[0]), 4))
    weights = {g: tuple(round(float(coef[k][j]), 4) for k in range(len(INTENTS))) for j, g in enumerate(names)}
    weights = {g: w for g, w in weights.items() if max(map(abs, w)) >= max(prune, 1e-5)}
    return IntentModel(grams, INTENTS, weights, tuple(intercepts), threshold, union_rules)


def out_of_fold(examples: list[Example], *, folds: int = 5, score_written: bool = False,
                **options) -> list[dict[str, float] | None]:
    """Each scored (gold, external) question's intent probabilities from a model fitted without its fold; None
    for the written questions (unless `score_written`: then they too fall into folds)."""
    scored = [score_written or e.source != "written" for e in examples]
    fold_ids = [fold_of(e.id, folds) if s else -1 for e, s in zip(examples, scored)]
    out: list[dict[str, float] | None] = [None] * len(examples)
    for f in range(folds):
        model = fit([e for e, i in zip(examples, fold_ids) if i != f], **options)
        for n, (e, i) in enumerate(zip(examples, fold_ids)):
            if i == f:
                out[n] = model.scores(e.folded)
    return out


def detected(examples: list[Example], scores: list[dict[str, float] | None], threshold: float | None,
             union_rules: bool) -> list[frozenset[str] | None]:
    """The intents found: classifier scores at `threshold` (None: no classifier), OR the patterns'."""
    out: list[frozenset[str] | None] = []
    for e, s in zip(examples, scores):
        if s is None:
            out.append(None)
            continue
        found = {c for c, p in s.items() if p >= threshold} if threshold is not None else set()
        out.append(frozenset(found | (rule_intents(e.folded) if union_rules else set())))
    return out


def _rate(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def figures(examples: list[Example], found: list[frozenset[str] | None]) -> dict:
    """Refused share of each kind asked of the system, of the other unanswerable kinds, and of answerable
    questions (the false positives: every one a false refusal), by language and style tag, and per external set."""
    refused = [None if f is None else bool(of_the_system(f, e.folded) & REFUSED) for e, f in zip(examples, found)]
    gold = [(e, r) for e, r in zip(examples, refused) if e.source == "gold" and r is not None]
    answerable = [(e, r) for e, r in gold if e.kind is None]
    out = {"recall_by_kind": {k: _rate([r for e, r in gold if e.kind == k]) for k in KIND_INTENT},
           "other_kinds_refused": _rate([r for e, r in gold if e.kind is not None and e.kind not in KIND_INTENT]),
           "false_positive": _rate([r for _, r in answerable]),
           "false_positive_by": {**{f"lang:{lang}": _rate([r for e, r in answerable if e.lang == lang])
                                    for lang in sorted({e.lang for e, _ in answerable})},
                                 **{f"tag:{t}": _rate([r for e, r in answerable if t in e.tags]) for t in STYLE_TAGS}},
           "false_positives": sum(r for _, r in answerable),
           # flagged by the classifier but not by the patterns alone: what the classifier adds
           "added_false_positive": _rate([r and not _by_rules(e) for e, r in answerable])}
    recalls = [v for v in out["recall_by_kind"].values() if v is not None]
    out["macro_recall"] = round(sum(recalls) / len(recalls), 4) if recalls else None
    written = [(e, r) for e, r in zip(examples, refused) if e.source == "written" and r is not None]
    if written:
        out["written"] = {"recall_by_intent": {i: _rate([r for e, r in written if e.label == i]) for i in INTENTS},
                          "false_positive": _rate([r for e, r in written if e.label is None])}
    for name in sorted({e.source for e in examples} - {"gold", "written"}):
        flags = [r for e, r in zip(examples, refused) if e.source == name and r is not None]
        added = [r and not _by_rules(e) for e, r in zip(examples, refused) if e.source == name and r is not None]
        out[name] = {"false_positive": _rate(flags), "false_positives": sum(flags), "questions": len(flags),
                     "added_false_positive": _rate(added)}
    return out


def _by_rules(e: Example) -> bool:
    return bool(of_the_system(rule_intents(e.folded), e.folded) & REFUSED)


def within(figs: dict, max_false_positive: float, *, added: bool) -> bool:
    """Whether the false positives (those the classifier adds to the patterns', when `added`) of the answerable
    gold questions and of each external set are within the bound."""
    key = "added_false_positive" if added else "false_positive"
    rates = [figs[key]] + [v[key] for v in figs.values() if isinstance(v, dict) and "questions" in v]
    return all(r is None or r <= max_false_positive for r in rates)


def choose_threshold(examples: list[Example], scores: list[dict[str, float] | None], *, union_rules: bool,
                     max_false_positive: float = MAX_FALSE_POSITIVE) -> tuple[float, dict]:
    """The threshold (0.05 … 0.99) at which the classifier's own macro recall is best while the false positives
    stay within the bound (with `union_rules`, those it adds to the patterns'), the highest such on a tie (a
    margin for questions unlike the training ones); (1.0, figures) when none is. The recall is the classifier's
    alone even when OR-ed: the patterns were written on the train wording and refuse all of it."""
    best: tuple[float, float, dict] | None = None
    for t in np.round(np.arange(0.05, 1.0, 0.01), 2):
        figs = figures(examples, detected(examples, scores, float(t), union_rules))
        own = figs if not union_rules else figures(examples, detected(examples, scores, float(t), False))
        if within(figs, max_false_positive, added=union_rules) and (best is None or own["macro_recall"] >= best[1]):
            best = (float(t), own["macro_recall"], figs)
    if best is None:
        return 1.0, figures(examples, detected(examples, scores, 1.0, union_rules))
    return best[0], best[2]


def compare(examples: list[Example], *, folds: int = 5, grams: Grams = Grams(), score_written: bool = False,
            **options) -> dict:
    """Out-of-fold figures of the patterns alone, the classifier alone (no pattern features), the classifier with
    the patterns as features, and each classifier OR the patterns, each at its own threshold."""
    alone = out_of_fold(examples, folds=folds, grams=replace(grams, rules=False), score_written=score_written,
                        **options)
    featured = out_of_fold(examples, folds=folds, grams=replace(grams, rules=True), score_written=score_written,
                           **options)
    out = {"rules": {"threshold": None, **figures(examples, detected(examples, alone, None, True))}}
    for name, scores, union in (("classifier", alone, False), ("classifier_or_rules", alone, True),
                                ("classifier_rule_features", featured, False),
                                ("classifier_rule_features_or_rules", featured, True)):
        t, figs = choose_threshold(examples, scores, union_rules=union)
        out[name] = {"threshold": t, **figs}
    return out


def train_intents(examples: list[Example], *, out_path: Path, folds: int = 5, grams: Grams = Grams(rules=False),
                  union_rules: bool = True, c: float = C, min_df: int = MIN_DF,
                  max_false_positive: float = MAX_FALSE_POSITIVE) -> dict:
    """Fit the model on every example at the threshold chosen out of fold; write it; return its card."""
    table = compare(examples, folds=folds, grams=grams, c=c, min_df=min_df)
    # the patterns were written on the gold train wording: every variant that has them refuses all of it, so what
    # decides between the patterns as features and OR-ed is the written questions, scored out of fold too
    # (they share templates across folds: an optimistic figure, but the same for every variant)
    folded_in = compare(examples, folds=folds, grams=grams, c=c, min_df=min_df, score_written=True)
    chosen = ("classifier_rule_features" if grams.rules else "classifier") + ("_or_rules" if union_rules else "")
    threshold = table[chosen]["threshold"]
    model = fit(examples, grams=grams, c=c, min_df=min_df, threshold=threshold, union_rules=union_rules)
    sources = Counter(e.source for e in examples)
    card = {"data": {"questions": dict(sorted(sources.items())),
                     "positives": dict(sorted(Counter(f"{e.source}:{e.label}" for e in examples if e.label).items())),
                     "gold_split": "train", "written": WRITTEN.name},
            "learner": f"one-vs-rest logistic regression (scikit-learn liblinear, C={c}, balanced classes), "
                       f"n-grams shared by >= {min_df} training questions",
            "folds": folds, "max_false_positive": max_false_positive, "deployed": chosen, "threshold": threshold,
            "out_of_fold": table,
            "written_out_of_fold": {name: f["written"] for name, f in folded_in.items()},
            "in_sample": figures(examples, [None if e.source == "written" else
                                            (model.intents(e.folded)) for e in examples])}
    model = replace(model, card=card)
    tmp = out_path.with_suffix(out_path.suffix + ".tmp")
    tmp.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=None, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    tmp.replace(out_path)
    return card


def summary(figs: Iterable[tuple[str, dict]]) -> str:
    """A plain table of out-of-fold figures, one line per variant."""
    lines = []
    for name, f in figs:
        kinds = " ".join(f"{k}={v}" for k, v in f["recall_by_kind"].items())
        ext = " ".join(f"{k}_fp={v['false_positive']}" for k, v in f.items() if isinstance(v, dict) and "questions" in v)
        if "written" in f:
            ext += f" written={f['written']}"
        lines.append(f"{name:36s} t={f['threshold']} {kinds} fp={f['false_positive']} "
                     f"({f['false_positives']}) {f['false_positive_by']} {ext}")
    return "\n".join(lines)
