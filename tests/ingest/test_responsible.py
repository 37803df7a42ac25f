"""Responsible units: the trailing parenthetical of a measure, and the units of annex table cells."""

from __future__ import annotations

import pytest

from ingest.responsible import Units, is_agency, paragraph_units, parse_units, trailing_parenthetical
from tests.ingest.helpers import CUSTOMS, DRAFT, GD, SZ2022, SZ2024, clause

# ---------------------------------------------------------------------------------------------
# trailing_parenthetical


@pytest.mark.parametrize(("text", "expected"), [
    ("…出口。（市商务局、贸促委）", ("市商务局、贸促委", 4)),
    ("出口。(市商务局)", ("市商务局", 3)),
    ("（市商务局）", ("市商务局", 0)),
    ("出口。（市商务局）。", ("市商务局", 3)),        # trailing sentence punctuation and blanks are ignored
    ("出口。（市商务局）；\u3000 ", ("市商务局", 3)),
    ("出口。〔市商务局、各区政府（大鹏新区管委会，下同）〕", ("市商务局、各区政府（大鹏新区管委会，下同）", 3)),
    ("出口。〈市商务局〉", ("市商务局", 3)),
    ("出口。【市商务局】", ("市商务局", 3)),
    ("出口。[市商务局]", ("市商务局", 3)),
])
def test_trailing_parenthetical_finds_the_closing_group(text, expected):
    assert trailing_parenthetical(text) == expected


@pytest.mark.parametrize("text", [
    "出口。（市商务局〕",        # brackets that do not pair
    "出口。（市商务局、深圳海关",  # never closed
    "市商务局）",               # never opened
    "（市商务局）出口。",         # not at the end
    "",
    "。",
])
def test_trailing_parenthetical_none(text):
    assert trailing_parenthetical(text) is None


# ---------------------------------------------------------------------------------------------
# is_agency / parse_units


@pytest.mark.parametrize("name", ["市商务局", "贸促委", "省商务厅", "市口岸办", "海关广东分署", "深圳海关", "各区政府",
                                  "各有关部门", "人民银行深圳市分行", "中国人民银行深圳市中心支行", "南山区",
                                  "中国信保深圳分公司", "深圳市机场集团", "省公安边防总队"])
def test_is_agency_yes(name):
    assert is_agency(name)


@pytest.mark.parametrize("name", ["2024—2025年", "以下简称“三同”", "琥珀", "包括珍珠", "国办发19号", "市", "下同",
                                  "试行", "暂行", "《深圳海关优化营商环境 20 条》"])
def test_is_agency_no(name):
    assert not is_agency(name)


@pytest.mark.parametrize(("content", "responsible", "lead"), [
    ("市商务局、贸促委，深圳海关，各区政府", ("市商务局", "贸促委", "深圳海关", "各区政府"), ()),
    ("省国税局，省财政厅负责", ("省国税局", "省财政厅"), ()),
    # a lead unit: "牵头"
    ("市商务局牵头，各区政府配合", ("市商务局", "各区政府"), ("市商务局",)),
    ("市商务局牵头负责", ("市商务局",), ("市商务局",)),
    ("牵头单位：市商务局；配合单位：市财政局、市税务局", ("市商务局", "市财政局", "市税务局"), ("市商务局",)),
    ("市商务局、罗湖区牵头，市工业和信息化局、市国资委按职责分工负责",
     ("市商务局", "罗湖区", "市工业和信息化局", "市国资委"), ("市商务局", "罗湖区")),
    # a shared suffix: "广东、深圳海事局" = 广东海事局 + 深圳海事局
    ("广东、深圳海事局", ("广东海事局", "深圳海事局"), ()),
    ("广东、深圳、珠海出入境检验检疫局负责", ("广东出入境检验检疫局", "深圳出入境检验检疫局", "珠海出入境检验检疫局"), ()),
    ("广州、深圳、汕头、东莞、揭阳等市人民政府负责",
     ("广州市人民政府", "深圳市人民政府", "汕头市人民政府", "东莞市人民政府", "揭阳市人民政府"), ()),
    # inner notes are not units
    ("市商务局，各区〈含大鹏新区、深汕特别合作区，下同〉负责", ("市商务局", "各区"), ()),
    ("深圳海关、市商务局等按职责分工负责", ("深圳海关", "市商务局"), ()),
    ("市商务局、市商务局", ("市商务局",), ()),  # each unit once
    # "（牵头）" after a unit: that unit leads, the others do not
    ("市发展改革委（牵头）、市商务局", ("市发展改革委", "市商务局"), ("市发展改革委",)),
    ("市商务局(牵头单位)，市财政局、市税务局按职责分工负责", ("市商务局", "市财政局", "市税务局"), ("市商务局",)),
])
def test_parse_units(content, responsible, lead):
    units = parse_units(content)
    assert (units.responsible, units.lead) == (responsible, lead)


