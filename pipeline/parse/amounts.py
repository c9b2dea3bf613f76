"""Swedish amounts: "64 410 035", "30,6 mnkr", "- 202 706", "200 tkr", "50000000".

Three entry points:
- `parse_amount`: a text that is one amount (a table cell, a total).
- `find_money`: amounts with a unit inside running text (list items, prose).
- `read_cell`: a cell that may hold several amounts ("5 600 891 1 666 667 50 789 293 =
  58 056 851"). Spaces both group digits and separate amounts, so a cell can often be
  split several ways; the written result (the sum constraint) chooses between them, and
  what it cannot decide is reported as ambiguous rather than guessed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

import regex as re

from pipeline.model import Amount, Segment
from pipeline.vocab import GROUP_SEPARATORS, MINUS_SIGNS, UNIT_MULTIPLIER, UNIT_SPELLINGS

_SEP = f"[{re.escape(GROUP_SEPARATORS)}]"
_SEP_RE = re.compile(_SEP)
_SPACES_RE = re.compile(r"\s+")
_MINUS = re.escape(MINUS_SIGNS)
_UNIT_WORDS = "|".join(re.escape(u) for u in sorted(UNIT_SPELLINGS, key=len, reverse=True))
UNIT_RE = re.compile(rf"(?<![\p{{L}}])(?:{_UNIT_WORDS})(?![\p{{L}}])", re.IGNORECASE)
# At most 15 integer digits (under 10^15 kr): longer digit strings are identifiers, not money.
MAX_DIGITS = 15
_NUMBER = rf"(?:\d{{1,3}}(?:{_SEP}\d{{3}}){{1,4}}|\d{{1,{MAX_DIGITS}}})(?:{_SEP}?,{_SEP}?\d+)?"
_MONEY_RE = re.compile(
    rf"(?<![\d,.\p{{L}}])(?P<sign>[{_MINUS}]{_SEP}?)?(?P<num>{_NUMBER}){_SEP}*"
    rf"(?P<unit>{_UNIT_WORDS})(?![\p{{L}}])",
    re.IGNORECASE,
)
_WHOLE_RE = re.compile(
    rf"^\s*(?P<sign>[{_MINUS}]\s?)?(?P<num>{_NUMBER})\s*(?P<unit>{_UNIT_WORDS})?\s*[.:]?\s*$",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"^\s*(?:19|20)\d{2}\s*$")
_TOKEN_RE = re.compile(
    rf"(?P<num>\d+(?:,\d+)?)|(?P<sign>[{_MINUS}])|(?P<plus>\+)|(?P<eq>=)|(?P<slash>/)"
    rf"|(?P<space>{_SEP}+)|(?P<other>.)"
)
MAX_OPTIONAL_BREAKS = 12
MAX_OPTIONS = 8  # other readings of one cell kept for the table's total to decide
SCALE_SPREAD = 1000  # figures of one cell further apart than this are a misgrouping


def canonical_unit(word: str | None) -> str | None:
    if not word:
        return None
    return UNIT_SPELLINGS.get(_SPACES_RE.sub(" ", word.strip().lower()))


def unit_in(text: str) -> str | None:
    """The money unit named in a header or caption ("Miljoner kronor", "(kronor)", "Belopp i kr")."""
    found = [canonical_unit(m.group(0)) for m in UNIT_RE.finditer(text or "")]
    return found[-1] if found else None


def to_amount(value: Decimal, decimals: int, unit: str, text: str = "") -> Amount:
    """Kronor from a value written in `unit`; precision is half the last written digit."""
    mult = UNIT_MULTIPLIER[unit]
    exact = value * mult
    sek = int(exact.to_integral_value(rounding=ROUND_HALF_EVEN))
    if unit == "kr" and decimals == 0:
        precision = 0
    else:
        precision = int(mult / (Decimal(10) ** decimals) / 2)
        if exact != sek:
            precision = max(precision, 1)
    return Amount(sek=sek, precision=precision, unit=unit, text=text.strip())


def _number(num: str) -> tuple[Decimal, int]:
    digits = _SEP_RE.sub("", num)
    whole, _, frac = digits.partition(",")
    return Decimal(f"{whole}.{frac}" if frac else whole), len(frac)


def is_year(text: str) -> bool:
    return bool(_YEAR_RE.match(text or ""))


def parse_amount(text: str, unit: str | None = None) -> Amount | None:
    """One amount filling the whole text; a unit written in it wins over `unit` (default kr)."""
    m = _WHOLE_RE.match(text or "")
    if not m:
        return None
    value, decimals = _number(m.group("num"))
    if m.group("sign"):
        value = -value
    used = canonical_unit(m.group("unit")) or unit or "kr"
    return to_amount(value, decimals, used, m.group(0))


@dataclass
class MoneyMatch:
    start: int
    end: int
    amount: Amount


def find_money(text: str) -> list[MoneyMatch]:
    """Amounts followed by a money unit in running text ("0,6 mnkr", "1 ,5 mnkr", "200 tkr")."""
    out = []
    for m in _MONEY_RE.finditer(text or ""):
        unit = canonical_unit(m.group("unit"))
        if unit is None:
            continue
        value, decimals = _number(m.group("num"))
        if m.group("sign") and m.start() > 0 and not text[m.start() - 1].isspace():
            value = -value
        out.append(MoneyMatch(m.start(), m.end(), to_amount(value, decimals, unit, m.group(0))))
    return out


def strip_unit(text: str) -> tuple[str, str | None]:
    """Cell text without its unit words, and the unit they named."""
    units = [canonical_unit(m.group(0)) for m in UNIT_RE.finditer(text)]
    return UNIT_RE.sub(" ", text), (units[-1] if units else None)


_DATE_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}-[01]\d-[0-3]\d(?!\d)")
_RANGE_RE = re.compile(r"^\s*\d{1,3}[-\u2013]\d{1,3}\s*$")  # "2-20", "5–12" (years, ages): a range


_NUMERIC_BODY_RE = re.compile(rf"[\d\s{re.escape(GROUP_SEPARATORS + ',=/+' + MINUS_SIGNS)}]+")


@lru_cache(maxsize=1 << 16)
def looks_numeric(text: str) -> bool:
    """True when the text holds amounts and nothing else (signs, '=', '/', '+', units).
    Cached: a report asks it of the same cell texts many times."""
    body, _ = strip_unit(text or "")
    body = body.strip().rstrip(".:")
    if _DATE_RE.search(body) or _RANGE_RE.search(body):
        return False  # "2023-12-31" is a date (a column header), not 2023 - 12 - 31; "2-20" a range
    return bool(body) and bool(_NUMERIC_BODY_RE.fullmatch(body)) and any(ch.isdigit() for ch in body)


# ---------------------------------------------------------------- multi-amount cells
@dataclass(frozen=True)
class Number:
    value: Decimal
    decimals: int


@dataclass
class CellReading:
    """What a cell's figures mean: components and, where written, the result."""

    components: list[Number]
    result: Number | None
    basis: str  # single | equals | underline | sum | list
    ambiguous: bool = False
    alternatives: list[list[Decimal]] = field(default_factory=list)
    # Other readings of a cell of several figures whose digit groups allow them ("100 000
    # 200 000 300 000": three figures, or two and their result, or 100 000 and 200 000 300
    # 000): (components, result); the table's own total decides between them.
    options: list[tuple[list[Number], Number | None]] = field(default_factory=list)

    @property
    def single(self) -> Number | None:
        return self.components[0] if self.basis == "single" else None


