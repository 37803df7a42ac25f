"""Clause structure of the five seed documents, worked out by reading each file (corpus/*.txt).

Every expectation below was checked against the document text: the labels as printed (half-width
"(一)" where the file has them, full-width "（五）" elsewhere), the headings up to the first "。",
the sections each measure sits in, and the unnumbered text before the first numbered unit.
"""

from __future__ import annotations

import re

import pytest

from ingest.model import ClauseKind
from tests.conftest import SEED_IDS
from tests.ingest.helpers import by_id, clause, of_kind, source_of, uncovered_and_overlaps

# ---------------------------------------------------------------------------------------------
# sz-2024-foreign-trade-measures: 一、…七、 group the 24 measures (一)…(二十四)
SZ2024 = "sz-2024-foreign-trade-measures"
SZ2024_SECTIONS = {
    "一、促进产业贸易紧密联动": ["(一) 扩大先进制造业出口", "(二) 加快推动产供销一体化", "(三) 稳定提升加工贸易",
                                 "(四) 培育扩大汽车出口"],
    "二、持续优化进口商品结构": ["（五）增强进口平台支撑", "（六）培育引进高能级进口主体", "（七）加快能源类商品进口",
                                 "（八）支持金属及相关矿产资源进口"],
    "三、加快培育新业态新模式": ["（九）推动跨境电商健康持续发展", "（十）进一步完善海外仓网络",
                                 "（十一）创新提升市场采购贸易", "（十二）开拓发展离岸贸易"],
    "四、支持内外供需高效对接": ["（十三）支持企业参加境内外经贸活动", "（十四）用足用好 RCEP 优惠政策",
                                 "（十五）促进中小微企业开拓海外市场"],
    "五、提升外贸基础设施功能": ["（十六）拓展国际货运能力", "（十七）加大专用仓储供给", "（十八）优化通关监管布局"],
    "六、加大财政金融支持力度": ["（十九）用足用好各级外经贸发展专项资金", "（二十）更好发挥信用保险作用",
                                 "（二十一）优化外贸融资服务"],
    "七、优化跨境贸易营商环境": ["（二十二）持续提升贸易便利化水平", "（二十三）加强涉外经贸风险应对服务",
                                 "（二十四）推进贸易数字化转型"],
}
SZ2024_PREAMBLE = [
    "(以下附錄節錄自中華人民共和國深圳市人民政府辦公廳的網站，全文可參閱"
    "https://www.sz.gov.cn/cn/xxgk/zfxxgj/tzgg/content/post_11150327.html)",
    "附錄",
    "深圳市商务局关于印发《深圳市推动外贸稳规模稳份额稳增长工作措施》的通知",
    "各有关单位：\n《深圳市推动外贸稳规模稳份额稳增长工作措施》已经市政府同意，现予以印发，请认真贯彻执行。",
    "特此通知。\n深圳市商务局\n2024年2月20日",
    "深圳市推动外贸稳规模稳份额稳增长工作措施",
    "为深入贯彻党的二十大精神，全面落实中央经济工作会议精神，切实巩固我市外贸基本盘，促进外贸稳定高质量发展，"
    "加快贸易强市建设，制定本措施。",
]

