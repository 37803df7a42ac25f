"""What the hardening tests and the load benchmark both do to a running PolicyQA: serve it on a free loopback port,
wait for a job, damage a build, send a zip bomb.

    with serving(create_app(settings, qa=qa)) as (host, port): ...        # uvicorn in a thread on 127.0.0.1
    free_port()                              -> 41873   (for a server started as its own process)
    poll_job(client, "/api/jobs/3f2a…")      -> {"state": "done", …}
    DAMAGES["truncated FAISS file"](build)   # build/dense_zh.faiss cut to 64 bytes
    zip_bomb(1 << 30)                        -> a 1 MB .docx whose document.xml inflates to 1 GiB

It lives in the installed package, not under tests/, because the bench scripts must not import the tests (they
run against an installed PolicyQA); the tests import it from here. It imports no PolicyQA package but
retrieval.layout (the names of a build's files), so eval stays on top of the import graph.
"""

from __future__ import annotations

import io
import socket
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import docx
import uvicorn

from retrieval import layout

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A port free on 127.0.0.1 right now (for `policyqa serve --port`; in-process servers use `serving`)."""
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


@contextmanager
def serving(app, *, timeout: float = 60.0, lifespan: str = "auto") -> Iterator[tuple[str, int]]:
    """Yield (host, port) of the ASGI `app` served by uvicorn in a daemon thread on the loopback interface; stop
    it afterwards. The socket is bound here and handed to uvicorn, so no other process can take the port between
    choosing and binding it. lifespan="off" when the caller has already run the app's start-up work."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, 0))
    host, port = sock.getsockname()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan=lifespan))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.02)
    try:
        if not server.started:
            raise RuntimeError(f"the server on {host}:{port} did not start within {timeout:.0f} s")
        yield host, port
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()


def poll_job(client, status_url: str, timeout: float = 60.0, interval: float = 0.05) -> dict:
    """GET a job's status URL until its state is "done" or "failed"; `client` is an httpx.Client or a
    TestClient. Raises TimeoutError naming the job and its last state."""
    deadline = time.monotonic() + timeout
    job = None
    while time.monotonic() < deadline:
        job = client.get(status_url).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(interval)
    raise TimeoutError(f"job {status_url} did not finish in {timeout:.0f} s: {job}")


# Damage done to a published build: each leaves the build unreadable in a way the loader must name.

def truncate_dense(build: Path) -> None:
    """Cut the primary Chinese FAISS index to 64 bytes."""
    path = build / layout.dense_name("zh")
    path.write_bytes(path.read_bytes()[:64])


def zero_sqlite_header(build: Path) -> None:
    """Overwrite the database's 100-byte header with zeros."""
    path = build / layout.DB_NAME
    data = bytearray(path.read_bytes())
    data[:100] = b"\x00" * 100
    path.write_bytes(bytes(data))


def remove_passage_map(build: Path) -> None:
    """Delete the Chinese passage -> clause map."""
    (build / layout.passages_name("zh")).unlink()


DAMAGES: dict[str, Callable[[Path], None]] = {
    "truncated FAISS file": truncate_dense,
    "corrupt SQLite": zero_sqlite_header,
    "missing .npy": remove_passage_map,
}


def real_docx(text: str = "一、第一条。\n二、第二条。") -> bytes:
    """A genuine .docx with one paragraph per line of `text`."""
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb(inflated_bytes: int) -> bytes:
    """A genuine .docx whose word/document.xml is padded with `inflated_bytes` of whitespace (valid XML, about
    1000-fold compression), written in 1 MiB chunks so building it needs no such memory."""
    source = zipfile.ZipFile(io.BytesIO(real_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "word/document.xml":
                bomb.writestr(item, data)
                continue
            head, tail = data.split(b"<w:body>", 1)
            with bomb.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(head + b"<w:body>")
                chunk = b" " * (1 << 20)
                for _ in range(inflated_bytes // len(chunk)):
                    member.write(chunk)
                member.write(tail)
    return out.getvalue()
