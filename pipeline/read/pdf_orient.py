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

SIDEWAYS_SHARE = 0.5  # a page whose characters are mostly sideways one way is turned


def _turn(char: dict) -> int:
    """Clockwise quarter turn (degrees) that sets a sideways character upright: text that
    reads bottom-to-top needs 90, top-to-bottom 270."""
    return 90 if char["matrix"][1] > 0 else 270


def upright(page: Page) -> Page:
    """The page with its text upright: turned and/or filtered, or as it is."""
    chars = page.chars
    sideways = Counter(_turn(c) for c in chars if not c.get("upright", True))
    if not sideways:
        return page
    turn, count = sideways.most_common(1)[0]
    if count > SIDEWAYS_SHARE * len(chars):
        page = _turned(page, turn)  # the page's upright header and footer now lie sideways
        if all(c.get("upright", True) for c in page.chars):
            return page
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
    return Page(page.pdf, page_obj, page_number=page.page_number, initial_doctop=page.initial_doctop)
