"""The newsflow Prefect flow: ingest -> clean -> extract -> normalize -> validate -> publish.

Run it from the command line (`newsflow run --help`, or `python flows/news_pipeline.py`); with
no Prefect server configured it uses a temporary local API. The steps are plain functions in
tasks/, wrapped as Prefect tasks in flows/steps.py; this module composes them.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from importlib.metadata import version
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated

import prefect.task_runners
import pyarrow as pa
import pyarrow.dataset as ds
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, as_completed
from prefect.runtime import flow_run
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner
from pydantic import Field
from rich.console import Console

from flows.progress import BatchProgress
from flows.steps import (
    batch_task,
    ingest_task,
    plots_task,
    publish_task,
    validate_task,
)
from flows.workers import start_worker_server, uses_worker_server
from schemas.tables import ARTICLES, ENTITIES, QUARANTINE
from tasks import object_store
from tasks import publish as publishing
from tasks.ids import article_id
from tasks.normalize import (
    canonical_names,
    entity_names,
    finalize,
    quarantine_table,
    relate,
    story_entity_rows,
)
from tasks.normalize.duplicates import FEATURES_SCHEMA, article_features
from tasks.normalize.entities import NameForms
from tasks.quarantine import plan_quarantine
from tasks.records import Quarantined, RawDocument, RunInfo
from tasks.validate import ValidationReport

DEFAULT_WORKERS = os.cpu_count() or 1
MIN_PARALLEL_BATCH = 25  # articles: below this a task's (or a worker's) start-up outweighs its work
# Batches submitted ahead per worker: enough to keep it busy, few enough to bound memory.
BATCHES_IN_FLIGHT_PER_WORKER = 2
# Tables whose published rows every version carries on; the quarantine is the run's own.
CARRIED_TABLES = ("articles", "entities", "quotes", "events")


# Validations of one run: the first, and one after each round of quarantined rows (a second
# round is rare: only rows that depended on the first round's in a way not foreseen).
MAX_VALIDATION_PASSES = 3


class ValidationFailed(RuntimeError):
    """A critical expectation failed: nothing was published."""


@flow(name="newsflow", validate_parameters=True)
def news_pipeline(
    inputs: tuple[str, ...] = ("seeds",),
    output: str = "output",
    batch_size: Annotated[int, Field(ge=1, le=100_000)] = 200,
    nlp_batch_size: Annotated[int, Field(ge=1, le=10_000)] = 16,
    n_process: Annotated[int, Field(ge=1, le=256)] = DEFAULT_WORKERS,
    dask_address: str | None = None,
    dask_workers: Annotated[int, Field(ge=0, le=256)] = 0,
    wait_for_lock: Annotated[float, Field(ge=0)] = 0.0,
) -> dict:
    """Turn raw articles under `inputs` into validated tables published to `output`.

    Articles already published in `output` are not processed again; the new ones are added.
    """
    logger = get_run_logger()
    run = RunInfo(
        run_id=str(flow_run.get_id() or uuid.uuid4()),
        started_at=datetime.now(UTC),
        pipeline_version=version("newsflow"),
    )
    seconds: dict[str, float] = {}

    def timed(step: str, call, *args, **kwargs):
        started = time.perf_counter()
        result = call(*args, **kwargs)
        seconds[step] = round(time.perf_counter() - started, 3)
        return result

    with (
        publishing.output_lock(object_store.working_dir(output), wait_for_lock) as stale,
        object_store.local_output(output) as output_dir,
    ):
        if stale:
            logger.warning("recovered the lock of a run that died (%s)", stale)
        known = publishing.published_article_ids(output_dir)
        documents, rejected_inputs = timed("ingest", ingest_task, list(inputs))
        new_documents = [d for d in documents if article_id(d.source_uri, d.content) not in known]
        summary = {
            "run_id": run.run_id,
            "started_at": run.started_at.isoformat(timespec="seconds"),
            "pipeline_version": run.pipeline_version,
            "inputs": list(inputs),
            "documents_read": len(documents) + len(rejected_inputs),
            "documents_new": len(new_documents) + len(rejected_inputs),
            "recovered_stale_lock": stale,
        }
        if known and not new_documents:
            logger.info("nothing new in %d documents: %s is up to date", len(documents), output)
            return summary | {"published": False, "step_seconds": seconds}

        staging = publishing.start_staging(output_dir, run.run_id)
        # This process mostly waits while the workers parse: it imports Great Expectations
        # (seconds) meanwhile, instead of after them.
        threading.Thread(target=importlib.import_module, args=("great_expectations",)).start()
        try:
            batches = _batches(new_documents, batch_size, max(n_process, dask_workers))
            runner = _task_runner(min(n_process, len(batches)), dask_address, dask_workers)
            forms, failed = timed(
                "clean-extract",
                _clean_and_extract,
                batches,
                runner,
                nlp_batch_size,
                run,
                staging,
                in_flight=BATCHES_IN_FLIGHT_PER_WORKER * max(n_process, dask_workers),
            )
            quarantined = rejected_inputs + failed
            new, everything = timed(
                "normalize", normalize_task, staging, output_dir, forms, quarantined, run
            )
            # Arrow's allocator keeps what the batches' results and normalizing freed, for
            # reuse (86 MB measured on 6,000 articles): returned before validation peaks.
            pa.default_memory_pool().release_unused()
            # The report's plots need the tables only: drawn beside the validation, not after it.
            with _beside_runner(n_process, dask_address, dask_workers) as beside:
                plots = beside.submit(plots_task, {"tables": everything})
                validation, rejected = timed(
                    "validate", _validate_quarantining, staging, new, everything, run
                )
                if rejected:  # the plots must show what publishes
                    everything = publishing.staged_tables(staging)
                    plots = beside.submit(plots_task, {"tables": everything})
                quarantined += rejected
                summary |= {
                    "rows": {name: rows.count_rows() for name, rows in everything.items()},
                    "documents": _documents(summary, rejected_inputs, quarantined, staging),
                    "quarantined": dict(Counter(q.reason for q in quarantined)),
                    "validation": validation.summary(),
                    "step_seconds": seconds,
                }
                _publish_artifacts(summary, validation)
                if not validation.passed:
                    kept = publishing.keep_failed(
                        staging, output_dir, everything, validation, summary, plots.result()
                    )
                    raise ValidationFailed(
                        f"validation failed, nothing published ({validation.summary()}); "
                        f"results in {kept}"
                    )
                version_dir = timed(
                    "publish",
                    publish_task,
                    staging,
                    output_dir,
                    everything,
                    validation,
                    summary,
                    plots.result(),
                )
        except BaseException:
            publishing.discard(staging)
            raise
    logger.info("published %s to %s", summary["rows"], version_dir)
    return summary | {"published": True}


def _validate_quarantining(
    staging: Path, new: dict[str, ds.Dataset], everything: dict[str, ds.Dataset], run: RunInfo
) -> tuple[ValidationReport, list[Quarantined]]:
    """Validate the run's rows; move the rows that fail a row-level expectation (and the rows
    that depend on them) to the quarantine, and validate what remains, until nothing more is
    rejected. Returns the whole validation and the quarantine rows it added."""
    report = last = validate_task(new, publishing.data_docs_dir(staging), everything=everything)
    rejected: list[Quarantined] = []
    for _ in range(MAX_VALIDATION_PASSES):
        if not last.passed:
            break
        plan = plan_quarantine(last, new, everything)
        report = report.then(ValidationReport(plan.outcomes))
        if plan.empty or not plan.trusted:
            break
        publishing.drop_staged_rows(staging, plan.drop)
        publishing.stage_table(staging, QUARANTINE.name, quarantine_table(plan.rows, run))
        rejected += plan.rows
        new, everything = (
            publishing.staged_tables(staging, new_only=True),
            publishing.staged_tables(staging),
        )
        last = validate_task(new, everything=everything)
        report = report.then(last)
    return report, rejected


def _documents(
    summary: dict, rejected_inputs: list[Quarantined], quarantined: list[Quarantined], staging: Path
) -> dict[str, int]:
    """Every input document accounted for: read = published + quarantined + already published."""
    return {
        "read": summary["documents_read"],
        "published": publishing.staged_tables(staging, new_only=True)[ARTICLES.name].count_rows(),
        "quarantined": sum(q.table_name in (None, ARTICLES.name) for q in quarantined),
        "already_published": summary["documents_read"] - summary["documents_new"],
    }


def documents_line(documents: dict[str, int]) -> str:
    """The run's documents accounted for, in one line."""
    return (
        f"documents: {documents['read']} read = {documents['published']} published + "
        f"{documents['quarantined']} quarantined + {documents['already_published']} "
        "already published"
    )


