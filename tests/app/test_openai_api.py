"""The OpenAI-compatible endpoint driven by the official `openai` client and by LangChain's ChatOpenAI, against a
real uvicorn server on 127.0.0.1 over the real corpus."""

import json

import httpx
import pytest

from app.api import create_app
from eval.fixtures import serving

pytestmark = pytest.mark.slow

REFUNDS = "广东省出口退税审批要在多少个工作日内完成？"


@pytest.fixture(scope="module")
def base_url(real_service):
    with serving(create_app(real_service.settings, qa=real_service, with_ui=False)) as (host, port):
        yield f"http://{host}:{port}"


@pytest.fixture(scope="module")
def client(base_url):
    from openai import OpenAI

    return OpenAI(base_url=f"{base_url}/v1", api_key="unused", timeout=60, max_retries=0)


def test_models_lists_policyqa(client):
    assert [m.id for m in client.models.list()] == ["policyqa"]


def test_a_plain_question_gets_the_answer_with_citations_and_markers(client, base_url):
    completion = client.chat.completions.create(model="policyqa", messages=[{"role": "user", "content": REFUNDS}])
    message = completion.choices[0].message
    assert message.role == "assistant" and completion.choices[0].finish_reason == "stop"
    assert "在20个工作日内完成退（免）税审批手续" in message.content and "[1]" in message.content
    citations = completion.model_extra["citations"]
    assert citations[0]["clause_id"] == "gd-2014-stabilize-trade#6.18"
    assert citations[0]["issuer"] == "广东省人民政府办公厅" and citations[0]["clause"] == "（十八）"
    url = citations[0]["url"]
    assert url.startswith(f"{base_url}/documents/gd-2014-stabilize-trade?") and url in message.content
    page = httpx.get(url, timeout=30)  # the link opens the viewer with the quoted span marked
    assert page.status_code == 200 and "<mark>" in page.text
    assert "在20个工作日内完成退（免）税审批手续" in page.text.split("<mark>")[1].split("</mark>")[0]
    assert completion.model_extra["policyqa"]["refused"] is False


def test_a_follow_up_uses_the_conversation(client):
    first = client.chat.completions.create(model="policyqa", messages=[{"role": "user", "content": REFUNDS}])
    messages = [{"role": "system", "content": "You are helpful."}, {"role": "user", "content": REFUNDS},
                {"role": "assistant", "content": first.choices[0].message.content},
                {"role": "user", "content": "该条由哪些部门负责？"}]
    follow_up = client.chat.completions.create(model="policyqa", messages=messages)
    assert [c["clause_id"] for c in follow_up.model_extra["citations"]] == ["gd-2014-stabilize-trade#6.18"]
    assert "责任单位：省国税局、省财政厅" in follow_up.choices[0].message.content
    alone = client.chat.completions.create(model="policyqa", messages=messages[-1:])
    assert "gd-2014-stabilize-trade#6.18" not in [c["clause_id"] for c in alone.model_extra["citations"]]


