"""The whole run, as the mission reads: read -> extract -> validate -> load.

One bad file never spoils a batch: its error becomes one line in the result and the
other files are processed as usual. Each file is processed under a time limit, and its
tables are checked against the schemas on their own, so that neither a hostile PDF nor a
bug that one document triggers can hold up or take down the rest.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field, replace
from importlib import metadata
from pathlib import Path

from pipeline import __version__
from pipeline.cache import Cache, entry_key
from pipeline.errors import InputError, TimeLimitExceeded
from pipeline.executors import BatchOptions, run_tasks
from pipeline.extract import extract
from pipeline.files import open_regular
from pipeline.model import Extraction
from pipeline.read import MB, PDF_SUFFIXES, TEXT_SUFFIXES, read_source
from pipeline.read.options import ReadOptions
from pipeline.safe_text import plain_cell
from pipeline.spool import Spool, checked, light
from pipeline.validate.cross_document import batch_checks, batch_text
from pipeline.validate.quality import quality
from pipeline.validate.reconcile import reconcile

SUPPORTED = TEXT_SUFFIXES | PDF_SUFFIXES
LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2", "pandas", "pandera")  # whose versions the manifest records
ALARM_REPEAT = 0.1  # seconds between repeats of a time-limit alarm that was not delivered


@dataclass
class InputRecord:
    """One input of a run, as the manifest lists it."""

    path: str  # the doc_id: path relative to the folder given, or the file name
    sha256: str | None
    format: str
    pages: int | None = None
    status: str = "ok"  # "ok" or the one-line error
    tables: int = 0
    rows: int = 0
    findings: int = 0
    warnings: list[str] = field(default_factory=list)  # parts of the input not read, and why
    quality: dict = field(default_factory=dict)  # validate.quality: checks by status, amount coverage


@dataclass
class BatchResult:
    extractions: list[Extraction] = field(default_factory=list)
    inputs: list[InputRecord] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        return [r.status for r in self.inputs if r.status != "ok"]

    @property
    def warnings(self) -> list[str]:
        return [f"{r.path}: {w}" for r in self.inputs for w in r.warnings]


FileResult = tuple[InputRecord, Extraction | None]


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

    # The alarm repeats until cancelled: an exception raised where Python cannot deliver it
    # (a gc callback, a __del__, a C callback) is printed and dropped, and a one-shot alarm
    # would then leave the file running with no limit at all.
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, ALARM_REPEAT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def for_the_batch(x: Extraction) -> Extraction:
    """Keep of the source only what the checks across the batch need (its headings and
    money sentences; its tables' money records are kept by reconcile), so a batch of hundreds of reports is held
    in little memory; the dataset is written from the tables, never from the blocks."""
    x.batch_text = batch_text(x.source.blocks)
    x.source = replace(x.source, blocks=())
    x.key_figures, x.printed = [], {}  # in the money records, and in the record's quality
    return x


def process(path: Path, doc_id: str, options: ReadOptions | None = None) -> Extraction:
    return reconcile(extract(read_source(path, doc_id, options)))


def _sha256(path: Path, options: ReadOptions) -> str | None:
    """The checksum of an input that failed, if it is a regular file within the size and
    time limits (a FIFO or /dev/zero by name must not hang or swamp the run here either)."""
    digest = hashlib.sha256()
    try:
        with time_limit(options.time_limit):
            fd = open_regular(path)
            with os.fdopen(fd, "rb") as f:
                if os.fstat(fd).st_size > options.max_mb * MB:
                    return None
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
    except (OSError, ValueError, TimeLimitExceeded):
        return None
    return digest.hexdigest()


def _format(path: Path) -> str:
    return "pdf" if path.suffix.lower() in PDF_SUFFIXES else "text"


def _record(path: Path, doc_id: str, options: ReadOptions) -> tuple[InputRecord, Extraction | None]:
    record = InputRecord(doc_id, None, _format(path))
    try:
        with time_limit(options.time_limit):
            extraction = process(path, doc_id, options)
    except InputError as exc:
        record.status = str(exc)
    except TimeLimitExceeded as exc:
        record.status = f"{doc_id}: not done within the time limit of {exc.seconds:g} s (--time-limit)"
    except Exception as exc:  # a bug must not take the batch down; it is reported as a failure
        record.status = f"{doc_id}: internal error ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})"
    else:
        record.sha256 = extraction.source.sha256
        record.pages = extraction.source.pages
        record.tables = len(extraction.tables)
        record.rows = sum(len(t.rows) for t in extraction.tables)
        record.findings = sum(1 for c in extraction.checks if c.status == "mismatch")
        record.warnings = list(extraction.source.warnings)
        record.quality = quality(extraction).as_dict()
        return record, for_the_batch(extraction)
    record.sha256 = _sha256(path, options)
    return record, None


def process_file(path: Path, doc_id: str, options: ReadOptions, cache_dir: Path | None = None) -> FileResult:
    """One file, start to finish: the function every executor runs. A reading found in the
    cache (same bytes, id, options and pipeline) is taken from it instead."""
    store, key = (Cache(cache_dir), None) if cache_dir else (None, None)
    if store is not None:
        sha = _sha256(path, options)
        key = entry_key(sha, doc_id, options) if sha else None
        hit = store.get(key) if key else None
        if _is_result(hit):
            return hit  # type: ignore[return-value]
    record, extraction = _record(path, doc_id, options)
    if store is not None and key and extraction is not None:
        with suppress(OSError):  # a cache that cannot be written is only no cache
            store.put(key, (record, extraction))
    return record, extraction


def _is_result(value: object) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], InputRecord)
        and isinstance(value[1], Extraction)
    )


def run(
    found: list[tuple[Path, str]],
    options: ReadOptions | None = None,
    batch: BatchOptions | None = None,
    done: Callable[[FileResult], None] | None = None,
    spool: Spool | None = None,
) -> BatchResult:
    """Process every (path, doc_id) that collect_inputs found; `batch` says where. With a
    `spool`, each finished document's rows go to it at once and `extractions` holds light
    views (spool.light) for the checks across the batch; without, whole extractions."""
    options = options or ReadOptions()
    result = BatchResult()
    seen: set[str] = set()
    tasks, slots = [], []
    for path, doc_id in found:
        if plain_cell(doc_id) in seen:  # ids are compared as the dataset writes them
            status = f"{path}: another input already has the id '{doc_id}'"
            slots.append(InputRecord(f"{doc_id} ({path})", _sha256(path, options), _format(path), status=status))
            continue
        seen.add(plain_cell(doc_id))
        slots.append(None)
        tasks.append((path, doc_id))
    finished = iter(run_tasks(process_file, tasks, options, batch or BatchOptions(), done))
    for slot in slots:
        record, extraction = (slot, None) if slot is not None else next(finished)
        result.inputs.append(record)
        if extraction is None:
            continue
        if spool is None:
            result.extractions.append(extraction)
            continue
        result.extractions.append(light(extraction))
        for doc_id, reason in spool.add(extraction):
            _fail(result, doc_id, reason)
    if spool is not None:
        for doc_id, reason in spool.flush():
            _fail(result, doc_id, reason)
    batch_checks(result.extractions)
    if spool is None:
        _drop_invalid(result)
    else:
        spool.add_across(result.extractions)
    across = {x.source.doc_id: sum(c.status == "mismatch" for c in x.checks) for x in result.extractions}
    for record in result.inputs:
        if record.path in across:
            # own findings were counted as the file finished; a light view holds only the rest
            record.findings = across[record.path] + (record.findings if spool is not None else 0)
    return result


def _fail(result: BatchResult, doc_id: str, reason: str) -> None:
    """A document whose output fails the schemas (a bug it trips): reported, not written."""
    records = {r.path: r for r in result.inputs}
    record = records[doc_id]
    failed = InputRecord(doc_id, record.sha256, record.format, pages=record.pages)
    failed.status = f"{doc_id}: internal error, output fails the schemas ({reason})"
    result.inputs[result.inputs.index(record)] = failed
    result.extractions = [x for x in result.extractions if x.source.doc_id != doc_id]


def _drop_invalid(result: BatchResult) -> None:
    """A batch held in memory: a document whose rows fail the schemas is reported, not written."""
    for doc_id, reason in checked(result.extractions)[2]:
        _fail(result, doc_id, reason)


def manifest(result: BatchResult, options: ReadOptions) -> dict:
    """What a dataset was made from and with: versions, options and every input's outcome.
    No timestamps and no password, so the same inputs give the same bytes."""
    return {
        "pipeline": __version__,
        "libraries": {name: _version(name) for name in LIBRARIES},
        "options": {**asdict(options), "password": options.password is not None},
        "inputs": [_listed(r) for r in sorted(result.inputs, key=lambda r: r.path)],
    }


def _listed(record: InputRecord) -> dict:
    """An input as the manifest lists it: its path and status as plain text, the path
    exactly as documents.csv writes the doc_id."""
    return asdict(record) | {"path": plain_cell(record.path), "status": plain_cell(record.status)}


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
