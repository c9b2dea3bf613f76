"""The spool (pipeline/spool.py): a batch streamed to disk document by document must give
the bytes a write of the whole batch at once gives, isolate a document that fails the
schemas, hold no rows in memory, and leave nothing behind."""

from __future__ import annotations

from dataclasses import replace

import pytest

import pipeline.run as run_module
import pipeline.spool as spool_module
from pipeline.errors import DatasetError
from pipeline.load import dataset_files, to_frames
from pipeline.model import Check
from pipeline.outdir import remove_leftovers, scratch
from pipeline.run import collect_inputs, run
from pipeline.spool import Spool
from tests.conftest import SEED_PDFS, SEED_TEXTS

CSVS = ("documents.csv", "tables.csv", "line_items.csv", "checks.csv", "grants.csv")


def _inputs():
    """The seeds in reverse order: input order is not the dataset's doc_id order."""
    return list(reversed(collect_inputs([*SEED_TEXTS, *SEED_PDFS])))


def test_the_spooled_dataset_is_the_bytes_of_the_whole_batch_written_at_once(monkeypatch):
    monkeypatch.setattr(spool_module, "GROUP", 3)  # several groups, one of them short
    whole = dataset_files(to_frames(run(_inputs()).extractions), {})
    with Spool() as spool:
        result = run(_inputs(), spool=spool)
        spooled = spool.files()
        assert spool.documents == len(SEED_TEXTS) + len(SEED_PDFS)
    assert not result.failures
    for name in CSVS:
        assert spooled[name] == whole[name], name
    assert spooled["checks.csv"].count(b"\n") > 50


def test_light_views_hold_no_rows_and_only_the_checks_across_the_batch():
    with Spool() as spool:
        result = run(_inputs(), spool=spool)
    assert all(not t.rows for x in result.extractions for t in x.tables)
    kinds = {c.kind for x in result.extractions for c in x.checks}
    assert kinds and kinds <= {"prior_year", "cross_document"}


@pytest.mark.parametrize("spooled", [True, False], ids=["spool", "in memory"])
def test_a_document_that_fails_the_schemas_is_reported_and_the_others_are_written(monkeypatch, spooled):
    bad = SEED_TEXTS[1].name
    real = run_module.reconcile

    def broken(source):
        x = real(source)
        if x.source.doc_id == bad:  # a bug that one document trips: a status no schema allows
            x.checks.append(replace(x.checks[0], status="perhaps"))
        return x

    monkeypatch.setattr(run_module, "reconcile", broken)
    monkeypatch.setattr(spool_module, "GROUP", 4)
    with Spool() as spool:
        result = run(_inputs(), spool=spool if spooled else None)
        files = spool.files() if spooled else dataset_files(to_frames(result.extractions), {})
    assert [f.split(": ")[0] for f in result.failures] == [bad]
    assert "internal error, output fails the schemas" in result.failures[0]
    documents = files["documents.csv"].decode("utf-8")
    assert bad not in documents and documents.count("\n") == len(SEED_TEXTS) + len(SEED_PDFS)


def test_a_spool_left_by_a_killed_run_is_removed_by_the_next(tmp_path):
    target = tmp_path / "out"
    folder = scratch(target)
    spool = Spool(folder)
    spool._files["checks"].write(b"half a row")  # a run killed midway: files open, nothing closed
    assert folder.parent == tmp_path and folder.name.startswith(".out.tmp-")
    remove_leftovers(target)
    assert not folder.exists()
    spool.close()


def test_a_check_across_the_batch_that_fails_the_schema_stops_the_write():
    with Spool() as spool:
        result = run(_inputs(), spool=spool)
        view = result.extractions[0]
        view.checks.append(Check(kind="cross_document", table_id="no-such-table", row=None, line=1, page=1,
                                 stated=1, computed=1, tolerance=0, status="ok", message="m"))  # fmt: skip
        with pytest.raises(DatasetError) as raised:
            spool.add_across(result.extractions)
    assert "no match in tables.csv" in str(raised.value)
