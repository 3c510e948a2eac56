"""The story across outlets: the stories table, each real event and each statement counted once.

The real flow over seeds/ (one story told by four articles, 002 a near-copy of 001, and a fifth
about another story), read back with DuckDB through the views a user opens.
"""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pyarrow as pa
import pytest
from conftest import SEEDS, run_newsflow

from flows.news_pipeline import news_pipeline
from tasks.normalize import clusters as clustering
from tasks.normalize.clusters import Article, event_clusters, quote_clusters

FIRST, COPY, OTHER = (
    "001_1d7ca730a1957cc7.txt",
    "002_e4c92bf254ab9eb7.txt",
    "004_747d38b2154d189f.txt",
)
# What 001 and 002 both report, in the words the extractors keep.
CARRIER = "t.trigger_text = 'passed' AND t.actor_text ILIKE '%naval formation%'"
SHARED_STATEMENTS = ("resolve to fight", "will continue to deepen cooperation")


def views(output) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(output / "newsflow.duckdb"), read_only=True)


def rows(connection, sql: str, *parameters) -> list[dict]:
    relation = connection.execute(sql, list(parameters))
    columns = [c[0] for c in relation.description]
    return [dict(zip(columns, row, strict=True)) for row in relation.fetchall()]


def carrier_clusters(connection) -> list[dict]:
    return rows(
        connection,
        "SELECT c.* FROM event_clusters c WHERE event_cluster_id IN (SELECT event_cluster_id "
        f"FROM events t WHERE {CARRIER})",
    )


def statement_clusters(connection, words: str) -> list[dict]:
    return rows(
        connection,
        "SELECT q.quote_cluster_id, list(a.source_uri ORDER BY a.source_uri) AS sources "
        "FROM quotes q JOIN articles a USING (article_id) WHERE quote_cluster_id IN "
        "(SELECT quote_cluster_id FROM quotes WHERE quote_text ILIKE ?) GROUP BY ALL",
        f"%{words}%",
    )


def test_one_stories_row_per_story_consistent_with_its_articles(seeds_output):
    with views(seeds_output) as connection:
        stories = {r["story_id"]: r for r in rows(connection, "SELECT * FROM stories")}
        articles = rows(connection, "SELECT * FROM articles")
        assert set(stories) == {a["story_id"] for a in articles}
        of = {a["source_uri"]: stories[a["story_id"]] for a in articles}
        told_by_four = of[FIRST]
        assert told_by_four["article_count"] == 4
        assert told_by_four["source_count"] == 4  # NHK World and three unnamed outlets
        assert told_by_four["source_names"] == ["NHK World"]
        assert told_by_four["first_published"] == date(2023, 9, 12)
        assert told_by_four["last_published"] == date(2023, 9, 13)
        assert told_by_four["languages"] == ["en"]
        assert told_by_four["headline"] in {a["title"] for a in articles if a["title"]}
        assert {"Japan", "Taiwan", "China"} <= set(told_by_four["top_entity_names"])
        assert len(told_by_four["top_entity_ids"]) == len(told_by_four["top_entity_names"]) <= 5
        assert told_by_four["speaker_names"] and len(told_by_four["speaker_names"]) <= 5
        undated = of[OTHER]
        assert undated["article_count"] == 1 and undated["first_published"] is None
        assert undated["headline"] == next(a["title"] for a in articles if a["source_uri"] == OTHER)
        for story in stories.values():
            distinct = rows(
                connection,
                "SELECT count(DISTINCT event_cluster_id) AS events, count(*) AS mentions, "
                "count(DISTINCT event_type) AS types FROM events JOIN articles USING (article_id) "
                "WHERE story_id = ?",
                story["story_id"],
            )[0]
            assert story["event_count"] == distinct["events"] == sum(story["event_counts"].values())
            assert story["event_mention_count"] == distinct["mentions"] > story["event_count"] - 1
            assert len(story["event_counts"]) == distinct["types"]
            assert story["statement_count"] <= story["quote_count"]


def test_the_carrier_formation_passing_taiwan_is_one_event_with_two_sources(seeds_output):
    with views(seeds_output) as connection:
        (carrier,) = carrier_clusters(connection)
        first_article = rows(
            connection, "SELECT * FROM articles WHERE article_id = ?", carrier["first_article_id"]
        )[0]
        # Each real event is counted once in the story, however many outlets repeat it.
        repeated = rows(
            connection,
            "SELECT count(*) AS clusters, count(*) FILTER (WHERE sources > 1) AS repeated, "
            "sum(mentions) AS mentions, count(DISTINCT story_id) AS stories FROM event_clusters",
        )[0]
        crossing = rows(
            connection,
            "SELECT event_cluster_id FROM events JOIN articles USING (article_id) "
            "GROUP BY ALL HAVING count(DISTINCT story_id) > 1 OR count(DISTINCT event_type) > 1",
        )
    assert carrier["event_type"] == "MOBILIZE"
    assert (carrier["mentions"], carrier["articles"], carrier["sources"]) == (2, 2, 2)
    assert first_article["source_uri"] == COPY  # the dated one of the two
    assert carrier["first_published"] == date(2023, 9, 12)
    assert carrier["event_date"] == date(2023, 9, 11)
    assert repeated["repeated"] >= 5 and repeated["clusters"] < repeated["mentions"]
    assert not crossing  # a cluster never spans two stories or two event types


