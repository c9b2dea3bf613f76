"""PDF reader (pdfplumber) -- see issue 3; until then PDFs are refused with a clear reason."""

from __future__ import annotations

from pipeline.errors import InputError
from pipeline.model import SourceDocument


def read_pdf(data: bytes, doc_id: str, source: str) -> SourceDocument:
    raise InputError(doc_id, "reading PDFs is not supported yet; give the text export")
