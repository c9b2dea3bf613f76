"""A cell of several figures whose digit groups allow more than one reading: the table's
own stated total decides; where it cannot, the check is ambiguous and names the readings;
where no reading reconciles, the report's discrepancy stays a finding."""

from __future__ import annotations

from pathlib import Path

from pipeline.model import Segment
from pipeline.parse.amounts import read_cell
from tests.conftest import csv_rows, extract_text

CELL = "100 000 200 000 300 000"  # three figures, or two and their result


def _table(total: str | None) -> str:
    rows = f"Post\tkronor\nLokaler\t{CELL}\nPersonal\t50 000\n"
    return f"# Bidrag\n\n{rows}" + (f"Summa\t{total}\n" if total else "")


def _extract(tmp_path: Path, text: str) -> tuple[list[dict], list[dict], list[dict]]:
    out = extract_text(tmp_path, text)
    return csv_rows(out / "tables.csv"), csv_rows(out / "line_items.csv"), csv_rows(out / "checks.csv")


def test_the_fewest_figures_are_not_taken_when_they_misgroup_the_digits():
    reading = read_cell((Segment(CELL),))
    assert [int(n.value) for n in reading.components] == [100_000, 200_000]
    assert reading.result is not None and int(reading.result.value) == 300_000
    others = [([int(n.value) for n in c], r and int(r.value)) for c, r in reading.options]
    assert ([100_000, 200_000, 300_000], None) in others
    assert all(max(c) <= 1000 * min(c) for c, _ in others)  # no "200 000 300 000"


def test_the_stated_total_picks_the_reading_it_confirms(tmp_path):
    for total, amount in (("650 000", "600000"), ("350 000", "300000")):
        tables, items, checks = _extract(tmp_path / total.replace(" ", ""), _table(total))
        assert [(t["status"]) for t in tables] == ["ok"]
        assert items[0]["amount_sek"] == amount
        assert not [c for c in checks if c["status"] != "ok"]


def test_a_tie_the_total_cannot_decide_is_ambiguous_and_names_both_readings(tmp_path):
    tables, _, checks = _extract(tmp_path, _table(None))
    assert [t["status"] for t in tables] == ["no_stated_total"]
    (split,) = [c for c in checks if c["kind"] == "cell_split"]
    assert split["status"] == "ambiguous"
    assert "100 000 kr + 200 000 kr = 300 000 kr" in split["message"]
    assert "100 000 kr + 200 000 kr + 300 000 kr (600 000 kr)" in split["message"]
    assert not [c for c in checks if c["status"] == "mismatch"]


def test_a_total_no_reading_reconciles_stays_a_finding(tmp_path):
    tables, _, checks = _extract(tmp_path, _table("700 000"))
    assert [t["status"] for t in tables] == ["mismatch"]
    assert [c["kind"] for c in checks if c["status"] == "mismatch"] == ["table_total"]
