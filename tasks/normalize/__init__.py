"""Normalize: ids, canonical entities, places, resolved speakers and actors, dates, duplicates,
stories, event and statement clusters (clusters.py) and the stories table (stories.py).

Turns the extractors' per-article rows into the published tables (Arrow, typed by
schemas/tables.py). Speaker, actor and target spans are linked to entities through the
mention their extractor resolved them to.

Works batch by batch, so memory does not grow with the corpus: normalize_batch turns one
batch into rows (in the batch's worker); what needs every article is decided afterwards from
small summaries (canonical_names from the name forms, relate from per-article features: the
corpus-wide half, corpus.py) and applied to each batch's rows by finalize.

Runs are incremental: published rows never change. Entity ids derive from the entity's
normalised name, a published entity keeps its canonical name, and a new article joins the
published story it relates to, so adding articles renumbers nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from schemas.tables import ARTICLES, ENTITIES, EVENTS, QUARANTINE, QUOTES
from tasks.extract import Extraction
from tasks.ids import child_id, cluster_id, sha256_hex
from tasks.normalize.clusters import EVENT_PREFIX, QUOTE_PREFIX
from tasks.normalize.dates import resolve_date
from tasks.normalize.duplicates import relate_features
from tasks.normalize.entities import EntityLink, NameForms, link_mentions
from tasks.normalize.places import (
    PLACE_LABELS,
    ArticlePlaces,
    Place,
    PlaceMention,
    article_places,
    location_place,
)
from tasks.records import Article, Quarantined, RunInfo
from tasks.words import word_count

if TYPE_CHECKING:  # the extractors import spaCy, which the flow's process need not load
    from tasks.extract.entities import Mention

# Entity types that make two articles' casts comparable for story grouping.
STORY_ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})


@dataclass(frozen=True)
class _LinkedMention:
    start: int
    end: int
    link: EntityLink


class _UniqueIds:
    """Row ids from article and span; a second row on the same span (one statement credited
    to two sources, two events on one trigger) gets a deterministic ordinal suffix."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def __call__(self, article_id: str, kind: str, start: int, end: int) -> str:
        base = candidate = child_id(article_id, kind, start, end)
        ordinal = 1
        while candidate in self._seen:
            ordinal += 1
            candidate = f"{base}.{ordinal}"
        self._seen.add(candidate)
        return candidate


class _ArticleMentions:
    """An article's linked mentions, looked up by the span an extractor resolved to, and its
    place mentions with their places."""

    def __init__(
        self,
        mentions: list[_LinkedMention],
        places: list[PlaceMention] | None = None,
        placed: ArticlePlaces | None = None,
    ):
        self._by_span = {(m.start, m.end): m for m in mentions}
        self._mentions = mentions
        self.places = places or []
        self.placed = placed or ArticlePlaces(frozenset(), [], [])

    def at(self, start: int | None, end: int | None) -> _LinkedMention | None:
        """The mention with exactly this span, else the longest one inside it."""
        if start is None or end is None:
            return None
        exact = self._by_span.get((start, end))
        if exact is not None:
            return exact
        inside = [m for m in self._mentions if start <= m.start and m.end <= end]
        return max(inside, key=lambda m: (m.end - m.start, -m.start), default=None)


@dataclass(frozen=True)
class NormalizedBatch:
    """A batch's rows, ready but for what needs every article: canonical names (provisional,
    from this batch's forms), duplicate_of and story_id (each article its own story), and the
    event and statement clusters (each row its own)."""

    tables: dict[str, pa.Table]  # articles, entities, quotes, events
    name_forms: NameForms


