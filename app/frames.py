"""How a clause, a document and caveats are named in an answer, in Chinese and in English.

    zh_clause_ref(Clause(label="（十四）", style=CN_PAREN, …))     -> "第（十四）条"
    zh_clause_ref(Clause(label="十六、", number="十六", …))         -> "第十六条"
    en_clause_ref(Clause(label="（十四）", number="十四", …))       -> "measure (14)"
    related_ref("zh", Clause(label="", text="为贯彻落实国务院办公厅…", …)) -> "（无编号部分：“为贯彻落实国务院办公厅……”）"
"""

from __future__ import annotations

from datetime import date

from ingest.model import Clause, ClauseKind, DocumentMeta, Status
from ingest.numbering import number_value
from retrieval.glossary import Glossary

OLD_AFTER_YEARS = 5


def zh_clause_ref(clause: Clause) -> str:
    if clause.kind == ClauseKind.ANNEX_ROW:
        return clause.label.replace(" ", "")
    if not clause.label:
        return "（无编号部分）"
    if clause.style.parenthesised:
        return f"第{clause.label}条"
    if clause.style.statutory:
        return clause.label
    return f"第{clause.number}条"


def en_clause_ref(clause: Clause) -> str:
    if not clause.label:
        return "an unnumbered passage"
    try:
        n = number_value(clause.number)
    except ValueError:
        return clause.label
    if clause.kind == ClauseKind.ANNEX_ROW:
        return f"item {n} of the annex"
    if clause.style.parenthesised:
        return f"measure ({n})"
    if clause.style.statutory:
        return f"article {n}"
    return f"item {n}" if clause.style.arabic else f"article {n}"


OPENING_CHARS = 14  # of an unnumbered passage, enough to tell two of one document apart


def opening(clause: Clause) -> str:
    """The first words of a clause, verbatim (whitespace runs as one space): "为认真贯彻落实《国务院办公厅"."""
    return " ".join(clause.text.split())[:OPENING_CHARS].rstrip("，,、。；; ")


def related_ref(language: str, clause: Clause) -> str:
    """A clause listed as possibly related: its number, or for an unnumbered passage (which has none to tell two
    of one document apart) its opening words."""
    if clause.label:
        return zh_clause_ref(clause) if language == "zh" else f"{en_clause_ref(clause)} ({clause.label})"
    words = opening(clause) + ("……" if len(" ".join(clause.text.split())) > OPENING_CHARS else "")
    return f"（无编号部分：“{words}”）" if language == "zh" else f"an unnumbered passage (“{words}”)"


def zh_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def en_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def is_old(doc: DocumentMeta, today: date) -> bool:
    if not doc.date:
        return False
    issued = date.fromisoformat(doc.date)
    return (today - issued).days > OLD_AFTER_YEARS * 365.25


def zh_source(doc: DocumentMeta) -> str:
    """"《广东省支持外贸稳定增长实施方案》（广东省人民政府办公厅，2014年5月23日）" """
    parts = [doc.issuer or "发文机关未注明"]
    parts.append(zh_date(doc.date) if doc.date else "日期未注明")
    title = doc.title or doc.doc_id
    return f"《{title}》（{'，'.join(parts)}）"


def en_source(doc: DocumentMeta, glossary: Glossary) -> str:
    title_en = doc.title_en or (glossary.english(doc.title) if doc.title else None)
    title = doc.title or doc.doc_id
    named = f"“{title_en}” ({title})" if title_en else f"“{title}” (no English title available)"
    if doc.issuer:
        issuer_en = glossary.english(doc.issuer)
        who = f"issued by {issuer_en} ({doc.issuer})" if issuer_en else f"issued by {doc.issuer}"
    else:
        who = "issuing body not stated"
    when = en_date(doc.date) if doc.date else "date not stated"
    return f"{named}, {who}, {when}"


def zh_caveats(doc: DocumentMeta, today: date) -> list[str]:
    notes = []
    if doc.status == Status.DRAFT:
        notes.append(f"注意：《{doc.title}》是征求意见稿，并非正式发布的文件。")
    if is_old(doc, today):
        notes.append(f"注意：《{doc.title}》发布于{zh_date(doc.date)}，已超过五年，请核实该措施是否仍然有效。")
    return notes


def en_caveats(doc: DocumentMeta, today: date) -> list[str]:
    notes = []
    name = doc.title_en or doc.title
    if doc.status == Status.DRAFT:
        notes.append(f"Note: “{name}” is a draft for comments (征求意见稿), not an issued document.")
    if is_old(doc, today):
        notes.append(f"Note: “{name}” dates from {en_date(doc.date)}, more than five years ago; "
                     "check whether it is still in force.")
    return notes


# the refusal of a question that names nothing to look up (app.answerability.names_no_topic: "什么？", "When?")
NO_TOPIC_ZH = ("这个问题没有说明要查什么（措施、事项、机构或地区），无法据此作答。"
               "请把问题问完整，例如：出口退税审批要多久？")
NO_TOPIC_EN = ("The question does not say what to look up (a measure, matter, agency or place), so PolicyQA cannot "
               "answer it. Ask a complete question, e.g. “How long does export tax rebate approval take?”")


# the reply to smalltalk (retrieval.intents: "你好", "谢谢", "test", "你是谁？"): what PolicyQA does, and how to ask
SMALLTALK_ZH = ("PolicyQA 回答与语料中的政策文件有关的问题，每个回答都注明所依据的条款和发文机关。"
                "请直接提问，例如：出口退税审批要多久？")
SMALLTALK_EN = ("PolicyQA answers questions about the policy documents in its corpus, and every answer cites its "
                "clause and issuing body. Ask a question, e.g. “How long does export tax rebate approval take?”")


def in_force_note(language: str, documents: list[DocumentMeta] | None = None) -> str:
    """What the corpus can say about validity: each document's date and status, and that whether it is still in
    force is not something these texts can tell."""
    seen = list({d.doc_id: d for d in documents or []}.values())
    if language == "zh":
        facts = "；".join(f"《{d.title or d.doc_id}》{zh_date(d.date) if d.date else '未注明日期'}，"
                         f"{_ZH_STATUS[d.status]}" for d in seen)
        return (f"（{facts}。）" if facts else "") + "现有语料只能说明文件的日期和状态，无法判断其目前是否仍然有效，请向发文机关核实。"
    facts = "; ".join(f"“{d.title_en or d.title or d.doc_id}”: {en_date(d.date) if d.date else 'date not stated'}, "
                      f"{_EN_STATUS[d.status]}" for d in seen)
    return (f"({facts}.) " if facts else "") + ("The corpus states documents' dates and status only; it cannot tell "
                                                "whether a measure is still in force. Check with the issuing body.")


_ZH_STATUS = {Status.ISSUED: "已印发", Status.DRAFT: "征求意见稿", Status.UNKNOWN: "状态未注明"}
_EN_STATUS = {Status.ISSUED: "issued", Status.DRAFT: "a draft for comments", Status.UNKNOWN: "status not stated"}
