"""Which reading of a cell of several figures the table's own total confirms.

"100 000 200 000 300 000" is three figures, or two and their result, or 100 000 and
200 000 300 000: digit groups and spaces cannot tell. The cell reader takes the reading
with fewest figures (amounts.read_cell) and keeps the others; here the table's stated total
decides. Exactly one combination of readings that reconciles is taken, and said so; several
that reconcile leave the cell ambiguous, naming them; none leaves the default reading, and
a mismatch that no reading removes is the report's.
"""

from __future__ import annotations

import itertools
import math

from pipeline.extract.structure import level0_total
from pipeline.model import Amount, Row, Table
from pipeline.parse.amounts import sek

MAX_COMBINATIONS = 256  # readings of a table's ambiguous cells tried together

Reading = tuple[Amount, list[int], int | None, int]  # amount, components, stated result, precision


def choose_cell_readings(table: Table) -> None:
    """Settle the reading of each multi-figure cell of the table by its stated total."""
    rows = [r for r in table.rows if r.options and r.amount is not None and not r.level]
    if not rows:
        return
    choices = [[_current(r), *r.options] for r in rows]
    if table.stated_total is None or math.prod(map(len, choices)) > MAX_COMBINATIONS:
        for row, readings in zip(rows, choices, strict=True):
            _undecided(row, readings, "no stated total decides between them")
        return
    fitting = [combo for combo in itertools.product(*choices) if _fits(table, rows, combo)]
    if len(fitting) == 1:
        for row, reading in zip(rows, fitting[0], strict=True):
            if reading != _current(row):
                _apply(row, reading)
                note = f"cell '{row.source_text}' read as {_shown(reading)}: the table's stated total confirms it"
                table.relation = "; ".join(t for t in (table.relation, note) if t)
    elif fitting:
        for i, row in enumerate(rows):
            readings = list({_key(c[i]): c[i] for c in fitting}.values())
            _apply(row, readings[0])
            if len(readings) > 1:
                _undecided(row, readings, "each reconciles with the stated total")
    _apply_all(rows)


def _current(row: Row) -> Reading:
    assert row.amount is not None
    return (row.amount, row.components, row.stated_result, row.components_precision)


def _fits(table: Table, rows: list[Row], combo: tuple[Reading, ...]) -> bool:
    saved = [_current(r) for r in rows]
    for row, reading in zip(rows, combo, strict=True):
        _apply(row, reading)
    computed, tol = level0_total(table.rows)
    for row, reading in zip(rows, saved, strict=True):
        _apply(row, reading)
    stated = table.stated_total
    assert stated is not None
    return abs(stated.sek - computed) <= tol + stated.precision


def _apply(row: Row, reading: Reading) -> None:
    row.amount, row.components, row.stated_result, row.components_precision = reading


def _apply_all(rows: list[Row]) -> None:
    """The readings not taken stay nowhere: a row carries the one it was read with."""
    for row in rows:
        row.options = []


def _key(reading: Reading) -> tuple:
    return (reading[0].sek, tuple(reading[1]), reading[2])


def _shown(reading: Reading) -> str:
    amount, comps, result, _ = reading
    parts = " + ".join(sek(c) for c in comps).replace("+ -", "- ") if comps else sek(amount.sek)
    return f"{parts} = {sek(result)}" if result is not None else f"{parts} ({sek(amount.sek)})"


def _undecided(row: Row, readings: list[Reading], why: str) -> None:
    distinct = list({_key(r): r for r in readings}.values())
    if len(distinct) > 1 and not row.split_note:
        row.split_note = f"figures can be read as {' or as '.join(_shown(r) for r in distinct)}; {why}"
