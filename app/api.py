"""The HTTP API (FastAPI; OpenAPI docs at /docs) with the Gradio chat mounted at /.

    POST /api/ask                {"question": "出口退税审批多久？"}      -> Answer with citations
    GET  /api/search?q=…&k=5                                          -> {"results": [Citation, …]}
    GET  /api/documents, /api/documents/{doc_id}, /api/clauses/{clause_id}
    POST /api/feedback, GET /healthz
    GET  /api/answers/{id}.md                                         -> a recent answer as Markdown
    GET  /v1/models, POST /v1/chat/completions                        (OpenAI-compatible, app.openai_api)
    GET  /documents/{doc_id}#clause=…                                 (document viewer, app.viewer)
    POST /api/documents, DELETE /api/documents/{doc_id}              (admin: POLICYQA_ADMIN_TOKEN)
        -> 202 {"job": "3f2a…", "state": "queued", "status_url": "/api/jobs/3f2a…"}
    GET  /api/jobs/{job_id}      -> {"state": "queued" | "running" | "done" | "failed", "reason": …, "result": …}

Every route is behind a body-size limit, security headers and (the API routes) a rate limit; every error is
looked up in app/errors_map.py and answered with {"detail": "<one sentence, no server paths>"}.
"""

from __future__ import annotations

import hmac
import logging
import threading
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import AfterValidator, BaseModel, Field
from pydantic_core import PydanticCustomError
from slowapi.errors import RateLimitExceeded
from slowapi.middleware import SlowAPIASGIMiddleware
from starlette.datastructures import UploadFile as FormFile

from ingest import bounds
from ingest.errors import (AdminDisabledError, AuthError, CuratedDocumentError, EmptyCorpusError, IndexBusyError,
                           InvalidQueryError, PolicyQAError, UnknownIdError, UnreadableUpload)
from ingest.model import Status
from ingest.pipeline import discover
from retrieval.query import MAX_QUESTION_CHARS
from retrieval.searcher import Filters

from retrieval.citations import Citation, to_citation
from .answer_store import AnswerStore
from .export import answer_markdown
from .errors_map import outcome
from .feedback import FeedbackStore
from .isolated import ingest_in_child
from .jobs import JobQueue
from .limits import MULTIPART_OVERHEAD, AuthThrottle, BodySizeLimit, TooManyFailures, make_limiter, retry_after
from .openai_api import openai_router
from .safety import PathScrubber, SecurityHeaders
from .serialize import AnswerRecord, to_record
from .service import PolicyQA
from .settings import Settings
from .uploads import stage_upload, stale_pending
from .viewer import viewer_router

log = logging.getLogger("policyqa.api")


def _valid_unicode(value: str) -> str:
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise PydanticCustomError("invalid_unicode", "contains a lone UTF-16 surrogate; send valid UTF-8 text")
    return value


# every string field is bounded and valid Unicode; the exact question limit (after whitespace is collapsed)
# is the service's, this one only stops megabytes early
Text = Annotated[str, AfterValidator(_valid_unicode)]
QUESTION_FIELD_CHARS = 4 * MAX_QUESTION_CHARS
Question = Annotated[Text, Field(max_length=QUESTION_FIELD_CHARS)]
Ident = Annotated[Text, Field(max_length=300)]
Short = Annotated[Text, Field(max_length=200)]
DateText = Annotated[Text, Field(max_length=40, description="YYYY-MM-DD")]
MAX_LIST = 100


