"""The direct answer on real clauses of the corpus: the phrase that holds the figure the question asks for,
verbatim, chosen among every cited clause by the question's words (English ones through the translation)."""

import pytest

from app.short import MAX_SHORT, short_answer
from ingest.manifest import load_manifest
from ingest.pipeline import parse_document
from ingest.translations import Translations
from retrieval.query import QueryParser
from retrieval.resources import Resources
from tests.conftest import CORPUS, SEED_IDS


@pytest.fixture(scope="module")
def clauses():
    """clause id -> the real clause, its English reference translation attached."""
    manifest = load_manifest(CORPUS / "manifest.toml")
    translations = Translations.load(CORPUS / "translations")
    out = {}
    for doc_id in SEED_IDS:
        for c in parse_document(CORPUS / f"{doc_id}.txt", manifest).clauses:
            out[c.clause_id] = c.with_(text_en=translations.clause(c.clause_id))
    return out


@pytest.fixture(scope="module")
def parse():
    resources = Resources.in_folder(CORPUS / "resources")
    return QueryParser(tokenizer=resources.tokenizer(), glossary=resources.glossary, aliases=resources.aliases).parse


TARGETS = "sz-2022-cross-border-ecommerce#1"      # 到 2025 年 … 上市企业 5-10 家，…品牌不少于 50 个，…海外仓面积超 350 万平方米
AWARDS = "gd-2014-stabilize-trade#3.8"            # 1－2家; 超10亿美元的…给予500万元奖励; 粤东西北 500万元扶持
FAIRS = "gd-2014-stabilize-trade#2.5"             # 第116届…交易会、第16届…交易会、第11届…博览会
INSURANCE = "gd-2014-stabilize-trade#6.22"        # no figure; （省商务厅、金融办，…负责）
FEES = "gd-2014-stabilize-trade#6.20"             # 《…的通知》（粤财综〔2014〕89号）


@pytest.mark.parametrize("question, clause_ids, short", [
    # a list of targets in one sentence: the phrase the question's words are in, not the first figure of the sentence
    ("年出口过亿的跨境电商品牌，深圳想要几个？", [TARGETS], "年出口额超亿元跨境电商品牌不少于 50 个"),
    # a number of no known kind ("多少平方")
    ("跨境电商到2025年海外仓面积要搞到多少平方？", [TARGETS], "企业建设运营海外仓面积超 350 万平方米"),
    # the figure the question states (超过10亿美元) is its condition, not its answer
    ("珠三角年出口超10亿美元的外综服企业，广东奖励多少万元？", [AWARDS], "给予500万元奖励"),
    ("珠三角地区年出口规模超过10亿美元的外贸综合服务企业，广东省给多少奖励？", [AWARDS], "给予500万元奖励"),
    # an ordinal, and the item of the list it names
    ("广东2014年那个方案里说的高交会是第几届？", [FAIRS], "第16届中国（深圳）国际高新技术成果交易会"),
    ("广东提出要逐步实现省内几大关区之间的一体化作业？", ["gd-2014-stabilize-trade#5.14"], "逐步实现省内七大关区之间一体化作业、无障碍通关"),
    # an ordinal asked as "哪一期" / "which phase", answered by the phase (二期)
    ("深汕比亚迪汽车工业园要推动哪一期项目投产出口？", ["sz-2024-foreign-trade-measures#1.4"],
     "推动深汕比亚迪汽车工业园二期项目投产出口"),
    ("Which phase of the BYD auto industrial park in Shenshan does Shenzhen want brought into production for export?",
     ["sz-2024-foreign-trade-measures#1.4"], "推动深汕比亚迪汽车工业园二期项目投产出口"),
    # agencies asked with a count word are agencies, not a count
    ("广东加大信保支持力度那一条，是哪几家单位负责？", [INSURANCE], "省商务厅、金融办，广东保监局，中国出口信用保险公司广东分公司"),
    # a year alone
    ("深圳说要哪年初步建成跨境电商国际枢纽城市？", [TARGETS], "到 2025 年"),
    # every cited clause is looked at, and the one the question is about wins, wherever it is cited
    ("深圳跨境电商上市企业要新增几家？", [AWARDS, TARGETS], "新增跨境电商上市企业 5-10 家"),
    ("广东要求各地级以上市培育几家外贸综合服务企业？", [TARGETS, AWARDS], "支持和引导各地级以上市培育1－2家外贸综合服务企业"),
    # English questions: through the Query's Chinese terms and the clause's reference translation
    ("How many cross-border e-commerce brands exporting more than 100 million yuan a year does Shenzhen want by 2025?",
     [TARGETS], "年出口额超亿元跨境电商品牌不少于 50 个"),
    ("How many newly listed cross-border e-commerce companies does Shenzhen hope to have by 2025?",
     [TARGETS], "新增跨境电商上市企业 5-10 家"),
    ("Which two land crossings get upgraded fresh-food cold-chain inspection facilities under the 2024 Shenzhen measures?",
     ["sz-2024-foreign-trade-measures#5.18"], "升级深圳湾口岸、文锦渡口岸进口生鲜冷链查验设施"),
])
def test_the_short_answer_is_the_phrase_that_answers(clauses, parse, question, clause_ids, short):
    assert short_answer(parse(question), [clauses[c] for c in clause_ids]) == short


