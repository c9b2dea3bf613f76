"""pdfplumber's page with its characters as tuples, not dicts.

pdfplumber turns every pdfminer object into a dict of all its attributes, each resolved
and checked (`Page.process_object`); over the characters of a report that is about a third
of the reading time, and the reader needs nine fields of each (pdf_words.Char). This page
takes the characters straight from pdfminer's layout as Char tuples with exactly the
values pdfplumber's dicts hold; drawings and images still go through `process_object`.
The dicts are made only when something asks for `chars` (a filter, pdfplumber's own word
extractor for sideways text), and then by pdfplumber itself, so they are its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from unicodedata import normalize as normalize_unicode

from pdfminer.layout import LTChar, LTContainer, LTItem
from pdfplumber.page import Page, fix_fontname_bytes

from pipeline.read.pdf_words import Char, CharRowsPage


class PlumberPage(CharRowsPage, Page):
    """A pdfplumber page whose characters are read as tuples (`char_rows`)."""

    @classmethod
    def of(cls, page: Page) -> PlumberPage:
        return cls(page.pdf, page.page_obj, page_number=page.page_number, initial_doctop=page.initial_doctop)

    def parse_objects(self) -> dict[str, list[dict]]:
        """pdfplumber's objects without the characters, which go to `_rows` (and their
        pdfminer objects to `_letters`, for dicts on demand)."""
        objects: dict[str, list[dict]] = {}
        rows: list[Char] = []
        letters: list[LTChar] = []
        mb_x0, mb_top = self.mediabox[:2]
        height = self.height
        norm = self.pdf.unicode_norm
        for obj in self._leaves(self.layout._objs):
            if isinstance(obj, LTChar):
                letters.append(obj)
                text = obj.get_text()
                fontname = obj.fontname
                if isinstance(fontname, bytes):  # as pdfplumber's process_object
                    fontname = fix_fontname_bytes(fontname)
                rows.append(
                    (
                        normalize_unicode(norm, text) if norm is not None else text,
                        obj.x0 + mb_x0 if mb_x0 != 0 else obj.x0,
                        obj.x1 + mb_x0 if mb_x0 != 0 else obj.x1,
                        (height - obj.y1) + mb_top,
                        (height - obj.y0) + mb_top,
                        fontname,
                        obj.size,
                        obj.upright,
                        obj.matrix,
                    )
                )
                continue
            found = self.process_object(obj)
            if found["object_type"] != "anno":
                objects.setdefault(found["object_type"], []).append(found)
        self._rows, self._letters = rows, letters
        return objects

    def _leaves(self, items: list[LTItem]) -> Iterator[LTItem]:
        """pdfplumber's iter_layout_objects, yielding pdfminer's objects themselves."""
        for obj in items:
            if isinstance(obj, LTContainer):
                if self.pdf.laparams is not None:
                    yield obj
                yield from self._leaves(obj._objs)
            else:
                yield obj

    def _char_dicts(self) -> list[dict]:
        """pdfplumber's own character dicts, made by pdfplumber."""
        return [self.process_object(c) for c in self._letters]

    def close(self) -> None:
        self.__dict__.pop("_letters", None)
        super().close()
