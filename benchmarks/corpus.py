"""How well the pipeline reads a corpus of real reports: the quality table, and the gold.

    python benchmarks/corpus.py [DIR ...]      (default: every PDF under ../shared/corpus/)

Runs the pipeline over the PDFs (recursively), writes the dataset into a temporary
folder, and prints the quality table of `pipeline stats` (tables, stated totals, checks by
status, amount coverage, worst first), then every `mismatch` with its place and message,
then, for each document that shared/gold has a gold file for, its score.py figures.
Prints figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import sys
import tempfile
import time
from pathlib import Path

from pipeline.load import read_dataset, to_frames, write_dataset
from pipeline.read.options import ReadOptions
from pipeline.run import manifest, run
from pipeline.validate.quality import quality_table

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIGURES = ("tables_recall", "tables_precision", "rows_f1", "totals", "status", "findings_precision")


def _pdfs(folders: list[Path]) -> list[tuple[Path, str]]:
    found = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"):
            found.append((path, path.name))
    return found


def _scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "gold" / "score.py")
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold_scores(out: Path, stems: set[str]) -> list[str]:
    """score.py's figures for each document of the corpus with a gold file under shared/gold."""
    score = _scorer()
    if score is None:
        return []
    lines = []
    for gold_dir in (SHARED / "gold", SHARED / "gold" / "real"):
        for gold in sorted(g for g in gold_dir.glob("*.json") if g.stem in stems):
            with tempfile.TemporaryDirectory() as one:
                (Path(one) / gold.name).write_bytes(gold.read_bytes())
                args = [str(out), one, "--format", "pdf", "--json"]
                figures = json.loads(_capture(lambda args=args: score.main(args)))
            shown = "  ".join(f"{k} {'n/a' if figures.get(k) is None else f'{figures[k]:.3f}'}" for k in FIGURES)
            lines.append(f"{gold.stem[:45]:<45}  {shown}")
    return lines


def _capture(call) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
        call()
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="*", type=Path, default=[SHARED / "corpus"])
    a = ap.parse_args(argv)
    found = _pdfs(a.folders)
    if not found:
        print(f"no PDF under {', '.join(map(str, a.folders))}", file=sys.stderr)
        return 2
    options = ReadOptions()
    start = time.perf_counter()
    result = run(found, options)
    seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dataset"
        write_dataset(to_frames(result.extractions), out, manifest(result, options))
        print(quality_table(manifest(result, options)["inputs"]))
        print(f"\n{len(found)} PDFs, {sum(r.pages or 0 for r in result.inputs)} pages in {seconds:.1f} s")
        checks = read_dataset(out)["checks"]
        findings = checks[checks["status"] == "mismatch"]
        print(f"\nmismatch ({len(findings)}):")
        for row in findings.itertuples():
            print(f"  {row.doc_id} p.{row.page} l.{row.line} {row.kind}: {row.message}")
        scores = _gold_scores(out, {path.stem for path, _ in found})
        if scores:
            print("\ngold (score.py, pdf):")
            print("\n".join(f"  {line}" for line in scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
