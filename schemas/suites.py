"""Expectation suites, built from the table declarations in schemas/tables.py.

Each table gets one suite of column checks derived from its declaration. Checks that need
more than one table (references, spans against the body, one name per entity) are SQL
expressions evaluated by the validate step into boolean columns of a `<table>_checks` frame,
whose suite expects every non-null value to be true.

Severity is declared here, with the check: `critical` blocks publishing, `warning` is
reported and publishes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from schemas.tables import TABLES, Table

CRITICAL = "critical"
WARNING = "warning"


@dataclass(frozen=True)
class CrossCheck:
    """A boolean SQL expression per row of `table` (NULL when the check does not apply)."""

    table: str
    name: str
    sql: str
    description: str
    severity: str = CRITICAL


def _span_check(table: str, start: str, end: str, text: str) -> CrossCheck:
    return CrossCheck(
        table,
        f"{text}_matches_body",
        f"CASE WHEN t.{start} IS NULL THEN NULL ELSE "
        f"substr(a.body, t.{start} + 1, t.{end} - t.{start}) = t.{text} "
        f"AND t.{end} <= length(a.body) END",
        f"{text} equals the body substring [{start}, {end})",
    )


def _entity_exists(table: str, column: str) -> CrossCheck:
    return CrossCheck(
        table,
        f"{column}_exists",
        f"CASE WHEN t.{column} IS NULL THEN NULL ELSE "
        f"t.{column} IN (SELECT entity_id FROM entities) END",
        f"every non-null {column} exists in entities.entity_id",
    )


def _article_exists(table: str) -> CrossCheck:
    return CrossCheck(
        table, "article_exists", "a.article_id IS NOT NULL", "article_id exists in articles"
    )


CROSS_CHECKS: tuple[CrossCheck, ...] = (
    CrossCheck(
        "articles",
        "duplicate_of_exists",
        "CASE WHEN t.duplicate_of IS NULL THEN NULL ELSE "
        "t.duplicate_of IN (SELECT article_id FROM articles) END",
        "duplicate_of points at an existing article",
    ),
    CrossCheck(
        "articles",
        "published_date_plausible",
        "CASE WHEN t.published_date IS NULL THEN NULL ELSE "
        "t.published_date BETWEEN DATE '1800-01-01' AND current_date END",
        "published_date is not before 1800 and not in the future",
    ),
    _article_exists("entities"),
    _span_check("entities", "start_char", "end_char", "text"),
    CrossCheck(
        "entities",
        "one_canonical_name",
        "(SELECT count(DISTINCT e.canonical_name) FROM entities e "
        "WHERE e.entity_id = t.entity_id) = 1",
        "every entity_id has exactly one canonical_name",
    ),
    _article_exists("quotes"),
    _span_check("quotes", "start_char", "end_char", "quote_text"),
    _span_check("quotes", "speaker_start", "speaker_end", "speaker_text"),
    _entity_exists("quotes", "speaker_entity_id"),
    _article_exists("events"),
    _span_check("events", "trigger_start", "trigger_end", "trigger_text"),
    _entity_exists("events", "actor_entity_id"),
    _entity_exists("events", "target_entity_id"),
)


def cross_checks(table: str) -> list[CrossCheck]:
    return [c for c in CROSS_CHECKS if c.table == table]


def checks_table_name(table: str) -> str:
    return f"{table}_checks"


def table_expectations(table: Table) -> list:
    """The column-level expectations a table's declaration implies."""
    import great_expectations as gx

    expect = gx.expectations
    expectations = [expect.ExpectTableColumnsToMatchOrderedList(column_list=table.column_names)]
    for column in table.columns:
        name = column.name
        expectations.append(
            expect.ExpectColumnValuesToBeOfType(column=name, type_=_python_type(column.type))
        )
        if not column.nullable:
            expectations.append(expect.ExpectColumnValuesToNotBeNull(column=name))
        if column.unique:
            expectations.append(expect.ExpectColumnValuesToBeUnique(column=name))
        if (allowed := column.allowed_values()) is not None:
            expectations.append(expect.ExpectColumnValuesToBeInSet(column=name, value_set=allowed))
        if column.pattern:
            expectations.append(
                expect.ExpectColumnValuesToMatchRegex(column=name, regex=column.pattern)
            )
        if column.min_value is not None or column.max_value is not None:
            expectations.append(
                expect.ExpectColumnValuesToBeBetween(
                    column=name, min_value=column.min_value, max_value=column.max_value
                )
            )
    for start, end in table.spans:
        expectations.append(
            expect.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=end, column_B=start, ignore_row_if="either_value_is_missing"
            )
        )
    return expectations


def check_expectations(table: str) -> list:
    """Every cross-table check of a table must hold wherever it applies."""
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToBeInSet(
            column=check.name,
            value_set=[True],
            severity=check.severity,
            description=check.description,
        )
        for check in cross_checks(table)
    ]


def suites() -> dict[str, list]:
    """Suite name -> expectations, for every published table and its cross-table checks."""
    built = {name: table_expectations(table) for name, table in TABLES.items()}
    for name in TABLES:
        if cross_checks(name):
            built[checks_table_name(name)] = check_expectations(name)
    return built


def _python_type(arrow_type: pa.DataType) -> str:
    """The value type GX reports for an Arrow-backed pandas column of this Arrow type."""
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "str"
    if pa.types.is_integer(arrow_type):
        return "int"
    if pa.types.is_floating(arrow_type):
        return "float"
    if pa.types.is_boolean(arrow_type):
        return "bool"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_timestamp(arrow_type):
        return "datetime"
    raise TypeError(f"no expectation type for {arrow_type}")
