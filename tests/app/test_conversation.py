"""Follow-up questions: the pure resolution rules, then multi-turn conversations answered over the real corpus."""

import json
import re
import unicodedata
from pathlib import Path

import pytest

from app.conversation import Turn, drop_places, follow_up_reason, own_topic, parse_history, resolve
from ingest.errors import InvalidQueryError

WAREHOUSES = "深圳对海外仓建设有哪些支持措施？"
REFUNDS = "广东省出口退税审批要在多少个工作日内完成？"
REFUNDS_EN = "How fast are export tax refunds approved in Guangdong?"


def _turns(*questions):
    out = []
    for q in questions:
        out += [{"role": "user", "content": q}, {"role": "assistant", "content": "…"}]
    return out


# ---------- deciding: follow-up or new topic ----------
@pytest.mark.parametrize("question, reason", [
    ("这些措施由哪些部门负责？", "anaphor 这些"),
    ("该条是哪个部门发布的？", "anaphor 该条"),
    ("这个文件是哪年发布的？", "anaphor 这个"),
    ("这是哪个文件？", "anaphor 这是"),
    ("那广州呢？", "continues with 那"),
    ("由哪些部门负责？", "no topic of its own"),
    ("and which article is that?", "anaphor is that"),
    ("Who is responsible?", "no topic of its own"),
    ("What about Shanghai?", "continues with What about"),
    ("What do they say about RCEP?", "continues with they"),
    ("什么时候开始实施？", "names nothing of its own"),
    ("截止到哪一年？", "names nothing of its own"),
    ("who's in charge?", "no topic of its own"),
    ("Does Guangdong do that too?", "continues with too"),
])
def test_follow_ups_are_recognised_in_both_languages(question, reason):
    assert follow_up_reason(question) == reason
    r = resolve(question, _turns(WAREHOUSES))
    assert r.follow_up and r.reason == reason and r.previous_question == WAREHOUSES
    # a question naming its own place (广州, Shanghai) keeps the previous topic without the previous place
    carried = "对海外仓建设有哪些支持措施？" if question in ("那广州呢？", "What about Shanghai?", "Does Guangdong do that too?") else WAREHOUSES
    assert r.standalone == f"{carried} {question}"


@pytest.mark.parametrize("question", [
    REFUNDS, REFUNDS_EN, "深圳对跨境电商有什么支持呢？",
    "Which agencies are responsible for cross-border e-commerce tax policy in Shenzhen?",
    "What does measure (14) of Shenzhen's 2024 foreign trade measures say about RCEP?",
    "Is it true that Guangdong refunds export tax within 20 working days?",
    "出口退税要多久？",  # short, but it names what it asks about (jieba tags 出口退税 a noun)
])
def test_questions_with_a_topic_of_their_own_start_afresh(question):
    r = resolve(question, _turns(WAREHOUSES))
    assert not r.follow_up and r.standalone == question and r.previous_question is None


