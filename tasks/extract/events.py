"""Events: who did what to whom, where and when, typed with PLOVER's top-level event types.

A rule-based coder over spaCy's dependency parse; the words per type are data
(`event_lexicon.json`, documented there). One `EventRow` per event mention:

- trigger: an event verb ("condemned"), a verb whose type depends on its object ("imposed
  sanctions"; the trigger is then the object noun when that noun is itself an event word, as in
  "held talks"), a predicative adjective ("willing to"), or an event noun with a stated actor
  ("China's military drills", "responded with military exercises").
- actor: the subject, or the agent of a passive ("Taiwan was attacked by X" -> X), or of an
  event noun ("a visit to Taiwan by X"); a pronoun subject of reported speech is the speaker
  ("Syria said it will ..."), a "he" or "she" the one person the sentence names before it.
  PLOVER codes no event without an actor, save force used on a named target ("was killed").
  target: the direct object, the recipient ("to", "against", "with" ...), or the subject of a
  passive; for a request, the one asked ("urged Tokyo to ...").
- A complement is part of the event that governs it: "agreed to provide aid" is one AGREE,
  "accused X of violating the truce" one ACCUSE. Speech, perception and cognition verbs ("said",
  "detected") are never events themselves: what they report is.
- PLOVER codes promises and threats by what is promised: a cooperative act that is only planned
  ("will provide aid", "is willing to withdraw") is AGREE, a hostile one ("plans to impose
  restrictions", "announced it will withdraw its peacekeepers") THREATEN; meetings stay CONSULT.
  "X said Y must/should ..." is a REQUEST by X of Y.

modality, what the text commits to:
  asserted  stated as having happened or happening
  planned   intended or scheduled: "will", "would" in reported speech, "plans to", "ready to"
  possible  hedged or conditional: "may", "might", "could", "if ..."
  reported  attributed to a source by a speech or perception verb ("Taiwan said China ...")
negated is separate: "did not", "never", "no", "no official has", "refrained from", "failed to",
"declined to".
location: the named place of the event's place phrase ("in the port city of Velmora"), or for a
physical act the named place it reaches ("visited Taiwan"); "there" is the place named before.
Else, as a reader finds it: the setting coordinated verbs share ("shot and stabbed in X"), the
place of the act it was done during ("during a visit to X"), where a removal starts ("evacuated
from X"), else the nearest place phrase of its clause: of its participants ("rebels in X"), of
a clause of the same time ("Speaking in X, ..."), and for a physical act of its objects too; a
verbal act's object is its topic ("condemned the war in X" is not said in X).
countries of actor and target: the one their phrase names (a country, demonym, state or
province, or a city of GeoNames: "Lyon police" -> FRA), else, for a domestic actor ("the
party", "President X") or a target that is a thing, where the event happens or the one country
its sentence names; never for visits, deployments, aid or attacks, often done abroad.
date: the DATE mention of its clause, else of the statement reporting it, else the one of its
sentence nearest the trigger; a length of time or an age is no date ("60 years", "at 80").
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, LEMMA, LOWER, POS, TAG
from spacy.symbols import ADJ, AUX, NOUN, PROPN, VERB
from spacy.tokens import Doc, Span, Token

from tasks.extract.coreference import Coreference
from tasks.extract.doc_cache import StringTest, among, doc_dateline_end, doc_entities, doc_text
from tasks.extract.gazetteer import country_code, person_titles, place_country

LEXICON_FILE = Path(__file__).with_name("event_lexicon.json")


@dataclass(frozen=True)
class EventRow:
    sentence_index: int
    trigger_text: str
    trigger_start: int
    trigger_end: int
    event_type: str  # one of schemas.tables.PLOVER_TYPES
    actor_text: str | None
    actor_start: int | None
    actor_end: int | None
    target_text: str | None
    target_start: int | None
    target_end: int | None
    location_text: str | None
    date_text: str | None  # the date expression as written ("on Monday", "in August last year")
    modality: str  # asserted | planned | possible | reported (see the module docstring)
    negated: bool
    confidence: float  # 0..1
    # The named-entity mention (one of doc.ents) the actor / target is or contains, for linking.
    actor_ref_start: int | None = None
    actor_ref_end: int | None = None
    target_ref_start: int | None = None
    target_ref_end: int | None = None
    # ISO 3166-1 alpha-3 of the country the actor / target phrase names ("Chilean Finance
    # Minister Ana Ruiz" -> CHL), for when the linked entity has none.
    actor_country: str | None = None
    target_country: str | None = None


# Cooperative acts that, when only promised, PLOVER codes as AGREE; hostile ones as THREATEN.
_PROMISED_AS_AGREE = frozenset({"SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
_PROMISED_AS_THREAT = frozenset({"SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "PROTEST"})
_FORCE = frozenset({"MOBILIZE", "ASSAULT"})
_HOSTILE = frozenset(
    {"ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
)

_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would"})
_POSSIBLE_AUX = frozenset({"may", "might", "could", "can", "ca"})
_OBLIGATION_AUX = frozenset({"must", "should", "ought"})
_CONDITION_MARKS = frozenset({"if", "unless"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
# Report verbs whose subject is the actor of the act they announce (see `_inherits_actor`).
_OWN_ACT_ANNOUNCERS = frozenset({"announce", "declare", "unveil"})
_RELATIVE_PRONOUNS = frozenset({"which", "who", "that", "whom"})
_PERSONAL_PRONOUNS = frozenset({"it", "he", "she", "they", "we", "i"})
_NEGATIVE_PRONOUNS = frozenset({"nobody", "none", "nothing"})
# Dependency arcs over which an event word is an argument of the word above it.
_ARGUMENT_DEPS = frozenset(
    {"dobj", "xcomp", "ccomp", "pcomp", "pobj", "prep", "attr", "oprd", "dative", "acomp"}
)
# Prepositions that introduce an argument (not a circumstance like "during" or "after").
_ARGUMENT_PREPS = frozenset({"of", "for", "to", "against", "on", "over", "about", "from", "into"})
# Prepositions over which an event noun takes its actor from the verb above ("launch of drills").
_NOUN_ARGUMENT_PREPS = frozenset({"of", "with", "for", "to", "by", "into", "on", "against"})
_NOUN_TARGET_PREPS = (
    "on", "against", "to", "with", "between", "of", "for", "toward", "towards", "into"
)  # fmt: skip
_TARGET_PREPS = ("to", "against", "on", "with", "toward", "towards", "into", "at", "from", "over")
_LOCATION_PREPS = (
    "in", "at", "near", "outside", "inside", "off", "around", "across", "within", "throughout",
    "along", "during",
)  # fmt: skip
# Within a place phrase, the arcs that lead to the named place: "the eastern town [of
# Velmora]", "a raid [on] a farm [in] the district [of] Oskar", "the [Velmora] bureau".
_PLACE_PREPS = frozenset({*_LOCATION_PREPS, "of", "on"})
# Acts done in a place they reach or act on (not verbal acts: "sanctioned Iran" is not in Iran).
_PHYSICAL = frozenset(
    {"CONSULT", "COOPERATE", "AID", "RETREAT", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT"}
)
_DESTINATION_PREPS = ("to", "into", "onto")
# Prepositions of what a shot or an assault is aimed at: "fired on the crowd", "shot at".
_AIMED_PREPS = ("at", "on", "upon", "into", "against")
# Prepositions that lead away from where a phrase's people are: "troops sent [to] Iraq".
_AWAY_PREPS = frozenset({"to", "into", "onto", "toward", "towards", "against", "from"})
# Acts often done abroad (visits, deployments, aid, attacks): an actor's country is never
# inferred from where they happen ("the agency posted an envoy in Velmora").
_CROSS_BORDER = frozenset({"CONSULT", "COOPERATE", "AID", "MOBILIZE", "ASSAULT"})
# A country named around a mention that is not its own: "an anti-Norway writer", "the
# pro-Chilean faction", "ethnic Danes", "the Peruvian-backed rebels".
_NOT_OWN_BEFORE = re.compile(r"(?:\b(?:anti|pro)\s*-\s*|\bethnic\s+)$", re.IGNORECASE)
_NOT_OWN_AFTER = re.compile(r"^\s*-\s*backed\b", re.IGNORECASE)
_PLACE_NOUNS = frozenset(
    {"city", "town", "village", "province", "region", "district", "county", "state", "capital",
     "port", "island", "area", "enclave", "municipality", "suburb", "neighbourhood",
     "neighborhood"}
)  # fmt: skip
_PLACE_MODIFIER_DEPS = frozenset({"compound", "nmod", "amod", "appos"})
# Verbs of removing and leaving, whose "from" phrase is where they happen ("evacuated the
# wounded from the town of X", "pulled out of X"): Levin's (1993) classes 10.1 remove, 10.2
# banish, 51.1 escape and 51.2 leave, with the particle "out".
_REMOVAL_VERBS = frozenset(
    {"remove", "withdraw", "evacuate", "expel", "deport", "extradite", "banish", "exile", "evict",
     "oust", "eject", "dislodge", "uproot", "recall", "repatriate", "flee", "escape", "leave",
     "depart", "retreat", "abandon", "desert", "rescue", "airlift", "free", "release", "drive",
     "pull", "ship", "move", "exit"}
)  # fmt: skip
_SOURCE_PREPS = ("from", "of")  # "from X", "out of X"
# Prepositions of an origin, or of another time, whose place is not the event's.
_OTHER_TIME_PREPS = frozenset(
    {"from", "after", "before", "since", "until", "following", "despite", "than", "like"}
)
# Arcs a place phrase of the event's clause is reached by: its arguments, complements and
# adverbial clauses ("quit as the protesters vowed to march on his office [in X]",
# "urged both sides of the war [in X] to let ..."), not a relative or participial clause,
# which describes one of them ("a journalist who was born in X"), and not the content of a
# report, which is an event of its own.
_CLAUSE_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "dative", "attr", "oprd", "acomp", "xcomp", "advcl", "prep",
     "pobj", "pcomp", "agent", "appos", "nmod", "conj"}
)  # fmt: skip
# What places a DATE mention in time: a month, a weekday, a year, a holiday or a word that counts
# from the day of writing.
_PLACED_IN_TIME = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:1[89]|20)\d\d|\b\d{1,2}/\d{1,2}\b"
    r"|\b(?:today|tonight|yesterday|tomorrow|ago|last|this|next|past|coming|current|earlier|"
    r"later|recent|recently|previous|christmas|easter|weekend)\b",
    re.IGNORECASE,
)
_DATE_PREPS = frozenset({"on", "in", "since", "during", "until", "by", "from", "at", "before"})
_PHRASE_CUT_DEPS = frozenset({"relcl", "acl", "punct", "advcl", "parataxis"})
# Verbs that are acts of recognition or concession with an object ("recognised the new
# government", "accepted the offer", "conceded the seat") but, with a "that" clause, say what
# their subject holds true ("accepted that mistakes were made"), as a cognition verb does.
_GRANTING_VERBS = frozenset({"accept", "recognise", "recognize", "concede", "acknowledge"})
# A "that" clause with one of these settles an arrangement ("accepted that talks would
# resume"): an agreement to something to come, not a view of what is.
_FUTURE_AUX = frozenset({"will", "would", "shall", "'ll"})
# "recognised that the territory is a sovereign state": the diplomatic act of recognition.
_STATEHOOD_NOUNS = frozenset({"state", "country", "nation", "republic", "government"})
# Verbs whose direct object is the one asked to act ("urged Tokyo to reconsider").
_OBJECT_CONTROL = frozenset(
    {"urge", "ask", "order", "tell", "force", "press", "call", "persuade", "invite", "allow",
     "permit", "request", "encourage", "warn", "advise", "demand", "push", "help", "compel",
     "require"}
)  # fmt: skip


@dataclass(frozen=True)
class _Lexicon:
    verbs: dict[str, str]
    phrasal_verbs: dict[str, str]
    verb_object: dict[str, dict[str, str | None]]
    object_verbs: frozenset[str]
    military_motion: frozenset[str]
    adjectives: dict[str, str]
    nouns: dict[str, str]
    noun_phrases: dict[str, str]
    container_nouns: frozenset[str]
    intention_verbs: frozenset[str]
    intention_adjectives: frozenset[str]
    commitment_verbs: dict[str, str]
    negating_verbs: frozenset[str]
    undergoing_verbs: frozenset[str]
    report_verbs: frozenset[str]
    actor_nouns: frozenset[str]
    military_nouns: frozenset[str]
    domestic_nouns: frozenset[str]


def _by_word(words_per_type: dict[str, list[str]]) -> dict[str, str]:
    return {word: event_type for event_type, words in words_per_type.items() for word in words}


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """The event lexicon, read once from the JSON file shipped with this module."""
    data = json.loads(LEXICON_FILE.read_text(encoding="utf-8"))
    return _Lexicon(
        verbs=_by_word(data["verbs"]),
        phrasal_verbs=_by_word(data["phrasal_verbs"]),
        verb_object=data["verb_object"],
        object_verbs=frozenset(data["object_verbs"]),
        military_motion=frozenset(data["military_motion"]),
        adjectives=_by_word(data["adjectives"]),
        nouns=_by_word(data["nouns"]),
        noun_phrases=data["noun_phrases"],
        container_nouns=frozenset(data["container_nouns"]),
        intention_verbs=frozenset(data["intention_verbs"]),
        intention_adjectives=frozenset(data["intention_adjectives"]),
        commitment_verbs=data["commitment_verbs"],
        negating_verbs=frozenset(data["negating_verbs"]),
        undergoing_verbs=frozenset(data["undergoing_verbs"]),
        report_verbs=frozenset(data["report_verbs"]) - set(data["commitment_verbs"]),
        actor_nouns=frozenset(data["actor_nouns"]),
        military_nouns=frozenset(data["military_nouns"]),
        domestic_nouns=frozenset(data["domestic_nouns"]),
    )


@dataclass
class _Candidate:
    """An event word found in the parse, before roles are attached."""

    trigger: Token  # the word reported as the trigger
    anchor: Token  # the verb (or adjective) whose clause carries subject, modality and date
    event_type: str
    kind: str  # verb | adjective | noun
    consumed: Token | None = None  # object noun that is part of the trigger ("imposed sanctions")
    last: Token | None = None  # last word of a multi-word trigger ("must drop")


def _is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")


def _children(token: Token, *deps: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def _object_of(verb: Token) -> Token | None:
    """The verb's object: direct object, subject of a passive, or the noun a participle modifies."""
    objects = _children(verb, "dobj") or _children(verb, "nsubjpass")
    if objects:
        return objects[0]
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return verb.head
    return None


