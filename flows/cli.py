"""The `newsflow` command: `run` the flow, `query` the published tables with SQL, show the
`report`, re-`validate` a published version. Only `run` imports Prefect."""

from __future__ import annotations

import argparse
import atexit
import csv
import json
import os
import re
import signal
import sys
import webbrowser
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from flows.settings import (
    DEFAULT_CONFIG,
    ENV_PREFIX,
    NewsflowSettings,
    SettingsError,
    load_settings,
)
from flows.workers import (
    fewer_collections,
    start_worker_server,
    stop_worker_server,
    uses_worker_server,
)

if TYPE_CHECKING:
    from tasks.store import LocalOutput

SETTINGS_ERROR = 2  # argparse's exit code for bad usage, used for bad settings too
MAX_CELL = 80  # characters of a value shown in --format table
TEMPORARY_API_STARTUP_SECONDS = 120


class CommandError(RuntimeError):
    """The command could not do its job; the message is the one-line reason."""


def console_main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsflow` console script: main(), then an exit that skips the
    interpreter's teardown."""
    exit_code = [1]  # an uncaught exception's
    # Registered first, so run last: after every other exit handler (Prefect's included).
    atexit.register(_exit_without_teardown, exit_code)
    try:
        exit_code[0] = main(argv)
    except SystemExit as stop:  # --help and usage errors: argparse exits by itself
        exit_code[0] = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
        raise
    except KeyboardInterrupt:
        exit_code[0] = 128 + signal.SIGINT
        raise
    return exit_code[0]


def _exit_without_teardown(exit_code: list[int]) -> None:
    # A run leaves millions of objects (Prefect's, Great Expectations', spaCy's) that the
    # teardown would free one at a time, a second for nothing: the process is ending.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exit_code[0])


def main(argv: Sequence[str] | None = None) -> int:
    """The `newsflow` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except SettingsError as error:
        print(f"newsflow: {error}", file=sys.stderr)
        return SETTINGS_ERROR
    except CommandError as error:
        print(f"newsflow: {args.command} failed: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader of stdout left early (`newsflow query ... | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--output",
        "-o",
        metavar="DIR_OR_URL",
        help=_setting_help("output"),
    )
    common.add_argument(
        "--config",
        metavar="FILE",
        help=f"TOML file of settings (default: ${ENV_PREFIX}CONFIG, else ./{DEFAULT_CONFIG} "
        "when present)",
    )
    parser = argparse.ArgumentParser(
        prog="newsflow",
        description="Turn raw news articles into validated Parquet tables and query them. "
        f"Settings come from flags, then {ENV_PREFIX}<NAME> environment variables, then the "
        "TOML config file, then the defaults.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        parents=[common],
        help="clean, extract, validate and publish articles",
        description="Clean, extract and validate news articles into Parquet tables "
        "(articles, entities, quotes, events, quarantine) under --output. Articles already "
        "published there are not processed again. Exit code 0 when the tables were "
        "published or nothing was new, 1 when the run failed, 2 for invalid settings.",
    )
    run.add_argument(
        "--input",
        "-i",
        action="append",
        dest="inputs",
        metavar="PATH",
        help="a .txt/.html/.htm/.jsonl file, a folder (read recursively) or a glob; "
        f"repeat for several inputs (default: seeds; env {ENV_PREFIX}INPUTS as a JSON list)",
    )
    for option, name, metavar in (
        ("--batch-size", "batch_size", "N"),
        ("--nlp-batch-size", "nlp_batch_size", "N"),
        ("--n-process", "n_process", "N"),
        ("--dask-address", "dask_address", "ADDRESS"),
        ("--dask-workers", "dask_workers", "N"),
        ("--wait-for-lock", "wait_for_lock", "SECONDS"),
    ):
        run.add_argument(option, dest=name, metavar=metavar, help=_setting_help(name))
    run.set_defaults(handler=run_command)

    query = commands.add_parser(
        "query",
        parents=[common],
        help="run SQL on the published tables",
        description="Run SQL (text or a .sql file such as queries/quotes_by_speaker.sql) on "
        "the views articles, entities, quotes, events and quarantine of the published "
        "version in --output, in an in-memory DuckDB database, and print the result.",
    )
    query.add_argument("sql", metavar="SQL_OR_FILE", help="a SQL statement or a .sql file")
    query.add_argument(
        "--format",
        "-f",
        choices=("table", "csv", "json"),
        default="table",
        help="table: aligned text with long values cut; csv and json: every value in full "
        "(default: table)",
    )
    query.add_argument(
        "--var",
        "-v",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set the DuckDB variable NAME (read with getvariable('NAME')) before the query; "
        "integers, decimals, true and false are typed, anything else is text; repeatable",
    )
    query.set_defaults(handler=query_command)

    report = commands.add_parser(
        "report",
        parents=[common],
        help="show where the data-quality report is and summarise the published version",
        description="Print the path of the published version's HTML report "
        "(<output>/report/index.html), its rows per table and its validation verdict.",
    )
    report.add_argument(
        "--open", action="store_true", help="also open the report in the web browser"
    )
    report.set_defaults(handler=report_command)

    validate = commands.add_parser(
        "validate",
        parents=[common],
        help="validate the published tables again",
        description="Run every expectation suite on the published tables of --output and "
        "print the summary and each failed expectation. Exit code 0 when no critical "
        "expectation failed, 1 otherwise.",
    )
    validate.set_defaults(handler=validate_command)
    return parser


