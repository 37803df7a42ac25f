"""What a build folder holds, by name, and the version of that format: the one seam between the side that
writes builds (indexer) and the side that reads them (loaded, builds, searcher).

    index/builds/20261122T210501-3f2a/
      corpus.sqlite            documents, clauses, sections, vectors, info   (DB_NAME)
      dense_zh.faiss           FAISS index over Chinese passages             (dense_file("zh"))
      passages_zh.npy          passage id -> clause position                 (passages_file("zh"))
      dense_en.faiss, passages_en.npy   the same over English translations, when the corpus has any
      lexical_zh/, lexical_en/ bm25s indexes                                 (lexical_dir("zh"))
      glossary.tsv, userdict.txt        resources copied from the corpus
      CHECKSUMS.json           {"format": 1, "files": {"corpus.sqlite": {"bytes": 1826816, "sha256": "9f…"}, …}}

FORMAT_VERSION is bumped by hand whenever the parser's output or the files' layout changes, so that an
unchanged corpus is re-parsed; it is a constant on purpose (a hash of the source files would force a
re-parse for every edit to the search code).
"""

from __future__ import annotations

import re

FORMAT_VERSION = "1"

DB_NAME = "corpus.sqlite"
CHECKSUMS = "CHECKSUMS.json"
POINTER = "CURRENT"
BUILDS = "builds"

# what publish names a build: "20261122T210501-3f2a"; CURRENT must hold exactly such a name
BUILD_NAME = re.compile(r"^\d{8}T\d{6}-[0-9a-f]{4}$")


def dense_file(lang: str) -> str:
    return f"dense_{lang}.faiss"


def passages_file(lang: str) -> str:
    return f"passages_{lang}.npy"


def lexical_dir(lang: str) -> str:
    return f"lexical_{lang}"
