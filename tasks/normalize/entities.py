"""Canonical entities: one stable entity_id per real-world entity, within and across articles."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import pycountry

from tasks.extract.gazetteer import country_match, known_organizations, name_initials, person_titles
from tasks.ids import entity_id
from tasks.normalize.places import Place
from tasks.stop_words import spacy_stop_words

if TYPE_CHECKING:  # the extractors' module imports spaCy, which this process need not load
    from tasks.extract.entities import Mention

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

_STOP_WORDS = spacy_stop_words("en")  # the parser's English stop words
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,7}s?$")


# Labels whose country the text can state beside the name ("Japanese Prime Minister ...").
STATED_COUNTRY_LABELS = frozenset({"PERSON", "ORG"})
# Country forms that state a person's or organisation's country; a capital ("Paris
# Saint-Germain striker") names a place the entity is from less surely.
STATING_KINDS = frozenset({"name", "short", "part", "demonym"})
_MODIFIER_CONTEXT_CHARS = 120  # how far before a name its title and modifiers are looked for
_ABBREVIATION = re.compile(r"^(?:[A-Z]\.)+$|^[A-Z][a-z]{0,3}\.$")  # "U.S.", "Gen.", "Dr."
_CONTEXT_WORD = re.compile(r"[^\W\d_][\w.'’&-]*|\S")


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


@lru_cache(maxsize=1 << 16)  # a name recurs within its article and from article to article
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
    """The first country named or implied by one to three of `words` ("U.S. District Court")."""
    for index in range(len(words)):
        for width in (3, 2, 1):
            code = _country_of_words(words[index : index + width])
            if code and index + width <= len(words):
                return code
    return None


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
    # Split on spaces only: "U.S." must stay one word to be read as a country.
    return _Resolution(label, _name_key(surface), _first_country(surface.split()), surface)


def _country_of_words(words: list[str]) -> str | None:
    """The country that a run of words (one to three, possessive allowed) names or implies."""
    match = country_match(" ".join(words))
    return match[0] if match and match[1] in STATING_KINDS else None


def _attributive_country(words: list[str]) -> str | None:
    """The country of a nationality adjective or an acronym ("French", "U.S."): the forms that
    modify a noun ("Kenyan runner", "U.S. trade envoy"), unlike "Japan beat ... "."""
    match = country_match(" ".join(words))
    if match is None:
        return None
    acronym = len(words) == 1 and words[0].replace(".", "").isupper()
    return match[0] if match[1] == "demonym" or (acronym and match[1] in STATING_KINDS) else None


def _ends_sentence(word: str) -> bool:
    """ "Japan." in "... visited Japan. Prime Minister ...", unlike "U.S." or "Gen."."""
    return word.endswith(".") and not _ABBREVIATION.match(word)


def _is_modifier(word: str) -> bool:
    """A word of the title or office phrase before a name: "Prime", "Minister", "Affairs",
    "defence", "spokesman" (capitalised words and the known title words)."""
    bare = word.rstrip(".").removesuffix("'s").removesuffix("’s")
    return bool(bare) and (bare[0].isupper() or bare.lower() in person_titles())


def stated_country(body: str, mention: Mention, floor: int = 0) -> str | None:
    """The country the text states for a person or organisation in the phrase around its name:
    a nationality or country before it, alone or with a title ("Japanese Prime Minister Fumio
    Kishida", "China's Taiwan Affairs spokesperson Chen Binhua", "Taiwan President Lai"), else
    one right after it (see _following_country). Of several countries in
    the phrase, the outermost one is the entity's ("China's Taiwan Affairs ..."). The phrase
    starts at `floor` at the earliest: the end of the name before it."""
    if mention.label not in STATED_COUNTRY_LABELS:
        return None
    line_start = body.rfind("\n", 0, mention.start_char) + 1
    start = max(line_start, floor, mention.start_char - _MODIFIER_CONTEXT_CHARS)
    words = _CONTEXT_WORD.findall(body[start : mention.start_char])
    found, index, common_words = None, len(words), 0
    while index > 0 and not _ends_sentence(words[index - 1]):
        # Once common words are crossed, only a nationality adjective still modifies the name.
        country_of = _country_of_words if common_words == 0 else _attributive_country
        widths = [w for w in (3, 2, 1) if w <= index and country_of(words[index - w : index])]
        width, word = (widths or [0])[0], words[index - 1]
        if width:
            found, index = country_of(words[index - width : index]), index - width
        elif _is_modifier(word) or word in {"of", "-"}:
            index -= 1
        elif word.isalpha() and word.islower() and word not in _STOP_WORDS and common_words < 2:
            common_words, index = common_words + 1, index - 1
        else:
            break
    if found:
        return found
    return _following_country(body[mention.end_char : mention.end_char + _MODIFIER_CONTEXT_CHARS])


def _following_country(after: str) -> str | None:
    """The country right after a name: in brackets ("Ana Ruiz (Spain)", as results
    lists write it), after "of" ("Mia Lund of Norway"), or an apposition's (", Japan's
    prime minister", ", the Japanese envoy")."""
    words = _CONTEXT_WORD.findall(after)
    if not words or words[0] not in {"(", ",", "of"}:
        return None
    opener, words = words[0], words[1:]
    if words and words[0].lower() == "the":
        words = words[1:]
    for width in (3, 2, 1):
        code = _country_of_words(words[:width])
        following = words[width : width + 1]
        if not code or not following:
            continue
        if opener == "(" and following[0] == ")":
            return code
        if opener == "of" and not _is_modifier(following[0]):
            return code
        if opener == "," and following[0].lower().rstrip(".") in person_titles():
            return code
    return None


def _acronym_candidates(resolution: _Resolution) -> set[str]:
    words = resolution.surface.split()
    if len(words) < 2:
        return set()
    acronyms = name_initials(words)
    if country_match(words[0]):  # "Japan Self-Defense Forces" is also written "SDF"
        acronyms |= name_initials(words[1:])
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
                if other.entity_type == "ORG" and other.key.split()[-1:] == [resolution.key]
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
    places: dict[str, Counter[Place]] = field(default_factory=dict)  # mentions per place

    def add(self, resolutions: Sequence[_Resolution], ids: Sequence[str]) -> None:
        for resolution, identifier in zip(resolutions, ids, strict=True):
            self.forms.setdefault(identifier, Counter())[resolution.surface] += 1
            if resolution.fixed_name is not None:
                self.fixed.setdefault(identifier, resolution.fixed_name)

    def add_place(self, identifier: str, place: Place | None) -> None:
        if place is not None:
            self.places.setdefault(identifier, Counter())[place] += 1

    def update(self, other: NameForms) -> None:
        for identifier, counter in other.forms.items():
            self.forms.setdefault(identifier, Counter()).update(counter)
        for identifier, name in other.fixed.items():
            self.fixed.setdefault(identifier, name)
        for identifier, counter in other.places.items():
            self.places.setdefault(identifier, Counter()).update(counter)

    def entity_places(self) -> dict[str, Place]:
        """Per placed id: the place most of its mentions resolved to (then the lowest id), so
        that an entity has one place whatever the batches."""
        return {
            identifier: min(counter.items(), key=lambda item: (-item[1], item[0].geonames_id))[0]
            for identifier, counter in self.places.items()
        }

    def names(self) -> dict[str, str]:
        """Per id: the gazetteer name, else the fullest well-cased form (commonest, then A-Z)."""
        names = {}
        for identifier, counter in self.forms.items():
            if identifier in self.fixed:
                names[identifier] = self.fixed[identifier]
                continue
            # The count decides between a name in capitals and the same name in mixed case
            # ("ACME" in most articles is its name); at a tie, the capitals are a dateline's or
            # a headline's ("BOSTON, March 3 -") and the mixed case is the name.
            cased = {form.lower() for form in counter if not form.isupper()}
            ranks = {
                form: (*name_rank(form), count, not (form.isupper() and form.lower() in cased))
                for form, count in counter.items()
            }
            best = max(ranks.values())
            names[identifier] = min(form for form, rank in ranks.items() if rank == best)
        return names


def _with_stated_countries(
    resolutions: list[_Resolution], mentions: list[Mention], body: str
) -> list[_Resolution]:
    """The article's resolutions with the countries its text states for people and
    organisations. A stated country is the outer one ("China's Taiwan Affairs Office" is CHN),
    so it replaces a country read off the name, but not a gazetteer organisation's. A phrase
    never reaches back past a person's name ("British striker Harry Kane of Leeds United")."""
    result = list(resolutions)
    floor = 0
    for index in sorted(range(len(mentions)), key=lambda index: mentions[index].start_char):
        mention, resolution = mentions[index], resolutions[index]
        code = None if resolution.fixed_name else stated_country(body, mention, floor)
        if code:
            result[index] = replace(resolution, country_code=code)
        if mention.label == "PERSON":
            floor = max(floor, mention.end_char)
    return result


def _one_country_per_entity(resolutions: list[_Resolution]) -> list[_Resolution]:
    """Every mention of an entity in an article gets the country one of them states: "Kishida"
    later in the article is the "Japanese Prime Minister Fumio Kishida" of its first line."""
    stated: dict[tuple[str, str], str] = {}
    for resolution in resolutions:
        if resolution.country_code is not None:
            stated.setdefault((resolution.entity_type, resolution.key), resolution.country_code)
    return [
        replace(r, country_code=stated.get((r.entity_type, r.key))) if r.country_code is None else r
        for r in resolutions
    ]


def link_mentions(
    mentions: Sequence[tuple[str, Mention]],
    bodies: Mapping[str, str] | None = None,
) -> tuple[list[EntityLink], NameForms]:
    """One EntityLink per (article_id, mention), in the same order, and the name forms seen.

    Ids depend on each mention and its own article only; canonical names on all `mentions`.
    With the articles' `bodies`, a person or organisation gets the country its text states.
    """
    by_article: dict[str, list[int]] = defaultdict(list)
    for position, (article, _mention) in enumerate(mentions):
        by_article[article].append(position)
    resolutions: list[_Resolution | None] = [None] * len(mentions)
    for article, positions in by_article.items():
        article_mentions = [mentions[position][1] for position in positions]
        resolved = [_resolve(mention) for mention in article_mentions]
        body = (bodies or {}).get(article)
        if body is not None:
            resolved = _with_stated_countries(resolved, article_mentions, body)
        joined = _one_country_per_entity(_join_within_article(resolved))
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
