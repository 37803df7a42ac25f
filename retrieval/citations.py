"""The Citation shape of CONTRACTS.md §2, built from a clause and its document.

    {"clause_id": "gd-2014-stabilize-trade#6.18", "doc_id": "gd-2014-stabilize-trade",
     "doc_title": "广东省支持外贸稳定增长实施方案", "issuer": "广东省人民政府办公厅", "date": "2014-05-23",
     "status": "issued", "clause": "（十八）", "number": "十八",
     "path": ["六、加大财税金融支持力度", "（十八）加快出口退税进度"], "text": "（十八）加快出口退税进度。…",
     "responsible": ["省国税局", "省财政厅"], "lead": [], "text_en": null, "score": 0.83, …}

Fields beyond the contract are only added, never renamed.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from ingest.model import Clause, DocumentMeta


class Citation(BaseModel):
    clause_id: str
    doc_id: str
    doc_title: str | None
    issuer: str | None
    date: str | None
    status: str
    clause: str = Field(description="the label exactly as printed, e.g. （十八）; empty for unnumbered text")
    number: str = Field(description="the bare number word, e.g. 十八, 16, 3")
    path: list[str]
    text: str
    responsible: list[str]
    lead: list[str]
    text_en: str | None = None
    score: float | None = None
    # additions to the contract
    kind: str = "numbered"
    doc_title_en: str | None = None
    publisher: str | None = None
    source_url: str | None = None
    responsible_by_paragraph: list[list[str]] = []
    annex_rows: list[str] = []
    start: int | None = None
    end: int | None = None
    # additions for statutes (issue 10): 第二百八十七条之二 -> clause "第二百八十七条之二", number "二百八十七",
    # suffix "二"; `item` is the one item the answer rests on ("（三）": 第十八条第（三）项), else None
    suffix: str = ""
    item: str | None = None
    items: list[str] = []
    support: list[str] = []
    validity: str | None = None
    path_en: list[str] = []  # `path` in the English reference translation; [] where it has none


def item_of(clause: Clause, spans: list[tuple[int, int]]) -> str | None:
    """The item the quoted spans (offsets into the clause text) rest on: every span past the article's
    lead-in lies inside that one item; the outermost such item (项 before its 目).

        clause.text == "第二条 区内企业可以依法开展以下业务：\n（一）研发、加工、制造；\n（二）检测维修：…"
        item_of(clause, [(0, 19), (33, 40)]) -> "（二）"   (the lead-in, then a span of item (二))
        item_of(clause, [(20, 40)])          -> None       (across items (一) and (二))
    """
    if not clause.items or not spans:
        return None
    first = min(i.start for i in clause.items)
    inner = [(a, b) for a, b in spans if b > first]
    holding = [i for i in clause.items if inner and all(i.start <= a and b <= i.end for a, b in inner)]
    return max(holding, key=lambda i: i.end - i.start).label if holding else None


def to_citation(clause: Clause, doc: DocumentMeta, *, score: float | None = None,
                item: str | None = None) -> Citation:
    return Citation(
        clause_id=clause.clause_id, doc_id=clause.doc_id, doc_title=doc.title, issuer=doc.issuer, date=doc.date,
        status=doc.status.value, clause=clause.label, number=clause.number, path=list(clause.path), text=clause.text,
        responsible=list(clause.responsible), lead=list(clause.lead), text_en=clause.text_en, score=score,
        kind=clause.kind.value, doc_title_en=doc.title_en, publisher=doc.publisher, source_url=doc.source_url,
        responsible_by_paragraph=[list(p) for p in clause.responsible_by_paragraph],
        annex_rows=list(clause.annex_rows), start=clause.start, end=clause.end,
        suffix=clause.suffix, item=item, items=[i.label for i in clause.items], support=list(clause.support),
        validity=doc.validity, path_en=list(clause.path_en))


def citation_dict(clause: Clause, doc: DocumentMeta, *, score: float | None = None, item: str | None = None) -> dict:
    data = to_citation(clause, doc, score=score, item=item).model_dump()
    if score is None:
        data.pop("score")
    return data
