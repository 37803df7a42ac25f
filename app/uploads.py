"""Admin uploads: a checked file saved under the corpus's uploads folder, then re-indexed.

    safe_filename("../../etc/passwd")          -> "passwd"   (no path traversal)
    safe_filename("广东 新政策 2025.docx")       -> "广东-新政策-2025.docx"
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from ingest.errors import PolicyQAError, ReadError
from ingest.readers import SUPPORTED_SUFFIXES, read_source


class UploadError(PolicyQAError):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def safe_filename(name: str) -> str:
    base = unicodedata.normalize("NFKC", name or "").replace("\\", "/").split("/")[-1]
    base = re.sub(r"[^\w.-]+", "-", base).strip("-.")
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem:
        raise UploadError(f"file name {name!r} has no usable name or extension; "
                          f"use one of {', '.join(sorted(SUPPORTED_SUFFIXES))}", 415)
    return f"{stem[:100]}.{suffix.lower()}"


def save_upload(data: bytes, filename: str, folder: Path, *, max_bytes: int) -> Path:
    """Check size, extension and content; write atomically; return the saved path."""
    name = safe_filename(filename)
    suffix = "." + name.rsplit(".", 1)[1]
    if suffix not in SUPPORTED_SUFFIXES:
        raise UploadError(f"file type {suffix!r} is not accepted; use one of {', '.join(sorted(SUPPORTED_SUFFIXES))}",
                          415)
    if len(data) > max_bytes:
        raise UploadError(f"the file has {len(data)} bytes; the limit is {max_bytes} (POLICYQA_UPLOAD_MAX_BYTES)", 413)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if target.exists():
        raise UploadError(f"a document named {name!r} was already uploaded; delete it first or rename the file", 409)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        try:
            read_source(Path(tmp))
        except ReadError as exc:
            raise UploadError(str(exc).replace(tmp, name), 422) from None
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
