"""pdfplumber's ruled-table finder with its two quadratic steps done in linear passes.

`page.find_tables()` meets the rules where they cross (`edges_to_intersections`, which
sorts every horizontal rule again for each vertical one) and then, for every crossing,
looks for the smallest cell it opens (`intersections_to_cells`, which scans all later
crossings and builds sets of rule boxes for every pair it compares): a tenth of a batch's
reading time with the pdfium engine. The finder below gives the same crossings,
the same cells in the same order and so the same tables: the rules are sorted once and a
vertical rule is met only with the horizontal ones within its height, the crossings are
grouped by column and by row, and each crossing's rule boxes are made once.
tests/test_pdf_cells.py compares it with pdfplumber's on constructed grids and real pages.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import itemgetter

from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables
from pdfplumber.utils import obj_to_bbox

Point = tuple[float, float]
Box = tuple[float, float, float, float]


def find_tables(page) -> list[Table]:
    """`page.find_tables()` with the default settings."""
    return _Finder(page).tables


class _Finder(TableFinder):
    def __init__(self, page, settings=None):  # TableFinder.__init__ with the faster steps
        self.page = page
        self.settings = TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = intersections(
            self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance
        )
        self.cells = cells(self.intersections)
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]


def intersections(edges: list[dict], x_tolerance: float = 1, y_tolerance: float = 1) -> dict:
    """pdfplumber's edges_to_intersections (same points, same edge lists, same order)."""
    found: dict[Point, dict[str, list[dict]]] = {}
    verticals = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    horizontals = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    tops = [h["top"] for h in horizontals]
    for v in verticals:
        x, v_top, v_bottom = v["x0"], v["top"], v["bottom"]
        # The rules a vertical can meet lie in one run of the rules sorted by top (taken a
        # point wider, and tested as pdfplumber tests them, so rounding cannot differ).
        start = bisect_left(tops, v_top - y_tolerance - 1)
        end = bisect_right(tops, v_bottom + y_tolerance + 1)
        for h in horizontals[start:end]:
            top = h["top"]
            crosses = v_top <= top + y_tolerance and v_bottom >= top - y_tolerance
            if crosses and h["x0"] - x_tolerance <= x <= h["x1"] + x_tolerance:
                vertex = (x, top)
                if vertex not in found:
                    found[vertex] = {"v": [], "h": []}
                found[vertex]["v"].append(v)
                found[vertex]["h"].append(h)
    return found


def cells(found: dict) -> list[Box]:
    """pdfplumber's intersections_to_cells: for each crossing in sorted order, the first
    crossing below it and the first to its right (nearest first) that rules join to it and
    whose opposite corner is a crossing joined to both: one cell."""
    points = sorted(found)
    vertical = {p: frozenset(map(obj_to_bbox, found[p]["v"])) for p in points}
    horizontal = {p: frozenset(map(obj_to_bbox, found[p]["h"])) for p in points}
    column: dict[float, list[Point]] = {}
    row: dict[float, list[Point]] = {}
    for p in points:  # sorted by x, then y: each column top-down, each row left to right
        column.setdefault(p[0], []).append(p)
        row.setdefault(p[1], []).append(p)
    rank_in_column = {p: i for group in column.values() for i, p in enumerate(group)}
    rank_in_row = {p: i for group in row.values() for i, p in enumerate(group)}

    def joined_down(a: Point, b: Point) -> bool:
        return not vertical[a].isdisjoint(vertical[b])

    def joined_across(a: Point, b: Point) -> bool:
        return not horizontal[a].isdisjoint(horizontal[b])

    out: list[Box] = []
    for pt in points:
        below = column[pt[0]][rank_in_column[pt] + 1 :]
        right = row[pt[1]][rank_in_row[pt] + 1 :]
        cell = None
        for below_pt in below:
            if not joined_down(pt, below_pt):
                continue
            for right_pt in right:
                if not joined_across(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in found and joined_down(corner, right_pt) and joined_across(corner, below_pt):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell is not None:
                break
        if cell is not None:
            out.append(cell)
    return out
