"""Table blocks -> financial tables: header, amount columns, units, rows, totals.

A block may hold several tables: one per amount column ("2019" and "2020", "Landet" and
"Länet"; the column header goes in brackets after the caption), and one per stated
total when a total row is followed by more rows. A last column headed "Summa" is instead
read as the row result of the columns before it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

import regex as re

from pipeline.extract.blocks import MIN_OPEN_ROWS, arithmetic_tables, grid_rows
from pipeline.extract.cells import clean_label, figures, is_amount_cell
from pipeline.extract.doubts import report_slip
from pipeline.extract.identities import attach, learn
from pipeline.extract.layout import (
    Layout,
    analyse,
    attribute_cols,
    build_row,
    column_name,
    column_table,
    is_numeric_row,
    relative_marks,
    row_kind,
    split_printed,
    stated_total,
    texts,
)
from pipeline.extract.structure import assign_levels, level0_total, subtotal_levels
from pipeline.extract.units import Context
from pipeline.model import Amount, Block, Check, Row, Table, TableRow
from pipeline.parse.amounts import parse_amount, strip_unit
from pipeline.parse.references import diary_numbers
from pipeline.vocab import COUNT_UNIT, DEDUCTION_HEADER, KEY_FIGURE_LABEL, NOT_MONEY, PART_LABEL, SUM_HEADER

_SUM_HEADER_RE = re.compile(SUM_HEADER, re.IGNORECASE)
_DEDUCTION_RE = re.compile(DEDUCTION_HEADER, re.IGNORECASE)
_PART_RE = re.compile(PART_LABEL, re.IGNORECASE)
_KEY_FIGURE_RE = re.compile(KEY_FIGURE_LABEL, re.IGNORECASE)
_NOT_MONEY_RE = re.compile(NOT_MONEY, re.IGNORECASE)
_MONEY_LOOK_RE = re.compile(r"\d[\s\u00a0\u202f]\d{3}(?!\d)")
MIN_RELATION_ROWS = 2  # rows that must fit before a sum column is read against its headers
MAX_RELATION_COLUMNS = 4  # columns before a sum column for which other relations are tried


Segment = tuple[TableRow | None, list[TableRow], TableRow | None, bool, list[TableRow]]


def _segments(lay: Layout) -> list[Segment]:
    """(caption row, body rows, total row, has subtotals, "varav" parts of the total printed
    under it) for each stated total in the block."""
    kinds = [row_kind(r) for r in lay.data]
    out: list[Segment] = []
    caption: TableRow | None = None
    body: list[TableRow] = []
    subtotals = False
    for i, (row, kind) in enumerate(zip(lay.data, kinds, strict=True)):
        later_total = "total" in kinds[i + 1 :]
        if kind == "summa" and later_total:
            body.append(row)
            subtotals = True
        elif kind in ("total", "summa"):
            out.append((caption, body, row, subtotals, []))
            caption, body, subtotals = None, [], False
        elif not body and caption is None and out and _PART_RE.match(_label_text(lay, row)):
            out[-1][4].append(row)
        elif not body and out and not is_numeric_row(row):
            caption = row
        else:
            body.append(row)
    if body and (not out or sum(map(is_numeric_row, body)) >= MIN_OPEN_ROWS):
        out.append((caption, body, None, subtotals, []))  # one row left under totals: a memo figure
    return out


def _label_text(lay: Layout, row: TableRow) -> str:
    return " ".join(row.cells[c].text for c in lay.label_cols if row.cells[c].text)


def tables_from_block(block: Block, ctx: Context) -> list[Table]:
    """The tables of a printed block; a block holding several printed tables (a new row of
    column headers below figures) is read as each of them. Tables of statistics come back
    marked (`statistics`): they are left out of the dataset, and their figures are no
    amounts it misses."""
    tables = []
    for part in split_printed(block):
        for table in _block_tables(part, ctx):  # the tables read from one printed table share its id
            table.printed_id = f"p{part.page or 1}.{part.line}"
            tables.append(table)
    return tables


def printed_amounts(block: Block, ctx: Context) -> Counter[tuple[int, int]]:
    """Amounts printed per (page, line) in a table block: the figures in the amount columns
    the layout reads (key-figure rows aside: shares and per-unit figures are no amounts),
    and, where the layout reads none, figures with digit groups in a report about money
    (money by their look: a table missed for want of a unit still counts as missed)."""
    out: Counter[tuple[int, int]] = Counter()
    for part in split_printed(block):
        lay = analyse(part, ctx)
        if lay is not None:
            for row in lay.data:
                if _KEY_FIGURE_RE.search(_label_text(lay, row)):
                    continue
                n = sum(1 for c in lay.amount_cols if row.cells[c].text and is_amount_cell(row.cells[c]))
                out[(row.page or 1, row.line)] += n
        elif ctx.money_written and not _NOT_MONEY_RE.search(" ".join([ctx.section, ctx.caption, *_texts(part)])):
            for row in part.rows:
                n = sum(1 for c in row.cells if is_amount_cell(c) and _MONEY_LOOK_RE.search(c.text))
                out[(row.page or 1, row.line)] += n
    return +out


def _texts(block: Block) -> list[str]:
    """The text cells of a block that has no figures read: its headings and labels."""
    return [c.text for r in block.rows for c in r.cells if c.text and not is_amount_cell(c)]


def _block_tables(block: Block, ctx: Context) -> list[Table]:
    lay = analyse(block, ctx)
    if lay is None:
        return []
    attrs = attribute_cols(lay)
    first_header = lay.header[0] if lay.header else None
    sum_col = lay.amount_cols[-1]
    if len(lay.amount_cols) >= 2 and _SUM_HEADER_RE.match(lay.col_header[sum_col]):
        # The result column's rows follow from the columns before it. A column before it
        # that states its own total is a table of its own too: the result never hides it
        # (without one, its figures are already the result rows' components).
        columns = _read(replace(lay, amount_cols=lay.amount_cols[:-1]), ctx, attrs, first_header)
        results = [_sum_table(lay, body, ctx, first_header, total) for _, body, total, _, _ in _segments(lay)]
        _identities(lay, columns, {sum_col})
        return [t for t in columns if t.stated_total is not None] + results
    tables = _read(lay, ctx, attrs, first_header)
    _identities(lay, tables, set())
    return tables


def _identities(lay: Layout, tables: list[Table], skip: set[int]) -> None:
    """Identities between the block's amount columns, checked on every row (identities.py)."""
    if len(lay.amount_cols) - len(skip) < 3:
        return
    grid = grid_rows(lay)
    attach(learn(lay, grid, skip), lay, grid, tables)