def _content_noun(noun: Token) -> Token:
    """The noun a container noun holds ("a state of [siege]"), else the noun itself."""
    if noun.lemma_.lower() in lexicon().container_nouns:
        for prep in _children(noun, "prep"):
            if prep.lower_ == "of" and _children(prep, "pobj"):
                return _children(prep, "pobj")[0]
    return noun


def _noun_keys(noun: Token) -> list[str]:
    """Lemmas to look an object noun up by: its modifiers first (more specific), then its head."""
    noun = _content_noun(noun)
    modifiers = [c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod")]
    return [*modifiers, noun.lemma_.lower(), noun.lower_]


def _noun_type(noun: Token) -> str | None:
    lex = lexicon()
    return (
        _noun_phrase_type(noun) or lex.nouns.get(noun.lower_) or lex.nouns.get(noun.lemma_.lower())
    )


def _noun_phrase_type(noun: Token) -> str | None:
    """The type of "modifier noun" phrases of the lexicon: "hunger strike", "joint exercise"."""
    lex = lexicon()
    for modifier in noun.children:
        if modifier.dep_ in ("compound", "amod"):
            phrase = f"{modifier.lemma_.lower()} {noun.lemma_.lower()}"
            if phrase in lex.noun_phrases:
                return lex.noun_phrases[phrase]
    return None


def _verb_candidate(verb: Token) -> _Candidate | None:
    lex = lexicon()
    lemma = verb.lemma_.lower()
    particles = [c.lower_ for c in verb.children if c.dep_ == "prt"]
    preps = [c.lower_ for c in verb.children if c.dep_ == "prep"]
    for particle in particles + preps:
        phrasal = lex.phrasal_verbs.get(f"{lemma} {particle}")
        if phrasal:
            return _Candidate(verb, verb, phrasal, "verb")
    # Without an object, the verb's "on" phrase ("went on strike") or the one it lets or makes
    # act ("allowed inspectors to return").
    obj = (
        _object_of(verb)
        or next(iter(_prepositional_objects(verb, ("on",))), None)
        or _controlled_subject(verb)
    )
    if lemma in lex.verb_object and obj is not None:
        for key in _noun_keys(obj):
            if key in lex.verb_object[lemma]:
                event_type = lex.verb_object[lemma][key]
                if event_type is None:
                    return None
                # "held joint exercises": the phrase's own type wins over the head noun's.
                event_type = _noun_phrase_type(_content_noun(obj)) or event_type
                trigger = obj if _noun_type(obj) == event_type and obj.i != verb.head.i else verb
                return _Candidate(trigger, verb, event_type, "verb", consumed=obj)
    if lemma in lex.negating_verbs and _children(verb, "xcomp"):
        return None  # "declined to comment": only negates its complement
    if lemma in lex.commitment_verbs:
        return _Candidate(verb, verb, _commitment_type(verb), "verb")
    if lemma in lex.object_verbs and not _has_aim(verb):
        return None  # "stormed to victory", "shares shot up"
    if lemma in _GRANTING_VERBS and _states_a_fact(verb):
        return None  # "accepted that mistakes were made": what one holds true, no act
    if lemma in lex.verbs:
        return _Candidate(verb, verb, lex.verbs[lemma], "verb")
    if lemma in lex.military_motion:
        subject = _grammatical_subject(verb)
        if subject is not None and subject.lemma_.lower() in lex.military_nouns:
            return _Candidate(verb, verb, "MOBILIZE", "verb")
    return None


def _states_a_fact(verb: Token) -> bool:
    """A verb whose object is a "that" clause stating what is ("that the figures were wrong"),
    not a noun (the parser reads some noun phrases as clauses: "the ceasefire offer"), an
    arrangement to come ("that the talks would resume") or a state's recognition."""
    clauses = _children(verb, "ccomp")
    if not clauses or _children(verb, "dobj") or not _children(clauses[0], "mark"):
        return False
    clause = clauses[0]
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in _FUTURE_AUX for c in clause.children):
        return False
    recognises = verb.lemma_.lower() in ("recognise", "recognize")
    return not (recognises and any(c.lemma_ in _STATEHOOD_NOUNS for c in _children(clause, "attr")))


