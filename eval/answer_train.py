"""Fit and judge the answerability model: out-of-fold probabilities, calibration, one threshold, figures per kind.

    examples = [answer_set(ts, k=10) for ts in sets]          # or answer_set_from(cache, qa) without searching
    oof = out_of_fold(examples, fit_gbm, folds=5)             # per set, per question: P per hit
    calibrator = isotonic(examples, oof)                      # raw score -> probability, as data
    decide(examples, calibrate(oof), threshold=0.5)
        -> {"gold-train": {"refusal": 0.93, "refusal_by_kind": {"advice": 1.0, …}, "false_refusal": 0.02,
                           "false_refusal_by": {"lang:zh": 0.03, "tag:colloquial": 0.0, …}, "answered_right": 0.9}, …}

A question is refused when none of its first `answer_k` hits (what the app sees: settings.k) reaches the
threshold; an answerable one is answered right when a cited hit holds an evidence quote. Folds are by a hash of
the question id, as for the ranker, so every question's probabilities come from a model that never saw it.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import lightgbm
import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from app.answerability import ANSWER_FEATURES, JUDGED_HITS, Answerability, CorpusScope, features as answer_features, system_intents
from retrieval.query import Query
from retrieval.searcher import Hit

from .gold import GoldQuestion

STYLES = ("traditional", "colloquial", "vocab", "scenario", "typo")
GBM_PARAMS = {
    "objective": "binary", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 20,
    "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0, "verbosity": -1,
    "deterministic": True, "force_row_wise": True, "num_threads": 1, "seed": 7,
}
GBM_ROUNDS = 300


@dataclass
class AnswerSet:
    """The top-k retrieved clauses of every question of one set, with their answer features and 0/1 labels."""

    name: str
    questions: list[GoldQuestion]
    queries: list[Query]
    hits: list[list[Hit]]
    matrices: list[np.ndarray]
    labels: list[np.ndarray]    # 1: the clause holds an evidence quote of an answerable question


def label_hits(q: GoldQuestion, hits: list[Hit]) -> np.ndarray:
    return np.array([bool(q.answerable) and any(e.covered_by(h.clause.text) for e in q.evidence) for h in hits],
                    dtype=np.int32)


def build_set(name: str, questions: list[GoldQuestion], queries: list[Query], hits: list[list[Hit]],
              scope: CorpusScope | None = None) -> AnswerSet:
    """The questions that retrieved something, follow-ups left out: the app judges those on the query the
    conversation resolves (the previous topic carried over), not on their words alone as searched here.
    `scope`: the places of the set's corpus (CorpusScope.of(index.documents.values()))."""
    keep = [i for i, h in enumerate(hits) if h and not questions[i].history]
    qs, qq, hh = [questions[i] for i in keep], [queries[i] for i in keep], [hits[i] for i in keep]
    return AnswerSet(name, qs, qq, hh, [answer_features(q, h, scope) for q, h in zip(qq, hh)],
                     [label_hits(q, h) for q, h in zip(qs, hh)])


def fold_of(question_id: str, folds: int, salt: str = "") -> int:
    """The fold of a question (all its hits go together); another `salt` gives an independent partition, for the
    inner folds of a nested cross-validation (the outer fold's hash would leave one inner fold empty)."""
    return int(hashlib.sha256((salt + question_id).encode()).hexdigest(), 16) % folds


def subset(s: AnswerSet, keep: list[bool]) -> AnswerSet:
    """The questions of `s` where `keep` is true, in order."""
    return AnswerSet(s.name, *([x for x, k in zip(col, keep) if k] for col in
                               (s.questions, s.queries, s.hits, s.matrices, s.labels)))


def question_weights(sets: list[AnswerSet], unanswerable_weight: float) -> list[np.ndarray]:
    """Row weights per question: every row of an unanswerable question counts `unanswerable_weight` times."""
    return [np.full(len(lab), unanswerable_weight if not q.answerable else 1.0)
            for s in sets for q, lab in zip(s.questions, s.labels)]


# ---------------------------------------------------------------- learners: (X, y, w) -> score function

LOGISTIC_C = 0.5


def logistic(X: np.ndarray, y: np.ndarray, w: np.ndarray,
             C: float = LOGISTIC_C) -> tuple[LogisticRegression, np.ndarray, np.ndarray]:
    mean_, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=5000)  # lbfgs: deterministic
    model.fit((X - mean_) / scale, y, sample_weight=w)
    return model, mean_, scale


