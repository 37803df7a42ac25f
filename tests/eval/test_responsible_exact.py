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
