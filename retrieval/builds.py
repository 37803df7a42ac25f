"""The index folder: builds written aside, then published by an atomic pointer swap.

    index/
      CURRENT                 -> "20261122T210501-3f2a"   (replaced atomically with os.replace)
      builds/20261122T210501-3f2a/{corpus.sqlite, dense_zh.faiss, lexical_zh/, …, CHECKSUMS.json}
      feedback.sqlite          user feedback, kept across builds

A failed or interrupted ingest leaves CURRENT, and so the last good build, untouched. Publishing records
every file's length and sha256 (layout.CHECKSUMS); `verify` checks them before a build is served, and
`resolve` refuses a CURRENT that names anything but a build inside builds/ (file names: retrieval/layout.py).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from ingest.errors import CorruptIndexError, IndexBusyError, IndexNotFoundError

from . import layout

KEEP_BUILDS = 2  # the current one and its predecessor (a running server may still read it)


class IndexDir:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.builds = root / layout.BUILDS
        self.pointer = root / layout.POINTER

    def current(self) -> Path | None:
        """The published build, or None when nothing (usable as a pointer) was ever published."""
        try:
            return self.resolve()
        except (IndexNotFoundError, CorruptIndexError):
            return None

    def resolve(self) -> Path:
        """The build CURRENT names, checked to be a build folder inside builds/ (not verified: see `verify`)."""
        try:
            raw = self.pointer.read_bytes()
        except FileNotFoundError:
            raise IndexNotFoundError(
                f"no index in {self.root}: run `policyqa ingest` first (or pass --index-dir to an existing index)"
            ) from None
        except OSError as exc:
            raise CorruptIndexError(f"{self.pointer} cannot be read ({exc.strerror}); re-run `policyqa ingest`",
                                    path=str(self.pointer)) from None
        name = raw.decode("utf-8", "replace").strip()
        if not layout.BUILD_NAME.match(name):
            raise CorruptIndexError(f"{self.pointer} names {name[:80]!r}, which is not a build inside "
                                    f"{self.builds}; re-run `policyqa ingest` to publish a good build",
                                    path=str(self.pointer))
        build = self.builds / name
        if not build.is_dir() or build.is_symlink():
            raise CorruptIndexError(f"{self.pointer} names the build {name}, but {build} is missing; "
                                    "re-run `policyqa ingest`", path=str(build))
        return build

    def require_current(self) -> Path:
        return self.resolve()

    def last_good(self) -> Path | None:
        """The published build if it verifies, else None (an ingest then starts afresh instead of failing)."""
        build = self.current()
        if build is None:
            return None
        try:
            verify(build)
        except CorruptIndexError:
            return None
        return build

    def busy(self) -> bool:
        """Whether an ingest holds the lock right now (a hint for a quick 503; `lock` is the real guard)."""
        try:
            with self.lock():
                return False
        except IndexBusyError:
            return True

    @contextmanager
    def lock(self):
        """One ingest at a time per index folder."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise IndexBusyError(f"another ingest is writing {self.root}; wait for it to finish") from exc
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
        record_checksums(tmp)
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


def _files(build: Path) -> list[Path]:
    return sorted(p for p in build.rglob("*") if p.is_file() and p.name != layout.CHECKSUMS)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def record_checksums(build: Path) -> None:
    """Write CHECKSUMS.json: {"format": "1", "files": {"dense_zh.faiss": {"bytes": 98349, "sha256": "…"}, …}}."""
    files = {p.relative_to(build).as_posix(): {"bytes": p.stat().st_size, "sha256": _sha256(p)} for p in _files(build)}
    target = build / layout.CHECKSUMS
    with open(target, "w", encoding="utf-8") as f:
        json.dump({"format": layout.FORMAT_VERSION, "files": files}, f, indent=1, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())


def verify(build: Path) -> None:
    """Raise CorruptIndexError naming the first file that is missing, truncated or altered."""
    what = "re-run `policyqa ingest` to rebuild the index"
    manifest = build / layout.CHECKSUMS
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
        files = recorded["files"]
        fmt = recorded["format"]
    except FileNotFoundError:
        raise CorruptIndexError(f"{manifest} is missing (the build is incomplete or older than this version); "
                                f"{what}", path=str(manifest)) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise CorruptIndexError(f"{manifest} is unreadable; {what}", path=str(manifest)) from None
    if fmt != layout.FORMAT_VERSION:
        raise CorruptIndexError(f"{build} was written in index format {fmt}, this version reads format "
                                f"{layout.FORMAT_VERSION}; {what}", path=str(build))
    for rel, expected in sorted(files.items()):
        path = build / rel
        try:
            size = path.stat().st_size
        except OSError:
            raise CorruptIndexError(f"{path} is missing; {what}", path=str(path)) from None
        if size != expected["bytes"]:
            raise CorruptIndexError(f"{path} has {size} bytes, {expected['bytes']} were written (truncated or "
                                    f"altered); {what}", path=str(path))
        if _sha256(path) != expected["sha256"]:
            raise CorruptIndexError(f"{path} does not match the checksum recorded when it was written (corrupt); "
                                    f"{what}", path=str(path))


def database_intact(build: Path) -> bool:
    """Whether the build's database matches the checksum recorded at publish (whatever the format version)."""
    try:
        files = json.loads((build / layout.CHECKSUMS).read_text(encoding="utf-8"))["files"]
        expected = files[layout.DB_NAME]
        path = build / layout.DB_NAME
        return path.stat().st_size == expected["bytes"] and _sha256(path) == expected["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
