"""The HTTP API (FastAPI; OpenAPI docs at /docs) with the Gradio chat mounted at /.

    POST /api/ask                {"question": "出口退税审批多久？"}      -> Answer with citations
    GET  /api/search?q=…&k=5                                          -> {"results": [Citation, …]}
    GET  /api/documents, /api/documents/{doc_id}, /api/clauses/{clause_id}
    POST /api/feedback, GET /healthz
    GET  /api/answers/{id}.md                                         -> a recent answer as Markdown
    GET  /v1/models, POST /v1/chat/completions                        (OpenAI-compatible, app.openai_api)
    GET  /documents/{doc_id}#clause=…                                 (document viewer, app.viewer)
    POST /api/documents, DELETE /api/documents/{doc_id}              (admin: POLICYQA_ADMIN_TOKEN)
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Literal

from fastapi import Depends, FastAPI, File, Header, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field

from ingest.errors import IndexNotFoundError, InvalidQueryError, ModelMismatchError, PolicyQAError, UnknownIdError
from ingest.model import Status
from retrieval.query import MAX_QUESTION_CHARS
from retrieval.searcher import Filters

from retrieval.citations import Citation, to_citation
from .answer_store import AnswerStore
from .export import answer_markdown
from .feedback import FeedbackStore
from .openai_api import openai_router
from .serialize import AnswerRecord, to_record
from .service import PolicyQA
from .settings import Settings
from .uploads import UploadError, save_upload
from .viewer import viewer_router


class AskRequest(BaseModel):
    question: str = Field(description="in Chinese or English", examples=["广东省出口退税审批要在多少个工作日内完成？"])
    k: int = Field(5, ge=1, le=50)
    doc_ids: list[str] = []
    issuer: str | None = None
    date_from: str | None = Field(None, description="YYYY-MM-DD")
    date_to: str | None = Field(None, description="YYYY-MM-DD")
    status: list[Status] = []
    history: list[dict] = Field([], description="earlier turns [{role, content, citations?}] for a follow-up")
    format: Literal["json", "markdown"] = "json"


AnswerOut = AnswerRecord  # one answer shape for the API, the batch CLI and the OpenAI endpoint (app.serialize)


class SearchOut(BaseModel):
    query: str
    results: list[Citation]


class DocumentOut(BaseModel):
    doc_id: str
    title: str | None
    title_en: str | None
    issuer: str | None
    date: str | None
    status: str
    source_url: str | None
    publisher: str | None
    provenance: dict[str, str]
    clauses: int


class TreeNode(BaseModel):
    heading: str
    label: str
    clause_id: str | None = None
    children: list["TreeNode"] = []


class DocumentDetail(DocumentOut):
    tree: list[TreeNode]


class FeedbackIn(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    answer: str = Field(min_length=1, max_length=50_000)
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=5000)
    clause_ids: list[str] = []


class FeedbackOut(BaseModel):
    id: int


def document_out(qa: PolicyQA, doc) -> DocumentOut:
    return DocumentOut(doc_id=doc.doc_id, title=doc.title, title_en=doc.title_en, issuer=doc.issuer, date=doc.date,
                       status=doc.status.value, source_url=doc.source_url, publisher=doc.publisher,
                       provenance=doc.provenance, clauses=sum(1 for c in qa.index.clauses if c.doc_id == doc.doc_id))


def clause_tree(qa: PolicyQA, doc_id: str) -> list[TreeNode]:
    """Sections and clauses nested by their paths: [TreeNode("一、…", children=[TreeNode("(一) …", clause_id=…)])]."""
    roots: list[TreeNode] = []
    index: dict[tuple[str, ...], TreeNode] = {}
    for clause in qa.clauses(doc_id):
        parents = clause.path[:-1] if clause.path else ()
        siblings = roots
        for depth in range(len(parents)):
            key = parents[: depth + 1]
            if key not in index:
                node = TreeNode(heading=key[-1], label="")
                index[key] = node
                siblings.append(node)
            siblings = index[key].children
        heading = clause.path[-1] if clause.path else clause.text.split("\n")[0][:40]
        siblings.append(TreeNode(heading=heading, label=clause.label, clause_id=clause.clause_id))
    return roots


def create_app(settings: Settings | None = None, *, qa: PolicyQA | None = None, with_ui: bool = True) -> FastAPI:
    settings = settings or Settings()
    qa = qa or PolicyQA(settings)
    feedback = FeedbackStore(settings.index_dir / "feedback.sqlite")
    app = FastAPI(title="PolicyQA", version="0.1.0",
                  description="Answers on Chinese foreign-trade policy with citations to the exact clause and issuing body.")
    app.state.qa = qa
    app.state.feedback = feedback
    answers = AnswerStore(capacity=1000)
    app.state.answers = answers

    @app.exception_handler(PolicyQAError)
    async def _policyqa_error(request: Request, exc: PolicyQAError):
        if isinstance(exc, UnknownIdError):
            status = 404
        elif isinstance(exc, InvalidQueryError):
            status = 400
        elif isinstance(exc, UploadError):
            status = exc.status
        elif isinstance(exc, (IndexNotFoundError, ModelMismatchError)):
            status = 503
        else:
            status = 500
        return JSONResponse(status_code=status, content={"detail": str(exc)})

    def require_admin(authorization: str | None = Header(None), x_admin_token: str | None = Header(None)) -> None:
        if not settings.admin_token:
            raise HTTPException(403, "document administration is disabled: set POLICYQA_ADMIN_TOKEN to enable it")
        given = x_admin_token or (authorization or "").removeprefix("Bearer ").strip()
        if not given or not hmac.compare_digest(given, settings.admin_token):
            raise HTTPException(401, "missing or wrong admin token: send 'Authorization: Bearer <POLICYQA_ADMIN_TOKEN>'")

    @app.get("/healthz")
    def healthz():
        build = qa.index_dir.current()
        if build is None:
            return JSONResponse(status_code=503, content={"status": "no index", "detail": "run `policyqa ingest`"})
        return {"status": "ok", "build": build.name, "clauses": len(qa.index.clauses), "model": qa.index.model}

    @app.post("/api/ask", response_model=AnswerOut,
              responses={200: {"content": {"text/markdown": {}}, "description": "JSON, or Markdown with format=markdown"}})
    def ask(request: AskRequest, http: Request):
        filters = Filters.of(doc_ids=tuple(request.doc_ids), issuer=request.issuer, date_from=request.date_from,
                          date_to=request.date_to, statuses=tuple(request.status))
        answer = qa.ask(request.question, k=request.k, filters=filters, history=request.history or None)
        record = answers.put(to_record(answer, base_url=str(http.base_url)))
        if request.format == "markdown":
            return PlainTextResponse(answer_markdown(record), media_type="text/markdown; charset=utf-8")
        return record

    @app.get("/api/answers/{answer_id}.md", response_class=PlainTextResponse)
    def answer_md(answer_id: str):
        record = answers.get(answer_id)
        if record is None:
            raise HTTPException(404, f"no recent answer with id {answer_id!r}: answers are kept in memory for a while "
                                     "only; ask again (POST /api/ask) and use the new id")
        return PlainTextResponse(answer_markdown(record), media_type="text/markdown; charset=utf-8")

    @app.get("/api/search", response_model=SearchOut)
    def search(q: str = Query(..., description="the question"), k: int = Query(5, ge=1, le=50),
               doc: list[str] = Query([], description="document ids"), issuer: str | None = None,
               date_from: str | None = None, date_to: str | None = None,
               status: list[Status] = Query([])) -> SearchOut:
        filters = Filters.of(doc_ids=tuple(doc), issuer=issuer, date_from=date_from, date_to=date_to,
                          statuses=tuple(status))
        hits = qa.search(q, k=k, filters=filters)
        return SearchOut(query=q, results=[to_citation(h.clause, h.document, score=h.score) for h in hits])

    @app.get("/api/documents", response_model=list[DocumentOut])
    def documents() -> list[DocumentOut]:
        return [document_out(qa, d) for d in qa.documents()]

    @app.get("/api/documents/{doc_id}", response_model=DocumentDetail)
    def document(doc_id: str) -> DocumentDetail:
        doc = qa.document(doc_id)
        return DocumentDetail(**document_out(qa, doc).model_dump(), tree=clause_tree(qa, doc_id))

    @app.get("/api/clauses/{clause_id:path}", response_model=Citation)
    def clause(clause_id: str) -> Citation:
        c = qa.clause(clause_id)
        return to_citation(c, qa.document(c.doc_id))

    @app.post("/api/feedback", response_model=FeedbackOut)
    def add_feedback(item: FeedbackIn) -> FeedbackOut:
        return FeedbackOut(id=feedback.add(question=item.question, answer=item.answer, rating=item.rating,
                                           comment=item.comment, clause_ids=item.clause_ids))

    @app.post("/api/documents", dependencies=[Depends(require_admin)], status_code=201)
    async def upload(file: UploadFile = File(...)):
        data = await file.read(settings.upload_max_bytes + 1)
        path = save_upload(data, file.filename or "", settings.uploads_dir, max_bytes=settings.upload_max_bytes)
        try:
            report = qa.ingest()
        except PolicyQAError:
            path.unlink(missing_ok=True)
            raise
        mine = [d for d in report.documents if Path(d.path).resolve() == path.resolve()]
        if not mine:
            path.unlink(missing_ok=True)
            qa.ingest()
            raise UploadError(f"{path.name} could not be indexed: " + "; ".join(report.errors), 422)
        d = mine[0]
        return {"doc_id": d.doc_id, "title": d.title, "clauses": d.clauses, "warnings": list(d.warnings)}

    @app.delete("/api/documents/{doc_id}", dependencies=[Depends(require_admin)])
    def delete(doc_id: str):
        qa.document(doc_id)
        row = next(r for r in qa.index.store.document_rows() if r["doc_id"] == doc_id)
        path = Path(row["path"]).resolve()
        uploads = settings.uploads_dir.resolve()
        if uploads not in path.parents:
            raise HTTPException(409, f"{doc_id} is part of the curated corpus, not an upload; remove its file from "
                                     f"{settings.corpus_dir} and run `policyqa ingest` instead")
        path.unlink(missing_ok=True)
        qa.ingest()
        return {"deleted": doc_id}

    app.include_router(openai_router(qa, store=answers))
    app.include_router(viewer_router(qa))

    if with_ui:
        import gradio as gr

        from .ui import CSS, build_ui

        app = gr.mount_gradio_app(app, build_ui(qa, feedback, answers=answers), path="/", css=CSS, footer_links=["api"])
    return app