def _publish_artifacts(summary: dict, validation: ValidationReport) -> None:
    """The run's summary beside the flow run in the Prefect UI: markdown and a table."""
    verdict = "passed" if validation.passed else "**FAILED: nothing published**"
    lines = [
        f"# newsflow run {summary['run_id']}",
        f"Validation {verdict}: {validation.summary()}.",
        "",
        documents_line(summary["documents"]),
        "",
        "| table | rows |",
        "|---|---|",
        *(f"| {name} | {rows} |" for name, rows in summary["rows"].items()),
        "",
        "Quarantined: "
        + (", ".join(f"{n} {reason}" for reason, n in summary["quarantined"].items()) or "none"),
        "",
        "Seconds per step: "
        + ", ".join(f"{step} {seconds:.1f}" for step, seconds in summary["step_seconds"].items()),
    ]
    create_markdown_artifact("\n".join(lines), key="newsflow-run-summary")
    create_table_artifact(
        [
            {
                "suite": o.suite,
                "expectation": o.expectation,
                "column": o.column or "",
                "severity": o.severity,
                "unexpected": o.unexpected_count,
            }
            for o in validation.failures()
        ]
        or [{"suite": "all", "expectation": "every expectation passed"}],
        key="newsflow-failed-expectations",
    )


def _batches(
    documents: list[RawDocument], batch_size: int, workers: int
) -> list[list[RawDocument]]:
    """The documents cut into the batches the tasks take, in order, balanced by characters:
    parse time follows an article's length, not the count of articles."""
    ends = _batch_ends([len(d.content) + 1 for d in documents], batch_size, workers)
    return [documents[start:end] for start, end in pairwise([0, *ends])]


