"""Markdown-like text exports: tab-separated table rows, `#` headings, <b>/<u>/<i> tags,
**bold**, bullets "-"/"•" -> blocks.

Tables keep their blank lines' neighbours together: a run of tab-separated lines with
only blank lines between them is one table (exports put blank lines inside tables).
"""

from __future__ import annotations

import regex as re

from pipeline.model import Block, Cell, Segment, TableRow
from pipeline.vocab import BULLET

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
_LIST_RE = re.compile(rf"^(?P<indent>\s*)(?:{BULLET}|\d{{1,2}}[.)])\s+(?P<text>\S.*)$")
# Numbered section headings without '#': "3 Region Jämtland Härjedalen", "3.1.1 Utvecklingen ..."
NUMBERED_HEADING_RE = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,4})\s+(\p{Lu}[^\t]{1,150})$")
_RULE_RE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_TAG_RE = re.compile(r"</?(?:b|i|u|em|strong|span|sup|sub)\b[^>]*>", re.IGNORECASE)
_UNDERLINE_RE = re.compile(r"<u>(.*?)</u>", re.IGNORECASE | re.DOTALL)
_BOLD_RE = re.compile(r"^\s*(?:<b>.*</b>|\*\*.*\*\*)\s*$", re.IGNORECASE | re.DOTALL)
_ESCAPED_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")
_SPACES_RE = re.compile(r"[\s\u00a0\u202f\u2009]+")


def clean(text: str) -> str:
    """Plain text of a marked-up fragment: tags and ** removed, spaces collapsed."""
    text = _TAG_RE.sub("", text)
    text = text.replace("\\*", "\x00").replace("**", "").replace("\x00", "*")
    text = _ESCAPED_RE.sub(r"\1", text)
    return _SPACES_RE.sub(" ", text).strip()


def _cell(raw: str) -> Cell:
    segments: list[Segment] = []
    pos = 0
    for m in _UNDERLINE_RE.finditer(raw):
        if m.start() > pos:
            segments.append(Segment(_TAG_RE.sub("", raw[pos : m.start()]).replace("**", "")))
        segments.append(Segment(_TAG_RE.sub("", m.group(1)).replace("**", ""), underline=True))
        pos = m.end()
    if segments and pos < len(raw):
        segments.append(Segment(_TAG_RE.sub("", raw[pos:]).replace("**", "")))
    segments = [s for s in segments if s.text.strip()]
    return Cell(text=clean(raw), segments=tuple(segments), bold=bool(_BOLD_RE.match(raw)) and bool(clean(raw)))


def read_markdown(text: str) -> list[Block]:
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    n = len(lines)
    while i < n:
        raw = lines[i]
        lineno = i + 1
        if not raw.strip() or (_RULE_RE.match(raw) and "\t" not in raw):
            i += 1
            continue
        if "\t" in raw:
            rows = []
            j = i
            while j < n:
                if "\t" in lines[j]:
                    rows.append(TableRow(line=j + 1, cells=tuple(_cell(c) for c in lines[j].split("\t"))))
                    j += 1
                elif not lines[j].strip():
                    k = j
                    while k < n and not lines[k].strip():
                        k += 1
                    if k < n and "\t" in lines[k]:
                        j = k
                        continue
                    break
                else:
                    break
            blocks.append(Block("table", lineno, rows=tuple(rows), end_line=rows[-1].line))
            i = j
            continue
        m = _HEADING_RE.match(raw)
        if m:
            blocks.append(
                Block("heading", lineno, clean(m.group(2)), level=len(m.group(1)), bold=True, end_line=lineno)
            )
            i += 1
            continue
        m = _LIST_RE.match(raw)
        if m:
            depth = len(m.group("indent").expandtabs(4)) // 2
            blocks.append(
                Block(
                    "list_item",
                    lineno,
                    clean(m.group("text")),
                    level=depth,
                    bold=bool(_BOLD_RE.match(m.group("text"))),
                    end_line=lineno,
                )
            )
            i += 1
            continue
        # a paragraph: consecutive lines that start nothing else
        j = i + 1
        while (
            j < n
            and lines[j].strip()
            and "\t" not in lines[j]
            and not _HEADING_RE.match(lines[j])
            and not _LIST_RE.match(lines[j])
        ):
            j += 1
        body = "\n".join(lines[i:j])
        numbered = NUMBERED_HEADING_RE.match(body) if j == i + 1 else None
        if numbered and not body.rstrip().endswith((".", ":", ",")):
            blocks.append(
                Block("heading", lineno, clean(body), level=numbered.group(1).count(".") + 1, end_line=lineno)
            )
            i = j
            continue
        blocks.append(Block("paragraph", lineno, clean(body), bold=bool(_BOLD_RE.match(body)), end_line=j))
        i = j
    return blocks
