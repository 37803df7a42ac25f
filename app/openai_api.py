"""An OpenAI-compatible chat endpoint, so any OpenAI client, Open WebUI or LangChain's ChatOpenAI can use PolicyQA.

    GET  /v1/models                -> {"object": "list", "data": [{"id": "policyqa", "object": "model", …}]}
    POST /v1/chat/completions      {"model": "policyqa", "messages": [{"role": "user", "content": "出口退税审批多久？"}]}
        -> {"object": "chat.completion", "choices": [{"message": {"role": "assistant",
                                                                  "content": "根据…“…”[1]\\n\\n来源 Sources:\\n[1] …"}}],
            "citations": [<Citation with url>, …], "policyqa": {"refused": false, "mode": "extractive", …}}

The last message is the question; the earlier user/assistant messages are the conversation (a follow-up is
resolved from them, app.conversation). An assistant message may carry the `citations` it was sent, else the
previous question is asked again. `stream: true` sends server-sent events in the OpenAI chunk format, the frame
and quotes of the answer piece by piece, the citations on the last chunk, then `data: [DONE]`. A refusal is a
normal assistant message without citations. Errors use OpenAI's shape:
{"error": {"message": "…", "type": "invalid_request_error", "param": "messages", "code": null}}.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from ingest.errors import IndexNotFoundError, InvalidQueryError, ModelMismatchError, PolicyQAError, UnknownIdError

from .serialize import AnswerRecord, to_record
from .streaming import pieces

MODEL_ID = "policyqa"
CREATED = 1_764_547_200  # 2025-12-01, when this endpoint first served; OpenAI's "created" is informational


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str
    content: str | list | None = None
    citations: list | None = None


class ChatRequest(BaseModel):
    """The fields PolicyQA reads; other OpenAI parameters (temperature, max_tokens, …) are accepted and ignored:
    the answer is extractive and deterministic."""

    model_config = ConfigDict(extra="allow")
    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    k: int | None = Field(None, ge=1, le=50, description="PolicyQA extra: clauses retrieved")


class OpenAIError(Exception):
    def __init__(self, status: int, message: str, *, type_: str = "invalid_request_error", param: str | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.type, self.param, self.code = status, type_, param, code

    def response(self) -> JSONResponse:
        return JSONResponse(status_code=self.status, content={"error": {
            "message": str(self), "type": self.type, "param": self.param, "code": self.code}})


def _from_policyqa(exc: PolicyQAError) -> OpenAIError:
    if isinstance(exc, (InvalidQueryError, UnknownIdError)):
        return OpenAIError(400, str(exc), param="messages")
    if isinstance(exc, (IndexNotFoundError, ModelMismatchError)):
        return OpenAIError(503, str(exc), type_="server_error", code="index_unavailable")
    return OpenAIError(500, str(exc), type_="server_error")


def _text(content) -> str:
    if isinstance(content, list):  # content parts: [{"type": "text", "text": "…"}]
        return "".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return content or ""


def split_request(request: ChatRequest) -> tuple[str, list[dict]]:
    """(question, history): the last message must be the user's question."""
    if request.model != MODEL_ID:
        raise OpenAIError(404, f"The model {request.model!r} does not exist; this server offers {MODEL_ID!r} "
                               "(see GET /v1/models).", param="model", code="model_not_found")
    last = request.messages[-1]
    if last.role != "user":
        raise OpenAIError(400, f"The last message has role {last.role!r}; it must be the user's question.",
                          param="messages")
    question = _text(last.content).strip()
    if not question:
        raise OpenAIError(400, "The last user message is empty; put the question in its content.", param="messages")
    history = [{"role": m.role, "content": _text(m.content), "citations": m.citations}
               for m in request.messages[:-1] if m.role in ("user", "assistant")]
    bad = next((m.role for m in request.messages if m.role not in ("system", "developer", "user", "assistant")), None)
    if bad:
        raise OpenAIError(400, f"Messages with role {bad!r} are not supported; send system, user and assistant "
                               "messages only.", param="messages")
    return question, history


