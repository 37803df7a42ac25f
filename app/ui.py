"""The Gradio chat: bilingual answers with citation cards, filters, feedback and a document browser."""

from __future__ import annotations

import html

import gradio as gr

from ingest.errors import PolicyQAError
from retrieval.searcher import Filters

from .answer import Answer
from .feedback import FeedbackStore
from .service import PolicyQA

EXAMPLES = [
    "广东省出口退税审批要在多少个工作日内完成？",
    "深圳海关优化营商环境20条的第十六条是什么？",
    "深圳对海外仓建设有哪些支持措施？由哪些部门负责？",
    "We export lithium batteries from Shenzhen: which customs facilitations apply?",
    "What does measure (14) of Shenzhen's 2024 foreign trade measures say about RCEP?",
    "Which agencies are responsible for cross-border e-commerce tax policy in Shenzhen?",
]

CSS = """
.pqa-card {border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; margin: 8px 0; background: #fafbfc;}
.pqa-head {font-size: 1.0em;} .pqa-label {color: #b3261e; font-weight: bold; margin-left: 4px;}
.pqa-meta, .pqa-path, .pqa-resp {font-size: 0.85em; color: #444; margin-top: 3px;}
.pqa-draft {color: #9a6700; font-weight: bold;} .pqa-text {white-space: pre-wrap; margin-top: 6px;}
.pqa-en {white-space: pre-wrap; margin-top: 6px; color: #1f3a5f;} .pqa-none {color: #777;}
"""


def _e(value) -> str:
    return html.escape(str(value)) if value is not None else ""


def card(n: int | None, clause, doc, *, score: float | None = None) -> str:
    """One citation card: document, issuer, date, status, clause label, path, responsible units, full text."""
    status = {"issued": "issued 已发布", "draft": "draft 征求意见稿", "unknown": "status unknown 状态未注明"}[doc.status.value]
    status_html = f'<span class="pqa-draft">{status}</span>' if doc.status.value == "draft" else _e(status)
    title_en = f" <i>{_e(doc.title_en)}</i>" if doc.title_en else ""
    marker = f"[{n}] " if n is not None else ""
    resp = "、".join(clause.responsible)
    lead = f"（牵头 lead: {_e('、'.join(clause.lead))}）" if clause.lead else ""
    en = (f'<div class="pqa-en"><b>English reference translation (unofficial):</b>\n{_e(clause.text_en)}</div>'
          if clause.text_en else '<div class="pqa-none">No English translation available for this clause.</div>')
    return (
        f'<div class="pqa-card" data-clause-id="{_e(clause.clause_id)}">'
        f'<div class="pqa-head">{marker}<b>{_e(doc.title or doc.doc_id)}</b>{title_en}'
        f'<span class="pqa-label">{_e(clause.label or "（无编号）")}</span></div>'
        f'<div class="pqa-meta">发文机关 Issuer: <span class="pqa-issuer">{_e(doc.issuer or "未注明 not stated")}</span>'
        f' · 日期 Date: {_e(doc.date or "未注明 not stated")} · {status_html}'
        + (f" · score {score:.2f}" if score is not None else "") + "</div>"
        f'<div class="pqa-path">{_e(" › ".join(clause.path))}</div>'
        + (f'<div class="pqa-resp">责任单位 Responsible: {_e(resp)}{lead}</div>' if resp else "")
        + f'<details><summary>全文 Full text · {_e(clause.clause_id)}</summary>'
        f'<div class="pqa-text">{_e(clause.text)}</div>{en}</details></div>'
    )


def cards_html(answer: Answer) -> str:
    if answer.refused:
        related = "".join(card(None, h.clause, h.document, score=h.score) for h in answer.retrieved[:3])
        head = "未找到能回答该问题的条款 / No clause answers this question."
        return f'<div class="pqa-none"><b>{head}</b> 可能相关 Possibly related:</div>{related}'
    return "".join(card(n, h.clause, h.document, score=h.score) for n, h in enumerate(answer.citations, start=1))


def tree_html(qa: PolicyQA, doc_id: str) -> str:
    from .api import clause_tree

    def render(nodes) -> str:
        items = []
        for node in nodes:
            if node.children:
                items.append(f"<details open><summary>{_e(node.heading)}</summary>{render(node.children)}</details>")
            else:
                items.append(f'<div class="pqa-path" data-clause-id="{_e(node.clause_id)}">{_e(node.heading)} '
                             f'<code>{_e(node.clause_id)}</code></div>')
        return "<div style='margin-left:12px'>" + "".join(items) + "</div>"

    return render(clause_tree(qa, doc_id))