@pytest.mark.parametrize(("content", "support"), [
    ("市商务局牵头，各区政府配合", ("各区政府",)),
    ("牵头单位：市商务局；配合单位：市财政局、市税务局", ("市财政局", "市税务局")),
    ("市科技局牵头，市财政局、市人社局配合", ("市财政局", "市人社局")),
    ("市商务局、市财政局按职责分工负责", ()),   # no roles named: nobody supports
    ("市发展改革委（牵头）、市商务局", ()),
])
def test_supporting_units_are_kept_apart_from_the_lead(content, support):
    assert parse_units(content).support == support


@pytest.mark.parametrize("content", [
    "简称“留交会”", "以下简称“市场采购”", "3～12月", "2024年底前", "试点区", "重点区", "示范区", "片区", "含县级市",
    "即市场主体", "下同"])
def test_abbreviations_time_windows_scopes_and_explanations_are_no_units(content):
    assert parse_units(content) is None


def test_a_scope_after_a_unit_stays_in_the_text():
    """"各区（县级市）" is the districts; its "（县级市）" is a scope, never a unit of its own."""
    units = paragraph_units("加强统筹。（市委组织部、市人社局，各区（县级市）负责）")
    assert units.responsible == ("市委组织部", "市人社局", "各区")
    assert paragraph_units("各区（县级市）要加强组织领导（县级市）") is None
    assert paragraph_units("举办中国留学人员广州科技交流会（简称“留交会”）。") is None


@pytest.mark.parametrize("content", ["2024—2025年", "以下简称“三同”", "国办发〔2014〕19号", "包括珍珠、珊瑚、琥珀等",
                                     "下同", "试行", "", "  "])
def test_parse_units_rejects_what_is_not_a_list_of_units(content):
    assert parse_units(content) is None


def test_parse_units_annex_cell_not_strict():
    """Annex cells carry no brackets; 各有关部门 and the like count as units there."""
    assert parse_units("市司法局牵头，各有关部门按职责分工负责", strict=False) == Units(
        ("市司法局", "各有关部门"), ("市司法局",))
    assert parse_units("深圳海关", strict=False) == Units(("深圳海关",), ())


@pytest.mark.parametrize("text", [
    "深圳市推动跨境电子商务高质量发展行动方案（2022-2025）",
    "推动外贸稳定增长工作方案（2024—2025年）",
    "鼓励企业发展“同线同标同质”（以下简称“三同”）",
    "为认真贯彻落实《国务院办公厅关于支持外贸稳定增长的若干意见》（国办发〔2014〕19号）",
    "将可交易品种扩展至有机宝石（包括珍珠、珊瑚、琥珀等）",
    "深圳市跨境电子商务管理办法（试行）",
])
def test_paragraphs_ending_in_other_parentheticals_name_no_units(text):
    assert paragraph_units(text) is None


# ---------------------------------------------------------------------------------------------
# On the seeds


def test_sz2024_measure_14(seeds):
    c = clause(seeds[SZ2024], "（十四）")
    assert c.text.endswith("（市商务局、贸促委，深圳海关，各区政府）")
    assert c.responsible == ("市商务局", "贸促委", "深圳海关", "各区政府")
    assert c.lead == ()


def test_sz2024_measure_1_square_brackets_and_inner_note(seeds):
    c = clause(seeds[SZ2024], "(一)")
    assert c.text.endswith("〔市商务局、工业和信息化局、市场监管局、交通运输局、贸促委，深圳海关，深圳海事局，"
                           "各区政府（大鹏新区管委会、深汕特别合作区管委会，下同）〕")
    assert c.responsible == ("市商务局", "工业和信息化局", "市场监管局", "交通运输局", "贸促委", "深圳海关",
                             "深圳海事局", "各区政府")
    assert not any("管委会" in r or "下同" in r for r in c.responsible)