def _has_aim(verb: Token) -> bool:
    """True when an act of shooting or storming has someone or something it is aimed at: an
    object, the subject of its participle ("saw him shot"), or an aimed preposition ("fired on
    the crowd", "to be shot at")."""
    if _object_of(verb) is not None or (verb.tag_ == "VBN" and _children(verb, "nsubj")):
        return True
    return any(
        noun.ent_type_ not in ("DATE", "TIME")
        for noun in _prepositional_objects(verb, _AIMED_PREPS)
    ) or any(
        prep.lower_ == "at" and not _children(prep, "pobj") for prep in _children(verb, "prep")
    )


def _controlled_subject(verb: Token) -> Token | None:
    """ "allowed [inspectors] to return": the subject of an object-control verb's complement."""
    if verb.lemma_.lower() not in _OBJECT_CONTROL:
        return None
    for complement in _children(verb, "xcomp", "ccomp"):
        subjects = _children(complement, "nsubj")
        if subjects:
            return subjects[0]
    return None


def _commitment_type(verb: Token) -> str:
    """A promise is AGREE and a threat THREATEN, but promising a hostile act is a threat."""
    base = lexicon().commitment_verbs[verb.lemma_.lower()]
    if base != "AGREE" or verb.lemma_.lower() == "agree":
        return base
    for complement in _children(verb, "xcomp", "ccomp"):
        inner = _verb_candidate(complement) if _is_verb(complement) else None
        if inner is not None and inner.event_type in _HOSTILE:
            return "THREATEN"
    return base


class _Tokens:
    """Indices of the tokens each pass looks at, selected on the parse's attribute arrays so
    that no Token object is made for the many words that cannot be event words."""

    def __init__(self, doc: Doc):
        pos, tag, dep, lemma, lower, entity = doc.to_array(
            [POS, TAG, DEP, LEMMA, LOWER, ENT_TYPE]
        ).T
        strings = doc.vocab.strings
        verb = (pos == VERB) | (pos == AUX) | _VERB_TAGS.mask(doc, tag)
        in_lexicon = _LEXICON_LEMMAS.mask(doc, lemma)
        # Verbs and adjectives of the lexicon (see `_candidates`).
        self.words = np.flatnonzero(((verb & (pos != AUX)) | (pos == ADJ)) & in_lexicon).tolist()
        # Nouns of the lexicon, by lemma or as written (see `_candidates`).
        self.nouns = np.flatnonzero(
            ((pos == NOUN) | (pos == PROPN))
            & (dep != strings["compound"])
            & ((entity == 0) | (entity == strings["NORP"]))
            & (in_lexicon | among(doc, lower, lexicon().nouns))
        ).tolist()
        # Verbs of reported clauses, where "X said Y must ..." requests are (see `_requests`).
        self.complements = np.flatnonzero(verb & (dep == strings["ccomp"])).tolist()


@lru_cache(maxsize=1)
def _lexicon_lemmas() -> frozenset[str]:
    """Lower-case lemmas of every word `_verb_candidate`, the adjectives or `_noun_type` can give
    a type to: a word outside them is no event word."""
    lex = lexicon()
    phrases = [*lex.phrasal_verbs, *lex.noun_phrases]
    # Each word boundary of "hold back" or "peace talk": its verb before, its noun after.
    parts = {
        part
        for phrase in phrases
        for cut in range(1, phrase.count(" ") + 1)
        for part in (phrase.rsplit(" ", cut)[0], phrase.split(" ", cut)[-1])
    }
    return frozenset(parts).union(
        lex.verbs, lex.verb_object, lex.commitment_verbs, lex.military_motion, lex.adjectives,
        lex.nouns,
    )  # fmt: skip


_VERB_TAGS = StringTest(lambda tag: tag.startswith("VB"))
_LEXICON_LEMMAS = StringTest(lambda lemma: lemma.lower() in _lexicon_lemmas())


def _candidates(doc: Doc, tokens: _Tokens) -> list[_Candidate]:
    lex = lexicon()
    found: dict[int, _Candidate] = {}
    consumed: set[int] = set()
    for token in map(doc.__getitem__, tokens.words):
        if _is_verb(token) and token.pos_ != "AUX":
            candidate = _verb_candidate(token)
        elif token.pos_ == "ADJ" and token.lemma_.lower() in lex.adjectives:
            candidate = (
                _Candidate(token, token, _adjective_type(token), "adjective")
                if _children(token, "xcomp")
                else None
            )
        else:
            candidate = None
        if candidate is not None:
            found[token.i] = candidate
            if candidate.consumed is not None:
                consumed.add(candidate.consumed.i)
    for token in map(doc.__getitem__, tokens.nouns):
        if token.pos_ not in ("NOUN", "PROPN") or token.i in found or token.i in consumed:
            continue
        if token.dep_ == "compound" or (token.ent_type_ and token.ent_type_ != "NORP"):
            continue
        event_type = _noun_type(token)
        if event_type is not None:
            found[token.i] = _Candidate(token, _governing_verb(token) or token, event_type, "noun")
    return [found[i] for i in sorted(found)]


