"""The one settings object, read from POLICYQA_* environment variables at the edges (CLI, server).

    POLICYQA_INDEX_DIR=/srv/policyqa/index POLICYQA_EMBEDDING_MODEL=BAAI/bge-m3 policyqa search "出口退税"
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from retrieval.embedders import DEFAULT_CROSS_MODEL, DEFAULT_MODEL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYQA_", extra="ignore")

    corpus_dir: Path = Field(Path("corpus"), description="where documents, manifest, glossary and translations live")
    index_dir: Path = Field(Path("index"), description="where builds of the index are written and read")
    resources_dir: Path | None = Field(None, description="glossary and jieba dictionary; default: <corpus_dir>/resources")
    embedding_model: str = Field(DEFAULT_MODEL, description="'multilingual-e5-small' (bundled), 'use-multilingual-v3' "
                                 "(bundled) or a sentence-transformers name/path, e.g. BAAI/bge-m3")
    cross_model: str | None = Field(DEFAULT_CROSS_MODEL, description="encoder for English questions over Chinese "
                                    "clauses; 'none' to use only embedding_model")
    threads: int = Field(2, ge=1, description="CPU threads for the default embedder")
    k: int = Field(5, ge=1, le=50, description="clauses retrieved per question")
    hnsw_above: int = Field(20000, ge=1, description="above this many clauses FAISS uses HNSW instead of exact search")
    answer_threshold: float | None = Field(None, description="evidence threshold; default: the calibrated value")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint; generation is off when unset")
    llm_model: str | None = None
    llm_api_key: str | None = None
    admin_token: str | None = Field(None, description="enables document upload/delete when set")
    upload_max_bytes: int = Field(10_000_000, ge=1)
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)

    @property
    def model_names(self) -> dict[str, str]:
        """The encoders by role: {"primary": "multilingual-e5-small", "cross": "use-multilingual-v3"}."""
        cross = (self.cross_model or "").strip()
        if not cross or cross.lower() == "none" or cross == self.embedding_model:
            return {"primary": self.embedding_model}
        return {"primary": self.embedding_model, "cross": cross}

    @property
    def resources(self) -> Path:
        return self.resources_dir or self.corpus_dir / "resources"

    @property
    def uploads_dir(self) -> Path:
        return self.corpus_dir / "uploads"
