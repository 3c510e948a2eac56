"""The steps as Prefect tasks: thin wrappers over tasks/, in an importable module so that worker
processes (a process pool or a Dask cluster) can load them by name. Each step is timed for the
run summary by one decorator, `timed`."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

import pyarrow as pa
import pyarrow.dataset as ds
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from schemas.tables import ARTICLES, ENTITIES, EVENTS, QUARANTINE, QUOTES, STORIES
from tasks.extract import extract
from tasks.ingest import read_inputs
from tasks.normalize import normalize_batch, quarantine_table
from tasks.normalize.corpus import (
    ARTICLE_COLUMNS,
    ENTITY_COLUMNS,
    FEATURE_SOURCE_COLUMNS,
    NEW_COLUMNS,
    PLACE_COLUMNS,
    CorpusDecisions,
    PublishedSummary,
    decide,
    features_of,
)
from tasks.normalize.duplicates import FEATURES_SCHEMA, article_features
from tasks.normalize.entities import NameForms
from tasks.normalize.stories import updated_stories
from tasks.quarantine import plan_quarantine
from tasks.records import Quarantined, RawDocument, RunInfo
from tasks.report import render_report, table_sections
from tasks.store import LocalOutput, Staging
from tasks.store.local import REPORT_PAGE, VALIDATION_RESULTS
from tasks.store.staging import RELATE_FEATURES
from tasks.validate import PreparedSuites, ValidationReport, validate

# Tables whose published rows every version carries on; the quarantine is the run's own, and
# the stories table is written whole by each version.
CARRIED_TABLES = ("articles", "entities", "quotes", "events")
# Validations of one run: the first, and one after each round of quarantined rows (a second
# round is rare: only rows that depended on the first round's in a way not foreseen).
MAX_VALIDATION_PASSES = 3

# Seconds per step of each flow run in this process, by flow run id (a context variable would
# be sent along with every task Prefect submits to a worker process, and cannot be pickled).
_step_seconds: dict[str, dict[str, float]] = {}


@contextmanager
def step_clock() -> Iterator[dict[str, float]]:
    """The seconds each `timed` step of the current flow run took within the block."""
    run_id = str(flow_run.get_id())
    seconds = _step_seconds[run_id] = {}
    try:
        yield seconds
    finally:
        del _step_seconds[run_id]


def timed(step: str) -> Callable[[Callable], Callable]:
    """A step whose duration goes into its flow run's summary (under `step`)."""

    def decorate(function: Callable) -> Callable:
        @wraps(function)
        def timed_step(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds = _step_seconds.get(str(flow_run.get_id()))
                if seconds is not None:
                    seconds[step] = round(time.perf_counter() - started, 3)

        return timed_step

    return decorate


@dataclass(frozen=True)
class BatchResult:
    tables: dict[str, pa.Table]  # the batch's rows (see tasks.normalize.NormalizedBatch)
    name_forms: NameForms
    features: pa.Table  # what relating its articles to others needs (article_features)
    quarantined: list[Quarantined]


def process_batch(documents: list[RawDocument], nlp_batch_size: int, run: RunInfo) -> BatchResult:
    """One batch through the per-article steps: clean, the NLP pass and the extractors, the
    rows of its articles and their relate features (returned as Arrow tables: compact to send
    and to hold)."""
    # Imported here: only the workers clean, and their server imports it before it forks them
    # (flows/worker_warmup.py); the flow's process would wait at every run's start for
    # trafilatura and the language identifier, which it never uses.
    from tasks.clean import clean

    articles, rejected = clean(documents)
    extractions, failed = extract(articles, batch_size=nlp_batch_size)
    extracted = {e.article_id for e in extractions}
    batch = normalize_batch([a for a in articles if a.article_id in extracted], extractions, run)
    features = article_features(batch.tables[ARTICLES.name])
    return BatchResult(batch.tables, batch.name_forms, features, rejected + failed)


def normalize_run(
    output: LocalOutput,
    staging: Staging,
    forms: NameForms,
    quarantined: list[Quarantined],
    run: RunInfo,
) -> tuple[dict[str, ds.Dataset], dict[str, ds.Dataset], set[str]]:
    """What needs every article (tasks.normalize.corpus), decided over the staged batches and
    the published version and applied to the batches; returns the run's new rows, the
    version's tables (the published rows, unchanged, plus the new ones, and the stories table)
    and the stories the run summarised."""
    published = output.published_tables()
    summary = None
    previous_stories = STORIES.arrow_schema.empty_table()
    if published is not None:
        features = output.published_features(FEATURES_SCHEMA)
        if features is not None and features.num_rows == published[ARTICLES.name].count_rows():
            staging.carry_published([RELATE_FEATURES])
        else:  # published by a version that kept no features: made once, then kept
            articles = published[ARTICLES.name]
            features = features_of(articles.to_batches(columns=FEATURE_SOURCE_COLUMNS))
            staging.stage_table(RELATE_FEATURES, features)
        summary = PublishedSummary(
            published[ARTICLES.name].to_table(columns=ARTICLE_COLUMNS),
            published[ENTITIES.name].to_table(columns=ENTITY_COLUMNS),
            published[ENTITIES.name].to_table(
                columns=PLACE_COLUMNS, filter=ds.field("geonames_id").is_valid()
            ),
            features,
            published[EVENTS.name],
            published[QUOTES.name],
        )
        previous_stories = published[STORIES.name].to_table()
    decisions = decide_run(staging, forms, summary)
    staging.finalize(decisions.finalize)
    staging.stage_table(QUARANTINE.name, quarantine_table(quarantined, run))
    staging.carry_published(CARRIED_TABLES)
    # A version published before the stories table existed has all its stories summarised.
    touched = decisions.touched_stories
    if summary is not None and not previous_stories.num_rows:
        touched |= set(summary.articles.column("story_id").to_pylist())
    stage_stories(staging, previous_stories, touched)
    return staging.tables(new_only=True), staging.tables(), touched


def decide_run(
    staging: Staging, forms: NameForms, summary: PublishedSummary | None
) -> CorpusDecisions:
    """The corpus-wide decisions over the staged batches' relate features and NEW_COLUMNS
    (the features then staged with the version). What they read is let go on return, before
    the batches are finalized and the stories summarised (at 10x the corpus: ~0.2 GB)."""
    features = staging.features(FEATURES_SCHEMA)
    new_rows = {
        name: staging.batches(name).to_table(columns=columns)
        for name, columns in NEW_COLUMNS.items()
    }
    decisions = decide(forms, features, new_rows, summary)
    staging.stage_table(RELATE_FEATURES, features)
    return decisions


def stage_stories(staging: Staging, previous: pa.Table, touched: set[str]) -> None:
    """The version's stories table: `previous` rows, the `touched` stories summarised again."""
    rows = updated_stories(ds.dataset(previous), staging.tables(), touched)
    staging.replace_table(STORIES.name, rows)


def validate_run(
    staging: Staging,
    new: dict[str, ds.Dataset],
    everything: dict[str, ds.Dataset],
    run: RunInfo,
    stories: set[str],
    suites: PreparedSuites | None = None,
) -> tuple[ValidationReport, list[Quarantined]]:
    """Validate the run's rows (with `suites`, if prepared with the staging's Data Docs
    folder); move the rows that fail a row-level expectation (and the rows that depend on
    them) to the quarantine, summarise the run's `stories` again from what remains, and
    validate it, until nothing more is rejected. Returns the whole validation and the
    quarantine rows it added."""
    suites = suites or PreparedSuites(staging.data_docs)
    report = last = validate(new, everything=everything, prepared=suites)
    rejected: list[Quarantined] = []
    for _ in range(MAX_VALIDATION_PASSES):
        if not last.passed:
            break
        plan = plan_quarantine(last, new, everything)
        report = report.then(ValidationReport(plan.outcomes))
        if plan.empty or not plan.trusted:
            break
        staging.drop_rows(plan.drop)
        staging.stage_table(QUARANTINE.name, quarantine_table(plan.rows, run))
        stage_stories(staging, staging.tables()[STORIES.name].to_table(), stories)
        rejected += plan.rows
        new, everything = staging.tables(new_only=True), staging.tables()
        last = validate(new, everything=everything)
        report = report.then(last)
    return report, rejected


def report_files(
    tables: dict[str, ds.Dataset],
    validation: ValidationReport,
    summary: dict,
    drawn: dict[str, str],
) -> dict[str, str]:
    """What a run publishes beside its tables: the validation results and the report page."""
    return {
        VALIDATION_RESULTS: json.dumps(validation.to_dict(), indent=2, default=str) + "\n",
        REPORT_PAGE: render_report(tables, validation, summary, drawn),
    }


def publish(output: LocalOutput, staging: Staging, files: dict[str, str], summary: dict):
    """The staged version made current, with its reports and manifest."""
    manifest = {"run_id": summary["run_id"], "tables": summary["rows"]}
    return output.publish(staging, files, manifest | {"step_seconds": summary["step_seconds"]})


# Steps pass large in-memory data that changes every run: hashing it for Prefect's cache would
# cost more than the steps themselves, so no task caches. Only reading input (I/O) retries.
ingest_task = task(
    timed("ingest")(read_inputs),
    name="ingest",
    retries=2,
    retry_delay_seconds=[1, 5],
    cache_policy=NO_CACHE,
)
batch_task = task(process_batch, name="clean-extract", retries=1, cache_policy=NO_CACHE)
normalize_task = task(timed("normalize")(normalize_run), name="normalize", cache_policy=NO_CACHE)
validate_task = task(timed("validate")(validate_run), name="validate", cache_policy=NO_CACHE)
report_task = task(report_files, name="report", cache_policy=NO_CACHE)
publish_task = task(timed("publish")(publish), name="publish", cache_policy=NO_CACHE)
sections_task = task(table_sections, name="draw-sections", cache_policy=NO_CACHE)