def _batch_ends(weights: list[int], batch_size: int, workers: int) -> list[int]:
    """Where each batch ends, over documents weighing `weights`. A run that fits one batch per
    worker gets one batch per worker of about equal weight (none below MIN_PARALLEL_BATCH
    articles). A larger run gets batches of at most batch_size articles that shrink towards
    its end (guided scheduling: each takes 1/(2 x workers) of the weight left, down to the
    weight of MIN_PARALLEL_BATCH articles), so the workers finish together instead of one
    parsing a last big batch while the others idle."""
    documents, left = len(weights), sum(weights)
    one_each = documents <= workers * batch_size
    count = max(-(-documents // batch_size), min(workers, documents // MIN_PARALLEL_BATCH))
    smallest = MIN_PARALLEL_BATCH * left / max(documents, 1)
    ends: list[int] = []
    start = 0
    while start < documents:
        if one_each:
            target = left / max(count - len(ends), 1)
        else:
            target = max(left / (2 * workers), smallest) if workers > 1 else float("inf")
        end, taken = start + 1, weights[start]
        # Take the next document while that brings the batch nearer its target weight.
        while end < documents and end - start < batch_size and taken + weights[end] / 2 <= target:
            taken += weights[end]
            end += 1
        ends.append(end)
        left -= taken
        start = end
    return ends


def _task_runner(n_process: int, dask_address: str | None, dask_workers: int) -> TaskRunner:
    """Where the per-batch steps run: a Dask cluster, a local process pool, or this process."""
    if dask_address or dask_workers:
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": dask_workers, "threads_per_worker": 1})
    if uses_worker_server(n_process, dask_address, dask_workers):
        return ForkedProcessPoolTaskRunner(max_workers=n_process)
    return ThreadPoolTaskRunner(max_workers=1)


def _beside_runner(n_process: int, dask_address: str | None, dask_workers: int) -> TaskRunner:
    """Where a task runs beside the flow's own steps: in a process forked from the worker
    server if the run has one, else in a thread."""
    if uses_worker_server(n_process, dask_address, dask_workers):
        return ForkedProcessPoolTaskRunner(max_workers=1)
    return ThreadPoolTaskRunner(max_workers=1)


class ForkedProcessPoolTaskRunner(ProcessPoolTaskRunner):
    """Prefect's process pool, its workers forked from the worker server (flows/workers.py)."""

    def __enter__(self) -> ForkedProcessPoolTaskRunner:
        # Prefect asks for multiprocessing.get_context("spawn") by name: answered here with the
        # worker server's context, only while the pool is made.
        context = start_worker_server()
        real_multiprocessing = prefect.task_runners.multiprocessing
        prefect.task_runners.multiprocessing = SimpleNamespace(get_context=lambda _: context)
        try:
            return super().__enter__()
        finally:
            prefect.task_runners.multiprocessing = real_multiprocessing


def _clean_and_extract(
    batches: list[list[RawDocument]],
    runner: TaskRunner,
    nlp_batch_size: int,
    run: RunInfo,
    staging: Path,
    in_flight: int,
) -> tuple[NameForms, list[Quarantined]]:
    """Every batch as one task on the runner, its rows and its articles' relate features staged
    to disk as soon as it is done; returns the name forms seen and what was quarantined. A
    batch that fails even after its retry is quarantined whole, with the reason, instead of
    failing the run."""
    forms = NameForms()
    quarantined: list[Quarantined] = []
    console = Console(stderr=True) if sys.stderr.isatty() else None
    with runner, BatchProgress([len(b) for b in batches], get_run_logger(), console) as progress:
        pending: dict[PrefectFuture, int] = {}
        submitted = 0
        while submitted < len(batches) or pending:
            while submitted < len(batches) and len(pending) < in_flight:
                parameters = {"documents": batches[submitted], "nlp_batch_size": nlp_batch_size}
                pending[runner.submit(batch_task, parameters | {"run": run})] = submitted
                submitted += 1
            # A few batches in flight, and no future kept once handled: a batch's rows stay
            # in memory only until they are staged.
            future = next(as_completed(list(pending)))
            index = pending.pop(future)
            try:
                result = future.result()
            except Exception as error:
                batch = batches[index]
                detail = f"batch of {len(batch)} failed: {type(error).__name__}: {error}"[:500]
                quarantined.extend(
                    Quarantined(d.source_uri, "extract", "batch_failed", detail) for d in batch
                )
                progress.update(index, failed=True)
            else:
                features = {publishing.RELATE_FEATURES: result.features}
                publishing.stage_batch(staging, index, result.tables | features)
                forms.update(result.name_forms)
                quarantined.extend(result.quarantined)
                progress.update(index)
            batches[index] = []  # the documents are done with: let them go
    quarantined.sort(key=lambda q: (q.source_uri, q.step))
    return forms, quarantined


@task(name="normalize", cache_policy=NO_CACHE)
def normalize_task(
    staging: Path,
    output_dir: Path,
    forms: NameForms,
    quarantined: list[Quarantined],
    run: RunInfo,
) -> tuple[dict[str, ds.Dataset], dict[str, ds.Dataset]]:
    """What needs every article, applied to the staged batches; returns the run's new rows and
    the version's tables (the published rows, unchanged, plus the new ones)."""
    features = publishing.staged_features(staging, FEATURES_SCHEMA)  # of the new articles
    published = publishing.published_tables(output_dir)
    published_articles, published_names = None, {}
    story_entities = [
        story_entity_rows(_entity_columns(publishing.staged_batches(staging, ENTITIES.name)))
    ]
    staged_features = features  # this version's new relate_features files
    if published is not None:
        published_articles = published[ARTICLES.name].to_table(
            columns=["article_id", "duplicate_of", "story_id"]
        )
        published_entities = _entity_columns(published[ENTITIES.name])
        published_names = entity_names(published_entities)
        story_entities.append(story_entity_rows(published_entities))
        published_features = publishing.published_features(output_dir, FEATURES_SCHEMA)
        if published_features is not None and (
            published_features.num_rows == published_articles.num_rows
        ):
            publishing.carry_published(staging, output_dir, [publishing.RELATE_FEATURES])
        else:  # published by a version that kept no features: made once, then kept
            published_features = _features_of(published[ARTICLES.name])
            staged_features = pa.concat_tables([published_features, features])
        features = pa.concat_tables([published_features, features])
    relations = relate(features, published_articles, pa.concat_tables(story_entities))
    publishing.stage_table(staging, publishing.RELATE_FEATURES, staged_features)
    names = canonical_names(forms, published_names)
    publishing.finalize_staged(staging, lambda name, rows: finalize(name, rows, names, relations))
    publishing.stage_table(staging, QUARANTINE.name, quarantine_table(quarantined, run))
    publishing.carry_published(staging, output_dir, CARRIED_TABLES)
    return publishing.staged_tables(staging, new_only=True), publishing.staged_tables(staging)


def _features_of(articles: ds.Dataset) -> pa.Table:
    """The relate features of published articles, a thousand bodies in memory at a time."""
    columns = ["article_id", "source_uri", "published_date", "body"]
    return pa.concat_tables(
        [FEATURES_SCHEMA.empty_table()]
        + [
            article_features(pa.Table.from_batches([rows]))
            for rows in articles.to_batches(columns=columns, batch_size=1000)
        ]
    )


def _entity_columns(entities: ds.Dataset) -> pa.Table:
    return entities.to_table(columns=["article_id", "entity_id", "canonical_name", "entity_type"])


def main(argv: list[str] | None = None) -> int:
    """`python flows/news_pipeline.py [options]`: the same as `newsflow run [options]`."""
    from flows.cli import console_main

    return console_main(["run", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
