"""Human-readable reports printed by the CLI."""

from __future__ import annotations

from pathlib import Path

import typer

from retrieval.indexer import IngestReport

STYLE_NAMES = {
    "cn-dun": "一、", "cn-dot": "一.", "cn-paren": "（一）", "ar-dun": "1、", "ar-dot": "1.", "ar-paren": "（1）",
    "circled": "①", "di-编": "第X编", "di-部分": "第X部分", "di-章": "第X章", "di-节": "第X节", "di-条": "第X条",
    "di-款": "第X款", "unnumbered": "unnumbered", "intro": "section intro", "annex": "annex text",
    "annex-row": "annex rows",
}


def print_ingest_report(report: IngestReport, index_dir: Path) -> None:
    for d in report.documents:
        levels = " > ".join(STYLE_NAMES.get(s, s) for s in d.levels) or "none"
        counts = ", ".join(f"{STYLE_NAMES.get(k, k)} {v}" for k, v in d.by_level.items())
        typer.echo(f"{d.doc_id}: {d.clauses} clauses ({counts}); levels {levels}; {d.sections} section headings")
        typer.echo(f"    {d.title or 'title unknown'} | {d.issuer or 'issuer unknown'} | {d.date or 'date unknown'} "
                   f"| {d.status}" + (f" | {d.translated} translated" if d.translated else ""))
        for w in d.warnings:
            typer.echo(f"    warning: {w}")
    for w in report.warnings:
        typer.echo(f"warning: {w}")
    for e in report.errors:
        typer.echo(f"error: {e}", err=True)
    state = "unchanged, nothing to do" if report.unchanged else (
        f"{report.embedded} embedded, {report.reused} reused")
    typer.echo(f"{len(report.documents)} documents, {report.clauses} clauses; index {index_dir} ({state}) "
               f"in {report.seconds:.1f} s")