class AskRequest(BaseModel):
    question: Question = Field(description="in Chinese or English", examples=["广东省出口退税审批要在多少个工作日内完成？"])
    k: int | None = Field(None, ge=1, le=50, description="clauses retrieved (default: the server's POLICYQA_K)")
    doc_ids: list[Ident] = Field([], max_length=MAX_LIST)
    issuer: Short | None = None
    date_from: DateText | None = None
    date_to: DateText | None = None
    status: list[Status] = Field([], max_length=len(Status))
    history: list[dict] = Field([], max_length=MAX_LIST,
                                description="earlier turns [{role, content, citations?}] for a follow-up")
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
    question: Text = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    answer: Text = Field(min_length=1, max_length=50_000)
    rating: Literal["up", "down"]
    comment: Text | None = Field(None, max_length=5000)
    clause_ids: list[Ident] = Field([], max_length=50)


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
    qa = qa or PolicyQA(settings, fallback_to_older=True)
    feedback = FeedbackStore(settings.index_dir / "feedback.sqlite")
    scrubber = PathScrubber({settings.uploads_dir: "uploads", settings.corpus_dir: "corpus",
                             settings.index_dir: "index"})
    jobs = JobQueue(max_queued=settings.jobs_max_queued, busy_wait=settings.jobs_busy_wait, scrub=scrubber.scrub)
    limiter = make_limiter(settings.rate_limit)
    throttle = AuthThrottle(settings.auth_fail_limit)
    # questions are CPU-bound Python: more of them at once than cores only contend for the GIL, which delays
    # the event loop (and /healthz) without answering any sooner
    computing = threading.BoundedSemaphore(settings.max_concurrent_questions)
    app = FastAPI(title="PolicyQA", version="0.1.0",
                  description="Answers on Chinese foreign-trade policy with citations to the exact clause and issuing body.")
    app.state.qa = qa
    app.state.feedback = feedback
    answers = AnswerStore(capacity=1000)
    app.state.answers = answers
    app.state.jobs = jobs
    app.state.limiter = limiter

    # ---------- errors: one table, one sentence, no server paths ----------
    def error_response(exc: Exception) -> JSONResponse:
        result = outcome(exc)
        headers = {"Retry-After": str(result.retry_after)} if result.retry_after else None
        return JSONResponse(status_code=result.http, content={"detail": scrubber.scrub(str(exc))}, headers=headers)

    @app.exception_handler(PolicyQAError)
    async def _policyqa_error(request: Request, exc: PolicyQAError):
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        # no "input" echoed back: a 30 MB body must not come back as a 30 MB error
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))[:300], "type": e.get("type")}
                  for e in exc.errors()[:20]]
        status = 400 if any(e["type"] in ("invalid_unicode", "string_unicode") for e in errors) else 422
        return JSONResponse(status_code=status, content={"detail": errors})

    @app.exception_handler(TooManyFailures)
    async def _too_many_failures(request: Request, exc: TooManyFailures):
        return JSONResponse(status_code=429, content={"detail": str(exc)},
                            headers={"Retry-After": str(exc.retry_after)})

    @app.exception_handler(RateLimitExceeded)
    async def _rate_limited(request: Request, exc: RateLimitExceeded):
        return JSONResponse(status_code=429, headers={"Retry-After": str(retry_after(limiter, request))}, content={
            "detail": f"too many requests ({exc.detail}); slow down (limit POLICYQA_RATE_LIMIT)"})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(status_code=500, content={"detail": "internal error; see the server log"})

    # ---------- admin ----------
    def require_admin(request: Request, authorization: str | None = Header(None),
                      x_admin_token: str | None = Header(None)) -> None:
        if not settings.admin_token:
            raise AdminDisabledError("document administration is disabled: set POLICYQA_ADMIN_TOKEN to enable it")
        client = request.client.host if request.client else "unknown"
        throttle.check(client)
        given = x_admin_token or (authorization or "").removeprefix("Bearer ").strip()
        # headers arrive as latin-1 text: compare bytes, so a non-ASCII token is a 401, not a TypeError
        if not given or not hmac.compare_digest(given.encode("latin-1", "replace"),
                                                settings.admin_token.encode("utf-8")):
            throttle.failed(client)
            raise AuthError("missing or wrong admin token: send 'Authorization: Bearer <POLICYQA_ADMIN_TOKEN>'")

    # ---------- reading ----------
    @app.get("/healthz")
    async def healthz():
        health = qa.health(load=False)
        if health["status"] == "not loaded":
            health = await run_in_threadpool(qa.health)
        if health.get("reason"):
            health["reason"] = scrubber.scrub(health["reason"])
        return JSONResponse(status_code=200 if health.get("build") else 503, content=health)

    limiter.exempt(healthz)

    def filters_of(doc_ids, issuer, date_from, date_to, statuses) -> Filters:
        return Filters.of(doc_ids=tuple(doc_ids), issuer=issuer, date_from=date_from, date_to=date_to,
                          statuses=tuple(statuses))

    @app.post("/api/ask", response_model=AnswerOut,
              responses={200: {"content": {"text/markdown": {}}, "description": "JSON, or Markdown with format=markdown"}})
    def ask(request: AskRequest, http: Request):
        filters = filters_of(request.doc_ids, request.issuer, request.date_from, request.date_to, request.status)
        with computing:
            answer = qa.ask(request.question, k=request.k, filters=filters, history=request.history or None)
        record = answers.put(to_record(answer, base_url=str(http.base_url)))
        if request.format == "markdown":
            return PlainTextResponse(answer_markdown(record), media_type="text/markdown; charset=utf-8")
        return record

    @app.get("/api/answers/{answer_id}.md", response_class=PlainTextResponse)
    def answer_md(answer_id: Ident):
        record = answers.get(answer_id)
        if record is None:
            raise UnknownIdError(f"no recent answer with id {answer_id!r}: answers are kept in memory for a while "
                                 "only; ask again (POST /api/ask) and use the new id")
        return PlainTextResponse(answer_markdown(record), media_type="text/markdown; charset=utf-8")

    @app.get("/api/search", response_model=SearchOut)
    def search(q: Annotated[Text, Query(description="the question", max_length=QUESTION_FIELD_CHARS)],
               k: int | None = Query(None, ge=1, le=50, description="default: the server's POLICYQA_K"),
               doc: Annotated[list[Text], Query(description="document ids", max_length=MAX_LIST)] = [],
               issuer: Annotated[Text | None, Query(max_length=200)] = None,
               date_from: Annotated[Text | None, Query(max_length=40, description="YYYY-MM-DD")] = None,
               date_to: Annotated[Text | None, Query(max_length=40, description="YYYY-MM-DD")] = None,
               status: Annotated[list[Status], Query(max_length=len(Status))] = []) -> SearchOut:
        filters = filters_of(doc, issuer, date_from, date_to, status)
        with computing:
            hits = qa.search(q, k=k, filters=filters)
        return SearchOut(query=q, results=[to_citation(h.clause, h.document, score=h.score, item=h.item) for h in hits])

    @app.get("/api/documents", response_model=list[DocumentOut])
    def documents() -> list[DocumentOut]:
        return [document_out(qa, d) for d in qa.documents()]

    @app.get("/api/documents/{doc_id}", response_model=DocumentDetail)
    def document(doc_id: Annotated[Text, PathParam(max_length=300)]) -> DocumentDetail:
        doc = qa.document(doc_id)
        return DocumentDetail(**document_out(qa, doc).model_dump(), tree=clause_tree(qa, doc_id))

    @app.get("/api/clauses/{clause_id:path}", response_model=Citation)
    def clause(clause_id: Annotated[Text, PathParam(max_length=300)]) -> Citation:
        c = qa.clause(clause_id)
        return to_citation(c, qa.document(c.doc_id))

    @app.post("/api/feedback", response_model=FeedbackOut)
    def add_feedback(item: FeedbackIn) -> FeedbackOut:
        return FeedbackOut(id=feedback.add(question=item.question, answer=item.answer, rating=item.rating,
                                           comment=item.comment, clause_ids=item.clause_ids))

    @app.get("/api/jobs/{job_id}")
    def job_status(job_id: Annotated[Text, PathParam(max_length=40)]) -> dict:
        return jobs.get(job_id).public()

    # ---------- changing the index: jobs, one at a time, off the event loop ----------
    def accepted(job) -> JSONResponse:
        return JSONResponse(status_code=202, content={"job": job.id, "state": job.state.value, "kind": job.kind,
                                                      "label": job.label, "status_url": f"/api/jobs/{job.id}"},
                            headers={"Location": f"/api/jobs/{job.id}"})

    def run_ingest(paths: list[Path] | None = None):
        """One ingest for a job: in a child process (the event loop then never waits for the GIL), then load it."""
        if not settings.ingest_isolated:
            return jobs.retry_busy(lambda: qa.ingest(paths))
        report = jobs.retry_busy(lambda: ingest_in_child(settings, paths))
        qa.refresh()
        return report

    def refuse_when_busy() -> None:
        # our own worker holding the lock is no reason to refuse: the job queues behind it
        if not jobs.working() and qa.index_dir.busy():
            raise IndexBusyError("another ingest is writing the index right now; retry in a few seconds")

    def stage(data: bytes, filename: str):
        with bounds.using(settings.bounds()):
            return stage_upload(data, filename, settings.uploads_dir, max_bytes=settings.upload_max_bytes,
                                taken=jobs.active_labels())

    def ingest_upload(staged) -> dict:
        try:
            staged.commit()
        except BaseException:
            staged.discard()
            raise
        try:
            report = run_ingest()
        except BaseException:
            staged.withdraw()  # nothing was published: the index is as before, so is the folder
            raise
        mine = [d for d in report.documents if Path(d.path).resolve() == staged.target.resolve()]
        if not mine:
            staged.withdraw()  # the published build left it out already
            reasons = [e for e in report.errors if staged.target.name in e] or list(report.errors)
            raise UnreadableUpload(f"{staged.name} could not be indexed: " + "; ".join(reasons))
        d = mine[0]
        return {"doc_id": d.doc_id, "title": d.title, "clauses": d.clauses,
                "warnings": [scrubber.scrub(w) for w in d.warnings]}

    @app.post("/api/documents", dependencies=[Depends(require_admin)], status_code=202, openapi_extra={
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}}}}}}})
    async def upload(request: Request):
        """Accept a document (multipart field `file`) and ingest it in the background: poll the job."""
        refuse_when_busy()
        # the body is read only now, after the token was checked, and within the body-size limit
        try:
            form = await request.form(max_files=1, max_fields=5,
                                      max_part_size=settings.upload_max_bytes + MULTIPART_OVERHEAD)
        except PolicyQAError:
            raise
        except Exception as exc:
            if getattr(exc, "status_code", None) == 413:
                raise
            raise InvalidQueryError("send the document as multipart/form-data with the field 'file'") from None
        try:
            file = form.get("file")
            if not isinstance(file, FormFile):
                raise InvalidQueryError("send the document as multipart/form-data with the field 'file'")
            data = await file.read(settings.upload_max_bytes + 1)
            filename = file.filename or ""
        finally:
            await form.close()
        staged = await run_in_threadpool(stage, data, filename)
        try:
            job = jobs.submit("upload", lambda: ingest_upload(staged), label=staged.name)
        except BaseException:
            staged.discard()
            raise
        return accepted(job)

    def delete_document(doc_id: str, path: Path) -> dict:
        remaining = [p for p in discover([settings.corpus_dir]).files if p.resolve() != path]
        if not remaining:
            raise EmptyCorpusError(f"{doc_id} is the only document; the index cannot be empty")
        run_ingest(remaining)  # first the index stops holding it …
        path.unlink(missing_ok=True)  # … then its file goes
        return {"deleted": doc_id}

    @app.delete("/api/documents/{doc_id}", dependencies=[Depends(require_admin)], status_code=202)
    def delete(doc_id: Annotated[Text, PathParam(max_length=300)]):
        qa.document(doc_id)
        row = next(r for r in qa.index.store.document_rows() if r["doc_id"] == doc_id)
        path = Path(row["path"]).resolve()
        if settings.uploads_dir.resolve() not in path.parents:
            raise CuratedDocumentError(f"{doc_id} is part of the curated corpus, not an upload; remove its file from "
                                       f"{settings.corpus_dir} and run `policyqa ingest` instead")
        refuse_when_busy()
        return accepted(jobs.submit("delete", lambda: delete_document(doc_id, path), label=doc_id))

    # ---------- start-up: the uploads folder and the index agree, or are made to ----------
    def reconcile() -> dict:
        for stale in stale_pending(settings.uploads_dir):
            stale.unlink(missing_ok=True)
        uploads = settings.uploads_dir.resolve()
        files = {p.resolve() for p in discover([settings.uploads_dir]).files} if uploads.is_dir() else set()
        try:
            indexed = {Path(r["path"]).resolve() for r in qa.index.store.document_rows()}
        except PolicyQAError:
            return {"checked": False}
        missing = sorted(files - indexed)
        orphans = sorted(p for p in indexed if uploads in p.parents and p not in files)
        if not missing and not orphans:
            return {"checked": True, "reingested": [], "removed": [], "unreadable": []}
        log.warning("uploads and index disagree (%d file(s) not indexed, %d entry(ies) without a file): re-ingesting",
                    len(missing), len(orphans))
        report = run_ingest()
        done = {Path(d.path).resolve() for d in report.documents}
        unreadable = [p.name for p in missing if p not in done]
        for name in unreadable:
            log.error("uploaded file %s could not be indexed; remove it or fix it", name)
        return {"checked": True, "reingested": [p.name for p in missing if p in done],
                "removed": [p.name for p in orphans], "unreadable": unreadable,
                "errors": [scrubber.scrub(e) for e in report.errors]}

    app.state.reconcile_job = jobs.submit("reconcile", reconcile, label="uploads")

    # ---------- middleware (the last added is the outermost) ----------
    app.add_middleware(SlowAPIASGIMiddleware)
    if settings.cors_origin_list:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origin_list,
                           allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "X-Admin-Token", "Content-Type"])
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes,
                       upload_max_bytes=settings.upload_max_bytes + MULTIPART_OVERHEAD,
                       upload_paths={"/api/documents"}, blocked_paths=("/gradio_api/upload",))
    app.add_middleware(SecurityHeaders)

    app.include_router(openai_router(qa, store=answers))
    app.include_router(viewer_router(qa))

    if with_ui:
        import gradio as gr

        from .ui import CSS, build_ui

        app = gr.mount_gradio_app(app, build_ui(qa, feedback, answers=answers), path="/", css=CSS, footer_links=["api"])
    return app
