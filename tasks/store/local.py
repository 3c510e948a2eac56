"""An output folder of published versions: the one place that writes one, atomically.

    output/.staging/<run_id>/      a run's files while it is in progress (staging.py)
    output/.versions/<version>/    a complete published version: one folder per table of
                                   Parquet part files, validation/, report/, data_docs/,
                                   manifest.json, and relate_features/ (each article's summary
                                   that the next run relates its new articles to). The parts of
                                   earlier runs are hard links to the same files in the version
                                   before, so a run writes only its new rows.
    output/current                 symlink to the newest complete version
    output/<table>, output/report, output/validation, output/data_docs
                                   symlinks through `current`, so readers always see one version
    output/.lock                   held (flock) by the run writing this output folder
    output/.failed/<run_id>/       the validation results and report of a run that failed it
    output/views.sql               DuckDB views over output/<table> with every column documented
                                   (relative paths: run it from the output folder)
    output/newsflow.duckdb         the same views in a database file (absolute paths), readable
                                   by DuckDB 1.4 and later; .newsflow.duckdb.sql its SQL

A version is written in full into staging, flushed to disk, renamed into .versions/ and only
then made current by atomically replacing the `current` symlink. A run that fails or dies
before that switch leaves the previous version exactly as it was; what it staged is removed by
the next run. An output is opened once per run (`LocalOutput.open`), which holds its lock; the
object-storage output (remote.py) is this same folder, mirrored to a bucket.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from schemas.tables import TABLES
from schemas.views import views_sql, write_duckdb
from tasks.store.staging import RELATE_FEATURES, Staging, read_features, table_dataset

LOCK = ".lock"
STAGING = ".staging"
VERSIONS = ".versions"
FAILED = ".failed"
CURRENT = "current"
MANIFEST = "manifest.json"
VALIDATION_RESULTS = "validation/results.json"
REPORT_PAGE = "report/index.html"
DATABASE = "newsflow.duckdb"
DATABASE_SQL = ".newsflow.duckdb.sql"  # the SQL the database file was written from
REPORT_FOLDERS = ("validation", "report", "data_docs")  # what a failed run keeps
PUBLISHED_FOLDERS = (*TABLES, *REPORT_FOLDERS)
KEEP_VERSIONS = 3  # the current one and two before it, for readers still on an older one
FSYNC_THREADS = 16


class OutputLocked(RuntimeError):
    """Another run is writing the same output."""


class LocalOutput:
    """An output folder: its published version for readers, staging and publishing for the
    one run that holds its lock."""

    def __init__(self, folder: Path, recovered_lock: str | None = None):
        self.folder = folder
        self.recovered_lock = recovered_lock  # what a dead run left in the lock, if any

    @classmethod
    @contextmanager
    def open(cls, location: str, wait_for_lock: float = 0.0) -> Iterator[LocalOutput]:
        """The output at `location` (a folder) for one run, holding its lock throughout."""
        folder = Path(location.removeprefix("file://"))
        with output_lock(folder, wait_for_lock) as stale:
            yield cls(folder, stale)

    @classmethod
    @contextmanager
    def read(cls, location: str) -> Iterator[LocalOutput]:
        """The output at `location` for readers (no lock: the published version is whole)."""
        yield cls(Path(location.removeprefix("file://")))

    # --- the published version ---------------------------------------------------------------

    @property
    def current(self) -> Path:
        return self.folder / CURRENT

    def has_published(self) -> bool:
        return self.current.exists()

    def published_article_ids(self) -> set[str]:
        """Ids of the articles in the current published version (reads one column only)."""
        articles = self.current / "articles"
        if not articles.exists():
            return set()
        return set(pq.read_table(articles, columns=["article_id"]).column(0).to_pylist())

    def published_tables(self) -> dict[str, ds.Dataset] | None:
        """The current version's tables, unread, or None before the first publish."""
        if not self.has_published():
            return None
        return {name: table_dataset(self.current / name, name) for name in TABLES}

    def read_published(self) -> dict[str, pa.Table] | None:
        """The current version's tables, read, or None before the first publish."""
        tables = self.published_tables()
        return None if tables is None else {name: rows.to_table() for name, rows in tables.items()}

    def published_features(self, schema: pa.Schema) -> pa.Table | None:
        """The relate features kept with the current version, or None if it has none."""
        return read_features(self.current / RELATE_FEATURES, schema)

    def published_file(self, relative: str) -> Path:
        """A file of the current version (MANIFEST, VALIDATION_RESULTS, REPORT_PAGE), by the
        stable path users know where it has one (output/report/... rather than current/...)."""
        stable = relative.split("/")[0] in PUBLISHED_FOLDERS
        return (self.folder if stable else self.current) / relative

    # --- a run: staging, publishing --------------------------------------------------------

    def start_run(self, run_id: str) -> Staging:
        """A fresh private folder for the run's files; leftovers of dead runs are removed."""
        staging_root = self.folder / STAGING
        if staging_root.exists():
            for leftover in staging_root.iterdir():
                shutil.rmtree(leftover, ignore_errors=True)
        for half_made_link in self.folder.glob(f".{CURRENT}.*"):
            half_made_link.unlink()
        staging = staging_root / run_id
        staging.mkdir(parents=True)
        return Staging(staging, self.current if self.has_published() else None)

    def publish(self, staging: Staging, files: Mapping[str, str], manifest: dict) -> Path:
        """Make the staged version current, with `files` (relative path -> text: the report,
        the validation results) and its manifest written beside its tables."""
        _write_files(staging.folder, files)
        manifest = manifest | {
            "published_at": datetime.now(UTC).isoformat(),
            "files": sorted(
                p.relative_to(staging.folder).as_posix() for p in staging.folder.rglob("*.parquet")
            ),
        }
        (staging.folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        staging.link_unchanged()
        _fsync_tree(staging.folder)
        versions = self.folder / VERSIONS
        versions.mkdir(exist_ok=True)
        version = versions / f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{staging.run_id}"
        staging.folder.rename(version)
        _fsync(versions)
        self.adopt_version(version)
        return version

    def keep_failed(self, staging: Staging, files: Mapping[str, str]) -> Path:
        """Keep a failed run's validation results, report and Data Docs (not its tables) in
        .failed/<run_id>/ for inspection, never beside the published tables."""
        _write_files(staging.folder, files)
        failed = self.folder / FAILED / staging.run_id
        failed.parent.mkdir(parents=True, exist_ok=True)
        for folder in REPORT_FOLDERS:
            if (staging.folder / folder).exists():
                shutil.move(staging.folder / folder, failed / folder)
        staging.discard()
        return failed

    def adopt_version(self, version: Path) -> None:
        """Make `version`, a complete folder under .versions/ (written by publish, or
        downloaded from object storage), the current version."""
        _switch_current(self.folder, version)
        _write_views(self.folder)
        _prune_versions(self.folder, keep=version)

    def current_version_name(self) -> str | None:
        """Name of the version `current` points to, if any."""
        return Path(os.readlink(self.current)).name if self.current.is_symlink() else None


@contextmanager
def output_lock(folder: Path, wait_seconds: float = 0.0) -> Iterator[str | None]:
    """Hold an output folder for one run; yields what a dead run left in the lock, if any.

    The lock is an flock on .lock, which the kernel releases when its holder dies, so a killed
    run never blocks the next one; the file names the holder for the messages.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK
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
                        f"{folder} is being written by another run ({holder})"
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


def _write_files(folder: Path, files: Mapping[str, str]) -> None:
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _switch_current(folder: Path, version: Path) -> None:
    """Make the new version current in one atomic rename.

    The stable links go through `current` and are made first, so that a run dying at any
    point leaves either no published version or a complete one behind every link.
    """
    for name in PUBLISHED_FOLDERS:
        link = folder / name
        target = Path(CURRENT) / name
        if link.is_symlink() and Path(os.readlink(link)) == target:
            continue
        if link.exists() and not link.is_symlink():
            raise FileExistsError(f"{link} exists and is not a newsflow link; move it away")
        temporary = folder / f".{name}.link"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(target)
        os.replace(temporary, link)
    temporary = folder / f".{CURRENT}.{version.name}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(version.relative_to(folder))
    os.replace(temporary, folder / CURRENT)
    _fsync(folder)


def _write_views(folder: Path) -> None:
    """The DuckDB entry points. They read through the stable links, so only the schema and the
    folder's place matter: the database file is written again only when its SQL changes
    (binding its views reads the footer of every file, half a second per run)."""
    temporary = folder / ".views.sql.tmp"
    temporary.write_text(views_sql("."))
    os.replace(temporary, folder / "views.sql")
    database, written_from = folder / DATABASE, folder / DATABASE_SQL
    sql = views_sql(str(folder.resolve()))
    if database.exists() and written_from.exists() and written_from.read_text() == sql:
        return
    written_from.unlink(missing_ok=True)  # no stale record while the file is being replaced
    write_duckdb(database, sql)
    temporary = written_from.with_name(f"{written_from.name}.tmp")
    temporary.write_text(sql)
    os.replace(temporary, written_from)


def _prune_versions(folder: Path, keep: Path) -> None:
    versions = sorted((folder / VERSIONS).iterdir())
    for old in versions[:-KEEP_VERSIONS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def _fsync_tree(root: Path) -> None:
    """Every file and folder under `root` (and `root`) flushed to disk. The flushes run
    side by side: each one waits for the disk's cache flush, which concurrent flushes
    share (a version's ~80 files and ~60 folders: 0.25-0.3 s one after another, 0.02 s
    together, even with nothing left to write)."""
    paths = [
        path
        for path in root.rglob("*")
        if (path.is_file() and not path.is_symlink()) or path.is_dir()
    ]
    with ThreadPoolExecutor(FSYNC_THREADS) as flushes:
        # list(): every flush done, and its error raised, before the version is renamed.
        list(flushes.map(_fsync, [*paths, root]))


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