def _adjective_type(adjective: Token) -> str:
    """'willing to withdraw' is AGREE, 'ready to strike' THREATEN."""
    for complement in _children(adjective, "xcomp"):
        inner = _verb_candidate(complement)
        if inner is not None and inner.event_type in _HOSTILE:
            return "THREATEN"
    return lexicon().adjectives[adjective.lemma_.lower()]


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb above a noun along argument arcs ("responded ... with exercises")."""
    current = token
    while current.dep_ in ("dobj", "pobj", "prep", "nsubjpass", "attr", "conj", "appos"):
        if current.dep_ == "prep" and current.lower_ not in _NOUN_ARGUMENT_PREPS:
            return None
        current = current.head
        if _is_verb(current) or (current.pos_ == "ADJ" and current.dep_ == "acomp"):
            return current
        if current.head.i == current.i:
            break
    return None


def _absorbing_governor(candidate: _Candidate, by_token: dict[int, _Candidate]) -> bool:
    """True when the event word is an argument of another event word (its complement/object)."""
    lex = lexicon()
    current = candidate.trigger
    while current.head.i != current.i and (
        current.dep_ in _ARGUMENT_DEPS or _is_infinitival_complement(current)
    ):
        if current.dep_ == "prep" and current.lower_ not in _ARGUMENT_PREPS:
            return False
        current = current.head
        if current.i in by_token and by_token[current.i] is not candidate:
            return True
        if current.lemma_.lower() in lex.report_verbs and _is_verb(current):
            return False
    return False


def _is_infinitival_complement(token: Token) -> bool:
    """ "an offer [to host talks]", "calls [for troops to be deployed]": content of a noun."""
    return token.dep_ == "acl" and any(c.lower_ == "to" for c in _children(token, "aux"))


def _grammatical_subject(verb: Token) -> Token | None:
    # "PARIS (AFP) - French police arrested": the parser may take the dateline for a subject.
    dateline_end = doc_dateline_end(verb.doc)
    subjects = [s for s in _children(verb, "nsubj", "csubj") if s.idx >= dateline_end]
    if subjects:
        subject = subjects[0]
        if subject.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            return verb.head
        return subject
    if verb.dep_ == "acl" and verb.tag_ == "VBG":
        # "rebels fighting ...": the rebels fight; "X issued a declaration demanding ...": X does.
        if _names_actor(verb.head):
            return verb.head
        governor = _governing_verb(verb.head)
        return _grammatical_subject(governor) if governor is not None else None
    # The subject of the copula carries adjectives ("X is willing to ..."), and of "going to".
    if verb.dep_ in ("acomp", "xcomp", "conj", "advcl", "pcomp", "prep") or verb.pos_ == "ADJ":
        head = verb.head
        if head.i == verb.i:
            return None
        if verb.dep_ == "pcomp" or head.pos_ == "ADP":
            head = head.head
        if verb.dep_ == "xcomp":
            controllers = _children(head, "dobj")
            if controllers and head.lemma_.lower() in _OBJECT_CONTROL:
                return controllers[0]
        if _is_verb(head) or head.pos_ == "ADJ":
            return _grammatical_subject(head)
    return None


def _is_passive(verb: Token) -> bool:
    if _children(verb, "nsubjpass", "auxpass"):
        return True
    return verb.tag_ == "VBN" and (
        verb.dep_ == "acl" or (verb.dep_ == "advcl" and not _children(verb, "nsubj", "aux"))
    )


def _agent(verb: Token) -> Token | None:
    for agent in _children(verb, "agent"):
        objects = _children(agent, "pobj")
        if objects:
            return objects[0]
    return None


def _report_governor(token: Token) -> Token | None:
    """The speech or perception verb whose content this clause is ("Taiwan said [it ...]")."""
    lex = lexicon()
    current = token
    while current.head.i != current.i and current.dep_ in (
        "ccomp",
        "xcomp",
        "conj",
        "dobj",
        "acomp",
    ):
        current = current.head
        if _is_verb(current) and current.lemma_.lower() in lex.report_verbs:
            return current
    return None


def _is_actor_like(token: Token) -> bool:
    if token.ent_type_ in _ACTOR_LABELS or token.pos_ == "PRON":
        return True
    return token.lemma_.lower() in lexicon().actor_nouns


def _names_actor(head: Token) -> bool:
    """True when a noun phrase names a political actor: a person, group, place or pronoun."""
    clauses = {t.i for c in head.children if c.dep_ in _PHRASE_CUT_DEPS for t in c.subtree}
    return any(_is_actor_like(t) for t in head.subtree if t.i not in clauses)


def _prepositional_objects(word: Token, prepositions: tuple[str, ...]) -> list[Token]:
    """Objects of the word's prepositions, in the order the prepositions are listed."""
    found = []
    preps = _children(word, "prep", "dative")
    for prep_word in prepositions:
        for prep in preps:
            if prep.lower_ == prep_word:
                found.extend(_children(prep, "pobj"))
    return found


def _recipient(verb: Token, exclude: set[int]) -> Token | None:
    """Who the act is directed at. Named actors before actor nouns, the verb's own arguments
    before those of its object: "lent its ships to [Chile's navy]", "passed
    files to [the U.N.]", "imposed tariffs on [X]", "urged a boycott of [X]"."""
    objects = [t for t in _children(verb, "dobj", "dative") if t.i not in exclude]
    prepositional = [t for t in _prepositional_objects(verb, _TARGET_PREPS) if t.i not in exclude]
    owners = [*objects, *(t for t in _children(verb, "dobj", "nsubjpass") if t.i in exclude)]
    owners += _prepositional_objects(verb, tuple(_ARGUMENT_PREPS))
    nested = [t for owner in owners for t in _prepositional_objects(owner, _NOUN_TARGET_PREPS)]
    tiers = (
        (objects, _is_named),
        (prepositional, _is_named),
        (objects, _names_actor),
        (prepositional, _names_actor),
        (nested, _names_actor),
    )
    for candidates, test in tiers:
        for candidate in candidates:
            if test(candidate):
                return candidate
    return objects[0] if objects else None


def _is_named(head: Token) -> bool:
    """True when the phrase's head is (part of) a named person, group or place."""
    return head.ent_type_ in _ACTOR_LABELS


def _roles(candidate: _Candidate) -> tuple[Token | None, Token | None]:
    """(actor, target) head tokens of an event."""
    if candidate.kind == "noun":
        return _noun_roles(candidate)
    verb = candidate.anchor
    exclude = {candidate.consumed.i} if candidate.consumed is not None else set()
    lemma = verb.lemma_.lower()
    if _is_passive(verb) and lemma in lexicon().commitment_verbs and not _agent(verb):
        # "Vietnam is committed to ...": adjectival, the subject commits itself.
        actor, target = (_children(verb, "nsubjpass") or [None])[0], None
    elif _is_passive(verb):
        actor = _agent(verb) or _cause(verb)
        targets = _children(verb, "nsubjpass")
        target = targets[0] if targets else _passive_subject(verb)
        if target is not None and target.i in exclude:
            # "A Japanese official was dispatched to Taiwan": Japan sent, Taiwan receives.
            if actor is None:
                actor = _owner(target)
            target = _recipient(verb, exclude)
    else:
        actor = _grammatical_subject(verb)
        target = _recipient(verb, exclude)
    if target is None and candidate.consumed is not None and _noun_type(candidate.consumed):
        # "broke up the sit-in held by nurses": those who hold it undergo the act.
        target = _noun_agent(candidate.consumed)
    if target is None:
        target = _complement_target(verb, actor)
    if target is None:
        target = _place(verb, candidate.consumed)
    return actor, target


def _cause(verb: Token) -> Token | None:
    """The attack that did what an agentless passive says: "died in a mortar strike"."""
    for cause in _prepositional_objects(verb, ("in", "by")):
        if _noun_type(cause) == "ASSAULT":
            return cause
    return None


def _place(verb: Token, obj: Token | None) -> Token | None:
    """Where the act happened, which PLOVER codes as its target when nobody else is named
    ("set up checkpoints in the valley", "lifted the curfew in Velmora")."""
    words = [verb] if obj is None else [verb, obj]
    for word in words:
        for noun in _prepositional_objects(word, ("in", "on", "at")):
            place = _place_token(noun)
            if place is not None:
                return place
    return None


def _passive_subject(verb: Token) -> Token | None:
    """Who undergoes a participle without a subject: "an official dispatched by ...", "when
    asked about ..." (the subject of the clause it modifies)."""
    if verb.dep_ == "acl":
        return verb.head
    if verb.dep_ == "advcl" and verb.tag_ == "VBN":
        return _grammatical_subject(verb.head)
    return None


def _owner(noun: Token) -> Token | None:
    """The named actor a noun belongs to: "Japanese official" -> Japanese, "China's navy", "a
    bureaucrat from the defence ministry"."""
    for child in noun.children:
        if child.dep_ in ("poss", "amod", "compound", "nmod") and child.ent_type_ in _ACTOR_LABELS:
            return child
    for origin in _prepositional_objects(noun, ("from",)):
        if _names_actor(origin):
            return origin
    return None


