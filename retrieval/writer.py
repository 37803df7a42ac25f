"""Write one build folder: the clause store, the dense and lexical indexes, the resources it was made with.

    write_build(tmp, corpus, passages, vectors, resources=…, encoders=…, info={…})
        -> tmp/{corpus.sqlite, dense_zh.faiss, dense_en.faiss, dense_zh_cross.faiss, passages_zh.npy,
                passages_en.npy, lexical_zh/, lexical_en/, glossary.tsv, userdict.txt, aliases.tsv}

File names come from retrieval.layout, which the search side reads too.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np

from ingest.model import ParsedDocument

from .dense import DenseIndex
from .embedders import Encoders
from .layout import ADAPTER_NAME, DB_NAME, DENSE_PLAN, RANKER_NAME, dense_name, lexical_name, passages_name
from .lexical import LexicalIndex
from .passages import Passage, Passages
from .resources import Resources
from .store import Store
from .tokenize import EnglishTokenizer

def write_build(tmp: Path, documents: tuple[ParsedDocument, ...], passages: Passages,
                vectors: dict[str, dict[str, np.ndarray]], keys: dict[str, dict[str, str]], *,
                resources: Resources, encoders: Encoders, hnsw_above: int, info: dict[str, str | int],
                ranker_file: Path | None, progress, adapter_file: Path | None = None) -> None:
    """`keys[encoder][text]` is the vector key of a passage text, `vectors[encoder][key]` its vector."""
    resources.copy_into(tmp)
    if ranker_file is not None and ranker_file.exists():
        shutil.copyfile(ranker_file, tmp / RANKER_NAME)
    if adapter_file is not None and adapter_file.exists():
        shutil.copyfile(adapter_file, tmp / ADAPTER_NAME)
    store = Store(tmp / DB_NAME)
    first = 0
    for position, doc in enumerate(documents):
        store.add_document(doc, position, first=first)
        first += len(doc.clauses)
    for encoder, by_key in vectors.items():
        store.put_vectors(by_key.items())
    named = encoders.named()
    by_language = {"zh": passages.zh, "en": passages.en}
    for language, items in by_language.items():
        np.save(tmp / passages_name(language), np.array([p.clause for p in items], dtype=np.int32),
                allow_pickle=False)
    for language, encoder in DENSE_PLAN:
        if encoder not in named:
            continue
        items: tuple[Passage, ...] = by_language[language]
        dimension = named[encoder].dimension
        matrix = (np.vstack([vectors[encoder][keys[encoder][p.text]] for p in items]) if items
                  else np.zeros((0, dimension), np.float32))
        DenseIndex.build(matrix, hnsw_above=hnsw_above).save(tmp / dense_name(language, encoder))
    task = progress.task("lexical index", total=2)
    tokenizer = resources.tokenizer()
    LexicalIndex.build([tokenizer.tokens(p.text) for p in passages.zh]).save(tmp / lexical_name("zh"))
    progress.advance(task)
    english = EnglishTokenizer()
    LexicalIndex.build([english.tokens(p.text) for p in passages.en] or [[]]).save(tmp / lexical_name("en"))
    progress.advance(task)
    store.set_info(**info, clauses=sum(len(d.clauses) for d in documents), documents=len(documents),
                   passages=len(passages.zh), passages_en=len(passages.en),
                   translated=len({p.clause for p in passages.en}), built_at=time.strftime("%Y-%m-%dT%H:%M:%S"))
    store.commit()
    store.close()
