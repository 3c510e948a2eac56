"""The DuckDB views (views.sql, newsflow.duckdb) and the example queries, on the seeds' output."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from schemas.tables import TABLES
from schemas.views import DERIVED_VIEWS, views_sql, write_duckdb

QUERIES = Path(__file__).resolve().parents[1] / "queries"
QUERY_FILES = sorted(QUERIES.glob("*.sql"))


@pytest.fixture(scope="module")
def database(seeds_output: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB session with the views over the seeds' output (absolute paths)."""
    connection = duckdb.connect()
    connection.execute(views_sql(str(seeds_output)))
    yield connection
    connection.close()


def run_query(database: duckdb.DuckDBPyConnection, name: str, **parameters) -> list[dict]:
    """Run queries/<name>.sql in a fresh session of the database with the given variables."""
    session = database.cursor()
    for variable, value in parameters.items():
        session.execute(f"SET VARIABLE {variable} = ?", [value])
    relation = session.sql((QUERIES / f"{name}.sql").read_text())
    rows = [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]
    session.close()
    return rows


def seed_article_id(database: duckdb.DuckDBPyConnection, seed_prefix: str) -> str:
    (article_id,) = database.execute(
        "SELECT article_id FROM articles WHERE source_uri LIKE ? || '%'", [seed_prefix]
    ).fetchone()
    return article_id


def test_the_five_documented_queries_exist():
    assert {path.stem for path in QUERY_FILES} >= {
        "quotes_by_speaker",
        "entity_cooccurrence",
        "events_by_country_pair",
        "multi_source_stories",
        "body_shrinkage",
        "story_timeline",
        "most_covered_events",
        "speaker_statements",
    }


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda path: path.stem)
def test_every_query_is_documented_and_answers_without_parameters(database, path):
    header = path.read_text().splitlines()[:3]
    assert all(line.startswith("-- ") for line in header), "a query starts with what it answers"
    assert run_query(database, path.stem), f"{path.name} returned nothing on the seeds"


def test_quotes_by_speaker_lists_each_spokesperson_under_their_name(database):
    speakers = {row["speaker"] for row in run_query(database, "quotes_by_speaker")}
    assert {"Chen Binhua", "Hua Chunying"} <= speakers

    chen = run_query(database, "quotes_by_speaker", speaker="chen binhua")
    assert chen, "the filter is case-insensitive"
    assert {row["speaker"] for row in chen} == {"Chen Binhua"}
    assert all(row["quote_text"] and row["source"] for row in chen)
    assert len({row["speaker_entity_id"] for row in chen}) == 1


def test_entity_cooccurrence_of_china_includes_japan_and_taiwan(database):
    rows = run_query(database, "entity_cooccurrence", entity="China")
    together = {row["co_entity"]: row for row in rows}
    assert {"Japan", "Taiwan"} <= set(together)
    assert together["Taiwan"]["sentences_together"] >= 1
    assert all(row["entity"] == "China" and row["co_entity"] != "China" for row in rows)
    assert all(row["co_entity_type"] not in ("DATE", "CARDINAL", "MONEY") for row in rows)


def test_entity_cooccurrence_without_entity_lists_each_pair_once(database):
    rows = run_query(database, "entity_cooccurrence")
    pairs = [frozenset((row["entity_id"], row["co_entity_id"])) for row in rows]
    assert len(pairs) == len(set(pairs))
    assert frozenset(("China", "Japan")) in {
        frozenset((row["entity"], row["co_entity"])) for row in rows
    }


def test_events_by_country_pair_counts_match_the_events_table(database):
    rows = run_query(database, "events_by_country_pair", actor_country="JPN", target_country="TWN")
    assert rows, "Japan acts towards Taiwan in the seeds"
    assert {(row["actor_country"], row["target_country"]) for row in rows} == {("JPN", "TWN")}
    (expected,) = database.execute(
        "SELECT count(*) FROM events WHERE actor_country = 'JPN' AND target_country = 'TWN'"
        " AND NOT negated"
    ).fetchone()
    assert sum(row["events"] for row in rows) == expected


def test_events_by_country_pair_both_directions_and_all_pairs(database):
    both = run_query(
        database,
        "events_by_country_pair",
        actor_country="CHN",
        target_country="TWN",
        both_directions=True,
    )
    assert {(row["actor_country"], row["target_country"]) for row in both} <= {
        ("CHN", "TWN"),
        ("TWN", "CHN"),
    }
    every_pair = run_query(database, "events_by_country_pair")
    assert all(row["actor_country"] != row["target_country"] for row in every_pair)
    assert len({(row["actor_country"], row["target_country"]) for row in every_pair}) >= 2


def test_multi_source_stories_lists_the_story_of_the_first_four_seeds(database):
    rows = run_query(database, "multi_source_stories")
    assert all(row["sources"] >= 2 for row in rows)
    (story_id,) = database.execute(
        "SELECT story_id FROM articles WHERE article_id = ?", [seed_article_id(database, "000_")]
    ).fetchone()
    story = next(row for row in rows if row["story_id"] == story_id)
    assert story["sources"] >= 3
    assert story["articles"] >= story["sources"]
    assert "NHK World" in story["source_list"]
    assert not run_query(database, "multi_source_stories", min_sources=story["sources"] + 10)


