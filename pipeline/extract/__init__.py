"""Extract stage: SourceDocument -> Extraction (metadata, tables, rows, grants)."""

from __future__ import annotations

from collections import Counter

import regex as re

from pipeline.extract.cell_choice import choose_cell_readings
from pipeline.extract.cells import money_in_text
from pipeline.extract.doubts import doubt_unexplained
from pipeline.extract.grants import extract_grants
from pipeline.extract.lists import table_from_list
from pipeline.extract.metadata import extract_metadata
from pipeline.extract.prose import table_from_prose
from pipeline.extract.tables import printed_amounts, tables_from_block
from pipeline.extract.units import Context
from pipeline.model import Block, Extraction, SourceDocument, Table
from pipeline.parse.amounts import unit_in
from pipeline.vocab import UNIT_DECLARATION

_DECLARATION_RE = re.compile(UNIT_DECLARATION, re.IGNORECASE)
_UNIT_WORD_RE = re.compile(r"\b(?:kr|kronor|tkr|mkr|mnkr|mdkr|sek|tsek|ksek|msek)\b", re.IGNORECASE)
MONEY_MENTIONS = 3  # money units written that make a report one about money ...
MONEY_SPAN = 10_000  # ... if there is one per this many characters of text


def extract(source: SourceDocument) -> Extraction:
    meta = extract_metadata(source.blocks)
    tables: list[Table] = []
    key_figures: list[Table] = []
    printed: Counter[tuple[int, int]] = Counter()
    section, caption = meta.title, ""
    blocks = source.blocks
    money = money_document(blocks)
    i = 0
    declared = ""  # the unit the report last declared for its figures ("Belopp i tkr")
    while i < len(blocks):
        block = blocks[i]
        if block.kind in ("heading", "paragraph"):
            declared = _declared_unit(block.text) or declared
        if block.kind == "heading":
            section, caption = block.text, ""
        elif block.kind == "paragraph":
            caption = block.text
            prose = table_from_prose(block, Context(section, caption, money, declared))
            if prose is not None:
                prose.printed_id = f"p{block.page or 1}.{block.line}"
                tables.append(prose)
        elif block.kind == "table":
            ctx = Context(section, caption, money, declared)
            read = tables_from_block(block, ctx)
            tables.extend(t for t in read if not t.statistics)
            key_figures.extend(t for t in read if t.statistics)
            block_printed = printed_amounts(block, ctx)
            for row in (r for t in read if t.statistics for r in t.rows):
                block_printed.pop((row.page or 1, row.line), None)  # statistics hold no amounts
            printed.update(block_printed)
            caption = ""
        else:
            j = i
            while j < len(blocks) and blocks[j].kind == "list_item":
                j += 1
            table = table_from_list(list(blocks[i:j]), Context(section, caption, money, declared))
            if table is not None:
                for item in blocks[i:j]:  # the amounts of a list of amounts (a lone one is prose)
                    printed[(item.page or 1, item.line)] += bool(money_in_text(item.text))
                table.printed_id = f"p{blocks[i].page or 1}.{blocks[i].line}"
                tables.append(table)
            caption = ""
            i = j
            continue
        i += 1
    for n, table in enumerate(tables, 1):
        table.table_id = f"t{n}"
        choose_cell_readings(table)
        doubt_unexplained(table)
    grants = extract_grants(tables, meta)
    return Extraction(
        source=source,
        metadata=meta,
        tables=tables,
        grants=grants,
        printed=dict(sorted(printed.items())),
        key_figures=key_figures,
    )


def _text(block: Block) -> str:
    return block.text or " ".join(c.text for r in block.rows for c in r.cells)


def _declared_unit(text: str) -> str:
    """The unit a declaration names ("Alla belopp redovisas i tkr" -> tkr); '' if none."""
    m = _DECLARATION_RE.search(text)
    return (unit_in(m.group(0)) or "") if m else ""


def money_document(blocks: tuple[Block, ...]) -> bool:
    """The report says its figures are money: it declares a unit ("Alla belopp redovisas i
    kronor"), or writes money units throughout: at least MONEY_MENTIONS of them, one per
    MONEY_SPAN characters of text. A report of rates and indexes that names "kronor" on a
    page or two does not."""
    texts = [_text(b) for b in blocks]
    if any(_DECLARATION_RE.search(t) for t in texts):
        return True
    mentions = sum(len(_UNIT_WORD_RE.findall(t)) for t in texts)
    return mentions >= MONEY_MENTIONS and mentions * MONEY_SPAN >= sum(len(t) for t in texts)