def _setting_help(name: str) -> str:
    """The help of a setting's flag: its description, default and environment variable."""
    field = NewsflowSettings.model_fields[name]
    default = "none" if field.default is None else field.default
    if name == "n_process":
        default = f"the machine's cores, here {default}"
    return f"{field.description} (default: {default}; env {ENV_PREFIX}{name.upper()})"


def run_command(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with_server = uses_worker_server(
        settings.n_process, settings.dask_address, settings.dask_workers
    )
    if with_server:
        start_worker_server()  # it imports the steps while this process looks for new input
    try:
        nothing_new = _already_published(settings)
    except BaseException:
        if with_server:
            stop_worker_server()
        raise
    if nothing_new:
        if with_server:
            stop_worker_server()
        print(nothing_new)
        return 0
    with fewer_collections():
        from flows.news_pipeline import documents_line, news_pipeline

    with _prefect_api():
        state = news_pipeline(
            inputs=tuple(settings.inputs),
            output=str(settings.output),
            batch_size=settings.batch_size,
            nlp_batch_size=settings.nlp_batch_size,
            n_process=settings.n_process,
            dask_address=settings.dask_address,
            dask_workers=settings.dask_workers,
            wait_for_lock=settings.wait_for_lock,
            return_state=True,
        )
    if not state.is_completed():
        error = state.result(raise_on_failure=False)
        reason = str(error) if isinstance(error, BaseException) else (state.message or "")
        raise CommandError(reason.strip().splitlines()[0] if reason.strip() else state.name)
    summary = state.result()
    if summary["published"]:
        print(f"published {summary['rows']} to {settings.output}")
        print(documents_line(summary["documents"]))
    else:
        print(
            f"nothing new in {summary['documents_read']} documents: {settings.output} is up to date"
        )
    return 0


@contextmanager
def _prefect_api() -> Iterator[None]:
    """The configured Prefect API, else a temporary local one shared with worker processes.

    Prefect would start a temporary API by itself, but its address would not reach the
    process-pool workers, which would then each start their own.
    """
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
        temporary_settings,
    )

    if PREFECT_API_URL.value():
        yield
        return
    # Imported only here: the server's modules take seconds to import.
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.server.api.server import SubprocessASGIServer

    # The temporary API's telemetry only contends for its SQLite database.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Prefect gives its temporary API 20 s to answer: a busy machine's run must not fail on it.
    patience = {PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS: TEMPORARY_API_STARTUP_SECONDS}
    with (
        temporary_settings(patience),
        SubprocessASGIServer() as server,
        temporary_settings({PREFECT_API_URL: server.api_url}),
    ):
        try:
            yield
        finally:
            # Send the last logs and events while the API still runs to receive them.
            APILogWorker.drain_all()
            EventsWorker.drain_all()


def _already_published(settings: NewsflowSettings) -> str | None:
    """The message of a run whose inputs hold nothing new, decided before anything costly
    starts (a Prefect API, the worker server, Great Expectations); None when there is work.
    The flow decides the same again: it may be run without this command."""
    from tasks.ingest import InputError, read_inputs, unpublished
    from tasks.store import ObjectStoreError, read_output

    location = str(settings.output)
    try:
        with read_output(location) as output:
            known = output.published_article_ids()
        if not known:
            return None
        documents, rejected = read_inputs(list(settings.inputs))
    except (InputError, ObjectStoreError) as error:
        raise CommandError(str(error)) from None
    if unpublished(documents, known):
        return None
    return f"nothing new in {len(documents) + len(rejected)} documents: {location} is up to date"


