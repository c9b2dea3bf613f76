"""Tables whose headers leave the arithmetic or the kind of figure open: a result column
that is a difference, footnote marks on amounts, count columns beside money columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import csv_rows, extract_text

REPORT = (
    "# Driftredovisning\n\n"
    "Verksamheter (tkr)\tUtfall 2025\tBudget 2025\tÅterstår\n"
    "Bibliotek\t-13 123\t-13 152\t29\n"
    "Museum\t-8 417\t-8 603\t186\n"
    "Fritid\t-5 347\t-5 386\t50\n"  # 39 would fit: the report's own slip, to be reported
    "Summa totalt\t-26 887\t-27 141\t265\n\n"
    "# Bidrag\n\n"
    "Bidrag, tkr\tBokslut 2024\tBudget 2025\tAntal 2025\n"
    "Arrangörsbidrag\t-718\t-718\t23\n"
    "Studieförbund\t-391\t-400*\t9\n"
    "Totalt\t-1 109\t-1 118\t32\n\n"
    "# Prognoser\n\n"
    "Procent, årsgenomsnitt\t2014\t2015\n"
    "Reporänta\t0,3\t0,2\n"
    "Index, 2005 = 100\t2014\t2015\n"
    "Importvolym\t1 180\t1 214\n"
)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("tables")
    (base / "drift.txt").write_text(REPORT, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(base / "drift.txt"), "--out", str(base / "out")])
    assert result.exit_code == 0, result.output
    return base / "out"


_rows = csv_rows


def test_a_remaining_column_that_is_a_difference_is_read_as_one_and_a_row_that_does_not_fit_stays_a_finding(out):
    checks = {c["check_id"]: c for c in _rows(out / "checks.csv")}
    relation = next(c for c in checks.values() if c["kind"] == "relation")
    t = relation["table_id"]
    assert relation["message"] == "column Återstår read as Utfall 2025 - Budget 2025 (fits 2 of 3 rows)"
    assert [checks[f"{t}.r{n}.cell_sum"]["status"] for n in (1, 2, 3)] == ["ok", "ok", "mismatch"]
    fritid = checks[f"{t}.r3.cell_sum"]
    assert (fritid["stated_sek"], fritid["computed_sek"]) == ("50000", "39000")
    assert checks[f"{t}.table_total"]["status"] == "ok"  # 29 + 186 + 50 = 265 as stated


def test_the_columns_before_a_result_column_are_tables_with_their_own_totals(out):
    tables = [t for t in _rows(out / "tables.csv") if t["section"] == "Driftredovisning"]
    assert [(t["caption"], t["stated_total_sek"], t["status"]) for t in tables[:2]] == [
        ("Verksamheter (tkr) [Utfall 2025]", "-26887000", "ok"),
        ("Verksamheter (tkr) [Budget 2025]", "-27141000", "ok"),
    ]


def test_a_footnote_mark_does_not_hide_an_amount_and_count_columns_are_counts_not_money(out):
    tables = _rows(out / "tables.csv")
    assert [(t["caption"], t["unit"], t["status"]) for t in tables if t["section"] == "Bidrag"] == [
        ("Bidrag, tkr [Bokslut 2024]", "tkr", "ok"),
        ("Bidrag, tkr [Budget 2025]", "tkr", "ok"),
        ("Bidrag, tkr [Antal 2025]", "antal", "ok"),  # counts that the total sums: 23 + 9 = 32
    ]
    budget = next(t["table_id"] for t in tables if t["section"] == "Bidrag" and t["caption"].endswith("[Budget 2025]"))
    rows = [r for r in _rows(out / "line_items.csv") if r["table_id"] == budget]
    assert [(r["label"], r["amount_sek"], r["comment"]) for r in rows] == [
        ("Arrangörsbidrag", "-718000", ""),
        ("Studieförbund", "-400000", "*"),
    ]
    assert not any(c["status"] == "mismatch" for c in _rows(out / "checks.csv") if c["table_id"] == budget)


def test_figures_that_are_shares_or_indexes_are_not_read_as_kronor(out):
    """No unit is written, and decimal commas would otherwise be read as mnkr."""
    assert not any(t["section"] == "Prognoser" for t in _rows(out / "tables.csv"))


def test_counts_without_a_total_are_statistics_not_a_table(tmp_path):
    (tmp_path / "besok.txt").write_text(
        "# Besök\n\nAntal besökare\t2024\t2025\nMuseet\t12 500\t13 200\nBiblioteket\t40 100\t41 950\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "besok.txt"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert _rows(tmp_path / "o" / "tables.csv") == []


RATES = (
    "# Prognos\n\n"
    "Svensk ekonomi går bättre. Hushållen betalar i svenska kronor.\n\n"
    "## Utsikter\n\n"
    "Nyckeltal\t2014\t2015\t2016\n"
    "BNP\t1,9\t3,2\t3,1\n"
    "Arbetslöshet\t8,0\t7,6\t7,1\n"
    "Reporänta\t0,5\t0,3\t0,8\n"
    "Summa\t10,4\t11,1\t11,0\n"
)


def test_figures_are_money_only_where_the_report_says_so(tmp_path):
    """The same table of decimal figures is rates in a report that names 'kronor' once in
    passing, and mnkr in one that declares its unit."""
    declared = RATES.replace("Svensk ekonomi går bättre.", "Alla belopp anges i miljoner kronor.")
    for name, text in (("rates.txt", RATES), ("money.txt", declared)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    tables = _rows(tmp_path / "o" / "tables.csv")
    assert {(t["doc_id"], t["unit"], t["stated_total_sek"]) for t in tables} == {
        ("money.txt", "mnkr", "10400000"),
        ("money.txt", "mnkr", "11100000"),
        ("money.txt", "mnkr", "11000000"),
    }


def test_a_cell_whose_result_is_a_thousand_times_its_parts_is_a_doubt_not_a_finding(tmp_path):
    """Figures of two columns run into one cell make a 'result' no slip explains."""
    cell = (
        "# Utfall\n\nPost\tkronor\n"
        "Hyror\t73 255 + 71 299 = 667 968 771 495\n"
        "Avgifter\t1 193 907 - 131 914 = 740 222\n"
    )
    out = extract_text(tmp_path, cell, "cell.txt")
    checks = [(c["kind"], c["status"], c["stated_sek"]) for c in _rows(out / "checks.csv")]
    assert ("structure", "ambiguous", "667968771495") in checks
    assert ("cell_sum", "mismatch", "740222") in checks  # 1 061 993 written as 740 222: the report's own


KEY_FIGURES = (
    "# Flerårsöversikt\n\n"
    "Belopp i kr\t2023\t2022\t2021\n"
    "Nettoomsättning\t1 591 572\t1 512 051\t1 478 028\n"
    "Resultat efter finansiella poster\t-58 957\t52 314\t-726 334\n"
    "Soliditet (%)\t92\t92\t92\n"
    "Årsavgift/kvm bostadsrättsyta\t435\t424\t416\n"
    "Lönekostnad per årsarbetare\t560\t581\t521\n\n"
    "# Resultaträkning\n\n"
    "Belopp i kr\t2023\t2022\n"
    "Nettoomsättning\t1 591 572\t1 512 051\n"
    "Övriga intäkter\t8 428\t7 949\n"
    "Summa intäkter\t1 600 000\t1 520 000\n"
    "Eget kapital\t3 366 000\t3 950 000\n"
)


def test_key_figures_without_a_total_and_a_lone_memo_row_are_not_tables(tmp_path):
    """A multi-year overview of amounts beside shares and per-unit figures is statistics,
    not amounts that sum; a single row under a reconciled table (Eget kapital) is a memo
    figure. The reconciled table itself is kept whole."""
    out = extract_text(tmp_path, KEY_FIGURES, "key.txt")
    tables = _rows(out / "tables.csv")
    assert [(t["section"], t["stated_total_sek"], t["status"]) for t in tables] == [
        ("Resultaträkning", "1600000", "ok"),
        ("Resultaträkning", "1520000", "ok"),
    ]


def test_kronor_and_ore_are_money_whatever_else_the_header_says(tmp_path):
    """An accounting system's print-out writes no unit, and its header mentions a
    percentage comparison it does not print: figures written '731 961,00' are kronor."""
    printout = (
        "# Resultaträkning\n\n"
        "Jämförelse: ackumulerat i %\tAckumulerat\n"
        "3800 Medlemsavgifter\t731 961,00\n"
        "3810 Slutreglering\t30 504,42\n"
        "Summa intäkter\t762 465,42\n"
    )
    out = extract_text(tmp_path, printout, "rr.txt")
    tables = _rows(out / "tables.csv")
    assert [(t["unit"], t["stated_total_sek"], t["status"]) for t in tables] == [("kr", "762465", "ok")]
