"""Command line: `pipeline extract INPUT... --out DIR`, `pipeline validate DIR`, `pipeline stats DIR`."""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path

import click

from pipeline import __version__
from pipeline.cache import default_dir
from pipeline.errors import DatasetError
from pipeline.executors import BatchOptions
from pipeline.interrupts import Interrupted, Interrupts
from pipeline.load import read_dataset, write_files
from pipeline.outdir import OutRefused, check_target, remove_leftovers, scratch, writer_lock
from pipeline.progress import Progress
from pipeline.read.options import (
    DEFAULT_MAX_LINE,
    DEFAULT_MAX_MB,
    DEFAULT_MAX_PAGES,
    DEFAULT_TIME_LIMIT,
    ENGINES,
    ReadOptions,
)
from pipeline.run import SUPPORTED, collect_inputs, manifest, run
from pipeline.spool import Spool
from pipeline.validate.manifest import changed_files, check_manifest, load_manifest
from pipeline.validate.quality import quality_table
from pipeline.validate.schema import validate_frames


@click.group(help="Turn Swedish regions' reports on agreements and state grants into a reconciled dataset.")
@click.version_option(__version__, prog_name="pipeline")
def main() -> None:
    pass


def command() -> None:
    """The `pipeline` program (console script and `python -m pipeline`).

    pandera imports hypothesis, where it is installed (the test extra), for data synthesis
    the program never asks for: a third of a second of every run, a third of a cached
    batch's. The program's own process declines that import, and pandera goes without its
    strategies; code that calls `main` in its own process (tests, notebooks) is left alone.
    """
    sys.modules.setdefault("hypothesis", None)
    main()


def _limit(flag: str, kind: click.ParamType, default: float, help: str):
    """A limit option of `extract`; its name is the ReadOptions field it sets."""
    return click.option(flag, type=kind, default=default, show_default=True, help=help)


EXIT_CODES = """\b
Exit codes:
  0    done: every input processed, the dataset written
  1    some inputs failed (one `error:` line each; the rest is written), or every
       input failed (nothing written, --out left as it was)
  2    usage error: a bad option, no input found, or --out refused (not a dataset
       of this tool, an input or a folder holding one, the current folder or a
       parent, empty, or busy with --no-wait); nothing read, nothing touched
  3    the dataset could not be written (disk full, permissions, ...), or the Dask
       scheduler could not be reached; --out left as it was
  130  interrupted by SIGINT (Ctrl-C); 143 by SIGTERM; --out left as it was"""

EXIT_OK, EXIT_INPUTS_FAILED, EXIT_USAGE, EXIT_NOT_WRITTEN = 0, 1, 2, 3


def _error(message: str) -> None:
    click.echo(f"error: {message}", err=True)


@main.command(
    help="Read reports (.txt exports or .pdf; files or folders) and write the dataset to DIR.",
    epilog=EXIT_CODES,
)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    metavar="DIR",
    help="Folder for the dataset, replaced as a whole once every input is processed. It must be absent, "
    "empty, or a dataset this tool wrote and nobody changed since.",
)
@click.option("--no-wait", is_flag=True, help="Exit at once (code 2) when another run is writing DIR.")
@click.option(
    "--password",
    default=None,
    envvar="PIPELINE_PDF_PASSWORD",
    help="Password for encrypted PDFs (or set PIPELINE_PDF_PASSWORD).",
)
@_limit("--max-pages", click.IntRange(min=1), DEFAULT_MAX_PAGES, "Refuse a PDF with more pages than this.")
@_limit(
    "--time-limit",
    click.FloatRange(min=0),
    DEFAULT_TIME_LIMIT,
    "Seconds one file may take before it is given up (0: no limit).",
)
@_limit("--max-mb", click.IntRange(min=1), DEFAULT_MAX_MB, "Refuse an input file larger than this many megabytes.")
@_limit("--max-line", click.IntRange(min=1), DEFAULT_MAX_LINE, "Refuse a file with a longer line (characters).")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    envvar="PIPELINE_JOBS",
    help="Files read at once, each in a process of its own [default: the number of cores]. The dataset is "
    "the same bytes for any number.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    envvar="PIPELINE_NO_CACHE",
    help="Read every file anew: neither take nor keep readings in the cache.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where readings are kept between runs [default: $PIPELINE_CACHE_DIR, else $XDG_CACHE_HOME/pipeline, "
    "else ~/.cache/pipeline]. Safe to delete at any time.",
)
@click.option("--quiet", is_flag=True, help="No progress bar (there is none either when stderr is not a terminal).")
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    help="local: processes on this machine (--jobs); dask: the workers of a Dask cluster (--scheduler; "
    "pip install 'pipeline[dask]').",
)
@click.option("--scheduler", metavar="ADDRESS", default=None, help="The Dask scheduler, e.g. tcp://host:8786.")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="pdfplumber",
    envvar="PIPELINE_ENGINE",
    help="How PDFs are parsed: pdfplumber (pdfminer; the reference), or pdfium (several times faster; "
    "the same layout rules on pdfium's characters and drawings, see README for where it differs).",
)
def extract(
    inputs: tuple[Path, ...],
    out: str,
    no_wait: bool,
    password: str | None,
    jobs: int | None,
    no_cache: bool,
    cache_dir: Path | None,
    quiet: bool,
    executor: str,
    scheduler: str | None,
    engine: str,
    **limits: float,
) -> None:
    options = ReadOptions(password=password, engine=engine, **limits)
    if executor == "dask" and not scheduler:
        _error("--executor dask needs --scheduler ADDRESS (the Dask scheduler, e.g. tcp://host:8786)")
        sys.exit(EXIT_USAGE)
    batch = BatchOptions(
        jobs=jobs or os.cpu_count() or 1,
        cache_dir=None if no_cache else (cache_dir or default_dir()),
        executor=executor,
        scheduler=scheduler,
    )
    with Interrupts() as interrupts:
        try:
            code = _extract(list(inputs), out, not no_wait, options, interrupts, batch, quiet)
        except Interrupted as exc:
            _error(f"interrupted by {exc.name}; {out} left as it was")
            code = 128 + exc.signum
        except Exception as exc:  # a bug: one line, no traceback, and the dataset swap is atomic
            _error(f"internal error ({type(exc).__name__}: {' '.join(str(exc).split())[:300]}); nothing written")
            code = EXIT_NOT_WRITTEN
    sys.exit(code)


