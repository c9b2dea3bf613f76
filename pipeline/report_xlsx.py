"""A dataset as a workbook auditors can filter: findings first, one sheet per kind.

Auditors do not read CSV. The workbook (openpyxl) has a sheet of findings (the `mismatch`
checks, then the `ambiguous` ones, highlighted) and one per file of the dataset, each with
filters on and its header row frozen. Amounts in kronor are numbers with a thousands format
(shown with spaces in a Swedish Excel), never text; every text cell is written as text, so
a label that begins with "=", "+", "-" or "@" can never become a formula. The workbook is
written next to its name and linked into place, so an existing file is never overwritten.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.files import write_new
from pipeline.load import read_dataset
from pipeline.validate.schema import RESOURCES

_FINDING = PatternFill("solid", start_color="FFF4CCCC")
_DOUBT = PatternFill("solid", start_color="FFFFF2CC")
_AMOUNT_FORMAT = "#,##0"
_INTEGER_COLUMNS = ("row", "page", "line", "level", "sign", "rows", "pages")


def _sheet(ws: Worksheet, frame: pd.DataFrame) -> None:
    ws.append(list(frame.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for record in frame.itertuples(index=False):
        row = []
        for column, value in zip(frame.columns, record, strict=True):
            row.append(_value(column, value))
        ws.append(row)
    for cells in ws.iter_rows(min_row=2):
        for cell, column in zip(cells, frame.columns, strict=True):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: never a formula
            elif column.endswith("_sek"):
                cell.number_format = _AMOUNT_FORMAT
    ws.auto_filter.ref = ws.dimensions
    ws.freeze_panes = "A2"


def _value(column: str, value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA or value == "":
        return None
    if (column.endswith("_sek") or column in _INTEGER_COLUMNS) and str(value).lstrip("-").isdigit():
        return int(str(value))
    return str(value)


def workbook(folder: Path) -> Workbook:
    frames = read_dataset(folder)
    book = Workbook()
    findings = book.active
    findings.title = "findings"
    checks = frames["checks"]
    order = {"mismatch": 0, "ambiguous": 1}
    flagged = checks[checks["status"].isin(order)].copy()
    flagged = flagged.iloc[sorted(range(len(flagged)), key=lambda i: order[flagged["status"].iloc[i]])]
    _sheet(findings, flagged)
    for cells in findings.iter_rows(min_row=2):
        status = cells[list(flagged.columns).index("status")].value
        for cell in cells:
            cell.fill = _FINDING if status == "mismatch" else _DOUBT
    for name in RESOURCES:
        _sheet(book.create_sheet(name), frames[name])
    return book


def write_workbook(folder: Path, target: Path) -> None:
    """Write the workbook of the dataset in `folder` to `target`, which must not exist."""
    buffer = io.BytesIO()
    workbook(folder).save(buffer)
    write_new(target, buffer.getvalue())
