"""One PDF page -> its text lines, each split into cells, with position and markup.

The page's words (pdf_words, pdfplumber's rule) are grouped into visual lines by their vertical position;
a line's number on the page is its rank from the top, which is what an auditor counts.
Tables drawn with ruling lines come from pdfplumber's table finder (pdf_cells): each table row becomes
one line whose cells hold the words inside the cell's box, however many visual lines the
cell wraps over ("5 600 891 1" / "666 667 50" / "789 293 =" / "58 056 851" -> one cell).
Elsewhere a wide gap between words separates cells, which is how borderless tables
(a label, then a figure at a tab stop) keep their columns.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import regex as re

from pipeline.read.pdf_cells import find_tables
from pipeline.read.pdf_words import char_rows, words

# Bullet glyphs as fonts deliver them: "•", private-use symbols, unmapped "(cid:127)".
_GLYPHS = "[•▪●○◦■□➢►\uf0b7\uf0a7\uf0d8\uf076]"
_BULLET_GLYPH_RE = re.compile(rf"^(?:{_GLYPHS}|\(cid:\d+\))$")
_BULLET_LEAD_RE = re.compile(rf"^(?P<bullet>{_GLYPHS})(?P<rest>\S.*)$")
_BULLET_CHARS = frozenset(_GLYPHS[1:-1])  # the glyphs themselves, for a test before the pattern
_BOLD_FONT_RE = re.compile(r"bold|black|heavy|semibold", re.IGNORECASE)
_ODD_SPACE_RE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
LINE_TOLERANCE = 2.5  # points: words whose tops differ less are on the same line
CELL_GAP = 0.75  # font sizes: a wider gap between two words starts a new cell
UNDERLINE_BELOW = 3.5  # points: how far under a word's baseline an underline may lie
BAND_SHARE = 1 / 3  # a fill grid with words beside it on this share of its rows is a shaded band


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    underline: bool = False


@dataclass(slots=True)
class Line:
    """A visual line of a page, or a row of a ruled table (cells wrap over several lines)."""

    page: int
    number: int  # line on the page, counted from the top (a table row: its first line)
    top: float
    bottom: float
    cells: list[list[Word]]
    ruled: int = 0  # >0: the row belongs to ruled table number `ruled` on its page
    first_row: bool = False
    last_row: bool = False
    grid: bool = False  # a row of a borderless table: cells are its columns
    column_start: bool = False  # the first line of a column of running text (a new paragraph)

    @property
    def x0(self) -> float:
        return min(w.x0 for c in self.cells for w in c)

    @property
    def x1(self) -> float:
        return max(w.x1 for c in self.cells for w in c)

    @property
    def size(self) -> float:
        sizes = sorted(w.size for c in self.cells for w in c)
        return sizes[len(sizes) // 2]

    @property
    def text(self) -> str:
        return "  ".join(words_text(c) for c in self.cells)


def words_text(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def gap(a: Line, b: Line) -> float:
    """Vertical white between two consecutive lines (0 over a page break)."""
    return b.top - a.bottom if a.page == b.page else 0.0


@lru_cache(maxsize=1 << 16)  # a report repeats its words; the cache spares the regexes
def normalise(text: str) -> str:
    """Ligatures and compatibility forms folded (NFKC), odd spaces made plain; bullets kept."""
    if _BULLET_GLYPH_RE.match(text):
        return "•"
    text = re.sub(r"\(cid:\d+\)", "", text) if "(cid:" in text else text
    return _ODD_SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text))


def straight_curve_edges(page) -> None:
    """Give `page` the edges of its curves that run along an axis, pdfplumber's edge dicts.

    pdfplumber makes an edge of every segment of every curve; the table finder and the
    underline test read only horizontal and vertical ones, and a chart's curves have
    thousands of slanted segments (most of a chart page's time). Set before either asks.
    """
    if hasattr(page, "_curve_edges"):
        return
    edges = []
    for curve in page.curves:
        pts = curve["pts"]
        shift = curve["doctop"] - curve["top"]
        for p0, p1 in pairwise(pts):
            if p0[0] != p1[0] and p0[1] != p1[1]:
                continue
            top = min(p0[1], p1[1])
            edges.append(
                {
                    "object_type": "curve_edge",
                    "x0": min(p0[0], p1[0]),
                    "x1": max(p0[0], p1[0]),
                    "top": top,
                    "doctop": top + shift,
                    "bottom": max(p0[1], p1[1]),
                    "width": abs(p0[0] - p1[0]),
                    "height": abs(p0[1] - p1[1]),
                    "orientation": "v" if p0[0] == p1[0] else "h",
                }
            )
    page._curve_edges = edges


def _words(page) -> list[Word]:
    straight_curve_edges(page)
    edges = sorted(
        (e["top"], e["x0"], e["x1"])
        for e in page.horizontal_edges
        if e["x1"] - e["x0"] > 1  # hairline marks are not underlines
    )
    tops = [e[0] for e in edges]
    out = []
    chars = page.char_rows() if hasattr(page, "char_rows") else char_rows(page.chars)
    for w in _split_bullets(words(chars)):
        text = normalise(w["text"]).strip()
        if not text:
            continue
        width = w["x1"] - w["x0"]
        start = bisect_left(tops, w["bottom"] - 1.5)
        end = bisect_right(tops, w["bottom"] + UNDERLINE_BELOW, start)
        underline = start < end and any(
            min(x1, w["x1"]) - max(x0, w["x0"]) > width / 2 for _, x0, x1 in edges[start:end]
        )
        out.append(
            Word(
                text=text,
                x0=w["x0"],
                x1=w["x1"],
                top=w["top"],
                bottom=w["bottom"],
                size=float(w["size"]),
                bold=_bold(w["fontname"] or ""),
                underline=underline,
            )
        )
    return out


@lru_cache(maxsize=1024)
def _bold(fontname: str) -> bool:
    return bool(_BOLD_FONT_RE.search(fontname))


def _split_bullets(words: list[dict]) -> list[dict]:
    """A bullet glyph set tight against its text ("•Text") -> two words. (An unmapped
    "(cid:N)" before text is left alone: it may as well be a letter the font hides.)"""
    out = []
    for w in words:
        m = _BULLET_LEAD_RE.match(w["text"]) if w["text"][:1] in _BULLET_CHARS else None
        if m is None:
            out.append(w)
            continue
        cut = w["x0"] + min(float(w["size"]) * 0.6, (w["x1"] - w["x0"]) / 2)
        out.append({**w, "text": m.group("bullet"), "x1": cut})
        out.append({**w, "text": m.group("rest"), "x0": cut})
    return out


def _visual_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines by vertical position, top to bottom, each left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(w.top - lines[-1][0].top) <= LINE_TOLERANCE:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(ln, key=lambda w: w.x0) for ln in lines]


def split_cells(words: list[Word]) -> list[list[Word]]:
    """A borderless line -> cells at wide gaps; a bullet glyph stays with the text after it."""
    cells: list[list[Word]] = []
    for w in words:
        if cells:
            prev = cells[-1][-1]
            wide = w.x0 - prev.x1 > CELL_GAP * max(prev.size, w.size)
            if not wide or (len(cells[-1]) == 1 and prev.text == "•"):
                cells[-1].append(w)
                continue
        cells.append([w])
    return cells


def _within(words: list[Word], bbox: tuple[float, float, float, float], centre: dict) -> list[Word]:
    """The words whose centre lies in `bbox` (centres computed once per page)."""
    x0, top, x1, bottom = bbox
    out = []
    for w in words:
        cx, cy = centre[id(w)]
        if x0 <= cx <= x1 and top <= cy <= bottom:
            out.append(w)
    return out


def _drawn(page):
    """The page without fill rectangles that lie inside a rectangle of the same colour.

    They draw nothing one can see (Word shades a shaded cell once for the cell and again for
    every text line in it), but their edges would cut the cell into one table row per line.
    """
    groups: dict[str, list[dict]] = {}
    for r in page.rects:
        if r.get("fill") and not r.get("stroke"):
            groups.setdefault(repr(r.get("non_stroking_color")), []).append(r)
    hidden: set[int] = set()
    for group in groups.values():
        boxes = sorted(((_area(r), r["x0"], r["top"], r["x1"], r["bottom"], id(r)) for r in group), reverse=True)
        for area, x0, top, x1, bottom, key in boxes:
            for outer in boxes:
                if outer[0] <= area:
                    break
                if _contains(outer[1:5], (x0, top, x1, bottom)):
                    hidden.add(key)
                    break
    if not hidden:
        return page
    kept = page.filter(lambda obj: id(obj) not in hidden)
    if hasattr(page, "_curve_edges"):
        kept._curve_edges = page._curve_edges  # the filter keeps every curve
    return kept


def _tables(page) -> list:
    straight_curve_edges(page)
    return find_tables(page)


def _band(table, words: list[Word], visual: list[list[Word]], line_of: dict[int, int], centre: dict, page) -> bool:
    """Fills behind part of each line, not a table: no stroked rule lies on the grid, and
    on a good share of its rows that hold words, the row is a narrow part of its lines
    (less than half their width) with words of the same lines beside it.

    Word shades a column (the current year's) cell by cell, and a table finder takes the
    fills' edges for a grid one column wide (with rows shaded every other line, a grid whose
    rows alternate); read as a table, each line would be cut in two, the shaded figures torn
    from their labels. A table holds its lines whole, or nearly: a wide grid some words of
    whose lines stray outside it stays a table.
    """
    x0, top, x1, bottom = table.bbox
    for kind in ("line", "rect", "curve"):
        for obj in page.objects.get(kind, ()):
            on_grid = obj["x0"] <= x1 and obj["x1"] >= x0 and obj["top"] <= bottom and obj["bottom"] >= top
            if on_grid and obj.get("stroke"):
                return False
    holding = cut = 0
    for row in table.rows:
        taken = [w for bbox in row.cells if bbox is not None for w in _within(words, bbox, centre)]
        if not taken:
            continue
        holding += 1
        row_x0, _, row_x1, _ = row.bbox
        level = [w for n in {line_of[id(w)] for w in taken} for w in visual[n - 1]]
        beside = any(not row_x0 <= centre[id(w)][0] <= row_x1 for w in level)
        span = max(w.x1 for w in level) - min(w.x0 for w in level)
        cut += beside and row_x1 - row_x0 < span / 2
    return holding > 0 and cut >= BAND_SHARE * holding


def _area(r: dict) -> float:
    return (r["x1"] - r["x0"]) * (r["bottom"] - r["top"])


def _contains(outer: tuple, inner: tuple, slack: float = 0.5) -> bool:
    """Boxes as (x0, top, x1, bottom)."""
    return (
        outer[0] - slack <= inner[0]
        and inner[2] <= outer[2] + slack
        and outer[1] - slack <= inner[1]
        and inner[3] <= outer[3] + slack
    )


def page_lines(page, number: int) -> list[Line]:
    """The lines of one page, ruled table rows included, in reading order."""
    words = _words(page)
    visual = _visual_lines(words)
    line_of = {id(w): i + 1 for i, ln in enumerate(visual) for w in ln}
    taken: set[int] = set()
    out: list[Line] = []
    drawn = page.lines or page.rects or page.curves  # ruled tables are drawn; a page with no drawing has none
    found = _tables(_drawn(page)) if drawn else []
    centre = {id(w): ((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2) for w in words} if found else {}
    grids = [t for t in found if t.rows and max(len(r.cells) for r in t.rows) > 1]
    tables = [t for t in grids if not _band(t, words, visual, line_of, centre, page)]
    for k, table in enumerate(sorted(tables, key=lambda t: t.bbox[1]), start=1):
        rows: list[Line] = []
        box = table.bbox  # a property pdfplumber computes on every call
        in_table = _within(words, box, centre)  # a cell lies in its row, a row in its table
        for row in table.rows:
            cells: list[list[Word]] = []
            in_row = _within(in_table, row.bbox, centre)
            for bbox in row.cells:
                if bbox is None:
                    continue
                inside = [w for w in _within(in_row, bbox, centre) if id(w) not in taken]
                taken.update(id(w) for w in inside)
                cells.append(sorted(inside, key=lambda w: (line_of[id(w)], w.x0)))
            if not any(cells):
                continue
            rows.append(
                Line(
                    page=number,
                    number=min(line_of[id(w)] for c in cells for w in c),
                    top=min(w.top for c in cells for w in c),
                    bottom=max(w.bottom for c in cells for w in c),
                    cells=cells,
                    ruled=k,
                )
            )
        if rows:
            rows[0].first_row = True
            rows[-1].last_row = True
        out.extend(rows)
    for i, ln in enumerate(visual):
        free = [w for w in ln if id(w) not in taken]
        if free:
            out.append(
                Line(
                    page=number,
                    number=i + 1,
                    top=min(w.top for w in free),
                    bottom=max(w.bottom for w in free),
                    cells=split_cells(free),
                )
            )
    return sorted(out, key=lambda ln: (ln.number, ln.ruled))
