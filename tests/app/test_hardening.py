"""Issue 13 through the API (FastAPI TestClient): limits, throttling, uploads as jobs, bounded parsing, a
server that keeps serving a corrupt build's predecessor, safe output, bad Unicode and strict dates."""

from __future__ import annotations

import json
import os
import threading
import time

import psutil
import pytest
from fastapi.testclient import TestClient

from app.api import create_app
from app.service import PolicyQA
from ingest.errors import IndexBusyError
from eval.fixtures import real_docx, remove_passage_map, truncate_dense, zero_sqlite_header, zip_bomb
from tests.app.hardening_helpers import (ADMIN, DOC, UPLOAD, admin_app, admin_settings, finished_job, indexed_copy,
                                         small_corpus)
from tests.conftest import FakeEmbedder


@pytest.fixture
def admin(tmp_path):
    app, qa = admin_app(tmp_path)
    with TestClient(app) as client:
        yield client


def upload(client, name: str, data: bytes, headers=ADMIN):
    return client.post("/api/documents", headers=headers, files={"file": (name, data)})


# ---------- limits at the edge ----------
def test_a_declared_oversized_body_is_refused_before_it_is_read(admin):
    r = admin.post("/api/ask", content=b"{}", headers={"Content-Length": "30000000", "Content-Type": "application/json"})
    assert r.status_code == 413 and "larger than 1000000 bytes" in r.json()["detail"]


