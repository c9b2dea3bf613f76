"""A page's characters -> words, as pdfplumber's `extract_words` makes them for upright text.

The reader asks for words with the font name and size kept (`extra_attrs`), and the
default tolerances (3 points along and across the line). pdfplumber's general extractor
(any direction, any options) spends most of its time on that generality; this is the same
rule for the one case the reader needs, at a third of the time:
- characters are taken in runs of one font and size, in the order the page draws them;
- a run is cut into lines by the tops of its characters (tops within 3 points of the
  previous one chain into one line), and each line is read left to right;
- a blank character ends a word; so does a character that starts left of the previous
  one, more than 3 points right of its end, or more than 3 points above or below it;
- ligatures are written out ("ﬁ" -> "fi").
Pages with sideways characters go to pdfplumber's extractor. tests/test_pdf_words.py
compares both on real pages.
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter

from pdfplumber.utils.text import LIGATURES, extract_words

TOLERANCE = 3.0  # pdfplumber's default x_tolerance and y_tolerance
EXTRA = ["fontname", "size"]
_LIGATURES = str.maketrans(LIGATURES)
_RUN = itemgetter("fontname", "size")
_X0 = itemgetter("x0")


def words(chars: list[dict]) -> list[dict]:
    """Words of `chars` with text, x0, x1, top, bottom, fontname and size."""
    if not all(c["upright"] for c in chars):
        return extract_words(chars, extra_attrs=EXTRA)
    out: list[dict] = []
    for _, run in groupby(chars, key=_RUN):
        for line in _lines(list(run)):
            _line_words(sorted(line, key=_X0), out)
    return out


def _lines(chars: list[dict]) -> list[list[dict]]:
    """Characters clustered by top: sorted distinct tops chain while each is within the
    tolerance of the one before; the clusters in order of top, characters in page order."""
    cluster: dict[float, int] = {}
    last = None
    index = -1
    for top in sorted({c["top"] for c in chars}):
        if last is None or top > last + TOLERANCE:
            index += 1
        cluster[top] = index
        last = top
    lines: list[list[dict]] = [[] for _ in range(index + 1)]
    for c in chars:
        lines[cluster[c["top"]]].append(c)
    return lines


def _line_words(line: list[dict], out: list[dict]) -> None:
    """`line` sorted by x0, so a word's first character has its least x0."""
    word: list[dict] = []
    prev: dict = {}
    for c in line:
        if c["text"].isspace():
            _emit(word, out)
            word = []
        elif word and (
            c["x0"] < prev["x0"] or c["x0"] > prev["x1"] + TOLERANCE or abs(c["top"] - prev["top"]) > TOLERANCE
        ):
            _emit(word, out)
            word = [c]
        else:
            word.append(c)
        prev = c
    _emit(word, out)


def _emit(word: list[dict], out: list[dict]) -> None:
    if not word:
        return
    first = word[0]
    if len(word) == 1:
        x1, top, bottom = first["x1"], first["top"], first["bottom"]
        text = first["text"]
    else:
        x1 = max(c["x1"] for c in word)
        top = min(c["top"] for c in word)
        bottom = max(c["bottom"] for c in word)
        text = "".join([c["text"] for c in word])
    out.append(
        {
            "text": text.translate(_LIGATURES),
            "x0": first["x0"],
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "fontname": first["fontname"],
            "size": first["size"],
        }
    )
