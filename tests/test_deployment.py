"""The scheduled-run path on a real Prefect server: deploy prefect.yaml, run it with a worker.

Starts `prefect server` and `prefect worker` on loopback, each in its own process group with a
fresh PREFECT_HOME, deploys from prefect.yaml, runs the deployment once by hand and once from
the scheduler, and checks what the runs published. Both processes are stopped by group.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import httpx
import psutil
import pytest
from conftest import REPO, SEEDS

from schemas.views import views_sql

PREFECT = str(Path(sys.executable).with_name("prefect"))
DEPLOYMENT = "newsflow/daily"
POOL = "newsflow"
RUN_TIMEOUT = 300  # seconds for one flow run, from creation to a final state
FINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log_tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return f"--- last lines of {path.name}:\n" + "\n".join(text.splitlines()[-lines:])


class Processes:
    """Long-running processes of the test, each in its own group, stopped together."""

    def __init__(self, logs: Path, env: dict[str, str]):
        self.logs = logs
        self.env = env
        self.started: list[subprocess.Popen] = []

    def start(self, name: str, *args: str) -> Path:
        log = self.logs / f"{name}.log"
        with log.open("wb") as output:
            self.started.append(
                subprocess.Popen(
                    [PREFECT, *args],
                    cwd=REPO,
                    env=self.env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        return log

    def run(self, *args: str, timeout: float = 120) -> str:
        """Run a prefect CLI command to completion; fail the test with its output if it fails."""
        done = subprocess.run(
            [PREFECT, "--no-prompt", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def stop(self) -> None:
        """Stop every started process group, and the groups of their children: the worker
        starts each flow run in a session of its own."""
        groups = []
        for process in self.started:
            groups.append(process.pid)
            with contextlib.suppress(psutil.NoSuchProcess):
                children = psutil.Process(process.pid).children(recursive=True)
                groups.extend(self._group_of(child.pid) for child in children)
        groups = [group for group in dict.fromkeys(groups) if group is not None]
        for group in reversed(groups):
            self._signal_group(group, signal.SIGTERM)
        for process in reversed(self.started):
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
        for group in groups:
            self._signal_group(group, signal.SIGKILL)
        for process in self.started:
            process.wait(timeout=10)

    @staticmethod
    def _group_of(pid: int) -> int | None:
        with contextlib.suppress(ProcessLookupError):
            return os.getpgid(pid)
        return None

    @staticmethod
    def _signal_group(group: int, signal_number: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal_number)


@pytest.fixture(scope="module")
def prefect(tmp_path_factory):
    """A real Prefect server and a process worker for the deployments of prefect.yaml."""
    root = tmp_path_factory.mktemp("prefect-deployment")
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(root / "home"),
        "PREFECT_API_URL": api_url,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        # the scheduler and the worker poll every few seconds instead of every minute
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
        # SQLite allows one writer: wait for the lock longer on a busy CI machine, and turn off
        # the services this test does not need, which only compete for it
        "PREFECT_SERVER_DATABASE_TIMEOUT": "60",
        **{
            f"PREFECT_SERVER_SERVICES_{service}_ENABLED": "false"
            for service in (
                "LATE_RUNS",
                "FOREMAN",
                "REPOSSESSOR",
                "PAUSE_EXPIRATIONS",
                "CANCELLATION_CLEANUP",
            )
        },
        "PREFECT_WORKER_QUERY_SECONDS": "2",
        "PREFECT_LOGGING_LEVEL": "INFO",
    }
    processes = Processes(root, env)
    try:
        server_log = processes.start(
            "server", "server", "start", "--host", "127.0.0.1", "--port", str(port)
        )
        with RetryingClient(base_url=api_url, timeout=60) as api:
            wait_for_health(api, server_log)
            processes.run("work-pool", "create", POOL, "--type", "process")
            processes.run("deploy", "--all", timeout=180)
            pause_schedules(api)
            worker_log = processes.start("worker", "worker", "start", "--pool", POOL)
            yield Prefect(api, processes, root, worker_log)
    finally:
        processes.stop()


class RetryingClient(httpx.Client):
    """The server answers 503 while its SQLite database is locked by another writer (its
    scheduler, the worker's updates): like Prefect's own client, ask again after a pause."""

    def request(self, *args, **kwargs) -> httpx.Response:
        for attempt in range(12):
            response = super().request(*args, **kwargs)
            if response.status_code not in (429, 503):
                break
            time.sleep(min(0.5 * 2**attempt, 5.0))
        return response


def pause_schedules(api: httpx.Client) -> None:
    """Pause the deployment's own schedules (which also deletes their scheduled runs): the daily
    run must not start during the test and write to the checkout's output/."""
    deployment = api.get(f"/deployments/name/{DEPLOYMENT}").raise_for_status().json()
    for schedule in deployment["schedules"]:
        api.patch(
            f"/deployments/{deployment['id']}/schedules/{schedule['id']}", json={"active": False}
        ).raise_for_status()


def wait_for_health(api: httpx.Client, server_log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if api.get("/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"prefect server did not become healthy in {timeout} s\n{log_tail(server_log)}")


class Prefect:
    """The running server's API, the CLI and the worker's log."""

    def __init__(self, api: httpx.Client, processes: Processes, root: Path, worker_log: Path):
        self.api = api
        self.processes = processes
        self.root = root
        self.worker_log = worker_log

    def deployment(self) -> dict:
        return self.api.get(f"/deployments/name/{DEPLOYMENT}").raise_for_status().json()

    def flow_runs(self, deployment_id: str) -> list[dict]:
        response = self.api.post(
            "/flow_runs/filter",
            json={"flow_runs": {"deployment_id": {"any_": [deployment_id]}}},
        )
        response.raise_for_status()
        return response.json()

    def wait_for_run(self, deployment_id: str, matches, what: str) -> dict:
        """The first run of the deployment that `matches`, once it reaches a final state."""
        deadline = time.monotonic() + RUN_TIMEOUT
        while time.monotonic() < deadline:
            try:
                runs = [run for run in self.flow_runs(deployment_id) if matches(run)]
            except httpx.TransportError:  # a busy server; ask again
                runs = []
            finished = [run for run in runs if run["state_type"] in FINAL_STATES]
            if finished:
                return finished[0]
            time.sleep(2)
        pytest.fail(f"no {what} finished within {RUN_TIMEOUT} s\n{log_tail(self.worker_log)}")


def assert_published(output: Path) -> None:
    """The run published every table, readable with DuckDB, with rows from every seed."""
    assert (output / "current").is_symlink(), f"nothing published in {output}"
    with duckdb.connect() as connection:
        connection.execute(views_sql(str(output)))
        (articles,) = connection.execute("SELECT count(*) FROM articles").fetchone()
        assert articles == len(list(SEEDS.glob("*.txt")))
        for table in ("entities", "quotes", "events"):
            rows = connection.execute(
                f"SELECT count(*), count(DISTINCT article_id) FROM {table}"
            ).fetchone()
            assert rows[0] > 0 and rows[1] >= 1, table


def test_deployment_run_with_parameters_completes_and_publishes(prefect):
    output = prefect.root / "manual-output"
    deployment = prefect.deployment()
    assert deployment["work_pool_name"] == POOL
    assert any(s["schedule"].get("cron") for s in deployment["schedules"]), "a daily schedule"

    printed = prefect.processes.run(
        "deployment",
        "run",
        DEPLOYMENT,
        "--param",
        f'inputs=["{SEEDS}"]',
        "--param",
        f"output={output}",
    )
    run = prefect.wait_for_run(
        deployment["id"],
        lambda run: run["parameters"].get("output") == str(output),
        "triggered run",
    )
    assert run["state_type"] == "COMPLETED", (
        f"{run['state_name']}\n{printed}\n{log_tail(prefect.worker_log)}"
    )
    assert not run["auto_scheduled"]
    assert_published(output)


def test_scheduler_creates_a_run_that_completes(prefect):
    output = prefect.root / "scheduled-output"
    deployment = prefect.deployment()
    # One run a few seconds from now (the next one an hour later), with test parameters.
    anchor = datetime.now(UTC) + timedelta(seconds=15)
    prefect.api.post(
        f"/deployments/{deployment['id']}/schedules",
        json=[
            {
                "schedule": {"interval": 3600, "anchor_date": anchor.isoformat()},
                "active": True,
                "parameters": {"inputs": [str(SEEDS)], "output": str(output)},
            }
        ],
    ).raise_for_status()

    run = prefect.wait_for_run(
        deployment["id"],
        lambda run: run["auto_scheduled"] and run["parameters"].get("output") == str(output),
        "scheduled run",
    )
    assert run["state_type"] == "COMPLETED", f"{run['state_name']}\n{log_tail(prefect.worker_log)}"
    assert_published(output)