# ---------------------------------------------------------------------------------------------
# gd-2014-stabilize-trade: 一、…七、 group the 25 measures （一）…（二十五）
GD = "gd-2014-stabilize-trade"
GD_SECTIONS = {
    "一、积极扩大进口": ["（一）完善进口目录和贴息政策", "（二）加快进口服务平台建设", "（三）加大重要物资进口"],
    "二、确保出口止跌回升": ["（四）加大重点市场开拓力度", "（五）支持企业抢抓订单", "（六）扩大重点产品出口",
                             "（七）发挥“走出去”的贸易促进作用"],
    "三、加快培育外贸新业态": ["（八）培育外贸综合服务企业", "（九）加快跨境电子商务发展",
                               "（十）促进市场采购贸易发展"],
    "四、推进外贸转型升级": ["（十一）推进加工贸易转型升级", "（十二）大力发展服务贸易",
                             "（十三）发挥外贸示范基地和海关特殊监管区域作用"],
    "五、优化外贸环境": ["（十四）提高通关便利化水平", "（十五）优化检验检疫流程", "（十六）妥善应对国际贸易摩擦"],
    "六、加大财税金融支持力度": ["（十七）加大财政支持力度", "（十八）加快出口退税进度", "（十九）完善出口退税政策",
                                 "（二十）切实减轻企业负担", "（二十一）加大金融支持力度", "（二十二）加大信保支持力度"],
    "七、加强统筹配合": ["（二十三）形成工作合力", "（二十四）加大服务力度", "（二十五）强化组织落实"],
}
GD_PREAMBLE = [
    "各地级以上市人民政府，各县（市、区）人民政府，省政府各部门、各直属机构：\n"
    "《广东省支持外贸稳定增长实施方案》已经省人民政府同意，现印发给你们，请认真组织实施。",
    "广东省人民政府办公厅\n2014年5月23日",
    "广东省支持外贸稳定增长实施方案",
    "为认真贯彻落实《国务院办公厅关于支持外贸稳定增长的若干意见》（国办发〔2014〕19号），舒缓我省外贸进出口下行压力，"
    "确保完成全年外贸进出口增长2.4%的目标任务，推动全省经济平稳健康发展，制定本实施方案。",
]

# ---------------------------------------------------------------------------------------------
# sz-customs-business-environment-20: 一、…二十、 are the clauses (a heading line, then one paragraph)
CUSTOMS = "sz-customs-business-environment-20"
CUSTOMS_HEADINGS = [
    "一、巩固先进制造产业优势", "二、助力民生物资扩大进口", "三、支持大湾区跨境生鲜链建设", "四、支持新能源汽车扩大出口",
    "五、促进储能产业健康发展", "六、保障大宗商品供应稳定", "七、持续提升跨境物流效率", "八、提供线上便捷通关服务",
    "九、推动海关特殊监管区域和自贸试验区统筹发展", "十、加强国际展会服务保障", "十一、支持 RCEP 高质量实施",
    "十二、落实“智慧海关、智能边境、智享联通”合作", "十三、加强高级认证企业培育", "十四、进一步推广主动披露政策应用",
    "十五、推进加工贸易提档升级", "十六、试点推进“仓厂联动”改革", "十七、促进跨境电商健康发展",
    "十八、加强技术性贸易措施咨询服务", "十九、加强知识产权海关保护", "二十、强化外贸形势分析和海关统计服务",
]
CN_1_TO_25 = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六",
              "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四", "二十五"]

# ---------------------------------------------------------------------------------------------
# sz-2022-cross-border-ecommerce: ### 一、总体要求 has no measures; 二、…九、 group (一)…(二十三)
SZ2022 = "sz-2022-cross-border-ecommerce"
SZ2022_SECTIONS = {
    "二、实施市场主体强本固元行动": ["(一)加强平台企业培育引进", "(二)支持电商企业做大做强", "（三）推进产业园区提质增效"],
    "三、实施产业发展提质创新行动": ["（四）促进企业质量提升和品牌升级", "（五）强化企业创新发展路径",
                                     "（六）引导企业提升数字化水平"],
    "四、实施监管服务改革攻坚行动": ["（七）开展通关便利改革", "（八）优化税收政策环境", "（九）便利跨境资金结算"],
    "五、实施金融创新助企惠企行动": ["（十）加强信贷融资支持", "（十一）优化保险服务供给", "（十二）支持企业直接融资"],
    "六、实施人才驱动引领创新行动": ["（十三）探索多元化人才培育机制", "（十四）加强专业化人才公共服务"],
    "七、实施通关物流提效扩容行动": ["（十五）优化通关服务能力", "（十六）构建便捷高效物流网络",
                                     "(十七)提升海外仓发展水平"],
    "八、实施优化环境赋能强基行动": ["(十八)完善综合服务体系", "(十九)推进标准化能力建设", "(二十)强化企业合规引导",
                                     "(二十一)加强国际交流合作"],
    "九、保障措施": ["(二十二)加强组织保障", "(二十三)加强资金支持"],
}

