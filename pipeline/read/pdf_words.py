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

# A character as the word rule reads it (plain tuples: a page has thousands):
Char = tuple  # (text, x0, x1, top, bottom, fontname, size, upright, matrix)
TEXT, X0, X1, TOP, BOTTOM, FONT, SIZE, UPRIGHT, MATRIX = range(9)
KEYS = ("text", "x0", "x1", "top", "bottom", "fontname", "size", "upright", "matrix")
_FROM_DICT = itemgetter(*KEYS)
_RUN = itemgetter(FONT, SIZE)
_X0, _X1, _TOP, _BOTTOM = itemgetter(X0), itemgetter(X1), itemgetter(TOP), itemgetter(BOTTOM)


class CharRowsPage:
    """For a pdfplumber `Page` subclass whose `objects` leave the characters out and keep
    them as Char tuples in `_rows` (both engines' pages): the reader takes `char_rows()`,
    and character dicts are made (`_char_dicts`) only when something asks for `chars` (a
    filter, pdfplumber's extractor for sideways text)."""

    _rows: list[Char]

    def char_rows(self) -> list[Char]:
        self.objects  # noqa: B018  (made with the other objects)
        return self._rows

    @property
    def chars(self) -> list[dict]:
        objects = self.objects
        if "char" not in objects:
            objects["char"] = self._char_dicts()
        return objects["char"]

    def _char_dicts(self) -> list[dict]:
        raise NotImplementedError

    def close(self) -> None:
        self.__dict__.pop("_rows", None)
        super().close()  # type: ignore[misc]


def char_rows(chars: list[dict]) -> list[Char]:
    """pdfplumber's character dicts as Char tuples."""
    return list(map(_FROM_DICT, chars))


def char_dicts(chars: list[Char]) -> list[dict]:
    """Char tuples as pdfplumber's character dicts (for its extractor and filters)."""
    return [{**dict(zip(KEYS, c, strict=True)), "object_type": "char", "doctop": c[TOP]} for c in chars]


def words(chars: list[Char]) -> list[dict]:
    """Words of `chars` with text, x0, x1, top, bottom, fontname and size."""
    if not all(c[UPRIGHT] for c in chars):
        return [{k: w[k] for k in KEYS[:7]} for w in extract_words(char_dicts(chars), extra_attrs=EXTRA)]
    out: list[dict] = []
    for _, run in groupby(chars, key=_RUN):
        for line in _lines(list(run)):
            _line_words(sorted(line, key=_X0), out)
    return out


def _lines(chars: list[Char]) -> list[list[Char]]:
    """Characters clustered by top: sorted distinct tops chain while each is within the
    tolerance of the one before; the clusters in order of top, characters in page order."""
    cluster: dict[float, int] = {}
    last = None
    index = -1
    for top in sorted({c[TOP] for c in chars}):
        if last is None or top > last + TOLERANCE:
            index += 1
        cluster[top] = index
        last = top
    lines: list[list[Char]] = [[] for _ in range(index + 1)]
    for c in chars:
        lines[cluster[c[TOP]]].append(c)
    return lines


def _line_words(line: list[Char], out: list[dict]) -> None:
    """`line` sorted by x0, so a word's first character has its least x0."""
    start = -1  # where the word being read begins in `line` (-1: between words)
    prev: Char = ()
    for i, c in enumerate(line):
        if c[TEXT].isspace():
            if start >= 0:
                _emit(line, start, i, out)
                start = -1
        elif start < 0:
            start = i
        elif c[X0] < prev[X0] or c[X0] > prev[X1] + TOLERANCE or abs(c[TOP] - prev[TOP]) > TOLERANCE:
            _emit(line, start, i, out)
            start = i
        prev = c
    if start >= 0:
        _emit(line, start, len(line), out)


def _emit(line: list[Char], start: int, end: int, out: list[dict]) -> None:
    """The word of line[start:end]."""
    first = line[start]
    if end - start == 1:
        x1, top, bottom, text = first[X1], first[TOP], first[BOTTOM], first[TEXT]
    else:
        word = line[start:end]
        x1 = max(map(_X1, word))
        top = min(map(_TOP, word))
        bottom = max(map(_BOTTOM, word))
        text = "".join([c[TEXT] for c in word])
    out.append(
        {
            "text": text.translate(_LIGATURES),
            "x0": first[X0],
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "fontname": first[FONT],
            "size": first[SIZE],
        }
    )