def build_ui(qa: PolicyQA, feedback: FeedbackStore) -> gr.Blocks:
    def doc_choices():
        try:
            return [(f"{d.title or d.doc_id}", d.doc_id) for d in qa.documents()]
        except PolicyQAError:
            return []

    def issuer_choices():
        try:
            return sorted({d.issuer for d in qa.documents() if d.issuer})
        except PolicyQAError:
            return []

    def respond(message, history, docs, issuer):
        history = list(history or [])
        if not message or not message.strip():
            return history, "", "<div class='pqa-none'>请输入问题 / Please type a question.</div>", None
        try:
            answer = qa.ask(message, filters=Filters.of(doc_ids=tuple(docs or ()), issuer=issuer or None))
        except PolicyQAError as exc:
            history += [{"role": "user", "content": message}, {"role": "assistant", "content": f"⚠️ {exc}"}]
            return history, "", "", None
        history += [{"role": "user", "content": message}, {"role": "assistant", "content": answer.text}]
        state = {"question": message, "answer": answer.text, "clause_ids": [h.clause.clause_id for h in answer.citations]}
        return history, "", cards_html(answer), state

    def rate(rating, state, comment):
        if not state:
            return "先提问，再评价 / Ask a question first."
        feedback.add(question=state["question"], answer=state["answer"], rating=rating, comment=comment or None,
                     clause_ids=state["clause_ids"])
        return "谢谢反馈 / Thanks, your feedback was saved."

    def show_document(doc_id):
        if not doc_id:
            return "", gr.update(choices=[], value=None)
        clauses = qa.clauses(doc_id)
        choices = [(f"{c.label or '—'} {c.path[-1] if c.path else c.text[:30]}", c.clause_id) for c in clauses]
        return tree_html(qa, doc_id), gr.update(choices=choices, value=None)

    def show_clause(clause_id):
        if not clause_id:
            return ""
        c = qa.clause(clause_id)
        return card(None, c, qa.document(c.doc_id)).replace("<details>", "<details open>")

    with gr.Blocks(title="PolicyQA") as demo:
        gr.Markdown("## PolicyQA · 外贸政策问答\nAnswers cite the exact clause, document and issuing body. "
                    "回答均引用具体条款、文件和发文机关；语料未覆盖的问题会明确说明。")
        with gr.Tab("问答 Ask"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="PolicyQA", height=460, elem_id="chat")
                    question = gr.Textbox(label="问题 Question", placeholder="用中文或英文提问 / Ask in Chinese or English",
                                          elem_id="question", lines=2)
                    ask = gr.Button("提问 Ask", variant="primary", elem_id="ask")
                    gr.Examples(EXAMPLES, inputs=question, label="示例 Examples")
                with gr.Column(scale=2):
                    docs = gr.Dropdown(choices=[], multiselect=True, label="限定文件 Documents", elem_id="doc-filter")
                    issuer = gr.Dropdown(choices=[], label="发文机关 Issuer", elem_id="issuer-filter")
                    cards = gr.HTML(elem_id="citations")
                    with gr.Row():
                        up = gr.Button("👍 有用 Helpful", elem_id="thumbs-up")
                        down = gr.Button("👎 没用 Not helpful", elem_id="thumbs-down")
                    comment = gr.Textbox(label="意见 Comment (optional)", lines=1)
                    status = gr.Markdown(elem_id="feedback-status")
            last = gr.State(None)
            ask.click(respond, [question, chatbot, docs, issuer], [chatbot, question, cards, last])
            question.submit(respond, [question, chatbot, docs, issuer], [chatbot, question, cards, last])
            up.click(lambda s, c: rate("up", s, c), [last, comment], status)
            down.click(lambda s, c: rate("down", s, c), [last, comment], status)
        with gr.Tab("文件 Documents"):
            doc = gr.Dropdown(choices=[], label="文件 Document", elem_id="doc-browser")
            tree = gr.HTML(elem_id="doc-tree")
            clause = gr.Dropdown(choices=[], label="条款 Clause", elem_id="clause-picker")
            clause_view = gr.HTML(elem_id="clause-view")
            doc.change(show_document, doc, [tree, clause])
            clause.change(show_clause, clause, clause_view)
        demo.load(lambda: (gr.update(choices=doc_choices()), gr.update(choices=issuer_choices()),
                           gr.update(choices=doc_choices())), None, [docs, issuer, doc])
    return demo
