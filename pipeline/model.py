"""Plain data passed between the stages.

read    -> SourceDocument (blocks of text with provenance)
extract -> Extraction (metadata, tables with rows, grants)
validate-> Extraction with checks filled in
load    -> CSV files

Every object that ends up in the dataset carries the page and line it came from, so an
auditor can go from any number back to its place in the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table"]


@dataclass(frozen=True)
class Segment:
    """A run of cell text with uniform markup; segment borders separate amounts."""

    text: str
    underline: bool = False


@dataclass(frozen=True)
class Cell:
    text: str
    segments: tuple[Segment, ...] = ()
    bold: bool = False

    @property
    def parts(self) -> tuple[Segment, ...]:
        return self.segments or (Segment(self.text),)


@dataclass(frozen=True)
class TableRow:
    line: int
    cells: tuple[Cell, ...]
    page: int | None = None


@dataclass(frozen=True)
class Block:
    """One unit of the document: a heading, a paragraph, a list item or a table."""

    kind: BlockKind
    line: int
    text: str = ""
    level: int = 0  # heading level, or list nesting depth
    bold: bool = False
    rows: tuple[TableRow, ...] = ()
    page: int | None = None
    end_line: int = 0


@dataclass(frozen=True)
class SourceDocument:
    doc_id: str
    source: str
    sha256: str
    format: Literal["text", "pdf"]
    pages: int | None
    blocks: tuple[Block, ...]
    line_count: int
    warnings: tuple[str, ...] = ()  # what was not read, and why (a scanned page)


@dataclass(slots=True)  # many of them in a large batch: no per-object dict
class Amount:
    """A figure in kronor, with the half-width of its rounding interval."""

    sek: int
    precision: int
    unit: str
    text: str = ""


@dataclass(slots=True)
class Row:
    line: int
    label: str
    amount: Amount | None
    level: int = 0
    page: int | None = None
    components: list[int] = field(default_factory=list)
    stated_result: int | None = None  # the result written in a multi-amount cell
    components_precision: int = 0
    split_note: str = ""  # how a multi-amount cell was split, when it needed a choice
    comment: str = ""
    diary_numbers: list[str] = field(default_factory=list)
    source_text: str = ""
    marked_child: bool = False  # the layout marks it as a sub-row (indent, dash, sub-column)
    # "subtotal" for SUMMA rows that close a group of level-1 rows; "of_total" for a
    # "varav" part of the table's stated total (printed under it)
    group: str = ""
    part_of: bool = False  # a "varav" breakdown: a part of the parent, not a split of it
    sign: int = 1  # -1: subtracted in the table's total (Budgetavvikelse = Nettokostnad - Budget)
    # Other readings of a cell of several figures: (amount, components, stated result,
    # components' precision); the table's total decides between them (extract.cell_choice).
    options: list[tuple[Amount, list[int], int | None, int]] = field(default_factory=list)


@dataclass(slots=True)
class RowIdentity:
    """An identity between amount columns checked on one row: the row's figure in the
    result column (`stated`) against `operands` from the other columns (signed)."""

    row: int | None  # index in the table's rows; None: the table's stated total row
    line: int
    page: int | None
    stated: Amount
    operands: list[int]
    precision: int  # the operands' half-units together
    expression: str  # "Avvikelse = Total projektbudget - Ack. Utfall"


@dataclass
class Table:
    table_id: str
    line: int
    caption: str
    section: str
    unit: str
    rows: list[Row]
    page: int | None = None
    stated_total: Amount | None = None
    stated_total_line: int | None = None
    stated_total_page: int | None = None
    notes: list[str] = field(default_factory=list)
    header: str = ""  # the table's own header text ('' for lists)
    relation: str = ""  # how a sum column follows from the others, when not from the headers
    printed_id: str = ""  # the printed table (block) it was read from: p<page>.<line>
    # A stated figure no reading of the table can place (line, page, amount, why): a doubt,
    # not a finding.
    doubts: list[tuple[int, int | None, int, str]] = field(default_factory=list)
    column: int | None = None  # the amount column of the printed table it was read from
    identities: list[RowIdentity] = field(default_factory=list)  # between its printed table's columns
    statistics: bool = False  # counts or key figures no total sums: not written to the dataset
    column_header: str = ""  # the header of that amount column ("Utfall 2025", "2023-12-31")
    unit_assumed: bool = False  # the report writes no unit for that column: its scale is a guess


@dataclass(slots=True)
class Check:
    kind: str
    table_id: str
    row: int | None
    line: int | None
    page: int | None
    stated: int | None
    computed: int | None
    tolerance: int | None
    status: Literal["ok", "mismatch", "ambiguous"]
    message: str
    # the other mention a cross-check compares with (validate.crosscheck): its document
    # (across documents), table, row and place
    other_doc_id: str = ""
    other_table_id: str = ""
    other_row: int | None = None
    other_page: int | None = None
    other_line: int | None = None

    @property
    def difference(self) -> int | None:
        if self.stated is None or self.computed is None:
            return None
        return self.stated - self.computed


@dataclass
class Metadata:
    title: str = ""
    doc_kind: str = ""
    covers_year: int | None = None
    date: str | None = None
    diary_number: str | None = None
    organisation: str | None = None
    agreement_key: str = ""  # the one agreement the document is about, when it is (extract.agreements)


@dataclass
class Grant:
    table_id: str
    covers_year: int | None
    grant: str
    diary_numbers: list[str]
    category: str
    amount_sek: int
    comment: str
    line: int
    page: int | None
    row: int = 0  # its row in the table (line_items.row)
    agreement_key: str = ""  # links its mentions across reports (extract.agreements)


@dataclass
class Extraction:
    source: SourceDocument
    metadata: Metadata
    tables: list[Table]
    grants: list[Grant] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    # Amounts printed per (page, line) in table lines and list items, as the extract stage
    # saw them: the denominator of the amount coverage (validate.quality).
    printed: dict[tuple[int, int], int] = field(default_factory=dict)
    # Key-figure and count tables no total sums (Flerårsöversikt): not written, but their
    # figures are mentions the cross-checks compare (validate.crosscheck).
    key_figures: list[Table] = field(default_factory=list)
    # What the checks across a batch need of the text, kept when the blocks are let go to
    # hold a large batch in little memory (run.for_the_batch): every heading and every
    # sentence with a money figure, as (kind, page, line, text); and the money records of
    # its tables, kept by reconcile (validate.editions).
    batch_text: list[tuple[str, int, int, str]] = field(default_factory=list)
    money_records: list = field(default_factory=list)
