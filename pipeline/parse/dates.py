"""Dates as written in the reports: "2023-04-14", "14 april 2023", "2023-04-14 § 7"."""

from __future__ import annotations

import datetime as dt
import itertools

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


_SLASHED_RE = re.compile(r"\S*/\S*")  # diary numbers and dates with slashes


def years(text: str) -> list[int]:
    """Stand-alone years (not parts of dates, diary numbers or amounts)."""
    cleaned = _ISO_RE.sub(" ", text or "")
    cleaned = _SLASHED_RE.sub(" ", cleaned)
    return [int(m.group(1)) for m in _YEAR_RE.finditer(cleaned)]


# Labels after which a date ends (or starts) a period, not the day a report was written:
# "Rapportperiod 2023-01-01 – 2023-12-31", "avser t.o.m. 2025-12-31", "Bokslutsdag".
_PERIOD_RE = re.compile(
    r"(?:rapportperiod|period|avser|t\.\s?o\.\s?m\.?|till\s+och\s+med|per|bokslutsdag|räkenskapsår\w*|"
    r"verksamhetsår\w*|fr\.\s?o\.\s?m\.?|från\s+och\s+med)\W{0,3}$",
    re.IGNORECASE,
)
_RANGE_JOIN_RE = re.compile(r"^\s*(?::|-|–|—|till)\s*$")


def document_dates(text: str) -> list[str]:
    """Dates that can be the day a report was written: not after a period label, and not
    either end of a range ("2023-01-01 – 2023-12-31" is a financial year)."""
    text = text or ""
    iso_matches = list(_ISO_RE.finditer(text))
    in_range: set[int] = set()
    for i, (m, n) in enumerate(itertools.pairwise(iso_matches)):
        if _RANGE_JOIN_RE.match(text[m.end() : n.start()]):
            in_range |= {i, i + 1}
    found = [(m, (m.group(1), m.group(2), m.group(3))) for i, m in enumerate(iso_matches) if i not in in_range]
    found += [(m, (m.group(3), str(MONTHS[m.group(2).lower()]), m.group(1))) for m in _LONG_RE.finditer(text)]
    out = []
    for m, (y, mo, d) in sorted(found, key=lambda f: f[0].start()):
        before = text[max(0, m.start() - 40) : m.start()].split("\n")[-1]
        iso = _valid(int(y), int(mo), int(d))
        if iso and not _PERIOD_RE.search(before.rstrip()):
            out.append(iso)
    return out
