"""Extract stage: structure rules on small cases, and metadata on the real reports."""

from __future__ import annotations

import pytest

from pipeline.extract import extract
from pipeline.extract.structure import assign_levels
from pipeline.model import Amount, Row
from pipeline.read import read_source
from tests.conftest import RAW, gold_for


def _rows(values: list[int], marked: set[int] = frozenset()) -> list[Row]:
    return [
        Row(line=i + 1, label=f"r{i}", amount=Amount(v * 100_000, 50_000, "mnkr"), marked_child=i in marked)
        for i, v in enumerate(values)
    ]


def test_unmarked_rows_that_happen_to_add_up_stay_level_0_when_the_total_reconciles():
    rows = _rows([10, 4, 6])
    assign_levels(rows, Amount(2_000_000, 50_000, "mnkr"))
    assert [r.level for r in rows] == [0, 0, 0]


def test_unmarked_rows_become_sub_rows_only_when_the_stated_total_needs_it():
    rows = _rows([10, 4, 6, 5])
    assign_levels(rows, Amount(1_500_000, 50_000, "mnkr"))
    assert [r.level for r in rows] == [0, 1, 1, 0]


def test_marked_rows_that_add_up_are_sub_rows_without_a_stated_total():
    rows = _rows([10, 4, 6, 5], marked={1, 2})
    assign_levels(rows, None)
    assert [r.level for r in rows] == [0, 1, 1, 0]


def test_marked_rows_that_do_not_add_up_stay_level_0():
    rows = _rows([10, 4, 9], marked={1, 2})  # 13 vs 10: beyond the rounding of three figures
    assign_levels(rows, None)
    assert [r.level for r in rows] == [0, 0, 0]


@pytest.mark.parametrize("path", sorted(RAW.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_metadata_is_read_from_the_text(path):
    gold = gold_for(path.stem)["document"]
    meta = extract(read_source(path, path.name)).metadata
    assert (meta.covers_year, meta.date, meta.diary_number, meta.doc_kind, meta.organisation) == (
        gold["covers_year"],
        gold["date"],
        gold["diary_number"],
        gold["doc_kind"],
        gold["organisation"],
    )
    assert meta.title == gold["title"]


def test_personal_data_from_the_letterhead_stays_out_of_the_metadata():
    path = RAW / "000_93fb2a21b5c93de9.txt"
    meta = extract(read_source(path, path.name)).metadata
    assert "@" not in str(meta) and "Persson" not in str(meta)


def test_a_date_that_ends_a_period_is_not_the_reports_date():
    from pipeline.parse.dates import document_dates

    assert document_dates("Rapportperiod 2023-01-01 – 2023-12-31") == []
    assert document_dates("Avser perioden t.o.m. 2025-12-31") == []
    assert document_dates("Räkenskapsår 2024-01-01 - 2024-12-31 Utskrivet 2026-03-26") == ["2026-03-26"]
    assert document_dates("Belopp i kr 2023-01-01- 2022-01-01-") == []
    assert document_dates("Östersund den 14 april 2023, per 31 december 2022") == ["2023-04-14"]


def test_a_word_broken_at_a_lines_end_names_no_organisation(tmp_path):
    """"Bank of England kommun-" / "icerat" (kommunicerat, hyphenated at the line's end) is no
    municipality; "Umeå kommun" in the same text is the publisher."""
    text = (
        "# Penningpolitisk rapport\n\n"
        "Både Federal Reserve och Bank of England kommun-\nicerat att styrräntan ligger kvar.\n\n"
    )
    path = tmp_path / "rapport.txt"
    path.write_text(text, encoding="utf-8")
    assert extract(read_source(path, path.name)).metadata.organisation is None
    path.write_text(text + "Årsredovisning för Umeå kommun 2023.\n", encoding="utf-8")
    assert extract(read_source(path, path.name)).metadata.organisation == "Umeå kommun"
