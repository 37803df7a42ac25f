"""The `policyqa` command: ingest, clauses, search, ask, serve, eval.

Each command is a thin edge: it reads the settings, calls the service, prints. Machine
output (--json) goes to stdout; progress, warnings and errors go to stderr.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from ingest.errors import PolicyQAError  # noqa: E402

from ingest.progress import RichProgress  # noqa: E402
from retrieval.builds import IndexDir  # noqa: E402

from .errors_map import outcome, translate  # noqa: E402
from .settings import Settings  # noqa: E402

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="PolicyQA: answers on Chinese foreign-trade policy, citing the exact clause and issuing body.")

IndexDirOption = Annotated[Optional[Path], typer.Option("--index-dir", help="index folder (default: POLICYQA_INDEX_DIR or ./index)")]


def _settings(index_dir: Path | None = None) -> Settings:
    settings = Settings()
    if index_dir is not None:
        settings = settings.model_copy(update={"index_dir": index_dir})
    return settings


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _fail(exc: Exception | str, code: int | None = None) -> typer.Exit:
    """One sentence on stderr; the exit code from app/errors_map.py unless given."""
    if isinstance(exc, BaseException):
        exc = translate(exc)
    _err(f"error: {exc}")
    return typer.Exit(code if code is not None else outcome(exc).exit if isinstance(exc, BaseException) else 1)


def _service(index_dir: Path | None):
    from .service import PolicyQA

    return PolicyQA(_settings(index_dir))


@app.command()
def ingest(paths: Annotated[Optional[list[Path]], typer.Argument(help="files or folders (default: the corpus folder)")] = None,
           index_dir: IndexDirOption = None,
           force: Annotated[bool, typer.Option("--force", help="rebuild even when nothing changed")] = False) -> None:
    """Parse documents into clauses and build the index (embedding only what changed)."""
    from .report import print_ingest_report

    qa = _service(index_dir)
    try:
        with RichProgress() as progress:
            report = qa.ingest(list(paths) if paths else None, progress=progress, force=force)
    except PolicyQAError as exc:
        raise _fail(exc) from None
    print_ingest_report(report, qa.settings.index_dir)
    if report.errors:
        raise typer.Exit(1)


@app.command()
def clauses(index_dir: IndexDirOption = None,
            as_json: Annotated[bool, typer.Option("--json", help="JSON Lines, one Citation per line")] = False,
            doc: Annotated[Optional[str], typer.Option("--doc", help="only this document id")] = None) -> None:
    """Every clause of the index, in document order."""
    from retrieval.citations import citation_dict

    qa = _service(index_dir)
    try:
        items = qa.clauses(doc)
        docs = qa.index.documents
    except PolicyQAError as exc:
        raise _fail(exc) from None
    for c in items:
        if as_json:
            sys.stdout.write(json.dumps(citation_dict(c, docs[c.doc_id]), ensure_ascii=False) + "\n")
        else:
            typer.echo(f"{c.clause_id:45} {c.label or '—':12} {' > '.join(c.path)[:60]}")


@app.command()
def search(question: Annotated[str, typer.Argument(help="the question, in Chinese or English")],
           k: Annotated[int, typer.Option("--k", min=1, max=50, help="how many clauses")] = 5,
           as_json: Annotated[bool, typer.Option("--json", help="JSON Lines, one Citation per line")] = False,
           doc: Annotated[Optional[list[str]], typer.Option("--doc", help="restrict to a document id (repeatable)")] = None,
           issuer: Annotated[Optional[str], typer.Option("--issuer", help="restrict to issuers containing this text")] = None,
           date_from: Annotated[Optional[str], typer.Option("--from", help="documents dated on or after YYYY-MM-DD")] = None,
           date_to: Annotated[Optional[str], typer.Option("--to", help="documents dated on or before YYYY-MM-DD")] = None,
           index_dir: IndexDirOption = None) -> None:
    """The clauses that best match a question, best first."""
    from retrieval.searcher import Filters, strict_date

    from retrieval.citations import citation_dict

    qa = _service(index_dir)
    try:
        date_from, date_to = strict_date("--from", date_from), strict_date("--to", date_to)
        hits = qa.search(question, k=k, filters=Filters.of(doc_ids=tuple(doc or ()), issuer=issuer,
                                                            date_from=date_from, date_to=date_to))
    except PolicyQAError as exc:
        raise _fail(exc) from None
    for rank, h in enumerate(hits, start=1):
        if as_json:
            sys.stdout.write(json.dumps(citation_dict(h.clause, h.document, score=h.score), ensure_ascii=False) + "\n")
        else:
            who = h.document.issuer or "issuer unknown"
            typer.echo(f"[{rank}] {h.score:.3f}  {h.document.title} {h.clause.label}  ({who})")
            typer.echo(f"     {h.clause.text[:160]}")


@app.command()
def ask(question: Annotated[Optional[str], typer.Argument(help="the question (omit with --batch)")] = None,
        batch: Annotated[Optional[Path], typer.Option("--batch", help="JSON Lines file with id and question (and optional history) per line")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="JSON output (CONTRACTS §2)")] = False,
        k: Annotated[int, typer.Option("--k", min=1, max=50, help="clauses retrieved per question")] = 5,
        index_dir: IndexDirOption = None) -> None:
    """Answer a question (or a batch file) with citations to the exact clauses."""
    from .batch import run_batch
    from .serialize import answer_record

    if (question is None) == (batch is None):
        _err("error: give either a QUESTION or --batch FILE")
        raise typer.Exit(2)
    qa = _service(index_dir)
    if batch is not None:
        try:
            handle = batch.open(encoding="utf-8")
        except OSError as exc:
            raise _fail(f"cannot read {batch}: {exc.strerror}", 2) from None
        failed = 0
        try:
            with handle:
                for line in run_batch(handle, qa.ask, k=k):
                    failed += not line.ok
                    if as_json:
                        sys.stdout.write(json.dumps(line.record, ensure_ascii=False) + "\n")
                    else:
                        rec = line.record
                        typer.echo(f"[{rec.get('id')}] " + (rec.get("answer") or f"error: {rec.get('error')}") + "\n")
                    sys.stdout.flush()
        except PolicyQAError as exc:
            raise _fail(exc) from None
        if failed:
            _err(f"{failed} line(s) could not be answered; see the error records")
            raise typer.Exit(1)
        return
    try:
        answer = qa.ask(question, k=k)
    except PolicyQAError as exc:
        raise _fail(exc) from None
    if as_json:
        sys.stdout.write(json.dumps(answer_record(answer), ensure_ascii=False) + "\n")
    else:
        typer.echo(answer.text)
        for n, h in enumerate(answer.citations, start=1):
            typer.echo(f"[{n}] {h.clause.clause_id}")


def eval_index_dir(settings: Settings, corpus: Path) -> Path:
    """Where `policyqa eval --corpus DIR` keeps DIR's index: one folder per corpus path, inside the index folder,
    so a second run finds it and (the input being unchanged) does no work: index/eval/docs-3f2a9c1e."""
    resolved = corpus.resolve()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:8]
    return settings.index_dir / "eval" / f"{resolved.name[:40]}-{digest}"


@app.command("eval")
def eval_command(gold: Annotated[Optional[list[Path]], typer.Option("--gold", help="gold JSONL file (repeatable; default eval/gold/*.jsonl)")] = None,
                 corpus: Annotated[Optional[Path], typer.Option("--corpus", help="evaluate on this folder of documents (indexed into a cache under the index folder)")] = None,
                 split: Annotated[str, typer.Option("--split", help="train, test or all")] = "all",
                 k: Annotated[int, typer.Option("--k", min=1, max=50)] = 5,
                 as_json: Annotated[bool, typer.Option("--json", help="print the figures as JSON")] = False,
                 report: Annotated[Optional[Path], typer.Option("--report", help="write report.md, chart.png, results.json here")] = None,
                 compare_to: Annotated[Optional[Path], typer.Option("--compare", help="an earlier results.json: print the deltas")] = None,
                 baseline: Annotated[bool, typer.Option("--baseline/--no-baseline", help="run the baselines beside")] = True,
                 index_dir: IndexDirOption = None) -> None:
    """Run gold questions: retrieval, answer and latency figures per split, beside the baselines.

    Builds the index first when there is none; with --corpus, on that folder (plain BM25 baseline beside).
    """
    from eval.gold import load_gold, select_split
    from eval.report import compare, table, headline_groups, write_report
    from eval.runner import run_eval, to_json
    from .service import PolicyQA

    if split not in ("train", "test", "all"):
        raise _fail(f"--split {split!r} must be train, test or all", 2)
    settings = _settings(index_dir)
    if corpus is not None:
        if not corpus.is_dir():
            raise _fail(f"--corpus {corpus} is not a folder of documents", 2)
        own = corpus / "resources"
        settings = settings.model_copy(update={"corpus_dir": corpus, "index_dir": eval_index_dir(settings, corpus),
                                               "resources_dir": own if own.is_dir() else settings.resources})
    qa = PolicyQA(settings)
    previous = None
    if compare_to is not None:
        try:
            previous = json.loads(compare_to.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise _fail(f"cannot read {compare_to} as an earlier results.json: {exc}", 2) from None
    try:
        questions = select_split(load_gold(list(gold) if gold else None), split)
        if not questions:
            raise _fail(f"no questions in split {split!r} of the gold files", 2)
        with RichProgress() as progress:
            if corpus is not None or IndexDir(settings.index_dir).current() is None:
                _err(f"indexing {settings.corpus_dir} into {settings.index_dir} (cached: unchanged input is not re-embedded)")
                ingest_report = qa.ingest(progress=progress)
                for problem in ingest_report.errors:
                    _err(f"warning: {problem}")
            baselines = ("naive", "bm25") if baseline and corpus is not None else ("naive",) if baseline else ()
            run = run_eval(qa, questions, k=k, baselines=baselines, progress=progress)
    except PolicyQAError as exc:
        raise _fail(exc) from None
    data = to_json(run)
    if as_json:
        sys.stdout.write(json.dumps({"k": k, "settings": run.settings, "groups": run.groups}, ensure_ascii=False) + "\n")
    else:
        typer.echo(table(run, headline_groups(run)))
        typer.echo(table(run, headline_groups(run), "answers"))
    if report is not None:
        paths = write_report(run, report)
        _err(f"report written: {paths['report']}, {paths['chart']}, {paths['json']}")
    if previous is not None:
        for line in compare(data, previous) or ["no differences"]:
            _err(line)


tune = typer.Typer(add_completion=False, no_args_is_help=True, help="Train the learned parts on the gold train split.")
app.add_typer(tune, name="tune")


def _training_sets(split_gold: list[Path] | None, external_docs: Path | None, external_gold: Path | None,
                   index_dir: Path | None) -> list:
    """The gold train split over the configured corpus, and the external set (all its questions) if given."""
    from eval.gold import load_gold, select_split
    from eval.train import TrainingSet

    from .service import PolicyQA

    settings = _settings(index_dir)
    qa = PolicyQA(settings)
    if IndexDir(settings.index_dir).current() is None:
        qa.ingest()
    sets = [TrainingSet("gold-train", qa, select_split(load_gold(list(split_gold) if split_gold else None), "train"))]
    if (external_docs is None) != (external_gold is None):
        raise _fail("give both --external-docs and --external-gold, or neither", 2)
    if external_docs is not None:
        own = external_docs / "resources"
        ext = settings.model_copy(update={"corpus_dir": external_docs,
                                          "index_dir": eval_index_dir(settings, external_docs),
                                          "resources_dir": own if own.is_dir() else settings.resources})
        qa_ext = PolicyQA(ext)
        qa_ext.ingest()
        sets.append(TrainingSet(external_gold.stem if external_gold.stem != "queries" else external_docs.parent.name,
                                qa_ext, load_gold([external_gold])))
    return sets


GoldOption = Annotated[Optional[list[Path]], typer.Option("--gold", help="gold files (default eval/gold/*.jsonl); only their train split is read")]
ExternalDocs = Annotated[Optional[Path], typer.Option("--external-docs", help="an external development corpus, e.g. ../shared/external/stard-dev/docs")]
ExternalGold = Annotated[Optional[Path], typer.Option("--external-gold", help="its questions, e.g. ../shared/external/stard-dev/queries.jsonl")]


@tune.command("ranker")
def tune_ranker(gold: GoldOption = None, external_docs: ExternalDocs = None, external_gold: ExternalGold = None,
                folds: Annotated[int, typer.Option("--folds", min=2, max=20)] = 5,
                out: Annotated[Path, typer.Option("--out", help="folder for ranker.txt, ranker.json, ranker.card.json")] = Path("retrieval/models"),
                index_dir: IndexDirOption = None) -> None:
    """Train the LambdaRank ranker; external figures are reported out of fold. Re-run `policyqa ingest` after."""
    from eval.train import train_ranker

    try:
        with RichProgress() as progress:
            sets = _training_sets(gold, external_docs, external_gold, index_dir)
            card = train_ranker(sets, out_dir=out, folds=folds,
                                fold_set=sets[1].name if len(sets) > 1 else None, progress=progress)
    except PolicyQAError as exc:
        raise _fail(exc) from None
    sys.stdout.write(json.dumps({"sets": card["sets"], "out_of_fold": card["out_of_fold"]}, ensure_ascii=False,
                                indent=1) + "\n")
    _err(f"written: {out / 'ranker.txt'}, {out / 'ranker.json'}, {out / 'ranker.card.json'}; "
         "re-run `policyqa ingest` so builds use it")


@tune.command("answerability")
def tune_answerability(gold: GoldOption = None, external_docs: ExternalDocs = None, external_gold: ExternalGold = None,
                       k: Annotated[int, typer.Option("--k", min=1, max=50)] = 10,
                       out: Annotated[Path, typer.Option("--out")] = Path("app/models/answerability.json"),
                       index_dir: IndexDirOption = None) -> None:
    """Fit the calibrated answerability model and its threshold (out-of-fold) on the train split."""
    from eval.train import train_answerability

    try:
        with RichProgress() as progress:
            sets = _training_sets(gold, external_docs, external_gold, index_dir)
            card = train_answerability(sets, out_path=out, k=k, progress=progress)
    except PolicyQAError as exc:
        raise _fail(exc) from None
    sys.stdout.write(json.dumps(card, ensure_ascii=False, indent=1) + "\n")
    _err(f"written: {out}")


@app.command("split-gold")
def split_gold(files: Annotated[list[Path], typer.Argument(help="gold files; questions without a split get one")]) -> None:
    """Assign the train/test split once to questions that have none (stratified by language and kind)."""
    from eval.gold import load_gold
    from eval.split import assign_splits, write_splits

    try:
        splits = assign_splits(load_gold(list(files)))
        for path in files:
            typer.echo(f"{path}: {write_splits(path, splits)} question(s) given a split")
    except PolicyQAError as exc:
        raise _fail(exc) from None


@app.command()
def serve(host: Annotated[Optional[str], typer.Option("--host", help="default 127.0.0.1 (POLICYQA_HOST)")] = None,
          port: Annotated[Optional[int], typer.Option("--port", help="default 7860 (POLICYQA_PORT)")] = None,
          index_dir: IndexDirOption = None) -> None:
    """Serve the chat UI at / and the API at /api (docs at /docs)."""
    import uvicorn

    from .api import create_app

    settings = _settings(index_dir)
    host, port = host or settings.host, port or settings.port
    try:
        IndexDir(settings.index_dir).resolve()
    except PolicyQAError as exc:
        _err(f"warning: {exc} (answers fail until then)")
    _err(f"PolicyQA: open http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    # ingest jobs and questions are CPU-bound Python threads: hand the GIL round more often (default 5 ms) so
    # the event loop, and with it /healthz, is never kept waiting long
    sys.setswitchinterval(0.001)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def main() -> None:
    try:
        app()
    except (PolicyQAError, OSError, sqlite3.DatabaseError) as exc:
        # never a traceback for an expected condition: a corrupt or unreadable index, a full disk
        exc = translate(exc)
        if isinstance(exc, PolicyQAError):
            message = str(exc)
        elif isinstance(exc, OSError):
            message = f"{exc.filename or 'a file'}: {exc.strerror or exc}; check the path and its permissions"
        else:
            message = f"the index database cannot be read ({exc}); re-run `policyqa ingest` to rebuild it"
        _err(f"error: {message}")
        sys.exit(outcome(exc).exit)


if __name__ == "__main__":
    main()
