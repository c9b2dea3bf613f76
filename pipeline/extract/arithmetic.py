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
REACH = 2  # a total beyond this many times all the figures above it sums rows not in the block


@dataclass(frozen=True)
class GridRow:
    """One table row as the walk sees it."""

    values: dict[int, Amount]  # amount column -> its figure; blank cells absent
    total_word: bool = False  # "Summa", "Totalt", ...: states a total
    result_word: bool = False  # "Resultat", "Avvikelse", "Netto", ...: may be a difference
    emphasis: bool = False  # bold, or an empty label under figures
    part: bool = False  # "varav": a part of the row above, never an operand
    bare: bool = False  # figures without a label


@dataclass
class Reduction:
    """Row `row` states the result of `operands` (row indexes, in order) with `signs`."""

    row: int
    operands: list[int]
    signs: list[int]
    fits: bool = True  # False: a total word with nothing that adds up to it (a finding)
    evidence: str = ""
    unplaced: bool = False  # it cannot be a sum of anything in the block: no finding, a doubt


@dataclass
class Reading:
    reductions: list[Reduction] = field(default_factory=list)
    open_items: list[int] = field(default_factory=list)  # rows no result takes up


def _tolerance(operands: list[Amount], stated: Amount) -> int:
    return tolerance(operands) + stated.precision


def _fit(rows: list[GridRow], nodes: list[int], signs: tuple[int, ...], row: GridRow) -> tuple[int, int]:
    """(columns where `nodes` combined with `signs` give `row`'s non-zero figures, columns
    where they do not)."""
    agreeing = disagreeing = 0
    for col, stated in row.values.items():
        operands = [(s, rows[n].values[col]) for s, n in zip(signs, nodes, strict=True) if col in rows[n].values]
        computed = sum(s * a.sek for s, a in operands)
        if abs(computed - stated.sek) > _tolerance([a for _, a in operands], stated):
            disagreeing += 1
        else:
            agreeing += stated.sek != 0 and bool(operands)
    return agreeing, disagreeing


def _supported(row: GridRow, k: int, parts: int, agreeing: int, last: bool) -> bool:
    """Arithmetic alone is not proof: a word, emphasis or a second column must back it, and
    without a word at least two operands with figures (a row equal to the one above,
    "1 | 1 | 1" twice, or to it plus zeros, is no total)."""
    if _named(row):
        return agreeing >= 1
    if agreeing >= 2 and parts >= 2:
        return True
    return last and k >= 2 and agreeing >= 1  # a bare figure under the rows: the table's total


def _parts(rows: list[GridRow], nodes: list[int], row: GridRow) -> int:
    """Operands that carry a figure other than 0 where the row has one: zeros add nothing,
    so they are no evidence that the row sums anything."""
    return sum(1 for n in nodes if any(rows[n].values.get(c) and rows[n].values[c].sek for c in row.values))


def _named(row: GridRow) -> bool:
    return _worded(row) or row.emphasis


def _worded(row: GridRow) -> bool:
    return row.total_word or row.result_word


def _sign_patterns(k: int) -> list[tuple[int, ...]]:
    return [(1, *rest) for rest in product((1, -1), repeat=k - 1) if -1 in rest]


Choice = tuple[list[int], tuple[int, ...], str]  # operands, signs, evidence


def _best(rows: list[GridRow], stack: list[int], row: GridRow, last: bool) -> Choice | None:
    """The operands and signs that explain `row` best, with the evidence in words.

    A plain sum that holds in every column where the row has a figure wins, the one with
    most agreeing columns, then the most operands (cumulative and nested totals reach down
    to earlier results). Failing that, a row whose words name a total or result keeps the
    structure that holds in at least as many of its columns as it fails in (the best such
    margin): the failing columns are findings. Last, for a result word, a difference of at
    most MAX_SIGNED operands that holds in every column."""
    full: tuple[int, int] | None = None  # (agreeing columns, k)
    partial: tuple[int, int, int, int] | None = None  # (margin, k, agreeing, disagreeing)
    for k in range(1, min(len(stack), MAX_OPERANDS) + 1):
        agreeing, disagreeing = _fit(rows, stack[-k:], (1,) * k, row)
        margin = agreeing - disagreeing
        if not disagreeing:
            parts = _parts(rows, stack[-k:], row)
            if _supported(row, k, parts, agreeing, last) and (full is None or agreeing >= full[0]):
                full = (agreeing, k)
        elif _worded(row) and agreeing >= 1 and margin >= 0 and (partial is None or margin >= partial[0]):
            partial = (margin, k, agreeing, disagreeing)
    if full is not None:
        k = full[1]
        return stack[-k:], (1,) * k, f"{k} rows add up in {_columns(full[0])}"
    if partial is not None:
        _, k, agreeing, disagreeing = partial
        return stack[-k:], (1,) * k, f"{k} rows add up in {_columns(agreeing)}, not in {_columns(disagreeing)}"
    if row.result_word:
        for k in range(2, min(len(stack), MAX_SIGNED) + 1):
            fits = [(_fit(rows, stack[-k:], signs, row), signs) for signs in _sign_patterns(k)]
            fits = [(agreeing, signs) for (agreeing, disagreeing), signs in fits if agreeing and not disagreeing]
            if fits:
                agreeing, signs = max(fits, key=lambda f: f[0])
                return stack[-k:], signs, f"{k} rows give it in {_columns(agreeing)}"
    return None


