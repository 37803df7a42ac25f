"""The retrieved clauses of every training question, cached as JSON so answerability variants train in seconds.

    cache = retrieved(ts, k=10)                      # searches every question once
    write_cache(cache, Path("index/answer-cache/gold-train.json"))
    cache = read_cache(Path(...), questions); hits = cache.hits(qa, 0)   # Hit objects rebuilt, no search
    answer_set(cache, qa)                            # -> eval.answer_train.AnswerSet, features recomputed

Only what search produced is stored (clause ids, ranker scores, ranker features, sources); answer features are
recomputed from the rebuilt hits, so a new feature needs no new search. Plain JSON: nothing executable is loaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from app.answerability import CorpusScope
from retrieval.searcher import Hit

from .answer_train import AnswerSet, build_set
from .gold import GoldQuestion


@dataclass
class Retrieved:
    set_name: str
    k: int
    questions: list[GoldQuestion]
    rows: list[list[dict]]   # per question, per hit: {"clause_id", "score", "raw", "features", "sources"}

    def hits(self, qa, i: int) -> list[Hit]:
        index = qa.index
        out = []
        for row in self.rows[i]:
            clause = index.clauses[index.position_of(row["clause_id"])]
            out.append(Hit(clause, index.documents[clause.doc_id], row["score"], row["raw"],
                           tuple(row["features"]), tuple(row["sources"])))
        return out


def retrieved(ts, k: int, progress=None) -> Retrieved:
    """Search every question of a training set (alone, with the shipped ranker) and keep the top k hits."""
    out = Retrieved(ts.name, k, [], [])
    task = progress.task(f"search {ts.name}", total=len(ts.questions)) if progress else None
    for q in ts.questions:
        if progress:
            progress.advance(task)
        hits = ts.qa.searcher.search(ts.qa.parse(q.question), k=k)
        out.questions.append(q)
        out.rows.append([{"clause_id": h.clause.clause_id, "score": float(h.score), "raw": float(h.raw),
                          "features": [float(v) for v in h.features], "sources": list(h.sources)} for h in hits])
    return out


def write_cache(cache: Retrieved, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"set": cache.set_name, "k": cache.k, "ids": [q.id for q in cache.questions], "rows": cache.rows}
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def read_cache(path: Path, questions: list[GoldQuestion]) -> Retrieved:
    """The cached hits, for the questions given (matched by id; a question not cached raises KeyError)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    by_id = dict(zip(data["ids"], data["rows"]))
    return Retrieved(data["set"], data["k"], list(questions), [by_id[q.id] for q in questions])


def answer_set(cache: Retrieved, qa) -> AnswerSet:
    """The cached hits as training examples: the questions parsed again, the answer features computed afresh."""
    return build_set(cache.set_name, cache.questions, [qa.parse(q.question) for q in cache.questions],
                     [cache.hits(qa, i) for i in range(len(cache.questions))],
                     CorpusScope.of(qa.index.documents.values()))
