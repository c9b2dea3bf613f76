"""Batch scale (issue 13): a pool of processes, the cache, a Dask cluster and the progress
bar all give the same dataset, byte for byte, as one file at a time."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

import pipeline.run
from pipeline.cli import main
from pipeline.progress import Progress
from tests.conftest import RAW, SHARED

FILES = ("documents.csv", "tables.csv", "line_items.csv", "checks.csv", "grants.csv", "manifest.json")
CACHE_ON = {"PIPELINE_NO_CACHE": None}  # the tests' default is no cache (conftest)


def _extract(out: Path, *args: str, inputs: tuple[Path, ...] = (RAW,), env: dict | None = None) -> dict[str, bytes]:
    result = CliRunner().invoke(main, ["extract", *map(str, inputs), "--out", str(out), *args], env=env)
    assert result.exit_code == 0, result.output
    return {name: (out / name).read_bytes() for name in FILES}


def _inputs() -> tuple[Path, ...]:
    peer = SHARED / "corpus" / "peer" / "swedish" / "Bokslut_2025.pdf"
    return (RAW, peer) if peer.exists() else (RAW,)


def test_a_pool_of_processes_writes_the_same_bytes_as_one_file_at_a_time(tmp_path):
    one = _extract(tmp_path / "one", "--jobs", "1", inputs=_inputs())
    two = _extract(tmp_path / "two", "--jobs", "2", inputs=_inputs())
    assert one == two


def test_a_rerun_takes_every_reading_from_the_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cold = _extract(tmp_path / "cold", "--cache-dir", str(cache), env=CACHE_ON)
    assert len(list(cache.rglob("*.pickle"))) == len(list(RAW.glob("*.*")))

    def no_reading(*args, **kwargs):
        raise AssertionError("read again despite the cache")

    monkeypatch.setattr(pipeline.run, "_record", no_reading)
    warm = _extract(tmp_path / "warm", "--cache-dir", str(cache), env=CACHE_ON)
    assert warm == cold


def test_a_corrupt_or_foreign_cache_entry_is_ignored_and_written_anew(tmp_path):
    cache = tmp_path / "cache"
    cold = _extract(tmp_path / "cold", "--cache-dir", str(cache), env=CACHE_ON)
    entries = sorted(cache.rglob("*.pickle"))
    entries[0].write_bytes(b"pipeline-cache-1\n" + b"\0" * 32 + b"not a pickle")  # corrupt
    entries[1].write_bytes(entries[1].read_bytes()[:40])  # cut short
    (cache / "key").write_bytes(b"k" * 32)  # every entry now signed by another key: foreign
    again = _extract(tmp_path / "again", "--cache-dir", str(cache), env=CACHE_ON)
    assert again == cold
    assert all(e.read_bytes().startswith(b"pipeline-cache-1\n") and len(e.read_bytes()) > 1000 for e in entries)


def test_no_cache_neither_reads_nor_writes_one(tmp_path):
    cache = tmp_path / "cache"
    _extract(tmp_path / "out", "--cache-dir", str(cache), "--no-cache", env=CACHE_ON)
    assert not cache.exists()


def test_the_dask_executor_writes_the_same_bytes(tmp_path):
    distributed = pytest.importorskip("distributed")
    one = _extract(tmp_path / "one", "--jobs", "1")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        dask = _extract(tmp_path / "dask", "--executor", "dask", "--scheduler", cluster.scheduler_address)
    assert dask == one


def test_an_unreachable_scheduler_is_one_line_and_nothing_is_written(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr("pipeline.executors.CONNECT_SECONDS", 1)
    out = tmp_path / "out"
    args = ["extract", str(RAW), "--out", str(out), "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3 and "cannot reach the Dask scheduler" in result.output and not out.exists()


def test_the_progress_bar_shows_files_pages_findings_and_the_file_on_a_terminal(monkeypatch):
    stream = io.StringIO()
    stream.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stderr", stream)
    record = pipeline.run.InputRecord("a.pdf", None, "pdf", pages=12, findings=2)
    with Progress(2, enabled=True) as progress:
        progress.done((record, None))
    shown = stream.getvalue()
    assert "1/2" in shown and "12 pages, 2 findings; a.pdf" in shown
    quiet = io.StringIO()
    quiet.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stderr", quiet)
    with Progress(2, enabled=False) as progress:
        progress.done((record, None))
    assert quiet.getvalue() == ""
