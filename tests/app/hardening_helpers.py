"""Shared pieces of the hardening tests: a small admin app over a copy of one corpus document, and waiting for its
jobs (the zip bomb and the build damage they use are in eval.fixtures, shared with the load benchmark)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from app.api import create_app
from app.service import PolicyQA
from app.settings import Settings
from eval.fixtures import poll_job
from tests.conftest import CORPUS, FakeEmbedder

TOKEN = "s3cret"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
DOC = "sz-customs-business-environment-20"
UPLOAD = ("杭州市跨境电商扶持办法\n\n一、对跨境电商企业建设海外仓给予每平方米50元补贴。（市商务局负责）\n\n"
          "二、对企业参加境外展会给予展位费50%补助。（市财政局负责）\n")


def small_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copytree(CORPUS / "resources", corpus / "resources")
    shutil.copy(CORPUS / f"{DOC}.txt", corpus)
    return corpus


def admin_settings(root: Path, **extra) -> Settings:
    values = dict(corpus_dir=root / "corpus", index_dir=root / "index", admin_token=TOKEN,
                  embedding_model="fake-embedder", upload_max_bytes=2_000_000, jobs_busy_wait=0.0,
                  ingest_isolated=False)  # the fake embedder lives in this process
    values.update(extra)
    return Settings(**values)


_TEMPLATE: dict[str, Path] = {}


def indexed_copy(root: Path) -> None:
    """root/corpus and root/index as after ingesting the small corpus (built once per session, then copied:
    each ingest costs seconds of jieba and parsing on a shared machine)."""
    if "root" not in _TEMPLATE or not _TEMPLATE["root"].exists():
        template = Path(tempfile.mkdtemp(prefix="policyqa-template-"))
        atexit.register(shutil.rmtree, template, ignore_errors=True)
        small_corpus(template)
        PolicyQA(admin_settings(template), embedder=FakeEmbedder()).ingest()
        _TEMPLATE["root"] = template
    shutil.copytree(_TEMPLATE["root"] / "corpus", root / "corpus")
    shutil.copytree(_TEMPLATE["root"] / "index", root / "index")


def admin_app(root: Path, **extra):
    """(app, qa) over root/corpus with one document indexed; the start-up reconciliation has finished."""
    if not (root / "corpus").exists():
        indexed_copy(root)
    settings = admin_settings(root, **extra)
    qa = PolicyQA(settings, embedder=FakeEmbedder())
    app = create_app(settings, qa=qa, with_ui=False)
    app.state.jobs.wait(app.state.reconcile_job.id, timeout=60)
    return app, qa


def finished_job(client, response, timeout: float = 60.0) -> dict:
    """Poll the job a 202 response names until it has finished (bounded)."""
    assert response.status_code == 202, response.text
    return poll_job(client, response.json()["status_url"], timeout)

