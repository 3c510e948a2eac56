"""Data Docs: the seeds run's Great Expectations pages load nothing from outside the machine and
render styled, with the rows their tables draw in JavaScript, in headless Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_report import DevTools, needs_chromium

from tasks.data_docs import VENDOR_DIR

# <script src> and <link href> attributes: what a browser loads (an <a href> is only a link).
RESOURCE = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="(?P<url>[^"]+)"')
OUTSIDE = ("http://", "https://", "//")
BOOTSTRAP_TABLE_PAGE_SIZE = 10  # rows per page of bootstrap-table's pagination

PAGE_FACTS = """document.fonts.ready.then(() => JSON.stringify({
  navbar_display: getComputedStyle(document.querySelector('.navbar')).display,
  fonts_loaded: [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family),
  bootstrap_tables: document.querySelectorAll('div.bootstrap-table').length,
  rows: [...document.querySelectorAll('div.bootstrap-table .fixed-table-body table')].map(
    table => table.querySelectorAll('tbody tr[data-index]').length),
  errors: window.scriptErrors,
}))"""


def pages(docs: Path) -> list[Path]:
    return sorted(docs.rglob("*.html"))


def test_no_page_loads_a_script_or_stylesheet_from_outside(seeds_output):
    docs = seeds_output / "data_docs"
    assert len(pages(docs)) > 10
    for page in pages(docs):
        html = page.read_text(encoding="utf-8")
        resources = [match["url"] for match in RESOURCE.finditer(html)]
        assert resources, page
        assert [url for url in resources if url.startswith(OUTSIDE)] == [], page
        for url in resources:
            assert (page.parent / url).is_file(), (page, url)
        assert "amazonaws.com" not in html, page
    assert (docs / VENDOR_DIR / "font-awesome" / "webfonts" / "fa-solid-900.woff2").is_file()


@pytest.fixture()
def offline_browser(tmp_path):
    """Headless Chromium that blocks every http(s) request, as on a machine without internet,
    and records the pages' script errors."""
    devtools = DevTools(tmp_path / "profile")
    devtools.call("Network.setBlockedURLs", session=True, urls=["http://*", "https://*"])
    devtools.call(
        "Page.addScriptToEvaluateOnNewDocument",
        session=True,
        source="window.scriptErrors = []; "
        "addEventListener('error', e => scriptErrors.push(String(e.message)));",
    )
    yield devtools
    devtools.close()


def browse(browser: DevTools, page: Path) -> dict:
    """What `page` requested, and its facts once its fonts are loaded."""
    browser.open(page.as_uri())
    facts = json.loads(browser.evaluate(PAGE_FACTS))
    requested = [r["request"]["url"] for r in browser.named_events("Network.requestWillBeSent")]
    facts["requested"] = requested
    facts["outside"] = [url for url in requested if not url.startswith(("file:", "data:"))]
    facts["failed"] = browser.named_events("Network.loadingFailed")
    return facts


def assert_styled_and_complete(facts: dict) -> None:
    assert facts["outside"] == [] and facts["failed"] == []
    assert facts["errors"] == []
    assert facts["navbar_display"] == "flex"  # Bootstrap's .navbar; unstyled it is a block
    assert "Font Awesome 6 Free" in facts["fonts_loaded"]  # the status icons' font
    assert any(f"/{VENDOR_DIR}/bootstrap-table/" in url for url in facts["requested"])


@needs_chromium
@pytest.mark.slow
def test_the_index_lists_every_validation_offline(offline_browser, seeds_output):
    docs = seeds_output / "data_docs"
    validations = len(pages(docs / "validations"))
    suites = len(pages(docs / "expectations"))
    facts = browse(offline_browser, docs / "index.html")
    assert_styled_and_complete(facts)
    # Both tables are drawn by bootstrap-table from data in a script: empty without it.
    assert facts["bootstrap_tables"] == 2
    assert facts["rows"] == [
        min(validations, BOOTSTRAP_TABLE_PAGE_SIZE),
        min(suites, BOOTSTRAP_TABLE_PAGE_SIZE),
    ]


@needs_chromium
@pytest.mark.slow
def test_a_validation_results_page_shows_its_rows_offline(offline_browser, seeds_output):
    results = json.loads((seeds_output / "validation" / "results.json").read_text())
    expectations = sum(outcome["suite"] == "articles" for outcome in results["outcomes"])
    (page,) = pages(seeds_output / "data_docs" / "validations" / "articles")
    html = page.read_text(encoding="utf-8")
    facts = browse(offline_browser, page)
    assert_styled_and_complete(facts)
    assert facts["bootstrap_tables"] == html.count('data-toggle="table"') > 0
    assert all(facts["rows"])
    assert sum(facts["rows"]) >= expectations  # a row per expectation, besides the statistics
