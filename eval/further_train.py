"""Fit app.further's model: which other retrieved clauses to cite once a question is answered.

    model = fit_further(examples, shifted, thresholds)   # eval.answer_train.nested_judged's (0.5 = the threshold)
    model.card["out_of_fold"]["gold-train"]
        -> {"coverage": 0.898 -> …, "coverage_multi": …, "citation_precision": …, "citations_per_question": …}

Rows are the hits (of the first ANSWER_K) an answered answerable question does not cite on the answerability
judgement alone (app.further.cited_rows, as the answerer does), labelled 1 when the hit
holds an evidence quote; the answerability probabilities they are built on come from models that never saw the
question (nested cross-validation), as they will be for a new one. The model's own figures are out of fold too
(five folds by a hash of the question id), and the threshold is the lowest whose added clauses were at least
MIN_PRECISION relevant there.
"""

from __future__ import annotations

import time

import numpy as np

from app.further import FURTHER_FEATURES, MIN_PRECISION, FurtherClauses, cited_rows, further_features

from .answer_train import ANSWER_K, AnswerSet, fold_of, logistic
from .metrics import recall_at_k

FURTHER_C = 0.1
GRID = [round(v, 2) for v in np.arange(0.05, 0.96, 0.01)]


def _cited(p: np.ndarray, threshold: float) -> list[int]:
    """What the answerer cites on the answerability judgement alone, from a question's shifted probabilities."""
    return cited_rows(list(p[:ANSWER_K] - 0.5 + threshold), threshold)


def _rows(sets: list[AnswerSet], shifted: list[list[np.ndarray]], thresholds: list[list[float]]):
    """(X, y, question ids, (set, question, hit) of each row)."""
    X, y, ids, where = [], [], [], []
    for s_i, (s, probs, ts) in enumerate(zip(sets, shifted, thresholds)):
        for q_i, (q, query, hits, m, lab, p, t) in enumerate(zip(s.questions, s.queries, s.hits, s.matrices,
                                                                  s.labels, probs, ts)):
            margins = list(p[:ANSWER_K] - 0.5)
            chosen = _cited(p, t)
            if not q.answerable or not chosen:
                continue
            rows = further_features(query, m[:ANSWER_K], margins, chosen, [h.document.doc_id for h in hits[:ANSWER_K]])
            for r in range(len(margins)):
                if r not in chosen:
                    X.append(rows[r]); y.append(int(lab[r])); ids.append(q.id); where.append((s_i, q_i, r))  # noqa: E702
    return np.array(X).reshape(-1, len(FURTHER_FEATURES)), np.array(y), ids, where


def _figures(sets: list[AnswerSet], shifted, thresholds, where, scores: np.ndarray, threshold: float | None) -> dict:
    """Coverage (share of evidence items cited), on questions with several evidence clauses too, citation
    precision and citations per answered question, per set, with the clauses scoring >= threshold added."""
    added: dict[tuple[int, int], list[int]] = {}
    if threshold is not None:
        for (s_i, q_i, r), v in zip(where, scores):
            if v >= threshold:
                added.setdefault((s_i, q_i), []).append(r)
    out = {}
    for s_i, (s, probs, ts) in enumerate(zip(sets, shifted, thresholds)):
        cov, multi, cited_n, relevant_n, answered = [], [], 0, 0, 0
        for q_i, (q, hits, lab, p, t) in enumerate(zip(s.questions, s.hits, s.labels, probs, ts)):
            cited = _cited(p[:min(ANSWER_K, len(hits))], t)
            if not q.answerable or not cited:
                continue
            cited += added.get((s_i, q_i), [])
            answered += 1
            c = recall_at_k([hits[r].clause.text for r in cited], q.evidence, len(cited))
            cov.append(c)
            if len({(e.doc, e.clause) for e in q.evidence}) > 1:
                multi.append(c)
            cited_n += len(cited)
            relevant_n += int(sum(lab[r] for r in cited))
        out[s.name] = {"answered": answered, "coverage": round(float(np.mean(cov)), 4) if cov else None,
                       "coverage_multi": round(float(np.mean(multi)), 4) if multi else None,
                       "multi_questions": len(multi),
                       "citation_precision": round(relevant_n / cited_n, 4) if cited_n else None,
                       "citations_per_question": round(cited_n / answered, 3) if answered else None}
    return out


def fit_further(sets: list[AnswerSet], shifted: list[list[np.ndarray]], thresholds: list[list[float]], *,
                folds: int = 5, C: float = FURTHER_C) -> FurtherClauses:
    X, y, ids, where = _rows(sets, shifted, thresholds)
    if not len(y) or y.min() == y.max():
        raise ValueError("no further-clause examples of both kinds: the training questions need several evidence "
                         "clauses and answered questions")
    oof = np.zeros(len(y))
    fold = np.array([fold_of(i, folds, "further") for i in ids])
    for f in range(folds):
        inside = fold != f
        model, mean_, scale = logistic(X[inside], y[inside], np.ones(int(inside.sum())), C)
        oof[~inside] = model.predict_proba((X[~inside] - mean_) / scale)[:, 1]
    # the lowest threshold whose added clauses were at least MIN_PRECISION relevant out of fold
    threshold = next((t for t in GRID if (oof >= t).any() and y[oof >= t].mean() >= MIN_PRECISION), GRID[-1])
    model, mean_, scale = logistic(X, y, np.ones(len(y)), C)
    card = {
        "trained_at": time.strftime("%Y-%m-%d"), "answer_k": ANSWER_K, "folds": folds,
        "learner": f"logistic regression (scikit-learn, C={C}) on the hits an answered question does not cite",
        "rows": int(len(y)), "positives": int(y.sum()),
        "threshold_rule": f"the lowest threshold whose added clauses were at least {MIN_PRECISION:.2f} relevant out "
                          "of fold",
        "added_precision_out_of_fold": round(float(y[oof >= threshold].mean()), 4) if (oof >= threshold).any() else None,
        "out_of_fold": {"without": _figures(sets, shifted, thresholds, where, oof, None),
                        "with": _figures(sets, shifted, thresholds, where, oof, threshold)},
        "note": "answerability probabilities from nested cross-validation; this model's scores out of fold",
    }
    return FurtherClauses(tuple(float(c) for c in model.coef_[0]), float(model.intercept_[0]),
                          tuple(float(v) for v in mean_), tuple(float(v) for v in scale), float(threshold), card)
