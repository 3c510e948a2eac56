"""Validate: run the Great Expectations suites of schemas/suites.py over a run's tables.

Great Expectations is imported here only (its import costs seconds). Its context is ephemeral:
suites and results stay in memory (a file context rewrites its whole configuration on every
asset and suite it adds), and only the Data Docs it renders are written, where asked.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from types import ModuleType

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from schemas.suites import (
    CRITICAL,
    QUARANTINE,
    RUN_METRICS_TABLE,
    checks_table_name,
    cross_checks,
    run_metrics_sql,
    severity_of,
    suites,
)
from schemas.tables import TABLES
from tasks.data_docs import make_self_contained
from tasks.duckdb_memory import bounded_connection

# The Great Expectations release whose expectation-kwargs readers `_read_configuration_once`
# replaces with equivalents (tests/test_validate.py compares them); others keep their own.
GX_RELEASE_READ_ONCE = "1.24.1"
SAMPLE_SIZE = 5  # offending values kept per failed expectation
CHUNK_ROWS = 100_000  # rows validated at once: bounds memory, few chunks for typical runs
Rows = pa.Table | ds.Dataset


@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
    expectation: str
    column: str | None
    severity: str
    success: bool
    unexpected_count: int | None
    observed: str | None
    sample: list[str]
    description: str | None = None

    @property
    def label(self) -> str:
        target = f"({self.column})" if self.column else ""
        return f"{self.suite}.{self.expectation}{target}"


@dataclass(frozen=True)
class OffendingRow:
    """A row that failed a row-level expectation: it goes to the quarantine."""

    table: str
    key: str  # the row's key (article_id, mention_id, quote_id, event_id)
    reason: str  # short machine-readable reason, from the expectation
    detail: str  # the expectation and the offending value
    shows: tuple[str, ...] = ()  # columns whose values the detail still lacks (see validate)


@dataclass(frozen=True)
class ValidationReport:
    outcomes: list[ExpectationOutcome]
    metrics: dict[str, float | None] = field(default_factory=dict)  # the run_metrics row
    offending: list[OffendingRow] = field(default_factory=list)  # of row-level expectations

    @property
    def passed(self) -> bool:
        """True unless a critical expectation failed."""
        return not self.failures(CRITICAL)

    def failures(self, severity: str | None = None) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and severity in (None, o.severity)]

    def summary(self) -> str:
        """One line: how many expectations passed, and the failed critical ones."""
        failed = self.failures(CRITICAL)
        line = (
            f"{len(self.outcomes) - len(self.failures())}/{len(self.outcomes)} expectations passed"
        )
        if rejecting := self.failures(QUARANTINE):
            rows = sum(o.unexpected_count or 0 for o in rejecting)
            line += f"; {len(rejecting)} row-level expectations quarantined {rows} rows"
        if failed:
            line += "; critical failures: " + ", ".join(
                o.label + (f" [{o.observed}]" if o.observed and len(o.observed) <= 60 else "")
                for o in failed[:5]
            )
            line += f" and {len(failed) - 5} more" if len(failed) > 5 else ""
        return line

    def then(self, later: ValidationReport) -> ValidationReport:
        """This report, followed by a later validation of the same run (after its offending
        rows were quarantined): what the later one found adds up, and its run metrics (of what
        remains) replace these."""
        found = {(o.suite, o.label): o for o in later.outcomes}
        outcomes = [
            o if (again := found.pop((o.suite, o.label), None)) is None else _merged([o, again])
            for o in self.outcomes
        ]
        return ValidationReport(
            outcomes + list(found.values()),
            later.metrics or self.metrics,
            self.offending + later.offending,
        )

    def to_dict(self) -> dict:
        return {
            "passed": self.passed,
            "summary": self.summary(),
            "metrics": self.metrics,
            "outcomes": [asdict(o) for o in self.outcomes],
        }


def import_great_expectations() -> ModuleType:
    """Great Expectations, imported without scipy.stats: three of its modules import it (half a
    second of CPU) for expectations and metrics the suites never use (KL divergence,
    Kolmogorov-Smirnov tests). Unless something imported it before, they get a module that
    imports it at its first attribute read."""
    if "great_expectations" not in sys.modules and "scipy.stats" not in sys.modules:
        import scipy

        scipy.stats = ImportedOnUse("scipy.stats")
    import great_expectations

    return great_expectations


class ImportedOnUse(ModuleType):
    """Stands for the module of its name, which it imports at its first attribute read."""

    def __getattr__(self, attribute: str) -> object:
        return getattr(importlib.import_module(self.__name__), attribute)


class PreparedSuites:
    """Every suite in a new Great Expectations context with its validation definition, ready
    for rows; with a Data Docs folder, the suites' own pages already rendered there. Nothing
    in it depends on the rows: a run prepares it while its batches are parsed. (A plain
    class, not a dataclass: Prefect would walk a dataclass task argument's fields.)"""

    def __init__(self, data_docs: Path | None = None):
        gx = import_great_expectations()
        from great_expectations.data_context.types.base import ProgressBarsConfig
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
        )

        _read_configuration_once()
        self.data_docs = data_docs
        self.context = gx.get_context(mode="ephemeral")
        if data_docs is not None:
            _render_docs_into(self.context, data_docs)
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        source = self.context.data_sources.add_or_update_pandas("newsflow")
        self.definitions = {}
        self.unique_columns: list[tuple[str, str]] = []  # (table, column) unique over every row
        for name, expectations in suites().items():
            batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
            # Added, not added-or-updated: the context is new, and an update compares and
            # saves every suite again.
            suite = self.context.suites.add(
                gx.ExpectationSuite(name=name, expectations=expectations)
            )
            self.definitions[name] = self.context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch, suite=suite)
            )
            self.unique_columns += [
                (name, expectation.column)
                for expectation in expectations
                if name in TABLES
                and isinstance(expectation, gx.expectations.ExpectColumnValuesToBeUnique)
            ]
        if data_docs is not None:
            # Data Docs built for the given resources only (Great Expectations' incremental
            # build): the suites' pages now, their results' pages and the index at the end.
            self.context.build_data_docs(
                resource_identifiers=[ExpectationSuiteIdentifier(n) for n in self.definitions],
                build_index=False,
            )

    def render_results(self) -> None:
        """The results' pages and the index, beside the suites' pages (with data_docs)."""
        if self.data_docs is None:
            return
        self.context.build_data_docs(
            resource_identifiers=self.context.validation_results_store.list_keys()
        )
        make_self_contained(self.data_docs)


