"""Options of the read stage, with the limits that keep a hostile file from hanging a batch."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_PAGES = 500
DEFAULT_TIME_LIMIT = 120.0  # seconds per file
DEFAULT_MAX_MB = 200
DEFAULT_MAX_LINE = 20_000  # characters in one line of a text export (or a PDF's rendered line)


@dataclass(frozen=True)
class ReadOptions:
    password: str | None = None  # for encrypted PDFs (one password for the batch)
    max_pages: int = DEFAULT_MAX_PAGES
    time_limit: float = DEFAULT_TIME_LIMIT
    max_mb: int = DEFAULT_MAX_MB
    max_line: int = DEFAULT_MAX_LINE
