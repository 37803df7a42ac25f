"""The one JSON shape of an answer, used by the HTTP API, the batch CLI (CONTRACTS §2) and the OpenAI endpoint.

    answer_record(answer, item_id="zh-001")
        -> {"id": "zh-001", "question": "广东省出口退税审批要在多少个工作日内完成？", "lang": "zh", "refused": false,
            "answer": "根据《…》第（十八）条：“…”[1]", "short": null,
            "citations": [{"clause_id": "gd-2014-stabilize-trade#6.18", …, "quote": "（十八）加快出口退税进度。…",
                           "url": "/documents/gd-2014-stabilize-trade?clause=gd-2014-stabilize-trade%236.18&hl=0-95"
                                  "#clause=gd-2014-stabilize-trade%236.18"}],
            "retrieved": [<Citation>, …], "caveats": [], "mode": "extractive", "notes": []}

Each citation carries `url`, the document viewer opened at that clause with the quoted span highlighted;
`base_url` makes it absolute (the API passes the server's own address).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from pydantic import BaseModel

from retrieval.citations import Citation, item_of, to_citation
from retrieval.searcher import Hit

from .answer import Answer


class LinkedCitation(Citation):
    # additions to CONTRACTS §2
    url: str | None = None    # the document viewer at this clause, the quote highlighted
    quote: str | None = None  # the span of `text` the answer quotes ("……" joins skipped sentences)


class AnswerRecord(BaseModel):
    id: str | int | None = None       # the input line's id (batch) or the stored answer's id (API)
    question: str
    lang: str
    refused: bool
    answer: str
    short: str | None = None
    citations: list[LinkedCitation]
    retrieved: list[LinkedCitation]
    caveats: list[str] = []
    mode: str
    notes: list[str] = []


def quote_spans(text: str, quote_text: str | None) -> list[tuple[int, int]]:
    """Where the quote's parts (joined by …… where sentences were skipped) lie in the clause text:
    quote_spans("A。B。C。", "A。……C。") -> [(0, 2), (4, 6)]."""
    spans, at = [], 0
    for part in (quote_text or "").split("……"):
        part = part.strip()
        start = text.find(part, at) if len(part) >= 2 else -1
        if start >= 0:
            spans.append((start, start + len(part)))
            at = start + len(part)
    return spans


def viewer_url(doc_id: str, clause_id: str, *, spans: list[tuple[int, int]] = (), base_url: str = "") -> str:
    """ "gd-2014-stabilize-trade", "gd-2014-stabilize-trade#6.18", spans=[(0, 95)]
    -> "/documents/gd-2014-stabilize-trade?clause=gd-2014-stabilize-trade%236.18&hl=0-95#clause=…%236.18"
    (the query tells the server which clause to open and mark, the fragment tells the browser where to scroll)."""
    query = {"clause": clause_id}
    if spans:
        query["hl"] = ",".join(f"{a}-{b}" for a, b in spans)
    return (f"{base_url.rstrip('/')}/documents/{quote(doc_id, safe='')}?{urlencode(query, safe=',')}"
            f"#clause={quote(clause_id, safe='')}")


def linked(hit: Hit, *, quote_text: str | None = None, base_url: str = "") -> LinkedCitation:
    spans = quote_spans(hit.clause.text, quote_text)
    citation = to_citation(hit.clause, hit.document, score=hit.score, item=hit.item or item_of(hit.clause, spans))
    url = viewer_url(hit.clause.doc_id, hit.clause.clause_id, spans=spans, base_url=base_url)
    return LinkedCitation(**citation.model_dump(), url=url, quote=quote_text)


def to_record(answer: Answer, *, item_id: str | int | None = None, base_url: str = "") -> AnswerRecord:
    quotes = list(answer.quotes) + [None] * (len(answer.citations) - len(answer.quotes))
    return AnswerRecord(
        id=item_id, question=answer.question, lang=answer.language, refused=answer.refused, answer=answer.text,
        short=answer.short,
        citations=[linked(h, quote_text=q, base_url=base_url) for h, q in zip(answer.citations, quotes)],
        retrieved=[linked(h, base_url=base_url) for h in answer.retrieved],
        caveats=list(answer.caveats), mode=answer.mode, notes=list(answer.notes))


def answer_record(answer: Answer, *, item_id: str | int | None = None, base_url: str = "") -> dict:
    """The record as a plain dict (JSON Lines output of the batch CLI)."""
    return to_record(answer, item_id=item_id, base_url=base_url).model_dump(mode="json")
