"""Index-changing work (upload, delete, start-up reconciliation) as jobs run one at a time off the request path.

    jobs = JobQueue(max_queued=10)
    job = jobs.submit("upload", lambda: {"doc_id": "杭州-扶持办法"}, label="杭州-扶持办法.txt")
    jobs.get(job.id)  -> Job(id="3f2a…", kind="upload", state=JobState.RUNNING, …)
    jobs.wait(job.id, timeout=30).state  -> JobState.DONE, result={"doc_id": …}   (or FAILED with `reason`)

One daemon worker thread takes jobs in order, so two ingests never race for the index lock inside the
server and the event loop never runs one. A job that meets a lock held by another process (a CLI ingest)
retries (`retry_busy`) for `busy_wait` seconds before it fails with that reason.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TypeVar

from ingest.errors import IndexBusyError, PolicyQAError, UnknownIdError

from .errors_map import translate

log = logging.getLogger("policyqa.jobs")
T = TypeVar("T")


class JobState(str, Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Job:
    id: str
    kind: str                      # "upload" | "delete" | "reconcile"
    label: str                     # what it is about: a file name or a document id
    state: JobState = JobState.QUEUED
    reason: str | None = None      # why it failed
    result: dict = field(default_factory=dict)
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None

    def public(self) -> dict:
        return {"id": self.id, "kind": self.kind, "label": self.label, "state": self.state.value,
                "reason": self.reason, "result": self.result, "created": self.created, "started": self.started,
                "finished": self.finished}


class JobQueue:
    def __init__(self, *, max_queued: int = 10, keep: int = 500, busy_wait: float = 30.0,
                 scrub: Callable[[str], str] = str) -> None:
        self.max_queued = max_queued
        self.keep = keep
        self.busy_wait = busy_wait
        self._scrub = scrub
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._queue: queue.Queue[tuple[str, Callable[[], dict]] | None] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._worker = threading.Thread(target=self._run, daemon=True, name="policyqa-jobs")
        self._worker.start()

    # ---------- submitting and reading ----------
    def submit(self, kind: str, work: Callable[[], dict], *, label: str) -> Job:
        with self._lock:
            waiting = sum(1 for j in self._jobs.values() if j.state in (JobState.QUEUED, JobState.RUNNING))
            if waiting >= self.max_queued:
                raise IndexBusyError(f"{waiting} index jobs are already waiting; retry later "
                                     "(limit POLICYQA_JOBS_MAX_QUEUED)")
            job = Job(id=uuid.uuid4().hex[:12], kind=kind, label=label)
            self._jobs[job.id] = job
            while len(self._jobs) > self.keep:
                oldest = next(iter(self._jobs))
                if self._jobs[oldest].state in (JobState.QUEUED, JobState.RUNNING):
                    break
                self._jobs.pop(oldest)
            self._idle.clear()
        self._queue.put((job.id, work))
        return job

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise UnknownIdError(f"unknown job id {job_id!r}; it is returned by POST/DELETE /api/documents "
                                 f"(the last {self.keep} jobs are kept)")
        return job

    def working(self) -> bool:
        """Whether a job is queued or running (then the index lock may be our own worker's)."""
        return not self._idle.is_set()

    def active_labels(self) -> set[str]:
        with self._lock:
            return {j.label for j in self._jobs.values() if j.state in (JobState.QUEUED, JobState.RUNNING)}

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        """Block until the job has finished (for tests, benchmarks and the CLI), at most `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.get(job_id)
            if job.state in (JobState.DONE, JobState.FAILED):
                return job
            time.sleep(0.02)
        return self.get(job_id)

    def wait_idle(self, timeout: float = 60.0) -> bool:
        return self._idle.wait(timeout)

    def close(self) -> None:
        self._queue.put(None)

    # ---------- the worker ----------
    def _update(self, job_id: str, **changes) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job_id, work = item
            self._update(job_id, state=JobState.RUNNING, started=time.time())
            try:
                result = work()
            except Exception as exc:  # a job must end in a state, whatever it raised
                exc = translate(exc)
                if isinstance(exc, PolicyQAError):
                    reason = self._scrub(str(exc))
                else:
                    log.exception("job %s failed unexpectedly", job_id)
                    reason = f"internal error ({type(exc).__name__}); see the server log"
                self._update(job_id, state=JobState.FAILED, reason=reason, finished=time.time())
            else:
                self._update(job_id, state=JobState.DONE, result=result or {}, finished=time.time())
            with self._lock:
                if self._queue.empty() and not any(j.state in (JobState.QUEUED, JobState.RUNNING)
                                                   for j in self._jobs.values()):
                    self._idle.set()

    def retry_busy(self, step: Callable[[], T]) -> T:
        """Run one step of a job (an ingest), retrying while another process holds the index lock."""
        # at least a moment: a request's quick `busy()` probe may hold the lock just as a job starts
        deadline = time.monotonic() + max(self.busy_wait, 2.0)
        while True:
            try:
                return step()
            except IndexBusyError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.5)
