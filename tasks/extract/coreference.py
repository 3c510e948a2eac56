"""Who a pronoun, a relative pronoun or a description stands for: the one resolver of the speakers
of quotes and the actors of events.

Precision first: a mention resolves to a named mention (PERSON, ORG, GPE, NORP) only when the
grammar of news writing says which one it is, and otherwise stays unresolved.
- A name is itself ("Japanese Prime Minister Fumio Kishida" -> Fumio Kishida); an organisation
  word resolves to the organisation or country it names ("Japan's defence ministry" -> Japan).
- "who", "which", "that" heading a relative clause stand for the noun the clause describes.
- A personal pronoun stands for the latest compatible speaker of the last two paragraphs, else
  for the nearest person (he, she) or organisation (it) named before it there, of a compatible
  gender. "They" and "we" stand only for a plural speaker or a group, never for a person.
- "his government", "Trump's campaign": an organisation word owned by someone is that owner's
  side; a person word owned by someone ("his spokeswoman") is someone else.
- A definite description ("the spokesperson", "the ministry", "the Taiwanese organizer") stands
  for the latest recent speaker with the same head noun, else for the nearest earlier named
  mention that the same noun described ("Taiwan Affairs spokesperson Chen Binhua", "the Defence
  Ministry"). An indefinite or plural one ("a source", "Taiwanese politicians") is nobody named.
Everything is read from the parse and the doc's entities once per doc: no pass over the doc per
mention but the look-back over its named mentions.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

import numpy as np
from spacy.attrs import LOWER
from spacy.tokens import Doc, Span, Token

from tasks.extract.doc_cache import among, doc_entities, doc_text
from tasks.extract.quotes_marks import find_quoted_spans

REFERENT_LABELS = ("PERSON", "ORG", "GPE", "NORP")
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_MALE_TITLES = {"mr", "mr."}
_FEMALE_TITLES = {"mrs", "mrs.", "ms", "ms.", "miss"}
# "I" is the writer outside quote marks and a speaker the resolver cannot see inside them.
_FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself"})
_SINGULAR_PERSON = _MALE | _FEMALE | _FIRST_PERSON
_PLURAL = frozenset({"they", "them", "their", "themselves", "we", "us", "our", "ourselves"})
_THING = frozenset({"it", "its", "itself"})
# Heads of descriptions that stand for an organisation or a country rather than a person.
GROUP_NOUNS = frozenset({
    "ministry", "department", "government", "administration", "agency", "office", "company",
    "campaign", "committee", "party", "group", "organization", "organisation", "firm",
    "bank", "council", "court", "embassy", "military", "army", "navy", "union", "association",
    "paper", "newspaper", "network", "website", "report", "statement", "study", "survey", "poll",
    "team", "cabinet", "parliament", "congress", "senate", "house", "board", "commission",
    "foundation", "institute", "center", "centre", "university", "police", "service",
})  # fmt: skip
# Nouns that count people when an "of" phrase follows ("a group of students").
_COLLECTIVE_NOUNS = frozenset({
    "army", "group", "crowd", "number", "majority", "minority", "handful", "host", "team",
    "coalition", "band", "bunch", "couple", "lot", "dozen", "series", "set", "pair", "string",
})  # fmt: skip
# Nouns that always stand for several people.
_CROWD_NOUNS = frozenset({"crowd", "audience", "public", "family", "couple", "pair", "mob"})
_COUNTRY_NOUNS = frozenset({"country", "nation", "state", "republic", "kingdom"})
# Words that make a description an unnamed source ("sources", "one of the people who ...").
_ANONYMOUS_HEADS = frozenset({
    "source", "sources", "people", "person", "official", "officials", "one", "aide", "aides",
    "insider", "insiders", "someone", "witness", "witnesses", "diplomat", "diplomats",
    "analyst", "analysts", "expert", "experts", "observer", "observers", "critic", "critics",
    "some", "others", "many", "several", "resident", "residents", "voter", "voters",
})  # fmt: skip
_INDEFINITE = frozenset({"a", "an", "one", "some", "several", "two", "three", "four", "many"})
_DEFINITE = frozenset({"the", "this", "that"})
# Relations under a name that hold words describing its bearer ("spokesperson Chen Binhua",
# "Aso Taro, a former prime minister").
_DESCRIBING_DEPS = ("compound", "amod", "appos", "nmod", "poss")
# A referent is looked for at most this many paragraph breaks back.
_RECENT_PARAGRAPHS = 2


@dataclass(frozen=True)
class Referent:
    """What a mention stands for: a named mention, or an unnamed description (entity None)."""

    start: int
    end: int
    entity: Span | None
    kind: str  # person (one person), people (several), group (organisation or country)


def person_genders(doc: Doc) -> dict[str, str]:
    """Gender of each PERSON surname told by honorifics and by the pronouns that follow it.

    A pronoun counts for a person when that person is the only one named in the sentence before
    it, which is how news text introduces and then refers to people.
    """
    votes: dict[str, Counter[str]] = {}
    sentences = list(doc.sents)
    # Pronouns counted up to each token: a window's count is a difference, not a walk over it.
    words = doc.to_array(LOWER)
    male = [0, *np.cumsum(among(doc, words, _MALE)).tolist()]
    female = [0, *np.cumsum(among(doc, words, _FEMALE)).tolist()]
    all_persons = [e for e in doc_entities(doc) if e.label_ == "PERSON"]
    person_starts = [e.start for e in all_persons]
    for index, sentence in enumerate(sentences):
        starting = slice(
            bisect_left(person_starts, sentence.start), bisect_left(person_starts, sentence.end)
        )
        persons = [e for e in all_persons[starting] if e.end <= sentence.end]
        names = {e[-1].lower_ for e in persons}
        if len(names) != 1:
            continue
        surname = names.pop()
        counter = votes.setdefault(surname, Counter())
        first = persons[0]
        title = doc[first.start - 1].lower_ if first.start > 0 else ""
        if title in _MALE_TITLES | _FEMALE_TITLES:
            counter["m" if title in _MALE_TITLES else "f"] += 3
        # The rest of the sentence, and the next one when it names nobody (else its pronouns
        # are as likely that person's).
        start, end = persons[-1].end, sentence.end
        following = sentences[index + 1] if index + 1 < len(sentences) else None
        if following is not None and bisect_left(person_starts, following.start) == bisect_left(
            person_starts, following.end
        ):
            end = following.end
        counter["m"] += male[end] - male[start]
        counter["f"] += female[end] - female[start]
    genders = {}
    for surname, counter in votes.items():
        # A clear majority only: a pronoun near a name is as often someone else's.
        if counter["m"] >= 2 * counter["f"] + 1 or counter["f"] >= 2 * counter["m"] + 1:
            genders[surname] = "m" if counter["m"] > counter["f"] else "f"
    return genders


def is_pronoun(token: Token) -> bool:
    word = token.lower_
    return token.pos_ == "PRON" or word in _SINGULAR_PERSON | _PLURAL | _THING


class Coreference:
    """Resolves the mentions of one doc; `remember` keeps a resolved speaker as the referent
    later pronouns and descriptions look back to (speakers are resolved in text order)."""

    def __init__(self, doc: Doc, quoted: list[tuple[int, int]] | None = None) -> None:
        """`quoted`: the character spans inside quote marks, when the caller has them."""
        self._doc = doc
        self._text = doc_text(doc)
        self._genders = person_genders(doc)
        # Surnames a title gave a gender ("Mr. Reed"): no pronoun count overrules it.
        self._titled = {
            e[-1].lower_
            for e in doc_entities(doc)
            if e.label_ == "PERSON"
            and e.start > 0
            and doc[e.start - 1].lower_ in _MALE_TITLES | _FEMALE_TITLES
        }
        self._entities = [e for e in doc_entities(doc) if e.label_ in REFERENT_LABELS]
        self._entity_starts = [e.start_char for e in self._entities]
        self._breaks = [m.start() for m in re.finditer(r"\n\s*", self._text)]
        # Names inside quote marks are in someone's words, never what a pronoun after them
        # in the narrative stands for.
        if quoted is None:
            quoted = [(span.start, span.end) for span in find_quoted_spans(self._text)]
        self._quote_starts = [start for start, _ in quoted]
        self._quote_ends = [end for _, end in quoted]
        self._sentences = list(doc.sents)
        self._sentence_starts = [sentence.start_char for sentence in self._sentences]
        self._described: dict[int, frozenset[str]] = {}
        # (mention start, head lemma, referent) of the speakers remembered so far.
        self._history: list[tuple[int, str, Referent]] = []

    def resolve(self, head: Token, start: int, end: int, remember: bool = False) -> Referent | None:
        """What the phrase [start, end) headed by `head` stands for; None for a pronoun with no
        antecedent it can be sure of."""
        referent = self._resolve(head, start, end)
        if remember and referent is not None:
            self._history.append((start, head.lemma_.lower(), referent))
        return referent

    # ---- the kinds of mention ----------------------------------------------------------------

    def _resolve(self, head: Token, start: int, end: int) -> Referent | None:
        word = head.lower_
        if word in RELATIVE_PRONOUNS and head.head.dep_ == "relcl" and head.head.head.i != head.i:
            antecedent = head.head.head
            return self._resolve(antecedent, *_noun_phrase(antecedent))
        if any(child.dep_ == "conj" for child in head.children):
            return Referent(start, end, None, "people")  # "he and his staff"
        if is_pronoun(head):
            return self._pronoun(word, start)
        entity = self._entity_in(head, start, end)
        if entity is not None:
            return Referent(entity.start_char, entity.end_char, entity, _kind_of(entity))
        kind = _description_kind(head)
        own = Referent(start, end, None, kind)
        if kind == "group":
            owner = self._owner(head)
            if owner is not None and owner.entity is not None:
                return Referent(owner.start, owner.end, owner.entity, "group")
        if kind == "people" or not _is_definite(head) or self._is_anonymous(head, start, end):
            return own
        earlier = self._recent_speaker(start, lambda lemma, _: lemma == head.lemma_.lower())
        if earlier is not None:
            return earlier[1]
        described = self._described_before(head, start, kind)
        return described or own

    def _pronoun(self, word: str, start: int) -> Referent | None:
        """The later of the latest compatible speaker and the nearest compatible person named
        as a subject in the last paragraphs (news text goes on about its subjects: "Mr. Manafort
        was undaunted. Within months, he ..."); "it" and "they" only for a speaker."""
        wanted = ("person",) if word in _SINGULAR_PERSON else ("group",) if word in _THING else None
        if (wanted is None and word not in _PLURAL) or word in _FIRST_PERSON:
            return None  # "you", "one", "this", "I": nobody the text names
        wanted = wanted or ("people", "group")
        gender = "m" if word in _MALE else "f" if word in _FEMALE else None
        sentence_start = self._sentence_of(start)
        people = [
            e
            for e in self._named_before(start)
            if e.start_char >= sentence_start
            and e.label_ == "PERSON"
            and not self._quoted(e.start_char)
        ]
        if wanted == ("person",) and len({e[-1].lower_ for e in people}) > 1:
            return None  # "Aso said Kishida would stay when he met ...": either of them
        earlier = self._recent_speaker(
            start,
            lambda _, ref: (
                ref.kind in wanted
                and (ref.entity is not None or not self._names_person(ref))
                and (
                    self._agrees(ref.entity, gender)
                    or (not self._titled_person(ref.entity) and self._next_in_paragraph(ref, start))
                )
            ),
        )
        if wanted != ("person",):
            if earlier is None or self._thing_subject_between(earlier[0], start, word):
                return None
            return earlier[1]
        # A subject in the sentence of the latest speaker is inside what that speaker said.
        said = self._sentence_of(earlier[0]) if earlier is not None else None
        for entity in self._named_before(start):
            if earlier is not None and entity.start_char < earlier[0]:
                break
            if (
                entity.label_ == "PERSON"
                and entity.root.sent.start_char != said
                and not self._quoted(entity.start_char)
                and _is_subject(entity.root)
                and self._agrees(entity, gender)
            ):
                return Referent(entity.start_char, entity.end_char, entity, "person")
        if earlier is not None:
            return earlier[1]
        # No speaker and no subject: the one person named in the sentence before the pronoun
        # ("a visit by Aso Taro ... when he met ...").
        if people and self._agrees(people[0], gender):
            return Referent(people[0].start_char, people[0].end_char, people[0], "person")
        return None

    def _thing_subject_between(self, earlier: int, start: int, word: str) -> bool:
        """Whether a sentence between a speaker and "it" or "they" has an unnamed subject of
        the pronoun's number ("Exxon said ... The letter also accuses ... It also accused"):
        the pronoun is as likely that thing's."""
        plural = word in _PLURAL
        first = bisect_left(self._sentence_starts, earlier + 1)
        for index in range(first, bisect_left(self._sentence_starts, start)):
            for subject in self._sentences[index].root.children:
                if (
                    subject.dep_ in ("nsubj", "nsubjpass")
                    and subject.pos_ == "NOUN"
                    and subject.ent_type_ == ""
                    and (subject.tag_ == "NNS") == plural
                ):
                    return True
        return False

    def _sentence_of(self, char: int) -> int:
        """Where the sentence holding character `char` starts."""
        index = bisect_right(self._sentence_starts, char) - 1
        return self._sentence_starts[index] if index >= 0 else 0

    def _names_person(self, referent: Referent) -> bool:
        """Whether an unnamed description names a person inside it ("Sanders's victory
        speech"): a thing of that person's, not a person a pronoun can stand for."""
        first = bisect_left(self._entity_starts, referent.start)
        inside = self._entities[first : bisect_left(self._entity_starts, referent.end)]
        return any(e.label_ == "PERSON" for e in inside)

    def _owner(self, head: Token) -> Referent | None:
        """Whose organisation a group word is: "his government", "Kishida's administration"."""
        for child in head.children:
            if child.dep_ == "poss":
                start, end = _noun_phrase(child)
                return self._resolve(child, start, end)
        return None

    # ---- look-ups ----------------------------------------------------------------------------

    def _entity_in(self, head: Token, start: int, end: int) -> Span | None:
        """The named mention the phrase is: the one holding its head word, or for an
        organisation word ("Japan's defence ministry") the organisation or country it names."""
        first = bisect_left(self._entity_starts, start)
        inside = [e for e in self._entities[first : bisect_left(self._entity_starts, end)]]
        if first > 0 and self._entities[first - 1].end_char > start:
            inside.insert(0, self._entities[first - 1])
        for entity in inside:
            if entity.start <= head.i < entity.end:
                return entity
        if _description_kind(head) == "people":
            return None  # "Clinton supporters", "the three scholars -- Mr. Tribe, ...": several
        if head.lower_ in GROUP_NOUNS:
            # "Japan's defence ministry", "the Clinton campaign": whose organisation it is.
            owners = [e for e in inside if e.end_char <= head.idx]
            if owners:
                return owners[-1]
            names = [c for c in head.children if c.dep_ in ("compound", "poss")]
            return self._named_earlier(names[-1], start) if names else None
        for entity in inside:
            # "The Podesta Group's CEO, Kimberley Fritts": a title and the name it is given.
            if (
                entity.label_ == "PERSON"
                and entity.root.head.i == head.i
                and entity.root.dep_ == "appos"
            ):
                return entity
        return self._named_earlier(head, start)

    def _named_earlier(self, word: Token, start: int) -> Span | None:
        """A name the model left untagged here but tagged before, whole or as its last word
        ("Forbes", "Sanders" after "Bernie Sanders")."""
        if word.pos_ != "PROPN":
            return None
        for entity in self._named_before(start):
            if entity.text == word.text or entity[-1].text == word.text:
                return entity
        return None

    def _recent(self, earlier: int, start: int) -> bool:
        """Whether `earlier` is at most a few paragraphs before `start`."""
        breaks = bisect_left(self._breaks, start) - bisect_left(self._breaks, earlier)
        return breaks <= _RECENT_PARAGRAPHS

    def _recent_speaker(self, start: int, compatible) -> tuple[int, Referent] | None:
        """(where it was mentioned, referent) of the latest compatible speaker before `start`."""
        for speaker_start, lemma, referent in reversed(self._history):
            if speaker_start >= start:
                continue
            if not self._recent(speaker_start, start):
                return None
            if compatible(lemma, referent):
                return speaker_start, referent
        return None

    def _next_in_paragraph(self, referent: Referent, start: int) -> bool:
        """Whether nobody is named between a speaker and a pronoun of its paragraph: the
        pronoun goes on with that speaker whatever the guessed gender says."""
        if bisect_left(self._breaks, start) != bisect_left(self._breaks, referent.end):
            return False
        first = bisect_left(self._entity_starts, referent.end)
        between = self._entities[first : bisect_left(self._entity_starts, start)]
        return not any(e.label_ == "PERSON" for e in between)

    def _named_before(self, start: int):
        """The named mentions before `start` within the recent paragraphs, nearest first."""
        for index in range(bisect_left(self._entity_starts, start) - 1, -1, -1):
            entity = self._entities[index]
            if not self._recent(entity.start_char, start):
                return
            if entity.end_char <= start:
                yield entity

    def _quoted(self, char: int) -> bool:
        index = bisect_right(self._quote_starts, char) - 1
        return index >= 0 and char < self._quote_ends[index]

    def _titled_person(self, entity: Span | None) -> bool:
        return entity is not None and entity[-1].lower_ in self._titled

    def _agrees(self, entity: Span | None, gender: str | None) -> bool:
        if entity is None or gender is None or entity.label_ != "PERSON":
            return True
        return self._genders.get(entity[-1].lower_, gender) == gender

    def _described_before(self, head: Token, start: int, kind: str) -> Referent | None:
        """The nearest earlier named mention that the head noun of a definite description
        named or described: "the ministry" -> "Defence Ministry", "the spokesperson" ->
        "Taiwan Affairs spokesperson Chen Binhua"."""
        lemma = head.lemma_.lower()
        labels = ("ORG",) if kind == "group" else ("PERSON",)
        if head.lower_ in _COUNTRY_NOUNS:
            return None  # "the country": which one is a guess
        for entity in self._named_before(start):
            if entity.label_ in labels and lemma in self._description_words(entity):
                return Referent(entity.start_char, entity.end_char, entity, kind)
        return None

    def _description_words(self, entity: Span) -> frozenset[str]:
        """Lemmas of the words naming or describing a mention's bearer: its own words, its
        title and modifiers, its appositive and the noun it is the appositive of."""
        words = self._described.get(entity.start)
        if words is None:
            root = entity.root
            tokens = list(entity)
            for child in root.children:
                if child.dep_ in _DESCRIBING_DEPS:
                    tokens.extend(child.subtree if child.dep_ == "appos" else [child])
            if root.dep_ == "appos":
                tokens.append(root.head)
            words = frozenset(t.lemma_.lower() for t in tokens if t.pos_ in ("NOUN", "PROPN"))
            self._described[entity.start] = words
        return words

    def _is_anonymous(self, head: Token, start: int, end: int) -> bool:
        first = self._doc.char_span(start, end, alignment_mode="expand")
        first_word = first[0].lower_ if first is not None and len(first) else ""
        determiners = {c.lower_ for c in head.children if c.dep_ in ("det", "nummod")}
        return (
            head.lower_ in _ANONYMOUS_HEADS
            or bool(determiners & _INDEFINITE)
            or first_word in _INDEFINITE
        )


def _is_subject(token: Token) -> bool:
    """A subject, or the owner of one ("Kishida's administration unveiled ...")."""
    if token.dep_ == "poss":
        token = token.head
    return token.dep_ in ("nsubj", "nsubjpass")


def _kind_of(entity: Span) -> str:
    return "person" if entity.label_ == "PERSON" else "group"


def _description_kind(head: Token) -> str:
    if head.tag_ in ("NNS", "NNPS") or _counts_people(head):
        return "people"
    if head.lower_ in GROUP_NOUNS or head.lemma_.lower() in GROUP_NOUNS:
        return "group"
    return "person"


def _counts_people(head: Token) -> bool:
    """ "an army of Twitter followers", "a group of students", "the crowd": a number of
    people, no body."""
    if head.lower_ in _CROWD_NOUNS:
        return True
    return head.lower_ in _COLLECTIVE_NOUNS and any(
        child.dep_ == "prep"
        and child.lower_ == "of"
        and any(obj.tag_ in ("NNS", "NNPS") for obj in child.children if obj.dep_ == "pobj")
        for child in head.children
    )


def _is_definite(head: Token) -> bool:
    """ "the spokesperson", "this ministry", "the country's foreign ministry spokesperson"."""
    return any(
        (c.dep_ == "det" and c.lower_ in _DEFINITE) or c.dep_ == "poss" for c in head.children
    )


def _noun_phrase(token: Token) -> tuple[int, int]:
    """Character span of a noun with its left modifiers ("the Taiwanese organizer")."""
    left = token.left_edge
    while left.i < token.i and (left.is_punct or left.dep_ == "cc"):
        left = token.doc[left.i + 1]
    return left.idx, token.idx + len(token.text)
