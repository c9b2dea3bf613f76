"""Swedish amounts: single figures, units, precision, multi-amount cells."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.model import Segment
from pipeline.parse.amounts import find_money, parse_amount, read_cell, unit_in
from pipeline.read.markdown import _cell

SEPARATORS = [" ", "\u00a0", "\u202f", ""]
MINUS = ["-", "\u2212", "- ", "\u2212 "]
UNITS = {"kr": 1, "tkr": 1_000, "mnkr": 1_000_000, "mdkr": 1_000_000_000}
SPELLINGS = {
    "kr": ["kr", "kronor", "SEK"],
    "tkr": ["tkr", "tusen kronor"],
    "mnkr": ["mnkr", "mkr", "miljoner kronor", "Mkr"],
    "mdkr": ["mdkr", "miljarder kronor"],
}


def swedish(n: int, sep: str) -> str:
    digits = str(abs(n))
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sep.join(groups)


def written(value_sek: int, unit: str, sep: str, minus: str, spelling: str) -> str:
    scaled = Decimal(abs(value_sek)) / UNITS[unit]
    whole, _, frac = format(scaled.normalize(), "f").partition(".")
    body = swedish(int(whole), sep) + (f",{frac}" if frac else "")
    return f"{minus if value_sek < 0 else ''}{body} {spelling}"


@settings(max_examples=300, deadline=None)
@given(
    value=st.integers(min_value=-(10**12), max_value=10**12),
    unit=st.sampled_from(sorted(UNITS)),
    sep=st.sampled_from(SEPARATORS),
    minus=st.sampled_from(MINUS),
    data=st.data(),
)
def test_any_integer_written_the_swedish_way_parses_back(value, unit, sep, minus, data):
    spelling = data.draw(st.sampled_from(SPELLINGS[unit]))
    text = written(value, unit, sep, minus, spelling)
    amount = parse_amount(text)
    assert amount is not None, text
    assert amount.sek == value, text
    assert amount.unit == unit


@settings(max_examples=300, deadline=None)
@given(
    components=st.lists(
        st.integers(min_value=-(10**9), max_value=10**9).filter(lambda v: v != 0), min_size=2, max_size=4
    ),
    sep=st.sampled_from([" ", "\u00a0"]),
    marker=st.sampled_from(["equals", "underline"]),
)
def test_multi_amount_cell_splits_back_into_its_components(components, sep, marker):
    total = sum(components)
    assume(total != 0)
    parts = [f"{'- ' if c < 0 else ''}{swedish(c, sep)}" for c in components]
    result = f"{'-' if total < 0 else ''}{swedish(total, sep)}"
    if marker == "equals":
        segments = (Segment(" ".join(parts) + " = " + result),)
    else:  # the report's style: the last component underlined, the result after it
        segments = (Segment(" ".join(parts[:-1]) + " "), Segment(parts[-1], underline=True), Segment(" " + result))
    reading = read_cell(segments)
    assert reading is not None, segments
    assert reading.result is not None and int(reading.result.value) == total, segments
    if reading.ambiguous:
        assert components in [[int(v) for v in alt] for alt in reading.alternatives], segments
    else:
        assert [int(n.value) for n in reading.components] == components, segments


@pytest.mark.parametrize(
    ("raw", "components", "result", "basis"),
    [
        ("5 600 891 1 666 667 <u>50 789 293</u> = 58 056 851", [5600891, 1666667, 50789293], 58056851, "equals"),
        ("5 345 731 <u>6 315 845</u> 11 661 576", [5345731, 6315845], 11661576, "underline"),
        ("2 608 706 - 202 706 2 406 000", [2608706, -202706], 2406000, "sum"),
        ("1 193 907 <u>- 131 914</u> 740 222", [1193907, -131914], 740222, "underline"),
        ("24 796 007 5 052 676 1 263 169", [24796007, 5052676, 1263169], None, "list"),
        ("72 665 190 / -1 262 843", [72665190, -1262843], None, "list"),
    ],
)
def test_cells_from_the_reports(raw, components, result, basis):
    reading = read_cell(_cell(raw).parts)
    assert [int(n.value) for n in reading.components] == components
    assert (int(reading.result.value) if reading.result else None) == result
    assert reading.basis == basis


def test_a_single_grouped_amount_is_never_split_by_coincidence():
    # 12 + 300 = 312, but without '=' or an underline this is one amount
    reading = read_cell((Segment("12 300 312"),))
    assert reading.basis == "single" and int(reading.components[0].value) == 12300312


@pytest.mark.parametrize(
    ("text", "unit", "sek", "precision"),
    [
        ("30,6", "mnkr", 30_600_000, 50_000),
        ("0,25", "mnkr", 250_000, 5_000),
        ("16", "mnkr", 16_000_000, 500_000),
        ("8,523", "mnkr", 8_523_000, 500),
        ("200 tkr", None, 200_000, 500),
        ("64 410 035", None, 64_410_035, 0),
        ("50000000", None, 50_000_000, 0),
        ("- 202 706", None, -202_706, 0),
        ("2,5mkr", None, 2_500_000, 50_000),
        ("1 234,50 kr", None, 1_234, 1),
    ],
)
def test_precision_follows_the_last_written_digit(text, unit, sek, precision):
    amount = parse_amount(text, unit)
    assert (amount.sek, amount.precision) == (sek, precision)


def test_money_in_running_text_including_a_stray_space_before_the_comma():
    found = find_money("Ökat antalet PTP-psykologer, 3 anställda under året, 1 ,5 mnkr")
    assert [(m.amount.sek, m.amount.unit) for m in found] == [(1_500_000, "mnkr")]
    assert find_money("Utbildat cirka 400 – 450 medarbetare") == []


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("Erhållna medel Region JH (kronor)", "kr"),
        ("Miljoner kronor", "mnkr"),
        ("Belopp i kr", "kr"),
        ("Tusen kronor", "tkr"),
        ("SUMMA", None),
        ("Ett urval av gjorda insatser under år 2022: miljoner kronor", "mnkr"),
    ],
)
def test_unit_named_in_a_header(header, unit):
    assert unit_in(header) == unit


def test_a_date_in_a_cell_is_not_an_amount():
    """'2023-12-31' over a column read as 2023 - 12 - 31 = 1 980 kr in every note table."""
    from pipeline.parse.amounts import looks_numeric

    assert not looks_numeric("2023-12-31")
    assert not looks_numeric("2023-01-01 - 2023-12-31")
    assert looks_numeric("-2 460 630") and looks_numeric("5 600 891 1 666 667 = 7 267 558")
