"""Where the per-file work runs: in this process, in a pool of processes on this machine,
or on a Dask cluster. Every executor runs the same function (run.process_file) on each
file and hands back the results in input order, so the dataset is the same bytes whichever
runs it; `done` is told of each file as it finishes (for the progress bar).
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.read.options import ReadOptions

Task = tuple[Path, str]  # (path, doc_id)
CONNECT_SECONDS = 10  # a cluster answers in well under a second; an address that does not is named


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs; none of it changes the dataset."""

    jobs: int = 1
    cache_dir: Path | None = None  # None: no cache
    executor: str = "local"  # local | dask
    scheduler: str | None = None  # the Dask scheduler's address


def run_tasks(
    work: Callable[..., Any],
    tasks: list[Task],
    options: ReadOptions,
    batch: BatchOptions,
    done: Callable[[Any], None] | None = None,
) -> list[Any]:
    """`work(path, doc_id, options, cache_dir)` for every task, in input order."""
    done = done or (lambda result: None)
    args = [(path, doc_id, options, batch.cache_dir) for path, doc_id in tasks]
    if batch.executor == "dask":
        return _dask(work, args, batch.scheduler, done)
    if batch.jobs <= 1 or len(args) <= 1:
        results = []
        for a in args:
            results.append(work(*a))
            done(results[-1])
        return results
    return _pool(work, args, batch.jobs, done)


def _worker_signals() -> None:
    """A worker leaves Ctrl-C to the run that started it (which stops the pool) and ends
    at once on SIGTERM: the parent's handlers, inherited by fork, are not its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _pool(work: Callable[..., Any], args: list[tuple], jobs: int, done: Callable[[Any], None]) -> list[Any]:
    # fork: the workers start with the modules already imported (and any test's patches)
    context = multiprocessing.get_context("fork")
    results: list[Any] = [None] * len(args)
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(args)), mp_context=context, initializer=_worker_signals)
    try:
        futures = {pool.submit(work, *a): n for n, a in enumerate(args)}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            done(results[futures[future]])
    except BaseException:  # interrupted, or a worker died: stop the others now, not after their files
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return results


def _dask(work: Callable[..., Any], args: list[tuple], scheduler: str | None, done: Callable[[Any], None]) -> list[Any]:
    try:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed
    except ImportError as exc:
        raise RuntimeError("--executor dask needs Dask: pip install 'pipeline[dask]'") from exc
    if not scheduler:
        raise RuntimeError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    results: list[Any] = [None] * len(args)
    try:
        client = Client(scheduler, timeout=CONNECT_SECONDS)
    except OSError as exc:
        raise RuntimeError(f"cannot reach the Dask scheduler {scheduler} ({exc})") from None
    with client:
        futures = [client.submit(work, *a, pure=False) for a in args]
        index = {f.key: n for n, f in enumerate(futures)}
        for future in dask_completed(futures):
            results[index[future.key]] = future.result()
            done(results[index[future.key]])
    return results
