"""Acceptance: the dataset built from raw/ (text exports and PDFs), scored against ../shared/gold."""

from __future__ import annotations

import csv
import json

import pytest

from tests.conftest import GOLD


@pytest.mark.parametrize("fmt", ["text", "pdf"])
def test_dataset_meets_the_gold_thresholds(dataset, scorer, capsys, fmt):
    assert scorer.main([str(dataset), str(GOLD), "--format", fmt, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["tables_recall"] == 1.0
    assert result["rows_f1"] >= 0.98
    assert result["labels"] >= 0.95
    assert result["totals"] == 1.0
    assert result["status"] >= 0.95
    assert result["findings_precision"] == 1.0 and result["findings_recall"] == 1.0
    assert result["meta"] >= 0.9


@pytest.mark.parametrize("suffix", [".txt", ".pdf"])
def test_findings_are_exactly_the_discrepancies_in_the_sources(dataset, suffix):
    """Every gold discrepancy is reported and nothing else is: findings are data, never noise."""
    if not GOLD.exists():
        pytest.skip("../shared/gold is not present")
    expected = set()
    for path in GOLD.glob("*.json"):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for t in gold["tables"]:
            if t["status"] == "mismatch":
                expected.add((path.stem, t["stated_total"]["amount_sek"], t["computed_total_sek"]))
        for c in gold["row_checks"]:
            if c["status"] == "mismatch":
                expected.add((path.stem, c["stated_sek"], c["computed_sek"]))
    with (dataset / "checks.csv").open(encoding="utf-8") as f:
        found = {
            (r["doc_id"].split(".")[0], int(r["stated_sek"]), int(r["computed_sek"]))
            for r in csv.DictReader(f)
            if r["status"] == "mismatch" and r["doc_id"].endswith(suffix)
        }
    assert found == expected
