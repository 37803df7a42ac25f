import pytest

from app.answer_types import required_type, states, years


@pytest.mark.parametrize("question, kind", [
    ("Within how many working days does Guangdong approve export tax refunds?", "days"),
    ("广东省出口退税审批要在多少个工作日内完成？", "days"),
    ("On what date did Shenzhen Customs issue its 20 measures?", "date"),
    ("深圳跨境电商综合试验区是哪一年获批的？", "date"),
    ("What anti-dumping duty rates does the EU apply?", "percent"),
    ("锂电池出口退税率是多少？", "percent"),
    ("How many yuan has Shenzhen budgeted?", "money"),
    ("展位费补贴标准是多少？", "money"),
    ("“湾区号”中欧班列每周开行多少列？", "count"),
    ("Which agencies are responsible for measure (14)?", None),
])
def test_required_type(question, kind):
    assert required_type(question) == kind


def test_states():
    assert states("days", "在20个工作日内完成退（免）税审批手续")
    assert not states("percent", "对企业投保出口信用保险给予资助，提高资助比例")
    assert states("percent", "确保完成全年外贸进出口增长2.4%的目标任务")
    assert states("money", "给予500万元奖励") and not states("money", "给予一定政策支持")
    assert states("date", "2014年5月23日") and not states("date", "加快专项资金受理")
    assert states("count", "认定10个重点培育的进口商品交易中心")


def test_years_expand_ranges():
    assert years("深圳市推动跨境电子商务高质量发展行动方案（2022-2025）") == {2022, 2023, 2024, 2025}
    assert years("2023年深圳货物贸易进出口总额") == {2023}
    assert years("第116届广交会") == set()
