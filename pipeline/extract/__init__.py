"""Extract stage: SourceDocument -> Extraction (metadata, tables, rows, grants)."""

from __future__ import annotations

from pipeline.extract.doubts import doubt_unexplained
from pipeline.extract.grants import extract_grants
from pipeline.extract.layout import Context
from pipeline.extract.lists import table_from_list
from pipeline.extract.metadata import extract_metadata
from pipeline.extract.tables import tables_from_block
from pipeline.model import Extraction, SourceDocument, Table


def extract(source: SourceDocument) -> Extraction:
    meta = extract_metadata(source.blocks)
    tables: list[Table] = []
    section, caption = meta.title, ""
    blocks = source.blocks
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind == "heading":
            section, caption = block.text, ""
        elif block.kind == "paragraph":
            caption = block.text
        elif block.kind == "table":
            tables.extend(tables_from_block(block, Context(section, caption)))
            caption = ""
        else:
            j = i
            while j < len(blocks) and blocks[j].kind == "list_item":
                j += 1
            table = table_from_list(list(blocks[i:j]), Context(section, caption))
            if table is not None:
                tables.append(table)
            caption = ""
            i = j
            continue
        i += 1
    for n, table in enumerate(tables, 1):
        table.table_id = f"t{n}"
        doubt_unexplained(table)
    return Extraction(source=source, metadata=meta, tables=tables, grants=extract_grants(tables, meta))
