"""Pages per second of `pipeline extract` on PDFs beside pdfplumber's plain extract_text.

    python benchmarks/pdf_speed.py [PDF ...]      (default: raw/*.pdf)

All are timed in this process over the same files (the pipeline with each engine), best of --repeat runs each, so the
figures compare on one machine. `pipeline extract` is the whole job: read (words, ruled
and borderless tables), extract, reconcile, schema checks and the atomic CSV write.
Prints figures only; the targets live in the notes, not in timed tests.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import pdfplumber

from pipeline.load import to_frames, write_dataset
from pipeline.read.options import ReadOptions
from pipeline.run import collect_inputs, manifest, run

ROOT = Path(__file__).resolve().parents[1]


def plain(paths: list[Path]) -> int:
    pages = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return pages


def pipeline_extract(paths: list[Path], engine: str = "pdfplumber") -> int:
    options = ReadOptions(engine=engine)
    result = run(collect_inputs(paths), options)
    if result.failures:
        raise SystemExit("\n".join(result.failures))
    with tempfile.TemporaryDirectory() as tmp:
        write_dataset(to_frames(result.extractions), Path(tmp) / "extracted", manifest(result, options))
    return sum(x.source.pages or 0 for x in result.extractions)


def pipeline_pdfium(paths: list[Path]) -> int:
    return pipeline_extract(paths, "pdfium")


def best(fn, paths: list[Path], repeat: int) -> tuple[int, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        pages = fn(paths)
        times.append(time.perf_counter() - start)
    return pages, min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    paths = args.pdfs or sorted((ROOT / "raw").glob("*.pdf"))
    print(f"{len(paths)} PDFs, best of {args.repeat} runs")
    print(f"{'':28}{'pages':>7}{'seconds':>10}{'pages/s':>10}")
    rates = {}
    runs = (
        ("pdfplumber extract_text", plain),
        ("pipeline extract", pipeline_extract),
        ("  --engine pdfium", pipeline_pdfium),
    )
    for name, fn in runs:
        pages, seconds = best(fn, paths, args.repeat)
        rates[name] = pages / seconds
        print(f"{name:28}{pages:7d}{seconds:10.2f}{rates[name]:10.1f}")
    ratio = rates["pdfplumber extract_text"] / rates["pipeline extract"]
    print(f"pipeline extract takes {ratio:.2f}x the time of plain extract_text")
    fast = rates["  --engine pdfium"] / rates["pdfplumber extract_text"]
    print(f"pipeline extract --engine pdfium runs at {fast:.2f}x the speed of plain extract_text")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
