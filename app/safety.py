"""Safe input and output at the edge: valid Unicode, strict dates, no server paths, security headers.

    reject_bad_unicode("出口\\ud800", "the question")  -> InvalidQueryError("the question contains a lone surrogate …")
    PathScrubber({Path("/srv/pqa/corpus"): "corpus"}).scrub("/srv/pqa/corpus/uploads/a.txt: empty")
                                                        -> "corpus/uploads/a.txt: empty"
"""

from __future__ import annotations

import re
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ingest.errors import InvalidQueryError

_SURROGATE = re.compile("[\ud800-\udfff]")
# an absolute POSIX path not part of a URL or a word ("http://x/y", "POST/DELETE" are left alone)
_ABSOLUTE = re.compile(r"(?<![\w.:/~-])/(?:[^\s/'\"():,;<>]+/)+([^\s/'\"():,;<>]*)")


def reject_bad_unicode(text, what: str):
    """`text` unchanged, or InvalidQueryError when it holds a lone surrogate (not encodable as UTF-8)."""
    if isinstance(text, str):
        bad = _SURROGATE.search(text)
        if bad:
            raise InvalidQueryError(f"{what} contains an invalid character (a lone UTF-16 surrogate, "
                                    f"U+{ord(bad.group()):04X}, at position {bad.start()}); send valid UTF-8 text")
    return text


class PathScrubber:
    """Replaces the server's own folders by their public names and any other absolute path by its file name."""

    def __init__(self, roots: dict[Path, str]) -> None:
        pairs: list[tuple[str, str]] = []
        for path, name in roots.items():
            for form in {str(path), str(path.resolve())}:
                if form not in (".", "/"):
                    pairs.append((form.rstrip("/"), name))
        self._roots = sorted(pairs, key=lambda p: -len(p[0]))  # longest first: uploads before corpus

    def scrub(self, text: str) -> str:
        for prefix, name in self._roots:
            if prefix.startswith("/"):
                text = text.replace(prefix, name)
        return _ABSOLUTE.sub(lambda m: m.group(1) or "…", text)


SECURITY_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"no-referrer",
    # only frame-ancestors: a full policy would have to list every script Gradio loads
    b"content-security-policy": b"frame-ancestors 'none'",
}


class SecurityHeaders:
    """ASGI middleware adding SECURITY_HEADERS to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in SECURITY_HEADERS.items():
                    if key.decode() not in headers:
                        headers.append(key.decode(), value.decode())
            await send(message)

        await self.app(scope, receive, send_with_headers)
