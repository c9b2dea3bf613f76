"""pdfium (pypdfium2) as the PDF engine: a page's characters and drawings as the object
dicts pdfplumber makes from pdfminer's layout, so the same layout code reads them.

pdfium parses a page several times faster than pdfminer's Python interpreter. The page
below is a pdfplumber `Page` whose `objects` come from pdfium, so `extract_words`,
`find_tables`, `filter` and the edges work on it unchanged. Geometry follows pdfminer's
conventions where the layout code depends on them:
- coordinates are pdfplumber's (top-down, /Rotate applied as pdfminer applies it);
- a character's box runs from its origin to its advance, and up by the font size from its
  foot, which pdfminer puts at the font descriptor's /Descent below the baseline. pdfium
  does not expose /Descent (its own descent comes from the font program where a producer
  wrote /Descent 0, as LibreOffice does), so `font_descents` reads the descriptors with
  pdfminer's parser, without interpreting any page; a font it cannot name keeps pdfium's;
- a path is split into subpaths at each move, and each becomes a line (two points), a rect
  (a closed axis-aligned quadrilateral) or a curve, as pdfminer classifies them.
"""

from __future__ import annotations

import ctypes
import io
import struct
from functools import lru_cache

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import regex as re
from pdfplumber.page import Page, _invert_box, _normalize_box

from pipeline.read.pdf_words import CharRowsPage, char_dicts

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SUBSET_RE = re.compile(r"^[A-Z]{6}\+")
MAX_FORM_DEPTH = 8
_BOX = struct.Struct("4f")  # pdfium's FS_RECTF


def _font_key(name: str) -> str:
    return _SUBSET_RE.sub("", name)


def font_descents(data: bytes, password: str | None) -> dict[str, float]:
    """Descent (a share of the font size, <= 0) of each font the pages use, by name, as
    pdfminer reads it from the font's descriptor (or the standard font's metrics). Two fonts
    of one name with different descents are left out, as is everything when the parser fails
    (pdfium's descent is used then). Only the dictionaries are read: no page is interpreted
    and no font program or CMap parsed."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import dict_value, resolve1

    found: dict[str, set[float]] = {}
    seen: set[int] = set()

    def visit(resources, depth: int) -> None:
        resources = dict_value(resources)
        for kind in ("Font", "XObject"):
            for ref in dict_value(resources.get(kind)).values():
                objid = getattr(ref, "objid", None)
                if objid is not None and objid in seen:
                    continue
                if objid is not None:
                    seen.add(objid)
                if kind == "Font":
                    named = _descent(dict_value(ref), 0)
                    if named is not None:
                        found.setdefault(_font_key(named[0]), set()).add(named[1])
                elif depth < MAX_FORM_DEPTH:
                    attrs = getattr(resolve1(ref), "attrs", {})
                    if "Resources" in attrs:
                        visit(attrs["Resources"], depth + 1)

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password=password or "")
        for page in PDFPage.create_pages(document):
            visit(page.resources, 0)
    except Exception:  # a file pdfminer cannot parse is read with pdfium's descents
        return {}
    return {name: values.pop() for name, values in found.items() if len(values) == 1}


def _descent(spec: dict, depth: int) -> tuple[str, float] | None:
    """A font's name and descent as pdfminer's font classes set them (pdfminer.pdffont):
    a composite font's from its descendant, a standard font's from its metrics, any other's
    from /FontDescriptor; a Type 3 font (descent from its glyph box) is left to pdfium."""
    from pdfminer.pdffont import FontMetricsDB
    from pdfminer.pdftypes import dict_value, list_value, num_value, resolve1
    from pdfminer.psparser import PSLiteral, literal_name

    subtype = literal_name(spec["Subtype"]) if "Subtype" in spec else "Type1"
    if subtype == "Type0":
        fonts = list_value(spec.get("DescendantFonts"))
        return _descent(dict_value(fonts[0]), depth + 1) if fonts and depth < 2 else None
    if subtype == "Type3":
        return None
    descriptor = None
    if subtype not in ("CIDFontType0", "CIDFontType2") and "BaseFont" in spec:
        try:
            descriptor, _ = FontMetricsDB.get_metrics(literal_name(spec["BaseFont"]))
        except KeyError:
            descriptor = None
    if descriptor is None:
        descriptor = dict_value(spec.get("FontDescriptor", {}))
    name = resolve1(descriptor.get("FontName", "unknown"))
    descent = num_value(descriptor.get("Descent", 0))
    return literal_name(name) if isinstance(name, PSLiteral) else str(name), -abs(descent) * 0.001


def _mult(m: Matrix, n: Matrix) -> Matrix:
    """m then n (row vectors, as PDF and pdfminer write them)."""
    a, b, c, d, e, f = m
    a1, b1, c1, d1, e1, f1 = n
    return (
        a * a1 + b * c1,
        a * b1 + b * d1,
        c * a1 + d * c1,
        c * b1 + d * d1,
        e * a1 + f * c1 + e1,
        e * b1 + f * d1 + f1,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def rotation_ctm(mediabox: tuple[float, float, float, float], rotate: int) -> Matrix:
    """The matrix pdfminer lays a page out with: the mediabox's corner to the origin and
    /Rotate applied (pdfminer.converter.PDFLayoutAnalyzer)."""
    x0, y0, x1, y1 = mediabox
    if rotate == 90:
        return (0.0, -1.0, 1.0, 0.0, -y0, x1)
    if rotate == 180:
        return (-1.0, 0.0, 0.0, -1.0, x1, y1)
    if rotate == 270:
        return (0.0, 1.0, -1.0, 0.0, y1, -x0)
    return (1.0, 0.0, 0.0, 1.0, -x0, -y0)


class _Slots:
    """Out-parameters of pdfium's per-object calls, allocated once per page."""

    def __init__(self):
        self.matrix = (ctypes.c_float * 6)()  # FS_MATRIX: a, b, c, d, e, f
        self.ints = (ctypes.c_int * 2)()
        self.width = (ctypes.c_float * 1)()
        self.rgba = (ctypes.c_uint * 4)()
        self.origin = (ctypes.c_double * 2)()
        self.matrix_at = ctypes.addressof(self.matrix)
        self.x_at = ctypes.addressof(self.origin)
        self.y_at = self.x_at + ctypes.sizeof(ctypes.c_double)
        self.ints_at = ctypes.addressof(self.ints)
        self.width_at = ctypes.addressof(self.width)
        step = ctypes.sizeof(ctypes.c_uint)
        self.rgba_at = [ctypes.addressof(self.rgba) + k * step for k in range(4)]

    def colour(self, getter, obj: int) -> tuple[int, ...] | None:
        return tuple(self.rgba) if getter(obj, *self.rgba_at) else None


