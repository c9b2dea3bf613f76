"""A run killed at any moment (SIGKILL, no cleanup) never leaves a half-written dataset:
`--out` holds the previous dataset or, once swapped in, the complete new one."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import ROOT, SEED_PDFS, SEED_TEXTS

KILLS = 6


def _extract(out: Path, *inputs: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "pipeline", "extract", *map(str, inputs), "--out", str(out)]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_killed_extract_leaves_the_previous_dataset_intact(tmp_path):
    out = tmp_path / "extracted"
    new_inputs = [*SEED_TEXTS, min(SEED_PDFS, key=lambda p: p.stat().st_size)]
    assert _extract(out, *SEED_TEXTS).wait() == 0
    before = _snapshot(out)
    start = time.monotonic()
    assert _extract(tmp_path / "reference", *new_inputs).wait() == 0
    full_run = time.monotonic() - start
    after = _snapshot(tmp_path / "reference")
    assert before != after

    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    moments = sorted(rng.uniform(0.05, 1.1) * full_run for _ in range(KILLS))
    for moment in moments:
        proc = _extract(out, *new_inputs)
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = _snapshot(out)
        assert state in (before, after), f"killed after {moment:.2f}s: {sorted(state)}"
        assert CliRunner().invoke(main, ["validate", str(out)]).exit_code == 0, f"killed after {moment:.2f}s"
        before = state
    assert _extract(out, *new_inputs).wait() == 0
    assert _snapshot(out) == after
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extracted", "reference"]  # no leftovers
