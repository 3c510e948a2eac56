"""`--output s3://bucket/prefix` against a local S3-compatible server (moto's server mode): the
tables land in the bucket, re-runs and other machines see one version, and a run killed while
it uploads leaves the published version untouched."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import duckdb
import pyarrow.fs as pafs
import pyarrow.parquet as pq
import pytest
from conftest import NEWSFLOW, REPO, SEEDS, run_newsflow

from schemas.tables import TABLES
from tasks.store.local import CURRENT, VERSIONS, LocalOutput
from tasks.store.remote import RemoteOutput, working_dir

pytestmark = pytest.mark.slow

BUCKET = "newsflow-test"
PREFIX = "news"
URL = f"s3://{BUCKET}/{PREFIX}"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
REGION = "us-east-1"
RUN_METADATA = {"run_id", "ingested_at"}
RUN_TIMEOUT_SECONDS = 300
KILL_ATTEMPTS = 3  # runs killed at the first uploaded object, until one lands mid-upload


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """moto's S3 server on loopback, in its own process group, stopped with the group."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=os.environ | CREDENTIALS,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, "moto's server exited"
                assert time.monotonic() < deadline, "moto's server did not start"
                time.sleep(0.2)
        url = f"http://127.0.0.1:{port}"
        s3_client(url).create_bucket(Bucket=BUCKET)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


@pytest.fixture(scope="module")
def prefect_api_url() -> Iterator[str]:
    """One temporary Prefect API for every command-line run of this module."""
    from prefect.server.api.server import SubprocessASGIServer

    # An explicit port: SubprocessASGIServer() without one is a process-wide singleton.
    server = SubprocessASGIServer(port=free_port())
    server.start(timeout=120)
    try:
        yield server.api_url
    finally:
        server.stop()


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def s3_filesystem(endpoint: str) -> pafs.S3FileSystem:
    return pafs.S3FileSystem(
        access_key=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        secret_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        region=REGION,
        endpoint_override=endpoint,
    )


def aws_env(endpoint: str) -> dict[str, str]:
    """Fake credentials and the server as AWS endpoint; no AWS configuration of the user."""
    return CREDENTIALS | {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def cli_env(endpoint: str, api_url: str, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "NEWSFLOW_"))}
    return env | aws_env(endpoint) | {"PREFECT_API_URL": api_url, "NEWSFLOW_CACHE_DIR": str(cache)}


def newsflow(env: dict[str, str], command: str, *arguments: str | Path, code: int = 0):
    extra = ["--n-process", "1"] if command == "run" else []
    done = run_newsflow(
        command,
        *arguments,
        *extra,
        env=env,
        cwd=REPO,
        timeout=RUN_TIMEOUT_SECONDS,
        start_new_session=True,
    )
    assert done.returncode == code, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def pointer(endpoint: str, prefix: str = PREFIX) -> dict:
    body = s3_client(endpoint).get_object(Bucket=BUCKET, Key=f"{prefix}/current.json")["Body"]
    return json.loads(body.read())


def version_objects(endpoint: str, prefix: str = PREFIX) -> dict[str, str]:
    """Every object under the prefix's versions: key -> ETag (folder markers left out)."""
    pages = (
        s3_client(endpoint)
        .get_paginator("list_objects_v2")
        .paginate(Bucket=BUCKET, Prefix=f"{prefix}/.versions/")
    )
    objects = (o for page in pages for o in page.get("Contents", []))
    return {o["Key"]: o["ETag"] for o in objects if not o["Key"].endswith("/")}


def check_remote_version(endpoint: str, version: str, prefix: str = PREFIX) -> dict:
    """Assert that every Parquet file of a remote version reads back whole and that its tables
    have the manifest's rows; the tables by name."""
    filesystem = s3_filesystem(endpoint)
    root = f"{BUCKET}/{prefix}/.versions/{version}"
    with filesystem.open_input_stream(f"{root}/manifest.json") as stream:
        manifest = json.loads(stream.read())
    files = filesystem.get_file_info(pafs.FileSelector(root, recursive=True))
    for info in files:
        if info.path.endswith(".parquet"):
            pq.read_table(info.path, filesystem=filesystem)  # a truncated file fails here
    tables = {name: pq.read_table(f"{root}/{name}", filesystem=filesystem) for name in TABLES}
    assert {name: table.num_rows for name, table in tables.items()} == manifest["tables"]
    return tables


