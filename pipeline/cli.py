"""Command line: `pipeline extract INPUT... --out DIR`, `pipeline validate DIR`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline import __version__
from pipeline.errors import DatasetError
from pipeline.load import read_dataset, to_frames, write_dataset
from pipeline.read.options import (
    DEFAULT_MAX_LINE,
    DEFAULT_MAX_MB,
    DEFAULT_MAX_PAGES,
    DEFAULT_TIME_LIMIT,
    ReadOptions,
)
from pipeline.run import manifest, run
from pipeline.validate.manifest import check_manifest
from pipeline.validate.schema import validate_frames


@click.group(help="Turn Swedish regions' reports on agreements and state grants into a reconciled dataset.")
@click.version_option(__version__, prog_name="pipeline")
def main() -> None:
    pass


def _limit(flag: str, kind: click.ParamType, default: float, help: str):
    """A limit option of `extract`; its name is the ReadOptions field it sets."""
    return click.option(flag, type=kind, default=default, show_default=True, help=help)


@main.command(help="Read reports (.txt exports or .pdf; files or folders) and write the dataset to DIR.")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the dataset; replaced as a whole once every input is processed.",
)
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
def extract(inputs: tuple[Path, ...], out: Path, password: str | None, **limits: float) -> None:
    options = ReadOptions(password=password, **limits)
    result = run(list(inputs), options)
    frames = to_frames(result.extractions)
    try:
        write_dataset(frames, out, manifest(result, options))
    except DatasetError as exc:
        raise click.ClickException(str(exc)) from None
    for line in result.failures:
        click.echo(f"error: {line}", err=True)
    findings = int((frames["checks"]["status"] == "mismatch").sum())
    click.echo(
        f"{len(result.extractions)} documents, {len(frames['tables'])} tables, {len(frames['line_items'])} rows, "
        f"{findings} findings; {len(result.failures)} failed -> {out}",
        err=True,
    )
    if result.failures:
        sys.exit(1)


@main.command(help="Check a dataset folder against the schemas (types, ranges, rules, keys) and its manifest.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def validate(folder: Path) -> None:
    try:
        frames = read_dataset(folder)
        validate_frames(frames)
        check_manifest(folder, frames)
    except (DatasetError, FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{folder}: valid ({', '.join(f'{len(df)} {n}' for n, df in frames.items())})", err=True)


if __name__ == "__main__":
    main()
