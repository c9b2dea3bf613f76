"""The quality report: how well each document was read, without gold. Its amount coverage
counts the amounts printed in table lines and list items that landed in the dataset; a
table missed, or a row dropped, shows as a lower coverage."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import EXTRACTED, SHARED, run_extract

REPORT = """# Driftredovisning

Alla belopp i kronor.

Verksamhet\tUtfall\tBudget
Bibliotek\t1 200 000\t1 250 000
Museum\t800 000\t790 000
Summa\t2 000 000\t2 040 000

## Lokaler

Lokal\tHyra
Stadshuset\t9 562 000
Biblioteket\t100 000
Bad\t
"""


def _extract(tmp_path: Path, text: str) -> tuple[dict, str]:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    output = run_extract([tmp_path / "r.txt"], tmp_path / "out")
    (entry,) = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    return entry["quality"], output


def test_every_amount_in_a_table_read_whole_is_covered(tmp_path):
    quality, output = _extract(tmp_path, REPORT)
    assert quality == {
        "tables_with_total": 2,
        "ok": 2,
        "mismatch": 0,
        "ambiguous": 0,
        "amounts": 8,
        "amounts_in_dataset": 8,
        "amount_coverage": 1.0,
    }
    assert "amounts" in output and "coverage" in output  # extract ends with the table


def test_a_table_missed_lowers_the_coverage(tmp_path):
    """A table the layout cannot read (a column of more words than figures) in a report
    about money, or a memo row left under a reconciled table: their figures count as
    printed, and are not in the dataset."""
    unread = REPORT + "\n## Övrigt\n\nPost\tBelopp\nHyror\t1 500 000\nAvgifter\tse ovan\nBad\tingen uppgift\n"
    memo = REPORT.replace(
        "Summa\t2 000 000\t2 040 000\n", "Summa\t2 000 000\t2 040 000\nEget kapital\t366 000\t395 000\n"
    )
    for name, text in (("unread", unread), ("memo", memo)):
        quality, _ = _extract(tmp_path / name, text)
        assert quality["amounts_in_dataset"] < quality["amounts"], name
        assert quality["amount_coverage"] < 1.0


def test_stats_prints_the_dataset_worst_first(tmp_path):
    result = CliRunner().invoke(main, ["stats", str(EXTRACTED)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:2] == ["document", "pages"]
    coverage = [float(line.split()[-1]) for line in lines[1:]]
    assert len(coverage) == 10 and coverage == sorted(coverage)
    assert CliRunner().invoke(main, ["stats", str(tmp_path)]).exit_code == 1  # no dataset here


def test_the_shared_real_reports_with_gold_are_nearly_all_covered(tmp_path):
    """The real reports with gold: every amount in a table line lands in the dataset,
    except the memo rows and a key-figure table no gold counts as a table (README)."""
    names = [
        "corpus/real/278354_årsredovisning_stockholm_brf_the_brick_terra.pdf",
        "corpus/real/brf_268411.pdf",
        "corpus/peer/swedish/Bokslut_2025.pdf",
    ]
    out = tmp_path / "out"
    run_extract([SHARED / n for n in names], out)
    inputs = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    assert {i["path"]: i["quality"]["amount_coverage"] >= 0.95 for i in inputs} == {Path(n).name: True for n in names}
