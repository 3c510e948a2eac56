"""Where process-pool workers come from: a server process that imports the steps and loads the
spaCy model once, then forks every worker from there, instead of each worker starting a new
interpreter and doing both again (Prefect's ProcessPoolTaskRunner hard-codes 'spawn').

Only the standard library is imported here, so that a command can start the server first
thing and the server imports while the command's own process starts the flow.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing import forkserver
from multiprocessing.context import BaseContext

# What every worker would otherwise import before its first batch: the command's module (a
# forked worker re-runs the command's script, which imports it; naming "__main__" here preloads
# nothing, as Python 3.11's forkserver is never given the script's path) and the flow's module
# with the steps (a task's run context holds the flow).
PRELOADED = ("flows.cli", "flows.news_pipeline", "flows.worker_warmup")


def uses_worker_server(n_process: int, dask_address: str | None, dask_workers: int) -> bool:
    """Whether a run with these settings forks its workers here (else: one process, or Dask)."""
    return n_process > 1 and not (dask_address or dask_workers)


def start_worker_server() -> BaseContext:
    """The start method of the workers, with its server started (once per process)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOADED))
    forkserver.ensure_running()
    return context
