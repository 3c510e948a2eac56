"""Validate: the suites built from schemas/ accept good tables and fail broken ones."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from schemas.tables import TABLES
from tasks.duckdb_memory import bounded_connection
from tasks.ids import article_id, cluster_id, entity_id, sha256_hex
from tasks.validate import validate

ARTICLE = article_id("a.txt", "raw")
JAPAN = entity_id("GPE", "JPN")
BODY = "Japan said it would send an envoy. “We will talk,” Sato said."


def good_rows() -> dict[str, list[dict]]:
    return {
        "articles": [
            {
                "article_id": ARTICLE, "source_uri": "a.txt", "source_name": None, "title": "T",
                "byline": None, "dateline": None, "published_date": date(2023, 9, 13),
                "date_source": "header", "language": "en", "body": BODY, "word_count": 12,
                "raw_length": 80, "content_sha256": sha256_hex(BODY), "duplicate_of": None,
                "story_id": "s" + ARTICLE[1:], "run_id": "r1",
                "ingested_at": datetime(2023, 9, 14, tzinfo=UTC), "pipeline_version": "0.1.0",
            }
        ],
        "entities": [
            {
                "mention_id": f"{ARTICLE}-m0-5", "article_id": ARTICLE, "text": "Japan",
                "label": "GPE", "start_char": 0, "end_char": 5, "sentence_index": 0,
                "entity_id": JAPAN, "canonical_name": "Japan", "entity_type": "GPE",
                "country_code": "JPN", "geonames_id": "1861060", "latitude": 35.6895,
                "longitude": 139.69171,
            }
        ],
        "quotes": [
            {
                "quote_id": f"{ARTICLE}-q36-48", "article_id": ARTICLE,
                "quote_text": "We will talk",
                "start_char": 36, "end_char": 48, "quote_type": "direct", "speaker_text": "Sato",
                "speaker_entity_id": None, "speaker_name": None, "speaker_start": 51,
                "speaker_end": 55, "cue": "said", "sentence_index": 1,
                "quote_cluster_id": cluster_id("q", f"{ARTICLE}-q36-48"),
            }
        ],
        "events": [
            {
                "event_id": f"{ARTICLE}-v20-24", "article_id": ARTICLE, "sentence_index": 0,
                "event_cluster_id": cluster_id("c", f"{ARTICLE}-v20-24"),
                "trigger_text": "send", "trigger_start": 20, "trigger_end": 24,
                "event_type": "AID", "actor_text": "Japan", "actor_entity_id": JAPAN,
                "target_text": None, "target_entity_id": None, "actor_country": "JPN",
                "target_country": None, "location_text": None, "location_geonames_id": None,
                "location_latitude": None, "location_longitude": None,
                "location_country": None, "event_date": None,
                "date_text": None, "date_precision": None, "modality": "planned",
                "negated": False, "confidence": 0.8,
            }
        ],
        "quarantine": [
            {"source_uri": "b.txt", "step": "ingest", "reason": "empty_file", "detail": "empty",
             "run_id": "r1"}
        ],
    }  # fmt: skip


def tables(rows: dict[str, list[dict]]) -> dict[str, pa.Table]:
    return {
        name: pa.Table.from_pylist(rows.get(name, []), schema=TABLES[name].arrow_schema)
        for name in TABLES
    }


def failed_labels(rows) -> set[str]:
    return {o.label for o in validate(tables(rows)).failures("critical")}


def test_consistent_tables_pass():
    report = validate(tables(good_rows()))
    assert report.passed, report.summary()
    assert len(report.outcomes) > 80


def test_empty_tables_pass():
    assert validate(tables({name: [] for name in TABLES})).passed


def broken(change) -> dict[str, list[dict]]:
    rows = good_rows()
    change(rows)
    return rows


def test_a_repeated_key_fails_its_critical_expectation():
    repeated = broken(lambda r: r["entities"].append(dict(r["entities"][0])))
    assert "entities.expect_column_values_to_be_unique(mention_id)" in failed_labels(repeated)


@pytest.mark.parametrize(
    ("change", "expected", "table", "key"),
    [
        (lambda r: r["entities"][0].update(label="PERSONA"),
         "entities.expect_column_values_to_be_in_set(label)", "entities", f"{ARTICLE}-m0-5"),
        (lambda r: r["quotes"][0].update(quote_type="rumour"),
         "quotes.expect_column_values_to_be_in_set(quote_type)", "quotes", f"{ARTICLE}-q36-48"),
        (lambda r: r["events"][0].update(event_type="ATTACK"),
         "events.expect_column_values_to_be_in_set(event_type)", "events", f"{ARTICLE}-v20-24"),
        (lambda r: r["entities"][0].update(start_char=5),
         "entities.expect_column_pair_values_a_to_be_greater_than_b(end_char)", "entities",
         f"{ARTICLE}-m0-5"),
        (lambda r: r["entities"][0].update(article_id=article_id("other", "x")),
         "entities_checks.expect_column_values_to_be_in_set(article_exists)", "entities",
         f"{ARTICLE}-m0-5"),
        (lambda r: r["events"][0].update(actor_entity_id=entity_id("GPE", "XXX")),
         "events_checks.expect_column_values_to_be_in_set(actor_entity_id_exists)", "events",
         f"{ARTICLE}-v20-24"),
        (lambda r: r["quotes"][0].update(start_char=35),
         "quotes_checks.expect_column_values_to_be_in_set(quote_text_matches_body)", "quotes",
         f"{ARTICLE}-q36-48"),
        (lambda r: r["articles"][0].update(article_id="42"),
         "articles.expect_column_values_to_match_regex(article_id)", "articles", "42"),
        (lambda r: r["articles"][0].update(published_date=date(2999, 1, 1)),
         "articles_checks.expect_column_values_to_be_in_set(published_date_plausible)",
         "articles", ARTICLE),
        (lambda r: r["events"][0].update(confidence=1.5),
         "events.expect_column_values_to_be_between(confidence)", "events", f"{ARTICLE}-v20-24"),
        (lambda r: r["entities"][0].update(country_code="XYZ"),
         "entities.expect_column_values_to_be_in_set(country_code)", "entities",
         f"{ARTICLE}-m0-5"),
    ],
)  # fmt: skip
def test_each_broken_rule_rejects_the_offending_row(change, expected, table, key):
    report = validate(tables(broken(change)))
    assert expected in {o.label for o in report.failures("quarantine")}
    assert (table, key) in {(row.table, row.key) for row in report.offending}
    assert report.passed  # rows are quarantined; the run is not blocked by them


def test_a_missing_column_fails_the_column_list_expectation():
    data = tables(good_rows())
    data["quotes"] = data["quotes"].drop_columns(["cue"])
    failed = {o.label for o in validate(data).failures("critical")}
    assert "quotes.expect_table_columns_to_match_ordered_list" in failed


def test_new_rows_validated_in_chunks_against_the_published_ones(monkeypatch):
    import tasks.validate as validation

    monkeypatch.setattr(validation, "CHUNK_ROWS", 1)  # every row its own chunk
    rows = good_rows()
    second = dict(rows["entities"][0], mention_id=f"{ARTICLE}-m51-55", start_char=51, end_char=55)
    second |= {"text": "Sato", "label": "PERSON", "entity_id": entity_id("PERSON", "sato")}
    second |= {"canonical_name": "Sato", "entity_type": "PERSON", "country_code": None}
    rows["entities"].append(second)
    assert validate(tables(rows)).passed  # chunks pass one by one, and together

    repeated = broken(lambda r: r["entities"].append(dict(r["entities"][0])))
    report = validate(tables(repeated))
    assert "entities.expect_column_values_to_be_unique(mention_id)" in {
        o.label for o in report.failures("critical")
    }

    published = tables(good_rows())
    new = tables({name: [] for name in TABLES} | {"entities": [good_rows()["entities"][0]]})
    everything = {name: pa.concat_tables([published[name], new[name]]) for name in TABLES}
    labels = {o.label for o in validate(new, everything=everything).failures("critical")}
    assert "entities.expect_column_values_to_be_unique(mention_id)" in labels
    assert validate(new, everything=published).passed  # its article is a published one


def test_a_run_larger_than_one_chunk_per_table_has_the_same_outcomes_as_a_small_one(
    monkeypatch,
):
    """Beyond one chunk per table, DuckDB's work is done before the suites instead of beside
    them (memory): the same failures, counts and samples, and the same run metrics."""
    import tasks.validate as validation

    rows = good_rows()
    second = dict(rows["entities"][0], mention_id=f"{ARTICLE}-m51-55", start_char=51, end_char=55)
    second |= {"text": "Sato", "label": "PERSON", "entity_id": entity_id("PERSON", "sato")}
    second |= {"canonical_name": "Sato", "entity_type": "PERSON", "country_code": None}
    published = tables(rows)
    new = tables({name: [] for name in TABLES} | {"entities": [rows["entities"][0], second]})
    everything = {name: pa.concat_tables([published[name], new[name]]) for name in TABLES}
    assert validation.within_one_chunk(new)
    side_by_side = validate(new, everything=everything)
    monkeypatch.setattr(validation, "CHUNK_ROWS", 1)  # the new entities: two chunks
    assert not validation.within_one_chunk(new)
    one_after_another = validate(new, everything=everything)

    def failed(report):
        return [(o.label, o.unexpected_count, o.sample) for o in report.failures("critical")]

    assert failed(one_after_another) == failed(side_by_side) != []
    assert one_after_another.metrics == side_by_side.metrics


def test_outcomes_keep_the_suites_order_while_the_cross_table_work_runs_beside():
    """The cross-table frames and the keys repeated across every row are made in a thread
    while the tables' own suites run: the outcomes still come suite by suite in the suites'
    order, one per expectation, and a key that a new row repeats from the published rows is
    counted over both, with the repeated key as its sample."""
    from schemas.suites import suites

    published = tables(good_rows())
    new = tables({name: [] for name in TABLES} | {"entities": [good_rows()["entities"][0]]})
    everything = {name: pa.concat_tables([published[name], new[name]]) for name in TABLES}
    report = validate(new, everything=everything)

    expected = suites()
    assert list(dict.fromkeys(o.suite for o in report.outcomes)) == list(expected)
    assert len(report.outcomes) == sum(len(e) for e in expected.values())
    repeated = [o for o in report.failures("critical") if o.expectation.endswith("_to_be_unique")]
    assert [(o.label, o.unexpected_count, o.sample) for o in repeated] == [
        ("entities.expect_column_values_to_be_unique(mention_id)", 2, [f"{ARTICLE}-m0-5"])
    ]
    assert report.metrics  # the run metrics, made beside too


def test_great_expectations_is_imported_without_scipy_stats_until_it_is_used():
    """Validation imports Great Expectations without scipy.stats (half a second), which only
    expectations the suites do not use read; where one reads it, it gets scipy's own."""
    check = """
import sys
from tasks.validate import import_great_expectations
import_great_expectations()
assert "scipy.stats" not in sys.modules
from great_expectations.expectations.core import expect_column_kl_divergence_to_be_less_than as kl
entropy = kl.stats.entropy
import scipy.stats
assert entropy is scipy.stats.entropy and entropy([0.5, 0.5]) > 0.69
"""
    subprocess.run([sys.executable, "-c", check], check=True, cwd=Path(__file__).parents[1])