def _complement_target(verb: Token, actor: Token | None) -> Token | None:
    """Target found inside a complement: "demanded [the US] cancel", "refused to meet [X]"."""
    for complement in _children(verb, "xcomp", "ccomp", "prep"):
        if complement.pos_ == "ADP":
            inner = _children(complement, "pcomp")
            if not inner:
                continue
            complement = inner[0]
        if not _is_verb(complement):
            continue
        subjects = _children(complement, "nsubj", "nsubjpass")
        if subjects and (actor is None or subjects[0].i != actor.i) and _is_actor_like(subjects[0]):
            return subjects[0]
        recipient = _recipient(complement, set())
        if recipient is None:
            recipient = _place(complement, (_children(complement, "dobj") or [None])[0])
        if recipient is not None and _names_actor(recipient):
            return recipient
    return None


def _noun_roles(candidate: _Candidate) -> tuple[Token | None, Token | None]:
    noun = candidate.trigger
    actor = None
    for child in noun.children:
        if child.dep_ == "poss" or (
            child.dep_ in ("compound", "amod", "nmod") and child.ent_type_ in _ACTOR_LABELS
        ):
            actor = child
            break
    verb = candidate.anchor
    preps = _children(noun, "prep")
    if verb.i != noun.i and verb.lemma_.lower() in lexicon().report_verbs:
        # "detected incursions [into its zone]": a report verb's own argument is the noun.
        preps += [prep for prep in _children(verb, "prep") if prep.i > noun.i]
    target = None
    for prep in preps:
        pobjs = _children(prep, "pobj")
        if pobjs and prep.lower_ in _NOUN_TARGET_PREPS and _names_actor(pobjs[0]):
            target = pobjs[0]
            break
    if actor is None:
        actor = _noun_agent(noun, verb)
    if (actor is None or actor.pos_ == "PRON") and verb.i != noun.i and _inherits_actor(noun):
        actor = _agent(verb) if _is_passive(verb) else _grammatical_subject(verb)
    if actor is not None and actor.i == noun.i:
        actor = None
    return actor, target


def _noun_agent(noun: Token, verb: Token | None = None) -> Token | None:
    """The "by" agent of an event noun: "a visit by X", "a visit to Peru by X", "a
    march held by X", and, with the verb above the noun, the parse's "responded to a
    visit [by X]" with "by" hung on the active verb, whose agent it cannot be."""
    holders = [noun, *(obj for prep in _children(noun, "prep") for obj in _children(prep, "pobj"))]
    holders += [participle for participle in _children(noun, "acl") if participle.tag_ == "VBN"]
    hung_on_verb = verb is not None and verb.i != noun.i and not _is_passive(verb)
    for holder in [*holders, verb] if hung_on_verb else holders:
        for prep in _children(holder, "prep", "agent"):
            pobjs = _children(prep, "pobj")
            if prep.lower_ == "by" and pobjs and (holder is not verb or prep.i > noun.i):
                return pobjs[0]
    return None


def _inherits_actor(noun: Token) -> bool:
    """An event noun is done by the subject of the verb above it, unless that verb only reports
    or perceives it ("Taiwan detected incursions"), its subject undergoes it ("they face
    imprisonment") or the noun is itself the subject. Who announces an act announces their own
    ("China announced the launch of drills")."""
    verb = _governing_verb(noun)
    if verb is None or noun.dep_ in ("nsubj", "nsubjpass"):
        return False
    lemma = verb.lemma_.lower()
    if lemma in lexicon().undergoing_verbs:
        return False
    return lemma in _OWN_ACT_ANNOUNCERS or lemma not in lexicon().report_verbs


def _negated(candidate: _Candidate) -> bool:
    lex = lexicon()
    for word in {candidate.trigger, candidate.anchor}:
        for child in word.children:
            if child.dep_ == "neg" or child.lower_ in ("never", "no"):
                return True
    # "No senior official has visited", "nobody was arrested": the doer is denied.
    for subject in _children(candidate.anchor, "nsubj", "nsubjpass"):
        if subject.lower_ in _NEGATIVE_PRONOUNS or any(
            child.dep_ == "det" and child.lower_ == "no" for child in subject.children
        ):
            return True
    current = candidate.anchor
    while current.head.i != current.i and current.dep_ in ("xcomp", "pcomp", "prep", "pobj"):
        current = current.head
        if current.lemma_.lower() in lex.negating_verbs:
            return True
        if any(child.dep_ == "neg" for child in current.children) and current.dep_ != "pobj":
            return True
    return False


def _modality(candidate: _Candidate) -> str:
    lex = lexicon()
    verb = candidate.anchor
    chain = [verb]
    current = verb
    while current.head.i != current.i and current.dep_ in ("xcomp", "pcomp", "prep", "conj"):
        current = current.head
        chain.append(current)
    for word in chain:
        auxiliaries = {child.lower_ for child in word.children if child.dep_ in ("aux", "auxpass")}
        if auxiliaries & _POSSIBLE_AUX:
            return "possible"
        if auxiliaries & _FUTURE_AUX:
            return "planned"
        if word.i != verb.i and (
            word.lemma_.lower() in lex.intention_verbs
            or word.lemma_.lower() in lex.intention_adjectives
        ):
            return "planned"
    if any(child.lower_ in _CONDITION_MARKS for child in verb.children if child.dep_ == "mark"):
        return "possible"
    if _report_governor(verb) is not None:
        return "reported"
    return "asserted"


def _promised_type(candidate: _Candidate, modality: str, negated: bool) -> str:
    """PLOVER codes an announced cooperative act as AGREE and an announced hostile act THREATEN."""
    if modality != "planned" or negated or candidate.kind == "noun":
        return candidate.event_type
    if candidate.event_type in _PROMISED_AS_AGREE:
        return "AGREE"
    if candidate.event_type in _PROMISED_AS_THREAT:
        return "THREATEN"
    return candidate.event_type


def _requests(
    doc: Doc, tokens: _Tokens, by_token: dict[int, _Candidate]
) -> Iterator[tuple[_Candidate, Token]]:
    """ "X said Y must/should ..." : a REQUEST by the speaker of Y; yields (event, target)."""
    lex = lexicon()
    for token in map(doc.__getitem__, tokens.complements):
        if not _is_verb(token) or token.dep_ != "ccomp":
            continue
        auxiliaries = {child.lower_ for child in token.children if child.dep_ == "aux"}
        report = token.head
        if not auxiliaries & _OBLIGATION_AUX or report.lemma_.lower() not in lex.report_verbs:
            continue
        subjects = _children(token, "nsubj", "nsubjpass")
        speaker = _grammatical_subject(report)
        if not subjects or speaker is None or subjects[0].lower_ == speaker.lower_:
            continue
        if subjects[0].dep_ == "nsubj" and not _is_actor_like(subjects[0]):
            continue  # "said profits should rise": a forecast; only an actor is asked to act
        modal = next(c for c in token.children if c.dep_ == "aux" and c.lower_ in _OBLIGATION_AUX)
        if report.i not in by_token:
            yield _Candidate(modal, report, "REQUEST", "verb", last=token), subjects[0]


# "talked by phone", "on a video call": a call has someone at the other end.
_CALL_NOUNS = frozenset({"phone", "telephone", "call", "video", "videoconference", "videolink"})


def _talks_alone(candidate: _Candidate, actor: Token | None, target: Token | None) -> bool:
    """ "The minister talked about the budget": one person talking with no one talked with or
    to is speaking on a topic, no meeting; "the two leaders talked", "X talked with Y", a body
    talking among its members ("the cabinet talked") and a call ("talked by phone") consult."""
    verb = candidate.anchor
    if candidate.kind != "verb" or verb.lemma_.lower() != "talk" or target is not None:
        return False
    if actor is None or _prepositional_objects(verb, ("with", "to")):
        return False
    if any(
        o.lemma_.lower() in _CALL_NOUNS for o in _prepositional_objects(verb, ("by", "on", "over"))
    ):
        return False
    one_person = (
        actor.ent_type_ == "PERSON"
        or actor.lower_ in ("he", "she")
        or actor.lower_ in person_titles()
    )
    return one_person and actor.tag_ not in ("NNS", "NNPS") and not _children(actor, "conj")


def _introduces_event(prep: Token) -> bool:
    """ "Pelosi [with military exercises]": a prepositional phrase that is an event of its own is
    no part of the actor's name."""
    return prep.dep_ == "prep" and any(_noun_type(pobj) for pobj in _children(prep, "pobj"))


