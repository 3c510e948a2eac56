"""The `newsflow` command line: help, settings precedence, run, query, report, validate and the
progress of the clean-extract batches."""

from __future__ import annotations

import inspect
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import psutil
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import NEWSFLOW, REPO, SEEDS, run_newsflow
from rich.console import Console

from flows.cli import main
from flows.settings import NewsflowSettings, load_settings

ONE_SEED = str(SEEDS / "004_*.txt")


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch, tmp_path):
    """No NEWSFLOW_* variable or newsflow.toml from the caller's environment leaks in."""
    for name in list(os.environ):
        if name.startswith("NEWSFLOW_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def newsflow(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command in this process: exit code, stdout, stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (
            "run",
            [
                "--input",
                "--output",
                "--config",
                "--batch-size",
                "--nlp-batch-size",
                "--n-process",
                "--dask-address",
                "--dask-workers",
                "--wait-for-lock",
                "NEWSFLOW_N_PROCESS",
            ],
        ),
        ("query", ["SQL_OR_FILE", "--output", "--config", "--format", "--var"]),
        ("report", ["--output", "--config", "--open"]),
        ("validate", ["--output", "--config"]),
    ],
)
def test_help_of_each_command_lists_its_options(capsys, command, options):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    for option in options:
        assert option in text, option


def test_config_file_is_overridden_by_env_which_is_overridden_by_flags(monkeypatch, tmp_path):
    Path("newsflow.toml").write_text('output = "from-config"\nbatch_size = 7\nn_process = 3\n')
    settings = load_settings()
    assert (settings.output, settings.batch_size, settings.n_process) == (
        Path("from-config"),
        7,
        3,
    )
    monkeypatch.setenv("NEWSFLOW_OUTPUT", "from-env")
    monkeypatch.setenv("NEWSFLOW_INPUTS", '["a", "b"]')
    settings = load_settings()
    assert (settings.output, settings.inputs, settings.batch_size) == (
        Path("from-env"),
        ["a", "b"],
        7,
    )
    settings = load_settings(output="from-flag", inputs=["c"])
    assert (settings.output, settings.inputs, settings.n_process) == (Path("from-flag"), ["c"], 3)

    # NEWSFLOW_CONFIG, and above it --config, choose another file than ./newsflow.toml.
    (tmp_path / "env.toml").write_text("batch_size = 8\n")
    (tmp_path / "flag.toml").write_text("batch_size = 9\n")
    monkeypatch.setenv("NEWSFLOW_CONFIG", str(tmp_path / "env.toml"))
    assert load_settings().batch_size == 8
    assert load_settings(config=str(tmp_path / "flag.toml")).batch_size == 9


def test_defaults_are_the_flows_defaults():
    from flows.news_pipeline import news_pipeline

    parameters = inspect.signature(news_pipeline.fn).parameters
    defaults = NewsflowSettings().model_dump(exclude={"config"})
    defaults |= {"inputs": tuple(defaults["inputs"]), "output": str(defaults["output"])}
    assert defaults == {name: parameter.default for name, parameter in parameters.items()}


