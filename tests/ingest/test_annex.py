"""The draft's annex 任务分工表: 46 rows, each quoting part of a task and naming who carries it out."""

from __future__ import annotations

import pytest

from ingest.annex import similarity
from ingest.model import ClauseKind
from ingest.pipeline import parse_text
from tests.ingest.helpers import by_id, clause, of_kind

DRAFT = "sz-trade-integration-draft"
ANNEX_PATH = ("附件", "深圳市促进内外贸一体化发展实施方案任务分工表")

# task -> the rows that quote it, read off the annex one row at a time
ROWS_OF_TASK = {
    1: [1, 2, 3], 2: [4, 5], 3: [6, 7, 8], 4: [9, 10, 11, 12], 5: [13, 14, 15], 6: [16, 17, 18],
    7: [19, 20, 21, 22], 8: [23, 24, 25, 26, 27], 9: [28, 29], 10: [30, 31, 32, 33], 11: [34, 35],
    12: [36, 37], 13: [38], 14: [39, 40, 41, 42, 43], 15: [44, 45, 46],
}


@pytest.fixture(scope="module")
def draft(seeds):
    return seeds[DRAFT]


def test_46_rows_in_order(draft):
    rows = of_kind(draft, ClauseKind.ANNEX_ROW)
    assert [c.label for c in rows] == [f"附件 第{n}项" for n in range(1, 47)]
    assert [c.number for c in rows] == [str(n) for n in range(1, 47)]
    assert [c.clause_id for c in rows] == [f"{DRAFT}#annex.{n}" for n in range(1, 47)]
    assert all(c.path == ANNEX_PATH for c in rows)
    assert rows == list(draft.clauses[-46:])  # after the body


def test_annex_heading_and_table_header_form_one_clause(draft):
    (head,) = of_kind(draft, ClauseKind.ANNEX)
    assert head.clause_id == f"{DRAFT}#annex.p1"
    assert head.text == "附件\n深圳市促进内外贸一体化发展实施方案任务分工表\n序号\t实施方案条款\t责任分工"
    assert head.path == ANNEX_PATH


def test_row_cells(draft):
    row1 = clause(draft, "附件 第1项")
    assert row1.text == ("1\t梳理修订妨碍内外贸一体化的地方性法规、规章和规范性文件，推动健全有利于内外贸一体化发展的制度体系。"
                         "\t市司法局牵头，各有关部门按职责分工负责")
    assert (row1.responsible, row1.lead) == (("市司法局", "各有关部门"), ("市司法局",))
    row46 = clause(draft, "附件 第46项")
    assert row46.responsible == ("人民银行深圳市中心支行", "市商务局", "市国资委", "市发展和改革委", "国家外汇局深圳市分局",
                                 "中国银行业监督管理委员会深圳监管局")
    assert clause(draft, "附件 第5项").responsible == ("深圳海关",)
    assert clause(draft, "附件 第41项").lead == ("市商务局", "罗湖区")


def test_every_row_is_linked_to_the_task_it_quotes(draft):
    tasks = {int(c.number): c for c in draft.clauses if c.style == "ar-dot"}
    assert {n: [int(r.rsplit(".", 1)[1]) for r in tasks[n].annex_rows] for n in tasks} == ROWS_OF_TASK
    linked = [c.clause_id for c in draft.clauses if c.annex_rows]
    assert linked == [f"{DRAFT}#2.{g}.{n}" for n, g in zip(range(1, 16), [1] * 5 + [2] * 7 + [3] * 3)]
    assert not any("annex" in w for w in draft.warnings)


def test_task_7_gets_the_units_of_rows_19_to_22(draft):
    task7 = clause(draft, "7.")
    assert task7.annex_rows == tuple(f"{DRAFT}#annex.{n}" for n in (19, 20, 21, 22))
    for unit in ("深圳海关", "市商务局", "国家外汇管理局深圳市分局", "中国人民银行深圳市中心支行", "市地方金融监管局"):
        assert unit in task7.responsible
    # the union of the four rows' cells, in row order, each unit once
    assert task7.responsible == ("深圳海关", "市商务局", "国家外汇管理局深圳市分局", "中国人民银行深圳市中心支行",
                                 "市地方金融监管局")
    assert task7.lead == ()


def test_task_1_gets_its_lead_from_row_1_despite_the_rewording(draft):
    task1, row1 = clause(draft, "1."), clause(draft, "附件 第1项")
    assert "建立健全有利于内外贸一体化发展的制度体系" in task1.text
    assert "推动健全有利于内外贸一体化发展的制度体系" in row1.text  # the row does not quote word for word
    assert task1.annex_rows[0] == row1.clause_id
    assert task1.lead == ("市司法局",)
    assert task1.responsible == ("市司法局", "各有关部门", "市商务局")  # rows 1, 2, 3


def test_lead_units_of_tasks(draft):
    assert {c.label: c.lead for c in draft.clauses if c.style == "ar-dot" and c.lead} == {
        "1.": ("市司法局",),
        "2.": ("市司法局",),                    # row 4
        "4.": ("市市场监管局",),                # row 10
        "6.": ("市商务局",),                    # rows 16, 18
        "8.": ("市工业和信息化局", "市商务局"),  # row 23, then rows 24 and 26
        "9.": ("市商务局",),
        "11.": ("市商务局",),
        "14.": ("市商务局", "罗湖区"),           # rows 39, 41, 43
        "15.": ("市商务局",),                   # row 45
    }


