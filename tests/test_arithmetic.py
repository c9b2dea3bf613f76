"""A table's structure read from its arithmetic, on tables built here (not on the page
that prompted each rule): nested and cumulative totals, stacked result blocks, differences,
coincidences that must not count, genuine slips that must stay findings, and totals whose
rows are elsewhere, which must not become findings."""

from __future__ import annotations

import csv

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.extract.arithmetic import GridRow, read_structure
from pipeline.model import Amount


def _row(*figures: int | None, total: bool = False, result: bool = False, bold: bool = False, unit: str = "tkr"):
    scale = {"kr": 1, "antal": 1, "tkr": 1000, "mnkr": 1_000_000}[unit]
    half = scale // 2 if scale > 1 else 0
    values = {c: Amount(v * scale, half, unit) for c, v in enumerate(figures) if v is not None}
    return GridRow(values, total_word=total, result_word=result, emphasis=bold)


def _structure(rows: list[GridRow]) -> list[tuple[int, list[int], list[int], bool]]:
    return [(r.row, r.operands, r.signs, r.fits) for r in read_structure(rows).reductions]


def test_nested_subtotals_and_a_grand_total_of_the_subtotals():
    rows = [
        _row(100, 90), _row(200, 210), _row(300, 300, total=True),  # Summa A
        _row(40, 50), _row(60, 50), _row(100, 100, total=True),  # Summa B
        _row(400, 400, total=True),  # Summa: the two subtotals, never dropped
    ]
    assert _structure(rows) == [(2, [0, 1], [1, 1], True), (5, [3, 4], [1, 1], True), (6, [2, 5], [1, 1], True)]


def test_a_cumulative_total_is_the_previous_total_plus_the_rows_since():
    rows = [_row(10), _row(20), _row(30, total=True), _row(5), _row(7), _row(42, total=True)]
    assert _structure(rows) == [(2, [0, 1], [1, 1], True), (5, [2, 3, 4], [1, 1, 1], True)]


def test_a_stacked_result_block_with_a_difference():
    """Intäkter + Kostnader = Nettokostnad; Nettokostnad - Budget = Budgetavvikelse."""
    rows = [
        _row(10_135, 11_251),
        _row(-69_731, -73_300),
        _row(-59_596, -62_049, result=True),  # Nettokostnader
        _row(-59_689, -63_119),  # Budget
        _row(93, 1_070, result=True),  # Budgetavvikelse
    ]
    assert _structure(rows) == [(2, [0, 1], [1, 1], True), (4, [2, 3], [1, -1], True)]


def test_a_coincidence_in_one_column_without_a_word_is_not_a_total():
    rows = [_row(100), _row(200), _row(300), _row(50)]
    reading = read_structure(rows)
    assert reading.reductions == [] and reading.open_items == [0, 1, 2, 3]


def test_two_agreeing_columns_are_evidence_enough_without_a_word():
    rows = [_row(100, 7), _row(200, 8), _row(300, 15)]
    assert _structure(rows) == [(2, [0, 1], [1, 1], True)]


def test_a_slip_in_a_total_stays_a_finding_and_a_total_from_elsewhere_is_a_doubt():
    slip = read_structure([_row(3_334, unit="kr"), _row(4_334, unit="kr"), _row(7_778, total=True, unit="kr")])
    assert [(r.fits, r.unplaced) for r in slip.reductions] == [(False, False)]
    elsewhere = read_structure([_row(59_716, unit="kr"), _row(1_361_442, total=True, unit="kr")])
    assert [(r.fits, r.unplaced) for r in elsewhere.reductions] == [(False, True)]


def test_a_total_that_holds_in_most_columns_keeps_its_structure():
    """Four columns agree that 'Summa' sums the two subtotals; the fifth is off by 3: that
    column is the finding, not a reason to read the table differently."""
    rows = [
        _row(None, None, 800, 617, 183, unit="mnkr"),
        _row(None, None, 125, 125, None, unit="mnkr"),
        _row(None, None, 925, 742, 183, total=True, unit="mnkr"),
        _row(4_827, 4_812, 709, 694, 15, unit="mnkr"),
        _row(15_241, 10_315, 8_891, 3_965, 4_926, unit="mnkr"),
        _row(20_068, 15_127, 9_600, 4_659, 4_941, total=True, unit="mnkr"),
        _row(20_068, 15_130, 10_525, 5_401, 5_124, total=True, unit="mnkr"),
    ]
    structure = read_structure(rows).reductions
    assert [(r.row, r.operands) for r in structure] == [(2, [0, 1]), (5, [3, 4]), (6, [2, 5])]
    assert structure[-1].evidence == "2 rows add up in 4 columns, not in 1 column"


