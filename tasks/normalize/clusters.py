"""Each real event and each statement counted once: the mentions of one event, and the quotes of
one statement, that the articles of a story repeat share a cluster id.

Clusters never cross stories, so a run clusters only the stories its new articles touch: the
published mentions of those stories keep their cluster ids, and a new mention joins a published
cluster by the same rules as it joins a new one. A cluster is named after the mention that
founded it (the first in corpus order: dated articles by date, then by article id, then by
offset), so its id never changes when later mentions join it.

Events: mentions of one event share the story, the PLOVER type and the negation, and their
actors and their targets are the same participant: its country when it is a state named as a
place or a people (a GPE or NORP entity: "Tokyo", "Japan", "Chinese"; the CAMEO and PLOVER
codebooks code state actors by country), else its entity, else its country as the phrase names
it ("Chinese warplanes"), else its words as written. Within such a group a mention joins the
first cluster that
  (a) has a date within EVENT_DATE_TOLERANCE_DAYS of the mention's, both known; or
  (b) has a mention with the same trigger words, and no date more than the tolerance away; or
  (c) is the group's only cluster, when the mention has no date and the cluster holds no other
      trigger words from the mention's own article (an article that names two things of one
      type and cast in other words tells two events: "exercises" and "presence").
else it founds a cluster.

Quotes: two quotes are one statement when they are in the same story, their words are
near-identical (Dice coefficient of their word bigrams >= QUOTE_DICE, after folding case,
punctuation and quote marks) and their speakers do not differ: resolved to two different
entities and written differently is two speakers; anything else (one unresolved, the same
entity, the same words) is not known to differ. Scare quotes (no speaker) cluster only with
scare quotes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

import pyarrow as pa
import pyarrow.compute as pc

from tasks.ids import cluster_id

EVENT_DATE_TOLERANCE_DAYS = 1  # a date resolved from "yesterday" against two outlets' dates
QUOTE_DICE = 0.7  # an outlet's trimmed or re-spelt copy of a statement passes, a paraphrase not
# A bigram more quotes of a story have than this ("of the") finds no candidates by itself.
MAX_POSTING = 50
# Entity types whose participant is its country: a state named by a place or a people.
COUNTRY_LEVEL_TYPES = frozenset({"GPE", "NORP"})
EVENT_PREFIX, QUOTE_PREFIX = "c", "q"

# What clustering reads of the events and quotes (published ones with their cluster ids).
EVENT_COLUMNS = [
    "event_id",
    "article_id",
    "trigger_text",
    "trigger_start",
    "event_type",
    "negated",
    "actor_text",
    "actor_entity_id",
    "actor_country",
    "target_text",
    "target_entity_id",
    "target_country",
    "event_date",
]
QUOTE_COLUMNS = [
    "quote_id",
    "article_id",
    "start_char",
    "quote_text",
    "quote_type",
    "speaker_text",
    "speaker_entity_id",
]
_EVENT_TEXTS = ("trigger_text", "actor_text", "target_text")  # compared by their words
_QUOTE_TEXTS = ("quote_text", "speaker_text")
# Rows turned into Python objects at a time: a story's rows are compared only with each other,
# so a run's rows are read a slice at a time, not all at once (at 10x the BBC corpus every
# quote as a dict with its bigrams held ~0.6 GB).
_SLICE_ROWS = 4096


@dataclass(frozen=True)
class Article:
    """What the corpus order and the story of a mention need of its article."""

    story_id: str
    published_date: date | None


@dataclass(eq=False)  # clusters are told apart by identity
class _EventCluster:
    identifier: str
    anchor: date | None = None  # the earliest date of its mentions
    triggers: set[tuple[str, str]] = field(default_factory=set)  # (article_id, trigger words)

    def add(self, row: dict) -> None:
        day = row["event_date"]
        if day is not None and (self.anchor is None or day < self.anchor):
            self.anchor = day
        self.triggers.add((row["article_id"], _trigger(row)))

    def near(self, day: date | None) -> bool:
        """Both dates known and within the tolerance."""
        return (
            day is not None
            and self.anchor is not None
            and abs((self.anchor - day).days) <= EVENT_DATE_TOLERANCE_DAYS
        )

    def says(self, row: dict) -> bool:
        """A mention with the same trigger words, and no date too far from the mention's."""
        day, trigger = row["event_date"], _trigger(row)
        if day is not None and self.anchor is not None and not self.near(day):
            return False
        return any(words == trigger for _article, words in self.triggers)

    def other_words_in(self, row: dict) -> bool:
        """A mention of the same article in other trigger words."""
        trigger = _trigger(row)
        return any(a == row["article_id"] and w != trigger for a, w in self.triggers)


