"""Breakdowns stated in running text: a whole and its parts, or figures and the result
they give, read as a table with its check only when the figures add up and a word points
the same way; prose that merely repeats figures stays text."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import csv_rows, extract_text

PROSE = """# Bidrag

## Studieförbund

I budgeten för studieförbundsbidrag finns 400 tkr. Av dessa utbetalas 380 tkr till
studieförbund som redovisar verksamhet i kommunen. Resterande 20 tkr utbetalas via faktura.

## Balanskravet

Staden redovisar ett resultat exklusive realisationsvinster på 1 681 miljoner kronor. En
avsättning till resultatutjämningsreserv har gjorts med 365 miljoner kronor. Årets
balanskravsresultat uppgår till 1 316 miljoner kronor.

## Utveckling

Intäkterna ökade från 100 mnkr till 150 mnkr, en ökning med 50 mnkr jämfört med året innan.

## Kostnader

Kostnaderna uppgick till 150 mnkr. Av dessa avsåg 90 mnkr personal och 50 mnkr lokaler.
"""


def _extract(tmp_path: Path) -> tuple[list[dict], list[dict]]:
    out = extract_text(tmp_path, PROSE, "prose.txt")
    return csv_rows(out / "tables.csv"), csv_rows(out / "line_items.csv")


def test_a_whole_and_its_parts_in_prose_is_a_table_with_its_check(tmp_path):
    tables, items = _extract(tmp_path)
    first = tables[0]
    assert (first["section"], first["unit"], first["stated_total_sek"], first["status"]) == (
        "Studieförbund",
        "tkr",
        "400000",
        "ok",
    )
    rows = [(r["amount_sek"], r["sign"]) for r in items if r["table_id"] == first["table_id"]]
    assert rows == [("380000", "1"), ("20000", "1")]


def test_figures_and_the_result_they_give_count_a_deduction_with_a_minus(tmp_path):
    tables, items = _extract(tmp_path)
    (result,) = [t for t in tables if t["section"] == "Balanskravet"]
    assert (result["stated_total_sek"], result["status"]) == ("1316000000", "ok")
    rows = [(r["amount_sek"], r["sign"]) for r in items if r["table_id"] == result["table_id"]]
    assert rows == [("1681000000", "1"), ("365000000", "-1")]


def test_prose_that_repeats_figures_or_does_not_add_up_stays_text(tmp_path):
    """'from 100 to 150, up 50' adds up but divides nothing; '150, of which 90 and 50'
    divides but does not add up: neither is a table, and neither is a finding."""
    tables, _ = _extract(tmp_path)
    assert [t["section"] for t in tables] == ["Studieförbund", "Balanskravet"]