# ---------------------------------------------------------------------------------------------
# sz-trade-integration-draft: 1、…3、 parts; （一）…（三）; tasks 1.…15.; safeguards （1）…（3）; annex table
DRAFT = "sz-trade-integration-draft"
DRAFT_TASKS = {
    "（一）完善内外贸一体化制度体系": ["1.健全法规制度", "2.完善内外贸监管机制", "3.构筑知识产权一体化保护体系",
                                       "4.促进标准认证衔接", "5.推进同线同标同质"],
    "（二）增强内外贸一体化发展能力": ["6.支持企业“走出去”", "7.培育外贸新业态新动能", "8.提高数字化发展水平",
                                       "9.强化品牌建设能力", "10.畅通国际物流网络", "11.加强融资能力建设",
                                       "12.培养专业人才队伍"],
    "（三）强化内外贸一体化平台支撑": ["13.建设粤港澳大湾区改革创新试验平台", "14.搭建内外贸融合发展平台",
                                       "15.拓展对外经贸合作平台"],
}


def _label_of(heading: str) -> str:
    m = re.match(r"^(\(.+?\)|（.+?）|[0-9]+\.|[一二三四五六七八九十]+、)", heading)
    assert m, heading
    return m.group(1)


def _expected_measures(sections: dict[str, list[str]]) -> list[tuple[str, tuple[str, str]]]:
    return [(_label_of(h), (section, h)) for section, headings in sections.items() for h in headings]


# ---------------------------------------------------------------------------------------------
# Counts per document and kind


@pytest.mark.parametrize(("doc_id", "numbered", "unnumbered", "annex_rows", "annex", "sections"), [
    (SZ2024, 24, 7, 0, 0, 7),
    (GD, 25, 4, 0, 0, 7),
    (CUSTOMS, 20, 4, 0, 0, 0),
    (SZ2022, 1 + 23, 4, 0, 0, 8),
    (DRAFT, 2 + 15 + 3, 2, 46, 1, 6),
])
def test_clause_counts_per_kind(seeds, doc_id, numbered, unnumbered, annex_rows, annex, sections):
    doc = seeds[doc_id]
    assert len(of_kind(doc, ClauseKind.NUMBERED)) == numbered
    assert len(of_kind(doc, ClauseKind.UNNUMBERED)) == unnumbered
    assert len(of_kind(doc, ClauseKind.ANNEX_ROW)) == annex_rows
    assert len(of_kind(doc, ClauseKind.ANNEX)) == annex
    assert of_kind(doc, ClauseKind.INTRO) == []  # no seed has text between a section heading and its first unit
    assert len(doc.clauses) == numbered + unnumbered + annex_rows + annex
    assert len(doc.sections) == sections


@pytest.mark.parametrize(("doc_id", "levels"), [
    (SZ2024, ("cn-dun", "cn-paren")),
    (GD, ("cn-dun", "cn-paren")),
    (CUSTOMS, ("cn-dun",)),
    (SZ2022, ("cn-dun", "cn-paren")),
    # 1、 parts; under them （一） and （1）; tasks 1. under （一）
    (DRAFT, ("ar-dun", "cn-paren", "ar-paren", "ar-dot")),
])
def test_numbering_levels(seeds, doc_id, levels):
    assert seeds[doc_id].levels == levels


# ---------------------------------------------------------------------------------------------
# sz-2024


