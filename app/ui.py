"""The Gradio chat: a conversation with follow-ups, streamed answers, citation cards that open the cited clause
in the document viewer, Markdown export, filters, feedback and a document browser.

Text from documents and answers is escaped before it reaches the page (app.export.escape_markdown in the chat,
html.escape in the cards): the only markup is PolicyQA's own (card layout, links of the [n] markers).
"""

from __future__ import annotations

import atexit
import html
import re
import shutil
import tempfile
import time
from pathlib import Path

import gradio as gr

from ingest.errors import PolicyQAError
from retrieval.searcher import Filters

from .answer_store import AnswerStore
from .export import conversation_markdown, escape_markdown
from .feedback import FeedbackStore
from .serialize import AnswerRecord, LinkedCitation, to_record, viewer_url
from .service import PolicyQA
from .streaming import pieces
from .viewer import tree_html as viewer_tree

EXAMPLES = [
    "广东省出口退税审批要在多少个工作日内完成？",
    "深圳海关优化营商环境20条的第十六条是什么？",
    "深圳对海外仓建设有哪些支持措施？",
    "We export lithium batteries from Shenzhen: which customs facilitations apply?",
    "What does measure (14) of Shenzhen's 2024 foreign trade measures say about RCEP?",
    "Which agencies are responsible for cross-border e-commerce tax policy in Shenzhen?",
]
# asked after one of the questions above, they are answered from its citations
FOLLOW_UPS = ["这些措施由哪些部门负责？", "该条由哪些部门负责？", "and which article is that?", "Who is responsible?"]
STREAM_PAUSE_S = 0.03  # between streamed pieces, so the frame and the quotes are seen arriving

CSS = """
.pqa-card {border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; margin: 8px 0; background: #fafbfc;
           overflow-wrap: anywhere;}
.pqa-head {font-size: 1.0em;} .pqa-label {color: #b3261e; font-weight: bold; margin-left: 4px;}
.pqa-meta, .pqa-path, .pqa-resp {font-size: 0.85em; color: #444; margin-top: 3px;}
.pqa-draft {color: #9a6700; font-weight: bold;} .pqa-text {white-space: pre-wrap; margin-top: 6px;}
.pqa-en {white-space: pre-wrap; margin-top: 6px; color: #1f3a5f;} .pqa-none {color: #777;}
.pqa-open {display: inline-block; margin-top: 4px; font-size: 0.9em;}
#chat, #citations {overflow-wrap: anywhere;}
#doc-tree details {margin: 4px 0 4px 10px;} #doc-tree .clause {border-left: 3px solid #d0d7de; padding: 2px 8px;}
#doc-tree .texts {display: grid; grid-template-columns: 1fr 1fr; gap: 12px;} #doc-tree .label {color: #b3261e;}
#doc-tree .zh, #doc-tree .en {white-space: pre-wrap; overflow-wrap: anywhere;} #doc-tree .en {color: #1f3a5f;}
@media (max-width: 480px) {.gradio-container {padding: 4px !important;} #chat {height: 360px !important;}
                            #doc-tree .texts {grid-template-columns: 1fr;}}
"""
_MARKER = re.compile(r"\\\[(\d+)\\\]")  # an escaped "[1]" in the chat text


def _e(value) -> str:
    return html.escape(str(value)) if value is not None else ""


