"""Paragraph blocks: lines with offsets, page breaks repaired, tables read as rows."""

from __future__ import annotations

import pytest

from ingest.blocks import is_cut, split_blocks, split_lines
from ingest.pipeline import parse_text
from tests.conftest import CORPUS
from tests.ingest.helpers import CUSTOMS, SZ2022, SZ2024, clause

# (document, label of the clause, the break as it stands in the file, the repaired text)
PAGE_BREAKS = [
    (SZ2024, "(四)", "工业园二\n\n期项目", "推动深汕比亚迪汽车工业园二期项目投产出口"),
    (SZ2024, "（十）", "政策性金融工\n\n具", "推广运用海外投资保险等政策性金融工具，降低海外仓建设风险"),
    (SZ2024, "（十六）", "的 LNG\n\n运输船队", "加快组建兼顾近洋与远洋航线的 LNG运输船队。"),
    (SZ2024, "（二十二）", "推广真空包\n\n装", "推广真空包装高新技术产品非侵入式查验"),
    (SZ2022, "(二)", "组织开\n\n展", "组织开展“跨境电商+产业集群”试点"),
    (CUSTOMS, "八、", "对企信息化服\n\n务", "推出“深关数”小程序、对企信息化服务应用，拓展升级"),
    (CUSTOMS, "十七、", "商品条\n\n码", "推广跨境电商零售进口商品条码应用。"),
]


