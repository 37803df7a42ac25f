"""Bounds on what reading one document may cost: refuse zip bombs before unpacking, cap extracted text and PDF pages.

    check_zip(docx_bytes, "x.docx", Bounds())   -> DocumentTooLarge("x.docx: its parts expand to 1073741824 bytes; …")
    check_pages(1200, "big.pdf", Bounds())       -> DocumentTooLarge("big.pdf: has 1200 pages; the limit is 500 …")
    check_text(text, "x.txt", Bounds())          -> text, or DocumentTooLarge when over max_text_chars

A .docx is a zip; its central directory states each member's compressed and uncompressed size, and
Python's zipfile never returns more than the stated size (a member that inflates further fails its CRC),
so checking the directory is enough to refuse a bomb in milliseconds without inflating anything.

The bounds in force come from the edge (`using(Bounds(...))` around an ingest or an upload check, values
from POLICYQA_* settings); readers ask `current()`. They apply to corpus files and uploads alike.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .errors import DocumentTooLarge, ReadError


@dataclass(frozen=True, slots=True)
class Bounds:
    max_uncompressed_bytes: int = 100_000_000   # all members of a .docx together, inflated
    max_ratio: float = 100.0                    # inflated / compressed, per member larger than ratio_floor
    ratio_floor: int = 1_000_000                # small parts (styles.xml) compress far better than text; ignore them
    max_members: int = 10_000
    max_text_chars: int = 5_000_000             # extracted text of one document
    max_pdf_pages: int = 2_000


_CURRENT: ContextVar[Bounds] = ContextVar("policyqa_bounds", default=Bounds())


def current() -> Bounds:
    return _CURRENT.get()


@contextmanager
def using(bounds: Bounds) -> Iterator[Bounds]:
    """Apply `bounds` to every document read inside the block (in this thread or task)."""
    token = _CURRENT.set(bounds)
    try:
        yield bounds
    finally:
        _CURRENT.reset(token)


def check_zip(data: bytes, name: str, bounds: Bounds | None = None) -> None:
    bounds = bounds or current()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ReadError(f"{name}: not a readable .docx file (BadZipFile: {exc})") from None
    if len(members) > bounds.max_members:
        raise DocumentTooLarge(f"{name}: has {len(members)} parts; the limit is {bounds.max_members} "
                               "(POLICYQA_DOCX_MAX_MEMBERS)")
    total = sum(m.file_size for m in members)
    if total > bounds.max_uncompressed_bytes:
        raise DocumentTooLarge(f"{name}: its parts expand to {total} bytes; the limit is "
                               f"{bounds.max_uncompressed_bytes} (POLICYQA_DOCX_MAX_UNCOMPRESSED_BYTES); "
                               "split the document or save it without embedded media")
    for m in members:
        if m.file_size > bounds.ratio_floor and m.file_size > bounds.max_ratio * max(m.compress_size, 1):
            raise DocumentTooLarge(f"{name}: the part {m.filename} expands {m.file_size / max(m.compress_size, 1):.0f}"
                                   f"-fold ({m.compress_size} -> {m.file_size} bytes); the limit is "
                                   f"{bounds.max_ratio:g} (POLICYQA_DOCX_MAX_RATIO); this looks like a zip bomb")


def check_pages(pages: int, name: str, bounds: Bounds | None = None) -> None:
    bounds = bounds or current()
    if pages > bounds.max_pdf_pages:
        raise DocumentTooLarge(f"{name}: has {pages} pages; the limit is {bounds.max_pdf_pages} "
                               "(POLICYQA_PDF_MAX_PAGES); split the PDF")


def check_text(text: str, name: str, bounds: Bounds | None = None) -> str:
    bounds = bounds or current()
    if len(text) > bounds.max_text_chars:
        raise DocumentTooLarge(f"{name}: yields {len(text)} characters of text; the limit is "
                               f"{bounds.max_text_chars} (POLICYQA_MAX_TEXT_CHARS); split the document")
    return text
