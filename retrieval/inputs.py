"""Everything beside the documents that a build is made from: the manifest, the translations, the resources.

    inputs = CorpusInputs.from_corpus(Path("corpus"))
    inputs.manifest.entry("gd-2014-stabilize-trade").issuer   -> "广东省人民政府办公厅"
    inputs.translations.clause("gd-2014-stabilize-trade#6.18") -> "(18) Speed up export tax refunds. …"
    inputs.fingerprint()                                      -> "3f2a9c…" (changes when any of these files does)

Only the build side reads this; the search side reads the `Resources` a build carries (retrieval/resources.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.manifest import Manifest, load_manifest
from ingest.translations import Translations

from .resources import Resources


@dataclass(frozen=True)
class CorpusInputs:
    resources: Resources = field(default_factory=Resources)
    manifest: Manifest = field(default_factory=Manifest.empty)
    translations: Translations = field(default_factory=Translations)

    @classmethod
    def from_corpus(cls, corpus: Path, resources: Path | None = None) -> "CorpusInputs":
        """The corpus's manifest and translations, with the resources of `resources` (default:
        `<corpus>/resources`)."""
        return cls(resources=Resources.in_folder(resources or corpus / "resources"),
                   manifest=load_manifest(corpus / "manifest.toml"),
                   translations=Translations.load(corpus / "translations"))

    def fingerprint(self) -> str:
        h = hashlib.sha256(self.resources.fingerprint().encode())
        if self.manifest.path and self.manifest.path.exists():
            h.update(self.manifest.path.read_bytes())
        for d in self.translations.documents.values():
            if d.path:
                h.update(d.path.read_bytes())
        return h.hexdigest()[:16]