def test_sz2024_measure_5_mid_text_parenthetical_is_not_a_unit(seeds):
    c = clause(seeds[SZ2024], "（五）")
    assert "有机宝石（包括珍珠、珊瑚、琥珀等）" in c.text
    assert c.responsible == ("市商务局", "工业和信息化局", "前海管理局", "深圳海关", "国家外汇管理局深圳市分局",
                             "各区人民政府")


def test_every_sz2024_measure_names_units(seeds):
    numbered = [c for c in seeds[SZ2024].clauses if c.label]
    assert len(numbered) == 24 and all(c.responsible for c in numbered)
    assert all(c.responsible == () for c in seeds[SZ2024].clauses if not c.label)


def test_gd_measure_14_has_two_paragraphs_each_with_units(seeds):
    c = clause(seeds[GD], "（十四）")
    first = ("省口岸办", "海关广东分署", "广东出入境检验检疫局", "深圳出入境检验检疫局", "珠海出入境检验检疫局",
             "省公安边防总队", "广州出入境边防检查总站", "深圳出入境边防检查总站", "珠海出入境边防检查总站",
             "汕头出入境边防检查总站", "广东海事局", "深圳海事局", "广州市人民政府", "深圳市人民政府", "珠海市人民政府")
    second = ("海关广东分署", "广东出入境检验检疫局", "深圳出入境检验检疫局", "珠海出入境检验检疫局", "省口岸办")
    assert c.responsible_by_paragraph == (first, second)
    assert c.responsible == first  # the second paragraph names no unit the first does not


def test_only_gd_measure_14_has_units_per_paragraph(seeds):
    with_paragraphs = [c.clause_id for doc in seeds.values() for c in doc.clauses if c.responsible_by_paragraph]
    assert with_paragraphs == ["gd-2014-stabilize-trade#5.14"]


def test_gd_measure_18(seeds):
    c = clause(seeds[GD], "（十八）")
    assert (c.responsible, c.lead) == (("省国税局", "省财政厅"), ())


def test_gd_measures_23_to_25_name_no_units(seeds):
    """（二十三） says 由省商务厅牵头 inside a sentence; there is no closing parenthetical, so no units."""
    for label in ("（二十三）", "（二十四）", "（二十五）"):
        c = clause(seeds[GD], label)
        assert (c.responsible, c.lead) == ((), ())


def test_sz2022_measure_1_angle_bracket_note(seeds):
    c = clause(seeds[SZ2022], "(一)")
    assert c.text.endswith("（市商务局，各区〈含大鹏新区、深汕特别合作区，下同〉负责）")
    assert c.responsible == ("市商务局", "各区")


def test_sz2022_measure_7_single_unit(seeds):
    assert clause(seeds[SZ2022], "（七）").responsible == ("深圳海关",)


def test_customs_articles_name_no_units(seeds):
    assert all(c.responsible == () for c in seeds[CUSTOMS].clauses)


def test_draft_non_agency_parentheticals_left_alone(seeds):
    doc = seeds[DRAFT]
    task5 = clause(doc, "5.")
    assert "（以下简称“三同”）" in task5.text
    assert all("三同" not in r for r in task5.responsible)
    preamble = doc.clauses[1]
    assert "（国办发﹝2021﹞59号）" in preamble.text and preamble.responsible == ()


@pytest.mark.parametrize(("content", "responsible"), [
    # a unit that is no bare place name lends no prefix to the next one
    ("牵头单位：市委组织部，配合单位：市委党校、市人力资源和社会保障局", ("市委组织部", "市委党校", "市人力资源和社会保障局")),
    ("牵头单位：市委办公厅，配合单位：市委政研室", ("市委办公厅", "市委政研室")),
    # "等部门" names a class of others, not a unit
    ("牵头单位：市政府办公厅，配合单位：市财政局、市监察局等部门", ("市政府办公厅", "市财政局", "市监察局")),
])
def test_units_of_a_lead_and_support_list(content, responsible):
    assert parse_units(content).responsible == responsible
