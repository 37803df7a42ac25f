"""Drive PolicyQA's OpenAI-compatible endpoint with the official `openai` client and print what comes back.

    PYTHONPATH=$PWD python bench/openai_demo.py            # needs an index: `policyqa ingest` first

Starts the server on 127.0.0.1 (a free port), then asks: a plain question, a follow-up that only makes sense
with the conversation, the same question streamed, and a question the corpus cannot answer.
"""

from __future__ import annotations

import time

from openai import OpenAI

from app.api import create_app
from app.settings import Settings
from eval.fixtures import serving

QUESTION = "广东省出口退税审批要在多少个工作日内完成？"
FOLLOW_UP = "该条由哪些部门负责？"
UNANSWERABLE = "上海市对跨境电商企业有什么补贴？"


def cited(completion) -> list[str]:
    return [f"{c['clause_id']} ({c['issuer'] or 'issuer not stated'})" for c in completion.model_extra["citations"]]


def first_line(text: str, width: int = 110) -> str:
    line = text.strip().splitlines()[0]
    return line if len(line) <= width else line[: width - 1] + "…"


def main() -> None:
    with serving(create_app(Settings(), with_ui=False)) as (host, port):
        demo(OpenAI(base_url=f"http://{host}:{port}/v1", api_key="unused", timeout=60, max_retries=0))


def demo(client: OpenAI) -> None:
    print("models:", [m.id for m in client.models.list()])

    plain = client.chat.completions.create(model="policyqa", messages=[{"role": "user", "content": QUESTION}])
    print(f"\n1. plain: {QUESTION}\n   answer: {first_line(plain.choices[0].message.content)}\n"
          f"   citations: {cited(plain)}\n   url: {plain.model_extra['citations'][0]['url']}")

    messages = [{"role": "user", "content": QUESTION},
                {"role": "assistant", "content": plain.choices[0].message.content},
                {"role": "user", "content": FOLLOW_UP}]
    follow = client.chat.completions.create(model="policyqa", messages=messages)
    alone = client.chat.completions.create(model="policyqa", messages=messages[-1:])
    responsible = [line for line in follow.choices[0].message.content.splitlines() if line.startswith("责任单位")]
    print(f"\n2. follow-up: {FOLLOW_UP}\n   with the conversation: citations {cited(follow)}; {responsible[:1]}\n"
          f"   without it: citations {cited(alone)}")

    started = time.perf_counter()
    chunks, first_at = [], None
    for chunk in client.chat.completions.create(model="policyqa", stream=True,
                                                messages=[{"role": "user", "content": QUESTION}]):
        if first_at is None:
            first_at = time.perf_counter() - started
        chunks.append(chunk)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    print(f"\n3. streaming: {len(chunks)} chunks, first after {first_at * 1000:.0f} ms, "
          f"finish_reason={chunks[-1].choices[0].finish_reason!r}, "
          f"same text as non-streamed: {text == plain.choices[0].message.content}, "
          f"citations on the last chunk: {[c['clause_id'] for c in chunks[-1].model_extra['citations']]}")
    print("   first pieces:", [c.choices[0].delta.content for c in chunks[1:4]])

    refusal = client.chat.completions.create(model="policyqa", messages=[{"role": "user", "content": UNANSWERABLE}])
    print(f"\n4. refusal: {UNANSWERABLE}\n   answer: {first_line(refusal.choices[0].message.content)}\n"
          f"   citations: {refusal.model_extra['citations']}, refused: {refusal.model_extra['policyqa']['refused']}")


if __name__ == "__main__":
    main()
