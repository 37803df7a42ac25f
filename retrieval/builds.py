"""The index folder: builds written aside, then published by an atomic pointer swap.

    index/
      CURRENT                 -> "20261122T210501-3f2a"   (replaced atomically with os.replace)
      builds/20261122T210501-3f2a/{corpus.sqlite, dense.faiss, lexical_zh/, lexical_en/}
      feedback.sqlite          user feedback, kept across builds

A failed or interrupted ingest leaves CURRENT, and so the last good build, untouched.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from ingest.errors import IndexNotFoundError, PolicyQAError

KEEP_BUILDS = 2  # the current one and its predecessor (a running server may still read it)


class IndexDir:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.builds = root / "builds"
        self.pointer = root / "CURRENT"

    def current(self) -> Path | None:
        """The published build, or None when nothing was ever built."""
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        build = self.builds / name
        return build if build.is_dir() else None

    def require_current(self) -> Path:
        build = self.current()
        if build is None:
            raise IndexNotFoundError(
                f"no index in {self.root}: run `policyqa ingest` first (or pass --index-dir to an existing index)")
        return build

    @contextmanager
    def lock(self):
        """One ingest at a time per index folder."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise PolicyQAError(f"another ingest is writing {self.root}; wait for it to finish") from exc
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def new_build(self) -> Path:
        self.builds.mkdir(parents=True, exist_ok=True)
        path = self.builds / f".tmp-{uuid.uuid4().hex[:8]}"
        path.mkdir()
        return path

    def publish(self, tmp: Path) -> Path:
        """Move a finished build into place and point CURRENT at it, atomically."""
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:4]}"
        final = self.builds / name
        os.replace(tmp, final)
        staging = self.root / f".CURRENT.{uuid.uuid4().hex[:6]}"
        with open(staging, "w", encoding="utf-8") as f:
            f.write(name + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(staging, self.pointer)
        self._prune(keep=name)
        return final

    def discard(self, tmp: Path) -> None:
        shutil.rmtree(tmp, ignore_errors=True)

    def _prune(self, keep: str) -> None:
        builds = sorted((p for p in self.builds.iterdir() if p.is_dir()), key=lambda p: p.name)
        stale_tmp = [p for p in builds if p.name.startswith(".tmp-") and time.time() - p.stat().st_mtime > 3600]
        finished = [p for p in builds if not p.name.startswith(".")]
        for p in finished[:-KEEP_BUILDS] + stale_tmp:
            if p.name != keep:
                shutil.rmtree(p, ignore_errors=True)
