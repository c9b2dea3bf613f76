"""Layouts of annual accounts built here with reportlab, not taken from the page that
prompted each rule: a note table that goes on over a page break under a running header
and over a bare page number,
item rows marked with a dash, unlabelled subtotals under a rule, group headings too long
for the label column, and a total over subtotals on both pages. Every stated figure must
reconcile, and none may become a finding."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from pipeline.cli import main
from pipeline.extract.doubts import report_slip
from pipeline.model import Amount, Row
from tests.conftest import csv_rows, run_extract

GROUPS = [  # (heading, [(item, 2025, 2024)]): each group closes with an unlabelled subtotal
    ("Fastighetskostnader som fördelas enligt andelstal och avtal mellan föreningarna", [
        ("-Fastighetsskötsel", 120_450, 98_300), ("-Städning", 45_120, 44_800), ("-Snöröjning", 12_000, 15_500),
    ]),
    ("Reparationer", [("-Tvättstuga", 8_450, 0), ("-Entré och trapphus", 21_300, 19_950)]),
    ("Taxebundna kostnader", [("-El", 88_120, 97_400), ("-Värme", 301_200, 288_050), ("-Vatten", 61_890, 59_300)]),
    ("Övriga driftkostnader", [("-Försäkring", 34_210, 31_000), ("-Kabel-tv och bredband", 18_900, 18_900)]),
]


def _kr(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _write(path: Path) -> None:
    canvas = Canvas(str(path), pagesize=A4)
    width, height = A4
    pages, y = 1, height - 120

    def header() -> None:
        canvas.setFont("Helvetica", 8)
        canvas.drawString(56, height - 40, "Brf Exempelgården")
        canvas.drawRightString(width - 56, height - 40, f"{pages} (3)")
        canvas.drawString(56, height - 52, "769600-0000")
        canvas.drawRightString(width - 56, 40, f"{pages}/3")  # a bare page number, right under the table

    def line(label: str, a: int | None, b: int | None, bold: bool = False, rule: bool = False) -> None:
        nonlocal y
        font = "Helvetica-Bold" if bold else "Helvetica"
        canvas.setFont(font, 10)
        canvas.drawString(56, y, label)
        if rule:
            canvas.line(360, y + 11, width - 56, y + 11)
        for x, value in ((430, a), (width - 56, b)):
            if value is not None:
                canvas.drawRightString(x, y, _kr(value))
        y -= 14

    header()
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(56, height - 90, "Not 3 Driftkostnader")
    line("", None, None)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(56, y + 14, "Belopp i kr")
    canvas.drawRightString(430, y + 14, "2025")
    canvas.drawRightString(width - 56, y + 14, "2024")
    totals = [0, 0]
    for n, (heading, items) in enumerate(GROUPS):
        if n == 2:  # the table goes on over a page break, under the running header
            canvas.showPage()
            pages += 1
            header()
            y = height - 90
        line(heading, None, None)
        for label, a, b in items:
            line(label, a, b)
        sub = [sum(i[1] for i in items), sum(i[2] for i in items)]
        line("", *sub, rule=True)
        totals = [totals[0] + sub[0], totals[1] + sub[1]]
    line("Summa driftkostnader", *totals, bold=True, rule=True)
    canvas.showPage()
    pages += 1
    header()
    canvas.setFont("Helvetica", 10)
    canvas.drawString(56, height - 90, "Underskrifter")
    canvas.save()


_rows = csv_rows


def test_a_note_table_over_a_page_break_reconciles_every_subtotal_and_its_total(tmp_path):
    pdf = tmp_path / "not3.pdf"
    _write(pdf)
    out = tmp_path / "out"
    run_extract([pdf], out)
    tables = _rows(out / "tables.csv")
    stated = sorted((t["stated_total_sek"], t["status"]) for t in tables if t["stated_total_sek"])
    subtotals = [(sum(i[c] for i in items), c) for _, items in GROUPS for c in (1, 2)]
    grand = [(sum(s for s, col in subtotals if col == c), c) for c in (1, 2)]
    assert stated == sorted((str(v), "ok") for v, _ in subtotals + grand)
    assert [c for c in _rows(out / "checks.csv") if c["status"] != "ok"] == []
    labels = {r["label"] for r in _rows(out / "line_items.csv")}
    assert {"Fastighetsskötsel", "Städning", "Snöröjning", "El", "Värme", "Vatten"} <= labels  # dashes mark items
    assert not any("Brf Exempelgården" in r["source_text"] for r in _rows(out / "line_items.csv"))


def _amount(value: int) -> Amount:
    return Amount(value, 0, "kr")


def test_a_gap_is_the_reports_slip_only_when_something_explains_it():
    rows = [Row(1, "Hyror", _amount(9_562_000)), Row(2, "Avgifter", _amount(100_000))]
    assert report_slip(_amount(9_662_000), 9_562_000, rows, 1) == "a gap small beside the total"
    counted_twice = 2 * 9_562_000 + 100_000
    assert report_slip(_amount(9_662_000), counted_twice, rows, 1) == "the gap is the amount of row 'Hyror'"
    assert report_slip(_amount(179_900), 719_900, rows, 1) == "the total differs from the rows' sum in one digit"
    assert report_slip(_amount(-695_117), -386_839, rows, 1) == ""  # 44 % off: rows missing from the reading


def test_a_scanned_page_among_text_pages_is_named_and_the_rest_is_read(tmp_path):
    """A scanned signature page does not keep a report from being read; a report with no
    text at all is still refused."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    scan = ImageReader(Image.new("RGB", (200, 280), "white"))
    pdf = tmp_path / "mixed.pdf"
    canvas = Canvas(str(pdf), pagesize=A4)
    canvas.setFont("Helvetica", 10)
    rows = [("Hyror", "100 000 kr"), ("Avgifter", "20 000 kr"), ("Summa", "120 000 kr")]
    for y, (label, amount) in zip((700, 686, 672), rows, strict=True):
        canvas.drawString(56, y, label)
        canvas.drawRightString(400, y, amount)
    canvas.showPage()
    canvas.drawImage(scan, 0, 0, *A4)
    canvas.showPage()
    canvas.save()
    only_scan = tmp_path / "scan.pdf"
    canvas = Canvas(str(only_scan), pagesize=A4)
    canvas.drawImage(scan, 0, 0, *A4)
    canvas.save()

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(pdf), str(only_scan), "--out", str(out)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(("warning:", "error:"))]
    assert lines == [
        "error: scan.pdf: no text layer: run OCR first, e.g. ocrmypdf (page 1)",
        "warning: mixed.pdf: page 2: a scanned image without a text layer, not read (OCR it first, e.g. ocrmypdf)",
    ]
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert '"page 2: a scanned image without a text layer' in manifest
    assert [(t["stated_total_sek"], t["status"]) for t in _rows(out / "tables.csv")] == [("120000", "ok")]


