"""Hostile input: every file ends as a published article or a quarantine row with its reason.

The corpus is generated here (issue 9): broken encodings, binary and oversized files, page
furniture, impossible dates, hostile HTML, bad JSONL, odd scripts, control bytes, odd names.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252", the codec of mojibake)
import pytest
from conftest import SEEDS
from in_memory import normalize

from schemas.tables import TABLES
from tasks.clean import MAX_BODY_CHARS, clean
from tasks.extract import extract
from tasks.ingest import MAX_DOCUMENT_BYTES, MAX_LINE_CHARS, read_inputs
from tasks.records import Article, RunInfo

# Constructed news prose: each sentence names actors, places and a reporting verb.
SENTENCES = (
    "The foreign minister said on Tuesday that the government would send a delegation to "
    "Geneva to discuss the proposed trade agreement with European officials.",
    "Officials in Brussels welcomed the move and said talks could resume within weeks.",
    "“We are ready to negotiate in good faith,” the minister told reporters in Ottawa.",
    "Opposition lawmakers criticised the plan, saying it ignored the concerns of farmers.",
    "The European Commission is expected to publish its response later this month.",
)


def endless_article() -> str:
    """An article longer than a body may be, its paragraphs all different (the same paragraph
    repeated a thousand times reads as a page of furniture, not as a story)."""
    paragraphs = prose(5).split("\n\n")
    count = len(paragraphs) * (MAX_BODY_CHARS // len(prose(5)) + 1)
    return "\n\n".join(
        f"{paragraphs[n % len(paragraphs)]} That was point {n + 1}." for n in range(count)
    )


def prose(paragraphs: int = 3, lead: str = "") -> str:
    """A plausible article: paragraphs of two sentences each, after an optional lead."""
    body = [
        f"{SENTENCES[i % len(SENTENCES)]} {SENTENCES[(i + 1) % len(SENTENCES)]}"
        for i in range(paragraphs)
    ]
    return "\n\n".join([lead, *body] if lead else body)


def _no_control_characters(text: str) -> bool:
    return not any(unicodedata.category(c) == "Cc" and c != "\n" for c in text)


@dataclass(frozen=True)
class Published:
    """A file that must become an article satisfying `check`."""

    check: Callable[[Article], bool] = lambda article: True
    language: str = "en"


@dataclass(frozen=True)
class Rejected:
    """A file (or JSONL record) that must become a quarantine row."""

    step: str
    reason: str


NESTED_QUOTES = "".join(f"{mark}level {i} " for i, mark in enumerate("\"“‘'«" * 12))
PAGE_FURNITURE = [
    "Home",
    "World",
    "Business",
    "Sport",
    "Subscribe",
    "Sign in",
    "Share this article",
    "Follow us on Twitter",
    "Privacy Policy",
    "Terms of Use",
    "Cookie settings",
    "© 2024 Example Media. All rights reserved.",
]
HOSTILE_HTML = (
    "<html><head><title>Trade talks resume</title><script>alert('head')</script>"
    "<style>p{color:red}</style></head><body><nav><a href='/'>Home</a></nav>"
    "<iframe src='http://tracker.invalid/ad'></iframe><article><h1>Trade talks resume</h1>"
    + "".join(f"<p>{s}" for s in SENTENCES)  # unclosed paragraphs
    + "<img src='data:image/png;base64,"
    + base64.b64encode(bytes(range(256)) * 8192).decode()  # a 2.8 MB inline image
    + "'><script>document.write('<p>injected</p>')</script>"
    + "<p>The delegation will <b>report <i>back</b> next week.</i></div></td></table>"
)
LONG_PARAGRAPH = " ".join(SENTENCES * (100_000 // len(" ".join(SENTENCES)) + 1))[:100_000]
QUOTES_PARAGRAPH = "“We will talk,” the minister said. " * 2800  # 5,600 quote marks, 98k chars


def _jsonl() -> bytes:
    lines = [
        json.dumps({"id": "good", "title": "Talks", "date": "2023-02-30", "text": prose()}),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "no-text", "title": "A headline only"}),
        json.dumps({"id": "list-text", "text": ["not", "a", "string"]}),
        json.dumps({"id": "object-title", "title": {"x": 1}, "text": prose()}),
        json.dumps({"id": "good", "text": prose(2)}),
        "null",
        "[1, 2, 3]",
        json.dumps({"id": 42, "title": 7, "date": 20230101, "text": prose(4)}),
        # JSON escapes of lone surrogates decode to strings UTF-8 cannot store.
        '{"id": "lone-\\ud800", "title": "\\udc00", "text": "' + prose(2).replace("\n", "\\n")
        + ' \\ud83d"}',
        "[" * 100_000,  # deeper than Python's recursion limit
        '{"id": ' + "9" * 5000 + ', "text": "a number too long to convert"}',
    ]  # fmt: skip
    return "\n".join(lines).encode()


def _uri(name: str) -> str:
    """The source_uri of a file name: bytes that are not UTF-8 read as U+FFFD."""
    return os.fsencode(name).decode("utf-8", "replace")


def hostile_corpus(root: Path) -> dict[str, Published | Rejected]:
    """Write the hostile files under `root`; return what each source_uri must become."""
    mojibake = prose(
        lead="The café owner in Geneva said the naïve plan of the ministry was “déjà vu”."
    )
    damaged = prose(
        lead="“Quoted” words were heard in a café near the ministry on Tuesday."
    ).encode()
    files: dict[str, tuple[bytes, Published | Rejected]] = {
        "empty.txt": (b"", Rejected("ingest", "empty_file")),
        "whitespace.txt": (b" \n\t\r\n   \n", Rejected("ingest", "empty_file")),
        "image.txt": (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16,
            Rejected("ingest", "binary"),
        ),
        "photo.png": (b"\x89PNG\r\n\x1a\n" + bytes(64), Rejected("ingest", "unsupported_format")),
        "archive.txt": (gzip.compress(prose().encode()), Rejected("ingest", "binary")),
        "page.html.txt": (gzip.compress(HOSTILE_HTML.encode()), Rejected("ingest", "binary")),
        "invalid_utf8.txt": (
            damaged[:40] + b"\xff\xe2\x80" + damaged[40:],
            Published(
                lambda a: "“Quoted” words were heard in a café" in a.body and "\ufffd" in a.body
            ),
        ),
        "utf16_bom.txt": (
            prose(
                lead="“Déjà vu,” the minister in Zürich said of the talks with European officials."
            ).encode("utf-16"),
            Published(
                lambda a: a.body.startswith("“Déjà vu,” the minister in Zürich said of the talks")
            ),
        ),
        "latin1.txt": (
            prose(
                lead="The ministry in Zürich said that the délégation from Besançon would "
                "arrive on Tuesday for the talks."
            ).encode("latin-1", "replace"),  # curly quotes have no Latin-1 form: "?"
            Published(
                lambda a: "The ministry in Zürich said that the délégation from Besançon" in a.body
            ),
        ),
        "windows1252.txt": (
            prose(
                lead="The minister’s “final offer” – made in São Paulo on Tuesday – was "
                "rejected by the unions."
            ).encode("cp1252"),
            Published(lambda a: "The minister’s “final offer” – made in São Paulo" in a.body),
        ),
        "mojibake.txt": (
            mojibake.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8"),
            Published(
                lambda a: "The café owner in Geneva said the naïve plan of the ministry" in a.body
            ),
        ),
        "boilerplate_only.txt": (
            "\n".join(PAGE_FURNITURE * 2).encode(),
            Rejected("clean", "no_body_found"),
        ),
        "impossible_date.txt": (
            (" date 2023-02-30 " + prose()).encode(),
            Published(lambda a: a.published_date is None and not a.body.startswith("date")),
        ),
        "future_date.txt": (
            (" date 2999-01-01 " + prose()).encode(),
            Published(lambda a: a.published_date is None and a.date_source == "none"),
        ),
        "hostile.html": (
            HOSTILE_HTML.encode(),
            Published(
                lambda a: (
                    "send a delegation to Geneva" in a.body
                    and "report back next week" in a.body
                    and not any(bad in a.body for bad in ("<", "alert(", "base64", "injected"))
                )
            ),
        ),
        "nested_quotes.txt": (
            prose(lead=f"The spokesman said {NESTED_QUOTES}and stopped.").encode(),
            Published(lambda a: "level 59" in a.body),
        ),
        "chinese.txt": (
            (
                "日本政府周二表示，将派遣代表团前往日内瓦，讨论与欧洲官员拟议的贸易协定。" * 8
            ).encode(),
            Published(language="zh"),
        ),
        "russian.txt": (
            (
                "Министр иностранных дел заявил во вторник, что правительство направит "
                "делегацию в Женеву для обсуждения торгового соглашения. " * 4
            ).encode(),
            Published(language="ru"),
        ),
        "arabic.txt": (
            (
                "قال وزير الخارجية يوم الثلاثاء إن الحكومة سترسل وفدا إلى جنيف لمناقشة الاتفاق. "
                * 4
            ).encode("cp1256"),
            Published(language="ar"),
        ),
        "long_paragraphs.txt": (
            f"{LONG_PARAGRAPH}\n\n{QUOTES_PARAGRAPH}".encode(),
            Published(lambda a: len(a.body) >= 190_000),
        ),
        "control_characters.txt": (
            prose(
                lead="The minister\x00 said\x07 on Tuesday that the talks\x1b with European "
                "officials would\x0b resume in Geneva next week.\x0c\x7f"
            ).encode(),
            Published(lambda a: "minister said on Tuesday that the talks with" in a.body),
        ),
        "huge.txt": (b"word " * (50 * 1024 * 1024 // 5), Rejected("ingest", "too_large")),
        "single_line.txt": (b"x" * (5 * 1024 * 1024), Rejected("ingest", "too_large")),
        "endless_article.txt": (endless_article().encode(), Rejected("clean", "too_large")),
        "my story.txt": (prose(2).encode(), Published()),
        "日本語 ニュース.txt": (prose(3).encode(), Published()),
        "line\nbreak.txt": (prose(4).encode(), Published()),
        os.fsdecode(b"latin1 name \xe9.txt"): (prose(5).encode(), Published()),
    }
    expected: dict[str, Published | Rejected] = {}
    for name, (data, outcome) in files.items():
        (root / name).write_bytes(data)
        expected[_uri(name)] = outcome
    os.mkfifo(root / "named_pipe.txt")  # reading it would block forever
    expected["named_pipe.txt"] = Rejected("ingest", "unreadable")
    (root / "records.jsonl").write_bytes(_jsonl())
    expected |= {
        "records.jsonl#good": Published(lambda a: a.published_date is None and a.title == "Talks"),
        "records.jsonl#line2": Rejected("ingest", "malformed_json"),
        "records.jsonl#no-text": Rejected("ingest", "missing_content"),
        "records.jsonl#line4": Rejected("ingest", "invalid_record"),
        "records.jsonl#line5": Rejected("ingest", "invalid_record"),
        "records.jsonl#line7": Rejected("ingest", "invalid_record"),
        "records.jsonl#line8": Rejected("ingest", "invalid_record"),
        # Numbers for strings: an eight-digit date is ISO 8601's compact form (YYYYMMDD).
        "records.jsonl#42": Published(
            lambda a: a.title == "7" and a.published_date == date(2023, 1, 1)
        ),
        "records.jsonl#line11": Rejected("ingest", "malformed_json"),
        "records.jsonl#line12": Rejected("ingest", "malformed_json"),
        "records.jsonl#lone-\ufffd": Published(
            lambda a: a.title == "\ufffd" and a.body.endswith("\ufffd")
        ),
    }
    return expected


# The second "good" record repeats an id: a quarantine row under the first one's source_uri.
DUPLICATE_RECORD = ("records.jsonl#good", "ingest", "duplicate_record_id")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, Published | Rejected]]:
    root = tmp_path_factory.mktemp("hostile")
    return root, hostile_corpus(root)


@pytest.fixture(scope="module")
def steps(corpus):
    """read_inputs -> clean -> extract -> normalize over the corpus, as the flow chains them."""
    root, _ = corpus
    documents, rejected_inputs = read_inputs([str(root)])
    articles, rejected_articles = clean(documents)
    # CPU time of this process (extraction runs in it): what the code costs, whatever else
    # the machine is running.
    started = time.process_time()
    extractions, failed = extract(articles)
    extract_seconds = time.process_time() - started
    run = RunInfo("hostile-run", datetime.now(UTC), "test")
    tables = normalize(articles, extractions, rejected_inputs + rejected_articles + failed, run)
    return articles, tables, extract_seconds


def test_each_input_is_published_or_quarantined_with_its_reason(corpus, steps):
    _, expected = corpus
    articles, tables, _ = steps
    quarantined = {
        (row["source_uri"], row["step"], row["reason"]) for row in tables["quarantine"].to_pylist()
    }
    wanted = {(uri, o.step, o.reason) for uri, o in expected.items() if isinstance(o, Rejected)}
    assert quarantined == wanted | {DUPLICATE_RECORD}
    assert all(row["detail"] for row in tables["quarantine"].to_pylist())
    published = {a.source_uri for a in articles}
    assert published == {uri for uri, o in expected.items() if isinstance(o, Published)}


def test_published_hostile_inputs_keep_their_facts_and_a_clean_body(corpus, steps):
    _, expected = corpus
    articles, _, _ = steps
    for article in articles:
        outcome = expected[article.source_uri]
        assert isinstance(outcome, Published)
        assert article.language == outcome.language, article.source_uri
        assert outcome.check(article), article.source_uri
        assert article.body.strip() and _no_control_characters(article.body), article.source_uri


def test_tables_of_a_hostile_run_keep_their_invariants(steps):
    articles, tables, _ = steps
    bodies = {a.article_id: a.body for a in articles}
    for table in ("entities", "quotes", "events"):
        rows = tables[table].to_pylist()
        assert rows, f"no {table} at all: extraction did not run"
        for row in rows:
            body = bodies[row["article_id"]]
            for text, start, end in TABLES[table].spans:
                if row[start] is not None:
                    assert 0 <= row[start] <= row[end] <= len(body), (table, row)
                    assert body[row[start] : row[end]] == row[text], (table, row)
    for table, key in (("articles", "article_id"), ("entities", "mention_id"),
                       ("quotes", "quote_id"), ("events", "event_id")):  # fmt: skip
        ids = tables[table].column(key).to_pylist()
        assert len(ids) == len(set(ids)), table
    # Text in another language gets no rows from the English model (no garbage entities).
    foreign = {a.article_id for a in articles if a.language != "en"}
    assert foreign
    for table in ("entities", "quotes", "events"):
        assert not foreign & set(tables[table].column("article_id").to_pylist()), table


def test_long_paragraphs_do_not_make_extraction_quadratic(steps):
    articles, _, extract_seconds = steps
    assert max(len(a.body) for a in articles) >= 190_000
    # About 20 s here, nearly all of it spaCy. Per-quote and per-event reads of doc.text,
    # doc.ents or the text before a position once made this take many minutes.
    assert extract_seconds < 60


def test_size_limits_are_checked_without_reading_the_whole_file(tmp_path):
    (tmp_path / "huge.txt").write_bytes(b"word " * ((MAX_DOCUMENT_BYTES + 1) // 5 + 1))
    (tmp_path / "line.txt").write_bytes(b"y" * (MAX_LINE_CHARS + 1))
    (tmp_path / "huge.jsonl").write_bytes(
        json.dumps({"id": "big", "text": "z" * MAX_DOCUMENT_BYTES}).encode()
    )
    started = time.perf_counter()
    documents, quarantined = read_inputs([str(tmp_path)])
    assert time.perf_counter() - started < 10
    assert documents == []
    assert {(q.source_uri, q.reason) for q in quarantined} == {
        ("huge.txt", "too_large"),
        ("line.txt", "too_large"),
        ("huge.jsonl#line1", "too_large"),
    }


@pytest.mark.slow
def test_the_flow_survives_the_hostile_corpus_and_drops_nothing(prefect_api, corpus, tmp_path):
    from flows.news_pipeline import news_pipeline

    root, expected = corpus
    seed = next(SEEDS.glob("*.txt"))
    output = tmp_path / "out"

    summary = news_pipeline(inputs=(str(root), str(seed)), output=str(output))

    connection = duckdb.connect()
    published = {
        uri
        for (uri,) in connection.execute(
            f"SELECT source_uri FROM read_parquet('{output}/articles/*.parquet')"
        ).fetchall()
    }
    quarantine = connection.execute(
        f"SELECT source_uri, step, reason FROM read_parquet('{output}/quarantine/*.parquet')"
    ).fetchall()
    assert seed.name in published
    assert published == {u for u, o in expected.items() if isinstance(o, Published)} | {seed.name}
    wanted = {(uri, o.step, o.reason) for uri, o in expected.items() if isinstance(o, Rejected)}
    assert set(quarantine) == wanted | {DUPLICATE_RECORD}
    seen = published | {uri for uri, _, _ in quarantine}
    for path in [*root.iterdir(), seed]:
        # Nothing silently dropped: every file is an article or a quarantine row (a JSONL file
        # through its records).
        name = _uri(path.name)
        assert any(uri == name or uri.startswith(f"{name}#") for uri in seen), path
    assert summary["rows"]["quarantine"] == len(quarantine)
    documents = summary["documents"]  # every input accounted for, in the run's own counts
    assert documents["read"] == documents["published"] + documents["quarantined"]
    assert documents["published"] == len(published)
