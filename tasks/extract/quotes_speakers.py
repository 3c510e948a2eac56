"""Reporting cues and speakers: which verb introduces a statement, who its speaker is, and which
named entity a pronoun or description speaker stands for."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

_CUES_FILE = Path(__file__).with_name("reporting_cues.txt")
SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
_PARAGRAPH_BREAK = re.compile(r"\n\s*")
# Dependents that hold the speaker when it follows the verb ("said one of the organizers").
_INVERTED_SPEAKER_DEPS = ("nsubj", "dobj", "attr", "oprd", "dative", "appos")
# Entity types that are never speakers ("said Monday").
_NON_SPEAKER_ENTITIES = {"DATE", "TIME", "ORDINAL", "MONEY", "QUANTITY"}
# Relations through which a verb shares the subject of its head ("he said, adding that ...").
_SUBJECT_SHARING_DEPS = ("conj", "xcomp", "advcl", "pcomp")
# Pronouns that are objects, never the speaker after an inverted verb ("asking her").
_OBJECT_PRONOUNS = {"her", "him", "them", "me", "us", "it", "you", "himself", "herself"}
_SPAN_BREAKS = {",", "(", ")", "—", "–", "―", "--", ";", ":"}
_RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
_MALE = {"he", "him", "his", "himself", "mr", "mr."}
_FEMALE = {"she", "her", "hers", "herself", "mrs", "mrs.", "ms", "ms.", "miss"}
_PERSON_PRONOUNS = _MALE | _FEMALE | {"i", "me", "we", "us", "they", "them"}
_THING_PRONOUNS = {"it", "its", "they", "them", "we", "us"}
# Heads of descriptions that stand for an organisation or a country rather than a person.
_GROUP_NOUNS = {
    "ministry", "department", "government", "administration", "agency", "office", "company",
    "campaign", "committee", "party", "group", "organization", "organisation", "firm",
    "bank", "council", "court", "embassy", "military", "army", "navy", "union", "association",
    "paper", "newspaper", "network", "website", "report", "statement", "study", "survey", "poll",
}  # fmt: skip
_COUNTRY_NOUNS = {"country", "nation", "state", "republic", "kingdom", "city", "capital"}
# Words that make a description an unnamed source ("sources", "one of the people who ...").
_ANONYMOUS_HEADS = {
    "source", "sources", "people", "person", "official", "officials", "one", "aide", "aides",
    "insider", "insiders", "someone", "witness", "witnesses", "diplomat", "diplomats",
    "analyst", "analysts", "expert", "experts", "observer", "observers", "critic", "critics",
    "some", "others", "many", "several", "resident", "residents", "voter", "voters",
}  # fmt: skip
_INDEFINITE = {"a", "an", "one", "some", "several", "two", "three", "four", "five", "many"}


@dataclass(frozen=True)
class CueEntry:
    kind: str  # speech, stance or evidence
    frames: frozenset[str]  # object, infinitive: what besides a clause the verb can report


@cache
def reporting_lemmas() -> dict[str, CueEntry]:
    """The reporting verbs of reporting_cues.txt by lemma."""
    entries = {}
    for line in _CUES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lemma, kind, *frames = line.split()
            entries[lemma] = CueEntry(kind, frozenset(frames))
    return entries


def is_cue(token: Token) -> bool:
    """A reporting verb ("said", "warned") or the "according" of "according to"."""
    if token.lower_ == "according":
        return token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to"
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in reporting_lemmas()


_ACCORDING_TO = CueEntry("speech", frozenset())


def cue_entry(token: Token) -> CueEntry:
    """Kind and frames of a cue token ("according to" is a speech cue with no frames)."""
    return reporting_lemmas().get(token.lemma_.lower(), _ACCORDING_TO)


def speaker_like(token: Token) -> bool:
    """Whether a token can head a speaker: not a date, number or amount."""
    return token.ent_type_ not in _NON_SPEAKER_ENTITIES and not token.is_punct


def cue_text(token: Token) -> str:
    """The cue as written: the verb with its particle ("pointed out"), or "according to"."""
    if token.lower_ == "according":
        return token.doc[token.i : token.i + 2].text
    particles = [c for c in token.rights if c.dep_ == "prt" and c.i == token.i + 1]
    return token.doc[token.i : token.i + 1 + len(particles)].text


def speaker_head(cue: Token, excluded: Iterable[int] = ()) -> Token | None:
    """The token heading the speaker of a cue, or None; tokens in `excluded` (quoted) never are."""
    skip = set(excluded)
    if cue.lower_ == "according":
        to = cue.doc[cue.i + 1]
        objects = [c for c in to.children if c.dep_ == "pobj"]
        objects += [c for c in cue.children if c.dep_ == "pobj"]
        return objects[0] if objects and objects[0].i not in skip else None
    verb = cue
    for _ in range(4):
        for child in verb.children:
            if child.i in skip or not speaker_like(child):
                continue
            if child.dep_ == "nsubjpass" and verb is cue:
                # "was quoted by X": the speaker is the agent; "it is expected that": none.
                agents = [a for c in verb.children if c.dep_ == "agent" for a in c.children]
                return agents[0] if agents and agents[0].i not in skip else None
            if child.dep_ in ("nsubj", "nsubjpass"):
                # A climbed-to passive subject speaks: "Oz was grilled for saying ...".
                return child if _can_speak(child, verb) else None
        if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head
        if verb.dep_ not in _SUBJECT_SHARING_DEPS or verb.head is verb:
            break
        verb = verb.head
        if verb.dep_ == "prep" and verb.head is not verb:  # "before asking", "for saying"
            verb = verb.head
    for child in cue.rights:
        if (
            child.dep_ in _INVERTED_SPEAKER_DEPS
            and child.pos_ in ("PROPN", "NOUN", "PRON", "NUM")
            and child.lower_ not in _OBJECT_PRONOUNS
            and speaker_like(child)
            and child.i not in skip
        ):
            return child
    return None


def _can_speak(subject: Token, verb: Token) -> bool:
    """A relative "that"/"which" speaks only for a named antecedent ("China, which claims")."""
    if subject.lower_ not in ("that", "which") or verb.dep_ != "relcl":
        return True
    return verb.head.ent_type_ in SPEAKER_LABELS


def speaker_span(head: Token, excluded: Iterable[int] = ()) -> tuple[int, int]:
    """Character span of the speaker phrase headed by `head`, without quoted tokens.

    A name keeps its title and compounds but drops an appositive after a comma ("Masahisa Sato,
    a member of ..." -> "Masahisa Sato"); a description keeps its modifiers ("one of the people
    who know about the appointment").
    """
    if head.pos_ == "PRON":
        return head.idx, head.idx + len(head.text)
    skip = set(excluded)
    kept: list[Token] = []
    for token in head.subtree:
        breaks = token.i in skip or "\n" in token.text or token.text in _SPAN_BREAKS
        if token.i > head.i and (
            breaks or (token.dep_ in ("relcl", "acl", "appos") and head.pos_ == "PROPN")
        ):
            break
        if token.i < head.i and breaks:
            kept = []
            continue
        kept.append(token)
    while kept and (kept[0].is_punct or kept[0].dep_ == "cc"):
        kept.pop(0)
    while kept and kept[-1].is_punct:
        kept.pop()
    if not kept:
        return head.idx, head.idx + len(head.text)
    return kept[0].idx, kept[-1].idx + len(kept[-1].text)


@dataclass(frozen=True)
class Speaker:
    start: int
    end: int
    head: Token


def _entity_in(doc: Doc, speaker: Speaker) -> Span | None:
    """The named mention a speaker phrase is: the one holding its head word, or for an
    organisation word ("Japan's defence ministry") the organisation or country it names."""
    inside = [
        ent
        for ent in doc.ents
        if ent.label_ in SPEAKER_LABELS
        and ent.start_char < speaker.end
        and ent.end_char > speaker.start
    ]
    for ent in inside:
        if ent.start <= speaker.head.i < ent.end:
            return ent
    if speaker.head.lower_ in _GROUP_NOUNS:
        groups = [ent for ent in inside if ent.label_ != "PERSON"]
        return groups[-1] if groups else None
    return None


def _person_genders(doc: Doc) -> dict[str, str]:
    """Gender of each PERSON surname told by honorifics and by the pronouns that follow it.

    A pronoun counts for a person when that person is the only one named in the sentence before
    it, which is how news text introduces and then refers to people.
    """
    votes: dict[str, Counter[str]] = {}
    sentences = list(doc.sents)
    for index, sentence in enumerate(sentences):
        persons = [e for e in sentence.ents if e.label_ == "PERSON"]
        names = {e[-1].lower_ for e in persons}
        if len(names) != 1:
            continue
        surname = names.pop()
        counter = votes.setdefault(surname, Counter())
        first = persons[0]
        if first.start > 0 and doc[first.start - 1].lower_ in _MALE | _FEMALE:
            counter["m" if doc[first.start - 1].lower_ in _MALE else "f"] += 3
        window = list(sentence)
        if index + 1 < len(sentences):
            window += list(sentences[index + 1])
        for token in window:
            if token.lower_ in ("he", "him", "his", "himself"):
                counter["m"] += 1
            elif token.lower_ in ("she", "her", "hers", "herself"):
                counter["f"] += 1
    genders = {}
    for surname, counter in votes.items():
        if counter["m"] != counter["f"]:
            genders[surname] = "m" if counter["m"] > counter["f"] else "f"
    return genders


class SpeakerResolver:
    """Resolves speakers, taken in text order, to the named mention they stand for."""

    def __init__(self, doc: Doc) -> None:
        self._doc = doc
        self._genders = _person_genders(doc)
        # (speaker start, "person" or "group", resolved mention) of the speakers seen so far.
        self._history: list[tuple[int, str, Span | None]] = []

    def resolve(self, speaker: Speaker) -> Span | None:
        """The named entity mention for a speaker; None for an unnamed source."""
        kind, ref = self._resolve(speaker)
        self._history.append((speaker.start, kind, ref))
        return ref

    def _resolve(self, speaker: Speaker) -> tuple[str, Span | None]:
        head = speaker.head
        word = head.lower_
        if word in _RELATIVE_PRONOUNS and head.head.dep_ == "relcl" and head.head.head is not head:
            antecedent = head.head.head
            start, end = speaker_span(antecedent)
            return self._resolve(Speaker(start, end, antecedent))
        if head.pos_ == "PRON" or word in _PERSON_PRONOUNS | _THING_PRONOUNS:
            return self._resolve_pronoun(word, speaker.start)
        entity = _entity_in(self._doc, speaker)
        if entity is not None:
            return ("person" if entity.label_ == "PERSON" else "group"), entity
        if self._is_anonymous(speaker):
            return "person", None
        if word in _GROUP_NOUNS:
            return "group", self._nearest(speaker.start, ("ORG",), None)
        if word in _COUNTRY_NOUNS:
            return "group", self._nearest(speaker.start, ("GPE",), None)
        return "person", self._nearest(speaker.start, ("PERSON",), None)

    def _is_anonymous(self, speaker: Speaker) -> bool:
        span = self._doc.char_span(speaker.start, speaker.end, alignment_mode="expand")
        first_word = span[0].lower_ if span is not None and len(span) else ""
        head = speaker.head
        determiners = {c.lower_ for c in head.children if c.dep_ in ("det", "nummod")}
        return (
            head.lower_ in _ANONYMOUS_HEADS
            or bool(determiners & _INDEFINITE)
            or first_word in _INDEFINITE
        )

    def _resolve_pronoun(self, word: str, start: int) -> tuple[str, Span | None]:
        """A pronoun stands for the latest compatible speaker of the last paragraphs, else for
        the nearest earlier named mention of the right kind."""
        personal = word in _MALE | _FEMALE | {"i", "me"}
        wanted = "person" if personal else "group" if word in ("it", "its") else None
        for speaker_start, kind, ref in reversed(self._history):
            if speaker_start >= start:
                continue
            if not self._recent(speaker_start, start):
                break
            if wanted is None or kind == wanted:
                return kind, ref
        if personal:
            gender = "m" if word in _MALE else "f" if word in _FEMALE else None
            return "person", self._nearest(start, ("PERSON",), gender)
        return "group", self._nearest(start, ("ORG", "GPE", "NORP"), None)

    def _recent(self, earlier: int, start: int) -> bool:
        """Whether `earlier` is at most two paragraphs before `start`."""
        return len(_PARAGRAPH_BREAK.findall(self._doc.text, earlier, start)) <= 2

    def _nearest(self, before: int, labels: tuple[str, ...], gender: str | None) -> Span | None:
        for ent in reversed(self._doc.ents):
            if ent.end_char > before or ent.label_ not in labels:
                continue
            if gender and self._genders.get(ent[-1].lower_, gender) != gender:
                continue
            return ent
        return None
