"""PDF lines -> the text export the text readers already understand, plus a line map.

A PDF is read by rendering its lines as a text export would have them, so extract,
validate and load stay one pipeline for both formats:

- When the document has tables (ruled, or lines split into cells at tab stops), it is
  rendered markdown-like: table rows as tab-separated cells, bold as <b>, underlined
  figures as <u>, larger type as '#' headings, bullets as '- ' items nested by indent.
- Otherwise it is rendered line by line like pdftotext, for the layout reader.

Blank lines stand where the vertical gap is wider than the document's usual line pitch.
`line_map[i]` gives (page, line on page) for rendered line i + 1, which the reader uses
to give every block and row its place in the PDF.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

import regex as re

from pipeline.read.pdf_grid import figures_stacked, grid_tables
from pipeline.read.pdf_lines import Line, Word, gap, words_text

_DASH_ITEM_RE = re.compile(r"^[-–−•]$")
_CONTINUES_RE = re.compile(r"^[\p{Ll}\d),.;:%]")
HEADING_SCALE = 1.15  # a line this much larger than body text is a heading
BLANK_PITCH = 1.5  # a gap this many line pitches wide holds a blank line
MAX_ITEM_LINES = 3  # an item wrapped over more lines than this ends its list (for nesting)
PAGE_NUMBER_KEY = "#page number#"
# A bare page number: "3", "3/4", "12 (36)", "- 7 -", "7 av 9", "Sida 3" (not "178 893", an
# amount, nor "2022", a year).
_PAGE_NUMBER_RE = re.compile(
    r"^[\s\-–(]*(?:(?:sida|page|s\.)\s*)?\d{1,3}(?:\s*(?:/|\(|av\b|of\b)\s*\d{1,4}\)?)?[\s\-–)]*$", re.IGNORECASE
)
FURNITURE_LINES = 5  # lines at the top and bottom of a page where running headers and footers sit


@dataclass
class Rendered:
    text: str
    line_map: list[tuple[int, int]]  # rendered line i+1 -> (page, line on page)
    markdown: bool


def _mode(values: list[float], default: float) -> float:
    counts = Counter(round(v * 2) / 2 for v in values)
    return counts.most_common(1)[0][0] if counts else default


def _cell_markup(words: list[Word]) -> str:
    """Cell text with <u> around underlined runs (not a wholly underlined cell) and <b>
    around a cell set in bold."""
    runs = [(underlined, list(run)) for underlined, run in itertools.groupby(words, key=lambda w: w.underline)]
    text = " ".join(
        f"<u>{words_text(run)}</u>" if underlined and len(run) < len(words) else words_text(run)
        for underlined, run in runs
    )
    return f"<b>{text}</b>" if words and all(w.bold for w in words) else text


def _is_row(ln: Line) -> bool:
    return bool(ln.ruled) or ln.grid


def _join_page_breaks(lines: list[Line]) -> list[Line]:
    """A ruled table that goes on over a page break: drop a repeated header row and join a
    row whose cells were split by the break (not a row of its own in lower case, "varav
    ...": its figures stand under the figures above, where no cell was split)."""
    out: list[Line] = []
    table_start: dict[tuple[int, int], Line] = {}
    for ln in lines:
        if ln.ruled and ln.first_row:
            table_start[(ln.page, ln.ruled)] = ln
        prev = out[-1] if out else None
        if (
            prev is not None
            and ln.ruled
            and ln.first_row
            and prev.ruled
            and prev.last_row
            and prev.page + 1 == ln.page
            and len(prev.cells) == len(ln.cells)
        ):
            head = table_start.get((prev.page, prev.ruled))
            texts = [words_text(c) for c in ln.cells]
            if head is not None and head is not prev and texts == [words_text(c) for c in head.cells]:
                continue
            filled = [t for t in texts if t]
            above = [words_text(c) for c in prev.cells]
            if filled and all(_CONTINUES_RE.match(t) for t in filled) and not figures_stacked(above, texts):
                prev.cells = [a + b for a, b in zip(prev.cells, ln.cells, strict=True)]
                prev.last_row = ln.last_row
                continue
        out.append(ln)
    return out


def _furniture_key(ln: Line) -> str:
    """A line's text without digits, spaces and punctuation: running headers and footers
    differ from page to page only in their page numbers and dates. A bare page number
    ("3/4", "12 (36)", "- 7 -") gets a key of its own."""
    if _PAGE_NUMBER_RE.match(ln.text):
        return PAGE_NUMBER_KEY  # "3", "Sida 3 av 9"
    return "".join(ch for ch in ln.text.lower() if ch.isalpha())


def _drop_furniture(lines: list[Line]) -> list[Line]:
    """Running headers and footers: a line among the first or last FURNITURE_LINES of a
    page whose text (digits aside) is there on at least half the pages (and three) is
    page furniture; all but its first occurrence are dropped (every bare page number), so
    a table that goes on over a page break reads as one table and no header or page
    number lands inside it."""
    pages: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        if not ln.ruled and not ln.grid:
            pages.setdefault(ln.page, []).append(i)
    edges = {p: set(ix[:FURNITURE_LINES] + ix[-FURNITURE_LINES:]) for p, ix in pages.items()}
    counts = Counter(key for ix in edges.values() for key in {_furniture_key(lines[i]) for i in ix})
    common = {key for key, n in counts.items() if key and n >= max(3, len(pages) / 2)}
    if len(pages) > 1:
        common.add(PAGE_NUMBER_KEY)  # a page number at a page's edge is never data
    seen: set[str] = set()
    out = []
    for i, ln in enumerate(lines):
        key = _furniture_key(ln) if i in edges.get(ln.page, ()) else ""
        if key in common and (key in seen or key == PAGE_NUMBER_KEY):
            continue  # a page number is never data, not even the first
        seen.add(key)
        out.append(ln)
    return out


def _list_depths(lines: list[Line], items: list[int]) -> dict[int, int]:
    """Nesting depth of each list item: rank of its bullet's indent within its run of items.

    Where a PDF sets all items at one indent, an item that ends with a colon ("..., totalt
    2,8 mnkr:") introduces the items after it, as its nested items do in the text export.
    """
    depths: dict[int, int] = {}
    run: list[int] = []
    for i in [*items, -1]:
        if run and (i < 0 or i - run[-1] > MAX_ITEM_LINES):
            indents = sorted({round(lines[j].x0 / 6) for j in run})
            depths.update({j: indents.index(round(lines[j].x0 / 6)) for j in run})
            if len(indents) == 1:
                depths.update(_colon_depths(lines, run))
            run = []
        if i >= 0:
            run.append(i)
    return depths


def _colon_depths(lines: list[Line], run: list[int]) -> dict[int, int]:
    ends = [*run[1:], run[-1] + 1]
    opens = [lines[end - 1].text.rstrip().endswith(":") for end in ends]
    if not any(opens[:-1]):
        return {}
    depths, inside = {}, False
    for j, opening in zip(run, opens, strict=True):
        depths[j] = 0 if opening else int(inside)
        inside = inside or opening
    return depths


def render(lines: list[Line]) -> Rendered:
    lines = _join_page_breaks(_drop_furniture(lines))
    all_words = [w for ln in lines for c in ln.cells for w in c]
    body = _mode([w.size for w in all_words], 12.0)
    pitches = [
        b.top - a.top
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and not a.ruled and not b.ruled and b.top > a.top and abs(a.size - body) < 0.5
    ]
    pitch = _mode(pitches, body * 1.2)
    lines = grid_tables(lines, pitch)
    markdown = any(_is_row(ln) for ln in lines)
    heading_sizes = sorted({round(ln.size) for ln in lines if ln.size >= body * HEADING_SCALE}, reverse=True)
    items = [i for i, ln in enumerate(lines) if not _is_row(ln) and _DASH_ITEM_RE.match(ln.cells[0][0].text)]
    depths = _list_depths(lines, items) if markdown else {}

    out: list[str] = []
    line_map: list[tuple[int, int]] = []

    def emit(text: str, ln: Line) -> None:
        out.append(text)
        line_map.append((ln.page, ln.number))

    prev: Line | None = None
    for i, ln in enumerate(lines):
        white = gap(prev, ln) if prev is not None else 0.0
        size = ln.size
        new_page = prev is not None and prev.page != ln.page
        if prev is not None and (
            ln.column_start or white > BLANK_PITCH * pitch - size or (new_page and not _CONTINUES_RE.match(ln.text))
        ):
            emit("", prev)
        if not markdown or (len(ln.cells) > 1 and not _is_row(ln)):
            emit(ln.text.replace("  ", " "), ln)
        elif _is_row(ln):
            emit("\t".join(_cell_markup(c) for c in ln.cells), ln)
        elif i in depths:
            words = ln.cells[0]
            text = _cell_markup(words[1:]) if words[0].text == "•" else _cell_markup(words)
            prefix = "- " if words[0].text == "•" else ""
            emit("  " * depths[i] + prefix + text, ln)
        elif round(size) in heading_sizes:
            level = min(heading_sizes.index(round(size)) + 2, 6)
            if (
                prev is not None
                and out
                and round(prev.size) == round(size)
                and white < size
                and out[-1].startswith("#")
            ):
                out[-1] = f"{out[-1]} {words_text(ln.cells[0])}"
            else:
                emit("#" * level + " " + words_text(ln.cells[0]), ln)
        elif (
            i - 1 in depths
            and prev is not None
            and white < size / 2
            and ln.x0 > prev.x0 - 1
            and not _DASH_ITEM_RE.match(ln.cells[0][0].text)
        ):
            out[-1] = f"{out[-1]} {_cell_markup(ln.cells[0])}"  # a list item's wrapped line
            depths[i] = depths[i - 1]
        else:
            emit(_cell_markup(ln.cells[0]), ln)
        prev = ln
    return Rendered("\n".join(out) + "\n", line_map, markdown)
