"""The command line: reproducible output, help on every command, validation of a dataset."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from pipeline import __version__
from pipeline.cli import main
from pipeline.validate.manifest import file_entry
from tests.conftest import EXTRACTED, RAW, ROOT, SEED_TEXTS


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
    """An edit is placed on its line by the manifest's checksums; one that also forges the
    checksums still breaks the schemas' rules."""
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(dataset)]).exit_code == 0
    bad = tmp_path / "bad"
    shutil.copytree(dataset, bad)
    text = (bad / "tables.csv").read_text(encoding="utf-8")
    line = text[: text.index(",mismatch\n")].count("\n") + 1
    (bad / "tables.csv").write_text(text.replace(",mismatch\n", ",ok\n", 1), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {bad / 'tables.csv'} line {line} (row {line - 1}): not as the pipeline")

    manifest = json.loads((bad / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["tables.csv"] = file_entry("tables.csv", (bad / "tables.csv").read_bytes())
    (bad / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1 and "status_follows_difference" in result.output
    assert all(line.startswith(f"error: {bad / 'tables.csv'} line ") for line in result.output.splitlines())


def test_exit_codes_are_documented_in_the_help_and_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    help_text = CliRunner().invoke(main, ["extract", "--help"]).output
    for code in ("0", "1", "2", "3", "130", "143"):
        assert re.search(rf"^\s+{code}\s|; {code} by", help_text, re.MULTILINE), code
        assert f"| {code} |" in readme, code


def test_summary_line_counts_documents_tables_rows_and_findings(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(SEED_TEXTS[0]), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0
    out = tmp_path / "o"
    count = {n: len((out / f"{n}.csv").read_text(encoding="utf-8").splitlines()) - 1 for n in ("tables", "line_items")}
    findings = (out / "checks.csv").read_text(encoding="utf-8").count(",mismatch,")
    assert findings == 2
    assert f"1 documents, {count['tables']} tables, {count['line_items']} rows, 2 findings; 0 failed" in result.output
