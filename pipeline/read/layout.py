"""pdftotext-like layout text (no tabs, cells wrapped over lines) -> blocks.

Tables are found from their header: a short line that ends in a unit ("kronor",
"Miljoner kronor", "(kronor)"). Below it, each row is anchored on its figures: a line
that is only amounts (stacked amounts and "= 37 183 707" belong to the same cell), a
line that ends in an amount, or one that starts with it. Text between two anchors is
split between the comment of the row above and the label of the row below: the text
paragraph nearest the figures is the label, earlier ones are the comment above; dash
lists are comments of the row whose label they follow. A total line ends the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from pipeline.model import Block, Cell, Segment, TableRow
from pipeline.vocab import BULLET, TOTAL_LABEL, UNIT_SPELLINGS

_AMOUNT = r"[-−–]?\s?\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?"
_AMOUNT_LINE_RE = re.compile(rf"^\s*(?:=\s*)?{_AMOUNT}\s*$")
_TEXT_AMOUNT_RE = re.compile(rf"^(?P<text>\s*\S.*?)\s+(?P<amount>{_AMOUNT})\s*$")
_AMOUNT_TEXT_RE = re.compile(rf"^\s*(?P<amount>{_AMOUNT})\s+(?P<text>[^\d\s].*)$")
_UNIT_WORDS = "|".join(re.escape(u) for u in sorted(UNIT_SPELLINGS, key=len, reverse=True) if u != ":-")
_HEADER_RE = re.compile(rf"(?<![\d\s]\s?)(?<!\d)\s*\(?(?:{_UNIT_WORDS})\)?\s*$", re.IGNORECASE)
_UNIT_TAIL_RE = re.compile(rf"^(?P<head>.*?)\s*(?P<unit>\(?(?:{_UNIT_WORDS})\)?)\s*$", re.IGNORECASE)
_BULLET_RE = re.compile(rf"^\s*(?:{BULLET}|\uf0b7|\d{{1,2}}[.)])\s+(?P<text>\S.*)$")
_DASH_RE = re.compile(r"^\s*[-−–•]\s+\S")
_TOTAL_RE = re.compile(rf"^\W*{TOTAL_LABEL}", re.IGNORECASE)
_INLINE_COMMENT_RE = re.compile(r"^(?P<label>(?:\S+\s){0,3}\S+)\s(?P<comment>[-−–]\s\p{Lu}.*)$")
_YEAR_END_RE = re.compile(r"(?:^|\s)(?:19|20)\d{2}\s*$")
MAX_GAP_PARAGRAPHS = 3


def _blank(line: str) -> bool:
    return not line.strip()


def _amount_at_end(line: str) -> re.Match | None:
    m = _TEXT_AMOUNT_RE.match(line)
    if not m or (_YEAR_END_RE.search(m.group("amount")) and " " not in m.group("amount").strip()):
        return None
    return m


def _is_header(line: str) -> bool:
    s = line.strip()
    return bool(s) and len(s) < 90 and not s.endswith(".") and bool(_HEADER_RE.search(s))


@dataclass
class _Row:
    line: int
    label: list[str] = field(default_factory=list)
    amounts: list[tuple[int, str]] = field(default_factory=list)
    comment: list[str] = field(default_factory=list)
    total: bool = False


def _paragraphs(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Blank-separated paragraphs; one starting in lower case continues the one before."""
    out: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for n, text in [*lines, (0, "")]:
        if not _blank(text):
            current.append((n, text.strip()))
            continue
        if current and out and re.match(r"^\p{Ll}", current[0][1]):
            out[-1].extend(current)
        elif current:
            out.append(current)
        current = []
    return out


def _join(par: list[tuple[int, str]]) -> str:
    return re.sub(r"\s+", " ", " ".join(t for _, t in par)).strip()


