"""jieba's prefix dictionary, kept as a numpy file instead of jieba's marshal cache.

    PrefixDict.for_jieba(cache_dir=Path("~/.cache/policyqa")).install(jieba.Tokenizer())
        # the tokenizer is ready: tokenizer.FREQ == {"一": 217830, "一一": 1570, ..., "龟缩": 2}, 498,113 entries

jieba's own `initialize()` reads its prefix dictionary (every word of dict.txt with its count, and every prefix of a
word with count 0) from `jieba.cache` in the shared temporary folder with `marshal.load` on the open file. That
read goes object by object through the file and took 1.0 s of a 2.7 s cold `policyqa search`; the same 9 MB read
whole and decoded takes 0.25 s. No library keeps a str -> int table this large faster than a dict built from two
arrays, so this is a small hand-written cache:

    jieba-prefix-<digest>.npz   words: uint8 (UTF-8 of the words joined by "\n"), counts: int64, total: int64

It is named by a digest of the dictionary's bytes and jieba's version, so a changed dictionary is never read from a
stale file; it is loaded with `allow_pickle=False` (plain arrays, nothing executable, unlike a marshal file that
another user of /tmp could have planted) and written atomically. Without a usable cache folder jieba builds the
table its own way: slower, same tokens.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def default_cache_dir() -> Path | None:
    """Where per-user caches go by the XDG convention: $XDG_CACHE_HOME/policyqa, else ~/.cache/policyqa; None when
    there is no home folder to name (a service account without one), and a relative XDG_CACHE_HOME is ignored, as
    the convention says."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "policyqa"


@dataclass(frozen=True)
class PrefixDict:
    """Where the prefix dictionary of one jieba dictionary is cached; `install` fills a jieba.Tokenizer from it."""

    path: Path

    @classmethod
    def for_jieba(cls, tokenizer, cache_dir: Path) -> "PrefixDict":
        """The cache file of `tokenizer`'s main dictionary (jieba's default dict.txt unless it was given another)."""
        import jieba

        with tokenizer.get_dict_file() as f:
            digest = hashlib.sha256(f.read() + jieba.__version__.encode()).hexdigest()[:16]
        return cls(cache_dir / f"jieba-prefix-{digest}.npz")

    def install(self, tokenizer) -> None:
        """Give `tokenizer` its prefix dictionary: from the cache file if it is there and whole, else built by
        jieba (and then written to the cache for the next process)."""
        table = self._read()
        if table is None:
            tokenizer.initialize()
            self._write(tokenizer.FREQ, tokenizer.total)
            return
        tokenizer.FREQ, tokenizer.total = table
        tokenizer.initialized = True

    def _read(self) -> tuple[dict[str, int], int] | None:
        if not self.path.is_file():
            return None
        try:
            with np.load(self.path, allow_pickle=False) as data:
                words = data["words"].tobytes().decode("utf-8").split("\n")
                counts = data["counts"].tolist()
                total = int(data["total"])
        except (OSError, KeyError, ValueError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
            log.warning("ignoring the unreadable jieba cache %s (%s); rebuilding it", self.path, exc)
            return None
        if len(words) != len(counts):
            log.warning("ignoring the jieba cache %s: %d words but %d counts; rebuilding it",
                        self.path, len(words), len(counts))
            return None
        return dict(zip(words, counts)), total

    def _write(self, freq: dict[str, int], total: int) -> None:
        words = np.frombuffer("\n".join(freq).encode("utf-8"), dtype=np.uint8)
        counts = np.fromiter(freq.values(), dtype=np.int64, count=len(freq))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    np.savez(f, words=words, counts=counts, total=np.int64(total))
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:  # a read-only home: searching still works, each process just builds the table
            log.info("could not cache jieba's prefix dictionary in %s (%s)", self.path.parent, exc)
