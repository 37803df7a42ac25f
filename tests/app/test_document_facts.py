"""Follow-ups about the document itself, answered from the passage of the real document that states the fact."""

from pathlib import Path

import pytest

from app.document_facts import fact_asked, stating
from ingest.manifest import load_manifest
from ingest.pipeline import parse_document

CORPUS = Path(__file__).parents[2] / "corpus"


def _doc(name: str):
    return parse_document(CORPUS / f"{name}.txt", load_manifest(CORPUS / "manifest.toml"))


@pytest.mark.parametrize(("question", "fact"), [
    ("什么时候印发的？", "date"),
    ("那它是哪天发布的？", "date"),
    ("and when was that plan issued?", "date"),
    ("这个20条是谁制定的？", "issuer"),
    ("这是哪个部门发的文件？", "issuer"),
    ("who issued it?", "issuer"),
    ("is that document final?", "status"),
    ("是征求意见稿吗？", "status"),
    # a measure's own deadline, the draft's content, who carries a measure out: the clauses answer those
    ("到哪一年要完成？", None),
    ("从什么时候开始免？", None),
    ("what does the draft say about ports?", None),
    ("who's in charge?", None),
])
def test_fact_asked(question, fact):
    assert fact_asked(question) == fact


def test_the_passage_that_states_the_date_issuer_or_status_is_found():
    gd = _doc("gd-2014-stabilize-trade")
    assert "2014年5月23日" in stating(gd.meta, gd.clauses, "date").text
    assert "广东省人民政府办公厅" in stating(gd.meta, gd.clauses, "issuer").text
    assert "现印发给你们" in stating(gd.meta, gd.clauses, "status").text  # issued: the notice that issues it
    draft = _doc("sz-trade-integration-draft")
    assert "征求意见稿" in stating(draft.meta, draft.clauses, "status").text
    assert draft.meta.date is None and stating(draft.meta, draft.clauses, "date") is None  # unknown stays unknown
    customs = _doc("sz-customs-business-environment-20")
    assert "制定《深圳海关优化营商环境 20 条》" in stating(customs.meta, customs.clauses, "issuer").text


def test_a_follow_up_asking_when_the_document_was_issued_cites_its_signature(real_service):
    history = [{"role": "user", "content": "广东出口退税审批要多长时间？"},
               {"role": "assistant", "content": "在20个工作日内完成退（免）税审批手续。"}]
    answer = real_service.ask("什么时候印发的？", history=history)
    assert not answer.refused
    assert answer.citations[0].clause.clause_id.startswith("gd-2014-stabilize-trade#p")
    assert "2014年5月23日" in answer.citations[0].clause.text and "2014年5月23日" in answer.text
    # the clause the conversation is about is cited after it
    assert "gd-2014-stabilize-trade#6.18" in [h.clause.clause_id for h in answer.citations[1:]]


def test_a_follow_up_on_a_document_of_unknown_date_is_not_answered_from_metadata(real_service):
    history = [{"role": "user", "content": "深圳海关对展览品有什么便利？"},
               {"role": "assistant", "content": "根据《深圳海关优化营商环境 20 条》第十条：……"}]
    answer = real_service.ask("那它是哪天发布的？", history=history)
    # the customs document states no date: nothing cites a passage for it
    assert not any(h.sources == ("document",) for h in answer.citations)