def test_duckdb_work_is_memory_bounded_spills_and_cleans_up(tmp_path):
    """The cross-table checks and the sort of a run's rows use bounded_connection: a sort
    larger than its memory limit completes by spilling, and leaves no spill files behind."""
    with bounded_connection(tmp_path) as connection:
        (limit,) = connection.sql("SELECT current_setting('memory_limit')").fetchall()[0]
        rows = connection.sql(
            "SELECT count(*), min(pad) FROM (SELECT repeat('x', 200) || range::VARCHAR AS pad "
            "FROM range(4000000) ORDER BY pad DESC)"
        ).fetchall()
    assert limit == "488.2 MiB"  # 512 MB
    assert rows == [(4_000_000, "x" * 200 + "0")]
    assert list(tmp_path.iterdir()) == []


def test_expectation_kwargs_read_once_are_great_expectations_own():
    """The faster kwargs readers validation installs give what Great Expectations' own give,
    for every expectation of every suite."""
    import great_expectations as gx
    from great_expectations.expectations.expectation import Expectation

    from schemas.suites import suites
    from tasks.validate import GX_RELEASE_READ_ONCE

    validate(tables(good_rows()))  # installs them
    if gx.__version__ != GX_RELEASE_READ_ONCE:
        pytest.skip(f"kept Great Expectations {gx.__version__}'s own readers")
    assert Expectation._get_success_kwargs is not Expectation._gx_success_kwargs
    for expectations in suites().values():
        for expectation in expectations:
            assert expectation._get_domain_kwargs() == expectation._gx_domain_kwargs()
            own = expectation._gx_success_kwargs()
            assert expectation._get_success_kwargs() == own
            assert list(expectation._get_success_kwargs()) == list(own)