def _phrase(head: Token) -> tuple[int, int]:
    """Character span of the noun phrase headed by `head` (with appositions, without clauses)."""
    tokens = [head]
    stack = [
        child
        for child in head.children
        if child.dep_ not in _PHRASE_CUT_DEPS and not _introduces_event(child)
    ]
    while stack:
        token = stack.pop()
        tokens.append(token)
        stack.extend(child for child in token.children if child.dep_ not in ("relcl", "acl"))
    # "CALGARY, March 20 - Acme Inc agreed": the parser hangs the dateline's date on the name.
    dateline_end = doc_dateline_end(head.doc)
    tokens = [t for t in tokens if t.idx >= dateline_end] or [head]
    start_token = min(tokens, key=lambda t: t.i)
    end_token = max(tokens, key=lambda t: t.i)
    doc = head.doc
    span = doc[start_token.i : end_token.i + 1]
    while len(span) > 1 and (span[-1].is_punct or span[-1].dep_ in ("cc", "case")):
        span = doc[span.start : span.end - 1]
    while len(span) > 1 and span[0].is_punct:
        span = doc[span.start + 1 : span.end]
    return span.start_char, span.end_char


class _Mentions:
    """A doc's entity mentions, read once and looked up by offset.

    `doc.ents` (like `doc.text`) walks every token on each access: reading it once per event
    made extraction quadratic in the body's length (minutes for a 100k-character paragraph).
    """

    def __init__(self, doc: Doc):
        self._spans = doc_entities(doc)
        self._starts = [ent.start_char for ent in self._spans]

    def starting_in(self, start: int, end: int) -> tuple[Span, ...]:
        """The mentions that start inside characters [start, end), in text order."""
        return self._spans[bisect_left(self._starts, start) : bisect_left(self._starts, end)]

    def holding(self, token: Token) -> Span | None:
        """The mention the token is part of, if any."""
        index = bisect_right(self._starts, token.idx) - 1
        if index >= 0 and self._spans[index].start <= token.i < self._spans[index].end:
            return self._spans[index]
        return None


def _reference(head: Token, start: int, end: int, mentions: _Mentions) -> Span | None:
    """The entity mention the phrase is or contains: the one holding its head, else the first."""
    inside = [
        ent
        for ent in mentions.starting_in(start, end)
        if ent.label_ in _ACTOR_LABELS and ent.end_char <= end
    ]
    for ent in inside:
        if ent.start <= head.i < ent.end:
            return ent
    return inside[0] if inside else None


def _sentence_dates(sentence: Span, mentions: _Mentions) -> list[Span]:
    """The sentence's DATE mentions that can date an event: a time that a calendar or the day
    of writing places ("on 3 May", "in 2001", "last week", "six weeks ago"), not a length of
    time ("60 years", "a three-year deal", "the seventh week") or an age."""
    return [
        ent
        for ent in mentions.starting_in(sentence.start_char, sentence.end_char)
        # "a weekly news conference": an adjective is a frequency, not the event's date.
        if ent.label_ == "DATE" and ent.root.pos_ != "ADJ" and _is_placed_in_time(ent)
    ]


def _is_placed_in_time(ent: Span) -> bool:
    """True when the mention, or the word before it ("[this] year's festival"), places it."""
    before = ent.doc[ent.start - 1].text if ent.start else ""
    return bool(_PLACED_IN_TIME.search(f"{before} {ent.text}"))


def _date_expression(anchor: Token, mentions: _Mentions) -> str | None:
    """The DATE mention attached to the anchor's clause, with its preposition ("On Monday")."""
    for ent in _sentence_dates(anchor.sent, mentions):
        current = ent.root
        while (
            current.head.i != current.i
            and current.i != anchor.i
            and not (_is_verb(current.head) and current.head.i != anchor.i)
        ):
            current = current.head
        if current.head.i == anchor.i or current.i == anchor.i:
            return _date_text(ent)
    return None


def _date_text(ent: Span) -> str:
    """A date mention as written, with its preposition and a bracketed gloss ("On Monday (Sep
    11)")."""
    doc = ent.doc
    start, end = ent.start, ent.end
    if start > 0 and doc[start - 1].lower_ in _DATE_PREPS:
        start -= 1
    if end + 2 < len(doc) and doc[end].text == "(":
        close = next((t.i for t in doc[end : end + 5] if t.text == ")"), None)
        if close is not None:
            end = close + 1
    return doc[start:end].text


def _location(words: list[Token], physical: bool, mentions: _Mentions) -> str | None:
    """The named place a location phrase of the event's words leads to ("in the eastern town
    of Velmora" -> Velmora); for a physical act, also the place it goes to or is done to
    ("toured Peru", "flew medics to Chile")."""
    for word in words:
        settings = _prepositional_objects(word, _LOCATION_PREPS)
        reached = []
        if physical:
            reached = _prepositional_objects(word, _DESTINATION_PREPS)
            if _is_verb(word):
                reached += _children(word, "dobj")
            elif word.pos_ in ("NOUN", "PROPN"):
                reached += _prepositional_objects(word, ("of", "on", "against"))
        # What an act reaches is its place only when it is one ("crossed the median line of the
        # Taiwan Strait", "an invasion of Taiwan"): "killed a U.S. soldier" is not done in the
        # United States.
        reached = [noun for noun in reached if _is_place_phrase(noun)]
        for noun in settings + reached:
            place = _named_place(noun, mentions)
            if place is not None:
                return place
        # "condemned ... during his visit to X", "signed at talks in X": the act in whose time
        # or setting it was done went there.
        for noun in settings:
            if _noun_type(noun) in _PHYSICAL:
                place = _location([noun], True, mentions)
                if place is not None:
                    return place
        # "lawmakers have gone there", "spoke at a forum there": the place named before.
        for noun in [word, *settings]:
            if any(child.lower_ == "there" for child in _children(noun, "advmod")):
                return _place_named_before(noun, mentions)
    return None


def _event_location(
    candidate: _Candidate,
    actor: Token | None,
    target: Token | None,
    event_type: str,
    mentions: _Mentions,
) -> str | None:
    """Where the event happened, as a reader finds it: the place phrase of its words, or the
    place a physical act reaches, or "there"; else the setting shared with the verb it is
    coordinated with; else where a removal starts from; else the first place phrase of its
    clause, nearest first (its participants' and adverbial clauses' own places)."""
    words = _located_words(candidate, actor, event_type)
    return (
        _location(words, event_type in _PHYSICAL, mentions)
        or _served_location(candidate.anchor, mentions)
        or _shared_setting(candidate.anchor, mentions)
        or _removal_source(candidate.anchor, mentions)
        or _clause_place(candidate, (actor, target), event_type, mentions)
    )


def _settings(word: Token, mentions: _Mentions) -> str | None:
    """The named place of the word's own place phrases ("in X", "near the town of X")."""
    for noun in _prepositional_objects(word, _LOCATION_PREPS):
        place = _named_place(noun, mentions)
        if place is not None:
            return place
    return None


def _shared_setting(verb: Token, mentions: _Mentions) -> str | None:
    """Coordinated verbs share a place phrase put before them all ("In X, police arrested ...
    and charged ...") or after the last ("was shot and stabbed to death in X")."""
    if not _is_verb(verb):
        return None
    if verb.dep_ == "conj" and _is_verb(verb.head):
        head = verb.head
        fronted = [p for p in _children(head, "prep") if p.i < head.i]
        for prep in fronted:
            if prep.lower_ in _LOCATION_PREPS:
                for noun in _children(prep, "pobj"):
                    place = _named_place(noun, mentions)
                    if place is not None:
                        return place
    conjuncts = _children(verb, "conj")
    right = [child for child in verb.children if child.i > verb.i]
    if conjuncts and all(child.dep_ in ("cc", "conj", "punct") for child in right):
        return _settings(conjuncts[-1], mentions)
    return None


def _removal_source(verb: Token, mentions: _Mentions) -> str | None:
    """A removal or departure is done where it starts: "evacuated the wounded [from] the town
    of X", "were shipped [out of] X"."""
    if not _is_verb(verb) or verb.lemma_.lower() not in _REMOVAL_VERBS:
        return None
    holders = [verb, *_children(verb, "dobj"), *_children(verb, "prep", "prt")]
    for holder in holders:
        if holder.dep_ in ("prep", "prt") and holder.lower_ != "out":
            continue
        for noun in _prepositional_objects(
            holder, _SOURCE_PREPS if holder.lower_ == "out" else ("from",)
        ):
            place = _named_place(noun, mentions)
            if place is not None:
                return place
    return None


