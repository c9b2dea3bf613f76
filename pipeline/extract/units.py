"""Which columns of a table hold amounts, and in what unit: the money rules.

A figure is kronor only where the report says so: a unit in the column header or a cell,
the table's header, caption or section heading, a unit the report declares ("Alla belopp
redovisas i tkr"), or kronor-and-öre figures ("731 961,00"). Words near a table naming
counts, shares or indexes say it is not money; note references and periods of years are
never amounts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import regex as re

from pipeline.extract.cells import is_amount_cell
from pipeline.model import TableRow
from pipeline.parse.amounts import strip_unit, unit_in
from pipeline.vocab import COUNT_CONTEXT, COUNT_UNIT, NOT_MONEY, NOTE_HEADER

_NOT_MONEY_RE = re.compile(NOT_MONEY, re.IGNORECASE)
_COUNT_CONTEXT_RE = re.compile(COUNT_CONTEXT, re.IGNORECASE)
_ORE_RE = re.compile(r"\d,\d{2}(?!\d)")
_NOTE_HEADER_RE = re.compile(NOTE_HEADER, re.IGNORECASE)
_NOTE_REFS_RE = re.compile(r"^\d{1,2}(?:,\s+\d{1,2})*$")
_ZERO_RE = re.compile(r"^[-\u2212\u2013]?\s?0(?:,0+)?$")
_GROUPED_RE = re.compile(r"\d[\s\u00a0\u202f]\d{3}\b")


@dataclass
class Context:
    """What surrounds a block: the section it is in and the paragraph just before it."""

    section: str = ""
    caption: str = ""
    money_written: bool = False  # the report says its figures are money (a declared unit, units throughout)
    declared_unit: str = ""  # the unit the report last declared before the table ("Belopp i tkr")


def written_unit(col: int, layout_header: list[TableRow], data: list[TableRow], ctx: Context) -> str:
    """The unit the report writes for an amount column: in its header or cells, the
    table's header, caption or section heading ("Driftredovisning (tkr)"); '' if none."""
    unit = unit_in(" ".join(r.cells[col].text for r in layout_header))
    if unit:
        return unit
    written = Counter(strip_unit(r.cells[col].text)[1] for r in data if r.cells[col].text)
    written.pop(None, None)
    if written:
        return written.most_common(1)[0][0]
    header_text = " ".join(c.text for r in layout_header for c in r.cells)
    caption = ctx.caption if len(ctx.caption) < 200 else ""  # a long one is body text
    return unit_in(header_text) or unit_in(caption) or unit_in(ctx.section) or ""


def resolve_unit(col: int, layout_header: list[TableRow], data: list[TableRow], ctx: Context) -> tuple[str, str]:
    """The unit of an amount column and, when it is not written, why it was assumed."""
    written = written_unit(col, layout_header, data, ctx)
    if written:
        return written, ""
    header_text = " ".join(c.text for r in layout_header for c in r.cells)
    caption = ctx.caption if len(ctx.caption) < 200 else ""
    values = data_values(data, col)
    if kronor_and_ore(values):
        return "kr", "unit not written; figures with two decimals and digit groups read as kronor and öre"
    near = f"{header_text} {caption}"
    if _NOT_MONEY_RE.search(near):
        # "Antal anställda": counts, when every figure is a whole number; "Procent", "Index,
        # 2005 = 100", "Andel": figures, not money, and not counts either.
        counts = _COUNT_CONTEXT_RE.search(near) and not _NOT_MONEY_RE.search(_COUNT_CONTEXT_RE.sub("", near))
        return (COUNT_UNIT, "") if counts and whole(values) else ("", "")
    if not ctx.money_written:
        return "", ""  # figures are money only where the report says so (chart axes, rates, ...)
    if ctx.declared_unit and any("," in v or _GROUPED_RE.search(v) for v in values):
        return ctx.declared_unit, ""  # "Alla belopp redovisas i tkr om inget annat anges"
    if any("," in v for v in values):
        return "mnkr", "unit not written by the table; figures with decimal commas read as mnkr"
    if any(_GROUPED_RE.search(v) for v in values):
        return "kr", ""
    return "", ""


def note_refs(header: str, values: list[str]) -> bool:
    """A column of note references ("Not": "3", "5, 6, 7, 8, 9"): headed so, or small whole
    numbers some of which are listed with commas, never amounts."""
    if _NOTE_HEADER_RE.match(header):
        return True
    refs = [v for v in values if _NOTE_REFS_RE.match(v.strip())]
    return len(refs) == len(values) and any("," in v for v in refs)


def data_values(data: list[TableRow], col: int) -> list[str]:
    return [r.cells[col].text for r in data if r.cells[col].text and is_amount_cell(r.cells[col])]


def kronor_and_ore(values: list[str]) -> bool:
    """Figures written as kronor and öre ("731 961,00", "-7 934,35"): every decimal figure
    has two decimals and some have digit groups. No share, rate or index is written so,
    whatever else a header names ("Jämförelse: Ackumulerat i %")."""
    decimals = [v for v in values if "," in v]
    return bool(decimals) and all(_ORE_RE.search(v) for v in decimals) and any(_GROUPED_RE.search(v) for v in decimals)


def zeros(texts: Iterable[str]) -> bool:
    values = [t.strip() for t in texts if t.strip()]
    return bool(values) and all(_ZERO_RE.match(v) for v in values)


def whole(values: list[str]) -> bool:
    """Figures that can be counts: whole numbers, none with a decimal comma."""
    return bool(values) and not any("," in v for v in values)
