"""The published tables, declared once: column names, Arrow types, descriptions and checks.

The writer (tasks/store/), the expectation suites (schemas/suites.py), the DuckDB views
and the README's column reference are all derived from these declarations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache

import pyarrow as pa

ARTICLE_ID_PATTERN = r"^a[0-9a-f]{16}$"  # tasks.ids.article_id
ENTITY_ID_PATTERN = r"^e[0-9a-f]{16}$"  # tasks.ids.entity_id
GEONAMES_ID_PATTERN = r"^[1-9][0-9]{0,9}$"  # a GeoNames feature id (geonames.org/<id>)
STORY_ID_PATTERN = r"^s[0-9a-f]{16}$"
EVENT_CLUSTER_ID_PATTERN = r"^c[0-9a-f]{16}$"  # tasks.ids.cluster_id
QUOTE_CLUSTER_ID_PATTERN = r"^q[0-9a-f]{16}$"

NER_LABELS = (
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "DATE",
    "TIME",
    "PERCENT",
    "MONEY",
    "QUANTITY",
    "ORDINAL",
    "CARDINAL",
)
QUOTE_TYPES = ("direct", "partial", "indirect", "scare")
PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
DATE_SOURCES = ("metadata", "header", "dateline", "text", "none")
DATE_PRECISIONS = ("day", "month", "year")
MODALITIES = ("asserted", "planned", "possible", "reported")
PIPELINE_STEPS = ("ingest", "clean", "extract", "normalize", "validate", "publish")
# The earliest date a published_date or event_date may be: older ones are a feed's placeholder
# for "no date" (0001-01-01) or a typo, never a news article's date.
EARLIEST_DATE = date(1800, 1, 1)
# The furthest time zone ahead of UTC (UTC+14, Kiribati's Line Islands): until midnight there,
# a date is some reader's today, as a story published at 00:30 in Tokyo is dated while it is
# still yesterday in UTC. Later dates are in the future.
MAX_UTC_OFFSET_HOURS = 14
# ISO 639-2 "undetermined": an article whose text is too short or too unusual to identify.
UNDETERMINED_LANGUAGE = "und"


def latest_date(now: datetime | None = None) -> date:
    """The latest date a published article can bear at `now` (default: this moment): the
    calendar date in the time zone furthest ahead of UTC."""
    now = now or datetime.now(UTC)
    return (now.astimezone(UTC) + timedelta(hours=MAX_UTC_OFFSET_HOURS)).date()


@cache
def country_codes() -> tuple[str, ...]:
    """ISO 3166-1 alpha-3 codes, from pycountry."""
    import pycountry

    return tuple(sorted(c.alpha_3 for c in pycountry.countries))


@cache
def language_codes() -> tuple[str, ...]:
    """ISO 639-1 codes, from pycountry."""
    import pycountry

    return tuple(sorted(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")))


@cache
def article_languages() -> tuple[str, ...]:
    """The values of articles.language: ISO 639-1 codes and UNDETERMINED_LANGUAGE."""
    return (*language_codes(), UNDETERMINED_LANGUAGE)


@dataclass(frozen=True)
class Column:
    """One column: its type, meaning and the checks declared beside it."""

    name: str
    type: pa.DataType
    description: str
    nullable: bool = True
    unique: bool = False
    # closed set of values; a function for sets taken from a library (ISO codes)
    allowed: tuple[str, ...] | Callable[[], tuple[str, ...]] | None = None
    pattern: str | None = None  # regular expression every non-null value matches
    min_value: float | None = None
    max_value: float | None = None

    def allowed_values(self) -> tuple[str, ...] | None:
        return self.allowed() if callable(self.allowed) else self.allowed


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    sort_by: tuple[str, ...]  # natural key order of the published files
    # (text, start, end) columns: body[start:end] == text, offsets into articles.body
    spans: tuple[tuple[str, str, str], ...] = field(default=())
    # groups of columns that are all null or all set (a place's id and coordinates)
    together: tuple[tuple[str, ...], ...] = field(default=())
    # Rows failing a row-level expectation go to the quarantine, and the rest publishes; a run
    # whose share of such rows (among its new rows of the table) is above this bound has a
    # broken step, not bad articles, and publishes nothing.
    max_quarantined_share: float = 0.5
    # A table derived from the others (stories), rewritten by every run: a wrong row there is
    # a broken step, not a bad article, so its checks are critical and none quarantines a row;
    # its column checks run as one SQL check (schemas/suites.py), as Great Expectations' cost
    # is per expectation.
    derived: bool = False

    @property
    def key(self) -> str:
        """The column that names a row (unique, first)."""
        return self.columns[0].name

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [
                pa.field(
                    c.name, c.type, nullable=c.nullable, metadata={"description": c.description}
                )
                for c in self.columns
            ],
            metadata={"description": self.description},
        )

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def in_key_order(self, rows: pa.Table) -> pa.Table:
        """Rows sorted by the table's natural key, so readers skip row groups by key ranges."""
        return rows.sort_by([(name, "ascending") for name in self.sort_by])

    def rows_table(self, rows: Sequence[Mapping[str, object]]) -> pa.Table:
        """Rows (one dict each) as an Arrow table of this table's schema. A row must have
        exactly the declared columns: Arrow would publish a misspelt key as a null column."""
        declared = set(self.column_names)
        for row in rows:
            if row.keys() != declared:
                unknown, missing = sorted(row.keys() - declared), sorted(declared - row.keys())
                raise KeyError(f"{self.name} row: unknown columns {unknown}, missing {missing}")
        return pa.Table.from_pylist(list(rows), schema=self.arrow_schema)


