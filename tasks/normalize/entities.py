"""Canonical entities: one stable entity_id per real-world entity, within and across articles."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from tasks.extract.entities import Mention
from tasks.extract.gazetteer import country_match, known_organizations, person_titles
from tasks.ids import entity_id

# Labels that name something; other labels (DATE, MONEY, CARDINAL, ...) are keyed on their text.
NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
# British spellings in names, keyed to the American form so both spellings share an id.
BRITISH_TO_AMERICAN = {
    "defence": "defense",
    "centre": "center",
    "programme": "program",
    "labour": "labor",
    "honour": "honor",
    "harbour": "harbor",
    "organisation": "organization",
}
# Words skipped when reading an acronym off a name ("Ministry of Defense" -> MD or MOD).
ACRONYM_STOPWORDS = frozenset({"of", "the", "and", "for", "in", "on", "de", "&"})

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,7}s?$")


@dataclass(frozen=True)
class EntityLink:
    entity_id: str  # tasks.ids.entity_id(entity_type, key): derived from a normalised key
    canonical_name: str  # the fullest well-formed name of the entity
    entity_type: str  # PERSON, ORG, GPE, ...
    country_code: str | None  # ISO 3166-1 alpha-3 of the country the entity is or belongs to


@dataclass(frozen=True)
class _Resolution:
    """What one mention resolves to before ids and canonical names are assigned."""

    entity_type: str
    key: str
    country_code: str | None
    surface: str  # the mention's name form, a candidate canonical name
    fixed_name: str | None = None  # canonical name fixed by a gazetteer (countries, known orgs)


def _surface(text: str) -> str:
    """The name as written, without a leading "the" and a trailing possessive."""
    text = " ".join(_LEADING_THE.sub("", text.strip()).split())
    return _POSSESSIVE.sub("", text) if _POSSESSIVE.search(text) and len(text) > 2 else text


def _ascii_words(text: str) -> list[str]:
    """Lower-case words of `text` without accents, possessives or punctuation."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"'s\b", "", text.casefold())
    return _WORD.findall(text.replace("&", " and "))


def _spelling_key(word: str) -> str:
    """One spelling for British/American variants and plural forms of a word."""
    word = BRITISH_TO_AMERICAN.get(word, word)
    word = re.sub(r"isation$", "ization", word)
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


def _country_tokens(words: list[str]) -> list[str]:
    """Replace country names and demonyms (up to three words long) by their alpha-3 codes."""
    out: list[str] = []
    index = 0
    while index < len(words):
        for width in (3, 2, 1):
            match = country_match(" ".join(words[index : index + width]))
            if index + width <= len(words) and match and match[1] in {"name", "short", "demonym"}:
                out.append(match[0])
                index += width
                break
        else:
            out.append(words[index])
            index += 1
    return out


def _name_key(text: str) -> str:
    """Normalised key of an organisation or other name (spelling, plural, country words)."""
    words = [word for word in _ascii_words(text) if word != "the"]
    return " ".join(_spelling_key(word) for word in _country_tokens(words))


def _person_words(text: str) -> list[str]:
    words = _ascii_words(text)
    while len(words) > 1 and words[0] in person_titles():
        words = words[1:]
    return words


def _person_key(words: list[str]) -> str:
    """Name-order independent key, so "Aso Taro" and "Taro Aso" are one person."""
    return " ".join(sorted(words))


def _first_country(words: list[str]) -> str | None:
    return next((token for token in _country_tokens(words) if token.isupper()), None)


@lru_cache(maxsize=1)
def _known_organizations() -> dict[str, tuple[str, str, str | None]]:
    """Acronym or full-name key -> (key, full name, country) of the known organisations."""
    lookup: dict[str, tuple[str, str, str | None]] = {}
    for organization in known_organizations():
        entry = (
            _name_key(organization.full_name),
            organization.full_name,
            organization.country_code,
        )
        lookup[organization.acronym] = entry
        lookup[entry[0]] = entry
    return lookup


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_3=code)
    return getattr(country, "common_name", None) or country.name


def _resolve(mention: Mention) -> _Resolution:
    """The entity a mention names on its own, without looking at the rest of its article."""
    surface = _surface(mention.text)
    label = mention.label
    if label not in NAME_LABELS:
        return _Resolution(label, " ".join(surface.casefold().split()), None, surface)
    match = country_match(surface) if label != "PERSON" else None
    if match:
        code, kind = match
        if kind in {"name", "short"}:
            return _Resolution("GPE", code, code, surface, _country_name(code))
        if kind == "demonym":
            return _Resolution("NORP", code, code, surface)
        if label in {"GPE", "LOC", "FAC"}:
            return _Resolution("GPE", _name_key(surface), code, surface)
    known = _known_organizations()
    organization = known.get(surface) or known.get(_name_key(surface))
    if organization and label != "PERSON":
        key, full_name, code = organization
        return _Resolution("ORG", key, code, surface, full_name)
    if label == "PERSON":
        return _Resolution("PERSON", _person_key(_person_words(surface)), None, surface)
    return _Resolution(label, _name_key(surface), _first_country(_ascii_words(surface)), surface)


def _initials(words: list[str]) -> set[str]:
    """Acronyms a multi-word name can be written as, with and without its small words."""
    parts = [part for word in words for part in re.split(r"[-\s]", word) if part]
    content = [part for part in parts if part.casefold() not in ACRONYM_STOPWORDS]
    return {
        "".join(part[0] for part in parts).upper(),
        "".join(part[0] for part in content).upper(),
    }


