"""Statutes: the article (条) is the clause, whole; items (项, 目) are addressable inside it; 编/章/节 are its path."""

from __future__ import annotations

import pytest

from ingest.articles import is_statute, normalize_heading, statute_title
from ingest.blocks import split_blocks
from ingest.model import ClauseKind
from ingest.numbering import match_label
from ingest.pipeline import parse_document, parse_text
from retrieval.citations import citation_dict
from retrieval.store import Store

LAW = """# 中华人民共和国示例法

## 第一章 总 则

第一条 为了规范区内管理，制定本法。

第二条 区内企业可以依法开展以下业务：

（一）研发、加工、制造；

（二）检测维修：

1.保税维修；

2.再制造；

（三）国际转口贸易。

前款规定的业务，应当依法办理手续。

## 第二章 附　　则

第三条 本法自公布之日起施行。

第三条之一 违反第二条规定的，依法处理。

第四条 本法由国务院负责解释。
"""


def _structure(text: str):
    _, structure = parse_text("law", text)
    return structure


def _article(structure, label: str):
    found = [c for c in structure.clauses if c.label == label]
    assert len(found) == 1, f"{len(found)} clauses labelled {label}"
    return found[0]


def test_an_article_with_a_lead_in_a_list_and_a_paragraph_after_it_is_one_clause():
    s = _structure(LAW)
    art = _article(s, "第二条")
    assert art.text == ("第二条 区内企业可以依法开展以下业务：\n（一）研发、加工、制造；\n（二）检测维修：\n1.保税维修；\n"
                        "2.再制造；\n（三）国际转口贸易。\n前款规定的业务，应当依法办理手续。")
    assert (art.kind, art.number, art.suffix, art.clause_id) == (ClauseKind.NUMBERED, "二", "", "law#2")
    assert [c.label for c in s.clauses] == ["", "第一条", "第二条", "第三条", "第三条之一", "第四条"]
    assert s.clauses[0].text == "中华人民共和国示例法"  # the title, as in any document


def test_items_and_sub_items_point_into_their_article():
    art = _article(_structure(LAW), "第二条")
    spans = [(i.label, i.number, i.parent, art.text[i.start:i.end]) for i in art.items]
    assert spans == [
        ("（一）", "一", "", "（一）研发、加工、制造；"),
        ("（二）", "二", "", "（二）检测维修：\n1.保税维修；\n2.再制造；"),  # an item holds its sub-items (目)
        ("1.", "1", "（二）", "1.保税维修；"),
        ("2.", "2", "（二）", "2.再制造；"),
        ("（三）", "三", "", "（三）国际转口贸易。"),  # the paragraph after the list is no part of the last item
    ]


def test_an_inserted_article_is_its_own_clause_with_a_suffix():
    s = _structure(LAW)
    art = _article(s, "第三条之一")
    assert (art.number, art.suffix, art.clause_id, art.text) == ("三", "一", "law#3-1", "第三条之一 违反第二条规定的，依法处理。")
    assert _article(s, "第三条").text == "第三条 本法自公布之日起施行。"
    assert s.warnings == ()  # 第三条之一 between 第三条 and 第四条 is no numbering jump


def test_chapters_go_into_the_path_with_spaced_titles_closed_up():
    s = _structure(LAW)
    assert [(sec.label, sec.heading) for sec in s.sections] == [("第一章", "第一章 总则"), ("第二章", "第二章 附则")]
    assert _article(s, "第三条之一").path[:-1] == ("第二章 附则",)
    assert _article(s, "第一条").path == ("第一章 总则", "第一条 为了规范区内管理，制定本法")
    assert s.levels == ("di-章", "di-条", "cn-paren", "ar-dot")


@pytest.mark.parametrize(("printed", "normalised"), [
    ("第一章 总 则", "第一章 总则"),
    ("第八章　附　　则", "第八章 附则"),
    ("第一章  一般规定", "第一章 一般规定"),
    ("第三节 犯罪的预备、未遂和中止", "第三节 犯罪的预备、未遂和中止"),
    ("第二编 物 权", "第二编 物权"),
])
def test_normalize_heading(printed, normalised):
    assert normalize_heading(printed) == normalised


