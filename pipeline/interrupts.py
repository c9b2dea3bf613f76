"""SIGINT and SIGTERM as one line and a documented exit code, never a traceback.

During a run the two signals raise Interrupted, which unwinds through the stages (and
through `except Exception` in the PDF libraries, being a BaseException), removes any
temporary folder and leaves `--out` as it was. While a finished dataset is being swapped
in, they are held back until the swap is done, and the message says it was written.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.name = signal.Signals(signum).name


class Interrupts:
    """Context manager: SIGINT/SIGTERM raise Interrupted inside it (main thread only)."""

    def __init__(self) -> None:
        self._previous: dict[int, object] = {}
        self._deferring = False
        self._pending: int | None = None

    def _handle(self, signum: int, frame) -> None:
        if self._deferring:
            self._pending = self._pending or signum
        else:
            raise Interrupted(signum)

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            for signum in SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Hold the signals back inside; `pending` then names the first that came."""
        self._deferring = True
        try:
            yield
        finally:
            self._deferring = False

    @property
    def pending(self) -> Interrupted | None:
        return Interrupted(self._pending) if self._pending is not None else None
