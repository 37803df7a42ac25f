"""The one table from PolicyQA's error types to HTTP statuses and CLI exit codes.

    outcome(IndexBusyError("another ingest is writing index"))  -> Outcome(http=503, exit=75, retry_after=5)
    outcome(UnknownIdError("unknown document id 'x'"))           -> Outcome(http=404, exit=1, retry_after=None)

The error types (ingest/errors.py) carry no status of their own; the API's exception handler and the
CLI both look them up here, most specific type first. Two conditions that arrive as foreign exceptions
are translated first (`translate`): a full disk (OSError ENOSPC, SQLite's "database or disk is full").
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass

from ingest.errors import (AdminDisabledError, AuthError, CorruptIndexError, CuratedDocumentError, DiskFullError,
                           DocumentTooLarge, DuplicateUpload, EmptyCorpusError, EncoderLoadError, IndexBusyError,
                           IndexNotFoundError, IngestFailedError, InvalidQueryError, ManifestError,
                           MissingDependencyError, ModelFileError, ModelMismatchError, ParseError, PolicyQAError,
                           ReadError, ResourceError, UnknownIdError, UnreadableUpload, UnsupportedUpload,
                           UploadRejected, UploadTooLarge)

BUSY_RETRY_AFTER = 5  # seconds: a typical incremental re-ingest of an upload


@dataclass(frozen=True, slots=True)
class Outcome:
    http: int
    exit: int                 # 1 = failed (as before), 74 = the disk (EX_IOERR), 75 = retry later (EX_TEMPFAIL)
    retry_after: int | None = None


# most specific first: the first row whose type the error is an instance of wins
TABLE: tuple[tuple[type[BaseException], Outcome], ...] = (
    (InvalidQueryError, Outcome(400, 1)),
    (UnknownIdError, Outcome(404, 1)),
    (AuthError, Outcome(401, 1)),
    (AdminDisabledError, Outcome(403, 1)),
    (CuratedDocumentError, Outcome(409, 1)),
    (UploadTooLarge, Outcome(413, 1)),
    (UnsupportedUpload, Outcome(415, 1)),
    (DuplicateUpload, Outcome(409, 1)),
    (UnreadableUpload, Outcome(422, 1)),
    (UploadRejected, Outcome(422, 1)),
    (DocumentTooLarge, Outcome(413, 1)),
    (IndexBusyError, Outcome(503, 75, BUSY_RETRY_AFTER)),
    (IndexNotFoundError, Outcome(503, 1)),
    (CorruptIndexError, Outcome(503, 1)),
    (ModelMismatchError, Outcome(503, 1)),
    (DiskFullError, Outcome(507, 74)),
    (EmptyCorpusError, Outcome(422, 1)),
    (ReadError, Outcome(422, 1)),
    (ParseError, Outcome(422, 1)),
    (ManifestError, Outcome(422, 1)),
    (ResourceError, Outcome(422, 1)),
    (ModelFileError, Outcome(503, 1)),
    (EncoderLoadError, Outcome(503, 1)),
    (IngestFailedError, Outcome(503, 1)),  # the last good index serves on; try the ingest again
    (MissingDependencyError, Outcome(503, 1)),
    (PolicyQAError, Outcome(500, 1)),
)
UNEXPECTED = Outcome(500, 1)


def outcome(exc: BaseException) -> Outcome:
    for kind, result in TABLE:
        if isinstance(exc, kind):
            return result
    return UNEXPECTED


def translate(exc: BaseException) -> BaseException:
    """A full disk, however it surfaces, becomes one DiskFullError sentence; anything else is returned as is."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        where = f" while writing {exc.filename}" if exc.filename else ""
        return DiskFullError(f"the disk is full{where}; free some space and run `policyqa ingest` again "
                             "(the last good index is still in place)")
    if (isinstance(exc, sqlite3.OperationalError) and "disk is full" in str(exc)) or (
            not isinstance(exc, PolicyQAError) and "No space left on device" in str(exc)):
        return DiskFullError("the disk is full (the index could not be written); free some space and "
                             "run `policyqa ingest` again (the last good index is still in place)")
    return exc
