"""Swedish financial tables whose truth is known by construction, drawn in the layouts real
reports use, rendered to PDF (reportlab) and to a text export.

A report is drawn from a seed: one table of 1-8 amount columns (Utfall | Budget | ...,
optionally an Avvikelse column = column 1 - column 0), a structure (items and a total;
nested "Summa" subtotals and a grand total of them; cumulative totals; a stacked result
block: Summa intäkter + Summa kostnader = Resultat), "varav" rows, a unit written in a
column header, the table's caption or the page heading, minus signs written "-", "−" or
"- 6 279", digit groups separated by a space, a no-break space or a thin space, labels that
wrap over two or three lines, ruled, shaded with fill rectangles or borderless, the first
amount column on a shaded band, on a portrait or
landscape page, going on over a page break with or without a repeated header, and
sometimes a planted slip (two digits swapped in the last total, or in one item's cell).
The expectations are judged on the figures as printed: every stated figure with its
status, every item amount, and the findings (totals and Avvikelse cells that do not add
up), no more, no fewer.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from pathlib import Path

import reportlab
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

# Bitstream Vera (shipped with reportlab) has the glyphs real reports use: "−" (U+2212), the
# no-break space; the standard Helvetica draws nothing for "−".
_FONTS = Path(reportlab.__file__).parent / "fonts"
pdfmetrics.registerFont(TTFont("Vera", str(_FONTS / "Vera.ttf")))
pdfmetrics.registerFont(TTFont("Vera-Bold", str(_FONTS / "VeraBd.ttf")))

UNITS = {"kr": 1, "tkr": 1_000, "mnkr": 100_000}  # kronor per generated figure (mnkr: tenths)
ITEMS = [
    "Bibliotek", "Museum", "Fritidsgårdar", "Idrottsanläggningar", "Kulturskola", "Allmän kulturverksamhet",
    "Stöd till studieorganisationer", "Turistverksamhet", "Fysisk och teknisk planering", "Nämndverksamhet",
    "Hemtjänst", "Särskilt boende", "Gymnasieskola", "Grundskola", "Förskola", "Vuxenutbildning",
    "Personlig assistans", "Färdtjänst", "Gator och vägar", "Parker och grönområden",
]  # fmt: skip
LONG = [
    "Bidrag till föreningar verksamma inom socialnämndens område",
    "Reparationer och underhåll av kommunens fastigheter",
]
GROUPS = ["Verksamhetens intäkter", "Verksamhetens kostnader", "Gemensam administration", "Fritid", "Kultur"]
YEARS = ["Utfall 2025", "Budget 2025", "Utfall 2024", "Bokslut 2023"]


@dataclass(eq=False)
class Line:
    """A printed row: label, one cell per amount column (None = blank), its role, and for
    a stated figure the rows it sums."""

    label: str
    values: list[int | None]
    role: str = "item"  # item | part ("varav") | subtotal | total | result | heading
    parts: list[Line] = field(default_factory=list)


@dataclass
class Report:
    seed: int
    unit: str
    unit_place: str  # header | caption | page
    columns: list[str]
    lines: list[Line]
    minus: str
    separator: str
    ruled: bool
    shaded: bool  # rows drawn on fill rectangles (every other row shaded)
    landscape: bool
    break_after: int | None  # lines on the first page, when the table goes on over a break
    repeat_header: bool
    wrap: bool
    deviation: bool  # the last column is Avvikelse = column 1 - column 0
    band: bool = False  # the first amount column on a band of fills, row by row (as Word shades a column)
    caption: str = "Driftredovisning"

    # what the dataset must hold, in kronor, judged on the figures as printed
    def stated(self) -> list[tuple[int, str]]:
        """(stated figure, status) of every stated total and subtotal, per column: ok when
        the printed rows it sums give the printed figure, else the report's finding."""
        out = []
        for line in self.lines:
            if line.role in ("subtotal", "total", "result"):
                for c, v in enumerate(line.values):
                    if v is not None:
                        computed = sum(p.values[c] or 0 for p in line.parts)
                        out.append((v * UNITS[self.unit], "ok" if computed == v else "mismatch"))
        return out

    def items(self) -> list[int]:
        kinds = ("item", "part")
        return [v * UNITS[self.unit] for ln in self.lines if ln.role in kinds for v in ln.values if v is not None]

    def identity_findings(self) -> int:
        """Rows whose printed Avvikelse is not column 1 - column 0 as printed."""
        if not self.deviation:
            return 0
        rows = [ln for ln in self.lines if ln.role not in ("heading", "part")]
        return sum(1 for ln in rows if ln.values[-1] != (ln.values[1] or 0) - (ln.values[0] or 0))


def _figure(rng: random.Random, unit: str) -> int:
    """A figure in whole units of the table (mnkr: tenths are written with a comma)."""
    return rng.randint(50, 99_999) if unit != "mnkr" else rng.randint(5, 999)