def test_whole_kronor_tolerate_rounding_from_ore():
    rows = [_row(1_001, unit="kr"), _row(2_001, unit="kr"), _row(3_001, unit="kr"), _row(6_004, total=True, unit="kr")]
    assert _structure(rows) == [(3, [0, 1, 2], [1, 1, 1], True)]  # 6 003 vs 6 004: within (3 + 1) // 2 kr
    rows[-1] = _row(6_006, total=True, unit="kr")
    assert _structure(rows)[0][3] is False  # 3 kr off: a finding


STATEMENT = """## Resultaträkning 2025

Belopp i tkr\tNot\t2025\t2024
Nettoomsättning\t2\t1 591\t1 512
Övriga rörelseintäkter\t\t59\t8
<b>Summa rörelseintäkter</b>\t\t<b>1 650</b>\t<b>1 520</b>
Övriga externa kostnader\t3\t-1 361\t-1 110
Personalkostnader\t\t-66\t-56
<b>Summa rörelsekostnader</b>\t\t<b>-1 427</b>\t<b>-1 166</b>
Rörelseresultat\t\t223\t354
Finansiella poster\t\t\t
Ränteintäkter\t\t28\t5
Räntekostnader\t\t-59\t-51
<b>Summa finansiella poster</b>\t\t<b>-31</b>\t<b>-46</b>
Resultat efter finansiella poster\t\t192\t308
Årets resultat\t\t192\t300
"""


