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
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .aliases import Aliases
from .glossary import Glossary
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
        files = [self.userdict_path] if self.userdict_path and self.userdict_path.exists() else []
        return ChineseTokenizer(userdict_files=files,
                                userdict=[e.zh for e in self.glossary.entries if len(e.zh) <= 12])

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
