"""Answers as Markdown, the one answer serialiser, and the document viewer (links, highlight, escaping)."""

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.answer_store import AnswerStore
from app.batch import run_batch
from app.export import answer_markdown, conversation_markdown
from app.serialize import quote_spans, to_record, viewer_url
from app.viewer import document_page, highlight, parse_spans

REFUNDS = "广东省出口退税审批要在多少个工作日内完成？"


@pytest.fixture(scope="module")
def client(real_service):
    from app.api import create_app

    return TestClient(create_app(real_service.settings, qa=real_service, with_ui=False))


# ---------- pure parts ----------
def test_quote_spans_locate_each_part_of_a_quote():
    assert quote_spans("A。B。C。", "A。……C。") == [(0, 2), (4, 6)]
    assert quote_spans("A。B。", None) == [] and quote_spans("A。B。", "not there") == []


def test_viewer_url_names_the_clause_for_the_server_and_the_browser():
    assert viewer_url("gd-2014-stabilize-trade", "gd-2014-stabilize-trade#6.18", spans=[(0, 81)]) == (
        "/documents/gd-2014-stabilize-trade?clause=gd-2014-stabilize-trade%236.18&hl=0-81"
        "#clause=gd-2014-stabilize-trade%236.18")


def test_highlight_escapes_text_and_marks_the_spans():
    text = '对<img src=x onerror="alert(1)">申报在20个工作日内完成'
    marked = highlight(text, [(text.index("在20"), text.index("完成"))])
    assert marked.endswith("<mark>在20个工作日内</mark>完成") and "<img" not in marked and "&lt;img" in marked
    assert parse_spans("0-95,120-140") == [(0, 95), (120, 140)]
    with pytest.raises(ValueError, match="hl='1-x' is not a list of character ranges"):
        parse_spans("1-x")


def test_answer_store_is_bounded():
    store = AnswerStore(capacity=2)
    from app.serialize import AnswerRecord

    ids = [store.put(AnswerRecord(question=str(n), lang="zh", refused=True, answer="x", citations=[], retrieved=[],
                                  mode="extractive")).id for n in range(3)]
    assert store.get(ids[0]) is None and store.get(ids[2]).question == "2"
    with pytest.raises(ValueError, match="capacity must be greater than 0"):
        AnswerStore(capacity=0)


# ---------- on the real corpus ----------
@pytest.mark.slow
def test_markdown_of_an_answer_has_every_citation_field(real_service):
    record = to_record(real_service.ask(REFUNDS), base_url="http://example.test")
    md = answer_markdown(record)
    # the direct answer first, then the cited clause
    assert md.startswith(f"## 问题 Question\n{REFUNDS}\n\n## 回答 Answer\n在20个工作日内完成退（免）税审批手续")
    assert "根据《广东省支持外贸稳定增长实施方案》" in md
    assert "**[1] 《广东省支持外贸稳定增长实施方案》 （十八）**" in md
    assert "- 发文机关 Issuer: 广东省人民政府办公厅 · 日期 Date: 2014-05-23 · 状态 Status: issued" in md
    assert "- 条款 Clause: gd-2014-stabilize-trade#6.18 — 六、加大财税金融支持力度 › （十八）加快出口退税进度" in md
    assert "在20个工作日内完成退（免）税审批手续" in md.split("- 原文 Quote:")[1]
    assert "- 链接 Link: <http://example.test/documents/gd-2014-stabilize-trade?clause=" in md


@pytest.mark.slow
def test_markdown_shows_document_html_as_text(real_service):
    answer = real_service.ask(REFUNDS)
    hit = answer.citations[0]
    evil = replace(hit, clause=replace(hit.clause, text=hit.clause.text + '<img src=x onerror="alert(1)"> [x](http://evil)'))
    md = answer_markdown(to_record(replace(answer, citations=(evil,), quotes=(evil.clause.text,))))
    # every < and [ from the document is backslash-escaped: Markdown shows them as characters
    assert not re.search(r"(?<!\\)<img", md) and "\\<img src=x" in md and "\\[x\\](http://evil)" in md


@pytest.mark.slow
def test_conversation_markdown_keeps_turns_in_order(real_service):
    first = to_record(real_service.ask(REFUNDS))
    history = [{"role": "user", "content": REFUNDS}, {"role": "assistant", "content": first.answer}]
    second = to_record(real_service.ask("该条由哪些部门负责？", history=history))
    md = conversation_markdown([first, second])
    assert md.startswith("# PolicyQA 对话 Conversation\n")
    assert md.index("## 第1轮 Turn 1") < md.index(REFUNDS) < md.index("## 第2轮 Turn 2") < md.index("该条由哪些部门负责？")
    assert md.count("### 引用 Citations") == 2


