"""Normalize: ids, canonical entities, resolved speakers and actors, dates, duplicates, stories.

Turns the extractors' per-article rows into the published tables (Arrow, typed by
schemas/tables.py). Speaker, actor and target spans are linked to entities through the
mention their extractor resolved them to.

Runs are incremental: given the previously published tables, the new rows are added to them
and what spans articles is recomputed over the union (duplicates, stories, one canonical
name per entity). Published rows keep their ids and provenance; entity ids derive from the
entity's normalised name, so they never change when articles are added.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import pyarrow as pa

from schemas.tables import ARTICLES, ENTITIES, EVENTS, QUARANTINE, QUOTES, Table
from tasks.extract import Extraction
from tasks.extract.gazetteer import country_code
from tasks.ids import child_id, sha256_hex
from tasks.normalize.dates import resolve_date
from tasks.normalize.duplicates import relate_articles
from tasks.normalize.entities import EntityLink, link_entities, name_rank
from tasks.records import Article, Quarantined, RunInfo

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
    """An article's linked mentions, looked up by the span an extractor resolved to."""

    def __init__(self, mentions: list[_LinkedMention]):
        self._by_span = {(m.start, m.end): m for m in mentions}
        self._mentions = mentions

    def at(self, start: int | None, end: int | None) -> _LinkedMention | None:
        """The mention with exactly this span, else the longest one inside it."""
        if start is None or end is None:
            return None
        exact = self._by_span.get((start, end))
        if exact is not None:
            return exact
        inside = [m for m in self._mentions if start <= m.start and m.end <= end]
        return max(inside, key=lambda m: (m.end - m.start, -m.start), default=None)


def normalize(
    articles: Sequence[Article],
    extractions: Sequence[Extraction],
    quarantined: Sequence[Quarantined],
    run: RunInfo,
    published: dict[str, pa.Table] | None = None,
) -> dict[str, pa.Table]:
    """The tables after this run: the published ones (if any) plus this run's new articles."""
    by_article = {e.article_id: e for e in extractions}
    pairs = [(e.article_id, m) for e in extractions for m in e.mentions]
    links = link_entities(pairs)

    new_id = _UniqueIds()
    entity_rows: list[dict] = []
    linked: dict[str, list[_LinkedMention]] = {a.article_id: [] for a in articles}
    for (article_id, mention), link in zip(pairs, links, strict=True):
        mention_id = new_id(article_id, "m", mention.start_char, mention.end_char)
        linked[article_id].append(_LinkedMention(mention.start_char, mention.end_char, link))
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
                "country_code": link.country_code,
            }
        )

    quote_rows: list[dict] = []
    event_rows: list[dict] = []
    for article in articles:
        extraction = by_article.get(article.article_id)
        if extraction is None:
            continue
        mentions = _ArticleMentions(linked[article.article_id])
        quote_rows.extend(_quote_rows(article, extraction, mentions, new_id))
        event_rows.extend(_event_rows(article, extraction, mentions, new_id))

    if published is not None:
        entity_rows = published[ENTITIES.name].to_pylist() + entity_rows
        quote_rows = published[QUOTES.name].to_pylist() + quote_rows
        event_rows = published[EVENTS.name].to_pylist() + event_rows
    names = _canonical_names(entity_rows)
    for row in entity_rows:
        row["canonical_name"] = names[row["entity_id"]]
    for row in quote_rows:
        if row["speaker_entity_id"] is not None:
            row["speaker_name"] = names[row["speaker_entity_id"]]

    previous_rows = published[ARTICLES.name].to_pylist() if published is not None else []
    everything = [_article_from_row(row) for row in previous_rows] + list(articles)
    entity_keys: dict[str, set[str]] = {a.article_id: set() for a in everything}
    for row in entity_rows:
        if row["entity_type"] in STORY_ENTITY_TYPES:
            entity_keys[row["article_id"]].add(row["entity_id"])
    duplicates, stories = relate_articles(everything, entity_keys)
    for row in previous_rows:
        row["duplicate_of"] = duplicates.get(row["article_id"])
        row["story_id"] = stories[row["article_id"]]
    article_rows = previous_rows + [
        _article_row(a, duplicates.get(a.article_id), stories[a.article_id], run) for a in articles
    ]
    quarantine_rows = [asdict(q) | {"run_id": run.run_id} for q in quarantined]
    return {
        ARTICLES.name: _table(ARTICLES, article_rows),
        ENTITIES.name: _table(ENTITIES, entity_rows),
        QUOTES.name: _table(QUOTES, quote_rows),
        EVENTS.name: _table(EVENTS, event_rows),
        QUARANTINE.name: _table(QUARANTINE, quarantine_rows),
    }


def _canonical_names(entity_rows: list[dict]) -> dict[str, str]:
    """One name per entity id over all rows: the best-ranked form, then the commonest, then A-Z."""
    forms: dict[str, Counter[str]] = {}
    for row in entity_rows:
        forms.setdefault(row["entity_id"], Counter())[row["canonical_name"]] += 1
    return {
        identifier: min(
            counter, key=lambda form: (*(-r for r in name_rank(form)), -counter[form], form)
        )
        for identifier, counter in forms.items()
    }


def _article_from_row(row: dict) -> Article:
    """A published article as the record the cross-article steps take."""
    return Article(**{name: row[name] for name in Article.__dataclass_fields__})


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
        "word_count": len(article.body.split()),
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
        yield {
            "quote_id": new_id(article.article_id, "q", quote.start_char, quote.end_char),
            "article_id": article.article_id,
            "quote_text": quote.quote_text,
            "start_char": quote.start_char,
            "end_char": quote.end_char,
            "quote_type": quote.quote_type,
            "speaker_text": quote.speaker_text,
            "speaker_entity_id": speaker.link.entity_id if speaker else None,
            "speaker_name": speaker.link.canonical_name if speaker else None,
            "speaker_start": quote.speaker_start,
            "speaker_end": quote.speaker_end,
            "cue": quote.cue,
            "sentence_index": quote.sentence_index,
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
        yield {
            "event_id": new_id(article.article_id, "v", event.trigger_start, event.trigger_end),
            "article_id": article.article_id,
            "sentence_index": event.sentence_index,
            "trigger_text": event.trigger_text,
            "trigger_start": event.trigger_start,
            "trigger_end": event.trigger_end,
            "event_type": event.event_type,
            "actor_text": event.actor_text,
            "actor_entity_id": actor.link.entity_id if actor else None,
            "target_text": event.target_text,
            "target_entity_id": target.link.entity_id if target else None,
            "actor_country": _country(actor, event.actor_text),
            "target_country": _country(target, event.target_text),
            "location_text": event.location_text,
            "event_date": event_date,
            "date_text": event.date_text,
            "date_precision": precision,
            "modality": event.modality,
            "negated": event.negated,
            "confidence": event.confidence,
        }


def _country(mention: _LinkedMention | None, text: str | None) -> str | None:
    """The linked entity's country, else a country the phrase itself names ("Chinese warplanes")."""
    if mention is not None and mention.link.country_code:
        return mention.link.country_code
    return country_code(text) if text else None


def _table(table: Table, rows: list[dict]) -> pa.Table:
    data = pa.Table.from_pylist(rows, schema=table.arrow_schema)
    return data.sort_by([(name, "ascending") for name in table.sort_by])
