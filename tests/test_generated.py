"""Generated reports (tests/generated_reports.py): tables whose truth is known, drawn in
many layouts, must come out exactly: every stated figure with its status, every item
amount, the findings the printed figures hold (planted slips) and no other finding, no
doubt; the PDF read by either engine (pdfplumber, pdfium).

GENERATED_REPORTS (default 200) sets how many seeds run; GENERATED_FIRST the first seed.
A failing seed is named, and its PDF and text export are kept under
tests/generated-failures/ (ignored by git) for the next person.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from pipeline.read.options import ReadOptions
from pipeline.run import process
from tests.generated_reports import Report, draw, pdf, text_export

COUNT = int(os.environ.get("GENERATED_REPORTS", "200"))
FIRST = int(os.environ.get("GENERATED_FIRST", "0"))
KEEP = Path(__file__).resolve().parent / "generated-failures"
TOTALS = ("table_total", "subrows")


def _problems(report: Report, path: Path, engine: str = "pdfplumber") -> list[str]:
    extraction = process(path, path.name, ReadOptions(engine=engine))
    checks = extraction.checks
    got = Counter((c.stated, c.status) for c in checks if c.kind in TOTALS)
    want = Counter(report.stated())
    problems = []
    if got != want:
        missing, extra = sorted((want - got).elements()), sorted((got - want).elements())
        problems.append(f"stated totals: missing {missing}, extra {extra}")
    rows = Counter(r.amount.sek for t in extraction.tables for r in t.rows if r.amount is not None)
    missing = Counter(report.items()) - rows
    if missing:
        problems.append(f"item amounts missing: {sorted(missing.elements())}")
    stated = {v for v, _ in report.stated()}
    extra = [v for v in rows if v not in stated and v not in set(report.items())]
    if extra:
        problems.append(f"row amounts that are no figure of the report: {sorted(extra)}")
    identity = sum(1 for c in checks if c.kind == "column_identity" and c.status == "mismatch")
    if identity != report.identity_findings():
        problems.append(f"Avvikelse findings: {identity}, printed slips: {report.identity_findings()}")
    others = [
        f"{c.kind} {c.status} {c.message}"
        for c in checks
        if c.kind not in TOTALS and c.status != "ok" and not (c.kind == "column_identity" and c.status == "mismatch")
    ]
    if others:
        problems.append(f"other checks not ok: {others}")
    return problems


@pytest.mark.parametrize("seed", range(FIRST, FIRST + COUNT))
def test_a_generated_report_comes_out_exactly(seed, tmp_path):
    report = draw(seed)
    text = tmp_path / f"generated-{seed}.txt"
    text.write_text(text_export(report), encoding="utf-8")
    drawn = tmp_path / f"generated-{seed}.pdf"
    pdf(report, drawn)
    readings = (("text", text, "pdfplumber"), ("pdf", drawn, "pdfplumber"), ("pdf, pdfium", drawn, "pdfium"))
    failures = {fmt: _problems(report, path, engine) for fmt, path, engine in readings}
    failures = {fmt: p for fmt, p in failures.items() if p}
    if failures:
        KEEP.mkdir(exist_ok=True)
        for path in (text, drawn):
            shutil.copy(path, KEEP / path.name)
        pytest.fail(f"seed {seed} (kept in {KEEP}): {failures}")
