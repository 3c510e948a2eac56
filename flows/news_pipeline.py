"""The newsflow Prefect flow: ingest -> clean -> extract -> normalize -> validate -> publish.

Run it from the command line (`newsflow run --help`, or `python flows/news_pipeline.py`); with
no Prefect server configured it uses a temporary local API. The steps are plain functions in
tasks/, wrapped as Prefect tasks in flows/steps.py; batches and task runners are in
flows/batches.py; the output store (tasks/store) does all reading and writing of the output.
This module only composes them.
"""

from __future__ import annotations

import sys
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import pyarrow.dataset as ds
from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.runtime import flow_run

from flows.batches import Workers, clean_and_extract
from flows.settings import (
    DEFAULTS,
    BatchSize,
    DaskWorkerCount,
    LockWait,
    NlpBatchSize,
    ProcessCount,
)
from flows.steps import (
    ingest_task,
    normalize_task,
    publish_task,
    report_task,
    sections_task,
    step_clock,
    validate_task,
)
from tasks.ingest import unpublished
from tasks.records import Quarantined, RunInfo
from tasks.store import open_output
from tasks.validate import PreparedSuites, ValidationReport, within_one_chunk


class ValidationFailed(RuntimeError):
    """A critical expectation failed: nothing was published."""

    def __init__(self, validation: ValidationReport, kept: Path):
        super().__init__(
            f"validation failed, nothing published ({validation.summary()}); results in {kept}"
        )


@flow(name="newsflow", validate_parameters=True)
def news_pipeline(
    inputs: tuple[str, ...] = tuple(DEFAULTS.inputs),
    output: str = str(DEFAULTS.output),
    batch_size: BatchSize = DEFAULTS.batch_size,
    nlp_batch_size: NlpBatchSize = DEFAULTS.nlp_batch_size,
    n_process: ProcessCount = DEFAULTS.n_process,
    dask_address: str | None = DEFAULTS.dask_address,
    dask_workers: DaskWorkerCount = DEFAULTS.dask_workers,
    wait_for_lock: LockWait = DEFAULTS.wait_for_lock,
) -> dict:
    """Turn raw articles under `inputs` into validated tables published to `output`.

    Articles already published in `output` are not processed again; the new ones are added.
    """
    logger = get_run_logger()
    run = RunInfo(str(flow_run.get_id() or uuid.uuid4()), datetime.now(UTC), version("newsflow"))
    workers = Workers(batch_size, nlp_batch_size, n_process, dask_address, dask_workers)
    with open_output(output, wait_for_lock) as store, step_clock() as seconds:
        if store.recovered_lock:
            logger.warning("recovered the lock of a run that died (%s)", store.recovered_lock)
        known = store.published_article_ids()
        documents, rejected_inputs = ingest_task(list(inputs))
        new_documents = unpublished(documents, known)
        summary = _summary(run, inputs, documents, new_documents, rejected_inputs)
        summary |= {"recovered_stale_lock": store.recovered_lock, "step_seconds": seconds}
        if known and not new_documents:
            logger.info("nothing new in %d documents: %s is up to date", len(documents), output)
            return summary | {"published": False}

        staging = store.start_run(run.run_id)
        # This process mostly waits while the workers parse: it readies the validation
        # meanwhile (imports Great Expectations, builds the suites, renders their Data Docs
        # pages: seconds), instead of after them.
        readying = ThreadPoolExecutor(1)
        preparing = readying.submit(PreparedSuites, staging.data_docs)
        try:
            forms, failed = clean_and_extract(new_documents, workers, run, staging)
            quarantined = rejected_inputs + failed
            new, everything, stories = normalize_task(store, staging, forms, quarantined, run)
            # The report's plots and stories need the tables only: drawn beside the validation.
            # The stories section reads its stories' rows by scanning the whole tables: beside
            # the validation of a run larger than one chunk per table that memory would add to
            # the validation's peak, so such a run's report draws it after the validation.
            drawing = {"names": None if within_one_chunk(new) else ["plots"]}
            with workers.beside() as beside:
                drawn = beside.submit(sections_task, {"tables": everything} | drawing)
                suites = preparing.result()
                readying.shutdown()
                validation, rejected = validate_task(staging, new, everything, run, stories, suites)
                if rejected:  # the report shows what publishes
                    everything = staging.tables()
                    drawn = beside.submit(sections_task, {"tables": everything} | drawing)
                summary |= _results(summary, everything, validation, quarantined + rejected)
                _publish_artifacts(summary, validation)
                files = report_task(everything, validation, summary, drawn.result())
            if not validation.passed:
                raise ValidationFailed(validation, store.keep_failed(staging, files))
            version_dir = publish_task(store, staging, files, summary)
        except BaseException:
            readying.shutdown()  # nothing is rendered into the staging folder once discarded
            staging.discard()
            raise
    logger.info("published %s to %s", summary["rows"], version_dir)
    return summary | {"published": True}


def _summary(run, inputs, documents, new_documents, rejected_inputs) -> dict:
    return {
        "run_id": run.run_id,
        "started_at": run.started_at.isoformat(timespec="seconds"),
        "pipeline_version": run.pipeline_version,
        "inputs": list(inputs),
        "documents_read": len(documents) + len(rejected_inputs),
        "documents_new": len(new_documents) + len(rejected_inputs),
    }


def _results(
    summary: dict, tables: dict, validation: ValidationReport, quarantined: list[Quarantined]
) -> dict:
    """What the run made: rows per table, every input document accounted for (read =
    published + quarantined + already published), reasons of the quarantine, the verdict."""
    this_run = ds.field("run_id") == summary["run_id"]
    return {
        "rows": {name: rows.count_rows() for name, rows in tables.items()},
        "documents": {
            "read": summary["documents_read"],
            "published": tables["articles"].count_rows(filter=this_run),
            "quarantined": sum(q.table_name in (None, "articles") for q in quarantined),
            "already_published": summary["documents_read"] - summary["documents_new"],
        },
        "quarantined": dict(Counter(q.reason for q in quarantined)),
        "validation": validation.summary(),
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
    failures = [
        {
            "suite": o.suite,
            "expectation": o.expectation,
            "column": o.column or "",
            "severity": o.severity,
            "unexpected": o.unexpected_count,
            "sample": "; ".join(o.sample)[:300],
        }
        for o in validation.failures()
    ]
    create_table_artifact(
        failures or [{"suite": "all", "expectation": "every expectation passed"}],
        key="newsflow-failed-expectations",
    )


if __name__ == "__main__":  # `python flows/news_pipeline.py [options]` is `newsflow run [options]`
    from flows.cli import console_main

    sys.exit(console_main(["run", *sys.argv[1:]]))
