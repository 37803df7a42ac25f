"""Responsible exactness: the units an answer states for a draft's task are the gold units, no more, no fewer."""

from app.answer import RowUnits
from eval.runner import _exact_units


def test_exact_units_of_the_quoting_row():
    row16 = RowUnits(None, ("市商务局", "市贸促委"), ("市商务局",))
    row17 = RowUnits(None, ("市市场监管局",), ())
    assert _exact_units([row16], ("市商务局", "市贸促委"))
    assert _exact_units([row16], ("深圳市商务局", "市贸促委"))       # a place prefix either way round
    assert not _exact_units([row16, row17], ("市商务局", "市贸促委"))  # over-broad: every row's units
    assert not _exact_units([row16], ("市商务局", "市贸促委", "市财政局"))
    assert not _exact_units([], ("市商务局",))


def test_a_who_leads_question_is_answered_by_the_marked_lead():
    row = RowUnits(None, ("市司法局", "各有关部门"), ("市司法局",))
    assert _exact_units([row], ("市司法局",))                 # "由哪个部门牵头？": the lead, marked
    assert _exact_units([row], ("市司法局", "各有关部门"))     # "谁牵头？" read as the row's units
    assert not _exact_units([RowUnits(None, ("市司法局",), ())], ("各有关部门",))
    unmarked = RowUnits(None, ("市商务局", "市贸促委"), ())
    assert not _exact_units([unmarked], ("市商务局",))        # no lead marked: all the units must match


def test_exactness_is_checked_on_every_evidence_item_that_lies_in_a_draft_task():
    from dataclasses import dataclass
    from pathlib import Path

    from app.answer import quoting_rows
    from eval.gold import Evidence, GoldQuestion
    from eval.runner import _evidence_checks
    from ingest.manifest import load_manifest
    from ingest.pipeline import parse_document

    corpus = Path(__file__).parents[2] / "corpus"
    doc = parse_document(corpus / "sz-trade-integration-draft.txt", load_manifest(corpus / "manifest.toml"))
    by_id = {c.clause_id: c for c in doc.clauses}
    task = by_id["sz-trade-integration-draft#2.1.1"]
    other = next(c for c in doc.clauses if not c.annex_rows and c.kind.value == "numbered")
    quote = "梳理修订妨碍内外贸一体化的地方性法规"
    rows = quoting_rows(quote, [by_id[r] for r in task.annex_rows])
    assert 1 <= len(rows) < len(task.annex_rows)  # the one row that quotes this task, not all three
    gold_units = tuple(u for r in rows for u in r.responsible)

    def units_of(clause, quote_text):
        return [RowUnits(r, r.responsible, r.lead) for r in quoting_rows(quote_text, [by_id[x] for x in clause.annex_rows])]

    @dataclass
    class Cited:
        clause: object
        document: object

    @dataclass
    class FakeAnswer:
        citations: tuple
        quotes: tuple

    q = GoldQuestion("q", "zh", "谁负责健全法规制度？", True, (Evidence("x", quote, responsible=gold_units),), ())
    right = FakeAnswer((Cited(task, doc.meta),), (quote,))
    wrong = FakeAnswer((Cited(other, doc.meta),), (other.text,))
    assert _evidence_checks(q, right, units_of, (task,)).exact == [True]
    assert _evidence_checks(q, wrong, units_of, (task,)).exact == [False]  # the task is not cited: not exact
    assert _evidence_checks(q, right, units_of, ()).exact == []           # not a task: nothing to check