def test_a_document_number_is_a_figure(clauses, parse):
    short = short_answer(parse("廣東免收企業嗰啲涉企行政事業性收費，係根據邊份通知？文號係咩？"), [clauses[FEES]])
    assert short and "粤财综〔2014〕89号" in short and short in clauses[FEES].text


def test_no_short_answer_when_nothing_of_the_kind_is_asked_or_stated(clauses, parse):
    assert short_answer(parse("深圳海关20条第十二条讲了什么？"), [clauses[AWARDS]]) is None
    # a percentage asked of a clause that states none: no phrase passed off as the answer
    assert short_answer(parse("出口信用保险的资助比例是百分之几？"), [clauses[INSURANCE]]) is None
    assert short_answer(parse("广东对外贸综合服务企业奖励多少钱？"), []) is None


def test_a_list_marker_is_not_a_figure(clauses, parse):
    # "（八）" heads the clause; the question asks for a count the clause states as 1－2家
    short = short_answer(parse("How many foreign-trade comprehensive service companies should each prefecture-level "
                               "city in Guangdong nurture?"), [clauses[AWARDS]])
    assert short == "支持和引导各地级以上市培育1－2家外贸综合服务企业"


@pytest.mark.parametrize("question", [
    "深圳定的2025年目标里，跨境电商进出口额和全市货物贸易进出口总额分别是多少？",
    "What overseas warehouse floor area does Shenzhen aim for by 2025?",
    "粤东西北的外综服企业2014年出口超10亿美元，除了500万扶持还有额外奖励吗？",
    "Is Shenzhen trying to land any of the world's top-100 trade shows?",
    "广东计划在什么时候之前把关检合作“三个一”通关模式推广到全省具备条件的口岸？",
])
def test_the_short_answer_is_always_verbatim_and_short(clauses, parse, question):
    cited = list(clauses.values())[::7]
    short = short_answer(parse(question), cited)
    assert short and any(short in c.text for c in cited) and len(short) <= MAX_SHORT


FINANCE = "sz-2024-foreign-trade-measures#6.21"   # 争取进出口银行在深授信企业数量翻一番，…
PLAN_TITLE = "sz-2022-cross-border-ecommerce#p3"  # 深圳市推动跨境电子商务高质量发展行动方案（2022-2025）


def test_an_open_question_gets_the_figure_of_the_phrase_it_matches(clauses, parse):
    # "什么样" asks no known kind of figure, but the phrase that answers states one (a doubling)
    short = short_answer(parse("进出口银行在深授信的企业，深圳打算让这个数量变成什么样？"), [clauses[FINANCE]])
    assert short == "争取进出口银行在深授信企业数量翻一番"


@pytest.mark.parametrize("question, clause_id", [
    ("深圳对外贸融资有哪些支持？", FINANCE),               # a list of measures, not one fact
    ("深圳跨境电商那个行动方案叫什么？", PLAN_TITLE),        # the years in a plan's name are not a fact asked for
])
def test_an_open_question_gets_no_short_answer_where_no_single_figure_answers(clauses, parse, question, clause_id):
    assert short_answer(parse(question), [clauses[clause_id]]) is None


CUSTOMS = "gd-2014-stabilize-trade#5.14"          # 广州、深圳、珠海等市…争取今年内获批开展国际贸易“单一窗口”试点


@pytest.mark.parametrize("question, clause_ids, short", [
    # "how soon" asks for a duration; the clause answers with a time ("今年内"): the neighbouring kind answers
    ("How soon did Guangdong want Guangzhou, Shenzhen and Zhuhai approved as international trade single window pilots?",
     [CUSTOMS], "争取今年内获批开展国际贸易“单一窗口”试点"),
    # an English amount is the question's condition as much as a Chinese one ("US$1 billion" is 超10亿美元)
    ("We are a Pearl River Delta trade-services firm exporting more than US$1 billion a year. How much would "
     "Guangdong reward us with?", [AWARDS], "给予500万元奖励"),
])
def test_a_figure_of_a_neighbouring_kind_and_english_conditions(clauses, parse, question, clause_ids, short):
    assert short_answer(parse(question), [clauses[c] for c in clause_ids]) == short


def test_a_widened_kind_never_answers_with_the_figure_the_question_states(clauses, parse):
    # asks for a year; the clause's only figure matching the question is the count the question itself gives
    assert short_answer(parse("深圳要新建2-3个跨境电商监管场所，计划哪年建成？"),
                        [clauses["sz-2022-cross-border-ecommerce#7.15"]]) is None
