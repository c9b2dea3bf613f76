"""Borderless tables: lines whose words keep to the same columns -> rows of cells.

A table without ruling lines shows itself by its columns: every line's words stay inside
the same x-ranges, with vertical "rivers" of white between them. Lines with a wide gap
(two or more cells) seed a block; the rivers are the x-ranges no word of the block covers
and that at least one seed line shows as a wide gap. Lines around the seeds that keep to
the columns belong to the block. A line that starts with an empty first column or in
lower case continues the row above when no extra space separates them (a label, an
amount or a comment wrapped inside its cell).
"""

from __future__ import annotations

import itertools

import regex as re

from pipeline.read.pdf_lines import Line, Word, gap, words_text

RIVER_MIN = 3.5  # points: narrowest white gap that can separate two columns
MAX_ROW_GAP = 3.0  # line pitches: a wider vertical gap ends a block
HEADING_CHARS = 40  # a group heading inside a table is a short line
TEXT_COLUMN_CHARS = 25  # characters per line and column, on average, of columns of running text
# A first column that runs on: lower case, a digit or punctuation; not a dash that marks
# an item ("-Vid årets början", "- Stöd").
_CONTINUES_RE = re.compile(r"^(?:[\p{Ll}\d(),.;:%&/+=]|-(?!\s?\p{L}))")
_FIGURES_IN_RE = re.compile(r"\d[\s\u00a0]\d{3}\b|\d,\d")
_FIGURE_RE = re.compile(r"^[-\u2212\u2013]?\s?\d{1,3}(?:\s\d{3})*(?:,\d+)?$")  # a whole figure in a cell


def _seed(ln: Line) -> bool:
    return not ln.ruled and sum(1 for c in ln.cells if c) > 1


def _rivers(seeds: list[Line]) -> list[tuple[float, float]]:
    """White x-ranges shared by all seed lines, each shown as a wide gap by one of them."""
    spans = sorted((w.x0, w.x1) for ln in seeds for c in ln.cells for w in c)
    holes: list[tuple[float, float]] = []
    right = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - right >= RIVER_MIN:
            holes.append((right, x0))
        right = max(right, x1)
    gaps = [
        (max(w.x1 for w in a), min(w.x0 for w in b))
        for ln in seeds
        for a, b in itertools.pairwise(c for c in ln.cells if c)
    ]
    return [(lo, hi) for lo, hi in holes if any(g0 <= hi and lo <= g1 for g0, g1 in gaps)]


def _column(w: Word, rivers: list[tuple[float, float]]) -> int:
    return sum(1 for lo, _ in rivers if w.x0 >= lo)


def _fits(ln: Line, rivers: list[tuple[float, float]]) -> bool:
    """No word of the line crosses a river. (Asked again for every line of a growing block:
    plain loops, not a generator.)"""
    if ln.ruled:
        return False
    for c in ln.cells:
        for w in c:
            x0, x1 = w.x0, w.x1
            for lo, hi in rivers:
                if (x0 < lo and x1 > hi) or lo < x0 < hi:
                    return False
    return True


def _gridded(ln: Line, rivers: list[tuple[float, float]]) -> list[list[Word]]:
    cells: list[list[Word]] = [[] for _ in range(len(rivers) + 1)]
    for w in (w for c in ln.cells for w in c):
        cells[_column(w, rivers)].append(w)
    return cells


def figures_stacked(above: list[str], below: list[str]) -> bool:
    """A whole figure under a whole figure in the same column: two rows, for one cell never
    holds two stacked figures."""
    return any(_FIGURE_RE.match(a) and _FIGURE_RE.match(b) for a, b in zip(above, below, strict=True))


def _continues(prev: Line, ln: Line, cells: list[list[Word]], rivers: list[tuple[float, float]]) -> bool:
    """`ln` (gridded as `cells`) goes on with the row of `prev`: no extra space between
    them, and an empty first column or a first column that runs on in lower case. A line
    with a whole figure under a whole figure in the same column is a row of its own (the
    unlabelled subtotal under a rule, even where the row above is blank in some of its
    columns; a row whose label starts in lower case), not an amount wrapped in its cell."""
    if gap(prev, ln) > ln.size / 2:
        return False
    above = _gridded(prev, rivers)
    filled = [(words_text(a), words_text(b)) for a, b in zip(above[1:], cells[1:], strict=True) if b]
    stacked = figures_stacked([a for a, _ in filled], [b for _, b in filled])
    first = words_text(cells[0])
    if first:
        # "årets resultat -58 957" under "Ingående balanserat resultat -3 994 348": a row
        # of its own, not a label run on (one cell never holds two stacked figures)
        return bool(_CONTINUES_RE.match(first)) and not stacked
    figures_only = all(_FIGURE_RE.match(b) for _, b in filled)
    return not (figures_only and stacked)


def _group_heading(run: list[Line], k: int, rivers: list[tuple[float, float]]) -> bool:
    """Line k is a group heading inside the table ("Av- och nedskrivning av materiella och
    immateriella anläggningstillgångar"): one run of words without figures, too long for
    the label column, with the table's rows going on right after it."""
    ln = run[k]
    one_cell = sum(1 for c in ln.cells if c) == 1
    following = k + 1 < len(run) and _fits(run[k + 1], rivers) and _seed(run[k + 1])
    return one_cell and following and not ln.ruled and not _FIGURES_IN_RE.search(ln.text)


