"""Table blocks -> financial tables: header, amount columns, units, rows, totals.

A block may hold several tables: one per amount column ("2019" and "2020", "Landet" and
"Länet"; the column header goes in brackets after the caption), and one per stated
total when a total row is followed by more rows. A last column headed "Summa" is instead
read as the row result of the columns before it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import regex as re

from pipeline.extract.cells import clean_label, figures, has_lead_mark, is_amount_cell, money_in_text, part_rows
from pipeline.extract.structure import assign_levels, level0_total, subtotal_levels
from pipeline.model import Amount, Block, Cell, Row, Table, TableRow
from pipeline.parse.amounts import is_year, parse_amount, strip_unit, unit_in
from pipeline.parse.references import diary_numbers
from pipeline.vocab import COUNT_HEADER, DEDUCTION_HEADER, NOT_MONEY, SUBTOTAL_LABEL, SUM_HEADER, TOTAL_LABEL

_TOTAL_RE = re.compile(rf"^\W*{TOTAL_LABEL}", re.IGNORECASE)
_SUBTOTAL_RE = re.compile(rf"^\W*{SUBTOTAL_LABEL}", re.IGNORECASE)
_SUM_HEADER_RE = re.compile(SUM_HEADER, re.IGNORECASE)
_DEDUCTION_RE = re.compile(DEDUCTION_HEADER, re.IGNORECASE)
_COUNT_RE = re.compile(COUNT_HEADER, re.IGNORECASE)
_NOT_MONEY_RE = re.compile(NOT_MONEY, re.IGNORECASE)
_SEPARATOR_RE = re.compile(r"^[-=_.\s]*$")
_WRAPPED_TAIL_RE = re.compile(r"^\d{3}(?:\s\d{3})*$")
MIN_RELATION_ROWS = 2  # rows that must fit before a sum column is read against its headers
MAX_RELATION_COLUMNS = 4  # columns before a sum column for which other relations are tried


@dataclass
class Context:
    """What surrounds a block: the section it is in and the paragraph just before it."""

    section: str = ""
    caption: str = ""


@dataclass
class Layout:
    header: list[TableRow]
    data: list[TableRow]
    width: int
    col_header: list[str]
    amount_cols: list[int]
    label_cols: list[int]
    units: dict[int, str]
    unit_notes: dict[int, str]


def _texts(row: TableRow) -> list[str]:
    return [c.text for c in row.cells]


def _pad(rows: list[TableRow], width: int) -> list[TableRow]:
    return [TableRow(r.line, r.cells + (Cell(""),) * (width - len(r.cells)), r.page) for r in rows]


def _merge_wrapped(rows: list[TableRow]) -> list[TableRow]:
    """Join amount cells wrapped onto the next row: '300 000' / '000' -> '300 000 000'.

    Only a row holding nothing but figures can be the first half of a wrapped row.
    """
    out: list[TableRow] = []
    for row in rows:
        prev = out[-1] if out else None
        if prev is None or any(c.text and not is_amount_cell(c) for c in prev.cells):
            out.append(row)
            continue
        wrapped = [
            c
            for c, (above, cell) in enumerate(zip(prev.cells, row.cells, strict=True))
            if above.text and is_amount_cell(above) and _WRAPPED_TAIL_RE.match(cell.text)
        ]
        if not wrapped:
            out.append(row)
            continue
        joined = [
            Cell(f"{above.text} {cell.text}", bold=cell.bold) if c in wrapped else (cell if cell.text else above)
            for c, (above, cell) in enumerate(zip(prev.cells, row.cells, strict=True))
        ]
        out[-1] = TableRow(row.line, tuple(joined), row.page)
    return out


def _is_numeric_row(row: TableRow) -> bool:
    return any(c.text and is_amount_cell(c) and not is_year(c.text) for c in row.cells)


def _resolve_unit(col: int, layout_header: list[TableRow], data: list[TableRow], ctx: Context) -> tuple[str, str]:
    """The unit of an amount column and, when it is not written, why it was assumed."""
    head = " ".join(r.cells[col].text for r in layout_header)
    unit = unit_in(head)
    if unit:
        return unit, ""
    written = Counter(strip_unit(r.cells[col].text)[1] for r in data if r.cells[col].text)
    written.pop(None, None)
    if written:
        return written.most_common(1)[0][0], ""
    header_text = " ".join(c.text for r in layout_header for c in r.cells)
    caption = ctx.caption if len(ctx.caption) < 200 else ""  # a long one is body text
    other = unit_in(header_text) or unit_in(caption)
    if other:
        return other, ""
    if _NOT_MONEY_RE.search(f"{header_text} {caption}"):
        return "", ""  # "Procent", "Index, 2005 = 100", "Antal besökare": figures, not money
    values = [r.cells[col].text for r in data if r.cells[col].text and is_amount_cell(r.cells[col])]
    if any("," in v for v in values):
        return "mnkr", "unit not written; figures with decimal commas read as mnkr"
    if any(re.search(r"\d[\s\u00a0\u202f]\d{3}\b", v) for v in values):
        return "kr", ""
    return "", ""


def analyse(block: Block, ctx: Context) -> Layout | None:
    rows = [r for r in block.rows if not all(_SEPARATOR_RE.match(c.text) for c in r.cells)]
    if not rows:
        return None
    width = max(len(r.cells) for r in rows)
    rows = _merge_wrapped(_pad(rows, width))
    h = 0
    while h < len(rows) and not _is_numeric_row(rows[h]):
        h += 1
    header, data = rows[:h], rows[h:]
    if not data:
        return None
    col_header = [" ".join(r.cells[c].text for r in header if r.cells[c].text) for c in range(width)]
    amount_cols = []
    for c in range(width):
        filled = [r.cells[c] for r in data if r.cells[c].text]
        numeric = sum(1 for x in filled if is_amount_cell(x))
        if numeric and numeric * 2 >= len(filled) and not _COUNT_RE.search(col_header[c]):
            amount_cols.append(c)
    units, notes = {}, {}
    for c in list(amount_cols):
        unit, note = _resolve_unit(c, header, data, ctx)
        if not unit:
            amount_cols.remove(c)
            continue
        units[c], notes[c] = unit, note
    if not amount_cols:
        return None
    first = amount_cols[0]
    label_cols = [c for c in range(first) if c not in amount_cols]
    return Layout(header, data, width, col_header, amount_cols, label_cols, units, notes)


def _attribute_cols(lay: Layout) -> set[int]:
    """Left text columns that describe the row rather than name it ('Område | Insats | ...')."""
    if len(lay.label_cols) < 2:
        return set()
    key = lay.label_cols[0]
    body = [r for r in lay.data if _is_numeric_row(r)]
    if not body or not all(r.cells[key].text for r in body):
        return set()
    return {
        c for c in lay.label_cols[1:] if lay.col_header[c] and sum(1 for r in body if r.cells[c].text) * 2 >= len(body)
    }


def _row_kind(row: TableRow) -> str:
    first = next((c.text for c in row.cells if c.text and not is_amount_cell(c)), "")
    if _TOTAL_RE.match(first):
        return "total"
    if _SUBTOTAL_RE.match(first):
        return "summa"
    return "data"


def _segments(lay: Layout) -> list[tuple[TableRow | None, list[TableRow], TableRow | None, bool]]:
    """(caption row, body rows, total row, has subtotals) for each stated total in the block."""
    kinds = [_row_kind(r) for r in lay.data]
    out = []
    caption: TableRow | None = None
    body: list[TableRow] = []
    subtotals = False
    for i, (row, kind) in enumerate(zip(lay.data, kinds, strict=True)):
        later_total = "total" in kinds[i + 1 :]
        if kind == "summa" and later_total:
            body.append(row)
            subtotals = True
        elif kind in ("total", "summa"):
            out.append((caption, body, row, subtotals))
            caption, body, subtotals = None, [], False
        elif not body and out and not _is_numeric_row(row):
            caption = row
        else:
            body.append(row)
    if body:
        out.append((caption, body, None, subtotals))
    return out


def _label(row: TableRow, lay: Layout, attrs: set[int], col: int) -> tuple[str, bool, list[str]]:
    """Label, whether it comes from a sub-column, and the texts left for the comment."""
    label_parts = [row.cells[c].text for c in lay.label_cols if c not in attrs and row.cells[c].text]
    prev = max((a for a in lay.amount_cols if a < col), default=None)
    inner = [] if prev is None else [c for c in range(prev + 1, col) if c not in lay.amount_cols]
    used: set[int] = {c for c in lay.label_cols if c not in attrs}
    sub = False
    if not label_parts and inner:
        label_parts = [row.cells[c].text for c in inner if row.cells[c].text]
        used |= set(inner)
        sub = bool(label_parts)
    rest = [
        row.cells[c].text for c in range(lay.width) if c not in used and c not in lay.amount_cols and row.cells[c].text
    ]
    return " ".join(label_parts), sub, rest


def _build_row(row: TableRow, lay: Layout, attrs: set[int], col: int) -> list[Row]:
    raw_label, sub, comments = _label(row, lay, attrs, col)
    cell = row.cells[col]
    source = " | ".join(t for t in _texts(row) if t)
    out = Row(
        line=row.line,
        page=row.page,
        label=clean_label(raw_label),
        amount=None,
        source_text=source,
        diary_numbers=diary_numbers(raw_label),
        marked_child=sub,
    )
    fig = figures(cell, lay.units[col]) if cell.text else None
    extra: list[Row] = []
    if fig is not None:
        out.amount = fig.amount
        out.components, out.stated_result, out.split_note = fig.components, fig.stated_result, fig.split_note
        out.components_precision = fig.components_precision
        if fig.remark:
            comments.insert(0, fig.remark)
        extra = part_rows(out, fig)
    elif not cell.text:
        embedded = money_in_text(raw_label) if raw_label else None
        if embedded and not any(is_amount_cell(c) for c in row.cells):
            out.label, out.amount, after = embedded[0], embedded[1], embedded[2]
            out.marked_child = out.marked_child or has_lead_mark(raw_label)
            if after:
                comments.insert(0, after)
    elif cell.text:
        comments.insert(0, cell.text)
    out.comment = " | ".join(comments)
    if has_lead_mark(raw_label) and not sub:
        out.marked_child = True
    return [out, *extra]


def _relative_marks(rows: list[Row]) -> None:
    """A leading dash marks a sub-row only where most rows do not carry one."""
    dashed = [r for r in rows if r.marked_child]
    if len(dashed) * 5 >= len(rows) * 4:
        for r in rows:
            r.marked_child = False


def tables_from_block(block: Block, ctx: Context) -> list[Table]:
    lay = analyse(block, ctx)
    if lay is None:
        return []
    attrs = _attribute_cols(lay)
    first_header = lay.header[0] if lay.header else None
    sum_col = lay.amount_cols[-1]
    sum_table = len(lay.amount_cols) >= 2 and bool(_SUM_HEADER_RE.match(lay.col_header[sum_col]))
    tables: list[Table] = []
    for caption_row, body, total_row, has_subtotals in _segments(lay):
        if sum_table:
            tables.append(_sum_table(lay, body, ctx, first_header, total_row))
            continue
        for col in lay.amount_cols:
            rows: list[Row] = []
            for r in body:
                has_own = bool(r.cells[col].text)
                label_text = " ".join(r.cells[c].text for c in lay.label_cols if r.cells[c].text)
                if not has_own and not label_text:
                    continue
                built = _build_row(r, lay, attrs, col)
                if _row_kind(r) == "summa":
                    built[0].group = "subtotal"
                rows.extend(built)
            if not rows:
                continue
            _relative_marks(rows)
            stated = _stated_total(lay, total_row, col)
            table_notes: list[str] = []
            if stated is not None:
                stated = _unit_slip(stated, rows, table_notes)
            if has_subtotals:
                subtotal_levels(rows)
            assign_levels(rows, stated)
            caption = _caption(lay, ctx, caption_row, first_header, col)
            unit = lay.units[col]
            header_text = (
                " | ".join(t for t in _texts(caption_row or first_header) if t) if (caption_row or first_header) else ""
            )
            table = Table(
                table_id="",
                line=(caption_row or first_header or body[0]).line,
                caption=caption,
                header=f"{header_text} [{_column_name(lay, col)}]" if len(lay.amount_cols) > 1 else header_text,
                section=ctx.section,
                unit=unit,
                rows=rows,
                page=(caption_row or first_header or body[0]).page,
                stated_total=stated,
                stated_total_line=total_row.line if stated else None,
                stated_total_page=total_row.page if stated else None,
            )
            if lay.unit_notes.get(col):
                table.notes.append(lay.unit_notes[col])
            table.notes.extend(table_notes)
            tables.append(table)
    return tables


def _stated_total(lay: Layout, total_row: TableRow | None, col: int) -> Amount | None:
    """The total a total row states in one column."""
    if total_row is None or not total_row.cells[col].text:
        return None
    fig = figures(total_row.cells[col], lay.units[col])
    return fig.amount if fig else parse_amount(total_row.cells[col].text, lay.units[col])


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


def _caption(lay: Layout, ctx: Context, caption_row: TableRow | None, first_header: TableRow | None, col: int) -> str:
    if caption_row is not None:
        base = " ".join(t for t in _texts(caption_row) if t)
    elif first_header is not None and len(lay.amount_cols) == 1:
        base = " | ".join(t for t in _texts(first_header) if t)
    elif first_header is not None and first_header.cells[0].text:
        base = first_header.cells[0].text
    else:
        base = ctx.caption or ctx.section
    if len(lay.amount_cols) > 1:
        return f"{base} [{_column_name(lay, col)}]"
    return base


def _column_name(lay: Layout, col: int) -> str:
    """An amount column's header; an empty one borrows the nearest header to its left."""
    if lay.col_header[col]:
        return lay.col_header[col]
    prev = max((a for a in lay.amount_cols if a < col), default=-1)
    for c in range(col - 1, prev, -1):
        if lay.col_header[c]:
            return lay.col_header[c]
    return f"column {col + 1}"


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
        label_text = " ".join(r.cells[c].text for c in lay.label_cols if r.cells[c].text)
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
                source_text=" | ".join(t for t in _texts(r) if t),
                diary_numbers=diary_numbers(label_text),
            )
        )
    stated = _stated_total(lay, total_row, result_col)
    assign_levels(rows, stated)
    base = ctx.caption or (" | ".join(t for t in _texts(first_header) if t) if first_header else ctx.section)
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
    terms = [("- " if c in best_minus else "+ ") + _column_name(lay, c) for c in cols]
    with_result = sum(1 for r in results if r is not None)
    result_name = _column_name(lay, lay.amount_cols[-1])
    note = f"column {result_name} read as {' '.join(terms)[2:]} (fits {best_fit} of {with_result} rows)"
    return best, note
