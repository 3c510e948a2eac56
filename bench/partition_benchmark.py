"""Effect of the Parquet layout (shuffled, sorted, hive-partitioned by month) on DuckDB queries.

    .venv/bin/python bench/partition_benchmark.py [--from-output DIR | --corpus DIR --limit 300]
        [--events 3000000] [--months 60] [--repeats 11] [--work-dir DIR]

Runs the pipeline once over a slice of a .txt corpus (default: ../shared/bench/corpus/bbc), or
takes an existing output (--from-output), and grows its articles and events into a dataset of
about --events event rows spread over --months months: every copy of the output gets new
article and event ids and its dates shifted by whole months. The BBC corpus carries no dates,
so each base article gets a synthetic publication day (a fixed share stays undated, like
undated inputs do). The grown tables are written in these layouts, all zstd with 100k-row
row groups, articles sorted by published_date, article_id unless said otherwise:
  unsorted             rows shuffled
  sorted               events by article_id, trigger_start (the natural keys)
  sorted_event_date    events by event_date, article_id, trigger_start
  sorted_article_date  events by their article's month, article_id, trigger_start
  partitioned          hive folders month=YYYY-MM of the article's publication month for
                       articles and events (an article's events stay in its folder, and most
                       events are dated by their article), sorted as sorted_article_date
                       inside; undated rows go to month=__HIVE_DEFAULT_PARTITION__
and then every query runs --repeats times per layout, layouts taking turns, each on a fresh
single-threaded DuckDB connection (OS page cache warm), printing `name=value` lines: the
median milliseconds per query and layout, ratios to unsorted, whether the rows equal
unsorted's, files / row groups / bytes read (from DuckDB's profiler), and the
files and bytes of each layout. Queries:
  q1  events by type per month for the most frequent country pair, articles of the last 3
      months (joins articles; the partitioned layout is also asked with its month column)
  q2  articles published in one month with their word counts
  q3  events per type over everything (a full scan: what many small files cost)
and a one-line recommendation.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "bench" / "corpus" / "bbc"
FIRST_MONTH = "2021-01-01"
# Source dates (BBC: 2004-2005) are shifted so the copy for month 0 lands in FIRST_MONTH.
SOURCE_MONTH = "2005-01-01"
ROW_GROUP_SIZE = 100_000
PARQUET_OPTIONS = f"FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_SIZE}"
LAYOUTS = ("unsorted", "sorted", "sorted_event_date", "sorted_article_date", "partitioned")


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    layouts: tuple[str, ...] = LAYOUTS
    same_as: str | None = None  # the query whose rows this one must return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-output", type=Path, help="a published output to grow from")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=300, help="articles of the corpus to run")
    parser.add_argument("--events", type=int, default=3_000_000, help="event rows to grow to")
    parser.add_argument("--months", type=int, default=60, help="months the copies spread over")
    parser.add_argument("--undated-percent", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=11, help="runs per query and layout")
    parser.add_argument("--work-dir", type=Path, help="keep the files here (default: a temp dir)")
    args = parser.parse_args()

    work = args.work_dir or Path(tempfile.mkdtemp(prefix="newsflow-partition-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        source = args.from_output or run_pipeline(args.corpus, args.limit, work / "output")
        database = work / "grown.duckdb"
        with duckdb.connect(database) as connection:
            configure(connection, work)
            grow(connection, source, args.events, args.months, args.undated_percent)
            describe_dataset(connection)
            pair = frequent_pair(connection)
            for layout in LAYOUTS:
                write_layout(connection, layout, work / layout)
        for layout in LAYOUTS:
            for table in ("articles", "events"):
                files = list((work / layout / table).rglob("*.parquet"))
                mib = sum(f.stat().st_size for f in files) / 2**20
                print(f"{layout}_{table}_files={len(files)} {layout}_{table}_mib={mib:.1f}")
        print(f"threads=1 repeats={args.repeats} (fresh DuckDB connection each, OS cache warm)")
        medians = measure(queries(pair, args.months), work, args.repeats)
        print(f"recommendation={recommendation(medians)}")
    finally:
        if not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)


def run_pipeline(corpus: Path, limit: int, output: Path) -> Path:
    """Publish the first `limit` corpus articles (taken across its topic folders) to output."""
    folders = sorted(p for p in corpus.iterdir() if p.is_dir()) or [corpus]
    per_folder = -(-limit // len(folders))
    inputs = [f for folder in folders for f in sorted(folder.rglob("*.txt"))[:per_folder]][:limit]
    command = [str(Path(sys.executable).parent / "newsflow"), "run", "--output", str(output)]
    command += [arg for path in inputs for arg in ("--input", str(path))]
    command += ["--n-process", "1"]
    env = os.environ | {"PREFECT_LOGGING_LEVEL": "WARNING"}
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"pipeline failed:\n{(result.stdout + result.stderr)[-3000:]}")
    return output


def configure(connection: duckdb.DuckDBPyConnection, work: Path) -> None:
    # One thread: the machine is shared, and it makes layouts compare without scheduling noise.
    connection.execute("SET threads = 1")
    connection.execute("SET preserve_insertion_order = true")
    connection.execute(f"SET temp_directory = '{work / 'spill'}'")


def grow(
    connection: duckdb.DuckDBPyConnection,
    source: Path,
    target_events: int,
    months: int,
    undated_percent: int,
) -> None:
    """Tables `articles` and `events`: copies of the source output spread over the months."""
    for table in ("articles", "events"):
        connection.execute(
            f"CREATE OR REPLACE TABLE base_{table} AS"
            f" SELECT * FROM read_parquet('{source}/{table}/*.parquet')"
        )
    (base_events,) = connection.execute("SELECT count(*) FROM base_events").fetchone()
    if not base_events:
        raise SystemExit(f"{source} has no events to grow from")
    copies = max(1, round(target_events / base_events))
    # Copies get hash ids like the pipeline's, so sorting by id does not line copies up.
    connection.execute(
        "CREATE OR REPLACE MACRO copy_id(prefix, id, copy) AS"
        " prefix || substr(md5(id || '-' || copy), 1, 16)"
    )
    connection.execute(
        f"CREATE OR REPLACE TABLE copies AS SELECT range AS copy FROM range({copies})"
    )
    # A copy's month is copy % months; its articles get a day from a hash of id and copy, and
    # a fixed share of the base articles stays undated in every copy. Titles and bodies get the
    # copy number, so Parquet's dictionaries cannot fold copies into one value.
    connection.execute(
        f"""
        CREATE OR REPLACE TABLE articles AS
        SELECT * REPLACE (
            copy_id('a', a.article_id, c.copy) AS article_id,
            copy_id('a', a.duplicate_of, c.copy) AS duplicate_of,
            copy_id('s', a.story_id, c.copy) AS story_id,
            a.title || ' [' || c.copy || ']' AS title,
            a.body || '\n[' || c.copy || ']' AS body,
            CASE WHEN hash(a.article_id, 'undated') % 100 >= {undated_percent} THEN
                (DATE '{FIRST_MONTH}' + to_months(c.copy % {months})
                    + to_days((hash(a.article_id, c.copy) % 28)::INTEGER))::DATE
            END AS published_date
        )
        FROM base_articles AS a CROSS JOIN copies AS c
        """
    )
    connection.execute(
        f"""
        CREATE OR REPLACE TABLE events AS
        SELECT * REPLACE (
            copy_id('a', e.article_id, c.copy) || substr(e.event_id, length(e.article_id) + 1)
                AS event_id,
            copy_id('a', e.article_id, c.copy) AS article_id,
            (e.event_date + to_months(
                c.copy % {months} + datediff('month', DATE '{SOURCE_MONTH}', DATE '{FIRST_MONTH}')
            ))::DATE AS event_date
        )
        FROM base_events AS e CROSS JOIN copies AS c
        """
    )
    print(f"copies={copies} months={months}")


def describe_dataset(connection: duckdb.DuckDBPyConnection) -> None:
    articles, undated = connection.execute(
        "SELECT count(*), count(*) - count(published_date) FROM articles"
    ).fetchone()
    events, own_date, other_month = connection.execute(
        """
        SELECT count(*), count(e.event_date),
            count(*) FILTER (WHERE date_trunc('month', e.event_date)
                <> date_trunc('month', a.published_date))
        FROM events AS e JOIN articles AS a USING (article_id)
        """
    ).fetchone()
    print(f"articles={articles} undated_articles_share={undated / articles:.3f}")
    print(f"events={events} events_with_own_date_share={own_date / events:.4f}")
    # Events whose own month differs from their article's: what partitioning events by the
    # article's month puts in a different folder than partitioning them by event month would.
    print(f"events_month_not_article_month_share={other_month / events:.4f}")


def frequent_pair(connection: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """The country pair with most events in dated articles (so q1 has rows to find)."""
    row = connection.execute(
        """
        SELECT e.actor_country, e.target_country
        FROM base_events AS e JOIN articles AS a ON a.article_id = copy_id('a', e.article_id, 0)
        WHERE e.actor_country <> e.target_country AND a.published_date IS NOT NULL
        GROUP BY ALL ORDER BY count(*) DESC, e.actor_country, e.target_country LIMIT 1
        """
    ).fetchone()
    if row is None:
        raise SystemExit("no event with an actor and a target country to query")
    print(f"q1_pair={row[0]}-{row[1]}")
    return row


# What each layout writes: the SELECT for articles and for events. Sorting events by their
# article's date needs the article, which the publisher has at hand.
ARTICLES_BY_DATE = "SELECT * FROM articles ORDER BY published_date, article_id"
EVENTS_WITH_ARTICLE = (
    "SELECT e.*, strftime(a.published_date, '%Y-%m') AS month"
    " FROM events AS e JOIN articles AS a USING (article_id)"
)
LAYOUT_SQL = {
    "unsorted": (
        "SELECT * FROM articles ORDER BY random()",
        "SELECT * FROM events ORDER BY random()",
    ),
    "sorted": (ARTICLES_BY_DATE, "SELECT * FROM events ORDER BY article_id, trigger_start"),
    "sorted_event_date": (
        ARTICLES_BY_DATE,
        "SELECT * FROM events ORDER BY event_date, article_id, trigger_start",
    ),
    "sorted_article_date": (
        ARTICLES_BY_DATE,
        f"SELECT * EXCLUDE (month) FROM ({EVENTS_WITH_ARTICLE})"
        " ORDER BY month, article_id, trigger_start",
    ),
    "partitioned": (
        "SELECT *, strftime(published_date, '%Y-%m') AS month FROM articles"
        " ORDER BY published_date, article_id",
        f"SELECT * FROM ({EVENTS_WITH_ARTICLE}) ORDER BY month, article_id, trigger_start",
    ),
}


def write_layout(connection: duckdb.DuckDBPyConnection, layout: str, folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    connection.execute("SELECT setseed(0.5)")
    for table, select in zip(("articles", "events"), LAYOUT_SQL[layout], strict=True):
        (folder / table).mkdir(parents=True)
        if layout == "partitioned":
            target = folder / table
            options = f"{PARQUET_OPTIONS}, PARTITION_BY (month), OVERWRITE_OR_IGNORE"
        else:
            target, options = folder / table / "part-00000.parquet", PARQUET_OPTIONS
        connection.execute(f"COPY ({select}) TO '{target}' ({options})")


def queries(pair: tuple[str, str], months: int) -> list[Query]:
    last = f"DATE '{FIRST_MONTH}' + to_months({months - 3})"
    middle = f"DATE '{FIRST_MONTH}' + to_months({months // 2})"
    actor, target = pair
    q1 = f"""
        SELECT date_trunc('month', coalesce(e.event_date, a.published_date)) AS month,
            e.event_type, count(*) AS events
        FROM events AS e JOIN articles AS a USING (article_id)
        WHERE e.actor_country = '{actor}' AND e.target_country = '{target}' AND NOT e.negated
            AND a.published_date >= {last} {{month_filter}}
        GROUP BY ALL ORDER BY ALL
    """
    first_month = f"strftime({last}, '%Y-%m')"
    month_filter = f"AND a.month >= {first_month} AND e.month >= {first_month}"
    return [
        Query("q1", q1.format(month_filter="")),
        Query("q1_month_column", q1.format(month_filter=month_filter), ("partitioned",), "q1"),
        Query(
            "q2",
            f"""
            SELECT article_id, title, word_count FROM articles
            WHERE published_date >= {middle} AND published_date < {middle} + to_months(1)
            """,
        ),
        Query(
            "q2_month_column",
            f"""
            SELECT article_id, title, word_count FROM articles
            WHERE month = strftime({middle}, '%Y-%m')
            """,
            ("partitioned",),
            "q2",
        ),
        Query("q3", "SELECT event_type, count(*) AS events FROM events GROUP BY ALL ORDER BY ALL"),
    ]


def measure(all_queries: list[Query], work: Path, repeats: int) -> dict[str, float]:
    """Median milliseconds per `<query>_<layout>`, after printing the figures of each."""
    medians: dict[str, float] = {}
    unsorted: dict[str, tuple[float, list]] = {}
    for query in all_queries:
        base = query.same_as or query.name
        # Layouts take turns in every round, so a load spike from other jobs hits them alike.
        runs = {layout: [] for layout in query.layouts}
        for _ in range(repeats):
            for layout in query.layouts:
                runs[layout].append(run_query(work / layout, query.sql))
        for layout in query.layouts:
            milliseconds = statistics.median(seconds for seconds, _ in runs[layout]) * 1000
            rows = sorted(runs[layout][0][1], key=repr)
            reads = scan_profile(work / layout, query.sql, work / "profile.json")
            name = f"{query.name}_{layout}"
            medians[name] = milliseconds
            print(f"{name}_ms={milliseconds:.1f} {name}_rows={len(rows)}")
            print(
                f"{name}_files_read={reads['files']} {name}_row_groups_read="
                f"{reads['row_groups']}/{reads['row_groups_total']}"
                f" {name}_mib_read={reads['bytes'] / 2**20:.1f}"
            )
            if layout == "unsorted":
                unsorted[base] = (milliseconds, rows)
            elif base in unsorted:
                baseline, expected = unsorted[base]
                print(f"{name}_over_unsorted={milliseconds / baseline:.3f}")
                print(f"{name}_same_rows={rows == expected}")
    return medians


def recommendation(medians: dict[str, float]) -> str:
    """Partition only when month-filtered queries gain clearly and full scans lose little."""
    gains = [
        medians[f"{query}_month_column_partitioned"] / medians[f"{query}_sorted"]
        for query in ("q1", "q2")
    ]
    scan_cost = medians["q3_partitioned"] / medians["q3_sorted"]
    verdict = "partition by month" if max(gains) < 0.8 and scan_cost < 1.25 else "do not partition"
    return (
        f"{verdict}; sort articles by published_date, article_id and events by article_id,"
        f" trigger_start (partitioned/sorted: q1 {gains[0]:.2f} and q2 {gains[1]:.2f} when"
        f" filtered on the month column, q3 {scan_cost:.2f})"
    )


def connect(layout_dir: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("SET threads = 1")
    hive = (layout_dir / "articles").glob("month=*")
    partitioned = any(hive)
    for table in ("articles", "events"):
        connection.execute(
            f"CREATE VIEW {table} AS SELECT * FROM read_parquet("
            f"'{layout_dir / table}/**/*.parquet', hive_partitioning = {partitioned})"
        )
    return connection


def run_query(layout_dir: Path, sql: str) -> tuple[float, list]:
    """Seconds of one query on a fresh connection, and its rows."""
    with connect(layout_dir) as connection:
        started = time.perf_counter()
        rows = connection.execute(sql).fetchall()
        return time.perf_counter() - started, rows


def scan_profile(layout_dir: Path, sql: str, profile: Path) -> dict[str, int]:
    """Files, row groups and bytes the query's Parquet scans read, from DuckDB's profiler."""
    with connect(layout_dir) as connection:
        connection.execute("PRAGMA enable_profiling = 'json'")
        connection.execute(f"PRAGMA profiling_output = '{profile}'")
        connection.execute(sql).fetchall()
        connection.execute("PRAGMA disable_profiling")
    report = json.loads(profile.read_text())
    reads = {"files": 0, "row_groups": 0, "row_groups_total": 0}
    operators = list(report["operator"])
    while operators:
        operator = operators.pop()
        operators.extend(operator.get("children", []))
        if operator.get("type") == "TABLE_SCAN":
            reads["files"] += int(operator["extra_info"].get("Total Files Read", 0))
            reads["row_groups"] += operator.get("row_groups_scanned", 0)
            reads["row_groups_total"] += operator.get("total_row_groups_to_scan", 0)
    reads["bytes"] = report.get("io", {}).get("total_bytes_read", 0)
    return reads


if __name__ == "__main__":
    main()