def fit_logistic(X: np.ndarray, y: np.ndarray, w: np.ndarray, C: float = LOGISTIC_C):
    model, mean_, scale = logistic(X, y, w, C)
    return lambda M: model.predict_proba((M - mean_) / scale)[:, 1]


def gbm_booster(X: np.ndarray, y: np.ndarray, w: np.ndarray, params: dict | None = None,
                rounds: int = GBM_ROUNDS) -> lightgbm.Booster:
    names = list(ANSWER_FEATURES) if X.shape[1] == len(ANSWER_FEATURES) else "auto"
    data = lightgbm.Dataset(X, y, weight=w, feature_name=names, free_raw_data=False)
    return lightgbm.train(params or GBM_PARAMS, data, num_boost_round=rounds)


def fit_gbm(X: np.ndarray, y: np.ndarray, w: np.ndarray, params: dict | None = None, rounds: int = GBM_ROUNDS):
    booster = gbm_booster(X, y, w, params, rounds)
    return lambda M: booster.predict(M, num_threads=1)


def out_of_fold(sets: list[AnswerSet], fit, *, folds: int = 5, unanswerable_weight: float = 1.0,
                columns: list[int] | None = None, top: int | None = None, salt: str = "") -> list[list[np.ndarray]]:
    """Per set, per question: the scores of its hits from a model fitted on the other folds of every set
    (on each question's first `top` hits only, when given: the ones the app decides on)."""
    cols = columns if columns is not None else list(range(len(ANSWER_FEATURES)))
    rows = [(s_i, q_i) for s_i, s in enumerate(sets) for q_i in range(len(s.questions))]
    weights = question_weights(sets, unanswerable_weight)
    out: list[list[np.ndarray]] = [[np.zeros(0)] * len(s.questions) for s in sets]
    for fold in range(folds):
        train = [(r, w) for r, w in zip(rows, weights) if fold_of(sets[r[0]].questions[r[1]].id, folds, salt) != fold]
        X = np.vstack([sets[s].matrices[q][:top, cols] for (s, q), _ in train])
        y = np.concatenate([sets[s].labels[q][:top] for (s, q), _ in train])
        w = np.concatenate([w[:top] for _, w in train])
        score = fit(X, y, w)
        for s, q in rows:
            if fold_of(sets[s].questions[q].id, folds, salt) == fold:
                out[s][q] = score(sets[s].matrices[q][:, cols])
    return out


# ---------------------------------------------------------------- calibration

def isotonic(sets: list[AnswerSet], scores: list[list[np.ndarray]],
             top: int | None = None) -> tuple[list[float], list[float]]:
    """Isotonic map raw score -> observed share of evidence-holding clauses, as (x, y) knots for np.interp."""
    x = np.concatenate([p[:top] for per_q in scores for p in per_q])
    y = np.concatenate([lab[:top] for s in sets for lab in s.labels]).astype(float)
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(x, y)
    return [float(v) for v in iso.X_thresholds_], [float(v) for v in iso.y_thresholds_]


def cross_calibrated(sets: list[AnswerSet], scores: list[list[np.ndarray]], *, folds: int = 5,
                     top: int | None = None, salt: str = "") -> list[list[np.ndarray]]:
    """Each question's scores calibrated by isotonic regression fitted on the other folds' questions only: what
    an honest reliability curve is drawn from (calibrating on the same scores would put it on the diagonal)."""
    out: list[list[np.ndarray]] = [[np.zeros(0)] * len(s.questions) for s in sets]
    for fold in range(folds):
        held = [[fold_of(q.id, folds, salt) == fold for q in s.questions] for s in sets]
        rest_sets = [subset(s, [not h for h in hs]) for s, hs in zip(sets, held)]
        rest_scores = [[p for p, h in zip(per_q, hs) if not h] for per_q, hs in zip(scores, held)]
        knots = isotonic(rest_sets, rest_scores, top=top)
        for s_i, hs in enumerate(held):
            for q_i, h in enumerate(hs):
                if h:
                    out[s_i][q_i] = apply_knots(knots, [[scores[s_i][q_i]]])[0][0]
    return out


def apply_knots(knots: tuple[list[float], list[float]], scores: list[list[np.ndarray]]) -> list[list[np.ndarray]]:
    xs, ys = np.array(knots[0]), np.array(knots[1])
    return [[np.interp(p, xs, ys) for p in per_q] for per_q in scores]