def test_a_row_whose_label_starts_in_lower_case_is_a_row_when_it_has_its_own_figure(tmp_path):
    """'årets resultat -58 957' under 'Ingående balanserat resultat -3 994 348' is a row of
    its own (one cell never holds two stacked figures), while a label wrapped onto a line
    without figures still runs on into its row."""
    pdf = tmp_path / "disp.pdf"
    canvas = Canvas(str(pdf), pagesize=A4)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(56, 760, "Resultatdisposition")
    canvas.setFont("Helvetica", 10)
    canvas.drawString(56, 740, "Belopp i kr")
    lines = [
        ("Ingående balanserat resultat", -3_994_348),
        ("årets resultat", -58_957),
        ("Avsättning till fonden för yttre underhåll enligt", 463_100),
        ("stadgarna", None),
        ("Totalt", -3_590_205),
    ]
    for n, (label, value) in enumerate(lines):
        y = 720 - 13 * n
        canvas.drawString(56, y, label)
        if value is not None:
            canvas.drawRightString(420, y, _kr(value).replace("-", "- ") if value < 0 else _kr(value))
    canvas.save()
    out = tmp_path / "out"
    run_extract([pdf], out)
    items = [(r["label"], r["amount_sek"]) for r in _rows(out / "line_items.csv")]
    assert items == [
        ("Ingående balanserat resultat", "-3994348"),
        ("årets resultat", "-58957"),
        ("Avsättning till fonden för yttre underhåll enligt stadgarna", "463100"),
    ]
    assert [(t["stated_total_sek"], t["status"]) for t in _rows(out / "tables.csv")] == [("-3590205", "ok")]


def test_notes_under_a_header_over_the_amount_columns_only(tmp_path):
    """A header line that stands over the amount columns only ("2023 2022") belongs to the
    table under it, even a table of one row; and a comparison column of zeros beside kr
    columns is kr too (every item new this year), so that year's table is read as well."""
    pdf = tmp_path / "notes.pdf"
    canvas = Canvas(str(pdf), pagesize=A4)
    y = 780

    def text(label: str, *cells: str, bold: bool = False) -> None:
        nonlocal y
        canvas.setFont("Helvetica-Bold" if bold else "Helvetica", 10)
        if label:
            canvas.drawString(56, y, label)
        for x, cell in zip((430, 538), cells, strict=False):
            canvas.drawRightString(x, y, cell)
        y -= 14

    text("Belopp i kr")
    y -= 28
    text("NOT 4, ÖVRIGA RÖRELSEINTÄKTER", bold=True)
    text("", "2023", "2022")
    for label, value in (("Elstöd", 604_497), ("Övriga intäkter", 44_581), ("Försäkringsersättning", 610_040)):
        text(label, _kr(value), "0")
    text("Summa", _kr(1_259_118), "0")
    y -= 14
    text("NOT 18, STÄLLDA SÄKERHETER", bold=True)
    text("", "2023-12-31", "2022-12-31")
    text("Fastighetsinteckning", "200 773 000", "200 773 000")
    canvas.save()
    out = tmp_path / "out"
    run_extract([pdf], out)
    tables = [(t["caption"], t["unit"], t["stated_total_sek"], t["status"]) for t in _rows(out / "tables.csv")]
    assert tables == [
        ("NOT 4, ÖVRIGA RÖRELSEINTÄKTER [2023]", "kr", "1259118", "ok"),
        ("NOT 4, ÖVRIGA RÖRELSEINTÄKTER [2022]", "kr", "0", "ok"),
        ("NOT 18, STÄLLDA SÄKERHETER [2023-12-31]", "kr", "", "no_stated_total"),
        ("NOT 18, STÄLLDA SÄKERHETER [2022-12-31]", "kr", "", "no_stated_total"),
    ]