def test_no_standalone_gold_question_is_taken_for_a_follow_up():
    """Every gold question stands on its own, even those that say 这项措施 about a measure they name themselves."""
    gold = Path(__file__).resolve().parents[2] / "eval" / "gold"
    items = [json.loads(line) for f in sorted(gold.glob("*.jsonl"))
             for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [item["question"] for item in items if not item.get("history")]  # follow-ups are meant to be
    assert len(questions) > 200
    taken = [q for q in questions if resolve(q, _turns(WAREHOUSES)).follow_up]
    assert taken == []


def test_an_anaphor_in_a_question_that_names_its_own_topic_is_not_a_follow_up():
    assert follow_up_reason("广东省免征中央、省设立的涉企行政事业性收费省级收入这项减负措施，由哪些部门负责？") is None
    assert follow_up_reason("广东要求各地级以上市培育几家外贸综合服务企业？") is None
    assert follow_up_reason("这些措施中哪条支持海外仓建设？") == "anaphor 这些"


def test_without_history_nothing_is_a_follow_up():
    r = resolve("这些措施由哪些部门负责？", [])
    assert not r.follow_up and r.reason == "no earlier question"


def test_own_topic_drops_question_words_and_generic_nouns():
    assert own_topic("这些措施由哪些部门负责？") == ""
    assert own_topic(WAREHOUSES) == "深圳海外仓建设支持"
    assert own_topic("What about Guangdong?") == "Guangdong"


def test_a_follow_up_naming_another_place_drops_the_previous_place():
    assert drop_places(REFUNDS_EN) == "How fast are export tax refunds approved?"
    assert drop_places(REFUNDS) == "出口退税审批要在多少个工作日内完成？"
    r = resolve("What about Shanghai?", _turns(REFUNDS_EN))
    assert r.standalone == "How fast are export tax refunds approved? What about Shanghai?"


def test_the_topic_carries_over_a_chain_of_follow_ups():
    r = resolve("Who is responsible?", _turns(REFUNDS_EN, "and which article is that?"))
    assert r.previous_question == "and which article is that?"
    assert r.standalone == f"{REFUNDS_EN} and which article is that? Who is responsible?"
    assert [t.content for t in r.previous_history] == [REFUNDS_EN, "…"]


def test_citations_sent_with_the_history_are_used():
    history = [{"role": "user", "content": REFUNDS},
               {"role": "assistant", "content": "…[1]", "citations": [{"clause_id": "gd-2014-stabilize-trade#6.18"}]}]
    assert resolve("该条由哪些部门负责？", history).previous_citations == ("gd-2014-stabilize-trade#6.18",)
    assert resolve("该条由哪些部门负责？", _turns(REFUNDS)).previous_citations is None


def test_history_is_validated_with_messages_naming_the_bad_turn():
    assert parse_history([{"role": "system", "content": "be nice"}, {"role": "user", "content": "x"}]) == (
        Turn("user", "x"),)
    assert parse_history([{"role": "user", "content": [{"type": "text", "text": "出口"}]}]) == (Turn("user", "出口"),)
    with pytest.raises(ValueError, match="history turn 0 has role 'tool'"):
        parse_history([{"role": "tool", "content": "x"}])
    with pytest.raises(ValueError, match="history turn 1 has content of type int"):
        parse_history([{"role": "user", "content": "x"}, {"role": "assistant", "content": 3}])
    with pytest.raises(ValueError, match="must be a list of turns"):
        parse_history("深圳")


# ---------- answering over the real corpus ----------
# multi-turn items: (earlier questions, follow-up, clause the follow-up's answer must cite, what it must state)
CONVERSATIONS = [
    ([WAREHOUSES], "这些措施由哪些部门负责？", "sz-2024-foreign-trade-measures#3.10", "责任单位：市商务局"),
    ([REFUNDS], "该条由哪些部门负责？", "gd-2014-stabilize-trade#6.18", "第（十八）条"),
    ([REFUNDS_EN], "and which article is that?", "gd-2014-stabilize-trade#6.18", "measure (18)"),
    ([REFUNDS_EN, "and which article is that?"], "Who is responsible?", "gd-2014-stabilize-trade#6.18", "Responsible"),
    (["What does measure (14) of Shenzhen's 2024 foreign trade measures say about RCEP?"], "Who is responsible?",
     "sz-2024-foreign-trade-measures#4.14", "RCEP"),
]


@pytest.mark.slow
@pytest.mark.parametrize("earlier, question, clause_id, stated", CONVERSATIONS)
def test_follow_ups_are_answered_from_the_previous_turns_clauses(real_service, earlier, question, clause_id, stated):
    alone = real_service.ask(question)
    history = []
    for q in earlier:
        history += [{"role": "user", "content": q}, {"role": "assistant", "content": real_service.ask(q).text}]
    answer = real_service.ask(question, history=history)
    assert not answer.refused and answer.question == question
    assert clause_id in [h.clause.clause_id for h in answer.citations]
    assert stated in answer.text
    assert any(n.startswith("follow-up") for n in answer.notes)
    # without the conversation the same words do not lead to that clause
    assert clause_id not in [h.clause.clause_id for h in alone.citations]


@pytest.mark.slow
def test_the_issue_example_is_no_longer_refused(real_service):
    history = [{"role": "user", "content": WAREHOUSES},
               {"role": "assistant", "content": real_service.ask(WAREHOUSES).text}]
    answer = real_service.ask("这些措施由哪些部门负责？", history=history)
    assert not answer.refused
    assert answer.citations[0].clause.responsible == ("市商务局", "交通运输局", "各区政府")


@pytest.mark.slow
def test_a_new_topic_ignores_the_history(real_service):
    answer = real_service.ask(REFUNDS, history=_turns(WAREHOUSES))
    assert answer == real_service.ask(REFUNDS)


@pytest.mark.slow
def test_a_follow_up_about_a_place_the_corpus_lacks_is_refused(real_service):
    answer = real_service.ask("What about Shanghai?", history=_turns(REFUNDS_EN))
    assert answer.refused and answer.citations == ()


@pytest.mark.slow
def test_client_citations_are_used_and_unknown_ones_named(real_service):
    history = [{"role": "user", "content": "深圳海关优化营商环境20条的第十六条是什么？"},
               {"role": "assistant", "content": "…", "citations": ["sz-customs-business-environment-20#16"]}]
    answer = real_service.ask("这条由哪个部门负责？", history=history)
    assert [h.clause.clause_id for h in answer.citations] == ["sz-customs-business-environment-20#16"]
    history[1]["citations"] = ["nope#1"]
    with pytest.raises(Exception, match="unknown clause id 'nope#1'"):
        real_service.ask("这条由哪个部门负责？", history=history)
    with pytest.raises(InvalidQueryError, match="role 'bot'"):
        real_service.ask("这条由哪个部门负责？", history=[{"role": "bot", "content": "x"}])


class RecordingChat:
    """A fake chat model: always the same reply; keeps the prompts it was given."""

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.prompts = []

    def invoke(self, messages):
        from langchain_core.messages import AIMessage

        self.prompts.append(messages)
        return AIMessage(self.reply)


@pytest.mark.slow
def test_with_a_language_model_the_follow_up_reaches_it_standalone_and_is_verified(real_service):
    from app.service import PolicyQA

    chat = RecordingChat("该条由“省国税局，省财政厅负责”[1]。另外由海关总署负责[2]。")
    qa = PolicyQA(real_service.settings, chat_model=chat)
    answer = qa.ask("该条由哪些部门负责？", history=_turns(REFUNDS))
    assert len(chat.prompts) == 1  # the previous question was asked again without the model
    assert f"Question: {REFUNDS} 该条由哪些部门负责？" in chat.prompts[0][1].content
    assert answer.mode == "generated" and answer.text.startswith("该条由“省国税局，省财政厅负责”[1]。")
    assert "海关总署" not in answer.text  # the sentence citing no provided clause was removed by the verifier
    assert [h.clause.clause_id for h in answer.citations] == ["gd-2014-stabilize-trade#6.18"]
    assert any("marker points to no provided clause" in n for n in answer.notes)
    assert any(n.startswith("follow-up") for n in answer.notes)


FOLLOW_UPS = Path(__file__).resolve().parent / "data" / "follow_ups.jsonl"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.slow
def test_multi_turn_items_are_answered_from_the_conversation(real_service):
    """48 follow-ups (24 zh, 24 en) in the gold format with `history`: each asks about the clause that answers a gold
    question (its evidence, copied). Counted as the matching rule of CONTRACTS §1 says: a cited clause contains
    the quote. Measured 2026-12-01: first turn 40/48; follow-up with the history 40/48 (40 of those 40), alone 2/48."""
    items = [json.loads(line) for line in FOLLOW_UPS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(items) >= 40 and {i["lang"] for i in items} == {"zh", "en"}

    def covered(answer, item) -> bool:
        return any(_norm(item["evidence"][0]["quote"]) in _norm(h.clause.text) for h in answer.citations)

    first = [covered(real_service.ask(i["history"][0]["content"]), i) for i in items]
    with_history = [covered(real_service.ask(i["question"], history=i["history"]), i) for i in items]
    alone = [covered(real_service.ask(i["question"]), i) for i in items]
    kept = sum(w for f, w in zip(first, with_history) if f)
    assert kept >= 0.95 * sum(first), f"{kept} of {sum(first)} answerable conversations kept their clause"
    assert sum(with_history) >= 0.8 * len(items) and sum(alone) <= 0.1 * len(items)
