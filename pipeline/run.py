"""The whole run, as the mission reads: read -> extract -> validate -> load.

One bad file never spoils a batch: its error becomes one line in the result and the
other files are processed as usual. Each file is processed under a time limit, and its
tables are checked against the schemas on their own, so that neither a hostile PDF nor a
bug that one document triggers can hold up or take down the rest.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import DatasetError, InputError, TimeLimitExceeded
from pipeline.extract import extract
from pipeline.load import to_frames
from pipeline.model import Extraction
from pipeline.read import PDF_SUFFIXES, TEXT_SUFFIXES, read_source
from pipeline.read.options import ReadOptions
from pipeline.validate.reconcile import reconcile
from pipeline.validate.schema import validate_frames

SUPPORTED = TEXT_SUFFIXES | PDF_SUFFIXES


@dataclass
class BatchResult:
    extractions: list[Extraction] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def collect_inputs(inputs: list[Path]) -> list[tuple[Path, str]]:
    """(path, doc_id) for every input; doc_id is the path relative to the folder given."""
    found: list[tuple[Path, str]] = []
    for item in inputs:
        if item.is_dir():
            for path in sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED):
                found.append((path, path.relative_to(item).as_posix()))
        else:
            found.append((item, item.name))
    return found


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in this thread after `seconds` (no limit when 0, or off the
    main thread where no alarm signal can be delivered)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def on_alarm(signum, frame):
        raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process(path: Path, doc_id: str, options: ReadOptions | None = None) -> Extraction:
    return reconcile(extract(read_source(path, doc_id, options)))


def run(inputs: list[Path], options: ReadOptions | None = None) -> BatchResult:
    options = options or ReadOptions()
    result = BatchResult()
    seen: set[str] = set()
    for path, doc_id in collect_inputs(inputs):
        if doc_id in seen:
            result.failures.append(f"{path}: another input already has the id '{doc_id}'")
            continue
        seen.add(doc_id)
        try:
            with time_limit(options.time_limit):
                extraction = process(path, doc_id, options)
                validate_frames(to_frames([extraction]))
            result.extractions.append(extraction)
        except InputError as exc:
            result.failures.append(str(exc))
        except TimeLimitExceeded as exc:
            result.failures.append(f"{doc_id}: not done within the time limit of {exc.seconds:g} s (--time-limit)")
        except DatasetError as exc:
            first = " ".join(str(exc).split())[:200]
            result.failures.append(f"{doc_id}: internal error, output fails the schemas ({first})")
        except Exception as exc:  # a bug must not take the batch down; it is reported as a failure
            result.failures.append(f"{doc_id}: internal error ({type(exc).__name__}: {exc})")
    return result
