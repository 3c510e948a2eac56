"""Crash safety and path safety of the command line: SIGKILL at many points of a run, identical
tables from identical inputs, no reads outside the input roots, no writes outside --output."""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import REPO, SEEDS

from schemas.tables import TABLES
from tasks.ingest import read_inputs
from tasks.store.local import CURRENT, KEEP_VERSIONS, PUBLISHED_FOLDERS, STAGING, VERSIONS

pytestmark = pytest.mark.slow

CLI = REPO / "flows" / "news_pipeline.py"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
RUN_METADATA = ("run_id", "ingested_at")
OUTSIDE_MARKER = "Zanzibarian"  # a word only the file outside the input root contains
POLL_SECONDS = 0.01
RUN_TIMEOUT_SECONDS = 300

logger = logging.getLogger(__name__)


@pytest.fixture(scope="module")
def prefect_api_url() -> Iterator[str]:
    """One temporary Prefect API (its own database in the session's PREFECT_HOME) for every
    command-line run of this module, so that killed runs do not each start one."""
    from prefect.server.api.server import SubprocessASGIServer

    # An explicit port: SubprocessASGIServer() without one is a process-wide singleton.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = SubprocessASGIServer(port=port)
    server.start(timeout=120)
    try:
        yield server.api_url
    finally:
        server.stop()


def cli(inputs: list[Path | str], output: Path) -> list[str]:
    arguments = [sys.executable, str(CLI), "--output", str(output), "--n-process", "1"]
    for item in inputs:
        arguments += ["--input", str(item)]
    return arguments


def cli_env(api_url: str | None, **extra: str) -> dict[str, str]:
    """The test's environment with INFO logs (the kill points watch them) and the given API."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_LOGGING_LEVEL"] = "INFO"
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env | extra


def run_cli(inputs: list[Path | str], output: Path, api_url: str, **popen) -> str:
    """Run the command line to completion; its output (the logs are on stderr)."""
    done = subprocess.run(
        cli(inputs, output),
        env=popen.pop("env", None) or cli_env(api_url),
        cwd=popen.pop("cwd", REPO),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        start_new_session=True,
        **popen,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


# --- What a reader of the output directory sees -------------------------------------------


@dataclass(frozen=True)
class Published:
    version: str  # name of the folder `current` points to
    rows: dict[str, int]
    digest: str  # of every Parquet file and the manifest of the version


def check_published(output: Path) -> Published:
    """Assert that `output` shows exactly one complete version, and describe it."""
    current = output / CURRENT
    assert current.is_symlink(), "output/current is missing"
    version = current.resolve()
    assert version.parent == (output / VERSIONS).resolve() and version.is_dir(), version
    manifest = json.loads((version / "manifest.json").read_text())
    assert manifest["run_id"] in version.name, "the manifest belongs to another version"
    assert set(manifest["tables"]) == set(TABLES)
    digest = hashlib.sha256((version / "manifest.json").read_bytes())
    for name in manifest["files"]:
        path = version / name
        assert path.is_file(), f"{name} is listed in the manifest but missing"
        pq.read_table(path)  # a truncated file fails here (footer or pages)
        digest.update(name.encode() + path.read_bytes())
    for folder in PUBLISHED_FOLDERS:
        link = output / folder
        assert link.is_symlink() and link.exists(), f"output/{folder} is missing or dangles"
        assert link.resolve() == version / folder, f"output/{folder} is not in the current version"
    connection = duckdb.connect()
    for name, rows in manifest["tables"].items():
        assert pq.read_table(version / name).num_rows == rows, name
        files = f"{output}/{name}/*.parquet"
        assert connection.sql(f"SELECT count(*) FROM read_parquet('{files}')").fetchall() == [
            (rows,)
        ], name
    orphans = connection.sql(
        f"SELECT count(*) FROM read_parquet('{output}/entities/*.parquet') WHERE article_id "
        f"NOT IN (SELECT article_id FROM read_parquet('{output}/articles/*.parquet'))"
    ).fetchall()
    assert orphans == [(0,)], "entities of articles another version holds: a mix of versions"
    with duckdb.connect(str(output / "newsflow.duckdb"), read_only=True) as database:
        for name, rows in manifest["tables"].items():
            assert database.sql(f'SELECT count(*) FROM "{name}"').fetchall() == [(rows,)], name
    assert json.loads((output / "validation" / "results.json").read_text())["passed"] is True
    return Published(version.name, manifest["tables"], digest.hexdigest())


# --- Killing runs -------------------------------------------------------------------------


@dataclass(frozen=True)
class KillPoint:
    milestone: str  # a key of Watch.reached()
    delay: float  # seconds after the milestone is first seen


# The window between a version's rename into .versions and the switch of `current` lasts
# microseconds: no watcher hits it, so there the run kills its own process group.
SWITCHING = "switching"
KILLED_WHEN_SWITCHING = """
import os, runpy, signal, sys
import tasks.store.local

