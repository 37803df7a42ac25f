"""The document viewer: one page per document with its clause tree, opened at a cited clause.

    GET /documents/gd-2014-stabilize-trade?clause=gd-2014-stabilize-trade%236.18&hl=0-95#clause=gd-2014-stabilize-trade%236.18
        -> the document's sections and clauses; clause 6.18 expanded and scrolled into view, characters 0-95 of
           its text (the quoted span, app.serialize.quote_spans) in <mark>,
           the Chinese original beside the English reference translation
    GET /documents -> the list of documents

Everything taken from a document is escaped: an <img> or a link inside a clause shows as text. The page's own
script (a nonce'd inline one, per its Content-Security-Policy) only opens the clause named in the URL fragment.
"""

from __future__ import annotations

import html
import re
import secrets
from urllib.parse import quote as url_quote

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from ingest.errors import UnknownIdError
from ingest.model import Clause, DocumentMeta

_SPANS = re.compile(r"^\d{1,6}-\d{1,6}(,\d{1,6}-\d{1,6}){0,19}$")

CSS = """
body {font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", "PingFang SC", sans-serif; margin: 0 auto;
      max-width: 1100px; padding: 12px; line-height: 1.6; color: #1f2328;}
h1 {font-size: 1.3em; margin: 0.3em 0;} .meta {color: #444; font-size: 0.9em;}
details {margin: 4px 0 4px 10px;} summary {cursor: pointer;}
.clause {border-left: 3px solid #d0d7de; padding: 2px 8px; margin: 6px 0;}
.clause.target {border-left-color: #b3261e; background: #fff8e1;}
.texts {display: grid; grid-template-columns: 1fr 1fr; gap: 12px;}
.zh, .en {white-space: pre-wrap; overflow-wrap: anywhere;} .en {color: #1f3a5f;}
.none {color: #777;} mark {background: #ffe066; padding: 0 1px;} .label {color: #b3261e; font-weight: bold;}
code {font-size: 0.8em; color: #666;} a {color: #0969da;}
@media (max-width: 700px) {.texts {grid-template-columns: 1fr;} details {margin-left: 4px;}}
"""

# opens the clause named in "#clause=<id>": expands its sections, scrolls it into view, marks it as the target
SCRIPT = """
function pqaShow() {
  const m = location.hash.match(/clause=([^&]+)/);
  if (!m) return;
  const el = document.getElementById("clause-" + decodeURIComponent(m[1]));
  if (!el) return;
  document.querySelectorAll(".clause.target").forEach(e => e.classList.remove("target"));
  el.classList.add("target");
  for (let p = el; p; p = p.parentElement) { if (p.tagName === "DETAILS") p.open = true; }
  el.scrollIntoView({block: "start"});
}
window.addEventListener("hashchange", pqaShow);
document.addEventListener("DOMContentLoaded", pqaShow);
"""


def _e(value) -> str:
    return html.escape(str(value)) if value is not None else ""


def parse_spans(value: str | None) -> list[tuple[int, int]]:
    """ "0-95,120-140" -> [(0, 95), (120, 140)]; anything else is a clear error."""
    if not value:
        return []
    if not _SPANS.match(value):
        raise ValueError(f"hl={value!r} is not a list of character ranges like 0-95,120-140")
    return [tuple(int(x) for x in part.split("-")) for part in value.split(",")]


def highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """Escaped `text` with the character ranges `spans` wrapped in <mark>:
    highlight("对<b>申报</b>在20个工作日内完成", [(12, 20)]) -> "对&lt;b&gt;申报&lt;/b&gt;<mark>在20个工作日内</mark>完成"."""
    out, at = [], 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        out += [_e(text[at:start]), f"<mark>{_e(text[start:end])}</mark>"]
        at = end
    out.append(_e(text[at:]))
    return "".join(out)


