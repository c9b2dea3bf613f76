"""Breakdowns written in prose -> a table with its check.

"I budgeten för studieförbundsbidrag finns 400 tkr. Av dessa utbetalas 380 tkr till ...
Resterande 20 tkr utbetalas via faktura ..." states a whole and its parts. Such a paragraph
is a table when its own arithmetic says so and a word points the same way:

- a whole, then parts that add up to it, with a word of division between them ("av
  dessa", "varav", "resterande", "fördelas", "består av");
- figures, then a result that they give, named as one ("Årets balanskravsresultat uppgår
  till 1 316 mnkr"), a figure in a sentence of deduction ("avsättning", "avdrag") counted
  with a minus.

Words alone never make a table: prose repeats figures in every order, so only a breakdown
whose figures add up is read, and a paragraph that only resembles one stays text.
"""

from __future__ import annotations

import regex as re

from pipeline.extract.structure import tolerance
from pipeline.extract.units import Context
from pipeline.model import Block, Row, Table
from pipeline.parse.amounts import MoneyMatch, find_money
from pipeline.vocab import PROSE_DEDUCTION, PROSE_PARTS, PROSE_RESULT

_PARTS_RE = re.compile(PROSE_PARTS, re.IGNORECASE)
_RESULT_RE = re.compile(PROSE_RESULT, re.IGNORECASE)
_DEDUCTION_RE = re.compile(PROSE_DEDUCTION, re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=\p{Lu}|\*)")
MAX_PARTS = 6
CAPTION_CHARS = 80


def table_from_prose(block: Block, ctx: Context) -> Table | None:
    """The breakdown a paragraph states, as a table; None when it states none."""
    text = block.text
    found = find_money(text)
    if len(found) < 3:
        return None
    for i in range(len(found) - 2):
        for j in range(min(len(found), i + 1 + MAX_PARTS), i + 2, -1):
            window = found[i:j]
            whole_first = _whole_first(text, window)
            if whole_first:
                return _table(block, ctx, window[0], window[1:], [1] * (len(window) - 1))
            signs = _result_last(text, window)
            if signs:
                return _table(block, ctx, window[-1], window[:-1], signs)
    return None


def _adds_up(whole: MoneyMatch, parts: list[MoneyMatch], signs: list[int]) -> bool:
    amounts = [p.amount for p in parts]
    computed = sum(s * a.sek for s, a in zip(signs, amounts, strict=True))
    return abs(computed - whole.amount.sek) <= tolerance(amounts) + whole.amount.precision


def _whole_first(text: str, window: list[MoneyMatch]) -> bool:
    whole, parts = window[0], window[1:]
    division = _PARTS_RE.search(text, whole.end, parts[-1].start)
    return bool(division) and _adds_up(whole, parts, [1] * len(parts))


def _result_last(text: str, window: list[MoneyMatch]) -> list[int]:
    """Signs that make the figures give the last one, named as a result; [] if none."""
    result, parts = window[-1], window[:-1]
    if not _RESULT_RE.search(_sentence(text, result)):
        return []
    signs = [-1 if _DEDUCTION_RE.search(_sentence(text, p)) else 1 for p in parts]
    return signs if _adds_up(result, parts, signs) else []


def _sentence(text: str, match: MoneyMatch) -> str:
    starts = [0] + [m.end() for m in _SENTENCE_END_RE.finditer(text) if m.end() <= match.start]
    end = _SENTENCE_END_RE.search(text, match.end)
    return text[starts[-1] : end.start() if end else len(text)]


def _label(text: str, match: MoneyMatch) -> str:
    """The sentence of a figure without the figure: what it is an amount of."""
    sentence = _sentence(text, match)
    start = text.find(sentence)
    cut = sentence[: match.start - start] + sentence[match.end - start :]
    return re.sub(r"\s+", " ", cut).strip(" .,:;")


def _table(block: Block, ctx: Context, whole: MoneyMatch, parts: list[MoneyMatch], signs: list[int]) -> Table:
    rows = []
    for part, sign in zip(parts, signs, strict=True):
        row = Row(block.line, _label(block.text, part), part.amount, page=block.page, source_text=block.text)
        row.sign = sign
        rows.append(row)
    caption = _sentence(block.text, whole)
    if len(caption) > CAPTION_CHARS:
        caption = caption[:CAPTION_CHARS].rsplit(" ", 1)[0] + " ..."
    return Table(
        table_id="",
        line=block.line,
        page=block.page,
        caption=caption,
        section=ctx.section,
        unit=whole.amount.unit,
        rows=rows,
        stated_total=whole.amount,
        stated_total_line=block.line,
        stated_total_page=block.page,
    )