def die(*args, **kwargs):
    os.killpg(os.getpgid(0), signal.SIGKILL)

assert hasattr(tasks.store.local, "_switch_current"), "the switch of `current` was renamed"
tasks.store.local._switch_current = die
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""

# A finished task in the command line's log: its clock time and its name.
TASK_FINISHED = re.compile(
    r"(\d\d):(\d\d):(\d\d\.\d+) \| INFO +\| Task run '([a-z-]+)-\w+' - Finished in state Completed"
)
BEFORE_EXTRACT_FINISHED = {"start-up and ingest", "clean and extract"}


def finish_times(log: str) -> dict[str, float]:
    """When each task of a run finished, in seconds of the day, from the run's log."""
    return {
        task: int(hours) * 3600 + int(minutes) * 60 + float(seconds)
        for hours, minutes, seconds, task in TASK_FINISHED.findall(log)
    }


def kill_points(finished: dict[str, float]) -> list[KillPoint]:
    """Points spread over every phase of a run, scaled by the phases of a measured run."""
    extract = finished["clean-extract"] - finished["ingest"]
    validate = finished["validate"] - finished["normalize"]  # Great Expectations
    publish = finished["publish"] - finished["validate"]  # tables, reports, switch, views
    return [
        *(KillPoint("start", seconds) for seconds in (0.3, 1.0, 2.0, 3.0)),  # imports, ingest
        *(KillPoint("ingested", share * extract) for share in (0.0, 0.3, 0.6, 0.9)),
        KillPoint("finalizing", 0.0),  # normalize
        *(KillPoint("normalized", share * validate) for share in (0.05, 0.3, 0.55, 0.8)),
        *(KillPoint("writing", share * publish) for share in (0.0, 0.1, 0.25)),
        KillPoint("manifest", 0.0),
        KillPoint(SWITCHING, 0.0),
        *(KillPoint("switched", seconds) for seconds in (0.0, 0.05, 0.2)),
    ]


class Watch:
    """A run seen from outside: its log and what it has created in the output directory."""

    def __init__(self, output: Path, log: Path):
        self.output, self.log = output, log
        self.staged_before = set(self._names(STAGING))
        self.versions_before = set(self._names(VERSIONS))
        self.current_before = os.readlink(output / CURRENT)

    def _names(self, folder: str) -> list[str]:
        path = self.output / folder
        return os.listdir(path) if path.is_dir() else []

    def new_versions(self) -> set[str]:
        return set(self._names(VERSIONS)) - self.versions_before

    def reached(self) -> set[str]:
        finished = finish_times(self.log.read_text(errors="replace"))
        milestones = {"start"}
        for milestone, task in (
            ("ingested", "ingest"),
            ("normalized", "normalize"),
            ("published", "publish"),
        ):
            if task in finished:
                milestones.add(milestone)
        for run in set(self._names(STAGING)) - self.staged_before:
            milestones.add("staged")
            for milestone, name in (
                ("finalizing", "articles"),
                ("gx", "gx"),
                ("writing", "validation"),
                ("manifest", "manifest.json"),
            ):
                if (self.output / STAGING / run / name).exists():
                    milestones.add(milestone)
        if os.readlink(self.output / CURRENT) != self.current_before:
            milestones.add("switched")
        return milestones

    def phase(self) -> str:
        """Where the run was when it died, from what it left behind."""
        reached = self.reached()
        if "published" in reached:
            return "after publish"
        if "switched" in reached:
            return "publish: after the switch"
        if self.new_versions():
            return "publish: renamed, before the switch"
        if "writing" in reached:
            return "publish: writing staging"
        if reached & {"normalized", "gx"}:
            return "validate"
        if "finalizing" in reached:
            return "normalize"
        if reached & {"ingested", "staged"}:
            return "clean and extract"
        return "start-up and ingest"


