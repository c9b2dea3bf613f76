"""Write small one-page PDFs for tests that need a layout no real report in the corpus has."""

from __future__ import annotations


def one_page_pdf(content: str) -> bytes:
    """A valid A4 PDF whose page draws `content` (a PDF content stream; font /F1 is
    Helvetica), with a correct cross-reference table."""
    stream = content.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def text_at(x: float, y: float, text: str, size: float = 11, sideways: bool = False) -> str:
    """Content-stream operators that draw `text` at (x, y), upright or turned a quarter
    anticlockwise (reading bottom-to-top)."""
    matrix = f"0 1 -1 0 {x} {y}" if sideways else f"1 0 0 1 {x} {y}"
    return f"BT /F1 {size} Tf {matrix} Tm ({text}) Tj ET\n"