def normalize_batch(
    articles: Sequence[Article], extractions: Sequence[Extraction], run: RunInfo
) -> NormalizedBatch:
    """The rows of a batch of articles: ids, entities linked within each article, speakers and
    actors resolved to entities, event dates."""
    by_article = {e.article_id: e for e in extractions}
    pairs = [(e.article_id, m) for e in extractions for m in e.mentions]
    links, forms = link_mentions(pairs, {a.article_id: a.body for a in articles})
    place_mentions, placed = place_articles(articles, pairs, links)
    place_of = {
        (article_id, m.start, m.end): (place, country)
        for article_id, article in placed.items()
        for m, place, country in zip(
            place_mentions[article_id], article.places, article.countries, strict=True
        )
    }

    new_id = _UniqueIds()
    entity_rows: list[dict] = []
    linked: dict[str, list[_LinkedMention]] = {a.article_id: [] for a in articles}
    for (article_id, mention), link in zip(pairs, links, strict=True):
        mention_id = new_id(article_id, "m", mention.start_char, mention.end_char)
        linked[article_id].append(_LinkedMention(mention.start_char, mention.end_char, link))
        placed_mention = place_of.get((article_id, mention.start_char, mention.end_char))
        place, country = placed_mention or (None, link.country_code)
        forms.add_place(link.entity_id, place)
        entity_rows.append(
            {
                "mention_id": mention_id,
                "article_id": article_id,
                "text": mention.text,
                "label": mention.label,
                "start_char": mention.start_char,
                "end_char": mention.end_char,
                "sentence_index": mention.sentence_index,
                "entity_id": link.entity_id,
                "canonical_name": link.canonical_name,
                "entity_type": link.entity_type,
                "country_code": country,
                **_place_columns("", place),
            }
        )

    quote_rows: list[dict] = []
    event_rows: list[dict] = []
    for article in articles:
        extraction = by_article.get(article.article_id)
        if extraction is None:
            continue
        mentions = _ArticleMentions(
            linked[article.article_id],
            place_mentions[article.article_id],
            placed[article.article_id],
        )
        quote_rows.extend(_quote_rows(article, extraction, mentions, new_id))
        event_rows.extend(_event_rows(article, extraction, mentions, new_id))
    article_rows = [_article_row(a, None, _own_story(a.article_id), run) for a in articles]
    tables = {
        ARTICLES.name: ARTICLES.rows_table(article_rows),
        ENTITIES.name: ENTITIES.rows_table(entity_rows),
        QUOTES.name: QUOTES.rows_table(quote_rows),
        EVENTS.name: EVENTS.rows_table(event_rows),
    }
    return NormalizedBatch(tables, forms)


def place_articles(
    articles: Sequence[Article],
    pairs: Sequence[tuple[str, Mention]],
    links: Sequence[EntityLink],
) -> tuple[dict[str, list[PlaceMention]], dict[str, ArticlePlaces]]:
    """Per article: its place mentions (GPE, LOC, FAC) and their places, read in its context."""
    place_mentions: dict[str, list[PlaceMention]] = {a.article_id: [] for a in articles}
    named_countries: dict[str, dict[str, set[str]]] = {a.article_id: {} for a in articles}
    for (article_id, mention), link in zip(pairs, links, strict=True):
        if link.country_code:
            named_countries[article_id].setdefault(link.entity_id, set()).add(link.country_code)
        if mention.label in PLACE_LABELS:
            place_mentions[article_id].append(
                PlaceMention(
                    link.entity_id,
                    mention.text,
                    mention.label,
                    mention.start_char,
                    mention.end_char,
                )
            )
    placed = {
        a.article_id: article_places(
            place_mentions[a.article_id], a.body, a.dateline, named_countries[a.article_id]
        )
        for a in articles
    }
    return place_mentions, placed


def canonical_places(forms: NameForms, published: Mapping[str, Place]) -> dict[str, Place]:
    """The one place of every placed entity id in `forms`; a published entity keeps its place."""
    return forms.entity_places() | {
        identifier: place for identifier, place in published.items() if identifier in forms.forms
    }


def canonical_names(forms: NameForms, published: Mapping[str, str]) -> dict[str, str]:
    """The canonical name of every entity id in `forms`; a published entity keeps its name."""
    return {
        identifier: published.get(identifier) or name for identifier, name in forms.names().items()
    }


def relate(
    features: pa.Table,
    published_articles: pa.Table | None,
    story_entities: pa.Table,
    names: Mapping[str, str],
) -> dict[str, tuple[str | None, str]]:
    """article_id -> (duplicate_of, story_id) of each new article.

    `features` (duplicates.article_features) covers the new articles and the published ones;
    `published_articles` holds the published article_id, duplicate_of and story_id. Published
    articles keep what was published: a new article joins the published story it relates to,
    and a copy of a published duplicate points at that duplicate's original.
    `story_entities` holds (article_id, entity_id) pairs of the entities that make two
    articles' casts comparable, `names` their canonical names.
    """
    settled: dict[str, str] = {}
    published_original: dict[str, str | None] = {}
    if published_articles is not None:
        identifiers, stories, originals = (
            published_articles.column(name).to_pylist()
            for name in ("article_id", "story_id", "duplicate_of")
        )
        settled = dict(zip(identifiers, stories, strict=True))
        published_original = dict(zip(identifiers, originals, strict=True))
    duplicates, stories = relate_features(features, story_entities, settled, names)
    relations = {}
    for identifier in features.column("article_id").to_pylist():
        if identifier in settled:
            continue
        original = duplicates.get(identifier)
        relations[identifier] = (
            published_original.get(original) or original,
            stories[identifier],
        )
    return relations


