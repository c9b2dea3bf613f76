"""Dates as written in the reports: "2023-04-14", "14 april 2023", "2023-04-14 § 7"."""

from __future__ import annotations

import datetime as dt

import regex as re

MONTHS = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_ISO_RE = re.compile(r"(?<![\d/:-])((?:19|20)\d{2})-(\d{2})-(\d{2})(?![\d/-])")
_LONG_RE = re.compile(r"(?<!\d)(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+((?:19|20)\d{2})(?!\d)", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<![\d/:,.-])((?:19|20)\d{2})(?![\d/:]|[-,]\d|\s\d{3}\b)")


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def dates(text: str) -> list[str]:
    """Valid calendar dates in the text, ISO-formatted, in order of appearance."""
    found: list[tuple[int, str]] = []
    for m in _ISO_RE.finditer(text or ""):
        iso = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            found.append((m.start(), iso))
    for m in _LONG_RE.finditer(text or ""):
        iso = _valid(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        if iso:
            found.append((m.start(), iso))
    return [iso for _, iso in sorted(found)]


def years(text: str) -> list[int]:
    """Stand-alone years (not parts of dates, diary numbers or amounts)."""
    cleaned = _ISO_RE.sub(" ", text or "")
    cleaned = re.sub(r"\S*/\S*", " ", cleaned)
    return [int(m.group(1)) for m in _YEAR_RE.finditer(cleaned)]
