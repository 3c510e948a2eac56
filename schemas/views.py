"""DuckDB views over the published tables, documented with the column descriptions of schemas/.

Paths: `views_sql(".")` gives relative paths (`articles/*.parquet`) for the `views.sql` file,
which works when run from the output directory (`cd output && duckdb -init views.sql`);
`views_sql(str(output_dir.resolve()))` gives absolute paths for `newsflow.duckdb`, which then
works when opened from anywhere. Both read `<dir>/<table>/*.parquet`, i.e. through the output's
stable `<table>` links, so they always show the current version. DuckDB binds a view when it is
created: `write_duckdb` must run after the tables exist at those paths.
"""

from __future__ import annotations

import os
from pathlib import Path

from schemas.tables import TABLES

# The oldest DuckDB release that must be able to open newsflow.duckdb (DuckDB 1.4 LTS).
STORAGE_VERSION = "v1.4.0"


def views_sql(tables_dir: str) -> str:
    """SQL creating one view per published table, with a COMMENT ON every view and column."""
    relative = tables_dir in ("", ".")
    statements = [
        "-- newsflow: one view per published table; comments come from schemas/tables.py.",
        "-- Paths are relative: run it from the output directory (duckdb -init views.sql)."
        if relative
        else f"-- Tables read from {tables_dir}.",
    ]
    for table in TABLES.values():
        files = f"{table.name}/*.parquet"
        if not relative:
            files = f"{tables_dir.rstrip('/')}/{files}"
        view = _identifier(table.name)
        statements.append("")
        statements.append(
            f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM read_parquet({_literal(files)});"
        )
        statements.append(f"COMMENT ON VIEW {view} IS {_literal(table.description)};")
        for column in table.columns:
            target = f"{view}.{_identifier(column.name)}"
            statements.append(f"COMMENT ON COLUMN {target} IS {_literal(column.description)};")
    return "\n".join(statements) + "\n"


def write_duckdb(database_path: Path, sql: str) -> None:
    """Create (or replace) a DuckDB database file holding the views of `sql`, readable by 1.4+."""
    import duckdb

    database_path = Path(database_path)
    temporary = database_path.with_name(f".{database_path.name}.tmp")
    temporary.unlink(missing_ok=True)
    Path(f"{temporary}.wal").unlink(missing_ok=True)
    with duckdb.connect() as connection:
        connection.execute(
            f"ATTACH {_literal(str(temporary))} AS newsflow (STORAGE_VERSION '{STORAGE_VERSION}')"
        )
        connection.execute("USE newsflow")
        connection.execute(sql)
        connection.execute("CHECKPOINT newsflow")
        connection.execute("USE memory")
        connection.execute("DETACH newsflow")
    # Readers opening the file meanwhile see the old views or the new ones, never a partial file.
    os.replace(temporary, database_path)


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