def _read(lay: Layout, ctx: Context, attrs: set[int], first_header: TableRow | None) -> list[Table]:
    """The tables of the block by the reading that explains more of its stated figures.
    Counts and key figures are kept only where a stated total sums them: a list of them is
    statistics."""
    by_words = _word_tables(lay, ctx, attrs, first_header)
    by_arithmetic = arithmetic_tables(lay, ctx, attrs)
    tables = by_arithmetic if _evidence(by_arithmetic, lay) > _evidence(by_words, lay) else by_words
    for table in tables:
        table.statistics = _statistics(table)
    return tables


def _statistics(table: Table) -> bool:
    """Counts or key figures that no stated total sums (Flerårsöversikt, Nyckeltal: shares,
    rates or per-unit figures beside the amounts), or key figures only, summed or not
    (Energikostnad per kvm = El + Värme + Vatten per kvm): statistics, not a table of
    amounts."""
    keys = [bool(_KEY_FIGURE_RE.search(r.label)) for r in table.rows]
    if table.stated_total is None:
        return table.unit == COUNT_UNIT or any(keys)
    return bool(keys) and all(keys)


def _evidence(tables: list[Table], lay: Layout) -> tuple[int, int]:
    """How well a reading explains the block: the stated figures it places (a total that
    reconciles, or one off by what looks like the report's own slip), then the fewest it
    leaves unexplained (a gap no slip explains, a total it cannot place, a row of figures
    it leaves out of every table). A tie keeps the word reading."""
    from pipeline.validate.reconcile import table_checks  # the validate stage imports extract

    placed = unexplained = 0
    for table in tables:
        for check in table_checks(table):
            if check.kind in ("table_total", "subrows") and check.status == "ok":
                placed += 1
            elif check.kind in ("table_total", "subrows") and check.status == "mismatch":
                slip = check.stated is not None and check.computed is not None and _slip(check, table)
                placed += slip
                unexplained += not slip
            unexplained += check.kind == "structure"  # a stated total left unchecked explains nothing
    used = {(r.page, r.line) for t in tables for r in t.rows} | {
        (t.stated_total_page, t.stated_total_line) for t in tables if t.stated_total is not None
    }
    lost = sum(1 for r in lay.data if is_numeric_row(r) and (r.page, r.line) not in used)
    return placed, -(unexplained + lost)


