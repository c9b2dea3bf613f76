"""manifest.json: what a dataset was made from, and `pipeline validate` holding it to that."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from pipeline import __version__
from pipeline.cli import main
from tests.conftest import SEED_PDFS, SEED_TEXTS


def _manifest(folder):
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_the_manifest_lists_versions_options_and_every_input_with_its_outcome(dataset, tmp_path):
    manifest = _manifest(dataset)
    assert manifest["pipeline"] == __version__
    assert set(manifest["libraries"]) >= {"pdfplumber", "pandas", "pandera"}
    assert all(manifest["libraries"].values())
    assert manifest["options"] == {
        "password": False,
        "max_pages": 500,
        "time_limit": 120.0,
        "max_mb": 200,
        "max_line": 20000,
        "engine": "pdfplumber",
    }
    assert [i["path"] for i in manifest["inputs"]] == sorted(p.name for p in [*SEED_TEXTS, *SEED_PDFS])
    assert {i["status"] for i in manifest["inputs"]} == {"ok"}
    assert "timestamp" not in json.dumps(manifest).lower()

    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(SEED_TEXTS[0], batch)
    (batch / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00" * 100)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(batch), "--out", str(out), "--password", "secret"])
    assert result.exit_code == 1
    manifest = _manifest(out)
    assert "secret" not in json.dumps(manifest) and manifest["options"]["password"] is True
    good, broken = manifest["inputs"]  # sorted by path
    assert broken["path"] == "broken.pdf" and broken["status"].startswith("broken.pdf: corrupt or truncated PDF")
    assert broken["status"] in result.output and broken["tables"] == 0 and broken["sha256"]
    written = {n: (out / f"{n}.csv").read_text(encoding="utf-8").splitlines()[1:] for n in ("tables", "line_items")}
    assert (good["status"], good["format"], good["tables"], good["rows"], good["findings"]) == (
        "ok",
        "text",
        len(written["tables"]),  # the manifest counts what was written
        len(written["line_items"]),
        2,
    )
    assert CliRunner().invoke(main, ["validate", str(out)]).exit_code == 0


def test_validate_holds_the_dataset_to_its_manifest(dataset, tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(dataset)]).exit_code == 0
    cases = {
        "sha256": lambda m: m["inputs"][0].update(sha256="0" * 64),
        "counts 7 rows": lambda m: m["inputs"][1].update(rows=7),
        "not listed in the manifest": lambda m: m["inputs"].pop(2),
        "listed as failed": lambda m: m["inputs"][3].update(status="x: corrupt"),
    }
    for expected, tamper in cases.items():
        bad = tmp_path / expected.replace(" ", "_")
        shutil.copytree(dataset, bad)
        manifest = _manifest(bad)
        tamper(manifest)
        (bad / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        result = runner.invoke(main, ["validate", str(bad)])
        assert result.exit_code != 0 and expected in result.output, (expected, result.output)
    missing = tmp_path / "missing"
    shutil.copytree(dataset, missing)
    (missing / "manifest.json").unlink()
    result = runner.invoke(main, ["validate", str(missing)])
    assert result.exit_code != 0 and "manifest.json: missing" in result.output