@pytest.mark.slow
def test_ui_exports_of_two_sessions_never_share_a_file_and_old_ones_are_removed(real_service, tmp_path):
    from app.ui import EXPORT_KEEP_S, export_file

    a = to_record(real_service.ask(REFUNDS)).model_dump(mode="json")
    b = to_record(real_service.ask("深圳对出口信用保险保费有什么支持？")).model_dump(mode="json")
    first, second = Path(export_file([a], tmp_path)), Path(export_file([b], tmp_path))
    assert first != second and first.name == second.name == "policyqa-conversation.md"
    assert REFUNDS in first.read_text(encoding="utf-8") and REFUNDS not in second.read_text(encoding="utf-8")
    # an hour later, the next export removes both earlier folders and keeps its own
    later = first.stat().st_mtime + EXPORT_KEEP_S + 1
    third = Path(export_file([a, b], tmp_path, now=later))
    assert not first.exists() and not second.exists() and third.exists()
    assert [p.name for p in tmp_path.iterdir()] == [third.parent.name]


@pytest.mark.slow
def test_api_answers_as_markdown_by_id_and_by_format(client):
    body = client.post("/api/ask", json={"question": REFUNDS}).json()
    md = client.get(f"/api/answers/{body['id']}.md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "广东省人民政府办公厅" in md.text and body["citations"][0]["url"] in md.text
    direct = client.post("/api/ask", json={"question": REFUNDS, "format": "markdown"})
    assert direct.headers["content-type"].startswith("text/markdown") and direct.text.startswith("## 问题 Question")
    missing = client.get("/api/answers/0000.md")
    assert missing.status_code == 404 and "no recent answer with id '0000'" in missing.json()["detail"]
    bad = client.post("/api/ask", json={"question": "该条由哪些部门负责？", "history": [{"role": "bot", "content": "x"}]})
    assert bad.status_code == 400 and "history turn 0 has role 'bot'" in bad.json()["detail"]


@pytest.mark.slow
def test_api_and_batch_use_the_same_record(client, real_service):
    api = client.post("/api/ask", json={"question": REFUNDS}).json()
    line = next(run_batch([json.dumps({"id": "zh-1", "question": REFUNDS})], real_service.ask, k=5)).record
    assert set(api) == set(line) and line["id"] == "zh-1"
    assert [c["clause_id"] for c in api["citations"]] == [c["clause_id"] for c in line["citations"]]
    assert line["citations"][0]["url"].startswith("/documents/gd-2014-stabilize-trade?clause=")


@pytest.mark.slow
def test_batch_lines_may_carry_history(real_service):
    lines = [json.dumps({"id": "f-1", "question": "该条由哪些部门负责？",
                         "history": [{"role": "user", "content": REFUNDS}, {"role": "assistant", "content": "…"}]}),
             json.dumps({"id": "f-2", "question": "该条由哪些部门负责？", "history": "广东"})]
    out = [b.record for b in run_batch(lines, real_service.ask, k=5)]
    assert [c["clause_id"] for c in out[0]["citations"]] == ["gd-2014-stabilize-trade#6.18"]
    assert out[1] == {"id": "f-2", "error": "line 2: 'history' must be a list of {\"role\", \"content\"} turns"}


@pytest.mark.slow
def test_viewer_opens_the_cited_clause_with_the_quote_marked(client):
    body = client.post("/api/ask", json={"question": REFUNDS}).json()
    url = body["citations"][0]["url"].removeprefix("http://testserver")
    page = client.get(url)
    assert page.status_code == 200 and "script-src 'nonce-" in page.headers["content-security-policy"]
    html = page.text
    target = html.index('id="clause-gd-2014-stabilize-trade#6.18"')
    assert html[target:].split("</details>")[0].count("<mark>") == 1
    assert '<details open><summary><span class="label">（十八）</span>' in html[target:target + 300]
    assert "complete the tax refund (exemption) approval procedures within 20 working days" in html[target:]
    assert html.count("<mark>") == 1  # only the cited clause is marked, every clause of the document is listed
    assert html.count('<div class="clause"') == len(client.app.state.qa.clauses("gd-2014-stabilize-trade"))
    assert client.get("/documents/nope").status_code == 404
    assert client.get("/documents/gd-2014-stabilize-trade?hl=zz").status_code == 400


@pytest.mark.slow
def test_viewer_shows_document_html_as_text(real_service):
    clauses = real_service.clauses("gd-2014-stabilize-trade")
    evil = replace(clauses[0], text='<img src=x onerror="alert(1)"><a href="http://evil">link</a>')
    html = document_page(real_service.document("gd-2014-stabilize-trade"), [evil, *clauses[1:]]).body.decode()
    assert "<img" not in html and '<a href="http://evil"' not in html and "&lt;img src=x" in html
