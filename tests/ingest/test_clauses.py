"""Building clauses from blocks: nesting, sections and intros, ids, preamble and tail grouping."""

from __future__ import annotations

import pytest

from ingest.clauses import group_unnumbered, heading_of
from ingest.errors import ParseError
from ingest.model import Block, ClauseKind
from ingest.pipeline import parse_text


def _parse(text: str):
    _, structure = parse_text("t", text)
    return structure


def _blocks(*texts: str) -> list[Block]:
    return [Block(t, i * 100, i * 100 + len(t)) for i, t in enumerate(texts)]


def test_chapters_and_articles_keep_their_fixed_order():
    s = _parse("第一章 总则\n\n第一条 为了促进外贸发展，制定本办法。\n\n第二条 本办法适用于本市。\n\n"
               "第二章 附则\n\n第三条 本办法自发布之日起施行。\n")
    # articles are numbered through the whole document, so the article number alone is the id
    assert [(c.clause_id, c.label, c.path) for c in s.clauses] == [
        ("t#1", "第一条", ("第一章 总则", "第一条 为了促进外贸发展，制定本办法")),
        ("t#2", "第二条", ("第一章 总则", "第二条 本办法适用于本市")),
        ("t#3", "第三条", ("第二章 附则", "第三条 本办法自发布之日起施行")),
    ]
    assert [sec.label for sec in s.sections] == ["第一章", "第二章"]
    assert s.levels == ("di-章", "di-条")


def test_a_heading_with_text_before_its_first_unit_is_an_intro_clause():
    s = _parse("一、总体要求。以习近平新时代中国特色社会主义思想为指导。\n\n（一）加强组织。内容。\n")
    assert [(c.clause_id, c.kind, c.path) for c in s.clauses] == [
        ("t#1", ClauseKind.INTRO, ("一、总体要求",)),
        ("t#1.1", ClauseKind.NUMBERED, ("一、总体要求", "（一）加强组织")),
    ]
    assert s.sections == ()


def test_a_heading_line_and_a_paragraph_under_it_before_the_first_unit():
    s = _parse("一、总体要求\n\n以习近平新时代中国特色社会主义思想为指导。\n\n（一）加强组织。内容。\n")
    intro = s.clauses[0]
    assert (intro.kind, intro.label, intro.text) == (
        ClauseKind.INTRO, "一、", "一、总体要求\n以习近平新时代中国特色社会主义思想为指导。")


def test_numbering_jumps_and_repeats_are_warned_about_and_ids_stay_unique():
    s = _parse("一、总体要求\n\n（一）加强组织。内容。\n\n（三）强化支持。内容。\n\n（三）重复编号。内容。\n")
    assert [c.clause_id for c in s.clauses] == ["t#1.1", "t#1.3", "t#1.3~2"]
    assert s.warnings == ("numbering jumps from （一） to （三）", "numbering jumps from （三） to （三）")


def test_a_closing_after_the_last_clause_is_not_part_of_it():
    s = _parse("一、总体要求\n\n（一）加强组织。内容。\n\n抄送：市委办公厅，市人大常委会办公厅。\n\n"
               "深圳市商务局\n\n2024年2月21日\n")
    assert [(c.clause_id, c.kind, c.text) for c in s.clauses] == [
        ("t#1.1", ClauseKind.NUMBERED, "（一）加强组织。内容。"),
        ("t#p1", ClauseKind.UNNUMBERED, "抄送：市委办公厅，市人大常委会办公厅。"),
        ("t#p2", ClauseKind.UNNUMBERED, "深圳市商务局\n2024年2月21日"),
    ]
    assert [b.text for b in s.tail] == ["抄送：市委办公厅，市人大常委会办公厅。", "深圳市商务局", "2024年2月21日"]


def test_a_paragraph_after_a_unit_belongs_to_it():
    s = _parse("一、总体要求\n\n（一）加强组织。内容。\n\n深圳市商务局负责统筹协调。\n")
    assert s.clauses[-1].text == "（一）加强组织。内容。\n深圳市商务局负责统筹协调。"


def test_no_text_at_all():
    with pytest.raises(ParseError, match="t: no text found"):
        parse_text("t", "\n\n---\n\n")