def test_sz2024_measures_in_order_with_paths_numbers_and_ids(seeds):
    doc = seeds[SZ2024]
    numbered = of_kind(doc, ClauseKind.NUMBERED)
    expected = _expected_measures(SZ2024_SECTIONS)
    assert [c.label for c in numbered] == [label for label, _ in expected]
    assert [c.label for c in numbered][:5] == ["(一)", "(二)", "(三)", "(四)", "（五）"]  # as printed
    assert [c.path for c in numbered] == [path for _, path in expected]
    assert [c.number for c in numbered] == CN_1_TO_25[:24]
    assert {c.style for c in numbered} == {"cn-paren"}
    section_of = [1] * 4 + [2] * 4 + [3] * 4 + [4] * 3 + [5] * 3 + [6] * 3 + [7] * 3
    assert [c.clause_id for c in numbered] == [f"{SZ2024}#{s}.{n}" for n, s in enumerate(section_of, start=1)]


def test_sz2024_sections(seeds):
    doc = seeds[SZ2024]
    assert [s.heading for s in doc.sections] == list(SZ2024_SECTIONS)
    assert [s.label for s in doc.sections] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert [s.number for s in doc.sections] == CN_1_TO_25[:7]
    assert all(s.path == (s.heading,) and s.style == "cn-dun" for s in doc.sections)
    assert [doc.text[s.start:s.end] for s in doc.sections] == list(SZ2024_SECTIONS)


def test_sz2024_preamble_is_kept_as_unnumbered_clauses(seeds):
    doc = seeds[SZ2024]
    unnumbered = of_kind(doc, ClauseKind.UNNUMBERED)
    assert [c.text for c in unnumbered] == SZ2024_PREAMBLE
    assert [c.clause_id for c in unnumbered] == [f"{SZ2024}#p{i}" for i in range(1, 8)]
    assert all(c.label == c.number == c.style == "" and c.path == () for c in unnumbered)
    assert doc.clauses[:7] == tuple(unnumbered)  # they come first, in document order


def test_sz2024_clause_text_is_the_whole_measure(seeds):
    c = clause(seeds[SZ2024], "（十四）")
    assert c.text.startswith("（十四）用足用好 RCEP 优惠政策。持续跟进 RCEP 梯度降税进度，")
    assert c.text.endswith("支持企业获评海关 RCEP 项下核准出口商。（市商务局、贸促委，深圳海关，各区政府）")
    assert "\n" not in c.text  # one paragraph in the file


# ---------------------------------------------------------------------------------------------
# gd-2014


def test_gd_measures_in_order_with_paths_numbers_and_ids(seeds):
    doc = seeds[GD]
    numbered = of_kind(doc, ClauseKind.NUMBERED)
    expected = _expected_measures(GD_SECTIONS)
    assert [c.label for c in numbered] == [label for label, _ in expected]
    assert [c.path for c in numbered] == [path for _, path in expected]
    assert [c.number for c in numbered] == CN_1_TO_25
    section_of = [1] * 3 + [2] * 4 + [3] * 3 + [4] * 3 + [5] * 3 + [6] * 6 + [7] * 3
    assert [c.clause_id for c in numbered] == [f"{GD}#{s}.{n}" for n, s in enumerate(section_of, start=1)]


def test_gd_measure_18_as_in_the_contract_example(seeds):
    c = clause(seeds[GD], "（十八）")
    assert c.clause_id == "gd-2014-stabilize-trade#6.18"
    assert c.number == "十八"
    assert c.path == ("六、加大财税金融支持力度", "（十八）加快出口退税进度")
    assert c.text == (
        "（十八）加快出口退税进度。对申报单证齐全真实、对应单证的电子信息准确无误且审核无发现骗税疑点的出口业务，"
        "在20个工作日内完成退（免）税审批手续，确保及时足额退税。全面推行出口退税网上申报，提高企业办事便利化程度。"
        "加大对外贸综合服务企业出口货物退（免）税、增值税零税率应税服务和跨境电子商务零售出口等出口退（免）税政策的"
        "宣传和贯彻执行力度，落实国家扩大融资租赁货物出口退税试点措施。防范出口退税风险。（省国税局，省财政厅负责）")


