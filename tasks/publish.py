"""Publish: the one place that writes to the output directory, atomically.

Layout of an output directory:

    output/.staging/<run_id>/      a run's files while it is in progress (private): .parts/
                                   holds each batch's rows until every batch is done
    output/.versions/<version>/    a complete published version: one folder per table of
                                   Parquet part files, validation/, report/, data_docs/,
                                   manifest.json, and relate_features/ (each article's
                                   summary that the next run relates its new articles to).
                                   The parts of earlier runs are hard links to the same files
                                   in the version before, so a run writes only its new rows.
    output/current                 symlink to the newest complete version
    output/<table>, output/report, output/validation, output/data_docs
                                   symlinks through `current`, so readers always see one version
    output/.lock                   held (flock) by the run writing this output directory
    output/views.sql               DuckDB views over output/<table> with every column documented
                                   (relative paths: run it from the output directory)
    output/newsflow.duckdb         the same views in a database file (absolute paths), readable
                                   by DuckDB 1.4 and later

A version is written in full into staging, flushed to disk, renamed into .versions/ and only
then made current by atomically replacing the `current` symlink. A run that fails or dies
before that switch leaves the previous version exactly as it was; what it staged is removed by
the next run. A run whose validation fails keeps its validation results and report under
`output/.failed/<run_id>/` for inspection, never beside the published tables.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from schemas.tables import TABLES, Table
from schemas.views import views_sql, write_duckdb
from tasks.duckdb_memory import bounded_connection
from tasks.report import render_report
from tasks.validate import ValidationReport

LOCK = ".lock"
STAGING = ".staging"
PARTS = ".parts"
VERSIONS = ".versions"
FAILED = ".failed"
CURRENT = "current"
PUBLISHED_FOLDERS = (*TABLES, "validation", "report", "data_docs")
KEEP_VERSIONS = 3  # the current one and two before it, for readers still on an older one
ROW_GROUP_SIZE = 100_000
FILE_ROWS = 1_000_000  # rows per part file written by a run
RELATE_FEATURES = "relate_features"  # internal: not a table readers query


class OutputLocked(RuntimeError):
    """Another run is writing the same output directory."""


@contextmanager
def output_lock(output_dir: Path, wait_seconds: float = 0.0) -> Iterator[str | None]:
    """Hold the output directory for one run; yields what a dead run left in the lock, if any.

    The lock is an flock on output/.lock, which the kernel releases when its holder dies, so
    a killed run never blocks the next one; the file names the holder for the messages.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / LOCK
    with path.open("a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = path.read_text().strip() or "unknown"
                    raise OutputLocked(
                        f"{output_dir} is being written by another run ({holder})"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        stale = handle.read().strip() or None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}\n")
        handle.flush()
        try:
            yield stale
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


def published_article_ids(output_dir: Path) -> set[str]:
    """Ids of the articles in the current published version (reads one column only)."""
    articles = output_dir / CURRENT / "articles"
    if not articles.exists():
        return set()
    return set(pq.read_table(articles, columns=["article_id"]).column(0).to_pylist())


def read_published(output_dir: Path) -> dict[str, pa.Table] | None:
    """The tables of the current published version, or None before the first publish."""
    tables = published_tables(output_dir)
    return None if tables is None else {name: rows.to_table() for name, rows in tables.items()}


def published_tables(output_dir: Path) -> dict[str, ds.Dataset] | None:
    """The tables of the current published version, unread, or None before the first publish."""
    current = output_dir / CURRENT
    if not current.exists():
        return None
    return {name: _dataset(current / name, name) for name in TABLES}


def published_features(output_dir: Path, schema: pa.Schema) -> pa.Table | None:
    """The relate features kept with the current version, or None if it has none."""
    return _read_features(output_dir / CURRENT / RELATE_FEATURES, schema)


def staged_features(staging: Path, schema: pa.Schema) -> pa.Table:
    """The relate features that stage_batch kept (under RELATE_FEATURES), in batch order."""
    features = _read_features(staging / PARTS / RELATE_FEATURES, schema)
    return schema.empty_table() if features is None else features


def _read_features(folder: Path, schema: pa.Schema) -> pa.Table | None:
    files = sorted(str(path) for path in folder.glob("*.parquet"))
    return ds.dataset(files, schema=schema, format="parquet").to_table() if files else None


def start_staging(output_dir: Path, run_id: str) -> Path:
    """A fresh private folder for this run's files; leftovers of dead runs are removed."""
    staging_root = output_dir / STAGING
    if staging_root.exists():
        for leftover in staging_root.iterdir():
            shutil.rmtree(leftover, ignore_errors=True)
    for half_made_link in output_dir.glob(f".{CURRENT}.*"):
        half_made_link.unlink()
    staging = staging_root / run_id
    staging.mkdir(parents=True)
    return staging


def stage_batch(staging: Path, index: int, tables: Mapping[str, pa.Table]) -> None:
    """Keep one batch's rows (of tables, or its RELATE_FEATURES) on disk until every batch is
    done, instead of in memory."""
    for name, rows in tables.items():
        folder = staging / PARTS / name
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(rows, folder / f"{index:05d}.parquet", compression="lz4")


def staged_batches(staging: Path, name: str) -> ds.Dataset:
    """The rows of table `name` that stage_batch kept, unread."""
    return _dataset(staging / PARTS / name, name)


def finalize_staged(staging: Path, transform: Callable[[str, pa.Table], pa.Table]) -> None:
    """Every staged batch of every table through `transform(name, rows)`, then the run's rows
    of each table in key order into its part files; one batch in memory at a time."""
    parts = staging / PARTS
    for folder in [parts / name for name in TABLES if (parts / name).exists()]:
        transformed = folder / "transformed"
        transformed.mkdir()
        for part in sorted(folder.glob("*.parquet")):
            rows = pq.read_table(part, schema=TABLES[folder.name].arrow_schema)
            pq.write_table(transform(folder.name, rows), transformed / part.name)
            part.unlink()
        _write_sorted(sorted(transformed.glob("*.parquet")), staging, TABLES[folder.name])
    shutil.rmtree(parts, ignore_errors=True)
    for name in TABLES:  # a table this run adds no rows to still gets its (empty) file
        if not any((staging / name).glob("*.parquet")):
            stage_table(staging, name, TABLES[name].arrow_schema.empty_table())


def _write_sorted(files: list[Path], staging: Path, table: Table) -> None:
    """The rows of `files` in the table's key order (so readers skip row groups by key), as
    part files of at most FILE_ROWS rows. DuckDB sorts out of core: memory stays bounded."""
    target = staging / table.name
    target.mkdir(exist_ok=True)
    order = ", ".join(dict.fromkeys([*table.sort_by, table.columns[0].name]))
    with bounded_connection(spill_dir=staging / PARTS) as connection:
        reader = connection.sql(
            f"SELECT * FROM read_parquet({[str(f) for f in files]}) ORDER BY {order}"
        ).to_arrow_reader(ROW_GROUP_SIZE)
        writer, file_rows, number = None, 0, 0
        for batch in reader:
            if writer is None or file_rows >= FILE_ROWS:
                if writer is not None:
                    writer.close()
                path = target / f"{staging.name}-{number:05d}.parquet"
                writer = pq.ParquetWriter(path, table.arrow_schema, compression="zstd")
                file_rows, number = 0, number + 1
            writer.write_table(pa.Table.from_batches([batch]).cast(table.arrow_schema))
            file_rows += batch.num_rows
        if writer is not None:
            writer.close()


def stage_table(staging: Path, name: str, rows: pa.Table) -> None:
    """Rows of this run written whole (the quarantine), beside its part files of the table."""
    (staging / name).mkdir(exist_ok=True)
    number = len(list((staging / name).glob(f"{staging.name}-*.parquet")))
    _write_part(rows, staging / name / f"{staging.name}-{number:05d}.parquet")


def drop_staged_rows(staging: Path, drop: Mapping[str, set[str]]) -> None:
    """Take this run's rows named in `drop` (table -> keys) out of its part files; a new
    article whose duplicate_of names a dropped article stays, without that link. The
    published part files (hard links) are never touched: only new rows are ever rejected."""
    dropped_articles = pa.array(sorted(drop.get("articles", ())), pa.string())
    for name, keys in drop.items():
        table = TABLES[name]
        for part in sorted((staging / name).glob(f"{staging.name}-*.parquet")):
            rows = pq.read_table(part, schema=table.arrow_schema)
            kept = rows.filter(pc.invert(pc.is_in(rows[table.key], pa.array(sorted(keys)))))
            if name == "articles":
                linked = pc.is_in(kept["duplicate_of"], dropped_articles)
                unlinked = pc.if_else(linked, pa.scalar(None, pa.string()), kept["duplicate_of"])
                column = kept.schema.get_field_index("duplicate_of")
                kept = kept.set_column(column, kept.schema.field(column), unlinked)
            temporary = part.with_suffix(".tmp")
            _write_part(kept, temporary)
            os.replace(temporary, part)


def carry_published(staging: Path, output_dir: Path, names: Iterable[str]) -> None:
    """The published part files of tables `names` join this run's, as hard links (no copy)."""
    current = output_dir / CURRENT
    if not current.exists():
        return
    for name in names:
        (staging / name).mkdir(exist_ok=True)
        for part in sorted((current / name).glob("*.parquet")):
            os.link(part, staging / name / part.name)


def staged_tables(staging: Path, *, new_only: bool = False) -> dict[str, ds.Dataset]:
    """The tables of this run's version, unread: every row, or only this run's new rows."""
    prefix = f"{staging.name}-" if new_only else ""
    return {name: _dataset(staging / name, name, prefix) for name in TABLES}


def _dataset(folder: Path, name: str, prefix: str = "") -> ds.Dataset:
    files = sorted(str(path) for path in folder.glob(f"{prefix}*.parquet"))
    return ds.dataset(files, schema=TABLES[name].arrow_schema, format="parquet")


def data_docs_dir(staging: Path) -> Path:
    """Where the validate step renders this run's Great Expectations Data Docs."""
    return staging / "data_docs"


def publish(
    staging: Path,
    output_dir: Path,
    tables: Mapping[str, ds.Dataset],
    validation: ValidationReport,
    run_summary: dict,
    plots: str | None = None,
) -> Path:
    """Write the reports beside the staged tables, then make them the current version.
    `plots`: the report's plots section if drawn beforehand (tasks.report.draw_plots)."""
    if not validation.passed:
        raise ValueError(
            f"refusing to publish a run that failed validation: {validation.summary()}"
        )
    _write_reports(staging, tables, validation, run_summary, plots)
    manifest = {
        "run_id": run_summary["run_id"],
        "published_at": datetime.now(UTC).isoformat(),
        "tables": {name: rows.count_rows() for name, rows in tables.items()},
        "step_seconds": run_summary.get("step_seconds", {}),
        "files": sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*.parquet")),
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    _fsync_tree(staging)

    versions = output_dir / VERSIONS
    versions.mkdir(exist_ok=True)
    version = versions / f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{run_summary['run_id']}"
    staging.rename(version)
    _fsync_dir(versions)
    _switch_current(output_dir, version)
    _write_views(output_dir)
    _prune_versions(output_dir, keep=version)
    return version


def keep_failed(
    staging: Path,
    output_dir: Path,
    tables: Mapping[str, ds.Dataset],
    validation: ValidationReport,
    run_summary: dict,
    plots: str | None = None,
) -> Path:
    """Keep a failed run's validation results and report (not its tables) for inspection."""
    _write_reports(staging, tables, validation, run_summary, plots)
    failed = output_dir / FAILED / staging.name
    failed.parent.mkdir(parents=True, exist_ok=True)
    for folder in ("validation", "report", "data_docs"):
        if (staging / folder).exists():
            shutil.move(staging / folder, failed / folder)
    shutil.rmtree(staging, ignore_errors=True)
    return failed


def discard(staging: Path) -> None:
    """Remove what a run staged (after an error)."""
    shutil.rmtree(staging, ignore_errors=True)


def _write_part(rows: pa.Table, path: Path) -> None:
    pq.write_table(rows, path, compression="zstd", row_group_size=ROW_GROUP_SIZE)


def _write_reports(
    staging: Path,
    tables: Mapping[str, ds.Dataset],
    validation: ValidationReport,
    run_summary: dict,
    plots: str | None,
) -> None:
    (staging / "validation").mkdir(exist_ok=True)
    (staging / "validation" / "results.json").write_text(
        json.dumps(validation.to_dict(), indent=2, default=str) + "\n"
    )
    (staging / "report").mkdir(exist_ok=True)
    (staging / "report" / "index.html").write_text(
        render_report(tables, validation, run_summary, plots), encoding="utf-8"
    )


def _switch_current(output_dir: Path, version: Path) -> None:
    """Make the new version current in one atomic rename.

    The stable links go through `current` and are made first, so that a run dying at any
    point leaves either no published version or a complete one behind every link.
    """
    for folder in PUBLISHED_FOLDERS:
        link = output_dir / folder
        target = Path(CURRENT) / folder
        if link.is_symlink() and Path(os.readlink(link)) == target:
            continue
        if link.exists() and not link.is_symlink():
            raise FileExistsError(f"{link} exists and is not a newsflow link; move it away")
        temporary = output_dir / f".{folder}.link"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(target)
        os.replace(temporary, link)
    temporary = output_dir / f".{CURRENT}.{version.name}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(version.relative_to(output_dir))
    os.replace(temporary, output_dir / CURRENT)
    _fsync_dir(output_dir)


def _write_views(output_dir: Path) -> None:
    """The DuckDB entry points; they read through the stable links, so only the schema matters."""
    temporary = output_dir / ".views.sql.tmp"
    temporary.write_text(views_sql("."))
    os.replace(temporary, output_dir / "views.sql")
    write_duckdb(output_dir / "newsflow.duckdb", views_sql(str(output_dir.resolve())))


def _prune_versions(output_dir: Path, keep: Path) -> None:
    versions = sorted((output_dir / VERSIONS).iterdir())
    for old in versions[:-KEEP_VERSIONS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def _fsync_tree(root: Path) -> None:
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
        elif path.is_dir():
            _fsync_dir(path)
    _fsync_dir(root)


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def adopt_version(output_dir: Path, version: Path) -> None:
    """Make `version`, a complete folder already under output/.versions/ (e.g. downloaded from
    object storage), the current version, as `publish` does for a version it wrote."""
    _switch_current(output_dir, version)
    _write_views(output_dir)
    _prune_versions(output_dir, keep=version)
