"""The newsflow Prefect flow: ingest -> clean -> extract -> normalize -> validate -> publish.

Run it from the command line (`python flows/news_pipeline.py --help`); with no Prefect server
configured it uses a temporary local API. The steps are plain functions in tasks/; this module
only wraps them as Prefect tasks and composes them.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.events.worker import EventsWorker
from prefect.logging.handlers import APILogWorker
from prefect.runtime import flow_run
from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner
from pydantic import Field

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
from tasks import publish as publishing
from tasks.ids import article_id
from tasks.records import Quarantined, RawDocument, RunInfo
from tasks.validate import ValidationReport

DEFAULT_WORKERS = os.cpu_count() or 1


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
    output_dir = Path(output)
    seconds: dict[str, float] = {}

    def timed(step: str, call, *args, **kwargs):
        started = time.perf_counter()
        result = call(*args, **kwargs)
        seconds[step] = round(time.perf_counter() - started, 3)
        return result

    with publishing.output_lock(output_dir, wait_for_lock) as stale:
        if stale:
            logger.warning("recovered the lock of a run that died (%s)", stale)
        published = timed("read-published", read_published_task, output_dir)
        documents, rejected_inputs = timed("ingest", ingest_task, list(inputs))
        known = set(published["articles"]["article_id"].to_pylist()) if published else set()
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
        if published is not None and not new_documents:
            logger.info("nothing new in %d documents: %s is up to date", len(documents), output)
            return summary | {"published": False, "step_seconds": seconds}

        batch_count = -(-len(new_documents) // batch_size)
        runner = _task_runner(min(n_process, batch_count), dask_address, dask_workers)
        batches = timed(
            "clean-extract", _clean_and_extract, new_documents, runner, batch_size, nlp_batch_size
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
    results = []
    with runner:
        futures = [
            runner.submit(batch_task, {"documents": batch, "nlp_batch_size": nlp_batch_size})
            for batch in batches
        ]
        for batch, future in zip(batches, futures, strict=True):
            try:
                results.append(future.result())
            except Exception as error:
                detail = f"batch of {len(batch)} failed: {type(error).__name__}: {error}"[:500]
                failed = [
                    Quarantined(d.source_uri, "extract", "batch_failed", detail) for d in batch
                ]
                results.append(BatchResult([], [], failed))
    return results


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="news_pipeline.py",
        description="Clean, extract and validate news articles into Parquet tables "
        "(articles, entities, quotes, events, quarantine) under --output. Articles already "
        "published there are not processed again.",
    )
    parser.add_argument(
        "--input",
        "-i",
        action="append",
        dest="inputs",
        metavar="PATH",
        help="a .txt/.html/.htm/.jsonl file, a folder (read recursively) or a glob; "
        "repeat for several inputs (default: seeds)",
    )
    parser.add_argument(
        "--output",
        "-o",
        default="output",
        metavar="DIR",
        help="folder the tables, validation results and report are published to (default: output)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=200,
        metavar="N",
        help="articles per clean-and-extract task (default: 200)",
    )
    parser.add_argument(
        "--nlp-batch-size",
        type=int,
        default=64,
        metavar="N",
        help="texts per spaCy nlp.pipe batch (default: 64)",
    )
    parser.add_argument(
        "--n-process",
        type=int,
        default=DEFAULT_WORKERS,
        metavar="N",
        help=f"worker processes for cleaning and NLP (default: the {DEFAULT_WORKERS} cores)",
    )
    parser.add_argument(
        "--dask-address",
        metavar="ADDRESS",
        help="run the batches on an existing Dask cluster, e.g. tcp://scheduler:8786",
    )
    parser.add_argument(
        "--dask-workers",
        type=int,
        default=0,
        metavar="N",
        help="run the batches on a local Dask cluster of N worker processes (default: no Dask)",
    )
    parser.add_argument(
        "--wait-for-lock",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="when another run is writing --output, wait this long for it instead of refusing",
    )
    return parser.parse_args(argv)


@contextmanager
def _prefect_api() -> Iterator[None]:
    """The configured Prefect API, else a temporary local one shared with worker processes.

    Prefect would start a temporary API by itself, but its address would not reach the
    process-pool workers, which would then each start their own.
    """
    if PREFECT_API_URL.value():
        yield
        return
    with SubprocessASGIServer() as server, temporary_settings({PREFECT_API_URL: server.api_url}):
        try:
            yield
        finally:
            # Send the last logs and events while the API still runs to receive them.
            APILogWorker.drain_all()
            EventsWorker.drain_all()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with _prefect_api():
        state = news_pipeline(
            inputs=tuple(args.inputs or ["seeds"]),
            output=args.output,
            batch_size=args.batch_size,
            nlp_batch_size=args.nlp_batch_size,
            n_process=args.n_process,
            dask_address=args.dask_address,
            dask_workers=args.dask_workers,
            wait_for_lock=args.wait_for_lock,
            return_state=True,
        )
    if not state.is_completed():
        error = state.result(raise_on_failure=False)
        reason = str(error) if isinstance(error, BaseException) else (state.message or "")
        first_line = reason.strip().splitlines()[0] if reason.strip() else state.name
        print(f"newsflow: run failed: {first_line}", file=sys.stderr)
        return 1
    summary = state.result()
    if summary["published"]:
        print(f"published {summary['rows']} to {args.output}")
    else:
        print(f"nothing new in {summary['documents_read']} documents: {args.output} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