def test_every_character_of_the_body_is_in_exactly_one_clause_or_heading():
    s = _structure(LAW)
    spans = sorted([(c.start, c.end) for c in s.clauses] + [(sec.start, sec.end) for sec in s.sections])
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    covered = set()
    for start, end in spans:
        covered |= set(range(start, end))
    assert [LAW[i] for i in range(len(LAW)) if not LAW[i].isspace() and i not in covered] == []


def test_headings_of_another_style_over_articles_group_them():
    """A judicial interpretation groups articles under "一、关于一般规定" and, inside, "（一）…" lines."""
    text = ("为正确适用法律，制定本解释。\n\n## 一、关于一般规定\n\n第一条 因担保发生的纠纷，适用本解释。\n\n"
            "## 二、关于担保物权\n\n（一）担保合同的效力\n\n第二条 当事人有下列情形之一的：\n\n（一）甲；\n\n（二）乙。\n\n"
            "（二）不动产抵押\n\n第三条 抵押人转让抵押财产的，依法处理。\n")
    s = _structure(text)
    assert [sec.heading for sec in s.sections] == ["一、关于一般规定", "二、关于担保物权", "（一）担保合同的效力",
                                                   "（二）不动产抵押"]
    assert _article(s, "第二条").text == "第二条 当事人有下列情形之一的：\n（一）甲；\n（二）乙。"
    assert _article(s, "第三条").path[:-1] == ("二、关于担保物权", "（二）不动产抵押")
    assert s.clauses[0].kind is ClauseKind.UNNUMBERED and s.clauses[0].text == "为正确适用法律，制定本解释。"


def test_a_last_item_right_above_the_next_article_stays_an_item():
    s = _structure("第一条 有下列情形之一的，不予登记：\n\n（一）申请人隐瞒有关情况\n\n（二）其他情形\n\n第二条 本办法自公布之日起施行。\n\n"
                   "第三条 略。\n")
    assert _article(s, "第一条").text.endswith("（二）其他情形")
    assert s.sections == ()


def test_a_paragraph_that_cites_a_paragraph_is_no_item():
    art = _article(_structure("第一条 甲。\n\n第二条 犯前款罪的，处罚金。\n\n第一款罪，告诉的才处理。\n\n第三条 丙。\n"), "第二条")
    assert art.items == () and art.text.endswith("第一款罪，告诉的才处理。")


@pytest.mark.parametrize(("line", "text", "suffix"), [
    ("第十七条之一 已满七十五周岁的人故意犯罪的", "第十七条之一", "一"),
    ("第二百八十七条之二　明知他人利用信息网络实施犯罪", "第二百八十七条之二", "二"),
    ("第一百二十条之六 明知是宣扬恐怖主义的物品", "第一百二十条之六", "六"),
])
def test_an_inserted_article_label(line, text, suffix):
    label = match_label(line)
    assert (label.text, label.suffix, label.style) == (text, suffix, "di-条")


@pytest.mark.parametrize("line", ["第十七条之一的规定适用于", "第三条之规定", "第十七条之一规定的情形"])
def test_a_reference_to_an_inserted_article_is_no_label(line):
    assert match_label(line) is None


@pytest.mark.parametrize(("title", "expected"), [
    ("中华人民共和国海关法", True), ("物业管理条例", True), ("中华人民共和国海关综合保税区管理暂行办法", True),
    ("最高人民法院关于审理民间借贷案件适用法律若干问题的规定", True), ("著作权法实施条例（2013修订）", True),
    ("关于推进贸易高质量发展的实施意见", False), ("深圳市推动外贸稳规模稳份额稳增长工作措施", False),
    ("广东省支持外贸稳定增长实施方案", False), (None, False),
])
def test_statute_title(title, expected):
    assert statute_title(title) is expected


def test_a_statute_is_told_by_its_articles_or_by_its_title():
    three = split_blocks("第一条 甲。\n\n第二条 乙。\n\n第三条 丙。\n")
    one = split_blocks("第一条 甲。\n\n（一）乙；\n")
    assert is_statute(three, None) and is_statute(three, "关于推进贸易高质量发展的实施意见")
    assert is_statute(one, "示例管理办法") and not is_statute(one, None) and not is_statute(one, "实施方案")
    assert not is_statute(split_blocks("一、总体要求\n\n（一）加强组织。\n"), "示例管理办法")


