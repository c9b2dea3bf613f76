"""Every text cell that leaves the pipeline as plain data: no e-mail addresses (personal
data), no control characters, and nothing a spreadsheet would run as a formula.

One guard for every string cell of every CSV, ids and file names included: a report
named "=HYPERLINK(...).txt" must not put a formula into `doc_id` in five files.
"""

from __future__ import annotations

import regex as re

EMAIL_PLACEHOLDER = "[e-post]"
_EMAIL_RE = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What a spreadsheet reads as the start of a formula (a tab or CR counts too).
_FORMULA_START_RE = re.compile(r"^[=@+\-\t\r]")
# Figures and lists of figures ("-202 706 kr", "- 6 279", "-5;-3", "-"): a sign only at the
# start of a figure, letters only in a short unit, so no arithmetic, function or reference.
_FIGURES_RE = re.compile(r"^[+\-]\s?[\d\s.,:%]*(?:;[+\-]?\s?[\d\s.,:%]*)*(?:\p{L}{1,6}\.?)?$")
# A list marker and words ("+ läns medel", "- Stöd till ..."), with none of the characters a
# formula needs to call a function, reach another sheet or program (DDE), or compare.
_LIST_ITEM_RE = re.compile(r"^[+\-] \p{L}[^=()!@]*$")


def is_formula_like(text: str) -> bool:
    return bool(_FORMULA_START_RE.match(text)) and not (_FIGURES_RE.match(text) or _LIST_ITEM_RE.match(text))


def plain_cell(text: str) -> str:
    """`text` with e-mail addresses replaced and control characters blanked; a
    formula-like start gets a leading apostrophe, the spreadsheet convention for text."""
    text = _EMAIL_RE.sub(EMAIL_PLACEHOLDER, _CONTROL_RE.sub(" ", text))
    return "'" + text if is_formula_like(text) else text
