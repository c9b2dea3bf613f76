"""Checks across the reports of one batch, linked by agreement key and year.

- prior_year: a figure a report gives for an earlier year of an agreement ("Region
  Jämtland Härjedalen har erhållit 64,4 miljoner kronor. (år 2021 72,7 mkr)") against
  the grant register of the earlier report for that agreement and year.
- prior_year, too: a figure next year's report prints again for this year ("Utfall fg
  år") against this year's report (validate.editions).
- cross_document: a document about one agreement (an allocation decision, a decision
  basis) against the register of a follow-up for the same agreement and year; and one
  agreement's grant for one year in two registers.

A report's mention of an agreement is a sentence that names it (its key in the sentence's
words), or any sentence under a heading that does. Only reports of the same format are
linked (a batch holding a report's PDF and its text export holds one report twice).

What is a finding: a prior-year figure that neither the earlier report's register nor its
text gives (within the prose figure's rounding). Where the earlier report itself states
two figures (its text agrees, its register does not), the check is ambiguous and names
both. A decision whose totals do not include the follow-up's figure, and two registers
that differ, are ambiguous: an allocation and a receipt may rightly differ.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex as re

from pipeline.extract.agreements import agreement_key
from pipeline.model import Amount, Block, Check, Extraction, Grant
from pipeline.parse.amounts import find_money, sek
from pipeline.parse.dates import years
from pipeline.validate.editions import edition_checks

_SENTENCE_RE = re.compile(r"[^.!?]+(?:[.!?](?!\d)|$)")
_YEAR_BEFORE_RE = re.compile(r"\b((?:19|20)\d{2})\b\D{0,6}$")  # "(år 2021 72,7 mkr)": the year just before the figure
_WORD_RE = re.compile(r"[^\p{L}\d]+")


@dataclass(frozen=True)
class Mention:
    """A money figure of an agreement in a report's text."""

    key: str
    year: int | None  # the year the figure is for
    sek: int
    precision: int
    page: int
    line: int
    text: str
    prior: bool  # the year is written right before the figure: a comparison with an earlier year


def _norm(text: str) -> str:
    return f" {' '.join(_WORD_RE.sub(' ', text.lower()).split())} "


def _keys_in(text: str, keys: set[str]) -> list[str]:
    """The agreement keys the text names as whole words, the longest where one holds another."""
    text = _norm(text)
    found = [k for k in keys if f" {k} " in text]
    return [k for k in found if not any(k != o and f" {k} " in f" {o} " for o in found)]


def batch_text(blocks: tuple[Block, ...]) -> list[tuple[str, int, int, str]]:
    """The headings, and the sentences of paragraphs and list items with a money figure."""
    out = []
    for block in blocks:
        if block.kind == "heading":
            out.append(("heading", block.page or 1, block.line, block.text))
        elif block.kind in ("paragraph", "list_item"):
            for sentence in _SENTENCE_RE.findall(block.text):
                if find_money(sentence):
                    out.append(("sentence", block.page or 1, block.line, sentence))
    return out


def mentions(x: Extraction, keys: set[str]) -> list[Mention]:
    out = []
    heading_key = ""
    covers = x.metadata.covers_year
    for kind, page, line, text in x.batch_text or batch_text(x.source.blocks):
        if kind == "heading":
            named = agreement_key(text)
            heading_key = named if named in keys else ""
            continue
        named = _keys_in(text, keys) or ([heading_key] if heading_key else [])
        if len(named) != 1:
            continue
        said = set(years(text))
        for mm in find_money(text):
            before = _YEAR_BEFORE_RE.search(text[: mm.start])
            year = int(before.group(1)) if before else (next(iter(said)) if len(said) == 1 else covers)
            out.append(
                Mention(
                    named[0],
                    year,
                    mm.amount.sek,
                    mm.amount.precision,
                    page,
                    line,
                    " ".join(text.split()),
                    bool(before) and year != covers,
                )
            )
    return out


def batch_checks(extractions: list[Extraction]) -> None:
    """Append the checks across reports to the extraction they are about."""
    for fmt in sorted({x.source.format for x in extractions}):
        group = [x for x in extractions if x.source.format == fmt]
        keys = {g.agreement_key for x in group for g in x.grants if g.agreement_key}
        said = {x.source.doc_id: mentions(x, keys) for x in group}
        for x in group:
            _prior_year(x, group, said)
            _decisions(x, group)
            for earlier in group:
                if not _same_report(x, earlier):
                    edition_checks(x, earlier)
        _registers(group)


def _same_report(a: Extraction, b: Extraction) -> bool:
    return a is b or (a.metadata.title, a.metadata.covers_year) == (b.metadata.title, b.metadata.covers_year)