def _place(prefix: str, what: str) -> tuple[Column, Column, Column]:
    """The GeoNames id and coordinates of a place, resolved offline (tasks/normalize/places.py)."""
    return (
        Column(
            f"{prefix}geonames_id",
            pa.string(),
            f"GeoNames id of {what}, resolved offline from the name and the article's context "
            "(its dateline, the countries it names); null when unknown or ambiguous",
            pattern=GEONAMES_ID_PATTERN,
        ),
        Column(
            f"{prefix}latitude",
            pa.float64(),
            f"latitude of {what} (WGS84 degrees; a country's capital, a US state's mean city "
            "point); null when not placed",
            min_value=-90.0,
            max_value=90.0,
        ),
        Column(
            f"{prefix}longitude",
            pa.float64(),
            f"longitude of {what} (WGS84 degrees); null when not placed",
            min_value=-180.0,
            max_value=180.0,
        ),
    )


def _id(name: str, description: str, *, pattern: str | None = None, unique: bool = False) -> Column:
    return Column(name, pa.string(), description, nullable=False, unique=unique, pattern=pattern)


def _span(prefix: str, what: str, nullable: bool = False) -> tuple[Column, Column]:
    return (
        Column(
            f"{prefix}start" if prefix else "start_char",
            pa.int32(),
            f"start of {what} in articles.body (character offset, inclusive)",
            nullable=nullable,
            min_value=0,
        ),
        Column(
            f"{prefix}end" if prefix else "end_char",
            pa.int32(),
            f"end of {what} in articles.body (character offset, exclusive)",
            nullable=nullable,
            min_value=1,
        ),
    )


_ARTICLE_REF = _id(
    "article_id",
    "the article this row belongs to (-> articles.article_id)",
    pattern=ARTICLE_ID_PATTERN,
)
_SENTENCE = Column(
    "sentence_index",
    pa.int32(),
    "0-based sentence number in articles.body",
    nullable=False,
    min_value=0,
)

