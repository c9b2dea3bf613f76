"""Nothing lost: `extract --out` replaces only a dataset this tool wrote, never a user's
files, and every failure is one line with a documented exit code and no traceback.

Cases that depend on the operating system (permissions, a full disk, signals, two
processes) run the real command in a subprocess; as root, the subprocess drops the
capability to override file permissions, so a read-only folder binds it as it binds a user.
"""

from __future__ import annotations

import csv
import ctypes
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import regex as re
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import ROOT, SEED_PDFS, SEED_TEXTS

SMALL = min(SEED_TEXTS, key=lambda p: p.stat().st_size)
DATASET_FILES = [
    "checks.csv",
    "datapackage.json",
    "documents.csv",
    "grants.csv",
    "line_items.csv",
    "manifest.json",
    "tables.csv",
]


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every file and symlink under `folder`, by relative path: bytes or link target."""
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            out[rel] = path.read_bytes()
        else:
            out[rel] = "dir"
    return out


def _errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


def _refused(result, *words: str) -> str:
    """One `error:` line, exit 2, no traceback; returns the line."""
    lines = _errors(result.output)
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def _inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SMALL, folder)
    return folder


def _previous_dataset(tmp_path: Path) -> tuple[Path, Path]:
    """(reports, out): a dataset this tool wrote at tmp_path/out from one report."""
    reports = _inputs(tmp_path)
    out = tmp_path / "out"
    assert _extract(str(reports), "--out", str(out)).exit_code == 0
    return reports, out


def _extract(*args: str):
    return CliRunner().invoke(main, ["extract", *args])


# ------------------------------------------------------------------ refused --out
def test_a_user_folder_an_input_its_parent_and_a_symlink_are_refused_untouched(tmp_path):
    reports = _inputs(tmp_path)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "minutes.txt").write_text("my notes\n", encoding="utf-8")
    (notes / "tables.csv").write_text("mine\n", encoding="utf-8")
    (tmp_path / "link").symlink_to(notes)
    before = _snapshot(tmp_path)
    cases = {
        str(notes): "holds files this tool does not write",
        str(tmp_path / "link"): "holds files this tool does not write",
        str(reports): "is an input",
        str(tmp_path): "holds the input",
        str(reports / SMALL.name): "is an input",
        "/": "one of its parents",
    }
    for out, words in cases.items():
        _refused(_extract(str(reports), "--out", out), out, words)
        assert _snapshot(tmp_path) == before, out


def test_the_current_folder_and_an_empty_name_are_refused(tmp_path, monkeypatch):
    reports = _inputs(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    before = _snapshot(tmp_path)
    _refused(_extract(str(reports), "--out", "."), "current folder")
    _refused(_extract(str(reports), "--out", ".."), "current folder or one of its parents")
    _refused(_extract(str(reports), "--out", ""), "--out is empty")
    _refused(_extract(str(reports), "--out", "  "), "--out is empty")
    assert _snapshot(tmp_path) == before


def test_a_folder_without_this_tools_manifest_or_with_an_edited_file_is_refused(tmp_path):
    reports, out = _previous_dataset(tmp_path)
    (out / "manifest.json").unlink()
    before = _snapshot(tmp_path)
    _refused(_extract(str(reports), "--out", str(out)), "no manifest.json of this tool")
    assert _snapshot(tmp_path) == before

    shutil.rmtree(out)
    assert _extract(str(reports), "--out", str(out)).exit_code == 0
    items = (out / "line_items.csv").read_text(encoding="utf-8").split("\n")
    items[3] = items[3].replace(",1,", ",2,", 1)
    (out / "line_items.csv").write_text("\n".join(items), encoding="utf-8")
    before = _snapshot(tmp_path)
    _refused(_extract(str(reports), "--out", str(out)), "line_items.csv line 4 (row 3)", "edited")
    assert _snapshot(tmp_path) == before


def test_a_dataset_of_this_tool_an_empty_folder_and_an_absent_one_are_replaced(tmp_path):
    reports = _inputs(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (empty, tmp_path / "new" / "deeper", empty):  # the last: now a dataset
        result = _extract(str(reports), "--out", str(out))
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in out.iterdir()) == DATASET_FILES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "new", "reports"]  # no lock, no temporary


def test_a_users_folders_named_like_temporaries_stay(tmp_path):
    reports = _inputs(tmp_path)
    mine = tmp_path / ".out.tmp-mine"
    mine.mkdir()
    (mine / "tables.csv").write_text("my own\n", encoding="utf-8")
    (tmp_path / ".out.tmp-empty").mkdir()
    before = _snapshot(tmp_path)
    killed = tmp_path / ".out.tmp-k1ll3d_x"  # a run killed between mkdtemp and its mark
    killed.mkdir()
    assert _extract(str(reports), "--out", str(tmp_path / "out")).exit_code == 0
    after = {k: v for k, v in _snapshot(tmp_path).items() if not k.startswith("out")}
    assert after == before and not killed.exists() and (tmp_path / ".out.tmp-empty").is_dir()


def test_no_input_found_is_a_usage_error_and_nothing_is_written(tmp_path):
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / "notes.docx").write_bytes(b"x")
    result = _extract(str(empty), "--out", str(tmp_path / "out"))
    _refused(result, "no input found", str(empty))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nothing"]


def test_every_input_failing_keeps_the_previous_dataset(tmp_path):
    _reports, out = _previous_dataset(tmp_path)
    before = _snapshot(tmp_path)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "fake.pdf").write_bytes(b"not a pdf")
    result = _extract(str(bad), "--out", str(out))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert _errors(result.output)[-1] == f"error: nothing written: every input failed; {out} left as it was"
    assert {k: v for k, v in _snapshot(tmp_path).items() if not k.startswith("bad")} == before
    assert not (tmp_path / "new").exists()
    _extract(str(bad), "--out", str(tmp_path / "never"))
    assert not (tmp_path / "never").exists()


# ------------------------------------------------------------------ inputs that are not files
def test_a_fifo_and_a_device_by_name_are_refused_with_a_line_and_the_rest_is_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.pdf"
    zero.symlink_to("/dev/zero")
    out = tmp_path / "out"
    started = time.monotonic()
    result = _extract(str(fifo), str(zero), str(SMALL), "--out", str(out), "--time-limit", "20")
    assert time.monotonic() - started < 20
    assert result.exit_code == 1
    errors = sorted(line for line in _errors(result.output) if line.startswith("error:"))
    assert errors == [
        "error: pipe.txt: not a regular file but a FIFO (named pipe)",
        "error: zero.pdf: not a regular file but a character device",
    ]
    with (out / "documents.csv").open(encoding="utf-8") as f:
        assert [r["doc_id"] for r in csv.DictReader(f)] == [SMALL.name]


# ------------------------------------------------------------------ formulas
def _cells(folder: Path):
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for line, record in enumerate(csv.reader(f), start=1):
                for cell in record:
                    yield path.name, line, cell


def _runs_as_formula(cell: str) -> bool:
    """What a spreadsheet would run to harm or mislead: a start of = @ tab CR; or of + -
    with a call, a reference to a program or sheet (DDE), a comparison, or arithmetic."""
    if not cell or cell[0] not in "=@+-\t\r":
        return False
    if cell[0] in "+-":
        return bool(set(cell) & set("=()!@")) or bool(re.search(r"\w\s*[+\-*/^]\s*\d", cell))
    return True


def test_formula_like_file_names_and_labels_reach_no_csv_cell(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    text = SMALL.read_text(encoding="utf-8")
    names = ["=HYPERLINK(1).txt", "+cmd|' calc'!A0.txt", "@SUM(1).txt", "-2+3.txt"]
    for name in names:
        (reports / name).write_text(text, encoding="utf-8")
    (reports / "labels.txt").write_text(
        "## Uppföljning 2022\n\n"
        "Bidrag\tkronor\n"
        "+ 2+3+cmd|' /C calc'!A0\t100\n"
        "@SUM(A1)\t200\n"
        "+ läns gemensamma medel\t300\n"
        "<b>Totalt</b>\t<b>600</b>\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = _extract(str(reports), "--out", str(out))
    assert result.exit_code == 0, result.output
    cells = list(_cells(out))
    assert [c for c in cells if _runs_as_formula(c[2])] == []
    doc_ids = {cell for name, line, cell in cells if name == "documents.csv" and cell.endswith(".txt")}
    assert doc_ids == {"'=HYPERLINK(1).txt", "'+cmd|' calc'!A0.txt", "'@SUM(1).txt", "'-2+3.txt", "labels.txt"}
    labels = {cell for name, _, cell in cells if name == "line_items.csv"}
    assert {"'+ 2+3+cmd|' /C calc'!A0", "'@SUM(A1)", "+ läns gemensamma medel"} <= labels
    assert CliRunner().invoke(main, ["validate", str(out)]).exit_code == 0


# ------------------------------------------------------------------ validate
def test_validate_places_an_edited_cell_and_reads_only_regular_files(dataset, tmp_path):
    edited = tmp_path / "edited"
    shutil.copytree(dataset, edited)
    lines = (edited / "tables.csv").read_text(encoding="utf-8").split("\n")
    lines[5] = lines[5].replace("kr", "tkr", 1)
    (edited / "tables.csv").write_text("\n".join(lines), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(edited)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert _errors(result.output) == [f"error: {edited / 'tables.csv'} line 6 (row 5): " + _edited_words()]

    fifo = tmp_path / "fifo"
    shutil.copytree(dataset, fifo)
    (fifo / "checks.csv").unlink()
    os.mkfifo(fifo / "checks.csv")
    result = CliRunner().invoke(main, ["validate", str(fifo)])
    assert result.exit_code == 1
    assert _errors(result.output) == [f"error: {fifo / 'checks.csv'}: not a regular file but a FIFO (named pipe)"]

    missing = tmp_path / "missing"
    shutil.copytree(dataset, missing)
    (missing / "grants.csv").unlink()
    assert _errors(CliRunner().invoke(main, ["validate", str(missing)]).output) == [
        f"error: {missing / 'grants.csv'}: missing"
    ]


def _edited_words() -> str:
    return "not as the pipeline wrote it (edited afterwards?)"


# ------------------------------------------------------------------ the operating system
def _cli(args: list[str], cwd: Path, *, unprivileged: bool = False, file_limit: int | None = None, **popen):
    """The real command in a subprocess; `unprivileged`: as a user would be, even as root."""

    def prepare() -> None:
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))
        if unprivileged and os.geteuid() == 0:
            libc = ctypes.CDLL(None, use_errno=True)
            for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH: out of the bounding set
                if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                    raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    cmd = [sys.executable, "-m", "pipeline", *args]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(cmd, cwd=cwd, preexec_fn=prepare, env=env, text=True, **popen)


def _run(args: list[str], cwd: Path, **kwargs) -> tuple[int, str]:
    proc = _cli(args, cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kwargs)
    output, _ = proc.communicate(timeout=300)
    return proc.returncode, output


@pytest.fixture(scope="module")
def can_drop_privileges() -> None:
    if os.geteuid() != 0:
        return
    code, output = _run(["--version"], ROOT, unprivileged=True)
    if code != 0:
        pytest.skip(f"running as root and cannot drop CAP_DAC_OVERRIDE: {output.strip()[-200:]}")


def test_an_unwritable_parent_is_one_line_exit_3_before_any_input_is_read(tmp_path, can_drop_privileges):
    reports = _inputs(tmp_path)
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        for out in (parent / "out", parent / "deeper" / "out"):
            code, output = _run(["extract", str(reports), "--out", str(out)], tmp_path, unprivileged=True)
            assert code == 3, output
            assert _errors(output) == [output.strip()]
            assert output.startswith(f"error: cannot write the dataset to {out}")
            assert "Permission denied" in output and "nothing written" in output
        assert list(parent.iterdir()) == []
    finally:
        parent.chmod(0o755)


def test_a_read_only_previous_dataset_is_replaced_and_leaves_nothing_behind(tmp_path, can_drop_privileges):
    reports, out = _previous_dataset(tmp_path)
    for path in out.iterdir():
        path.chmod(0o444)
    out.chmod(0o555)
    shutil.copy(SEED_TEXTS[0], reports)
    code, output = _run(["extract", str(reports), "--out", str(out)], tmp_path, unprivileged=True)
    assert code == 0, output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "reports"]
    assert CliRunner().invoke(main, ["validate", str(out)]).exit_code == 0


def test_a_full_disk_is_one_line_exit_3_and_the_previous_dataset_stays(tmp_path):
    reports, out = _previous_dataset(tmp_path)
    before = _snapshot(tmp_path)
    shutil.copy(SEED_TEXTS[0], tmp_path / "more.txt")
    # RLIMIT_FSIZE: a write past 20 kB fails with EFBIG, as a full disk fails with ENOSPC.
    args = ["extract", str(reports), str(tmp_path / "more.txt"), "--out", str(out)]
    code, output = _run(args, tmp_path, file_limit=20_000)
    assert code == 3, output
    assert len(_errors(output)) == 1 and "Traceback" not in output
    assert output.startswith(f"error: cannot write the dataset to {out}: File too large")
    assert output.rstrip().endswith(f"{out} left as it was")
    assert {k: v for k, v in _snapshot(tmp_path).items() if k != "more.txt"} == before


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_sigint_and_sigterm_mid_run_are_one_line_and_leave_the_dataset(tmp_path, signum, jobs):
    """Also with a pool of workers: they are stopped at once, and say nothing."""
    _reports, out = _previous_dataset(tmp_path)
    before = _snapshot(tmp_path)
    batch = tmp_path / "batch"
    batch.mkdir()
    for pdf in SEED_PDFS:
        shutil.copy(pdf, batch)
    args = ["extract", str(batch), "--out", str(out), "--jobs", jobs]
    proc = _cli(args, tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lock = tmp_path / ".out.lock"
    deadline = time.monotonic() + 60
    while not lock.exists() and time.monotonic() < deadline:  # past the checks, reading the batch
        time.sleep(0.02)
    time.sleep(0.3)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    name = signal.Signals(signum).name
    assert proc.returncode == 128 + signum, stderr
    assert _errors(stderr) == [f"error: interrupted by {name}; {out} left as it was"]
    assert "Traceback" not in stderr
    assert {k: v for k, v in _snapshot(tmp_path).items() if not k.startswith("batch")} == before


def test_two_concurrent_runs_never_crash_and_one_whole_dataset_wins(tmp_path):
    trials = int(os.environ.get("CONCURRENT_TRIALS", "50"))
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(SMALL, a)
    shutil.copy(SEED_TEXTS[0] if SEED_TEXTS[0] != SMALL else SEED_TEXTS[1], b)
    out = tmp_path / "out"
    outcomes = {}
    for name, source in (("a", a), ("b", b)):
        assert _extract(str(source), "--out", str(tmp_path / name)).exit_code == 0
        outcomes[name] = _snapshot(tmp_path / name)
        shutil.rmtree(tmp_path / name)
    for trial in range(trials):
        procs = [
            _cli(["extract", str(src), "--out", str(out)], tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for src in ((a, b) if trial % 2 else (b, a))
        ]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
        for p in procs:
            p.stderr.close()
        for code, stderr in results:
            assert code == 0 and "Traceback" not in stderr, (trial, stderr)
        assert _snapshot(out) in outcomes.values(), trial
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "out"], trial


def test_no_wait_gives_up_at_once_while_another_run_holds_the_lock(tmp_path):
    from pipeline.outdir import writer_lock

    reports = _inputs(tmp_path)
    out = tmp_path / "out"
    with writer_lock(out, wait=True, on_wait=lambda: None):
        code, output = _run(["extract", str(reports), "--out", str(out), "--no-wait"], tmp_path)
        assert code == 2 and _errors(output) == [f"error: {out}: another run is writing it (--no-wait)"]
        proc = _cli(["extract", str(reports), "--out", str(out)], tmp_path, stderr=subprocess.PIPE)
        first = proc.stderr.readline()
        assert first.startswith(f"waiting: another run is writing {out}")
        assert proc.poll() is None
    assert proc.wait(timeout=60) == 0
    proc.stderr.close()
    assert stat.S_ISDIR(out.stat().st_mode) and not (tmp_path / ".out.lock").exists()
