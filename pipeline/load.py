"""Load stage: extractions -> DataFrames -> CSV files + datapackage.json, atomically.

Same input, same bytes out: rows in document order within documents sorted by doc_id, no
timestamps, integers for money, '\\n' line ends. The dataset is written into a temporary
folder beside the target and swapped in only once it is complete and valid.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from pipeline.errors import DatasetError
from pipeline.files import read_regular
from pipeline.model import Check, Extraction
from pipeline.outdir import publish
from pipeline.safe_text import plain_cell
from pipeline.validate.manifest import MANIFEST, file_entry
from pipeline.validate.reconcile import total_check
from pipeline.validate.schema import RESOURCES, columns, datapackage, dtypes, validate_frames


def frame(name: str, records: list[dict]) -> pd.DataFrame:
    """One table's records as a DataFrame of the schema's columns and types."""
    cols = columns(name)
    df = pd.DataFrame.from_records(records, columns=cols)
    for col, dtype in dtypes(name).items():
        values = [None if v is None or v == "" else v for v in df[col].tolist()]
        if dtype == "string":  # every text cell, ids and file names included
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
                "agreement_key": meta.agreement_key,
            }
        )
        keys = {(g.table_id, g.row): g.agreement_key for g in x.grants}
        for t in x.tables:
            total = total_check(t)
            recs["tables"].append(
                {
                    "doc_id": doc.doc_id,
                    "table_id": t.table_id,
                    "printed_table": t.printed_id,
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
                        "sign": r.sign,
                        "components_sek": _join(r.components),
                        "comment": r.comment,
                        "source_text": r.source_text,
                        "agreement_key": keys.get((t.table_id, n), ""),
                    }
                )
        recs["checks"].extend(check_records(doc.doc_id, x.checks))
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
                    "table_id": g.table_id,
                    "row": g.row,
                    "agreement_key": g.agreement_key,
                }
            )
    return {name: frame(name, recs[name]) for name in RESOURCES}


def check_records(doc_id: str, checks: list[Check]) -> list[dict]:
    out = []
    taken: set[str] = set()
    for c in checks:
        check_id = ".".join(p for p in (c.table_id, f"r{c.row}" if c.row else "", c.kind, *_other(c)) if p)
        if check_id in taken:  # a second check of one kind on one table (two stated totals): by its place
            check_id = f"{check_id}.p{c.page or 1}l{c.line or 0}"
        taken.add(check_id)
        out.append(
            {
                "doc_id": doc_id,
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
                "other_doc_id": c.other_doc_id,
                "other_table_id": c.other_table_id,
                "other_row": c.other_row,
                "other_page": c.other_page,
                "other_line": c.other_line,
            }
        )
    return out


def csv_bytes(df: pd.DataFrame, header: bool = True) -> bytes:
    """A table as the dataset writes it: UTF-8, '\\n' line ends, no index."""
    return df.to_csv(index=False, header=header, lineterminator="\n").encode("utf-8")


def csv_files(frames: dict[str, pd.DataFrame]) -> dict[str, bytes]:
    """The dataset's CSV files of frames that pass the schemas (else DatasetError)."""
    validate_frames(frames)
    return {f"{name}.csv": csv_bytes(frames[name]) for name in RESOURCES}


def dataset_files(frames: dict[str, pd.DataFrame], manifest: dict) -> dict[str, bytes]:
    """The bytes of every file of a dataset (see with_package)."""
    return with_package(csv_files(frames), manifest)


def with_package(files: dict[str, bytes], manifest: dict) -> dict[str, bytes]:
    """The CSV files with datapackage.json, and the manifest last with each other file's
    sha256 and record digests, so that an edit made afterwards can be found."""
    files = dict(files)
    files["datapackage.json"] = _json(datapackage())
    entries = {name: file_entry(name, data) for name, data in files.items()}
    files[MANIFEST] = _json({**manifest, "files": entries})
    return files


def _json(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_files(files: dict[str, bytes], out: Path, manifest: dict) -> None:
    """Swap a dataset whose CSV files are already checked and written (a Spool's) in at `out`."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    publish(with_package(files, manifest), out)


def write_dataset(frames: dict[str, pd.DataFrame], out: Path, manifest: dict) -> None:
    """Validate, then swap the complete dataset in at `out` (see outdir.publish)."""
    write_files(csv_files(frames), out, manifest)


def read_dataset(folder: Path) -> dict[str, pd.DataFrame]:
    """The CSV files of a dataset with their declared types (for `pipeline validate`)."""
    frames = {}
    for name in RESOURCES:
        path = folder / f"{name}.csv"
        try:
            data = read_regular(path)
            raw = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8")
        except FileNotFoundError:
            raise DatasetError(f"{path}: missing") from None
        except (OSError, ValueError, pd.errors.ParserError) as exc:
            reason = getattr(exc, "strerror", None) or " ".join(str(exc).split())[:200]
            raise DatasetError(f"{path}: not a readable CSV file ({reason})") from None
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


def _other(c: Check) -> tuple[str, ...]:
    """The other mention of a cross-check, for its id: document, table (or page and
    line, for a key-figure table or the text) and row."""
    if c.other_page is None and not c.other_table_id:
        return ()
    place = c.other_table_id or f"p{c.other_page}l{c.other_line}"
    return (c.other_doc_id, place, f"r{c.other_row}" if c.other_row else "")
