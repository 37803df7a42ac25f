"""Choose fusion weights and the answer threshold by measurement on the gold set.

    .venv/bin/python -m eval.tune weights     # grid over fusion weights per language: hit@1, MRR
    .venv/bin/python -m eval.tune threshold   # evidence threshold per language: refusal vs false refusal

Prints every candidate's figures and the best one; the chosen values are then written into
`SearchConfig` / `AnswerConfig` defaults by hand, with the figures in eval/README.md.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from dataclasses import replace

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from app.service import PolicyQA  # noqa: E402
from app.settings import Settings  # noqa: E402
from retrieval.searcher import SearchConfig, Weights  # noqa: E402

from .gold import load_gold, select_split  # noqa: E402
from .metrics import hit_at_k, mean, reciprocal_rank, relevance  # noqa: E402


def retrieval_figures(searcher, questions, k: int = 5) -> tuple[float, float, float]:
    hits1, hitsk, rr = [], [], []
    for q in questions:
        texts = [h.clause.text for h in searcher.search(q.question, k=k)]
        rel = relevance(texts, q.evidence)
        hits1.append(hit_at_k(rel, 1))
        hitsk.append(hit_at_k(rel, k))
        rr.append(reciprocal_rank(rel))
    return mean(hits1), mean(hitsk), mean(rr)


def tune_weights(qa: PolicyQA) -> None:
    gold = [q for q in select_split(load_gold(), "train") if q.answerable]
    base = qa.searcher.config
    grids = {
        "zh": [dict(dense=d, lexical=l) for d, l in itertools.product((0.25, 0.5, 1.0, 1.5), (0.5, 1.0, 1.5, 2.0))],
        "en": [dict(dense=d, lexical=l, dense_en=de, lexical_en=le)
               for d, l, de, le in itertools.product((0.5, 1.0), (0.0, 0.5, 1.0), (0.0, 0.5, 1.0), (0.0, 0.5, 1.0))],
    }
    only = os.environ.get("TUNE_LANG")
    for language, grid in grids.items():
        if only and language != only:
            continue
        questions = [q for q in gold if q.lang == language]
        results = []
        for rrf_k, unnumbered in itertools.product((10, 60), (1.0, 0.7)):
            for weights in grid:
                config = replace(base, rrf_k=rrf_k, **{language: Weights(**weights, unnumbered=unnumbered)})
                h1, hk, mrr = retrieval_figures(qa.searcher.with_config(config), questions)
                results.append((mrr, h1, hk, rrf_k, unnumbered, weights))
                print(f"{language} rrf_k={rrf_k} unnumbered={unnumbered} {weights}: hit@1 {h1:.3f} hit@5 {hk:.3f} "
                      f"MRR {mrr:.3f}", flush=True)
        best = max(results, key=lambda r: (r[0], r[1]))
        print(f"BEST {language}: rrf_k={best[3]} unnumbered_weight={best[4]} {best[5]} -> MRR {best[0]:.3f} "
              f"hit@1 {best[1]:.3f} hit@5 {best[2]:.3f}")


def tune_threshold(qa: PolicyQA) -> None:
    gold = select_split(load_gold(), "train")
    for language in ("zh", "en"):
        rows = []
        for q in (q for q in gold if q.lang == language):
            answer = qa.ask(q.question)
            rows.append((q.answerable, max(answer.evidence, default=0.0)))
        print(f"{language}: {len(rows)} questions")
        best = None
        for step in range(20, 95, 5):
            t = step / 100
            false_refusal = mean([s < t for a, s in rows if a]) or 0.0
            refusal = mean([s < t for a, s in rows if not a]) or 0.0
            balanced = (refusal + (1 - false_refusal)) / 2
            print(f"  threshold {t:.2f}: refusal on unanswerable {refusal:.3f}, false refusal {false_refusal:.3f}, "
                  f"balanced {balanced:.3f}")
            if best is None or balanced > best[0]:
                best = (balanced, t)
        print(f"BEST {language}: threshold {best[1]:.2f} (balanced accuracy {best[0]:.3f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["weights", "threshold"])
    args = parser.parse_args()
    qa = PolicyQA(Settings())
    if args.what == "weights":
        tune_weights(qa)
    else:
        tune_threshold(qa)
    return 0


if __name__ == "__main__":
    sys.exit(main())
