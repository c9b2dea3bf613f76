"""A standard client reads the dataset as published: frictionless-py, the reference
implementation of the Data Package standard, validates datapackage.json and every file it
describes (types, constraints, keys, foreign keys, the declared CSV dialect)."""

from __future__ import annotations

import json
import shutil

from frictionless import validate

from pipeline.load import check_records
from pipeline.model import Check
from tests.conftest import EXTRACTED


def _problems(folder) -> list[tuple]:
    report = validate(str(folder / "datapackage.json"))
    found = [(None, error.type, error.message) for error in report.errors]
    return found + [(task.name, error.type, error.message) for task in report.tasks for error in task.errors]


def test_the_committed_and_a_fresh_dataset_are_valid_data_packages(dataset):
    for folder in (EXTRACTED, dataset):
        assert _problems(folder) == [], folder


def test_the_validator_sees_a_broken_file(dataset, tmp_path):
    """The same check fails where the data breaks the declared schema: it can fail."""
    bad = tmp_path / "bad"
    shutil.copytree(dataset, bad)
    text = (bad / "checks.csv").read_text(encoding="utf-8")
    (bad / "checks.csv").write_text(text.replace(",mismatch,", ",wrong,", 1), encoding="utf-8")
    problems = _problems(bad)
    assert [p[:2] for p in problems] == [("checks", "constraint-error")], problems
    package = json.loads((bad / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["dialect"]["delimiter"] for r in package["resources"]} == {","}


def test_two_checks_of_one_kind_on_one_table_get_ids_of_their_own():
    """A table stating two totals that neither reconciles gives two `structure` doubts with
    no row: each is told by its place, so the pair never breaks checks.csv's primary key
    (the whole document failed the schemas before)."""
    doubts = [
        Check("structure", "t32", None, 27, 7, 9_759_253, None, None, "ambiguous", "stated total ..."),
        Check("structure", "t32", None, 26, 7, 1_129_174, None, None, "ambiguous", "stated total ..."),
    ]
    ids = [r["check_id"] for r in check_records("d.pdf", doubts)]
    assert ids == ["t32.structure", "t32.structure.p7l26"]
