"""How well a document was read, without gold: its own arithmetic and its amount coverage.

Nobody writes gold for the hundreds of reports a batch holds. Two figures say where to
look instead: how many stated totals reconcile (ok / mismatch / ambiguous), and the
*amount coverage*, the share of amounts printed in the document's table lines and list
items that landed in the dataset as a row or a stated total. A report read right has
nearly every total ok and nearly every amount in a table; a low coverage points at tables
missed or misread.

Counted per printed line: a line with three amounts is covered by three figures taken
from it (one per column table, or a stated total, or a stated figure kept as a doubt). The
amounts printed are counted by the extract stage (tables.printed_amounts), which knows the
layouts: figures in the amount columns it reads, key figures (shares, per-unit rows)
aside, and in a report about money also figures with digit groups in a table it cannot
read, so a table missed for want of a unit still counts as missed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.model import Extraction

Place = tuple[int, int]  # (page, line)


@dataclass(frozen=True)
class Quality:
    with_total: int
    ok: int
    mismatch: int
    ambiguous: int
    amounts: int  # amounts printed in table lines and list items
    landed: int  # of them, in the dataset

    @property
    def coverage(self) -> float | None:
        return None if not self.amounts else round(self.landed / self.amounts, 3)

    def as_dict(self) -> dict:
        return {
            "tables_with_total": self.with_total,
            "ok": self.ok,
            "mismatch": self.mismatch,
            "ambiguous": self.ambiguous,
            "amounts": self.amounts,
            "amounts_in_dataset": self.landed,
            "amount_coverage": self.coverage,
        }


def quality(extraction: Extraction) -> Quality:
    printed = extraction.printed
    taken: Counter[Place] = Counter()
    for table in extraction.tables:
        for row in table.rows:
            if row.amount is not None:  # a row of a sum column carries the columns before it
                taken[(row.page or 1, row.line)] += 1 + len(row.components)
        if table.stated_total is not None and table.stated_total_line is not None:
            taken[(table.stated_total_page or 1, table.stated_total_line)] += 1
        for line, page, _stated, _why in table.doubts:
            taken[(page or 1, line)] += 1  # a stated figure kept as a doubt is in the dataset too
    status = Counter(c.status for c in extraction.checks)
    return Quality(
        with_total=sum(1 for t in extraction.tables if t.stated_total is not None),
        ok=status["ok"],
        mismatch=status["mismatch"],
        ambiguous=status["ambiguous"],
        amounts=sum(printed.values()),
        landed=sum(min(n, taken[place]) for place, n in printed.items()),
    )


COLUMNS = ("pages", "tables", "totals", "ok", "mismatch", "ambiguous", "amounts", "coverage")


def quality_table(inputs: list[dict]) -> str:
    """The manifest's inputs as a table, worst first: lowest amount coverage, then most
    findings and doubts; a failed input first of all, with its reason."""

    def worst(entry: dict) -> tuple:
        q = entry.get("quality") or {}
        coverage = q.get("amount_coverage")
        failed = entry.get("status", "ok") != "ok"
        return (not failed, 2.0 if coverage is None else coverage, -q.get("mismatch", 0), -q.get("ambiguous", 0))

    width = max([len("document"), *(len(str(e.get("path", ""))) for e in inputs)])
    lines = [f"{'document':<{width}}  " + "  ".join(f"{c:>9}" for c in COLUMNS)]
    for entry in sorted(inputs, key=lambda e: (worst(e), str(e.get("path", "")))):
        name = f"{entry.get('path', '')!s:<{width}}"
        if entry.get("status", "ok") != "ok":
            lines.append(f"{name}  failed: {entry['status']}")
            continue
        q = entry.get("quality") or {}
        coverage = q.get("amount_coverage")
        cells = [
            entry.get("pages"),
            entry.get("tables"),
            q.get("tables_with_total"),
            q.get("ok"),
            q.get("mismatch"),
            q.get("ambiguous"),
            q.get("amounts"),
            "n/a" if coverage is None else f"{coverage:.3f}",
        ]
        lines.append(f"{name}  " + "  ".join(f"{'' if v is None else v!s:>9}" for v in cells))
    return "\n".join(lines)
