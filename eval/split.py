"""Assign the train/test split of gold questions once, stratified by language and kind.

    assign_splits(questions)  -> {"zhu-001": "train", "zhu-002": "test", …}

A question keeps the split it has; only questions without one are assigned. Within each
stratum (language × the question's most specific kind, e.g. ("en", "absent-figure")) the
questions are ordered by a hash of their id and every n-th goes to test so that about
40 % of each stratum is test. The order does not depend on the other questions' text,
so adding questions never moves an existing one.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

from .gold import UNANSWERABLE_KINDS, GoldQuestion

TEST_SHARE = 0.4

# most specific first: a question's stratum is the first of these among its tags
STRATA = (*UNANSWERABLE_KINDS, "unanswerable", "followup", "traditional", "typo", "scenario", "lookup", "metadata",
          "multi", "vocab", "colloquial", "responsible", "numeric", "paraphrase")


def stratum(q: GoldQuestion) -> tuple[str, str]:
    return q.lang, next((s for s in STRATA if s in q.tags), "other")


def _order(question_id: str) -> str:
    return hashlib.sha256(question_id.encode()).hexdigest()


def assign_splits(questions: list[GoldQuestion], *, test_share: float = TEST_SHARE) -> dict[str, str]:
    """Splits for every question: the existing one, else assigned within its stratum."""
    out = {q.id: q.split.value for q in questions if q.split is not None}
    groups: dict[tuple[str, str], list[GoldQuestion]] = defaultdict(list)
    for q in questions:
        groups[stratum(q)].append(q)
    for members in groups.values():
        assigned = [q for q in members if q.split is not None]
        n_test = sum(1 for q in assigned if q.split.value == "test")
        n = len(assigned)
        for q in sorted((q for q in members if q.split is None), key=lambda q: _order(q.id)):
            n += 1
            # keep the stratum's running share of test at test_share
            is_test = n_test < round(n * test_share)
            n_test += is_test
            out[q.id] = "test" if is_test else "train"
    return out


def write_splits(path: Path, splits: dict[str, str]) -> int:
    """Add the split field to every line of a gold file that lacks one; returns how many lines changed.

    The file is rewritten atomically, every other field kept as it was.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    changed, out = 0, []
    for raw in lines:
        if not raw.strip():
            continue
        item = json.loads(raw)
        if "split" not in item and item.get("id") in splits:
            item["split"] = splits[item["id"]]
            changed += 1
        out.append(json.dumps(item, ensure_ascii=False))
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(out) + "\n", encoding="utf-8")
    tmp.replace(path)
    return changed
