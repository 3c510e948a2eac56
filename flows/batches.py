"""The clean-and-extract phase: the new documents cut into batches, each batch one task on a
task runner (a process pool forked from the worker server, a Dask cluster, or this process),
its rows staged to disk as soon as it is done."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from itertools import pairwise
from types import SimpleNamespace

import prefect.task_runners
from prefect import get_run_logger
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner
from rich.console import Console

from flows.progress import BatchProgress
from flows.steps import batch_task, timed
from flows.workers import start_worker_server, uses_worker_server
from tasks.normalize.entities import NameForms
from tasks.records import Quarantined, RawDocument, RunInfo
from tasks.store import Staging
from tasks.store.staging import RELATE_FEATURES

MIN_PARALLEL_BATCH = 25  # articles: below this a task's (or a worker's) start-up outweighs its work
# Batches submitted ahead per worker: enough to keep it busy, few enough to bound memory.
BATCHES_IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True)
class Workers:
    """Where and how the per-batch work runs (the run's settings of it)."""

    batch_size: int
    nlp_batch_size: int
    n_process: int
    dask_address: str | None
    dask_workers: int

    @property
    def count(self) -> int:
        return max(self.n_process, self.dask_workers)

    @property
    def forked(self) -> bool:
        return uses_worker_server(self.n_process, self.dask_address, self.dask_workers)

    def runner(self, batches: int) -> TaskRunner:
        """Where the batches run: a Dask cluster, a local process pool, or this process."""
        if self.dask_address or self.dask_workers:
            from prefect_dask import DaskTaskRunner

            if self.dask_address:
                return DaskTaskRunner(address=self.dask_address)
            cluster = {"n_workers": self.dask_workers, "threads_per_worker": 1}
            return DaskTaskRunner(cluster_kwargs=cluster)
        if self.forked:
            return ForkedProcessPoolTaskRunner(max_workers=min(self.n_process, batches))
        return ThreadPoolTaskRunner(max_workers=1)

    def beside(self) -> TaskRunner:
        """Where a task runs beside the flow's own steps: in a process forked from the worker
        server if the run has one, else in a thread."""
        if self.forked:
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


@timed("clean-extract")
def clean_and_extract(
    documents: list[RawDocument], workers: Workers, run: RunInfo, staging: Staging
) -> tuple[NameForms, list[Quarantined]]:
    """Every batch of `documents` as one task, its rows and its articles' relate features
    staged as soon as it is done; returns the name forms seen and what was quarantined. A
    batch that fails even after its retry is tried again one document at a time, and a
    document that fails alone is quarantined with the reason, instead of failing the run."""
    batches = split_batches(documents, workers.batch_size, workers.count)
    forms = NameForms()
    quarantined: list[Quarantined] = []
    console = Console(stderr=True) if sys.stderr.isatty() else None
    runner = workers.runner(len(batches))
    in_flight = BATCHES_IN_FLIGHT_PER_WORKER * workers.count
    with runner, BatchProgress([len(b) for b in batches], get_run_logger(), console) as progress:
        pending: dict[PrefectFuture, int] = {}
        submitted = 0
        while submitted < len(batches) or pending:
            while submitted < len(batches) and len(pending) < in_flight:
                parameters = {"documents": batches[submitted], "run": run}
                parameters["nlp_batch_size"] = workers.nlp_batch_size
                pending[runner.submit(batch_task, parameters)] = submitted
                submitted += 1
            # A few batches in flight, and no future kept once handled: a batch's rows stay
            # in memory only until they are staged.
            future = next(as_completed(list(pending)))
            index = pending.pop(future)
            try:
                result = future.result()
            except Exception as error:
                batch = batches[index]
                if len(batch) > 1:
                    # One document the steps fail on must not cost the others their place:
                    # each is tried again alone, and only what fails alone is quarantined.
                    progress.split(index, [1] * len(batch))
                    batches.extend([document] for document in batch)
                else:
                    detail = f"failed: {type(error).__name__}: {error}"[:500]
                    quarantined.extend(
                        Quarantined(d.source_uri, "extract", "batch_failed", detail) for d in batch
                    )
                    progress.update(index, failed=True)
            else:
                staging.stage_batch(index, result.tables | {RELATE_FEATURES: result.features})
                forms.update(result.name_forms)
                quarantined.extend(result.quarantined)
                progress.update(index)
            batches[index] = []  # the documents are done with: let them go
    quarantined.sort(key=lambda q: (q.source_uri, q.step))
    return forms, quarantined


def split_batches(
    documents: list[RawDocument], batch_size: int, workers: int
) -> list[list[RawDocument]]:
    """The documents cut into the batches the tasks take, in order, balanced by characters:
    parse time follows an article's length, not the count of articles."""
    ends = batch_ends([len(d.content) + 1 for d in documents], batch_size, workers)
    return [documents[start:end] for start, end in pairwise([0, *ends])]


def batch_ends(weights: list[int], batch_size: int, workers: int) -> list[int]:
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
