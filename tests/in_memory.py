"""The normalize step over articles held in memory, composed as the flow composes it over its
staged batches (tasks.normalize.normalize_batch, then the corpus-wide decisions): for tests
that check the rows of a few documents without running the flow."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.dataset as ds

from schemas.tables import ARTICLES, QUARANTINE, STORIES, TABLES
from tasks.extract import Extraction
from tasks.normalize import normalize_batch, quarantine_table
from tasks.normalize.corpus import NEW_COLUMNS, decide
from tasks.normalize.duplicates import article_features
from tasks.normalize.stories import story_rows
from tasks.records import Article, Quarantined, RunInfo


def normalize(
    articles: Sequence[Article],
    extractions: Sequence[Extraction],
    quarantined: Sequence[Quarantined],
    run: RunInfo,
) -> dict[str, pa.Table]:
    """The tables of one set of articles, in key order, as one run with nothing published."""
    batch = normalize_batch(articles, extractions, run)
    features = article_features(batch.tables[ARTICLES.name])
    new = {name: batch.tables[name].select(columns) for name, columns in NEW_COLUMNS.items()}
    decisions = decide(batch.name_forms, features, new, None)
    tables = {
        name: TABLES[name].in_key_order(decisions.finalize(name, rows))
        for name, rows in batch.tables.items()
    }
    stories = story_rows(
        {name: ds.dataset(rows) for name, rows in tables.items()}, decisions.touched_stories
    )
    return tables | {
        QUARANTINE.name: quarantine_table(quarantined, run),
        STORIES.name: stories,
    }