@dataclass
class _Run:
    groups: list[str]
    negative: bool
    segment: int
    after_eq: bool


def _tokenize(parts: tuple[Segment, ...]) -> list[_Run] | None:
    """Runs of digit groups: a run is broken by signs, '=', '/', '+' and segment borders."""
    runs: list[_Run] = []
    after_eq = False
    for si, seg in enumerate(parts):
        body, _ = strip_unit(seg.text)
        current: _Run | None = None
        pending_negative = False
        for m in _TOKEN_RE.finditer(body):
            kind = m.lastgroup
            if kind == "num":
                if current is None:
                    current = _Run([], pending_negative, si, after_eq)
                    runs.append(current)
                    pending_negative = False
                elif "," in current.groups[-1]:
                    current = _Run([], False, si, after_eq)
                    runs.append(current)
                current.groups.append(m.group())
            elif kind == "space":
                continue
            elif kind == "other":
                if m.group() in ".:" or m.group().isspace():
                    continue
                return None
            else:
                current = None
                if kind == "sign":
                    pending_negative = True
                elif kind == "eq":
                    after_eq = True
    return runs


def _head_ok(group: str, alone: bool) -> bool:
    digits = group.split(",")[0]
    if len(digits) > 1 and digits[0] == "0":
        return False
    return alone or len(digits) <= 3


def _partitions(run: _Run) -> list[list[Number]]:
    """Every way of reading a run of digit groups as numbers, fewest numbers first."""
    g = run.groups
    required, optional = [], []
    for i in range(1, len(g)):
        prev, cur = g[i - 1], g[i]
        can_be_tail = len(cur.split(",")[0]) == 3 and "," not in prev
        if not can_be_tail:
            required.append(i)
        elif _head_ok(cur, alone=False):
            optional.append(i)
    if len(optional) > MAX_OPTIONAL_BREAKS:
        optional = []
    out: list[list[Number]] = []
    chunks: dict[tuple[int, int], Number | None] = {}  # groups a..b as one number (None: cannot be)

    def number(a: int, b: int) -> Number | None:
        if (a, b) not in chunks:
            chunk = g[a:b]
            ok = _head_ok(chunk[0], alone=(b - a == 1)) and len("".join(chunk).split(",")[0]) <= MAX_DIGITS
            chunks[a, b] = Number(*_number(" ".join(chunk))) if ok else None
        return chunks[a, b]

    for k in range(len(optional) + 1):
        for extra in itertools.combinations(optional, k):
            cuts = sorted(set(required) | set(extra))
            bounds = [0, *cuts, len(g)]
            numbers = []
            ok = True
            for a, b in itertools.pairwise(bounds):
                found = number(a, b)
                if found is None:
                    ok = False
                    break
                numbers.append(found)
            if ok:
                if run.negative:
                    numbers[0] = Number(-numbers[0].value, numbers[0].decimals)
                out.append(numbers)
    return out


