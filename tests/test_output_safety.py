"""What leaves the pipeline is plain data: no personal data of report authors, no e-mail
addresses, no control characters, nothing a spreadsheet would run as a formula."""

from __future__ import annotations

import csv

import regex as re
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import SEED_TEXTS

EMAIL_RE = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
# A letterhead line that is only a personal name: "Helen Persson".
NAME_LINE_RE = re.compile(r"^\s*(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)? \p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)\s*$")


def _author_names() -> set[str]:
    names = set()
    for path in SEED_TEXTS:
        for line in path.read_text(encoding="utf-8").split("\n")[:15]:
            m = NAME_LINE_RE.match(line)
            if m and not m.group(1).startswith("Region "):
                names.add(m.group(1))
    return names


def test_no_author_names_or_email_addresses_anywhere_in_the_dataset(dataset):
    names = _author_names()
    assert names, "the seeds' letterheads name their authors; the scan must look for them"
    for path in sorted(dataset.iterdir()):
        text = path.read_text(encoding="utf-8")
        assert not EMAIL_RE.search(text), path.name
        assert not [n for n in names if n in text], path.name


def test_cells_are_plain_data(tmp_path):
    export = tmp_path / "crafted.txt"
    export.write_text(
        "## Uppföljning 2022\n\n"
        "Bidrag\tkronor\tKommentar\n"
        '=HYPERLINK("http://x")\t100\tkontakt: anna.andersson@example.se\n'
        "@SUM(1)\t200\t-2+3+cmd|' /C calc'!A0\n"
        "+ läns gemensamma medel\t300\tvanlig\x07 text\n"
        "<b>Totalt</b>\t<b>600</b>\t\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["extract", str(export), "--out", str(out)]).exit_code == 0
    with (out / "line_items.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    cells = {(r["label"], r["comment"]) for r in rows}
    assert cells == {
        ('\'=HYPERLINK("http://x")', "kontakt: [e-post]"),
        ("'@SUM(1)", "'-2+3+cmd|' /C calc'!A0"),
        ("+ läns gemensamma medel", "vanlig  text"),
    }
    for path in out.iterdir():
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", path.read_text(encoding="utf-8")), path.name
