"""Cold-process `policyqa search` time and a full ingest from scratch, as the user runs them.

    .venv/bin/python bench/cold_and_ingest.py [--runs 3] [--laws ../shared/external/stard-dev/docs]

Each figure is wall-clock time of a fresh `policyqa` process (interpreter start, imports,
model and index loading included). The ingest goes to a temporary index folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICYQA = str(Path(sys.executable).parent / "policyqa")


def timed(cmd: list[str], corpus: Path | None = None) -> float:
    env = dict(os.environ, **({"POLICYQA_CORPUS_DIR": str(corpus)} if corpus else {}))
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, env=env)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    laws = ROOT.parent / "shared" / "external" / "stard-dev" / "docs"
    parser.add_argument("--laws", type=Path, default=laws if laws.is_dir() else None,
                        help="a second corpus to ingest from scratch (default: the STARD development laws, if present)")
    args = parser.parse_args()
    ingest, search = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            ingest.append(timed([POLICYQA, "ingest", "--index-dir", tmp]))
            search.append(timed([POLICYQA, "search", "广东省出口退税审批要多少个工作日？", "--index-dir", tmp]))
    print(f"full ingest from scratch: median {statistics.median(ingest):.2f} s (runs: {', '.join(f'{x:.2f}' for x in ingest)})")
    print(f"cold `policyqa search`:   median {statistics.median(search):.2f} s (runs: {', '.join(f'{x:.2f}' for x in search)})")
    if args.laws:
        with tempfile.TemporaryDirectory() as tmp:
            seconds = timed([POLICYQA, "ingest", "--index-dir", tmp], corpus=args.laws.resolve())
        files = sum(1 for p in args.laws.iterdir() if p.is_file())
        print(f"ingest of {args.laws} ({files} files) from scratch: {seconds:.2f} s")


if __name__ == "__main__":
    main()
