"""The whole run, as the mission reads: read -> extract -> validate -> load.

One bad file never spoils a batch: its error becomes one line in the result and the
other files are processed as usual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.extract import extract
from pipeline.model import Extraction
from pipeline.read import PDF_SUFFIXES, TEXT_SUFFIXES, read_source
from pipeline.validate.reconcile import reconcile

SUPPORTED = TEXT_SUFFIXES | PDF_SUFFIXES


@dataclass
class BatchResult:
    extractions: list[Extraction] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def collect_inputs(inputs: list[Path]) -> list[tuple[Path, str]]:
    """(path, doc_id) for every input; doc_id is the path relative to the folder given."""
    found: list[tuple[Path, str]] = []
    for item in inputs:
        if item.is_dir():
            for path in sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED):
                found.append((path, path.relative_to(item).as_posix()))
        else:
            found.append((item, item.name))
    return found


def process(path: Path, doc_id: str) -> Extraction:
    return reconcile(extract(read_source(path, doc_id)))


def run(inputs: list[Path]) -> BatchResult:
    result = BatchResult()
    seen: set[str] = set()
    for path, doc_id in collect_inputs(inputs):
        if doc_id in seen:
            result.failures.append(f"{path}: another input already has the id '{doc_id}'")
            continue
        seen.add(doc_id)
        try:
            result.extractions.append(process(path, doc_id))
        except InputError as exc:
            result.failures.append(str(exc))
        except Exception as exc:  # a bug must not take the batch down; it is reported as a failure
            result.failures.append(f"{doc_id}: internal error ({type(exc).__name__}: {exc})")
    return result
