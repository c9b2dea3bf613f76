"""A figure in the prose against the table row its words name (checks of kind
text_vs_table).

"Gemensam administration för kultur och fritid / Verksamheten redovisar ett överskott
mot budget om 1 262 mnkr" names the row "Gem adm kultur och fritid" (every word of the
row's label is in the heading or the sentence before the figure, abbreviations allowed)
and the kind of its figure (a surplus against budget: the deviation column), for the year
the sentence names or the report covers. The prose figure is exact only to its rounding
("1,07 mnkr" is 1 065 000 - 1 075 000 kr).

- A prose figure a thousand times the row's that is right in the table's unit is a unit
  slip: it is read so, and named.
- A disagreement is a finding only when the sentence names the kind of figure (a
  deviation, a budget), exactly one row is named (by the sentence itself; by the title
  above only for a deviation, which is said of the whole of what the title names), and
  the prose figure is no other figure of that row (else ambiguous). Any other
  disagreement is no check at all: prose repeats figures of many things, and a false
  alarm costs an auditor more than a missed one.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex as re

from pipeline.model import Block, Check, Extraction
from pipeline.parse.amounts import MoneyMatch, find_money, sek
from pipeline.parse.dates import years
from pipeline.validate.cross_table import Record
from pipeline.validate.mentions import Mention, check_at, covers, words
from pipeline.vocab import PROSE_BUDGET, PROSE_DEFICIT, PROSE_DEVIATION, PROSE_SURPLUS, UNIT_MULTIPLIER

_SURPLUS_RE = re.compile(PROSE_SURPLUS, re.IGNORECASE)
_DEFICIT_RE = re.compile(PROSE_DEFICIT, re.IGNORECASE)
_DEVIATION_RE = re.compile(PROSE_DEVIATION, re.IGNORECASE)
_BUDGET_RE = re.compile(PROSE_BUDGET, re.IGNORECASE)
_SENTENCE_RE = re.compile(r"[^.!?]+(?:[.!?](?!\d)|$)")
TITLE_CHARS = 60  # a short line of words with no figure and no full stop titles the text below
KIND_REACH = 60  # characters before a figure that say what kind of figure it is
SLIP_RATIO = 1.5  # a prose figure read in the table's unit must be this close to the row's figure


@dataclass(frozen=True)
class ProseFigure:
    amount: MoneyMatch
    kind: str  # avvikelse | budget | '' (unmarked)
    year: int | None
    subject: frozenset[str]  # the words of the title above and of the sentence before the figure
    sentence: frozenset[str]  # the words of the sentence before the figure
    text: str
    page: int
    line: int


def _title(block: Block) -> bool:
    text = block.text.strip()
    return block.kind == "heading" or (
        len(text) <= TITLE_CHARS and not re.search(r"\d", text) and not text.endswith((".", ":")) and bool(text)
    )


def prose_figures(extraction: Extraction) -> list[ProseFigure]:
    """Every money figure of the paragraphs, with what its sentence says it is."""
    out = []
    subject = ""
    covers = extraction.metadata.covers_year
    for block in extraction.source.blocks:
        if block.kind not in ("heading", "paragraph"):
            continue
        if _title(block):
            subject = block.text
            continue
        for sentence in _SENTENCE_RE.findall(block.text):
            found = set(years(sentence))
            year = found.pop() if len(found) == 1 else covers
            for mm in find_money(sentence):
                before = sentence[: mm.start]
                out.append(
                    ProseFigure(
                        amount=mm,
                        kind=_kind(before[-KIND_REACH:]),
                        year=year,
                        subject=words(f"{subject} {before}"),
                        sentence=words(before),
                        text=" ".join(sentence.split()),
                        page=block.page or 1,
                        line=block.line,
                    )
                )
    return out


def _kind(before: str) -> str:
    if _DEVIATION_RE.search(before):
        return "avvikelse"
    if _BUDGET_RE.search(before):
        return "budget"
    return ""


def _sign(text: str) -> int:
    """+1 for a surplus, -1 for a deficit, 0 when the words do not say."""
    surplus, deficit = bool(_SURPLUS_RE.search(text)), bool(_DEFICIT_RE.search(text))
    return 1 if surplus and not deficit else -1 if deficit and not surplus else 0


def named_by(item: frozenset[str], subject: frozenset[str]) -> bool:
    """Every word of the row's label is among the words of the text, said at least as
    precisely ("fritid" does not name "Fritidsgårdsverksamhet")."""
    return bool(item) and all(any(covers(w, s) for s in subject) for w in item)


def text_checks(extraction: Extraction, recs: list[Record]) -> list[Check]:
    figures = [(rec, key, m) for rec in recs for key, m in rec.figures.items() if m.table_id and not rec.count]
    checks = []
    for pf in prose_figures(extraction):
        kind = pf.kind or "utfall"
        named = [(rec, m) for rec, key, m in figures if key == (pf.year, kind) and named_by(rec.item, pf.subject)]
        if not named:
            continue
        check = _check(pf, named)
        if check is not None:
            checks.append(check)
    return checks


def _reading(pf: ProseFigure, m: Mention) -> tuple[int, int, str]:
    """The prose figure as compared with the row (a deviation by size: tables write it
    either way round), its rounding, and a note when a unit slip was read."""
    amount = pf.amount.amount
    value, precision, note = amount.sek, amount.precision, ""
    if pf.kind == "avvikelse":
        value = abs(value) * (_sign(pf.text[: pf.text.find(amount.text)] or pf.text) or 1)
    ratio = UNIT_MULTIPLIER.get(m.unit, 1) / UNIT_MULTIPLIER.get(amount.unit, 1)
    if ratio != 1 and m.value and abs(value - m.value) > precision + m.precision:
        alt, alt_precision = round(value * ratio), round(precision * ratio)
        if abs(alt) * SLIP_RATIO >= abs(m.value) and abs(m.value) * SLIP_RATIO >= abs(alt):
            note = f"the text writes {amount.text.strip()}, a unit slip: read in the table's unit, {m.unit}"
            value, precision = alt, alt_precision
    return value, precision, note


def _check(pf: ProseFigure, named: list[tuple[Record, Mention]]) -> Check | None:
    """The prose figure against the rows it names: agreeing with one is ok; a gap is a
    finding only with one row named (by the sentence itself, before its title)."""
    readings = [(rec, m, *_reading(pf, m)) for rec, m in named]
    in_sentence = [r for r in readings if named_by(r[0].item, pf.sentence)]
    # Only a deviation from budget ("Verksamheten redovisar ett överskott mot budget om")
    # is said of the whole of what the title names; "ett budgeterat bidrag om 0,4 mnkr"
    # or "ett garanterat belopp på 1 mkr" under it is a part of it.
    candidates = in_sentence or (readings if pf.kind == "avvikelse" else [])
    agree = [r for r in candidates if _agrees(r[2], r[3], r[1])]
    if agree:
        rec, m, value, precision, note = agree[0]
        return _made(pf, m, value, precision, "ok", note)
    if not pf.kind or len(candidates) != 1:
        return None  # an unmarked figure, or several rows named: it may be of many things
    rec, m, value, precision, note = candidates[0]
    other = [k for k, x in rec.figures.items() if x is not m and _agrees(value, precision, x)]
    if other:
        why = f"the text's figure is the {other[0][1]} figure of the row: not a finding"
        return _made(pf, m, value, precision, "ambiguous", "; ".join(filter(None, (note, why))))
    return _made(pf, m, value, precision, "mismatch", note)


def _agrees(value: int, precision: int, m: Mention) -> bool:
    """Within both roundings, by size: prose writes costs and deficits without a minus
    where tables write them with one (the sign of a deviation is its table's convention)."""
    return abs(abs(value) - abs(m.value)) <= max(precision + m.precision, 1)


def _made(pf: ProseFigure, m: Mention, value: int, precision: int, status: str, note: str) -> Check:
    """The row's figure (stated, at its place in the dataset) against the prose figure
    (computed, at other_page/other_line), the latter given the row's sign when the two
    are compared by size."""
    tol = max(precision + m.precision, 1)
    read = -value if (value < 0) != (m.value < 0) and m.value and value else value
    message = (
        f"{m.label} [{m.header}] p.{m.page} l.{m.line}: {sek(m.value)}; "
        f'text p.{pf.page} l.{pf.line}: "{_excerpt(pf)}" -> {sek(value)}'
        + (" (compared by size)" if read != value else "")
        + (f" ({note})" if note else "")
    )
    return check_at(m, "text_vs_table", read, tol, status, message, other_page=pf.page, other_line=pf.line)


def _excerpt(pf: ProseFigure) -> str:
    return pf.text if len(pf.text) <= 160 else pf.text[:157] + "..."
