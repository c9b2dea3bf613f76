"""Options of the read stage, with the limits that keep a hostile file from hanging a batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.errors import InputError

DEFAULT_MAX_PAGES = 500
DEFAULT_TIME_LIMIT = 120.0  # seconds per file
DEFAULT_MAX_MB = 200
DEFAULT_MAX_LINE = 20_000  # characters in one line of a text export (or a PDF's rendered line)
ENGINES = ("pdfplumber", "pdfium")  # how a PDF's characters and drawings are read


@dataclass(frozen=True)
class ReadOptions:
    password: str | None = None  # for encrypted PDFs (one password for the batch)
    max_pages: int = DEFAULT_MAX_PAGES
    time_limit: float = DEFAULT_TIME_LIMIT
    max_mb: int = DEFAULT_MAX_MB
    max_line: int = DEFAULT_MAX_LINE
    engine: str = "pdfplumber"


def check_line_length(text: str, doc_id: str, limit: int, line_map: Sequence[tuple[int, int]] | None = None) -> None:
    """Refuse text with a line longer than `limit`: no report has one, and the patterns
    should never see one. `line_map` places a rendered PDF line on its page."""
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > limit:
            page, at = line_map[number - 1] if line_map else (None, number)
            reason = f"a line of {len(line)} characters, longer than the limit of {limit} (--max-line)"
            raise InputError(doc_id, reason, page=page, line=at)