@pytest.mark.parametrize(
    ("argv", "env", "config", "reason"),
    [
        (["run", "--n-process", "0"], {}, None, "n_process"),
        (["run", "--batch-size", "many"], {}, None, "batch_size"),
        (["validate"], {"NEWSFLOW_WAIT_FOR_LOCK": "-1"}, None, "wait_for_lock"),
        (["report"], {"NEWSFLOW_INPUTS": "not json"}, None, "inputs"),
        (["run"], {}, "n_proces = 2\n", "n_proces"),
        (["query", "SELECT 1"], {}, "output = [\n", "TOML"),
        (["run", "--config", "missing.toml"], {}, None, "missing.toml"),
        (["query", "SELECT 1", "--var", "no-equals"], {}, None, "--var"),
    ],
)
def test_invalid_settings_exit_2_with_one_line(capsys, monkeypatch, argv, env, config, reason):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if config is not None:
        Path("newsflow.toml").write_text(config)
    code, _, err = newsflow(capsys, *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("newsflow: ")
    assert reason in err


def test_commands_on_an_output_without_published_tables_fail_with_one_line(capsys, tmp_path):
    for argv in (["query", "SELECT 1"], ["report"], ["validate"]):
        code, _, err = newsflow(capsys, *argv, "--output", str(tmp_path / "empty"))
        assert code == 1
        assert err.strip().splitlines() == [
            f"newsflow: {argv[0]} failed: no published tables in {tmp_path / 'empty'} "
            "(run `newsflow run` first)"
        ]


@pytest.mark.slow
def test_the_console_script_runs_the_flow_with_layered_settings(tmp_path):
    """A real `newsflow run`: input from the config file, output from the flag although the
    environment and the config file name others, and a progress line per batch."""
    Path("newsflow.toml").write_text(
        f'inputs = ["{ONE_SEED}"]\noutput = "from-config"\nn_process = 2\n'
    )
    env = os.environ | {
        "NEWSFLOW_OUTPUT": "from-env",
        "NEWSFLOW_N_PROCESS": "1",
        "PREFECT_LOGGING_LEVEL": "INFO",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    done = subprocess.run(
        [str(NEWSFLOW), "run", "--output", "from-flag"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "batch 1/1 done: 1 articles (1/1 batches, 1/1 articles)" in done.stderr
    assert pq.read_table(tmp_path / "from-flag" / "articles").num_rows == 1
    last = done.stdout.strip().splitlines()[-1]
    assert last == "documents: 1 read = 1 published + 0 quarantined + 0 already published"
    assert not (tmp_path / "from-env").exists() and not (tmp_path / "from-config").exists()


def test_query_runs_a_query_file_with_variables(capsys, seeds_output):
    code, out, err = newsflow(
        capsys,
        "query",
        str(REPO / "queries" / "quotes_by_speaker.sql"),
        "--output",
        str(seeds_output),
        "--var",
        "speaker=Chen",
        "--format",
        "json",
    )
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all("chen" in row["speaker"].lower() for row in rows)
    assert any(row["speaker"] == "Chen Binhua" and row["cue"] for row in rows)


def test_query_prints_sql_results_as_table_and_csv(capsys, seeds_output):
    sql = "SELECT count(*) AS articles FROM articles"
    code, out, _ = newsflow(capsys, "query", sql, "--output", str(seeds_output))
    assert code == 0
    assert out.splitlines()[0] == "articles" and out.splitlines()[-1] == "(1 row)"
    code, out, _ = newsflow(capsys, "query", sql, "-o", str(seeds_output), "-f", "csv")
    assert (code, out) == (0, "articles\n5\n")


def test_query_with_bad_sql_fails_with_one_line(capsys, seeds_output):
    code, _, err = newsflow(capsys, "query", "SELECT * FROM nowhere", "-o", str(seeds_output))
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and err.startswith("newsflow: query failed:")


def test_the_console_script_keeps_its_exit_code_and_output(seeds_output):
    """It exits without the interpreter's teardown: the code and the piped output survive."""
    query = ["query", "--format", "csv", "-o", str(seeds_output)]
    for argv, code, out in (
        ([*query, "SELECT 42 AS answer"], 0, "answer\n42\n"),
        ([*query, "SELECT * FROM nowhere"], 1, ""),
        (["query", "--help"], 0, "usage: newsflow query"),
        (["query", "--no-such-option"], 2, ""),
    ):
        done = run_newsflow(*argv, timeout=300)
        assert done.returncode == code, (argv, done.stderr)
        assert done.stdout.startswith(out) and bool(done.stdout) == bool(out), argv


def test_a_run_with_nothing_new_stops_the_worker_server_it_started(seeds_output, tmp_path):
    """The worker server starts while the command looks for new input; with none, the command
    stops it at once instead of leaving it to load the models for seconds after it ends."""
    started = time.time()
    log = tmp_path / "log"
    with log.open("w") as output:  # a file, not a pipe: a pipe would wait for the server too
        argv = ["run", "-i", SEEDS, "-o", seeds_output, "--n-process", "2"]
        done = subprocess.run([NEWSFLOW, *argv], stdout=output, stderr=output, timeout=300)
    assert done.returncode == 0, log.read_text()[-2000:]
    assert "up to date" in log.read_text()
    servers = [
        process
        for process in psutil.process_iter(["cmdline", "create_time"])
        if "flows.worker_warmup" in " ".join(process.info["cmdline"] or ())
        and process.info["create_time"] >= started - 1
    ]
    assert servers == []


def test_report_prints_the_report_path_and_row_counts(capsys, monkeypatch, seeds_output):
    opened = []
    monkeypatch.setattr("webbrowser.open", opened.append)  # record, never open a browser
    code, out, err = newsflow(capsys, "report", "--output", str(seeds_output), "--open")
    assert code == 0, err
    page = seeds_output / "report" / "index.html"
    assert f"report: {page}" in out.splitlines()
    assert "articles 5" in out and "entities " in out and "quotes " in out
    assert "validation: passed" in out
    assert opened == [page.as_uri()]


def test_query_report_and_validate_never_start_prefect(seeds_output):
    script = (
        "import sys\nfrom flows.cli import main\n"
        f"for argv in (['query', 'SELECT 1'], ['report'], ['validate']):\n"
        f"    assert main([*argv, '--output', {str(seeds_output)!r}]) == 0\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'prefect']\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_validate_passes_on_the_seeds_and_names_a_tampered_table(capsys, seeds_output, tmp_path):
    code, out, err = newsflow(capsys, "validate", "--output", str(seeds_output))
    assert code == 0, err
    assert out.startswith("passed: ")

    tampered = tmp_path / "tampered"
    shutil.copytree(seeds_output, tampered, symlinks=True)
    entities_file = next((tampered / "current" / "entities").resolve().glob("*.parquet"))
    entities = pq.read_table(entities_file)
    pq.write_table(pa.concat_tables([entities, entities]), entities_file)

    code, out, _ = newsflow(capsys, "validate", "--output", str(tampered))
    assert code == 1
    assert out.startswith("FAILED: ")
    assert "entities." in out and "mention_id" in out


def test_progress_is_a_log_line_per_batch_without_a_terminal(caplog):
    from flows.progress import BatchProgress

    logger = logging.getLogger("newsflow-test-progress")
    caplog.set_level(logging.INFO, logger=logger.name)
    with BatchProgress([200, 200, 50], logger) as progress:
        progress.update(2)
        progress.update(0, failed=True)
        progress.update(1)
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("INFO", "batch 3/3 done: 50 articles (1/3 batches, 50/450 articles)"),
        ("WARNING", "batch 1/3 failed, quarantined: 200 articles (2/3 batches, 250/450 articles)"),
        ("INFO", "batch 2/3 done: 200 articles (3/3 batches, 450/450 articles)"),
    ]


def test_progress_is_a_bar_on_a_terminal(caplog):
    from flows.progress import BatchProgress

    screen = StringIO()
    console = Console(force_terminal=True, file=screen, width=120)
    logger = logging.getLogger("newsflow-test-bar")
    caplog.set_level(logging.INFO, logger=logger.name)
    with BatchProgress([200, 50], logger, console) as progress:
        progress.update(1)
        progress.update(0)
    drawn = screen.getvalue()
    assert "\r" in drawn or "\x1b[" in drawn  # redrawn in place, not printed line by line
    assert "250/250" in drawn and "2/2 batches" in drawn
    assert not caplog.records  # the bar replaces the log lines


def test_a_failed_batch_tried_again_in_parts_keeps_the_counts(caplog):
    from flows.progress import BatchProgress

    logger = logging.getLogger("newsflow-test-progress-split")
    caplog.set_level(logging.INFO, logger=logger.name)
    with BatchProgress([3, 2], logger) as progress:
        progress.split(0, [1, 1, 1])
        progress.update(1)
        for index in (2, 3, 4):
            progress.update(index, failed=index == 3)
    assert [r.getMessage() for r in caplog.records] == [
        "batch 1/2 failed: its 3 articles are tried again in 3 batches",
        "batch 2/5 done: 2 articles (2/5 batches, 2/5 articles)",
        "batch 3/5 done: 1 articles (3/5 batches, 3/5 articles)",
        "batch 4/5 failed, quarantined: 1 articles (4/5 batches, 4/5 articles)",
        "batch 5/5 done: 1 articles (5/5 batches, 5/5 articles)",
    ]
