"""Where the per-file work runs: in this process, in a pool of processes on this machine,
or on a Dask cluster. Every executor runs the same function (run.process_file) on each
file and hands back the results in input order, so the dataset is the same bytes whichever
runs it; `done` is told of each file as it finishes (for the progress bar).
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.read.options import ReadOptions

Task = tuple[Path, str]  # (path, doc_id)
Work = Callable[..., Any]  # run.process_file
Done = Callable[[Any], None]  # told of each result as it finishes
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
) -> Iterator[Any]:
    """`work(path, doc_id, options, cache_dir)` for every task, yielded in input order as
    soon as each is done and every one before it (so a batch is never held whole); `done`
    hears of each in the order they finish."""
    done = done or (lambda result: None)
    args = [(path, doc_id, options, batch.cache_dir) for path, doc_id in tasks]
    if batch.executor == "dask":
        return _dask(work, args, batch.scheduler, done)
    if batch.jobs <= 1 or len(args) <= 1:
        return _here(work, args, done)
    return _pool(work, args, batch.jobs, done)


def _here(work: Work, args: list[tuple], done: Done) -> Iterator[Any]:
    for a in args:
        result = work(*a)
        done(result)
        yield result


def _in_order(finished: Iterable[tuple[int, Any]]) -> Iterator[Any]:
    """Results numbered as they finish -> results in their numbers' order; one that
    finished early waits (the only results held) until those before it are through."""
    waiting: dict[int, Any] = {}
    following = 0
    for n, result in finished:
        waiting[n] = result
        while following in waiting:
            yield waiting.pop(following)
            following += 1


def _worker_signals() -> None:
    """A worker leaves Ctrl-C to the run that started it (which stops the pool) and ends
    at once on SIGTERM: the parent's handlers, inherited by fork, are not its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _pool(work: Work, args: list[tuple], jobs: int, done: Done) -> Iterator[Any]:
    # fork: the workers start with the modules already imported (and any test's patches)
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(args)), mp_context=context, initializer=_worker_signals)
    complete = False
    try:
        futures = {pool.submit(work, *a): n for n, a in enumerate(args)}

        def finished() -> Iterator[tuple[int, Any]]:
            for future in as_completed(futures):
                result = future.result()
                done(result)
                yield futures.pop(future), result

        yield from _in_order(finished())
        complete = True
    finally:
        if complete:
            pool.shutdown(wait=True)
        else:  # interrupted, or a worker died: stop the others now, not after their files
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
            pool.shutdown(wait=True, cancel_futures=True)


def _dask(work: Work, args: list[tuple], scheduler: str | None, done: Done) -> Iterator[Any]:
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise RuntimeError("--executor dask needs Dask: pip install 'pipeline[dask]'") from exc
    if not scheduler:
        raise RuntimeError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    try:
        client = Client(scheduler, timeout=CONNECT_SECONDS)
    except OSError as exc:
        raise RuntimeError(f"cannot reach the Dask scheduler {scheduler} ({exc})") from None
    return _dask_results(client, work, args, done)


def _dask_results(client, work: Work, args: list[tuple], done: Done) -> Iterator[Any]:
    """The cluster's results in input order; each future is released once read."""
    from dask.distributed import as_completed as dask_completed

    with client:
        futures = [client.submit(work, *a, pure=False) for a in args]
        index = {f.key: n for n, f in enumerate(futures)}
        completed = dask_completed(futures)
        del futures

        def finished() -> Iterator[tuple[int, Any]]:
            for future in completed:
                result = future.result()
                done(result)
                n = index[future.key]
                future.release()
                yield n, result

        yield from _in_order(finished())