def finalize(
    name: str,
    rows: pa.Table,
    names: Mapping[str, str],
    relations: Mapping[str, tuple[str | None, str]],
    places: Mapping[str, Place],
    clusters: Mapping[str, str],
) -> pa.Table:
    """A batch's rows of table `name` with their final canonical names, places, relations and
    event and statement clusters (`clusters`: event_id or quote_id -> its cluster id)."""
    if name == ENTITIES.name:
        rows = _replace(rows, "canonical_name", names.__getitem__, "entity_id")
        rows = _with_places(rows, places)
    elif name == QUOTES.name:
        rows = _replace(rows, "speaker_name", names.get, "speaker_entity_id")
        rows = _replace(rows, "quote_cluster_id", clusters.__getitem__, "quote_id")
    elif name == EVENTS.name:
        rows = _replace(rows, "event_cluster_id", clusters.__getitem__, "event_id")
    elif name == ARTICLES.name:
        rows = _replace(rows, "duplicate_of", lambda a: relations[a][0], "article_id")
        rows = _replace(rows, "story_id", lambda a: relations[a][1], "article_id")
    return rows


def quarantine_table(quarantined: Sequence[Quarantined], run: RunInfo) -> pa.Table:
    rows = [asdict(q) | {"run_id": run.run_id} for q in quarantined]
    return QUARANTINE.in_key_order(QUARANTINE.rows_table(rows))


def entity_names(entities: pa.Table) -> dict[str, str]:
    """entity_id -> canonical_name of published entity rows."""
    pairs = entities.group_by(["entity_id", "canonical_name"]).aggregate([])
    return dict(
        zip(pairs["entity_id"].to_pylist(), pairs["canonical_name"].to_pylist(), strict=True)
    )


def entity_places(entities: pa.Table) -> dict[str, Place]:
    """entity_id -> place of the published entity rows that have one."""
    placed = entities.filter(pc.is_valid(entities["geonames_id"]))
    columns = ["entity_id", "geonames_id", "latitude", "longitude", "country_code"]
    return {
        row["entity_id"]: Place(*(row[c] for c in columns[1:]))
        for row in placed.select(columns).to_pylist()
    }


def story_entity_rows(entities: pa.Table) -> pa.Table:
    """(article_id, entity_id) of the entities that make two articles' casts comparable. An
    entity whose name is all in lower case is left out: English writes names capitalised, so
    it is a common word or a unit the tagger took for a name ("cts" in a results table)."""
    wanted = pc.and_(
        pc.is_in(entities["entity_type"], pa.array(sorted(STORY_ENTITY_TYPES))),
        pc.match_substring_regex(entities["canonical_name"], r"\p{Lu}"),
    )
    return entities.filter(wanted).select(["article_id", "entity_id"])


def _own_story(article_id: str) -> str:
    return "s" + article_id[1:]


def _replace(rows: pa.Table, column: str, value_of, key: str) -> pa.Table:
    """`rows` with `column` set to value_of(key value) (null keys give null values)."""
    position = rows.schema.get_field_index(column)
    field = rows.schema.field(position)
    values = [None if k is None else value_of(k) for k in rows.column(key).to_pylist()]
    return rows.set_column(position, field, pa.array(values, field.type))


def _with_places(rows: pa.Table, places: Mapping[str, Place]) -> pa.Table:
    """Entity rows with the one place of their entity, where it has one."""
    identifiers = rows.column("entity_id").to_pylist()
    for column in ("geonames_id", "latitude", "longitude", "country_code"):
        position = rows.schema.get_field_index(column)
        field = rows.schema.field(position)
        values = [
            getattr(places[i], column) if i in places else value
            for i, value in zip(identifiers, rows.column(column).to_pylist(), strict=True)
        ]
        rows = rows.set_column(position, field, pa.array(values, field.type))
    return rows