def _acronym_candidates(resolution: _Resolution) -> set[str]:
    words = resolution.surface.split()
    if len(words) < 2:
        return set()
    acronyms = _initials(words)
    if country_match(words[0]):  # "Japan Self-Defense Forces" is also written "SDF"
        acronyms |= _initials(words[1:])
    return acronyms


def _join_within_article(resolutions: list[_Resolution]) -> list[_Resolution]:
    """Short forms join the full form in the same article: surnames, acronyms, "the Association"."""
    joined = list(resolutions)
    multi_word = [
        (index, resolution)
        for index, resolution in enumerate(resolutions)
        if resolution.fixed_name is None and len(resolution.surface.split()) > 1
    ]
    people = [
        (i, set(_person_words(r.surface))) for i, r in multi_word if r.entity_type == "PERSON"
    ]
    names = [(i, r) for i, r in multi_word if r.entity_type in NAME_LABELS - {"PERSON", "GPE"}]
    for index, resolution in enumerate(resolutions):
        if resolution.fixed_name is not None or " " in resolution.surface:
            continue
        word = _person_words(resolution.surface)
        target = None
        if resolution.entity_type in {"PERSON", "ORG", "GPE"} and word:
            # A surname or first name alone: the nearest full name containing it. The model
            # often types a lone surname ORG or GPE; only an unambiguous name retypes it.
            candidates = [i for i, words in people if word[0] in words]
            if resolution.entity_type == "PERSON" or len({joined[i].key for i in candidates}) == 1:
                target = _nearest(index, candidates)
        if target is None and _ACRONYM.match(resolution.surface):
            acronym = resolution.surface.removesuffix("s")
            candidates = [i for i, other in names if acronym in _acronym_candidates(other)]
            target = _nearest(index, candidates)
        if target is None and resolution.entity_type == "ORG":
            # "the Association": the head word of exactly one longer organisation name.
            candidates = [
                i
                for i, other in names
                if other.entity_type == "ORG" and other.key.split()[-1] == resolution.key
            ]
            if len({resolutions[i].key for i in candidates}) == 1:
                target = _nearest(index, candidates)
        if target is not None:
            joined[index] = _with_surface(resolutions[target], resolution.surface)
    return joined


def _nearest(index: int, candidates: list[int]) -> int | None:
    """The closest candidate before `index`, else the closest after it."""
    before = [i for i in candidates if i < index]
    if before:
        return before[-1]
    after = [i for i in candidates if i > index]
    return after[0] if after else None


def _with_surface(target: _Resolution, surface: str) -> _Resolution:
    return _Resolution(
        target.entity_type, target.key, target.country_code, surface, target.fixed_name
    )


def name_rank(form: str) -> tuple[bool, int]:
    """How good a canonical name a form is: well-cased first, then the fullest."""
    return (not (form.isupper() and " " in form), len(form.split()))


@dataclass
class NameForms:
    """The name forms seen per entity id, from which its canonical name is chosen.

    Counts add up, so forms gathered batch by batch choose the same names as one pass over
    every mention at once.
    """

    forms: dict[str, Counter[str]] = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)  # names fixed by a gazetteer

    def add(self, resolutions: Sequence[_Resolution], ids: Sequence[str]) -> None:
        for resolution, identifier in zip(resolutions, ids, strict=True):
            self.forms.setdefault(identifier, Counter())[resolution.surface] += 1
            if resolution.fixed_name is not None:
                self.fixed.setdefault(identifier, resolution.fixed_name)

    def update(self, other: NameForms) -> None:
        for identifier, counter in other.forms.items():
            self.forms.setdefault(identifier, Counter()).update(counter)
        for identifier, name in other.fixed.items():
            self.fixed.setdefault(identifier, name)

    def names(self) -> dict[str, str]:
        """Per id: the gazetteer name, else the fullest well-cased form (commonest, then A-Z)."""

        def rank(item: tuple[str, int]) -> tuple[bool, int, int]:
            form, count = item
            return (*name_rank(form), count)

        names = {}
        for identifier, counter in self.forms.items():
            if identifier in self.fixed:
                names[identifier] = self.fixed[identifier]
                continue
            best = max(rank(item) for item in counter.items())
            names[identifier] = min(form for form in counter.items() if rank(form) == best)[0]
        return names


def link_mentions(
    mentions: Sequence[tuple[str, Mention]],
) -> tuple[list[EntityLink], NameForms]:
    """One EntityLink per (article_id, mention), in the same order, and the name forms seen.

    Ids depend on each mention and its own article only; canonical names on all `mentions`.
    """
    by_article: dict[str, list[int]] = defaultdict(list)
    for position, (article, _mention) in enumerate(mentions):
        by_article[article].append(position)
    resolutions: list[_Resolution | None] = [None] * len(mentions)
    for positions in by_article.values():
        joined = _join_within_article([_resolve(mentions[position][1]) for position in positions])
        for position, resolution in zip(positions, joined, strict=True):
            resolutions[position] = resolution
    ids = [entity_id(resolution.entity_type, resolution.key) for resolution in resolutions]
    forms = NameForms()
    forms.add(resolutions, ids)
    names = forms.names()
    links = [
        EntityLink(identifier, names[identifier], resolution.entity_type, resolution.country_code)
        for resolution, identifier in zip(resolutions, ids, strict=True)
    ]
    return links, forms
