"""Train the learned parts on the train split: the ranker (LightGBM LambdaRank) and the answerability model.

    sets = [TrainingSet("gold", qa_seeds, gold_train), TrainingSet("stard-dev", qa_laws, stard)]
    result = train_ranker(sets, out_dir=Path("retrieval/models"), folds=5, fold_set="stard-dev")
    result.card["out_of_fold"]["stard-dev"]   -> {"recall@1": 0.41, "recall@10": 0.72, "bm25_recall@10": 0.60, …}

Only questions of the sets given are read: the caller passes the gold *train* split (never test). The
external set's figures are reported out of fold: each fold's questions are ranked by a model trained
without them. Models are written in open formats (LightGBM text + JSON dump; JSON coefficients), never
pickles, with a card saying what they saw.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import lightgbm
import numpy as np
from sklearn.linear_model import LogisticRegression

from app.answerability import Answerability, features as answer_features
from retrieval.features import FEATURES
from retrieval.ranker import Ranker
from retrieval.trees import Forest

from .gold import GoldQuestion
from .metrics import mean, recall_at_k, relevance
from .runner import bm25_baseline_for

RANKER_PARAMS = {
    "objective": "lambdarank", "metric": "ndcg", "eval_at": [1, 5, 10], "learning_rate": 0.05,
    "num_leaves": 15, "min_data_in_leaf": 20, "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1,
    "lambda_l2": 1.0, "verbosity": -1, "deterministic": True, "force_row_wise": True, "num_threads": 1, "seed": 7,
}
ROUNDS = 200


@dataclass
class TrainingSet:
    name: str
    qa: object                      # the PolicyQA service over the set's corpus
    questions: list[GoldQuestion]   # answerable questions only are used for ranking


@dataclass
class RankerExamples:
    """Candidates of every question of one set: features, 0/1 labels (covers an evidence item), group sizes."""

    set_name: str
    ids: list[str]
    matrices: list[np.ndarray]
    labels: list[np.ndarray]
    texts: list[list[str]]
    questions: list[GoldQuestion]


def ranker_examples(ts: TrainingSet, progress=None) -> RankerExamples:
    out = RankerExamples(ts.name, [], [], [], [], [])
    searcher = ts.qa.searcher
    task = progress.task(f"features {ts.name}", total=len(ts.questions)) if progress else None
    for q in ts.questions:
        if progress:
            progress.advance(task)
        if not q.answerable:
            continue
        found = searcher.candidates(searcher.parse(q.question))
        if found is None or not found.positions:
            continue
        texts = [searcher.index.clauses[p].text for p in found.positions]
        out.ids.append(q.id)
        out.matrices.append(found.matrix)
        out.labels.append(np.array(relevance(texts, q.evidence), dtype=np.int32))
        out.texts.append(texts)
        out.questions.append(q)
    return out


def _fit(examples: list[RankerExamples], keep=lambda set_name, i: True) -> lightgbm.Booster:
    X, y, groups = [], [], []
    for ex in examples:
        for i, (m, lab) in enumerate(zip(ex.matrices, ex.labels)):
            if keep(ex.set_name, i) and lab.any():  # a question with no relevant candidate teaches nothing
                X.append(m)
                y.append(lab)
                groups.append(len(lab))
    data = lightgbm.Dataset(np.vstack(X), np.concatenate(y), group=groups, feature_name=list(FEATURES),
                            free_raw_data=False)
    return lightgbm.train(RANKER_PARAMS, data, num_boost_round=ROUNDS)


def _figures(ex: RankerExamples, scores: list[np.ndarray], ks=(1, 5, 10)) -> dict[str, float]:
    out: dict[str, list[float]] = {f"recall@{k}": [] for k in ks} | {"hit@1": [], "mrr": []}
    for q, texts, s in zip(ex.questions, ex.texts, scores):
        order = sorted(range(len(texts)), key=lambda r: -s[r])
        ranked = [texts[r] for r in order]
        rel = relevance(ranked, q.evidence)
        for k in ks:
            out[f"recall@{k}"].append(recall_at_k(ranked, q.evidence, k))
        out["hit@1"].append(float(bool(rel[:1] and rel[0])))
        out["mrr"].append(next((1 / (i + 1) for i, r in enumerate(rel) if r), 0.0))
    return {name: round(mean(v) or 0.0, 4) for name, v in out.items()}


def _fold_of(question_id: str, folds: int) -> int:
    return int(hashlib.sha256(question_id.encode()).hexdigest(), 16) % folds


def train_ranker(sets: list[TrainingSet], *, out_dir: Path, folds: int = 5, fold_set: str | None = None,
                 progress=None) -> dict:
    """Fit on every set's questions, write ranker.txt/.json/.card.json, and return the card.

    With `fold_set`, that set's figures are also computed out of fold (k-fold by a hash of the question id).
    """
    examples = [ranker_examples(ts, progress) for ts in sets]
    card: dict = {"trained_at": time.strftime("%Y-%m-%d"), "params": RANKER_PARAMS, "rounds": ROUNDS,
                  "features": list(FEATURES), "sets": {}, "out_of_fold": {}}
    for ts, ex in zip(sets, examples):
        card["sets"][ts.name] = {"questions": len(ts.questions), "with_candidates": len(ex.ids),
                                 "with_a_relevant_candidate": int(sum(lab.any() for lab in ex.labels))}
    if fold_set is not None:
        target = next(ex for ex in examples if ex.set_name == fold_set)
        ts = next(t for t in sets if t.name == fold_set)
        scores: list[np.ndarray | None] = [None] * len(target.ids)
        for fold in range(folds):
            held = {i for i, qid in enumerate(target.ids) if _fold_of(qid, folds) == fold}
            booster = _fit(examples, keep=lambda name, i: name != fold_set or i not in held)
            for i in held:
                scores[i] = booster.predict(target.matrices[i], num_threads=1)
        learned = _figures(target, scores)  # type: ignore[arg-type]
        unranked = _figures(target, [Ranker().scores(m) for m in target.matrices])
        bm25 = bm25_baseline_for(ts.qa)
        bm25_recall = {f"bm25_recall@{k}": round(mean([recall_at_k(bm25(q.question, k), q.evidence, k)
                                                         for q in target.questions]) or 0.0, 4) for k in (1, 5, 10)}
        card["out_of_fold"][fold_set] = {"folds": folds, "questions": len(target.ids), **learned,
                                         **{f"rrf_{k}": v for k, v in unranked.items()}, **bm25_recall,
                                         "note": "recall over the questions that have candidates; BM25 over the "
                                                 "same questions and clauses"}
    booster = _fit(examples)
    out_dir.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(out_dir / "ranker.txt"))
    dump = booster.dump_model()
    _write_json(out_dir / "ranker.json", dump)
    # the hand-written tree walker must agree with LightGBM on the training features
    sample = np.vstack(examples[0].matrices[:50])
    if not np.allclose(Forest.from_dump(dump).predict(sample), booster.predict(sample, num_threads=1), atol=1e-9):
        raise RuntimeError("retrieval.trees disagrees with LightGBM's predictions; do not commit this model")
    for ts, ex in zip(sets, examples):
        card["sets"][ts.name]["in_sample"] = _figures(ex, [booster.predict(m, num_threads=1) for m in ex.matrices])
    _write_json(out_dir / "ranker.card.json", card)
    return card


def _write_json(path: Path, data) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


# ---------------------------------------------------------------- answerability

@dataclass
class AnswerExamples:
    """The top-k retrieved clauses of every question: answer features, 0/1 labels (the clause holds evidence)."""

    set_name: str
    questions: list[GoldQuestion]
    matrices: list[np.ndarray]
    labels: list[np.ndarray]


def answer_examples(ts: TrainingSet, k: int, progress=None) -> AnswerExamples:
    out = AnswerExamples(ts.name, [], [], [])
    task = progress.task(f"answers {ts.name}", total=len(ts.questions)) if progress else None
    for q in ts.questions:
        if progress:
            progress.advance(task)
        query = ts.qa.parse(q.question)
        hits = ts.qa.searcher.search(query, k=k)
        if not hits:
            continue
        out.questions.append(q)
        out.matrices.append(answer_features(query, hits))
        out.labels.append(np.array([bool(q.answerable) and any(e.covered_by(h.clause.text) for e in q.evidence)
                                    for h in hits], dtype=np.int32))
    return out


def _fit_logistic(X: np.ndarray, y: np.ndarray) -> tuple[LogisticRegression, np.ndarray, np.ndarray]:
    mean_, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=0.5, max_iter=2000)
    model.fit((X - mean_) / scale, y)
    return model, mean_, scale


def _decisions(examples: list[AnswerExamples], probs: list[list[np.ndarray]], threshold: float) -> dict:
    """Answer/refuse decisions at a threshold: right = refused a near-miss, or cited a clause holding evidence."""
    right = answered_ok = refused_ok = n_ans = n_un = 0
    for ex, per_q in zip(examples, probs):
        for q, p, lab in zip(ex.questions, per_q, ex.labels):
            cited = p >= threshold
            if q.answerable:
                n_ans += 1
                ok = bool(cited.any() and lab[cited].any())
                answered_ok += ok
            else:
                n_un += 1
                ok = not cited.any()
                refused_ok += ok
            right += ok
    total = n_ans + n_un
    return {"accuracy": right / total if total else 0.0, "answered_right": answered_ok / n_ans if n_ans else None,
            "refused_right": refused_ok / n_un if n_un else None}


def train_answerability(sets: list[TrainingSet], *, out_path: Path, k: int = 10, folds: int = 5,
                        progress=None) -> dict:
    """Fit the logistic model on every set's questions, choose one threshold on out-of-fold probabilities
    (the one that gets most questions right: near-misses refused, answerable ones answered from a clause that
    holds the evidence), record the reliability curve, write the JSON model and return its card."""
    examples = [answer_examples(ts, k, progress) for ts in sets]
    oof: list[list[np.ndarray]] = [[np.zeros(0)] * len(ex.questions) for ex in examples]
    for fold in range(folds):
        X, y = [], []
        for ex in examples:
            for q, m, lab in zip(ex.questions, ex.matrices, ex.labels):
                if _fold_of(q.id, folds) != fold:
                    X.append(m)
                    y.append(lab)
        model, mean_, scale = _fit_logistic(np.vstack(X), np.concatenate(y))
        for e, ex in enumerate(examples):
            for i, (q, m) in enumerate(zip(ex.questions, ex.matrices)):
                if _fold_of(q.id, folds) == fold:
                    oof[e][i] = model.predict_proba((m - mean_) / scale)[:, 1]
    # balanced: a wrong refusal and a wrong answer count the same, however many of each kind the sets hold
    candidates = [round(t, 2) for t in np.arange(0.05, 0.96, 0.01)]
    scored = []
    for t in candidates:
        d = _decisions(examples, oof, t)
        scored.append(((d["answered_right"] + d["refused_right"]) / 2, t))
    threshold = max(scored, key=lambda st: (round(st[0], 6), -abs(st[1] - 0.5)))[1]
    # reliability: predicted probability vs how often such clauses really hold the evidence (out of fold)
    p_all = np.concatenate([p for per_q in oof for p in per_q])
    y_all = np.concatenate([lab for ex in examples for lab in ex.labels])
    bins = np.linspace(0, 1, 11)
    curve = []
    for lo, hi in zip(bins[:-1], bins[1:]):
        inside = (p_all >= lo) & (p_all < hi if hi < 1 else p_all <= hi)
        if inside.any():
            curve.append({"bin": f"{lo:.1f}-{hi:.1f}", "mean_predicted": round(float(p_all[inside].mean()), 4),
                          "observed": round(float(y_all[inside].mean()), 4), "count": int(inside.sum())})
    model, mean_, scale = _fit_logistic(np.vstack([m for ex in examples for m in ex.matrices]), y_all)
    card = {"trained_at": time.strftime("%Y-%m-%d"), "k": k, "folds": folds, "threshold_rule":
            "maximises balanced right decisions (answered from evidence, near-misses refused) on out-of-fold "
            "probabilities of all sets pooled; one threshold for every language",
            "sets": {ex.set_name: {"questions": len(ex.questions),
                                   "unanswerable": sum(1 for q in ex.questions if not q.answerable),
                                   "out_of_fold_at_threshold": _decisions([ex], [p], threshold)}
                     for ex, p in zip(examples, oof)},
            "reliability_out_of_fold": curve}
    result = Answerability(tuple(float(c) for c in model.coef_[0]), float(model.intercept_[0]),
                           tuple(float(v) for v in mean_), tuple(float(v) for v in scale), float(threshold), card)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    _write_json(out_path, result.to_json())
    return card