def content(record: AnswerRecord) -> str:
    """The answer text (with its [n] markers) followed by the numbered sources, so a plain chat client shows them."""
    if not record.citations:
        return record.answer
    lines = [f"[{n}] 《{c.doc_title or c.doc_id}》{c.clause}（{c.issuer or '发文机关未注明 issuer not stated'}，"
             f"{c.date or '日期未注明 date not stated'}） {c.url}" for n, c in enumerate(record.citations, start=1)]
    return record.answer + "\n\n来源 Sources:\n" + "\n".join(lines)


def _extras(record: AnswerRecord) -> dict:
    return {"citations": [c.model_dump(mode="json") for c in record.citations],
            "policyqa": {"refused": record.refused, "lang": record.lang, "mode": record.mode,
                         "short": record.short, "caveats": record.caveats, "answer_id": record.id}}


def _usage(question: str, text: str) -> dict:
    # no tokenizer-billed model runs here: counts are characters, reported so clients that read usage do not fail
    return {"prompt_tokens": len(question), "completion_tokens": len(text), "total_tokens": len(question) + len(text)}


def openai_router(qa, *, store=None) -> APIRouter:
    """Routes over a PolicyQA service; answers are kept in `store` (app.answer_store) when given."""
    router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])

    def answer(question: str, history: list[dict], k: int | None, base_url: str) -> AnswerRecord:
        record = to_record(qa.ask(question, k=k, history=history or None), base_url=base_url)
        return store.put(record) if store is not None else record

    @router.get("/models")
    def models():
        return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": CREATED,
                                            "owned_by": "policyqa"}]}

    @router.get("/models/{model_id}")
    def model(model_id: str):
        if model_id != MODEL_ID:
            return OpenAIError(404, f"The model {model_id!r} does not exist; this server offers {MODEL_ID!r}.",
                               param="model", code="model_not_found").response()
        return {"id": MODEL_ID, "object": "model", "created": CREATED, "owned_by": "policyqa"}

    @router.post("/chat/completions")
    async def chat_completions(request: Request):
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return OpenAIError(400, "The request body is not valid JSON.").response()
        try:
            chat = ChatRequest.model_validate(body)
            question, history = split_request(chat)
        except ValidationError as exc:
            first = exc.errors()[0]
            param = ".".join(str(p) for p in first["loc"]) or None
            return OpenAIError(400, f"Invalid value for {param}: {first['msg']}", param=param).response()
        except OpenAIError as exc:
            return exc.response()
        base_url = str(request.base_url).rstrip("/")
        completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        created = int(time.time())
        if not chat.stream:
            try:
                record = await run_in_threadpool(answer, question, history, chat.k, base_url)
            except PolicyQAError as exc:
                return _from_policyqa(exc).response()
            text = content(record)
            return {"id": completion_id, "object": "chat.completion", "created": created, "model": MODEL_ID,
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text, "refusal": None},
                                 "logprobs": None, "finish_reason": "stop"}],
                    "usage": _usage(question, text), **_extras(record)}

        def chunk(delta: dict, finish: str | None = None, **extra) -> str:
            data = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
                    "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}], **extra}
            return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

        def events() -> Iterator[str]:
            yield chunk({"role": "assistant", "content": ""})
            try:
                record = answer(question, history, chat.k, base_url)
            except PolicyQAError as exc:  # the stream has begun: the error travels as an event in OpenAI's shape
                err = _from_policyqa(exc)
                yield f"data: {json.dumps({'error': {'message': str(err), 'type': err.type, 'param': err.param, 'code': err.code}}, ensure_ascii=False)}\n\n"
                yield "data: [DONE]\n\n"
                return
            for piece in pieces(content(record)):
                yield chunk({"content": piece})
            yield chunk({}, "stop", **_extras(record))
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    return router