def test_similarity_tolerates_rewording_but_not_another_task(draft):
    task1, task2 = clause(draft, "1."), clause(draft, "2.")
    row1 = "梳理修订妨碍内外贸一体化的地方性法规、规章和规范性文件，推动健全有利于内外贸一体化发展的制度体系。"
    assert similarity(row1, task1.text) >= 90
    assert similarity(row1, task2.text) < 75
    assert similarity("完全无关的一句话。", task1.text) < 75


def test_an_annex_row_quoting_no_task_is_reported():
    text = ("一、总体要求\n\n1.健全法规制度。梳理修订地方性法规。\n\n2.完善监管机制。加强反垄断执法。\n\n附件\n\n任务分工表\n\n"
            "\t序号\n\t实施方案条款\n\t责任分工\n\n"
            "\t1\n\t梳理修订地方性法规。\n\t市司法局\n\n"
            "\t2\n\t建设国际航运中心和空港物流枢纽。\n\t市交通运输局\n")
    _, structure = parse_text("t", text)
    by = {c.label: c for c in structure.clauses}
    assert by["1."].annex_rows == ("t#annex.1",) and by["1."].responsible == ("市司法局",)
    assert by["2."].responsible == ()
    assert any(w.startswith("附件 第2项: no body clause quotes this row") for w in structure.warnings)
    assert not any(w.startswith("附件 第1项") for w in structure.warnings)


def test_a_table_without_a_task_column_is_reported():
    text = ("一、总体要求\n\n1.健全法规制度。梳理修订地方性法规。\n\n附件\n\n名单\n\n"
            "\t序号\n\t名称\n\t备注\n\n\t1\n\t甲公司\n\t无\n")
    _, structure = parse_text("t", text)
    assert any("table without a recognisable task column" in w for w in structure.warnings)
    row = next(c for c in structure.clauses if c.clause_id == "t#annex.1")
    assert (row.kind, row.text, row.responsible) == (ClauseKind.ANNEX_ROW, "1\t甲公司\t无", ())


def test_rows_keep_the_annex_number_column_in_their_ids(draft):
    assert by_id(draft, f"{DRAFT}#annex.22").text.startswith("22\t提高外贸综服企业通关和退税效率")


BODY = "一、总体要求\n\n1.健全法规制度。梳理修订地方性法规。\n\n2.完善监管机制。加强反垄断执法。\n\n"
TABLE = "\t序号\n\t实施方案条款\n\t责任分工\n\n\t1\n\t梳理修订地方性法规。\n\t市司法局\n\n"


def _clauses(text: str):
    _, structure = parse_text("t", text)
    return [(c.clause_id, c.kind.value, c.path, c.text) for c in structure.clauses], structure


def test_a_note_below_the_table_is_not_the_annex_title():
    note = "说明：本表由市商务局负责解释，各单位按要求报送进展情况。"
    clauses, structure = _clauses(BODY + "附件\n\n" + TABLE + note + "\n")
    assert clauses[2:] == [
        ("t#annex.p1", "annex", ("附件",), "附件\n序号\t实施方案条款\t责任分工"),
        ("t#annex.1", "annex-row", ("附件",), "1\t梳理修订地方性法规。\t市司法局"),
        ("t#annex.p2", "annex", ("附件",), note),  # after the row, where it stands
    ]
    assert [c.start for c in structure.clauses] == sorted(c.start for c in structure.clauses)


def test_text_between_the_title_and_the_table_keeps_the_document_order():
    clauses, _ = _clauses(BODY + "附件\n\n任务分工表\n\n填表说明：各单位按季度报送进展情况。\n\n" + TABLE)
    path = ("附件", "任务分工表")
    assert clauses[2:] == [
        ("t#annex.p1", "annex", path, "附件\n任务分工表"),
        ("t#annex.p2", "annex", path, "填表说明：各单位按季度报送进展情况。\n序号\t实施方案条款\t责任分工"),
        ("t#annex.1", "annex-row", path, "1\t梳理修订地方性法规。\t市司法局"),
    ]


def test_two_annexes_and_a_title_after_the_marker():
    clauses, structure = _clauses(BODY + "附件1\n\n任务分工表\n\n" + TABLE +
                                  "附件2：名词解释\n\n本方案所称内外贸一体化，是指内贸和外贸相互融合。\n")
    assert clauses[2:] == [
        ("t#annex1.p1", "annex", ("附件1", "任务分工表"), "附件1\n任务分工表\n序号\t实施方案条款\t责任分工"),
        ("t#annex1.1", "annex-row", ("附件1", "任务分工表"), "1\t梳理修订地方性法规。\t市司法局"),
        ("t#annex2.p1", "annex", ("附件2", "名词解释"), "附件2：名词解释\n本方案所称内外贸一体化，是指内贸和外贸相互融合。"),
    ]
    assert next(c for c in structure.clauses if c.label == "附件1 第1项").responsible == ("市司法局",)


def test_an_annex_line_before_any_numbered_unit_is_preamble():
    clauses, _ = _clauses("附件\n\n" + BODY)
    assert clauses[0] == ("t#p1", "unnumbered", (), "附件")
    assert [c[1] for c in clauses] == ["unnumbered", "numbered", "numbered"]