def _split_pending(pending: list[tuple[int, str]]) -> tuple[list[str], list[str], list[str]]:
    """Text since the last anchor -> (comment of the row above, label, comment of this row)."""
    pars = _paragraphs(pending)
    if not pars:
        return [], [], []
    # dash lines right under the previous figures continue that row's comment
    above: list[str] = []
    if pending and not _blank(pending[0][1]) and _DASH_RE.match(pars[0][0][1]):
        first = pars.pop(0)
        k = 0
        while k < len(first) and _DASH_RE.match(first[k][1]):
            k += 1
        above.append(_join(first[:k]))
        if k < len(first):
            pars.insert(0, first[k:])
            if len(pars) > 1 and re.match(r"^\p{Ll}", pars[1][0][1]):
                pars[0:2] = [pars[0] + pars[1]]
    label_idx = None
    for i in range(len(pars) - 1, -1, -1):
        if not _DASH_RE.match(pars[i][0][1]):
            label_idx = i
            break
    if label_idx is None:
        return above, [], [_join(p) for p in pars]
    above += [_join(p) for p in pars[:label_idx]]
    label = [_join(pars[label_idx])]
    own = [_join(p) for p in pars[label_idx + 1 :]]
    m = _INLINE_COMMENT_RE.match(label[0])
    if m:
        label, own = [m.group("label")], [m.group("comment"), *own]
    return above, label, own


def _short(line: str) -> bool:
    """A header cell's line: short and not the end of a sentence."""
    text = line.strip()
    return len(text) < 60 and not text.endswith(".")


def _header_start(lines: list[str], h: int) -> int:
    """First line index of the header ending on line h: short paragraphs back to prose or a list."""
    k = h - 1
    while k >= 0 and not _blank(lines[k]) and _short(lines[k]):
        k -= 1
    start = k + 1
    while k >= 0:
        j = k
        while j >= 0 and _blank(lines[j]):
            j -= 1
        if j < 0:
            break
        par_end = j
        while j >= 0 and not _blank(lines[j]):
            j -= 1
        par = [lines[i].strip() for i in range(j + 1, par_end + 1)]
        if len(par) > 2 or any(not _short(t) or _BULLET_RE.match(t) for t in par):
            break
        if any(_amount_at_end(t) or _AMOUNT_LINE_RE.match(t) for t in par):
            break
        start, k = j + 1, j
    return start


def _amount_cell(lines: list[str], i: int) -> tuple[list[tuple[int, str]], int]:
    """Stacked amount lines from index i, and a '= result' line after blanks: (amounts, next index)."""
    amounts = []
    j = i
    while j < len(lines) and _AMOUNT_LINE_RE.match(lines[j]):
        amounts.append((j + 1, lines[j].strip()))
        j += 1
    k = j
    while k < len(lines) and _blank(lines[k]):
        k += 1
    if k < len(lines) and re.match(r"^\s*=\s*\d", lines[k]):
        amounts.append((k + 1, lines[k].strip()))
        j = k + 1
    return amounts, j


def _table_at(lines: list[str], h: int) -> tuple[int, int, Block] | None:
    """The table whose unit header is on line index h: (first index, last index, block)."""
    n = len(lines)
    head_line = lines[h].rstrip()
    # the header may continue on the next line ("Miljoner" / "kronor")
    cont = h + 1 < n and re.fullmatch(r"\s*\(?(?:kronor|kr)\)?\s*", lines[h + 1], re.IGNORECASE)
    header_end = h + 1 if cont else h
    start = _header_start(lines, h)
    header_pars = _paragraphs([(i + 1, lines[i]) for i in range(start, header_end + 1)])
    rows: list[_Row] = []
    pending: list[tuple[int, str]] = []
    i = header_end + 1
    last = header_end
    gap_pars = 0
    while i < n:
        raw = lines[i]
        lineno = i + 1
        if _blank(raw):
            if pending and not _blank(pending[-1][1]):
                gap_pars += 1
            pending.append((lineno, ""))
            i += 1
            if gap_pars > MAX_GAP_PARAGRAPHS:
                break
            continue
        at_end = _amount_at_end(raw)
        at_start = _AMOUNT_TEXT_RE.match(raw)
        if _AMOUNT_LINE_RE.match(raw) or at_end or at_start:
            above, label, own = _split_pending(pending)
            if rows:
                rows[-1].comment += above
            elif above:
                header_pars += [[(0, t)] for t in above]
            row = _Row(line=lineno, label=label, comment=own)
            if _AMOUNT_LINE_RE.match(raw):
                row.amounts, i = _amount_cell(lines, i)
            elif at_end:
                own_text = at_end.group("text").strip()
                if pending and not _blank(pending[-1][1]) and label:
                    row.label = [*label, own_text]  # the label's first lines run straight into this one
                else:
                    row.label = [own_text]
                    if label and rows:
                        rows[-1].comment += label
                    elif label:
                        header_pars.append([(0, label[0])])
                row.amounts.append((lineno, at_end.group("amount")))
                i += 1
            else:
                row.amounts.append((lineno, at_start.group("amount")))
                row.comment.insert(0, at_start.group("text").strip())
                i += 1
            row.total = bool(_TOTAL_RE.match(" ".join(row.label)))
            rows.append(row)
            pending, gap_pars = [], 0
            last = i - 1
            if row.total:
                break
            continue
        pending.append((lineno, raw))
        i += 1
    if len([r for r in rows if not r.total]) < 2 and not any(r.total for r in rows):
        return None
    header_cells = _header_cells(header_pars, head_line, lines[h + 1] if cont else "")
    table_rows = [TableRow(line=start + 1, cells=tuple(Cell(t) for t in header_cells))]
    for r in rows:
        amount_text = " ".join(a for _, a in r.amounts)
        segments = tuple(Segment(a) for _, a in r.amounts)
        cells = (Cell(" ".join(r.label)), Cell(amount_text, segments), Cell(" ".join(r.comment)))
        table_rows.append(TableRow(line=r.amounts[0][0], cells=cells))
    return start, last, Block("table", start + 1, rows=tuple(table_rows), end_line=last + 1)


