"""The auditors' workbook: findings first and highlighted, a sheet per file, amounts as
numbers, no formula anywhere (a label that begins with "=" in the source stays text), and
an existing file is never overwritten."""

from __future__ import annotations

from click.testing import CliRunner
from openpyxl import load_workbook

from pipeline.cli import main
from tests.conftest import EXTRACTED

REPORT = "# Bidrag\n\nPost\tkronor\n=SUM(A1:A9)\t100 000\n@cmd\t50 000\nSumma\t160 000\n"


def test_the_workbook_of_the_seed_dataset_lists_the_findings_first(tmp_path):
    target = tmp_path / "report.xlsx"
    result = CliRunner().invoke(main, ["report", str(EXTRACTED), "--xlsx", str(target)])
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    assert book.sheetnames[0] == "findings"
    findings = list(book["findings"].iter_rows(values_only=True))
    status = findings[0].index("status")
    statuses = [row[status] for row in findings[1:]]
    assert statuses.count("mismatch") == 8 and statuses == sorted(statuses, key=lambda s: s != "mismatch")
    amounts = [c for row in book["line_items"].iter_rows(min_row=2) for c in row if c.column_letter == "I"]
    assert all(c.value is None or isinstance(c.value, int) for c in amounts)
    assert book["findings"].auto_filter.ref
    again = CliRunner().invoke(main, ["report", str(EXTRACTED), "--xlsx", str(target)])
    assert again.exit_code == 2 and "not overwriting" in again.output


def test_no_cell_is_a_formula_even_where_the_source_writes_one(tmp_path):
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["extract", str(tmp_path / "r.txt"), "--out", str(out)]).exit_code == 0
    target = tmp_path / "r.xlsx"
    assert CliRunner().invoke(main, ["report", str(out), "--xlsx", str(target)]).exit_code == 0
    book = load_workbook(target)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    labels = [c.value for c in cells if isinstance(c.value, str) and "SUM(A1:A9)" in c.value]
    assert labels and all(isinstance(v, str) for v in labels)
