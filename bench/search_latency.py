"""Warm search latency over the gold questions, against the floor of embedding the question alone.

    .venv/bin/python bench/search_latency.py [--index-dir index] [--repeat 3]

Prints p50/p95 of a full hybrid search, p50/p95 of `embed_query` alone (the floor), and their
ratio. Uses the built index (run `policyqa ingest` first).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from app.service import PolicyQA  # noqa: E402
from app.settings import Settings  # noqa: E402
from eval.gold import load_gold  # noqa: E402
from eval.metrics import percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    settings = Settings() if args.index_dir is None else Settings(index_dir=args.index_dir)
    qa = PolicyQA(settings)
    questions = [q.question for q in load_gold()]
    searcher = qa.searcher
    searcher.search("warm-up 出口退税", k=args.k)
    search_ms, floor_ms = [], []
    for _ in range(args.repeat):
        for q in questions:
            t = time.perf_counter()
            qa.embedder.embed_query(q)
            floor_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            searcher.search(q, k=args.k)
            search_ms.append((time.perf_counter() - t) * 1000)
    p50, p95 = percentile(search_ms, 50), percentile(search_ms, 95)
    f50, f95 = percentile(floor_ms, 50), percentile(floor_ms, 95)
    print(f"questions: {len(questions)} x {args.repeat} runs, clauses: {len(qa.index.clauses)}, model: {qa.index.model}")
    print(f"search   p50 {p50:.1f} ms  p95 {p95:.1f} ms  mean {statistics.mean(search_ms):.1f} ms")
    print(f"floor    p50 {f50:.1f} ms  p95 {f95:.1f} ms  (embedding the question alone)")
    print(f"ratio    p50 {p50 / f50:.1f}x  p95 {p95 / f95:.1f}x")


if __name__ == "__main__":
    main()