@pytest.mark.parametrize(("doc_id", "label", "broken", "repaired"), PAGE_BREAKS)
def test_page_breaks_are_repaired(seeds, doc_id, label, broken, repaired):
    source = (CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8")
    assert broken in source  # the file does have the break
    doc = seeds[doc_id]
    assert repaired in clause(doc, label).text
    left, right = broken.split("\n\n")
    for c in doc.clauses:
        assert f"{left}\n{right}" not in c.text and broken not in c.text


def test_repaired_clauses_are_one_paragraph(seeds):
    for doc_id, label, _, _ in PAGE_BREAKS:
        text = clause(seeds[doc_id], label).text
        # the sz-2024 measures are one paragraph; the customs articles are heading + one paragraph
        assert text.count("\n") == (1 if doc_id == CUSTOMS else 0), (doc_id, label)


# ---------------------------------------------------------------------------------------------
# split_lines


def test_split_lines_offsets_for_every_line_ending():
    source = "一、甲\r\n乙\r丙\n\x0c丁"
    lines = split_lines(source)
    assert [line.text for line in lines] == ["一、甲", "乙", "丙", "", "丁"]
    assert [source[line.start:line.end] for line in lines] == ["一、甲", "乙", "丙", "", "丁"]


def test_split_lines_keeps_raw_and_cleans_text():
    (line,) = split_lines("\u3000\u3000**（一）完善进口目录**。")
    assert line.raw == "\u3000\u3000**（一）完善进口目录**。"
    assert line.text == "（一）完善进口目录。"
    assert (line.start, line.end, line.heading) == (0, len(line.raw), False)


# ---------------------------------------------------------------------------------------------
# is_cut


@pytest.mark.parametrize(("text", "cut"), [
    ("(四) 培育扩大汽车出口。支持企业加强技术创新，完善国际服务营销体系，扩大汽车整车和零部件出口。加大力度招引一批汽车制造厂商和经销商，推动深汕比亚迪汽车工业园二", True),
    ("支持在综合保税区建设跨境电商网购保税进口退货中心仓。推广跨境电商零售进口商品条", True),
    ("推广跨境电商零售进口商品条", False),  # short and without punctuation: could be a name or a title
    ("全文可參閱，见下", False),           # under 12 characters
    ("全文可參閱，详见下面的网址", True),  # 12 or more, with a comma
    ("一、促进产业贸易紧密联动", False),     # a heading line
    ("十二、落实“智慧海关、智能边境、智享联通”合作", False),
    ("特此通知。", False),
    ("（市商务局、贸促委，深圳海关，各区政府）", False),
    ("深圳市商务局", False),
    ("", False),
])
def test_is_cut(text, cut):
    assert is_cut(text) is cut


# ---------------------------------------------------------------------------------------------
# split_blocks


def test_page_break_join_spans_both_parts():
    source = "（一）推进建设。加快推动深汕比亚迪汽车工业园二\n\n期项目投产出口。\n\n（二）下一条。"
    first, second = split_blocks(source)
    assert first.text == "（一）推进建设。加快推动深汕比亚迪汽车工业园二期项目投产出口。"
    assert (first.start, first.end) == (0, source.index("\n\n（二）"))
    assert second.text == "（二）下一条。"


def test_ascii_words_cut_by_a_page_break_get_a_space():
    (block,) = split_blocks("支持企业开展业务，推动外贸企业对接国内专业市场和跨境电商平台，提升 ERP\n\nsystem 运行效率。")
    assert block.text == "支持企业开展业务，推动外贸企业对接国内专业市场和跨境电商平台，提升 ERP system 运行效率。"


def test_no_join_into_a_numbered_line_or_a_reference_stays_joined():
    source = ("各部门要按照本条例第三条的要求，推动深汕比亚迪汽车工业园项目建设，加快\n\n"
              "（二）下一条。\n\n"
              "（三）依照本条例规定，加快推动外贸企业对接国内专业市场和跨境电商平台，依照\n\n"
              "第五条、第八条执行。")
    texts = [b.text for b in split_blocks(source)]
    assert texts == [
        "各部门要按照本条例第三条的要求，推动深汕比亚迪汽车工业园项目建设，加快",
        "（二）下一条。",
        "（三）依照本条例规定，加快推动外贸企业对接国内专业市场和跨境电商平台，依照第五条、第八条执行。",
    ]


def test_a_markdown_heading_is_never_joined():
    blocks = split_blocks("### 一、总体要求，以及更多说明文字不带句末标点的一行很长很长很长很长的标题\n\n以习近平新时代中国特色社会主义思想为指导。")
    assert [b.heading for b in blocks] == [True, False]
    assert len(blocks) == 2


def test_tab_indented_table_one_cell_a_line():
    """The draft's 任务分工表: each cell a tab-indented line, rows separated by a blank line."""
    source = "附件\n\t序号\n\t实施方案条款\n\t责任分工\n\n\t1\n\t梳理修订规章。\n\t市司法局牵头\n\n\t2\n\t推进实施条例\n\t深圳海关\n"
    blocks = split_blocks(source)
    assert [b.table_row for b in blocks] == [None, ("序号", "实施方案条款", "责任分工"),
                                             ("1", "梳理修订规章。", "市司法局牵头"), ("2", "推进实施条例", "深圳海关")]
    assert blocks[2].text == "1\t梳理修订规章。\t市司法局牵头"
    assert source[blocks[2].start:blocks[2].end] == "\t1\n\t梳理修订规章。\n\t市司法局牵头"


def test_tab_separated_rows_with_blank_lines_between():
    """As the .docx and .html readers write tables: a row a line, rows blank lines apart.

    A row whose last cell stops without punctuation must not be glued to the next row.
    """
    source = ("附件\n\n\t序号\t实施方案条款\t责任分工\n\n\n\n"
              "\t1\t各部门要加强组织领导。\t市商务局牵头，各区按职责分工负责\n\n\n\n"
              "\t2\t加大资金支持力度。\t市财政局\n\n正文之后的一段。")
    blocks = split_blocks(source)
    assert [b.table_row for b in blocks] == [
        None,
        ("序号", "实施方案条款", "责任分工"),
        ("1", "各部门要加强组织领导。", "市商务局牵头，各区按职责分工负责"),
        ("2", "加大资金支持力度。", "市财政局"),
        None,
    ]
    assert blocks[-1].text == "正文之后的一段。"


def test_markdown_pipe_table():
    source = "| 序号 | 实施方案条款 | 责任分工 |\n|---|:---:|---|\n| 1 | **梳理**修订规章。 | 市司法局 |\n\n后文。"
    blocks = split_blocks(source)
    assert [b.table_row for b in blocks] == [("序号", "实施方案条款", "责任分工"), ("1", "梳理修订规章。", "市司法局"), None]
    assert blocks[1].text == "1 梳理修订规章。 市司法局"


def test_a_numbered_row_after_a_note_continues_the_table():
    source = ("\t序号\n\t条款\n\t责任分工\n\n\t1\n\t梳理修订规章。\n\t市司法局\n\n注：下表续。\n\n"
              "\t2\n\t推进实施条例。\n\t深圳海关\n")
    assert [b.table_row for b in split_blocks(source)] == [
        ("序号", "条款", "责任分工"), ("1", "梳理修订规章。", "市司法局"), None, ("2", "推进实施条例。", "深圳海关")]


TAB_INDENTED = ["广东省支持外贸稳定增长实施方案", "一、积极扩大进口",
                "（一）完善进口目录和贴息政策。修订完善目录。（省商务厅负责）",
                "（二）加快进口服务平台建设。加快出台政策。（省发展改革委负责）",
                "（三）加大重要物资进口。争取国家支持。（省发展改革委、商务厅负责）"]


@pytest.mark.parametrize("separator", ["\n", "\n\n"])
def test_paragraphs_indented_with_a_tab_are_not_a_table(separator):
    """Plain-text exports often indent every paragraph with a tab; that is no table, blank lines or not."""
    source = separator.join("\t" + p for p in TAB_INDENTED) + "\n"
    blocks = split_blocks(source)
    assert [(b.text, b.table_row) for b in blocks] == [(p, None) for p in TAB_INDENTED]
    _, structure = parse_text("t", source)
    assert [(c.label, c.responsible) for c in structure.clauses] == [
        ("", ()), ("（一）", ("省商务厅",)), ("（二）", ("省发展改革委",)), ("（三）", ("省发展改革委", "商务厅"))]


def test_a_tab_after_an_article_number_is_not_a_table():
    source = "\t第一条\t为了促进外贸发展，制定本办法。\n\t第二条\t本办法适用于本市。\n\t第三条\t本办法自发布之日起施行。\n"
    _, structure = parse_text("t", source)
    assert [c.label for c in structure.clauses] == ["第一条", "第二条", "第三条"]
    assert structure.clauses[0].text == "第一条\t为了促进外贸发展，制定本办法。"


def test_two_tab_indented_lines_are_not_a_table():
    blocks = split_blocks("\t第一段缩进的文字。\n\t第二段缩进的文字。\n")
    assert [(b.text, b.table_row) for b in blocks] == [("第一段缩进的文字。", None), ("第二段缩进的文字。", None)]


def test_a_line_break_inside_a_parenthetical_is_joined():
    """A PDF breaks "（牵头单位：\\n市发展改革委，…）": the parenthetical is one, so the units are read."""
    blocks = split_blocks("3．发展职业技能教育培训。加大培训力度。（牵头单位：\n市发展改革委，配合单位：市教育局）\n\n4．其他。\n")
    assert [b.text for b in blocks] == ["3．发展职业技能教育培训。加大培训力度。（牵头单位：市发展改革委，配合单位：市教育局）",
                                        "4．其他。"]
