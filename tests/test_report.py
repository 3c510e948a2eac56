"""Report: one self-contained page that headless Chromium renders offline, data shown as text.

The browser tests drive Debian's `chromium` over the DevTools protocol to see every request the
page makes and what its scripts (there must be none) could have done.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path

import pytest
from test_suites import ARTICLE, good_rows, quote_row, to_tables

from tasks.ids import sha256_hex
from tasks.report import render_report
from tasks.validate import validate

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"
)
SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.title='pwned'\">"
AMPERSAND_NAME = "AT&T <Labs>"
PLOT_TITLES = (
    "Top entities by mentions",
    "Quotes per speaker",
    "Events over time by type",
    "Articles per source and date",
)


def hostile_rows() -> dict[str, list[dict]]:
    """A run whose article text, names and quarantine details are HTML and script."""
    rows = good_rows()
    article = rows["articles"][0]
    body = f"{article['body']}\n\n{SCRIPT} {IMG}, “it works,” {AMPERSAND_NAME} said."
    article.update(body=body, word_count=len(body.split()))
    article["content_sha256"] = sha256_hex(body)
    start = body.index(SCRIPT)
    rows["entities"].append(
        rows["entities"][0]
        | {"mention_id": f"{ARTICLE}-m{start}", "text": SCRIPT, "label": "ORG",
           "start_char": start, "end_char": start + len(SCRIPT), "entity_id": "e" + "1" * 16,
           "canonical_name": SCRIPT, "entity_type": "ORG", "country_code": None}
    )  # fmt: skip
    speaker = quote_row(ARTICLE, body, "it works", AMPERSAND_NAME)
    rows["quotes"].append(speaker | {"quote_type": SCRIPT})  # a row-level failure with a sample
    rows["quarantine"][0].update(source_uri=f"{SCRIPT}.txt", detail=IMG)
    return rows


def summary(tables) -> dict:
    return {
        "run_id": "run-1",
        "inputs": ["seeds", IMG],
        "documents_read": 2,
        "rows": {name: table.num_rows for name, table in tables.items()},
        "step_seconds": {"ingest": 0.2, "clean": 1.5, "extract": 9.0},
    }


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory) -> Path:
    tables = to_tables(hostile_rows())
    page = tmp_path_factory.mktemp("hostile-report") / "index.html"
    page.write_text(render_report(tables, validate(tables), summary(tables)), encoding="utf-8")
    return page


def svg_images(html: str) -> list[ET.Element]:
    prefix = "data:image/svg+xml;base64,"
    parts = html.split(prefix)[1:]
    return [ET.fromstring(base64.b64decode(part.split("'", 1)[0])) for part in parts]


def test_the_page_is_self_contained_and_escapes_every_value(hostile_page):
    html = hostile_page.read_text(encoding="utf-8")
    assert "<script" not in html.lower() and IMG not in html
    assert escape(SCRIPT) in html and escape(IMG) in html
    assert "http://" not in html and "https://" not in html
    assert "../data_docs/index.html" in html
    for title in PLOT_TITLES:
        assert title in html


def test_plot_text_is_escaped_xml(hostile_page):
    images = svg_images(hostile_page.read_text(encoding="utf-8"))
    assert len(images) == len(PLOT_TITLES)
    texts = {t.text for svg in images for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    # parsed back as the same text: matplotlib escaped it
    assert any(text.startswith(SCRIPT) for text in texts)
    assert AMPERSAND_NAME in texts


def test_a_failed_expectation_shows_its_offending_value(hostile_page):
    html = hostile_page.read_text(encoding="utf-8")
    assert "quotes.expect_column_values_to_be_in_set(quote_type)" in html
    assert "1 row(s) quarantined" in html and escape(SCRIPT) in html


def test_an_empty_run_renders():
    tables = to_tables({})
    html = render_report(tables, validate(tables), {"run_id": "empty"})
    assert html.count("Nothing to plot.") == len(PLOT_TITLES)


# --- in the browser ---------------------------------------------------------------------------


class DevTools:
    """Headless Chromium driven over the DevTools protocol (one page, flat sessions)."""

    def __init__(self, profile: Path):
        from websockets.sync.client import connect

        self.process = subprocess.Popen(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--remote-debugging-port=0", f"--user-data-dir={profile}",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and len(port_file.read_text().splitlines()) == 2):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()
        self.socket = connect(f"ws://127.0.0.1:{port}{path}", max_size=None)
        self.next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        for domain in ("Network", "Page", "Runtime"):
            self.call(f"{domain}.enable", session=True)

    def call(self, method: str, session: bool = False, **params) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv(timeout=60))
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(reply["error"])
                return reply["result"]
            self.events.append(reply)

    def open(self, url: str) -> None:
        self.call("Page.navigate", session=True, url=url)
        deadline = time.monotonic() + 60
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            assert time.monotonic() < deadline, "the page did not load"
            self.events.append(json.loads(self.socket.recv(timeout=60)))
        self.evaluate("new Promise(done => setTimeout(done, 300))")  # late requests, if any

    def evaluate(self, expression: str):
        result = self.call(
            "Runtime.evaluate",
            session=True,
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=1280, height=2400,
                  deviceScaleFactor=1, mobile=False)  # fmt: skip
        shot = self.call("Page.captureScreenshot", session=True, format="png")
        path.write_bytes(base64.b64decode(shot["data"]))

    def named_events(self, method: str) -> list[dict]:
        return [e["params"] for e in self.events if e.get("method") == method]

    def close(self) -> None:
        if getattr(self, "socket", None):
            self.socket.close()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture()
def browser(tmp_path):
    devtools = DevTools(tmp_path / "profile")
    yield devtools
    devtools.close()


PAGE_FACTS = """JSON.stringify({
  title: document.title,
  scripts: document.scripts.length,
  handlers: document.querySelectorAll('[onerror],[onload]').length,
  plots: [...document.images].filter(i => i.src.startsWith('data:image/svg+xml')).length,
  drawn: [...document.images].filter(i => i.complete && i.naturalWidth > 0).length,
  images: document.images.length,
  text: document.body.innerText,
})"""


def browse(browser: DevTools, page: Path) -> dict:
    browser.open(page.as_uri())
    facts = json.loads(browser.evaluate(PAGE_FACTS))
    requested = [r["request"]["url"] for r in browser.named_events("Network.requestWillBeSent")]
    facts["outside"] = [u for u in requested if not u.startswith(("file:", "data:"))]
    facts["failed"] = browser.named_events("Network.loadingFailed")
    return facts


@needs_chromium
@pytest.mark.slow
def test_the_seeds_report_renders_offline_with_its_plots(browser, seeds_output, tmp_path):
    page = seeds_output / "report" / "index.html"
    assert page.stat().st_size < 1_000_000
    facts = browse(browser, page)
    assert facts["outside"] == [] and facts["failed"] == []
    assert facts["plots"] == len(PLOT_TITLES) == facts["drawn"] == facts["images"]
    assert "validation passed" in facts["text"]
    assert "Published rows" in facts["text"]
    browser.screenshot(tmp_path / "report.png")
    assert (tmp_path / "report.png").stat().st_size > 10_000


@needs_chromium
def test_article_html_is_shown_as_text_and_never_runs(browser, hostile_page):
    facts = browse(browser, hostile_page)
    assert facts["title"] == "newsflow report"
    assert facts["scripts"] == 0 and facts["handlers"] == 0
    assert facts["outside"] == [] and facts["failed"] == []
    assert facts["drawn"] == facts["images"] == len(PLOT_TITLES)
    assert SCRIPT in facts["text"]
    assert IMG in facts["text"]