def _header_cells(pars: list[list[tuple[int, str]]], head_line: str, continuation: str) -> list[str]:
    """Header paragraphs -> cells: first column, the unit column (up to the unit), the rest."""
    texts = [_join(p) for p in pars]
    unit_idx = next((i for i, t in enumerate(texts) if _HEADER_RE.search(t)), None)
    if unit_idx is None:
        return texts
    if unit_idx == 0:
        m = _UNIT_TAIL_RE.match(texts[0])
        first = m.group("head") if m else texts[0]
        unit = m.group("unit") if m else ""
        if continuation.strip() and first.endswith(continuation.strip()):
            first = first[: -len(continuation.strip())].strip()
        words = first.split()
        if words and words[-1].lower() in ("miljoner", "tusen", "miljarder"):
            unit, first = f"{words[-1]} {unit}", " ".join(words[:-1])
        return [first.strip(), unit.strip(), *texts[1:]]
    return [texts[0], " ".join(texts[1 : unit_idx + 1]), *texts[unit_idx + 1 :]]


def read_layout(text: str) -> list[Block]:
    lines = text.split("\n")
    blocks: list[Block] = []
    used: set[int] = set()
    for h, line in enumerate(lines):
        if h in used or not _is_header(line):
            continue
        found = _table_at(lines, h)
        if found is None:
            continue
        start, end, block = found
        if any(i in used for i in range(start, end + 1)):
            continue
        used.update(range(start, end + 1))
        blocks.append(block)
    blocks.extend(_text_blocks(lines, used))
    return sorted(blocks, key=lambda b: b.line)


def _text_blocks(lines: list[str], used: set[int]) -> list[Block]:
    """Headings, paragraphs and list items from the lines outside tables."""
    out: list[Block] = []
    i, n = 0, len(lines)
    while i < n:
        if i in used or _blank(lines[i]):
            i += 1
            continue
        m = _BULLET_RE.match(lines[i])
        j = i + 1
        while j < n and j not in used and not _blank(lines[j]) and not _BULLET_RE.match(lines[j]):
            j += 1
        if m:
            # a wrapped item may continue after a blank line, in lower case
            while j + 1 < n and _blank(lines[j]) and j + 1 not in used and re.match(r"^\s*\p{Ll}", lines[j + 1]):
                j += 2
                while j < n and j not in used and not _blank(lines[j]) and not _BULLET_RE.match(lines[j]):
                    j += 1
            body = " ".join(lines[k].strip() for k in range(i, j) if not _blank(lines[k]))
            out.append(
                Block(
                    "list_item", i + 1, re.sub(r"\s+", " ", _BULLET_RE.match(body).group("text")), level=0, end_line=j
                )
            )
        else:
            par = [lines[k].strip() for k in range(i, j)]
            body = re.sub(r"\s+", " ", " ".join(par)).strip()
            followed_by_blank = j >= n or _blank(lines[j])
            heading = (
                followed_by_blank
                and (len(par) <= 4 or (len(par) <= 8 and body.endswith(")")))
                and not body.endswith((".", ":", ";", ","))
                and re.match(r"^[\p{Lu}\d]", body) is not None
                and all(len(t) < 90 for t in par)
                and not _AMOUNT_LINE_RE.match(body)
            )
            out.append(Block("heading" if heading else "paragraph", i + 1, body, level=2 if heading else 0, end_line=j))
        i = j
    return out
