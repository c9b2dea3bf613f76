"""The arithmetic reading of a table block: one Table per block and amount column.

arithmetic.read_structure finds which rows each stated figure sums; here each such block
becomes, in every amount column where its result row has a figure, a table whose rows are
the operands (a subtracted one with sign -1) and whose stated total is the result row. A
block's operands may be results of earlier blocks (subtotals, a result carried into the
next block); their own items are in their own tables. Rows no result takes up form one
table without a stated total. "varav" rows follow their parent as level-1 parts.
"""

from __future__ import annotations

import regex as re

from pipeline.extract.arithmetic import GridRow, Reading, read_structure
from pipeline.extract.cells import figures
from pipeline.extract.layout import Layout, build_row, column_table, row_kind, stated_total
from pipeline.extract.units import Context
from pipeline.model import Row, Table
from pipeline.parse.amounts import sek
from pipeline.vocab import PART_LABEL, RESULT_LABEL

_RESULT_RE = re.compile(RESULT_LABEL, re.IGNORECASE)
MIN_OPEN_ROWS = 2  # rows left over beside reconciled blocks that still make a table
_PART_RE = re.compile(PART_LABEL, re.IGNORECASE)


def grid_rows(lay: Layout) -> list[GridRow]:
    """The rows of the block with their figures per amount column and their word priors."""
    labels = [" ".join(r.cells[c].text for c in lay.label_cols if r.cells[c].text) for r in lay.data]
    bold = [any(c.bold for c in r.cells if c.text) for r in lay.data]
    bold_marks = sum(bold) * 2 < len(bold)  # bold says something only where most rows are not
    out = []
    for row, label, is_bold in zip(lay.data, labels, bold, strict=True):
        values = {}
        for col in lay.amount_cols:
            fig = figures(row.cells[col], lay.units[col]) if row.cells[col].text else None
            if fig is not None and fig.amount is not None:
                values[col] = fig.amount
        out.append(
            GridRow(
                values=values,
                total_word=row_kind(row) != "data",
                result_word=bool(_RESULT_RE.search(label)),
                emphasis=(is_bold and bold_marks) or (not label.strip() and bool(values)),
                part=bool(_PART_RE.match(label)),
                bare=not label.strip(),
            )
        )
    return out


def arithmetic_tables(lay: Layout, ctx: Context, attrs: set[int]) -> list[Table]:
    grid = grid_rows(lay)
    reading = read_structure(grid)
    results = {r.row for r in reading.reductions}
    operand_rows = {n for r in reading.reductions for n in r.operands}  # a total's parts go with it where it ends
    tables: list[Table] = []
    by_result: dict[tuple[int, int], Table] = {}  # (result row, column) -> its table
    for closing, operands, signs, note, unplaced in _blocks(reading, lay):
        # a total whose rows are elsewhere, over results already tabled here: its doubt goes
        # with the last of them, not into a table of results restated
        restated = unplaced and all(n in results for n in operands)
        for col in lay.amount_cols:
            stated = stated_total(lay, lay.data[closing], col) if closing is not None else None
            if closing is not None and stated is None:
                continue  # the result row is blank in this column: nothing stated here
            doubts = []
            if unplaced and stated is not None and closing is not None:
                row = lay.data[closing]
                why = (
                    f"stated total {sek(stated.sek)} is larger than all the figures above it together: the rows it "
                    "sums are not in this table (another page?), so it is not checked"
                )
                doubts.append((row.line, row.page, stated.sek, why))
                stated = None
                if restated and (operands[-1], col) in by_result:
                    by_result[operands[-1], col].doubts.extend(doubts)
                    continue
            rows = _rows(lay, grid, attrs, col, operands, signs)
            if not rows:
                continue
            if closing is not None and closing not in operand_rows:
                rows.extend(_parts(lay, grid, attrs, col, closing, of_total=True))
            closing_row = lay.data[closing] if closing is not None else None
            table = column_table(lay, ctx, col, rows, stated, closing_row, rows[0])
            table.relation, table.doubts = note, doubts
            tables.append(table)
            if closing is not None:
                by_result[closing, col] = table
    return tables


Block = tuple[int | None, list[int], list[int], str, bool]  # result row, operands, signs, note, unplaced


def _blocks(reading: Reading, lay: Layout) -> list[Block]:
    """(result row, operand rows, signs, relation note) in the order the results are printed;
    the rows no result takes up come last, as a block without a stated total."""
    out: list[Block] = []
    for r in sorted(reading.reductions, key=lambda r: r.row):
        note = ""
        if -1 in r.signs:
            label = _label(lay, r.row)
            pairs = zip(r.signs, r.operands, strict=True)
            terms = " ".join(("- " if s < 0 else "+ ") + _label(lay, n) for s, n in pairs)
            note = f"row {label} read as {terms[2:]} ({r.evidence})"
        out.append((r.row, r.operands, r.signs, note, r.unplaced))
    # A single row beside reconciled blocks ("Eget kapital" under the result) is a memo
    # figure, not a table; rows no result takes up form one where there are several, or
    # where nothing in the block states a total.
    if len(reading.open_items) >= MIN_OPEN_ROWS or (reading.open_items and not reading.reductions):
        out.append((None, reading.open_items, [1] * len(reading.open_items), "", False))
    return out


def _label(lay: Layout, index: int) -> str:
    row = lay.data[index]
    return " ".join(row.cells[c].text for c in lay.label_cols if row.cells[c].text) or f"on line {row.line}"


def _rows(
    lay: Layout, grid: list[GridRow], attrs: set[int], col: int, operands: list[int], signs: list[int]
) -> list[Row]:
    rows: list[Row] = []
    for n, sign in zip(operands, signs, strict=True):
        if col not in grid[n].values:
            continue
        built = build_row(lay.data[n], lay, attrs, col)
        built[0].sign = sign
        rows.extend(built)
        rows.extend(_parts(lay, grid, attrs, col, n))
    return rows


def _parts(lay: Layout, grid: list[GridRow], attrs: set[int], col: int, n: int, of_total: bool = False) -> list[Row]:
    """The "varav" rows under row n, as its level-1 parts; under a stated total (of_total)
    they are parts of the table's total ("Summa", then "Varav kortfristig del")."""
    out = []
    m = n + 1
    while m < len(grid) and grid[m].part:
        if col in grid[m].values:
            part = build_row(lay.data[m], lay, attrs, col)[0]
            part.level, part.part_of = 1, True
            part.group = "of_total" if of_total else ""
            out.append(part)
        m += 1
    return out