def read_cell(parts: tuple[Segment, ...]) -> CellReading | None:
    """Read the figures of a cell; None when it holds no figures or other text."""
    runs = _tokenize(parts)
    if not runs:
        return None
    options = [_partitions(r) for r in runs]
    if any(not o for o in options):
        return None
    underlined = [i for i, s in enumerate(parts) if s.underline]
    last_u = max(underlined) if underlined else None
    readings: list[tuple[list[Number], list[Number]]] = []  # (before result, result part)
    for combo in itertools.product(*options):
        pre: list[Number] = []
        post: list[Number] = []
        for run, nums in zip(runs, combo, strict=True):
            is_post = run.after_eq or (last_u is not None and run.segment > last_u)
            (post if is_post else pre).extend(nums)
        readings.append((pre, post))
        if len(readings) > 4096:
            break

    explicit = any(r.after_eq for r in runs) or (last_u is not None and any(r.segment > last_u for r in runs))
    if explicit:
        basis = "equals" if any(r.after_eq for r in runs) else "underline"
        cands = [(pre, post[0]) for pre, post in readings if len(post) == 1 and pre]
        if basis == "underline" and cands and min(len(pre) for pre, _ in cands) == 1:
            # One figure before a ruled one is not a sum of one part: "47 488 234 996" is two
            # figures of two columns run together (nor is it 47 + 488 = 234 996).
            cands = [(pre, post) for pre, post in cands if len(pre) == 1 and pre[0].value == post.value]
            if not cands:
                return CellReading(min(readings, key=lambda r: len(r[0]) + len(r[1]))[0], None, "list")
        if not cands:
            return None
        return _choose(cands, basis)

    fewest = min(readings, key=lambda r: len(r[0]))[0]
    if len(fewest) == 1:
        return CellReading(fewest, None, "single")
    # Without '=' or an underline, the last figure is a result only in the natural
    # grouping (fewest numbers) and only when the others add up to it.
    natural = [pre for pre, _ in readings if len(pre) == len(fewest)]
    summed = [(p[:-1], p[-1]) for p in natural if len(p) >= 3 and sum(n.value for n in p[:-1]) == p[-1].value]
    chosen = _choose(summed, "sum") if summed else CellReading(fewest, None, "list")
    if len(natural) == 1 and _plausible(fewest):
        return chosen  # one way to read the fewest figures, and a likely one: no doubt
    options = _options([pre for pre, _ in readings], len(fewest), chosen)
    if options and not _plausible(chosen.components):
        # the fewest figures are a misgrouping ("100 000 | 200 000 300 000"): the first
        # plausible reading, parts and their result before a plain list, is read instead
        comps, result = next((o for o in options if o[1] is not None), options[0])
        chosen = CellReading(comps, result, "sum" if result is not None else "list")
        options = [o for o in options if o != (comps, result)]
    chosen.options = options
    return chosen


def _plausible(numbers: list[Number]) -> bool:
    """Figures of one cell within a factor SCALE_SPREAD of each other: "24 796 007 5 052 676"
    is not 24 and 796 007 5 052 676."""
    sizes = [abs(n.value) for n in numbers if n.value]
    return not sizes or max(sizes) <= SCALE_SPREAD * min(sizes)


Option = tuple[list[Number], Number | None]  # components, result


def _options(readings: list[list[Number]], fewest: int, chosen: CellReading) -> list[Option]:
    """The other readings with as few figures as the chosen one, or one more: as a list of
    figures, and as parts and their result where the last is the sum of the others."""
    out: list[Option] = []
    taken = (chosen.components, chosen.result)
    for pre in readings:
        if len(pre) > fewest + 1 or not _plausible(pre):
            continue
        candidates: list[Option] = [(pre, None)]
        if len(pre) >= 3 and sum(n.value for n in pre[:-1]) == pre[-1].value:
            candidates.append((pre[:-1], pre[-1]))
        out.extend(c for c in candidates if c != taken and c not in out)
    return out[:MAX_OPTIONS]


def _choose(cands: list[tuple[list[Number], Number]], basis: str) -> CellReading:
    """Prefer readings whose components add up to the result, then the fewest numbers."""
    adding = [c for c in cands if sum(n.value for n in c[0]) == c[1].value]
    pool = adding or cands
    best_len = min(len(c[0]) for c in pool)
    best = [c for c in pool if len(c[0]) == best_len]
    if adding and len(best) > 1:
        alts = [[n.value for n in c[0]] for c in best]
        return CellReading(best[0][0], best[0][1], basis, ambiguous=True, alternatives=alts)
    comps, result = best[0]
    return CellReading(comps, result, basis)


def sek(value: int | None) -> str:
    """'-16 000 kr': kronor written the Swedish way, for messages."""
    if value is None:
        return "-"
    return f"{value:,} kr".replace(",", " ")
