"""The curated files that shape indexing and search, found beside the corpus.

    corpus/manifest.toml              document metadata and its provenance
    corpus/resources/glossary.tsv     English ↔ Chinese terms, agencies, titles
    corpus/resources/userdict.txt     jieba domain dictionary ("跨境电商 2000 n")
    corpus/translations/*.toml        English reference translations

The glossary and dictionary are copied into every build, so an index answers with the
same tokenisation it was built with, wherever it is moved.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ingest.manifest import Manifest, load_manifest
from ingest.translations import Translations

from .aliases import Aliases
from .glossary import Glossary
from .tokenize import ChineseTokenizer

GLOSSARY = "glossary.tsv"
USERDICT = "userdict.txt"
ALIASES = "aliases.tsv"


@dataclass
class Resources:
    glossary_path: Path | None = None
    userdict_path: Path | None = None
    aliases_path: Path | None = None
    manifest: Manifest = field(default_factory=Manifest.empty)
    translations: Translations = field(default_factory=Translations)

    @classmethod
    def from_corpus(cls, corpus: Path, resources: Path | None = None) -> "Resources":
        """The corpus's manifest and translations, with the glossary and dictionary of `resources`
        (default: `<corpus>/resources`)."""
        folder = resources or corpus / "resources"
        return cls(glossary_path=folder / GLOSSARY, userdict_path=folder / USERDICT, aliases_path=folder / ALIASES,
                   manifest=load_manifest(corpus / "manifest.toml"),
                   translations=Translations.load(corpus / "translations"))

    @classmethod
    def from_build(cls, build: Path) -> "Resources":
        return cls(glossary_path=build / GLOSSARY, userdict_path=build / USERDICT, aliases_path=build / ALIASES)

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

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for path in (self.glossary_path, self.userdict_path, self.aliases_path, self.manifest.path):
            if path and path.exists():
                h.update(path.read_bytes())
        for d in self.translations.documents.values():
            if d.path:
                h.update(d.path.read_bytes())
        return h.hexdigest()[:16]

    def copy_into(self, build: Path) -> None:
        for path, name in ((self.glossary_path, GLOSSARY), (self.userdict_path, USERDICT),
                           (self.aliases_path, ALIASES)):
            if path and path.exists():
                shutil.copyfile(path, build / name)