def validate(
    tables: Mapping[str, Rows],
    data_docs: Path | None = None,
    *,
    everything: Mapping[str, Rows] | None = None,
    prepared: PreparedSuites | None = None,
) -> ValidationReport:
    """Run every suite over `tables` (a run's new rows); with `data_docs` (a folder), also
    render the suites and their results there as Great Expectations Data Docs. `prepared`
    (made with the Data Docs folder, if any) replaces `data_docs`; a prepared context is used
    by one validation.

    Cross-table checks look the new rows up in `everything` (the published rows plus the new
    ones; by default the new rows alone), and key columns must be unique across it. Tables are
    validated in chunks of at most CHUNK_ROWS rows: the suites' memory does not grow with the run.
    """
    new = {name: as_dataset(tables[name]) for name in TABLES}
    whole = new if everything is None else {name: as_dataset(everything[name]) for name in TABLES}
    # The cross-table frames and the keys repeated across every row are DuckDB's work, which
    # runs outside the interpreter lock: made in a thread while Great Expectations validates
    # the tables' own suites, which need the new rows only (they come first). Side by side, the
    # process holds DuckDB's memory (up to its MEMORY_LIMIT) and the suites' frames at once:
    # only when the new rows fit in one chunk per table. A larger run has DuckDB's work done
    # first, so its peak is the larger of the two, not their sum.
    side_by_side = within_one_chunk(new)
    with ThreadPoolExecutor(1) as duckdb_work:
        derived = duckdb_work.submit(_derived_tables, new, whole)
        ready = prepared or PreparedSuites(data_docs)
        repeated = duckdb_work.submit(_repeated_values, whole, ready.unique_columns)
        if not side_by_side:
            wait([repeated])  # and `derived`, which the one thread ran before it
        outcomes: list[ExpectationOutcome] = []
        offending: list[OffendingRow] = []
        for name, definition in ready.definitions.items():
            chunks = []
            for chunk in _chunks(new[name] if name in new else derived.result()[name]):
                frame = chunk.to_pandas(types_mapper=pd.ArrowDtype)
                result = definition.run(
                    batch_parameters={"dataframe": frame},
                    result_format=_result_format(name, frame),
                )
                chunks.append([_outcome(name, r) for r in result.results])
                offending.extend(row for r in result.results for row in _offending_rows(name, r))
            outcomes.extend(_merged(per_chunk) for per_chunk in zip(*chunks, strict=True))
        outcomes = [_unique_across(o, repeated.result()) for o in outcomes]
        metrics = derived.result()[RUN_METRICS_TABLE].to_table().to_pylist()[0]
    ready.render_results()
    return ValidationReport(outcomes, metrics, _with_shown_values(offending, new))


