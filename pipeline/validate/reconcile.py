"""Reconciliation: every stated figure against the figures it sums.

- table_total: a table's stated total vs the sum of its level-0 rows;
- cell_sum:    a multi-amount cell's components vs the result written in it;
- subrows:     a parent row vs its sub-rows (or a SUMMA subtotal vs its items);
- part_of:     a "varav" part must not exceed its parent;
- cell_split:  a cell whose figures split several ways that all add up (ambiguous);
- unit:        a unit the report does not write, and how it was read;
- relation:    how a result follows from the figures before it, when it is a difference;
- column_identity: a row against an identity its table's columns show on the other rows
                 (Avvikelse = Budget - Utfall), learned from the rows (extract/identities.py);
- structure:   a stated figure no reading of the table can place (ambiguous, not a finding).

Tolerances come from the precision of the figures: "30,6 mnkr" is exact to +/- 50 000 kr,
so a sum of rounded figures may differ from its stated total by the sum of their
half-units. A discrepancy beyond that is a finding (status mismatch), never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.extract.doubts import report_slip
from pipeline.extract.structure import level0_total, tolerance
from pipeline.model import Amount, Check, Extraction, Row, RowIdentity, Table
from pipeline.parse.amounts import sek
from pipeline.validate.cross_table import cross_table_checks, records
from pipeline.validate.mentions import mentions
from pipeline.validate.text_vs_table import text_checks
from pipeline.vocab import COUNT_UNIT


@dataclass(frozen=True)
class TotalCheck:
    """A table's stated total against its level-0 rows (stated None: no total stated)."""

    stated: int | None
    precision: int | None
    computed: int
    tolerance: int

    @property
    def difference(self) -> int | None:
        return None if self.stated is None else self.stated - self.computed

    @property
    def status(self) -> str:
        return "no_stated_total" if self.stated is None else _status(self.stated, self.computed, self.tolerance)


def total_check(table: Table) -> TotalCheck:
    computed, tol = level0_total(table.rows)
    st = table.stated_total
    return TotalCheck(st.sek if st else None, st.precision if st else None, computed, tol + (st.precision if st else 0))


def _figure(value: int, unit: str) -> str:
    """Kronor the Swedish way; a count as a plain number."""
    return f"{value:,}".replace(",", " ") if unit == COUNT_UNIT else sek(value)


OUT_OF_SCALE = 1000  # a written result this many times its parts (or the reverse) is a misread cell


def _out_of_scale(stated: int, computed: int) -> bool:
    small, large = sorted((abs(stated), abs(computed)))
    return large > OUT_OF_SCALE * max(small, 1)


def _status(stated: int, computed: int, tolerance: int) -> str:
    return "ok" if abs(stated - computed) <= tolerance else "mismatch"


def _groups(rows: list[Row]) -> list[tuple[int, list[int], bool]]:
    """(parent index, child indexes, children are 'varav' parts) for every parent row."""
    out: list[tuple[int, list[int], bool]] = []
    for i, row in enumerate(rows):
        if row.level != 0 or row.group == "of_total":
            continue
        if row.group == "subtotal":
            kids = []
            j = i - 1
            while j >= 0 and rows[j].level == 1:
                if not rows[j].part_of:  # a "varav" part is inside its row, not an item of the group
                    kids.insert(0, j)
                j -= 1
            if kids:
                out.append((i, kids, False))
            continue
        kids, parts = [], []
        j = i + 1
        while j < len(rows) and rows[j].level == 1 and rows[j].group != "of_total":
            (parts if rows[j].part_of else kids).append(j)
            j += 1
        if j < len(rows) and rows[j].group == "subtotal":
            kids = []  # these rows belong to the subtotal that follows
        if kids:
            out.append((i, kids, False))
        if parts:
            out.append((i, parts, True))
    return out