def card(n: int | None, clause, doc, *, score: float | None = None, url: str | None = None) -> str:
    """One citation card: document, issuer, date, status, clause label, path, responsible units, full text and a
    link that opens the clause in the document viewer."""
    status = {"issued": "issued 已发布", "draft": "draft 征求意见稿", "unknown": "status unknown 状态未注明"}[doc.status.value]
    status_html = f'<span class="pqa-draft">{status}</span>' if doc.status.value == "draft" else _e(status)
    title_en = f" <i>{_e(doc.title_en)}</i>" if doc.title_en else ""
    marker = f"[{n}] " if n is not None else ""
    resp = "、".join(clause.responsible)
    lead = f"（牵头 lead: {_e('、'.join(clause.lead))}）" if clause.lead else ""
    en = (f'<div class="pqa-en"><b>English reference translation (unofficial):</b>\n{_e(clause.text_en)}</div>'
          if clause.text_en else '<div class="pqa-none">No English translation available for this clause.</div>')
    url = url or viewer_url(clause.doc_id, clause.clause_id)
    return (
        f'<div class="pqa-card" data-clause-id="{_e(clause.clause_id)}">'
        f'<div class="pqa-head">{marker}<b>{_e(doc.title or doc.doc_id)}</b>{title_en}'
        f'<span class="pqa-label">{_e(clause.label or "（无编号）")}</span></div>'
        f'<div class="pqa-meta">发文机关 Issuer: <span class="pqa-issuer">{_e(doc.issuer or "未注明 not stated")}</span>'
        f' · 日期 Date: {_e(doc.date or "未注明 not stated")} · {status_html}'
        + (f" · score {score:.2f}" if score is not None else "") + "</div>"
        f'<div class="pqa-path">{_e(" › ".join(clause.path))}</div>'
        + (f'<div class="pqa-resp">责任单位 Responsible: {_e(resp)}{lead}</div>' if resp else "")
        + f'<a class="pqa-open" href="{_e(url)}" target="_blank" rel="noopener">在文件中打开 Open in the document</a>'
        f'<details><summary>全文 Full text · {_e(clause.clause_id)}</summary>'
        f'<div class="pqa-text">{_e(clause.text)}</div>{en}</details></div>'
    )


def cards_html(qa: PolicyQA, record: AnswerRecord) -> str:
    def one(n, c: LinkedCitation) -> str:
        clause = qa.clause(c.clause_id)
        return card(n, clause, qa.document(clause.doc_id), score=c.score, url=c.url)

    if record.refused:
        related = "".join(one(None, c) for c in record.retrieved[:3])
        head = "未找到能回答该问题的条款 / No clause answers this question."
        return f'<div class="pqa-none"><b>{head}</b> 可能相关 Possibly related:</div>{related}'
    links = (f'<div class="pqa-meta">本回答 This answer: <a id="answer-md" href="/api/answers/{_e(record.id)}.md" '
             f'target="_blank">Markdown</a></div>' if record.id else "")
    return links + "".join(one(n, c) for n, c in enumerate(record.citations, start=1))


def chat_text(text: str, citations: list[LinkedCitation]) -> str:
    """The answer for the chat: escaped Markdown, each [n] marker a link to its clause in the viewer."""
    escaped = escape_markdown(text, unknown="")

    def link(m: re.Match) -> str:
        n = int(m.group(1))
        if 1 <= n <= len(citations) and citations[n - 1].url:
            return f"[\\[{n}\\]]({citations[n - 1].url})"
        return m.group(0)

    return _MARKER.sub(link, escaped)


def tree_html(qa: PolicyQA, doc_id: str) -> str:
    return f'<p><a href="/documents/{_e(doc_id)}" target="_blank">在查看器中打开 Open in the viewer</a></p>' + \
        viewer_tree(qa.clauses(doc_id))


EXPORT_KEEP_S = 3600  # exports older than this are removed when a new one is written (the browser has it by then)


def export_file(records: list[dict], folder: Path, *, now: float | None = None) -> str:
    """The conversation as a Markdown file for the download button.

    Every export gets a folder of its own under `folder`: two sessions exporting at once never write (or hand out)
    the same file. Exports older than EXPORT_KEEP_S are removed, so a long-running server does not fill its disk.

        export_file(records, Path("/tmp/policyqa-export-x"))  -> "/tmp/policyqa-export-x/k3j9a1/policyqa-conversation.md"
    """
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time() if now is None else now
    for old in folder.iterdir():
        try:
            if old.is_dir() and now - old.stat().st_mtime > EXPORT_KEEP_S:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:  # removed meanwhile by another session's export
            pass
    path = Path(tempfile.mkdtemp(dir=folder)) / "policyqa-conversation.md"
    path.write_text(conversation_markdown([AnswerRecord.model_validate(r) for r in records]), encoding="utf-8")
    return str(path)


