"""Reading files: encodings, line endings, formats, and bad input, through read_source and parse_document."""

from __future__ import annotations

import codecs
import re

import docx
import pytest

from ingest.errors import ReadError
from ingest.model import ClauseKind, Status
from ingest.numbering import int_to_cn
from ingest.pipeline import parse_document
from ingest.readers import read_source
from tests.conftest import CORPUS, SEED_IDS

SZ2024 = "sz-2024-foreign-trade-measures"
GD = "gd-2014-stabilize-trade"


def _seed_text(doc_id: str) -> str:
    return (CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8")


def _shape(doc) -> list[tuple]:
    """What a reader of the clauses sees, without offsets."""
    return [(c.clause_id, c.kind, c.label, c.number, c.path, c.text, c.responsible, c.lead, c.annex_rows)
            for c in doc.clauses]


# ---------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.txt", b"", "the file is empty"),
    ("blank.md", b" \n\t\r\n\n", "the file is empty"),
    ("rules.md", "---\n\n* * *\n\n\u3000\u3000\n".encode(), "the file has no text (only blanks or markup)"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
     "looks like a binary file (it contains NUL bytes)"),
    ("broken.docx", b"PK\x03\x04 not really a zip file", "not a readable .docx file"),
    ("broken.pdf", b"%PDF-1.4\nthis is not a pdf body", "not a readable PDF"),
    ("empty.pdf", b"", "the file is empty"),
    ("noise.txt", bytes([0x81, 0x30, 0xFF, 0xFE, 0x07, 0x08]) * 50, "cannot detect the text encoding"),
])
def test_bad_input_is_one_sentence_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError, match=re.escape(f"{path}: {message}")):
        parse_document(path)


@pytest.mark.parametrize(("name", "shown"), [("notes.xyz", "'.xyz'"), ("scan.JPG", "'.jpg'"), ("README", "'(no extension)'")])
def test_unknown_extension_names_the_file_and_the_extension(tmp_path, name, shown):
    path = tmp_path / name
    path.write_text("一、总体要求", encoding="utf-8")
    with pytest.raises(ReadError, match=re.escape(f"{path}: unsupported file type {shown}; supported: .docx, ")):
        parse_document(path)


def test_missing_file(tmp_path):
    path = tmp_path / "gone.txt"
    with pytest.raises(ReadError, match=re.escape(f"{path}: cannot read the file")):
        read_source(path)


