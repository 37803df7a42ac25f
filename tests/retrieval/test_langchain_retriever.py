from langchain_core.documents import Document

from retrieval.langchain_retriever import PolicyQARetriever
from retrieval.searcher import Filters


def test_retriever_returns_documents_with_citation_metadata(real_service):
    retriever = PolicyQARetriever(searcher=real_service.searcher, k=3)
    docs = retriever.invoke("广东省出口退税审批要在多少个工作日内完成？")
    assert len(docs) == 3 and all(isinstance(d, Document) for d in docs)
    top = docs[0]
    assert top.metadata["clause_id"] == "gd-2014-stabilize-trade#6.18" == top.id
    assert top.metadata["issuer"] == "广东省人民政府办公厅" and top.metadata["clause"] == "（十八）"
    assert top.page_content == real_service.clause("gd-2014-stabilize-trade#6.18").text


def test_retriever_applies_filters(real_service):
    retriever = PolicyQARetriever(searcher=real_service.searcher, k=5,
                                  filters=Filters(doc_ids=("sz-customs-business-environment-20",)))
    assert {d.metadata["doc_id"] for d in retriever.invoke("出口退税")} == {"sz-customs-business-environment-20"}
