"""DuckDB views over the published tables, documented with the column descriptions of schemas/,
and the derived views declared here (event_clusters, quote_clusters: one row per real event and
per statement, computed from the tables' cluster ids when read, so never stale).

Paths: `views_sql(".")` gives relative paths (`articles/*.parquet`) for the `views.sql` file,
which works when run from the output directory (`cd output && duckdb -init views.sql`);
`views_sql(str(output_dir.resolve()))` gives absolute paths for `newsflow.duckdb`, which then
works when opened from anywhere. Both read `<dir>/<table>/*.parquet`, i.e. through the output's
stable `<table>` links, so they always show the current version. DuckDB binds a view when it is
created: `write_duckdb` must run after the tables exist at those paths.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from schemas.tables import TABLES

# The oldest DuckDB release that must be able to open newsflow.duckdb (DuckDB 1.4 LTS).
STORAGE_VERSION = "v1.4.0"


@dataclass(frozen=True)
class DerivedView:
    """A view over the published tables' views (named as the tables), documented like them."""

    name: str
    description: str
    sql: str  # a SELECT over the tables' views, giving `columns` in order
    columns: tuple[tuple[str, str], ...]  # (name, description)


def outlet_sql(articles: str) -> str:
    """SQL naming an article's outlet (`articles` is the articles' alias): its source_name, else
    the host of a URL source, else its source (a file or record, an outlet of its own)."""
    host = rf"regexp_extract({articles}.source_uri, '://(?:www\.)?([^/#?]+)', 1)"
    return f"coalesce({articles}.source_name, nullif({host}, ''), {articles}.source_uri)"


OUTLET_DESCRIPTION = (
    "source_name, else the host of a URL source, else the source itself, so two unnamed "
    "files count as two outlets"
)
_OUTLET = outlet_sql("a")
_CORPUS_ORDER = "a.published_date NULLS LAST, a.article_id"
_REPORTED = (
    ("articles", "distinct articles that report it"),
    ("sources", f"distinct outlets that report it ({OUTLET_DESCRIPTION})"),
    ("first_article_id", "the article that reported it first (earliest published_date, then id)"),
    ("first_published", "publication date of the earliest dated article that reports it"),
)


def _reported(rows: str) -> str:
    """SQL: the _REPORTED columns of a cluster of `rows` (an alias), joined to articles `a`."""
    return (
        f"count(DISTINCT {rows}.article_id) AS articles, count(DISTINCT {_OUTLET}) AS sources, "
        f"first({rows}.article_id ORDER BY {_CORPUS_ORDER}) AS first_article_id, "
        "min(a.published_date) AS first_published"
    )


