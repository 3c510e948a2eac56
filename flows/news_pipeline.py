"""The newsflow Prefect flow: ingest -> clean -> extract -> normalize -> validate -> publish.

Run it from the command line (`python flows/news_pipeline.py --help`); with no Prefect server
configured it uses a temporary local API. The steps are plain functions in tasks/; this module
only wraps them as Prefect tasks and composes them.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from pydantic import Field

from tasks import publish as publishing
from tasks.clean import clean
from tasks.extract import extract
from tasks.ingest import read_inputs
from tasks.normalize import normalize
from tasks.records import RunInfo
from tasks.validate import validate

# Inputs are large and change every run: hashing them for Prefect's cache would cost more than
# the steps. Only reading input is I/O worth retrying.
ingest_task = task(
    read_inputs, name="ingest", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE
)
clean_task = task(clean, name="clean", cache_policy=NO_CACHE)
extract_task = task(extract, name="extract", cache_policy=NO_CACHE)
normalize_task = task(normalize, name="normalize", cache_policy=NO_CACHE)
validate_task = task(validate, name="validate", cache_policy=NO_CACHE)
publish_task = task(publishing.publish, name="publish", cache_policy=NO_CACHE)


class ValidationFailed(RuntimeError):
    """A critical expectation failed: nothing was published."""


@flow(name="newsflow", validate_parameters=True)
def news_pipeline(
    inputs: tuple[str, ...] = ("seeds",),
    output: str = "output",
    batch_size: Annotated[int, Field(ge=1, le=10_000)] = 64,
    n_process: Annotated[int, Field(ge=1, le=64)] = 1,
) -> dict:
    """Turn raw articles under `inputs` into validated Parquet tables published to `output`."""
    logger = get_run_logger()
    run = RunInfo(
        run_id=str(flow_run.get_id() or uuid.uuid4()),
        started_at=datetime.now(UTC),
        pipeline_version=version("newsflow"),
    )
    output_dir = Path(output)
    output_dir.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}

    def timed(step: str, call, *args, **kwargs):
        started = time.perf_counter()
        result = call(*args, **kwargs)
        seconds[step] = round(time.perf_counter() - started, 3)
        return result

    staging = publishing.start_staging(output_dir, run.run_id)
    try:
        documents, rejected_inputs = timed("ingest", ingest_task, list(inputs))
        articles, rejected_articles = timed("clean", clean_task, documents)
        extractions, failed_extractions = timed(
            "extract", extract_task, articles, batch_size=batch_size, n_process=n_process
        )
        extracted = {e.article_id for e in extractions}
        articles = [a for a in articles if a.article_id in extracted]
        quarantined = rejected_inputs + rejected_articles + failed_extractions
        tables = timed("normalize", normalize_task, articles, extractions, quarantined, run)
        validation = timed("validate", validate_task, tables, publishing.gx_root(staging))
        summary = {
            "run_id": run.run_id,
            "started_at": run.started_at.isoformat(timespec="seconds"),
            "pipeline_version": run.pipeline_version,
            "inputs": list(inputs),
            "documents_read": len(documents),
            "rows": {name: table.num_rows for name, table in tables.items()},
            "quarantined": dict(Counter(q.reason for q in quarantined)),
            "validation": validation.summary(),
            "step_seconds": seconds,
        }
        if not validation.passed:
            kept = publishing.keep_failed(staging, output_dir, tables, validation, summary)
            raise ValidationFailed(
                f"validation failed, nothing published ({validation.summary()}); results in {kept}"
            )
        version_dir = timed(
            "publish", publish_task, staging, output_dir, tables, validation, summary
        )
    except BaseException:
        publishing.discard(staging)
        raise
    logger.info("published %s to %s", summary["rows"], version_dir)
    return summary


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="news_pipeline.py",
        description="Clean, extract and validate news articles into Parquet tables "
        "(articles, entities, quotes, events, quarantine) under --output.",
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
        default=64,
        metavar="N",
        help="articles per spaCy batch (default: 64)",
    )
    parser.add_argument(
        "--n-process",
        type=int,
        default=1,
        metavar="N",
        help="spaCy worker processes for the NLP pass (default: 1)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    state = news_pipeline(
        inputs=tuple(args.inputs or ["seeds"]),
        output=args.output,
        batch_size=args.batch_size,
        n_process=args.n_process,
        return_state=True,
    )
    if state.is_completed():
        summary = state.result()
        print(f"published {summary['rows']} to {args.output}")
        return 0
    error = state.result(raise_on_failure=False)
    reason = str(error) if isinstance(error, BaseException) else (state.message or state.name)
    print(
        f"newsflow: run failed: {reason.splitlines()[0] if reason else state.name}", file=sys.stderr
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