def event_clusters(
    new: pa.Table,
    published: pa.Table,
    articles: Mapping[str, Article],
    entity_types: Mapping[str, str],
) -> dict[str, str]:
    """event_id -> event_cluster_id of every new event (EVENT_COLUMNS). `published` holds the
    published events of the stories the new ones are in, with their event_cluster_id;
    `articles` the story and date of every article of both; `entity_types` the type of every
    actor and target entity."""
    # story_id -> the story's clusters by the rest of their group key (clusters never cross
    # stories, so a story's are dropped once its new events are assigned)
    groups: dict[str, dict[tuple, list[_EventCluster]]] = defaultdict(lambda: defaultdict(list))
    by_id: dict[str, _EventCluster] = {}

    def group_of(row: dict) -> tuple:
        return (
            row["event_type"],
            row["negated"],
            _participant(row, "actor", entity_types),
            _participant(row, "target", entity_types),
        )

    for story, rows in _stories_in_corpus_order(published, articles, "trigger_start", _EVENT_TEXTS):
        for row in rows:
            identifier = row["event_cluster_id"]
            cluster = by_id.get(identifier)
            if cluster is None:
                cluster = by_id[identifier] = _EventCluster(identifier)
            group = groups[story][group_of(row)]
            if cluster not in group:
                group.append(cluster)
            cluster.add(row)
    assigned = {}
    for story, rows in _stories_in_corpus_order(new, articles, "trigger_start", _EVENT_TEXTS):
        story_groups = groups.pop(story, None) or defaultdict(list)
        for row in rows:
            group = story_groups[group_of(row)]
            cluster = _matching_event(group, row)
            if cluster is None:
                cluster = _EventCluster(cluster_id(EVENT_PREFIX, row["event_id"]))
                group.append(cluster)
            cluster.add(row)
            assigned[row["event_id"]] = cluster.identifier
    return assigned


def _matching_event(group: list[_EventCluster], row: dict) -> _EventCluster | None:
    day = row["event_date"]
    found = next((c for c in group if c.near(day)), None) or next(
        (c for c in group if c.says(row)), None
    )
    if found is None and day is None and len(group) == 1 and not group[0].other_words_in(row):
        found = group[0]
    return found


def _participant(row: dict, role: str, entity_types: Mapping[str, str]) -> tuple | None:
    entity, country = row[f"{role}_entity_id"], row[f"{role}_country"]
    if country and (entity is None or entity_types.get(entity) in COUNTRY_LEVEL_TYPES):
        return ("country", country)
    if entity is not None:
        return ("entity", entity)
    words = row[f"{role}_text_words"]
    return ("words", words) if words else None


def _trigger(row: dict) -> str:
    return row["trigger_text_words"]


class _StoryQuotes:
    """The quotes of one story (of its scare quotes, or of the others), in corpus order, with
    their statements, and an index from word bigrams to the quotes that have them: only the
    bigrams of the run's new quotes, as only those are ever looked up."""

    def __init__(self) -> None:
        self.quotes: list[tuple[dict, str]] = []  # (quote with its bigrams, statement id)
        self.postings: dict[tuple, list[int]] = defaultdict(list)
        self.looked_up: set[tuple] = set()  # the bigrams of the new quotes

    def add(self, quote: dict, statement: str) -> None:
        for bigram in quote["bigrams"] & self.looked_up:
            self.postings[bigram].append(len(self.quotes))
        self.quotes.append((quote, statement))

    def statement_of(self, quote: dict) -> str | None:
        """The statement of the first quote that is the same statement as `quote`. Candidates
        come through its bigrams that few quotes of the story have (all of them when it has
        none such): a near-identical quote shares most of them."""
        bigrams = quote["bigrams"]
        rare = [b for b in bigrams if len(self.postings.get(b, ())) <= MAX_POSTING]
        candidates = {p for b in (rare or bigrams) for p in self.postings.get(b, ())}
        for position in sorted(candidates):
            other, statement = self.quotes[position]
            if _same(quote, other):
                return statement
        return None


