"""pdf_cells: pdfplumber's ruled-table finder with linear passes, checked against
pdfplumber's own steps on constructed grids (random rules, gaps, merged cells, jitter
within the crossing tolerance) and on every ruled page of real reports."""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest
from pdfplumber.table import TableFinder, edges_to_intersections, intersections_to_cells

from pipeline.read.pdf_cells import _Finder, cells, intersections
from pipeline.read.pdf_lines import straight_curve_edges

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL = [
    SHARED / "corpus" / "real" / "brf_268411.pdf",
    SHARED / "corpus" / "peer" / "swedish" / "Bokslut_2025.pdf",
    *sorted((ROOT / "raw").glob("*.pdf"))[:1],
]


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
    }


def _grid(rng: random.Random) -> list[dict]:
    """One or two ruled grids: some rules broken or missing (merged cells), positions
    jittered by up to a point, a stray rule or two."""
    edges: list[dict] = []
    for left in rng.sample([10.0, 300.0], rng.randint(1, 2)):
        xs = sorted({left + rng.randrange(0, 250, 10) for _ in range(rng.randint(2, 6))} | {left})
        ys = sorted({20.0 + rng.randrange(0, 400, 12) for _ in range(rng.randint(2, 9))})
        jitter = rng.choice([0.0, 0.5, 1.0])
        for y in ys:
            for a, b in pairwise(xs):
                if rng.random() < 0.85:  # a missing piece merges two cells
                    wiggle = rng.uniform(-jitter, jitter)
                    edges.append(_edge("h", a, y + wiggle, b, y + wiggle))
        for x in xs:
            for a, b in pairwise(ys):
                if rng.random() < 0.85:
                    wiggle = rng.uniform(-jitter, jitter)
                    edges.append(_edge("v", x + wiggle, a, x + wiggle, b))
    for _ in range(rng.randint(0, 2)):
        x, y = rng.uniform(0, 500), rng.uniform(0, 500)
        edges.append(rng.choice([_edge("h", x, y, x + 40, y), _edge("v", x, y, x, y + 40)]))
    rng.shuffle(edges)
    return edges


@pytest.mark.parametrize("seed", range(60))
def test_crossings_and_cells_are_pdfplumbers_on_constructed_grids(seed):
    edges = _grid(random.Random(seed))
    for tolerance in (1, 3):
        expected = edges_to_intersections(edges, tolerance, tolerance)
        found = intersections(edges, tolerance, tolerance)
        assert list(found.items()) == list(expected.items())
        assert cells(found) == intersections_to_cells(expected)


def test_a_grid_with_a_merged_cell_gives_the_merged_cell():
    # 3 x 2 cells, the rule between the first row's two right cells missing; the rules
    # are whole lines, as pdfplumber's finder joins them before it meets them.
    ys = (0.0, 20.0, 40.0)
    edges = [_edge("h", 0.0, y, 150.0, y) for y in ys]
    edges += [_edge("v", x, 0.0, x, 40.0) for x in (0.0, 50.0, 150.0)] + [_edge("v", 100.0, 20.0, 100.0, 40.0)]
    found = cells(intersections(edges))
    assert (50.0, 0.0, 150.0, 20.0) in found
    assert len(found) == 5


def _ruled_pages():
    for path in REAL:
        if not path.exists():
            continue
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                if page.lines or page.rects or page.curves:
                    straight_curve_edges(page)
                    yield path.name, page


def test_tables_are_pdfplumbers_on_every_ruled_page_of_real_reports():
    compared = tables = 0
    for name, page in _ruled_pages():
        ours, theirs = _Finder(page), TableFinder(page)
        assert ours.cells == theirs.cells, (name, page.page_number)
        assert [t.cells for t in ours.tables] == [t.cells for t in theirs.tables], (name, page.page_number)
        compared += 1
        tables += len(theirs.tables)
    if not compared:
        pytest.skip("no real reports present")
    assert tables > 20  # the pages compared do hold ruled tables