def _article_row(article: Article, duplicate_of: str | None, story_id: str, run: RunInfo) -> dict:
    return {
        "article_id": article.article_id,
        "source_uri": article.source_uri,
        "source_name": article.source_name,
        "title": article.title,
        "byline": article.byline,
        "dateline": article.dateline,
        "published_date": article.published_date,
        "date_source": article.date_source,
        "language": article.language,
        "body": article.body,
        "word_count": word_count(article.body),
        "raw_length": article.raw_length,
        "content_sha256": sha256_hex(article.body),
        "duplicate_of": duplicate_of,
        "story_id": story_id,
        "run_id": run.run_id,
        "ingested_at": run.started_at,
        "pipeline_version": run.pipeline_version,
    }


def _quote_rows(
    article: Article, extraction: Extraction, mentions: _ArticleMentions, new_id: _UniqueIds
):
    for quote in extraction.quotes:
        speaker = mentions.at(quote.speaker_ref_start, quote.speaker_ref_end)
        # A pronoun standing for an unnamed speaker named before shows that speaker.
        speaker_start, speaker_end = quote.speaker_start, quote.speaker_end
        if quote.speaker_antecedent_start is not None:
            speaker_start = quote.speaker_antecedent_start
            speaker_end = quote.speaker_antecedent_end
        quote_id = new_id(article.article_id, "q", quote.start_char, quote.end_char)
        yield {
            "quote_id": quote_id,
            "article_id": article.article_id,
            "quote_text": quote.quote_text,
            "start_char": quote.start_char,
            "end_char": quote.end_char,
            "quote_type": quote.quote_type,
            "speaker_text": (
                article.body[speaker_start:speaker_end] if speaker_start is not None else None
            ),
            "speaker_entity_id": speaker.link.entity_id if speaker else None,
            "speaker_name": speaker.link.canonical_name if speaker else None,
            "speaker_start": speaker_start,
            "speaker_end": speaker_end,
            "cue": quote.cue,
            "sentence_index": quote.sentence_index,
            "quote_cluster_id": cluster_id(QUOTE_PREFIX, quote_id),  # own, until decided
        }


def _event_rows(
    article: Article, extraction: Extraction, mentions: _ArticleMentions, new_id: _UniqueIds
):
    for event in extraction.events:
        actor = mentions.at(event.actor_ref_start, event.actor_ref_end)
        target = mentions.at(event.target_ref_start, event.target_ref_end)
        event_date, precision = (
            resolve_date(event.date_text, article.published_date)
            if event.date_text
            else (None, None)
        )
        event_id = new_id(article.article_id, "v", event.trigger_start, event.trigger_end)
        yield {
            "event_id": event_id,
            "article_id": article.article_id,
            "sentence_index": event.sentence_index,
            "event_cluster_id": cluster_id(EVENT_PREFIX, event_id),  # own, until decided
            "trigger_text": event.trigger_text,
            "trigger_start": event.trigger_start,
            "trigger_end": event.trigger_end,
            "event_type": event.event_type,
            "actor_text": event.actor_text,
            "actor_entity_id": actor.link.entity_id if actor else None,
            "target_text": event.target_text,
            "target_entity_id": target.link.entity_id if target else None,
            "actor_country": _country(actor, event.actor_country),
            "target_country": _country(target, event.target_country),
            "location_text": event.location_text,
            **_location_columns(event.location_text, event.trigger_start, mentions),
            "event_date": event_date,
            "date_text": event.date_text,
            "date_precision": precision,
            "modality": event.modality,
            "negated": event.negated,
            "confidence": event.confidence,
        }


def _country(mention: _LinkedMention | None, named: str | None) -> str | None:
    """The linked entity's country, else the one the phrase itself names ("Chinese warplanes")."""
    if mention is not None and mention.link.country_code:
        return mention.link.country_code
    return named


def _place_columns(prefix: str, place: Place | None) -> dict:
    """The GeoNames id and coordinates of a place, as columns named with `prefix`."""
    return {
        f"{prefix}geonames_id": place.geonames_id if place else None,
        f"{prefix}latitude": place.latitude if place else None,
        f"{prefix}longitude": place.longitude if place else None,
    }


def _location_columns(text: str | None, near: int, mentions: _ArticleMentions) -> dict:
    place, country = (
        location_place(text, near, mentions.places, mentions.placed) if text else (None, None)
    )
    return {**_place_columns("location_", place), "location_country": country}
