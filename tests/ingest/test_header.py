"""Front matter, HTML comments and metadata headers: never in a clause; what they state becomes metadata."""

from __future__ import annotations

import pytest

from ingest.header import history_line, read_header
from ingest.metadata import extract
from ingest.model import Block
from ingest.model import Status
from ingest.pipeline import parse_document, parse_text
from tests.ingest.helpers import parse_written

LAWREFBOOK = """# 中华人民共和国示例法

1993年2月22日 第七届全国人民代表大会常务委员会第三十次会议通过

2018年12月29日 第十三届全国人民代表大会常务委员会第七次会议第三次修正

2019年1月1日 施行

<!-- INFO END -->

## 第一章 总 则

第一条 为了加强管理，制定本法。

<!-- SOURCE: https://example.cn/law.html -->

第二条 本法所称产品是指经过加工、制作，用于销售的产品。

第三条 本法自公布之日起施行。
"""


def test_a_lawrefbook_header_is_metadata_not_text(tmp_path):
    path = tmp_path / "示例法.md"
    path.write_text(LAWREFBOOK, encoding="utf-8")
    doc = parse_document(path)
    # the text in force is that of the latest amendment; the issuer is the body whose meeting adopted it
    assert (doc.meta.title, doc.meta.date, doc.meta.status) == ("中华人民共和国示例法", "2018-12-29", Status.ISSUED)
    assert doc.meta.issuer == "全国人民代表大会常务委员会"
    assert doc.meta.provenance == {"title": "text", "issuer": "text", "date": "text", "status": "text"}
    texts = "\n".join(c.text for c in doc.clauses)
    for gone in ("INFO END", "SOURCE", "<!--", "1993年2月22日", "施行\n", "# "):
        assert gone not in texts
    assert [c.label for c in doc.clauses] == ["第一条", "第二条", "第三条"]
    assert doc.clauses[0].text == "第一条 为了加强管理，制定本法。"
    # the blanked ranges are recorded; every other non-blank character is in exactly one clause or heading
    ranges = list(doc.markup_spans) + [(c.start, c.end) for c in doc.clauses] + [(s.start, s.end) for s in doc.sections]
    owners = [sum(1 for a, b in ranges if a <= i < b) for i in range(len(doc.text))]
    assert all(n == 1 for i, n in enumerate(owners) if not doc.text[i].isspace())


def test_labelled_fields_of_a_header_are_taken_as_stated():
    text = "# 示例条例\n\n制定机关：国务院\n\n公布日期：2023-07-20\n\n时效性：已被修改\n\n<!-- INFO END -->\n\n第一条 甲。\n"
    header = read_header(text)
    assert (header.title, header.issuer, header.date, header.validity) == ("示例条例", "国务院", "2023-07-20", "已被修改")
    assert header.body.count("第一条 甲。") == 1 and "国务院" not in header.body
    assert len(header.body) == len(text) and header.spans == ((0, text.index("-->") + 3),)


def test_front_matter_is_metadata():
    text = "---\ntitle: 深圳市示例措施\nissuer: 深圳市商务局\ndate: 2024-02-20\n时效性: 有效\n---\n\n一、总体要求\n"
    header = read_header(text)
    assert (header.title, header.issuer, header.date, header.validity) == (
        "深圳市示例措施", "深圳市商务局", "2024-02-20", "有效")
    assert header.body.strip() == "一、总体要求" and len(header.body) == len(text)


def test_a_rule_at_the_top_is_no_front_matter():
    text = "---\n\n一、总体要求\n\n---\n"
    assert read_header(text).body == text


def test_a_validity_that_is_no_known_state_is_not_taken():
    assert read_header("---\nstatus: 请以正式文本为准\n---\n正文。\n").validity is None


def test_an_html_comment_spanning_lines_is_blanked_where_it_stands():
    text = "一、总体要求\n<!-- 注释\n第二行 -->\n（一）加强组织。\n"
    header = read_header(text)
    assert "注释" not in header.body and "第二行" not in header.body and header.body.count("\n") == text.count("\n")
    assert header.spans == ((text.index("<!--"), text.index("-->") + 3),)


def test_a_header_without_an_adoption_date_gives_no_date():
    assert read_header("# 示例法\n\n2021年1月1日 施行\n\n<!-- INFO END -->\n第一条 甲。\n").date is None


@pytest.mark.parametrize(("line", "date", "issuer", "adoption"), [
    ("2024年4月26日 第十四届全国人民代表大会常务委员会第九次会议通过", "2024-04-26", "全国人民代表大会常务委员会", True),
    ("2024年11月28日 上海市第十六届人民代表大会常务委员会第十七次会议通过", "2024-11-28", "上海市人民代表大会常务委员会", True),
    ("1979年7月1日 第五届全国人民代表大会第二次会议通过", "1979-07-01", "全国人民代表大会", True),
    ("2001年12月12日 中华人民共和国国务院令第336号公布", "2001-12-12", "中华人民共和国国务院", True),
    ("2003年8月18日 食品药品监管局、海关总署第4号令公布", "2003-08-18", "食品药品监管局、海关总署", True),
    ("2020年12月25日 最高人民法院审判委员会第1824次会议通过", "2020-12-25", "最高人民法院", True),
    ("2008年7月17日 经人力资源和社会保障部第6次部务会议通过", "2008-07-17", "人力资源和社会保障部", True),
    ("2016年2月6日 《国务院关于修改部分行政法规的决定》第二次修订", "2016-02-06", None, False),
])
def test_history_line(line, date, issuer, adoption):
    h = history_line(line)
    assert (h.date, h.issuer, h.adoption) == (date, issuer, adoption)


