"""Checks across the reports of a batch (issue 12): the agreement key that links them, the
prior-year figures a report gives against the earlier report, and a decision against the
follow-up for the same agreement and year."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import csv_rows, run_extract

GOOD = "god och nära vård"


def _text_rows(dataset: Path, name: str) -> list[dict]:
    return [r for r in csv_rows(dataset / name) if r["doc_id"].endswith(".txt")]


def test_one_agreement_has_one_key_in_every_year_and_document(dataset):
    """God och nära vård: the 2019/2020 compilation, the 2021 and 2022 follow-ups, the 2022
    allocation decision and the 2024 decision basis, each naming it differently."""
    grants = _text_rows(dataset, "grants.csv")
    years = {(g["doc_id"][:3], g["covers_year"]) for g in grants if g["agreement_key"] == GOOD}
    assert years == {("001", "2019"), ("001", "2020"), ("002", "2021"), ("000", "2022")}
    docs = {d["doc_id"][:3]: d["agreement_key"] for d in _text_rows(dataset, "documents.csv")}
    assert docs == {"000": "", "001": "", "002": "", "003": GOOD, "004": GOOD}


def test_other_agreements_and_the_pandemic_grants_do_not_link_to_it(dataset):
    grants = _text_rows(dataset, "grants.csv")
    access = {g["agreement_key"] for g in grants if "tillgänglighet i hälso" in g["grant"].lower()}
    assert access and GOOD not in access
    temporary = {g["agreement_key"] for g in grants if g["category"] == "temporary"}
    recurring = {g["agreement_key"] for g in grants if g["category"] in ("agreement", "state_grant")}
    assert temporary and recurring and not temporary & recurring


def test_every_grant_traces_to_its_row(dataset):
    items = {(r["doc_id"], r["table_id"], r["row"]): r for r in csv_rows(dataset / "line_items.csv")}
    for g in csv_rows(dataset / "grants.csv"):
        row = items[(g["doc_id"], g["table_id"], g["row"])]
        assert (row["amount_sek"], row["line"], row["agreement_key"]) == (
            g["amount_sek"],
            g["line"],
            g["agreement_key"],
        )


def test_prior_year_figures_in_raw_are_checked_against_the_earlier_report(dataset):
    """The 2022 follow-up writes '(år 2021 72,7 mkr)' for God och nära vård; the 2021
    follow-up's register gives 71 402 347 kr but its own text 72,7 mnkr: ambiguous, naming
    both, not a finding. '(År 2021 2,7 mnkr)' agrees with 2 722 993 kr."""
    checks = [c for c in _text_rows(dataset, "checks.csv") if c["kind"] == "prior_year"]
    by_stated = {c["stated_sek"]: c for c in checks}
    good = by_stated["71402347"]
    assert (good["doc_id"][:3], good["other_doc_id"][:3], good["computed_sek"], good["status"]) == (
        "002",
        "000",
        "72700000",
        "ambiguous",
    )
    assert "own text" in good["message"]
    assert by_stated["2722993"]["status"] == "ok"
    assert "mismatch" not in {c["status"] for c in checks}


def test_an_allocation_decision_is_checked_against_the_follow_up(dataset):
    checks = [c for c in _text_rows(dataset, "checks.csv") if c["kind"] == "cross_document"]
    decision = [c for c in checks if c["doc_id"].startswith("003")]
    assert [(c["stated_sek"], c["computed_sek"], c["status"], c["other_doc_id"][:3]) for c in decision] == [
        ("64410035", "64410035", "ok", "000")
    ]


EARLIER = """## Uppföljning av riktade statsbidrag 2021

Region Exempel har erhållit följande medel för år 2021.

Statsbidrag	Erhållna medel (kronor)
Överenskommelse om en God och nära vård 2021 (RS/1/2021)	41 250 000
Statsbidrag för vaccinering mot covid-19 år 2021	3 400 000
Totalt erhållna medel	44 650 000
"""

LATER = """## Uppföljning av riktade statsbidrag 2022