def rows(table) -> list[tuple]:
    """A table's rows without run metadata, in a fixed order."""
    columns = [c for c in table.column_names if c not in RUN_METADATA]
    return sorted(map(repr, table.select(columns).to_pylist()))


# --- The working copy, in this process ------------------------------------------------------


@pytest.fixture
def aws(endpoint, monkeypatch, tmp_path) -> Path:
    """This process set up like the command line's: the server, fake credentials, a cache dir."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    for name, value in aws_env(endpoint).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NEWSFLOW_CACHE_DIR", str(tmp_path / "machine-a"))
    return tmp_path


def write_version(folder: Path, name: str, linked_from: Path | None = None) -> Path:
    """A version laid out as publish does (empty tables), hard-linked to an earlier one when
    given, and made current in the working copy."""
    version = folder / VERSIONS / name
    for table_name, table in TABLES.items():
        (version / table_name).mkdir(parents=True)
        part = version / table_name / "part-00000.parquet"
        if linked_from:
            os.link(linked_from / table_name / part.name, part)
        else:
            pq.write_table(table.arrow_schema.empty_table(), part)
    (version / "manifest.json").write_text(json.dumps({"tables": dict.fromkeys(TABLES, 0)}))
    LocalOutput(folder).adopt_version(version)
    return version


def test_the_working_copy_publishes_only_clean_exits_and_readers_follow_the_pointer(
    aws, endpoint, monkeypatch
):
    prefix = "working-copy"
    url = f"s3://{BUCKET}/{prefix}"
    folder = working_dir(url)
    write_version(folder, "v0")  # left by a run killed before the first upload ever finished

    with RemoteOutput.open(url) as output:
        copy = output.folder
        assert copy == folder and not (copy / CURRENT).exists(), "not the remote's (empty) state"
        first = write_version(copy, "v1")
    assert pointer(endpoint, prefix)["version"] == "v1"

    uploaded = []
    copy_files = pafs.copy_files

    def counted_copy(source, *args, **kwargs):
        uploaded.append(Path(source).name)
        return copy_files(source, *args, **kwargs)

    monkeypatch.setattr(pafs, "copy_files", counted_copy)
    with RemoteOutput.open(url) as output:
        write_version(output.folder, "v2", linked_from=first)
    assert uploaded == ["manifest.json"], "files hard-linked to the last version were uploaded"
    check_remote_version(endpoint, "v2", prefix)
    assert pointer(endpoint, prefix) | {"published_at": None} == {
        "version": "v2",
        "previous": ["v1"],
        "published_at": None,
    }
    objects = version_objects(endpoint, prefix)

    with (
        pytest.raises(RuntimeError, match="the run failed"),
        RemoteOutput.open(url) as output,
    ):
        write_version(output.folder, "v3", linked_from=first)
        raise RuntimeError("the run failed")
    assert pointer(endpoint, prefix)["version"] == "v2"
    assert version_objects(endpoint, prefix) == objects

    monkeypatch.setenv("NEWSFLOW_CACHE_DIR", str(aws / "machine-b"))
    with RemoteOutput.read(url) as reader:
        assert reader.folder != folder and reader.current_version_name() == "v2"
        assert pq.read_table(reader.folder / "articles").schema == TABLES["articles"].arrow_schema


# --- The command line ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(endpoint, prefect_api_url, tmp_path_factory) -> dict:
    """The seeds published to the bucket by one run of the command line."""
    cache = tmp_path_factory.mktemp("machine-a")
    env = cli_env(endpoint, prefect_api_url, cache)
    done = newsflow(env, "run", "--input", SEEDS, "--output", URL)
    return {"env": env, "stdout": done.stdout, "version": pointer(endpoint)["version"]}


def test_the_tables_published_to_the_bucket_are_those_of_a_local_run(
    published, endpoint, prefect_api_url, tmp_path
):
    local = tmp_path / "local"
    newsflow(published["env"], "run", "--input", SEEDS, "--output", local)
    remote = check_remote_version(endpoint, published["version"])
    for name in TABLES:
        assert rows(remote[name]) == rows(pq.read_table(local / name)), name

    # DuckDB over the Arrow tables read from S3 (its httpfs extension cannot be fetched here).
    connection = duckdb.connect()
    for name, table in remote.items():
        connection.register(name, table)
    assert connection.sql("SELECT count(*) FROM articles").fetchall() == [
        (len(list(SEEDS.glob("*.txt"))),)
    ]
    orphans = connection.sql(
        "SELECT count(*) FROM entities WHERE article_id NOT IN (SELECT article_id FROM articles)"
    ).fetchall()
    assert orphans == [(0,)]

    views = s3_client(endpoint).get_object(Bucket=BUCKET, Key=f"{PREFIX}/views.sql")["Body"]
    text = views.read().decode()
    assert "httpfs" in text
    assert f"read_parquet('{URL}/.versions/{published['version']}/articles/*.parquet')" in text


def test_a_rerun_publishes_nothing(published, endpoint):
    before = version_objects(endpoint)
    done = newsflow(published["env"], "run", "--input", SEEDS, "--output", URL)
    assert "up to date" in done.stdout
    assert pointer(endpoint)["version"] == published["version"]
    assert version_objects(endpoint) == before


def test_another_machine_queries_the_same_version(published, endpoint, prefect_api_url, tmp_path):
    env = cli_env(endpoint, prefect_api_url, tmp_path / "machine-b")
    done = newsflow(
        env, "query", "SELECT count(*) AS n FROM articles", "--output", URL, "--format", "json"
    )
    assert json.loads(done.stdout) == [{"n": len(list(SEEDS.glob("*.txt")))}]
    report = newsflow(env, "report", "--output", URL)
    assert f"version: {published['version']} " in report.stdout
    copies = list((tmp_path / "machine-b").iterdir())
    assert len(copies) == 1 and os.readlink(copies[0] / "current").endswith(published["version"])


def test_a_run_killed_while_uploading_leaves_the_published_version(published, endpoint, tmp_path):
    """SIGKILL as soon as the first object of a new version appears in the bucket: the pointer
    still names the old version, which reads back whole; the next run publishes in full."""
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS, inbox)
    for attempt in range(KILL_ATTEMPTS):
        old, old_objects = pointer(endpoint)["version"], version_objects(endpoint)
        # A new article on each attempt: a seed with a paragraph added.
        seed = sorted(SEEDS.glob("*.txt"))[attempt]
        addition = f"\n\nThis report was corrected on {attempt + 2} October.\n"
        (inbox / f"corrected-{attempt}.txt").write_text(seed.read_text() + addition)
        run = subprocess.Popen(
            [str(NEWSFLOW), "run", "--input", str(inbox), "--output", URL, "--n-process", "1"],
            env=published["env"],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
        while run.poll() is None and time.monotonic() < deadline:
            if version_objects(endpoint).keys() - old_objects.keys():
                os.killpg(run.pid, signal.SIGKILL)
                break
            time.sleep(0.01)
        killed = run.wait(timeout=30) == -signal.SIGKILL
        if killed and pointer(endpoint)["version"] == old:
            break
        # Else the whole upload and the switch fitted in one polling interval: again.
    else:
        pytest.fail(f"no kill of {KILL_ATTEMPTS} landed before the pointer switched")
    assert version_objects(endpoint).items() >= old_objects.items()
    check_remote_version(endpoint, old)

    newsflow(published["env"], "run", "--input", inbox, "--output", URL)
    now = pointer(endpoint)
    assert now["version"] != old and now["previous"][0] == old
    tables = check_remote_version(endpoint, now["version"])
    assert tables["articles"].num_rows == len(list(inbox.glob("*.txt")))
    versions = {key.split("/")[2] for key in version_objects(endpoint)}
    assert versions == {now["version"], *now["previous"]}, "a killed upload was not removed"


def test_an_unreachable_endpoint_fails_with_a_one_line_reason(prefect_api_url, tmp_path):
    env = cli_env(f"http://127.0.0.1:{free_port()}", prefect_api_url, tmp_path / "cache")
    done = newsflow(env, "run", "--input", SEEDS, "--output", URL, code=1)
    reason = done.stderr.strip().splitlines()[-1]
    assert reason.startswith("newsflow: run failed: cannot reach the object store at http://")


def test_a_missing_bucket_is_named(endpoint, prefect_api_url, tmp_path):
    env = cli_env(endpoint, prefect_api_url, tmp_path / "cache")
    done = newsflow(env, "query", "SELECT 1", "--output", "s3://no-such-bucket/news", code=1)
    assert done.stderr.strip() == (
        f"newsflow: query failed: bucket no-such-bucket does not exist at {endpoint}"
    )
