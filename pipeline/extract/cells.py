"""From one amount cell (or a label with an amount in it) to a Row's figures.

Kept apart from table layout so that tables, lists and layout-text rows share one
interpretation of "41 520 914 kr (varav 14 921 522 kr avser ...)" or "2,5 mkr".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from pipeline.model import Amount, Cell, Row, Segment
from pipeline.parse.amounts import CellReading, find_money, looks_numeric, read_cell, strip_unit, to_amount
from pipeline.vocab import BULLET, PART_OF_WORDS

_REMARK_RE = re.compile(r"^(?P<head>.*?)\s*\((?P<remark>[^()]*)\)\s*$", re.DOTALL)
_PART_OF_RE = re.compile(PART_OF_WORDS, re.IGNORECASE)
_LEAD_MARK_RE = re.compile(rf"^\s*{BULLET}\s*")
_TRAILING_RE = re.compile(r"[\s,.:;]+$")
_FOOTNOTE_RE = re.compile(r"^(?P<head>.*?\S)\s*(?P<mark>\*+)\s*$", re.DOTALL)


@dataclass
class CellFigures:
    amount: Amount | None
    components: list[int] = field(default_factory=list)
    stated_result: int | None = None
    components_precision: int = 0
    split_note: str = ""
    remark: str = ""
    parts: list[tuple[str, Amount]] = field(default_factory=list)  # "varav" breakdowns
    options: list[CellFigures] = field(default_factory=list)  # other readings of its figures


def split_remark(text: str) -> tuple[str, str]:
    """'20 mkr (i det ingår landsbygdsmedlen)' -> ('20 mkr', 'i det ingår landsbygdsmedlen');
    '-400*' -> ('-400', '*'): a footnote mark is kept as the remark, for the reader to follow."""
    for pattern, group in ((_REMARK_RE, "remark"), (_FOOTNOTE_RE, "mark")):
        m = pattern.match(text or "")
        if m and looks_numeric(m.group("head")):
            return m.group("head"), m.group(group).strip()
    return text, ""


def _before_remark(text: str) -> str:
    return text.split("(")[0].rstrip("* ")


def is_amount_cell(cell: Cell) -> bool:
    head, _ = split_remark(cell.text)
    return looks_numeric(head)


def figures(cell: Cell, unit: str) -> CellFigures | None:
    """The figures of an amount cell in `unit` (a unit written in the cell wins)."""
    head, remark = split_remark(cell.text)
    if not looks_numeric(head):
        return None
    parts: tuple[Segment, ...] = cell.parts
    if remark:
        heads = ((s, _before_remark(s.text)) for s in parts)
        parts = (Segment(head),) if len(parts) <= 1 else tuple(Segment(t, s.underline) for s, t in heads if t.strip())
    _, written_unit = strip_unit(head)
    unit = written_unit or unit
    reading = read_cell(parts)
    if reading is None:
        return None
    out = _figures_from_reading(reading, unit, head)
    if remark and _PART_OF_RE.search(remark):
        for m in find_money(remark):
            label = _TRAILING_RE.sub("", (remark[: m.start] + " " + remark[m.end :]).strip())
            out.parts.append((re.sub(r"\s+", " ", label), m.amount))
    elif remark:
        out.remark = remark
    return out


def _figures_from_reading(reading: CellReading, unit: str, text: str) -> CellFigures:
    out = _figures_of(reading, unit, text)
    for comps, result in reading.options:
        out.options.append(_figures_of(CellReading(comps, result, "sum" if result else "list"), unit, text))
    return out


def _figures_of(reading: CellReading, unit: str, text: str) -> CellFigures:
    comps = [to_amount(n.value, n.decimals, unit) for n in reading.components]
    if reading.basis == "single":
        return CellFigures(to_amount(reading.components[0].value, reading.components[0].decimals, unit, text))
    note = ""
    if reading.ambiguous:
        shown = " or ".join(" + ".join(str(v) for v in alt) for alt in reading.alternatives)
        note = f"figures can be split several ways that add up: {shown}"
    if reading.result is not None:
        res = to_amount(reading.result.value, reading.result.decimals, unit, text)
        return CellFigures(res, [c.sek for c in comps], res.sek, sum(c.precision for c in comps), note)
    total = Amount(sum(c.sek for c in comps), sum(c.precision for c in comps), unit, text)
    return CellFigures(total, [c.sek for c in comps], None, total.precision, note)


def clean_label(text: str) -> str:
    """Row label: one leading list marker and trailing separators removed."""
    text = _LEAD_MARK_RE.sub("", text or "", count=1)
    return _TRAILING_RE.sub("", text).strip()


def has_lead_mark(text: str) -> bool:
    return bool(_LEAD_MARK_RE.match(text or ""))


def money_in_text(text: str) -> tuple[str, Amount, str] | None:
    """Label, amount and trailing text of an item that names an amount with its unit.

    "200 tkr har använts för ..." -> label after the amount; "Utbildning ..., 0,3 mnkr."
    -> label before it; text after a mid-item amount is kept as the comment.
    """
    found = find_money(text)
    if not found:
        return None
    body = _LEAD_MARK_RE.sub("", text, count=1)
    offset = len(text) - len(body)
    first = found[0]
    if first.start - offset <= 0 or not text[offset : first.start].strip():
        return clean_label(text[first.end :]), first.amount, ""
    m = found[-1]
    before = re.sub(r"[\s,]*\btotalt\s*$", "", text[offset : m.start], flags=re.IGNORECASE)
    after = text[m.end :].strip(" .:,;")
    return clean_label(before), m.amount, after


def part_rows(row: Row, fig: CellFigures) -> list[Row]:
    """The "varav" breakdowns written inside a parent's amount cell, as level-1 rows."""
    return [
        Row(
            line=row.line, page=row.page, label=label, amount=amount, level=1, source_text=row.source_text, part_of=True
        )
        for label, amount in fig.parts
    ]
