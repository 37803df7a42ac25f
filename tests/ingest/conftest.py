"""The five seed documents, parsed once per session: with the corpus manifest, and from their text alone."""

from __future__ import annotations

import pytest

from ingest.manifest import Manifest, load_manifest
from ingest.model import ParsedDocument
from ingest.pipeline import parse_document
from tests.conftest import CORPUS, SEED_IDS


@pytest.fixture(scope="session")
def manifest() -> Manifest:
    return load_manifest(CORPUS / "manifest.toml")


@pytest.fixture(scope="session")
def seeds(manifest) -> dict[str, ParsedDocument]:
    """doc id -> the seed parsed with the corpus manifest (as `policyqa ingest` does)."""
    return {doc_id: parse_document(CORPUS / f"{doc_id}.txt", manifest) for doc_id in SEED_IDS}


@pytest.fixture(scope="session")
def seeds_text_only() -> dict[str, ParsedDocument]:
    """doc id -> the seed parsed without any manifest: only what its text states."""
    return {doc_id: parse_document(CORPUS / f"{doc_id}.txt") for doc_id in SEED_IDS}
