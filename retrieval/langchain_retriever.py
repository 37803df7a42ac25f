"""PolicyQA retrieval as a LangChain retriever, for users' own chains.

    retriever = PolicyQARetriever(searcher=qa.searcher, k=5)
    docs = retriever.invoke("How fast are export tax refunds in Guangdong?")
    docs[0].page_content          -> "（十八）加快出口退税进度。…"
    docs[0].metadata["clause_id"] -> "gd-2014-stabilize-trade#6.18"; also doc_title, issuer, clause, path, score …
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from .citations import citation_dict
from .searcher import Filters


class PolicyQARetriever(BaseRetriever):
    """Returns clauses as `Document`s whose metadata carries every Citation field (CONTRACTS §2)."""

    searcher: Any
    k: int = 5
    filters: Filters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.searcher.search(query, k=self.k, filters=self.filters)
        return [Document(page_content=h.clause.text, id=h.clause.clause_id,
                         metadata=citation_dict(h.clause, h.document, score=h.score, item=h.item)) for h in hits]