Region Exempel har erhållit följande medel för år 2022.

Statsbidrag	Erhållna medel (kronor)
Överenskommelse om en God och nära vård 2022 (RS/2/2022)	43 100 000
Statsbidrag för vaccinering mot covid-19 år 2022	1 200 000
Totalt erhållna medel	44 300 000

## Överenskommelse om en God och nära vård 2022 (RS/2/2022)

Regionen har erhållit 43,1 miljoner kronor för God och nära vård (år 2021 {prior}).
"""


def test_a_prior_year_figure_the_earlier_report_does_not_give_is_a_finding(tmp_path):
    for prior, status in (("41,3 mkr", "ok"), ("45,2 mkr", "mismatch")):
        folder = tmp_path / status
        folder.mkdir()
        (folder / "a2021.txt").write_text(EARLIER, encoding="utf-8")
        (folder / "b2022.txt").write_text(LATER.format(prior=prior), encoding="utf-8")
        run_extract([folder], folder / "out")
        checks = [c for c in csv_rows(folder / "out" / "checks.csv") if c["kind"] == "prior_year"]
        assert [(c["doc_id"], c["stated_sek"], c["status"], c["other_doc_id"]) for c in checks] == [
            ("a2021.txt", "41250000", status, "b2022.txt")
        ]
        manifest = (folder / "out" / "manifest.json").read_text(encoding="utf-8")
        assert ('"findings": 1' in manifest) == (status == "mismatch")


EDITION = """## Årsredovisning {year}

Alla belopp redovisas i tkr.

## Resultaträkning

Resultaträkning (tkr)	{header}
Verksamhetens intäkter	{income}
Verksamhetens kostnader	{costs}
Avskrivningar	{depreciation}
Verksamhetens nettokostnader	{net}
"""


def _prior_year_checks(tmp_path: Path, earlier: dict, later: dict) -> list[dict]:
    """The prior_year checks of a batch of the 2023 edition and the 2024 edition."""
    (tmp_path / "a.txt").write_text(EDITION.format(year=2023, **earlier), encoding="utf-8")
    (tmp_path / "b.txt").write_text(EDITION.format(year=2024, **later), encoding="utf-8")
    run_extract([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "out")
    return [c for c in csv_rows(tmp_path / "out" / "checks.csv") if c["kind"] == "prior_year"]


def test_next_years_edition_prints_this_years_figures_again_and_a_restated_one_is_a_finding(tmp_path):
    """Two rows that agree show the tables are two editions of one; the 2023 costs that the
    2024 edition prints 100 tkr lower (and the net costs with them) are findings."""
    checks = _prior_year_checks(
        tmp_path,
        dict(
            header="Utfall 2023\tBudget 2023",
            income="12 410\t12 000",
            costs="-98 733\t-97 500",
            depreciation="-4 118\t-4 200",
            net="-90 441\t-89 700",
        ),
        dict(
            header="Utfall 2024\tUtfall 2023",
            income="13 020\t12 410",
            costs="-101 250\t-98 633",
            depreciation="-4 305\t-4 118",
            net="-92 535\t-90 341",
        ),
    )
    assert {(c["doc_id"], c["stated_sek"], c["computed_sek"], c["status"], c["other_doc_id"]) for c in checks} == {
        ("a.txt", "-98733000", "-98633000", "mismatch", "b.txt"),
        ("a.txt", "-90441000", "-90341000", "mismatch", "b.txt"),
    }


def test_tables_that_share_labels_but_no_figures_are_not_editions(tmp_path):
    checks = _prior_year_checks(
        tmp_path,
        dict(header="Utfall 2023", income="12 410", costs="-98 733", depreciation="-4 118", net="-90 441"),
        dict(
            header="Utfall 2024\tUtfall 2023",
            income="13 020\t11 980",
            costs="-101 250\t-97 100",
            depreciation="-4 305\t-4 250",
            net="-92 535\t-89 370",
        ),
    )
    assert not checks
