"""Batch figures for issue 13: speed per document and page, parallel speed-up, the cache,
and peak memory as the batch grows.

    python benchmarks/batch.py [--docs 40] [--memory 10,200]

Builds a batch of N documents from raw/*.pdf and ../shared/corpus (copies under new names,
so every copy is a document of its own), then prints, in one run:
- pdfplumber's plain extract_text over the same PDFs (pages/s, docs/s): the yardstick;
- `pipeline extract --jobs 1 --no-cache` with each engine, pdfplumber and pdfium (pages/s,
  docs/s, and the ratio to the yardstick), and whether the two engines' datasets agree;
- `--jobs 2` over `--jobs 1`;
- a cached re-run over a cold one (same cache folder);
- peak memory (max RSS of the pipeline process and its workers) for N=10 and N=200, twice:
  with the same 10 distinct PDFs repeated (what a growing batch adds: the measure of
  "flat"), and with the whole pool cycled (where the larger batch also holds the largest
  PDFs, so its peak includes their reading).
Every run is a fresh `pipeline extract` process, imports included. Prints figures only;
nothing is asserted (the targets live in the issue, not in timed tests).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdf_speed  # beside this script: the same yardstick as benchmarks/pdf_speed.py
import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PIPELINE = [sys.executable, "-m", "pipeline"]
# a child's peak memory: run it and report its (and its waited-for children's) max RSS
MEASURE = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(code)"
)


def sources() -> list[Path]:
    """The PDFs a batch is copied from: raw/ and the shared corpus, readable ones only."""
    found = sorted(ROOT.glob("raw/*.pdf")) + sorted((SHARED / "corpus").rglob("*.pdf"))
    good = []
    for path in found:
        try:
            with pdfplumber.open(path) as pdf:
                if pdf.pages and len(pdf.pages) <= 80 and pdf.pages[0].extract_text():
                    good.append(path)
        except Exception:  # a broken test PDF is simply not used
            continue
    return good


def build(folder: Path, n: int, pool: list[Path]) -> list[Path]:
    folder.mkdir(parents=True)
    out = []
    for i in range(n):
        src = pool[i % len(pool)]
        dst = folder / f"{i:04d}_{src.name}"
        shutil.copyfile(src, dst)
        out.append(dst)
    return out


def plain(paths: list[Path]) -> tuple[int, float]:
    """Pages and seconds of pdfplumber's extract_text (pdf_speed.plain) over `paths`."""
    start = time.perf_counter()
    pages = pdf_speed.plain(paths)
    return pages, time.perf_counter() - start


def extract(folder: Path, out: Path, *args: str) -> tuple[float, int]:
    """Seconds and peak memory (KB) of one `pipeline extract` process."""
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-c", MEASURE, *PIPELINE, "extract", str(folder), "--out", str(out), "--quiet", *args]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    return seconds, int(done.stderr.strip().splitlines()[-1])


def _rows(path: Path, doc_id: str) -> list[str]:
    """One document's lines of a dataset CSV (rows start with the doc_id)."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith(doc_id + ",")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=40, help="documents in the speed batch (default 40)")
    ap.add_argument("--memory", default="10,200", help="batch sizes for peak memory (default 10,200)")
    a = ap.parse_args()
    pool = sources()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        batch = build(tmp_path / "batch", a.docs, pool)
        pages, t_plain = plain(batch)
        t1, _ = extract(tmp_path / "batch", tmp_path / "o1", "--jobs", "1", "--no-cache")
        t_fast, _ = extract(tmp_path / "batch", tmp_path / "of", "--jobs", "1", "--no-cache", "--engine", "pdfium")
        t2, _ = extract(tmp_path / "batch", tmp_path / "o2", "--jobs", "2", "--no-cache")
        cache = tmp_path / "cache"
        cold, _ = extract(tmp_path / "batch", tmp_path / "o3", "--jobs", "1", "--cache-dir", str(cache))
        warm, _ = extract(tmp_path / "batch", tmp_path / "o4", "--jobs", "1", "--cache-dir", str(cache))
        same = all(
            (tmp_path / "o1" / f).read_bytes() == (tmp_path / o / f).read_bytes()
            for o in ("o2", "o3", "o4")
            for f in ("tables.csv", "line_items.csv", "checks.csv")
        )
        agree = sum(
            all(
                _rows(tmp_path / "o1" / f, doc.name) == _rows(tmp_path / "of" / f, doc.name)
                for f in ("tables.csv", "line_items.csv", "checks.csv")
            )
            for doc in batch
        )
        print(f"batch: {a.docs} documents ({len(pool)} distinct PDFs copied), {pages} pages")
        print(f"{'':34}{'seconds':>9}{'pages/s':>10}{'docs/s':>9}")
        print(f"{'pdfplumber extract_text':34}{t_plain:9.2f}{pages / t_plain:10.1f}{a.docs / t_plain:9.2f}")
        runs = (("pipeline --jobs 1 (pdfplumber)", t1), ("pipeline --jobs 1 --engine pdfium", t_fast))
        for name, t in (*runs, ("pipeline --jobs 2 (pdfplumber)", t2)):
            print(f"{name:34}{t:9.2f}{pages / t:10.1f}{a.docs / t:9.2f}")
        print(f"pipeline --jobs 1 vs extract_text: {t_plain / t1:.2f}x its speed (target >= 0.9)")
        print(f"pipeline --engine pdfium vs extract_text: {t_plain / t_fast:.2f}x its speed (target >= 4)")
        print(f"documents whose rows are the same with both engines: {agree} of {a.docs}")
        print(f"--jobs 2 over --jobs 1: {t1 / t2:.2f}x (target >= 1.7 on 2 cores)")
        print(f"cached re-run over cold: {cold / warm:.1f}x ({cold:.2f} s -> {warm:.2f} s; target >= 20)")
        print(f"same dataset with --jobs 2 and the cache: {same}")
        spread = pool[:: max(1, len(pool) // 10)][:10]
        for label, source in (("the same 10 PDFs repeated", spread), ("the pool cycled", pool)):
            peaks = []
            for n in (int(x) for x in a.memory.split(",") if x):
                folder = tmp_path / f"mem{n}-{len(source)}"
                build(folder, n, source)
                _, kb = extract(folder, tmp_path / f"m{n}-{len(source)}", "--jobs", "1", "--no-cache")
                peaks.append((n, kb))
                print(f"peak memory, {n} documents ({label}): {kb / 1024:.0f} MB")
            if len(peaks) == 2:
                ratio = peaks[1][1] / peaks[0][1]
                print(f"peak memory {peaks[1][0]} / {peaks[0][0]} documents ({label}): {ratio:.2f}x (target <= 1.5)")


if __name__ == "__main__":
    main()