ARTICLES = Table(
    name="articles",
    description="One row per ingested article: its cleaned body and recovered metadata.",
    sort_by=("published_date", "article_id"),
    columns=(
        _id(
            "article_id",
            "stable id from the source and its raw content: the same document re-ingested keeps it",
            pattern=ARTICLE_ID_PATTERN,
            unique=True,
        ),
        Column(
            "source_uri",
            pa.string(),
            "where the raw document came from: path relative to its input root, or <file>#<id or url> for JSONL records",
            nullable=False,
        ),
        Column("source_name", pa.string(), "publisher or outlet, when the input tells it"),
        Column("title", pa.string(), "headline"),
        Column("byline", pa.string(), "author(s)"),
        Column("dateline", pa.string(), "dateline place, e.g. Tokyo"),
        Column(
            "published_date",
            pa.date32(),
            "date of publication; null when nothing states it (never invented)",
        ),
        Column(
            "date_source",
            pa.string(),
            "how published_date was found: metadata, header, dateline, text or none",
            nullable=False,
            allowed=DATE_SOURCES,
        ),
        Column(
            "language",
            pa.string(),
            "ISO 639-1 language code of the headline and body; und (ISO 639-2 undetermined) when "
            "the text is too short or too unusual to tell",
            nullable=False,
            allowed=article_languages,
        ),
        Column(
            "body",
            pa.string(),
            "cleaned article body: page furniture removed, broken lines repaired, paragraphs separated by a blank line",
            nullable=False,
        ),
        Column(
            "word_count",
            pa.int32(),
            "words in body: its whitespace-separated tokens; in Chinese, Japanese, Thai, Lao, Khmer and Burmese text (written without spaces) the words ICU's dictionaries find, and each run of other letters or digits glued to them",
            nullable=False,
            min_value=1,
        ),
        Column(
            "raw_length",
            pa.int64(),
            "characters of the raw input the body was recovered from",
            nullable=False,
            min_value=1,
        ),
        Column(
            "content_sha256",
            pa.string(),
            "SHA-256 of body (hex)",
            nullable=False,
            pattern=r"^[0-9a-f]{64}$",
        ),
        Column(
            "duplicate_of",
            pa.string(),
            "article_id of the article this one duplicates or is contained in",
            pattern=ARTICLE_ID_PATTERN,
        ),
        Column(
            "story_id",
            pa.string(),
            "id shared by the articles reporting the same story (-> stories.story_id)",
            nullable=False,
            pattern=STORY_ID_PATTERN,
        ),
        Column("run_id", pa.string(), "the pipeline run that published this row", nullable=False),
        Column(
            "ingested_at",
            pa.timestamp("us", tz="UTC"),
            "when the run read the input (UTC)",
            nullable=False,
        ),
        Column(
            "pipeline_version",
            pa.string(),
            "newsflow version that produced the row",
            nullable=False,
        ),
    ),
)

ENTITIES = Table(
    name="entities",
    description="One row per entity mention in an article body, linked to a canonical entity.",
    sort_by=("article_id", "start_char", "end_char"),
    spans=(("text", "start_char", "end_char"),),
    together=(("geonames_id", "latitude", "longitude"),),
    columns=(
        _id("mention_id", "unique id of the mention (article id and span)", unique=True),
        _ARTICLE_REF,
        Column("text", pa.string(), "surface text as in the body", nullable=False),
        Column(
            "label",
            pa.string(),
            "NER label (OntoNotes: PERSON, ORG, GPE, NORP, LOC, FAC, EVENT, DATE, ...)",
            nullable=False,
            allowed=NER_LABELS,
        ),
        *_span("", "the mention"),
        _SENTENCE,
        _id(
            "entity_id",
            "canonical entity id, the same for every mention of the same real-world entity across articles and runs",
            pattern=ENTITY_ID_PATTERN,
        ),
        Column(
            "canonical_name",
            pa.string(),
            "preferred (fullest) name of the canonical entity",
            nullable=False,
        ),
        Column(
            "entity_type",
            pa.string(),
            "type of the canonical entity (PERSON, ORG, GPE, ...)",
            nullable=False,
            allowed=NER_LABELS,
        ),
        Column(
            "country_code",
            pa.string(),
            "ISO 3166-1 alpha-3 code of the country the entity is or belongs to; for a placed "
            "GPE, LOC or FAC, the country of its place",
            allowed=country_codes,
        ),
        *_place("", "the place a GPE, LOC or FAC entity names (one per entity_id)"),
    ),
)

