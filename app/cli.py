"""The `policyqa` command: ingest, clauses, search, ask, serve (eval.cli adds eval, tune, split-gold).

Each command is a thin edge: it reads the settings, calls the service, prints. Machine
output (--json) goes to stdout; progress, warnings and errors go to stderr.
"""

from __future__ import annotations

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
           k: Annotated[Optional[int], typer.Option("--k", min=1, max=50, help="how many clauses (default POLICYQA_K, 5)")] = None,
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
            sys.stdout.write(json.dumps(citation_dict(h.clause, h.document, score=h.score, item=h.item), ensure_ascii=False) + "\n")
        else:
            who = h.document.issuer or "issuer unknown"
            typer.echo(f"[{rank}] {h.score:.3f}  {h.document.title} {h.clause.label}  ({who})")
            typer.echo(f"     {h.clause.text[:160]}")


@app.command()
def ask(question: Annotated[Optional[str], typer.Argument(help="the question (omit with --batch)")] = None,
        batch: Annotated[Optional[Path], typer.Option("--batch", help="JSON Lines file with id and question (and optional history) per line")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="JSON output (CONTRACTS §2)")] = False,
        k: Annotated[Optional[int], typer.Option("--k", min=1, max=50, help="clauses retrieved per question (default POLICYQA_K, 5)")] = None,
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


@app.command("check-translations")
def check_translations(corpus: Annotated[Optional[Path], typer.Option("--corpus", help="default: POLICYQA_CORPUS_DIR or ./corpus")] = None,
                       doc: Annotated[Optional[list[str]], typer.Option("--doc", help="only this document id (repeatable)")] = None) -> None:
    """Check the English reference translations: every clause translated, labels right, glossary terms kept."""
    from retrieval.translation_check import main as check

    args = ["--corpus", str(corpus or _settings().corpus_dir)] + [a for d in doc or () for a in ("--doc", d)]
    raise typer.Exit(check(args))


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
