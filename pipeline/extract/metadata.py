"""Document metadata read from the text: title, kind, covered year, date, diary number,
organisation. The front matter (the first blocks, before any table) carries the letterhead:
date, diary number and title.
"""

from __future__ import annotations

from collections import Counter

import regex as re

from pipeline.extract.agreements import agreement_key
from pipeline.model import Block, Metadata
from pipeline.parse.dates import dates, document_dates, years
from pipeline.parse.references import diary_numbers
from pipeline.vocab import AGREEMENT_DOC_KINDS, DOC_KINDS, ORGANISATION

FRONT_BLOCKS = 8
_ORG_RE = re.compile(ORGANISATION)
_ONLY_REF_RE = re.compile(r"^\W*(?:\p{Lu}{1,5}/\d+(?::\d+)?/\d{4}\W*)+$")
_TRAILING_REF_RE = re.compile(r"\s*\(\p{Lu}{1,5}/\d+(?::\d+)?/\d{4}\)\s*$")
_LETTERHEAD_RE = re.compile(r"\b(?:e-post|tel|telefon|datum|dnr|diarienummer)\b|@", re.IGNORECASE)


def front_matter(blocks: tuple[Block, ...]) -> list[Block]:
    out = []
    for b in blocks:
        if b.kind == "table" or len(out) >= FRONT_BLOCKS:
            break
        if b.text:
            out.append(b)
    return out


def _title(front: list[Block]) -> str:
    for b in front:
        if b.kind == "heading":
            return _TRAILING_REF_RE.sub("", b.text)
    for b in front:
        if b.kind != "paragraph" or _ONLY_REF_RE.match(b.text) or _LETTERHEAD_RE.search(b.text):
            continue
        if dates(b.text) and len(b.text) < 120:
            continue  # a letterhead line: department and date
        if len(b.text) <= 250:
            return _TRAILING_REF_RE.sub("", b.text)
    return ""


def extract_metadata(blocks: tuple[Block, ...]) -> Metadata:
    front = front_matter(blocks)
    front_text = "\n".join(b.text for b in front)
    title = _title(front)
    meta = Metadata(title=title)
    found_dates = document_dates(front_text)
    meta.date = found_dates[0] if found_dates else None
    refs = diary_numbers(front_text)
    meta.diary_number = refs[0] if refs else None
    title_years = years(title)
    if title_years:
        meta.covers_year = title_years[-1]
    else:
        body_years = years("\n".join(b.text for b in front if b.text != title))
        meta.covers_year = Counter(body_years).most_common(1)[0][0] if body_years else None
    for kind, pattern in DOC_KINDS:
        if re.search(pattern, title, re.IGNORECASE):
            meta.doc_kind = kind
            break
    else:
        for kind, pattern in DOC_KINDS:
            if re.search(pattern, front_text, re.IGNORECASE):
                meta.doc_kind = kind
                break
    orgs = Counter(
        re.sub(r"\s+", " ", m.group(0)) for b in blocks if b.kind != "table" for m in _ORG_RE.finditer(b.text)
    )
    meta.organisation = orgs.most_common(1)[0][0] if orgs else None
    if meta.doc_kind in AGREEMENT_DOC_KINDS:
        meta.agreement_key = agreement_key(title)
    return meta
