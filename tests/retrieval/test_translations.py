"""English reference translations: complete, attached to real clauses, consistent with the glossary."""

import pytest

from ingest.corpus import attach_translations
from ingest.manifest import load_manifest
from ingest.model import Clause, ClauseKind, NumberingStyle
from ingest.pipeline import parse_document
from ingest.translations import Translations
from retrieval.glossary import Entry, Glossary
from retrieval.translation_check import check, segmenter_for
from tests.conftest import CORPUS, SEED_IDS


@pytest.fixture(scope="module")
def corpus_clauses():
    manifest = load_manifest(CORPUS / "manifest.toml")
    return [c for doc_id in SEED_IDS for c in parse_document(CORPUS / f"{doc_id}.txt", manifest).clauses]


def test_every_clause_of_the_corpus_has_a_consistent_translation(corpus_clauses):
    translations = Translations.load(CORPUS / "translations")
    assert not translations.errors
    glossary = Glossary.load(CORPUS / "resources" / "glossary.tsv")
    assert len(glossary) >= 300
    problems = check(corpus_clauses, translations, glossary,
                     segmenter=segmenter_for(glossary, CORPUS / "resources" / "userdict.txt"))
    assert not problems, "\n".join(f"{p.clause_id}: {p.message}" for p in problems[:40])
    for doc_id in SEED_IDS:
        assert translations.title(doc_id)


def _clause(text: str, clause_id: str = "d#1", label: str = "1.") -> Clause:
    return Clause(clause_id=clause_id, doc_id="d", position=0, kind=ClauseKind.NUMBERED, label=label, number="1",
                  style=NumberingStyle.AR_DOT, path=(), text=text, start=0, end=len(text))


def test_check_reports_missing_orphan_mislabelled_and_inconsistent(tmp_path):
    (tmp_path / "d.toml").write_text(
        'doc_id = "d"\ntitle_en = "D"\n'
        '[[clause]]\nid = "d#1"\nlabel = "2."\nen = "1. Develop overseas storage."\n'
        '[[clause]]\nid = "d#9"\nlabel = "9."\nen = "Nothing."\n', encoding="utf-8")
    glossary = Glossary([Entry("海外仓", ("overseas warehouse",), "term")])
    clauses = [_clause("1.发展海外仓。"), _clause("2.其他。", "d#2", "2.")]
    messages = {(p.clause_id, p.message.split(" ")[0]) for p in check(clauses, Translations.load(tmp_path), glossary)}
    assert ("d#2", "no") in messages            # no translation
    assert ("d#9", "translation") in messages   # translation of a clause the corpus does not have
    assert ("d#1", "label") in messages         # label "2." but the clause is "1."
    assert ("d#1", "glossary") in messages      # 海外仓 rendered as "overseas storage"


def test_plural_and_case_still_count_as_the_glossary_rendering(tmp_path):
    (tmp_path / "d.toml").write_text('doc_id = "d"\ntitle_en = "D"\n[[clause]]\nid = "d#1"\nlabel = "1."\n'
                                     'en = "1. Build Overseas Warehouses."\n', encoding="utf-8")
    glossary = Glossary([Entry("海外仓", ("overseas warehouse",), "term")])
    assert check([_clause("1.建设海外仓。")], Translations.load(tmp_path), glossary) == []


def test_a_term_split_across_words_is_not_required():
    glossary = Glossary([Entry("进出口", ("import and export",), "term")])
    clause = _clause("1.积极争取改进出口退税负担机制。")
    segmenter = segmenter_for(glossary)
    from retrieval.translation_check import glossary_problems

    assert glossary_problems(clause, "1. Improve the export tax refund burden mechanism.", glossary, segmenter) == []
    assert glossary_problems(_clause("1.扩大进出口规模。"), "1. Expand trade.", glossary, segmenter)


def test_every_heading_path_of_the_corpus_has_its_english_translation():
    translations = Translations.load(CORPUS / "translations")
    doc = attach_translations(parse_document(CORPUS / "gd-2014-stabilize-trade.txt",
                                             load_manifest(CORPUS / "manifest.toml")), translations)
    c = next(c for c in doc.clauses if c.clause_id == "gd-2014-stabilize-trade#6.18")
    assert c.path == ("六、加大财税金融支持力度", "（十八）加快出口退税进度")
    assert len(c.path_en) == 2 and c.path_en[1].startswith("(18)")
    assert all(len(cl.path_en) == len(cl.path) for cl in doc.clauses)
    # a heading without a translation leaves the whole path untranslated, never half English
    assert translations.path("gd-2014-stabilize-trade", (c.path[0], "（九十九）不存在的标题")) == ()
    assert translations.path("no-such-doc", c.path) == ()
