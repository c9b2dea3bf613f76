"""The same figure in two tables of one report: a summary and its detail table, the
key-figure table and the statements (checks of kind cross_table).

Two rows (or columns) are taken for mentions of one item only on the figures' own
evidence: they must share a figure of the same year and kind (an anchor: three or more
significant digits, equal within both roundings), and either name the same thing (label
words, abbreviations and compounds allowed) or share two such figures. Their other figures
of the same year and kind are then compared:

- a unit the report does not write is read at the scale the anchors show (a key-figure
  table in tkr beside statements in kr), and named;
- a deviation (Avvikelse, Återstår) is compared after each record's own arithmetic has
  shown which way round it is (Utfall - Budget or Budget - Utfall); opposite conventions
  are named;
- a gap is a finding only when the pairing is the best one for both records and the
  differing figure is not explained by a sign or a figure of a neighbouring column;
  otherwise it is ambiguous: a false alarm costs an auditor more than a missed one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.model import Check
from pipeline.parse.amounts import sek
from pipeline.validate.mentions import Mention, check_at, names
from pipeline.vocab import COUNT_UNIT

Key = tuple[int | None, str]  # (year, kind)
SCALES = (1, 1000, 1_000_000)
MIN_DIGITS = 3  # significant digits of an anchor: "1 500 000" or "0" could be anything


@dataclass(slots=True)
class Record:
    """The figures of one item in one printed table, by (year, kind)."""

    printed_id: str
    item: frozenset[str]
    count: bool
    name: frozenset[str] = frozenset()  # the label's words as printed
    figures: dict[Key, Mention] = field(default_factory=dict)
    conventions: dict[int | None, int] = field(default_factory=dict)  # year -> +1: A = U - B, -1: A = B - U

    @property
    def assumed(self) -> bool:
        return any(m.assumed for m in self.figures.values())


@dataclass(frozen=True)
class Transform:
    """How the other record's figures read in this one's terms."""

    scale: float  # other's kronor * scale
    sign: int

    def apply(self, m: Mention) -> tuple[int, int]:
        """The figure and its rounding (half its last printed unit, at the new scale)."""
        step = 2 * m.precision or 1
        precision = m.precision if self.scale == 1 else round(step * self.scale / 2)
        return round(m.value * self.sign * self.scale), precision


def _kind(m: Mention) -> str:
    return m.kind or "utfall"  # an unmarked year column is the outcome


def records(ms: list[Mention]) -> list[Record]:
    groups: dict[tuple[str, frozenset[str], bool], list[Mention]] = {}
    for m in ms:
        if m.item:
            groups.setdefault((m.printed_id, m.name, m.unit == COUNT_UNIT), []).append(m)
    out = []
    for (printed, name, count), found in groups.items():
        rec = Record(printed, found[0].item, count, name)
        deviations = [m for m in found if _kind(m) == "avvikelse"]
        keyed: dict[Key, list[Mention]] = {}
        for m in found:
            if _kind(m) != "avvikelse":
                keyed.setdefault((m.year, _kind(m)), []).append(m)
        plain = {k: v[0] for k, v in keyed.items() if len(v) == 1}
        for m in deviations:
            year, conv = _deviation_year(m, plain)
            keyed.setdefault((year, "avvikelse"), []).append(m)
            if conv:
                rec.conventions[year] = conv
        rec.figures = {k: v[0] for k, v in keyed.items() if len(v) == 1}
        out.append(rec)
    return out


def _deviation_year(m: Mention, plain: dict[Key, Mention]) -> tuple[int | None, int]:
    """The year whose outcome and budget a deviation is the difference of, and which way
    round (+1: Utfall - Budget, -1: Budget - Utfall); its own year and 0 if none fits."""
    fits = []
    for year in {k[0] for k in plain} | {m.year}:
        if m.year is not None and year != m.year:
            continue
        u, b = plain.get((year, "utfall")), plain.get((year, "budget"))
        if u is None or b is None:
            continue
        tol = m.precision + u.precision + b.precision
        ways = [conv for conv in (1, -1) if abs(m.value - conv * (u.value - b.value)) <= tol]
        if len(ways) == 1:
            fits.append((year, ways[0]))
    return fits[0] if len(fits) == 1 else (m.year, 0)


def significant(m: Mention) -> bool:
    return _significant(m.value, m.precision)


@lru_cache(maxsize=1 << 14)
def _significant(value: int, precision: int) -> bool:
    step = max(2 * precision, 1)
    digits = str(abs(round(value / step))).rstrip("0")
    return len(digits) >= MIN_DIGITS


def _agree(a: Mention, b: Mention, t: Transform) -> bool:
    value, precision = t.apply(b)
    return abs(a.value - value) <= max(a.precision + precision, 1)


def _key_transform(r1: Record, r2: Record, key: Key, t: Transform) -> Transform | None:
    """A deviation turns with the records' conventions; unknown conventions: not compared."""
    if key[1] != "avvikelse":
        return t
    c1, c2 = r1.conventions.get(key[0]), r2.conventions.get(key[0])
    if not c1 or not c2:
        return None
    return Transform(t.scale, t.sign * c1 * c2)