def build_ui(qa: PolicyQA, feedback: FeedbackStore, *, answers: AnswerStore | None = None) -> gr.Blocks:
    answers = answers or AnswerStore(capacity=200)
    exports = Path(tempfile.mkdtemp(prefix="policyqa-export-"))
    atexit.register(shutil.rmtree, exports, ignore_errors=True)

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

    def respond(message, chat, turns, records, docs, issuer):
        """A generator: the question appears at once, then the answer piece by piece, then the citation cards."""
        chat, turns, records = list(chat or []), list(turns or []), list(records or [])
        keep = gr.update()
        if not message or not message.strip():
            yield chat, "", "<div class='pqa-none'>请输入问题 / Please type a question.</div>", None, turns, records, keep
            return
        chat += [{"role": "user", "content": escape_markdown(message, unknown="")},
                 {"role": "assistant", "content": "……"}]
        yield chat, "", "<div class='pqa-none'>正在检索 / Searching…</div>", None, turns, records, keep
        try:
            answer = qa.ask(message, filters=Filters.of(doc_ids=tuple(docs or ()), issuer=issuer or None),
                            history=turns or None)
        except PolicyQAError as exc:
            chat[-1] = {"role": "assistant", "content": "错误 Error: " + escape_markdown(str(exc), unknown="")}
            yield chat, "", "", None, turns, records, keep
            return
        record = answers.put(to_record(answer))
        shown = ""
        for piece in pieces(answer.text):
            shown += piece
            chat[-1] = {"role": "assistant", "content": chat_text(shown, record.citations)}
            yield chat, "", keep, keep, keep, keep, keep
            time.sleep(STREAM_PAUSE_S)
        turns += [{"role": "user", "content": message},
                  {"role": "assistant", "content": answer.text, "citations": [c.clause_id for c in record.citations]}]
        records.append(record.model_dump(mode="json"))
        state = {"question": message, "answer": answer.text, "clause_ids": [c.clause_id for c in record.citations]}
        yield (chat, "", cards_html(qa, record), state, turns, records,
               gr.update(value=export_file(records, exports), interactive=True))

    def new_conversation():
        return [], "", None, [], [], gr.update(value=None, interactive=False)

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
        gr.Markdown("## PolicyQA · 外贸政策问答\nAnswers cite the exact clause, document and issuing body; ask "
                    "follow-ups about them. 回答均引用具体条款、文件和发文机关，可以继续追问；语料未覆盖的问题会明确说明。")
        with gr.Tab("问答 Ask"):
            with gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=300):
                    chatbot = gr.Chatbot(label="PolicyQA", height=460, elem_id="chat", feedback_options=None,
                                         latex_delimiters=[], buttons=["copy"])
                    question = gr.Textbox(label="问题 Question", placeholder="用中文或英文提问，可追问 / Ask in Chinese "
                                          "or English; follow-ups welcome", elem_id="question", lines=2)
                    with gr.Row():
                        ask = gr.Button("提问 Ask", variant="primary", elem_id="ask", min_width=120)
                        clear = gr.Button("新对话 New conversation", elem_id="new-conversation", min_width=120)
                        download = gr.DownloadButton("导出对话 Export (.md)", elem_id="export", interactive=False,
                                                     min_width=120)
                    gr.Examples(EXAMPLES, inputs=question, label="示例 Examples")
                    gr.Examples(FOLLOW_UPS, inputs=question, label="追问示例 Follow-ups (after a question above)")
                with gr.Column(scale=2, min_width=300):
                    docs = gr.Dropdown(choices=[], multiselect=True, label="限定文件 Documents", elem_id="doc-filter")
                    issuer = gr.Dropdown(choices=[], label="发文机关 Issuer", elem_id="issuer-filter")
                    cards = gr.HTML(elem_id="citations")
                    with gr.Row():
                        # plain words: an emoji would need a font the page may not have
                        up = gr.Button("有用 Helpful", elem_id="thumbs-up", min_width=100)
                        down = gr.Button("没用 Not helpful", elem_id="thumbs-down", min_width=100)
                    comment = gr.Textbox(label="意见 Comment (optional)", lines=1)
                    status = gr.Markdown(elem_id="feedback-status")
            last = gr.State(None)
            turns = gr.State([])    # the conversation as PolicyQA reads it: raw text and cited clause ids
            records = gr.State([])  # the answers, for the export
            outputs = [chatbot, question, cards, last, turns, records, download]
            inputs = [question, chatbot, turns, records, docs, issuer]
            ask.click(respond, inputs, outputs)
            question.submit(respond, inputs, outputs)
            clear.click(new_conversation, None, [chatbot, cards, last, turns, records, download])
            chatbot.clear(new_conversation, None, [chatbot, cards, last, turns, records, download])
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
