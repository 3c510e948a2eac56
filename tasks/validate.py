"""Validate: run the Great Expectations suites of schemas/suites.py over a run's tables.

Great Expectations is imported here only (its import costs seconds). With a `gx_root`, a file
context there keeps the suites, the validation results and the rendered Data Docs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from schemas.suites import (
    CRITICAL,
    RUN_METRICS_TABLE,
    checks_table_name,
    cross_checks,
    run_metrics_sql,
    suites,
)
from schemas.tables import TABLES

SAMPLE_SIZE = 5  # offending values kept per failed expectation


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
class ValidationReport:
    outcomes: list[ExpectationOutcome]
    metrics: dict[str, float | None] = field(default_factory=dict)  # the run_metrics row

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
        if failed:
            line += "; critical failures: " + ", ".join(o.label for o in failed[:5])
            line += f" and {len(failed) - 5} more" if len(failed) > 5 else ""
        return line

    def to_dict(self) -> dict:
        return {
            "passed": self.passed,
            "summary": self.summary(),
            "metrics": self.metrics,
            "outcomes": [asdict(o) for o in self.outcomes],
        }


def validate(tables: dict[str, pa.Table], gx_root: Path | None = None) -> ValidationReport:
    """Run every suite; with gx_root, also store the results and build Data Docs there."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    frames = {name: tables[name] for name in TABLES} | _derived_tables(tables)
    if gx_root is None:
        context = gx.get_context(mode="ephemeral")
    else:
        context = gx.get_context(mode="file", project_root_dir=gx_root)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_or_update_pandas("newsflow")
    outcomes: list[ExpectationOutcome] = []
    for name, expectations in suites().items():
        asset = source.add_dataframe_asset(name)
        batch = asset.add_batch_definition_whole_dataframe(name)
        suite = context.suites.add_or_update(
            gx.ExpectationSuite(name=name, expectations=expectations)
        )
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        frame = frames[name].to_pandas(types_mapper=pd.ArrowDtype)
        result = definition.run(
            batch_parameters={"dataframe": frame}, result_format=_result_format(name, frame)
        )
        outcomes.extend(_outcome(name, r) for r in result.results)
    if gx_root is not None:
        context.build_data_docs()
    return ValidationReport(outcomes, frames[RUN_METRICS_TABLE].to_pylist()[0])


def _derived_tables(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The `<table>_checks` frames of the cross-table checks and the `run_metrics` frame."""
    connection = duckdb.connect()
    for name in TABLES:
        connection.register(name, tables[name])
    derived = _cross_check_tables(connection)
    derived[RUN_METRICS_TABLE] = connection.sql(run_metrics_sql()).to_arrow_table()
    connection.close()
    return derived


def _cross_check_tables(connection: duckdb.DuckDBPyConnection) -> dict[str, pa.Table]:
    """One boolean column per cross-table check, one row per row of the checked table."""
    checked = {}
    for name, table in TABLES.items():
        checks = cross_checks(name)
        if not checks:
            continue
        key = table.columns[0].name
        columns = ", ".join(f"({c.sql}) AS {c.name}" for c in checks)
        checked[checks_table_name(name)] = connection.sql(
            f"SELECT t.{key}, {columns} FROM {name} t "
            f"LEFT JOIN articles a ON a.article_id = t.article_id ORDER BY t.{key}"
        ).to_arrow_table()
    return checked


def _result_format(suite: str, frame: pd.DataFrame) -> dict:
    """Summary results; offending rows are named by their table's key column when it is there."""
    table = TABLES.get(suite.removesuffix("_checks"))
    key = table.columns[0].name if table else None
    keys = [key] if key in frame.columns else []
    return {"result_format": "SUMMARY", "unexpected_index_column_names": keys}


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
        severity=str(getattr(config.severity, "value", config.severity)),
        success=bool(result.success),
        unexpected_count=details.get("unexpected_count"),
        observed=None if observed is None else str(observed)[:500],
        sample=_sample(details),
        description=config.description,
    )
