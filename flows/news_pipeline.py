"""The newsflow Prefect flow: ingest -> clean -> extract -> normalize -> validate -> publish.

Run it from the command line (`newsflow run --help`, or `python flows/news_pipeline.py`); with
no Prefect server configured it uses a temporary local API. The steps are plain functions in
tasks/, wrapped as Prefect tasks in flows/steps.py; this module composes them.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Annotated

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.futures import as_completed
from prefect.runtime import flow_run
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner
from pydantic import Field
from rich.console import Console

from flows.progress import BatchProgress
from flows.steps import (
    BatchResult,
    batch_task,
    ingest_task,
    normalize_task,
    publish_task,
    read_published_task,
    validate_task,
    warm_up_worker,
)
from tasks import object_store
from tasks import publish as publishing
from tasks.ids import article_id
from tasks.records import Quarantined, RawDocument, RunInfo
from tasks.validate import ValidationReport

DEFAULT_WORKERS = os.cpu_count() or 1
MIN_PARALLEL_BATCH = 25  # articles: below this a worker's start-up outweighs its share


class ValidationFailed(RuntimeError):
    """A critical expectation failed: nothing was published."""


@flow(name="newsflow", validate_parameters=True)
def news_pipeline(
    inputs: tuple[str, ...] = ("seeds",),
    output: str = "output",
    batch_size: Annotated[int, Field(ge=1, le=100_000)] = 200,
    nlp_batch_size: Annotated[int, Field(ge=1, le=10_000)] = 64,
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
        object_store.local_output(output) as output_dir,
        publishing.output_lock(output_dir, wait_for_lock) as stale,
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
            "documents_read": len(documents),
            "documents_new": len(new_documents),
            "recovered_stale_lock": stale,
        }
        if known and not new_documents:
            logger.info("nothing new in %d documents: %s is up to date", len(documents), output)
            return summary | {"published": False, "step_seconds": seconds}

        published = timed("read-published", read_published_task, output_dir) if known else None
        size = _balanced_batch_size(len(new_documents), batch_size, n_process)
        runner = _task_runner(
            min(n_process, -(-len(new_documents) // size)), dask_address, dask_workers
        )
        batches = timed(
            "clean-extract", _clean_and_extract, new_documents, runner, size, nlp_batch_size
        )
        articles = [a for b in batches for a in b.articles]
        extractions = [e for b in batches for e in b.extractions]
        quarantined = rejected_inputs + [q for b in batches for q in b.quarantined]
        staging = publishing.start_staging(output_dir, run.run_id)
        try:
            tables = timed(
                "normalize", normalize_task, articles, extractions, quarantined, run, published
            )
            validation = timed("validate", validate_task, tables, publishing.gx_root(staging))
            summary |= {
                "rows": {name: table.num_rows for name, table in tables.items()},
                "quarantined": dict(Counter(q.reason for q in quarantined)),
                "validation": validation.summary(),
                "step_seconds": seconds,
            }
            _publish_artifacts(summary, validation)
            if not validation.passed:
                kept = publishing.keep_failed(staging, output_dir, tables, validation, summary)
                raise ValidationFailed(
                    f"validation failed, nothing published ({validation.summary()}); "
                    f"results in {kept}"
                )
            version_dir = timed(
                "publish", publish_task, staging, output_dir, tables, validation, summary
            )
        except BaseException:
            publishing.discard(staging)
            raise
    logger.info("published %s to %s", summary["rows"], version_dir)
    return summary | {"published": True}


def _publish_artifacts(summary: dict, validation: ValidationReport) -> None:
    """The run's summary beside the flow run in the Prefect UI: markdown and a table."""
    verdict = "passed" if validation.passed else "**FAILED: nothing published**"
    lines = [
        f"# newsflow run {summary['run_id']}",
        f"Validation {verdict}: {validation.summary()}.",
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


def _balanced_batch_size(documents: int, batch_size: int, workers: int) -> int:
    """At most batch_size, smaller when that keeps every worker busy, but not so small that
    starting another worker process would cost more than it saves."""
    return max(1, min(batch_size, max(MIN_PARALLEL_BATCH, -(-documents // workers))))


def _task_runner(n_process: int, dask_address: str | None, dask_workers: int) -> TaskRunner:
    """Where the per-batch steps run: a Dask cluster, a local process pool, or this process."""
    if dask_address or dask_workers:
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": dask_workers, "threads_per_worker": 1})
    if n_process > 1:
        return ProcessPoolTaskRunner(max_workers=n_process, initializer=warm_up_worker)
    return ThreadPoolTaskRunner(max_workers=1)


def _clean_and_extract(
    documents: list[RawDocument], runner: TaskRunner, batch_size: int, nlp_batch_size: int
) -> list[BatchResult]:
    """Every batch as one task on the runner; a batch that fails even after its retry is
    quarantined whole, with the reason, instead of failing the run."""
    batches = [documents[i : i + batch_size] for i in range(0, len(documents), batch_size)]
    results: list[BatchResult | None] = [None] * len(batches)
    console = Console(stderr=True) if sys.stderr.isatty() else None
    with runner, BatchProgress([len(b) for b in batches], get_run_logger(), console) as progress:
        futures = {
            runner.submit(batch_task, {"documents": batch, "nlp_batch_size": nlp_batch_size}): i
            for i, batch in enumerate(batches)
        }
        for future in as_completed(list(futures)):
            index = futures[future]
            try:
                results[index] = future.result()
            except Exception as error:
                batch = batches[index]
                detail = f"batch of {len(batch)} failed: {type(error).__name__}: {error}"[:500]
                failed = [
                    Quarantined(d.source_uri, "extract", "batch_failed", detail) for d in batch
                ]
                results[index] = BatchResult([], [], failed)
                progress.update(index, failed=True)
            else:
                progress.update(index)
    return results


def main(argv: list[str] | None = None) -> int:
    """`python flows/news_pipeline.py [options]`: the same as `newsflow run [options]`."""
    from flows.cli import main as newsflow

    return newsflow(["run", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