def test_an_effective_date_is_no_history_line():
    assert history_line("2021年1月1日 施行") is None and history_line("第一条 为了加强管理，制定本法。") is None


def test_adoption_lines_of_a_statute_without_a_header_state_its_date_and_issuer(tmp_path):
    path = tmp_path / "示例法.txt"
    path.write_text("中华人民共和国示例法\n\n2023年9月1日 第十四届全国人民代表大会常务委员会第五次会议通过\n\n"
                    "第一条 甲。\n\n第二条 乙。\n\n第三条 丙。\n", encoding="utf-8")
    meta = parse_document(path).meta
    assert (meta.title, meta.issuer, meta.date, meta.status) == (
        "中华人民共和国示例法", "全国人民代表大会常务委员会", "2023-09-01", Status.ISSUED)


def test_metadata_lines_of_a_government_page_are_metadata(tmp_path):
    """A site's record above the text: "索引号：…", "发文机关：国务院", "成文日期：…" as lines or table cells."""
    text = ("索引号：\t000014349/2024-00108\t主题分类：\t对外经贸\n\n发文机关：\t国务院\t成文日期：\t2024年09月30日\n\n"
            "标题：示例出口管制条例\n\n时效性：有效\n\n示例出口管制条例\n\n第一条 为了维护国家安全，制定本条例。\n\n"
            "第二条 本条例适用于出口管制。\n\n第三条 发文机关：不是元数据的一行也不会被删去。\n")
    header = read_header(text)
    assert (header.title, header.issuer, header.date, header.validity) == ("示例出口管制条例", "国务院", "2024-09-30", "有效")
    assert "索引号" not in header.body and "国务院" not in header.body
    assert "第三条 发文机关：不是元数据的一行也不会被删去。" in header.body  # the body is never looked at
    assert read_header("各有关单位：\n\n现将有关事项通知如下。\n").spans == ()


def test_an_orders_record_in_brackets_under_the_title(tmp_path):
    doc = parse_written(tmp_path, "示例办法.txt", "中华人民共和国海关示例管理办法\n\n（2022年1月1日海关总署令第256号公布　自2022年4月1日起施行）\n\n"
                        "第一章　总　　则\n\n第一条　为了规范管理，制定本办法。\n\n第二条　甲。\n\n第三条　乙。\n")
    assert (doc.meta.title, doc.meta.issuer, doc.meta.date) == ("中华人民共和国海关示例管理办法", "海关总署", "2022-01-01")
    assert [s.heading for s in doc.sections] == ["第一章 总则"]


def test_an_order_that_publishes_a_rule_names_it():
    blocks = [Block(t, 0, len(t)) for t in ("海关总署令", "第43号",
              "《中华人民共和国示例物品表》已于1993年2月26日经署务会议审议通过，现予发布，自1993年3月1日起施行。")]
    assert extract(blocks).title == "中华人民共和国示例物品表"


def test_page_numbers_are_blanked_and_the_cut_sentence_joined():
    text = "第一条 为了规范进口药品的备案、报关和口岸检验工作，保证进口药品的质量，根据有关法律\n\n- 3 -\n\n法规的规定，制定本办法。\n\n第 4 页 共 10 页\n\n第二条 乙。\n\n第三条 丙。\n"
    _, s = parse_text("t", text)
    assert s.clauses[0].text == "第一条 为了规范进口药品的备案、报关和口岸检验工作，保证进口药品的质量，根据有关法律法规的规定，制定本办法。"
    assert [c.label for c in s.clauses] == ["第一条", "第二条", "第三条"]
    assert read_header("附件3\n\n12\n\n2024/5\n").spans == ()  # a bare number or a date is no page number


def test_a_statutes_record_of_adoption_is_metadata_not_text():
    text = ("# 中华人民共和国示例法\n\n（1986年12月2日 第六届全国人民代表大会常务委员会第十八次会议通过\n\n"
            "根据2009年8月27日 第十一届全国人民代表大会常务委员会第十次会议《关于修改部分法律的决定》第二次修正\n\n"
            "2024年6月28日 第十四届全国人民代表大会常务委员会第十次会议修订）\n\n第一条 甲。\n\n第二条 乙。\n\n第三条 丙。\n")
    header = read_header(text)
    assert "会议" not in header.body and "第一条 甲。" in header.body
    assert (header.issuer, header.date, header.adopted) == ("全国人民代表大会常务委员会", "2024-06-28", True)


def test_a_sentence_that_mentions_an_adoption_stays_text():
    text = "2023年5月10日，市政府常务会议审议通过了本方案，现印发给你们。\n\n一、总体要求\n"
    assert read_header(text).spans == ()


def test_a_record_line_broken_in_two_is_read_whole():
    text = ("# 示例法\n\n2004年8月28日 第十届全国人民代表大会常务委员会第十一次会议第二次修正\n\n"
            "2019年8月26日 第十三届全国人民代表大会常务委员会第十二次会议《关于修改〈示例法〉\n\n〈另一法〉的决定》第三次修正\n\n"
            "<!-- INFO END -->\n\n第一条 甲。\n")
    assert read_header(text).date == "2019-08-26"
    split_at_marker = "# 示例法\n\n2019年3月15日 第十三届全国人民代表大会第二次\n\n<!-- INFO END -->\n\n会议通过）\n\n第一条 甲。\n"
    header = read_header(split_at_marker)
    assert (header.date, header.issuer) == ("2019-03-15", "全国人民代表大会") and "会议通过" not in header.body