class PdfiumPage(CharRowsPage, Page):
    """A pdfplumber page read by pdfium. `turn` adds quarter turns to the page's /Rotate."""

    def __init__(self, page: pdfium.PdfPage, page_number: int, turn: int = 0, descents: dict[str, float] | None = None):
        self._pdfium = page
        self._descents = descents or {}
        self.pdf = None
        self.root_page = self
        self.page_obj = None
        self.page_number = page_number
        self.initial_doctop = 0
        self.rotation = (page.get_rotation() + turn) % 360
        left, bottom, right, top = page.get_mediabox()
        self._mediabox_raw = (min(left, right), min(bottom, top), max(left, right), max(bottom, top))
        normal = _normalize_box(self._mediabox_raw, self.rotation)
        self.mediabox = self.cropbox = self.bbox = _invert_box(normal, normal[3] - normal[1])
        self.get_textmap = lru_cache()(self._get_textmap)

    def turned(self, turn: int) -> PdfiumPage:
        """The same page with `turn` more degrees of /Rotate (pdf_orient's quarter turn)."""
        turn = (self.rotation - self._pdfium.get_rotation() + turn) % 360
        return PdfiumPage(self._pdfium, self.page_number, turn, self._descents)

    @property
    def objects(self) -> dict[str, list[dict]]:
        """Drawings and images; characters only once `chars` is asked for (the reader takes
        them as tuples, `char_rows`, which spares a dict per character)."""
        if not hasattr(self, "_objects"):
            self._objects, self._rows = _Builder(self).objects()
        return self._objects

    def _char_dicts(self) -> list[dict]:
        return char_dicts(self._rows)


