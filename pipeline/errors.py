"""Typed errors that carry where they happened; the CLI prints them as one line."""

from __future__ import annotations


class InputError(Exception):
    """An input file that cannot be read; the rest of the batch goes on."""

    def __init__(self, source: str, reason: str, *, page: int | None = None, line: int | None = None):
        super().__init__(reason)
        self.source = source
        self.reason = reason
        self.page = page
        self.line = line

    def __str__(self) -> str:
        where = ", ".join(
            f"{name} {value}" for name, value in (("page", self.page), ("line", self.line)) if value is not None
        )
        return f"{self.source}: {self.reason}" + (f" ({where})" if where else "")


class DatasetError(Exception):
    """A dataset that does not match its schemas or manifest; `problems` are one line
    each, starting with the file they are about."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or [message]
        super().__init__(message + "".join(f"\n  {p}" for p in problems or []))


class TimeLimitExceeded(BaseException):
    """A file took longer than the per-file time limit.

    A BaseException, so that the `except Exception` blocks inside PDF libraries cannot
    swallow it and keep a hostile file running.
    """

    def __init__(self, seconds: float):
        super().__init__(f"time limit of {seconds:g} s exceeded")
        self.seconds = seconds