LEFT = (
    "Kommunstyrelsen upprättar årligen en årsredovisning för hela staden som omfattar "
    "nämnder, bolag och kommunalförbund. Revisorernas uppgift är att bedöma om resultatet "
    "är förenligt med de mål och riktlinjer som fullmäktige har beslutat."
)
RIGHT = (
    "Staden uppfyller balanskravet och redovisar ett resultat exklusive realisationsvinster på "
    "1 681 miljoner kronor. En avsättning till resultatutjämningsreserv har gjorts med 365 "
    "miljoner kronor. Årets balanskravsresultat uppgår till 1 316 miljoner kronor."
)


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def test_a_page_in_two_columns_of_running_text_is_read_column_by_column(tmp_path):
    """Two columns of prose side by side are not a table: each column is read as text, so a
    breakdown in the right-hand column is found whole and nothing else is a table."""
    pdf = tmp_path / "columns.pdf"
    canvas = Canvas(str(pdf), pagesize=A4)
    canvas.setFont("Helvetica", 10)
    left, right = _wrap(LEFT, 42), _wrap(RIGHT, 42)
    for n in range(max(len(left), len(right))):
        y = 760 - 13 * n
        if n < len(left):
            canvas.drawString(56, y, left[n])
        if n < len(right):
            canvas.drawString(310, y, right[n])
    canvas.save()
    out = tmp_path / "out"
    run_extract([pdf], out)
    tables = [(t["unit"], t["stated_total_sek"], t["status"]) for t in _rows(out / "tables.csv")]
    assert tables == [("mnkr", "1316000000", "ok")]
    signs = [(r["amount_sek"], r["sign"]) for r in _rows(out / "line_items.csv")]
    assert signs == [("1681000000", "1"), ("365000000", "-1")]


def test_a_borderless_table_over_a_page_break_repeats_its_header_and_reads_as_one(tmp_path):
    """'Sida 1' under the table, the word header repeated on the next page: one table of
    all thirty rows, whose total (on page 2) reconciles; the unit comes from the section
    heading 'Driftredovisning (tkr)', and Avvikelse = Budget - Utfall on every row."""
    pdf = tmp_path / "drift.pdf"
    canvas = Canvas(str(pdf), pagesize=A4)
    width, height = A4

    def header(y: float) -> None:
        canvas.setFont("Helvetica-Bold", 10)
        canvas.drawString(56, y, "Verksamhet")
        for x, t in ((330, "Utfall 2025"), (430, "Budget 2025"), (530, "Avvikelse")):
            canvas.drawRightString(x, y, t)

    def figures(y: float, values: tuple[int, int, int]) -> None:
        for x, v in zip((330, 430, 530), values, strict=True):
            canvas.drawRightString(x, y, _kr(v))

    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(56, height - 60, "Driftredovisning (tkr)")
    y = height - 90
    header(y)
    y -= 16
    rows = [(f"Verksamhet {i}", 1000 + 10 * i, 1100 + 10 * i) for i in range(1, 31)]
    for n, (label, outcome, budget) in enumerate(rows):
        if n == 20:
            canvas.setFont("Helvetica", 8)
            canvas.drawRightString(width - 56, 30, "Sida 1")
            canvas.showPage()
            y = height - 60
            header(y)
            y -= 16
        canvas.setFont("Helvetica", 10)
        canvas.drawString(56, y, label)
        figures(y, (outcome, budget, budget - outcome))
        y -= 14
    totals = (sum(r[1] for r in rows), sum(r[2] for r in rows))
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawString(56, y, "Summa")
    figures(y, (*totals, totals[1] - totals[0]))
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(width - 56, 30, "Sida 2")
    canvas.save()
    out = tmp_path / "out"
    run_extract([pdf], out)
    tables = [(t["unit"], t["rows"], t["stated_total_sek"], t["status"]) for t in _rows(out / "tables.csv")]
    assert tables == [
        ("tkr", "30", str(totals[0] * 1000), "ok"),
        ("tkr", "30", str(totals[1] * 1000), "ok"),
        ("tkr", "30", str((totals[1] - totals[0]) * 1000), "ok"),
    ]
    identities = [c for c in _rows(out / "checks.csv") if c["kind"] == "column_identity"]
    assert len(identities) == 31 and {c["status"] for c in identities} == {"ok"}
    assert not any(r["label"] == "Verksamhet" for r in _rows(out / "line_items.csv"))