def _slip(check: Check, table: Table) -> bool:
    assert check.stated is not None and check.computed is not None
    stated = Amount(check.stated, 0, table.unit)
    return bool(report_slip(stated, check.computed, table.rows, check.tolerance or 0))


def _word_tables(lay: Layout, ctx: Context, attrs: set[int], first_header: TableRow | None) -> list[Table]:
    """The reading by the rows' words: a row headed Totalt/Summa closes the rows above it."""
    tables: list[Table] = []
    for caption_row, body, total_row, has_subtotals, parts in _segments(lay):
        for col in lay.amount_cols:
            rows: list[Row] = []
            for r in body:
                has_own = bool(r.cells[col].text)
                label_text = _label_text(lay, r)
                if not has_own and not label_text:
                    continue
                built = build_row(r, lay, attrs, col)
                if row_kind(r) == "summa":
                    built[0].group = "subtotal"
                elif rows and _PART_RE.match(label_text):
                    built[0].level, built[0].part_of = 1, True  # "varav": a part of the row above
                rows.extend(built)
            if not rows:
                continue
            relative_marks(rows)
            stated = stated_total(lay, total_row, col)
            table_notes: list[str] = []
            if stated is not None:
                stated = _unit_slip(stated, rows, table_notes)
            if has_subtotals:
                subtotal_levels(rows)
            assign_levels(rows, stated)
            if stated is not None:
                rows.extend(_total_parts(lay, parts, attrs, col))
            table = column_table(
                lay, ctx, col, rows, stated, total_row, caption_row or first_header or body[0], caption_row
            )
            table.notes.extend(table_notes)
            tables.append(table)
    return tables


def _total_parts(lay: Layout, parts: list[TableRow], attrs: set[int], col: int) -> list[Row]:
    """The "varav" rows under a stated total, as level-1 parts of it."""
    out = []
    for r in parts:
        if r.cells[col].text:
            row = build_row(r, lay, attrs, col)[0]
            row.level, row.part_of, row.group = 1, True, "of_total"
            out.append(row)
    return out


_SMALLER_UNIT = {"mdkr": "mnkr", "mnkr": "tkr", "tkr": "kr"}


def _unit_slip(stated: Amount, rows: list[Row], notes: list[str]) -> Amount:
    """A total written in the next smaller unit than its column ('72 665' under 'Miljoner kronor').

    Read that way only when, as written, it is off by orders of magnitude and, in the
    smaller unit, it agrees with the rows; the reading is reported as a unit check.
    """
    computed, tol = level0_total(rows)
    smaller = _SMALLER_UNIT.get(stated.unit)
    if computed == 0 or smaller is None or "," in stated.text or strip_unit(stated.text)[1]:
        return stated
    if abs(stated.sek - computed) <= tol + stated.precision or abs(stated.sek) < 100 * abs(computed):
        return stated
    alt = parse_amount(stated.text, smaller)
    if alt is None or abs(alt.sek - computed) > tol + alt.precision:
        return stated
    notes.append(
        f"stated total '{stated.text}' read in {smaller}, not {stated.unit} as the column says: "
        f"as {stated.unit} it would be about {round(stated.sek / computed)} times the rows' sum"
    )
    return alt


