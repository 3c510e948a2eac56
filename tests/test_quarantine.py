"""Row-level quarantine: a row that fails a row-level expectation leaves the run for the
quarantine, with the rows that depend on it, and everything else publishes; a table whose
share of failing rows passes its bound blocks the run."""

from __future__ import annotations

import json

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pytest
from conftest import SEEDS
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from test_validate import ARTICLE, good_rows, tables

import flows.news_pipeline as pipeline
import tasks.normalize.corpus as corpus
from schemas.tables import TABLES
from tasks.ids import article_id, entity_id, sha256_hex
from tasks.normalize import finalize
from tasks.quarantine import plan_quarantine
from tasks.validate import validate

OTHER = article_id("b.txt", "raw")
OTHER_BODY = "Chen met Sato in Taipei."


def with_second_article(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """good_rows plus a second, sound article with one mention of its own."""
    article = dict(rows["articles"][0], article_id=OTHER, source_uri="b.txt", body=OTHER_BODY)
    article |= {
        "content_sha256": sha256_hex(OTHER_BODY),
        "word_count": 5,
        "story_id": "s" + OTHER[1:],
    }
    mention = dict(rows["entities"][0], mention_id=f"{OTHER}-m0-4", article_id=OTHER, text="Chen")
    mention |= {"label": "PERSON", "start_char": 0, "end_char": 4, "country_code": None}
    mention |= {"entity_id": entity_id("PERSON", "chen"), "canonical_name": "Chen"}
    mention |= {"entity_type": "PERSON"}
    rows["articles"].append(article)
    rows["entities"].append(mention)
    return rows


def plan_for(rows: dict[str, list[dict]]):
    data = {name: ds.dataset(table) for name, table in tables(rows).items()}
    report = validate(data)
    return report, plan_quarantine(report, data, data)


def test_an_out_of_set_value_quarantines_its_article_with_its_rows():
    rows = with_second_article(good_rows())
    rows["articles"][0]["language"] = "pcm"
    report, plan = plan_for(rows)

    assert report.passed  # a row-level failure blocks nothing by itself
    assert plan.drop["articles"] == {ARTICLE}
    assert plan.drop["entities"] == {f"{ARTICLE}-m0-5"}  # the other article's mention stays
    assert plan.drop["quotes"] == {rows["quotes"][0]["quote_id"]}
    assert plan.drop["events"] == {rows["events"][0]["event_id"]}
    (row,) = plan.rows  # one quarantine row: the article's, for all it took along
    assert (row.source_uri, row.step, row.reason) == ("a.txt", "validate", "language_not_in_set")
    assert (row.table_name, row.row_id) == ("articles", ARTICLE)
    assert "'pcm'" in row.detail and "1 entities, 1 quotes, 1 events" in row.detail
    assert plan.trusted  # 1 of 2 articles is within the 50% bound


def test_a_span_that_does_not_match_its_body_quarantines_that_row_only():
    rows = good_rows()
    rows["quotes"][0].update(start_char=35)  # one character early: no longer the quoted words
    _report, plan = plan_for(rows)

    assert {name: keys for name, keys in plan.drop.items() if keys} == {
        "quotes": {rows["quotes"][0]["quote_id"]}
    }
    (row,) = plan.rows
    assert row.reason == "failed_quote_text_matches_body" and row.table_name == "quotes"
    assert row.source_uri == "a.txt" and "We will talk" in row.detail


def test_an_orphan_row_is_quarantined_without_a_source():
    rows = good_rows()
    orphan = dict(rows["events"][0], event_id=f"{OTHER}-v0-4", article_id=OTHER)
    rows["events"].append(orphan)
    _report, plan = plan_for(rows)

    assert plan.drop == {"events": {orphan["event_id"]}}
    (row,) = plan.rows
    assert row.reason == "failed_article_exists" and row.source_uri is None
    assert OTHER in row.detail


def test_a_row_whose_entity_loses_every_mention_goes_with_it():
    rows = good_rows()
    rows["entities"][0].update(label="COUNTRY")  # the only mention of the events' actor
    second = dict(rows["events"][0], event_id=f"{ARTICLE}-v0-5", trigger_start=0, trigger_end=5)
    rows["events"].append(second | {"trigger_text": "Japan"})
    _report, plan = plan_for(rows)

    assert plan.drop["entities"] == {f"{ARTICLE}-m0-5"}
    assert plan.drop["events"] == {rows["events"][0]["event_id"], second["event_id"]}
    reasons = sorted((r.table_name, r.row_id, r.reason) for r in plan.rows)
    assert reasons == [
        ("entities", f"{ARTICLE}-m0-5", "label_not_in_set"),
        ("events", second["event_id"], "entity_quarantined"),
        ("events", rows["events"][0]["event_id"], "entity_quarantined"),
    ]


def test_a_table_with_most_rows_failing_is_not_trusted():
    rows = good_rows()
    template = rows["entities"][0]
    rows["entities"] = [
        dict(template, mention_id=f"{ARTICLE}-m{i}", label="COUNTRY" if i else "GPE")
        for i in range(6)
    ]
    _report, plan = plan_for(rows)

    (share,) = [o for o in plan.outcomes if o.column == "entities"]
    assert not plan.trusted and not share.success
    assert share.observed == "5 of 6 new rows (83.3%)"


# --- the real flow over the seeds, with defects injected after the normalize step -----------


def published(output, sql: str) -> list[tuple]:
    names = {t: f"read_parquet('{output}/{t}/*.parquet')" for t in TABLES}
    return duckdb.connect().execute(sql.format(**names)).fetchall()


@pytest.mark.slow
def test_bad_rows_are_quarantined_and_everything_else_publishes(prefect_api, tmp_path, monkeypatch):
    broken: dict[str, str] = {}

    def finalize_with_defects(name, rows, *args) -> pa.Table:
        rows = finalize(name, rows, *args)
        if name == "articles" and "pcm" not in broken.values():
            broken["article"] = rows["article_id"][0].as_py()
            language = pc.if_else(
                pc.equal(rows["article_id"], broken["article"]), "pcm", rows["language"]
            )
            return rows.set_column(rows.schema.get_field_index("language"), "language", language)
        elsewhere = pc.not_equal(rows["article_id"], broken["article"]) if broken else None
        if name == "quotes" and "quote" not in broken and pc.any(elsewhere).as_py():
            broken["quote"] = rows.filter(elsewhere)["quote_id"][0].as_py()
            start = pc.if_else(
                pc.equal(rows["quote_id"], broken["quote"]),
                pc.add(rows["start_char"], 1),
                rows["start_char"],
            )
            return rows.set_column(rows.schema.get_field_index("start_char"), "start_char", start)
        if name == "events" and "event" not in broken and rows.num_rows:
            orphan = rows.slice(0, 1).to_pylist()[0]
            orphan |= {"article_id": article_id("gone.txt", "x"), "event_id": "orphan-event"}
            broken["event"] = orphan["event_id"]
            return pa.concat_tables([rows, pa.Table.from_pylist([orphan], schema=rows.schema)])
        return rows

    monkeypatch.setattr(corpus, "finalize", finalize_with_defects)
    output = tmp_path / "out"
    summary = pipeline.news_pipeline(inputs=(str(SEEDS),), output=str(output))

    quarantine = published(
        output, "SELECT reason, table_name, row_id, source_uri FROM {quarantine}"
    )
    by_reason = {reason: (table, row, uri) for reason, table, row, uri in quarantine}
    assert by_reason["language_not_in_set"][:2] == ("articles", broken["article"])
    assert by_reason["failed_quote_text_matches_body"][:2] == ("quotes", broken["quote"])
    assert by_reason["failed_article_exists"] == ("events", "orphan-event", None)
    assert len(quarantine) == 3
    # the article went with its rows; the other rows of the quote's article stayed
    assert published(output, "SELECT count(*) FROM {articles}") == [(4,)]
    for table in ("entities", "quotes", "events"):
        rows = f"SELECT count(*) FROM {{{table}}} WHERE article_id = '{broken['article']}'"
        assert published(output, rows) == [(0,)]
    assert published(
        output, f"SELECT count(*) FROM {{quotes}} WHERE quote_id = '{broken['quote']}'"
    ) == [(0,)]
    assert published(output, "SELECT count(*) FROM {events} WHERE event_id = 'orphan-event'") == [
        (0,)
    ]
    assert summary["documents"] == {
        "read": 5,
        "published": 4,
        "quarantined": 1,
        "already_published": 0,
    }

    results = json.loads((output / "validation" / "results.json").read_text())
    assert results["passed"]
    language = next(
        o
        for o in results["outcomes"]
        if o["suite"] == "articles"
        and o["column"] == "language"
        and o["expectation"].endswith("in_set")
    )
    assert language["severity"] == "quarantine" and language["unexpected_count"] == 1
    assert any("pcm" in sample for sample in language["sample"])
    with get_client(sync_client=True) as client:
        run_artifacts = ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[summary["run_id"]])
        )
        artifacts = {a.key: a for a in client.read_artifacts(artifact_filter=run_artifacts)}
    failed = json.loads(artifacts["newsflow-failed-expectations"].data)
    assert any(row["severity"] == "quarantine" and "pcm" in row["sample"] for row in failed)
    assert "5 read = 4 published + 1 quarantined" in artifacts["newsflow-run-summary"].data
    report = (output / "report" / "index.html").read_text()
    assert "1 row(s) quarantined" in report and "language_not_in_set" in report
    assert "5 read = 4 published + 1 quarantined" in report


@pytest.mark.slow
def test_a_run_in_which_most_articles_fail_publishes_nothing_and_says_why(
    prefect_api, tmp_path, monkeypatch
):
    def finalize_unknown_languages(name, rows, *args) -> pa.Table:
        rows = finalize(name, rows, *args)
        if name != "articles":
            return rows
        unknown = pa.array(["pcm"] * rows.num_rows, pa.string())
        return rows.set_column(rows.schema.get_field_index("language"), "language", unknown)

    monkeypatch.setattr(corpus, "finalize", finalize_unknown_languages)
    output = tmp_path / "out"
    state = pipeline.news_pipeline(inputs=(str(SEEDS),), output=str(output), return_state=True)

    assert state.is_failed()
    message = str(state.result(raise_on_failure=False))
    assert "quarantine.quarantined_share_at_most(articles) [5 of 5 new rows (100.0%)]" in message
    assert not (output / "current").exists()
