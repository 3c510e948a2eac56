"""Normalize, the corpus-wide half: what needs every article of the version (canonical names,
duplicates, stories), decided from compact summaries of the run's batches and of the published
version, then applied to each batch's rows by `CorpusDecisions.finalize`.

It is separate from normalize_batch because it is the one step that sees the whole corpus:
the per-batch half runs in the workers as batches finish; this half runs once, after the last
batch, over summaries small enough to hold whatever the corpus size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa

from tasks.normalize import (
    canonical_names,
    canonical_places,
    entity_names,
    entity_places,
    finalize,
    relate,
    story_entity_rows,
)
from tasks.normalize.duplicates import FEATURES_SCHEMA, article_features
from tasks.normalize.entities import NameForms
from tasks.normalize.places import Place

ARTICLE_COLUMNS = ["article_id", "duplicate_of", "story_id"]  # what relating needs of them
ENTITY_COLUMNS = ["article_id", "entity_id", "canonical_name", "entity_type"]
# What keeping a published entity's place needs of it.
PLACE_COLUMNS = ["entity_id", "geonames_id", "latitude", "longitude", "country_code"]
FEATURE_SOURCE_COLUMNS = ["article_id", "source_uri", "published_date", "body"]


@dataclass(frozen=True)
class PublishedSummary:
    """What the corpus-wide decisions need of the published version."""

    articles: pa.Table  # ARTICLE_COLUMNS
    entities: pa.Table  # ENTITY_COLUMNS
    places: pa.Table  # PLACE_COLUMNS of the published entity rows that have a place
    features: pa.Table  # the relate features of every published article (FEATURES_SCHEMA)


@dataclass(frozen=True)
class CorpusDecisions:
    names: dict[str, str]  # entity_id -> canonical name
    relations: dict[str, tuple[str | None, str]]  # new article_id -> (duplicate_of, story_id)
    places: dict[str, Place]  # entity_id -> its one place

    def finalize(self, name: str, rows: pa.Table) -> pa.Table:
        """A batch's rows of table `name` with their final names, places and relations."""
        return finalize(name, rows, self.names, self.relations, self.places)


def decide(
    forms: NameForms,
    features: pa.Table,
    entities: pa.Table,
    published: PublishedSummary | None,
) -> CorpusDecisions:
    """The canonical names of the run's entities and the duplicate_of and story_id of its
    articles, from their name forms, relate features and entity columns (ENTITY_COLUMNS)."""
    story_entities = [story_entity_rows(entities)]
    published_articles, published_names, published_places = None, {}, {}
    if published is not None:
        published_articles = published.articles
        published_names = entity_names(published.entities)
        published_places = entity_places(published.places)
        story_entities.append(story_entity_rows(published.entities))
        features = pa.concat_tables([published.features, features])
    relations = relate(features, published_articles, pa.concat_tables(story_entities))
    return CorpusDecisions(
        canonical_names(forms, published_names),
        relations,
        canonical_places(forms, published_places),
    )


def features_of(articles: Iterable[pa.Table]) -> pa.Table:
    """The relate features of articles (FEATURE_SOURCE_COLUMNS) read a batch at a time: for a
    version published before the features were kept with it."""
    return pa.concat_tables(
        [FEATURES_SCHEMA.empty_table(), *(article_features(rows) for rows in articles)]
    )