def reliability(sets: list[AnswerSet], probs: list[list[np.ndarray]], bins: int = 10,
                top: int | None = None) -> list[dict]:
    p_all = np.concatenate([p[:top] for per_q in probs for p in per_q])
    y_all = np.concatenate([lab[:top] for s in sets for lab in s.labels])
    edges = np.linspace(0, 1, bins + 1)
    curve = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (p_all >= lo) & (p_all < hi if hi < 1 else p_all <= hi)
        if inside.any():
            curve.append({"bin": f"{lo:.1f}-{hi:.1f}", "mean_predicted": round(float(p_all[inside].mean()), 4),
                          "observed": round(float(y_all[inside].mean()), 4), "count": int(inside.sum())})
    return curve


# ---------------------------------------------------------------- decisions

def decide(sets: list[AnswerSet], probs: list[list[np.ndarray]], threshold: float, answer_k: int = 5) -> dict:
    """Figures per set at one threshold: refusal of unanswerable questions (overall, per kind), false refusal of
    answerable ones (overall, per language and style tag), and answered right (a cited hit holds evidence)."""
    out = {}
    for s, per_q in zip(sets, probs):
        refused_un: dict[str, list[bool]] = {}
        refused_ans: dict[str, list[bool]] = {}
        right = []
        for q, p, lab in zip(s.questions, per_q, s.labels):
            cited = p[:answer_k] >= threshold
            refused = not cited.any()
            if q.answerable:
                right.append(bool(cited.any() and lab[:answer_k][cited].any()))
                for g in ["all", f"lang:{q.lang}"] + [f"tag:{t}" for t in q.tags if t in STYLES]:
                    refused_ans.setdefault(g, []).append(refused)
            else:
                for g in ("all", q.unanswerable_kind):
                    refused_un.setdefault(g, []).append(refused)
        share = lambda v: round(sum(v) / len(v), 4) if v else None  # noqa: E731
        out[s.name] = {
            "refusal": share(refused_un.get("all", [])),
            "refusal_by_kind": {k: share(v) for k, v in sorted(refused_un.items()) if k != "all"},
            "false_refusal": share(refused_ans.get("all", [])),
            "false_refusal_by": {k: share(v) for k, v in sorted(refused_ans.items()) if k != "all"},
            "answered_right": share(right),
        }
    return out


def objective(figures: dict) -> float:
    """What the threshold maximises: the mean of the gold train set's refusal (macro over kinds, so a small kind
    counts as much as a large one) and its non-refusal of answerable questions (the worse language), together with
    every answerable-only set's non-refusal. A balanced accuracy in which no language and no kind can hide."""
    parts = []
    for f in figures.values():
        if f["refusal"] is not None:
            kinds = list(f["refusal_by_kind"].values())
            parts.append(sum(kinds) / len(kinds))
            langs = [v for k, v in f["false_refusal_by"].items() if k.startswith("lang:")]
            parts.append(1 - max(langs, default=f["false_refusal"] or 0.0))
        elif f["false_refusal"] is not None:
            parts.append(1 - f["false_refusal"])
    return sum(parts) / len(parts) if parts else 0.0


MAX_FALSE_REFUSAL = 0.03       # per language, on the gold set (the target)
# The threshold is chosen on the same out-of-fold scores it is judged on, so the false refusal it is chosen at is
# optimistic: nested on the train split (957 questions, before train-*-2), a threshold chosen for <= 0.03 per language refused 0.038 of the English
# questions it had not seen. Chosen for <= 0.025, the nested figures were English 0.029, Chinese 0.006 (refusal of
# near-misses 0.60, against 0.61 without the margin): the margin is what keeps unseen questions within the target.
SELECTION_MARGIN = 0.005
FALSE_REFUSAL_BOUND = round(MAX_FALSE_REFUSAL - SELECTION_MARGIN, 6)  # what the threshold is chosen within
MAX_EXTERNAL_REFUSAL = 0.10    # on a set whose every question is answerable


def within_targets(figures: dict) -> bool:
    for f in figures.values():
        if f["refusal"] is not None:
            if any(v > FALSE_REFUSAL_BOUND for k, v in f["false_refusal_by"].items() if k.startswith("lang:")):
                return False
        elif f["false_refusal"] is not None and f["false_refusal"] > MAX_EXTERNAL_REFUSAL:
            return False
    return True


def macro_refusal(figures: dict) -> float:
    kinds = [v for f in figures.values() if f["refusal"] is not None for v in f["refusal_by_kind"].values()]
    return sum(kinds) / len(kinds) if kinds else 0.0