QUOTES = Table(
    name="quotes",
    description="One row per quotation or reported statement, with its speaker.",
    sort_by=("article_id", "start_char", "end_char"),
    spans=(
        ("quote_text", "start_char", "end_char"),
        ("speaker_text", "speaker_start", "speaker_end"),
    ),
    columns=(
        _id("quote_id", "unique id of the quote (article id and span)", unique=True),
        _ARTICLE_REF,
        Column(
            "quote_text",
            pa.string(),
            "the quoted or reported words without their enclosing quote marks; for a partial quote, the reported clause that contains the quoted fragment",
            nullable=False,
        ),
        *_span("", "quote_text"),
        Column(
            "quote_type",
            pa.string(),
            "direct (full quoted statement), partial (quoted fragment in reported speech), indirect (reported speech without quote marks) or scare (quote marks, no speaker)",
            nullable=False,
            allowed=QUOTE_TYPES,
        ),
        Column(
            "speaker_text",
            pa.string(),
            "speaker as written (a name, a pronoun or a description); for a pronoun standing for "
            "an unnamed speaker named before it, that speaker (one of the organizers ... he added)",
        ),
        Column(
            "speaker_entity_id",
            pa.string(),
            "canonical entity the speaker resolves to (-> entities.entity_id)",
            pattern=ENTITY_ID_PATTERN,
        ),
        Column("speaker_name", pa.string(), "canonical name of the resolved speaker"),
        *_span("speaker_", "speaker_text", nullable=True),
        Column("cue", pa.string(), "reporting verb or phrase (said, added, according to)"),
        _SENTENCE,
        _id(
            "quote_cluster_id",
            "the statement: shared by the quotes of the same speaker with near-identical words "
            "in the same story, across articles and runs (-> quote_clusters.quote_cluster_id)",
            pattern=QUOTE_CLUSTER_ID_PATTERN,
        ),
    ),
)

EVENTS = Table(
    name="events",
    description="One row per event mention: who did what to whom, where and when (PLOVER types).",
    sort_by=("article_id", "trigger_start", "trigger_end"),
    spans=(("trigger_text", "trigger_start", "trigger_end"),),
    together=(("location_geonames_id", "location_latitude", "location_longitude"),),
    columns=(
        _id("event_id", "unique id of the event (article id and trigger span)", unique=True),
        _ARTICLE_REF,
        _SENTENCE,
        _id(
            "event_cluster_id",
            "the real event: shared by the mentions of one event (same story, type and "
            "negation, same or coreferent actor and target, dates within a day when known), "
            "across articles and runs (-> event_clusters.event_cluster_id)",
            pattern=EVENT_CLUSTER_ID_PATTERN,
        ),
        Column("trigger_text", pa.string(), "the word(s) expressing the event", nullable=False),
        *_span("trigger_", "trigger_text"),
        Column(
            "event_type",
            pa.string(),
            "PLOVER top-level event type",
            nullable=False,
            allowed=PLOVER_TYPES,
        ),
        Column("actor_text", pa.string(), "who acts, as written"),
        Column(
            "actor_entity_id",
            pa.string(),
            "canonical entity of the actor (-> entities.entity_id)",
            pattern=ENTITY_ID_PATTERN,
        ),
        Column("target_text", pa.string(), "who is acted on, as written"),
        Column(
            "target_entity_id",
            pa.string(),
            "canonical entity of the target (-> entities.entity_id)",
            pattern=ENTITY_ID_PATTERN,
        ),
        Column(
            "actor_country",
            pa.string(),
            "ISO 3166-1 alpha-3 code of the actor's country",
            allowed=country_codes,
        ),
        Column(
            "target_country",
            pa.string(),
            "ISO 3166-1 alpha-3 code of the target's country",
            allowed=country_codes,
        ),
        Column("location_text", pa.string(), "where the event happened, when stated"),
        *_place("location_", "location_text's place"),
        Column(
            "location_country",
            pa.string(),
            "ISO 3166-1 alpha-3 code of the country of location_text's place",
            allowed=country_codes,
        ),
        Column(
            "event_date",
            pa.date32(),
            "absolute date of the event, resolved against the article date; null unless certain",
        ),
        Column("date_text", pa.string(), "the date expression as written"),
        Column(
            "date_precision",
            pa.string(),
            "precision of event_date: day, month or year",
            allowed=DATE_PRECISIONS,
        ),
        Column(
            "modality",
            pa.string(),
            "what the text commits to: asserted (stated as done or happening), planned (will / plans to / agreed to), possible (may / could / would), reported (something a source said happened)",
            nullable=False,
            allowed=MODALITIES,
        ),
        Column("negated", pa.bool_(), "true when the text says it did not happen", nullable=False),
        Column(
            "confidence",
            pa.float64(),
            "extractor confidence, 0..1",
            nullable=False,
            min_value=0.0,
            max_value=1.0,
        ),
    ),
)

