"""Normalize, the corpus-wide half: what needs every article of the version (canonical names,
duplicates, stories, event and statement clusters), decided from compact summaries of the run's
batches and of the published version, then applied to each batch's rows by
`CorpusDecisions.finalize`.

It is separate from normalize_batch because it is the one step that sees the whole corpus:
the per-batch half runs in the workers as batches finish; this half runs once, after the last
batch, over summaries small enough to hold whatever the corpus size.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.dataset as ds

from schemas.tables import ARTICLES, ENTITIES, EVENTS, QUOTES
from tasks.normalize import (
    canonical_names,
    canonical_places,
    entity_names,
    entity_places,
    finalize,
    relate,
    story_entity_rows,
)
from tasks.normalize.clusters import (
    EVENT_COLUMNS,
    QUOTE_COLUMNS,
    Article,
    event_clusters,
    quote_clusters,
)
from tasks.normalize.duplicates import FEATURES_SCHEMA, article_features
from tasks.normalize.entities import NameForms
from tasks.normalize.places import Place

# What relating and clustering need of the published articles.
ARTICLE_COLUMNS = ["article_id", "duplicate_of", "story_id", "published_date"]
ENTITY_COLUMNS = ["article_id", "entity_id", "canonical_name", "entity_type"]
# What keeping a published entity's place needs of it.
PLACE_COLUMNS = ["entity_id", "geonames_id", "latitude", "longitude", "country_code"]
FEATURE_SOURCE_COLUMNS = ["article_id", "source_uri", "published_date", "body"]
# What the decisions read of the run's new rows, by table.
NEW_COLUMNS = {
    ARTICLES.name: ["article_id", "published_date"],
    ENTITIES.name: ENTITY_COLUMNS,
    EVENTS.name: EVENT_COLUMNS,
    QUOTES.name: QUOTE_COLUMNS,
}


@dataclass(frozen=True)
class PublishedSummary:
    """What the corpus-wide decisions need of the published version."""

    articles: pa.Table  # ARTICLE_COLUMNS
    entities: pa.Table  # ENTITY_COLUMNS
    places: pa.Table  # PLACE_COLUMNS of the published entity rows that have a place
    features: pa.Table  # the relate features of every published article (FEATURES_SCHEMA)
    events: ds.Dataset  # unread: only the stories new articles join are read
    quotes: ds.Dataset


@dataclass(frozen=True)
class CorpusDecisions:
    names: dict[str, str]  # entity_id -> canonical name
    relations: dict[str, tuple[str | None, str]]  # new article_id -> (duplicate_of, story_id)
    places: dict[str, Place]  # entity_id -> its one place
    clusters: dict[str, str]  # new event_id -> event_cluster_id, quote_id -> quote_cluster_id

    @property
    def touched_stories(self) -> set[str]:
        """The stories the run's new articles are in (new ones, or published ones they join)."""
        return {story for _duplicate, story in self.relations.values()}

    def finalize(self, name: str, rows: pa.Table) -> pa.Table:
        """A batch's rows of table `name` with their final names, places, relations and
        clusters."""
        return finalize(name, rows, self.names, self.relations, self.places, self.clusters)


def decide(
    forms: NameForms,
    features: pa.Table,
    new: Mapping[str, pa.Table],
    published: PublishedSummary | None,
) -> CorpusDecisions:
    """The canonical names of the run's entities, the duplicate_of and story_id of its
    articles and the clusters of its events and quotes, from their name forms, relate
    features and the new rows' NEW_COLUMNS."""
    entities = new[ENTITIES.name]
    story_entities = [story_entity_rows(entities)]
    published_articles, published_names, published_places = None, {}, {}
    if published is not None:
        published_articles = published.articles
        published_names = entity_names(published.entities)
        published_places = entity_places(published.places)
        story_entities.append(story_entity_rows(published.entities))
        features = pa.concat_tables([published.features, features])
    names = canonical_names(forms, published_names)
    relations = relate(
        features,
        published_articles,
        pa.concat_tables(story_entities),
        ChainMap(names, published_names),
    )
    clusters = cluster_rows(new, relations, published)
    return CorpusDecisions(
        names,
        relations,
        canonical_places(forms, published_places),
        clusters,
    )


def cluster_rows(
    new: Mapping[str, pa.Table],
    relations: Mapping[str, tuple[str | None, str]],
    published: PublishedSummary | None,
) -> dict[str, str]:
    """The event and statement clusters of the new rows, read against the published rows of
    the stories they are in only."""
    new_articles = new[ARTICLES.name]
    articles = {
        identifier: Article(relations[identifier][1], day)
        for identifier, day in zip(
            *(new_articles.column(c).to_pylist() for c in ("article_id", "published_date")),
            strict=True,
        )
    }
    entity_tables = [new[ENTITIES.name]]
    published_events = pa.table({c: [] for c in [*EVENT_COLUMNS, "event_cluster_id"]})
    published_quotes = pa.table({c: [] for c in [*QUOTE_COLUMNS, "quote_cluster_id"]})
    if published is not None:
        touched = pa.array(sorted({story for _d, story in relations.values()}), pa.string())
        joined = published.articles.filter(ds.field("story_id").isin(touched))
        for identifier, story, day in zip(
            *(joined.column(c).to_pylist() for c in ("article_id", "story_id", "published_date")),
            strict=True,
        ):
            articles[identifier] = Article(story, day)
        in_touched = ds.field("article_id").isin(joined.column("article_id").combine_chunks())
        published_events = published.events.to_table(
            columns=[*EVENT_COLUMNS, "event_cluster_id"], filter=in_touched
        )
        published_quotes = published.quotes.to_table(
            columns=[*QUOTE_COLUMNS, "quote_cluster_id"], filter=in_touched
        )
        entity_tables.append(published.entities)
    entity_types = _entity_types(entity_tables)
    return event_clusters(
        new[EVENTS.name], published_events, articles, entity_types
    ) | quote_clusters(new[QUOTES.name], published_quotes, articles)


def _entity_types(entities: list[pa.Table]) -> dict[str, str]:
    pairs = pa.concat_tables([e.select(["entity_id", "entity_type"]) for e in entities])
    pairs = pairs.group_by(["entity_id", "entity_type"]).aggregate([])
    return dict(zip(*(pairs.column(c).to_pylist() for c in pairs.column_names), strict=True))


def features_of(articles: Iterable[pa.Table]) -> pa.Table:
    """The relate features of articles (FEATURE_SOURCE_COLUMNS) read a batch at a time: for a
    version published before the features were kept with it."""
    return pa.concat_tables(
        [FEATURES_SCHEMA.empty_table(), *(article_features(rows) for rows in articles)]
    )
