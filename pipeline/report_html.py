"""A dataset as one page auditors open in a browser: findings first, then every table.

One self-contained HTML file (inline style, no script, no external asset, nothing fetched):
the findings (checks with status mismatch), each with both figures, the difference and
tolerance, both places (document, page, line, table and row) and the source text of each;
then the ambiguous checks; then per document every table with its stated and computed
total and status, and every row with its page, line and source text. Figures are written
the Swedish way ("64 410 035 kr"). Every text from the reports is escaped.
"""

from __future__ import annotations

import html
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from pipeline.files import write_new
from pipeline.load import read_dataset

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 80rem; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #888; }
article { border: 1px solid #ccc; border-left: 6px solid #c0392b; padding: .6rem 1rem; margin: 1rem 0; }
article.doubt { border-left-color: #d4a017; }
.figures { font-weight: 600; } .amount { white-space: nowrap; font-variant-numeric: tabular-nums; }
blockquote { margin: .3rem 0 .3rem 1rem; color: #444; font-family: ui-monospace, monospace; font-size: .9em; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; }
th, td { border: 1px solid #ddd; padding: .2rem .5rem; text-align: left; vertical-align: top; }
td.num { text-align: right; }
.status-mismatch { color: #c0392b; font-weight: 700; } .status-ambiguous { color: #9a7400; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
"""


def _records(frame: pd.DataFrame) -> list[SimpleNamespace]:
    """The rows of a frame with empty cells as None (pandas' NA has no truth value)."""
    return [
        SimpleNamespace(**{k: (None if v is pd.NA or v is None else v) for k, v in row.items()})
        for row in frame.to_dict("records")
    ]


def _e(value: object) -> str:
    return "" if value is None else html.escape(str(value))


def money(value: object, unit: str = "") -> str:
    """'64 410 035 kr'; a count as a plain number; '' for none."""
    if value is None or value == "":
        return ""
    figure = f"{int(value):,}".replace(",", " ")
    return f'<span class="amount">{figure}{"" if unit == "antal" else " kr"}</span>'


class _Sources:
    """The source text of a row, and of the table a place is in, for quoting both places."""

    def __init__(self, frames: dict[str, pd.DataFrame]) -> None:
        self.rows = {(r.doc_id, r.table_id, int(r.row)): r.source_text for r in _records(frames["line_items"])}
        self.captions = {(t.doc_id, t.table_id): t.caption for t in _records(frames["tables"])}

    def quote(self, doc: object, table: object, row: object) -> str:
        """The row's source text; for a table's stated total, the table's caption."""
        if not table:
            return ""
        text = self.captions.get((doc, table), "") if row is None else self.rows.get((doc, table, int(row)), "")
        return f"<blockquote>{_e(text)}</blockquote>" if text else ""


def _place(doc: object, page: object, line: object, table: object, row: object) -> str:
    where = f"{_e(doc)} p.{_e(page)} l.{_e(line)}"
    if table:
        where += f" ({_e(table)}{', row ' + _e(row) if row is not None else ''})"
    return where


def _check(c: SimpleNamespace, sources: _Sources, css: str) -> str:
    other_doc = c.other_doc_id or c.doc_id
    other = ""
    if c.other_page is not None:
        other = (
            f"<p>Other mention: {_place(other_doc, c.other_page, c.other_line, c.other_table_id, c.other_row)}</p>"
            + sources.quote(other_doc, c.other_table_id, c.other_row)
        )
    return (
        f'<article class="{css}" data-check="{_e(c.doc_id)}::{_e(c.check_id)}">'
        f"<h3>{_e(c.kind)}: {_e(c.doc_id)}</h3>"
        f'<p class="figures">stated {money(c.stated_sek)} · computed {money(c.computed_sek)} · '
        f"difference {money(c.difference_sek)} · tolerance {money(c.tolerance_sek)}</p>"
        f"<p>Place: {_place(c.doc_id, c.page, c.line, c.table_id, c.row)}</p>"
        + sources.quote(c.doc_id, c.table_id, c.row)
        + other
        + f'<p class="message">{_e(c.message)}</p></article>'
    )


def _document(doc: SimpleNamespace, frames: dict[str, pd.DataFrame]) -> str:
    tables = _records(frames["tables"][frames["tables"]["doc_id"] == doc.doc_id])
    items = frames["line_items"][frames["line_items"]["doc_id"] == doc.doc_id]
    parts = [f'<section class="document"><h3>{_e(doc.doc_id)}</h3><p>{_e(doc.title)}</p>']
    for t in tables:
        rows = _records(items[items["table_id"] == t.table_id])
        parts.append(
            "<table><caption>"
            f"{_e(t.table_id)} p.{_e(t.page)} l.{_e(t.line)}: {_e(t.caption)} ({_e(t.unit)}): "
            f"stated {money(t.stated_total_sek, t.unit)} · computed {money(t.computed_total_sek, t.unit)} · "
            f'<span class="status-{_e(t.status)}">{_e(t.status)}</span></caption>'
            "<tr><th>page</th><th>line</th><th>level</th><th>label</th><th>amount</th><th>source text</th></tr>"
        )
        for r in rows:
            parts.append(
                f"<tr><td>{_e(r.page)}</td><td>{_e(r.line)}</td><td>{_e(r.level)}</td><td>{_e(r.label)}</td>"
                f'<td class="num">{money(r.amount_sek, t.unit)}</td><td>{_e(r.source_text)}</td></tr>'
            )
        parts.append("</table>")
    parts.append("</section>")
    return "".join(parts)


def page(folder: Path) -> str:
    frames = read_dataset(folder)
    checks = _records(frames["checks"])
    sources = _Sources(frames)
    findings = [c for c in checks if c.status == "mismatch"]
    doubts = [c for c in checks if c.status == "ambiguous"]
    docs = _records(frames["documents"])
    body = [
        "<header><h1>pipeline: findings and tables</h1>",
        f"<p>{len(docs)} documents, {len(frames['tables'])} tables, {len(frames['line_items'])} rows; "
        f"{len(findings)} findings, {len(doubts)} ambiguous checks.</p></header>",
        f'<section id="findings"><h2>Findings ({len(findings)})</h2>',
        *(_check(c, sources, "finding") for c in findings),
        "" if findings else "<p>No discrepancies found.</p>",
        f'</section><section id="ambiguous"><h2>Ambiguous ({len(doubts)})</h2>',
        *(_check(c, sources, "doubt") for c in doubts),
        '</section><section id="documents"><h2>Documents</h2>',
        *(_document(d, frames) for d in docs),
        "</section>",
    ]
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>pipeline report</title><style>{STYLE}</style></head><body>{''.join(body)}</body></html>\n"
    )


def write_page(folder: Path, target: Path) -> None:
    """Write the page of the dataset in `folder` to `target`, which must not exist."""
    write_new(target, page(folder).encode("utf-8"))
