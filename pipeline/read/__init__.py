"""Read stage: a file -> SourceDocument (blocks with provenance), whatever its format."""

from __future__ import annotations

import hashlib
from pathlib import Path

import regex as re

from pipeline.errors import InputError
from pipeline.files import FileTooLarge, NotRegularFile, read_regular
from pipeline.model import SourceDocument
from pipeline.read.decode import decode_text
from pipeline.read.layout import read_layout
from pipeline.read.markdown import read_markdown
from pipeline.read.options import DEFAULT_MAX_LINE, ReadOptions, check_line_length

TEXT_SUFFIXES = {".txt", ".text", ".md"}
PDF_SUFFIXES = {".pdf"}
MB = 1024 * 1024
_MARKDOWN_HINT = re.compile(r"\t|^#{1,6}\s|<[bui]>|\*\*", re.MULTILINE)


def text_style(text: str) -> str:
    """'markdown' for exports with tabs, '#' headings or tags; 'layout' for pdftotext-like text."""
    return "markdown" if _MARKDOWN_HINT.search(text) else "layout"


def read_text(data: bytes, doc_id: str, source: str, max_line: int = DEFAULT_MAX_LINE) -> SourceDocument:
    text, _encoding = decode_text(data, doc_id)
    check_line_length(text, doc_id, max_line)
    blocks = read_markdown(text) if text_style(text) == "markdown" else read_layout(text)
    pages = text.count("\f") + 1 if "\f" in text else None
    return SourceDocument(
        doc_id=doc_id,
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        format="text",
        pages=pages,
        blocks=tuple(blocks),
        line_count=text.count("\n") + 1,
    )


def read_source(path: Path, doc_id: str, options: ReadOptions | None = None) -> SourceDocument:
    """Read one input file; raises InputError with a one-line reason when it cannot."""
    options = options or ReadOptions()
    try:
        data = read_regular(path, options.max_mb * MB)
    except FileTooLarge as exc:
        mb = exc.size // MB
        raise InputError(doc_id, f"file of {mb} MB, larger than the limit of {options.max_mb} MB (--max-mb)") from None
    except NotRegularFile as exc:
        raise InputError(doc_id, str(exc)) from None
    except OSError as exc:
        raise InputError(doc_id, f"cannot read file ({exc.strerror})") from None
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_text(data, doc_id, path.name, options.max_line)
    if suffix in PDF_SUFFIXES:
        from pipeline.read.pdf import read_pdf

        return read_pdf(data, doc_id, path.name, options)
    raise InputError(doc_id, f"unsupported file type '{suffix or path.name}' (expected .txt or .pdf)")