def test_a_policy_unit_whose_lead_in_announces_short_parts_is_one_clause():
    """(2) of a policy document: "（二）…以下方面：" and its parts 1. 2. are one measure, cited whole."""
    _, s = parse_text("t", "一、总体要求\n\n（一）加强组织。内容。\n\n（二）支持企业拓展市场，重点支持以下方面：\n\n"
                           "1.参加境外展会；\n\n2.开展品牌推广。\n\n（三）其他。内容。\n")
    assert [(c.clause_id, c.text) for c in s.clauses] == [
        ("t#1.1", "（一）加强组织。内容。"),
        ("t#1.2", "（二）支持企业拓展市场，重点支持以下方面：\n1.参加境外展会；\n2.开展品牌推广。"),
        ("t#1.3", "（三）其他。内容。"),
    ]
    assert [i.label for i in s.clauses[1].items] == ["1.", "2."]


def test_a_policy_unit_whose_parts_are_measures_of_their_own_keeps_them_apart():
    """Parts that name their own responsible units (or are long) are measures: each is a clause."""
    _, s = parse_text("t", "一、总体要求\n\n（一）支持企业拓展市场，重点如下：\n\n1.参加境外展会。（市商务局负责）\n\n"
                           "2.开展品牌推广。（市贸促委负责）\n")
    assert [c.label for c in s.clauses] == ["1.", "2."]
    assert [c.responsible for c in s.clauses] == [("市商务局",), ("市贸促委",)]


def test_the_new_fields_reach_the_index_and_the_citation(tmp_path):
    """suffix, items and validity are stored with the build and carried into the Citation JSON (CONTRACTS §2)."""
    path = tmp_path / "示例法.md"
    path.write_text("# 示例法\n\n时效性：有效\n\n<!-- INFO END -->\n\n" + LAW.split("\n", 1)[1], encoding="utf-8")
    doc = parse_document(path)
    store = Store(tmp_path / "index.sqlite")
    store.add_document(doc, 0, first=0)
    store.commit()
    stored = {c.label: c for c in store.clauses()}
    assert stored["第二条"].items == _article_of(doc, "第二条").items and stored["第三条之一"].suffix == "一"
    meta = next(d for d in store.documents() if d.doc_id == doc.meta.doc_id)
    assert meta.validity == "有效" and meta.provenance["validity"] == "text"
    data = citation_dict(stored["第二条"], meta, item="（三）")
    assert (data["clause"], data["number"], data["item"], data["items"]) == ("第二条", "二", "（三）",
                                                                           ["（一）", "（二）", "1.", "2.", "（三）"])
    assert citation_dict(stored["第三条之一"], meta)["suffix"] == "一"
    store.close()


def _article_of(doc, label):
    return next(c for c in doc.clauses if c.label == label)


def test_a_schedule_attached_to_a_law_is_no_part_of_its_last_article():
    s = _structure("第一条 甲。\n\n第二条 乙。\n\n第三条 本法自公布之日起施行。\n\n附：中华人民共和国进出口税则（注：另行发布）\n")
    assert _article(s, "第三条").text == "第三条 本法自公布之日起施行。"
    assert [c.kind for c in s.clauses][-1] is ClauseKind.ANNEX


def test_a_heading_that_lost_its_enumeration_comma_is_the_next_unit():
    """"## 三" after "二、…": a converter dropped the "、"; what follows is no part of 二、."""
    _, s = parse_text("t", "## 一、计算\n\n年工作日：250天\n\n## 二、折算\n\n日工资：月工资收入÷21.75天\n\n## 三\n"
                           "原通知同时废止。\n")
    assert [(c.label, c.text) for c in s.clauses] == [
        ("一、", "一、计算\n年工作日：250天"), ("二、", "二、折算\n日工资：月工资收入÷21.75天"), ("三", "三\n原通知同时废止。")]
    _, s = parse_text("t", "## 一、计算\n\n年工作日：250天\n\n## 五\n\n其他。\n")
    assert s.clauses[-1].text.endswith("五\n其他。")  # no numbering to continue: text of the open unit