def _read_configuration_once() -> None:
    """Great Expectations rebuilds an expectation's whole configuration (a dict of every field)
    for each kwarg it reads, some fifty times per expectation and run: a tenth of validation.
    The same kwargs, from one configuration per call."""
    import great_expectations as gx
    from great_expectations.expectations.expectation import Expectation

    if gx.__version__ != GX_RELEASE_READ_ONCE or hasattr(Expectation, "_gx_domain_kwargs"):
        return
    Expectation._gx_domain_kwargs = Expectation._get_domain_kwargs
    Expectation._gx_success_kwargs = Expectation._get_success_kwargs
    Expectation._get_domain_kwargs = _domain_kwargs
    Expectation._get_success_kwargs = _success_kwargs


def _domain_kwargs(expectation) -> dict:
    """Expectation._get_domain_kwargs, reading the configuration once."""
    kwargs = expectation.configuration.kwargs
    return {
        key: kwargs.get(key, expectation._get_default_value(key)) for key in expectation.domain_keys
    }


def _success_kwargs(expectation) -> dict:
    """Expectation._get_success_kwargs (its kwargs, then the domain's), reading it once."""
    kwargs = expectation.configuration.kwargs
    keys = (*expectation.success_keys, *expectation.domain_keys)
    return {key: kwargs.get(key, expectation._get_default_value(key)) for key in keys}


def _render_docs_into(context, folder: Path) -> None:
    """Point the context's own Data Docs site (a temporary folder by default) at `folder`,
    made absolute as Great Expectations requires."""
    sites = context.list_data_docs_sites()
    site_name, site = next(iter(sites.items()))
    backend = site["store_backend"] | {"base_directory": str(folder.absolute())}
    context.update_data_docs_site(site_name, site | {"store_backend": backend})


def as_dataset(rows: Rows) -> ds.Dataset:
    """Rows in memory or on disk, as one dataset type for the readers."""
    return rows if isinstance(rows, ds.Dataset) else ds.dataset(rows)


def within_one_chunk(tables: Mapping[str, Rows]) -> bool:
    """Whether each table's rows fit in one chunk of validation (CHUNK_ROWS rows): a run
    this small may do memory-bound work beside its validation, as the validation holds no more
    than one chunk per table."""
    return all(as_dataset(rows).count_rows() <= CHUNK_ROWS for rows in tables.values())


def _chunks(rows: ds.Dataset) -> Iterator[pa.Table]:
    """The rows in tables of at most CHUNK_ROWS rows; one empty table when there are none."""
    pending: list[pa.RecordBatch] = []
    pending_rows = 0
    for record_batch in rows.to_batches(batch_size=CHUNK_ROWS):
        if pending_rows + record_batch.num_rows > CHUNK_ROWS and pending:
            yield pa.Table.from_batches(pending, rows.schema)
            pending, pending_rows = [], 0
        pending.append(record_batch)
        pending_rows += record_batch.num_rows
    yield pa.Table.from_batches(pending, rows.schema)


def _merged(per_chunk: Sequence[ExpectationOutcome]) -> ExpectationOutcome:
    """One outcome of an expectation run chunk by chunk: failed rows add up."""
    first = per_chunk[0]
    if len(per_chunk) == 1:
        return first
    counts = [o.unexpected_count for o in per_chunk if o.unexpected_count is not None]
    failed = [o for o in per_chunk if not o.success]
    return replace(
        first,
        success=not failed,
        unexpected_count=sum(counts) if counts else None,
        observed=(failed or per_chunk)[0].observed,
        sample=[value for o in failed for value in o.sample][:SAMPLE_SIZE],
    )