def _clause_place(
    candidate: _Candidate,
    roles: tuple[Token | None, Token | None],
    event_type: str,
    mentions: _Mentions,
) -> str | None:
    """The first named place of a place phrase in the event's clause, nearest first: "the
    conflict [in X]", "a summit of the league [in X] agreed". A noun's clause is its own phrase.
    A verbal act's object is its topic, not where it is done ("condemned the war in X"): only
    its participants' and addressees' places count ("urged the factions fighting in X"),
    and those of a clause that goes with it ("Speaking in X, ... accused"), not of its
    purpose, an act of its own. A meeting is held where its host is, not where its parties
    come from ("the ruling parties [in X and Y] will hold talks")."""
    actor, target = roles
    start = candidate.trigger if candidate.kind == "noun" else candidate.anchor
    if event_type in _PHYSICAL:
        roots = [start]
    else:
        roots = [actor] if actor is not None else []
        roots += [target] if target is not None and _is_actor_like(target) else []
        roots += _prepositional_objects(candidate.anchor, ("to",))
        roots += [
            clause
            for clause in _children(candidate.anchor, "advcl")
            if _is_simultaneous(clause) and not _children(clause, "aux")
        ]
    skipped = {actor.i} if actor is not None and event_type == "CONSULT" else set()
    queue = [root for root in roots if root.i not in skipped]
    seen = {start.i, *skipped, *(root.i for root in queue)}
    while queue:
        token = queue.pop(0)
        place = _settings(token, mentions)
        if place is not None:
            return place
        for child in token.children:
            if child.i not in seen and _in_clause(child):
                seen.add(child.i)
                queue.append(child)
    return None


def _in_clause(child: Token) -> bool:
    """True for an arc within the event's clause: not a coordinated verb (an event of its own),
    an origin ("a soldier from X"), an earlier or later event ("after they trained in X"), nor
    a reason ("suspended for failing to attend a camp in X")."""
    if child.dep_ not in _CLAUSE_DEPS:
        return False
    if child.dep_ == "conj":
        return not _is_verb(child)
    if child.dep_ == "prep":
        return child.lower_ not in _OTHER_TIME_PREPS
    if child.dep_ == "pcomp":
        return child.head.lower_ == "by"  # the means: "blocked the bridge by dumping ..."
    if child.dep_ == "advcl":
        return _is_simultaneous(child)
    return True


def _is_simultaneous(clause: Token) -> bool:
    """An adverbial clause of the same time and so place: a participle ("Speaking in X"), a
    purpose ("to investigate"), or one marked "as", "while", "when"."""
    marks = {child.lower_ for child in _children(clause, "mark")}
    return not marks or bool(marks & {"as", "while", "whilst", "when"})


def _place_named_before(word: Token, mentions: _Mentions) -> str | None:
    """The last place named before the word, in its sentence or the one before; a subject or a
    possessive names an actor or an owner, not a place ("the Velmora bureau serves as Peru's
    consulate. Lima sent three clerks there")."""
    sentence = word.sent
    start = word.doc[sentence.start - 1].sent.start_char if sentence.start else 0
    places = [
        ent
        for ent in mentions.starting_in(start, word.idx)
        if ent.label_ in ("GPE", "LOC")
        and ent.end <= word.i
        and ent.root.dep_ not in ("nsubj", "nsubjpass")
        and not (ent.end < len(word.doc) and word.doc[ent.end].tag_ == "POS")
    ]
    return places[-1].text if places else None


def _served_location(anchor: Token, mentions: _Mentions) -> str | None:
    """A purpose clause is done where the act it serves goes: "flew medics to Chile [to
    treat the wounded]"."""
    if anchor.dep_ in ("xcomp", "advcl") and _is_verb(anchor.head):
        return _location([anchor.head], True, mentions)
    return None


def _is_place_phrase(noun: Token) -> bool:
    """A named place or a place noun, or a noun of one ("the median line of the Strait")."""
    return any(
        place.ent_type_ in _PLACE_LABELS or place.lemma_.lower() in _PLACE_NOUNS
        for place in [noun, *_prepositional_objects(noun, ("of",))]
    )


def _is_place_name(token: Token) -> bool:
    """The name in "the village of Oskar", whatever label the entity recognizer gave it."""
    head = token.head
    return (
        token.pos_ == "PROPN"
        and token.dep_ == "pobj"
        and head.lower_ == "of"
        and head.head.lemma_.lower() in _PLACE_NOUNS
    )


def _named_place(noun: Token, mentions: _Mentions) -> str | None:
    place = _place_token(noun, tuple(_PLACE_LABELS))
    mention = mentions.holding(place) if place is not None else None
    return mention.text if mention is not None else None


def _place_token(noun: Token, labels: tuple[str, ...] = ("GPE", "LOC")) -> Token | None:
    """The first word of a named place the noun phrase is or leads to."""
    stack = [noun]
    while stack:
        token = stack.pop(0)
        if token.ent_type_ in labels or _is_place_name(token):
            return token
        stack.extend(child for child in token.children if child.dep_ in _PLACE_MODIFIER_DEPS)
        for prep in _children(token, "prep"):
            if prep.lower_ in _PLACE_PREPS:
                stack.extend(_children(prep, "pobj"))
        # "in Greece's biggest trial": the owner, after the phrase's own place ("at Britain's
        # embassy in X").
        stack.extend(_children(token, "poss"))
    return None


def _confidence(candidate: _Candidate, actor: Token | None, target: Token | None) -> float:
    score = 0.45 if candidate.kind == "noun" else 0.55
    if actor is not None:
        score += 0.2 if actor.pos_ != "PRON" else 0.1
    if target is not None:
        score += 0.15
    return round(min(score, 0.95), 2)


def _row(
    candidate: _Candidate,
    sentence_index: int,
    actor: Token | None,
    target: Token | None,
    event_type: str,
    modality: str,
    negated: bool,
    date_text: str | None,
    text: str,
    mentions: _Mentions,
) -> EventRow:
    # A parse can put the modal of "must drop" after its verb; the span runs first to last.
    ends = [candidate.trigger, candidate.last or candidate.trigger]
    trigger, last = sorted(ends, key=lambda token: token.i)
    actor_span = _phrase(actor) if actor is not None else (None, None)
    target_span = _phrase(target) if target is not None else (None, None)
    actor_ref = _reference(actor, *actor_span, mentions) if actor is not None else None
    target_ref = _reference(target, *target_span, mentions) if target is not None else None
    location = _event_location(candidate, actor, target, event_type, mentions)
    actor_country = (
        _country(actor, actor_ref, *actor_span, text, mentions) if actor is not None else None
    )
    target_country = (
        _country(target, target_ref, *target_span, text, mentions) if target is not None else None
    )
    if actor is not None and actor_country is None and _is_domestic(actor, actor_ref):
        actor_country = _context_country(actor, event_type, location, target, None, text, mentions)
    # A target that is no actor but a thing or an act ("rejected a call for troops to be
    # deployed in X") stands for where it is, as PLOVER codes a place as the target.
    if (
        target is not None
        and target_country is None
        and (_is_domestic(target, target_ref) or not _is_actor_like(target))
    ):
        # A country's own act is done to others ("the United States stands with its allies"),
        # its police's or rebels' often to their compatriots.
        shared = actor_country if actor is not None and actor.ent_type_ != "GPE" else None
        target_country = _context_country(
            target, event_type, location, actor, shared, text, mentions
        )
    return EventRow(
        sentence_index=sentence_index,
        trigger_text=text[trigger.idx : last.idx + len(last.text)],
        trigger_start=trigger.idx,
        trigger_end=last.idx + len(last.text),
        event_type=event_type,
        actor_text=text[actor_span[0] : actor_span[1]] if actor is not None else None,
        actor_start=actor_span[0],
        actor_end=actor_span[1],
        target_text=text[target_span[0] : target_span[1]] if target is not None else None,
        target_start=target_span[0],
        target_end=target_span[1],
        location_text=location,
        date_text=date_text,
        modality=modality,
        negated=negated,
        confidence=_confidence(candidate, actor, target),
        actor_ref_start=actor_ref.start_char if actor_ref is not None else None,
        actor_ref_end=actor_ref.end_char if actor_ref is not None else None,
        target_ref_start=target_ref.start_char if target_ref is not None else None,
        target_ref_end=target_ref.end_char if target_ref is not None else None,
        actor_country=actor_country,
        target_country=target_country,
    )


