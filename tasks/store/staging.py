"""A run's staging folder: its rows while it is in progress, private to the run.

    .staging/<run_id>/.parts/<table>/   each batch's rows, as they arrive (LZ4 Parquet)
    .staging/<run_id>/<table>/          the run's rows in key order, and the published part
                                        files carried on as hard links (never rewritten)
    .staging/<run_id>/relate_features/  every article's relate summary, kept with the version

The run's own part files are named `<run_id>-NNNNN.parquet`; everything else in a table's
folder is a published file. Publishing renames the whole folder into a version (local.py).
"""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from schemas.tables import ARTICLES, TABLES, Table
from tasks.duckdb_memory import bounded_connection

PARTS = ".parts"
RELATE_FEATURES = "relate_features"  # internal: not a table readers query
DATA_DOCS = "data_docs"
ROW_GROUP_SIZE = 100_000
FILE_ROWS = 1_000_000  # rows per part file written by a run


class Staging:
    """The folder a run writes its version into, before it is published."""

    def __init__(self, folder: Path, published: Path | None):
        self.folder = folder
        self.run_id = folder.name
        self._published = published  # the current version's folder, if any

    @property
    def data_docs(self) -> Path:
        """Where the validate step renders this run's Great Expectations Data Docs."""
        return self.folder / DATA_DOCS

    def stage_batch(self, index: int, tables: Mapping[str, pa.Table]) -> None:
        """Keep one batch's rows (of tables, or its RELATE_FEATURES) on disk until every batch
        is done, instead of in memory."""
        for name, rows in tables.items():
            folder = self.folder / PARTS / name
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(rows, folder / f"{index:05d}.parquet", compression="lz4")

    def batches(self, name: str) -> ds.Dataset:
        """The rows of table `name` that stage_batch kept, unread."""
        return table_dataset(self.folder / PARTS / name, name)

    def features(self, schema: pa.Schema) -> pa.Table:
        """The relate features that stage_batch kept (under RELATE_FEATURES), in batch order."""
        features = read_features(self.folder / PARTS / RELATE_FEATURES, schema)
        # One chunk: relating reads each list column as one flat array, which would otherwise
        # be a second copy of the features beside these (~6 KB an article).
        return schema.empty_table() if features is None else features.combine_chunks()

    def finalize(self, transform: Callable[[str, pa.Table], pa.Table]) -> None:
        """Every staged batch of every table through `transform(name, rows)`, then the run's
        rows of each table in key order into its part files; one batch in memory at a time."""
        parts = self.folder / PARTS
        for folder in [parts / name for name in TABLES if (parts / name).exists()]:
            transformed = folder / "transformed"
            transformed.mkdir()
            for part in sorted(folder.glob("*.parquet")):
                rows = pq.read_table(part, schema=TABLES[folder.name].arrow_schema)
                pq.write_table(transform(folder.name, rows), transformed / part.name)
                part.unlink()
            self._write_sorted(sorted(transformed.glob("*.parquet")), TABLES[folder.name])
        shutil.rmtree(parts, ignore_errors=True)
        for name in TABLES:  # a table this run adds no rows to still gets its (empty) file
            if not any((self.folder / name).glob("*.parquet")):
                self.stage_table(name, TABLES[name].arrow_schema.empty_table())

    def _write_sorted(self, files: list[Path], table: Table) -> None:
        """The rows of `files` in the table's key order (so readers skip row groups by key),
        as part files of at most FILE_ROWS rows. DuckDB sorts out of core: memory stays
        bounded."""
        target = self.folder / table.name
        target.mkdir(exist_ok=True)
        order = ", ".join(dict.fromkeys([*table.sort_by, table.key]))
        with bounded_connection(spill_dir=self.folder / PARTS) as connection:
            reader = connection.sql(
                f"SELECT * FROM read_parquet({[str(f) for f in files]}) ORDER BY {order}"
            ).to_arrow_reader(ROW_GROUP_SIZE)
            writer, file_rows, number = None, 0, 0
            for batch in reader:
                if writer is None or file_rows >= FILE_ROWS:
                    if writer is not None:
                        writer.close()
                    path = target / f"{self.run_id}-{number:05d}.parquet"
                    writer = pq.ParquetWriter(path, table.arrow_schema, compression="zstd")
                    file_rows, number = 0, number + 1
                writer.write_table(pa.Table.from_batches([batch]).cast(table.arrow_schema))
                file_rows += batch.num_rows
            if writer is not None:
                writer.close()

    def stage_table(self, name: str, rows: pa.Table) -> None:
        """Rows of this run written whole (the quarantine, the relate features), beside its
        part files of the table."""
        (self.folder / name).mkdir(exist_ok=True)
        number = len(list((self.folder / name).glob(f"{self.run_id}-*.parquet")))
        write_part(rows, self.folder / name / f"{self.run_id}-{number:05d}.parquet")

    def replace_table(self, name: str, rows: pa.Table) -> None:
        """This run's rows of table `name` replaced by `rows` (a table the run writes whole)."""
        for part in (self.folder / name).glob(f"{self.run_id}-*.parquet"):
            part.unlink()
        self.stage_table(name, rows)

    def drop_rows(self, drop: Mapping[str, set[str]]) -> None:
        """Take this run's rows named in `drop` (table -> keys) out of its part files; a new
        article whose duplicate_of names a dropped article stays, without that link. The
        published part files (hard links) are never touched: only new rows are rejected."""
        dropped_articles = pa.array(sorted(drop.get(ARTICLES.name, ())), pa.string())
        for name, keys in drop.items():
            table = TABLES[name]
            for part in sorted((self.folder / name).glob(f"{self.run_id}-*.parquet")):
                rows = pq.read_table(part, schema=table.arrow_schema)
                kept = rows.filter(pc.invert(pc.is_in(rows[table.key], pa.array(sorted(keys)))))
                if name == ARTICLES.name:
                    linked = pc.is_in(kept["duplicate_of"], dropped_articles)
                    unlinked = pc.if_else(
                        linked, pa.scalar(None, pa.string()), kept["duplicate_of"]
                    )
                    column = kept.schema.get_field_index("duplicate_of")
                    kept = kept.set_column(column, kept.schema.field(column), unlinked)
                temporary = part.with_suffix(".tmp")
                write_part(kept, temporary)
                os.replace(temporary, part)

    def carry_published(self, names: Iterable[str]) -> None:
        """The published part files of tables `names` join this run's, as hard links."""
        if self._published is None:
            return
        for name in names:
            (self.folder / name).mkdir(exist_ok=True)
            for part in sorted((self._published / name).glob("*.parquet")):
                os.link(part, self.folder / name / part.name)

    def link_unchanged(self) -> None:
        """Files the published version holds byte for byte (Data Docs' fonts, images and
        scripts: 7 MB each run) become hard links to its copies, which are on disk already:
        flushing them again took 0.4 s of every run."""
        if self._published is None:
            return
        for path in sorted(self.folder.rglob("*")):
            if path.is_symlink() or not path.is_file() or path.stat().st_nlink > 1:
                continue
            published = self._published / path.relative_to(self.folder)
            if published.is_file() and filecmp.cmp(published, path, shallow=False):
                temporary = path.with_name(f".{path.name}.link")
                os.link(published, temporary)
                os.replace(temporary, path)

    def tables(self, *, new_only: bool = False) -> dict[str, ds.Dataset]:
        """The tables of this run's version, unread: every row, or only this run's new rows."""
        prefix = f"{self.run_id}-" if new_only else ""
        return {name: table_dataset(self.folder / name, name, prefix) for name in TABLES}

    def discard(self) -> None:
        """Remove what the run staged (after an error)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def table_dataset(folder: Path, name: str, prefix: str = "") -> ds.Dataset:
    """The part files of table `name` in `folder` (those starting with `prefix`), unread."""
    files = sorted(str(path) for path in folder.glob(f"{prefix}*.parquet"))
    return ds.dataset(files, schema=TABLES[name].arrow_schema, format="parquet")


def read_features(folder: Path, schema: pa.Schema) -> pa.Table | None:
    files = sorted(str(path) for path in folder.glob("*.parquet"))
    return ds.dataset(files, schema=schema, format="parquet").to_table() if files else None


def write_part(rows: pa.Table, path: Path) -> None:
    pq.write_table(rows, path, compression="zstd", row_group_size=ROW_GROUP_SIZE)