def test_story_timeline_shows_the_story_told_by_most_outlets_in_date_order(database):
    rows = run_query(database, "story_timeline")
    assert {row["story"] for row in rows} == {
        database.execute(
            "SELECT headline FROM stories ORDER BY source_count DESC, story_id LIMIT 1"
        ).fetchone()[0]
    }
    assert sum(row["kind"] == "article" for row in rows) == 4
    days = [row["day"] for row in rows if row["day"] is not None]
    assert (days == sorted(days) and rows[-1]["day"] is None) or days == sorted(days)
    carrier = [row for row in rows if "naval formation" in (row["what"] or "")]
    assert len(carrier) == 1 and carrier[0]["outlets"] == 2  # one event, two outlets
    other = run_query(database, "story_timeline", story="hold talks")
    assert {row["story"] for row in other} == {
        "Japan and Taiwan hold talks to counter Chinese aggression"
    }


def test_most_covered_events_of_a_month_count_each_event_once(database):
    rows = run_query(database, "most_covered_events", month="2023-09")
    assert rows and {row["month"] for row in rows} == {"2023-09"}
    assert rows[0]["sources"] >= 2
    assert [row["sources"] for row in rows] == sorted(
        (row["sources"] for row in rows), reverse=True
    )
    carrier = [row for row in rows if "naval formation" in row["event"]]
    assert len(carrier) == 1 and (carrier[0]["sources"], carrier[0]["mentions"]) == (2, 2)
    mobilize = run_query(database, "most_covered_events", month="2023-09", event_type="mobilize")
    assert mobilize and {row["event_type"] for row in mobilize} == {"MOBILIZE"}


def test_speaker_statements_lists_each_statement_once_with_its_outlets(database):
    rows = run_query(database, "speaker_statements", speaker="aso")
    resolve = [row for row in rows if "resolve to fight" in row["statement"]]
    assert len(resolve) == 1
    assert resolve[0]["sources"] == 2 and len(resolve[0]["outlets"]) == 2
    assert {row["speaker"] for row in rows} == {resolve[0]["speaker"]}
    everyone = run_query(database, "speaker_statements")
    assert len({row["quote_cluster_id"] for row in everyone}) == len(everyone)


def test_body_shrinkage_puts_the_web_page_dump_first(database):
    rows = run_query(database, "body_shrinkage")
    assert rows[0]["article_id"] == seed_article_id(database, "001_")
    assert rows[0]["removed_share"] > 0.3
    shares = [row["removed_share"] for row in rows]
    assert shares == sorted(shares, reverse=True)
    assert all(row["removed_chars"] == row["raw_length"] - row["body_length"] for row in rows)
    assert len(run_query(database, "body_shrinkage", top_n=2)) == 2


def test_views_sql_with_relative_paths_works_from_the_output_directory(
    database, seeds_output, monkeypatch
):
    monkeypatch.chdir(seeds_output)
    with duckdb.connect() as connection:
        connection.execute(views_sql("."))
        for name in TABLES:
            count = f"SELECT count(*) FROM {name}"
            assert connection.execute(count).fetchone() == database.execute(count).fetchone()


def test_views_sql_escapes_quotes_in_paths(seeds_output, tmp_path):
    quoted = tmp_path / "it's here"
    quoted.mkdir()
    for name in TABLES:
        (quoted / name).symlink_to(seeds_output / name)
    with duckdb.connect() as connection:
        connection.execute(views_sql(str(quoted)))
        assert connection.execute("SELECT count(*) FROM entities").fetchone()[0] > 0


def test_write_duckdb_gives_documented_views_readable_from_anywhere(
    seeds_output, tmp_path, monkeypatch
):
    database_path = tmp_path / "newsflow.duckdb"
    sql = views_sql(str(seeds_output.resolve()))
    write_duckdb(database_path, sql)
    write_duckdb(database_path, sql)  # a re-run replaces the file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newsflow.duckdb"]

    monkeypatch.chdir(tmp_path)
    with duckdb.connect(str(database_path), read_only=True) as connection:
        (tags,) = connection.execute(
            "SELECT tags FROM duckdb_databases() WHERE path = ?", [str(database_path)]
        ).fetchone()
        assert tags["storage_version"] == "v1.4.0+", "must stay readable by DuckDB 1.4"
        views = dict(
            connection.execute(
                "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal"
            ).fetchall()
        )
        assert views == {name: table.description for name, table in TABLES.items()} | {
            view.name: view.description for view in DERIVED_VIEWS
        }
        declared = {
            **{name: {c.name: c.description for c in t.columns} for name, t in TABLES.items()},
            **{view.name: dict(view.columns) for view in DERIVED_VIEWS},
        }
        for name, described in declared.items():
            comments = connection.execute(
                "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ? "
                "ORDER BY column_index",
                [name],
            ).fetchall()
            assert comments == list(described.items()), name
        assert connection.execute("SELECT count(*) FROM quotes").fetchone()[0] > 0
