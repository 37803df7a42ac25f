"""The naive baseline: whole documents cut into 500-character chunks, same embedder, FAISS only.

It is what a generic RAG tutorial builds (LangChain's RecursiveCharacterTextSplitter over
the raw text), run beside PolicyQA's clause retriever so that every eval shows what the
clause-level, hybrid design buys.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .dense import DenseIndex
from .embedders import Embedder
from .lexical import LexicalIndex
from .tokenize import ChineseTokenizer


@dataclass(frozen=True, slots=True)
class Chunk:
    doc_id: str
    text: str


class NaiveBaseline:
    def __init__(self, documents: list[tuple[str, str]], embedder: Embedder, *, chunk_size: int = 500,
                 chunk_overlap: int = 0) -> None:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap,
                                                  separators=["\n\n", "\n", "。", "；", "，", ""],
                                                  keep_separator="end")
        self.chunks = [Chunk(doc_id, piece) for doc_id, text in documents for piece in splitter.split_text(text)]
        self.embedder = embedder
        vectors = embedder.embed_documents([c.text for c in self.chunks])
        self.index = DenseIndex.build(np.asarray(vectors, dtype=np.float32), hnsw_above=10**9)

    def search(self, question: str, k: int = 5) -> list[Chunk]:
        ids, _ = self.index.search(self.embedder.embed_query(question), k)
        return [self.chunks[i] for i in ids]


class BM25Baseline:
    """Plain BM25 over the same clauses the index holds: jieba segmentation without the domain dictionary or
    glossary, bm25s defaults. It is the lexical floor a learned ranker has to beat on documents nobody tuned for.

        BM25Baseline(["（十八）加快出口退税进度。…", …]).search("出口退税多久", 5) -> [17, 3, …]  (clause positions)
    """

    def __init__(self, texts: list[str]) -> None:
        self.tokenizer = ChineseTokenizer()
        self.index = LexicalIndex.build([self.tokenizer.tokens(t) for t in texts])

    def search(self, question: str, k: int = 5) -> list[int]:
        scores = self.index.scores(self.tokenizer.tokens(question))
        top = np.argsort(-scores, kind="stable")[:k]
        return [int(i) for i in top if scores[i] > 0]