def _sum_table(
    lay: Layout, body: list[TableRow], ctx: Context, first_header: TableRow | None, total_row: TableRow | None
) -> Table:
    """Columns a, b, ... and a last 'Summa'/'Återstår' column: each row's result and its
    components, with the relation between them (sum or difference) taken from the headers
    unless another one reconciles clearly more rows (see _relation)."""
    result_col = lay.amount_cols[-1]
    cols = lay.amount_cols[:-1]
    results: list[Amount | None] = []
    values: list[dict[int, Amount]] = []
    for r in body:
        res = figures(r.cells[result_col], lay.units[result_col]) if r.cells[result_col].text else None
        results.append(res.amount if res else None)
        found = {c: figures(r.cells[c], lay.units[c]) if r.cells[c].text else None for c in cols}
        values.append({c: f.amount for c, f in found.items() if f and f.amount})
    signs, note = _relation(lay, cols, results, values)
    rows = []
    for r, res, vals in zip(body, results, values, strict=True):
        label_text = _label_text(lay, r)
        comps = [Amount(signs[c](a.sek), a.precision, a.unit) for c, a in vals.items()]
        rows.append(
            Row(
                line=r.line,
                page=r.page,
                label=clean_label(label_text) or lay.col_header[lay.amount_cols[0]],
                amount=res,
                components=[a.sek for a in comps],
                components_precision=sum(a.precision for a in comps),
                stated_result=res.sek if res else None,
                source_text=" | ".join(t for t in texts(r) if t),
                diary_numbers=diary_numbers(label_text),
            )
        )
    stated = stated_total(lay, total_row, result_col)
    assign_levels(rows, stated)
    base = ctx.caption or (" | ".join(t for t in texts(first_header) if t) if first_header else ctx.section)
    anchor = first_header or body[0]
    return Table(
        table_id="",
        line=anchor.line,
        page=anchor.page,
        caption=base,
        section=ctx.section,
        unit=lay.units[result_col],
        rows=rows,
        stated_total=stated,
        stated_total_line=total_row.line if stated and total_row else None,
        stated_total_page=total_row.page if stated and total_row else None,
        relation=note,
        column=result_col,
        column_header=column_name(lay, result_col),
        unit_assumed=result_col in lay.assumed,
    )


def _header_sign(header: str) -> Callable[[int], int]:
    """A deduction column ("Förbrukat") written as a positive figure is subtracted."""
    if _DEDUCTION_RE.search(header):
        return lambda v: -v if v > 0 else v
    return lambda v: v


def _relation(
    lay: Layout, cols: list[int], results: list[Amount | None], values: list[dict[int, Amount]]
) -> tuple[dict[int, Callable[[int], int]], str]:
    """How the result column follows from the columns before it.

    The headers decide ("Erhållet | Förbrukat | Kvar": received minus used). When they do
    not ("Utfall | Budget | Återstår"), a relation that subtracts some of the later columns
    is taken instead only if it reconciles at least MIN_RELATION_ROWS rows and more rows
    than the headers' one: a table-wide pattern, never a per-row fix, so a row that does not
    fit stays a finding.
    """
    by_header = {c: _header_sign(lay.col_header[c]) for c in cols}

    def fits(signs: dict[int, Callable[[int], int]]) -> int:
        n = 0
        for res, vals in zip(results, values, strict=True):
            if res is None or not vals:
                continue
            tol = res.precision + sum(a.precision for a in vals.values())
            n += abs(sum(signs[c](a.sek) for c, a in vals.items()) - res.sek) <= tol
        return n

    best, best_fit, best_minus = by_header, fits(by_header), ()
    flips = range(1, 2 ** (len(cols) - 1)) if len(cols) <= MAX_RELATION_COLUMNS else range(0)
    for flip in flips:
        minus = tuple(c for i, c in enumerate(cols[1:]) if flip >> i & 1)
        signs = {c: (lambda v: -v) if c in minus else by_header[c] for c in cols}
        n = fits(signs)
        if n > best_fit and n >= MIN_RELATION_ROWS:
            best, best_fit, best_minus = signs, n, minus
    if not best_minus:
        return best, ""
    terms = [("- " if c in best_minus else "+ ") + column_name(lay, c) for c in cols]
    with_result = sum(1 for r in results if r is not None)
    result_name = column_name(lay, lay.amount_cols[-1])
    note = f"column {result_name} read as {' '.join(terms)[2:]} (fits {best_fit} of {with_result} rows)"
    return best, note
