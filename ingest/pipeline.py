"""From files to parsed documents: discover → read → split into blocks → clauses → metadata.

    parse_document(Path("corpus/gd-2014-stabilize-trade.txt"), manifest)
        -> ParsedDocument(meta=DocumentMeta(doc_id="gd-2014-stabilize-trade", issuer="广东省人民政府办公厅", …),
                          clauses=(Clause(…"#p1"…), …, Clause(…"#6.18", label="（十八）"…), …), levels=("cn-dun", "cn-paren"))
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .blocks import split_blocks
from .clauses import Structure, parse_structure
from .errors import ParseError, ReadError
from .header import read_header
from .instructions import instruction_like
from .manifest import Manifest, ManifestEntry
from .metadata import extract
from .model import Block, ClauseKind, DocumentMeta, ParsedDocument, Status
from .readers import SUPPORTED_SUFFIXES, read_source
from .text import nfkc, squash

# Folders and files inside a corpus folder that are not documents.
RESOURCE_DIRS = {"resources", "translations"}
RESOURCE_FILES = {"manifest.toml", "README.md"}


@dataclass(frozen=True, slots=True)
class Discovered:
    files: tuple[Path, ...]
    errors: tuple[str, ...]  # "path: reason"


def discover(paths: Iterable[Path]) -> Discovered:
    """Document files under the given files and folders, sorted; unsupported files are errors."""
    files: list[Path] = []
    errors: list[str] = []
    for path in paths:
        if not path.exists():
            errors.append(f"{path}: no such file or folder")
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts) or rel.parts[0] in RESOURCE_DIRS:
                    continue
                if child.is_file() and child.name not in RESOURCE_FILES:
                    if child.suffix.lower() in SUPPORTED_SUFFIXES:
                        files.append(child)
                    else:
                        errors.append(f"{child}: unsupported file type {child.suffix or '(none)'!r}; "
                                      f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")
        else:
            files.append(path)
    unique = sorted(dict.fromkeys(files))
    return Discovered(tuple(unique), tuple(errors))


def doc_id_for(path: Path) -> str:
    """A document id from a file name: "Guangdong Plan 2014.txt" -> "guangdong-plan-2014"."""
    stem = nfkc(path.stem).strip().lower()
    slug = re.sub(r"[^\w.-]+", "-", stem).strip("-.")
    return slug or "document"


def merge_meta(doc_id: str, stated, entry: ManifestEntry | None, warnings: list[str]) -> DocumentMeta:
    """The manifest overrides what the text states; a disagreement is a warning."""
    values: dict[str, object] = {"title": stated.title, "issuer": stated.issuer, "date": stated.date,
                                 "status": stated.status.value}
    values["validity"] = getattr(stated, "validity", None)
    provenance = {k: "text" for k, v in values.items() if v is not None and not (k == "status" and v == "unknown")}
    if entry:
        for name, value in entry.values.items():
            found = values.get(name)
            if found not in (None, "unknown") and squash(str(found)) != squash(value):
                warnings.append(f"manifest {name} {value!r} differs from the text's {found!r}; using the manifest")
            values[name] = value
            provenance[name] = entry.origins[name]
    return DocumentMeta(
        doc_id=doc_id,
        title=values.get("title"),  # type: ignore[arg-type]
        issuer=values.get("issuer"),  # type: ignore[arg-type]
        date=values.get("date"),  # type: ignore[arg-type]
        status=Status(values.get("status") or "unknown"),
        source_url=values.get("source_url"),  # type: ignore[arg-type]
        publisher=values.get("publisher"),  # type: ignore[arg-type]
        title_en=values.get("title_en"),  # type: ignore[arg-type]
        provenance=provenance,
        validity=values.get("validity"),  # type: ignore[arg-type]
    )


def parse_text(doc_id: str, text: str) -> tuple[list[Block], Structure]:
    """Blocks → structure for already-decoded text (used by tests and uploads); markup and metadata headers
    are left out as `parse_document` does."""
    header = read_header(text)
    blocks = split_blocks(header.body)
    if not blocks:
        raise ParseError(f"{doc_id}: no text found")
    return blocks, parse_structure(doc_id, blocks, title=header.title)


def parse_document(path: Path, manifest: Manifest | None = None, *, display_path: str | None = None) -> ParsedDocument:
    """Parse one file; raises ReadError or ParseError naming the file and the reason."""
    manifest = manifest or Manifest.empty()
    source = read_source(path)
    entry = manifest.for_file(path)
    doc_id = entry.doc_id if entry else doc_id_for(path)
    name = display_path or str(path)
    header = read_header(source.text)
    blocks = split_blocks(header.body)
    if not blocks:
        raise ReadError(f"{name}: the file has no text (only blanks or markup)")
    structure = parse_structure(doc_id, blocks, title=(entry.values.get("title") if entry else None) or header.title)
    warnings = list(structure.warnings)
    for clause in structure.clauses:
        if phrase := instruction_like(clause.text):
            warnings.append(f"{clause.label or clause.clause_id}: text that reads as an instruction to an AI system "
                            f"(“{phrase}”); kept as document text, never followed — check the source")
    stated = extract(list(structure.preamble), structure.tail, header,
                     body=[c.text for c in structure.clauses if c.label and c.kind is not ClauseKind.ANNEX_ROW])
    meta = merge_meta(doc_id, stated, entry, warnings)
    return ParsedDocument(
        meta=meta,
        path=name,
        sha256=hashlib.sha256(source.raw).hexdigest(),
        text=source.text,
        clauses=structure.clauses,
        sections=structure.sections,
        levels=structure.levels,
        warnings=tuple(warnings),
        markup_spans=header.spans,
    )


def with_meta(doc: ParsedDocument, **changes) -> ParsedDocument:
    return replace(doc, meta=replace(doc.meta, **changes))
