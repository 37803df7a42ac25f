"""Limits at the edge: request body size, request rate, failed admin authentications.

    BodySizeLimit(app, max_bytes=1_000_000, upload_max_bytes=10_000_000 + MULTIPART_OVERHEAD,
                  upload_paths={"/api/documents"}, blocked_paths=("/gradio_api/upload",))
        Content-Length: 30000000 on /api/ask  -> 413 at once, no byte of the body read
        a chunked body that passes the limit  -> 413 as soon as the limit is passed
    make_limiter("300/minute")                -> slowapi Limiter for the API routes (429 with Retry-After)
    AuthThrottle("5/minute").check("1.2.3.4") -> raises TooManyFailures(retry_after=…) after 5 failures

The body limit is an ASGI middleware (not a route dependency) so that it applies to every route,
Gradio's included, before any framework reads the body. Rate limiting uses slowapi (and its engine,
`limits`) rather than a hand-made counter.
"""

from __future__ import annotations

import json
import math
import time

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from slowapi import Limiter
from slowapi.util import get_remote_address
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the uploaded file


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes the limit (FastAPI re-raises HTTPExceptions from
    body parsing unchanged, so the client gets this 413 rather than "error parsing the body")."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes; send less "
                              "(limits: POLICYQA_MAX_BODY_BYTES, uploads POLICYQA_UPLOAD_MAX_BYTES)")


async def _send_json(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *headers]})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_max_bytes: int, upload_paths: set[str],
                 blocked_paths: tuple[str, ...] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_max_bytes = upload_max_bytes
        self.upload_paths = upload_paths
        self.blocked_paths = blocked_paths

    def limit_for(self, scope: Scope) -> int:
        path = scope.get("path", "")
        return self.upload_max_bytes if path in self.upload_paths else self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if any(path.endswith(p) for p in self.blocked_paths):
            await _send_json(send, 403, "file upload through the chat is disabled; administrators upload documents "
                                        "with POST /api/documents")
            return
        limit = self.limit_for(scope)
        declared = [v for k, v in scope.get("headers", []) if k == b"content-length"]
        if declared:
            try:
                length = int(declared[0])
            except ValueError:
                await _send_json(send, 400, "the Content-Length header is not a number")
                return
            if length > limit:
                await _send_json(send, 413, BodyTooLarge(limit).detail)
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge as exc:
            if started:
                raise
            await _send_json(send, 413, exc.detail)


def make_limiter(rate: str) -> Limiter:
    """slowapi over the FastAPI routes (mounted apps such as Gradio have no route handler and are exempt)."""
    # headers_enabled would stamp the limiter's Retry-After on every response, a busy index's 503 included
    return Limiter(key_func=get_remote_address, default_limits=[rate], headers_enabled=False,
                   storage_uri="memory://")


def retry_after(limiter: Limiter, request) -> int:
    """Seconds until the limit a 429 was for lets a request through again."""
    try:
        item, args = request.state.view_rate_limit
        reset = limiter.limiter.get_window_stats(item, *args).reset_time
        return max(1, math.ceil(reset - time.time()))
    except (AttributeError, TypeError, ValueError):
        return 60


class TooManyFailures(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed admin authentications; retry in {retry_after} s")
        self.retry_after = retry_after


class AuthThrottle:
    """Counts failed authentications per client address; once `rate` is used up, every attempt (right or
    wrong) is refused until the window moves on, so tokens cannot be guessed at hundreds per second."""

    def __init__(self, rate: str) -> None:
        self._item = parse(rate)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def check(self, client: str) -> None:
        if not self._limiter.test(self._item, client):
            reset = self._limiter.get_window_stats(self._item, client).reset_time
            raise TooManyFailures(max(1, math.ceil(reset - time.time())))

    def failed(self, client: str) -> None:
        self._limiter.hit(self._item, client)