class _Builder:
    """One page's objects, in pdfplumber's coordinates."""

    def __init__(self, page: PdfiumPage):
        self.page = page
        self.ctm = rotation_ctm(page._mediabox_raw, page.rotation)
        self.height = page.bbox[3] - page.bbox[1]
        self.mb_x0, self.mb_top = page.mediabox[0], page.mediabox[1]
        self.out: dict[str, list[dict]] = {}
        self.slots = _Slots()

    def objects(self) -> tuple[dict[str, list[dict]], list[tuple]]:
        rows = self._chars()
        self._graphics(ctypes.cast(self.page._pdfium.raw, ctypes.c_void_p).value, IDENTITY, 0)
        return self.out, rows

    def _box(self, x0: float, y0: float, x1: float, y1: float) -> dict:
        """A device-space box (pdfminer's y upwards) -> pdfplumber's fields."""
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        top = self.height - y1 + self.mb_top
        return {
            "x0": x0 + self.mb_x0,
            "y0": y0,
            "x1": x1 + self.mb_x0,
            "y1": y1,
            "width": x1 - x0,
            "height": y1 - y0,
            "top": top,
            "bottom": self.height - y0 + self.mb_top,
            "doctop": top,
            "page_number": self.page.page_number,
        }

    def _device_box(self, m: Matrix, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        pts = [_apply(m, x, y) for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1))]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return min(xs), min(ys), max(xs), max(ys)

    def _chars(self) -> list[tuple]:
        textpage = self.page._pdfium.get_textpage()
        try:
            return _page_chars(textpage.raw, self)
        finally:
            textpage.close()

    def _graphics(self, container: int, outer: Matrix, depth: int) -> None:
        """Paths and images of the page, descending into form XObjects (as pdfminer does)."""
        count, get = (_form_count, _form_object) if depth else (_page_count, _page_object)
        for i in range(count(container)):
            obj = get(container, i)
            kind = _object_type(obj)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                self._path(obj, _mult(self._matrix(obj), outer))
            elif kind == raw.FPDF_PAGEOBJ_IMAGE:
                self._image(_mult(self._matrix(obj), outer))
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
                self._graphics(obj, _mult(self._matrix(obj), outer), depth + 1)

    def _matrix(self, obj: int) -> Matrix:
        if not _object_matrix(obj, self.slots.matrix_at):
            return IDENTITY
        return tuple(self.slots.matrix)

    def _image(self, m: Matrix) -> None:
        box = self._device_box(_mult(m, self.ctm), 0.0, 0.0, 1.0, 1.0)
        self.out.setdefault("image", []).append({**self._box(*box), "object_type": "image"})

    def _path(self, obj: int, m: Matrix) -> None:
        slots = self.slots
        _draw_mode(obj, slots.ints_at, slots.ints_at + ctypes.sizeof(ctypes.c_int))
        fill, stroke = slots.ints
        _stroke_width(obj, slots.width_at)
        style = {
            "linewidth": slots.width[0],
            "stroke": bool(stroke),
            "fill": bool(fill),
            "evenodd": fill == raw.FPDF_FILLMODE_ALTERNATE,
            "stroking_color": slots.colour(_stroke_colour, obj),
            "non_stroking_color": slots.colour(_fill_colour, obj),
        }
        to_device = _mult(m, self.ctm)
        for shape, pts in _subpaths(obj, to_device):
            self._shape(shape, pts, style)

    def _shape(self, shape: str, pts: list[tuple[float, float]], style: dict) -> None:
        """pdfminer's classification of one subpath (converter.PDFLayoutAnalyzer.paint_path)."""
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts = pts[:-2] + pts[-1:]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        if shape in {"mlh", "ml"}:
            kind = "line"
            xs, ys = xs[:2], ys[:2]
        elif shape in {"mlllh", "mllll"}:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
                y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
            )
            kind = "rect" if pts[0] == pts[4] and square else "curve"
            if kind == "rect":
                xs, ys = [x0, x2], [y0, y2]
        else:
            kind = "curve"
        obj = {**self._box(min(xs), min(ys), max(xs), max(ys)), **style, "object_type": kind}
        if kind == "curve":
            obj["pts"] = [(x + self.mb_x0, self.height - y + self.mb_top) for x, y in pts]
        self.out.setdefault(kind, []).append(obj)