def run_and_kill(
    command: list[str], env: dict, watch: Watch, point: KillPoint
) -> tuple[str | None, float]:
    """Run the command line and SIGKILL its process group at the point: the phase it died in
    (None when the run ended before the point) and the seconds it ran."""
    with watch.log.open("w") as log:
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    started, kill_at = time.monotonic(), None
    try:
        while process.poll() is None:
            if kill_at is None and point.milestone in watch.reached():
                kill_at = time.monotonic() + point.delay
            if kill_at is not None and time.monotonic() >= kill_at:
                os.killpg(process.pid, signal.SIGKILL)
                break
            assert time.monotonic() - started < RUN_TIMEOUT_SECONDS, "the run hangs"
            time.sleep(POLL_SECONDS)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    seconds = time.monotonic() - started
    if process.returncode != -signal.SIGKILL:
        assert process.returncode == 0, watch.log.read_text()[-3000:]
        return None, seconds
    assert group_is_gone(process.pid), "a process of the killed run survived"
    return watch.phase(), seconds


def group_is_gone(group: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def more_documents() -> Iterator[tuple[str, Path]]:
    """File names and contents: the seeds, then copies of them under other names (new articles
    that duplicate published ones)."""
    for round_number in itertools.count():
        for seed in SEED_FILES:
            yield (f"copy{round_number}_{seed.name}" if round_number else seed.name), seed


def test_sigkill_at_any_point_leaves_the_previous_or_the_new_complete_version(
    prefect_api_url, tmp_path
):
    inbox, output = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    documents = more_documents()

    def add_document() -> None:
        name, seed = next(documents)
        shutil.copyfile(seed, inbox / name)

    add_document()
    points = kill_points(finish_times(run_cli([inbox], output, prefect_api_url)))
    published = check_published(output)
    add_document()  # every run from here on has one new article to publish

    env = cli_env(prefect_api_url)
    outcomes: list[tuple[str, str]] = []
    for number, point in enumerate(points):
        watch = Watch(output, tmp_path / f"run{number:02d}.log")
        command = cli([inbox], output)
        if point.milestone == SWITCHING:
            command[1:1] = ["-c", KILLED_WHEN_SWITCHING]
        phase, seconds = run_and_kill(command, env, watch, point)
        now = check_published(output)
        if now.version == published.version:
            assert now == published, f"killed in {phase}: the previous version changed"
            outcome = "previous"
        else:
            assert now.version in watch.new_versions(), f"killed in {phase}: an unknown version"
            assert now.rows["articles"] == published.rows["articles"] + 1, phase
            published, outcome = now, "new"
            add_document()
        phase = phase or "ended before the kill"
        outcomes.append((phase, outcome))
        logger.info(
            "kill %d at %s+%.1fs, %.1fs into the run: %s; current is the %s version",
            number, point.milestone, point.delay, seconds, phase, outcome,
        )  # fmt: skip

    per_phase = Counter(outcomes)
    logger.info("kills per phase and version left current: %s", dict(per_phase))
    killed = [phase for phase, _ in outcomes if phase != "ended before the kill"]
    assert len(killed) >= 20, per_phase
    assert sum(phase in BEFORE_EXTRACT_FINISHED for phase in killed) >= 4, per_phase
    assert sum(phase == "validate" for phase in killed) >= 3, per_phase
    assert sum(phase.startswith("publish") for phase in killed) >= 4, per_phase

    # After all that, a normal run publishes, and the dead runs' leftovers are gone.
    assert "published" in run_cli([inbox], output, prefect_api_url)
    final = check_published(output)
    assert final.version != published.version
    assert final.rows["articles"] == published.rows["articles"] + 1
    assert not any((output / STAGING).iterdir())
    assert len(os.listdir(output / VERSIONS)) <= KEEP_VERSIONS


# --- Identical inputs, modes, reads and writes --------------------------------------------


@dataclass(frozen=True)
class Workspace:
    outputs: dict[int, Path]  # by the umask the run had
    snapshots: list[dict[str, str]]  # of everything but the outputs, before and after each run


def snapshot(root: Path, skip: set[Path]) -> dict[str, str]:
    """Every entry under root (outside `skip`) with its type, mode, size, mtime and content."""
    state = {}
    for path in sorted(root.rglob("*")):
        if any(path == s or s in path.parents for s in skip):
            continue
        info = path.lstat()
        if path.is_symlink():
            state[str(path)] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            state[str(path)] = f"dir {info.st_mode:o} {info.st_mtime_ns}"
        else:
            content = hashlib.sha256(path.read_bytes()).hexdigest()
            state[str(path)] = f"{info.st_mode:o} {info.st_size} {info.st_mtime_ns} {content}"
    return state


@pytest.fixture(scope="module")
def workspace(prefect_api_url, tmp_path_factory) -> Workspace:
    """Two command-line runs over the same inputs into two fresh output folders, with
    different umasks and hash seeds; the inputs hold a link to `..` and a glob climbs out."""
    root = tmp_path_factory.mktemp("workspace")
    inbox = root / "inbox"
    (inbox / "sub").mkdir(parents=True)
    for seed in SEED_FILES[:2]:
        shutil.copyfile(seed, inbox / seed.name)
    shutil.copyfile(SEED_FILES[2], inbox / "sub" / SEED_FILES[2].name)
    (inbox / "empty.txt").write_text("")
    (inbox / "up").symlink_to("..")
    (root / "outside.txt").write_text(
        f"The {OUTSIDE_MARKER} delegation arrived in Geneva on Monday for talks, officials "
        "said. The minister said the talks would continue next week.\n"
    )
    (root / "sibling").mkdir()
    (root / "sibling" / "notes.txt").write_text("not an input\n")
    inputs = [inbox, f"{inbox}/s*/../../*.txt"]
    outputs = {0o022: root / "out-022", 0o077: root / "out-077"}
    skip = set(outputs.values())
    snapshots = [snapshot(root, skip)]
    for hash_seed, (umask, output) in enumerate(outputs.items(), start=1):
        env = cli_env(prefect_api_url, PYTHONHASHSEED=str(hash_seed))
        run_cli(inputs, output, prefect_api_url, env=env, cwd=root, umask=umask)
        snapshots.append(snapshot(root, skip))
    return Workspace(outputs, snapshots)


def table_rows(output: Path, table: str) -> list[tuple]:
    relation = duckdb.connect().sql(f"SELECT * FROM read_parquet('{output}/{table}/*.parquet')")
    columns = ", ".join(f'"{c}"' for c in relation.columns if c not in RUN_METADATA)
    return relation.select(columns).order("ALL").fetchall()


def test_identical_inputs_publish_identical_tables(workspace):
    first, second = workspace.outputs.values()
    for table in TABLES:
        assert table_rows(first, table) == table_rows(second, table), table
    assert len(table_rows(first, "articles")) == 3
    assert len(table_rows(first, "entities")) > 0
    assert len(table_rows(first, "quarantine")) == 2  # the empty file, the file outside


def test_nothing_outside_the_input_roots_is_read(workspace):
    output = workspace.outputs[0o022]
    for table in TABLES:
        assert OUTSIDE_MARKER not in repr(table_rows(output, table)), table
    quarantined = duckdb.connect().sql(
        f"SELECT source_uri, reason FROM read_parquet('{output}/quarantine/*.parquet')"
    )
    assert ("sub/../../outside.txt", "outside_input_root") in quarantined.fetchall()


def test_a_run_writes_nothing_outside_its_output_folder(workspace):
    before, *after = workspace.snapshots
    assert any("sibling" in path for path in before) and any("inbox" in path for path in before)
    for state in after:
        assert state == before


def test_output_files_follow_the_users_umask(workspace):
    for umask, output in workspace.outputs.items():
        entries = [p for p in output.rglob("*") if not p.is_symlink()]
        assert any(p.suffix == ".parquet" for p in entries)
        for path in entries:
            mode = stat.S_IMODE(path.lstat().st_mode)
            expected = (0o777 if path.is_dir() else 0o666) & ~umask
            assert mode == expected, f"{path.relative_to(output)} {mode:o} under umask {umask:o}"


# --- Paths, at the ingest step ------------------------------------------------------------


@pytest.fixture
def input_tree(tmp_path) -> Path:
    """root/inbox/{a.txt, sub/b.txt, up -> ..} and root/outside.txt."""
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "a.txt").write_text("An article inside the input root.\n")
    (inbox / "sub" / "b.txt").write_text("Another article inside the input root.\n")
    (inbox / "up").symlink_to("..")
    (tmp_path / "outside.txt").write_text(f"{OUTSIDE_MARKER} text outside the input root.\n")
    return inbox


