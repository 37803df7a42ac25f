"""One Query per question: script folding, lookups in every form, glossary and alias expansion."""

import pytest

from retrieval.aliases import Aliases
from retrieval.query import QueryParser, validate_question
from retrieval.resources import Resources
from ingest.errors import InvalidQueryError
from tests.conftest import CORPUS

ALIASES = Aliases.load(CORPUS / "resources" / "aliases.tsv")


@pytest.fixture(scope="module")
def parser():
    resources = Resources.in_folder(CORPUS / "resources")
    return QueryParser(tokenizer=resources.tokenizer(), glossary=resources.glossary, aliases=resources.aliases)


def test_traditional_and_simplified_questions_are_the_same_query(parser):
    trad = parser.parse("深圳海關對跨境電商出口退稅有甚麼支持？")
    simp = parser.parse("深圳海关对跨境电商出口退税有甚么支持？")
    assert trad.script == "traditional" and simp.script == "simplified"
    assert trad.terms == simp.terms and trad.folded == simp.folded


@pytest.mark.parametrize("question, value, bracketed", [
    ("海關20條第十二條講咗咩？", 12, False),
    ("深圳海关20条的第十六条是什么？", 16, False),
    ("第（九）条讲了什么", 9, True),
    ("稳增长那个文件第（十八）项", 18, True),
    ("措施14是什么", 14, False),
    ("What does article 16 of the customs 20 measures say?", 16, False),
    ("measure #14 of the Shenzhen plan", 14, False),
    ("item (9) of the Guangdong plan", 9, True),
])
def test_clause_references_in_many_forms(parser, question, value, bracketed):
    ref = parser.parse(question).reference
    assert ref is not None and (ref.value, ref.bracketed) == (value, bracketed)


def test_english_questions_expand_through_the_glossary(parser):
    q = parser.parse("How fast are export tax refunds approved in Guangdong?")
    assert q.language == "en" and "出口退税" in q.expansions
    assert q.places == {"广东"} and q.asked == "days"


def test_validation_is_done_once_with_clear_errors():
    with pytest.raises(InvalidQueryError, match="the question is empty"):
        validate_question("   ")
    with pytest.raises(InvalidQueryError, match="the limit is 2000"):
        validate_question("问" * 2001)
    assert validate_question("  出口\n退税  ") == "出口 退税"
    # invisible characters (NUL, zero-width space, bidi override, BOM) would split the words they sit in
    assert validate_question("\u202e出口\x00退\u200b税\ufeff多少天") == "出口退税多少天"
    with pytest.raises(InvalidQueryError, match="the question is empty"):
        validate_question("\u200b\x00")
    for symbols in ("？？？！！", "🚢🚢", "…"):
        with pytest.raises(InvalidQueryError, match=f"the question '{symbols}' has no words"):
            validate_question(symbols)
    assert validate_question("AEO?") == "AEO?" and validate_question("12") == "12"


# every alias of the curated list reaches the name the documents use, and back
@pytest.mark.parametrize("group", ALIASES.groups, ids=[g[0] for g in ALIASES.groups])
def test_each_alias_reaches_its_other_names(group):
    for name in group:
        others = ALIASES.others(f"请问{name}有什么支持？")
        assert set(group) - {name} <= set(others) | {n for n in group if n in name or name in n}, (name, others)


def test_aliases_match_across_scripts_and_widths():
    assert "中国（深圳）国际高新技术成果交易会" in ALIASES.others("高交會有補貼嗎")
    assert "经认证的经营者" in ALIASES.others("ＡＥＯ认证怎么办")


def test_the_query_carries_the_learned_intents_and_the_patterns(parser):
    # "still in effect" is none of retrieval.asked's wordings; "还有效" is one
    assert "in_force" in parser.parse("Is this document still in effect?").intents
    assert "in_force" in parser.parse("这个方案现在还有效吗？").intents
    assert parser.parse("出口退税审批要几个工作日？").intents == frozenset()
