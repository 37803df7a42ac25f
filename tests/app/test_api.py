"""The HTTP API on the real corpus: answers, lookups, 4xx cases, admin token, upload → search → delete."""

import shutil

import pytest
from fastapi.testclient import TestClient

from app.api import create_app
from app.service import PolicyQA
from app.settings import Settings
from tests.app.hardening_helpers import UPLOAD, finished_job
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def client(real_service):
    return TestClient(create_app(real_service.settings, qa=real_service, with_ui=False))


def test_healthz(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["clauses"] == len(client.app.state.qa.index.clauses)


def test_ask_chinese_and_english(client):
    body = client.post("/api/ask", json={"question": "广东省出口退税审批要在多少个工作日内完成？"}).json()
    assert body["lang"] == "zh" and not body["refused"]
    first = body["citations"][0]
    assert first["clause_id"] == "gd-2014-stabilize-trade#6.18"
    assert first["issuer"] == "广东省人民政府办公厅" and first["clause"] == "（十八）" and first["number"] == "十八"
    assert set(first) >= {"clause_id", "doc_id", "doc_title", "issuer", "date", "status", "clause", "number", "path",
                          "text", "responsible", "lead", "score", "text_en"}
    body = client.post("/api/ask", json={"question": "What does article 16 of Shenzhen Customs' 20 measures say?"}).json()
    assert body["lang"] == "en" and body["citations"][0]["clause_id"] == "sz-customs-business-environment-20#16"
    assert body["citations"][0]["issuer"] == "深圳海关"


def test_refusal(client):
    body = client.post("/api/ask", json={"question": "上海市对跨境电商企业有什么补贴？"}).json()
    assert body["refused"] and body["citations"] == [] and body["retrieved"]


def test_search_documents_and_clauses(client):
    results = client.get("/api/search", params={"q": "出口信用保险", "k": 3}).json()["results"]
    assert len(results) == 3
    docs = client.get("/api/documents").json()
    assert {d["doc_id"] for d in docs} >= {"gd-2014-stabilize-trade", "sz-trade-integration-draft"}
    draft = next(d for d in docs if d["doc_id"] == "sz-trade-integration-draft")
    assert draft["status"] == "draft" and draft["issuer"] is None
    detail = client.get("/api/documents/gd-2014-stabilize-trade").json()
    sections = [n["heading"] for n in detail["tree"] if n["children"]]
    assert sections[0] == "一、积极扩大进口" and len(sections) == 7
    clause = client.get("/api/clauses/gd-2014-stabilize-trade%235.14").json()
    assert clause["clause"] == "（十四）" and len(clause["responsible_by_paragraph"]) == 2


@pytest.mark.parametrize("method, url, payload, status, message", [
    ("post", "/api/ask", {"question": ""}, 400, "the question is empty"),
    ("post", "/api/ask", {"question": "问" * 2001}, 400, "2001 characters; the limit is 2000"),
    ("post", "/api/ask", {"question": "出口", "doc_ids": ["nope"]}, 400, "unknown document id 'nope'"),
    ("post", "/api/ask", {"question": "出口", "date_from": "2024-02-30"}, 400, "is not a date"),
    ("get", "/api/documents/nope", None, 404, "unknown document id 'nope'"),
    ("get", "/api/clauses/nope%231", None, 404, "unknown clause id 'nope#1'"),
    ("get", "/api/search?q=%20", None, 400, "the question is empty"),
])
def test_bad_input_gets_a_4xx_naming_the_problem(client, method, url, payload, status, message):
    response = getattr(client, method)(url, json=payload) if payload is not None else getattr(client, method)(url)
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_bad_status_and_k_are_validated(client):
    assert client.post("/api/ask", json={"question": "出口", "k": 0}).status_code == 422
    assert client.get("/api/search", params={"q": "出口", "status": "in-force"}).status_code == 422


def test_feedback_is_stored(client):
    r = client.post("/api/feedback", json={"question": "q", "answer": "a", "rating": "up", "comment": "好"})
    assert r.status_code == 200
    stored = client.app.state.feedback.all()
    assert stored[-1]["rating"] == "up" and stored[-1]["comment"] == "好"
    assert client.post("/api/feedback", json={"question": "q", "answer": "a", "rating": "meh"}).status_code == 422


def test_admin_is_disabled_without_a_token(client):
    r = client.post("/api/documents", files={"file": ("x.txt", "一、测试".encode())})
    assert r.status_code == 403 and "POLICYQA_ADMIN_TOKEN" in r.json()["detail"]


@pytest.fixture
def admin_client(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copytree(CORPUS / "resources", corpus / "resources")
    shutil.copy(CORPUS / "sz-customs-business-environment-20.txt", corpus)
    from tests.conftest import FakeEmbedder

    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", admin_token="s3cret",
                        embedding_model="fake-embedder", upload_max_bytes=20_000, ingest_isolated=False)
    qa = PolicyQA(settings, embedder=FakeEmbedder())
    qa.ingest()
    return TestClient(create_app(settings, qa=qa, with_ui=False))


def test_upload_then_search_then_delete(admin_client):
    headers = {"Authorization": "Bearer s3cret"}
    r = admin_client.post("/api/documents", headers=headers,
                          files={"file": ("../../杭州 扶持办法.txt", UPLOAD.encode("utf-8"))})
    job = finished_job(admin_client, r)
    assert job["state"] == "done" and job["kind"] == "upload", job
    doc_id = job["result"]["doc_id"]
    assert doc_id == "杭州-扶持办法" and job["result"]["clauses"] == 3
    # the fake embedder's cosines are noise, which the ranker weighs: the uploaded clause is among the first three
    results = admin_client.get("/api/search", params={"q": "海外仓每平方米补贴多少", "k": 3}).json()["results"]
    found = [r for r in results if r["doc_id"] == doc_id]
    assert found and found[0]["responsible"] == ["市商务局"] and "每平方米50元" in found[0]["text"]
    job = finished_job(admin_client, admin_client.delete(f"/api/documents/{doc_id}", headers=headers))
    assert job["state"] == "done" and job["result"] == {"deleted": doc_id}
    assert admin_client.get(f"/api/documents/{doc_id}").status_code == 404
    results = admin_client.get("/api/search", params={"q": "海外仓每平方米补贴多少", "k": 5}).json()["results"]
    assert all(r["doc_id"] != doc_id for r in results)


@pytest.mark.parametrize("headers, name, data, status, message", [
    ({"Authorization": "Bearer wrong"}, "a.txt", b"x", 401, "wrong admin token"),
    ({}, "a.txt", b"x", 401, "missing or wrong admin token"),
    ({"X-Admin-Token": "s3cret"}, "a.exe", b"x", 415, "file type '.exe' is not accepted"),
    ({"X-Admin-Token": "s3cret"}, "big.txt", "一".encode() * 10_000, 413, "the limit is 20000"),
    ({"X-Admin-Token": "s3cret"}, "bin.txt", b"\x00\x01\x02binary", 422, "bin.txt: looks like a binary file"),
    ({"X-Admin-Token": "s3cret"}, "empty.txt", b"", 422, "the file is empty"),
])
def test_upload_checks(admin_client, headers, name, data, status, message):
    r = admin_client.post("/api/documents", headers=headers, files={"file": (name, data)})
    assert r.status_code == status and message in r.json()["detail"]


def test_curated_documents_cannot_be_deleted_through_the_api(admin_client):
    r = admin_client.delete("/api/documents/sz-customs-business-environment-20", headers={"X-Admin-Token": "s3cret"})
    assert r.status_code == 409 and "curated corpus" in r.json()["detail"]


def test_the_servers_k_setting_is_the_default(real_service):
    """POLICYQA_K (settings.k) sets how many clauses a request without k gets; a request's k wins."""
    settings = real_service.settings.model_copy(update={"k": 2})
    qa = type(real_service)(settings, encoders=real_service.encoders)
    client = TestClient(create_app(settings, qa=qa, with_ui=False))
    assert len(client.get("/api/search", params={"q": "出口信用保险"}).json()["results"]) == 2
    assert len(client.get("/api/search", params={"q": "出口信用保险", "k": 4}).json()["results"]) == 4
    assert len(client.post("/api/ask", json={"question": "出口信用保险有什么支持？"}).json()["retrieved"]) == 2
