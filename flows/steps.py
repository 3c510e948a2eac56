"""The steps as Prefect tasks: thin wrappers, in an importable module so that worker processes
(a process pool or a Dask cluster) can load them by name."""

from __future__ import annotations

from dataclasses import dataclass

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks import publish
from tasks.clean import clean
from tasks.extract import Extraction, extract
from tasks.ingest import read_inputs
from tasks.normalize import normalize
from tasks.records import Article, Quarantined, RawDocument
from tasks.validate import validate


@dataclass(frozen=True)
class BatchResult:
    articles: list[Article]
    extractions: list[Extraction]
    quarantined: list[Quarantined]


def clean_and_extract(documents: list[RawDocument], nlp_batch_size: int) -> BatchResult:
    """One batch through the per-article steps: clean, then the NLP pass and the extractors."""
    articles, rejected = clean(documents)
    extractions, failed = extract(articles, batch_size=nlp_batch_size)
    extracted = {e.article_id for e in extractions}
    return BatchResult(
        [a for a in articles if a.article_id in extracted], extractions, rejected + failed
    )


def warm_up_worker() -> None:
    """Load the spaCy model when a worker process starts, while the flow is still ingesting."""
    from tasks.nlp import load_nlp

    load_nlp()


# Steps pass large in-memory data that changes every run: hashing it for Prefect's cache would
# cost more than the steps themselves, so no task caches. Only reading input (I/O) retries.
ingest_task = task(
    read_inputs, name="ingest", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE
)
batch_task = task(clean_and_extract, name="clean-extract", retries=1, cache_policy=NO_CACHE)
normalize_task = task(normalize, name="normalize", cache_policy=NO_CACHE)
validate_task = task(validate, name="validate", cache_policy=NO_CACHE)
read_published_task = task(publish.read_published, name="read-published", cache_policy=NO_CACHE)
publish_task = task(publish.publish, name="publish", cache_policy=NO_CACHE)
