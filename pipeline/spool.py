"""Rows of finished documents kept on disk until the dataset is written, so that a batch of
hundreds of reports is never held in memory whole (memory stays flat as the batch grows).

A finished document's rows are rendered by the loader's own functions (load.to_frames, the
CSV writer), so the bytes are the ones a write of the whole batch at once gives, and
appended to one spool file per table. Documents are checked against the schemas a few at a
time (pandera's cost is per call), and one by one only when a group fails, so that a
document which trips a bug is reported failed and the others are written. What the checks
across the batch need stays in memory as a light view: the extraction without its rows and
its own checks (`light`). The files are then put together in doc_id order, each document's
checks followed by the checks across the batch about it.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pandas as pd

from pipeline.errors import DatasetError
from pipeline.load import check_records, csv_bytes, frame, to_frames
from pipeline.model import Extraction
from pipeline.validate.schema import RESOURCES, validate_frames

GROUP = 16  # documents checked against the schemas at once


def light(x: Extraction) -> Extraction:
    """What the checks across the batch read of a document: its metadata, grants, text
    and money records, and its tables' stated totals; no rows, and no checks of its own
    (those are in the spool), so the checks across the batch are all its checks list holds."""
    tables = [replace(t, rows=[]) for t in x.tables]
    return replace(x, tables=tables, checks=[], printed={}, key_figures=[])


def checked(extractions: list[Extraction]) -> tuple[list[Extraction], dict[str, pd.DataFrame], list[tuple[str, str]]]:
    """The documents whose rows pass the schemas, their frames, and (doc_id, reason) of the
    others. All are checked at once (pandera's cost is per call); only if that fails, one
    by one, so that a document which trips a bug fails alone."""
    frames = to_frames(extractions)
    try:
        validate_frames(frames)
        return extractions, frames, []
    except DatasetError:
        pass
    kept, failed = [], []
    for x in extractions:
        try:
            validate_frames(to_frames([x]))
        except DatasetError as exc:
            failed.append((x.source.doc_id, " ".join(str(exc).split())[:200]))
            continue
        kept.append(x)
    return kept, to_frames(kept), failed


def _rows_of(x: Extraction) -> dict[str, int]:
    """How many rows of each table to_frames makes of a document."""
    return {
        "documents": 1,
        "tables": len(x.tables),
        "line_items": sum(len(t.rows) for t in x.tables),
        "checks": len(x.checks),
        "grants": len(x.grants),
    }


class Spool:
    """One spool folder per run: `folder` (the CLI's is beside --out, on the dataset's disk),
    else one in the system's temporary folder; removed with what it holds by `close`."""

    def __init__(self, folder: Path | None = None) -> None:
        self._dir = folder or Path(tempfile.mkdtemp(prefix="pipeline-spool-"))
        self._files = {name: (self._dir / f"{name}.csv").open("w+b") for name in RESOURCES}
        self._places: dict[str, dict[str, tuple[int, int]]] = {}  # doc_id -> table -> (offset, length)
        self._waiting: list[Extraction] = []
        self._across: dict[str, bytes] = {}  # doc_id -> its checks across the batch, as CSV rows
        self.tables = 0
        self.rows = 0
        self.findings = 0

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def add(self, x: Extraction) -> list[tuple[str, str]]:
        """Take a finished document; (doc_id, reason) of any that failed the schemas."""
        self._waiting.append(x)
        return self.flush() if len(self._waiting) >= GROUP else []

    def flush(self) -> list[tuple[str, str]]:
        """Write the waiting documents to the spool; (doc_id, reason) of those left out."""
        waiting = sorted(self._waiting, key=lambda x: x.source.doc_id)  # as to_frames orders them
        self._waiting = []
        if not waiting:
            return []
        waiting, frames, failed = checked(waiting)
        start = dict.fromkeys(RESOURCES, 0)
        for x in waiting:
            counts = _rows_of(x)
            self._write(x.source.doc_id, {n: frames[n].iloc[start[n] : start[n] + counts[n]] for n in RESOURCES})
            start = {n: start[n] + counts[n] for n in RESOURCES}
        return failed

    def _write(self, doc_id: str, frames: dict[str, pd.DataFrame]) -> None:
        places = {}
        for name in RESOURCES:
            data = csv_bytes(frames[name], header=False)
            f = self._files[name]
            places[name] = (f.tell(), len(data))
            f.write(data)
        self._places[doc_id] = places
        self.tables += len(frames["tables"])
        self.rows += len(frames["line_items"])
        self.findings += int((frames["checks"]["status"] == "mismatch").sum())

    def add_across(self, views: list[Extraction]) -> None:
        """The checks across the batch (in each view's checks), checked against the schema
        with the spooled documents and tables as the keys they refer to."""
        records = [r for x in views for r in check_records(x.source.doc_id, x.checks)]
        checks = frame("checks", records)
        documents = frame("documents", [{"doc_id": d} for d in self._places])
        tables = frame("tables", [{"doc_id": x.source.doc_id, "table_id": t.table_id} for x in views for t in x.tables])
        validate_frames({"checks": checks}, references={"documents": documents, "tables": tables})
        self.findings += int((checks["status"] == "mismatch").sum())
        for x in views:
            if x.checks:
                rows = frame("checks", check_records(x.source.doc_id, x.checks))
                self._across[x.source.doc_id] = csv_bytes(rows, header=False)

    @property
    def documents(self) -> int:
        return len(self._places)

    def files(self) -> dict[str, bytes]:
        """Every CSV file of the dataset: the header, then each document's rows in doc_id order."""
        out = {}
        order = sorted(self._places)
        for name in RESOURCES:
            f = self._files[name]
            f.flush()
            parts = [csv_bytes(frame(name, []), header=True)]
            for doc_id in order:
                offset, length = self._places[doc_id][name]
                f.seek(offset)
                parts.append(f.read(length))
                if name == "checks":
                    parts.append(self._across.get(doc_id, b""))
            f.seek(0, 2)
            out[f"{name}.csv"] = b"".join(parts)
        return out
