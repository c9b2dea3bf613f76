"""Load stage: extractions -> DataFrames -> CSV files + datapackage.json, atomically.

Same input, same bytes out: rows in document order within documents sorted by doc_id, no
timestamps, integers for money, '\\n' line ends. The dataset is written into a temporary
folder beside the target and swapped in only once it is complete and valid.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import regex as re

from pipeline.model import Extraction
from pipeline.validate.manifest import MANIFEST
from pipeline.validate.reconcile import total_check
from pipeline.validate.schema import RESOURCES, columns, datapackage, dtypes, free_text, validate_frames

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


_EMAIL_RE = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FORMULA_RE = re.compile(r"^(?:[=@\t\r]|[+\-]\S)")
_SIGNED_NUMBER_RE = re.compile(r"^[+\-]\d[\d\s.,]*(?:\s?\p{L}{1,6}\.?)?$")
EMAIL_PLACEHOLDER = "[e-post]"


def plain_cell(text: str) -> str:
    """A text cell as plain data: no e-mail addresses (personal data), no control
    characters, and no start that a spreadsheet would run as a formula ("=", "@", "+x",
    "-x"): such a cell gets a leading apostrophe. "+ läns ..." and "- Stöd ..." (list
    markers followed by a space) and signed figures ("-202 706 kr") stay as written."""
    text = _EMAIL_RE.sub(EMAIL_PLACEHOLDER, _CONTROL_RE.sub(" ", text))
    return "'" + text if _FORMULA_RE.match(text) and not _SIGNED_NUMBER_RE.match(text) else text


def _frame(name: str, records: list[dict]) -> pd.DataFrame:
    cols = columns(name)
    df = pd.DataFrame.from_records(records, columns=cols)
    text_columns = free_text(name)
    for col, dtype in dtypes(name).items():
        values = [None if v is None or v == "" else v for v in df[col].tolist()]
        if col in text_columns:
            values = [None if v is None or pd.isna(v) else plain_cell(str(v)) for v in values]
        df[col] = pd.array(values, dtype=dtype)
    return df


def _join(values: list) -> str:
    return ";".join(str(v) for v in values)


def to_frames(extractions: list[Extraction]) -> dict[str, pd.DataFrame]:
    recs: dict[str, list[dict]] = {name: [] for name in RESOURCES}
    for x in sorted(extractions, key=lambda e: e.source.doc_id):
        doc, meta = x.source, x.metadata
        recs["documents"].append(
            {
                "doc_id": doc.doc_id,
                "source": doc.source,
                "sha256": doc.sha256,
                "format": doc.format,
                "pages": doc.pages,
                "title": meta.title,
                "doc_kind": meta.doc_kind or None,
                "covers_year": meta.covers_year,
                "date": meta.date,
                "diary_number": meta.diary_number,
                "organisation": meta.organisation,
            }
        )
        for t in x.tables:
            total = total_check(t)
            recs["tables"].append(
                {
                    "doc_id": doc.doc_id,
                    "table_id": t.table_id,
                    "page": t.page or 1,
                    "line": t.line,
                    "caption": t.caption,
                    "section": t.section,
                    "unit": t.unit,
                    "rows": len(t.rows),
                    "stated_total_sek": total.stated,
                    "stated_precision_sek": total.precision,
                    "computed_total_sek": total.computed,
                    "tolerance_sek": total.tolerance,
                    "difference_sek": total.difference,
                    "status": total.status,
                }
            )
            for n, r in enumerate(t.rows, 1):
                recs["line_items"].append(
                    {
                        "doc_id": doc.doc_id,
                        "table_id": t.table_id,
                        "row": n,
                        "page": r.page or 1,
                        "line": r.line,
                        "level": r.level,
                        "label": r.label,
                        "diary_numbers": _join(r.diary_numbers),
                        "amount_sek": r.amount.sek if r.amount else None,
                        "precision_sek": r.amount.precision if r.amount else None,
                        "components_sek": _join(r.components),
                        "comment": r.comment,
                        "source_text": r.source_text,
                    }
                )
        for c in x.checks:
            check_id = ".".join(p for p in (c.table_id, f"r{c.row}" if c.row else "", c.kind) if p)
            recs["checks"].append(
                {
                    "doc_id": doc.doc_id,
                    "check_id": check_id,
                    "kind": c.kind,
                    "table_id": c.table_id,
                    "row": c.row,
                    "page": (c.page or 1) if c.line else None,
                    "line": c.line,
                    "stated_sek": c.stated,
                    "computed_sek": c.computed,
                    "difference_sek": c.difference,
                    "tolerance_sek": c.tolerance,
                    "status": c.status,
                    "message": c.message,
                }
            )
        for g in x.grants:
            recs["grants"].append(
                {
                    "doc_id": doc.doc_id,
                    "covers_year": g.covers_year,
                    "organisation": meta.organisation,
                    "grant": g.grant,
                    "diary_numbers": _join(g.diary_numbers),
                    "category": g.category,
                    "amount_sek": g.amount_sek,
                    "comment": g.comment,
                    "page": g.page or 1,
                    "line": g.line,
                }
            )
    return {name: _frame(name, recs[name]) for name in RESOURCES}


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one atomic step (Linux renameat2 RENAME_EXCHANGE), so that
    `b` is at every moment either the old or the new dataset. False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_leftovers(out: Path) -> None:
    """Temporary folders that a killed run left beside `out`."""
    for kind in ("tmp", "old"):
        for stale in out.parent.glob(f".{out.name}.{kind}-*"):
            shutil.rmtree(stale, ignore_errors=True)


def write_dataset(frames: dict[str, pd.DataFrame], out: Path, manifest: dict | None = None) -> None:
    """Validate, then write every file into a fresh folder beside `out` and swap it in.

    A run killed at any moment leaves `out` as it was (or, after the swap, complete).
    """
    validate_frames(frames)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp's 0700 is for the temporary name, not the dataset
    try:
        for name in RESOURCES:
            frames[name].to_csv(tmp / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
        documents = {"datapackage.json": datapackage(), MANIFEST: manifest}
        for filename, document in documents.items():
            if document is not None:
                (tmp / filename).write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        for f in tmp.iterdir():
            with f.open("rb") as fh:
                os.fsync(fh.fileno())
        _fsync_dir(tmp)
        if not out.exists():
            os.rename(tmp, out)
        elif _exchange(tmp, out):
            shutil.rmtree(tmp, ignore_errors=True)  # it now holds the previous dataset
        else:  # no atomic exchange here: two renames, the old copy kept until the new one is in
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rename(out, old / out.name)
            os.rename(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        _fsync_dir(out.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def read_dataset(folder: Path) -> dict[str, pd.DataFrame]:
    """The CSV files of a dataset with their declared types (for `pipeline validate`)."""
    frames = {}
    for name in RESOURCES:
        path = folder / f"{name}.csv"
        if not path.exists():
            raise FileNotFoundError(f"{path}: missing")
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        for col, dtype in dtypes(name).items():
            if col not in raw.columns:
                continue
            values = [None if v == "" else v for v in raw[col].tolist()]
            if dtype == "Int64":
                values = [None if v is None else int(v) if v.lstrip("-").isdigit() else v for v in values]
                try:
                    raw[col] = pd.array(values, dtype="Int64")
                except (TypeError, ValueError):
                    raw[col] = pd.array([None if v is None else str(v) for v in values], dtype="string")
            else:
                raw[col] = pd.array(values, dtype="string")
        frames[name] = raw
    return frames