def table_checks(table: Table) -> list[Check]:
    checks: list[Check] = []
    tid = table.table_id
    for note in table.notes:
        checks.append(Check("unit", tid, None, table.line, table.page, None, None, None, "ok", note))
    if table.relation:
        checks.append(Check("relation", tid, None, table.line, table.page, None, None, None, "ok", table.relation))
    for line, page, stated, why in table.doubts:
        checks.append(Check("structure", tid, None, line, page, stated, None, None, "ambiguous", why))
    total = total_check(table)
    if total.stated is not None:
        stated, computed, tol, status = total.stated, total.computed, total.tolerance, total.status
        checks.append(
            Check(
                "table_total",
                tid,
                None,
                table.stated_total_line,
                table.stated_total_page,
                stated,
                computed,
                tol,
                status,
                f"stated total {_figure(stated, table.unit)}; level-0 rows sum to {_figure(computed, table.unit)} "
                f"(difference {_figure(stated - computed, table.unit)}, tolerance {_figure(tol, table.unit)})",
            )
        )
    for n, row in enumerate(table.rows, 1):
        if row.split_note:
            checks.append(
                Check(
                    "cell_split",
                    tid,
                    n,
                    row.line,
                    row.page,
                    row.stated_result,
                    sum(row.components),
                    None,
                    "ambiguous",
                    row.split_note,
                )
            )
        if row.stated_result is not None and row.components:
            computed = sum(row.components)
            tol = row.components_precision + (row.amount.precision if row.amount else 0)
            status = _status(row.stated_result, computed, tol)
            shown = " + ".join(sek(c) for c in row.components).replace("+ -", "- ")
            message = f"{shown} = {sek(computed)}; the cell states {sek(row.stated_result)}"
            kind = "cell_sum"
            if status == "mismatch" and _out_of_scale(row.stated_result, computed):
                # Figures of neighbouring columns run together read as one cell: no finding.
                kind, status, tol = "structure", "ambiguous", None
                message += " (a thousand times apart: figures of other columns may have run into this cell)"
            checks.append(Check(kind, tid, n, row.line, row.page, row.stated_result, computed, tol, status, message))
    checks.extend(_identity_check(table, ident) for ident in table.identities)
    of_total = [r.amount for r in table.rows if r.group == "of_total" and r.amount is not None]
    if of_total and table.stated_total is not None:
        st = table.stated_total
        computed, tol = sum(a.sek for a in of_total), st.precision + tolerance(of_total)
        status = "ok" if abs(computed) <= abs(st.sek) + tol else "mismatch"
        checks.append(
            Check(
                "part_of",
                tid,
                None,
                table.stated_total_line,
                table.stated_total_page,
                st.sek,
                computed,
                tol,
                status,
                f"'varav' parts sum to {sek(computed)} of the stated total {sek(st.sek)}",
            )
        )
    for i, kids, parts in _groups(table.rows):
        parent = table.rows[i]
        amounts = [table.rows[j].amount for j in kids if table.rows[j].amount is not None]
        if parent.amount is None or not amounts:
            continue
        computed = sum(a.sek for a in amounts)
        tol = parent.amount.precision + tolerance(amounts)
        if parts:
            status = "ok" if abs(computed) <= abs(parent.amount.sek) + tol else "mismatch"
            message = f"'varav' parts sum to {sek(computed)} of the row's {sek(parent.amount.sek)}"
            kind = "part_of"
        else:
            status = _status(parent.amount.sek, computed, tol)
            what = "items before this subtotal" if parent.group == "subtotal" else "sub-rows"
            message = f"{len(amounts)} {what} sum to {sek(computed)}; the row states {sek(parent.amount.sek)}"
            kind = "subrows"
        checks.append(
            Check(kind, tid, i + 1, parent.line, parent.page, parent.amount.sek, computed, tol, status, message)
        )
    return checks


def _identity_check(table: Table, ident: RowIdentity) -> Check:
    """A row against an identity of its printed table's columns: a gap that looks like the
    report's slip is a finding; any other gap may be a misread row, so it is a doubt."""
    stated, computed = ident.stated, sum(ident.operands)
    tol = stated.precision + ident.precision
    shown = " + ".join(sek(v) for v in ident.operands).replace("+ -", "- ")
    message = f"{ident.expression}: {shown} = {sek(computed)}; the row states {sek(stated.sek)}"
    status = _status(stated.sek, computed, tol)
    operands = [Row(ident.line, "", Amount(v, 0, stated.unit)) for v in ident.operands]
    if status == "mismatch" and not report_slip(stated, computed, operands, tol):
        status = "ambiguous"
        message += " (a gap no slip explains: the row may be misread, so it is not a finding)"
    row = None if ident.row is None else ident.row + 1
    tid = table.table_id
    return Check("column_identity", tid, row, ident.line, ident.page, stated.sek, computed, tol, status, message)


def reconcile(extraction: Extraction) -> Extraction:
    """Every table's own checks, then the figures the report states twice."""
    extraction.checks = [c for t in extraction.tables for c in table_checks(t)]
    recs = records(mentions(extraction))
    extraction.money_records = [r for r in recs if not r.count]  # for the editions of a batch
    extraction.checks += cross_table_checks(recs)
    extraction.checks += text_checks(extraction, recs)
    return extraction
