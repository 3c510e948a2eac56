"""Progress of the clean-extract batches: a bar on a terminal, log lines otherwise."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class BatchProgress:
    """Progress of the clean-extract batches as they complete: a bar on a terminal console,
    else one log line per batch ("batch 3/12 done: 200 articles (...)")."""

    def __init__(
        self,
        batch_sizes: list[int],
        logger: logging.Logger | logging.LoggerAdapter,
        console: Console | None = None,
    ) -> None:
        self.batch_sizes = batch_sizes
        self.logger = logger
        self.batches_done = 0
        self.articles_done = 0
        self.bar = None
        if console is not None:
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("articles, {task.fields[batches]} batches"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=console,
            )
            self.bar_task = self.bar.add_task(
                "clean + extract", total=sum(batch_sizes), batches=f"0/{len(batch_sizes)}"
            )

    def __enter__(self) -> BatchProgress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def split(self, index: int, sizes: list[int]) -> None:
        """Batch `index` failed and its articles are tried again as new batches of `sizes`."""
        self.logger.warning(
            "batch %d/%d failed: its %d articles are tried again in %d batches",
            index + 1,
            len(self.batch_sizes),
            self.batch_sizes[index],
            len(sizes),
        )
        self.batch_sizes[index] = 0
        self.batches_done += 1
        self.batch_sizes.extend(sizes)
        if self.bar is not None:
            batches = f"{self.batches_done}/{len(self.batch_sizes)}"
            self.bar.update(self.bar_task, batches=batches)

    def update(self, index: int, failed: bool = False) -> None:
        """Batch `index` (0-based, in submission order) has finished, or failed."""
        size = self.batch_sizes[index]
        self.batches_done += 1
        self.articles_done += size
        batches = f"{self.batches_done}/{len(self.batch_sizes)}"
        if self.bar is not None:
            self.bar.update(self.bar_task, advance=size, batches=batches)
        # A failed batch is worth a warning even under the bar.
        if self.bar is None or failed:
            self.logger.log(
                logging.WARNING if failed else logging.INFO,
                "batch %d/%d %s: %d articles (%s batches, %d/%d articles)",
                index + 1,
                len(self.batch_sizes),
                "failed, quarantined" if failed else "done",
                size,
                batches,
                self.articles_done,
                sum(self.batch_sizes),
            )
