"""A stated total that does not add up: the report's slip, or rows missing from the reading?

A report's own discrepancy looks like a slip: a gap small beside the total (a rounding, a
late correction, a typo in one figure), a row left out of the total or counted twice, or a
digit mistyped in the total. A reading that missed rows (a table going on over a page, a
row merged into another) leaves a gap of any size. A gap that is none of these cannot be
told apart, so it is not a finding: the table keeps no stated total and the figure goes to
a `structure` check marked ambiguous, with both figures, for a person to look at.
"""

from __future__ import annotations

from pipeline.extract.structure import level0_total
from pipeline.model import Amount, Row, Table
from pipeline.parse.amounts import sek

SLIP_SHARE = 0.05  # a gap at most this share of the total is a slip a report makes


def _digit_slip(a: int, b: int) -> bool:
    """Same number of digits, differing in one digit or in two adjacent ones (a typo, a
    transposition)."""
    x, y = str(abs(a)), str(abs(b))
    if len(x) != len(y) or (a < 0) != (b < 0):
        return False
    differ = [i for i, (p, q) in enumerate(zip(x, y, strict=True)) if p != q]
    return len(differ) == 1 or (len(differ) == 2 and differ[1] == differ[0] + 1)


def _transposed(value: int, gap: int) -> bool:
    """Two adjacent digits of `value` swapped change it by exactly `gap` (an accountant's
    check: such a gap is 9 x the digits' difference x a power of ten)."""
    digits = str(abs(value))
    for k in range(len(digits) - 1):
        if digits[k] != digits[k + 1]:
            swapped = int(digits[:k] + digits[k + 1] + digits[k] + digits[k + 2 :])
            if abs(swapped - abs(value)) == abs(gap):
                return True
    return False


def report_slip(stated: Amount, computed: int, rows: list[Row], tolerance: int) -> str:
    """How the gap looks like the report's own slip, in words ('' when it does not)."""
    gap = stated.sek - computed
    if abs(gap) <= SLIP_SHARE * max(abs(stated.sek), abs(computed)):
        return "a gap small beside the total"
    for row in rows:
        if row.level == 0 and row.amount is not None and abs(abs(gap) - abs(row.amount.sek)) <= tolerance:
            return f"the gap is the amount of row '{row.label}'"
    if _digit_slip(stated.sek, computed):
        return "the total differs from the rows' sum in one digit"
    for row in rows:
        if row.level == 0 and row.amount is not None and _transposed(row.amount.sek, gap):
            return f"the gap is two digits of row '{row.label}' transposed"
    return ""


def doubt_unexplained(table: Table) -> None:
    """Turn a total whose gap no slip explains into a doubt (see the module's docstring)."""
    stated = table.stated_total
    if stated is None:
        return
    computed, tol = level0_total(table.rows)
    tol += stated.precision
    if abs(stated.sek - computed) <= tol or report_slip(stated, computed, table.rows, tol):
        return
    share = round(100 * abs(stated.sek - computed) / max(abs(stated.sek), abs(computed), 1))
    why = (
        f"stated total {sek(stated.sek)}; the rows read here sum to {sek(computed)} ({share} % off), a gap no slip "
        "explains: rows may be missing from this reading (another page, a misread row), so it is not a finding"
    )
    table.doubts.append((table.stated_total_line or table.line, table.stated_total_page or table.page, stated.sek, why))
    table.stated_total = None
    table.stated_total_line = table.stated_total_page = None