def _anchors(r1: Record, r2: Record, t: Transform) -> list[Key]:
    out = []
    for key in r1.figures.keys() & r2.figures.keys():
        kt = _key_transform(r1, r2, key, t)
        a, b = r1.figures[key], r2.figures[key]
        if kt and significant(a) and significant(b) and _agree(a, b, kt):
            out.append(key)
    return out


def _transforms(r1: Record, r2: Record) -> list[Transform]:
    scales = [1.0]
    if r1.assumed or r2.assumed:
        scales += [s for n in SCALES[1:] for s in (float(n), 1 / n)]
    return [Transform(s, sign) for s in scales for sign in (1, -1)]


@dataclass
class Pairing:
    r1: Record
    r2: Record
    transform: Transform
    anchors: list[Key]


def pairings(recs: list[Record]) -> list[Pairing]:
    """Pairs of records in different printed tables that the figures say are one item."""
    out = []
    for i, j in _candidates(recs):
        r1, r2 = recs[i], recs[j]
        if r1.printed_id == r2.printed_id or r1.count != r2.count:
            continue
        best: Pairing | None = None
        for t in _transforms(r1, r2):
            anchors = _anchors(r1, r2, t)
            if best is None or len(anchors) > len(best.anchors):
                best = Pairing(r1, r2, t, anchors)
        if best and (len(best.anchors) >= 2 or (best.anchors and names(r1.item, r2.item))):
            out.append(best)
    return out


def _candidates(recs: list[Record]) -> set[tuple[int, int]]:
    """Record pairs that share a significant figure's size at some scale (an index on
    magnitudes, so a report of thousands of rows is not compared pair by pair)."""
    sizes = sorted((abs(m.value), n) for n, r in enumerate(recs) for m in r.figures.values() if significant(m))
    keys = [s for s, _ in sizes]
    widest = max((m.precision for r in recs for m in r.figures.values()), default=0)
    found: set[tuple[int, int]] = set()
    for n, r in enumerate(recs):
        for m in r.figures.values():
            if not significant(m):
                continue
            for scale in SCALES if r.assumed else (1,):
                for target in {abs(m.value) * scale, abs(m.value) / scale}:
                    slack = (m.precision + widest + 1) * scale  # within any two figures' roundings
                    for _, other in sizes[bisect_left(keys, target - slack) : bisect_right(keys, target + slack)]:
                        if other != n:
                            found.add((min(n, other), max(n, other)))
    return found


def _best_only(pairs: list[Pairing]) -> set[int]:
    """Indexes of pairings that are the single best pairing of both their records."""
    best: dict[int, list[int]] = {}
    for n, p in enumerate(pairs):
        for r in (p.r1, p.r2):
            best.setdefault(id(r), []).append(n)
    unique = set()
    for n, p in enumerate(pairs):
        ok = True
        for r in (p.r1, p.r2):
            rivals = [pairs[k] for k in best[id(r)] if k != n]
            if any(len(q.anchors) >= len(p.anchors) for q in rivals):
                ok = False
        if ok:
            unique.add(n)
    return unique


