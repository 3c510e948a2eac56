"""Stories, events and statements counted once: their numbers on a corpus, and what they cost.

    .venv/bin/python bench/stories_benchmark.py [--corpus DIR] [--limit N] [--repeat 3]

Runs the flow (the `newsflow run` command, as bench/pipeline_benchmark.py does) over the corpus
(default: ../shared/bench/corpus/bbc) without every 11th article, then adds those (+10%), and
prints `name=value` lines:
  stories, articles, events, event_clusters, quotes, quote_clusters, ...
                          what the final version holds
  first_run_seconds, plus10pct_seconds
                          wall time of the two runs
  <run>_clusters_seconds  clustering the run's new events and quotes (tasks.normalize.corpus.
                          cluster_rows), against the published rows of the stories they touch
  <run>_stories_seconds   the version's stories table (tasks.normalize.stories.updated_stories)
  <run>_stories_checks_seconds
                          the stories' cross-table checks (their SQL, as validate runs it)
  <run>_new_expectations_seconds
                          Great Expectations running the stories suites and the expectations on
                          the cluster-id columns: validate() with those suites only, minus
                          validate() with none (both compute the same check frames)
  <run>_added_seconds, <run>_added_share
                          their sum, and its share of the run's wall time
Each piece is re-timed in this process on the run's own rows (the best of --repeat), as the
run's step clock does not split the normalize and validate steps; <run> is first or plus10pct.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
from pipeline_benchmark import DEFAULT_CORPUS, copy_corpus, run_flow

import tasks.validate as validation
from schemas.suites import cross_checks
from schemas.tables import STORIES, TABLES
from tasks.duckdb_memory import bounded_connection
from tasks.normalize.corpus import (
    ENTITY_COLUMNS,
    NEW_COLUMNS,
    PLACE_COLUMNS,
    PublishedSummary,
    cluster_rows,
)
from tasks.normalize.stories import updated_stories
from tasks.store.staging import table_dataset

CLUSTERS = {"event_cluster_id", "quote_cluster_id"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n-process", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    from prefect.server.api.server import SubprocessASGIServer

    work = Path(tempfile.mkdtemp(prefix="newsflow-stories-bench-"))
    files = sorted(args.corpus.rglob("*.txt"))[: args.limit or None]
    held_back, first_files = files[::11], [f for i, f in enumerate(files) if i % 11]
    with SubprocessASGIServer() as server:
        env = os.environ | {"PREFECT_API_URL": server.api_url, "PREFECT_LOGGING_LEVEL": "WARNING"}
        try:
            corpus, output = copy_corpus(first_files, work / "corpus"), work / "out"
            seconds = run_flow([corpus], output, env, args.n_process)
            print(f"first_run_seconds={seconds:.1f} articles={len(first_files)}")
            first_version = output / "current"
            kept = work / "first-version"
            shutil.copytree(first_version.resolve(), kept)
            report("first", None, output / "current", seconds, args.repeat)
            copy_corpus(held_back, corpus / "added")
            seconds = run_flow([corpus], output, env, args.n_process)
            print(f"plus10pct_seconds={seconds:.1f} articles_added={len(held_back)}")
            report("plus10pct", kept, output / "current", seconds, args.repeat)
            counts(output)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def report(run: str, published: Path | None, version: Path, seconds: float, repeat: int) -> None:
    tables = {name: table_dataset(version / name, name) for name in TABLES}
    run_id = _last_run(version)
    new_articles = tables["articles"].to_table(filter=ds.field("run_id") == run_id)
    new_ids = pa.array(new_articles.column("article_id").to_pylist(), pa.string())
    of_run = {
        "articles": ds.field("run_id") == run_id,
        "quarantine": ds.field("run_id") == run_id,
        **{name: ds.field("article_id").isin(new_ids) for name in ("entities", "quotes", "events")},
    }
    # The run's rows; the stories table is the run's whole.
    new_tables = {name: tables[name].to_table(filter=of_run.get(name)) for name in TABLES}
    new_rows = {
        name: tables[name].to_table(columns=columns, filter=ds.field("article_id").isin(new_ids))
        for name, columns in NEW_COLUMNS.items()
    }
    relations = dict(
        zip(
            new_articles.column("article_id").to_pylist(),
            zip(
                new_articles.column("duplicate_of").to_pylist(),
                new_articles.column("story_id").to_pylist(),
                strict=True,
            ),
            strict=True,
        )
    )
    summary, previous = None, STORIES.arrow_schema.empty_table()
    if published is not None:
        old = {name: table_dataset(published / name, name) for name in TABLES}
        summary = PublishedSummary(
            old["articles"].to_table(
                columns=["article_id", "duplicate_of", "story_id", "published_date"]
            ),
            old["entities"].to_table(columns=ENTITY_COLUMNS),
            old["entities"].to_table(
                columns=PLACE_COLUMNS, filter=ds.field("geonames_id").is_valid()
            ),
            pa.table({}),
            old["events"],
            old["quotes"],
        )
        previous = old["stories"].to_table()
    touched = {story for _duplicate, story in relations.values()}

    clusters = best(repeat, lambda: cluster_rows(new_rows, relations, summary))
    stories = best(repeat, lambda: updated_stories(ds.dataset(previous), tables, touched))
    every_suite = validation.suites

    def new_work() -> dict[str, list]:
        """The stories suites, and the expectations on the cluster-id columns."""
        suites = {
            name: [
                e
                for e in expectations
                if name.startswith(STORIES.name) or e.configuration.kwargs.get("column") in CLUSTERS
            ]
            for name, expectations in every_suite().items()
        }
        return {name: expectations for name, expectations in suites.items() if expectations}

    checks = best(repeat, lambda: stories_checks(new_tables, tables))
    validation.validate(new_tables, everything=tables)  # Great Expectations warmed up
    with_new, with_none = [], []
    try:
        for _ in range(repeat):  # alternated, so a busy moment of the machine hits both alike
            validation.suites = new_work
            with_new.append(best(1, lambda: validation.validate(new_tables, everything=tables)))
            validation.suites = dict
            with_none.append(best(1, lambda: validation.validate(new_tables, everything=tables)))
    finally:
        validation.suites = every_suite
    suites = min(with_new) - min(with_none)
    added = clusters + stories + checks + suites
    print(f"{run}_clusters_seconds={clusters:.3f} {run}_stories_seconds={stories:.3f}")
    print(f"{run}_stories_checks_seconds={checks:.3f} {run}_new_expectations_seconds={suites:.3f}")
    print(f"{run}_added_seconds={added:.3f} {run}_added_share={added / seconds:.4f}")


def stories_checks(new: dict, everything: dict) -> None:
    """The stories' cross-table checks, as validate computes them (one SQL per check)."""
    with bounded_connection() as connection:
        for name in TABLES:
            connection.register(name, everything[name])
            connection.register(f"new_{name}", new[name])
        columns = ", ".join(f"({c.sql}) AS {c.name}" for c in cross_checks(STORIES.name))
        connection.sql(f"SELECT t.story_id, {columns} FROM new_stories t").to_arrow_table()


