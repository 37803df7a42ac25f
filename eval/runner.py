"""Run the gold set through PolicyQA (and the naive baseline) and aggregate the figures.

    run = run_eval(qa, load_gold(), k=5, corpus_dir=Path("corpus"))
    run.groups["lang:en"]["hit@1"]   -> e.g. 0.81
"""

from __future__ import annotations

import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.text import fold
from retrieval.asked import asked_type

from .gold import GoldQuestion, normalize
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
    evidence_scores: list[float] = field(default_factory=list)
    responsible_exact_checks: list[bool] = field(default_factory=list)  # a draft's task: exactly the quoting rows' units
    issuer_cited_checks: list[bool] = field(default_factory=list)  # issuer right, on the evidence items cited
    clause_cited_checks: list[bool] = field(default_factory=list)  # clause number right, on the evidence items cited
    top_score: float = 0.0
    split: str | None = None
    kind: str | None = None             # unanswerable kind ("other-region", …)
    recall: dict[int, float] = field(default_factory=dict)  # cutoff -> recall (answerable questions): {1: 0.5, 5: 1.0}
    baselines: dict[str, list[bool]] = field(default_factory=dict)         # baseline name -> relevance of its top k
    baseline_recall: dict[str, dict[int, float]] = field(default_factory=dict)
    figure_question: bool = False       # tagged numeric, or asks for a figure (days, date, percent, money, count)
    short: str | None = None            # the answer's direct answer
    short_verbatim: bool | None = None  # answered figure question: is `short` a substring of a cited clause?
    short_right: bool | None = None     # … with a gold `short`: does the answer's `short` hold one of them?
    cited_relevant: list[bool] = field(default_factory=list)  # per citation: does the clause hold an evidence quote?


@dataclass
class EvalRun:
    k: int
    results: list[QuestionResult]
    groups: dict[str, dict[str, float | int | None]]
    settings: dict[str, str]


def _exact_units(stated, gold: tuple[str, ...]) -> bool:
    """The units an answer states for a clause are the gold units, no more, no fewer ("市商务局" matches
    "深圳市商务局" either way round); or the units it marks as lead (牵头) are.

    The gold of a "who leads" question lists either the row's lead ("这项任务由哪个部门牵头？" -> ["市司法局"]) or
    all its units ("谁牵头？" -> ["市商务局", "市贸促委"]); an answer that states the row's units with the lead
    marked ("市司法局（牵头）、各有关部门") answers both readings exactly."""
    same = lambda a, b: a in b or b in a  # noqa: E731

    def equal(names: list[str]) -> bool:
        return bool(names) and all(any(same(g, n) for n in names) for g in gold) and \
            all(any(same(n, g) for g in gold) for n in names)
    return equal([r for u in stated for r in u.responsible]) or equal([r for u in stated for r in u.lead])


@dataclass(frozen=True)
class EvidenceChecks:
    """What an answer gets right about its question's evidence, one flag per evidence item checked.

    `issuers`, `clauses` and `responsible` count an item the answer does not cite as wrong (they mix coverage in);
    `issuers_cited` and `clauses_cited` are checked only on the items the answer cites: is what it says of them
    true?"""

    coverage: float | None = None
    issuers: list[bool] = field(default_factory=list)
    clauses: list[bool] = field(default_factory=list)
    responsible: list[bool] = field(default_factory=list)
    exact: list[bool] = field(default_factory=list)
    issuers_cited: list[bool] = field(default_factory=list)
    clauses_cited: list[bool] = field(default_factory=list)


def _evidence_checks(q: GoldQuestion, answer, units_of=None, tasks: tuple = ()) -> EvidenceChecks:
    """Coverage, issuer, clause number, responsible (all gold units among the clause's), and responsible
    exactness on a draft's tasks.

    A draft's task is a clause whose units come from annex rows (`tasks`: every such clause of the index). An
    evidence item with gold units that lies in a task is checked for exactness: the answer must cite that task and
    state exactly the gold units for it (`units_of(clause, quote)`: the units per quoting row); an answer that
    does not cite the task fails the check."""
    if not q.answerable:
        return EvidenceChecks()
    cited = [(h.clause, h.document) for h in answer.citations]
    quotes = dict(zip([h.clause.clause_id for h in answer.citations], answer.quotes))
    covered = 0
    issuers, clauses, responsible, exact, issuers_cited, clauses_cited = [], [], [], [], [], []
    for ev in q.evidence:
        covering = [(c, d) for c, d in cited if ev.covered_by(c.text)]
        covered += bool(covering)
        if ev.issuer is not None:
            issuers.append(any(d.issuer == ev.issuer for _, d in covering))
            if covering:
                issuers_cited.append(issuers[-1])
        if ev.clause is not None:
            clauses.append(any(c.number == ev.clause for c, _ in covering))
            if covering:
                clauses_cited.append(clauses[-1])
        if ev.responsible:
            responsible.append(any(all(any(name in r for r in c.responsible) for name in ev.responsible)
                                   for c, _ in covering))
            if units_of is not None and any(ev.covered_by(t.text) for t in tasks):
                exact.append(any(_exact_units(units_of(c, quotes.get(c.clause_id, c.text)), ev.responsible)
                                 for c, _ in covering if c.annex_rows))
    return EvidenceChecks(covered / len(q.evidence), issuers, clauses, responsible, exact, issuers_cited, clauses_cited)


