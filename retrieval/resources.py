"""The curated files that shape tokenisation and search, and travel with every build.

    corpus/resources/glossary.tsv     English ↔ Chinese terms, agencies, titles
    corpus/resources/userdict.txt     jieba domain dictionary ("跨境电商 2000 n")
    corpus/resources/aliases.tsv      other names of one thing ("海关20条	深圳海关优化营商环境20条")

    Resources.in_folder(Path("corpus/resources")).glossary.english("商务部") -> "Ministry of Commerce"
    Resources.from_build(build).tokenizer().tokens("跨境电商出口")         -> ["跨境电商", "出口"]

They are copied into every build (`copy_into`), so an index answers with the same tokenisation it was built
with, wherever it is moved. What only the build reads (the manifest, the translations) is `retrieval/inputs.py`.
"""

from __future__ import annotations

import hashlib
import shutil
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .aliases import Aliases
from .glossary import Glossary
from .prefixdict import default_cache_dir
from .tokenize import ChineseTokenizer

GLOSSARY = "glossary.tsv"
USERDICT = "userdict.txt"
ALIASES = "aliases.tsv"


@dataclass(frozen=True)
class Resources:
    glossary_path: Path | None = None
    userdict_path: Path | None = None
    aliases_path: Path | None = None

    @classmethod
    def in_folder(cls, folder: Path) -> "Resources":
        """The three files of a resources folder (a missing file is an empty resource)."""
        return cls(glossary_path=folder / GLOSSARY, userdict_path=folder / USERDICT, aliases_path=folder / ALIASES)

    @classmethod
    def from_build(cls, build: Path) -> "Resources":
        return cls.in_folder(build)

    @cached_property
    def glossary(self) -> Glossary:
        return Glossary.load(self.glossary_path) if self.glossary_path else Glossary([])

    @cached_property
    def aliases(self) -> Aliases:
        return Aliases.load(self.aliases_path)

    def tokenizer(self) -> ChineseTokenizer:
        return self._tokenizer

    @cached_property
    def _tokenizer(self) -> ChineseTokenizer:
        files = (self.userdict_path,) if self.userdict_path and self.userdict_path.exists() else ()
        words = tuple(e.zh for e in self.glossary.entries if len(e.zh) <= 12)
        digest = hashlib.sha256(b"".join(p.read_bytes() for p in files) + "\n".join(words).encode()).hexdigest()
        return _shared_tokenizer(digest, files, words)

    def paths(self) -> tuple[Path, ...]:
        return tuple(p for p in (self.glossary_path, self.userdict_path, self.aliases_path) if p and p.exists())

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for path in self.paths():
            h.update(path.read_bytes())
        return h.hexdigest()[:16]

    def copy_into(self, build: Path) -> None:
        for path, name in ((self.glossary_path, GLOSSARY), (self.userdict_path, USERDICT),
                           (self.aliases_path, ALIASES)):
            if path and path.exists():
                shutil.copyfile(path, build / name)



_TOKENIZERS: dict[str, ChineseTokenizer] = {}  # by dictionary content, oldest first
_TOKENIZERS_LOCK = threading.Lock()
_TOKENIZERS_KEPT = 4


def _shared_tokenizer(digest: str, files: tuple[Path, ...], words: tuple[str, ...]) -> ChineseTokenizer:
    """One tokenizer per dictionary content in a process, whatever folder the files are in (the corpus's, each
    build's copy): jieba loads its 350k-word dictionary with one marshal.load that holds the GIL for about half a
    second, which froze a serving event loop each time an upload was ingested and its build loaded (now read from
    the per-user cache of retrieval/prefixdict.py, a quarter of that). Keyed by
    `digest` (of the files' bytes and the words), not by path, so functools.lru_cache does not fit."""
    with _TOKENIZERS_LOCK:
        if digest not in _TOKENIZERS:
            _TOKENIZERS[digest] = ChineseTokenizer(userdict_files=files, userdict=words, cache_dir=default_cache_dir())
            while len(_TOKENIZERS) > _TOKENIZERS_KEPT:
                del _TOKENIZERS[next(iter(_TOKENIZERS))]
        return _TOKENIZERS[digest]