def _repeated_values(
    whole: Mapping[str, ds.Dataset], columns: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[tuple]]:
    """For each (table, column) of `columns`, its values that more than one row of the whole
    table holds, with their counts, most repeated first."""
    repeated = {}
    with bounded_connection() as connection:
        for table, column in columns:
            connection.register("whole", whole[table])
            repeated[table, column] = connection.sql(
                f"SELECT {column}, count(*) AS n FROM whole "
                f"GROUP BY {column} HAVING n > 1 ORDER BY n DESC, {column}"
            ).fetchall()
            connection.unregister("whole")
    return repeated


def _unique_across(
    outcome: ExpectationOutcome, repeated: Mapping[tuple[str, str], list[tuple]]
) -> ExpectationOutcome:
    """A uniqueness expectation checked over every row, not only within one chunk (its
    `repeated` values from _repeated_values)."""
    if outcome.expectation != "expect_column_values_to_be_unique":
        return outcome
    rows = repeated[outcome.suite, outcome.column]
    if not rows:
        return outcome
    return replace(
        outcome,
        success=False,
        unexpected_count=max(outcome.unexpected_count or 0, sum(n for _value, n in rows)),
        sample=outcome.sample or [str(value)[:200] for value, _n in rows[:SAMPLE_SIZE]],
    )


def _derived_tables(
    new: dict[str, ds.Dataset], whole: dict[str, ds.Dataset]
) -> dict[str, ds.Dataset]:
    """The `<table>_checks` frames of the cross-table checks (a row per new row, checked against
    every row) and the `run_metrics` frame (of the new rows)."""
    with bounded_connection() as connection:
        for name in TABLES:
            connection.register(name, whole[name])
            connection.register(f"new_{name}", new[name])
        derived = {
            checks: ds.dataset(table) for checks, table in _cross_check_tables(connection).items()
        }
    with bounded_connection() as connection:
        for name in TABLES:
            connection.register(name, new[name])
        metrics = connection.sql(run_metrics_sql()).to_arrow_table()
    return derived | {RUN_METRICS_TABLE: ds.dataset(metrics)}


def _cross_check_tables(connection: duckdb.DuckDBPyConnection) -> dict[str, pa.Table]:
    """One boolean column per cross-table check, one row per new row of the checked table."""
    checked = {}
    for name, table in TABLES.items():
        checks = cross_checks(name)
        if not checks:
            continue
        key = table.key
        if "article_id" not in table.column_names:  # a table of stories, not of articles' rows
            columns = ", ".join(f"({c.sql}) AS {c.name}" for c in checks)
            checked[checks_table_name(name)] = connection.sql(
                f"SELECT t.{key}, {columns} FROM new_{name} t ORDER BY t.{key}"
            ).to_arrow_table()
            continue
        # Checks that read the article's body run first, and the body is dropped before the
        # checks with subqueries: their joins would carry every row's body along (one 100 kB
        # article with thousands of mentions took DuckDB past 2 GB).
        on_body = [c for c in checks if "a.body" in c.sql]
        body_columns = "".join(f", ({c.sql}) AS {c.name}" for c in on_body)
        columns = ", ".join(
            f"t.{c.name}" if c in on_body else f"({c.sql}) AS {c.name}" for c in checks
        )
        checked[checks_table_name(name)] = connection.sql(
            f"WITH t AS MATERIALIZED (SELECT t.*{body_columns} FROM new_{name} t "
            f"LEFT JOIN articles a ON a.article_id = t.article_id) "
            f"SELECT t.{key}, {columns} FROM t "
            f"LEFT JOIN (SELECT article_id FROM articles) a ON a.article_id = t.article_id "
            f"ORDER BY t.{key}"
        ).to_arrow_table()
    return checked


def _checked_table(suite: str) -> str | None:
    """The published table whose rows a suite checks (None for the run metrics)."""
    name = suite.removesuffix(checks_table_name(""))
    return name if name in TABLES else None


def _result_format(suite: str, frame: pd.DataFrame) -> dict:
    """Offending rows named by their table's key column: every one of them (COMPLETE), since
    each goes to the quarantine; summaries for the run metrics."""
    table = _checked_table(suite)
    if table is None:
        return {"result_format": "SUMMARY"}
    key = TABLES[table].key
    keys = [key] if key in frame.columns else []
    return {"result_format": "COMPLETE", "unexpected_index_column_names": keys}


