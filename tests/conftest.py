"""Shared fixtures: a fresh Prefect home per session, the seeds, one real flow run over them."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

# Prefect reads its home (database, task cache keys) from the environment: give every test
# session a fresh one before anything imports prefect.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="newsflow-prefect-home-")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

import pytest
import websockets.asyncio.connection

# Once a test has run a flow, Prefect's events client stays connected to the session's API and
# pings its websocket from a background thread (keep-alive, checkpoints); websockets draws each
# ping's payload from the global `random`. Hypothesis seeds that generator and checks that a
# draw leaves it as it was: a ping landing inside a draw was reported as a strategy using
# `random` (a flaky HypothesisDeprecationWarning, an error in later Hypothesis). Pings draw
# from a generator of their own instead.
# (Tests that import this module by name run it a second time: the binding is replaced once.)
if websockets.asyncio.connection.random is random:
    websockets.asyncio.connection.random = random.Random()
assert isinstance(websockets.asyncio.connection.random, random.Random)  # the binding replaced

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
BENCH = REPO.parent / "shared" / "bench"  # the benchmark data: evaluation only, never copied here
NEWSFLOW = Path(sys.executable).parent / "newsflow"  # the console script of `pip install -e .`


def run_newsflow(*argv: str | Path, timeout: float = 600, **options) -> subprocess.CompletedProcess:
    """The `newsflow` command run as a user runs it, in a process of its own."""
    return subprocess.run(
        [str(NEWSFLOW), *map(str, argv)], capture_output=True, text=True, timeout=timeout, **options
    )


@pytest.fixture(scope="session")
def nlp():
    """The project's spaCy pipeline, loaded once (as every process of a run loads it)."""
    from tasks.extract.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def prefect_api():
    """A temporary local Prefect API for the whole session (real Prefect, throwaway database)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def seeds_output(prefect_api, tmp_path_factory) -> Path:
    """The flow's published output over seeds/ (one real run shared by the end-to-end tests)."""
    from flows.news_pipeline import news_pipeline

    output = tmp_path_factory.mktemp("seeds-output")
    news_pipeline(inputs=(str(SEEDS),), output=str(output))
    return output
