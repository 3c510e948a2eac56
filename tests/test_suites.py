"""Suites: every critical expectation fails on tables that break it; warnings do not block.

Small constructed tables, real Great Expectations. The exhaustive test validates only the
suite under test, which keeps ~200 Great Expectations runs fast.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pyarrow as pa
import pytest

import tasks.validate
from schemas import suites as suite_module
from schemas.suites import (
    CRITICAL,
    CROSS_CHECKS,
    QUARANTINE,
    RUN_METRICS,
    RUN_METRICS_TABLE,
    WARNING,
)
from schemas.tables import TABLES, latest_date
from tasks.ids import article_id, child_id, cluster_id, entity_id, sha256_hex
from tasks.validate import validate

BODY = "Norway will send an envoy to Chile next week.\n\n“We want a fair deal,” Ola Berg said."
ARTICLE = article_id("n.txt", "raw")
NORWAY = entity_id("GPE", "NOR")
BERG = entity_id("PERSON", "ola berg")
OSLO_POINT = ("3144096", 59.91273, 10.74609)  # Norway's GeoNames id at its capital
FILLER = (
    "The minister told reporters that the talks in the capital would cover trade, fishing "
    "quotas and the long dispute over the northern border, and that both governments hoped "
    "to sign an agreement before the end of the year."
)  # 41 words of plain news prose


def span(text: str, body: str = BODY) -> tuple[int, int]:
    start = body.index(text)
    return start, start + len(text)


def article_row(source: str, body: str, raw_length: int | None = None) -> dict:
    aid = article_id(source, "raw")
    return {
        "article_id": aid, "source_uri": source, "source_name": "Example Wire",
        "title": "Envoy to Chile", "byline": None, "dateline": None,
        "published_date": date(2023, 9, 13), "date_source": "header", "language": "en",
        "body": body, "word_count": len(body.split()),
        "raw_length": raw_length or len(body) + 40, "content_sha256": sha256_hex(body),
        "duplicate_of": None, "story_id": "s" + aid[1:], "run_id": "r1",
        "ingested_at": datetime(2023, 9, 14, tzinfo=UTC), "pipeline_version": "0.1.0",
    }  # fmt: skip


def entity_row(
    aid: str, body: str, text: str, label: str, eid: str, country=None, place=(None, None, None)
) -> dict:
    start, end = span(text, body)
    geonames_id, latitude, longitude = place
    return {
        "mention_id": child_id(aid, "m", start, end), "article_id": aid, "text": text,
        "label": label, "start_char": start, "end_char": end, "sentence_index": 0,
        "entity_id": eid, "canonical_name": text, "entity_type": label,
        "country_code": country, "geonames_id": geonames_id, "latitude": latitude,
        "longitude": longitude,
    }  # fmt: skip


def quote_row(aid: str, body: str, text: str, speaker: str | None) -> dict:
    start, end = span(text, body)
    speaker_start, speaker_end = span(speaker, body) if speaker else (None, None)
    return {
        "quote_id": child_id(aid, "q", start, end), "article_id": aid, "quote_text": text,
        "start_char": start, "end_char": end, "quote_type": "direct", "speaker_text": speaker,
        "speaker_entity_id": None, "speaker_name": None, "speaker_start": speaker_start,
        "speaker_end": speaker_end, "cue": "said" if speaker else None, "sentence_index": 1,
        "quote_cluster_id": cluster_id("q", child_id(aid, "q", start, end)),
    }  # fmt: skip


def good_rows() -> dict[str, list[dict]]:
    """One consistent article with one row in every table."""
    quote = quote_row(ARTICLE, BODY, "We want a fair deal", "Ola Berg")
    quote.update(speaker_entity_id=BERG, speaker_name="Ola Berg")
    start, end = span("send")
    return {
        "articles": [article_row("n.txt", BODY)],
        "entities": [
            entity_row(ARTICLE, BODY, "Norway", "GPE", NORWAY, "NOR", OSLO_POINT),
            entity_row(ARTICLE, BODY, "Ola Berg", "PERSON", BERG),
        ],
        "quotes": [quote],
        "events": [
            {
                "event_id": child_id(ARTICLE, "v", start, end), "article_id": ARTICLE,
                "sentence_index": 0,
                "event_cluster_id": cluster_id("c", child_id(ARTICLE, "v", start, end)),
                "trigger_text": "send", "trigger_start": start,
                "trigger_end": end, "event_type": "AID", "actor_text": "Norway",
                "actor_entity_id": NORWAY, "target_text": "Chile", "target_entity_id": None,
                "actor_country": "NOR", "target_country": "CHL", "location_text": None,
                "location_geonames_id": None, "location_latitude": None,
                "location_longitude": None, "location_country": None,
                "event_date": date(2023, 9, 20), "date_text": "next week",
                "date_precision": "day", "modality": "planned", "negated": False,
                "confidence": 0.8,
            }
        ],
        "quarantine": [
            {"source_uri": "b.bin", "step": "ingest", "reason": "undecodable",
             "detail": "not text", "run_id": "r1"}
        ],
        "stories": [
            {
                "story_id": "s" + ARTICLE[1:], "headline": "Envoy to Chile",
                "first_published": date(2023, 9, 13), "last_published": date(2023, 9, 13),
                "article_count": 1, "source_count": 1, "source_names": ["Example Wire"],
                "languages": ["en"], "top_entity_ids": [BERG, NORWAY],
                "top_entity_names": ["Ola Berg", "Norway"], "speaker_entity_ids": [BERG],
                "speaker_names": ["Ola Berg"], "quote_count": 1, "statement_count": 1,
                "event_mention_count": 1, "event_count": 1, "event_counts": [("AID", 1)],
            }
        ],
    }  # fmt: skip


def to_tables(rows: dict[str, list[dict]]) -> dict[str, pa.Table]:
    return {
        name: pa.Table.from_pylist(rows.get(name, []), schema=TABLES[name].arrow_schema)
        for name in TABLES
    }


def labels(outcomes) -> set[str]:
    return {o.label for o in outcomes}


@pytest.fixture(scope="module")
def good_report():
    return validate(to_tables(good_rows()))


def test_consistent_tables_pass_every_expectation(good_report):
    assert not good_report.failures(), [o.label for o in good_report.failures()]


# --- every critical expectation, one violation each -----------------------------------------


def _set_first(rows: list[dict], column: str, value) -> None:
    rows[0][column] = value


def _declared_violation(table: str, expectation) -> dict[str, list[dict]]:
    """Rows that break one expectation derived from a column declaration."""
    rows = good_rows()
    target = rows[table]
    kwargs = expectation.configuration.kwargs
    column = kwargs.get("column")
    kind = expectation.expectation_type
    if kind == "expect_column_values_to_not_be_null":
        _set_first(target, column, None)
    elif kind == "expect_column_values_to_be_unique":
        target.append(dict(target[0]))
    elif kind == "expect_column_values_to_be_in_set":
        _set_first(target, column, "NOT-IN-SET")
    elif kind == "expect_column_values_to_match_regex":
        _set_first(target, column, "not an id!")
    elif kind == "expect_column_values_to_be_between":
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        _set_first(target, column, low - 1 if low is not None else high + 1)
    elif kind == "expect_column_pair_values_a_to_be_greater_than_b":
        _set_first(target, kwargs["column_A"], target[0][kwargs["column_B"]])
    else:
        raise AssertionError(f"no violation written for {kind}")
    return rows


# One way to break each cross-table check (a new check without one fails the test below).
CROSS_VIOLATIONS = {
    "duplicate_of_exists": lambda r: r["articles"][0].update(duplicate_of=ARTICLE),
    "published_date_plausible": lambda r: r["articles"][0].update(published_date=date(1799, 1, 1)),
    "content_sha256_matches_body": lambda r: r["articles"][0].update(content_sha256="0" * 64),
    "ingested_at_not_in_future": lambda r: r["articles"][0].update(
        ingested_at=datetime(2999, 1, 1, tzinfo=UTC)
    ),
    "article_exists": None,  # per table, below
    "text_matches_body": lambda r: r["entities"][0].update(end_char=5),
    "one_canonical_name": lambda r: r["entities"][1].update(entity_id=NORWAY, entity_type="GPE"),
    "one_place": lambda r: r["entities"].append(
        entity_row(ARTICLE, BODY, "Chile", "GPE", NORWAY, "CHL", ("3895114", -33.4, -70.6))
        | {"canonical_name": "Norway"}
    ),
    "one_entity_type": lambda r: r["entities"].append(
        entity_row(ARTICLE, BODY, "Chile", "PERSON", NORWAY) | {"canonical_name": "Norway"}
    ),
    "quote_text_matches_body": lambda r: r["quotes"][0].update(start_char=0),
    "speaker_text_matches_body": lambda r: r["quotes"][0].update(speaker_text="Olav Berg"),
    "speaker_span_given": lambda r: r["quotes"][0].update(speaker_start=None, speaker_end=None),
    "speaker_entity_id_exists": lambda r: r["quotes"][0].update(
        speaker_entity_id=entity_id("PERSON", "nobody")
    ),
    "speaker_name_is_canonical": lambda r: r["quotes"][0].update(speaker_name="O. Berg"),
    "trigger_text_matches_body": lambda r: r["events"][0].update(trigger_text="sent"),
    "actor_entity_id_exists": lambda r: r["events"][0].update(
        actor_entity_id=entity_id("GPE", "XXX")
    ),
    "target_entity_id_exists": lambda r: r["events"][0].update(
        target_entity_id=entity_id("GPE", "XXX")
    ),
    "counts_match_articles": lambda r: r["stories"][0].update(article_count=2),
    "event_count_matches_events": lambda r: r["stories"][0].update(event_count=2),
    "declared_values": lambda r: r["stories"][0].update(source_count=0),
}


def _cross_violation(table: str, check: str) -> dict[str, list[dict]]:
    rows = good_rows()
    if check == "article_exists":
        rows[table][0]["article_id"] = article_id("elsewhere.txt", "x")
    else:
        CROSS_VIOLATIONS[check](rows)
    return rows


def _emptied_bodies() -> dict[str, list[dict]]:
    """A clean step that kept a few words of every page: bodies of ~0.03% of the input."""
    rows = good_rows()
    rows["articles"] = [article_row(f"{i}.html", f"Page {i}.", raw_length=30_000) for i in range(5)]
    return {"articles": rows["articles"]}


def _no_entities() -> dict[str, list[dict]]:
    """Substantial English articles and no entity at all: a broken NER step."""
    return {
        "articles": [article_row(f"{i}.txt", f"{FILLER} {FILLER} Item {i}.") for i in range(20)]
    }


def _no_speakers() -> dict[str, list[dict]]:
    """Many direct quotes and not one speaker: broken attribution."""
    body = " ".join(f"“Point number {i} stands.” {FILLER}" for i in range(12))
    article = article_row("q.txt", body)
    aid = article["article_id"]
    quotes = [quote_row(aid, body, f"Point number {i} stands.", None) for i in range(12)]
    return {"articles": [article], "quotes": quotes}


RUN_METRIC_VIOLATIONS = {
    "body_to_raw_length": _emptied_bodies,
    "articles_with_entities": _no_entities,
    "quotes_with_speaker": _no_speakers,
}


def critical_cases():
    """(suite, expectation label, rows that break it) for every critical expectation."""
    for suite, expectations in suite_module.suites().items():
        for expectation in expectations:
            if str(expectation.severity.value) != CRITICAL:
                continue
            kwargs = expectation.configuration.kwargs
            column = kwargs.get("column") or kwargs.get("column_A")
            label = f"{suite}.{expectation.expectation_type}" + (f"({column})" if column else "")
            if suite in TABLES:
                if expectation.expectation_type == "expect_table_columns_to_match_ordered_list":
                    continue  # a dropped column, tested below
                if expectation.expectation_type == "expect_column_values_to_be_of_type":
                    continue  # the Arrow schema fixes the types; tested below
                yield pytest.param(suite, label, _declared_violation(suite, expectation), id=label)
            elif suite == RUN_METRICS_TABLE:
                yield pytest.param(suite, label, RUN_METRIC_VIOLATIONS[column](), id=label)
            else:
                table = suite.removesuffix("_checks")
                yield pytest.param(suite, label, _cross_violation(table, column), id=label)


@pytest.mark.parametrize(("suite", "label", "rows"), list(critical_cases()))
def test_each_critical_expectation_fails_on_rows_that_break_it(monkeypatch, suite, label, rows):
    every_suite = suite_module.suites()
    monkeypatch.setattr(tasks.validate, "suites", lambda: {suite: every_suite[suite]})
    report = validate(to_tables(rows))
    assert label in labels(report.failures(CRITICAL))
    assert not report.passed


def test_every_cross_check_and_critical_metric_has_a_violation_case():
    assert {c.name for c in CROSS_CHECKS if c.severity == CRITICAL} <= set(CROSS_VIOLATIONS)
    critical_metrics = {
        m.name for m in RUN_METRICS if any(b.severity == CRITICAL for b in m.bounds)
    }
    assert critical_metrics <= set(RUN_METRIC_VIOLATIONS)


def test_a_dropped_column_and_a_wrong_type_fail_the_full_validation():
    data = to_tables(good_rows())
    data["quotes"] = data["quotes"].drop_columns(["cue"])
    titles = data["articles"].column_names.index("title")
    data["articles"] = data["articles"].set_column(titles, "title", pa.array([7], pa.int64()))
    failed = labels(validate(data).failures(CRITICAL))
    assert "quotes.expect_table_columns_to_match_ordered_list" in failed
    assert "articles.expect_column_values_to_be_of_type(title)" in failed


# --- distribution checks on whole runs ------------------------------------------------------


def test_a_small_legitimate_run_passes_the_distribution_checks():
    rows = good_rows()
    rows["quotes"] = []
    rows["quarantine"] = []
    report = validate(to_tables(rows))
    assert report.passed, report.summary()
    assert not [o for o in report.failures() if o.suite == RUN_METRICS_TABLE]
    assert report.metrics["quotes_with_speaker"] is None
    assert report.metrics["articles_with_entities"] is None


def test_empty_tables_pass():
    assert validate(to_tables({})).passed


def test_a_clean_step_that_empties_bodies_fails_the_run():
    report = validate(to_tables(_emptied_bodies()))
    assert not report.passed
    assert "run_metrics.expect_column_values_to_be_between(body_to_raw_length)" in labels(
        report.failures(CRITICAL)
    )
    assert report.metrics["body_to_raw_length"] < 0.001


def test_a_short_story_on_a_page_of_megabytes_of_scripts_is_no_broken_step():
    # Pages of single-page-app sites carry their state as inline JSON: a two-paragraph story
    # on a 1.5 MB page is 0.03% of it. Alone, or beside other articles, it once failed the run.
    page = article_row("big.html", f"{BODY}\n\n{FILLER}", raw_length=1_500_000)
    alone = validate(to_tables({"articles": [page]}))
    assert alone.passed, alone.summary()
    rows = good_rows()
    rows["articles"] += [page, article_row("brief.txt", FILLER)]
    beside = validate(to_tables(rows))
    assert beside.passed, beside.summary()
    assert beside.metrics["body_to_raw_length"] > 0.5


def test_a_few_pages_without_names_beside_the_news_are_no_broken_ner_step():
    # A crawl picks up cookie notices, recipes and error pages: substantial English text in
    # which a working model finds no entity. Three of them once kept a run from publishing.
    rows = good_rows()
    rows["articles"] += [article_row(f"page{i}.txt", f"{FILLER} {FILLER}") for i in range(3)]
    report = validate(to_tables(rows))
    assert report.passed, report.summary()


def test_boilerplate_left_in_bodies_is_a_warning_that_still_publishes():
    body = f"{BODY}\n\nFollow us on Twitter\n\nShare this article"
    rows = good_rows()
    rows["articles"] = [article_row("n.txt", body)]
    report = validate(to_tables(rows))
    assert report.passed, report.summary()
    warned = labels(report.failures(WARNING))
    assert "run_metrics.expect_column_values_to_be_between(boilerplate_lines)" in warned
    assert report.metrics["boilerplate_lines"] == pytest.approx(0.5)


def test_a_date_that_is_today_in_the_zone_furthest_ahead_is_plausible():
    # A story published just after midnight in Tokyo (UTC+9) or Kiribati (UTC+14) is dated
    # the next day while it is still this day in UTC.
    plausible = "articles_checks.expect_column_values_to_be_in_set(published_date_plausible)"
    rows = good_rows()
    rows["articles"][0]["published_date"] = latest_date()
    assert plausible not in labels(validate(to_tables(rows)).failures())
    rows["articles"][0]["published_date"] = latest_date() + timedelta(days=1)
    assert plausible in labels(validate(to_tables(rows)).failures(QUARANTINE))


def test_an_implausible_event_date_is_a_warning_only():
    rows = good_rows()
    rows["events"][0]["event_date"] = date(2999, 1, 1)
    report = validate(to_tables(rows))
    assert report.passed
    assert "events_checks.expect_column_values_to_be_in_set(event_date_plausible)" in labels(
        report.failures(WARNING)
    )


@pytest.mark.parametrize(
    ("table", "row_update"),
    [
        ("entities", {"longitude": None}),
        ("entities", {"geonames_id": None}),
        ("events", {"location_latitude": 48.85}),
    ],
)
def test_a_place_without_its_whole_coordinate_pair_is_quarantined(table, row_update):
    rows = good_rows()
    rows[table][0].update(row_update)
    report = validate(to_tables(rows))
    check = f"{'location_' if table == 'events' else ''}geonames_id_together"
    failed = labels(report.failures(QUARANTINE))
    assert f"{table}_checks.expect_column_values_to_be_in_set({check})" in failed


def test_coordinates_out_of_range_are_quarantined():
    rows = good_rows()
    rows["entities"][0].update(latitude=91.0, longitude=-181.0)
    failed = labels(validate(to_tables(rows)).failures(QUARANTINE))
    assert "entities.expect_column_values_to_be_between(latitude)" in failed
    assert "entities.expect_column_values_to_be_between(longitude)" in failed