EVENT_CLUSTERS = DerivedView(
    name="event_clusters",
    description="One row per real event: the event mentions sharing an event_cluster_id, "
    "counted once (mentions, articles and distinct outlets, like GDELT's NumMentions, "
    "NumArticles and NumSources, deduplicated).",
    sql=f"""SELECT v.event_cluster_id, any_value(a.story_id) AS story_id,
    any_value(v.event_type) AS event_type,
    first(v.trigger_text ORDER BY {_CORPUS_ORDER}, v.trigger_start) AS trigger_text,
    first(v.actor_text ORDER BY v.actor_text IS NULL, {_CORPUS_ORDER}) AS actor_text,
    first(v.actor_entity_id ORDER BY v.actor_entity_id IS NULL, {_CORPUS_ORDER})
        AS actor_entity_id,
    first(v.actor_country ORDER BY v.actor_country IS NULL, {_CORPUS_ORDER}) AS actor_country,
    first(v.target_text ORDER BY v.target_text IS NULL, {_CORPUS_ORDER}) AS target_text,
    first(v.target_entity_id ORDER BY v.target_entity_id IS NULL, {_CORPUS_ORDER})
        AS target_entity_id,
    first(v.target_country ORDER BY v.target_country IS NULL, {_CORPUS_ORDER})
        AS target_country,
    min(v.event_date) AS event_date, bool_or(v.negated) AS negated,
    count(*) AS mentions, {_reported("v")}
FROM events v JOIN articles a ON a.article_id = v.article_id
GROUP BY v.event_cluster_id""",
    columns=(
        ("event_cluster_id", "the real event (-> events.event_cluster_id)"),
        ("story_id", "the story it belongs to (-> stories.story_id)"),
        ("event_type", "PLOVER top-level event type"),
        ("trigger_text", "the words of its first mention"),
        ("actor_text", "who acts, as its first mention naming one writes it"),
        ("actor_entity_id", "canonical entity of the actor, from its first mention linking one"),
        ("actor_country", "ISO 3166-1 alpha-3 code of the actor's country"),
        ("target_text", "who is acted on, as its first mention naming one writes it"),
        ("target_entity_id", "canonical entity of the target, from its first mention linking one"),
        ("target_country", "ISO 3166-1 alpha-3 code of the target's country"),
        ("event_date", "earliest resolved date of its mentions; null when none is dated"),
        ("negated", "true when its mentions say it did not happen"),
        ("mentions", "event rows that mention it"),
        *_REPORTED,
    ),
)
QUOTE_CLUSTERS = DerivedView(
    name="quote_clusters",
    description="One row per statement: the quotes sharing a quote_cluster_id (the same "
    "speaker's near-identical words, repeated by several articles), counted once.",
    sql=f"""SELECT q.quote_cluster_id, any_value(a.story_id) AS story_id,
    first(q.quote_text ORDER BY {_CORPUS_ORDER}, q.start_char) AS quote_text,
    first(q.speaker_entity_id ORDER BY q.speaker_entity_id IS NULL, {_CORPUS_ORDER})
        AS speaker_entity_id,
    first(q.speaker_name ORDER BY q.speaker_name IS NULL, {_CORPUS_ORDER}) AS speaker_name,
    first(q.speaker_text ORDER BY q.speaker_text IS NULL, {_CORPUS_ORDER}) AS speaker_text,
    count(*) AS quotes, {_reported("q")}
FROM quotes q JOIN articles a ON a.article_id = q.article_id
GROUP BY q.quote_cluster_id""",
    columns=(
        ("quote_cluster_id", "the statement (-> quotes.quote_cluster_id)"),
        ("story_id", "the story it belongs to (-> stories.story_id)"),
        ("quote_text", "its words as the first article that reports it gives them"),
        ("speaker_entity_id", "canonical entity of the speaker, where a quote resolved one"),
        ("speaker_name", "canonical name of that speaker"),
        ("speaker_text", "the speaker as the first article naming one writes it"),
        ("quotes", "quote rows that report it"),
        *_REPORTED,
    ),
)
DERIVED_VIEWS = (EVENT_CLUSTERS, QUOTE_CLUSTERS)


def views_sql(tables_dir: str) -> str:
    """SQL creating one view per published table, with a COMMENT ON every view and column."""
    relative = tables_dir in ("", ".")
    statements = [
        "-- newsflow: one view per published table; comments come from schemas/tables.py.",
        "-- Paths are relative: run it from the output directory (duckdb -init views.sql)."
        if relative
        else f"-- Tables read from {tables_dir}.",
    ]
    for table in TABLES.values():
        files = f"{table.name}/*.parquet"
        if not relative:
            files = f"{tables_dir.rstrip('/')}/{files}"
        view = _identifier(table.name)
        statements.append("")
        statements.append(
            f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM read_parquet({_literal(files)});"
        )
        statements.append(f"COMMENT ON VIEW {view} IS {_literal(table.description)};")
        for column in table.columns:
            target = f"{view}.{_identifier(column.name)}"
            statements.append(f"COMMENT ON COLUMN {target} IS {_literal(column.description)};")
    for derived in DERIVED_VIEWS:
        view = _identifier(derived.name)
        statements.append("")
        statements.append(f"CREATE OR REPLACE VIEW {view} AS\n{derived.sql};")
        statements.append(f"COMMENT ON VIEW {view} IS {_literal(derived.description)};")
        for name, description in derived.columns:
            target = f"{view}.{_identifier(name)}"
            statements.append(f"COMMENT ON COLUMN {target} IS {_literal(description)};")
    return "\n".join(statements) + "\n"


def write_duckdb(database_path: Path, sql: str) -> None:
    """Create (or replace) a DuckDB database file holding the views of `sql`, readable by 1.4+."""
    import duckdb

    database_path = Path(database_path)
    temporary = database_path.with_name(f".{database_path.name}.tmp")
    temporary.unlink(missing_ok=True)
    Path(f"{temporary}.wal").unlink(missing_ok=True)
    with duckdb.connect() as connection:
        connection.execute(
            f"ATTACH {_literal(str(temporary))} AS newsflow (STORAGE_VERSION '{STORAGE_VERSION}')"
        )
        connection.execute("USE newsflow")
        connection.execute(sql)
        connection.execute("CHECKPOINT newsflow")
        connection.execute("USE memory")
        connection.execute("DETACH newsflow")
    # Readers opening the file meanwhile see the old views or the new ones, never a partial file.
    os.replace(temporary, database_path)


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
