"""PolicyQA's own exception types, in one place.

The library raises these; only the edges (CLI, API) turn them into exit codes,
messages or HTTP errors. Every message names the bad value and what to do.
"""

from __future__ import annotations


class PolicyQAError(Exception):
    """Base class of every error PolicyQA raises on purpose."""


class ReadError(PolicyQAError):
    """A file could not be read or decoded: `ReadError("corpus/x.bin: not a text file ...")`."""


class ParseError(PolicyQAError):
    """A document was read but yields no usable text."""


class ManifestError(PolicyQAError):
    """The corpus manifest is malformed."""


class IndexNotFoundError(PolicyQAError):
    """No index has been built in the index folder yet."""


class ModelMismatchError(PolicyQAError):
    """The index was built with another embedding model than the one asked for."""


class UnknownIdError(PolicyQAError, KeyError):
    """A document or clause id that the index does not hold."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class InvalidQueryError(PolicyQAError, ValueError):
    """A question or filter the user gave is unusable (empty, too long, bad date ...)."""


class MissingDependencyError(PolicyQAError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""


# ---------- specific types: each expected condition has its own, so the edges never answer 500 for it ----------
# (app/errors_map.py maps each to an HTTP status and a CLI exit code; the types themselves carry neither.)


class DocumentTooLarge(ReadError):
    """A document exceeds a parsing bound (zip member size or ratio, extracted text, PDF pages):
    `DocumentTooLarge("x.docx: expands to 1.0 GB of XML; the limit is 100 MB (POLICYQA_DOCX_MAX_UNCOMPRESSED_BYTES)")`."""


class EmptyCorpusError(PolicyQAError):
    """An ingest found no readable document at all, so no build was published."""


class ResourceError(PolicyQAError):
    """A curated resource file beside the corpus is malformed (glossary.tsv, aliases.tsv, translations/*.toml):
    `ResourceError("corpus/resources/glossary.tsv:12: an entry needs both zh and en")`; fix the named line."""


class ModelFileError(PolicyQAError):
    """A learned model's data file (ranker, answerability) is unreadable or was fitted on other features than this
    version computes: retrain it with `policyqa tune …`, or reinstall the package's own."""


class EncoderLoadError(PolicyQAError):
    """A sentence-transformers model named in the settings cannot be loaded (not a local path nor in the cache)."""


class IngestFailedError(PolicyQAError):
    """An ingest run in a child process timed out, died or crashed; the last good index is still serving."""


class IndexBusyError(PolicyQAError):
    """Another ingest holds the index folder's lock; retry when it has finished."""


class CorruptIndexError(PolicyQAError):
    """A published build cannot be used: a file is missing, truncated, altered or unreadable, or CURRENT names
    something that is not a build inside the index folder. `path` names the offending file."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class DiskFullError(PolicyQAError):
    """Writing failed because the disk is full; the last good build is untouched."""


class UploadRejected(PolicyQAError):
    """An uploaded file is refused (the subclass says why)."""


class UploadTooLarge(UploadRejected):
    """The upload exceeds the size limit or a parsing bound."""


class UnsupportedUpload(UploadRejected):
    """The upload's name or file type is not accepted."""


class DuplicateUpload(UploadRejected):
    """A document of that name was already uploaded (or is being ingested)."""


class UnreadableUpload(UploadRejected):
    """The upload could be saved but not read or parsed into clauses."""


class CuratedDocumentError(PolicyQAError):
    """A delete asked for a document of the curated corpus, which is changed through its files, not the API."""


class AdminDisabledError(PolicyQAError):
    """Document administration is off because no admin token is configured."""


class AuthError(PolicyQAError):
    """A missing or wrong admin token."""


UploadError = UploadRejected  # the former name (kept importable)
