"""Progress reporting for long work (parsing, embedding), shown on stderr by the CLI."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def task(self, description: str, total: int) -> object: ...

    def advance(self, task: object, amount: int = 1) -> None: ...


class NullProgress:
    """Reports nothing: for the library, tests and the server."""

    def task(self, description: str, total: int) -> object:
        return description

    def advance(self, task: object, amount: int = 1) -> None:
        return None


class RichProgress:
    """A rich progress bar on stderr; use as a context manager."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as _Progress, TextColumn, TimeElapsedColumn

        self._progress = _Progress(TextColumn("{task.description:>14}"), BarColumn(), MofNCompleteColumn(),
                                   TimeElapsedColumn(), console=Console(stderr=True), transient=False)

    def __enter__(self) -> "RichProgress":
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def task(self, description: str, total: int) -> object:
        return self._progress.add_task(description, total=max(total, 0))

    def advance(self, task: object, amount: int = 1) -> None:
        self._progress.advance(task, amount)  # type: ignore[arg-type]