def clause_html(clause: Clause, target: str | None, spans: list[tuple[int, int]]) -> str:
    marked = clause.clause_id == target
    en = (f'<div class="en" lang="en"><b>English reference translation (unofficial)</b>\n{_e(clause.text_en)}</div>'
          if clause.text_en else '<div class="en none" lang="en">No English translation of this clause.</div>')
    heading = clause.path[-1] if clause.path else clause.text.split("\n")[0][:40]
    return (f'<div class="clause" id="clause-{_e(clause.clause_id)}" data-clause-id="{_e(clause.clause_id)}">'
            f'<details{" open" if marked else ""}><summary><span class="label">{_e(clause.label or "（无编号）")}</span> '
            f'{_e(heading)} <code>{_e(clause.clause_id)}</code></summary>'
            f'<div class="texts"><div class="zh" lang="zh">{highlight(clause.text, spans if marked else [])}</div>'
            f'{en}</div>'
            + (f'<div class="meta">责任单位 Responsible: {_e("、".join(clause.responsible))}</div>'
               if clause.responsible else "")
            + "</details></div>")


def tree_html(clauses: list[Clause], target: str | None = None, spans: list[tuple[int, int]] = ()) -> str:
    """Clauses nested under their section headings (path[:-1]), in document order."""
    out: list[str] = []
    open_path: tuple[str, ...] = ()
    for clause in clauses:
        parents = clause.path[:-1] if clause.path else ()
        common = 0
        while common < min(len(open_path), len(parents)) and open_path[common] == parents[common]:
            common += 1
        out += ["</details>"] * (len(open_path) - common)
        out += [f"<details open><summary>{_e(h)}</summary>" for h in parents[common:]]
        open_path = parents
        out.append(clause_html(clause, target, list(spans)))
    out += ["</details>"] * len(open_path)
    return "".join(out)


def page(title: str, body: str) -> HTMLResponse:
    nonce = secrets.token_urlsafe(12)
    doc = (f'<!doctype html><html lang="zh"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(title)}</title>'
           f'<style>{CSS}</style><script nonce="{nonce}">{SCRIPT}</script></head><body>{body}</body></html>')
    csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; img-src 'none'"
    return HTMLResponse(doc, headers={"Content-Security-Policy": csp})


def document_page(doc: DocumentMeta, clauses: list[Clause], target: str | None = None,
                  spans: list[tuple[int, int]] = ()) -> HTMLResponse:
    status = {"issued": "issued 已发布", "draft": "draft 征求意见稿", "unknown": "status unknown 状态未注明"}[doc.status.value]
    source = (f' · <a href="{_e(doc.source_url)}" rel="noopener noreferrer">source 来源</a>'
              if doc.source_url and doc.source_url.startswith(("http://", "https://")) else "")
    body = (f'<p><a href="/">← PolicyQA</a> · <a href="/documents">文件 Documents</a></p>'
            f'<h1 id="doc-title">{_e(doc.title or doc.doc_id)}</h1>'
            + (f'<div class="meta"><i>{_e(doc.title_en)}</i></div>' if doc.title_en else "")
            + f'<div class="meta">发文机关 Issuer: {_e(doc.issuer or "未注明 not stated")} · 日期 Date: '
            f'{_e(doc.date or "未注明 not stated")} · {_e(status)}{source}</div>'
            f'<div id="tree">{tree_html(clauses, target, spans)}</div>')
    return page(doc.title or doc.doc_id, body)


def viewer_router(qa) -> APIRouter:
    """Routes over a PolicyQA service (app.service)."""
    router = APIRouter(include_in_schema=False)

    @router.get("/documents", response_class=HTMLResponse)
    def documents() -> HTMLResponse:
        items = "".join(f'<li><a href="/documents/{url_quote(d.doc_id, safe="")}">{_e(d.title or d.doc_id)}</a> '
                        f'<span class="meta">{_e(d.issuer or "")} {_e(d.date or "")}</span></li>'
                        for d in qa.documents())
        return page("PolicyQA documents", f'<p><a href="/">← PolicyQA</a></p><h1>文件 Documents</h1><ul>{items}</ul>')

    @router.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document(doc_id: str, clause: str | None = Query(None, description="clause id to open"),
                 hl: str | None = Query(None, description="character ranges of its text to mark, e.g. 0-95")):
        try:
            doc = qa.document(doc_id)
            spans = parse_spans(hl)
        except (UnknownIdError, ValueError) as exc:
            response = page("PolicyQA: cannot show this document", f'<p><a href="/documents">文件 Documents</a></p><p>{_e(exc)}</p>')
            response.status_code = 404 if isinstance(exc, UnknownIdError) else 400
            return response
        return document_page(doc, qa.clauses(doc_id), clause, spans)

    return router
