"""A table's structure from its own arithmetic: which rows each stated figure sums.

A shift-reduce walk over the rows (docs/STRUCTURE.md): each row with figures is checked
against the nodes on top of a stack (items, or results already reduced); when k of them add
up to it in every amount column where it has a figure, within the rounding of the figures,
it becomes their result and replaces them on the stack. So nested subtotals ("Summa A",
"Summa B", then "Summa" of the two), cumulative totals (a total = the previous total + the
rows since) and stacked result blocks (Intäkter + Kostnader = Nettokostnad; Nettokostnad -
Budget = Budgetavvikelse) all come out of one rule.

Words are priors, never proof: a row is taken as a result only when the arithmetic holds and
something else speaks for it too (a total or result word, bold, an empty label, or a second
agreeing column), so "100, 200, 300" is not read as 100 + 200 = 300. Subtraction is tried
only for rows whose label names a result that may be a difference (Resultat, Avvikelse,
Netto, ...), and only where no plain sum fits. A row with a total word that nothing fits
is still a stated total, over the items since the group began: a candidate finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

from pipeline.extract.structure import tolerance
from pipeline.model import Amount

MAX_OPERANDS = 40  # nodes a result may sum
MAX_SIGNED = 3  # nodes a difference may combine


@dataclass(frozen=True)
class GridRow:
    """One table row as the walk sees it."""

    values: dict[int, Amount]  # amount column -> its figure; blank cells absent
    total_word: bool = False  # "Summa", "Totalt", ...: states a total
    result_word: bool = False  # "Resultat", "Avvikelse", "Netto", ...: may be a difference
    emphasis: bool = False  # bold, or an empty label under figures
    part: bool = False  # "varav": a part of the row above, never an operand


@dataclass
class Reduction:
    """Row `row` states the result of `operands` (row indexes, in order) with `signs`."""

    row: int
    operands: list[int]
    signs: list[int]
    fits: bool = True  # False: a total word with nothing that adds up to it (a finding)
    evidence: str = ""


@dataclass
class Reading:
    reductions: list[Reduction] = field(default_factory=list)
    open_items: list[int] = field(default_factory=list)  # rows no result takes up

    @property
    def fitted(self) -> int:
        return sum(1 for r in self.reductions if r.fits)


def _tolerance(operands: list[Amount], stated: Amount) -> int:
    return tolerance(operands) + stated.precision


def _fit(rows: list[GridRow], nodes: list[int], signs: tuple[int, ...], row: GridRow) -> int:
    """Columns where `nodes` combined with `signs` give `row`'s figures (-1: one does not)."""
    agreeing = 0
    for col, stated in row.values.items():
        operands = [(s, rows[n].values[col]) for s, n in zip(signs, nodes, strict=True) if col in rows[n].values]
        if not operands:
            if stated.sek != 0:
                return -1
            continue
        computed = sum(s * a.sek for s, a in operands)
        if abs(computed - stated.sek) > _tolerance([a for _, a in operands], stated):
            return -1
        agreeing += stated.sek != 0
    return agreeing


def _supported(row: GridRow, k: int, agreeing: int, last: bool) -> bool:
    """Arithmetic alone is not proof: a word, emphasis or a second column must back it."""
    if row.total_word or row.result_word or row.emphasis:
        return agreeing >= 1
    if agreeing >= 2:
        return True
    return last and k >= 2 and agreeing >= 1  # a bare figure under the rows: the table's total


def _sign_patterns(k: int) -> list[tuple[int, ...]]:
    return [(1, *rest) for rest in product((1, -1), repeat=k - 1) if -1 in rest]


def read_structure(rows: list[GridRow]) -> Reading:
    """The reductions that explain the rows, walking top to bottom."""
    reading = Reading()
    stack: list[int] = []
    group_start = 0  # stack depth when the current group (after a heading) began
    for i, row in enumerate(rows):
        if row.part:
            continue
        if not row.values:
            group_start = len(stack)
            continue
        last = i == len(rows) - 1
        best: tuple[int, int, list[int], tuple[int, ...]] | None = None  # (agreeing, k, nodes, signs)
        for k in range(1, min(len(stack), MAX_OPERANDS) + 1):
            nodes = stack[-k:]
            agreeing = _fit(rows, nodes, (1,) * k, row)
            if agreeing >= 0 and _supported(row, k, agreeing, last) and (best is None or agreeing >= best[0]):
                best = (agreeing, k, nodes, (1,) * k)
        if best is None and row.result_word:
            for k in range(2, min(len(stack), MAX_SIGNED) + 1):
                nodes = stack[-k:]
                for signs in _sign_patterns(k):
                    agreeing = _fit(rows, nodes, signs, row)
                    if agreeing >= 1 and (best is None or agreeing > best[0]):
                        best = (agreeing, k, nodes, signs)
                if best is not None:
                    break  # the fewest operands that fit
        if best is not None:
            _, k, nodes, signs = best
            columns = "columns" if best[0] > 1 else "column"
            reading.reductions.append(
                Reduction(i, list(nodes), list(signs), True, f"{k} rows add up in {best[0]} {columns}")
            )
            del stack[-k:]
            group_start = min(group_start, len(stack))
        elif row.total_word:
            nodes = [n for n in stack[group_start:] if not _is_result(reading, n)] or stack[group_start:]
            if nodes:
                reading.reductions.append(
                    Reduction(i, nodes, [1] * len(nodes), False, "nothing above adds up to it")
                )
                stack = [n for n in stack if n not in nodes]
            group_start = min(group_start, len(stack))
        stack.append(i)
    taken = {n for r in reading.reductions for n in r.operands} | {r.row for r in reading.reductions}
    reading.open_items = [i for i, r in enumerate(rows) if r.values and not r.part and i not in taken]
    return reading


def _is_result(reading: Reading, index: int) -> bool:
    return any(r.row == index for r in reading.reductions)
