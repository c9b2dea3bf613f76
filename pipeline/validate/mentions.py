"""Every figure of a document as a mention: what it is of (item), for which year and of
which kind (utfall, budget, avvikelse, prognos), and where it is printed.

A report prints the same figure several times: a summary table and a detail table, a
key-figure table and the statements. The cross-checks compare mentions; this module only
says what each mention is, from the words around it. Which mentions are the same figure is
decided by the figures themselves (validate.cross_table).

- The item is the row's label; a row labelled only by a kind ("Budget",
  "Budgetavvikelse" under "Nettokostnader") is of the item above it.
- The year and kind come from the column header ("Utfall 2025", "2023-12-31",
  "Utfall fg år"), or from the label when the header has none.
- A deviation column with no year ("Budget- avvikelse" beside "Budget 2025 | Utfall
  2025") takes the year of the budget and outcome of its record that it is the difference
  of (validate.cross_table.records).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex as re

from pipeline.model import Check, Extraction, Table
from pipeline.parse.dates import years
from pipeline.vocab import (
    ABBREVIATION_CHARS,
    FIGURE_KINDS,
    GENERIC_LABEL_WORDS,
    LABEL_PREFIXES,
    PRIOR_YEAR_HEADER,
    WORD_ENDINGS,
)

_KIND_RES = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in FIGURE_KINDS]
_PRIOR_RE = re.compile(PRIOR_YEAR_HEADER, re.IGNORECASE)
_WORD_RE = re.compile(r"\p{L}+")
# "Budget- avvikelse": a word broken over two lines ("Nämnd- och styrelse..." is not)
_HYPHEN_BREAK_RE = re.compile(r"(\p{L})-\s+(?!(?:och|eller|samt|resp)\b)(\p{Ll})")


@dataclass(frozen=True, slots=True)
class Mention:
    value: int  # kronor (or a count)
    precision: int
    unit: str
    assumed: bool  # the unit is not written: the scale may be off by a power of 1 000
    page: int
    line: int
    table_id: str  # '' for a key-figure table, which the dataset does not hold
    row: int | None  # line_items.row; None for a stated total
    printed_id: str
    label: str
    item: frozenset[str]  # the words that name what it is a figure of
    name: frozenset[str]  # the same words as printed ("nettokostnader" and "kostnader" are two rows)
    year: int | None
    kind: str  # utfall | budget | avvikelse | prognos | '' (unmarked)
    header: str


def check_at(m: Mention, kind: str, computed: int, tolerance: int, status: str, message: str, **other: Any) -> Check:
    """A check of mention `m` (its figure stated, at its table, row and place) against
    another mention (`computed`, placed by the other_* fields)."""
    return Check(
        kind=kind,
        table_id=m.table_id,
        row=m.row,
        line=m.line,
        page=m.page,
        stated=m.value,
        computed=computed,
        tolerance=tolerance,
        status=status,
        message=message,
        **other,
    )


def kind_of(text: str) -> str:
    text = _HYPHEN_BREAK_RE.sub(r"\1\2", text)
    return next((kind for kind, rx in _KIND_RES if rx.search(text)), "")


def year_of(text: str, covers_year: int | None) -> int | None:
    if covers_year and _PRIOR_RE.search(text):
        return covers_year - 1
    found = set(years(text))
    return found.pop() if len(found) == 1 else None


def words(label: str, prefixes: bool = True) -> frozenset[str]:
    """The words of a label that name its item: no generic words or numbers, and (with
    `prefixes`) no compound prefixes that leave the item the same ("Summa
    nettoinvesteringar (6014)" -> {investeringar})."""
    out = set()
    for word in _WORD_RE.findall(_HYPHEN_BREAK_RE.sub(r"\1\2", label).lower()):
        for prefix in LABEL_PREFIXES if prefixes else ():
            if word.startswith(prefix) and len(word) > len(prefix) + 4:
                word = word[len(prefix) :]
        if word not in GENERIC_LABEL_WORDS and len(word) > 1:
            out.add(word)
    return frozenset(out)


def stem(word: str) -> str:
    for ending in WORD_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 5:
            return word[: -len(ending)]
    return word


def covers(word: str, other: str) -> bool:
    """`other` says at least what `word` says: the same word, an inflection or compound of
    it ("investeringsprojekt" for "investeringar"), or `word` is its abbreviation ("adm")."""
    if word == other:
        return True
    if len(word) <= ABBREVIATION_CHARS:
        return len(word) >= 3 and other.startswith(word)
    return other.startswith(stem(word))


def same_word(a: str, b: str) -> bool:
    """One word, or a word and its abbreviation, inflection or compound."""
    return covers(a, b) or covers(b, a)


def names(a: frozenset[str], b: frozenset[str]) -> bool:
    """Every word of the shorter name is a word of the longer one."""
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return all(any(same_word(w, v) for v in long_) for w in short)


def _kind_only(label: str) -> bool:
    """A label that names only a kind ("Budget", "Budgetavvikelse", "Avvikelse mot budget")."""
    return bool(kind_of(label)) and all(kind_of(w) for w in words(label))


def _line_labels(extraction: Extraction) -> dict[tuple[int, int], str]:
    """The label printed at each table line, from the source (for stated totals)."""
    out: dict[tuple[int, int], str] = {}
    for block in extraction.source.blocks:
        for row in block.rows:
            text = next((c.text for c in row.cells if c.text and not re.search(r"\d", c.text)), "")
            out[(row.page or block.page or 1, row.line)] = text
    return out


def mentions(extraction: Extraction) -> list[Mention]:
    """Every figure of the document's amount tables (and key-figure tables), once each."""
    labels = _line_labels(extraction)
    year = extraction.metadata.covers_year
    out: list[Mention] = []
    seen: set[tuple[str, int, int, int | None]] = set()
    for table in extraction.tables + extraction.key_figures:
        if table.column is None:
            continue  # a list or a paragraph: no column to say what its figures are
        items = _items(table, labels)
        for key, (label, amount, row) in items.items():
            page, line = key
            where = (table.printed_id, page, line, table.column)
            if where in seen or amount is None:
                continue
            seen.add(where)
            item_label = _item_label(table, labels, page, line, label)
            kind = kind_of(table.column_header) or (kind_of(label) if _kind_only(label) else "")
            out.append(
                Mention(
                    value=amount.sek,
                    precision=amount.precision,
                    unit=amount.unit,
                    assumed=table.unit_assumed,
                    page=page,
                    line=line,
                    table_id=table.table_id,
                    row=row,
                    printed_id=table.printed_id,
                    label=label,
                    item=words(item_label),
                    name=words(item_label, prefixes=False),
                    year=year_of(table.column_header, year),
                    kind=kind,
                    header=table.column_header,
                )
            )
    return out


def _items(table: Table, labels: dict[tuple[int, int], str]) -> dict:
    """(page, line) -> (label, amount, row) for the table's rows and its stated total."""
    found = {}
    for n, row in enumerate(table.rows, 1):
        found[(row.page or 1, row.line)] = (row.label, row.amount, n)
    if table.stated_total is not None and table.stated_total_line is not None:
        key = (table.stated_total_page or 1, table.stated_total_line)
        found.setdefault(key, (labels.get(key, ""), table.stated_total, None))
    return found


def _item_label(table: Table, labels: dict[tuple[int, int], str], page: int, line: int, label: str) -> str:
    """A kind-only label is of the nearest label above it in its printed table that is not."""
    if not _kind_only(label):
        return label
    above = sorted((k for k in labels if k < (page, line) and k[0] == page and k[1] >= table.line), reverse=True)
    for key in above:
        text = labels[key]
        if text and not _kind_only(text) and words(text):
            return text
    return ""
