"""Small documented gazetteers shipped with the package, each read once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from tasks.geonames import load_gazetteer, name_key

COUNTRY_ALIASES_FILE = Path(__file__).with_name("country_aliases.tsv")
ORGANIZATIONS_FILE = Path(__file__).with_name("organizations.tsv")
PERSON_TITLES_FILE = Path(__file__).with_name("person_titles.txt")


# Words skipped when reading an acronym off a name ("Ministry of Defense" -> MD or MOD).
ACRONYM_STOPWORDS = frozenset({"of", "the", "and", "for", "in", "on", "de", "&"})


@dataclass(frozen=True)
class KnownOrganization:
    acronym: str
    full_name: str
    country_code: str | None


def _rows(path: Path) -> list[list[str]]:
    """Tab-separated rows of a data file, without its `#` header comments and blank lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def known_organizations() -> tuple[KnownOrganization, ...]:
    """Organisations whose acronym is unambiguous in English news (see organizations.tsv)."""
    return tuple(
        KnownOrganization(acronym, full_name, country or None)
        for acronym, full_name, country in _rows(ORGANIZATIONS_FILE)
    )


@lru_cache(maxsize=1)
def person_titles() -> frozenset[str]:
    """Lower-case title words that precede a name but are not part of it (person_titles.txt)."""
    return frozenset(
        word for row in _rows(PERSON_TITLES_FILE) for line in row for word in line.split()
    )


_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")
_PARENTHETICAL = re.compile(r"\s*\([^)]*\)")


def _key(text: str) -> str:
    """Comparison form of a name: no leading "the", possessive, dots or extra spaces."""
    text = _LEADING_THE.sub("", text.strip())
    if _POSSESSIVE.search(text):
        text = text[:-1] if text[-1] in "'’" else text[:-2]
    text = text.replace(".", "").replace("’", "'")
    return " ".join(text.split())


def _is_acronym(key: str) -> bool:
    return key.isupper() and " " not in key and len(key) <= 5


def _pycountry_names(country) -> set[str]:
    """The ISO names of a country, with "Korea, Republic of" also as "Republic of Korea"."""
    names = {
        getattr(country, attribute, None) for attribute in ("name", "official_name", "common_name")
    }
    forms = set()
    for name in filter(None, names):
        name = _PARENTHETICAL.sub("", name)
        forms.add(name)
        if ", " in name:
            head, _, tail = name.partition(", ")
            forms.add(f"{tail} {head}")
    return forms


@lru_cache(maxsize=1)
def country_name_forms() -> tuple[tuple[str, str, str], ...]:
    """Every known (surface form, alpha-3 code, kind) with kind in name/short/demonym/capital."""
    forms: dict[str, tuple[str, str, str]] = {}
    for country in pycountry.countries:
        for name in sorted(_pycountry_names(country)):
            forms.setdefault(name, (name, country.alpha_3, "name"))
    for code, kind, aliases in _rows(COUNTRY_ALIASES_FILE):
        for alias in aliases.split(";"):
            alias = alias.strip()
            forms[alias] = (alias, code, kind)
    return tuple(forms.values())


@lru_cache(maxsize=1)
def _lookup() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """Case-folded keys -> (code, kind), and exact-case acronym keys -> (code, kind)."""
    folded: dict[str, tuple[str, str]] = {}
    acronyms: dict[str, tuple[str, str]] = {}
    for surface, code, kind in country_name_forms():
        key = _key(surface)
        if _is_acronym(key):
            acronyms[key] = (code, kind)
        else:
            folded[key.casefold()] = (code, kind)
    return folded, acronyms


def name_initials(words: list[str]) -> set[str]:
    """Acronyms a multi-word name can be written as, with and without its small words."""
    parts = [part for word in words for part in re.split(r"[-\s]", word) if part]
    content = [part for part in parts if part.casefold() not in ACRONYM_STOPWORDS]
    return {
        "".join(part[0] for part in parts).upper(),
        "".join(part[0] for part in content).upper(),
    }


@lru_cache(maxsize=1 << 16)  # names and their runs of words recur from article to article
def country_match(text: str) -> tuple[str, str] | None:
    """(alpha-3 code, kind) of a country form, kind being name, short, demonym or capital."""
    key = _key(text)
    if not key:
        return None
    folded, acronyms = _lookup()
    if key in acronyms:
        return acronyms[key]
    return folded.get(key.casefold())


def country_code(text: str) -> str | None:
    """ISO 3166-1 alpha-3 code of the country `text` names or implies, or None.

    "Japan's" -> JPN, "the United States" -> USA, "U.S." -> USA, "Beijing" -> CHN,
    "Taiwanese" -> TWN. Acronyms only match in capitals ("us" is not USA).
    """
    match = country_match(text)
    return match[0] if match else None


# Cities of at least this many people are known by name: smaller towns share their names
# with places elsewhere too often ("Woodbridge, Suffolk" is not the American one).
CITY_MIN_POPULATION = 100_000
# A city name shared by other cities (of GeoNames' 15,000+ set) names the largest when it is
# this many times bigger than all the others together ("Paris" is France's, "Sydney"
# Australia's); else it names none.
CITY_DOMINANCE = 5
_COMPASS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
     "northeastern", "northwestern", "southeastern", "southwestern"}
)  # fmt: skip


@lru_cache(maxsize=1)
def _city_countries() -> dict[str, str]:
    """City name (tasks.geonames.name_key: case-folded, without accents) -> alpha-3 code of
    the one large city, or the dominant one, of that name (GeoNames, read once per process)."""
    populations: dict[str, dict[str, int]] = {}
    for name, candidates in load_gazetteer().names.items():
        for city in candidates:
            code = city.place.country_code
            if city.main_name and not city.is_state and code is not None:
                by_country = populations.setdefault(name, {})
                by_country[code] = by_country.get(code, 0) + city.population
    found = {}
    for name, by_country in populations.items():
        (code, largest), *others = sorted(by_country.items(), key=lambda item: -item[1])
        others_population = sum(population for _, population in others)
        if largest >= max(CITY_MIN_POPULATION, CITY_DOMINANCE * others_population):
            found[name] = code
    return found


@lru_cache(maxsize=1)
def _subdivision_countries() -> dict[str, str | None]:
    """Case-folded name of a state, province, county ... (ISO 3166-2 via pycountry) -> alpha-3
    code of its country, or None when countries share the name ("Punjab")."""
    alpha_3 = {country.alpha_2: country.alpha_3 for country in pycountry.countries}
    found: dict[str, str | None] = {}
    for subdivision in pycountry.subdivisions:
        key, code = subdivision.name.casefold(), alpha_3.get(subdivision.country_code)
        found[key] = code if found.get(key, code) == code else None
    return found


def place_country(name: str, cities: bool = True) -> str | None:
    """ISO 3166-1 alpha-3 code of the country a place name is in: a country form (see
    `country_code`), one with a compass word ("South Lebanon", "northern Iraq"), a state,
    province or county ("Virginia", "Suffolk"), or, with `cities`, a city ("Abidjan" -> CIV,
    "Kirkuk" -> IRQ). Regions and continents ("Asia") should not be looked up as cities: a
    town somewhere bears most names."""
    code = country_code(name)
    if code is None:
        first, _, rest = name.partition(" ")
        if first.lower() in _COMPASS and rest:
            code = country_code(rest)
    if code is None:
        key = _key(name).casefold()
        subdivisions = _subdivision_countries()
        if key in subdivisions:
            return subdivisions[key]
        if cities:
            code = _city_countries().get(name_key(name))
    return code
