"""plumber_page: characters taken from pdfminer's layout as tuples hold exactly what
pdfplumber's own dicts hold, on every page of real reports (a /Rotate-d page and a
quarter-turned one included), and the dicts made on request are pdfplumber's."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from pipeline.read.pdf_orient import _turned
from pipeline.read.pdf_words import char_rows
from pipeline.read.plumber_page import PlumberPage

ROOT = Path(__file__).resolve().parents[1]
PEER = ROOT.parent / "shared" / "corpus" / "peer"
PDFS = [
    *sorted((ROOT / "raw").glob("*.pdf"))[:2],
    PEER / "swedish" / "Bokslut_2025.pdf",
    PEER / "jsvine-pdfplumber" / "nics-background-checks-2015-11-rotated.pdf",
]


def _drawings(page) -> dict:
    """The page's objects but characters, an image's stream left out (two opens of one
    file give two stream objects, which compare by identity)."""
    return {
        kind: [{k: v for k, v in obj.items() if k != "stream"} for obj in objects]
        for kind, objects in page.objects.items()
        if kind != "char"
    }


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_character_rows_and_objects_are_pdfplumbers(path):
    if not path.exists():
        pytest.skip(f"{path} is not present")
    with pdfplumber.open(path) as plain, pdfplumber.open(path) as ours:
        for theirs, page in zip(plain.pages, map(PlumberPage.of, ours.pages), strict=True):
            assert page.char_rows() == char_rows(theirs.chars), page.page_number
            assert _drawings(page) == _drawings(theirs)
            assert page.chars == theirs.chars
            assert page.filter(lambda o: o.get("upright", True)).chars == theirs.filter(
                lambda o: o.get("upright", True)
            ).chars


def test_a_turned_page_stays_fast_and_reads_as_pdfplumbers():
    path = PEER / "jsvine-pdfplumber" / "nics-background-checks-2015-11-rotated.pdf"
    if not path.exists():
        pytest.skip(f"{path} is not present")
    with pdfplumber.open(path) as plain, pdfplumber.open(path) as ours:
        page = _turned(PlumberPage.of(ours.pages[0]), 90)
        theirs = _turned(plain.pages[0], 90)
        assert isinstance(page, PlumberPage)
        assert page.char_rows() == char_rows(theirs.chars)
        assert len(page.char_rows()) > 100
