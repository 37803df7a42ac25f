"""The one settings object, read from POLICYQA_* environment variables at the edges (CLI, server).

    POLICYQA_INDEX_DIR=/srv/policyqa/index POLICYQA_EMBEDDING_MODEL=BAAI/bge-m3 policyqa search "出口退税"
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.bounds import Bounds
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
    # limits at the edge (README: Limits)
    max_body_bytes: int = Field(1_000_000, ge=1, description="request body limit of every route but uploads")
    rate_limit: str = Field("300/minute", description="API requests per client address (slowapi/limits syntax)")
    auth_fail_limit: str = Field("5/minute", description="failed admin authentications per client address")
    cors_origins: str = Field("", description="comma-separated origins allowed by CORS; none when empty")
    max_concurrent_questions: int = Field(2, ge=1, description="API questions computed at once; more wait their turn")
    jobs_max_queued: int = Field(10, ge=1, description="upload/delete jobs waiting at most; more get 503")
    ingest_isolated: bool = Field(True, description="run the server's upload/delete ingests in a child process")
    jobs_busy_wait: float = Field(30.0, ge=0, description="seconds a job waits for an index lock held elsewhere")
    # parsing bounds, for corpus files and uploads alike (ingest/bounds.py)
    docx_max_uncompressed_bytes: int = Field(100_000_000, ge=1)
    docx_max_ratio: float = Field(100.0, gt=1)
    docx_max_members: int = Field(10_000, ge=1)
    max_text_chars: int = Field(5_000_000, ge=1, description="extracted text per document")
    pdf_max_pages: int = Field(2_000, ge=1)
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

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    def bounds(self) -> Bounds:
        return Bounds(max_uncompressed_bytes=self.docx_max_uncompressed_bytes, max_ratio=self.docx_max_ratio,
                      max_members=self.docx_max_members, max_text_chars=self.max_text_chars,
                      max_pdf_pages=self.pdf_max_pages)
