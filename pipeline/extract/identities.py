"""Identities between the amount columns of a printed table, learned from its rows.

"Total projektbudget | Ack. Utfall | Avvikelse | Budget 2025 | Utfall 2025 | Budgetavvikelse":
Avvikelse = Total projektbudget - Ack. Utfall on every row, and Budgetavvikelse = Budget
2025 - Utfall 2025. Which columns, and which way round (Budget - Utfall or Utfall -
Budget), is not read from the headers but from the rows where an identity holds; a header
naming a result (Avvikelse, Differens, Summa, ...) only lowers how many rows must show it.
Once learned, it is checked on every row with the figures: a row where it fails is a
finding when the gap looks like the report's slip (doubts.report_slip), and a doubt
otherwise (a misread row is no finding).

A last column headed Summa/Återstår/... is a sum column already (tables._sum_table); it is
not learned again here.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

import regex as re

from pipeline.extract.arithmetic import GridRow
from pipeline.extract.layout import Layout, column_name
from pipeline.model import Amount, RowIdentity, Table
from pipeline.vocab import COUNT_UNIT, IDENTITY_HEADER

_RESULT_HEADER_RE = re.compile(IDENTITY_HEADER, re.IGNORECASE)
MIN_ROWS_NAMED = 2  # rows that must show an identity whose result column is named as one
MIN_ROWS = 4  # ... and one whose result column is not
HOLD_SHARE = 0.8  # share of the rows with figures where it must hold (one row may always fail)


@dataclass(frozen=True)
class Identity:
    """Column `result` = column `a` + sign * column `b`."""

    result: int
    a: int
    b: int
    sign: int
    held: int


def _values(row: GridRow, identity: Identity) -> tuple[Amount, Amount | None, Amount | None] | None:
    result = row.values.get(identity.result)
    a, b = row.values.get(identity.a), row.values.get(identity.b)
    if result is None or (a is None and b is None):
        return None
    return result, a, b


def _gap(result: Amount, a: Amount | None, b: Amount | None, sign: int) -> tuple[int, int]:
    """(stated - computed, tolerance); a blank operand is 0."""
    computed = (a.sek if a else 0) + sign * (b.sek if b else 0)
    tol = result.precision + (a.precision if a else 0) + (b.precision if b else 0)
    return result.sek - computed, tol


def learn(lay: Layout, grid: list[GridRow], skip: set[int]) -> list[Identity]:
    """The identities the rows show, at most one per result column; `skip`: columns that
    are results already (a sum column)."""
    cols = [c for c in lay.amount_cols if lay.units[c] != COUNT_UNIT]
    found: list[Identity] = []
    for result, a, b in permutations(cols, 3):
        if result in skip or len({lay.units[result], lay.units[a], lay.units[b]}) != 1:
            continue
        named = bool(_RESULT_HEADER_RE.search(lay.col_header[result]))
        for sign in (1, -1) if a < b else (-1,):  # a + b once; a - b and b - a both
            held = whole = applicable = 0
            for row in grid:
                if row.part:
                    continue
                vals = _values(row, Identity(result, a, b, sign, 0))
                if vals is None:
                    continue
                gap, tol = _gap(*vals, sign)
                tiny = any(v and v.sek and abs(v.sek) <= tol for v in vals)
                if not any(v and abs(v.sek) > tol for v in vals) or (tiny and abs(gap) <= tol):
                    continue  # figures within their own rounding that agree tell nothing
                applicable += 1
                held += abs(gap) <= tol
                whole += abs(gap) <= tol and None not in vals
            need = MIN_ROWS_NAMED if named else MIN_ROWS
            # Shown by rows with all three figures: where one operand is blank on every row
            # it holds on, the rows show only that two columns are equal (Period and
            # Ackumulerat in a year's report), no sum to hold the other rows to.
            if whole >= need and applicable - held <= max(1, (1 - HOLD_SHARE) * applicable):
                found.append(Identity(result, a, b, sign, held))
    return _one_per_column(found, lay)


def _one_per_column(found: list[Identity], lay: Layout) -> list[Identity]:
    """One identity per set of columns and per result column. c = a - b, a = b + c and
    b = a - c are one identity (blank cells make them hold on different rows): it is
    written with the column named as a result (Avvikelse) as its result, else the
    rightmost; the identities that hold on most rows are taken first."""
    groups: dict[frozenset[int], list[Identity]] = {}
    for ident in found:
        groups.setdefault(frozenset((ident.result, ident.a, ident.b)), []).append(ident)
    kept: list[Identity] = []
    for forms in sorted(groups.values(), key=lambda f: (-max(i.held for i in f), -_after_operands(f, lay))):
        taken = {k.result for k in kept}
        free = [i for i in forms if i.result not in taken]
        named = [i for i in free if _RESULT_HEADER_RE.search(lay.col_header[i.result])]
        best = max(named or free, key=lambda i: i.result, default=None)
        # the named result column is another identity's: the coincidence is not kept
        lost_name = not named and any(_RESULT_HEADER_RE.search(lay.col_header[i.result]) for i in forms)
        if best is not None and not lost_name:
            kept.append(best)
    return kept


def _after_operands(forms: list[Identity], lay: Layout) -> bool:
    """The layout's prior where the rows cannot tell two identities apart: a result
    column named as one stands right after its two operand columns (Budget | Utfall |
    Avvikelse)."""
    cols = lay.amount_cols
    return any(
        _RESULT_HEADER_RE.search(lay.col_header[i.result])
        and i.result in cols[2:]
        and {i.a, i.b} == set(cols[cols.index(i.result) - 2 : cols.index(i.result)])
        for i in forms
    )


def attach(identities: list[Identity], lay: Layout, grid: list[GridRow], tables: list[Table]) -> None:
    """Each identity, on every row with the figures, onto the table of the result column
    that holds the row (as an item, or as its stated total)."""
    for ident in identities:
        name = f"{column_name(lay, ident.result)} = {column_name(lay, ident.a)} {'+' if ident.sign > 0 else '-'} "
        name += column_name(lay, ident.b)
        for row, printed in zip(grid, lay.data, strict=True):
            vals = _values(row, ident)
            if vals is None or row.part:
                continue
            result, a, b = vals
            table, index = _place(tables, ident.result, printed.page, printed.line)
            if table is None:
                continue
            operands = [a.sek if a else 0, ident.sign * (b.sek if b else 0)]
            precision = (a.precision if a else 0) + (b.precision if b else 0)
            table.identities.append(RowIdentity(index, printed.line, printed.page, result, operands, precision, name))


def _place(tables: list[Table], col: int, page: int | None, line: int) -> tuple[Table | None, int | None]:
    for table in tables:
        if table.column != col:
            continue
        for n, row in enumerate(table.rows):
            if row.line == line and row.page == page and not row.part_of:
                return table, n
    for table in tables:
        if table.column == col and table.stated_total_line == line and table.stated_total_page == page:
            return table, None
    return None, None
