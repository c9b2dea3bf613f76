"""A stable key for an agreement or grant, so that its mentions link across reports.

Every year's follow-up names the same agreement differently ("Överenskommelse om en God
och nära vård 2022, en omställning av hälso- och sjukvården ... (RS/76/2022)", "God och
Nära vård", "Fördelning God och nära vård 2022 - en omställning ..."), and its diary
number changes with the year. The key is the name without what wraps it: leading words
of the kind of document or grant, the year, a sub-title after a comma or dash, an
addition after "+", diary numbers; lower case, single spaces. Years and diary numbers are
kept in their own columns; the key is what stays the same.
"""

from __future__ import annotations

import regex as re

from pipeline.vocab import AGREEMENT_END, AGREEMENT_LEAD, DIARY_NUMBER

_LEAD_RE = re.compile(AGREEMENT_LEAD, re.IGNORECASE)
_END_RE = re.compile(AGREEMENT_END)
_DIARY_RE = re.compile(DIARY_NUMBER)
_YEAR_RE = re.compile(r"\b(?:år\s+)?(?:19|20)\d{2}(?:\s?[-–]\s?(?:19|20)?\d{2,4})?\b", re.IGNORECASE)
_NOISE_RE = re.compile(r"[^\p{L}\d\s]+")
MIN_KEY_CHARS = 3


def agreement_key(name: str) -> str:
    """'Överenskommelse om en God och nära vård 2022, en omställning ...' -> 'god och nära vård'."""
    text = _DIARY_RE.sub(" ", name)
    text = re.sub(r"<[^>]+>", " ", text)  # markup of a text export
    text = " ".join(text.split()).strip(" +-–")
    while True:
        stripped = _LEAD_RE.sub("", text, count=1).strip()
        if stripped == text:
            break
        text = stripped
    found = _YEAR_RE.search(text)
    if found and len(text[: found.start()].split()) >= 2:
        text = text[: found.start()]  # "God och nära vård 2024- En personcentrerad ...": the year ends the name
    text = _END_RE.split(text, maxsplit=1)[0]
    text = _YEAR_RE.sub(" ", text)
    key = " ".join(_NOISE_RE.sub(" ", text).lower().split())
    return key if len(key) >= MIN_KEY_CHARS else ""
