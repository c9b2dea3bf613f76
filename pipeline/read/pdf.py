"""PDF reader: pdfplumber (or pdfium) -> lines with page and position -> the text readers' blocks.

Every way a PDF can be unreadable becomes one InputError line naming the reason:
not a PDF, encrypted without (or with a wrong) password, corrupt or truncated, no pages,
more pages than the limit, scanned pages without a text layer.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace

import pdfplumber
import regex as re
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import InputError
from pipeline.model import Block, SourceDocument, TableRow
from pipeline.read.layout import read_layout
from pipeline.read.markdown import read_markdown
from pipeline.read.options import ReadOptions, check_line_length
from pipeline.read.pdf_lines import Line, page_lines
from pipeline.read.pdf_orient import upright
from pipeline.read.pdf_text import render
from pipeline.read.plumber_page import PlumberPage

OCR_HINT = "no text layer: run OCR first, e.g. ocrmypdf"
BLANK = "no text and no images on any page: nothing to read"
SCANNED_PAGE = "a scanned image without a text layer, not read (OCR it first, e.g. ocrmypdf)"
SCANNED_SHARE = 0.5  # a page without text whose images cover this share of it is a scan


def _sniff(data: bytes, doc_id: str) -> None:
    """Refuse what is no PDF at all, before either engine tries it."""
    if not data.strip():
        raise InputError(doc_id, "file is empty")
    if b"%PDF-" not in data[:1024]:
        raise InputError(doc_id, "not a PDF (no %PDF header); is the file misnamed?")


def _locked(password: str | None) -> str:
    return "wrong password for encrypted PDF" if password else "encrypted PDF: give its password (--password)"


def _open(data: bytes, doc_id: str, password: str | None):
    try:
        pdf = pdfplumber.open(io.BytesIO(data), password=password or "")
        pages = len(pdf.pages)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise InputError(doc_id, _locked(password)) from None
        if isinstance(cause, PDFEncryptionError):
            raise InputError(doc_id, f"encrypted PDF that cannot be decrypted ({cause})") from None
        raise InputError(doc_id, f"corrupt or truncated PDF ({_short(cause)})") from None
    except Exception as exc:  # pdfminer raises many kinds on broken files
        raise InputError(doc_id, f"corrupt or truncated PDF ({_short(exc)})") from None
    return pdf, pages


def _open_pdfium(data: bytes, doc_id: str, password: str | None):
    """The document read by pdfium, with the same one-line reasons as pdfplumber's."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data, password=password or None)
    except pdfium.PdfiumError as exc:
        if exc.err_code == 4:  # FPDF_ERR_PASSWORD
            raise InputError(doc_id, _locked(password)) from None
        if exc.err_code == 6:  # FPDF_ERR_SECURITY
            raise InputError(doc_id, "encrypted PDF that cannot be decrypted (unsupported security handler)") from None
        said = re.search(r"PDFium: ([^)]+)", str(exc))  # "Failed to load document (PDFium: Data format error)."
        reason = said.group(1).lower() if said else _short(exc)
        raise InputError(doc_id, f"corrupt or truncated PDF ({reason})") from None
    return pdf, len(pdf)


def _pdfium_pages(pdf, data: bytes, password: str | None):
    from pipeline.read.pdfium_page import PdfiumPage, font_descents

    descents = font_descents(data, password)
    for number in range(1, len(pdf) + 1):
        yield PdfiumPage(pdf[number - 1], number, descents=descents)


def _short(exc: object) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _scanned(page) -> bool:
    area = float(page.width * page.height) or 1.0
    covered = sum(abs((i["x1"] - i["x0"]) * (i["bottom"] - i["top"])) for i in page.images)
    return covered / area >= SCANNED_SHARE


def _lines(pages, doc_id: str) -> tuple[list[Line], list[int]]:
    """The lines of every page, and the pages that are scanned images without text (left
    out: a scanned signature page or appendix does not keep the rest from being read)."""
    lines: list[Line] = []
    scanned: list[int] = []
    images = False
    for number, page in enumerate(pages, start=1):
        read = page
        try:
            read = upright(page)
            found = page_lines(read, number)
            images = images or bool(read.images)
            if not found and _scanned(read):
                scanned.append(number)
        except Exception as exc:
            raise InputError(doc_id, f"cannot read page ({_short(exc)})", page=number) from None
        finally:
            read.close()
            page.close()
        lines.extend(found)
    if not lines:
        raise InputError(doc_id, OCR_HINT if images else BLANK, page=scanned[0] if scanned else None)
    return lines, scanned


def _place(blocks: list[Block], line_map: list[tuple[int, int]]) -> list[Block]:
    """Rendered line numbers -> (page, line on page) on every block and row."""

    def at(line: int) -> tuple[int, int]:
        return line_map[min(max(line, 1), len(line_map)) - 1]

    placed = []
    for b in blocks:
        page, line = at(b.line)
        end_page, end_line = at(b.end_line or b.line)
        rows = tuple(TableRow(at(r.line)[1], r.cells, at(r.line)[0]) for r in b.rows)
        placed.append(replace(b, line=line, page=page, end_line=end_line if end_page == page else line, rows=rows))
    return placed


def read_pdf(data: bytes, doc_id: str, source: str, options: ReadOptions | None = None) -> SourceDocument:
    options = options or ReadOptions()
    pdfium = options.engine == "pdfium"
    _sniff(data, doc_id)
    pdf, pages = (_open_pdfium if pdfium else _open)(data, doc_id, options.password)
    try:
        if pages == 0:
            raise InputError(doc_id, "PDF has no pages")
        if pages > options.max_pages:
            raise InputError(doc_id, f"{pages} pages, more than the limit of {options.max_pages} (--max-pages)")
        pages_of = _pdfium_pages(pdf, data, options.password) if pdfium else map(PlumberPage.of, pdf.pages)
        lines, scanned = _lines(pages_of, doc_id)
        rendered = render(lines)
    finally:
        pdf.close()
    check_line_length(rendered.text, doc_id, options.max_line, rendered.line_map)
    blocks = read_markdown(rendered.text) if rendered.markdown else read_layout(rendered.text)
    return SourceDocument(
        doc_id=doc_id,
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        format="pdf",
        pages=pages,
        blocks=tuple(_place(blocks, rendered.line_map)),
        line_count=len(rendered.line_map),
        warnings=tuple(f"page {n}: {SCANNED_PAGE}" for n in scanned),
    )
