"""The dataset by each PDF engine, side by side: which documents come out the same, and
where they do not, the first rows that differ.

    python benchmarks/engines.py [PDF or folder ...]   (default: raw/)

Each document is read alone by both engines (pdfplumber, pdfium) and its rows of
tables.csv, line_items.csv and checks.csv are compared as written. Prints figures and
differences only; whether pdfium may become the default is decided from this list.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline.load import to_frames
from pipeline.read.options import ReadOptions
from pipeline.run import collect_inputs, run

ROOT = Path(__file__).resolve().parents[1]
FILES = ("tables", "line_items", "checks")
SHOWN = 4  # differing rows shown per file


def dataset(path: Path, engine: str) -> tuple[dict[str, list[str]], float]:
    start = time.perf_counter()
    result = run(collect_inputs([path]), ReadOptions(engine=engine))
    seconds = time.perf_counter() - start
    if result.failures:
        return {"failed": list(result.failures)}, seconds
    frames = to_frames(result.extractions)
    return {name: frames[name].to_csv(index=False).splitlines() for name in FILES}, seconds


def differences(a: list[str], b: list[str]) -> tuple[list[str], list[str]]:
    only_a = [row for row in a if row not in set(b)]
    only_b = [row for row in b if row not in set(a)]
    return only_a, only_b


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="*", type=Path)
    args = ap.parse_args()
    inputs = args.inputs or [ROOT / "raw"]
    pdfs = sorted({p for i in inputs for p in ([i] if i.is_file() else i.rglob("*.pdf")) if p.suffix.lower() == ".pdf"})
    same = 0
    times = {"pdfplumber": 0.0, "pdfium": 0.0}
    for pdf in pdfs:
        ref, t_ref = dataset(pdf, "pdfplumber")
        new, t_new = dataset(pdf, "pdfium")
        times["pdfplumber"] += t_ref
        times["pdfium"] += t_new
        if ref == new:
            same += 1
            print(f"same       {pdf.name}")
            continue
        print(f"DIFFERENT  {pdf.name}")
        for name in sorted(set(ref) | set(new)):
            only_ref, only_new = differences(ref.get(name, []), new.get(name, []))
            if not only_ref and not only_new:
                continue
            print(f"  {name}.csv: {len(only_ref)} rows only with pdfplumber, {len(only_new)} only with pdfium")
            for row in only_ref[:SHOWN]:
                print(f"    - {row[:160]}")
            for row in only_new[:SHOWN]:
                print(f"    + {row[:160]}")
    print(f"{same} of {len(pdfs)} PDFs give the same rows with both engines")
    print(f"time: pdfplumber {times['pdfplumber']:.1f} s, pdfium {times['pdfium']:.1f} s")


if __name__ == "__main__":
    main()
