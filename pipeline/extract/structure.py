"""Which rows are sub-rows (level 1) of which: the hierarchy inside a table.

Explicit structure wins: nested list items, SUMMA subtotals closing a group, "varav"
parts. Otherwise a row followed by rows that add up to it (within rounding) is their
parent. Rows the layout marks as subordinate (a sub-column label, a leading dash under
an undashed row, an amount written in the label) are grouped whenever they add up;
unmarked rows only when the table's stated total needs it, so a coincidental sum can
never turn a reconciling table into a mismatch.
"""

from __future__ import annotations

from pipeline.model import Amount, Row

MAX_CHILDREN = 25


def kr_rounding(amounts: list[Amount]) -> int:
    """Whole-kronor figures in accounts are rounded from öre: a sum of n of them may miss
    its printed total by up to (n + 1) // 2 kr."""
    if amounts and all(a.unit == "kr" and a.precision == 0 for a in amounts):
        return (len(amounts) + 1) // 2
    return 0


def tolerance(amounts: list[Amount]) -> int:
    """How far a sum of `amounts` may be from its printed total: their half-units, and the
    rounding of whole kronor from öre."""
    return sum(a.precision for a in amounts) + kr_rounding(amounts)


def level0_total(rows: list[Row], excluded: frozenset[int] | set[int] = frozenset()) -> tuple[int, int]:
    """Sum and tolerance of the level-0 rows with an amount (rows in `excluded` left out)."""
    top = [(r.sign, r.amount) for i, r in enumerate(rows) if i not in excluded and not r.level and r.amount is not None]
    return sum(s * a.sek for s, a in top), tolerance([a for _, a in top])


def _fixed(row: Row) -> bool:
    return row.level > 0 or row.group == "subtotal" or row.part_of


def _scan(rows: list[Row], marked_only: bool) -> list[tuple[int, list[int]]]:
    groups: list[tuple[int, list[int]]] = []
    i = 0
    while i < len(rows):
        parent = rows[i]
        if _fixed(parent) or parent.amount is None or parent.amount.sek == 0:
            i += 1
            continue
        kids: list[int] = []
        total, amounts = 0, [parent.amount]
        found: list[int] | None = None
        for j in range(i + 1, min(len(rows), i + 1 + MAX_CHILDREN)):
            child = rows[j]
            if _fixed(child) or (marked_only and not child.marked_child):
                break
            kids.append(j)
            if child.amount is None:
                continue
            total += child.amount.sek
            amounts.append(child.amount)
            if len(amounts) >= 3 and abs(total - parent.amount.sek) <= tolerance(amounts):
                found = list(kids)
                break
        if found:
            groups.append((i, found))
            i = found[-1] + 1
        else:
            i += 1
    return groups


def _level0_reconciles(rows: list[Row], groups: list[tuple[int, list[int]]], stated: Amount) -> bool:
    computed, tol = level0_total(rows, {j for _, kids in groups for j in kids})
    return abs(stated.sek - computed) <= tol + stated.precision


def assign_levels(rows: list[Row], stated: Amount | None) -> None:
    """Set `level` on rows whose hierarchy the layout leaves implicit."""
    marked = _scan(rows, marked_only=True)
    chosen = marked
    if stated is not None and not _level0_reconciles(rows, marked, stated):
        everything = _scan(rows, marked_only=False)
        if _level0_reconciles(rows, everything, stated):
            chosen = everything
    for _, kids in chosen:
        for j in kids:
            rows[j].level = 1


def subtotal_levels(rows: list[Row]) -> None:
    """Rows before each SUMMA subtotal (since the previous one) become its level-1 items."""
    start = 0
    for i, row in enumerate(rows):
        if row.group == "subtotal":
            for item in rows[start:i]:
                item.level = 1
            start = i + 1
