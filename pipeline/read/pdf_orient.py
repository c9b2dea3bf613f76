"""Turn a PDF page so that its text is upright before lines are read from it.

A landscape table is sometimes set sideways on a portrait page (or the page's /Rotate is
missing). Read as it lies, its words come out reversed ("4,213" as "312,4") and its
rows as columns: wrong numbers, not merely ugly text. Such a page is re-opened with the
quarter turn a reader would give it, so pdfminer lays the text out upright. On a page that
is mostly upright, the few sideways characters (chart axes, rotated column headers) do not
belong to any of its lines and are left out.
"""

from __future__ import annotations

from collections import Counter

from pdfplumber.page import Page

from pipeline.read.pdf_words import MATRIX, UPRIGHT

SIDEWAYS_SHARE = 0.5  # a page whose characters are mostly sideways one way is turned


def _turn(matrix: tuple) -> int:
    """Clockwise quarter turn (degrees) that sets a sideways character upright: text that
    reads bottom-to-top needs 90, top-to-bottom 270."""
    return 90 if matrix[1] > 0 else 270


def _sideways(page: Page) -> tuple[Counter, int]:
    """The turns the page's sideways characters need, and how many characters it has (a
    page read by pdfium answers from its character tuples, without making dicts)."""
    if hasattr(page, "char_rows"):
        rows = page.char_rows()
        return Counter(_turn(c[MATRIX]) for c in rows if not c[UPRIGHT]), len(rows)
    chars = page.chars
    return Counter(_turn(c["matrix"]) for c in chars if not c.get("upright", True)), len(chars)


def upright(page: Page) -> Page:
    """The page with its text upright: turned and/or filtered, or as it is."""
    sideways, chars = _sideways(page)
    if not sideways:
        return page
    turn, count = sideways.most_common(1)[0]
    if count > SIDEWAYS_SHARE * chars:
        page = _turned(page, turn)  # the page's upright header and footer now lie sideways
        if not _sideways(page)[0]:
            return page
    page.chars  # noqa: B018  (a page read by pdfium makes its character dicts for the filter)
    return page.filter(lambda obj: obj.get("object_type") != "char" or obj.get("upright", True))


def _turned(page: Page, turn: int) -> Page:
    """The same page re-read with `turn` added to its /Rotate (pdfminer applies /Rotate
    when it lays out the page, pdfplumber when it sizes it). A page read by pdfium turns itself."""
    if hasattr(page, "turned"):
        return page.turned(turn)
    page_obj = page.page_obj
    rotation = (page.rotation + turn) % 360
    page_obj.attrs = {**page_obj.attrs, "Rotate": rotation}
    page_obj.rotate = rotation
    return type(page)(page.pdf, page_obj, page_number=page.page_number, initial_doctop=page.initial_doctop)
