"""Identities between the columns of a printed table, learned from its rows and checked on
every row: the way round (Budget - Utfall or Utfall - Budget) comes from the figures, a
planted slip in one cell is a finding, a row no slip explains is a doubt, and columns that
agree by coincidence on some rows are not an identity."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import csv_rows, extract_text

HEADER = "Projekt (tkr)\tTotal projektbudget\tAck. utfall\tAvvikelse\tBudget 2025\tUtfall 2025\tBudgetavvikelse\n"
ROWS = [  # total, accumulated, deviation, budget, outcome, budget deviation
    ("Bibliotek", 4_827, 4_812, 15, 709, 694, 15),
    ("Garvaren", 2_575, 2_340, 235, 388, 153, 235),
    ("Hafreborg", 3_124, 3_059, 65, 539, 474, 65),
    ("Löparbana", 2_400, 10, 2_390, 2_400, 10, 2_390),
    ("Inventarier", None, None, None, 800, 617, 183),
    ("Hjärtstartare", 300, 261, 39, 300, 261, 39),
]


def _kr(v: int | None) -> str:
    return "" if v is None else f"{v:,}".replace(",", " ")


def _extract(tmp_path: Path, rows: list[tuple]) -> list[dict]:
    text = "# Investeringar\n\n" + HEADER + "".join("\t".join([r[0], *map(_kr, r[1:])]) + "\n" for r in rows)
    out = extract_text(tmp_path, text, "inv.txt")
    return [c for c in csv_rows(out / "checks.csv") if c["kind"] == "column_identity"]


def test_mid_table_identities_are_learned_and_checked_on_every_row(tmp_path):
    checks = _extract(tmp_path, ROWS)
    expressions = {c["message"].split(":")[0] for c in checks}
    assert expressions == {
        "Avvikelse = Total projektbudget - Ack. utfall",
        "Budgetavvikelse = Budget 2025 - Utfall 2025",
    }  # never Budgetavvikelse = Total - Ack, though it holds on the rows where both are there
    assert len(checks) == 5 + 6 and {c["status"] for c in checks} == {"ok"}


def test_a_slip_in_one_cell_is_a_finding_and_a_misread_row_is_a_doubt(tmp_path):
    rows = list(ROWS)
    rows[1] = ("Garvaren", 2_575, 2_340, 253, 388, 153, 235)  # two digits swapped: 235 printed 253
    rows[2] = ("Hafreborg", 3_124, 3_059, 65, 539, 474, 9_999)  # nothing like a slip: misread?
    checks = _extract(tmp_path, rows)
    status = {(c["line"], c["message"].split(" =")[0]): c["status"] for c in checks if c["status"] != "ok"}
    assert status == {("5", "Avvikelse"): "mismatch", ("6", "Budgetavvikelse"): "ambiguous"}


def test_columns_that_agree_by_coincidence_are_no_identity(tmp_path):
    """Two year columns and a third that happens to be their difference on two rows."""
    rows = [
        ("A", 100, 60, 40, 1, 1, 1),  # ones: within their own rounding, they tell nothing
        ("B", 50, 20, 30, 1, 1, 1),
        ("C", 70, 10, 5, 1, 1, 1),
        ("D", 80, 5, 1, 1, 1, 1),
    ]
    assert _extract(tmp_path, rows) == []


def test_two_columns_equal_beside_a_blank_one_are_no_sum_identity(tmp_path):
    """A year's account report: Period and Ackumulerat agree on every row (the period is the
    year) where Period fg år is blank, and on the rows where last year has figures this
    year's Period is blank. "Ackumulerat = Period + Period fg år" holds on fourteen rows only
    because a blank counts as 0: no row shows all three figures, so there is no sum to hold
    the other rows to (it was learned, and doubted three rows)."""
    header = "Konto (kr)\tPeriod\tAckumulerat\tPeriod fg år\n"
    rows: list[tuple] = [(f"30{k:02d} Intäkt {k}", 1_000 * k + 7, 1_000 * k + 7, None) for k in range(1, 15)]
    rows += [("3500 Försäljning", None, 250, 4_915), ("3510 Kiosk", None, 107, 10_938)]
    rows.append(("Summa intäkter", *(sum(r[i] or 0 for r in rows) for i in (1, 2, 3))))
    text = "# Resultatrapport\n\n" + header + "".join("\t".join([r[0], *map(_kr, r[1:])]) + "\n" for r in rows)
    out = extract_text(tmp_path, text, "rapport.txt")
    checks = csv_rows(out / "checks.csv")
    assert [c for c in checks if c["kind"] == "column_identity"] == []
    assert {c["status"] for c in checks if c["kind"] == "table_total"} == {"ok"}  # the table is read
