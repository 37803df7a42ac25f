"""A small grid over the ranker's parameters, judged only by out-of-fold figures (gold train split, STARD dev).

    python -m eval.ranker_grid /tmp/policyqa-ranker   (after `policyqa tune ranker … --cache /tmp/policyqa-ranker`)

Reads the cached ranking examples (never searches, never reads the test split) and prints one JSON line a
variant: gold-train OOF hit@1/recall@5/MRR per language and STARD OOF recall@1/recall@10/MRR.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

from .gold import load_gold, select_split
from .train import RANKER_PARAMS, ROUNDS, TrainingSet, _load_examples, out_of_fold_figures

STARD = Path("/work/shared/external/stard-dev/queries.jsonl")


def load_cached(cache_dir: Path, stard_gold: Path = STARD) -> list:
    gold = TrainingSet("gold-train", None, select_split(load_gold(None), "train"))
    stard = TrainingSet("stard-dev", None, load_gold([stard_gold]))
    return [_load_examples(ts, next(cache_dir.glob(f"ranker-examples-{ts.name}-*.json"))) for ts in (gold, stard)]


def summary(oof: dict) -> dict:
    g, s = oof["gold-train"], oof["stard-dev"]
    return {"gold_hit1": g["hit@1"], "gold_zh_hit1": g["zh"]["hit@1"], "gold_en_hit1": g["en"]["hit@1"],
            "gold_r5": g["recall@5"], "gold_mrr": g["mrr"],
            "stard_r1": s["recall@1"], "stard_r10": s["recall@10"], "stard_mrr": s["mrr"]}


GRID = {"num_leaves": [4, 7, 15], "min_data_in_leaf": [50, 20], "lr_rounds": [(0.05, 100), (0.05, 200)],
        "lambda_l2": [10.0], "feature_fraction": [0.5, 0.8]}
# after the first grid (more regularisation only lowered gold OOF), the larger side:
GRID_LARGER = {"num_leaves": [15, 31], "min_data_in_leaf": [20, 10], "lr_rounds": [(0.05, 400), (0.1, 200)],
               "lambda_l2": [1.0], "feature_fraction": [0.8]}


def main(cache_dir: Path, grid: dict = GRID) -> None:
    examples = load_cached(cache_dir)
    for leaves, mdl, (lr, rounds), l2, ff in itertools.product(*grid.values()):
        params = RANKER_PARAMS | {"num_leaves": leaves, "min_data_in_leaf": mdl, "learning_rate": lr,
                                  "lambda_l2": l2, "feature_fraction": ff}
        fig = summary(out_of_fold_figures(examples, params=params, rounds=rounds))
        print(json.dumps({"variant": [leaves, mdl, lr, rounds, l2, ff], **fig}), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/policyqa-ranker"),
         GRID_LARGER if "--larger" in sys.argv else GRID)
