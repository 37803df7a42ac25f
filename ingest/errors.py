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


class EmptyCorpusError(PolicyQAError):
    """No document of the corpus could be read; the last good index stays in place."""