def _subpaths(handle: int, m: Matrix) -> list[tuple[str, list[tuple[float, float]]]]:
    """A path's subpaths in pdfminer's notation: 'm', 'l', 'c' (one per Bézier, its end
    point), 'h' (closing, the subpath's start)."""
    out: list[tuple[str, list[tuple[float, float]]]] = []
    xy = (ctypes.c_float * 2)()
    x_at, y_at = ctypes.addressof(xy), ctypes.addressof(xy) + ctypes.sizeof(ctypes.c_float)
    a, b, c, d, e, f = m
    shape: list[str] = []
    pts: list[tuple[float, float]] = []
    bezier = 0
    for i in range(_count_segments(handle)):
        seg = _segment(handle, i)
        _segment_point(seg, x_at, y_at)
        x, y = xy
        kind = _segment_type(seg)
        point = (a * x + c * y + e, b * x + d * y + f)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if shape:
                out.append(("".join(shape), pts))
            shape, pts, bezier = ["m"], [point], 0
        elif kind == raw.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue
            shape.append("c")
            pts.append(point)
        else:
            shape.append("l")
            pts.append(point)
        if _segment_close(seg) and pts:
            shape.append("h")
            pts.append(pts[0])
    if shape:
        out.append(("".join(shape), pts))
    return [(s, p) for s, p in out if s.startswith("m") and len(p) > 1]


def _text(textpage, count: int) -> list[str]:
    """Each character's text, from one call; one call per character only where the page
    holds characters outside the Basic Multilingual Plane."""
    buffer = (ctypes.c_ushort * (count + 1))()
    raw.FPDFText_GetText(textpage, 0, count, buffer)
    text = bytes(buffer)[: 2 * count].decode("utf-16-le", errors="surrogatepass")
    if len(text) == count and not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        return list(text)
    return [chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(count)]


def _fast(function, restype, *argtypes):
    """pdfium's C function with plain integer handles: pypdfium2's typed pointers cost a
    Python object per call, which over every character of a page is most of the time."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_P, _I = ctypes.c_void_p, ctypes.c_int
_text_object = _fast(raw.FPDFText_GetTextObject, _P, _P, _I)
_loose_box = _fast(raw.FPDFText_GetLooseCharBox, _I, _P, _I, _P)
_is_hyphen = _fast(raw.FPDFText_IsHyphen, _I, _P, _I)
_is_generated = _fast(raw.FPDFText_IsGenerated, _I, _P, _I)
_font_of = _fast(raw.FPDFTextObj_GetFont, _P, _P)
_font_name = _fast(raw.FPDFFont_GetBaseFontName, ctypes.c_ulong, _P, ctypes.c_char_p, ctypes.c_ulong)
_char_matrix = _fast(raw.FPDFText_GetMatrix, _I, _P, _I, _P)
_font_size = _fast(raw.FPDFText_GetFontSize, ctypes.c_double, _P, _I)
_char_origin = _fast(raw.FPDFText_GetCharOrigin, _I, _P, _I, _P, _P)
_stroke_colour = _fast(raw.FPDFPageObj_GetStrokeColor, _I, _P, _P, _P, _P, _P)
_fill_colour = _fast(raw.FPDFPageObj_GetFillColor, _I, _P, _P, _P, _P, _P)
_page_count = _fast(raw.FPDFPage_CountObjects, _I, _P)
_page_object = _fast(raw.FPDFPage_GetObject, _P, _P, _I)
_form_count = _fast(raw.FPDFFormObj_CountObjects, _I, _P)
_form_object = _fast(raw.FPDFFormObj_GetObject, _P, _P, ctypes.c_ulong)
_object_type = _fast(raw.FPDFPageObj_GetType, _I, _P)
_object_matrix = _fast(raw.FPDFPageObj_GetMatrix, _I, _P, _P)
_draw_mode = _fast(raw.FPDFPath_GetDrawMode, _I, _P, _P, _P)
_stroke_width = _fast(raw.FPDFPageObj_GetStrokeWidth, _I, _P, _P)
_count_segments = _fast(raw.FPDFPath_CountSegments, _I, _P)
_segment = _fast(raw.FPDFPath_GetPathSegment, _P, _P, _I)
_segment_point = _fast(raw.FPDFPathSegment_GetPoint, _I, _P, _P, _P)
_segment_type = _fast(raw.FPDFPathSegment_GetType, _I, _P)
_segment_close = _fast(raw.FPDFPathSegment_GetClose, _I, _P)


def _font(obj: int, fonts: dict[int, tuple[str, float | None]], descents: dict[str, float]) -> tuple:
    """The font of a text object: its name and its descriptor's descent (None: unknown)."""
    font = _font_of(obj) or 0
    known = fonts.get(font)
    if known is None:
        length = _font_name(font, None, 0) if font else 0
        buffer = ctypes.create_string_buffer(max(length, 1))
        if length:
            _font_name(font, buffer, length)
        name = buffer.value.decode("utf-8", errors="replace")
        known = fonts[font] = (name, descents.get(_font_key(name)))
    return known