def _rows(block: list[Line], rivers: list[tuple[float, float]]) -> list[Line]:
    rows: list[Line] = []
    last: Line | None = None
    for ln in block:
        cells = _gridded(ln, rivers) if _fits(ln, rivers) else [[w for c in ln.cells for w in c]] + [[]] * len(rivers)
        if rows and last is not None and _continues(last, ln, cells, rivers):
            row = rows[-1]
            row.cells = [a + b for a, b in zip(row.cells, cells, strict=True)]
            row.bottom = ln.bottom
        else:
            rows.append(Line(ln.page, ln.number, ln.top, ln.bottom, cells, grid=True))
        last = ln
    return rows


def _blocks(run: list[Line]) -> list[tuple[int, int, list[tuple[float, float]]]]:
    """(first, last, rivers) of each table inside a run of nearby lines, grown greedily from
    a seed line while the columns hold for every line taken."""
    found: list[tuple[int, int, list[tuple[float, float]]]] = []
    i = 0
    while i < len(run):
        if not _seed(run[i]):
            i += 1
            continue
        seeds, rivers = [run[i]], _rivers([run[i]])
        left = run[i].x0 - 1
        last = i
        headings: set[int] = set()  # group headings inside the table: they span the columns
        k = i + 1
        while k < len(run):
            ln = run[k]
            if _seed(ln):
                wider = _rivers([*seeds, ln])
                fits = all(_fits(run[j], wider) for j in range(i, k + 1) if j not in headings)
                if not wider or not fits or ln.x0 < left:
                    break
                seeds.append(ln)
                rivers, last = wider, k
            elif ln.x0 < left:
                break
            elif not _fits(ln, rivers):
                following = run[k + 1] if k + 1 < len(run) else None
                # a short heading ("Verksamhetens intäkter") over rows with longer labels than
                # the rows so far: the columns those rows show, if the block keeps to them
                short = len(ln.text) <= HEADING_CHARS
                widened = _rivers([*seeds, following]) if short and following is not None and _seed(following) else []
                if widened and not all(_fits(run[j], widened) for j in range(i, k + 1) if j not in headings):
                    widened = []
                if not _group_heading(run, k, rivers) and not (widened and _group_heading(run, k, widened)):
                    break
                headings.add(k)
            k += 1
        if len(seeds) < 2:
            with_header = _header_over(run, i, i, found)
            if with_header:
                found.append((i - 1, i, with_header))
            i += 1
            continue
        widest = max((gap(run[j], run[j + 1]) for j in range(i, last)), default=0.0)
        while last + 1 < len(run):
            nxt = run[last + 1]
            if not _fits(nxt, rivers) or nxt.x0 < left:
                break
            if gap(run[last], nxt) > widest + 2 and not _continues(run[last], nxt, _gridded(nxt, rivers), rivers):
                break
            last += 1
        with_header = _header_over(run, i, last, found)
        found.append((i - 1, last, with_header) if with_header else (i, last, rivers))
        i = last + 1
    return found


def _header_over(
    run: list[Line], i: int, last: int, found: list[tuple[int, int, list[tuple[float, float]]]]
) -> list[tuple[float, float]]:
    """The rivers of the table of lines i..last with line i - 1 as its header ("2023 2022"
    over "Elstöd 604 497 0"), or [] when that line is none: a header stands right above,
    over the amount columns only, each of its cells in a column of line i. (A block grows
    from its first seed rightwards only, so it never takes in a header line that starts
    further right than its rows.)"""
    if i == 0 or (found and found[-1][1] >= i - 1):
        return []
    head, row = run[i - 1], run[i]
    if not (_seed(head) and _seed(row)) or head.x0 <= row.x0 or gap(head, row) > row.size:
        return []
    rivers = _rivers([head, *(ln for ln in run[i : last + 1] if _seed(ln))])
    if not rivers or not all(_fits(ln, rivers) for ln in run[i - 1 : last + 1]):
        return []
    head_cols = {_column(c[0], rivers) for c in head.cells if c}
    row_cols = {_column(c[0], rivers) for c in row.cells if c}
    return rivers if 0 not in head_cols and head_cols <= row_cols else []


def _running_text(block: list[Line], rivers: list[tuple[float, float]]) -> bool:
    """Columns of running text (a two-column page), not a table: long cells of words, hardly
    a figure among them."""
    cells = [words_text(c) for ln in block for c in _gridded(ln, rivers) if c]
    if not cells:
        return False
    figures = sum(1 for c in cells if _FIGURE_RE.match(c))
    return sum(map(len, cells)) >= TEXT_COLUMN_CHARS * len(cells) and figures * 10 <= len(cells)


def _text_columns(block: list[Line], rivers: list[tuple[float, float]]) -> list[Line]:
    """Each column's lines in reading order, page by page: the left column, then the next."""
    out: list[Line] = []
    for page in dict.fromkeys(ln.page for ln in block):
        lines = [(ln, _gridded(ln, rivers)) for ln in block if ln.page == page]
        for k in range(len(rivers) + 1):
            column = [(ln, cells[k]) for ln, cells in lines if cells[k]]
            for n, (ln, words) in enumerate(column):
                out.append(Line(ln.page, ln.number, ln.top, ln.bottom, [words], column_start=n == 0))
    return out


def grid_tables(lines: list[Line], pitch: float) -> list[Line]:
    """Lines with the borderless tables among them replaced by their rows (grid=True)."""
    out: list[Line] = []
    run: list[Line] = []

    def flush() -> None:
        taken = 0
        for first, last, rivers in _blocks(run):
            out.extend(run[taken:first])
            block = run[first : last + 1]
            out.extend(_text_columns(block, rivers) if _running_text(block, rivers) else _rows(block, rivers))
            taken = last + 1
        out.extend(run[taken:])
        run.clear()

    for ln in lines:
        if run and (ln.ruled or gap(run[-1], ln) > MAX_ROW_GAP * pitch):
            flush()
        if ln.ruled:
            out.append(ln)
        else:
            run.append(ln)
    flush()
    return out
