"""An ingest in a child process, so that the serving process's event loop never shares the GIL with parsing.

    report = ingest_in_child(settings, [Path("corpus")])   -> IngestReport, as PolicyQA(settings).ingest() returns
    ingest_in_child(settings_with_a_busy_index)          -> raises IndexBusyError, as in-process

The child is started with "spawn" (forking a process that runs threads is unsafe), builds its own PolicyQA
from the same settings, and sends back the report or the PolicyQAError it raised through a multiprocessing
pipe (pickled in memory between our own two processes; nothing is read back from disk). The parent then
loads the published build itself (`PolicyQA.refresh`).
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from ingest.errors import IngestFailedError, PolicyQAError
from retrieval.indexer import IngestReport

from .errors_map import translate
from .service import PolicyQA
from .settings import Settings


def _child(settings: dict, paths: list[str] | None, conn) -> None:
    try:
        report = PolicyQA(Settings(**settings)).ingest([Path(p) for p in paths] if paths else None)
    except BaseException as exc:  # every outcome goes back to the parent, which decides what it means
        exc = translate(exc)
        if isinstance(exc, PolicyQAError):
            conn.send(("error", exc))
        else:
            conn.send(("crash", f"{type(exc).__name__}: {exc}"))
    else:
        conn.send(("ok", report))
    finally:
        conn.close()


def ingest_in_child(settings: Settings, paths: list[Path] | None = None, *, timeout: float = 3600) -> IngestReport:
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, daemon=True, name="policyqa-ingest",
                              args=(settings.model_dump(), [str(p) for p in paths] if paths else None, sender))
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            process.kill()
            raise IngestFailedError(f"the ingest did not finish within {timeout:.0f} s and was stopped")
        kind, value = receiver.recv()
    except EOFError:
        raise IngestFailedError(f"the ingest process died (exit code {process.exitcode}); see the server log; "
                            "the last good index is still in place") from None
    finally:
        receiver.close()
        process.join(30)
    if kind == "error":
        raise value
    if kind == "crash":
        raise IngestFailedError(f"the ingest failed ({value}); see the server log; the last good index is still in place")
    return value