def _located_words(candidate: _Candidate, actor: Token | None, event_type: str) -> list[Token]:
    """Words whose place phrase is the event's: its trigger and verb, and an actor that is an
    event ("a mortar strike outside the village of Oskar wounded ...") or is placed where it acts
    ("Ethnic Danes in southern Norway are calling for ..."), save for a meeting, which is held
    where the host is ("the trade unions in Peru and Chile will hold talks")."""
    words = [candidate.trigger, candidate.anchor]
    if actor is not None and actor.dep_ in ("nsubj", "nsubjpass") and event_type != "CONSULT":
        words.append(actor)
    return words


def _mention_country(ent: Span, text: str) -> str | None:
    """The country a mention names as its own ("Lyon" -> FRA, "Chilean" -> CHL), not as the
    one it opposes, supports or descends from ("anti-Norway", "ethnic Danes"). Only a place can be
    a city: "Bush" and "Police" are also towns."""
    if _NOT_OWN_BEFORE.search(text[max(0, ent.start_char - 8) : ent.start_char]):
        return None
    if _NOT_OWN_AFTER.match(text[ent.end_char : ent.end_char + 10]):
        return None
    if ent.label_ in _PLACE_LABELS:
        return place_country(ent.text, cities=ent.label_ != "LOC")
    return country_code(ent.text)


def _country(
    head: Token, reference: Span | None, start: int, end: int, text: str, mentions: _Mentions
) -> str | None:
    """The country a phrase names: its entity's, else the first mention in it that names one
    ("Chilean Finance Minister Ana Ruiz" -> CHL, "Ethnic Danes in south Norway" ->
    NOR), else the phrase read as a whole, else the place its clauses put it in ("families
    escaping the fighting in Peru", "a mortar strike outside the village of Oskar")."""
    inside = [ent for ent in mentions.starting_in(start, end) if ent.end_char <= end]
    for ent in ([reference] if reference is not None else []) + inside:
        code = _mention_country(ent, text)
        if code:
            return code
    code = country_code(text[start:end])
    if code:
        return code
    for token in head.subtree:
        named = token.ent_type_ in ("GPE", "LOC") and token.ent_iob_ == "B"
        if (named or _is_place_name(token)) and _placed(token, head):
            mention = mentions.holding(token)
            if mention is None:
                code = place_country(token.text)
            elif _is_place_name(token):  # "the village of Oskar", whatever its label
                code = place_country(mention.text)
            else:
                code = _mention_country(mention, text)
            if code:
                return code
    return None


def _placed(place: Token, head: Token) -> bool:
    """True when the place is where the phrase's head is: reached through no preposition that
    leads away ("sent to Iraq") and no relative clause, which says what the head does ("nations
    that have ties with Taiwan")."""
    current = place
    while current.i != head.i and current.head.i != current.i:
        if (current.dep_ == "prep" and current.lower_ in _AWAY_PREPS) or current.dep_ == "relcl":
            return False
        current = current.head
    return current.i == head.i


def _context_country(
    head: Token,
    event_type: str,
    location: str | None,
    other: Token | None,
    shared: str | None,
    text: str,
    mentions: _Mentions,
) -> str | None:
    """A domestic actor or target whose phrase names no country ("President X", "the police",
    "the party") is of the country where the event happens, else of the one country its sentence
    names ("... will boycott Algeria's elections"), the other side left out ("threatened action
    against Russia" is not by Russia, "criticised the Turkish government" not by Turkey), but
    for a target that shares the actor's own country (`shared`: "the Fijian rebels will
    release the prime minister"). Not for acts often done abroad."""
    if event_type in _CROSS_BORDER:
        return None
    code = place_country(location) if location else None
    if code:
        return code
    other_side = _other_side(other) if other is not None else set()
    codes = set()
    sentence = head.sent
    for ent in mentions.starting_in(sentence.start_char, sentence.end_char):
        if ent.label_ not in ("GPE", "NORP", "LOC"):
            continue
        code = _mention_country(ent, text)
        if code and (ent.root.i not in other_side or code == shared):
            codes.add(code)
    return codes.pop() if len(codes) == 1 else None


def _is_domestic(head: Token, reference: Span | None) -> bool:
    """True for an office, body or group of a country's public life, by the phrase's head or
    the title of the name it holds ("the party", "President Askar Akayev", "Former prime
    minister X", "an appeal from President X")."""
    domestic = lexicon().domestic_nouns
    words = []
    for root in [head] if reference is None else [head, reference.root]:
        words += [root, *(c for c in root.children if c.dep_ in ("compound", "amod", "nmod"))]
    return any(word.lemma_.lower() in domestic for word in words)


def _other_side(head: Token) -> set[int]:
    """Tokens of a phrase that name the other side of an event: all of an actor's phrase ("the
    Turkish government"), and what an act is directed at ("action [against Russia]")."""
    if _is_actor_like(head):
        return {token.i for token in head.subtree}
    return {token.i for token in head.subtree if not _placed(token, head)}


def _event_date(candidate: _Candidate, mentions: _Mentions) -> str | None:
    """The clause's own date, else the date of the statement reporting it, else the date
    expression of its sentence nearest the trigger."""
    anchor = candidate.anchor
    date_text = _date_expression(anchor, mentions)
    if date_text is None:
        report = _report_governor(anchor)
        if report is not None:
            date_text = _date_expression(report, mentions)
    if date_text is None:
        dates = _sentence_dates(candidate.trigger.sent, mentions)
        if dates:
            nearest = min(dates, key=lambda ent: abs(ent.start - candidate.trigger.i))
            date_text = _date_text(nearest)
    return date_text


def _antecedent(actor: Token | None, coreference: Coreference) -> Token | None:
    """A pronoun actor is what the shared resolver finds it stands for: "Syria said it will
    ..." (Syria), "a visit by Aso Taro ... when he met ..." (Aso Taro)."""
    if actor is None or actor.lower_ not in _PERSONAL_PRONOUNS:
        return actor
    return coreference.antecedent(actor) or actor


def extract_events(doc: Doc) -> Iterator[EventRow]:
    """PLOVER-typed events of a parsed article, one row per event mention, in text order."""
    sentence_of = {sent.start: index for index, sent in enumerate(doc.sents)}
    text, mentions, tokens = doc_text(doc), _Mentions(doc), _Tokens(doc)
    coreference = Coreference(doc)
    candidates = _candidates(doc, tokens)
    by_token = {c.trigger.i: c for c in candidates}
    by_token.update({c.anchor.i: c for c in candidates if c.kind != "noun"})
    requests = list(_requests(doc, tokens, by_token))
    absorbed_by_request = set()
    for _, target in requests:
        absorbed_by_request.update(t.i for t in target.head.subtree)
    rows: list[tuple[int, EventRow]] = []
    for candidate in candidates:
        if candidate.trigger.i in absorbed_by_request or _absorbing_governor(candidate, by_token):
            continue
        actor, target = _roles(candidate)
        actor = _antecedent(actor, coreference)
        # PLOVER codes no event without a source actor, but for force used on a named target
        # by an unnamed one ("raids across its sea border", "died in a mortar strike").
        if actor is None and (target is None or candidate.event_type not in _FORCE):
            continue
        if actor is not None and candidate.event_type != "ASSAULT" and not _names_actor(actor):
            continue  # "a conflict that could threaten sea lanes": not a political actor
        if _talks_alone(candidate, actor, target):
            continue
        negated = _negated(candidate)
        modality = _modality(candidate)
        event_type = _promised_type(candidate, modality, negated)
        sentence_index = sentence_of[candidate.trigger.sent.start]
        row = _row(
            candidate, sentence_index, actor, target, event_type, modality, negated,
            _event_date(candidate, mentions), text, mentions,
        )  # fmt: skip
        rows.append((candidate.trigger.i, row))
    for request, target in requests:
        actor = _grammatical_subject(request.anchor)
        row = _row(
            request, sentence_of[request.trigger.sent.start], actor, target, "REQUEST",
            _modality(request), _negated(request), _event_date(request, mentions), text,
            mentions,
        )  # fmt: skip
        rows.append((request.trigger.i, row))
    for _, row in sorted(rows, key=lambda pair: pair[0]):
        yield row
