"""Outputs on object storage (`s3://bucket/prefix`): a local output folder (local.py), the
working copy, mirrored to the bucket; a version published in the copy is uploaded, then made
current remotely in one atomic step.

Remote layout, beside the working copy's layout of local.py:

    <prefix>/.versions/<version>/  the files of a published version (manifest.json uploaded last)
    <prefix>/current.json          the pointer naming the current version; replaced by one PUT,
                                   which S3 applies atomically, so readers see the old version
                                   or the new one, never a part of one
    <prefix>/views.sql             DuckDB views over the current version's s3:// files (DuckDB
                                   reads them through its httpfs extension, with S3 credentials
                                   set up by `CREATE SECRET (TYPE s3, PROVIDER credential_chain)`)

The endpoint comes from the URL (`?endpoint_override=host:port&scheme=http`) or from the
AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL environment variables; credentials from the usual AWS
sources (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ...). The working copy lives
in $NEWSFLOW_CACHE_DIR (default ~/.cache/newsflow), one folder per URL.

One remote prefix takes one writer at a time. The output lock guards the working copy of one
machine only; across machines a run refuses to switch the pointer when another run switched it
since this run started, but two runs switching at the same instant are not told apart.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pyarrow.fs as pafs

from schemas.views import views_sql
from tasks.store.local import (
    KEEP_VERSIONS,
    LOCK,
    MANIFEST,
    STAGING,
    VERSIONS,
    LocalOutput,
    OutputLocked,
    output_lock,
)

CACHE_DIR_ENV = "NEWSFLOW_CACHE_DIR"
DEFAULT_CACHE_DIR = Path("~/.cache/newsflow")
POINTER = "current.json"
VIEWS = "views.sql"
ENDPOINT_ENV = ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")  # the AWS SDKs' order of precedence
TRANSFER_THREADS = 8  # concurrent uploads and downloads: object stores answer each request slowly
# URL query parameters that carry credentials: kept out of folder names and messages.
SECRET_PARAMETER = re.compile(r"key|secret|token|password|credential", re.IGNORECASE)


class ObjectStoreError(RuntimeError):
    """The object store cannot be reached or used; the message is one line."""


@dataclass(frozen=True)
class _Remote:
    filesystem: pafs.FileSystem
    root: str  # "bucket/prefix", the path the filesystem knows the output by
    url: str  # "s3://bucket/prefix" (no query), for messages and the DuckDB views
    endpoint: str  # where requests go, for messages


def is_remote(output: str) -> bool:
    """Whether `output` names object storage rather than a local folder."""
    return "://" in output and not output.startswith("file://")


def working_dir(output: str) -> Path:
    """The local folder a run on `output` works in: the folder itself, or for a remote output
    its working copy under $NEWSFLOW_CACHE_DIR (a name from the URL, without its credentials)."""
    if not is_remote(output):
        return Path(output.removeprefix("file://"))
    url, endpoint = _public_url(output), _endpoint(output)
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", url.partition("://")[2]).strip("-.")[:60]
    digest = hashlib.sha256(f"{url} {endpoint}".encode()).hexdigest()[:12]
    cache = Path(os.environ.get(CACHE_DIR_ENV) or DEFAULT_CACHE_DIR).expanduser()
    return cache / f"{readable}-{digest}"


class RemoteOutput(LocalOutput):
    """An object-storage output: its working copy, kept in step with the bucket."""

    @classmethod
    @contextmanager
    def open(cls, location: str, wait_for_lock: float = 0.0) -> Iterator[RemoteOutput]:
        """The working copy of `location` for one run, first taking the remote's current
        version; on a clean exit, a version the run published is uploaded and then made
        current remotely; after an exception nothing is uploaded."""
        remote = _connect(location)
        folder = working_dir(location)
        with output_lock(folder, wait_for_lock) as stale:
            base = _sync_down(remote, folder)
            output = cls(folder, stale)
            yield output
            if output.current_version_name() != base:
                _publish_up(remote, folder, base)

    @classmethod
    @contextmanager
    def read(cls, location: str) -> Iterator[RemoteOutput]:
        """The working copy of `location` for readers, refreshed from the bucket unless a run
        on this machine is writing it (then its own current version, which is whole)."""
        remote = _connect(location)
        folder = working_dir(location)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            with output_lock(folder):
                _sync_down(remote, folder)
        except OutputLocked:
            pass
        yield cls(folder)


def _connect(output: str) -> _Remote:
    """The filesystem of `output`, checked to reach an existing bucket."""
    url, endpoint = _public_url(output), _endpoint(output)
    parts = urlsplit(output)
    query = dict(parse_qsl(parts.query))
    if parts.scheme == "s3" and endpoint and "endpoint_override" not in query:
        # Passed explicitly: not every pyarrow release reads the variables itself.
        query["endpoint_override"] = endpoint
    remote_uri = urlunsplit(parts._replace(query=urlencode(query)))
    endpoint = endpoint or "the default endpoint"
    with _one_line_errors(url, endpoint):
        try:
            filesystem, root = pafs.FileSystem.from_uri(remote_uri)
        except ValueError as error:  # pyarrow's ArrowInvalid: an unknown scheme or option
            raise ObjectStoreError(f"{url} is not a usable output URL: {error}") from None
        bucket = root.split("/")[0]
        if filesystem.get_file_info(bucket).type == pafs.FileType.NotFound:
            raise ObjectStoreError(f"bucket {bucket} does not exist at {endpoint}")
    root = root.rstrip("/")
    return _Remote(filesystem, root, f"{urlsplit(output).scheme}://{root}", endpoint)


def _public_url(output: str) -> str:
    """`output` without credentials (user info, secret query parameters) or a trailing slash."""
    parts = urlsplit(output)
    query = [(k, v) for k, v in parse_qsl(parts.query) if not SECRET_PARAMETER.search(k)]
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(
        parts._replace(netloc=host, path=parts.path.rstrip("/"), query=urlencode(query))
    )


def _endpoint(output: str) -> str:
    """The endpoint the URL or the environment names, or "" for the store's default one."""
    named = dict(parse_qsl(urlsplit(output).query)).get("endpoint_override")
    if named:
        return named
    if urlsplit(output).scheme != "s3":
        return ""
    return next((os.environ[name] for name in ENDPOINT_ENV if os.environ.get(name)), "")