QUARANTINE = Table(
    name="quarantine",
    description="One row per input, article or table row that could not be published, with the reason.",
    sort_by=("source_uri", "step"),
    columns=(
        Column(
            "source_uri",
            pa.string(),
            "the input it came from; null only for a row whose article is unknown (an orphan row)",
        ),
        Column(
            "step", pa.string(), "the step that rejected it", nullable=False, allowed=PIPELINE_STEPS
        ),
        Column(
            "reason",
            pa.string(),
            "short machine-readable reason (empty_body, undecodable, too_large, ...)",
            nullable=False,
            pattern=r"^[a-z][a-z0-9_]*$",
        ),
        Column("detail", pa.string(), "human-readable explanation", nullable=False),
        Column(
            "table_name",
            pa.string(),
            "the table whose row failed validation (an article row takes its entities, quotes and events with it); null when the input never became a row",
            allowed=("articles", "entities", "quotes", "events"),
        ),
        Column(
            "row_id",
            pa.string(),
            "the key of that row (article_id, mention_id, quote_id, event_id)",
        ),
        Column("run_id", pa.string(), "the run that met it", nullable=False),
    ),
)

_COUNT = {"nullable": False, "min_value": 0}


def _names(name: str, description: str) -> Column:
    """A list of strings (names, ids, codes), empty rather than null."""
    return Column(name, pa.list_(pa.string()), description, nullable=False)


STORIES = Table(
    name="stories",
    description="One row per story (articles.story_id): its outlets, dates, cast, speakers and "
    "distinct events. Rewritten with every version, from the story's rows in it.",
    sort_by=("story_id",),
    derived=True,
    columns=(
        _id(
            "story_id",
            "the story (-> articles.story_id)",
            pattern=STORY_ID_PATTERN,
            unique=True,
        ),
        Column(
            "headline",
            pa.string(),
            "representative headline: the title of the story's earliest titled original "
            "(not duplicate) article, else of any titled article; null when none has a title",
        ),
        Column(
            "first_published",
            pa.date32(),
            "earliest published_date of its articles; null when no article is dated",
        ),
        Column(
            "last_published",
            pa.date32(),
            "latest published_date of its articles; null when no article is dated",
        ),
        Column("article_count", pa.int32(), "articles in the story", nullable=False, min_value=1),
        Column(
            "source_count",
            pa.int32(),
            "distinct outlets of its articles: source_name, else the host of a URL source, "
            "else the source itself (two unnamed files are two outlets)",
            nullable=False,
            min_value=1,
        ),
        _names(
            "source_names",
            "the distinct source_name of its articles, sorted (outlets the input named)",
        ),
        _names(
            "languages",
            "the distinct languages of its articles, sorted",
        ),
        _names(
            "top_entity_ids",
            "up to 5 entities of the story (PERSON, ORG, GPE, NORP, LOC, FAC, EVENT) in most "
            "articles, then most mentions (-> entities.entity_id)",
        ),
        _names(
            "top_entity_names",
            "canonical names of top_entity_ids, in the same order",
        ),
        _names(
            "speaker_entity_ids",
            "up to 5 resolved speakers with the most distinct statements (quote clusters) "
            "(-> quotes.speaker_entity_id)",
        ),
        _names(
            "speaker_names",
            "canonical names of speaker_entity_ids, in the same order",
        ),
        Column("quote_count", pa.int32(), "quote rows of its articles", **_COUNT),
        Column(
            "statement_count",
            pa.int32(),
            "distinct statements: quote clusters of its articles",
            **_COUNT,
        ),
        Column("event_mention_count", pa.int32(), "event rows of its articles", **_COUNT),
        Column(
            "event_count",
            pa.int32(),
            "distinct real events: event clusters of its articles",
            **_COUNT,
        ),
        Column(
            "event_counts",
            pa.map_(pa.string(), pa.int32()),
            "distinct real events by PLOVER type (event_type -> event clusters)",
            nullable=False,
        ),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (ARTICLES, ENTITIES, QUOTES, EVENTS, QUARANTINE, STORIES)
}