def _run(handle: int, i: int, obj: int, builder: _Builder, fonts: dict) -> tuple:
    """What the characters of one text object share: font name, size (scaled by the text
    matrix, as pdfminer's), upright, matrix, and the box's foot in device space when the
    descriptor's descent is known (else None)."""
    out = builder.slots
    _char_matrix(handle, i, out.matrix_at)
    matrix = _mult(tuple(out.matrix), builder.ctm)
    a, b, c, d = matrix[:4]
    upright = a * d > 0 and b * c <= 0
    size = _font_size(handle, i) * abs(d)
    name, share = _font(obj, fonts, builder.page._descents)
    foot = None
    if share is not None:
        _char_origin(handle, i, out.x_at, out.y_at)
        foot = _apply(builder.ctm, *out.origin)[1] + share * size
    return name, size, upright, matrix, foot


# Characters that may be pdfium's own: line breaks it adds, and the marks it gives a
# line-end hyphen. The spaces it adds between words stay: pdfium adds one where the PDF
# placed a space by position rather than drawing one, and such a gap separates words.
_ODD = "\r\n\x00\x02\ufffe"


def _page_chars(textpage, builder: _Builder) -> list[tuple]:
    """The page's characters as pdf_words.Char tuples (a page has thousands: the loop
    keeps to local names, and a box is read from its buffer in one unpack)."""
    count = raw.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    texts = _text(textpage, count)
    handle = ctypes.cast(textpage, ctypes.c_void_p).value
    buffer = bytearray(_BOX.size)  # FS_RECTF: left, top, right, bottom
    box_at = ctypes.addressof((ctypes.c_char * _BOX.size).from_buffer(buffer))
    unpack = _BOX.unpack_from
    text_object, loose_box = _text_object, _loose_box
    fonts: dict[int, tuple] = {}
    runs: dict[int, tuple] = {}
    upright_page = builder.ctm[:4] == IDENTITY[:4]
    dx, dy = builder.ctm[4], builder.ctm[5]
    height, mb_x0, mb_top = builder.height, builder.mb_x0, builder.mb_top
    shift = mb_x0 - dx
    out: list[tuple] = []
    append = out.append
    last = -1  # the text object of the character before
    for i, text in enumerate(texts):
        if text in _ODD:
            if _is_hyphen(handle, i):
                text = "-"  # a hyphen at a line's end, which pdfium's text marks
            elif _is_generated(handle, i):
                continue  # line breaks pdfium adds; its added spaces stay (see _ODD)
        obj = text_object(handle, i) or 0
        if obj != last:  # a text object's characters mostly come one after another
            last = obj
            run = runs.get(obj)
            if run is None:
                run = _run(handle, i, obj, builder, fonts)
                fontname, size, upright, matrix, foot = run
                # Upright text on an upright page with a known foot: one box for the whole run.
                level = None
                if upright and upright_page and foot is not None:
                    level = (height - foot - size + mb_top, height - foot + mb_top)
                run = runs[obj] = (*run, level)
            fontname, size, upright, matrix, foot, level = run
            if level is not None:
                level_top, level_bottom = level
        loose_box(handle, i, box_at)
        left, top, right, bottom = unpack(buffer)
        if level is not None:
            append((text, left + shift, right + shift, level_top, level_bottom, fontname, size, True, matrix))
            continue
        if upright and upright_page:
            x0, x1, y0 = left - dx, right - dx, bottom - dy
        else:
            x0, y0, x1, y1 = builder._device_box(builder.ctm, left, bottom, right, top)
        if upright:
            if foot is not None:
                y0 = foot
            y1 = y0 + size
        else:
            size = y1 - y0
        top, bottom = height - y1 + mb_top, height - y0 + mb_top
        append((text, x0 + mb_x0, x1 + mb_x0, top, bottom, fontname, size, upright, matrix))
    return out
