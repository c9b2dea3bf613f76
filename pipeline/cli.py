"""Command line: `pipeline extract INPUT... --out DIR`, `pipeline validate DIR`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline import __version__
from pipeline.errors import DatasetError
from pipeline.load import read_dataset, to_frames, write_dataset
from pipeline.run import run
from pipeline.validate.schema import validate_frames


@click.group(help="Turn Swedish regions' reports on agreements and state grants into a reconciled dataset.")
@click.version_option(__version__, prog_name="pipeline")
def main() -> None:
    pass


@main.command(help="Read reports (.txt exports or .pdf; files or folders) and write the dataset to DIR.")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the dataset; replaced as a whole once every input is processed.",
)
def extract(inputs: tuple[Path, ...], out: Path) -> None:
    result = run(list(inputs))
    frames = to_frames(result.extractions)
    try:
        write_dataset(frames, out)
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


@main.command(help="Check a dataset folder against the schemas (types, ranges, rules, keys).")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def validate(folder: Path) -> None:
    try:
        frames = read_dataset(folder)
        validate_frames(frames)
    except (DatasetError, FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{folder}: valid ({', '.join(f'{len(df)} {n}' for n, df in frames.items())})", err=True)


if __name__ == "__main__":
    main()
