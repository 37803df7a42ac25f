"""The layout of a build folder: its file names and format version. Both the build side (writer) and the
search side (loaded) depend on this module, never on each other.

    index/CURRENT                  -> "builds/20261201-215901-3f2a"
    index/builds/<id>/corpus.sqlite, dense_zh.faiss, dense_en.faiss, dense_zh_cross.faiss,
                      passages_zh.npy, passages_en.npy, lexical_zh/, lexical_en/, glossary.tsv, …
"""

from __future__ import annotations

# Bumped by hand whenever the parser's output or the build's files change meaning: an index built with another
# format version is rebuilt on the next ingest even when the corpus is unchanged.
FORMAT_VERSION = "3"

DB_NAME = "corpus.sqlite"
RANKER_NAME = "ranker.json"       # the ranking model the build was made with (LightGBM JSON dump)
LANGUAGES = ("zh", "en")
# which encoder embeds which passages: the primary both languages, the cross encoder only the Chinese ones
DENSE_PLAN = (("zh", "primary"), ("en", "primary"), ("zh", "cross"))


def dense_name(language: str, encoder: str) -> str:
    """dense_zh.faiss (primary over Chinese passages), dense_en.faiss, dense_zh_cross.faiss."""
    return f"dense_{language}.faiss" if encoder == "primary" else f"dense_{language}_{encoder}.faiss"


def passages_name(language: str) -> str:
    """passage id -> clause position, int32: passages_zh.npy."""
    return f"passages_{language}.npy"


def lexical_name(language: str) -> str:
    return f"lexical_{language}"
