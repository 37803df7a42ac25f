"""Finding document files and parsing one into a ParsedDocument."""

from __future__ import annotations

import hashlib
import shutil

from ingest.pipeline import discover, parse_document
from tests.conftest import CORPUS, SEED_IDS


def test_discover_a_corpus_folder(tmp_path):
    (tmp_path / "b.txt").write_text("一、甲", encoding="utf-8")
    (tmp_path / "a.md").write_text("一、乙", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.HTML").write_text("<p>一、丙</p>", encoding="utf-8")
    (tmp_path / "manifest.toml").write_text("", encoding="utf-8")
    (tmp_path / "README.md").write_text("# corpus", encoding="utf-8")
    for skipped in ("resources", "translations", ".git"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "x.txt").write_text("skip", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("skip", encoding="utf-8")
    (tmp_path / "notes.xyz").write_text("?", encoding="utf-8")

    found = discover([tmp_path, tmp_path / "b.txt", tmp_path / "missing.txt"])
    assert found.files == (tmp_path / "a.md", tmp_path / "b.txt", tmp_path / "sub" / "c.HTML")
    assert found.errors == (
        f"{tmp_path / 'notes.xyz'}: unsupported file type '.xyz'; supported: "
        ".docx, .htm, .html, .markdown, .md, .pdf, .text, .txt",
        f"{tmp_path / 'missing.txt'}: no such file or folder",
    )


def test_discover_the_corpus_finds_the_seeds_and_skips_its_resources():
    found = discover([CORPUS])
    assert found.errors == ()
    assert set(SEED_IDS) <= {p.stem for p in found.files}
    assert not any(part in {"resources", "translations"} for p in found.files for part in p.parts)


def test_parsed_document_records_its_source(tmp_path, manifest):
    path = tmp_path / "gd.txt"
    shutil.copy(CORPUS / "gd-2014-stabilize-trade.txt", path)
    doc = parse_document(path, manifest, display_path="corpus/gd.txt")
    assert doc.path == "corpus/gd.txt"
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.meta.doc_id == "gd"  # not in the manifest under this name