FIGURE_TYPES = ("days", "date", "percent", "money", "count")


def is_figure_question(q: GoldQuestion) -> bool:
    """Tagged numeric, or asking for a figure: "出口退税审批要多少个工作日？" -> True; "由哪个部门负责？" -> False."""
    return "numeric" in q.tags or asked_type(fold(q.question)) in FIGURE_TYPES


def short_right(short: str | None, q: GoldQuestion) -> bool | None:
    """Whether the direct answer holds the gold one (compared like quotes): "在20个工作日内完成退（免）税审批手续" holds
    "20个工作日"; None when no evidence item of `q` gives a `short`."""
    golds = [normalize(e.short) for e in q.evidence if e.short]
    if not golds:
        return None
    return bool(short) and any(g in normalize(short) for g in golds)


def short_verbatim(answer) -> bool:
    """The issue's check for an answered figure question: a direct answer, word for word in a cited clause."""
    return bool(answer.short) and any(answer.short in h.clause.text for h in answer.citations)


def evaluate_question(qa, q: GoldQuestion, k: int, baselines: dict | None = None,
                      tasks: tuple = ()) -> QuestionResult:
    started = time.perf_counter()
    history = [{"role": t.role, "content": t.content} for t in q.history]
    answer = qa.ask(q.question, k=k, history=history or None)
    latency = (time.perf_counter() - started) * 1000
    texts = [h.clause.text for h in answer.retrieved]
    stated = dict(zip([h.clause.clause_id for h in answer.citations], answer.units))
    checks = _evidence_checks(q, answer, lambda clause, quote: stated.get(clause.clause_id, ()), tasks)
    result = QuestionResult(
        id=q.id, lang=q.lang, tags=list(q.tags), answerable=q.answerable, question=q.question,
        retrieved=[h.clause.clause_id for h in answer.retrieved], relevant=relevance(texts, q.evidence),
        refused=answer.refused, cited=[h.clause.clause_id for h in answer.citations],
        citation_coverage=checks.coverage, issuer_checks=checks.issuers, clause_checks=checks.clauses,
        responsible_checks=checks.responsible, responsible_exact_checks=checks.exact,
        issuer_cited_checks=checks.issuers_cited, clause_cited_checks=checks.clauses_cited,
        latency_ms=round(latency, 2), evidence_scores=list(answer.evidence),
        top_score=max(answer.evidence, default=0.0), split=q.split.value if q.split else None,
        kind=q.unanswerable_kind, recall=_recalls(texts, q, k))
    result.figure_question = is_figure_question(q)
    result.cited_relevant = relevance([h.clause.text for h in answer.citations], q.evidence) if q.answerable else []
    result.short = answer.short
    if result.figure_question and q.answerable and not answer.refused:
        result.short_verbatim = short_verbatim(answer)
        result.short_right = short_right(answer.short, q)
    for name, baseline in (baselines or {}).items():
        ranked = baseline(q.question, k)
        result.baselines[name] = relevance(ranked, q.evidence)
        result.baseline_recall[name] = _recalls(ranked, q, k)
    return result


def cutoffs(k: int) -> list[int]:
    """The ranks recall is reported at: 1, 5 and k, those not above k."""
    return sorted({c for c in (1, 5, k) if c <= k})


