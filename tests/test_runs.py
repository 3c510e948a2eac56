"""Runs over time: incremental re-runs, identical results on every runner, one writer at a time."""

from __future__ import annotations

import os
import random
import shutil
from concurrent.futures import ProcessPoolExecutor
from itertools import pairwise

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import SEEDS
from prefect import task

from flows.batches import MIN_PARALLEL_BATCH, batch_ends
from flows.news_pipeline import news_pipeline
from flows.workers import start_worker_server
from tasks.extract.nlp import load_nlp
from tasks.store.local import output_lock
from tasks.store.staging import RELATE_FEATURES

RUN_METADATA = {"run_id", "ingested_at"}
RUN_METADATA_KEPT: set[str] = set()
CARRIED = ("articles", "entities", "quotes", "events")


def published(output, table: str, left_out: set[str] = RUN_METADATA) -> list[dict]:
    """A published table's rows without run metadata (by default), in key order."""
    relation = duckdb.connect().sql(f"SELECT * FROM read_parquet('{output}/{table}/*.parquet')")
    columns = [c for c in relation.columns if c not in left_out]
    rows = relation.select(", ".join(columns)).order(columns[0]).fetchall()
    return [dict(zip(columns, row, strict=True)) for row in rows]


HELD_BACK = SEEDS / "002_e4c92bf254ab9eb7.txt"  # a near-copy of 001


