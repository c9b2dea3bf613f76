"""The command line: reproducible output, help on every command, validation of a dataset."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from pipeline import __version__
from pipeline.cli import main
from tests.conftest import EXTRACTED, RAW, SEED_TEXTS


def _without_library_versions(path: Path) -> dict:
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.pop("libraries")
    return manifest


def test_extract_reproduces_the_committed_dataset_byte_for_byte(dataset):
    """Every data file byte for byte; the manifest too, but for the library versions it
    records, which follow whatever the installer picked."""
    names = sorted(p.name for p in EXTRACTED.iterdir())
    assert names == sorted(p.name for p in dataset.iterdir())
    for name in names:
        if name == "manifest.json":
            assert _without_library_versions(dataset / name) == _without_library_versions(EXTRACTED / name)
        else:
            assert (dataset / name).read_bytes() == (EXTRACTED / name).read_bytes(), name


def test_two_runs_write_the_same_bytes(dataset, tmp_path):
    out = tmp_path / "again"
    assert CliRunner().invoke(main, ["extract", str(RAW), "--out", str(out)]).exit_code == 0
    for path in sorted(dataset.iterdir()):
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name


def test_every_command_has_help():
    runner = CliRunner()
    for args in ([], ["extract"], ["validate"]):
        result = runner.invoke(main, [*args, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, args
    assert __version__ in runner.invoke(main, ["--version"]).output


def test_validate_accepts_the_dataset_and_rejects_a_tampered_one(dataset, tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(dataset)]).exit_code == 0
    bad = tmp_path / "bad"
    shutil.copytree(dataset, bad)
    tables = (bad / "tables.csv").read_text(encoding="utf-8").replace(",mismatch\n", ",ok\n", 1)
    (bad / "tables.csv").write_text(tables, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code != 0 and "status_follows_difference" in result.output


def test_summary_line_counts_documents_tables_rows_and_findings(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(SEED_TEXTS[0]), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert "1 documents, 11 tables, 104 rows, 2 findings; 0 failed" in result.output
