"""The article figure of issue 10 on real statutes nobody on the team wrote: the 40 LawRefBook law files of the
STARD development set (../shared/external/stard-dev). The measurement itself is bench/parser_articles.py."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("parser_articles", ROOT / "bench" / "parser_articles.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench  # its dataclasses look their module up there
_spec.loader.exec_module(bench)  # type: ignore[union-attr]

STARD = bench.default_stard_dir()
pytestmark = pytest.mark.skipif(STARD is None, reason="the STARD development set (../shared/external/stard-dev) "
                                                      "is not next to this checkout")


def test_the_ground_truth_finds_every_article_of_the_set():
    articles = [a for f in sorted((STARD / "docs").glob("*.md")) for a in bench.ground_truth(f)]
    assert len(articles) == 4654  # the set's README: 4,654 articles (第X条, including 第X条之Y)
    assert sum("之" in a.label for a in articles) >= 53  # 刑法 alone has 53 inserted articles


def test_at_least_995_per_mille_of_articles_are_one_whole_clause_labelled_as_printed():
    result = bench.measure(STARD)
    assert result.articles == 4654
    assert result.share >= 0.995, "\n".join(result.failures[:20])
    # every evidence quote lies in the clause of its article, in its law
    assert result.evidence_ok == result.evidence, "\n".join(result.evidence_failures[:20])
