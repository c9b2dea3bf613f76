"""Fuzzing the text path: mutated seed exports (lines deleted, duplicated or cut, separators
swapped, random unicode inserted, the file truncated) never raise anything but a clear
InputError, always give tables that pass the schemas, and every row, table and check
points at a line that exists.

CI runs 500 examples from a fixed seed; `FUZZ_EXAMPLES=5000 FUZZ_RANDOM=1 pytest
tests/test_fuzz.py` explores further with fresh randomness.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.extract import extract
from pipeline.load import to_frames
from pipeline.read import read_text
from pipeline.validate.reconcile import reconcile
from pipeline.validate.schema import validate_frames
from tests.conftest import SEED_TEXTS

SEEDS = [p.read_text(encoding="utf-8").split("\n") for p in SEED_TEXTS]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "500"))
SWAPS = [("\t", "    "), ("    ", "\t"), (" ", "\u00a0"), (",", "."), ("-", "\u2212"), ("<b>", ""), ("\t", "\t\t")]


@st.composite
def mutated_export(draw) -> str:
    lines = list(draw(st.sampled_from(SEEDS)))
    start = draw(st.integers(0, max(0, len(lines) - 20)))
    lines = lines[start : start + draw(st.integers(20, 200))]
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, len(lines) - 1)) if lines else 0
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "unicode", "cut"]))
        if not lines:
            lines = [draw(st.text(max_size=40))]
        elif kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            old, new = draw(st.sampled_from(SWAPS))
            lines[i] = lines[i].replace(old, new)
        elif kind == "unicode":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.text(min_size=1, max_size=12)) + lines[i][at:]
        else:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    text = "\n".join(lines)
    return text[: draw(st.integers(0, len(text)))] if draw(st.booleans()) else text


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated_export())
def test_mutated_exports_never_break_the_pipeline(text):
    data = text.encode("utf-8")
    try:
        extraction = reconcile(extract(read_text(data, "fuzz.txt", "fuzz.txt")))
    except InputError as exc:
        assert str(exc).startswith("fuzz.txt: ") and "\n" not in str(exc)
        return
    validate_frames(to_frames([extraction]))
    last = text.count("\n") + 1
    places = [(t.line, t.page) for t in extraction.tables]
    places += [(r.line, r.page) for t in extraction.tables for r in t.rows]
    places += [(c.line, c.page) for c in extraction.checks if c.line is not None]
    assert all(1 <= line <= last for line, _ in places), (places, last)
