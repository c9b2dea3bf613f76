"""Diary numbers ("diarienummer"): RS/76/2022, HSN/736/2022, RS/27:1/2020, RUN/231/2020."""

from __future__ import annotations

import regex as re

from pipeline.vocab import DIARY_NUMBER

_DIARY_RE = re.compile(DIARY_NUMBER)


def diary_numbers(text: str) -> list[str]:
    """Diary numbers in order of appearance, each once."""
    seen: dict[str, None] = {}
    for m in _DIARY_RE.finditer(text or ""):
        seen.setdefault(m.group(0), None)
    return list(seen)
