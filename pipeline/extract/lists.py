"""Bullet lists whose items name amounts ("- Kostnader för språktolk 2,5mkr") -> tables.

Nesting depth gives the level; an item labelled "Totalt ..." is the stated total. A list
counts as financial when at least two items, and at least half of them, name an amount
with its unit.
"""

from __future__ import annotations

from collections import Counter

import regex as re

from pipeline.extract.cells import money_in_text
from pipeline.extract.structure import assign_levels
from pipeline.extract.units import Context
from pipeline.model import Block, Row, Table
from pipeline.parse.references import diary_numbers
from pipeline.vocab import TOTAL_LABEL

_TOTAL_RE = re.compile(rf"^\W*{TOTAL_LABEL}", re.IGNORECASE)


def table_from_list(items: list[Block], ctx: Context) -> Table | None:
    found = [(item, money_in_text(item.text)) for item in items]
    with_money = [f for f in found if f[1] is not None]
    if len(with_money) < 2 or len(with_money) * 2 < len(items):
        return None
    base = min(item.level for item in items)
    rows: list[Row] = []
    stated = None
    stated_item: Block | None = None
    for item, money in found:
        label, amount, after = money if money else (item.text, None, "")
        if money and _TOTAL_RE.match(label) and item.level == base:
            stated, stated_item = amount, item
            continue
        rows.append(
            Row(
                line=item.line,
                page=item.page,
                label=label,
                amount=amount,
                level=1 if item.level > base else 0,
                comment=after,
                source_text=item.text,
                diary_numbers=diary_numbers(item.text),
            )
        )
    if not rows:
        return None
    if all(r.level == 0 for r in rows):
        assign_levels(rows, stated)
    units = Counter(r.amount.unit for r in rows if r.amount)
    return Table(
        table_id="",
        line=items[0].line,
        page=items[0].page,
        caption=ctx.caption or ctx.section,
        section=ctx.section,
        unit=units.most_common(1)[0][0],
        rows=rows,
        stated_total=stated,
        stated_total_line=stated_item.line if stated_item else None,
        stated_total_page=stated_item.page if stated_item else None,
    )
