"""Outputs on object storage (`s3://bucket/prefix`): a local working copy that is published
to the bucket atomically. Local folders pass through unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def is_remote(output: str) -> bool:
    """Whether `output` names object storage rather than a local folder."""
    return "://" in output and not output.startswith("file://")


@contextmanager
def local_output(output: str, *, publish: bool = True) -> Iterator[Path]:
    """The local folder the pipeline works in for `output`.

    A local output is its own working folder. A remote output is mirrored: the folder holds
    the remote's current version, and on a clean exit a newly published version is uploaded
    and made current remotely in one atomic step (only when `publish`).
    """
    if not is_remote(output):
        yield Path(output.removeprefix("file://"))
        return
    raise NotImplementedError("object storage outputs are not wired yet")