def read_texts(spec: str) -> tuple[list[str], list[tuple[str, str]]]:
    documents, quarantined = read_inputs([spec])
    return [d.text for d in documents], [(q.source_uri, q.reason) for q in quarantined]


def test_a_link_to_the_parent_folder_is_not_followed(input_tree):
    texts, quarantined = read_texts(str(input_tree))
    assert sorted(texts) == sorted(
        p.read_text() for p in (input_tree / "a.txt", input_tree / "sub" / "b.txt")
    )
    assert quarantined == []


@pytest.mark.parametrize("pattern", ["s*/../../*.txt", "*/../../*.txt", "**/../../*.txt"])
def test_a_glob_cannot_climb_out_of_its_root(input_tree, pattern):
    texts, quarantined = read_texts(f"{input_tree}/{pattern}")
    assert not any(OUTSIDE_MARKER in text for text in texts)
    assert quarantined and all(reason == "outside_input_root" for _, reason in quarantined)


def test_a_glob_with_dotdot_inside_its_root_reads_the_files_there(input_tree):
    texts, quarantined = read_texts(f"{input_tree}/sub/../*.txt")
    assert texts == [(input_tree / "a.txt").read_text()] and quarantined == []


def test_a_recursive_glob_does_not_follow_a_link_to_the_parent_folder(input_tree):
    texts, quarantined = read_texts(f"{input_tree}/**/*.txt")
    assert len(texts) == 2 and quarantined == []


# --- Network ------------------------------------------------------------------------------


def test_a_run_without_network_access_publishes(tmp_path):
    if not (shutil.which("unshare") and shutil.which("ip")):
        pytest.skip("needs unshare and ip (util-linux, iproute2) for a network namespace")
    namespace = ["unshare", "--map-root-user", "--net", "sh", "-c", 'ip link set lo up && "$@"']
    probe = subprocess.run(
        [*namespace, "sh", "ip", "-o", "link", "show"], capture_output=True, text=True
    )
    if probe.returncode != 0:
        pytest.skip(f"user and network namespaces are not permitted here: {probe.stderr.strip()}")
    assert [line.split(":")[1].strip() for line in probe.stdout.splitlines()] == ["lo"]

    output = tmp_path / "out"
    # No PREFECT_API_URL: the command line starts its own temporary API inside the namespace.
    env = cli_env(None, PREFECT_HOME=str(tmp_path / "prefect-home"))
    done = subprocess.run(
        [*namespace, "sh", *cli([SEED_FILES[4]], output)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        start_new_session=True,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert check_published(output).rows["articles"] == 1
