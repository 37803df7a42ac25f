"""Read a document file into text: .txt/.md (any common encoding), .html, .docx, text-layer .pdf.

    read_source(Path("corpus/gd-2014-stabilize-trade.txt"))
        -> Source(text="\\n\\n\\n各地级以上市人民政府，…", encoding="utf_8", format="text")

Offsets of clauses refer to `Source.text`: for .txt/.md the decoded file itself, for the
other formats the text extracted from them. Tables come out as tab-separated rows and
headings as markdown headings, so one parser serves every format.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from pathlib import Path

from . import bounds
from .errors import ReadError

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf"}


@dataclass(frozen=True, slots=True)
class Source:
    text: str
    encoding: str | None
    format: str  # "text" | "html" | "docx" | "pdf"
    raw: bytes


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Bytes to text: BOMs first, then strict UTF-8, then GB18030, then charset detection."""
    if not data.strip():
        raise ReadError(f"{name}: the file is empty; add text or remove the file")
    for bom, encoding in ((codecs.BOM_UTF8, "utf_8_sig"), (codecs.BOM_UTF16_LE, "utf_16"),
                          (codecs.BOM_UTF16_BE, "utf_16")):
        if data.startswith(bom):
            return data.decode(encoding), encoding
    if b"\x00" in data[:8192]:
        raise ReadError(f"{name}: looks like a binary file (it contains NUL bytes), not text; "
                        "convert it to .txt, .md, .html, .docx or a text-layer .pdf")
    try:
        return data.decode("utf-8"), "utf_8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _mostly_readable(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or not _mostly_readable(str(best)):
        raise ReadError(f"{name}: cannot detect the text encoding (tried UTF-8, GB18030 and detection); "
                        "save the file as UTF-8")
    return str(best), best.encoding


def _mostly_readable(text: str) -> bool:
    """Few control characters, replacement characters or private-use code points (which is what
    Big5 bytes read as GB18030 give: "附錄" -> "\ue64e\ue5fb")."""
    if not text:
        return False
    bad = sum(1 for ch in text
              if (ord(ch) < 32 and ch not in "\r\n\t\f") or ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff")
    return bad / len(text) < 0.01


def _html_to_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for level in range(1, 7):
        for h in soup.find_all(f"h{level}"):
            h.insert_before("\n\n" + "#" * level + " ")
            h.insert_after("\n\n")
    for row in soup.find_all("tr"):
        cells = [c.get_text(" ", strip=True) for c in row.find_all(["td", "th"])]
        row.replace_with("\n\n\t" + "\t".join(cells) + "\n\n")
    for block in soup.find_all(["p", "div", "li", "section", "article", "table", "blockquote", "pre"]):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    return soup.get_text("")


def _docx_to_text(data: bytes, name: str) -> str:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise ReadError(f"{name}: python-docx is not installed (pip install python-docx)") from exc
    bounds.check_zip(data, name)  # before python-docx inflates every part into memory
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for broken files
        raise ReadError(f"{name}: not a readable .docx file ({type(exc).__name__}: {exc})") from exc
    parts: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            style = (item.style.name or "") if item.style is not None else ""
            prefix = "## " if style.lower().startswith(("heading", "title")) and item.text.strip() else ""
            parts.append(prefix + item.text)
        elif isinstance(item, Table):
            for row in item.rows:
                parts.append("\t" + "\t".join(cell.text.replace("\n", " ") for cell in row.cells))
                parts.append("")
    return "\n\n".join(parts)


def _pdf_to_text(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        bounds.check_pages(len(reader.pages), name)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise ReadError(f"{name}: not a readable PDF ({exc})") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise ReadError(f"{name}: the PDF has no text layer (a scan?); run OCR first or supply a text version")
    return text


def read_source(path: Path) -> Source:
    """Read one file; raises ReadError naming the file and the reason."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(f"{name}: unsupported file type {suffix or '(no extension)'!r}; "
                        f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{name}: cannot read the file ({exc.strerror or exc})") from exc
    if suffix in TEXT_SUFFIXES:
        text, encoding = decode(data, name)
        return Source(bounds.check_text(text, name), encoding, "text", data)
    if suffix in HTML_SUFFIXES:
        text, encoding = decode(data, name)
        return Source(bounds.check_text(_html_to_text(bounds.check_text(text, name)), name), encoding, "html", data)
    if not data:
        raise ReadError(f"{name}: the file is empty; add text or remove the file")
    if suffix == ".docx":
        return Source(bounds.check_text(_docx_to_text(data, name), name), None, "docx", data)
    return Source(bounds.check_text(_pdf_to_text(data, name), name), None, "pdf", data)