@pytest.mark.parametrize(("text", "heading"), [
    ("（十八）加快出口退税进度。对申报单证齐全真实", "（十八）加快出口退税进度"),
    ("一、促进产业贸易紧密联动", "一、促进产业贸易紧密联动"),
    ("（1） 压实工作责任", "（1） 压实工作责任"),
    ("（二）发展目标：全市内外贸一体化调控体系更加健全，市场主体一体化发展水平显著提升。", "（二）发展目标"),
    ("5.推进同线同标同质。", "5.推进同线同标同质"),
])
def test_heading_of(text, heading):
    assert heading_of(Block(text, 0, len(text))) == heading


def test_group_unnumbered():
    groups = group_unnumbered(_blocks(
        "深圳市商务局关于印发《深圳市推动外贸稳规模稳份额稳增长工作措施》的通知",  # a title stands alone
        "各有关单位：",                                                          # an addressee joins what follows
        "《深圳市推动外贸稳规模稳份额稳增长工作措施》已经市政府同意，现予以印发，请认真贯彻执行。",
        "特此通知。", "深圳市商务局", "2024年2月20日",                               # short lines stay together
        "深圳市促进内外贸一体化发展实施方案", "（征求意见稿）",                         # the draft note goes with the title
        "为深入贯彻党的二十大精神，制定本措施。",
    ))
    assert [[b.text for b in g] for g in groups] == [
        ["深圳市商务局关于印发《深圳市推动外贸稳规模稳份额稳增长工作措施》的通知"],
        ["各有关单位：", "《深圳市推动外贸稳规模稳份额稳增长工作措施》已经市政府同意，现予以印发，请认真贯彻执行。"],
        ["特此通知。", "深圳市商务局", "2024年2月20日"],
        ["深圳市促进内外贸一体化发展实施方案", "（征求意见稿）"],
        ["为深入贯彻党的二十大精神，制定本措施。"],
    ]


def test_a_paragraph_summing_up_an_announced_list_is_the_enclosing_units():
    """"…抓好以下几方面工作：" announces (一)…(二); "…按照上述精神…" after them is no part of (二)."""
    s = _parse("一、总体要求\n\n（一）加强组织。内容。\n\n二、意见\n\n为此，应切实抓好以下几方面工作：\n\n（一）健全体系。内容。（市应急局负责）\n\n"
               "（二）加强宣传。内容。（市地震局负责）\n\n其他地区也应按照上述精神做好工作。\n\n以上意见如无不妥，请批转各地执行。\n\n国家地震局\n\n"
               "一九九六年一月二十五日\n")
    assert [(c.clause_id, c.kind.value, c.text) for c in s.clauses] == [
        ("t#1.1", "numbered", "（一）加强组织。内容。"),
        ("t#2", "intro", "二、意见\n为此，应切实抓好以下几方面工作："),
        ("t#2.1", "numbered", "（一）健全体系。内容。（市应急局负责）"),
        ("t#2.2", "numbered", "（二）加强宣传。内容。（市地震局负责）"),
        ("t#2.after", "unnumbered", "其他地区也应按照上述精神做好工作。"),
        ("t#p1", "unnumbered", "以上意见如无不妥，请批转各地执行。"),  # the closing and the signature: the tail
        ("t#p2", "unnumbered", "国家地震局\n一九九六年一月二十五日"),
    ]


def test_a_measures_second_paragraph_stays_with_it_when_no_list_was_announced():
    s = _parse("一、总体要求\n\n（一）加强组织。内容。\n\n（二）加大投入。内容。\n\n上述资金由市财政安排。\n")
    assert s.clauses[-1].text == "（二）加大投入。内容。\n上述资金由市财政安排。"


def test_a_heading_closed_by_a_full_stop_over_numbered_parts_is_a_section():
    s = _parse("一、总体要求\n\n（三）基本原则。\n\n1.坚持正确导向。内容。\n\n2.坚持需求引领。内容。\n")
    assert [sec.label for sec in s.sections] == ["一、", "（三）"]
    assert [c.label for c in s.clauses] == ["1.", "2."]


def test_a_heading_with_a_colon_over_short_tasks_keeps_them_apart():
    s = _parse("一、总体要求\n\n（一）加强组织。内容。\n\n二、重点任务：\n\n1.加快建设平台。\n\n2.推进贸易便利化。\n")
    assert [c.label for c in s.clauses] == ["（一）", "1.", "2."]