def test_gd_measure_14_keeps_both_of_its_paragraphs(seeds):
    c = clause(seeds[GD], "（十四）")
    first, second = c.text.split("\n")
    assert first.startswith("（十四）提高通关便利化水平。") and first.endswith("珠海等市人民政府负责）")
    assert second.startswith("全面落实关检合作“三个一”通关模式") and second.endswith("省口岸办负责）")
    assert "　" not in c.text  # the full-width indentation is not part of the text
    assert source_of(seeds[GD], c).startswith("　　（十四）")  # though the span starts at the line


def test_gd_sections_and_preamble(seeds):
    doc = seeds[GD]
    assert [s.heading for s in doc.sections] == list(GD_SECTIONS)
    assert [c.text for c in of_kind(doc, ClauseKind.UNNUMBERED)] == GD_PREAMBLE


# ---------------------------------------------------------------------------------------------
# sz-customs


def test_customs_articles_are_the_clauses(seeds):
    doc = seeds[CUSTOMS]
    numbered = of_kind(doc, ClauseKind.NUMBERED)
    assert [c.label for c in numbered] == [f"{n}、" for n in CN_1_TO_25[:20]]
    assert [c.number for c in numbered] == CN_1_TO_25[:20]
    assert [c.path for c in numbered] == [(h,) for h in CUSTOMS_HEADINGS]
    assert [c.clause_id for c in numbered] == [f"{CUSTOMS}#{n}" for n in range(1, 21)]
    assert {c.style for c in numbered} == {"cn-dun"}
    assert doc.sections == ()
    # heading line, then the article's one paragraph
    assert all(c.text.count("\n") == 1 and c.text.split("\n")[0] == h for c, h in zip(numbered, CUSTOMS_HEADINGS))


def test_customs_article_14_text(seeds):
    assert clause(seeds[CUSTOMS], "十四、").text == (
        "十四、进一步推广主动披露政策应用\n"
        "对符合要求的企业依法从轻、减轻或不予行政处罚，依法减免缴纳税款滞纳金，为企业提供容错纠错、守法便利通道。")


def test_customs_preamble(seeds):
    texts = [c.text for c in of_kind(seeds[CUSTOMS], ClauseKind.UNNUMBERED)]
    assert texts[1:] == [
        "附錄",
        "深圳海关优化营商环境 20 条",
        "为全面落实党中央、国务院关于优化营商环境的重大决策部署，以及《海关优化营商环境 16 条》，按照海关总署工作要求，"
        "结合关区实际，制定《深圳海关优化营商环境 20 条》。",
    ]
    # the source note and its URL are one paragraph cut by a blank line
    assert texts[0] == ("(以下附錄節錄自中華人民共和國深圳海關的網站，全文可參閱"
                        "http://www.customs.gov.cn/shenzhen_customs/zfxxgk15/2966748/tzgg23/tztg79/5144254/index.html)")


# ---------------------------------------------------------------------------------------------
# sz-2022


def test_sz2022_general_requirements_is_one_leaf_clause(seeds):
    c = by_id(seeds[SZ2022], f"{SZ2022}#1")
    assert (c.kind, c.label, c.number, c.path) == (ClauseKind.NUMBERED, "一、", "一", ("一、总体要求",))
    assert c.text.startswith("一、总体要求\n以习近平新时代中国特色社会主义思想为指导，")
    assert c.text.endswith("积极参与国际电子商务标准规则制定。")
    assert c.text.count("\n") == 7  # heading + 2 paragraphs + 5 target lines
    assert "**" not in c.text and "###" not in c.text


