"""The steps as Prefect tasks: thin wrappers, in an importable module so that worker processes
(a process pool or a Dask cluster) can load them by name."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
from prefect import task
from prefect.cache_policies import NO_CACHE

from schemas.tables import ARTICLES
from tasks import publish
from tasks.clean import clean
from tasks.extract import extract
from tasks.ingest import read_inputs
from tasks.normalize import normalize_batch
from tasks.normalize.duplicates import article_features
from tasks.normalize.entities import NameForms
from tasks.records import Quarantined, RawDocument, RunInfo
from tasks.report import draw_plots
from tasks.validate import validate


@dataclass(frozen=True)
class BatchResult:
    tables: dict[str, pa.Table]  # the batch's rows (see tasks.normalize.NormalizedBatch)
    name_forms: NameForms
    features: pa.Table  # what relating its articles to others needs (article_features)
    quarantined: list[Quarantined]


def process_batch(documents: list[RawDocument], nlp_batch_size: int, run: RunInfo) -> BatchResult:
    """One batch through the per-article steps: clean, the NLP pass and the extractors, the
    rows of its articles and their relate features (returned as Arrow tables: compact to send
    and to hold)."""
    articles, rejected = clean(documents)
    extractions, failed = extract(articles, batch_size=nlp_batch_size)
    extracted = {e.article_id for e in extractions}
    batch = normalize_batch([a for a in articles if a.article_id in extracted], extractions, run)
    features = article_features(batch.tables[ARTICLES.name])
    return BatchResult(batch.tables, batch.name_forms, features, rejected + failed)


# Steps pass large in-memory data that changes every run: hashing it for Prefect's cache would
# cost more than the steps themselves, so no task caches. Only reading input (I/O) retries.
ingest_task = task(
    read_inputs, name="ingest", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE
)
batch_task = task(process_batch, name="clean-extract", retries=1, cache_policy=NO_CACHE)
validate_task = task(validate, name="validate", cache_policy=NO_CACHE)
publish_task = task(publish.publish, name="publish", cache_policy=NO_CACHE)
plots_task = task(draw_plots, name="draw-plots", cache_policy=NO_CACHE)
