"""Read stage on the real exports: both styles give blocks with the right provenance."""

from __future__ import annotations

import pytest

from pipeline.read import read_source, text_style
from tests.conftest import RAW, gold_for


def _doc(stem: str):
    return read_source(RAW / f"{stem}.txt", f"{stem}.txt")


def test_styles_are_told_apart():
    styles = {p.stem[:3]: text_style(p.read_text(encoding="utf-8")) for p in sorted(RAW.glob("*.txt"))}
    assert styles == {"000": "markdown", "001": "markdown", "002": "layout", "003": "markdown", "004": "markdown"}


def test_markdown_table_keeps_blank_lines_inside_and_underlines_as_segments():
    doc = _doc("000_93fb2a21b5c93de9")
    table = next(b for b in doc.blocks if b.kind == "table")
    assert (table.line, table.rows[-1].line) == (16, 40)  # one table across the blank line 26
    row18 = next(r for r in table.rows if r.line == 18)
    assert [s.underline for s in row18.cells[1].parts] == [False, True, False]
    assert row18.cells[1].parts[1].text == "50 789 293"


def test_markdown_headings_lists_and_numbered_headings():
    doc = _doc("000_93fb2a21b5c93de9")
    kinds = {b.line: (b.kind, b.level) for b in doc.blocks}
    assert kinds[10] == ("heading", 2)
    assert kinds[212] == ("list_item", 1) and kinds[211] == ("list_item", 0)
    numbered = {b.line: b.text for b in _doc("003_95bbf8fde6aa0117").blocks if b.kind == "heading"}
    assert numbered[207] == "3 Region Jämtland Härjedalen"


@pytest.mark.parametrize("table_index", range(5))
def test_layout_rows_are_anchored_on_the_lines_of_their_figures(table_index):
    """In pdftotext-like text, each table row sits on the line of its (first) amount, as in the gold."""
    stem = "002_a9d5856ac34b5df6"
    gold = gold_for(stem)["tables"][table_index]
    blocks = [b for b in _doc(stem).blocks if b.kind == "table"]
    block = next(b for b in blocks if b.line <= gold["line"] <= b.end_line)
    lines = [r.line for r in block.rows[1:]]
    expected = [r["line"] for r in gold["rows"]] + ([gold["stated_total"]["line"]] if gold["stated_total"] else [])
    assert lines == expected


def test_layout_joins_wrapped_labels_and_stacked_amounts():
    blocks = [b for b in _doc("002_a9d5856ac34b5df6").blocks if b.kind == "table"]
    first = blocks[0].rows
    row67 = next(r for r in first if r.line == 67)
    assert [s.text for s in row67.cells[1].parts] == ["28 006 711", "9 176 996", "= 37 183 707"]
    assert row67.cells[0].text.startswith("Överenskommelse om ökad tillgänglighet i hälso- och sjukvården 2021")
    assert row67.cells[2].text == "Utifrån invånarantal Prestationsbaserad del"
    row171 = next(r for r in blocks[2].rows if r.line == 171)
    assert row171.cells[0].text == "Karriärtjänster"
    assert row171.cells[2].text.endswith("karriärmöjligheter för specialistsjuksköterskor")