def quote_clusters(
    new: pa.Table, published: pa.Table, articles: Mapping[str, Article]
) -> dict[str, str]:
    """quote_id -> quote_cluster_id of every new quote (QUOTE_COLUMNS). `published` holds the
    published quotes of the stories the new ones are in, with their quote_cluster_id."""
    published_rows = dict(_stories_in_corpus_order(published, articles, "start_char", _QUOTE_TEXTS))
    assigned = {}
    for story, rows in _stories_in_corpus_order(new, articles, "start_char", _QUOTE_TEXTS):
        kinds: dict[bool, _StoryQuotes] = defaultdict(_StoryQuotes)  # scare quotes apart
        new_quotes = [(row, _with_bigrams(row)) for row in rows]
        for row, quote in new_quotes:
            kinds[row["quote_type"] == "scare"].looked_up.update(quote["bigrams"])
        for row in published_rows.pop(story, ()):
            kind = kinds[row["quote_type"] == "scare"]
            if kind.looked_up:  # else no new quote of its kind joins the story
                kind.add(_with_bigrams(row), row["quote_cluster_id"])
        for row, quote in new_quotes:
            kind = kinds[row["quote_type"] == "scare"]
            statement = kind.statement_of(quote) or cluster_id(QUOTE_PREFIX, row["quote_id"])
            kind.add(quote, statement)
            assigned[row["quote_id"]] = statement
    return assigned


def _with_bigrams(row: dict) -> dict:
    words = row["quote_text_words"].split()
    bigrams = set(pairwise(words)) or {(w,) for w in words}
    speaker = row["speaker_text_words"]
    return {"bigrams": bigrams, "entity": row["speaker_entity_id"], "speaker": speaker}


def _same(left: dict, right: dict) -> bool:
    """Near-identical words, and speakers not known to differ."""
    shared = len(left["bigrams"] & right["bigrams"])
    total = len(left["bigrams"]) + len(right["bigrams"])
    if not total or 2 * shared < QUOTE_DICE * total:
        return False
    both_resolved = left["entity"] is not None and right["entity"] is not None
    return (
        not both_resolved
        or left["entity"] == right["entity"]
        or left["speaker"] == right["speaker"]
    )


def _stories_in_corpus_order(
    rows: pa.Table, articles: Mapping[str, Article], offset: str, texts: Iterable[str]
) -> Iterator[tuple[str, list[dict]]]:
    """(story_id, its rows as dicts in corpus order), story by story, each text column `c` of
    `texts` with its words in `c_words` (folded by _folded_words). Corpus order: dated
    articles by date, then undated ones, then by article id, then by `offset`."""
    if not rows.num_rows:
        return
    for column in texts:
        rows = rows.append_column(f"{column}_words", _folded_words(rows[column]))
    identifiers = list(articles)
    at = pc.index_in(rows["article_id"], value_set=pa.array(identifiers, pa.string()))
    stories = pa.array([articles[i].story_id for i in identifiers], pa.string()).take(at)
    days = pa.array([articles[i].published_date for i in identifiers], pa.date32()).take(at)
    keys = pa.table([stories, days, rows["article_id"], rows[offset]], ["s", "d", "a", "o"])
    # A stable sort, so rows of equal keys keep their order, as sorted() kept it before.
    order = pc.sort_indices(keys, [(k, "ascending", "at_end") for k in keys.column_names])
    # Sorted once, then sliced without a copy: a take per slice would copy every chunk of a
    # many-chunk table each time.
    rows, stories = rows.take(order), stories.take(order)
    story, story_rows = None, []
    for start in range(0, rows.num_rows, _SLICE_ROWS):
        for row_story, row in zip(
            stories[start : start + _SLICE_ROWS].to_pylist(),
            rows.slice(start, _SLICE_ROWS).to_pylist(),
            strict=True,
        ):
            if row_story != story and story_rows:
                yield story, story_rows
                story_rows = []
            story = row_story
            story_rows.append(row)
    if story_rows:
        yield story, story_rows


def _folded_words(texts: pa.ChunkedArray) -> pa.ChunkedArray:
    """Each text's words, lowercased and joined by single spaces (in Arrow: there are many);
    abbreviation dots dropped, so "U.S." and "US" are one word; null texts give ''."""
    undotted = pc.replace_substring(pc.utf8_lower(pc.fill_null(texts, "")), ".", "")
    spaced = pc.replace_substring_regex(undotted, r"[^\pL\pN]+", " ")
    return pc.utf8_trim_whitespace(spaced)
