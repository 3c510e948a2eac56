"""The stories table: one row per story, summarised from the version's rows of its articles.

A version carries the published rows of the stories its run did not touch and summarises again
the stories its new articles are in (a new article joining a published story changes that
story's row); the table is small, so each version writes it whole. The summary is one DuckDB
query over the stories' rows only, so its cost grows with the run, not with the corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyarrow as pa
import pyarrow.dataset as ds

from schemas.tables import STORIES
from schemas.views import outlet_sql
from tasks.duckdb_memory import bounded_connection
from tasks.normalize import STORY_ENTITY_TYPES

TOP = 5  # entities and speakers a story row lists

_ENTITY_TYPES = ", ".join(f"'{t}'" for t in sorted(STORY_ENTITY_TYPES))


def _top_list(
    name: str, table: str, key: str, label: str, where: str, order: str, columns: tuple
) -> str:
    """SQL: CTE `name`, the TOP values of `key` (and their `label`) per story by `order`."""
    ids, labels = columns
    return f"""{name}_ranked AS (
    SELECT story_id, {key}, {label},
        row_number() OVER (PARTITION BY story_id ORDER BY {order}, {key}) AS place
    FROM {table} JOIN a USING (article_id) WHERE {where}
    GROUP BY story_id, {key}, {label}
), {name} AS (
    SELECT story_id, list({key} ORDER BY place) AS {ids}, list({label} ORDER BY place) AS {labels}
    FROM {name}_ranked WHERE place <= {TOP} GROUP BY story_id
)"""


_SUMMARY = f"""
WITH a AS (
    SELECT article_id, story_id, title, duplicate_of, published_date, source_name, language,
        {outlet_sql("articles")} AS outlet
    FROM articles WHERE story_id IN (SELECT story_id FROM touched)
), story AS (
    SELECT story_id,
        first(title ORDER BY duplicate_of IS NOT NULL, published_date NULLS LAST, article_id)
            FILTER (WHERE title IS NOT NULL) AS headline,
        min(published_date) AS first_published,
        max(published_date) AS last_published,
        count(*) AS article_count,
        count(DISTINCT outlet) AS source_count,
        coalesce(list(DISTINCT source_name ORDER BY source_name)
            FILTER (WHERE source_name IS NOT NULL), []) AS source_names,
        list(DISTINCT language ORDER BY language) AS languages
    FROM a GROUP BY story_id
), {
    _top_list(
        "cast_list",
        "entities",
        "entity_id",
        "canonical_name",
        f"entity_type IN ({_ENTITY_TYPES})",
        "count(DISTINCT article_id) DESC, count(*) DESC",
        ("top_entity_ids", "top_entity_names"),
    )
}
, {
    _top_list(
        "speaker_list",
        "quotes",
        "speaker_entity_id",
        "speaker_name",
        "speaker_entity_id IS NOT NULL",
        "count(DISTINCT quote_cluster_id) DESC, count(*) DESC",
        ("speaker_entity_ids", "speaker_names"),
    )
}
, statements AS (
    SELECT story_id, count(*) AS quote_count,
        count(DISTINCT quote_cluster_id) AS statement_count
    FROM quotes JOIN a USING (article_id) GROUP BY story_id
), by_type AS (
    SELECT story_id, event_type, count(*) AS mentions,
        count(DISTINCT event_cluster_id) AS events
    FROM events JOIN a USING (article_id) GROUP BY story_id, event_type
), event_summary AS (
    SELECT story_id, sum(mentions) AS event_mention_count, sum(events) AS event_count,
        map_from_entries(list(struct_pack(k := event_type, v := events) ORDER BY event_type))
            AS event_counts
    FROM by_type GROUP BY story_id
)
SELECT story.story_id, headline, first_published, last_published, article_count,
    source_count, source_names, languages,
    coalesce(top_entity_ids, []) AS top_entity_ids,
    coalesce(top_entity_names, []) AS top_entity_names,
    coalesce(speaker_entity_ids, []) AS speaker_entity_ids,
    coalesce(speaker_names, []) AS speaker_names,
    coalesce(quote_count, 0) AS quote_count,
    coalesce(statement_count, 0) AS statement_count,
    coalesce(event_mention_count, 0) AS event_mention_count,
    coalesce(event_count, 0) AS event_count,
    coalesce(event_counts, MAP {{}}::MAP(VARCHAR, INTEGER)) AS event_counts
FROM story
LEFT JOIN cast_list USING (story_id)
LEFT JOIN speaker_list USING (story_id)
LEFT JOIN statements USING (story_id)
LEFT JOIN event_summary USING (story_id)
ORDER BY story.story_id
"""


def story_rows(tables: Mapping[str, ds.Dataset], stories: Iterable[str]) -> pa.Table:
    """The stories rows of `stories`, from the version's articles, entities, quotes and events
    (a story none of whose articles is left has no row)."""
    touched = pa.table({"story_id": pa.array(sorted(stories), pa.string())})
    with bounded_connection() as connection:
        for name in ("articles", "entities", "quotes", "events"):
            connection.register(name, tables[name])
        connection.register("touched", touched)
        rows = connection.sql(_SUMMARY).to_arrow_table()
    return rows.cast(STORIES.arrow_schema)


def updated_stories(
    previous: ds.Dataset, tables: Mapping[str, ds.Dataset], touched: set[str] | None
) -> pa.Table:
    """The stories table of a version: the `previous` rows of the stories the run did not
    touch, and the `touched` stories summarised again (every story when `touched` is None)."""
    if touched is None:
        articles = tables["articles"].to_table(columns=["story_id"])
        touched = set(articles.column(0).to_pylist())
    summarised = pa.array(sorted(touched), pa.string())
    kept = previous.to_table(filter=~ds.field("story_id").isin(summarised))
    return STORIES.in_key_order(pa.concat_tables([kept, story_rows(tables, touched)]))