def _extract(
    inputs: list[Path],
    out: str,
    wait: bool,
    options: ReadOptions,
    interrupts: Interrupts,
    batch: BatchOptions,
    quiet: bool,
) -> int:
    found = collect_inputs(inputs)
    if not found:
        where = ", ".join(str(p) for p in inputs)
        _error(f"no input found in {where} (a folder is searched for {', '.join(sorted(SUPPORTED))}); nothing written")
        return EXIT_USAGE
    try:
        target = check_target(out, [*inputs, *(path for path, _ in found)])
    except OutRefused as exc:
        _error(str(exc))
        return EXIT_USAGE

    def waiting() -> None:
        click.echo(f"waiting: another run is writing {out} (--no-wait to give up instead)", err=True)

    with ExitStack() as stack:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            stack.enter_context(writer_lock(target, wait, waiting))
        except OutRefused as exc:
            _error(str(exc))
            return EXIT_USAGE
        except OSError as exc:
            _error(f"cannot write the dataset to {out}: {_os_reason(exc)}; nothing written")
            return EXIT_NOT_WRITTEN
        return _extract_locked(found, out, target, options, interrupts, batch, quiet)


def _extract_locked(
    found: list[tuple[Path, str]],
    out: str,
    target: Path,
    options: ReadOptions,
    interrupts: Interrupts,
    batch: BatchOptions,
    quiet: bool,
) -> int:
    try:
        check_target(out, [])  # again: it may have changed while this run waited for the lock
    except OutRefused as exc:
        _error(str(exc))
        return EXIT_USAGE
    remove_leftovers(target)
    try:
        spool = Spool(scratch(target))
    except OSError as exc:
        _error(f"cannot write the dataset to {out}: {_os_reason(exc)}; {out} left as it was")
        return EXIT_NOT_WRITTEN
    with spool:  # removed with what it holds, however the run ends
        try:
            with Progress(len(found), enabled=not quiet) as progress:
                result = run(found, options, batch, progress.done, spool=spool)
        except RuntimeError as exc:  # the Dask cluster could not be reached or used
            _error(f"{exc}; nothing written")
            return EXIT_NOT_WRITTEN
        except OSError as exc:  # the rows could not be spooled beside the dataset (a full disk)
            _error(f"cannot write the dataset to {out}: {_os_reason(exc)}; {out} left as it was")
            return EXIT_NOT_WRITTEN
        except DatasetError as exc:  # the checks across the batch fail the schemas: a bug
            first = " ".join(str(exc).split())[:300]
            _error(f"internal error, the dataset fails its schemas ({first}); {out} left as it was")
            return EXIT_NOT_WRITTEN
        for line in result.failures:
            _error(line)
        for line in result.warnings:
            click.echo(f"warning: {line}", err=True)
        if not spool.documents:
            _error(f"nothing written: every input failed; {out} left as it was")
            return EXIT_INPUTS_FAILED
        listed = manifest(result, options)
        try:
            with interrupts.deferred():  # a dataset being swapped in is finished first
                write_files(spool.files(), target, listed)
        except OSError as exc:
            _error(f"cannot write the dataset to {out}: {_os_reason(exc)}; {out} left as it was")
            return EXIT_NOT_WRITTEN
        if interrupts.pending:
            _error(f"interrupted by {interrupts.pending.name}, after the dataset was written to {out}")
            return 128 + interrupts.pending.signum
        click.echo(quality_table(listed["inputs"]), err=True)
        click.echo(
            f"{spool.documents} documents, {spool.tables} tables, {spool.rows} rows, "
            f"{spool.findings} findings; {len(result.failures)} failed -> {out}",
            err=True,
        )
        return EXIT_INPUTS_FAILED if result.failures else EXIT_OK