def _last_run(version: Path) -> str:
    return duckdb.sql(
        f"SELECT run_id FROM read_parquet('{version}/articles/*.parquet') "
        "GROUP BY run_id ORDER BY max(ingested_at) DESC LIMIT 1"
    ).fetchall()[0][0]


def best(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def counts(output: Path) -> None:
    with duckdb.connect(str(output / "newsflow.duckdb"), read_only=True) as connection:
        (row,) = connection.sql(
            "SELECT (SELECT count(*) FROM stories), (SELECT count(*) FROM articles), "
            "(SELECT count(*) FROM stories WHERE article_count > 1), "
            "(SELECT count(*) FROM stories WHERE source_count > 1), "
            "(SELECT count(*) FROM events), (SELECT count(*) FROM event_clusters), "
            "(SELECT count(*) FROM event_clusters WHERE articles > 1), "
            "(SELECT count(*) FROM quotes), (SELECT count(*) FROM quote_clusters), "
            "(SELECT count(*) FROM quote_clusters WHERE articles > 1)"
        ).fetchall()
    names = (
        "stories", "articles", "stories_of_several_articles", "stories_of_several_sources",
        "events", "event_clusters", "event_clusters_of_several_articles", "quotes",
        "quote_clusters", "quote_clusters_of_several_articles",
    )  # fmt: skip
    print(" ".join(f"{name}={value}" for name, value in zip(names, row, strict=True)))


if __name__ == "__main__":
    main()