def test_a_policy_that_quotes_articles_after_its_measures_stays_a_policy():
    text = ("一、总体要求\n\n（一）加强组织。内容。\n\n（二）加大投入。内容。\n\n（三）优化服务。内容。\n\n（四）强化督导。内容。\n\n"
            "附：有关条文\n\n第一条 甲。\n\n第二条 乙。\n\n第三条 丙。\n")
    assert not is_statute(split_blocks(text), None)
    _, s = parse_text("t", text)
    body = [c for c in s.clauses if c.kind is ClauseKind.NUMBERED and not c.path[0].startswith("附")]
    assert [c.label for c in body] == ["（一）", "（二）", "（三）", "（四）"]


def test_a_table_of_contents_is_text_and_the_chapters_are_the_headings():
    text = ("中华人民共和国示例法\n\n目　　录\n\n第一章　总　　则\n\n第二章　管制政策\n\n第一节　一般规定\n\n第三章　附　　则\n\n"
            "第一节　一般规定\n\n"
            "第一章　总　　则\n\n第一条　为了维护国家安全，制定本法。\n\n第二章　管制政策\n\n第二条　甲。\n\n"
            "第三章　附　　则\n\n第三条　本法自公布之日起施行。\n")
    s = _structure(text)
    assert [sec.heading for sec in s.sections] == ["第一章 总则", "第二章 管制政策", "第三章 附则"]
    toc = [c for c in s.clauses if "目" in c.text]
    assert len(toc) == 1 and toc[0].kind is ClauseKind.UNNUMBERED and "第二章　管制政策" in toc[0].text
    assert _article(s, "第二条").path[:-1] == ("第二章 管制政策",)


def test_lists_of_two_paragraphs_are_told_apart_by_their_paragraph():
    """第七十八条 of 刑法: 第一款 lists （一）…（二）, 第二款 lists （一）…（二） again."""
    art = _article(_structure("第一条 甲。\n\n第二条 被判处管制的，有下列表现之一的，应当减刑：\n\n（一）阻止他人犯罪；\n\n"
                              "（二）检举揭发。\n\n减刑以后实际执行的刑期不能少于下列期限：\n\n（一）判处管制的，不能少于二分之一；\n\n"
                              "（二）判处无期徒刑的，不能少于十三年。\n\n第三条 丙。\n"), "第二条")
    assert [(i.label, i.paragraph) for i in art.items] == [("（一）", 1), ("（二）", 1), ("（一）", 2), ("（二）", 2)]


def test_an_annex_that_is_a_document_of_its_own_has_citable_units():
    """"附件一：…认定规范（试行）" with 第一条…: its articles are clauses under the annex, ids apart from the body's."""
    text = ("一、总体要求\n\n（一）加强组织。内容。\n\n（二）加大投入。内容。\n\n附件一：示例认定规范（试行）\n\n"
            "第一条 为了规范认定工作，制定本规范。\n\n第二条 认定应当符合下列条件：\n\n（一）甲；\n\n（二）乙。\n\n"
            "第三条 本规范自发布之日起施行。\n")
    _, s = parse_text("t", text)
    annex = [c for c in s.clauses if c.path[:1] == ("附件一",)]
    assert [(c.kind.value, c.label) for c in annex] == [("annex", ""), ("numbered", "第一条"), ("numbered", "第二条"),
                                                        ("numbered", "第三条")]
    assert annex[2].clause_id == "t#annex.2" and annex[2].path[:2] == ("附件一", "示例认定规范（试行）")
    assert [i.label for i in annex[2].items] == ["（一）", "（二）"]
    _, s = parse_text("t", "一、甲\n\n（一）乙。内容。\n\n附件：1．审批表\n\n2．通知书\n\n3．声明书\n")
    assert all(c.kind in (ClauseKind.ANNEX, ClauseKind.NUMBERED) for c in s.clauses)
    assert [c.label for c in s.clauses if c.kind is ClauseKind.NUMBERED] == ["（一）"]  # a list of attachments


@pytest.mark.parametrize("line", ["第二十条修改为：“……”", "第三条后增加一条，作为第三条之一：", "第五条删去。", "第十条增加一款，作为第二款："])
def test_an_amending_decision_names_articles_without_starting_them(line):
    assert match_label(line) is None
