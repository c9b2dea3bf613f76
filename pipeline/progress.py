"""A progress bar for batches on stderr: files done of all, pages and findings so far, the
file that last finished. Only where stderr is a terminal, and not with --quiet: a log or
a pipe gets the summary at the end, not a bar's redraws."""

from __future__ import annotations

import sys
from types import TracebackType

import click


class Progress:
    def __init__(self, total: int, enabled: bool) -> None:
        self.pages = self.findings = 0
        self._bar = None
        if enabled and total > 1 and sys.stderr.isatty():
            self._bar = click.progressbar(
                length=total, label="reading", file=sys.stderr, item_show_func=lambda text: text, show_pos=True
            )

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.__enter__()
        return self

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, exc, tb)

    def done(self, result: tuple) -> None:
        """One file finished (its InputRecord first)."""
        record = result[0]
        self.pages += record.pages or 0
        self.findings += record.findings
        if self._bar is not None:
            self._bar.update(1, f"{self.pages} pages, {self.findings} findings; {record.path}")