def _columns(n: int) -> str:
    return f"{n} column" if n == 1 else f"{n} columns"


def _beyond_reach(rows: list[GridRow], i: int, row: GridRow) -> bool:
    """A stated total more than twice all the figures above it in its columns together:
    most of the rows it sums are not in this block (another page, another table), so no
    reading of this block can say whether the report is wrong. (A total a little above the
    rows' sum is a report's slip, and stays a finding.)"""
    for col, stated in row.values.items():
        reach = sum(abs(r.values[col].sek) + r.values[col].precision for r in rows[:i] if col in r.values)
        if abs(stated.sek) <= REACH * reach + stated.precision:
            return False
    return True


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
        best = _best(rows, stack, row, last=i == len(rows) - 1)
        if best is not None and _restates(rows, reading, best, row):
            stack[-1] = i  # the same result again, now with its label: one node, no new table
            continue
        if best is not None:
            nodes, signs, evidence = best
            reading.reductions.append(Reduction(i, list(nodes), list(signs), True, evidence))
            del stack[-len(nodes) :]
            group_start = min(group_start, len(stack))
        elif _named(row) and _zeros(rows, stack[group_start:], row):
            nodes = stack[group_start:]
            reading.reductions.append(Reduction(i, nodes, [1] * len(nodes), True, "every figure is 0"))
            del stack[group_start:]
        elif row.result_word and i and _is_result(reading, i - 1) and len(_results_on_top(reading, stack)) >= 2:
            # a result named right under results ("Resultat" under "Summa intäkter", "Summa
            # kostnader") that they do not give: stated over them, a candidate finding
            nodes = _results_on_top(reading, stack)
            reading.reductions.append(Reduction(i, nodes, [1] * len(nodes), False, "the results above do not give it"))
            del stack[-len(nodes) :]
            group_start = min(group_start, len(stack))
        elif row.total_word:
            nodes = [n for n in stack[group_start:] if not _is_result(reading, n)] or stack[group_start:]
            if nodes:
                unplaced = _beyond_reach(rows, i, row)
                why = "larger than all the figures above it" if unplaced else "nothing above adds up to it"
                reading.reductions.append(Reduction(i, nodes, [1] * len(nodes), False, why, unplaced))
                stack = [n for n in stack if n not in nodes]
            group_start = min(group_start, len(stack))
        stack.append(i)
    taken = {n for r in reading.reductions for n in r.operands} | {r.row for r in reading.reductions}
    reading.open_items = [i for i, r in enumerate(rows) if r.values and not r.part and i not in taken]
    return reading


def _zeros(rows: list[GridRow], nodes: list[int], row: GridRow) -> bool:
    """A named result of 0 over a group whose figures are all 0 ("Upptagna lån 0",
    "Amortering 0", "Kassaflöde från finansieringsverksamheten 0"): the arithmetic cannot
    tell which rows it sums, so the group it closes is taken."""
    if not nodes or any(v.sek for v in row.values.values()):
        return False
    cells = [rows[n].values[c] for n in nodes for c in row.values if c in rows[n].values]
    return bool(cells) and not any(v.sek for v in cells)


def _restates(rows: list[GridRow], reading: Reading, best: Choice, row: GridRow) -> bool:
    """A row that repeats a bare result just stated, figure for figure ("178 893" under
    the items, then "Kassaflöde före förändringar av rörelsekapital 178 893"), names that
    result, it is not a total of one row. (Two named results that agree, "Resultat efter
    finansiella poster" and "Årets resultat", are two figures.)"""
    nodes, signs, _ = best
    if len(nodes) != 1 or signs[0] != 1 or not rows[nodes[0]].bare or not _is_result(reading, nodes[0]):
        return False
    above = rows[nodes[0]].values
    return above.keys() == row.values.keys() and all(above[c].sek == v.sek for c, v in row.values.items())


def _results_on_top(reading: Reading, stack: list[int]) -> list[int]:
    """The run of results at the top of the stack."""
    n = 0
    while n < len(stack) and _is_result(reading, stack[-1 - n]):
        n += 1
    return stack[len(stack) - n :]


def _is_result(reading: Reading, index: int) -> bool:
    return any(r.row == index for r in reading.reductions)