def _os_reason(exc: OSError) -> str:
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


VALIDATE_EXIT_CODES = """\b
Exit codes:
  0  the dataset is valid
  1  it is not: one `error:` line per problem, each naming its file
  2  usage error (no such folder)"""


@main.command(
    help="Check a dataset folder: every file as written (checksums in manifest.json), the schemas "
    "(types, ranges, rules, keys) and the manifest's inputs and counts.",
    epilog=VALIDATE_EXIT_CODES,
)
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def validate(folder: Path) -> None:
    problems = dataset_problems(folder)
    for problem in problems:
        _error(problem)
    if problems:
        sys.exit(1)
    click.echo(f"{folder}: valid", err=True)


STATS_EXIT_CODES = """\b
Exit codes:
  0  the table was printed
  1  the folder holds no dataset of this tool (one `error:` line says why)
  2  usage error (no such folder)"""


@main.command(
    help="Print how well each document of a dataset was read, worst first: tables, stated totals, "
    "checks ok / mismatch / ambiguous, amounts printed in table lines and list items, and the share "
    "of them in the dataset (amount coverage). The same table `extract` ends with.",
    epilog=STATS_EXIT_CODES,
)
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def stats(folder: Path) -> None:
    try:
        manifest = load_manifest(folder)
    except DatasetError as exc:
        _error(str(exc))
        sys.exit(1)
    click.echo(quality_table([i for i in manifest["inputs"] if isinstance(i, dict)]))


REPORT_EXIT_CODES = """\b
Exit codes:
  0  the page and/or the workbook was written
  1  the folder holds no readable dataset (one `error:` line says why)
  2  usage error: no such folder, neither --out nor --xlsx, or a file's name is taken (never overwritten)
  3  a file could not be written (an OS error)"""


@main.command(
    help="Write a dataset for auditors: --out FILE.html, one self-contained page (findings first, each "
    "with both figures, both places and their source text; then every table and row), and/or --xlsx "
    "FILE, a workbook (findings first and highlighted, a sheet per file, filters on, amounts as "
    "numbers; text stays text).",
    epilog=REPORT_EXIT_CODES,
)
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "html_file", type=click.Path(dir_okay=False, path_type=Path), help="HTML page to write")
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path), help="workbook to write")
def report(folder: Path, html_file: Path | None, xlsx: Path | None) -> None:
    from pipeline.report_html import write_page
    from pipeline.report_xlsx import write_workbook  # openpyxl only for this command

    if html_file is None and xlsx is None:
        _error("name a file to write: --out report.html and/or --xlsx report.xlsx")
        sys.exit(2)
    for target, write in ((html_file, write_page), (xlsx, write_workbook)):
        if target is None:
            continue
        try:
            write(folder, target)
        except FileExistsError as exc:
            _error(str(exc))
            sys.exit(2)
        except DatasetError as exc:
            _error(str(exc))
            sys.exit(1)
        except OSError as exc:
            _error(f"cannot write {target}: {_os_reason(exc)}")
            sys.exit(3)
        click.echo(f"{target}: written", err=True)


def dataset_problems(folder: Path) -> list[str]:
    """Every problem of the dataset in `folder`, each naming its file; [] when valid."""
    try:
        manifest = load_manifest(folder)
        changed = changed_files(folder, manifest)
        if changed:  # the edit itself, placed on its line, says more than what it breaks
            return [str(folder / problem) for problem in changed]
        frames = read_dataset(folder)
        problems = []
        for check in (validate_frames, lambda f: check_manifest(folder, f, manifest)):
            try:
                check(frames)
            except DatasetError as exc:
                problems += [str(folder / p) for p in exc.problems]
        return problems
    except DatasetError as exc:
        return [str(exc)]
    except Exception as exc:  # no traceback for a user; the line says what broke
        return [f"{folder}: internal error while validating ({type(exc).__name__}: {' '.join(str(exc).split())})"]


if __name__ == "__main__":
    main()
