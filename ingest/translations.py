"""English reference translations of clauses (`corpus/translations/<doc_id>.toml`).

    doc_id = "gd-2014-stabilize-trade"
    title_en = "Implementation Plan of Guangdong Province for Supporting Stable Growth of Foreign Trade"
    [headings]
    "一、积极扩大进口" = "I. Actively Expanding Imports"
    [[clause]]
    id = "gd-2014-stabilize-trade#6.18"
    label = "（十八）"
    en = "(18) Speed up export tax refunds. …"

Unofficial reference translations: the Chinese text is the authority.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ResourceError


@dataclass(frozen=True, slots=True)
class DocumentTranslation:
    doc_id: str
    title_en: str | None
    headings: dict[str, str] = field(default_factory=dict)
    clauses: dict[str, str] = field(default_factory=dict)  # clause id -> English
    labels: dict[str, str] = field(default_factory=dict)   # clause id -> label as written in the file
    path: Path | None = None


class Translations:
    def __init__(self, documents: dict[str, DocumentTranslation] | None = None,
                 errors: tuple[str, ...] = ()) -> None:
        self.documents = documents or {}
        self.errors = errors  # files that could not be read: reported, the rest still used
        self._clauses = {cid: en for d in self.documents.values() for cid, en in d.clauses.items()}

    @classmethod
    def load(cls, folder: Path) -> "Translations":
        documents: dict[str, DocumentTranslation] = {}
        errors: list[str] = []
        if not folder.is_dir():
            return cls()
        for path in sorted(folder.glob("*.toml")):
            try:
                documents_in_file = cls._load_file(path)
            except ResourceError as exc:
                errors.append(str(exc))
                continue
            documents[documents_in_file.doc_id] = documents_in_file
        return cls(documents, tuple(errors))

    @staticmethod
    def _load_file(path: Path) -> DocumentTranslation:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ResourceError(f"{path}: not valid TOML ({exc})") from exc
        doc_id = data.get("doc_id")
        if not isinstance(doc_id, str):
            raise ResourceError(f"{path}: missing doc_id")
        clauses, labels = {}, {}
        for i, item in enumerate(data.get("clause", []), start=1):
            cid, en = item.get("id"), item.get("en")
            if not isinstance(cid, str) or not isinstance(en, str):
                raise ResourceError(f"{path}: [[clause]] #{i} needs an id and an en text")
            if not en.strip():
                continue  # not translated yet: counts as missing
            if cid in clauses:
                raise ResourceError(f"{path}: clause {cid} is translated twice")
            clauses[cid] = en.strip()
            labels[cid] = item.get("label", "")
        headings = {k: v for k, v in data.get("headings", {}).items() if isinstance(v, str) and v.strip()}
        return DocumentTranslation(doc_id, data.get("title_en") or None, headings, clauses, labels, path)

    def has(self, doc_id: str) -> bool:
        return doc_id in self.documents

    def count(self, doc_id: str) -> int:
        d = self.documents.get(doc_id)
        return len(d.clauses) if d else 0

    def clause(self, clause_id: str) -> str | None:
        return self._clauses.get(clause_id)

    def title(self, doc_id: str) -> str | None:
        d = self.documents.get(doc_id)
        return d.title_en if d else None

    def path(self, doc_id: str, path: tuple[str, ...]) -> tuple[str, ...]:
        """("一、积极扩大进口", "（一）完善进口目录和贴息政策") -> ("I. Actively Expanding Imports", "(1) Improving …");
        () unless every heading has a translation."""
        d = self.documents.get(doc_id)
        if d is None or not path or any(h not in d.headings for h in path):
            return ()
        return tuple(d.headings[h] for h in path)

    def check(self, docs) -> list[str]:
        """Warnings: clauses of translated documents without a translation, translations of no clause."""
        warnings: list[str] = []
        for doc in docs:
            d = self.documents.get(doc.meta.doc_id)
            if d is None:
                continue
            ids = {c.clause_id for c in doc.clauses}
            missing = [c.clause_id for c in doc.clauses if c.clause_id not in d.clauses]
            orphans = sorted(set(d.clauses) - ids)
            if missing:
                warnings.append(f"{doc.meta.doc_id}: {len(missing)} clause(s) without translation, e.g. {missing[0]}")
            if orphans:
                warnings.append(f"{doc.meta.doc_id}: translation(s) for unknown clause(s), e.g. {orphans[0]}")
        return warnings