def test_streaming_sends_openai_chunks_that_add_up_to_the_answer(client, base_url):
    plain = client.chat.completions.create(model="policyqa", messages=[{"role": "user", "content": REFUNDS}])
    stream = client.chat.completions.create(model="policyqa", messages=[{"role": "user", "content": REFUNDS}],
                                            stream=True)
    chunks = list(stream)
    assert len(chunks) > 4 and chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == plain.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["citations"][0]["clause_id"] == "gd-2014-stabilize-trade#6.18"
    # on the wire: server-sent events ending with [DONE]
    with httpx.stream("POST", f"{base_url}/v1/chat/completions", timeout=60,
                      json={"model": "policyqa", "stream": True, "messages": [{"role": "user", "content": REFUNDS}]}
                      ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    assert lines[-1] == "data: [DONE]" and all(line.startswith("data: ") for line in lines)
    assert json.loads(lines[1][6:])["object"] == "chat.completion.chunk"


def test_a_refusal_is_a_normal_message_without_citations(client):
    completion = client.chat.completions.create(
        model="policyqa", messages=[{"role": "user", "content": "上海市对跨境电商企业有什么补贴？"}])
    assert completion.choices[0].message.content.startswith("现有语料中没有能够回答这个问题的条款")
    assert completion.choices[0].message.refusal is None
    assert completion.model_extra["citations"] == [] and completion.model_extra["policyqa"]["refused"] is True


@pytest.mark.parametrize("kwargs, error, status, message", [
    ({"model": "gpt-4o", "messages": [{"role": "user", "content": "出口"}]}, "NotFoundError", 404,
     "The model 'gpt-4o' does not exist"),
    ({"model": "policyqa", "messages": [{"role": "user", "content": ""}]}, "BadRequestError", 400,
     "The last user message is empty"),
    ({"model": "policyqa", "messages": [{"role": "assistant", "content": "hi"}]}, "BadRequestError", 400,
     "The last message has role 'assistant'"),
    ({"model": "policyqa", "messages": [{"role": "user", "content": "问" * 2001}]}, "BadRequestError", 400,
     "2001 characters; the limit is 2000"),
])
def test_errors_come_in_openai_shape(client, kwargs, error, status, message):
    import openai

    with pytest.raises(getattr(openai, error)) as info:
        client.chat.completions.create(**kwargs)
    assert info.value.status_code == status and message in info.value.message
    body = info.value.body
    assert set(body) == {"message", "type", "param", "code"} and body["type"] == "invalid_request_error"


def test_malformed_bodies_get_openai_errors(base_url):
    r = httpx.post(f"{base_url}/v1/chat/completions", content=b"{not json", timeout=30,
                   headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["message"] == "The request body is not valid JSON."
    r = httpx.post(f"{base_url}/v1/chat/completions", json={"model": "policyqa", "messages": []}, timeout=30)
    assert r.status_code == 400 and r.json()["error"]["param"] == "messages"


def test_langchain_chat_openai_uses_it_as_a_model(base_url):
    from langchain_core.messages import AIMessage, HumanMessage
    from langchain_openai import ChatOpenAI

    llm = ChatOpenAI(base_url=f"{base_url}/v1", model="policyqa", api_key="unused", timeout=60, max_retries=0)
    reply = llm.invoke([HumanMessage(REFUNDS)])
    assert "在20个工作日内" in reply.content and "[1]" in reply.content and "/documents/gd-2014-stabilize-trade" in reply.content
    follow_up = llm.invoke([HumanMessage(REFUNDS), AIMessage(reply.content), HumanMessage("该条由哪些部门负责？")])
    assert "责任单位：省国税局、省财政厅" in follow_up.content
    streamed = "".join(chunk.content for chunk in llm.stream([HumanMessage(REFUNDS)]))
    assert streamed == reply.content


def test_citations_sent_back_on_an_assistant_message_are_used(client, base_url):
    first = client.chat.completions.create(
        model="policyqa", messages=[{"role": "user", "content": "深圳海关优化营商环境20条的第十六条是什么？"}])
    messages = [{"role": "user", "content": "深圳海关优化营商环境20条的第十六条是什么？"},
                {"role": "assistant", "content": first.choices[0].message.content,
                 "citations": first.model_extra["citations"]},
                {"role": "user", "content": "这条由哪个部门负责？"}]
    r = httpx.post(f"{base_url}/v1/chat/completions", json={"model": "policyqa", "messages": messages}, timeout=60)
    assert [c["clause_id"] for c in r.json()["citations"]] == ["sz-customs-business-environment-20#16"]
    messages[1]["citations"] = ["nope#1"]
    r = httpx.post(f"{base_url}/v1/chat/completions", json={"model": "policyqa", "messages": messages}, timeout=60)
    assert r.status_code == 400 and "unknown clause id 'nope#1'" in r.json()["error"]["message"]
    r = httpx.post(f"{base_url}/v1/chat/completions", timeout=60, json={"model": "policyqa", "messages": [
        {"role": "tool", "content": "x"}, {"role": "user", "content": "出口退税"}]})
    assert r.status_code == 400 and "role 'tool' are not supported" in r.json()["error"]["message"]