def test_a_streamed_oversized_body_is_cut_off_at_the_limit(admin):
    sent = 0

    def body():
        nonlocal sent
        yield b'{"question": "'
        for _ in range(30):  # 30 MB offered in 1 MB chunks
            sent += 1
            yield b"a" * (1 << 20)
        yield b'"}'

    r = admin.post("/api/ask", content=body(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413  # (TestClient sends the whole stream; test_hardening_server shows it is cut off)


def test_uploads_may_be_as_large_as_their_own_limit_but_no_larger(admin):
    big = ("一、" + "对外贸易。" * 150_000).encode("utf-8")  # 2.25 MB: above the upload limit of 2 MB
    r = upload(admin, "big.txt", big)
    assert r.status_code == 413
    ok = upload(admin, "medium.txt", ("一、" + "对外贸易促进。" * 60_000).encode("utf-8"))  # 1.26 MB > body limit 1 MB
    assert ok.status_code == 202, ok.text


def test_list_and_string_fields_are_bounded_and_422_does_not_echo_the_input(admin):
    r = admin.post("/api/feedback", json={"question": "q", "answer": "a", "rating": "up",
                                          "clause_ids": ["x" * 10] * 10_000})
    assert r.status_code == 422 and len(r.content) < 2_000
    assert r.json()["detail"][0]["loc"] == ["body", "clause_ids"]
    r = admin.post("/api/ask", json={"question": "export " * 20_000})  # 140 KB: under the body limit
    assert r.status_code == 422 and len(r.content) < 2_000
    r = admin.post("/api/ask", json={"question": "出口", "doc_ids": ["d"] * 500})
    assert r.status_code == 422
    r = admin.get("/api/search", params={"q": "出口", "doc": ["d"] * 200})
    assert r.status_code == 422
    assert admin.app.state.feedback.all() == []  # nothing unbounded was stored


def test_failed_admin_authentication_is_throttled_with_retry_after(admin):
    codes = [upload(admin, "a.txt", b"x", headers={"Authorization": "Bearer wrong"}).status_code for _ in range(5)]
    assert codes == [401] * 5
    r = upload(admin, "a.txt", b"x", headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert "too many failed admin authentications" in r.json()["detail"]
    # the right token does not help a client that used up its failures
    assert admin.delete(f"/api/documents/{DOC}", headers=ADMIN).status_code == 429


def test_api_requests_are_rate_limited_but_healthz_is_not(tmp_path):
    app, _ = admin_app(tmp_path, rate_limit="3/minute")
    client = TestClient(app)
    codes = [client.get("/api/documents").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = client.get("/api/documents")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert all(client.get("/healthz").status_code == 200 for _ in range(10))


def test_gradio_file_upload_is_disabled(tmp_path):
    app, qa = admin_app(tmp_path)
    import gradio as gr

    from app.ui import CSS, build_ui

    app = gr.mount_gradio_app(app, build_ui(qa, app.state.feedback), path="/", css=CSS)
    client = TestClient(app)
    r = client.post("/gradio_api/upload", files={"files": ("x.txt", b"a" * 50_000)})
    assert r.status_code == 403 and "disabled" in r.json()["detail"]
    assert client.get("/").status_code == 200  # the chat itself still loads


# ---------- uploads as jobs ----------
def test_an_upload_returns_at_once_and_ingests_in_the_background(admin, monkeypatch):
    qa = admin.app.state.qa
    release = threading.Event()
    real_ingest = qa.ingest

    def slow_ingest(*args, **kwargs):
        assert release.wait(30)
        return real_ingest(*args, **kwargs)

    monkeypatch.setattr(qa, "ingest", slow_ingest)
    r = upload(admin, "杭州.txt", UPLOAD.encode())
    assert r.status_code == 202 and r.headers["Location"] == r.json()["status_url"]
    deadline = time.monotonic() + 10
    while admin.get(r.json()["status_url"]).json()["state"] != "running" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert admin.get(r.json()["status_url"]).json()["state"] == "running"
    # while the ingest runs, the server answers
    assert admin.get("/healthz").json()["status"] == "ok"
    assert admin.get("/api/search", params={"q": "海关", "k": 1}).status_code == 200
    release.set()
    job = finished_job(admin, r)
    assert job["state"] == "done" and job["result"]["doc_id"] == "杭州" and job["result"]["clauses"] == 3


def test_unknown_job_is_404(admin):
    r = admin.get("/api/jobs/nope")
    assert r.status_code == 404 and "unknown job id 'nope'" in r.json()["detail"]


def test_upload_and_delete_while_another_ingest_holds_the_lock_are_503_with_retry_after(admin, tmp_path):
    qa = admin.app.state.qa
    job = finished_job(admin, upload(admin, "杭州.txt", UPLOAD.encode()))
    with qa.index_dir.lock():  # as a `policyqa ingest` in another process would
        r = upload(admin, "other.txt", "一、其他。".encode())
        assert r.status_code == 503 and r.headers["Retry-After"] == "5"
        assert "another ingest is writing" in r.json()["detail"]
        r = admin.delete(f"/api/documents/{job['result']['doc_id']}", headers=ADMIN)
        assert r.status_code == 503 and r.headers["Retry-After"] == "5"
    # nothing changed: the file is there and the document searchable
    assert (tmp_path / "corpus" / "uploads" / "杭州.txt").exists()
    assert admin.get("/api/documents/杭州").status_code == 200
    assert not (tmp_path / "corpus" / "uploads" / "other.txt").exists()


def test_a_file_is_kept_only_when_its_ingest_succeeds(admin, tmp_path, monkeypatch):
    qa = admin.app.state.qa

    def busy(*args, **kwargs):
        raise IndexBusyError("another ingest is writing the index; wait for it to finish")

    monkeypatch.setattr(qa, "ingest", busy)
    job = finished_job(admin, upload(admin, "杭州.txt", UPLOAD.encode()))
    assert job["state"] == "failed" and "another ingest is writing" in job["reason"]
    uploads = tmp_path / "corpus" / "uploads"
    assert [p.name for p in uploads.iterdir()] == []  # neither the file nor a pending copy stayed
    monkeypatch.undo()
    job = finished_job(admin, upload(admin, "杭州.txt", UPLOAD.encode()))  # no "already uploaded"
    assert job["state"] == "done"


def test_a_failed_delete_keeps_file_and_document_together(admin, tmp_path, monkeypatch):
    qa = admin.app.state.qa
    doc_id = finished_job(admin, upload(admin, "杭州.txt", UPLOAD.encode()))["result"]["doc_id"]

    def busy(*args, **kwargs):
        raise IndexBusyError("another ingest is writing the index; wait for it to finish")

    monkeypatch.setattr(qa, "ingest", busy)
    job = finished_job(admin, admin.delete(f"/api/documents/{doc_id}", headers=ADMIN))
    assert job["state"] == "failed"
    assert (tmp_path / "corpus" / "uploads" / "杭州.txt").exists()
    assert admin.get(f"/api/documents/{doc_id}").status_code == 200
    monkeypatch.undo()
    job = finished_job(admin, admin.delete(f"/api/documents/{doc_id}", headers=ADMIN))
    assert job["state"] == "done"
    assert not (tmp_path / "corpus" / "uploads" / "杭州.txt").exists()
    assert admin.get(f"/api/documents/{doc_id}").status_code == 404


def test_start_up_reindexes_a_file_left_by_a_killed_upload(tmp_path):
    """kill -9 after the file was renamed into uploads/ but before the index was published."""
    indexed_copy(tmp_path)
    qa = PolicyQA(admin_settings(tmp_path), embedder=FakeEmbedder())
    uploads = tmp_path / "corpus" / "uploads"
    uploads.mkdir()
    (uploads / "杭州.txt").write_text(UPLOAD, encoding="utf-8")
    (uploads / ".pending-dead-x.txt").write_text("half", encoding="utf-8")
    app = create_app(qa.settings, qa=qa, with_ui=False)
    job = app.state.jobs.wait(app.state.reconcile_job.id, timeout=60)
    assert job.state.value == "done" and job.result["reingested"] == ["杭州.txt"], job
    assert not (uploads / ".pending-dead-x.txt").exists()
    client = TestClient(app)
    assert client.get("/api/documents/杭州").status_code == 200
    assert upload(client, "杭州.txt", UPLOAD.encode()).status_code == 409  # really there: a true duplicate
    job = finished_job(client, client.delete("/api/documents/杭州", headers=ADMIN))
    assert job["state"] == "done"


def test_start_up_drops_index_entries_whose_upload_file_is_gone(tmp_path):
    app, qa = admin_app(tmp_path)
    client = TestClient(app)
    finished_job(client, upload(client, "杭州.txt", UPLOAD.encode()))
    (tmp_path / "corpus" / "uploads" / "杭州.txt").unlink()
    app2 = create_app(qa.settings, qa=qa, with_ui=False)
    job = app2.state.jobs.wait(app2.state.reconcile_job.id, timeout=60)
    assert job.result["removed"] == ["杭州.txt"]
    assert TestClient(app2).get("/api/documents/杭州").status_code == 404


# ---------- bounded parsing ----------
def test_a_zip_bomb_upload_is_refused_fast_without_growing_the_server(admin):
    bomb = zip_bomb(200 << 20)  # ~200 KB that inflates to 200 MB
    assert len(bomb) < 1_000_000
    rss = psutil.Process().memory_info().rss
    started = time.perf_counter()
    r = upload(admin, "bomb.docx", bomb)
    took = time.perf_counter() - started
    grown = psutil.Process().memory_info().rss - rss
    assert r.status_code == 413, r.text
    assert "bomb.docx" in r.json()["detail"] and "expand" in r.json()["detail"]
    assert took < 2.0 and grown < 200 << 20


def test_a_zip_bomb_in_the_corpus_is_reported_and_the_rest_indexed(tmp_path):
    corpus = small_corpus(tmp_path)
    (corpus / "bomb.docx").write_bytes(zip_bomb(120 << 20))
    (corpus / "ok.docx").write_bytes(real_docx())
    qa = PolicyQA(admin_settings(tmp_path), embedder=FakeEmbedder())
    report = qa.ingest()
    assert any("bomb.docx" in e and "POLICYQA_DOCX_MAX" in e for e in report.errors), report.errors
    assert {d.doc_id for d in report.documents} == {DOC, "ok"}


def test_text_and_page_caps_apply_to_uploads(tmp_path):
    app, _ = admin_app(tmp_path, max_text_chars=1000, pdf_max_pages=2)
    client = TestClient(app)
    r = upload(client, "long.txt", ("一、" + "外贸" * 1000).encode())
    assert r.status_code == 413 and "POLICYQA_MAX_TEXT_CHARS" in r.json()["detail"]
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=200, height=200)
    pdf = BytesIO()
    writer.write(pdf)
    r = upload(client, "pages.pdf", pdf.getvalue())
    assert r.status_code == 413 and "3 pages; the limit is 2" in r.json()["detail"]


# ---------- a server that keeps serving ----------
def _publish_elsewhere(tmp_path, qa) -> None:
    """A second build published by another process (a CLI ingest): this service has not loaded it yet."""
    (tmp_path / "corpus" / "extra.txt").write_text(UPLOAD.replace("杭州", "宁波"), encoding="utf-8")
    PolicyQA(qa.settings, embedder=FakeEmbedder()).ingest()


@pytest.mark.parametrize("damage, named, then_delete", [
    (truncate_dense, "dense_zh.faiss", True),
    (zero_sqlite_header, "corpus.sqlite", False),
    (remove_passage_map, "passages_zh.npy", False),
    ("outside", "CURRENT", False),
])
def test_a_build_that_fails_to_load_leaves_the_last_good_one_serving(tmp_path, damage, named, then_delete):
    app, qa = admin_app(tmp_path)
    client = TestClient(app)
    assert client.get("/api/search", params={"q": "锂电池", "k": 1}).status_code == 200
    if then_delete:
        doc_id = finished_job(client, upload(client, "杭州.txt", UPLOAD.encode()))["result"]["doc_id"]
    good = client.get("/healthz").json()["build"]
    _publish_elsewhere(tmp_path, qa)
    if damage == "outside":
        qa.index_dir.pointer.write_text("../../../etc\n", encoding="utf-8")
    else:
        damage(qa.index_dir.resolve())
    for _ in range(3):  # the failure is remembered: not retried (and logged) on every request
        r = client.get("/api/search", params={"q": "锂电池", "k": 1})
        assert r.status_code == 200 and r.json()["results"][0]["doc_id"] == DOC
    health = client.get("/healthz")
    assert health.status_code == 200
    body = health.json()
    assert body["status"] == "degraded" and body["build"] == good
    assert named in body["reason"] and "re-run `policyqa ingest`" in body["reason"]
    assert str(tmp_path) not in json.dumps(body)  # no server paths
    assert client.get(f"/api/documents/{DOC}").status_code == 200
    assert client.get("/api/documents/extra").status_code == 404  # still the last good build
    if not then_delete:
        return
    # the old build's database is still open: delete works (no "Cannot operate on a closed database")
    job = finished_job(client, client.delete(f"/api/documents/{doc_id}", headers=ADMIN))
    assert job["state"] == "done", job
    assert client.get("/healthz").json()["status"] == "ok"  # the delete published a good build


def test_start_up_on_a_corrupt_build_serves_the_previous_one(tmp_path):
    app, qa = admin_app(tmp_path)
    _publish_elsewhere(tmp_path, qa)
    truncate_dense(qa.index_dir.resolve())
    fresh = PolicyQA(qa.settings, embedder=FakeEmbedder(), fallback_to_older=True)
    client = TestClient(create_app(qa.settings, qa=fresh, with_ui=False))
    body = client.get("/healthz").json()
    assert body["status"] == "degraded" and "dense_zh.faiss" in body["reason"]
    assert client.get("/api/search", params={"q": "锂电池", "k": 1}).json()["results"][0]["doc_id"] == DOC


def test_with_no_good_build_at_all_every_endpoint_is_503_not_500(tmp_path):
    app, qa = admin_app(tmp_path)
    for build in qa.index_dir.builds.iterdir():
        if not build.name.startswith("."):
            remove_passage_map(build)
    fresh = PolicyQA(qa.settings, embedder=FakeEmbedder())
    client = TestClient(create_app(qa.settings, qa=fresh, with_ui=False), raise_server_exceptions=False)
    for method, url in [("get", "/healthz"), ("get", "/api/documents"), ("get", "/api/search?q=出口"),
                        ("post", "/api/ask")]:
        r = getattr(client, method)(url, json={"question": "出口"}) if method == "post" else client.get(url)
        assert r.status_code == 503, (url, r.text)
        detail = r.json().get("detail") or r.json().get("reason")
        assert "passages_zh.npy" in detail and str(tmp_path) not in detail


# ---------- safe output ----------
def test_security_headers_on_every_response(admin):
    for r in (admin.get("/healthz"), admin.post("/api/ask", json={"question": ""}),
              admin.post("/api/ask", content=b"{}", headers={"Content-Length": "9999999"})):
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
        assert r.headers["Referrer-Policy"] == "no-referrer"


def test_cors_is_off_by_default_and_limited_to_the_configured_origins(admin, tmp_path):
    r = admin.get("/api/documents", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    app, _ = admin_app(tmp_path / "other", cors_origins="https://portal.example.cn")
    client = TestClient(app)
    r = client.get("/api/documents", headers={"Origin": "https://portal.example.cn"})
    assert r.headers["access-control-allow-origin"] == "https://portal.example.cn"
    r = client.get("/api/documents", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_errors_name_files_without_server_paths(admin, tmp_path):
    r = upload(admin, "bin.txt", b"\x00\x01\x02binary")
    assert r.status_code == 422 and "bin.txt: looks like a binary file" in r.json()["detail"]
    assert str(tmp_path) not in r.text and "/tmp" not in r.text
    r = admin.delete(f"/api/documents/{DOC}", headers=ADMIN)
    assert r.status_code == 409 and "curated corpus" in r.json()["detail"]
    assert str(tmp_path) not in r.text and "corpus" in r.json()["detail"]


# ---------- bad Unicode, headers, dates ----------
def test_a_lone_surrogate_is_400(admin):
    for payload in ({"question": "出口\ud800退税"}, {"question": "出口", "issuer": "\udfff"}):
        r = admin.post("/api/ask", content=json.dumps(payload), headers={"Content-Type": "application/json"})
        assert r.status_code == 400, r.text
    r = admin.post("/api/feedback", content=json.dumps({"question": "q\ud800", "answer": "a", "rating": "up"}),
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    from ingest.errors import InvalidQueryError  # the service checks too (the chat calls it directly)

    with pytest.raises(InvalidQueryError, match="lone UTF-16 surrogate"):
        admin.app.state.qa.ask("出口\ud800")


def test_invalid_utf8_in_a_body_is_400(admin):
    r = admin.post("/api/ask", content=b'{"question": "\xff\xfe\xed\xa0\x80"}', headers={"Content-Type": "application/json"})
    assert r.status_code == 400


def test_a_non_ascii_admin_token_is_401(admin):
    r = admin.post("/api/documents", headers={"X-Admin-Token": "令牌".encode()}, files={"file": ("a.txt", b"x")})
    assert r.status_code == 401
    r = admin.delete(f"/api/documents/{DOC}", headers={"Authorization": "Bearer é".encode("latin-1")})
    assert r.status_code == 401


@pytest.mark.parametrize("value", ["20240101", "2024-W01-1", "2024-1-5", "2024-02-30", "２０２４-01-01"])
def test_dates_must_be_yyyy_mm_dd(admin, value):
    r = admin.post("/api/ask", json={"question": "出口", "date_from": value})
    assert r.status_code == 400 and "YYYY-MM-DD" in r.json()["detail"] and "date_from" in r.json()["detail"]
    r = admin.get("/api/search", params={"q": "出口", "date_to": value})
    assert r.status_code == 400 and "date_to" in r.json()["detail"]
    assert admin.get("/api/search", params={"q": "出口", "date_to": "2024-01-01"}).status_code == 200


# ---------- one table for errors ----------
def test_every_specific_error_type_has_a_status_other_than_500():
    import inspect

    import ingest.errors as errors
    from app.errors_map import outcome

    kinds = [k for _, k in inspect.getmembers(errors, inspect.isclass)
             if issubclass(k, errors.PolicyQAError) and k is not errors.PolicyQAError]
    assert len(kinds) >= 20
    for kind in kinds:
        exc = kind.__new__(kind)
        assert outcome(exc).http != 500, kind
    assert outcome(errors.IndexBusyError("x")).retry_after == 5
    assert outcome(errors.DiskFullError("x")).exit == 74
    from app.uploads import UploadError

    assert UploadError is errors.UploadRejected and not hasattr(errors.UploadRejected("x"), "status")


@pytest.mark.slow
def test_an_isolated_ingest_runs_in_a_child_process_with_the_real_embedder(tmp_path):
    """The server's default: the upload's ingest runs in a child process; the server then loads the build."""
    small_corpus(tmp_path)
    # the default encoders, which the ranker was trained with
    settings = admin_settings(tmp_path, embedding_model="multilingual-e5-small", ingest_isolated=True)
    qa = PolicyQA(settings)
    qa.ingest()
    app = create_app(settings, qa=qa, with_ui=False)
    client = TestClient(app)
    main_pid = os.getpid()
    job = finished_job(client, upload(client, "杭州.txt", UPLOAD.encode()), timeout=300)
    assert job["state"] == "done", job
    results = client.get("/api/search", params={"q": "海外仓每平方米补贴多少", "k": 1}).json()["results"]
    assert results[0]["doc_id"] == "杭州"
    assert os.getpid() == main_pid and client.get("/healthz").json()["status"] == "ok"
    job = finished_job(client, client.delete("/api/documents/杭州", headers=ADMIN), timeout=300)
    assert job["state"] == "done", job
    assert client.get("/api/documents/杭州").status_code == 404
    from app.isolated import ingest_in_child

    with qa.index_dir.lock(), pytest.raises(IndexBusyError, match="another ingest is writing"):
        ingest_in_child(settings)  # the child's own error type comes back to the parent
