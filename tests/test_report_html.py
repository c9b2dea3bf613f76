"""The auditors' page (`pipeline report DATASET --out report.html`): self-contained,
findings first with both places and their source text, figures the Swedish way; opened in
a real browser (Debian's headless Chromium through its ChromeDriver, which .ci/run
installs) with no console error and every finding visible."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import EXTRACTED, csv_rows

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
REPORT = (
    "# Bidrag 2024\n\nPost\tkronor\n=SUM(A1:A9) & a<c\t100 000\n<script>alert(1)</script>\t50 000\nSumma\t150 000\n"
)


def _page(dataset: Path, target: Path) -> str:
    result = CliRunner().invoke(main, ["report", str(dataset), "--out", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


def _findings(dataset: Path) -> list[dict]:
    return [c for c in csv_rows(dataset / "checks.csv") if c["status"] == "mismatch"]


def test_the_page_lists_every_finding_first_with_both_figures_the_swedish_way(tmp_path):
    text = _page(EXTRACTED, tmp_path / "report.html")
    findings = _findings(EXTRACTED)
    assert findings
    first_table = text.index('<section id="documents">')
    for c in findings:
        at = text.index(f'data-check="{c["doc_id"]}::{c["check_id"]}"')
        assert at < first_table
        shown = f"{int(c['stated_sek']):,}".replace(",", " ") + " kr"
        assert shown in text[at : at + 3000]
    assert "179 179 316 kr" in text


def test_the_page_is_self_contained_and_source_text_is_only_text(tmp_path):
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["extract", str(tmp_path / "r.txt"), "--out", str(out)]).exit_code == 0
    text = _page(out, tmp_path / "r.html")
    assert not re.search(r"(?i)<script|<link|<img|<iframe|\bsrc=|https?://", text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "=SUM(A1:A9) &amp; a&lt;c" in text


def test_an_existing_file_is_never_overwritten_and_a_target_is_required(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("mine", encoding="utf-8")
    again = CliRunner().invoke(main, ["report", str(EXTRACTED), "--out", str(target)])
    assert again.exit_code == 2 and "not overwriting" in again.output
    assert target.read_text(encoding="utf-8") == "mine"
    assert CliRunner().invoke(main, ["report", str(EXTRACTED)]).exit_code == 2


def _browser(tmp_path: Path):
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium and chromium-driver (.ci/run)")
        pytest.skip("no Chromium here: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1600",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def test_the_page_opens_in_a_browser_with_every_finding_visible(tmp_path):
    from selenium.webdriver.common.by import By

    target = tmp_path / "report.html"
    _page(EXTRACTED, target)
    driver = _browser(tmp_path)
    try:
        driver.get(target.as_uri())
        assert driver.title == "pipeline report"
        for c in _findings(EXTRACTED):
            article = driver.find_element(
                By.CSS_SELECTOR, f'article.finding[data-check="{c["doc_id"]}::{c["check_id"]}"]'
            )
            driver.execute_script("arguments[0].scrollIntoView();", article)
            assert article.is_displayed() and c["kind"] in article.text
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []
        driver.execute_script("window.scrollTo(0, 0);")
        shot = tmp_path / "report.png"
        assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 0
        print(f"screenshot of the report page: {shot}")
    finally:
        driver.quit()
