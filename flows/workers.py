"""Where process-pool workers come from: a server process that imports the steps and loads the
spaCy model once, then forks every worker from there, instead of each worker starting a new
interpreter and doing both again (Prefect's ProcessPoolTaskRunner hard-codes 'spawn').

Only the standard library is imported here, so that a command can start the server first
thing and the server imports while the command's own process starts the flow.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from multiprocessing import forkserver
from multiprocessing.context import BaseContext

# The server's one preloaded module: it imports the steps and loads the models.
PRELOADED = ("flows.worker_warmup",)
# New objects between two collections while a process starts (the default is 700).
START_UP_COLLECTION_THRESHOLD = 50_000


def uses_worker_server(n_process: int, dask_address: str | None, dask_workers: int) -> bool:
    """Whether a run with these settings forks its workers here (else: one process, or Dask)."""
    return n_process > 1 and not (dask_address or dask_workers)


def start_worker_server() -> BaseContext:
    """The start method of the workers, with its server started (once per process)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOADED))
    forkserver.ensure_running()
    return context


def stop_worker_server() -> None:
    """Stop the server of a run that turned out to have nothing to do. While it starts it reads
    no request, so it would go on importing and loading the models for seconds after this
    process has ended. (CPython's forkserver module keeps its server's process id on its one
    ForkServer object, whose `_stop` then closes the server's pipe and reaps it.)"""
    server = forkserver._forkserver
    pid = getattr(server, "_forkserver_pid", None)
    if pid is None:
        return
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    server._stop()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Start-up makes millions of objects that last as long as the process (modules, the spaCy
    model, the gazetteer): at the collector's default threshold it scans them again and again,
    0.6 s of the worker server's start-up. Collections are this much rarer meanwhile."""
    thresholds = gc.get_threshold()
    gc.set_threshold(START_UP_COLLECTION_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
