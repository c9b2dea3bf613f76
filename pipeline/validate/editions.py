"""The same line in two editions of a yearly report (checks of kind prior_year).

Next year's report prints last year's figures again ("Utfall fg år", "Bokslut 2024",
"2024"); when last year's report is in the batch, each such figure is compared with the one
it printed. Two tables are taken for two editions of one table only on their figures: at
least MIN_AGREEING rows, named alike, give the same figure for the earlier year, and they
are most of the rows that pair. A row that then differs (a restated comparative, a slip) is
a finding when its label pairs with exactly one row each way; otherwise it is ambiguous.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter

from pipeline.model import Check, Extraction
from pipeline.parse.amounts import sek
from pipeline.validate.cross_table import Record, significant
from pipeline.validate.mentions import Mention, check_at, names

MIN_AGREEING = 2


def edition_checks(later: Extraction, earlier: Extraction) -> None:
    """Append to `earlier` the checks of its figures that `later` prints again, from the
    money records reconcile kept of each."""
    year = earlier.metadata.covers_year
    if year is None or later.metadata.covers_year is None or later.metadata.covers_year <= year:
        return
    old, new = earlier.money_records, later.money_records
    tables = _sharing(old, new, year)
    if not tables:
        return  # no two tables of the reports share figures of the earlier year
    pairs: dict[tuple[str, str], list[tuple[Record, Record, Mention, Mention]]] = {}
    for rn in new:
        named = [ro for ro in old if (rn.printed_id, ro.printed_id) in tables and names(rn.item, ro.item)]
        exact = [ro for ro in named if ro.name == rn.name]
        for ro in exact or named:  # "Verksamhetens kostnader" is not "... nettokostnader"
            for key in rn.figures.keys() & ro.figures.keys():
                if key[0] == year and key[1] != "avvikelse":
                    pairs.setdefault((rn.printed_id, ro.printed_id), []).append(
                        (rn, ro, rn.figures[key], ro.figures[key])
                    )
    for found in pairs.values():
        agree = [p for p in found if _agree(p[2], p[3]) and significant(p[3])]
        agreeing, rows = len({id(p[0]) for p in agree}), len({id(p[0]) for p in found})
        if agreeing < MIN_AGREEING or 2 * agreeing < rows:
            continue  # not shown to be two editions of one table
        for rn, ro, mn, mo in found:
            if _agree(mn, mo) or not mo.table_id:
                continue
            unique = sum(1 for p in found if p[0] is rn) == 1 and sum(1 for p in found if p[1] is ro) == 1
            earlier.checks.append(_check(later, mn, mo, len(agree), "mismatch" if unique else "ambiguous"))


def _sharing(old: list[Record], new: list[Record], year: int) -> set[tuple[str, str]]:
    """(new printed table, old printed table) pairs with MIN_AGREEING equal significant
    figures of `year`: the only tables worth pairing row by row (an index on the figures,
    so a batch is not compared table by table)."""

    def figures(recs: list[Record]) -> list[tuple[int, int, str]]:
        return sorted(
            (m.value, m.precision, r.printed_id)
            for r in recs
            for key, m in r.figures.items()
            if key[0] == year and key[1] != "avvikelse" and significant(m)
        )

    was, now = figures(old), figures(new)
    values = [v for v, _, _ in was]
    widest = max((p for _, p, _ in was + now), default=0)
    shared: Counter[tuple[str, str]] = Counter()
    for value, precision, printed in now:
        slack = precision + widest + 1
        for _, _, other in was[bisect_left(values, value - slack) : bisect_right(values, value + slack)]:
            shared[(printed, other)] += 1
    return {k for k, n in shared.items() if n >= MIN_AGREEING}


def _agree(a: Mention, b: Mention) -> bool:
    return abs(a.value - b.value) <= max(a.precision + b.precision, 1)


def _check(later: Extraction, new: Mention, old: Mention, agreeing: int, status: str) -> Check:
    note = "" if status == "mismatch" else " (the label pairs with more than one row: not a finding)"
    message = (
        f"{old.label} [{old.header}] p.{old.page} l.{old.line}: {sek(old.value)}; next edition "
        f"{later.source.doc_id} {new.label} [{new.header}] p.{new.page} l.{new.line}: {sek(new.value)} "
        f"({agreeing} other rows of the two tables agree){note}"
    )
    return check_at(
        old,
        "prior_year",
        new.value,
        max(old.precision + new.precision, 1),
        status,
        message,
        other_doc_id=later.source.doc_id,
        other_table_id=new.table_id,
        other_row=new.row,
        other_page=new.page,
        other_line=new.line,
    )