def _prior_year(later: Extraction, group: list[Extraction], said: dict[str, list[Mention]]) -> None:
    for m in said[later.source.doc_id]:
        if not m.prior:
            continue
        for earlier in group:
            if _same_report(later, earlier) or earlier.metadata.covers_year != m.year:
                continue
            grants = [g for g in earlier.grants if g.agreement_key == m.key and g.covers_year == m.year]
            if len(grants) != 1:
                continue
            g = grants[0]
            tol = max(m.precision, 1)
            own = [e for e in said[earlier.source.doc_id] if e.key == m.key and e.year == m.year]
            text_agrees = [e for e in own if abs(e.sek - m.sek) <= tol + e.precision]
            if abs(g.amount_sek - m.sek) <= tol:
                status, why = "ok", ""
            elif text_agrees:
                e = text_agrees[0]
                status = "ambiguous"
                why = (
                    f"; the earlier report's own text p.{e.page} l.{e.line} gives {sek(e.sek)} too: it states "
                    "two figures, so the reports do not disagree, the earlier one disagrees with itself"
                )
            else:
                status, why = "mismatch", ""
            message = (
                f"{g.grant[:80]} {m.year} in the register: {sek(g.amount_sek)}; "
                f'{later.source.doc_id} p.{m.page} l.{m.line}: "{m.text[:160]}" -> {sek(m.sek)}{why}'
            )
            earlier.checks.append(_check("prior_year", g, m.sek, tol, status, message, later, m.page, m.line))


def _check(
    kind: str, g: Grant, computed: int, tol: int, status: str, message: str, other: Extraction, page: int, line: int
) -> Check:
    return Check(
        kind=kind,
        table_id=g.table_id,
        row=g.row,
        line=g.line,
        page=g.page or 1,
        stated=g.amount_sek,
        computed=computed,
        tolerance=tol,
        status=status,
        message=message,
        other_doc_id=other.source.doc_id,
        other_page=page,
        other_line=line,
    )


def _decisions(decision: Extraction, group: list[Extraction]) -> None:
    """A document about one agreement: one of its stated totals is the follow-up's figure."""
    key, year = decision.metadata.agreement_key, decision.metadata.covers_year
    if not key:
        return
    totals = [t for t in decision.tables if t.stated_total is not None]
    for other in group:
        if _same_report(decision, other):
            continue
        for g in (g for g in other.grants if g.agreement_key == key and g.covers_year == year):
            same = [t for t in totals if _is(t.stated_total, g.amount_sek)]
            table = same[0] if same else max(totals, key=lambda t: abs(_sek(t.stated_total)), default=None)
            if table is None or table.stated_total is None:
                continue
            status = "ok" if same else "ambiguous"
            note = "" if same else " (no total of the decision is that figure: which one is the allocation is not said)"
            decision.checks.append(
                Check(
                    kind="cross_document",
                    table_id=table.table_id,
                    row=None,
                    line=table.stated_total_line,
                    page=table.stated_total_page or 1,
                    stated=table.stated_total.sek,
                    computed=g.amount_sek,
                    tolerance=table.stated_total.precision,
                    status=status,
                    message=(
                        f"{decision.metadata.title[:80]}: total {sek(table.stated_total.sek)}; "
                        f"{other.source.doc_id} register p.{g.page or 1} l.{g.line}: {g.grant[:80]} {year}: "
                        f"{sek(g.amount_sek)}{note}"
                    ),
                    other_doc_id=other.source.doc_id,
                    other_table_id=g.table_id,
                    other_row=g.row,
                    other_page=g.page or 1,
                    other_line=g.line,
                )
            )


def _is(amount: Amount | None, value: int) -> bool:
    return amount is not None and abs(amount.sek - value) <= amount.precision


def _sek(amount: Amount | None) -> int:
    return amount.sek if amount else 0


def _registers(group: list[Extraction]) -> None:
    """One agreement's grant for one year in the registers of two reports."""
    seen: set[tuple[str, str, str, int]] = set()
    for a in group:
        for b in group:
            if a.source.doc_id >= b.source.doc_id or _same_report(a, b):
                continue
            for ga in a.grants:
                for gb in b.grants:
                    if not ga.agreement_key or (ga.agreement_key, ga.covers_year) != (gb.agreement_key, gb.covers_year):
                        continue
                    if (a.source.doc_id, b.source.doc_id, ga.agreement_key, ga.row) in seen:
                        continue
                    seen.add((a.source.doc_id, b.source.doc_id, ga.agreement_key, ga.row))
                    status = "ok" if ga.amount_sek == gb.amount_sek else "ambiguous"
                    note = "" if status == "ok" else " (two registers differ: an allocation and a receipt may rightly)"
                    message = (
                        f"{ga.grant[:80]} {ga.covers_year}: {sek(ga.amount_sek)}; {b.source.doc_id} "
                        f"p.{gb.page or 1} l.{gb.line}: {gb.grant[:80]}: {sek(gb.amount_sek)}{note}"
                    )
                    check = _check("cross_document", ga, gb.amount_sek, 0, status, message, b, gb.page or 1, gb.line)
                    check.other_table_id, check.other_row = gb.table_id, gb.row
                    a.checks.append(check)
