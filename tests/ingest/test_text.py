"""The one text toolkit: width and script folding, sentences, years."""

from ingest.text import fold, script, sentence_spans, sentences, squash, to_script, years


def test_squash_is_the_gold_matching_rule():
    assert squash("在 20 个\u3000工作日") == "在20个工作日"
    assert squash("（１）ＡＥＯ") == "(1)AEO"


def test_fold_makes_traditional_and_simplified_meet():
    assert fold("海關20條第十二條") == fold("海关20条第十二条") == "海关20条第十二条"
    assert fold("出口退稅補貼") == "出口退税补贴"
    assert fold("ＡＥＯ認證") == "aeo认证"


def test_script_detection():
    assert script("深圳海關有冇出口退稅補貼？") == "traditional"
    assert script("深圳海关有没有出口退税补贴？") == "simplified"
    assert script("How fast are refunds?") == "none"
    # a simplified question quoting one traditional name is still simplified
    assert script("请问深圳市推动外贸稳规模稳份额稳增长工作措施第十条的内容是什么呢，臺") == "simplified"


def test_to_script_converts_only_to_traditional():
    assert to_script("现有语料中没有能够回答这个问题的条款", "traditional") == "現有語料中沒有能夠回答這個問題的條款"
    assert to_script("现有语料", "simplified") == "现有语料"


def test_sentences_keep_terminators_and_cover_the_text():
    text = "一是加快退税。二是优化服务；三是简化流程\n第二段。"
    parts = sentences(text)
    assert parts == ["一是加快退税。", "二是优化服务；", "三是简化流程", "第二段。"]
    assert "".join(text[a:b] for a, b in sentence_spans(text)).replace("\n", "") == text.replace("\n", "")


def test_english_sentences_split_at_full_stops_not_decimals():
    assert sentences("Growth of 2.4% is the target. Refunds take 20 days.") == [
        "Growth of 2.4% is the target.", " Refunds take 20 days."]


def test_semicolons_end_list_items_only_when_asked():
    text = "一是加快退税；二是优化服务。三是简化流程"
    assert sentences(text, semicolons=False) == ["一是加快退税；二是优化服务。", "三是简化流程"]
    assert sentence_spans(text, semicolons=False) == [(0, 14), (14, 20)]
    # English "; " never ends a sentence (the reference translations use it inside sentences)
    assert sentences("Refunds are faster; audits are fewer. Next.") == ["Refunds are faster; audits are fewer.", " Next."]


def test_half_width_stops_typed_in_chinese_end_sentences_but_item_numbers_do_not():
    assert sentences("是否需要申报?需要;另外可以网上办理!办理时限5个工作日") == [
        "是否需要申报?", "需要;", "另外可以网上办理!", "办理时限5个工作日"]
    assert sentences("需要;另外", semicolons=False) == ["需要;另外"]
    assert sentences("1.加快退税进度。2.优化服务") == ["1.加快退税进度。", "2.优化服务"]


def test_years_expand_ranges():
    assert years("深圳市推动跨境电子商务高质量发展行动方案（2022-2025）") == {2022, 2023, 2024, 2025}
    assert years("2023年深圳货物贸易进出口总额") == {2023}
    assert years("第116届广交会") == set()
