"""The pdfium engine (--engine pdfium) against the pdfplumber reader: the same lines from
constructed layouts (ruled tables in a form, shaded cells, a /Rotate page, sideways text),
the same dataset on the seed PDFs and on real reports with gold, the same refusals."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from pipeline.load import to_frames
from pipeline.read.options import ReadOptions
from pipeline.read.pdf_lines import page_lines
from pipeline.read.pdf_orient import upright
from pipeline.read.pdfium_page import PdfiumPage, font_descents
from pipeline.run import collect_inputs, run

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ROWS = [("Post", "Utfall 2025", "Budget 2025"), ("Personal", "1 200", "1 300"), ("Lokaler", "450", "400"),
        ("Summa", "1 650", "1 700")]  # fmt: skip
GOLD_REPORTS = (
    SHARED / "corpus" / "peer" / "swedish" / "Bokslut_2025.pdf",
    SHARED / "corpus" / "real" / "brf_268411.pdf",
    SHARED / "corpus" / "real" / "278354_årsredovisning_stockholm_brf_the_brick_terra.pdf",
)


def _table(c: Canvas, x: float, y: float, shade: bool) -> None:
    """A ruled table of ROWS with its top-left corner at (x, y); shaded header cells drawn
    twice (once per cell, once per text line), as Word draws them."""
    widths, height = (150, 90, 90), 18
    xs = [x + sum(widths[:i]) for i in range(len(widths) + 1)]
    ys = [y - height * i for i in range(len(ROWS) + 1)]
    if shade:
        c.setFillColor(Color(0.85, 0.85, 0.85))
        c.rect(xs[0], ys[1], xs[-1] - xs[0], height, stroke=0, fill=1)
        c.rect(xs[0] + 2, ys[1] + 3, xs[-1] - xs[0] - 4, height - 6, stroke=0, fill=1)
        c.setFillColor(Color(0, 0, 0))
    c.grid(xs, ys)
    for r, row in enumerate(ROWS):
        for k, text in enumerate(row):
            c.drawString(xs[k] + 4, ys[r] - 13, text)


def _layouts(path: Path) -> None:
    c = Canvas(str(path))
    c.setFont("Helvetica", 10)
    c.drawString(72, 800, "Driftredovisning 2025, belopp i tkr")
    c.beginForm("table")
    _table(c, 72, 760, shade=True)
    c.endForm()
    c.doForm("table")  # the table inside a form XObject
    c.showPage()
    c.setPageRotation(90)  # a landscape page stored portrait, turned by /Rotate
    c.setFont("Helvetica", 10)
    _table(c, 72, 760, shade=False)
    c.showPage()
    c.setFont("Helvetica", 10)
    c.translate(300, 100)
    c.rotate(90)  # the table set sideways on a portrait page
    _table(c, 0, 0, shade=False)
    c.drawString(0, 20, "Investeringar 2025, belopp i tkr")
    c.showPage()
    c.save()


def _read(page) -> list[tuple]:
    lines = page_lines(upright(page), page.page_number)
    return [
        (ln.number, ln.text, ln.ruled, ln.first_row, ln.last_row, [w.bold for c in ln.cells for w in c])
        for ln in lines
    ]


def test_both_engines_read_constructed_layouts_to_the_same_lines(tmp_path):
    path = tmp_path / "layouts.pdf"
    _layouts(path)
    data = path.read_bytes()
    document = pdfium.PdfDocument(data)
    descents = font_descents(data, None)
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            reference = _read(page)
            assert _read(PdfiumPage(document[number - 1], number, descents=descents)) == reference, number
            ruled = [line[1] for line in reference if line[2]]
            assert ruled == ["  ".join(row) for row in ROWS], (number, reference)


def _dataset(paths: list[Path], engine: str) -> dict[str, str]:
    result = run(collect_inputs(paths), ReadOptions(engine=engine))
    assert not result.failures
    frames = to_frames(result.extractions)
    return {name: frames[name].to_csv(index=False) for name in ("tables", "line_items", "checks", "grants")}


def test_both_engines_give_the_seed_pdfs_the_same_dataset():
    seeds = sorted((ROOT / "raw").glob("*.pdf"))
    assert len(seeds) == 5
    reference = _dataset(seeds, "pdfplumber")
    assert reference["checks"].count("\n") > 20
    assert _dataset(seeds, "pdfium") == reference


@pytest.mark.parametrize("path", GOLD_REPORTS, ids=lambda p: p.name[:24])
def test_both_engines_give_real_reports_with_gold_the_same_dataset(path):
    if not path.exists():
        pytest.skip(f"{path} is not present")
    assert _dataset([path], "pdfium") == _dataset([path], "pdfplumber")


def test_pdfium_refuses_broken_pdfs_with_the_same_one_line_reasons(tmp_path):
    from tests.test_pdf import _extract, _peer, broken_batch

    code, errors, out = _extract(tmp_path, str(broken_batch(tmp_path)), "--engine", "pdfium")
    assert code == 1
    assert sorted(errors) == [
        "error: empty.pdf: file is empty",
        "error: image.pdf: no text layer: run OCR first, e.g. ocrmypdf (page 1)",
        # pdfium gives this 472-byte file one empty page where pdfminer finds none
        "error: issue-297-example.pdf: no text and no images on any page: nothing to read",
        "error: password-example.pdf: encrypted PDF: give its password (--password)",
        "error: text-named.pdf: not a PDF (no %PDF header); is the file misnamed?",
        "error: truncated.pdf: corrupt or truncated PDF (data format error)",
    ]
    assert (out / "documents.csv").read_text(encoding="utf-8").count("\n") == 2
    pdf = _peer("jsvine-pdfplumber/password-example.pdf")
    code, errors, out = _extract(tmp_path, str(pdf), "--password", "test", "--engine", "pdfium")
    assert (code, errors) == (0, [])
    code, errors, _ = _extract(tmp_path, str(pdf), "--password", "wrong", "--engine", "pdfium")
    assert (code, errors) == (1, ["error: password-example.pdf: wrong password for encrypted PDF"])