def _recalls(texts: list[str], q: GoldQuestion, k: int) -> dict[int, float]:
    return {c: recall_at_k(texts, q.evidence, c) for c in cutoffs(k)} if q.answerable else {}


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
        **{f"recall@{c}": mean([r.recall[c] for r in answerable]) for c in cutoffs(k)},
        "citation_coverage": mean([r.citation_coverage for r in answerable if r.citation_coverage is not None]),
        # the other side of coverage: of the clauses cited for answerable questions, the share holding evidence
        # (a gold question lists the clauses that answer it; one it does not list counts as not answering)
        "citation_precision": share([c for r in answerable for c in r.cited_relevant]),
        "issuer_accuracy": share([c for r in answerable for c in r.issuer_checks]),
        "clause_accuracy": share([c for r in answerable for c in r.clause_checks]),
        # the same two on the evidence the answer cites: is what it says of a clause it cites true?
        "issuer_accuracy_cited": share([c for r in answerable for c in r.issuer_cited_checks]),
        "clause_accuracy_cited": share([c for r in answerable for c in r.clause_cited_checks]),
        "responsible_accuracy": share([c for r in answerable for c in r.responsible_checks]),
        "responsible_exact": share([c for r in answerable for c in r.responsible_exact_checks]),
        "refusal_rate_unanswerable": share([r.refused for r in unanswerable]),
        "false_refusal_rate": share([r.refused for r in answerable]),
        # answered (answerable) figure questions whose `short` is present and verbatim in a cited clause
        "short_figure": share([r.short_verbatim for r in answerable if r.short_verbatim is not None]),
        "figure_answered": sum(1 for r in answerable if r.short_verbatim is not None),
        # … of those whose gold evidence gives a `short`: the share whose `short` holds it (right, not just present)
        "short_right": share([r.short_right for r in answerable if r.short_right is not None]),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
    }
    for name in sorted({n for r in results for n in r.baselines}):
        out[f"{name}_hit@1"] = mean([hit_at_k(r.baselines[name], 1) for r in answerable])
        out[f"{name}_hit@{k}"] = mean([hit_at_k(r.baselines[name], k) for r in answerable])
        out[f"{name}_mrr"] = mean([reciprocal_rank(r.baselines[name]) for r in answerable])
        for c in cutoffs(k):
            out[f"{name}_recall@{c}"] = mean([r.baseline_recall[name][c] for r in answerable])
    return out


def group_names(r: QuestionResult) -> list[str]:
    """The groups a result counts in: "all", its language, tags and unanswerable kind, each also per split.

        -> ["all", "lang:zh", "tag:scenario", "test", "test/lang:zh", "test/tag:scenario"]
    """
    facets = [f"lang:{r.lang}"] + [f"tag:{t}" for t in r.tags] + ([f"kind:{r.kind}"] if r.kind else [])
    names = ["all"] + facets
    if r.split:
        names += [r.split] + [f"{r.split}/{f}" for f in facets]
    return names


def group_results(results: list[QuestionResult], k: int) -> dict[str, dict]:
    groups: dict[str, list[QuestionResult]] = {}
    for r in results:
        for name in group_names(r):
            groups.setdefault(name, []).append(r)
    order = {"all": 0, "train": 1, "test": 2}
    return {name: aggregate(items, k)
            for name, items in sorted(groups.items(), key=lambda kv: (order.get(kv[0].split("/")[0], 3), kv[0]))}


def naive_baseline_for(qa, corpus_dir: Path):
    """The naive baseline over the documents the index was built from (those still found under corpus_dir)."""
    from ingest.pipeline import discover
    from ingest.readers import read_source
    from retrieval.baseline import NaiveBaseline

    by_path = {}
    for f in discover([corpus_dir]).files:
        by_path[f.name] = read_source(f).text
    documents = [(d.doc_id, by_path[Path(row["path"]).name]) for d, row in
                 zip(qa.index.store.documents(), qa.index.store.document_rows()) if Path(row["path"]).name in by_path]
    base = NaiveBaseline(documents, qa.embedder)
    return lambda question, k: [c.text for c in base.search(question, k)]


def bm25_baseline_for(qa):
    """Plain BM25 over the index's own clauses (see retrieval.baseline.BM25Baseline)."""
    from retrieval.baseline import BM25Baseline

    texts = [c.text for c in qa.index.clauses]
    base = BM25Baseline(texts)
    return lambda question, k: [texts[i] for i in base.search(question, k)]


def run_eval(qa, questions: list[GoldQuestion], *, k: int = 5, corpus_dir: Path | None = None,
             baselines: tuple[str, ...] = ("naive",), progress=None) -> EvalRun:
    """Answer every question and aggregate; `baselines` names the baselines run beside ("naive", "bm25")."""
    makers = {"naive": lambda: naive_baseline_for(qa, corpus_dir or qa.settings.corpus_dir),
              "bm25": lambda: bm25_baseline_for(qa)}
    unknown = [b for b in baselines if b not in makers]
    if unknown:
        raise ValueError(f"unknown baseline {unknown[0]!r}; choose from {', '.join(makers)}")
    qa.ask("warm-up 出口退税", k=k)  # load models and indexes outside the timed loop
    built = {name: makers[name]() for name in baselines}
    results = []
    tasks = tuple(c for c in qa.index.clauses if c.annex_rows)  # a draft's tasks: units from annex rows
    task = progress.task("questions", total=len(questions)) if progress else None
    for q in questions:
        results.append(evaluate_question(qa, q, k, built, tasks))
        if progress:
            progress.advance(task)
    groups = group_results(results, k)
    settings = {"model": qa.index.model, "k": str(k), "clauses": str(len(qa.index.clauses)),
                "built_at": qa.index.info.get("built_at", "?"), "python": sys.version.split()[0]}
    return EvalRun(k, results, groups, settings)


def to_json(run: EvalRun) -> dict:
    return {"k": run.k, "settings": run.settings, "groups": run.groups, "results": [asdict(r) for r in run.results]}
