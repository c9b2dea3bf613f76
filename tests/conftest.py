"""Shared paths and fixtures: the real reports in raw/ and the gold files in ../shared."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
from pathlib import Path

import pytest

# Tests run one file at a time and without the cache unless they say otherwise: a test that
# patches a stage must see it run, and no test may read or fill the user's cache.
os.environ.setdefault("PIPELINE_JOBS", "1")
os.environ.setdefault("PIPELINE_NO_CACHE", "1")

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
EXTRACTED = ROOT / "extracted"
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold"
SEED_TEXTS = sorted(RAW.glob("*.txt"))
SEED_PDFS = sorted(RAW.glob("*.pdf"))


def csv_rows(path: Path) -> list[dict]:
    """The records of a CSV file of a dataset, every cell as text."""
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def run_extract(inputs: list[Path], out: Path) -> str:
    """`pipeline extract INPUTS --out OUT`, which must succeed; its output."""
    from click.testing import CliRunner

    from pipeline.cli import main

    result = CliRunner().invoke(main, ["extract", *map(str, inputs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result.output


def extract_text(folder: Path, text: str, name: str = "r.txt") -> Path:
    """A text export written into `folder` (made if need be) and extracted: the dataset."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    out = folder / "out"
    run_extract([folder / name], out)
    return out


def gold_for(stem: str) -> dict:
    if not GOLD.exists():
        pytest.skip("../shared/gold is not present")
    return json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def scorer():
    """../shared/gold/score.py, the acceptance reference."""
    if not (GOLD / "score.py").exists():
        pytest.skip("../shared/gold is not present")
    spec = importlib.util.spec_from_file_location("gold_score", GOLD / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def dataset(tmp_path_factory) -> Path:
    """The dataset built from raw/ (text exports and PDFs), as the README's main command does."""
    from click.testing import CliRunner

    from pipeline.cli import main

    out = tmp_path_factory.mktemp("dataset") / "extracted"
    result = CliRunner().invoke(main, ["extract", str(RAW), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out
