"""Acceptance: the dataset built from the text exports, scored against ../shared/gold."""

from __future__ import annotations

import csv
import json

import pytest

from tests.conftest import GOLD


def test_text_dataset_meets_the_gold_thresholds(text_dataset, scorer, capsys):
    assert scorer.main([str(text_dataset), str(GOLD), "--format", "text", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["tables_recall"] == 1.0
    assert result["rows_f1"] >= 0.98
    assert result["labels"] >= 0.95
    assert result["totals"] == 1.0
    assert result["status"] >= 0.95
    assert result["findings_precision"] == 1.0 and result["findings_recall"] == 1.0
    assert result["meta"] >= 0.9


def test_findings_are_exactly_the_discrepancies_in_the_sources(text_dataset):
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
    with (text_dataset / "checks.csv").open(encoding="utf-8") as f:
        found = {
            (r["doc_id"].split(".")[0], int(r["stated_sek"]), int(r["computed_sek"]))
            for r in csv.DictReader(f)
            if r["status"] == "mismatch"
        }
    assert found == expected
