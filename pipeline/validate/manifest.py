"""manifest.json against the files it describes: every input that is `ok` is in
documents.csv with the same sha256, format and pages, and its counts of tables, rows and
findings are those of the CSV files; a failed input has no rows; nothing is unlisted."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.errors import DatasetError

MANIFEST = "manifest.json"
_INPUT_KEYS = {"path", "sha256", "format", "pages", "status", "tables", "rows", "findings"}


def _plain(value):
    return None if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else value


def check_manifest(folder: Path, frames: dict[str, pd.DataFrame]) -> None:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatasetError(f"{path}: missing") from None
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{path}: not readable JSON ({exc})") from None
    problems: list[str] = []
    inputs = manifest.get("inputs") if isinstance(manifest, dict) else None
    if not isinstance(inputs, list) or not all(isinstance(i, dict) and i.keys() >= _INPUT_KEYS for i in inputs):
        raise DatasetError(f"{path}: no list of inputs with {', '.join(sorted(_INPUT_KEYS))}")
    docs = {str(r["doc_id"]): r for r in frames["documents"].to_dict("records")}
    count = {name: Counter(str(d) for d in frames[name]["doc_id"]) for name in ("tables", "line_items")}
    checks = frames["checks"]
    findings = Counter(str(d) for d in checks.loc[checks["status"] == "mismatch", "doc_id"])
    listed = set()
    for item in inputs:
        doc_id = str(item["path"])
        if item["status"] != "ok":
            if doc_id in docs:
                problems.append(f"{doc_id}: listed as failed but has rows in documents.csv")
            continue
        listed.add(doc_id)
        doc = docs.get(doc_id)
        if doc is None:
            problems.append(f"{doc_id}: listed as ok but missing from documents.csv")
            continue
        for key, ours in (("sha256", doc["sha256"]), ("format", doc["format"]), ("pages", doc["pages"])):
            if _plain(ours) != item[key]:
                problems.append(f"{doc_id}: {key} is {item[key]!r} in the manifest, {_plain(ours)!r} in documents.csv")
        for key, found in (
            ("tables", count["tables"][doc_id]),
            ("rows", count["line_items"][doc_id]),
            ("findings", findings[doc_id]),
        ):
            if item[key] != found:
                problems.append(f"{doc_id}: the manifest counts {item[key]} {key}, the CSV files {found}")
    problems += [f"{doc_id}: in documents.csv but not listed in the manifest" for doc_id in sorted(set(docs) - listed)]
    if problems:
        raise DatasetError(f"{path} does not match the dataset:\n  " + "\n  ".join(problems[:20]))