@contextmanager
def _one_line_errors(url: str, endpoint: str) -> Iterator[None]:
    """The filesystem's errors (several lines of SDK detail) as one line saying what to fix."""
    try:
        yield
    except OSError as error:
        text = " ".join(str(error).split())
        if "NETWORK_CONNECTION" in text or "curlCode" in text:
            detail = text.rpartition("Details: ")[2] or text
            reason = f"cannot reach the object store at {endpoint}: {detail}"
        elif re.search(
            r"ACCESS_DENIED|AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|"
            r"credentials|security token|Forbidden",
            text,
        ):
            reason = (
                f"access denied to {url}: missing or wrong credentials (set AWS_ACCESS_KEY_ID "
                "and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)"
            )
        elif "NoSuchBucket" in text or "NO_SUCH_BUCKET" in text:
            reason = f"the bucket of {url} does not exist at {endpoint}"
        else:
            reason = f"{url}: {text}"
        raise ObjectStoreError(reason) from None


def _read_pointer(remote: _Remote) -> dict | None:
    """The remote pointer, or None before the first publish."""
    path = f"{remote.root}/{POINTER}"
    with _one_line_errors(remote.url, remote.endpoint):
        if remote.filesystem.get_file_info(path).type == pafs.FileType.NotFound:
            return None
        with remote.filesystem.open_input_stream(path) as stream:
            return json.loads(stream.read())


def _sync_down(remote: _Remote, folder: Path) -> str | None:
    """Make the working copy show the remote's current version; its name (None: no version)."""
    pointer = _read_pointer(remote)
    folder.mkdir(parents=True, exist_ok=True)
    if pointer is None:
        # Nothing published remotely: versions only this copy holds were never published.
        for entry in folder.iterdir():
            if entry.name == LOCK:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        return None
    name = pointer["version"]
    copy = LocalOutput(folder)
    if copy.current_version_name() == name:
        return name
    version = folder / VERSIONS / name
    if not version.is_dir():
        _download(remote, name, version)
    copy.adopt_version(version)
    return name