def _slip(rng: random.Random, value: int) -> int | None:
    """Two adjacent digits swapped (never making a leading zero): a typing slip."""
    digits = list(str(abs(value)))
    pairs = [k for k in range(len(digits) - 1) if digits[k] != digits[k + 1] and (k or digits[1] != "0")]
    if not pairs:
        return None
    k = rng.choice(pairs)
    digits[k], digits[k + 1] = digits[k + 1], digits[k]
    return (1 if value >= 0 else -1) * int("".join(digits))


def draw(seed: int) -> Report:
    rng = random.Random(seed)
    unit = rng.choice(list(UNITS))
    ncols = rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 7, 8])
    deviation = 2 <= ncols <= 6 and rng.random() < 0.3  # a last Avvikelse column = col 1 - col 0
    columns = rng.sample([*YEARS, "Prognos 2025", "Budget 2024", "Utfall jan-jun", "Budget 2023"], ncols)
    structure = rng.choice(["plain", "nested", "stacked", "cumulative"])
    labels = rng.sample(ITEMS, len(ITEMS))
    lines: list[Line] = []

    def items(n: int, sign: int = 1) -> list[Line]:
        out = []
        for _ in range(n):
            label = labels.pop() if labels else f"Post {len(lines) + len(out) + 1}"
            out.append(Line(label, [sign * _figure(rng, unit) for _ in range(ncols)]))
            if rng.random() < 0.08:  # a "varav" part of the row above, not summed
                part = [None if v is None else v // 3 for v in out[-1].values]
                out.append(Line("varav " + rng.choice(["personalkostnader", "lokaler", "statsbidrag"]), part, "part"))
        return out

    def total(label: str, parts: list[Line], role: str) -> Line:
        parts = [p for p in parts if p.role != "part"]
        sums = [sum(p.values[c] or 0 for p in parts) for c in range(ncols)]
        return Line(label, list(sums), role, parts)

    if structure == "plain":
        body = items(rng.randint(2, 7), rng.choice([1, -1]))
        lines += [*body, total(rng.choice(["Summa", "Totalt", "Summa totalt"]), body, "total")]
    elif structure == "nested":
        subtotals = []
        for g in rng.sample(GROUPS, rng.randint(2, 3)):
            lines.append(Line(g, [None] * ncols, "heading"))
            group = items(rng.randint(2, 4))
            sub = total(f"Summa {g.lower()}", group, "subtotal")
            lines += [*group, sub]
            subtotals.append(sub)
        lines.append(total("Summa totalt", subtotals, "total"))
    elif structure == "cumulative":  # each total is the one before plus the rows since
        first = items(rng.randint(2, 4))
        s1 = total("Summa verksamhet", first, "subtotal")
        more = items(rng.randint(1, 3))
        lines += [*first, s1, *more, total("Summa totalt", [s1, *more], "total")]
    else:
        income = items(rng.randint(2, 4))
        s_in = total("Summa intäkter", income, "subtotal")
        costs = items(rng.randint(2, 4), -1)
        s_out = total("Summa kostnader", costs, "subtotal")
        lines += [Line("Intäkter", [None] * ncols, "heading"), *income, s_in]
        lines += [Line("Kostnader", [None] * ncols, "heading"), *costs, s_out]
        lines.append(total("Resultat", [s_in, s_out], "result"))
    if deviation:
        columns.append("Avvikelse")
        for ln in lines:
            ok = ln.role not in ("heading", "part")
            ln.values.append(ln.values[1] - ln.values[0] if ok else None)  # type: ignore[operator]
    plant = rng.random()
    if plant < 0.15:  # a slip in the last total
        col = rng.randrange(len(columns))
        value = lines[-1].values[col]
        slipped = None if value is None else _slip(rng, value)
        if slipped is not None:
            lines[-1].values[col] = slipped
    elif plant < 0.25:  # a slip in one item's cell: its totals do not add up
        followed = {id(a) for a, b in itertools.pairwise(lines) if b.role == "part"}  # its varav part stays below it
        row = rng.choice([ln for ln in lines if ln.role == "item" and id(ln) not in followed])
        col = rng.randrange(len(columns))
        value = row.values[col]
        slipped = None if value is None else _slip(rng, value)
        if slipped is not None:
            row.values[col] = slipped
    long_label = rng.random() < 0.3
    if long_label:
        item = next(ln for ln in lines if ln.role == "item")
        item.label = rng.choice(LONG)
    many = len(lines) >= 6
    return Report(
        seed=seed,
        unit=unit,
        unit_place=rng.choice(["header", "caption", "page"]),
        columns=columns,
        lines=lines,
        minus=rng.choice(["-", "\u2212", "- "]),
        separator=rng.choice([" ", "\u00a0", "\u2009"]),
        ruled=rng.random() < 0.3,
        shaded=rng.random() < 0.2,
        landscape=rng.random() < 0.2,
        break_after=rng.randint(3, len(lines) - 2) if many and rng.random() < 0.25 else None,
        repeat_header=rng.random() < 0.5,
        wrap=long_label and rng.random() < 0.5,
        deviation=deviation,
        band=rng.random() < 0.25,  # drawn last: the seeds drawn before keep their reports
    )


def written(report: Report, value: int | None, pdf: bool = False) -> str:
    if value is None:
        return ""
    separator = "\u00a0" if pdf and report.separator == "\u2009" else report.separator  # Vera has no thin space
    if report.unit == "mnkr":
        whole, tenth = divmod(abs(value), 10)
        body = f"{whole:,}".replace(",", separator) + f",{tenth}"
        value_sign = value < 0
    else:
        body = f"{abs(value):,}".replace(",", separator)
        value_sign = value < 0
    return f"{report.minus}{body}" if value_sign else body


def _header_cells(report: Report) -> list[str]:
    first = f"Belopp i {report.unit}" if report.unit_place == "header" else "Verksamhet"
    return [first, *report.columns]


def _caption(report: Report) -> str:
    return f"{report.caption} ({report.unit})" if report.unit_place == "caption" else report.caption


def text_export(report: Report) -> str:
    """The report as a text export: headings with '#', tab-separated table rows."""
    out = []
    if report.unit_place == "page":
        out += ["# Årsredovisning", "", f"Alla belopp redovisas i {report.unit} om inget annat anges.", ""]
    out += [f"## {_caption(report)}", "", "\t".join(_header_cells(report))]
    for ln in report.lines:
        out.append("\t".join([ln.label, *(written(report, v) for v in ln.values)]))
    return "\n".join(out) + "\n"


def pdf(report: Report, path: Path) -> None:
    label_width = 200 if report.wrap else 290
    step = 78 if len(report.columns) <= 5 else 66 if len(report.columns) <= 7 else 62  # "Bokslut 2023", "−1 234 567"
    if 56 + label_width + step * len(report.columns) + 56 > A4[1]:
        label_width = 200 if report.wrap else 230
    wide = 56 + label_width + step * len(report.columns) + 56 > A4[0]
    size = landscape(A4) if report.landscape or wide else A4
    width, height = size
    canvas = Canvas(str(path), pagesize=size)
    right = width - 56
    xs = [56 + label_width + step * (i + 1) for i in range(len(report.columns))]
    y = height - 60
    if report.unit_place == "page":
        canvas.setFont("Vera-Bold", 16)
        canvas.drawString(56, y, "Årsredovisning")
        y -= 22
        canvas.setFont("Vera", 10)
        canvas.drawString(56, y, f"Alla belopp redovisas i {report.unit} om inget annat anges.")
        y -= 30
    canvas.setFont("Vera-Bold", 13)
    canvas.drawString(56, y, _caption(report))
    y -= 26

    shade = 0

    def row(cells: list[str], bold: bool = False) -> None:
        nonlocal y, shade
        shade += 1
        if report.shaded and shade % 2 == 0:
            canvas.setFillGray(0.9)
            canvas.rect(56, y - 4, right - 56, 14, stroke=0, fill=1)
            canvas.setFillGray(0)
        if report.band and not report.ruled:
            # the cell's fill, the same again inside its padding, and the padding beside it:
            # to a table finder, a grid one column wide with its rows
            cell = xs[0] - step + 6
            canvas.setFillColorRGB(0.85, 0.89, 0.95)
            canvas.rect(cell, y - 4, step - 6, 14, stroke=0, fill=1)
            canvas.rect(cell + 4, y - 4, step - 14, 14, stroke=0, fill=1)
            canvas.rect(xs[0], y - 4, 10, 14, stroke=0, fill=1)
            canvas.setFillGray(0)
        size = 9 if len(report.columns) <= 5 else 8 if len(report.columns) <= 7 or not bold else 7
        font = "Vera-Bold" if bold else "Vera"
        canvas.setFont(font, size)
        # a label too long for its column wraps onto further lines, as in print (a narrow
        # label column: up to three)
        limit = (label_width - 12) / (2 if report.wrap else 1)
        lines = [""]
        for word in cells[0].split():
            trial = f"{lines[-1]} {word}".strip()
            if lines[-1] and pdfmetrics.stringWidth(trial, font, size) > limit:
                lines.append(word)
            else:
                lines[-1] = trial
        canvas.drawString(60, y, lines[0])
        for x, text in zip(xs, cells[1:], strict=True):
            canvas.drawRightString(x - 4, y, text)
        below = 12 * (len(lines) - 1)
        if report.ruled:
            canvas.line(56, y + 11, right, y + 11)
            canvas.line(56, y - 4 - below, right, y - 4 - below)
            for x in [56, 56 + label_width, *xs]:
                canvas.line(x, y + 11, x, y - 4 - below)
        for more in lines[1:]:
            y -= 12
            canvas.drawString(60, y, more)
        y -= 16 if report.ruled else 14

    row(_header_cells(report), bold=True)
    for n, ln in enumerate(report.lines):
        if report.break_after is not None and n == report.break_after:
            canvas.showPage()
            y = height - 60
            if report.repeat_header:
                row(_header_cells(report), bold=True)
        bold = ln.role in ("subtotal", "total", "result")
        row([ln.label, *(written(report, v, pdf=True) for v in ln.values)], bold=bold)
    canvas.save()
