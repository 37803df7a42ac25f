"""The verifier's claim checks on a real clause: agencies and negations a generated sentence adds."""

from __future__ import annotations

from ingest.pipeline import parse_document
from tests.conftest import CORPUS

from app.claims import flipped_negations, unbacked_agencies

# （十八）加快出口退税进度。对申报单证齐全真实、…且审核无发现骗税疑点的出口业务，在20个工作日内完成退（免）税审批手续，
# …全面推行出口退税网上申报，…（省国税局，省财政厅负责）
CLAUSE = next(c for c in parse_document(CORPUS / "gd-2014-stabilize-trade.txt").clauses if c.label == "（十八）")


def test_an_agency_the_clause_names_is_backed_with_or_without_its_place():
    assert unbacked_agencies("由省国税局和省财政厅负责", [CLAUSE.text]) == []
    assert unbacked_agencies("国税局负责审批", [CLAUSE.text]) == []


def test_an_agency_the_clause_does_not_name_is_caught():
    assert unbacked_agencies("由省商务厅负责审批", [CLAUSE.text]) == ["省商务厅"]
    assert unbacked_agencies("海关总署会同省财政厅办理", [CLAUSE.text]) == ["海关总署"]


def test_english_agencies_are_checked_against_the_translation():
    assert CLAUSE.text_en is None  # the parsed document alone has no translation: give one
    english = ["(Guangdong Provincial Office of the State Administration of Taxation and the Provincial "
               "Department of Finance are responsible)"]
    assert unbacked_agencies("The Provincial Department of Finance is responsible", [CLAUSE.text], english) == []
    assert unbacked_agencies("The Ministry of Commerce approves it", [CLAUSE.text], english) == ["Ministry of Commerce"]


def test_a_faithful_sentence_has_no_flipped_negation():
    sentence = "对审核无发现骗税疑点的出口业务，在20个工作日内完成退（免）税审批手续"
    assert flipped_negations(sentence, [CLAUSE.text]) == []


def test_denying_what_the_clause_states_is_caught():
    assert flipped_negations("出口退税不需要网上申报", [CLAUSE.text]) == ["不需要网上"]


def test_stating_what_the_clause_only_negates_is_caught():
    assert flipped_negations("审核发现骗税疑点的业务也在20个工作日内退税", [CLAUSE.text]) == ["发现"]


def test_english_negation_needs_a_negation_in_the_translation():
    english = ["Accelerate export tax refunds: complete approval within 20 working days."]
    assert flipped_negations("Refunds are not approved within 20 working days", [CLAUSE.text], english) == ["not"]
    assert flipped_negations("Refunds are approved within 20 working days", [CLAUSE.text], english) == []
