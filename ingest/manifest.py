"""The corpus manifest (`corpus/manifest.toml`): what is known about each document and from where.

    [[document]]
    id = "gd-2014-stabilize-trade"
    file = "gd-2014-stabilize-trade.txt"
    issuer = { value = "广东省人民政府办公厅", from = "text" }

Every value is `{ value = ..., from = "text" | "source page" }`; a plain string is taken as
`from = "manifest"`. What an entry leaves out is unknown unless the document's text states it.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ManifestError
from .model import Status

FIELDS = ("title", "issuer", "date", "status", "source_url", "publisher", "title_en")
_ORIGINS = {"text", "source page", "manifest"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID = re.compile(r"^[\w][\w.-]{0,127}$")


def _is_iso_date(value: str) -> bool:
    """"2024-02-20" yes; "2024/02/20" and "2024-02-30" no."""
    if not _ISO_DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    doc_id: str
    file: str | None
    values: dict[str, str] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Manifest:
    path: Path | None
    entries: tuple[ManifestEntry, ...] = ()

    def for_file(self, file: Path) -> ManifestEntry | None:
        """The entry whose `file` is this file: relative to the manifest's folder, or by name without one."""
        for entry in self.entries:
            if not entry.file:
                continue
            if self.path is None:
                if Path(entry.file).name == file.name:
                    return entry
            elif (self.path.parent / entry.file).resolve() == file.resolve():
                return entry
        return None

    @classmethod
    def empty(cls) -> "Manifest":
        return cls(None, ())


def load_manifest(path: Path) -> Manifest:
    """Parse and validate a manifest; raises ManifestError naming the entry and the problem."""
    if not path.exists():
        return Manifest(path, ())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not valid TOML ({exc}); fix the file or remove it") from exc
    entries = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("document", []), start=1):
        where = f"{path}: [[document]] #{i}"
        doc_id = raw.get("id")
        if not isinstance(doc_id, str) or not _ID.match(doc_id):
            raise ManifestError(f"{where}: id {doc_id!r} must be a short name of letters, digits, '-', '_' or '.'")
        if doc_id in seen:
            raise ManifestError(f"{where}: id {doc_id!r} is used twice; ids must be unique")
        seen.add(doc_id)
        values, origins = {}, {}
        for name in FIELDS:
            if name not in raw:
                continue
            item = raw[name]
            if isinstance(item, str):
                value, origin = item, "manifest"
            elif isinstance(item, dict) and isinstance(item.get("value"), str):
                value, origin = item["value"], item.get("from", "manifest")
            else:
                raise ManifestError(f"{where} ({doc_id}): {name} must be a string or {{ value = \"…\", from = \"…\" }}")
            if origin not in _ORIGINS:
                raise ManifestError(f"{where} ({doc_id}): {name}.from = {origin!r}; use one of {sorted(_ORIGINS)}")
            if name == "date" and not _is_iso_date(value):
                raise ManifestError(f"{where} ({doc_id}): date {value!r} must be YYYY-MM-DD")
            if name == "status" and value not in {s.value for s in Status}:
                raise ManifestError(f"{where} ({doc_id}): status {value!r}; use issued, draft or unknown")
            values[name], origins[name] = value, origin
        entries.append(ManifestEntry(doc_id, raw.get("file"), values, origins))
    return Manifest(path, tuple(entries))
