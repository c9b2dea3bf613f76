"""The grant register: one row per grant from the summary tables of received funds."""

from __future__ import annotations

import regex as re

from pipeline.extract.agreements import agreement_key
from pipeline.model import Grant, Metadata, Table
from pipeline.parse.dates import years
from pipeline.vocab import GRANT_CATEGORIES, REGISTER_HEADER

_REGISTER_RE = re.compile(REGISTER_HEADER, re.IGNORECASE)
_COLUMN_RE = re.compile(r"\[([^\]]*)\]$")


def is_register(table: Table) -> bool:
    top = [r for r in table.rows if r.level == 0 and r.amount is not None and r.group != "subtotal"]
    return len(top) >= 2 and bool(_REGISTER_RE.search(table.header))


def category(table: Table, label: str) -> str:
    for name, pattern in GRANT_CATEGORIES:
        where = table.caption if name == "temporary" else label
        if re.search(pattern, where, re.IGNORECASE):
            return name
    return "other"


def grant_year(table: Table, meta: Metadata) -> int | None:
    """A per-year column ('[2019]') gives the year; otherwise the year the report covers."""
    m = _COLUMN_RE.search(table.header)
    found = years(m.group(1)) if m else []
    return found[0] if len(found) == 1 else meta.covers_year


def extract_grants(tables: list[Table], meta: Metadata) -> list[Grant]:
    out = []
    for table in tables:
        if not is_register(table):
            continue
        year = grant_year(table, meta)
        for n, row in enumerate(table.rows, 1):
            if row.level != 0 or not row.label or row.amount is None:
                continue
            out.append(
                Grant(
                    table_id=table.table_id,
                    covers_year=year,
                    grant=row.label,
                    diary_numbers=row.diary_numbers,
                    category=category(table, row.label),
                    amount_sek=row.amount.sek,
                    comment=row.comment,
                    line=row.line,
                    page=row.page,
                    row=n,
                    agreement_key=agreement_key(row.label),
                )
            )
    return out
