"""Run the gold set through PolicyQA (and the naive baseline) and aggregate the figures.

    run = run_eval(qa, load_gold(), k=5, corpus_dir=Path("corpus"))
    run.groups["lang:en"]["hit@1"]   -> e.g. 0.81
"""

from __future__ import annotations

import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .gold import GoldQuestion
from .metrics import hit_at_k, mean, percentile, recall_at_k, reciprocal_rank, relevance


@dataclass
class QuestionResult:
    id: str
    lang: str
    tags: list[str]
    answerable: bool
    question: str
    retrieved: list[str]
    relevant: list[bool]
    refused: bool
    cited: list[str]
    citation_coverage: float | None
    issuer_checks: list[bool]
    clause_checks: list[bool]
    responsible_checks: list[bool]
    latency_ms: float
    baseline_relevant: list[bool] = field(default_factory=list)
    evidence_scores: list[float] = field(default_factory=list)
    top_score: float = 0.0


@dataclass
class EvalRun:
    k: int
    results: list[QuestionResult]
    groups: dict[str, dict[str, float | int | None]]
    settings: dict[str, str]


def _evidence_checks(q: GoldQuestion, answer) -> tuple[float | None, list[bool], list[bool], list[bool]]:
    if not q.answerable:
        return None, [], [], []
    cited = [(h.clause, h.document) for h in answer.citations]
    covered = 0
    issuers, clauses, responsible = [], [], []
    for ev in q.evidence:
        covering = [(c, d) for c, d in cited if ev.covered_by(c.text)]
        covered += bool(covering)
        if ev.issuer is not None:
            issuers.append(any(d.issuer == ev.issuer for _, d in covering))
        if ev.clause is not None:
            clauses.append(any(c.number == ev.clause for c, _ in covering))
        if ev.responsible:
            responsible.append(any(all(any(name in r for r in c.responsible) for name in ev.responsible)
                                   for c, _ in covering))
    return covered / len(q.evidence), issuers, clauses, responsible


def evaluate_question(qa, q: GoldQuestion, k: int, baseline=None) -> QuestionResult:
    started = time.perf_counter()
    answer = qa.ask(q.question, k=k)
    latency = (time.perf_counter() - started) * 1000
    texts = [h.clause.text for h in answer.retrieved]
    coverage, issuers, clauses, responsible = _evidence_checks(q, answer)
    result = QuestionResult(
        id=q.id, lang=q.lang, tags=list(q.tags), answerable=q.answerable, question=q.question,
        retrieved=[h.clause.clause_id for h in answer.retrieved], relevant=relevance(texts, q.evidence),
        refused=answer.refused, cited=[h.clause.clause_id for h in answer.citations],
        citation_coverage=coverage, issuer_checks=issuers, clause_checks=clauses, responsible_checks=responsible,
        latency_ms=round(latency, 2), evidence_scores=list(answer.evidence),
        top_score=max(answer.evidence, default=0.0))
    if baseline is not None:
        result.baseline_relevant = relevance([c.text for c in baseline.search(q.question, k)], q.evidence)
    return result


def aggregate(results: list[QuestionResult], k: int) -> dict[str, float | int | None]:
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]

    def share(flags: list[bool]) -> float | None:
        return sum(flags) / len(flags) if flags else None

    latencies = [r.latency_ms for r in results]
    out: dict[str, float | int | None] = {
        "questions": len(results),
        "answerable": len(answerable),
        "hit@1": mean([hit_at_k(r.relevant, 1) for r in answerable]),
        f"hit@{k}": mean([hit_at_k(r.relevant, k) for r in answerable]),
        "mrr": mean([reciprocal_rank(r.relevant) for r in answerable]),
        f"recall@{k}": None,
        "citation_coverage": mean([r.citation_coverage for r in answerable if r.citation_coverage is not None]),
        "issuer_accuracy": share([c for r in answerable for c in r.issuer_checks]),
        "clause_accuracy": share([c for r in answerable for c in r.clause_checks]),
        "responsible_accuracy": share([c for r in answerable for c in r.responsible_checks]),
        "refusal_rate_unanswerable": share([r.refused for r in unanswerable]),
        "false_refusal_rate": share([r.refused for r in answerable]),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
    }
    if any(r.baseline_relevant for r in results):
        out["baseline_hit@1"] = mean([hit_at_k(r.baseline_relevant, 1) for r in answerable])
        out[f"baseline_hit@{k}"] = mean([hit_at_k(r.baseline_relevant, k) for r in answerable])
        out["baseline_mrr"] = mean([reciprocal_rank(r.baseline_relevant) for r in answerable])
    return out


def group_results(results: list[QuestionResult], k: int) -> dict[str, dict]:
    groups: dict[str, list[QuestionResult]] = {"all": results}
    for r in results:
        groups.setdefault(f"lang:{r.lang}", []).append(r)
        for tag in r.tags:
            groups.setdefault(f"tag:{tag}", []).append(r)
    return {name: aggregate(items, k) for name, items in sorted(groups.items(), key=lambda kv: (kv[0] != "all", kv[0]))}


def add_recall(results: list[QuestionResult], questions: dict[str, GoldQuestion], qa, groups, k: int) -> None:
    """recall@k needs the clause texts: computed once per question from the retrieved ids."""
    per_question = {}
    for r in results:
        q = questions[r.id]
        if q.answerable:
            texts = [qa.clause(cid).text for cid in r.retrieved]
            per_question[r.id] = recall_at_k(texts, q.evidence, k)
    for name, figures in groups.items():
        ids = [r.id for r in results if r.answerable and _in_group(r, name)]
        figures[f"recall@{k}"] = mean([per_question[i] for i in ids]) if ids else None


def _in_group(r: QuestionResult, name: str) -> bool:
    if name == "all":
        return True
    kind, _, value = name.partition(":")
    return r.lang == value if kind == "lang" else value in r.tags


def baseline_for(qa, corpus_dir: Path):
    from ingest.pipeline import discover
    from ingest.readers import read_source
    from retrieval.baseline import NaiveBaseline

    by_path = {}
    for f in discover([corpus_dir]).files:
        by_path[f.name] = read_source(f).text
    documents = [(d.doc_id, by_path[Path(row["path"]).name]) for d, row in
                 zip(qa.index.store.documents(), qa.index.store.document_rows()) if Path(row["path"]).name in by_path]
    return NaiveBaseline(documents, qa.embedder)


def run_eval(qa, questions: list[GoldQuestion], *, k: int = 5, corpus_dir: Path | None = None,
             baseline: bool = True, progress=None) -> EvalRun:
    base = baseline_for(qa, corpus_dir or qa.settings.corpus_dir) if baseline else None
    qa.ask("warm-up 出口退税", k=k)  # load models and indexes outside the timed loop
    results = []
    task = progress.task("questions", total=len(questions)) if progress else None
    for q in questions:
        results.append(evaluate_question(qa, q, k, base))
        if progress:
            progress.advance(task)
    groups = group_results(results, k)
    add_recall(results, {q.id: q for q in questions}, qa, groups, k)
    settings = {"model": qa.index.model, "k": str(k), "clauses": str(len(qa.index.clauses)),
                "built_at": qa.index.info.get("built_at", "?"), "python": sys.version.split()[0]}
    return EvalRun(k, results, groups, settings)


def to_json(run: EvalRun) -> dict:
    return {"k": run.k, "settings": run.settings, "groups": run.groups, "results": [asdict(r) for r in run.results]}
