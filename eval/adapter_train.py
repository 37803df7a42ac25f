"""Fit the question adapter (retrieval.adapter) on questions and the clauses that answer them.

    stard = adapter_set("stard-dev", qa_laws.searcher, questions)   # the external set (eval.train: not the gold set)
    adapter = fit_adapter([stard], model=E5_MODEL)                  # -> QueryAdapter(matrix = I + D)
    held = fit_adapter([stard], model=E5_MODEL, without={"stard-dev": {"stard-3", …}})  # for out-of-fold figures
    dense_figures(stard, held, rows=[0])                            # -> {"hit@1": 1.0, "recall@10": 0.5}

The matrix is I + D, with D fitted by gradient descent on a softmax over every Chinese passage of the set's
corpus at temperature TEMPERATURE: a question's loss is -log(the share of its answering clauses' passages),
plus L2 * |D|^2 so that it stays near the encoder's own geometry. Full batch (every question of every set in
each step), Adam, EPOCHS steps from D = 0: deterministic. torch does it because no scikit-learn model is a
bilinear map trained on a softmax over a corpus, and torch is already what embeds the passages.

The settings were chosen by out-of-fold figures (5 folds by question id, and by answering clause), and by how a
map fitted on one corpus carries over to the other, never on the test split: see eval/README.md and eval/train.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrieval.adapter import QueryAdapter

from .gold import GoldQuestion

TEMPERATURE = 0.05
L2 = 0.1
EPOCHS = 60
LEARNING_RATE = 0.01


@dataclass(frozen=True, eq=False)
class AdapterSet:
    """One corpus's answerable Chinese questions as vectors, with its Chinese passages and the clauses answering
    each."""

    name: str
    ids: tuple[str, ...]
    questions: np.ndarray                 # (n, d) the primary encoder's question vectors
    passages: np.ndarray                  # (p, d) its Chinese passage vectors
    passage_clause: np.ndarray            # (p,) clause position of each passage
    positives: tuple[tuple[int, ...], ...]  # per question: the clause positions covering an evidence item


def adapter_set(name: str, searcher, questions: list[GoldQuestion], progress=None) -> AdapterSet:
    """The vectors and answering clauses of every answerable Chinese question of a set that some clause answers
    (the adapter maps Chinese questions only: retrieval.features)."""
    index = searcher.index
    dense = index.dense.get(("zh", "primary"))
    if dense is None or dense.size == 0:
        raise ValueError(f"the index of {name!r} has no Chinese passage vectors to fit the adapter on")
    texts = [c.text for c in index.clauses]
    ids, vectors, positives = [], [], []
    task = progress.task(f"question vectors {name}", total=len(questions)) if progress else None
    for q in questions:
        if progress:
            progress.advance(task)
        if not q.answerable or not q.evidence:
            continue
        query = searcher.parse(q.question)
        if query.language != "zh":
            continue
        found = tuple(i for i, t in enumerate(texts) if any(e.covered_by(t) for e in q.evidence))
        if not found:
            continue
        ids.append(q.id)
        positives.append(found)
        vectors.append(searcher.encoders.primary.embed_query(query.text))
    dimension = searcher.encoders.primary.dimension
    return AdapterSet(name, tuple(ids), np.vstack(vectors).astype(np.float32) if vectors else
                      np.zeros((0, dimension), dtype=np.float32),
                      dense.index.reconstruct_n(0, dense.size).astype(np.float32),
                      np.asarray(index.passage_clause["zh"][: dense.size], dtype=np.int64), tuple(positives))


def fit_adapter(sets: list[AdapterSet], *, model: str, without: dict[str, set[str]] | None = None,
                l2: float = L2, epochs: int = EPOCHS, temperature: float = TEMPERATURE,
                learning_rate: float = LEARNING_RATE) -> QueryAdapter:
    """The adapter fitted on every question of `sets` except those named in `without` (by set name)."""
    import torch

    without = without or {}
    dimension = sets[0].passages.shape[1]
    delta = torch.zeros(dimension, dimension, requires_grad=True)
    optimiser = torch.optim.Adam([delta], lr=learning_rate)
    data = []
    for s in sets:
        keep = [i for i, qid in enumerate(s.ids) if qid not in without.get(s.name, set())]
        if not keep:
            continue
        mask = np.zeros((len(keep), len(s.passage_clause)), dtype=bool)
        for row, i in enumerate(keep):
            mask[row] = np.isin(s.passage_clause, s.positives[i])
        data.append((torch.from_numpy(s.questions[keep]), torch.from_numpy(s.passages), torch.from_numpy(mask)))
    if not data:
        raise ValueError("no questions left to fit the adapter on")
    for _ in range(epochs):
        optimiser.zero_grad()
        loss = l2 * (delta ** 2).sum()
        for questions, passages, mask in data:
            mapped = questions + questions @ delta
            mapped = mapped / mapped.norm(dim=1, keepdim=True)
            logits = mapped @ passages.T / temperature
            answering = logits.masked_fill(~mask, float("-inf"))
            loss = loss + (torch.logsumexp(logits, 1) - torch.logsumexp(answering, 1)).mean()
        loss.backward()
        optimiser.step()
    matrix = np.eye(dimension, dtype=np.float32) + delta.detach().numpy().astype(np.float32)
    return QueryAdapter(model, matrix)


def dense_figures(s: AdapterSet, adapter: QueryAdapter | None, rows: list[int] | None = None) -> dict[str, float]:
    """hit@1 and recall@10 of the Chinese-passage cosine alone (best passage per clause), for the given rows."""
    rows = list(range(len(s.ids))) if rows is None else rows
    if not rows:
        return {}
    questions = s.questions[rows]
    if adapter is not None:
        questions = np.vstack([adapter.apply(v) for v in questions])
    scores = questions @ s.passages.T
    n_clauses = int(s.passage_clause.max()) + 1
    per_clause = np.full((len(rows), n_clauses), -np.inf, dtype=np.float32)
    for p, c in enumerate(s.passage_clause):
        np.maximum(per_clause[:, c], scores[:, p], out=per_clause[:, c])
    hit1 = recall10 = 0.0
    for row, i in enumerate(rows):
        answering = set(s.positives[i])
        order = np.argsort(-per_clause[row], kind="stable")
        hit1 += int(order[0]) in answering
        recall10 += len(answering & {int(c) for c in order[:10]}) / len(answering)
    return {"hit@1": round(hit1 / len(rows), 4), "recall@10": round(recall10 / len(rows), 4)}