def test_sz2022_measures_in_order_with_paths_numbers_and_ids(seeds):
    doc = seeds[SZ2022]
    measures = [c for c in of_kind(doc, ClauseKind.NUMBERED) if c.clause_id != f"{SZ2022}#1"]
    expected = _expected_measures(SZ2022_SECTIONS)
    assert [c.label for c in measures] == [label for label, _ in expected]
    # half-width in the file for (一) (二) and (十七)…(二十三), full-width (from the bold markup) between
    assert [c.label for c in measures][:3] == ["(一)", "(二)", "（三）"]
    assert [c.path for c in measures] == [path for _, path in expected]
    assert [c.number for c in measures] == CN_1_TO_25[:23]
    section_of = [2] * 3 + [3] * 3 + [4] * 3 + [5] * 3 + [6] * 2 + [7] * 3 + [8] * 4 + [9] * 2
    assert [c.clause_id for c in measures] == [f"{SZ2022}#{s}.{n}" for n, s in enumerate(section_of, start=1)]
    assert all("**" not in c.text for c in measures)


def test_sz2022_markdown_headings_are_sections(seeds):
    doc = seeds[SZ2022]
    assert [s.heading for s in doc.sections] == list(SZ2022_SECTIONS)
    assert [s.number for s in doc.sections] == CN_1_TO_25[1:9]
    # "## **五、实施金融创新助企惠企行动**": the span is the whole markdown line
    assert doc.text[doc.sections[3].start:doc.sections[3].end] == "## **五、实施金融创新助企惠企行动**"


def test_sz2022_preamble(seeds):
    texts = [c.text for c in of_kind(seeds[SZ2022], ClauseKind.UNNUMBERED)]
    assert texts[0] == ("(以下附錄節錄自中華人民共和國深圳市商務局的網站，全文可參閱"
                        "http://commerce.sz.gov.cn/xxgk/zcfgjzjcd/zcfg/content/post_10194106.html)")
    assert texts[1:3] == ["附錄", "深圳市推动跨境电子商务高质量发展行动方案（2022-2025）"]
    assert texts[3].startswith("为深入贯彻落实《国务院办公厅关于加快发展外贸新业态新模式的意见》")
    assert len(texts) == 4


# ---------------------------------------------------------------------------------------------
# sz-trade-integration-draft


def test_draft_parts_and_sections(seeds):
    doc = seeds[DRAFT]
    assert [(s.label, s.heading, s.path) for s in doc.sections] == [
        ("1、", "1、 总体要求", ("1、 总体要求",)),
        ("2、", "2、 主要任务", ("2、 主要任务",)),
        ("（一）", "（一）完善内外贸一体化制度体系", ("2、 主要任务", "（一）完善内外贸一体化制度体系")),
        ("（二）", "（二）增强内外贸一体化发展能力", ("2、 主要任务", "（二）增强内外贸一体化发展能力")),
        ("（三）", "（三）强化内外贸一体化平台支撑", ("2、 主要任务", "（三）强化内外贸一体化平台支撑")),
        ("3、", "3、 保障措施", ("3、 保障措施",)),
    ]
    assert [s.style for s in doc.sections] == ["ar-dun", "ar-dun", "cn-paren", "cn-paren", "cn-paren", "ar-dun"]


def test_draft_general_requirements_under_part_1(seeds):
    doc = seeds[DRAFT]
    one, two = by_id(doc, f"{DRAFT}#1.1"), by_id(doc, f"{DRAFT}#1.2")
    assert (one.label, one.number, one.path) == ("（一）", "一", ("1、 总体要求", "（一）指导思想"))
    assert (two.label, two.number, two.path) == ("（二）", "二", ("1、 总体要求", "（二）发展目标"))
    assert one.text.startswith("（一）指导思想\n以习近平新时代")
    assert two.text.endswith("港口集装箱吞吐量3300万标箱以上。")