def _seeds_but_the_near_copy(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in sorted(SEEDS.iterdir()):
        if seed != HELD_BACK:
            shutil.copy(seed, inbox)
    return inbox


def test_a_rerun_publishes_nothing_and_new_articles_leave_published_rows_as_they_were(
    prefect_api, tmp_path
):
    inbox, output = _seeds_but_the_near_copy(tmp_path), tmp_path / "out"
    first = news_pipeline(inputs=(str(inbox),), output=str(output))
    assert first["published"] and first["rows"]["articles"] == 4
    version = os.readlink(output / "current")
    before = {table: published(output, table, RUN_METADATA_KEPT) for table in CARRIED}

    again = news_pipeline(inputs=(str(inbox),), output=str(output))
    assert again["published"] is False and again["documents_new"] == 0
    assert os.readlink(output / "current") == version

    shutil.copy(HELD_BACK, inbox)
    grown = news_pipeline(inputs=(str(inbox),), output=str(output))
    assert grown["documents_new"] == 1 and grown["rows"]["articles"] == 5
    assert grown["documents"] == {
        "read": 5, "published": 1, "quarantined": 0, "already_published": 4
    }  # fmt: skip
    after = {table: published(output, table, RUN_METADATA_KEPT) for table in CARRIED}
    for table in CARRIED:
        assert [row for row in after[table] if row in before[table]] == before[table], table
        assert len(after[table]) > len(before[table]), table
    articles = {row["source_uri"]: row for row in after["articles"]}
    copy, original = articles[HELD_BACK.name], articles["001_1d7ca730a1957cc7.txt"]
    assert copy["duplicate_of"] == original["article_id"]
    assert copy["story_id"] == original["story_id"]  # it joins the published story
    # The first run's relate features are carried (hard links), not recomputed or rewritten.
    features = sorted((output / "current" / RELATE_FEATURES).glob("*.parquet"))
    first_run = [f for f in features if f.name.startswith(first["run_id"])]
    assert len(first_run) == 1 and first_run[0].stat().st_nlink == 2
    assert _feature_ids(output) == {row["article_id"] for row in after["articles"]}


def test_an_output_published_without_relate_features_still_relates_new_articles(
    prefect_api, tmp_path
):
    """Outputs of a version that kept no relate features: the next run makes them once."""
    inbox, output = _seeds_but_the_near_copy(tmp_path), tmp_path / "out"
    news_pipeline(inputs=(str(inbox),), output=str(output))
    shutil.rmtree(output / "current" / RELATE_FEATURES)

    shutil.copy(HELD_BACK, inbox)
    news_pipeline(inputs=(str(inbox),), output=str(output))
    articles = {row["source_uri"]: row for row in published(output, "articles")}
    copy, original = articles[HELD_BACK.name], articles["001_1d7ca730a1957cc7.txt"]
    assert copy["duplicate_of"] == original["article_id"]
    assert copy["story_id"] == original["story_id"]
    assert _feature_ids(output) == {row["article_id"] for row in articles.values()}


def _feature_ids(output) -> set[str]:
    relation = duckdb.connect().sql(
        f"SELECT article_id FROM read_parquet('{output}/current/{RELATE_FEATURES}/*.parquet')"
    )
    identifiers = [identifier for (identifier,) in relation.fetchall()]
    assert len(identifiers) == len(set(identifiers))
    return set(identifiers)


@pytest.mark.parametrize(
    "runner", [{"n_process": 2, "batch_size": 2}, {"dask_workers": 2, "batch_size": 2}]
)
def test_parallel_runs_publish_the_same_tables_as_a_single_process(prefect_api, tmp_path, runner):
    single, parallel = tmp_path / "single", tmp_path / "parallel"
    news_pipeline(inputs=(str(SEEDS),), output=str(single), n_process=1)
    news_pipeline(inputs=(str(SEEDS),), output=str(parallel), **runner)
    for table in ("articles", "entities", "quotes", "events", "stories"):
        assert published(single, table) == published(parallel, table), table
    # The report's plots and stories, drawn beside the validation (a forked process, or a
    # thread), match.
    drawn = drawn_beside(single)
    assert "<img" in drawn and "<h2>Stories</h2>" in drawn and "<details" in drawn
    assert drawn == drawn_beside(parallel)


def test_a_run_larger_than_one_chunk_per_table_draws_its_stories_after_the_validation(
    prefect_api, tmp_path, monkeypatch
):
    """A run whose new rows exceed one validation chunk draws only the plots beside its
    validation (memory) and the stories section after it: the same page sections as drawn
    from the published tables."""
    import tasks.validate as validation
    from tasks.report import table_sections

    monkeypatch.setattr(validation, "CHUNK_ROWS", 1)
    output = tmp_path / "out"
    news_pipeline(inputs=(str(SEEDS),), output=str(output), n_process=1)
    tables = {
        name: pq.read_table(output / name)
        for name in ("articles", "entities", "quotes", "events", "stories")
    }
    drawn = drawn_beside(output)
    assert "<img" in drawn and "<h2>Stories</h2>" in drawn and "<details" in drawn
    assert drawn == "".join(table_sections(tables).values())


def drawn_beside(output) -> str:
    """The report's sections that the run draws beside its validation: plots and stories."""
    page = (output / "report" / "index.html").read_text(encoding="utf-8")
    return page[page.index("<h2>What the run found</h2>") : page.index("<h2>Quarantine</h2>")]


def test_workers_fork_from_a_server_that_has_loaded_the_model():
    """Workers start with the spaCy model loaded, and forked from the worker server instead of
    this process (whose threads a fork would copy in an unknown state)."""
    with ProcessPoolExecutor(1, mp_context=start_worker_server()) as worker:
        assert worker.submit(model_is_loaded).result(timeout=600)
        assert worker.submit(os.getppid).result() != os.getpid()


def model_is_loaded() -> bool:
    return load_nlp.cache_info().currsize == 1


def test_a_second_writer_is_refused_and_a_dead_writers_lock_is_recovered(prefect_api, tmp_path):
    output = tmp_path / "out"
    with output_lock(output):
        state = news_pipeline(
            inputs=(str(SEEDS / "004_747d38b2154d189f.txt"),), output=str(output), return_state=True
        )
    assert state.is_failed()
    assert "being written by another run" in str(state.result(raise_on_failure=False))
    assert not (output / "current").exists()

    (output / ".lock").write_text("pid 999999 since 2026-01-01T00:00:00Z\n")  # left by a killed run
    summary = news_pipeline(inputs=(str(SEEDS / "004_747d38b2154d189f.txt"),), output=str(output))
    assert summary["published"] and summary["recovered_stale_lock"].startswith("pid 999999")


def test_a_batch_that_keeps_failing_is_quarantined_and_the_others_publish(
    prefect_api, tmp_path, monkeypatch
):
    import flows.batches as batches
    from flows.steps import process_batch

    attempts = []

    def fails_on_the_first_seed(documents, nlp_batch_size, run):
        if any(d.source_uri.startswith("000_") for d in documents):
            attempts.append(len(documents))
            raise MemoryError("worker ran out of memory")
        return process_batch(documents, nlp_batch_size, run)

    monkeypatch.setattr(
        batches, "batch_task", task(fails_on_the_first_seed, name="clean-extract", retries=1)
    )
    summary = news_pipeline(
        inputs=(str(SEEDS),), output=str(tmp_path / "out"), batch_size=1, n_process=1
    )

    assert attempts == [1, 1]  # the batch was retried once before it was given up
    assert summary["published"] and summary["rows"]["articles"] == 4
    quarantine = published(tmp_path / "out", "quarantine")
    assert [(r["source_uri"], r["step"], r["reason"]) for r in quarantine] == [
        ("000_dbe89249c89d86f9.txt", "extract", "batch_failed")
    ]
    assert "MemoryError" in quarantine[0]["detail"]


def test_a_failing_batch_is_tried_again_one_document_at_a_time(prefect_api, tmp_path, monkeypatch):
    # One document the steps fail on (a date no calendar arithmetic survives, once) used to
    # quarantine its whole batch of up to --batch-size articles.
    import flows.batches as batches
    from flows.steps import process_batch

    attempts = []

    def fails_on_the_first_seed(documents, nlp_batch_size, run):
        attempts.append(len(documents))
        if any(d.source_uri.startswith("000_") for d in documents):
            raise OverflowError("date value out of range")
        return process_batch(documents, nlp_batch_size, run)

    monkeypatch.setattr(
        batches, "batch_task", task(fails_on_the_first_seed, name="clean-extract", retries=1)
    )
    summary = news_pipeline(inputs=(str(SEEDS),), output=str(tmp_path / "out"), n_process=1)

    assert attempts == [5, 5, 1, 1, 1, 1, 1, 1]  # the batch, its retry, then each seed alone
    assert summary["published"] and summary["rows"]["articles"] == 4
    quarantine = published(tmp_path / "out", "quarantine")
    assert [(r["source_uri"], r["reason"]) for r in quarantine] == [
        ("000_dbe89249c89d86f9.txt", "batch_failed")
    ]
    assert "OverflowError" in quarantine[0]["detail"]


@pytest.mark.parametrize(
    ("documents", "batch_size", "workers"),
    [(2022, 200, 2), (202, 200, 2), (30, 200, 2), (5, 2, 2), (300, 200, 1), (20220, 200, 4)],
)
def test_batches_cover_every_document_once_and_end_small(documents, batch_size, workers):
    """Small runs: one batch per worker. Large runs: the last batches are small, so no worker
    parses a last big batch while the others idle."""
    ends = batch_ends([1] * documents, batch_size, workers)
    sizes = [end - start for start, end in pairwise([0, *ends])]
    assert sum(sizes) == documents and all(0 < size <= batch_size for size in sizes)
    if documents <= workers * batch_size:
        assert len(sizes) <= workers and max(sizes) - min(sizes) <= 1
    elif workers > 1:
        assert sizes[0] == batch_size and max(sizes[-workers:]) <= MIN_PARALLEL_BATCH


def test_batches_balance_characters_not_articles():
    """Parse time follows length: workers given articles of very different lengths get
    batches of about the same number of characters, whatever their article counts."""
    lengths = [random.Random(seed).choice([300, 3_000, 30_000]) for seed in range(300)]
    for workers in (2, 3):
        ends = batch_ends(lengths, 200, workers)
        weights = [sum(lengths[start:end]) for start, end in pairwise([0, *ends])]
        assert ends[-1] == len(lengths) and len(weights) == workers
        assert max(weights) - min(weights) <= max(lengths)