def query_command(args: argparse.Namespace) -> int:
    import duckdb

    from schemas.views import views_sql

    variables = [_variable(assignment) for assignment in args.var]
    sql = _query_text(args.sql)
    with _published_output(args) as output, duckdb.connect() as connection:
        try:
            connection.execute(views_sql(str(output.folder.resolve())))
            for name, value in variables:
                connection.execute(f"SET VARIABLE {name} = ?", [value])
            cursor = connection.execute(sql)
        except duckdb.Error as error:
            raise CommandError(str(error).strip().splitlines()[0]) from None
        if cursor.description is None:  # the last statement returns no rows (e.g. SET)
            return 0
        columns = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    _print_rows(columns, rows, args.format)
    return 0


def report_command(args: argparse.Namespace) -> int:
    from tasks.store.local import MANIFEST, REPORT_PAGE, VALIDATION_RESULTS

    with _published_output(args) as output:
        page = output.published_file(REPORT_PAGE)
        try:
            manifest = json.loads(output.published_file(MANIFEST).read_text())
            results = json.loads(output.published_file(VALIDATION_RESULTS).read_text())
        except (OSError, ValueError) as error:
            folder = output.folder
            raise CommandError(f"cannot read the published version in {folder}: {error}") from None
        version = output.current_version_name()
    verdict = "passed" if results["passed"] else "FAILED"
    print(f"report: {page.absolute()}")
    print(f"version: {version} (run {manifest['run_id']}, published {manifest['published_at']})")
    print("rows: " + ", ".join(f"{name} {rows}" for name, rows in manifest["tables"].items()))
    print(f"validation: {verdict}: {results['summary']}")
    if args.open:
        webbrowser.open(page.absolute().as_uri())
    return 0


def validate_command(args: argparse.Namespace) -> int:
    from schemas.suites import QUARANTINE
    from tasks.validate import validate

    with _published_output(args) as output:
        try:
            tables = output.read_published()
        except (OSError, ValueError) as error:  # pyarrow's errors derive from these
            folder = output.folder
            raise CommandError(f"cannot read the published tables in {folder}: {error}") from None
    validation = validate(tables)
    # Published rows can no longer be quarantined: one that fails a row-level expectation
    # fails the check as much as a critical failure does.
    passed = validation.passed and not validation.failures(QUARANTINE)
    print(("passed: " if passed else "FAILED: ") + validation.summary())
    for outcome in validation.failures():
        found = "" if outcome.unexpected_count is None else f", {outcome.unexpected_count} rows"
        sample = f", e.g. {', '.join(outcome.sample)}" if outcome.sample else ""
        observed = f", observed {outcome.observed}" if outcome.observed else ""
        print(f"  {outcome.severity} {outcome.label}{found}{observed}{sample}")
    return 0 if passed else 1


@contextmanager
def _published_output(args: argparse.Namespace) -> Iterator[LocalOutput]:
    """The settings' output for readers (for a URL, its refreshed working copy), which must
    hold a published version."""
    from tasks.store import ObjectStoreError, read_output

    location = str(_settings(args).output)
    try:
        with read_output(location) as output:
            if not output.has_published():
                raise CommandError(f"no published tables in {location} (run `newsflow run` first)")
            yield output
    except ObjectStoreError as error:
        raise CommandError(str(error)) from None


def _settings(args: argparse.Namespace) -> NewsflowSettings:
    """The settings, with the flags the command has and the user gave over the other sources."""
    return load_settings(
        **{name: getattr(args, name, None) for name in NewsflowSettings.model_fields}
    )


def _query_text(sql_or_file: str) -> str:
    path = Path(sql_or_file)
    if sql_or_file.endswith(".sql") or path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
    return sql_or_file


def _variable(assignment: str) -> tuple[str, object]:
    """`name=value` as a DuckDB variable; numbers and booleans typed, the rest text."""
    name, equals, text = assignment.partition("=")
    if not equals or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise SettingsError(f"--var expects NAME=VALUE with NAME an identifier, got {assignment!r}")
    if re.fullmatch(r"[+-]?\d+", text):
        return name, int(text)
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)", text):
        return name, float(text)
    if text.lower() in ("true", "false"):
        return name, text.lower() == "true"
    return name, text


def _print_rows(columns: list[str], rows: list[tuple], output_format: str) -> None:
    if output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif output_format == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        print(json.dumps(records, indent=2, ensure_ascii=False, default=str))
    else:
        _print_table(columns, rows)


def _print_table(columns: list[str], rows: list[tuple]) -> None:
    lines = [columns, *([_cell(value) for value in row] for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(columns))]
    lines.insert(1, ["-" * width for width in widths])
    for line in lines:
        print(
            "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip()
        )
    print(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")


def _cell(value: object) -> str:
    text = "NULL" if value is None else " ".join(str(value).split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"