def test_draft_tasks_1_to_15(seeds):
    doc = seeds[DRAFT]
    tasks = [c for c in of_kind(doc, ClauseKind.NUMBERED) if c.style == "ar-dot"]
    expected = [(group, t) for group, ts in DRAFT_TASKS.items() for t in ts]
    assert [c.label for c in tasks] == [f"{n}." for n in range(1, 16)]
    assert [c.number for c in tasks] == [str(n) for n in range(1, 16)]
    assert [c.path for c in tasks] == [("2、 主要任务", group, t) for group, t in expected]
    group_of = [1] * 5 + [2] * 7 + [3] * 3
    assert [c.clause_id for c in tasks] == [f"{DRAFT}#2.{g}.{n}" for n, g in enumerate(group_of, start=1)]


def test_draft_safeguards(seeds):
    doc = seeds[DRAFT]
    safeguards = [c for c in doc.clauses if c.style == "ar-paren"]
    assert [(c.label, c.number, c.path, c.clause_id) for c in safeguards] == [
        ("（1）", "1", ("3、 保障措施", "（1） 压实工作责任"), f"{DRAFT}#3.1"),
        ("（2）", "2", ("3、 保障措施", "（2） 强化资金支持"), f"{DRAFT}#3.2"),
        ("（3）", "3", ("3、 保障措施", "（3） 加强宣传推广"), f"{DRAFT}#3.3"),
    ]
    assert safeguards[2].text.endswith("为会员企业内外贸一体化发展提供专业化服务。")


def test_draft_title_and_draft_note_stay_together(seeds):
    unnumbered = of_kind(seeds[DRAFT], ClauseKind.UNNUMBERED)
    assert [c.text for c in unnumbered][0] == "深圳市促进内外贸一体化发展实施方案\n（征求意见稿）"
    assert unnumbered[1].text.startswith("为深入贯彻《国务院办公厅关于促进内外贸一体化发展的意见》（国办发﹝2021﹞59号）")


# ---------------------------------------------------------------------------------------------
# Invariants over all seeds


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_clause_and_heading_spans_cover_every_character_once(seeds, doc_id):
    uncovered, overlaps = uncovered_and_overlaps(seeds[doc_id])
    assert uncovered == [] and overlaps == []


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_clauses_are_in_document_order_with_unique_ids(seeds, doc_id):
    doc = seeds[doc_id]
    assert [c.position for c in doc.clauses] == list(range(len(doc.clauses)))
    assert [c.start for c in doc.clauses] == sorted(c.start for c in doc.clauses)
    assert len({c.clause_id for c in doc.clauses}) == len(doc.clauses)
    assert all(c.clause_id.startswith(f"{doc_id}#") and c.doc_id == doc_id for c in doc.clauses)


@pytest.mark.parametrize("doc_id", [GD, SZ2024, CUSTOMS, DRAFT])
def test_text_is_verbatim_but_for_blanks(seeds, doc_id):
    """Plain-text seeds: a clause's text is its source span with only whitespace (indentation, page breaks) removed."""
    doc = seeds[doc_id]
    for c in doc.clauses:
        assert re.sub(r"\s+", "", c.text) == re.sub(r"\s+", "", source_of(doc, c)), c.clause_id


def test_markdown_seed_text_is_verbatim_but_for_markup(seeds):
    doc = seeds[SZ2022]
    for c in doc.clauses[1:]:  # the first is the source note with a markdown link, checked in test_sz2022_preamble
        assert re.sub(r"[\s*#]+", "", c.text) == re.sub(r"[\s*#]+", "", source_of(doc, c)), c.clause_id


def test_clause_paths_end_with_the_clause_heading(seeds):
    for doc in seeds.values():
        for c in doc.clauses:
            if c.kind is ClauseKind.NUMBERED:
                assert c.text.startswith(c.label)
                assert c.text.startswith(c.path[-1]), c.clause_id
