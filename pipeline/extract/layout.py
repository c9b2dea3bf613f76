"""A table block as a grid: header rows, amount columns with their units, label columns,
and how one row of one amount column becomes a Row.

Shared by the readings of a table's structure (tables.py: by its words; blocks.py: by its
arithmetic), so both see the same rows, labels, units and figures.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import regex as re

from pipeline.extract.cells import clean_label, figures, has_lead_mark, is_amount_cell, money_in_text, part_rows
from pipeline.extract.units import Context, kronor_and_ore, note_refs, resolve_unit, whole, written_unit, zeros
from pipeline.model import Amount, Block, Cell, Row, Table, TableRow
from pipeline.parse.amounts import is_year, parse_amount
from pipeline.parse.references import diary_numbers
from pipeline.vocab import (
    COUNT_HEADER,
    COUNT_UNIT,
    COUNT_WORD,
    SUBTOTAL_LABEL,
    TOTAL_LABEL,
)

_TOTAL_RE = re.compile(rf"^\W*{TOTAL_LABEL}", re.IGNORECASE)
_SUBTOTAL_RE = re.compile(rf"^\W*{SUBTOTAL_LABEL}", re.IGNORECASE)
_COUNT_RE = re.compile(COUNT_HEADER, re.IGNORECASE)
_COUNT_WORD_RE = re.compile(COUNT_WORD, re.IGNORECASE)
_SEPARATOR_RE = re.compile(r"^[-=_.\s]*$")
CAPTION_CHARS = 120  # a row of text longer than this above a header row is body text, not its caption
_DATE_HEAD_RE = re.compile(r"^(?:19|20)\d{2}-\d{2}-\d{2}(?:\s?[-–]\s?(?:(?:19|20)\d{2}-\d{2}-\d{2})?)?$")
_WRAPPED_TAIL_RE = re.compile(r"^\d{3}(?:\s\d{3})*$")


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
    # columns whose unit the table does not write: their scale is a guess that another
    # mention of the same figures may correct (validate.cross_table)
    assumed: frozenset[int] = frozenset()


def texts(row: TableRow) -> list[str]:
    return [c.text for c in row.cells]


def _pad(rows: list[TableRow], width: int) -> list[TableRow]:
    return [TableRow(r.line, r.cells + (Cell(""),) * (width - len(r.cells)), r.page) for r in rows]


def _merge_wrapped(rows: list[TableRow]) -> list[TableRow]:
    """Join amount cells wrapped onto the next row: '300 000' / '000' -> '300 000 000', and a
    label wrapped onto a row of its own in lower case.

    Only a row holding nothing but figures, not all of them years (a header "2023 | 2022"),
    can be the first half of a wrapped row.
    """
    out: list[TableRow] = []
    for row in rows:
        prev = out[-1] if out else None
        filled = [c for c in row.cells if c.text]
        if prev is not None and is_numeric_row(prev) and len(filled) == 1 and row.cells[0].text[:1].islower():
            # a label wrapped onto a line of its own ("Allmän" / "kulturverksamhet")
            label = Cell(f"{prev.cells[0].text} {row.cells[0].text}".strip(), bold=prev.cells[0].bold)
            cells = (label, *prev.cells[1:])
            out[-1] = TableRow(prev.line, cells, prev.page)
            continue
        if prev is None or any(c.text and not is_amount_cell(c) for c in prev.cells) or not is_numeric_row(prev):
            out.append(row)
            continue
        wrapped = [
            c
            for c, (above, cell) in enumerate(zip(prev.cells, row.cells, strict=True))
            if above.text and is_amount_cell(above) and _WRAPPED_TAIL_RE.match(cell.text)
        ]
        labelled = any(cell.text for c, cell in enumerate(row.cells) if c not in wrapped)
        if not wrapped or (labelled and any(" " in row.cells[c].text for c in wrapped)):
            # A row with a label of its own takes a lone digit group ("000") as a tail; a
            # whole figure ("178 893") beside a label is that row's own amount.
            out.append(row)
            continue
        joined = [
            Cell(f"{above.text} {cell.text}", bold=cell.bold) if c in wrapped else (cell if cell.text else above)
            for c, (above, cell) in enumerate(zip(prev.cells, row.cells, strict=True))
        ]
        out[-1] = TableRow(row.line, tuple(joined), row.page)
    return out


def is_numeric_row(row: TableRow) -> bool:
    return any(c.text and is_amount_cell(c) and not is_year(c.text) for c in row.cells)


def _header_like(row: TableRow) -> bool:
    """A row of column headers: years or dates ("2022 | 2021", "2023-12-31") in at least
    two cells beside the first, and no amount."""
    heads = [c.text for c in row.cells[1:] if c.text]
    return len(heads) >= 2 and all(is_year(t) or _DATE_HEAD_RE.match(t) for t in heads)


def _short(row: TableRow) -> bool:
    """A caption row, not a paragraph that the grid took in."""
    return sum(len(c.text) for c in row.cells) <= CAPTION_CHARS


def split_printed(block: Block) -> list[Block]:
    """A block as the printed tables in it. Below the first figures, a row of column headers
    that differs from the block's own starts a new table (with the rows of text just above
    it: its caption); one that repeats the block's own (a table going on over a page) is
    dropped."""
    rows = list(block.rows)
    first = next((i for i, r in enumerate(rows) if is_numeric_row(r)), len(rows))
    own = next((texts(r) for r in rows[:first] if _header_like(r)), None)
    heads = {tuple(texts(r)) for r in rows[:first] if sum(1 for t in texts(r) if t) >= 2}
    parts: list[list[TableRow]] = [[]]
    for i, row in enumerate(rows):
        if i > first and not is_numeric_row(row) and tuple(texts(row)) in heads:
            continue  # the block's own header again, at the top of the next page
        if i > first and _header_like(row):
            if texts(row) == own:
                continue
            start = len(parts[-1])
            while start > 0 and not is_numeric_row(parts[-1][start - 1]) and _short(parts[-1][start - 1]):
                start -= 1
            parts[-1], moved = parts[-1][:start], parts[-1][start:]
            parts.append(moved)
        parts[-1].append(row)
    if len(parts) == 1 and len(parts[0]) == len(block.rows):
        return [block]
    return [replace(block, rows=tuple(p), line=p[0].line, page=p[0].page) for p in parts if p]


def analyse(block: Block, ctx: Context) -> Layout | None:
    rows = [r for r in block.rows if not all(_SEPARATOR_RE.match(c.text) for c in r.cells)]
    if not rows:
        return None
    width = max(len(r.cells) for r in rows)
    rows = _merge_wrapped(_pad(rows, width))
    h = 0
    while h < len(rows) and not is_numeric_row(rows[h]):
        h += 1
    header, data = rows[:h], rows[h:]
    if not data:
        return None
    col_header = [" ".join(r.cells[c].text for r in header if r.cells[c].text) for c in range(width)]
    amount_cols: list[int] = []
    counts: set[int] = set()
    for c in range(width):
        filled = [r.cells[c] for r in data if r.cells[c].text]
        numeric = sum(1 for x in filled if is_amount_cell(x))
        if not numeric or numeric * 2 < len(filled) or note_refs(col_header[c], [x.text for x in filled]):
            continue
        if not _COUNT_RE.search(col_header[c]) or kronor_and_ore([x.text for x in filled if is_amount_cell(x)]):
            amount_cols.append(c)
        elif _COUNT_WORD_RE.match(col_header[c]) and whole([x.text for x in filled if is_amount_cell(x)]):
            amount_cols.append(c)  # "Antal 2024": counts, a column of its own
            counts.add(c)
    units, notes = {}, {}
    blank: list[int] = []
    for c in list(amount_cols):
        unit, note = (COUNT_UNIT, "") if c in counts else resolve_unit(c, header, data, ctx)
        if not unit:
            amount_cols.remove(c)
            blank.append(c)
            continue
        units[c], notes[c] = unit, note
    if not amount_cols:
        return None
    shared = set(units.values())
    for c in blank:
        # a column of zeros says nothing of its unit: beside kr columns it is kr (the
        # comparison year of a note whose items are all new)
        if len(shared) == 1 and COUNT_UNIT not in shared and zeros(r.cells[c].text for r in data):
            amount_cols.append(c)
            units[c], notes[c] = next(iter(shared)), ""
    amount_cols.sort()
    first = amount_cols[0]
    label_cols = [c for c in range(first) if c not in amount_cols]
    # a unit declared once for the whole report ("alla belopp i kronor") is not written
    # by the table: a key-figure table in tkr under it is the report's own omission
    assumed = frozenset(c for c in amount_cols if c not in counts and not written_unit(c, header, data, ctx))
    return Layout(header, data, width, col_header, amount_cols, label_cols, units, notes, assumed)


def attribute_cols(lay: Layout) -> set[int]:
    """Left text columns that describe the row rather than name it ('Område | Insats | ...')."""
    if len(lay.label_cols) < 2:
        return set()
    key = lay.label_cols[0]
    body = [r for r in lay.data if is_numeric_row(r)]
    if not body or not all(r.cells[key].text for r in body):
        return set()
    return {
        c for c in lay.label_cols[1:] if lay.col_header[c] and sum(1 for r in body if r.cells[c].text) * 2 >= len(body)
    }


def row_kind(row: TableRow) -> str:
    first = next((c.text for c in row.cells if c.text and not is_amount_cell(c)), "")
    if _TOTAL_RE.match(first):
        return "total"
    if _SUBTOTAL_RE.match(first):
        return "summa"
    return "data"


def row_label(row: TableRow, lay: Layout, attrs: set[int], col: int) -> tuple[str, bool, list[str]]:
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


def build_row(row: TableRow, lay: Layout, attrs: set[int], col: int) -> list[Row]:
    raw_label, sub, comments = row_label(row, lay, attrs, col)
    cell = row.cells[col]
    source = " | ".join(t for t in texts(row) if t)
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
        out.options = [
            (o.amount, o.components, o.stated_result, o.components_precision) for o in fig.options if o.amount
        ]
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


def relative_marks(rows: list[Row]) -> None:
    """A leading dash marks a sub-row only where most rows do not carry one."""
    dashed = [r for r in rows if r.marked_child]
    if len(dashed) * 5 >= len(rows) * 4:
        for r in rows:
            r.marked_child = False


def stated_total(lay: Layout, total_row: TableRow | None, col: int) -> Amount | None:
    """The total a total row states in one column."""
    if total_row is None or not total_row.cells[col].text:
        return None
    fig = figures(total_row.cells[col], lay.units[col])
    return fig.amount if fig else parse_amount(total_row.cells[col].text, lay.units[col])


def caption_for(
    lay: Layout, ctx: Context, caption_row: TableRow | None, first_header: TableRow | None, col: int
) -> str:
    if caption_row is not None:
        base = " ".join(t for t in texts(caption_row) if t)
    elif first_header is not None and len(lay.amount_cols) == 1:
        base = " | ".join(t for t in texts(first_header) if t)
    elif first_header is not None and first_header.cells[0].text:
        base = first_header.cells[0].text
    else:
        base = ctx.caption or ctx.section
    if len(lay.amount_cols) > 1:
        return f"{base} [{column_name(lay, col)}]"
    return base


def column_name(lay: Layout, col: int) -> str:
    """An amount column's header; an empty one borrows the nearest header to its left."""
    if lay.col_header[col]:
        return lay.col_header[col]
    prev = max((a for a in lay.amount_cols if a < col), default=-1)
    for c in range(col - 1, prev, -1):
        if lay.col_header[c]:
            return lay.col_header[c]
    return f"column {col + 1}"


def column_table(
    lay: Layout,
    ctx: Context,
    col: int,
    rows: list[Row],
    stated: Amount | None,
    total_row: TableRow | None,
    at: TableRow | Row,
    caption_row: TableRow | None = None,
) -> Table:
    """The table of one amount column of a block: caption and header with the column's
    name, its unit (and how it was read), its rows and stated total; placed at `at`."""
    first_header = lay.header[0] if lay.header else None
    head = caption_row or first_header
    header_text = " | ".join(t for t in texts(head) if t) if head else ""
    table = Table(
        table_id="",
        line=at.line,
        page=at.page,
        caption=caption_for(lay, ctx, caption_row, first_header, col),
        header=f"{header_text} [{column_name(lay, col)}]" if len(lay.amount_cols) > 1 else header_text,
        section=ctx.section,
        unit=lay.units[col],
        rows=rows,
        stated_total=stated,
        stated_total_line=total_row.line if stated and total_row else None,
        stated_total_page=total_row.page if stated and total_row else None,
        column=col,
        column_header=column_name(lay, col),
        unit_assumed=col in lay.assumed,
    )
    if lay.unit_notes.get(col):
        table.notes.append(lay.unit_notes[col])
    return table