def _reason(config) -> str:
    """A short machine-readable reason for the rows an expectation rejects."""
    kwargs = config.kwargs
    column = kwargs.get("column")
    if config.type == "expect_column_pair_values_a_to_be_greater_than_b":
        return f"{kwargs['column_A']}_not_after_{kwargs['column_B']}"
    if kwargs.get("value_set") == [True]:  # a cross-table check's column
        return f"failed_{column}"
    suffix = {
        "expect_column_values_to_not_be_null": "null",
        "expect_column_values_to_be_in_set": "not_in_set",
        "expect_column_values_to_match_regex": "bad_pattern",
        "expect_column_values_to_be_between": "out_of_range",
    }.get(config.type, config.type.removeprefix("expect_column_values_to_"))
    return f"{column}_{suffix}"


def _offending_rows(suite: str, result) -> list[OffendingRow]:
    """The rows a failed row-level expectation rejects, each with its offending value."""
    config = result.expectation_config
    table = _checked_table(suite)
    if result.success or table is None or severity_of(config) != QUARANTINE:
        return []
    key = TABLES[table].key
    outcome = _outcome(suite, result)
    check = next((c for c in cross_checks(table) if c.name == outcome.column), None)
    named = [v for v in config.kwargs.values() if isinstance(v, str)]  # the column(s) checked
    rows = []
    for row in (result.result or {}).get("unexpected_index_list") or []:
        detail = f"{table}.{key}={row[key]}: {outcome.label} failed"
        detail += f" ({outcome.description})" if outcome.description else ""
        if check is None:
            detail += ": " + ", ".join(f"{k}={_shown(v)}" for k, v in row.items() if k in named)
        shows = check.shows if check else ()
        rows.append(OffendingRow(table, str(row[key]), _reason(config), detail, shows))
    return rows


def _with_shown_values(
    rows: list[OffendingRow], new: Mapping[str, ds.Dataset]
) -> list[OffendingRow]:
    """The offending rows of cross-table checks with the values of the columns their check
    shows, read for those rows only: the checks frames carry one boolean per check, not the
    rows' text (which at scale would hold every new quote and mention in memory)."""
    found: dict[str, dict[str, dict]] = {}
    for table in {row.table for row in rows if row.shows}:
        key = TABLES[table].key
        wanted = [row for row in rows if row.table == table and row.shows]
        columns = list(dict.fromkeys(c for row in wanted for c in row.shows if c != key))
        keys = pa.array(sorted({row.key for row in wanted}), pa.string())
        values = new[table].to_table(columns=[key, *columns], filter=ds.field(key).isin(keys))
        found[table] = {value[key]: value for value in values.to_pylist()}
    completed = []
    for row in rows:
        values = found[row.table].get(row.key) if row.shows else None
        if values is not None:
            shown = ", ".join(f"{column}={_shown(values.get(column))}" for column in row.shows)
            row = replace(row, detail=f"{row.detail}: {shown}", shows=())
        completed.append(row)
    return completed


def _shown(value: object) -> str:
    return repr(str(value)[:200])


def _sample(details: dict) -> list[str]:
    """Offending values, each with its row's key when known (`mention_id=...: value`)."""
    keys = details.get("unexpected_index_column_names") or []
    rows = details.get("partial_unexpected_index_list")
    if not keys or not rows:
        return [str(v)[:200] for v in (details.get("partial_unexpected_list") or [])[:SAMPLE_SIZE]]
    sample = []
    for row in rows[:SAMPLE_SIZE]:
        key = ", ".join(f"{k}={row.get(k)}" for k in keys)
        values = ", ".join(str(v)[:200] for k, v in row.items() if k not in keys)
        sample.append(f"{key}: {values}" if values else key)
    return sample


def _outcome(suite: str, result) -> ExpectationOutcome:
    config = result.expectation_config
    details = result.result or {}
    observed = details.get("observed_value")
    return ExpectationOutcome(
        suite=suite,
        expectation=config.type,
        column=config.kwargs.get("column") or config.kwargs.get("column_A"),
        severity=severity_of(config),
        success=bool(result.success),
        unexpected_count=details.get("unexpected_count"),
        observed=None if observed is None else str(observed)[:500],
        sample=_sample(details),
        description=config.description,
    )