def _place(m: Mention) -> tuple[bool, int, int]:
    return (not m.table_id, m.page, m.line)


def cross_table_checks(recs: list[Record]) -> list[Check]:
    pairs = pairings(recs)
    certain = _best_only(pairs)
    checks = []
    for n, p in enumerate(pairs):
        for key in sorted(p.r1.figures.keys() & p.r2.figures.keys(), key=lambda k: (k[0] or 0, k[1])):
            kt = _key_transform(p.r1, p.r2, key, p.transform)
            if kt is None:
                continue
            check = _compare(p, key, kt, n in certain)
            if check is not None:
                checks.append(check)
    return checks


def _compare(p: Pairing, key: Key, t: Transform, certain: bool) -> Check | None:
    """One figure of two paired records; the one placed first in the dataset is 'stated'."""
    a, b = p.r1.figures[key], p.r2.figures[key]
    if _place(b) < _place(a):
        a, b, t = b, a, Transform(1 / t.scale, t.sign)
    if not a.table_id:
        return None  # two key-figure tables: neither is in the dataset
    value, precision = t.apply(b)
    tol = max(a.precision + precision, 1)
    status = "ok" if abs(a.value - value) <= tol else "mismatch"
    notes = []
    if t.scale != 1:
        shown = f"x {t.scale:g}" if t.scale > 1 else f"/ {1 / t.scale:g}"
        notes.append(f"p.{b.page} writes no unit of its own for these figures: read {shown} by the figures that agree")
    if key[1] == "avvikelse" and t.sign != p.transform.sign:
        notes.append("the deviations are written with opposite sign conventions (Utfall - Budget and Budget - Utfall)")
    elif t.sign < 0:
        notes.append("the two tables write these figures with opposite signs")
    if status == "mismatch":
        why = _doubt(p, key, a, b, value, t)
        if not certain:
            why = why or "another pairing of these rows is as well supported"
        if why:
            status = "ambiguous"
            notes.append(why + ": not a finding")
    year = f" {key[0]}" if key[0] else ""
    message = (
        f"{a.label} [{a.header}] p.{a.page} l.{a.line}: {sek(a.value)}; "
        f"{b.label} [{b.header}] p.{b.page} l.{b.line}: {sek(value)} "
        f"({key[1]}{year}; paired by {len(p.anchors)} figure(s) of the two rows that agree"
        + ("".join(f"; {x}" for x in notes))
        + ")"
    )
    return check_at(
        a,
        "cross_table",
        value,
        tol,
        status,
        message,
        other_table_id=b.table_id,
        other_row=b.row,
        other_page=b.page,
        other_line=b.line,
    )


def _doubt(p: Pairing, key: Key, one: Mention, other: Mention, value: int, t: Transform) -> str:
    """Why a gap between paired figures may be a misreading rather than the report's:
    `value` is `other` read in `one`'s terms by `t`."""
    if abs(one.value + value) <= max(one.precision + other.precision, 1):
        return "the figures agree with opposite signs"
    r_one, r_other = (p.r1, p.r2) if one in p.r1.figures.values() else (p.r2, p.r1)
    for k, m in r_one.figures.items():
        if k != key and abs(abs(m.value) - abs(value)) <= max(m.precision + other.precision, 1):
            return f"p.{other.page} l.{other.line} equals the {k[1]} figure of the other row (a shifted column?)"
    for k, m in r_other.figures.items():
        mv = round(m.value * t.sign * t.scale)
        if k != key and abs(abs(mv) - abs(one.value)) <= max(m.precision + one.precision, 1):
            return f"p.{one.page} l.{one.line} equals the {k[1]} figure of the other row (a shifted column?)"
    return ""