def test_an_income_statement_reads_as_a_chain_of_blocks_with_one_real_finding(tmp_path):
    """Every result row closes its own block, in both year columns; the one printed slip
    (Årets resultat 2024: 300 where 308 is carried down) is the only finding."""
    (tmp_path / "rr.txt").write_text(STATEMENT, encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["extract", str(tmp_path / "rr.txt"), "--out", str(out)]).exit_code == 0
    with (out / "tables.csv").open(encoding="utf-8") as f:
        tables = list(csv.DictReader(f))
    stated = [(int(t["stated_total_sek"]) // 1000, t["status"]) for t in tables if t["stated_total_sek"]]
    assert stated == [
        (1650, "ok"), (1520, "ok"),
        (-1427, "ok"), (-1166, "ok"),
        (223, "ok"), (354, "ok"),
        (-31, "ok"), (-46, "ok"),
        (192, "ok"), (308, "ok"),
        (192, "ok"), (300, "mismatch"),
    ]
    with (out / "checks.csv").open(encoding="utf-8") as f:
        findings = [c for c in csv.DictReader(f) if c["status"] == "mismatch"]
    assert [(c["stated_sek"], c["computed_sek"]) for c in findings] == [("300000", "308000")]


def test_a_row_equal_to_the_one_above_plus_zeros_is_no_total_without_a_word():
    """Staff counts: 'Timavlönade 1 | 1 | 1' under 'Tidsbegränsat 1 | 1 | 1' and a row of
    zeros add up, but only by repetition; the worded total below is the table's, and its
    2022 figure is the report's slip (33 + 0 + 1 + 1 = 35, printed 34)."""
    rows = [
        _row(33, 29, 33, unit="antal"), _row(0, 0, 0, unit="antal"), _row(1, 1, 1, unit="antal"),
        _row(1, 1, 1, unit="antal"), _row(34, 31, 35, total=True, unit="antal"),
    ]
    reading = read_structure(rows)
    assert [(r.row, r.operands) for r in reading.reductions] == [(4, [0, 1, 2, 3])]
    assert reading.reductions[0].evidence == "4 rows add up in 2 columns, not in 1 column"


TWO_TABLES = """## Personal

Antal\t2022\t2021
Heltid\t33\t29
Deltid\t1\t2
Totalt antal\t34\t31
Belopp i tkr\t2022\t2021
Lönekostnad\t19 649\t18 988
Arvoden\t351\t312
Summa\t20 000\t19 300
"""


def test_a_new_row_of_column_headers_starts_a_printed_table_of_its_own(tmp_path):
    """One block holding two printed tables (counts, then money in tkr): each is read with
    its own header and unit, and each total reconciles."""
    (tmp_path / "two.txt").write_text(TWO_TABLES, encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["extract", str(tmp_path / "two.txt"), "--out", str(out)]).exit_code == 0
    with (out / "tables.csv").open(encoding="utf-8") as f:
        tables = list(csv.DictReader(f))
    assert [(t["unit"], t["stated_total_sek"], t["status"]) for t in tables] == [
        ("antal", "34", "ok"), ("antal", "31", "ok"), ("tkr", "20000000", "ok"), ("tkr", "19300000", "ok"),
    ]
    assert len({t["printed_table"] for t in tables}) == 2


def test_a_bare_result_named_on_the_next_row_is_one_figure_not_a_total_of_one_row():
    """'178 893' under two rows, then 'Kassaflöde före förändringar ... 178 893': the label
    names the bare result; the next block sums the named row, and no table of one row is
    made of the repetition. Two named results that agree (Resultat efter finansiella poster,
    Årets resultat) stay two figures, the second a total of the first."""
    rows = [
        _row(-58, 52, result=True),
        _row(237, 259),
        GridRow(_row(179, 311).values, emphasis=True, bare=True),
        _row(179, 311, result=True),  # the bare figures again, now named
        _row(-13, 46),
        _row(79, -30),
        _row(245, 327, result=True),
    ]
    assert _structure(rows) == [(2, [0, 1], [1, 1], True), (6, [3, 4, 5], [1, 1, 1], True)]
    named = [_row(10, 20), _row(5, 5), _row(15, 25, result=True), _row(15, 25, result=True)]
    assert _structure(named) == [(2, [0, 1], [1, 1], True), (3, [2], [1], True)]


def test_a_named_result_of_zero_closes_its_group_of_zeros():
    """'Upptagna lån 0 | 0', 'Amortering 0 | 0', 'Kassaflöde från finansieringsverksamheten
    0 | 0': no arithmetic can tell what a 0 sums, so the group after the heading is taken;
    the result below then sums the three results, not the zero rows again."""
    rows = [
        _row(None, None),  # Den löpande verksamheten
        _row(100, 120),
        _row(50, 60),
        _row(150, 180, result=True),
        _row(None, None),  # Finansieringsverksamheten
        _row(0, 0),
        _row(0, 0),
        _row(0, 0, result=True),
        _row(150, 180, result=True),  # Årets kassaflöde
    ]
    assert _structure(rows) == [(3, [1, 2], [1, 1], True), (7, [5, 6], [1, 1], True), (8, [3, 7], [1, 1], True)]


PARTS = """## Not 16 Skulder till kreditinstitut

Belopp i kr\t2023-12-31\t2022-12-31
Lån A\t49 565 743\t50 067 743
Lån B\t148 446 228\t149 952 228
Summa\t198 011 971\t200 019 971
Varav kortfristig del\t148 948 228\t99 884 483

## Not 13 Byggnader och mark

Belopp i kr\t2023-12-31\t2022-12-31
Anskaffningsvärde\t1 180 048 101\t1 180 048 101
Ackumulerad avskrivning\t-51 098 872\t-34 962 386
Restvärde enligt plan\t1 128 949 229\t1 145 085 715
I restvärdet ingår mark med\t550 606 492\t550 606 492
"""


def test_a_varav_row_under_a_total_is_a_part_of_that_total(tmp_path):
    """'Varav kortfristig del' (or 'I restvärdet ingår mark med') printed under a stated
    total is a level-1 part of that table, checked against the total, never a table of its
    own and never an item the total sums."""
    (tmp_path / "parts.txt").write_text(PARTS, encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["extract", str(tmp_path / "parts.txt"), "--out", str(out)]).exit_code == 0
    with (out / "tables.csv").open(encoding="utf-8") as f:
        tables = list(csv.DictReader(f))
    with (out / "line_items.csv").open(encoding="utf-8") as f:
        items = list(csv.DictReader(f))
    with (out / "checks.csv").open(encoding="utf-8") as f:
        checks = list(csv.DictReader(f))
    assert [(t["stated_total_sek"], t["status"]) for t in tables] == [
        ("198011971", "ok"),
        ("200019971", "ok"),
        ("1128949229", "ok"),
        ("1145085715", "ok"),
    ]
    parts = [(r["table_id"], r["amount_sek"]) for r in items if r["level"] == "1"]
    assert parts == [("t1", "148948228"), ("t2", "99884483"), ("t3", "550606492"), ("t4", "550606492")]
    part_checks = [(c["table_id"], c["status"]) for c in checks if c["kind"] == "part_of"]
    assert part_checks == [("t1", "ok"), ("t2", "ok"), ("t3", "ok"), ("t4", "ok")]
    assert not [c for c in checks if c["status"] == "mismatch"]