def test_each_statement_001_and_002_both_carry_is_one_cluster_of_two(seeds_output):
    with views(seeds_output) as connection:
        for words in SHARED_STATEMENTS:
            (statement,) = statement_clusters(connection, words)
            assert statement["sources"] == [FIRST, COPY], words
        shared = rows(
            connection,
            "SELECT quote_cluster_id FROM quotes JOIN articles USING (article_id) "
            "GROUP BY ALL HAVING count(DISTINCT source_uri) = 2 AND count(*) = 2 "
            f"AND bool_and(source_uri IN ('{FIRST}', '{COPY}'))",
        )
        aso = rows(
            connection,
            "SELECT * FROM quote_clusters WHERE quote_text ILIKE '%resolve to fight%'",
        )[0]
    assert len(shared) >= 8  # the statements the near-copy repeats
    assert (aso["quotes"], aso["articles"], aso["sources"]) == (2, 2, 2)
    assert aso["speaker_name"] and "Aso" in aso["speaker_name"]


def test_the_new_tables_and_views_are_documented_and_queryable(seeds_output):
    with views(seeds_output) as connection:
        undocumented = rows(
            connection,
            "SELECT table_name, column_name FROM duckdb_columns() WHERE table_name IN "
            "('stories', 'event_clusters', 'quote_clusters') AND (comment IS NULL OR comment = '')",
        )
        documented = rows(
            connection,
            "SELECT view_name, comment FROM duckdb_views() WHERE view_name IN "
            "('stories', 'event_clusters', 'quote_clusters')",
        )
    assert not undocumented
    assert len(documented) == 3 and all(v["comment"] for v in documented)
    result = run_newsflow(
        "query",
        "--output",
        seeds_output,
        "SELECT sources FROM event_clusters ORDER BY sources DESC LIMIT 1",
    )
    assert result.returncode == 0, result.stderr
    assert "3" in result.stdout or "2" in result.stdout


def _mention(event_id, article, actor, day, trigger="attacked") -> dict:
    return {
        "event_id": event_id, "article_id": article, "trigger_text": trigger,
        "trigger_start": 0, "event_type": "ASSAULT", "negated": False, "actor_text": actor,
        "actor_entity_id": None, "actor_country": None, "target_text": "the town",
        "target_entity_id": None, "target_country": None, "event_date": day,
    }  # fmt: skip


def test_mentions_are_one_event_only_with_the_same_cast_and_dates_within_a_day():
    articles = {name: Article("s" + "1" * 16, date(2024, 3, 2)) for name in "abcde"}
    mentions = [
        _mention("a-1", "a", "rebels", date(2024, 3, 1)),
        _mention("b-1", "b", "Rebels", date(2024, 3, 2)),  # a day later: the same attack
        _mention("c-1", "c", "rebels", date(2024, 3, 5)),  # days later: another attack
        _mention("d-1", "d", "the army", date(2024, 3, 1)),  # another actor
        _mention("e-1", "e", "rebels", None, trigger="attacked"),  # undated, same words
    ]
    clusters = event_clusters(
        pa.Table.from_pylist(mentions), pa.Table.from_pylist([]), articles, {}
    )
    assert clusters["a-1"] == clusters["b-1"] == clusters["e-1"]
    assert len({clusters["a-1"], clusters["c-1"], clusters["d-1"]}) == 3


def test_new_mentions_join_their_own_storys_published_event_however_the_run_is_sliced(
    monkeypatch,
):
    # Two stories each with a published cluster of the same attack's words, new mentions of
    # both read a few at a time: each joins the published cluster of its own story only.
    monkeypatch.setattr(clustering, "_SLICE_ROWS", 2)
    valley, coast = "s" + "3" * 16, "s" + "4" * 16
    day = date(2024, 6, 10)
    articles = {
        "v-old": Article(valley, day),
        "c-old": Article(coast, day),
        "v-new": Article(valley, day),
        "c-new": Article(coast, day),
        "v-late": Article(valley, date(2024, 6, 11)),
    }
    published = [
        {**_mention("v-old-1", "v-old", "rebels", day), "event_cluster_id": "e-valley"},
        {**_mention("c-old-1", "c-old", "rebels", day), "event_cluster_id": "e-coast"},
    ]
    new = [
        _mention("c-new-1", "c-new", "Rebels", day),
        _mention("v-new-1", "v-new", "rebels", day),
        _mention("v-new-2", "v-new", "the army", day),
        _mention("v-late-1", "v-late", "rebels", date(2024, 6, 11)),
    ]
    clusters = event_clusters(
        pa.Table.from_pylist(new), pa.Table.from_pylist(published), articles, {}
    )
    assert clusters["v-new-1"] == clusters["v-late-1"] == "e-valley"
    assert clusters["c-new-1"] == "e-coast"
    assert clusters["v-new-2"] not in ("e-valley", "e-coast")