def choose_threshold(sets: list[AnswerSet], probs: list[list[np.ndarray]], answer_k: int = 5) -> tuple[float, dict]:
    """The threshold that refuses most near-misses (macro over kinds) while false refusal stays within the targets
    (every language of the gold set, every answerable-only set); when none does, the one maximising `objective`;
    of several that do equally well, the middle of their widest run (`_plateau_middle`).
    One threshold for every language: the model's probabilities are what differ, not the bar."""
    grid = [round(v, 2) for v in np.arange(0.05, 0.96, 0.01)]
    scored = [(t, decide(sets, probs, t, answer_k)) for t in grid]
    allowed = [(t, f) for t, f in scored if within_targets(f)]
    if allowed:
        key = lambda f: (round(macro_refusal(f), 6), round(objective(f), 6))  # noqa: E731
    else:
        allowed, key = scored, lambda f: (round(objective(f), 6),)  # noqa: E731
    best = max(key(f) for _, f in allowed)
    return _plateau_middle(scored, {t for t, f in allowed if key(f) == best})


def _plateau_middle(scored: list[tuple[float, dict]], best: set[float]) -> tuple[float, dict]:
    """The middle of the widest run of neighbouring thresholds that all score best: the decision changes for
    no training question anywhere in the run, so its middle leaves the most room on both sides for questions
    the model has not seen (an end of the run sits just beside a training question's probability)."""
    runs: list[list[int]] = []
    for i, (t, _) in enumerate(scored):
        if t in best:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
    widest = max(runs, key=len)
    return scored[widest[len(widest) // 2]]


# ---------------------------------------------------------------- the shipped recipe

ANSWER_K = JUDGED_HITS     # hits the app judges: trained, calibrated and decided on these
# chosen by nested_out_of_fold on the train split (see the model card): C 0.5 -> 0.05 (stronger regularisation:
# the weights spread over the few features that carry over), near-misses weighted 5 times (111 of them against
# 430 + 400 answerable questions), questions asked of the system ruled out before the model
UNANSWERABLE_WEIGHT = 5.0
SHIPPED_C = 0.05
SYSTEM_INTENTS = ("advice", "in_force_document", "injection", "no_topic", "smalltalk")


@dataclass(frozen=True)
class Recipe:
    """How a model is fitted: the logistic regression's inverse regularisation `C`, the near-miss weight, and
    (for experiments) the columns of ANSWER_FEATURES it may use; the others get coefficient 0."""

    C: float = SHIPPED_C
    unanswerable_weight: float = UNANSWERABLE_WEIGHT
    columns: tuple[int, ...] | None = None
    # questions asked of the system get probability 0 before the model (Answerability.refuse_intents); the
    # model is fitted on the other questions, and thresholds are chosen on all
    refuse_intents: tuple[str, ...] = SYSTEM_INTENTS


def _design(sets: list[AnswerSet], weights: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = np.vstack([m[:ANSWER_K] for s in sets for m in s.matrices])
    y = np.concatenate([lab[:ANSWER_K] for s in sets for lab in s.labels])
    w = np.concatenate([v[:ANSWER_K] for v in weights])
    return X, y, w


def fit_answerability(sets: list[AnswerSet], *, k: int, folds: int = 5, recipe: Recipe = Recipe(),
                      salt: str = "", card: bool = True) -> Answerability:
    """Logistic regression on the first ANSWER_K hits of every question (near-misses weighted), isotonic
    calibration and the threshold chosen on out-of-fold scores, then the model refitted on everything.
    Deterministic: the same examples give the same model. `salt` picks the fold partition (nested_out_of_fold
    passes its own, so that inner folds are not the outer ones)."""
    cols = list(recipe.columns) if recipe.columns is not None else list(range(len(ANSWER_FEATURES)))
    fit = lambda X, y, w: fit_logistic(X, y, w, recipe.C)  # noqa: E731
    ruled = [[bool(recipe.refuse_intents) and bool(system_intents(q) & set(recipe.refuse_intents))
              for q in s.queries] for s in sets]
    all_sets, sets = sets, [subset(s, [not r for r in rs]) for s, rs in zip(sets, ruled)]
    raw = out_of_fold(sets, fit, folds=folds, unanswerable_weight=recipe.unanswerable_weight, top=ANSWER_K,
                      columns=cols, salt=salt)
    knots = isotonic(sets, raw, top=ANSWER_K)
    probs = [iter(p) for p in apply_knots(knots, raw)]
    probs_all = [[np.zeros(len(m)) if r else next(it) for m, r in zip(s.matrices, rs)]
                 for s, rs, it in zip(all_sets, ruled, probs)]
    threshold, figures = choose_threshold(all_sets, probs_all, ANSWER_K)
    X, y, w = _design(sets, question_weights(sets, recipe.unanswerable_weight))
    model, mean_, scale = logistic(X[:, cols], y, w, recipe.C)
    coef, means, scales = np.zeros(len(ANSWER_FEATURES)), np.zeros(len(ANSWER_FEATURES)), np.ones(len(ANSWER_FEATURES))
    coef[cols], means[cols], scales[cols] = model.coef_[0], mean_, scale
    info: dict = {}
    if card:
        info = {
            "trained_at": time.strftime("%Y-%m-%d"), "k": k, "answer_k": ANSWER_K, "folds": folds,
            "learner": f"logistic regression (scikit-learn, C={recipe.C}) + isotonic calibration fitted out of fold",
            "unanswerable_weight": recipe.unanswerable_weight,
            "threshold_rule": "refuses most near-misses (macro over kinds) out of fold while false refusal stays "
                              f"<= {FALSE_REFUSAL_BOUND:g} (the target {MAX_FALSE_REFUSAL} less a margin for "
                              f"the optimism of choosing on these scores) for each language of the gold set and <= {MAX_EXTERNAL_REFUSAL} "
                              "on an all-answerable set; one threshold for every language",
            "refuse_intents": list(recipe.refuse_intents),
            "sets": {s.name: {"questions": len(s.questions),
                              "unanswerable": sum(1 for q in s.questions if not q.answerable),
                              "out_of_fold_at_threshold": figures[s.name]} for s in all_sets},
            # calibration fitted on the other folds: the curve shows how far the probabilities can be trusted
            "reliability_out_of_fold": reliability(sets, cross_calibrated(sets, raw, folds=folds, top=ANSWER_K,
                                                                          salt=salt), top=ANSWER_K),
        }
    return Answerability(tuple(float(c) for c in coef), float(model.intercept_[0]),
                         tuple(float(v) for v in means), tuple(float(v) for v in scales), float(threshold), info,
                         (tuple(knots[0]), tuple(knots[1])), tuple(recipe.refuse_intents))


def nested_out_of_fold(sets: list[AnswerSet], *, recipe: Recipe = Recipe(), folds: int = 5,
                       inner_folds: int = 5) -> tuple[dict, list[list[np.ndarray]]]:
    """The honest estimate of what the shipped recipe does on questions it never saw: for each outer fold of
    questions (all hits of a question in one fold), the whole recipe (inner out-of-fold scores, calibration,
    threshold, refit) runs on the other folds only, and the held-out questions are decided by that model at
    that threshold. Returns the figures (as `decide`) and each question's probabilities shifted so that 0.5
    is its fold's threshold.

        nested_out_of_fold(sets)[0]["gold-train"]["refusal_by_kind"]  -> {"absent-figure": 0.5, …}
    """
    figures, shifted, _ = nested_judged(sets, recipe=recipe, folds=folds, inner_folds=inner_folds)
    return figures, shifted


def nested_judged(sets: list[AnswerSet], *, recipe: Recipe = Recipe(), folds: int = 5,
                  inner_folds: int = 5) -> tuple[dict, list[list[np.ndarray]], list[list[float]]]:
    """nested_out_of_fold, with the threshold of the fold that judged each question beside its shifted
    probabilities (p = shifted - 0.5 + threshold), for what is fitted on top of the judgement (app.further)."""
    shifted: list[list[np.ndarray]] = [[np.zeros(0)] * len(s.questions) for s in sets]
    thresholds: list[list[float]] = [[0.5] * len(s.questions) for s in sets]
    for fold in range(folds):
        held = [[fold_of(q.id, folds, "outer") == fold for q in s.questions] for s in sets]
        model = fit_answerability([subset(s, [not h for h in hs]) for s, hs in zip(sets, held)], k=0,
                                  folds=inner_folds, recipe=recipe, salt=f"inner{fold}", card=False)
        for s_i, (s, hs) in enumerate(zip(sets, held)):
            for q_i, h in enumerate(hs):
                if h:
                    p = model.judge(s.queries[q_i], s.matrices[q_i])
                    shifted[s_i][q_i] = p - model.threshold + 0.5
                    thresholds[s_i][q_i] = model.threshold
    return decide(sets, shifted, 0.5, ANSWER_K), shifted, thresholds
