"""How cost grows: a synthetic corpus of the seeds repeated with variations, ingested and searched.

    .venv/bin/python bench/scale.py [--copies 100] [--keep DIR]

Each copy of a seed gets another city name, shifted figures and a tagged title, so no two
clauses are identical (identical clauses would share one embedding). Prints ingest time,
clause count, FAISS index kind and search p50/p95 over the gold questions.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from app.service import PolicyQA  # noqa: E402
from app.settings import Settings  # noqa: E402
from eval.gold import load_gold  # noqa: E402
from eval.metrics import percentile  # noqa: E402
from ingest.pipeline import discover  # noqa: E402
from retrieval.places import CITIES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def variant(text: str, copy: int) -> str:
    city = list(CITIES)[copy % len(CITIES)]
    text = text.replace("深圳", city) if copy else text
    text = re.sub(r"(?<![\d.])(\d{1,3})(?![\d.])", lambda m: str(int(m.group(1)) + copy), text) if copy else text
    return text


def make_corpus(folder: Path, copies: int) -> None:
    (folder / "resources").mkdir(parents=True)
    for name in ("glossary.tsv", "userdict.txt"):
        src = ROOT / "corpus" / "resources" / name
        if src.exists():
            (folder / "resources" / name).write_bytes(src.read_bytes())
    for path in discover([ROOT / "corpus"]).files:
        text = path.read_text(encoding="utf-8")
        for copy in range(copies):
            (folder / f"{path.stem}-v{copy:03d}.txt").write_text(variant(text, copy), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--keep", type=Path, default=None, help="build here instead of a temporary folder")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="policyqa-scale-"))
    corpus, index = base / "corpus", base / "index"
    make_corpus(corpus, args.copies)
    qa = PolicyQA(Settings(corpus_dir=corpus, index_dir=index))
    t = time.perf_counter()
    report = qa.ingest()
    ingest_s = time.perf_counter() - t
    searcher = qa.searcher
    questions = [q.question for q in load_gold()]
    searcher.search("warm-up", k=5)
    times = []
    for q in questions:
        t = time.perf_counter()
        searcher.search(q, k=5)
        times.append((time.perf_counter() - t) * 1000)
    print(f"copies: {args.copies}, documents: {len(report.documents)}, clauses: {report.clauses}, "
          f"dense index: {qa.index.dense.kind}")
    print(f"ingest from scratch: {ingest_s:.1f} s ({report.embedded} embedded)")
    print(f"search over {len(questions)} gold questions: p50 {percentile(times, 50):.1f} ms, "
          f"p95 {percentile(times, 95):.1f} ms")


if __name__ == "__main__":
    main()