def _quote(quote_id, article, text, start=0) -> dict:
    return {
        "quote_id": quote_id, "article_id": article, "start_char": start, "quote_text": text,
        "quote_type": "direct", "speaker_text": "the mayor", "speaker_entity_id": None,
    }  # fmt: skip


def test_statements_are_one_per_story_however_the_run_is_sliced(monkeypatch):
    # Rows are read a few at a time (a story's rows may straddle two slices), and the input
    # mixes two stories' quotes: each story's repeated statement is one cluster, named after
    # its first quote in corpus order (the earliest article), never shared across stories.
    monkeypatch.setattr(clustering, "_SLICE_ROWS", 2)
    harbour, budget = "s" + "1" * 16, "s" + "2" * 16
    articles = {
        "h3": Article(harbour, date(2024, 5, 3)),
        "b1": Article(budget, date(2024, 5, 1)),
        "h1": Article(harbour, date(2024, 5, 1)),
        "h2": Article(harbour, None),
        "b2": Article(budget, date(2024, 5, 2)),
    }
    words = "The new harbour wall will be finished before the winter storms arrive"
    quotes = [
        _quote("h3-q", "h3", words + "."),
        _quote("b1-q", "b1", words),  # the same words in another story: another statement
        _quote("h2-q", "h2", words.upper()),
        _quote("h1-q", "h1", f"\u201c{words}\u201d"),
        _quote("h1-other", "h1", "Nobody asked the fishermen what they wanted", start=90),
        _quote("b2-q", "b2", words),
    ]
    clusters = quote_clusters(pa.Table.from_pylist(quotes), pa.Table.from_pylist([]), articles)
    assert clusters["h1-q"] == clusters["h2-q"] == clusters["h3-q"] != clusters["h1-other"]
    assert clusters["b1-q"] == clusters["b2-q"] != clusters["h1-q"]
    assert clusters["h1-q"] == clustering.cluster_id(clustering.QUOTE_PREFIX, "h1-q")
    assert clusters["b2-q"] == clustering.cluster_id(clustering.QUOTE_PREFIX, "b1-q")


@pytest.mark.slow
def test_a_new_article_joins_the_published_story_its_events_and_statements(prefect_api, tmp_path):
    inbox, output = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for seed in sorted(SEEDS.iterdir()):
        if seed.name != COPY:
            shutil.copy(seed, inbox)
    news_pipeline(inputs=(str(inbox),), output=str(output))
    with views(output) as connection:
        before_stories = {r["story_id"]: r for r in rows(connection, "SELECT * FROM stories")}
        (carrier_before,) = carrier_clusters(connection)
        statements_before = {w: statement_clusters(connection, w) for w in SHARED_STATEMENTS}
        clusters_before = rows(
            connection, "SELECT event_id, event_cluster_id FROM events ORDER BY event_id"
        )

    shutil.copy(SEEDS / COPY, inbox)
    grown = news_pipeline(inputs=(str(inbox),), output=str(output))
    assert grown["documents_new"] == 1
    with views(output) as connection:
        after_stories = {r["story_id"]: r for r in rows(connection, "SELECT * FROM stories")}
        (carrier_after,) = carrier_clusters(connection)
        statements_after = {w: statement_clusters(connection, w) for w in SHARED_STATEMENTS}
        clusters_after = {
            r["event_id"]: r["event_cluster_id"]
            for r in rows(connection, "SELECT event_id, event_cluster_id FROM events")
        }
        story = rows(
            connection,
            "SELECT story_id FROM articles WHERE source_uri = ?",
            FIRST,
        )[0]["story_id"]

    # The published story's row is rewritten with the new article; the other story's stays.
    assert set(after_stories) == set(before_stories)
    grown_story, was = after_stories[story], before_stories[story]
    assert (was["article_count"], grown_story["article_count"]) == (3, 4)
    assert grown_story["source_count"] == was["source_count"] + 1
    assert (was["first_published"], grown_story["first_published"]) == (
        date(2023, 9, 13),
        date(2023, 9, 12),
    )
    assert grown_story["event_count"] < was["event_count"] + (
        grown_story["event_mention_count"] - was["event_mention_count"]
    )  # most of the copy's events are ones the story already had
    for story_id, row in before_stories.items():
        if story_id != story:
            assert after_stories[story_id] == row
    # The copy's mentions join the published clusters, whose ids do not change.
    assert carrier_after["event_cluster_id"] == carrier_before["event_cluster_id"]
    assert (carrier_before["sources"], carrier_after["sources"]) == (1, 2)
    for words in SHARED_STATEMENTS:
        (was_statement,) = statements_before[words]
        (statement,) = statements_after[words]
        assert statement["quote_cluster_id"] == was_statement["quote_cluster_id"]
        assert (was_statement["sources"], statement["sources"]) == ([FIRST], [FIRST, COPY])
    assert all(clusters_after[r["event_id"]] == r["event_cluster_id"] for r in clusters_before)