def test_a_document_without_numbering_is_one_clause_a_paragraph(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("今天召开外贸工作会议，研究部署有关工作。\n\n会议要求各部门加强协调配合。\n\n"
                    "会议强调要抓好落实，确保取得实效。\n", encoding="utf-8")
    doc = parse_document(path)
    assert [(c.clause_id, c.kind, c.label, c.text) for c in doc.clauses] == [
        ("plain#p1", ClauseKind.UNNUMBERED, "", "今天召开外贸工作会议，研究部署有关工作。"),
        ("plain#p2", ClauseKind.UNNUMBERED, "", "会议要求各部门加强协调配合。"),
        ("plain#p3", ClauseKind.UNNUMBERED, "", "会议强调要抓好落实，确保取得实效。"),
    ]
    assert doc.warnings == ("no clause numbering found: each paragraph is a clause",)
    assert doc.sections == () and doc.levels == ()


# ---------------------------------------------------------------------------------------------
# Encodings and line endings: the same clauses as the UTF-8 LF original


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gb_encoded_file(tmp_path, seeds_text_only, encoding):
    path = tmp_path / f"{SZ2024}.txt"
    path.write_bytes(_seed_text(SZ2024).encode(encoding))
    source = read_source(path)
    assert source.encoding == "gb18030" and source.text == _seed_text(SZ2024)
    doc = parse_document(path)
    original = seeds_text_only[SZ2024]
    assert _shape(doc) == _shape(original)
    assert [(c.start, c.end) for c in doc.clauses] == [(c.start, c.end) for c in original.clauses]
    assert doc.meta == original.meta


def test_big5_file_is_not_read_as_gb18030(tmp_path):
    """Big5 bytes decode as GB18030 without error, into private-use garbage; they must be detected as Big5."""
    text = ("深圳市促進外貿發展實施方案\n\n一、總體要求\n\n"
            "（一）加強組織領導。各部門要加強組織領導，建立工作協調機制。（市商務局負責）\n\n"
            "（二）強化資金支持。加大專項資金支持力度，提高資金使用效率。（市財政局、市商務局負責）\n")
    path = tmp_path / "traditional.txt"
    path.write_bytes(text.encode("big5"))
    source = read_source(path)
    assert (source.encoding, source.text) == ("big5", text)
    doc = parse_document(path)
    assert [(c.label, c.path) for c in doc.clauses if c.label] == [
        ("（一）", ("一、總體要求", "（一）加強組織領導")), ("（二）", ("一、總體要求", "（二）強化資金支持"))]


def test_utf8_bom(tmp_path, seeds_text_only):
    path = tmp_path / f"{GD}.txt"
    path.write_bytes(codecs.BOM_UTF8 + _seed_text(GD).encode("utf-8"))
    source = read_source(path)
    assert (source.encoding, source.text) == ("utf_8_sig", _seed_text(GD))
    doc = parse_document(path)
    assert _shape(doc) == _shape(seeds_text_only[GD])
    assert [(c.start, c.end) for c in doc.clauses] == [(c.start, c.end) for c in seeds_text_only[GD].clauses]
    assert doc.meta == seeds_text_only[GD].meta


def test_utf16_with_bom(tmp_path, seeds_text_only):
    path = tmp_path / f"{GD}.txt"
    path.write_bytes(_seed_text(GD).encode("utf-16"))
    assert read_source(path).text == _seed_text(GD)
    assert _shape(parse_document(path)) == _shape(seeds_text_only[GD])


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_crlf_gives_the_same_clauses_as_lf(tmp_path, seeds_text_only, doc_id):
    path = tmp_path / f"{doc_id}.txt"
    path.write_bytes(_seed_text(doc_id).replace("\n", "\r\n").encode("utf-8"))
    doc = parse_document(path)
    original = seeds_text_only[doc_id]
    assert _shape(doc) == _shape(original)
    assert [s.heading for s in doc.sections] == [s.heading for s in original.sections]
    assert doc.meta == original.meta
    assert all("\r" not in c.text for c in doc.clauses)
    # offsets refer to the CRLF text itself
    for c, o in zip(doc.clauses, original.clauses):
        assert doc.text[c.start:c.end].replace("\r\n", "\n") == original.text[o.start:o.end]


# ---------------------------------------------------------------------------------------------
# Other formats

BODY = [
    ("Heading 1", "深圳市促进外贸发展实施方案"),
    (None, "各有关单位："),
    (None, "现予以印发，请认真贯彻执行。"),
    (None, "一、总体要求"),
    (None, "（一）加强组织领导。各部门要加强组织领导，建立工作协调机制。（市商务局负责）"),
    (None, "（二）强化资金支持。加大专项资金支持力度，提高资金使用效率。（市财政局、市商务局负责）"),
    (None, "二、保障措施"),
    (None, "（三）加强宣传推广。做好政策解读和活动报道。（市委宣传部负责）"),
    (None, "附件"),
    (None, "任务分工表"),
]
TABLE = [
    ("序号", "实施方案条款", "责任分工"),
    ("1", "建立工作协调机制。", "市商务局牵头，各区按职责分工负责"),
    ("2", "加大专项资金支持力度，提高资金使用效率。", "市财政局"),
]


def _check_the_sample(doc, doc_id: str) -> None:
    assert [(c.clause_id, c.kind, c.label, c.path) for c in doc.clauses] == [
        (f"{doc_id}#p1", ClauseKind.UNNUMBERED, "", ()),
        (f"{doc_id}#p2", ClauseKind.UNNUMBERED, "", ()),
        (f"{doc_id}#1.1", ClauseKind.NUMBERED, "（一）", ("一、总体要求", "（一）加强组织领导")),
        (f"{doc_id}#1.2", ClauseKind.NUMBERED, "（二）", ("一、总体要求", "（二）强化资金支持")),
        (f"{doc_id}#2.3", ClauseKind.NUMBERED, "（三）", ("二、保障措施", "（三）加强宣传推广")),
        (f"{doc_id}#annex.p1", ClauseKind.ANNEX, "", ("附件", "任务分工表")),
        (f"{doc_id}#annex.1", ClauseKind.ANNEX_ROW, "附件 第1项", ("附件", "任务分工表")),
        (f"{doc_id}#annex.2", ClauseKind.ANNEX_ROW, "附件 第2项", ("附件", "任务分工表")),
    ]
    by = {c.clause_id.split("#")[1]: c for c in doc.clauses}
    assert by["p2"].text == "各有关单位：\n现予以印发，请认真贯彻执行。"
    assert by["1.1"].text == BODY[4][1]
    assert by["annex.1"].text == "\t".join(TABLE[1])
    assert by["annex.2"].text == "\t".join(TABLE[2])
    # row 1 quotes （一）, row 2 quotes （二）: they lend them their units
    assert (by["1.1"].responsible, by["1.1"].lead, by["1.1"].annex_rows) == (
        ("市商务局", "各区"), ("市商务局",), (f"{doc_id}#annex.1",))
    assert (by["1.2"].responsible, by["1.2"].annex_rows) == (("市财政局", "市商务局"), (f"{doc_id}#annex.2",))
    assert by["2.3"].responsible == ("市委宣传部",)
    assert [s.heading for s in doc.sections] == ["一、总体要求", "二、保障措施"]
    assert (doc.meta.title, doc.meta.status) == ("深圳市促进外贸发展实施方案", Status.ISSUED)
    assert doc.warnings == ()


def test_docx_paragraphs_and_a_table(tmp_path):
    document = docx.Document()
    for style, text in BODY:
        if style:
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    table = document.add_table(rows=len(TABLE), cols=3)
    for r, row in enumerate(TABLE):
        for col, value in enumerate(row):
            table.cell(r, col).text = value
    path = tmp_path / "sample.docx"
    document.save(path)

    source = read_source(path)
    assert (source.format, source.encoding) == ("docx", None)
    assert source.text.startswith("## 深圳市促进外贸发展实施方案\n\n各有关单位：")
    _check_the_sample(parse_document(path), "sample")


def test_html_headings_and_a_table(tmp_path):
    rows = "\n".join("<tr>" + "".join(f"<t{'h' if r == 0 else 'd'}>{v}</t{'h' if r == 0 else 'd'}>" for v in row) + "</tr>"
                     for r, row in enumerate(TABLE))
    html = (
        "<!DOCTYPE html><html><head><title>页面标题不是正文</title><style>p { color: red }</style></head><body>\n"
        "<script>var x = '一、脚本不是正文';</script>\n"
        f"<h1>{BODY[0][1]}</h1>\n<p>{BODY[1][1]}</p>\n<p>{BODY[2][1]}</p>\n"
        f"<h2>{BODY[3][1]}</h2>\n"
        "<p>（一）加强组织领导。各部门要加强组织领导，<br>建立工作协调机制。（市商务局负责）</p>\n"
        f"<div><p>{BODY[5][1]}</p></div>\n<h2>{BODY[6][1]}</h2>\n<p>{BODY[7][1]}</p>\n"
        f"<p>{BODY[8][1]}</p>\n<p>{BODY[9][1]}</p>\n<table>{rows}</table>\n</body></html>")
    path = tmp_path / "sample.html"
    path.write_text(html, encoding="utf-8")

    source = read_source(path)
    assert source.format == "html"
    assert "页面标题不是正文" not in source.text and "脚本" not in source.text and "color" not in source.text
    doc = parse_document(path)
    _check_the_sample(doc, "sample")
    assert [s.start for s in doc.sections] == [source.text.index("## 一、总体要求"), source.text.index("## 二、保障措施")]


def test_html_in_gbk(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes("<html><body><h2>一、总体要求</h2><p>（一）加强组织领导。（市商务局负责）</p></body></html>".encode("gbk"))
    doc = parse_document(path)
    assert [(c.label, c.responsible) for c in doc.clauses] == [("（一）", ("市商务局",))]


# ---------------------------------------------------------------------------------------------
# A large file


def test_a_10_mb_file(tmp_path):
    paragraph = "支持企业加强技术创新，完善国际服务营销体系，扩大汽车整车和零部件出口。" * 8
    parts = ["深圳市大型测试实施方案", "为深入贯彻有关精神，制定本方案。"]
    sections, measures = 100, 110
    for s in range(1, sections + 1):
        parts.append(f"{int_to_cn(s)}、第{s}部分")
        parts += [f"（{int_to_cn(m)}）推进第{m}项工作。{paragraph}（市商务局、深圳海关负责）" for m in range(1, measures + 1)]
    path = tmp_path / "big.txt"
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    assert path.stat().st_size > 10_000_000

    doc = parse_document(path)  # about 1 s

    numbered = [c for c in doc.clauses if c.kind is ClauseKind.NUMBERED]
    assert len(numbered) == sections * measures and len(doc.sections) == sections
    assert len(doc.clauses) == sections * measures + 2
    assert numbered[-1].clause_id == "big#100.110" and numbered[-1].label == "（一百一十）"
    assert numbered[-1].responsible == ("市商务局", "深圳海关")
    assert doc.warnings == ()
