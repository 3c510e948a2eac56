"""The output store: where a run reads what is published and publishes what it made.

An output is opened once per run, from a folder or an object-storage URL, and owns the lock,
the working copy, staging, publishing, failed runs and reading the published version; local
and object storage are two implementations of it (local.py, remote.py), as Dagster's IO
managers are, so the flow and the command line never handle paths or URLs themselves.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from tasks.store.local import LocalOutput, OutputLocked
from tasks.store.remote import ObjectStoreError, RemoteOutput, is_remote
from tasks.store.staging import Staging

__all__ = [
    "LocalOutput",
    "ObjectStoreError",
    "OutputLocked",
    "Staging",
    "open_output",
    "read_output",
]


def open_output(location: str, wait_for_lock: float = 0.0) -> AbstractContextManager[LocalOutput]:
    """The output at `location` for one run (holding its lock throughout)."""
    return _kind(location).open(location, wait_for_lock)


def read_output(location: str) -> AbstractContextManager[LocalOutput]:
    """The output at `location` for readers."""
    return _kind(location).read(location)


def _kind(location: str) -> type[LocalOutput]:
    return RemoteOutput if is_remote(location) else LocalOutput
