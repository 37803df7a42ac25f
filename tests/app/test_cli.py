"""The `policyqa` command as outside tools run it: CONTRACTS §2 batch answers and §3 listings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

POLICYQA = str(Path(sys.executable).parent / "policyqa")


def run(args, index_dir, **kwargs):
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYQA_")}
    return subprocess.run([POLICYQA, *args, "--index-dir", str(index_dir)], capture_output=True, text=True,
                          env=env, **kwargs)


@pytest.fixture(scope="module")
def index_dir(real_service):
    return real_service.settings.index_dir


def test_batch_answers_follow_the_contract(index_dir, tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "zh-1", "lang": "zh", "question": "广东省出口退税审批要在多少个工作日内完成？"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "x-2", "question": "上海市对跨境电商企业有什么补贴？"}, ensure_ascii=False),
        json.dumps({"id": "x-3"}),
    ]) + "\n", encoding="utf-8")
    out = run(["ask", "--batch", str(batch), "--json", "--k", "4"], index_dir)
    assert out.returncode == 1
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r.get("id") for r in records] == ["zh-1", None, "x-2", "x-3"]
    first = records[0]
    assert set(first) >= {"id", "lang", "refused", "answer", "citations", "retrieved"}
    assert first["lang"] == "zh" and first["refused"] is False and len(first["retrieved"]) == 4
    assert first["citations"][0]["clause_id"] == "gd-2014-stabilize-trade#6.18"
    assert "error" in records[1] and "line 2" in records[1]["error"]
    assert records[2]["refused"] is True and records[2]["citations"] == []
    assert "needs an 'id' and a 'question'" in records[3]["error"]


def test_clauses_json_lists_every_clause_in_document_order(index_dir, real_service):
    out = run(["clauses", "--json"], index_dir, check=True)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == len(real_service.index.clauses)
    assert "score" not in rows[0]
    gd = [r for r in rows if r["doc_id"] == "gd-2014-stabilize-trade" and r["number"]]
    assert [r["number"] for r in gd][:3] == ["一", "二", "三"]
    row = next(r for r in rows if r["clause_id"] == "gd-2014-stabilize-trade#6.18")
    assert row["path"] == ["六、加大财税金融支持力度", "（十八）加快出口退税进度"]
    assert row["responsible"] == ["省国税局", "省财政厅"] and row["date"] == "2014-05-23"


def test_search_json(index_dir):
    out = run(["search", "出口锂电池危险货物的包装", "--json", "--k", "2"], index_dir, check=True)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 2 and rows[0]["clause_id"] == "sz-customs-business-environment-20#5"
    assert 0 <= rows[0]["score"] <= 1


def test_errors_are_clear(tmp_path):
    out = run(["search", "出口"], tmp_path / "empty")
    assert out.returncode == 1 and "no index in" in out.stderr and "policyqa ingest" in out.stderr
    out = run(["ask"], tmp_path)
    assert out.returncode == 2 and "give either a QUESTION or --batch FILE" in out.stderr
    out = run(["ingest", str(tmp_path / "missing")], tmp_path / "idx")
    assert out.returncode == 1 and "missing: no such file or folder" in out.stderr
