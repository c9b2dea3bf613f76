"""Pandera schemas built from the declarations in schemas/*.json.

schemas/ is the one source of truth: field names, order, types, constraints and keys are
declared there (Frictionless Table Schema), datapackage.json is generated from the same
files, and the named cross-column rules declared there are implemented in RULES below.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.errors import DatasetError

RESOURCES = ("documents", "tables", "line_items", "checks", "grants")
_DTYPES = {"string": "string", "date": "string", "integer": "Int64"}
# How load writes every CSV file (pandas' defaults), declared so no client has to guess.
CSV_DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "lineTerminator": "\n", "header": True}


def schema_dir() -> Path:
    """schemas/ in a source checkout, or the copy packed into the wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "schemas", here / "_schemas"):
        if (candidate / "documents.json").exists():
            return candidate
    raise FileNotFoundError("schemas/ not found next to the pipeline package")


@cache
def declarations() -> dict[str, dict]:
    return {name: json.loads((schema_dir() / f"{name}.json").read_text(encoding="utf-8")) for name in RESOURCES}


def columns(name: str) -> list[str]:
    return [f["name"] for f in declarations()[name]["schema"]["fields"]]


def dtypes(name: str) -> dict[str, str]:
    return {f["name"]: _DTYPES[f["type"]] for f in declarations()[name]["schema"]["fields"]}


def _field_checks(field: dict) -> list[pa.Check]:
    c = field.get("constraints", {})
    checks = []
    if field["type"] == "date":  # Table Schema's date: ISO 8601, as the standard reads it
        checks.append(pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$"))
    if "enum" in c:
        checks.append(pa.Check.isin(c["enum"]))
    if "pattern" in c:
        checks.append(pa.Check.str_matches(c["pattern"]))
    if "minimum" in c:
        checks.append(pa.Check.ge(c["minimum"]))
    if "maximum" in c:
        checks.append(pa.Check.le(c["maximum"]))
    return checks


# ---------------------------------------------------------------- cross-column rules
def _difference(stated: str, computed: str) -> Callable[[pd.DataFrame], pd.Series]:
    def rule(df: pd.DataFrame) -> pd.Series:
        both = df[stated].notna() & df[computed].notna()
        same = (df["difference_sek"] == df[stated] - df[computed]).fillna(False)
        return (both & same) | (~both & df["difference_sek"].isna())

    return rule


def _status_tables(df: pd.DataFrame) -> pd.Series:
    none = df["stated_total_sek"].isna() & (df["status"] == "no_stated_total")
    within = (df["difference_sek"].abs() <= df["tolerance_sek"]).fillna(False)
    stated = df["stated_total_sek"].notna() & (df["status"] == within.map({True: "ok", False: "mismatch"}))
    return none | stated


def _status_checks(df: pd.DataFrame) -> pd.Series:
    counted = df["kind"].isin(["table_total", "cell_sum", "subrows"])
    within = (df["difference_sek"].abs() <= df["tolerance_sek"]).fillna(False)
    return ~counted | (df["status"] == within.map({True: "ok", False: "mismatch"}))


def _together(a: str, b: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda df: df[a].isna() == df[b].isna()


RULES: dict[tuple[str, str], Callable[[pd.DataFrame], pd.Series]] = {
    ("tables", "difference_is_stated_minus_computed"): _difference("stated_total_sek", "computed_total_sek"),
    ("tables", "status_follows_difference"): _status_tables,
    ("tables", "precision_with_total"): _together("stated_total_sek", "stated_precision_sek"),
    ("line_items", "precision_with_amount"): _together("amount_sek", "precision_sek"),
    ("checks", "difference_is_stated_minus_computed"): _difference("stated_sek", "computed_sek"),
    ("checks", "status_follows_difference"): _status_checks,
}


@cache
def pandera_schema(name: str) -> pa.DataFrameSchema:
    decl = declarations()[name]
    fields = decl["schema"]["fields"]
    cols = {
        f["name"]: pa.Column(
            _DTYPES[f["type"]],
            checks=_field_checks(f),
            nullable=not f.get("constraints", {}).get("required", False),
            unique=bool(f.get("constraints", {}).get("unique", False)),
            description=f.get("description"),
        )
        for f in fields
    }
    checks = [pa.Check(RULES[(name, rule)], name=rule) for rule in decl.get("rules", {})]
    key = decl["schema"].get("primaryKey")
    return pa.DataFrameSchema(cols, checks=checks, unique=key, strict=True, ordered=True, name=name, coerce=False)


def _foreign_key_failures(frames: dict[str, pd.DataFrame], references: dict[str, pd.DataFrame]) -> list[str]:
    out = []
    for name, df in frames.items():
        for fk in declarations()[name]["schema"].get("foreignKeys", []):
            resource = fk["reference"]["resource"]
            ref = frames.get(resource, references.get(resource))
            if ref is None:
                continue
            left = df[fk["fields"]].drop_duplicates()
            right = ref[fk["reference"]["fields"]].drop_duplicates()
            right.columns = fk["fields"]
            missing = left.merge(right, how="left", on=fk["fields"], indicator=True)
            missing = missing[missing["_merge"] == "left_only"]
            for _, row in missing.head(5).iterrows():
                keys = ", ".join(f"{f}={row[f]}" for f in fk["fields"])
                out.append(f"{name}.csv: {keys} has no match in {fk['reference']['resource']}.csv")
    return out


def validate_frames(frames: dict[str, pd.DataFrame], references: dict[str, pd.DataFrame] | None = None) -> None:
    """Check every table against its schema (all failures together); raise DatasetError.
    Foreign keys refer to the tables given, else to `references` (the key columns of
    tables checked before, for a part of a dataset checked on its own)."""
    problems: list[str] = []
    for name in (n for n in RESOURCES if n in frames):
        try:
            pandera_schema(name).validate(frames[name], lazy=True)
        except pa.errors.SchemaErrors as exc:
            rules = declarations()[name].get("rules", {})
            seen = set()
            for _, case in exc.failure_cases.iterrows():
                check, index = str(case.get("check")), case.get("index")
                if (check, index) in seen or len(seen) >= 20:
                    continue
                seen.add((check, index))
                where = f"line {int(index) + 2}" if isinstance(index, int) else "file"
                column = "" if check in rules else f" column {case.get('column')}"
                why = f" ({rules[check]})" if check in rules else f" (value {case.get('failure_case')!r})"
                problems.append(f"{name}.csv {where}:{column} fails {check}{why}")
    problems.extend(_foreign_key_failures(frames, references or {}))
    if problems:
        raise DatasetError("dataset does not match its schemas:", problems)


def datapackage() -> dict:
    """A Frictionless Data Package descriptor of the dataset, from the same declarations."""
    resources = []
    for name in RESOURCES:
        decl = declarations()[name]
        resource = {k: v for k, v in decl.items() if k != "rules"}
        resource.update(
            {
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": CSV_DIALECT,
            }
        )
        if decl.get("rules"):
            resource["description"] += " Rules: " + "; ".join(decl["rules"].values()) + "."
        resource["schema"] = dict(decl["schema"], missingValues=[""])
        resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "name": "swedish-region-grant-reports",
        "title": "Agreements and targeted state grants reported by Swedish regions",
        "description": "Extracted by pipeline from the reports in raw/. Money is in whole kronor (SEK); lists "
        "are joined with ';'; an empty cell means no value.",
        "resources": resources,
    }
