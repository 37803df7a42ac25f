"""What a build folder holds, by name, and the version of that format: the one seam between the side that
writes builds (writer, indexer) and the side that reads them (loaded, builds, searcher).

    index/CURRENT                 "20261122T210501-3f2a" (POINTER: the live build's name)
    index/builds/20261122T210501-3f2a/
      corpus.sqlite               documents, clauses, sections, vectors, info          (DB_NAME)
      dense_zh.faiss              primary encoder over Chinese passages                (dense_name("zh", "primary"))
      dense_en.faiss              primary encoder over English translation passages    (dense_name("en", "primary"))
      dense_zh_cross.faiss        cross-lingual encoder over Chinese passages          (dense_name("zh", "cross"))
      passages_zh.npy, passages_en.npy   passage id -> clause position                 (passages_name(lang))
      lexical_zh/, lexical_en/    bm25s indexes                                        (lexical_name(lang))
      ranker.json                 the ranking model the build was made with            (RANKER_NAME)
      adapter.npz                 the question adapter that ranker was trained with    (ADAPTER_NAME)
      glossary.tsv, userdict.txt, aliases.tsv   resources copied from the corpus
      CHECKSUMS.json              {"format": 1, "files": {"corpus.sqlite": {"bytes": 1826816, "sha256": "9f…"}, …}}

FORMAT_VERSION is bumped by hand whenever the parser's output or the files' layout changes, so that an
unchanged corpus is re-parsed; it is a constant on purpose (a hash of the source files would force a
re-parse for every edit to the search code).
"""

from __future__ import annotations

import re

FORMAT_VERSION = "6"

DB_NAME = "corpus.sqlite"
RANKER_NAME = "ranker.json"
ADAPTER_NAME = "adapter.npz"
CHECKSUMS = "CHECKSUMS.json"
POINTER = "CURRENT"
BUILDS = "builds"
LANGUAGES = ("zh", "en")
# which encoder embeds which passages: the primary both languages, the cross encoder only the Chinese ones
DENSE_PLAN = (("zh", "primary"), ("en", "primary"), ("zh", "cross"))

# what publish names a build: "20261122T210501-3f2a"; CURRENT must hold exactly such a name
BUILD_NAME = re.compile(r"^\d{8}T\d{6}-[0-9a-f]{4}$")


def dense_name(language: str, encoder: str = "primary") -> str:
    """dense_zh.faiss (primary over Chinese passages), dense_en.faiss, dense_zh_cross.faiss."""
    return f"dense_{language}.faiss" if encoder == "primary" else f"dense_{language}_{encoder}.faiss"


def passages_name(language: str) -> str:
    """passage id -> clause position, int32: passages_zh.npy."""
    return f"passages_{language}.npy"


def lexical_name(language: str) -> str:
    return f"lexical_{language}"
