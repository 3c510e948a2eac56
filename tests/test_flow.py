"""End to end: the real flow (Prefect, spaCy, GX) over seeds/, read back with DuckDB."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from conftest import REPO, SEEDS

import flows.news_pipeline as pipeline
import tasks.normalize.corpus as corpus
from schemas.tables import TABLES
from tasks.normalize import finalize

# The minimum columns of DATA_CONTRACT.md, per table.
CONTRACT = {
    "articles": [
        "article_id", "source_uri", "source_name", "title", "byline", "dateline",
        "published_date", "date_source", "language", "body", "word_count", "content_sha256",
        "duplicate_of", "story_id", "run_id", "ingested_at", "pipeline_version",
    ],
    "entities": [
        "mention_id", "article_id", "text", "label", "start_char", "end_char", "sentence_index",
        "entity_id", "canonical_name", "entity_type", "country_code",
    ],
    "quotes": [
        "quote_id", "article_id", "quote_text", "start_char", "end_char", "quote_type",
        "speaker_text", "speaker_entity_id", "speaker_name", "speaker_start", "speaker_end",
        "cue", "sentence_index",
    ],
    "events": [
        "event_id", "article_id", "sentence_index", "trigger_text", "event_type", "actor_text",
        "actor_entity_id", "target_text", "target_entity_id", "actor_country", "target_country",
        "location_text", "event_date", "date_text", "date_precision", "modality", "negated",
        "confidence",
    ],
}  # fmt: skip


def query(output: Path, sql: str) -> list[tuple]:
    """Run SQL where {articles}, {entities}, ... name the published Parquet datasets."""
    names = {t: f"read_parquet('{output}/{t}/*.parquet')" for t in (*CONTRACT, "quarantine")}
    return duckdb.connect().execute(sql.format(**names)).fetchall()


def test_seeds_publish_the_contract_tables(seeds_output):
    for table, columns in CONTRACT.items():
        relation = duckdb.connect().sql(
            f"SELECT * FROM read_parquet('{seeds_output}/{table}/*.parquet')"
        )
        assert set(columns) <= set(relation.columns), table
        assert relation.count("*").fetchall()[0][0] > 0, f"{table} is empty"
    assert query(seeds_output, "SELECT count(*) FROM {articles}") == [(5,)]


def test_every_span_is_the_body_substring_it_points_at(seeds_output):
    for table in ("entities", "quotes", "events"):
        for text, start, end in TABLES[table].spans:
            rows = query(
                seeds_output,
                f"SELECT count(*), count(*) FILTER (WHERE substr(a.body, t.{start} + 1, "
                f"t.{end} - t.{start}) <> t.{text}) FROM {{{table}}} t "
                f"JOIN {{articles}} a USING (article_id) WHERE t.{start} IS NOT NULL",
            )
            checked, wrong = rows[0]
            assert checked > 0 and wrong == 0, (table, text, wrong)


def test_child_rows_reference_published_articles_and_entities(seeds_output):
    orphans = query(
        seeds_output,
        """
        SELECT (SELECT count(*) FROM {entities}
                WHERE article_id NOT IN (SELECT article_id FROM {articles}))
             + (SELECT count(*) FROM {quotes}
                WHERE speaker_entity_id NOT IN (SELECT entity_id FROM {entities}))
             + (SELECT count(*) FROM {events}
                WHERE actor_entity_id NOT IN (SELECT entity_id FROM {entities}))
        """,
    )
    assert orphans == [(0,)]


def test_validation_passed_and_the_report_is_published(seeds_output):
    results = json.loads((seeds_output / "validation" / "results.json").read_text())
    assert results["passed"] is True
    assert len(results["outcomes"]) > 50
    assert {o["suite"] for o in results["outcomes"]} >= {*CONTRACT, "quarantine", "entities_checks"}
    report = (seeds_output / "report" / "index.html").read_text()
    assert "passed" in report and "entities" in report
    # Data Docs: an index, and a page of results per suite that the run validated
    docs = seeds_output / "data_docs"
    assert (docs / "index.html").exists()
    validations = docs / "validations"
    suites = {page.relative_to(validations).parts[0] for page in validations.rglob("*.html")}
    assert suites == {o["suite"] for o in results["outcomes"]}


def test_seed_facts_a_reader_expects(seeds_output):
    dated = query(
        seeds_output,
        "SELECT published_date::VARCHAR, date_source FROM {articles} WHERE source_uri LIKE '000_%'",
    )
    assert dated == [("2023-09-13", "header")]
    # 002 is most of 001 with a date header.
    duplicate = query(
        seeds_output,
        "SELECT b.source_uri FROM {articles} a JOIN {articles} b ON a.duplicate_of = b.article_id "
        "WHERE a.source_uri LIKE '002_%'",
    )
    assert duplicate == [("001_1d7ca730a1957cc7.txt",)]
    # A named spokesperson's quote is attributed to him.
    speakers = query(
        seeds_output,
        "SELECT DISTINCT speaker_name FROM {quotes} "
        "WHERE quote_text LIKE '%any form of official exchanges%'",
    )
    assert speakers and all("Chen Binhua" in s for (s,) in speakers)
    hua = query(
        seeds_output,
        "SELECT speaker_name FROM {quotes} WHERE quote_text LIKE 'China firmly opposes%'",
    )
    assert hua and all("Hua Chunying" in s for (s,) in hua)
    # One entity id for Japan across all five articles, different from Taiwan's and China's.
    countries = query(
        seeds_output,
        """
        SELECT canonical_name, count(DISTINCT entity_id), count(DISTINCT article_id)
        FROM {entities}
        WHERE label = 'GPE' AND canonical_name IN ('Japan', 'Taiwan', 'China')
        GROUP BY canonical_name ORDER BY canonical_name
        """,
    )
    assert [(name, ids) for name, ids, _ in countries] == [
        ("China", 1),
        ("Japan", 1),
        ("Taiwan", 1),
    ]
    assert all(articles >= 4 for _, _, articles in countries)


def snapshot(output: Path) -> dict[str, str]:
    """Every published file's content hash and every link's target."""
    state = {}
    for path in sorted(output.rglob("*")):
        relative = path.relative_to(output).as_posix()
        if relative.startswith((".failed", ".staging")):
            continue
        if path.is_symlink():
            state[relative] = "-> " + os.readlink(path)
        elif path.is_file():
            state[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def test_a_run_that_fails_validation_leaves_the_published_output_untouched(
    prefect_api, tmp_path, monkeypatch
):
    output = tmp_path / "out"
    pipeline.news_pipeline(inputs=(str(SEEDS / "000_dbe89249c89d86f9.txt"),), output=str(output))
    before = snapshot(output)
    assert any(name.endswith(".parquet") for name in before)

    def finalize_with_duplicate_ids(name, rows, *args) -> pa.Table:
        rows = finalize(name, rows, *args)
        return pa.concat_tables([rows, rows.slice(0, 1)]) if name == "entities" else rows

    monkeypatch.setattr(corpus, "finalize", finalize_with_duplicate_ids)
    state = pipeline.news_pipeline(inputs=(str(SEEDS),), output=str(output), return_state=True)

    assert state.is_failed()
    assert "mention_id" in str(state.result(raise_on_failure=False))
    assert snapshot(output) == before
    failed = list((output / ".failed").glob("*/validation/results.json"))
    assert len(failed) == 1 and json.loads(failed[0].read_text())["passed"] is False
    assert not any((output / ".staging").iterdir())


def test_the_command_line_publishes_and_exits_zero(tmp_path):
    output = tmp_path / "cli-out"
    done = subprocess.run(
        [
            sys.executable,
            "flows/news_pipeline.py",
            "--input",
            str(SEEDS / "004_*.txt"),
            "--output",
            str(output),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert query(output, "SELECT count(*) FROM {articles}") == [(1,)]


def test_the_command_line_fails_with_a_one_line_reason(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "flows/news_pipeline.py",
            "--input",
            str(tmp_path / "missing"),
            "--output",
            str(tmp_path / "o"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("newsflow: run failed:") and "does not exist" in last


def test_help_documents_every_option():
    done = subprocess.run(
        [sys.executable, "flows/news_pipeline.py", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0
    for option in ("--input", "--output", "--batch-size", "--n-process"):
        assert option in done.stdout


@pytest.mark.parametrize("bad", [{"batch_size": 0}, {"n_process": -1}])
def test_flow_parameters_are_validated(prefect_api, tmp_path, bad):
    state = pipeline.news_pipeline(
        inputs=(str(SEEDS),), output=str(tmp_path), return_state=True, **bad
    )
    assert state.is_failed()


def test_unusable_inputs_are_quarantined_with_distinct_reasons_and_the_rest_published(
    prefect_api, tmp_path
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "story.txt").write_bytes((SEEDS / "004_747d38b2154d189f.txt").read_bytes())
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (inbox / "garbled.txt").write_bytes(bytes(range(0x80, 0x100)) * 3)  # no encoding fits
    (inbox / "menu.txt").write_text(
        "Home\nWorld\nBusiness\nSport\nSubscribe\nSign in\nPrivacy policy\nCookie settings\n"
    )
    output = tmp_path / "out"
    summary = pipeline.news_pipeline(inputs=(str(inbox),), output=str(output))

    assert summary["rows"]["articles"] == 1
    assert summary["documents"] == {
        "read": 5, "published": 1, "quarantined": 4, "already_published": 0
    }  # fmt: skip
    quarantined = dict(query(output, "SELECT source_uri, reason FROM {quarantine}"))
    assert set(quarantined) == {"empty.txt", "picture.txt", "garbled.txt", "menu.txt"}
    assert len(set(quarantined.values())) == 4
    assert {"empty_file", "binary", "undecodable"} <= set(quarantined.values())


def test_a_run_carries_its_summary_as_prefect_artifacts(prefect_api, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    summary = pipeline.news_pipeline(
        inputs=(str(SEEDS / "004_747d38b2154d189f.txt"),), output=str(tmp_path / "out")
    )
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[summary["run_id"]])
            )
        )
    by_key = {a.key: a for a in artifacts}
    assert by_key["newsflow-run-summary"].type == "markdown"
    assert "| articles | 1 |" in by_key["newsflow-run-summary"].data
    assert by_key["newsflow-failed-expectations"].type == "table"


def test_seed_events_in_the_published_table(seeds_output):
    """The seed errors of issue 22, as published: negation, the visitor, the named person,
    places and dates, China's drills and incursions."""

    def events(where: str) -> list[tuple]:
        return query(
            seeds_output,
            "SELECT e.event_type, e.actor_text, e.negated, e.location_text, e.date_text, "
            "e.event_date::VARCHAR, e.date_precision FROM {events} e "
            f"JOIN {{articles}} a USING (article_id) WHERE {where} ORDER BY a.source_uri",
        )

    unvisited = events("e.trigger_text = 'visited' AND e.actor_text LIKE 'no senior%'")
    assert len(unvisited) == 2 and all(negated for _, _, negated, *_ in unvisited)
    pelosi = events("e.trigger_text = 'visit' AND e.date_text = 'In August last year'")
    assert len(pelosi) == 2 and all("Pelosi" in actor for _, actor, *_ in pelosi)
    assert not events("e.event_type = 'CONSULT' AND e.actor_text = 'China'")
    met = events("e.trigger_text = 'met'")
    assert met and all(actor.startswith("Aso Taro") for _, actor, *_ in met)
    # 000 is dated 2023-09-13 (a Wednesday), 002 2023-09-12.
    stationed = events("a.source_uri LIKE '000_%' AND e.date_text = 'since this spring'")
    assert stationed == [("COOPERATE", "the defense ministry", False, "Taipei",
                          "since this spring", "2023-01-01", "year")]  # fmt: skip
    drills = events("a.source_uri LIKE '000_%' AND e.date_text = 'on Saturday'")
    assert {kind for kind, *_ in drills} == {"MOBILIZE"} and len(drills) == 2
    assert any(actor == "China" for _, actor, *_ in drills)
    assert all(day == "2023-09-09" for *_, day, _ in drills)
    dated = events(
        "a.source_uri LIKE '002_%' AND e.date_text IN ('last month', 'On Monday (Sep 11)')"
    )
    assert {(text, day, precision) for *_, text, day, precision in dated} == {
        ("last month", "2023-08-01", "month"),
        ("On Monday (Sep 11)", "2023-09-11", "day"),
    }
    located = query(seeds_output, "SELECT DISTINCT trigger_text, location_text FROM {events}")
    assert {("crossed", "Taiwan Strait"), ("visited", "Taiwan"), ("invasion", "Taiwan")} <= {
        *located
    }
