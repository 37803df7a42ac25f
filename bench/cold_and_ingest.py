"""Cold-process `policyqa search` time and a full ingest from scratch, as the user runs them.

    .venv/bin/python bench/cold_and_ingest.py [--runs 3]

Each figure is wall-clock time of a fresh `policyqa` process (interpreter start, imports,
model and index loading included). The ingest goes to a temporary index folder.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICYQA = str(Path(sys.executable).parent / "policyqa")


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ingest, search = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            ingest.append(timed([POLICYQA, "ingest", "--index-dir", tmp]))
            search.append(timed([POLICYQA, "search", "广东省出口退税审批要多少个工作日？", "--index-dir", tmp]))
    print(f"full ingest from scratch: median {statistics.median(ingest):.2f} s (runs: {', '.join(f'{x:.2f}' for x in ingest)})")
    print(f"cold `policyqa search`:   median {statistics.median(search):.2f} s (runs: {', '.join(f'{x:.2f}' for x in search)})")


if __name__ == "__main__":
    main()
