"""manifest.json: what a dataset was made from, and proof that its files are whole.

It records each file the tool wrote with its sha256 and, for a CSV file, a short digest of
every record, so a file edited afterwards is caught and the edit placed on its line. It
lists every input with its outcome; an `ok` input is in documents.csv with the same
sha256, format and pages, and its counts of tables, rows and findings are those of the CSV
files; a failed input has no rows; nothing is unlisted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.errors import DatasetError
from pipeline.files import read_regular

MANIFEST = "manifest.json"
_INPUT_KEYS = {"path", "sha256", "format", "pages", "status", "tables", "rows", "findings"}
_DIGEST = 8  # hex characters of a record's digest: enough to place an edit, short enough to keep
_EDITED = "not as the pipeline wrote it (edited afterwards?)"
_MAX_BYTES = 2 * 1024**3  # a dataset file larger than this is not one this tool wrote


# ------------------------------------------------------------------ file integrity
def _records(data: bytes) -> list[tuple[int, str]]:
    """(first line, digest) of every CSV record, the header included."""
    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""))
    out, line = [], 1
    for record in reader:
        out.append((line, hashlib.sha256(json.dumps(record).encode()).hexdigest()[:_DIGEST]))
        line = reader.line_num + 1
    return out


def file_entry(name: str, data: bytes) -> dict:
    """What the manifest records of one written file."""
    entry: dict = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    if name.endswith(".csv"):
        entry["record_digests"] = "".join(d for _, d in _records(data))
    return entry


def _where_changed(name: str, data: bytes, entry: dict) -> str:
    digests = entry.get("record_digests")
    if not isinstance(digests, str):
        return f"{name}: {_EDITED}"
    expected = [digests[i : i + _DIGEST] for i in range(0, len(digests), _DIGEST)]
    found = _records(data)
    for n, ((line, digest), want) in enumerate(zip(found, expected, strict=False), start=1):
        if digest != want:
            what = "header" if n == 1 else f"row {n - 1}"
            return f"{name} line {line} ({what}): {_EDITED}"
    if len(found) != len(expected):
        return f"{name}: {len(found) - 1} rows, {len(expected) - 1} when the pipeline wrote it"
    return f"{name}: {_EDITED} (line ends or quoting)"


def changed_files(folder: Path, manifest: dict) -> list[str]:
    """Each file the manifest records that is missing, not a regular file, or not the
    bytes written (placed on its line); [] for a manifest that records no files (written
    by an earlier version)."""
    problems = []
    files = manifest.get("files")
    if not isinstance(files, dict):
        return []
    for name, entry in sorted(files.items()):
        if not isinstance(entry, dict) or Path(name).name != name:
            problems.append(f"{MANIFEST}: a malformed entry for {name!r}")
            continue
        try:
            data = read_regular(folder / name, _MAX_BYTES)
        except FileNotFoundError:
            problems.append(f"{name}: missing")
            continue
        except (OSError, ValueError) as exc:
            problems.append(f"{name}: {getattr(exc, 'strerror', None) or exc}")
            continue
        if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            problems.append(_where_changed(name, data, entry))
    return problems


# ------------------------------------------------------------------ the manifest itself
def is_ours(manifest: object) -> bool:
    """A manifest this tool wrote: its version and list of inputs."""
    return isinstance(manifest, dict) and isinstance(manifest.get("pipeline"), str) and isinstance(
        manifest.get("inputs"), list
    )


def load_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    try:
        manifest = json.loads(read_regular(path, _MAX_BYTES))
    except FileNotFoundError:
        raise DatasetError(f"{path}: missing") from None
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{path}: not readable JSON ({getattr(exc, 'strerror', None) or exc})") from None
    if not is_ours(manifest):
        raise DatasetError(f"{path}: not a manifest of this tool (no pipeline version and list of inputs)")
    return manifest


def _plain(value):
    return None if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else value


def check_manifest(folder: Path, frames: dict[str, pd.DataFrame], manifest: dict | None = None) -> None:
    path = folder / MANIFEST
    manifest = manifest if manifest is not None else load_manifest(folder)
    problems: list[str] = []
    inputs = manifest.get("inputs")
    if not isinstance(inputs, list) or not all(isinstance(i, dict) and i.keys() >= _INPUT_KEYS for i in inputs):
        raise DatasetError(f"{MANIFEST}: no list of inputs with {', '.join(sorted(_INPUT_KEYS))}")
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
        raise DatasetError(f"{path} does not match the dataset:", [f"{MANIFEST}: {p}" for p in problems[:20]])
