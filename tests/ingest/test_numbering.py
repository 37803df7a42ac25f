"""Chinese numerals and clause labels at the start of a line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.numbering import Label, cn_to_int, int_to_cn, match_label, number_value


@given(st.integers(min_value=1, max_value=9999))
def test_int_to_cn_round_trip(value):
    assert cn_to_int(int_to_cn(value)) == value


@pytest.mark.parametrize(("value", "numeral"), [
    (1, "一"), (10, "十"), (11, "十一"), (18, "十八"), (20, "二十"), (24, "二十四"), (100, "一百"), (105, "一百零五"),
    (110, "一百一十"), (300, "三百"), (1001, "一千零一"), (1010, "一千零一十"), (2024, "二千零二十四"),
    (9999, "九千九百九十九"),
])
def test_int_to_cn(value, numeral):
    assert int_to_cn(value) == numeral
    assert cn_to_int(numeral) == value


@pytest.mark.parametrize(("numeral", "value"), [
    ("二〇二四", 2024), ("二零二四", 2024), ("两百", 200), ("一百十", 110), ("十", 10), ("零", 0),
])
def test_cn_to_int_other_spellings(numeral, value):
    assert cn_to_int(numeral) == value


@pytest.mark.parametrize("bad", ["", "12", "二十a", "廿", "第三"])
def test_cn_to_int_rejects_non_numerals(bad):
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        cn_to_int(bad)


@pytest.mark.parametrize("bad", [-1, 10000])
def test_int_to_cn_range(bad):
    with pytest.raises(ValueError, match=f"out of range for a clause number: {bad}"):
        int_to_cn(bad)


@pytest.mark.parametrize(("number", "value"), [("十八", 18), ("16", 16), ("１６", 16), ("③", 3), ("⑳", 20)])
def test_number_value(number, value):
    assert number_value(number) == value


# ---------------------------------------------------------------------------------------------
# match_label: one example per style, as the seeds and common documents print them


@pytest.mark.parametrize(("line", "style", "number", "value", "text"), [
    ("一、促进产业贸易紧密联动", "cn-dun", "一", 1, "一、"),
    ("二十、强化外贸形势分析和海关统计服务", "cn-dun", "二十", 20, "二十、"),
    ("一百零五、其他", "cn-dun", "一百零五", 105, "一百零五、"),
    ("一．总体要求", "cn-dot", "一", 1, "一．"),
    ("（十四）用足用好 RCEP 优惠政策。", "cn-paren", "十四", 14, "（十四）"),
    ("(一) 扩大先进制造业出口。", "cn-paren", "一", 1, "(一)"),
    ("（二十四)混排括号", "cn-paren", "二十四", 24, "（二十四)"),
    ("1.健全法规制度。", "ar-dot", "1", 1, "1."),
    ("15.拓展对外经贸合作平台。", "ar-dot", "15", 15, "15."),
    ("２．全角数字", "ar-dot", "２", 2, "２．"),
    ("1、 总体要求", "ar-dun", "1", 1, "1、"),
    ("１、 总体要求", "ar-dun", "１", 1, "１、"),
    ("（2） 强化资金支持", "ar-paren", "2", 2, "（2）"),
    ("(12)半角括号", "ar-paren", "12", 12, "(12)"),
    ("③ 加强", "circled", "③", 3, "③"),
])
def test_match_label_styles(line, style, number, value, text):
    label = match_label(line)
    assert label == Label(style=style, number=number, value=value, text=text)
    assert label.end == len(text)


@pytest.mark.parametrize(("line", "style", "rank"), [
    ("第一编 总则", "di-编", 0),
    ("第一部分 总体要求", "di-部分", 1),
    ("第一章 总则", "di-章", 2),
    ("第三节 监督", "di-节", 3),
    ("第三条 为了促进外贸发展，制定本条例。", "di-条", 4),
    ("第3条 阿拉伯数字", "di-条", 4),
    ("第二款 其他", "di-款", 5),
])
def test_match_label_di_style_has_a_fixed_rank(line, style, rank):
    label = match_label(line)
    assert (label.style, label.rank) == (style, rank)


@pytest.mark.parametrize("line", [
    "2025年，深圳跨境电商进出口额超千亿元",  # a year
    "2024年2月20日",
    "1.5亿元",                               # a decimal
    "1.2.3 多级编号",
    "1000、四位数",
    "第三条规定的情形",                       # references, not headings
    "第五条、第八条",
    "第三条的规定",
    "第三条至第五条",
    "第二款所称",
    "第十二条第二款",
    "第三条，",
    "按照第三条规定",                          # not at the start
    "（以下简称“三同”）",                     # brackets without a number
    "（2024—2025年）",
    "（包括珍珠、珊瑚、琥珀等）",
    "一是加强组织领导",
    "一带一路",
    "十分重要、不可或缺",
    "二十四)",                                # bracket not opened
    "(二十四",                                # bracket not closed
    "一 、空格",
    "零、",
    "第零条",
    "㉑ 超出 ⑳",
    "三同产品",
    "",
])
def test_match_label_negatives(line):
    assert match_label(line) is None
