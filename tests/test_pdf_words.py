"""pdf_words.words: pdfplumber's word rule for upright text, checked against pdfplumber's
own extract_words on real pages (both engines' characters) and on constructed characters."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from pipeline.read.pdf_orient import upright
from pipeline.read.pdf_words import char_rows, words
from pipeline.read.pdfium_page import PdfiumPage, font_descents

ROOT = Path(__file__).resolve().parents[1]
BOKSLUT = ROOT.parent / "shared" / "corpus" / "peer" / "swedish" / "Bokslut_2025.pdf"
KEYS = ("text", "x0", "x1", "top", "bottom", "fontname", "size")


def _reference(chars: list[dict]) -> list[dict]:
    found = pdfplumber.utils.extract_words(chars, extra_attrs=["fontname", "size"])
    return [{k: w[k] for k in KEYS} for w in found]


def _pages(path: Path):
    data = path.read_bytes()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            yield upright(page)
    document = pdfium.PdfDocument(data)
    descents = font_descents(data, None)
    for number in range(1, len(document) + 1):
        yield upright(PdfiumPage(document[number - 1], number, descents=descents))


@pytest.mark.parametrize("path", [*sorted((ROOT / "raw").glob("*.pdf"))[:2], BOKSLUT], ids=lambda p: p.name)
def test_words_are_pdfplumbers_on_every_page_of_real_reports(path):
    if not path.exists():
        pytest.skip(f"{path} is not present")
    checked = 0
    for page in _pages(path):
        rows = page.char_rows() if hasattr(page, "char_rows") else char_rows(page.chars)
        assert words(rows) == _reference(page.chars), f"page {page.page_number}"
        checked += bool(rows)
    assert checked > 10


def _char(text: str, x0: float, top: float = 100.0, font: str = "Arial", size: float = 10.0, up: bool = True) -> dict:
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + 5,
        "top": top,
        "bottom": top + size,
        "doctop": top,
        "fontname": font,
        "size": size,
        "upright": up,
        "matrix": (1, 0, 0, 1, x0, top) if up else (0, 1, -1, 0, x0, top),
    }


def test_constructed_characters_split_where_pdfplumber_splits():
    chars = [
        _char("\ufb01", 10),  # a ligature, written out
        _char("n", 15),
        _char(" ", 20),  # a blank ends the word
        _char("a", 25),
        _char("b", 33.5),  # 3.5 points after "a" ends: a new word
        _char("c", 36),  # starts left of the end of "b" but right of its start: same word
        _char("d", 40, top=103.5),  # 3.5 points lower: a line of its own (tops chain within 3)
        _char("e", 45, font="Arial-Bold"),  # another font: a run of its own
        _char("f", 50, top=102),
        _char("g", 46, top=101),  # in the line of "e"/"f" after sorting by x0
    ]
    got = [w["text"] for w in words(char_rows(chars))]
    assert got == [w["text"] for w in _reference(chars)]
    assert got[:3] == ["fin", "a", "bc"]


def test_sideways_characters_go_to_pdfplumbers_extractor():
    chars = [_char("a", 10, up=False), _char("b", 10, top=106, up=False)]
    assert words(char_rows(chars)) == _reference(chars)