def _download(remote: _Remote, name: str, version: Path) -> None:
    """Copy a remote version into the working copy: into staging, then renamed into place."""
    partial = version.parent.parent / STAGING / f"download-{name}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    with _one_line_errors(remote.url, remote.endpoint):
        pafs.copy_files(
            f"{remote.root}/{VERSIONS}/{name}",
            str(partial),
            source_filesystem=remote.filesystem,
            destination_filesystem=pafs.LocalFileSystem(),
            use_threads=True,
        )
    version.parent.mkdir(exist_ok=True)
    partial.rename(version)


def _publish_up(remote: _Remote, folder: Path, base: str | None) -> None:
    """Upload the working copy's current version, then switch the remote pointer to it."""
    version = LocalOutput(folder).current.resolve()
    name = version.name
    target = f"{remote.root}/{VERSIONS}/{name}"
    files = sorted(
        p.relative_to(version).as_posix()
        for p in version.rglob("*")
        if p.is_file() and not p.is_symlink()
    )
    manifest = MANIFEST
    # Files hard-linked from the version the run started from are already in the bucket:
    # copied there server-side instead of uploaded again.
    uploaded = _files_by_inode(folder / VERSIONS / base) if base else {}
    local = pafs.LocalFileSystem()

    def transfer(relative: str) -> None:
        path = version / relative
        stat = path.stat()
        earlier = uploaded.get((stat.st_dev, stat.st_ino))
        if earlier is not None:
            remote.filesystem.copy_file(
                f"{remote.root}/{VERSIONS}/{base}/{earlier}", f"{target}/{relative}"
            )
        else:
            pafs.copy_files(
                str(path),
                f"{target}/{relative}",
                source_filesystem=local,
                destination_filesystem=remote.filesystem,
            )

    with _one_line_errors(remote.url, remote.endpoint):
        with ThreadPoolExecutor(TRANSFER_THREADS) as pool:
            list(pool.map(transfer, [f for f in files if f != manifest]))
        if manifest in files:
            transfer(manifest)
        pointer = _read_pointer(remote)
        now_current = pointer["version"] if pointer else None
        if now_current != base:
            raise ObjectStoreError(
                f"another run published {now_current} to {remote.url} during this run; "
                "one writer at a time per output: run again to publish on top of it"
            )
        history = [base, *pointer["previous"]] if pointer else []
        new_pointer = {
            "version": name,
            "published_at": datetime.now(UTC).isoformat(),
            "previous": history[: KEEP_VERSIONS - 1],
        }
        _write_object(remote, POINTER, json.dumps(new_pointer, indent=2) + "\n")
        _write_object(remote, VIEWS, _remote_views(remote, name))
        _prune(remote, keep={name, *new_pointer["previous"]})


def _files_by_inode(version: Path) -> dict[tuple[int, int], str]:
    """The files of a local version by their (device, inode), to recognise hard links to them."""
    if not version.is_dir():
        return {}
    found = {}
    for path in version.rglob("*"):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            found[(stat.st_dev, stat.st_ino)] = path.relative_to(version).as_posix()
    return found


def _write_object(remote: _Remote, key: str, text: str) -> None:
    with remote.filesystem.open_output_stream(f"{remote.root}/{key}") as stream:
        stream.write(text.encode())


def _remote_views(remote: _Remote, name: str) -> str:
    return (
        "-- DuckDB reads these s3:// files through its httpfs extension (autoloaded) with S3\n"
        "-- credentials, e.g. CREATE SECRET (TYPE s3, PROVIDER credential_chain);\n"
        + views_sql(f"{remote.url}/{VERSIONS}/{name}")
    )


def _prune(remote: _Remote, keep: set[str]) -> None:
    """Remove remote versions beyond the kept ones, and folders of runs killed mid-upload."""
    selector = pafs.FileSelector(f"{remote.root}/{VERSIONS}", allow_not_found=True)
    for info in remote.filesystem.get_file_info(selector):
        if info.type == pafs.FileType.Directory and info.base_name not in keep:
            remote.filesystem.delete_dir(info.path)
