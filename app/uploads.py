"""Admin uploads: a checked file staged beside the corpus's uploads folder, kept only when its ingest succeeds.

    safe_filename("../../etc/passwd")          -> "passwd"   (no path traversal)
    safe_filename("广东 新政策 2025.docx")       -> "广东-新政策-2025.docx"
    staged = stage_upload(data, "a.txt", uploads, max_bytes=10_000_000)
        -> Staged(name="a.txt", pending=uploads/".pending-1a2b-a.txt", target=uploads/"a.txt")
    staged.commit()   # renames it into place (the ingest job does this, then ingests)
    staged.discard()  # removes it (the ingest failed)

A pending file's name starts with a dot, so an ingest never sees it; start-up removes stale ones.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import (DocumentTooLarge, DuplicateUpload, ReadError, UnreadableUpload, UnsupportedUpload,
                           UploadError, UploadTooLarge)
from ingest.readers import SUPPORTED_SUFFIXES, read_source

__all__ = ["PENDING_PREFIX", "Staged", "UploadError", "safe_filename", "save_upload", "stage_upload"]

PENDING_PREFIX = ".pending-"


def safe_filename(name: str) -> str:
    base = unicodedata.normalize("NFKC", name or "").replace("\\", "/").split("/")[-1]
    base = re.sub(r"[^\w.-]+", "-", base).strip("-.")
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem:
        raise UnsupportedUpload(f"file name {name[:100]!r} has no usable name or extension; "
                                f"use one of {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    return f"{stem[:100]}.{suffix.lower()}"


@dataclass(frozen=True, slots=True)
class Staged:
    name: str
    pending: Path
    target: Path

    def commit(self) -> None:
        if self.target.exists():
            raise DuplicateUpload(f"a document named {self.name!r} was already uploaded; delete it first or "
                                  "rename the file")
        os.replace(self.pending, self.target)

    def discard(self) -> None:
        """Remove the pending file (before or instead of commit)."""
        self.pending.unlink(missing_ok=True)

    def withdraw(self) -> None:
        """Remove the committed file again (its ingest failed)."""
        self.target.unlink(missing_ok=True)


def stage_upload(data: bytes, filename: str, folder: Path, *, max_bytes: int,
                 taken: set[str] = frozenset()) -> Staged:
    """Check size, extension, name and content (within the parsing bounds in force); write the file aside."""
    name = safe_filename(filename)
    suffix = "." + name.rsplit(".", 1)[1]
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedUpload(f"file type {suffix!r} is not accepted; use one of "
                                f"{', '.join(sorted(SUPPORTED_SUFFIXES))}")
    if len(data) > max_bytes:
        raise UploadTooLarge(f"the file has {len(data)} bytes; the limit is {max_bytes} (POLICYQA_UPLOAD_MAX_BYTES)")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if target.exists() or name in taken:
        raise DuplicateUpload(f"a document named {name!r} was already uploaded; delete it first or rename the file")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=PENDING_PREFIX, suffix="-" + name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        try:
            read_source(Path(tmp))
        except DocumentTooLarge as exc:
            raise UploadTooLarge(str(exc).replace(tmp, name)) from None
        except ReadError as exc:
            raise UnreadableUpload(str(exc).replace(tmp, name)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Staged(name=name, pending=Path(tmp), target=target)


def save_upload(data: bytes, filename: str, folder: Path, *, max_bytes: int) -> Path:
    """Stage and commit at once (no ingest): the saved path."""
    staged = stage_upload(data, filename, folder, max_bytes=max_bytes)
    try:
        staged.commit()
    except BaseException:
        staged.pending.unlink(missing_ok=True)
        raise
    return staged.target


def stale_pending(folder: Path) -> list[Path]:
    """Pending files left by a process that died mid-upload."""
    return sorted(folder.glob(PENDING_PREFIX + "*")) if folder.is_dir() else []
