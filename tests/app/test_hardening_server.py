"""Issue 13 against a real server on 127.0.0.1: limits enforced before the body is read, a streamed body cut
off, keep-alive surviving a bad question, and /healthz answering while an upload is ingested."""

from __future__ import annotations

import http.client
import json
import select
import socket
import time

import pytest

from eval.fixtures import serving
from tests.app.hardening_helpers import TOKEN, UPLOAD, admin_app


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("server")
    app, qa = admin_app(root, upload_max_bytes=10_000_000)
    with serving(app, lifespan="off") as address:  # admin_app has run the start-up reconciliation
        yield address, app


def _response_head(sock: socket.socket, timeout: float = 10.0) -> bytes:
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _status(head: bytes) -> int:
    return int(head.split(b" ", 2)[1])


def test_an_oversized_declared_upload_is_413_before_any_body_byte(server):
    (host, port), _ = server
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(b"POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                     b"Content-Length: 300000000\r\nAuthorization: Bearer wrong\r\n\r\n")
        started = time.perf_counter()
        head = _response_head(sock)
        assert _status(head) == 413 and time.perf_counter() - started < 2


def test_the_admin_token_is_checked_before_the_upload_body_is_read(server):
    (host, port), _ = server
    with socket.create_connection((host, port), timeout=10) as sock:
        # within the size limit, but no body byte is ever sent: the 401 must come anyway
        sock.sendall(b"POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                     b"Content-Length: 5000000\r\nAuthorization: Bearer wrong\r\n\r\n")
        assert _status(_response_head(sock)) == 401


def test_a_streamed_body_is_cut_off_once_it_passes_the_limit(server):
    (host, port), _ = server
    sent = 0
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
        sock.sendall(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"a" * 65536
        framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        answered = False
        for _ in range(30 * 16):  # up to 30 MB
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                answered = True
                break
            try:
                sock.sendall(framed)
            except (BrokenPipeError, ConnectionResetError):
                answered = True
                break
            sent += len(chunk)
        assert answered, "the server read 30 MB without answering"
        assert sent < 8_000_000  # the 1 MB limit plus what the kernel's socket buffers absorbed, not 30 MB
        try:
            head = _response_head(sock)
        except (ConnectionResetError, socket.timeout):
            head = b""
        assert not head or _status(head) == 413


def test_a_lone_surrogate_is_400_and_the_connection_stays_usable(server):
    (host, port), _ = server
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("POST", "/api/ask", body=b'{"question": "\\ud800"}', headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    assert r.status == 400 and "surrogate" in json.loads(r.read())["detail"][0]["msg"]
    conn.request("GET", "/healthz")  # same keep-alive connection
    r = conn.getresponse()
    assert r.status == 200 and json.loads(r.read())["status"] == "ok"
    conn.close()


def test_healthz_answers_while_an_upload_is_ingested(server):
    (host, port), app = server
    body, boundary = _multipart("宁波.txt", UPLOAD.replace("杭州", "宁波").encode())
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("POST", "/api/documents", body=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Authorization": f"Bearer {TOKEN}"})
    r = conn.getresponse()
    assert r.status == 202
    job_id = json.loads(r.read())["job"]
    latencies = []
    probe = http.client.HTTPConnection(host, port, timeout=30)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if app.state.jobs.get(job_id).state.value in ("done", "failed"):
            break
        started = time.perf_counter()  # a probe sent while the ingest has not finished
        probe.request("GET", "/healthz")
        assert probe.getresponse().read()
        latencies.append(time.perf_counter() - started)
        time.sleep(0.01)
    assert app.state.jobs.get(job_id).state.value == "done"
    assert latencies  # not vacuous: at least one probe went out during the ingest (how many depends on the machine)
    assert max(latencies) < 1.0, max(latencies)  # the event loop never ran the ingest (it froze for 1-17 s)


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "policyqa-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, boundary
