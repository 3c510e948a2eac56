"""Who a pronoun, a relative pronoun or a description stands for: the one resolver of the speakers
of quotes and the actors of events.

Precision first: a mention resolves to a named mention (PERSON, ORG, GPE, NORP) only when the
grammar of news writing says which one it is, and otherwise stays unresolved.
- A name is itself ("Japanese Prime Minister Fumio Kishida" -> Fumio Kishida); an organisation
  word resolves to the organisation or country it names ("Japan's defence ministry" -> Japan).
- "who", "which", "that" heading a relative clause stand for the noun the clause describes,
  and for that noun alone when a name is joined to it after the clause ("Trump, who ..., and
  Sanders"); "who" after a name in a phrase of a word for a person ("a spokesman for Sen.
  Reed, who", "the wife of John Reed, who") is either, so nobody; one with a plural verb
  ("those backing Baker, who are") is no one name; "which" is no person. A "who" clause joined
  to another ("X, who cut the budget, and who wants ...") describes the first one's noun.
- A subject pronoun of reported words stands for who reports them when it agrees in number,
  person and gender ("Syria said it will ...", "the ministry said it would ...", "McAuliffe
  said ..., but he refuses"); "it" is never a person, "he" never the police.
- "He" and "she" stand for the person the nearest sentence before them (in their paragraph or
  the one before) is about: its main-clause subject, else its one subject, else its one person,
  of the pronoun's gender (told by "Mr."/"Mrs." or by a first name the US census gives one sex,
  never guessed from pronouns nearby); a pronoun there stands for what it stands for. Two
  people as likely leave the pronoun unresolved ("Aso said Kishida would stay when he met";
  "'... she always had his back,' Gutin says. She ..."): joined subjects ("Baker and Reed
  met"), two joined main clauses' ("Baker criticized it, and Reed defended it"), the one told
  ("Baker told Reed that he ..."), and a person the sentence before only mentions, subject of
  none of its clauses, against the main-clause subject of the one before that ("Baker spoke.
  The plan, written by Reed, ... He"). Someone's aide ("Baker's lawyer said") is a person the
  text does not name, as likely as one it names. "It", "they" and "we" stand only for a
  recent speaker of their kind, never for a person; "it" for none when another body named is
  a subject between ("Exxon said ... Google announced ... It"); "they" and "we" only for an
  organisation, never a set of people named by nationality, party or place ("Republicans said
  ... 'We ...,' they said": no one entity), but "they" in the clause a party or nationality
  named in the plural reports ("Republicans said they would ...") is that group.
- "his government", "Trump's campaign": an organisation word owned by someone is that owner's
  side; a person word owned by someone ("his spokeswoman") is someone else.
- A definite description ("the spokesperson", "the ministry", "the Taiwanese organizer") stands
  for the latest recent speaker with the same head noun, else for the nearest earlier named
  mention that the same noun described ("Taiwan Affairs spokesperson Chen Binhua", "the Defence
  Ministry"), unless a nearer name of that kind comes between ("Halvorsen ... Brightline Systems ...
  the company": either) or, for an organisation word, the recent paragraphs name two bodies of
  its kind ("the Defence Ministry ... the Foreign Ministry ... the ministry", "Trump's campaign
  ... Clinton's campaign ... the campaign"); an organisation word with a name of its own ("the
  Marist poll") is not the one named before ("a CNN poll"). A role word ("the senator", "the
  businessman") given to nobody before stands for the person the sentences before are about,
  as "he" would, when that person was named more than once and its own sentence names nobody
  before it (not one named once: "Tom Baker pleaded guilty ... the judge said"); a word only
  descriptions use ("the donor", "the reporter") only for one introduced with it. A role word
  of a place ("the Vermont senator") is not given to one introduced with another place, nor,
  when someone was introduced with that place, to one introduced with none ("Sen. Ted Cruz");
  one introduced with no place may still be given it when nobody was. An indefinite or plural
  one ("a source", "Taiwanese politicians") is nobody named. "The company" is a body
  introduced as one ("the chemicals giant Halvorsen Industries") when the recent paragraphs
  introduce no other as one and it is no other's rival ("rival firm Norvik Chemicals");
  "police" is a body, of its place. A document ("a Channel 9 poll", "a poll by the Lakeshore
  Research Center", "a release from the Harbour Trust", "a Channel 4 tally") is its one
  organisation author, not a place, and nobody's
  when a writer is named beside the organisation ("a Washington Post analysis by Tom Baker");
  one of authors written together ("a CNN/WMUR poll", "a CNN-ORC survey") is a set; a later
  "the poll" is its maker's ("Quinnipiac conducted the poll", "the AP reported", "X said in a
  statement"), and a document someone says something in is theirs ("In a statement, the
  union called ..."), unless it is from or by another ("a statement from his lawyer").
  A person's "party" is the party the person was introduced with ("Ben Cardin, a Democrat"),
  else nobody.
- The named mentions are the model's entities and what `mentions` finds beside them: a surname
  written alone that the model left untagged or tagged otherwise ("PENCE:", "Cuban said he"),
  and, for each mention, the words it was introduced with ("X, the Republican nominee",
  "Republican nominee X", "X is the nominee", "X's campaign"). A title given with its name is
  the name ("Fox News contributor George Will"); a description of another place or party is
  someone else ("the Utah governor" is not "Nevada Gov. Paul Dorsey"); a word for a
  news outlet ("the newspaper") stands for the nearest outlet named; an organisation named by
  its first word ("the Fox poll") for the one named in full ("Fox News"); "who"/"which" right
  after a name for that name. A main-clause subject description that resolves through the
  words the doc gave ("the Ohio governor") is a mention a later "he" or "she" can stand for.
  A PERSON the model made of an adverb ("Nationally") is no name; an untagged proper noun the
  doc tags alone as a body ("ESPN") is a body; a surname taken for a plural noun ("Sanders
  remarked") is the person of that surname; a name tagged a body standing as a subject with
  a word only a person is described by in apposition ("Tarvik, a retired surgeon, said")
  is a person. A description in apposition to a name ("Harbour Pilots Guild, a trade group
  ...") is that name.
- Further news grammar for "he"/"she": the one asked a question ("Baker asked Reed whether
  ...") speaks the answer quoted next; a speaker whose quote speaks of "him"/"her" is not the
  one the sentence before acts on ("The deal sends Dunn to Ohio. 'We will miss him,' he
  said"); an indefinite subject of an infinitive ("it is common for a referee to ...") is no
  one; a reflexive object ("Varley calls herself ...") tells its subject's sex, and a full
  name's own first name of no known sex is not told by another bearer of the surname
  ("Zorelle Varley" beside "Paul Varley"), but a kin word set beside it is ("his brother,
  Kiri Varley"). A "he"/"she" speaking quoted words that the sentences before leave undecided
  is the one quoted last when no one else was named, brought in unnamed or quoted since.
Everything is read from the parse and the doc's entities once per doc: no pass over the doc per
mention but the look-back over its named mentions.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np
from spacy.attrs import LOWER
from spacy.tokens import Doc, Span, Token

from tasks.extract.doc_cache import StringTest, among, doc_column, doc_entities, doc_text
from tasks.extract.document_nouns import DOCUMENT_NOUNS as _DOCUMENT_NOUNS
from tasks.extract.document_nouns import PUBLICATIONS as _PUBLICATIONS
from tasks.extract.gazetteer import country_code, country_match, name_initials, person_titles
from tasks.extract.mentions import NARROWING_DEPS, described_by, mention_list
from tasks.extract.quotes_marks import find_quoted_spans

REFERENT_LABELS = ("PERSON", "ORG", "GPE", "NORP")
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
# Labels of the names of one person or body, which a relative clause can describe as a
# speaker ("the Police Department which reported"; a place or a nationality does not speak).
_ONE_BEARER = ("PERSON", "ORG")
# Relative words that cannot be a complementizer ("said that ..."): a clause they open after a
# name describes that name ("Fiorina, who had left, ...").
WH_RELATIVES = frozenset({"who", "which", "whom", "whose"})
_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_MALE_TITLES = {"mr", "mr."}
_FEMALE_TITLES = {"mrs", "mrs.", "ms", "ms.", "miss"}
# "I" is the writer outside quote marks and a speaker the resolver cannot see inside them.
_OTHER_GENDER = {"m": _FEMALE, "f": _MALE}
_OTHER_SEX = {"m": "f", "f": "m"}
_FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself"})
_SINGULAR_PERSON = _MALE | _FEMALE | _FIRST_PERSON
_PLURAL = frozenset({"they", "them", "their", "themselves", "we", "us", "our", "ourselves"})
_THING = frozenset({"it", "its", "itself"})
# Heads of descriptions that stand for an organisation or a country rather than a person.
GROUP_NOUNS = frozenset({
    "ministry", "department", "government", "administration", "agency", "office", "company",
    "campaign", "camp", "committee", "party", "group", "organization", "organisation", "firm",
    "bank", "council", "court", "embassy", "military", "army", "navy", "union", "association",
    "paper", "newspaper", "network", "website", "report", "statement", "study", "survey", "poll",
    "team", "cabinet", "parliament", "congress", "senate", "house", "board", "commission",
    "foundation", "institute", "center", "centre", "university", "police", "service",
    "release", "ad", "unit",
})  # fmt: skip
# Nouns for a news outlet ("the newspaper", "the outlet"), and the last words of English news
# outlets' names that say they are one ("The Washington Post", "Fox News", "Chicago Tribune"):
# the words for a newspaper or broadcaster only, not "Express", "Mail", "Review", "Press" or
# "Network", which as often end a company's ("American Express", "Royal Mail").
_MEDIA_NOUNS = frozenset({
    "newspaper", "paper", "outlet", "magazine", "network", "channel", "station", "broadcaster",
    "publication", "tabloid", "daily", "weekly",
})  # fmt: skip
_OUTLET_ENDINGS = frozenset({
    "news", "times", "post", "journal", "tribune", "herald", "gazette", "daily", "magazine",
    "chronicle", "examiner", "inquirer", "telegraph", "guardian", "observer", "radio",
    "television", "broadcasting",
})  # fmt: skip
# Words for the kind of body an organisation is, which its name can drop ("Quinnipiac" for
# "Quinnipiac University").
_BODY_KINDS = frozenset({
    "university", "college", "inc", "inc.", "corp", "corp.", "corporation", "co", "co.",
    "company", "group", "holdings", "ltd", "ltd.", "llc", "plc", "institute", "foundation",
})  # fmt: skip
_ORGANISATION_WORDS = GROUP_NOUNS | _PUBLICATIONS
# The document each verb's act makes ("The AP reported ... The report": the AP's); a survey
# is a poll.
_DOCUMENT_VERBS = {"report": "report", "state": "statement", "study": "study", "poll": "poll"}
_SAME_DOCUMENT = {"survey": "poll"}
# Verbs whose subject made the document they take ("Quinnipiac conducted the poll"), and verbs
# of saying whose subject wrote the document they were said in ("the ministry said in a
# statement"); "Kasich leads in the poll" is no author.
_MAKING = frozenset({"conduct", "release", "publish", "issue", "commission", "produce"})
# Verbs of writing a document, whose agent is its author ("the menu drawn up and written by
# the head baker").
_WRITING = frozenset({"write", "prepare", "compile", "author"})
# Records a body keeps, which speak for it as a document for its author ("the port
# authority's data", "Harbour Board records", "a club account"); a person's records are not
# his statement.
_KEPT_RECORDS = frozenset({"data", "datum", "record", "records", "account", "filing"})
_RECORDS = _DOCUMENT_NOUNS | _KEPT_RECORDS
# Words for what a document shows (a survey's findings are the survey's).
_SHOWN = frozenset({"result", "finding"})
_SAYING = frozenset({"say", "write", "announce", "add", "note", "state", "warn", "declare"})
# Words news uses to introduce a company ("the chemicals giant Halvorsen Industries", "the
# drugmaker Norvik"), which a later "the company" stands for.
_COMPANY_NOUNS = frozenset({
    "giant", "firm", "corporation", "conglomerate", "maker", "manufacturer", "automaker",
    "carmaker", "drugmaker", "retailer", "chain", "airline", "carrier", "insurer", "lender",
    "startup", "multinational", "supplier", "producer", "operator", "brand",
})  # fmt: skip
# Words that introduce a company as another's rival, not the one the text is about.
_RIVAL_NOUNS = frozenset({"rival", "competitor"})
# "The Harlow Foundation ... the group said": a name ending in a word for an association
# says the body is a group of people, as "the group" and "the organization" call one.
_GROUP_WORDS = frozenset({"group", "organization", "organisation"})
_ASSOCIATION_ENDINGS = frozenset({
    "foundation", "association", "coalition", "alliance", "society", "league", "federation",
    "institute", "council", "committee", "club",
})  # fmt: skip
# Nouns that count people when an "of" phrase follows ("a group of students").
_COLLECTIVE_NOUNS = frozenset({
    "army", "group", "crowd", "number", "majority", "minority", "handful", "host", "team",
    "coalition", "band", "bunch", "couple", "lot", "dozen", "series", "set", "pair", "string",
})  # fmt: skip
# Nouns that always stand for several people.
_CROWD_NOUNS = frozenset({"crowd", "audience", "public", "family", "couple", "pair", "mob"})
_COUNTRY_NOUNS = frozenset({"country", "nation", "state", "republic", "kingdom"})
# Adjectives that are part of an office's name ("prime minister", "foreign secretary", "first
# minister"); other adjectives say what a holder is like ("the outspoken minister", "the
# federal judge"), not which office.
_OFFICE_ADJECTIVES = frozenset({"prime", "first", "foreign", "interior", "chief"})
# Words that make an office a lower one ("Vice President Tom Hale" is no "president").
_RANK_WORDS = frozenset({"vice", "deputy", "lieutenant", "assistant"})
# Words that make a description an unnamed source ("sources", "one of the people who ...").
_ANONYMOUS_HEADS = frozenset({
    "source", "sources", "people", "person", "official", "officials", "one", "aide", "aides",
    "insider", "insiders", "someone", "witness", "witnesses", "diplomat", "diplomats",
    "analyst", "analysts", "expert", "experts", "observer", "observers", "critic", "critics",
    "some", "others", "many", "several", "resident", "residents", "voter", "voters",
})  # fmt: skip
_INDEFINITE = frozenset({"a", "an", "one", "some", "several", "two", "three", "four", "many"})
_DEFINITE = frozenset({"the", "this", "that"})
_DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
# A referent is looked for at most this many paragraph breaks back; a person for "he" or "she"
# in its own paragraph or the one before (a pronoun chain carries it further).
_RECENT_PARAGRAPHS = 2
_PRONOUN_PARAGRAPHS = 1
# Words for a person by role that a definite description ("the senator", "the businessman")
# uses for someone the text has named: the offices and ranks of person_titles.txt and the
# roles of people in the news (general English, not from any article).
_ROLE_NOUNS = frozenset({
    "candidate", "nominee", "frontrunner", "front-runner", "contender", "hopeful", "incumbent",
    "challenger", "rival", "opponent", "politician", "lawmaker", "legislator", "leader",
    "businessman", "businesswoman", "billionaire", "mogul", "tycoon", "magnate", "executive",
    "founder", "owner", "investor", "entrepreneur", "pollster", "strategist", "adviser",
    "advisor", "aide", "activist", "lawyer", "attorney", "author", "writer", "columnist",
    "journalist", "commentator", "host", "anchor", "economist", "professor", "scholar",
    "scientist", "researcher", "physician", "surgeon", "neurosurgeon", "officer", "veteran",
    "actor", "actress", "singer", "star", "model", "athlete", "player", "manager", "lady",
    "man", "woman", "preacher", "pastor", "priest", "rabbi", "imam", "cleric", "dictator",
    "monarch", "emperor", "justice", "prosecutor", "sheriff", "chief", "head", "official",
})  # fmt: skip
# More words for a person by role that a description uses for someone named ("the mega donor",
# "the author"), read by the resolver only: as the quote extractor's speakers they let in
# clauses of no speech ("donors, who fund 'super PACs'"). Given only to one introduced with
# them: "the reporter", "the agent" may as well be someone the person the text is about met.
_DESCRIBED_ROLES = frozenset({
    "donor", "philanthropist", "reporter", "correspondent", "editor", "publisher", "comedian",
    "historian", "organizer", "agent", "teacher",
})  # fmt: skip
_FEMALE_ENDINGS = ("woman", "ess", "lady")
# Words for a person by a tie to another ("the wife of ...", "Baker's brother"): like a role
# word, someone else than the one they are tied to (`_is_person_word`).
_FEMALE_RELATIONS = frozenset({
    "wife", "daughter", "mother", "sister", "aunt", "niece", "widow", "fiancee", "girlfriend",
    "granddaughter", "grandmother",
})  # fmt: skip
_MALE_RELATIONS = frozenset({
    "husband", "son", "father", "brother", "uncle", "nephew", "widower", "fiance", "boyfriend",
    "grandson", "grandfather",
})  # fmt: skip
_RELATION_NOUNS = _FEMALE_RELATIONS | _MALE_RELATIONS | frozenset({
    "child", "parent", "cousin", "friend", "partner", "colleague", "member", "supporter",
    "relative", "ally", "associate",
})  # fmt: skip
# Verbs of telling whose object is the one told of the clause they report ("Baker told Reed
# that he would win"), from the speech verbs of reporting_cues.txt.
TELLING_VERBS = frozenset({
    "tell", "inform", "assure", "reassure", "warn", "remind", "notify", "advise", "caution",
    "alert", "promise", "brief", "convince", "persuade",
})  # fmt: skip
# Verbs of asking someone a question, whose answer the next quote gives ("Baker asked Reed
# whether ... '...,' he said": Reed).
_ASKING_VERBS = frozenset({"ask", "question", "quiz"})
# The words a question put in reported speech opens with ("asked Reed whether ...").
_QUESTION_WORDS = frozenset(
    {"whether", "if", "who", "what", "when", "where", "why", "how", "which"}
)
# Relative pronouns only a person stands for.
_PERSON_RELATIVES = frozenset({"who", "whom"})
_ABBREVIATED_TITLES = {
    "sen": "senator", "gov": "governor", "rep": "representative", "pres": "president",
    "gen": "general", "adm": "admiral", "atty": "attorney", "amb": "ambassador",
}  # fmt: skip
# Relations that lead from a clause up to the verb it is the content of.
_CLAUSE_DEPS = ("ccomp", "xcomp", "conj", "dobj", "acomp")
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
# Labels of the modifiers that tell two holders of a title apart ("the Florida senator").
_PLACE_LABELS = frozenset({"GPE", "NORP"})
# What a named mention was introduced with: its words' lemmas, its places and parties, the words.
_Introduction = tuple[frozenset[str], frozenset[str], tuple[Token, ...]]
# Parts of speech between a title's head and the name it is given ("comedian and actor").
_TITLE_POS = frozenset({"NOUN", "PROPN", "ADJ", "CCONJ"})
# The conjunctions that join two titles of one person ("coach and captain"); "but" and "or"
# join two people ("the coach or his deputy", "all the players but Voss").
_TITLE_JOINS = frozenset({"and", "&"})
# Honorifics English writes with "the" before a name ("the Hon. Ada Quell").
_ARTICLE_HONORIFICS = frozenset({"rev", "reverend", "hon", "honorable", "honourable"})
# How many pronouns back a chain of "he" ... "he" is followed.
_CHAIN_DEPTH = 12
# Marks that set off a relative clause that does not narrow its noun.
_ASIDE_MARKS = frozenset({",", "--", "-", "\u2013", "\u2014"})
# Parts of speech no name is.
_NO_NAME_POS = frozenset({"ADV", "ADP", "DET", "PRON", "SCONJ", "CCONJ", "PART", "INTJ"})


@dataclass(frozen=True)
class Referent:
    """What a mention stands for: a named mention, or an unnamed description (entity None)."""

    start: int
    end: int
    entity: Span | None
    kind: str  # person (one person), people (several), group (organisation or country)


def person_genders(doc: Doc) -> dict[str, str]:
    """Gender of each PERSON surname, told by an honorific before it ("Mr. Reed") or by a first
    name the census gives one sex ("Hillary Clinton"), or by a reflexive object of its verb
    ("Varley calls herself a realist"); a surname told both ways ("Hillary Clinton", "Bill
    Clinton") has none. Other pronouns near a name are not counted: they are as often someone
    else's, and a wrong gender hides the right person."""
    told: dict[str, set[str]] = {}
    for entity in doc_entities(doc):
        if entity.label_ != "PERSON":
            continue
        title = doc[entity.start - 1].lower_ if entity.start > 0 else ""
        if title in _MALE_TITLES | _FEMALE_TITLES:
            gender = "m" if title in _MALE_TITLES else "f"
        else:
            gender = first_name_gender(entity)
        if gender is not None:
            told.setdefault(entity[-1].lower_, set()).add(gender)
        reflexive = _reflexive_of(entity.root)
        if reflexive is not None:
            told.setdefault(entity[-1].lower_, set()).add(reflexive)
    return {surname: genders.pop() for surname, genders in told.items() if len(genders) == 1}


def _reflexive_of(subject: Token) -> str | None:
    """The gender a reflexive object of a name's own verb says ("Varley calls herself a
    realist", "Baker pushed himself hard"): bound within its clause, a reflexive is that
    subject's, never someone else's as another pronoun may be."""
    if subject.dep_ != "nsubj":
        return None
    for child in subject.head.children:
        if child.dep_ == "dobj" and child.lower_ in ("himself", "herself"):
            return "m" if child.lower_ == "himself" else "f"
    return None


def first_name_gender(entity: Span) -> str | None:
    """ "m" or "f" when the name starts with a first name the census gives one sex."""
    return _first_names().get(entity[0].lower_) if len(entity) > 1 else None


@cache
def _first_names() -> dict[str, str]:
    """US census first names (1990) whose bearers are at least four times as often of one sex
    as of the other, and that sex."""
    shares: dict[str, dict[str, float]] = {}
    for sex in ("male", "female"):
        listing = (files("names") / f"dist.{sex}.first").read_text(encoding="ascii")
        for line in listing.splitlines():
            name, share = line.split()[:2]
            shares.setdefault(name.lower(), {})[sex[0]] = float(share)
    genders = {}
    for name, share in shares.items():
        male, female = share.get("m", 0.0), share.get("f", 0.0)
        if male >= 4 * female or female >= 4 * male:
            genders[name] = "m" if male > female else "f"
    return genders


_IS_FIRST_NAME = StringTest(lambda word: word in _first_names())


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
        self._breaks = [m.start() for m in re.finditer(r"\n\s*", self._text)]
        self._entities, self._bearers = mention_list(
            doc,
            [e for e in doc_entities(doc) if e.label_ in REFERENT_LABELS and _is_name(e)],
            _IS_FIRST_NAME,
            self._recent,
            is_role_noun,
        )
        self._surnames = {e[-1].text for e in self._entities if e.label_ == "PERSON"}
        self._entity_starts = [e.start_char for e in self._entities]
        # Names inside quote marks are in someone's words, never what a pronoun after them
        # in the narrative stands for.
        if quoted is None:
            quoted = [(span.start, span.end) for span in find_quoted_spans(self._text)]
        self._quote_starts = [start for start, _ in quoted]
        self._quote_ends = [end for _, end in quoted]
        self._sentences = list(doc.sents)
        self._sentence_starts = [sentence.start_char for sentence in self._sentences]
        self._described: dict[int, _Introduction] = {}
        self._full_names: dict[int, Span] = {}
        # (mention start, head lemma, referent, head index) of the speakers remembered so far.
        self._history: list[tuple[int, str, Referent, int]] = []
        # What each "he" or "she" resolved stands for, by token index; the subject pronouns.
        self._persons: dict[int, Referent | None] = {}
        self._subject_pronouns: list[int] | None = None
        # What each description standing as a subject stands for, by token index.
        self._descriptions: dict[int, Referent | None] = {}
        self._sentence_roles: dict[int, list[Token]] = {}
        self._in_description = False
        self._body_names: set[str] | None = None
        self._documents: dict[str, list[Token]] | None = None
        # surname -> word of a full name of it -> the full names with that word
        self._surname_words: dict[str, dict[str, set[str]]] | None = None

    def resolve(self, head: Token, start: int, end: int, remember: bool = False) -> Referent | None:
        """What the phrase [start, end) headed by `head` stands for; None for a pronoun with no
        antecedent it can be sure of."""
        referent = self._published(self._resolve(head, start, end))
        if remember and referent is not None:
            self._history.append((start, head.lemma_.lower(), referent, head.i))
        return referent

    def _published(self, referent: Referent | None) -> Referent | None:
        """The referent as a row of the entities table: a mention `mention_list` added is the
        tagged full name it is of, or no entity for a name the model never tagged."""
        entity = referent.entity if referent is not None else None
        if entity is None or entity.start not in self._bearers:
            return referent
        bearer = self._bearers[entity.start]
        if bearer is None:
            return Referent(referent.start, referent.end, None, referent.kind)
        return Referent(bearer.start_char, bearer.end_char, bearer, referent.kind)

    # ---- the kinds of mention ----------------------------------------------------------------

    def _resolve(self, head: Token, start: int, end: int) -> Referent | None:
        word = head.lower_
        joined = _joined_clause_noun(head) if word in _PERSON_RELATIVES else None
        if word in RELATIVE_PRONOUNS and (
            joined is not None or (head.head.dep_ == "relcl" and head.head.head.i != head.i)
        ):
            antecedent = joined or head.head.head
            if word in _PERSON_RELATIVES:
                antecedent = _placed_person(antecedent) or antecedent
            if word in _PERSON_RELATIVES and _of_a_person(antecedent):
                return None
            start, end = _noun_phrase(antecedent)
            if any(c.dep_ == "conj" and c.i > head.i for c in antecedent.children):
                # "Trump, who has called it insanity, and Sanders, who ...": a clause before
                # the names joined to its noun is that noun's alone, one person's or body's.
                entity = self._entity_in(antecedent, start, head.idx)
                if (
                    entity is None
                    or entity.label_ not in _ONE_BEARER
                    or (word == "which" and entity.label_ == "PERSON")  # a person's book
                    or _plural_subject(head)  # "those supporting Clinton, who are"
                ):
                    return Referent(start, end, None, "people")
                entity = self._full_name(entity)
                return Referent(entity.start_char, entity.end_char, entity, _kind_of(entity))
            referent = self._resolve(antecedent, start, end)
            if referent is None or referent.entity is None:
                return referent
            if word == "which" and _thing_of_a_name(antecedent, referent.entity):
                return None  # "a book by Johnston, which says": the book
            if _plural_subject(head):
                return Referent(start, end, None, "people")  # "those backing Baker, who are"
            return referent
        if word in WH_RELATIVES and head.i > 0:
            # "called the Denver Fire Department which said": a clause the parse
            # did not hang on the name right before it is still that name's.
            before = self._doc[head.i - 1]
            before = self._doc[head.i - 2] if before.text == "," and head.i > 1 else before
            if word in _PERSON_RELATIVES and _of_a_person(before):
                return None
            entity = self._entity_at(before)
            if (
                entity is not None
                and entity.end == before.i + 1
                and entity.label_ in _ONE_BEARER
                and not (word == "which" and _thing_of_a_name(before, entity))
            ):
                return Referent(entity.start_char, entity.end_char, entity, _kind_of(entity))
        own = self._phrase_head(head, start, end)
        if own.i != head.i and own.tag_ in ("NNS", "NNPS") and _document_of(own) is None:
            # "several bakers, among them Ann Voss", "the parents who elected her": a plural
            # is several people, whoever its complement names.
            return Referent(start, end, None, "people")
        head = own
        opening = self._opening_name(head, start, end)
        if opening is not None:
            opening = self._full_name(opening)
            return Referent(opening.start_char, opening.end_char, opening, _kind_of(opening))
        titled = self._titled_name(head, start, end)
        if titled is not None:
            return Referent(titled.start_char, titled.end_char, titled, _kind_of(titled))
        # "he and his staff"; "Ada Quell, Ivo Brandt and other rowers", where the parse hangs
        # the list on the second name, set off as if it renamed the first.
        listed = [head] + [
            c
            for c in head.children
            if c.dep_ == "appos" and c.ent_type_ == "PERSON" and c.idx < end
        ]
        if any(child.dep_ == "conj" for word in listed for child in word.children) or (
            _joins_described(head, start, end)
        ):
            return Referent(start, end, None, "people")
        if is_pronoun(head):
            return self._pronoun(head, start)
        entity = self._entity_in(head, start, end)
        if entity is not None:
            entity = self._full_name(entity)
            return Referent(entity.start_char, entity.end_char, entity, _kind_of(entity))
        kind = _description_kind(head)
        if kind == "person" and head.pos_ == "PROPN" and self._names_body(head):
            kind = "group"  # "ESPN fires ..." untagged, where the doc tags "ESPN" a body
        own = Referent(start, end, None, kind)
        if kind == "group":
            owner = self._owner(head)
            if owner is not None and owner.entity is not None:
                if head.lemma_.lower() == "party" and self._is_person(owner.entity):
                    return self._party_of(owner.entity, start) or own
                return Referent(owner.start, owner.end, owner.entity, "group")
        said_in = self._said_in(head) if kind == "group" else None
        if said_in is not None:
            return said_in
        anchor = self._anchor(head, kind)
        if anchor is not None:
            return Referent(anchor.start_char, anchor.end_char, anchor, kind)
        if kind == "people" or not _is_definite(head) or self._is_anonymous(head, start, end):
            return own
        if kind == "group" and any(
            c.dep_ in ("compound", "poss") and c.pos_ == "PROPN" and c.ent_type_ != "GPE"
            for c in head.children
        ):
            # "the Marist poll" after "a CNN poll": a body of a name of its own, not the one
            # before (a place, "the Ohio poll", may be where the one before was taken).
            return own
        earlier = self._recent_speaker(start, lambda lemma, _: lemma == head.lemma_.lower())
        if earlier is not None:
            # (Unless another of the kind is in view, as for a description named before.)
            rival = kind == "group" and self._other_called(head, earlier[1], start)
            return own if rival else earlier[1]
        described = self._described_before(head, start, kind)
        if (
            described is None
            and kind == "person"
            and not any(c.dep_ == "poss" for c in head.children)
        ):
            described = self._epithet(head)
        return described or own

    def antecedent(self, pronoun: Token) -> Token | None:
        """The word a personal pronoun stands for, for callers that name actors by a word: the
        subject reporting its clause ("Syria said it will ...": Syria), else for "he" or "she"
        the named person (its name's head word); None when unsure."""
        if any(child.dep_ == "conj" for child in pronoun.children):
            return None  # "he and his staff"
        reporter = self._reporter(pronoun)
        if reporter is not None:
            return reporter[0]
        word = pronoun.lower_
        if word not in _MALE | _FEMALE:
            return None
        referent = self._published(self._person(pronoun, "m" if word in _MALE else "f"))
        return referent.entity.root if referent is not None and referent.entity else None

    def _reporter(self, pronoun: Token) -> tuple[Token, Referent] | None:
        """The subject of the verb that reports the pronoun's clause, and what it stands for,
        when the pronoun agrees with it: a subject in reported words stands for who reports them
        ("Syria said it will ...", "the ministry said it would ...", "Kishida said he ...")."""
        subject = _reporting_subject(pronoun)
        if subject is None:
            return None
        referent = self._resolve(subject, *_noun_phrase(subject))
        if referent is None:
            return None
        word, plural = pronoun.lower_, subject.tag_ in ("NNS", "NNPS")
        person = referent.kind == "person" or (
            referent.entity is not None and self._is_person(referent.entity)
        )
        if word in _THING:
            # An unnamed subject of "it" is a thing or a body unless it is a person's name.
            agrees = not plural and (
                referent.kind == "group" if referent.entity is not None else subject.pos_ == "NOUN"
            )
        elif word in _PLURAL:
            agrees = plural or referent.kind == "group"
        elif word in _MALE | _FEMALE:
            gender = "m" if word in _MALE else "f"
            agrees = person and not plural and self._agrees(referent.entity, gender)
            # "Baker told Reed that he would win": the one told is as likely. (Not one met:
            # "Baker met Reed and said he would".)
            teller = pronoun.head.head if pronoun.head.dep_ == "ccomp" else None
            agrees = agrees and not (
                teller is not None
                and teller.lemma_.lower() in TELLING_VERBS
                and any(
                    self._told_person(child, gender)
                    for child in teller.children
                    if child.dep_ in ("dobj", "dative")
                )
            )
        else:
            agrees = False  # "I", "you": the speaker of quoted words, or the reader
        return (subject, referent) if agrees else None

    def _pronoun(self, pronoun: Token, start: int) -> Referent | None:
        """A personal pronoun's antecedent: the subject reporting its clause (`_reporter`), else
        for "he" and "she" the person the sentences before it go on about (`_person`); "it" and
        "they" only a recent speaker."""
        word = pronoun.lower_
        reporter = self._reporter(pronoun)
        if reporter is not None and (reporter[1].entity or not _is_definite(reporter[0])):
            if word == "they" and _plural_people(reporter[1].entity):
                return reporter[1]  # "Democrats said they would filibuster": the party
            return self._one_body(reporter[1]) if word in _PLURAL else reporter[1]
        # (An unnamed definite reporter, "This candidate does ..., and she knows": whom the
        # sentences before are about.)
        if word in _SINGULAR_PERSON:
            if word in _FIRST_PERSON:
                return None  # the writer, or a speaker the resolver cannot see
            return self._person(pronoun, "m" if word in _MALE else "f" if word in _FEMALE else None)
        if word not in _THING | _PLURAL:
            return None  # "you", "one", "this": nobody the text names
        wanted = ("group",) if word in _THING else ("people", "group")
        earlier = self._recent_speaker(
            start,
            lambda _, ref: (
                ref.kind in wanted and (ref.entity is not None or not self._names_person(ref))
            ),
        )
        if (
            earlier is None
            or self._thing_subject_between(*earlier, start, word)
            or self._other_body_since(*earlier, start)
        ):
            return None
        return self._one_body(earlier[1]) if word in _PLURAL else earlier[1]

    def _one_body(self, referent: Referent) -> Referent:
        """What "they" or "we" stands for as a speaker: an organisation ("the Sierra Club said
        they would sue"), never a set of people named by their nationality, party or place
        ("Republicans said ... ¶ 'We ...,' they said": the antecedent, but no one entity; the
        words may be another group's)."""
        entity = referent.entity
        if entity is None or (entity.label_ == "ORG" and not self._is_person(entity)):
            return referent
        return Referent(referent.start, referent.end, None, "people")

    def _person(self, pronoun: Token, gender: str | None, depth: int = 0) -> Referent | None:
        """The person "he" or "she" stands for (centering, as news text writes): the nearest
        sentence before it, back to the paragraph before its own, that mentions a person of
        the pronoun's gender decides. Its main-clause subject ("Melendres said ... whereas
        Petraeus acknowledged ... He also said": Melendres), else its one subject, else its one
        person; a pronoun chosen stands for what it stands for ("He ... He ..."). A sentence
        that leaves two people equally likely leaves the pronoun unresolved; so does its own
        sentence naming two people before it ("Aso said Kishida would stay when he met ...")."""
        if pronoun.i in self._persons:
            return self._persons[pronoun.i]
        self._persons[pronoun.i] = None  # a cycle of pronouns is nobody
        chosen = fallback = answerer = None
        index = bisect_right(self._sentence_starts, pronoun.idx) - 1
        speaks = self._has_quote(self._sentences[index])
        # "'...he ...,' Baker said. Sales were up, he said": a pronoun reporting words goes on
        # with the speaker of the sentence right before, as a quote's does (news writing names
        # a new speaker).
        reports = _reports(pronoun)
        for k in range(index, -1, -1):
            sentence = self._sentences[k]
            if not self._recent(sentence.end_char - 1, pronoun.idx, _PRONOUN_PARAGRAPHS):
                break
            own = k == index
            candidates = self._candidates(
                sentence, pronoun.idx if own else sentence.end_char, gender
            )
            if not candidates:
                continue
            if own:
                # "Having beaten Ferrer twice, he said ...": a name in a clause with no subject of
                # its own hung on the pronoun's verb is someone else (English grammar: the pronoun
                # is that clause's understood subject, and would be "himself").
                candidates = [c for c in candidates if not _acted_on_by(c.token, pronoun)]
                if not candidates:
                    continue
                # "Baker said Hollis was the treasurer, and he added": the subject of the
                # verb the pronoun's verb is joined to.
                joined, chosen = _joined_subject(pronoun, candidates)
                if joined:
                    break
                if len({c.surname for c in candidates if c.named}) > 1:
                    break
            chosen = _centre(candidates, sentence.root, subjects_only=own)
            if speaks and not own:
                # "Tom Baker asked John Reed whether ... '...,' he said": the one asked answers.
                answerer = _answerer(candidates, sentence.root)
                chosen = answerer or chosen
            if (
                chosen is not None
                and not own
                and chosen.token.dep_ == "dobj"
                and self._speaks_of_another(pronoun)
            ):
                # "Reed praised Baker. The deal sends Tom Dunn to Ohio. 'We will miss him,' he
                # said": the one the sentence acts on is the one the words speak of, not their
                # speaker: look further. (Not one after a preposition, "the award went to
                # Dunn": the "him" may be another, and so may the speaker.)
                chosen = None
                continue
            if chosen is not None and self._quotes_someone(
                sentence, pronoun, speaks or (reports and k == index - 1)
            ):
                # "'... she always had his back,' Gutin says. ... She didn't care": the
                # speaker, or the woman she spoke of? (A quote chain, "'...,' he said", goes
                # on with the speaker, unless the words were said of someone.)
                chosen = None
            if chosen is not None or not own:
                break
            # A person named earlier in the pronoun's own sentence but not its subject ("a
            # visit by Aso Taro ... when he met"): only when no sentence before decides.
            fallback = _one(candidates)
        if (
            chosen is not None
            and fallback is not None
            and fallback.named
            and chosen.surname != fallback.surname
        ):
            chosen = None  # "Given Obama's rating ... he should": Obama, or the subject before?
        else:
            chosen = chosen or fallback
        referent = self._followed(chosen, gender, depth)
        if chosen is None and speaks and gender is not None:
            referent = self._quoted_last(pronoun, gender)
        if (
            referent is not None
            and chosen is not fallback
            and chosen is not answerer
            and not _is_subject(chosen.token)
        ):
            # "Baker spoke at the rally. The plan, written by Reed, cuts taxes. He said": the
            # one person of a sentence before, subject of none of its clauses, against the
            # person the text was about before it: either.
            topic = self._topic_before(k, pronoun, gender, depth)
            if topic is not None and not _same_person(topic, referent):
                referent = None
        if (
            referent is not None
            and gender is not None
            and referent.entity is not None
            and referent.entity.label_ == "PERSON"
            and self._gender(referent.entity) is None
            and self._other_person_since(referent.entity, pronoun.idx, gender)
        ):
            # "Dunn said ... Reed asked ... he": a surname of unknown sex agrees with "he" or
            # "she" by default only, no evidence; with another person named since, either.
            referent = None
        self._persons[pronoun.i] = referent
        return referent

    def _quoted_last(self, pronoun: Token, gender: str) -> Referent | None:
        """The person quoted last, for a pronoun speaking quoted words that the sentences in
        its reach leave undecided, when no one else was named, brought in unnamed or
        quoted since ("'...,' said Tom Baker. ¶ The engines started once he gave the signal,
        and the horn sounded as he waved. ¶ '...,' he said": Baker). News writing names a new
        speaker; one not named goes on speaking."""
        earlier = self._recent_speaker(
            pronoun.idx,
            lambda _, r: (
                r.kind == "person" and r.entity is not None and self._agrees(r.entity, gender)
            ),
        )
        if earlier is None:
            return None
        since, speaker = earlier
        if any(
            since < start < pronoun.idx and not _same_person(referent, speaker)
            for start, _, referent, _ in self._history
        ):
            return None  # another speaker quoted since
        for entity in self._entities[
            bisect_right(self._entity_starts, since) : bisect_left(self._entity_starts, pronoun.idx)
        ]:
            if (
                self._is_person(entity)
                and not self._quoted(entity.start_char)
                and not _same_bearer(entity, speaker.entity)
            ):
                return None  # another person named since
        between = self._doc.char_span(since, pronoun.idx, alignment_mode="expand")
        if between is not None and self._brings_in_someone(between, gender):
            return None  # "A neighbor disagreed", "Rescuers hugged a miner": someone new since
        return speaker

    def _brings_in_someone(self, span: Span, gender: str) -> bool:
        """Whether the narrative of `span` brings in one unnamed person a "he" or "she" of
        `gender` may stand for (`_introduces_someone`): a pronoun after it may as well be
        that one's as the one named before."""
        return any(
            _introduces_someone(token)
            and not self._quoted(token.idx)
            and _role_gender(token) in (None, gender)
            for token in span
        )

    def _other_person_since(self, entity: Span, char: int, gender: str) -> bool:
        """Whether the narrative names a person of another surname between the last mention
        of `entity`'s bearer before `char` and `char`, one the pronoun's `gender` may stand
        for (a woman named since is no rival for "he"), and not a name modifying a noun ("a
        Baker rally", "a pro-Baker group")."""
        surname = entity[-1].lower_
        before = self._entities[: bisect_left(self._entity_starts, char)]
        last = max(
            (e.end_char for e in before if e[-1].lower_ == surname and e.end_char <= char),
            default=entity.end_char,
        )
        return any(
            e.label_ == "PERSON"
            and e.start_char >= last
            and e.end_char <= char
            and e[-1].lower_ != surname
            and not self._quoted(e.start_char)
            and self._gender(e) != _OTHER_SEX[gender]
            # A name modifying a noun names the thing, not someone acting in the news.
            and e.root.dep_ not in _MODIFIER_DEPS
            for e in before
        )

    def _followed(
        self, chosen: _Candidate | None, gender: str | None, depth: int
    ) -> Referent | None:
        """What a candidate stands for: its referent, or a pronoun's, followed."""
        referent = chosen.referent if chosen is not None else None
        if chosen is not None and referent is None and depth < _CHAIN_DEPTH:
            referent = self._person(chosen.token, gender, depth + 1)
        return referent

    def _topic_before(
        self, k: int, pronoun: Token, gender: str | None, depth: int
    ) -> Referent | None:
        """The named person of `gender` that the nearest sentence before sentence `k` with a
        person has as its main-clause subject, within a pronoun's reach; None when it has none
        or the person's gender is not known (a surname alone may be of either), or no gender
        is asked (a role word: "the senator")."""
        if gender is None:
            return None
        for index in range(k - 1, -1, -1):
            sentence = self._sentences[index]
            if not self._recent(sentence.end_char - 1, pronoun.idx, _PRONOUN_PARAGRAPHS):
                return None
            candidates = self._candidates(sentence, sentence.end_char, gender)
            if candidates:
                chosen = _main_subject(candidates, sentence.root)[1]
                topic = self._followed(chosen, gender, depth)
                known = topic is not None and topic.entity is not None
                return topic if known and self._gender(topic.entity) == gender else None
        return None

    def _epithet(self, head: Token) -> Referent | None:
        """The person a definite role word stands for when no recent name was given that word
        ("the senator", "the businessman"): the one person the doc gave that word before
        ("Sen. Ann Miller ... the senator"), else, when it gave it to nobody, whom the
        sentences before are about, as for "he" or "she" ("Hollis has long opposed the mayor
        ... the Oregon senator urged ..."). Not a name ("the Union Leader"), not a
        description narrowed to someone new ("the brother of a driver hurt ..."), and not when its
        own sentence names a person before it ("Maddow pressed Warren, but the senator ...":
        a pronoun would have done for the one, so which?) or names the chosen one again."""
        lemma = head.lemma_.lower()
        if (
            not _is_role_word(head)
            or (head.pos_ == "PROPN" and not head.is_lower)  # (lower case: the tagger's slip)
            or any(_narrows(c) for c in head.children)
        ):
            return None
        first = bisect_left(self._entity_starts, head.idx)
        persons = [e for e in self._entities[:first] if e.label_ == "PERSON"]
        given = {
            e[-1].lower_: e
            for e in persons
            if lemma in self._titles(e)
            and self._same_places(head, e)
            and not _other_office(head, self._introduction(e)[2])
        }
        # Given the word with the description's place: "the Vermont senator" is not shown to
        # be "Sen. Ted Cruz", introduced with no place, beside one introduced with Vermont.
        placed = {k: e for k, e in given.items() if self._same_places(head, e, strict=True)}
        given = placed or given
        centre = self._centre_person(head)
        # A word only descriptions use ("the reporter", "the agent") may as well be someone
        # the person met: given only to one introduced with it.
        described = not is_role_noun(head)
        if centre is not None and (centre[-1].lower_ in given or not (placed or described)):
            # Whom the text is about, not a passer-by: given the word or named more than once;
            # not a source named once ("said Chuck Rocha, a consultant ... The GOP nominee"),
            # nor one named once as a subject ("Tom Baker pleaded guilty ... the judge said").
            surname = centre[-1].lower_
            if given or sum(e[-1].lower_ == surname for e in persons) > 1:
                return Referent(centre.start_char, centre.end_char, centre, "person")
        if len(given) == 1:
            entity = next(iter(given.values()))
            return Referent(entity.start_char, entity.end_char, entity, "person")
        # "Cruz defends ... in a commercial: '...,' the senator says": the one person its own
        # sentence names before it, when the doc gave that person the word.
        own = {c.surname for c in self._candidates(head.sent, head.idx, None) if c.named}
        if len(own) == 1 and next(iter(own)) in given:
            entity = given[next(iter(own))]
            return Referent(entity.start_char, entity.end_char, entity, "person")
        return None

    def _anchor(self, head: Token, kind: str) -> Span | None:
        """The name a description is in apposition to, of its kind ("The Harbour Pilots Guild,
        a trade group based in Ohio": the Guild; "Tom Baker, a lawyer for the city": Baker):
        apposition names one bearer twice."""
        if (
            head.dep_ != "appos"
            or kind not in ("person", "group")
            or head.lemma_.lower() in _DOCUMENT_NOUNS  # a poll is its author's, not its anchor's
        ):
            return None
        entity = self._entity_at(head.head)
        if (
            entity is None
            or entity.end != head.head.i + 1
            or self._quoted(entity.start_char)
            or not (entity.end < len(self._doc) and self._doc[entity.end].text == ",")
            or head.left_edge.i != entity.end + 1
            or _verb_after(head)
        ):
            # Apposition follows its name set off by a comma, and is no subject of a verb
            # right after it ("Dunn, two officials told us, will resign": a source set in).
            return None
        person = self._is_person(entity)
        if (kind == "person") != person or (not person and entity.label_ != "ORG"):
            return None
        return self._full_name(entity)

    def _centre_person(self, head: Token) -> Span | None:
        """The named person the sentences before a role word are about, when its own sentence
        names nobody before it and does not name that person again after it."""
        sentence = head.sent
        if self._candidates(sentence, head.idx, None):
            return None
        referent = self._person(head, _role_gender(head))
        if referent is None or referent.entity is None:
            return None
        chosen = referent.entity[-1].lower_
        first = bisect_left(self._entity_starts, head.idx)
        again = self._entities[first : bisect_left(self._entity_starts, sentence.end_char)]
        return None if any(e[-1].lower_ == chosen for e in again) else referent.entity

    def _titles(self, entity: Span) -> frozenset[str]:
        """The words describing a mention's bearer, with abbreviated titles written out ("Sen.
        Bernie Sanders": senator)."""
        return frozenset(
            _ABBREVIATED_TITLES.get(word.rstrip("."), word.rstrip("."))
            for word in self._introduction(entity)[0]
        )

    def _candidates(self, sentence: Span, limit: int, gender: str | None) -> list[_Candidate]:
        """The mentions of people of `gender` in `sentence` before character `limit`, outside
        quote marks: named persons, remembered speakers, and subject pronouns of the gender."""
        found = []
        first = bisect_left(self._entity_starts, sentence.start_char)
        for entity in self._entities[first : bisect_left(self._entity_starts, limit)]:
            if (
                self._is_person(entity)
                and entity.root.dep_ != "compound"  # "Sanders supporters": not Sanders
                and not self._quoted(entity.start_char)
                and self._agrees(entity, gender)
            ):
                referent = Referent(entity.start_char, entity.end_char, entity, "person")
                found.append(_Candidate(entity.root, referent, entity[-1].lower_, True))
        named = {candidate.token.i: candidate for candidate in found}
        for speaker_start, _, referent, head in self._history:
            if not sentence.start_char <= speaker_start < limit or referent.kind != "person":
                continue
            if gender is not None and self._doc[head].lower_ in _OTHER_GENDER[gender]:
                continue  # a speaker "she" is no antecedent of "he"
            given = [named[c.i] for c in self._doc[head].children if c.i in named]
            given = [c for c in given if c.token.dep_ == "appos"]
            if given and referent.entity is None:
                # "The mayor, John Reed, said": the name given it is the one it stands for.
                name = given[0]
                found.append(_Candidate(self._doc[head], name.referent, name.surname, True))
                continue
            if referent.entity is None and not self._names_person(referent):
                if _hypothetical(self._doc[head]):
                    continue  # "common for a referee to ...": a kind of person, no one
                # "a spokesman": the one unnamed person, told apart by where it is described
                found.append(_Candidate(self._doc[head], referent, f"@{referent.start}", True))
            elif referent.entity is not None and self._agrees(referent.entity, gender):
                surname = referent.entity[-1].lower_
                found.append(_Candidate(self._doc[head], referent, surname, True))
        if not self._in_description:
            # "The Oregon governor is trailing ... 'We still have work to do,' she said": the
            # main clause's description the text gave someone named is that person's mention.
            for token in self._role_subjects(sentence):
                if token.idx >= limit:
                    continue
                referent = self._description(token)
                if (
                    referent is not None
                    and referent.entity is not None
                    and self._is_person(referent.entity)
                    and self._agrees(referent.entity, gender)
                ):
                    surname = referent.entity[-1].lower_
                    found.append(_Candidate(token, referent, surname, True))
                elif (
                    (referent is None or referent.entity is None)
                    and any(c.dep_ == "poss" for c in token.children)
                    and not any(c.dep_ == "appos" for c in token.children)
                    and _role_gender(token) in (None, gender)
                ):
                    # "Baker's lawyer said the case was weak. He said": someone's person is
                    # someone else, whom the text does not name, as likely as anyone named.
                    # ("The retired neurosurgeon" may be the one the text is about.)
                    start, end = _noun_phrase(token)
                    unnamed = Referent(start, end, None, "person")
                    found.append(_Candidate(token, unnamed, f"@{start}", True))
        family = _MALE if gender == "m" else _FEMALE if gender == "f" else frozenset()
        for i in self._pronoun_subjects():
            token = self._doc[i]
            if (
                sentence.start <= i < sentence.end
                and token.idx < limit
                and token.lower_ in family
                and not self._quoted(token.idx)
            ):
                found.append(_Candidate(token, None, "", False))
        return found

    def _told_person(self, token: Token, gender: str) -> bool:
        """Whether the object of a verb of telling, the one told, is a named person of
        `gender`."""
        entity = self._entity_at(token)
        return entity is not None and self._is_person(entity) and self._agrees(entity, gender)

    def _is_person(self, entity: Span) -> bool:
        """A PERSON, or a name the model called an organisation that is a person's: a first
        name and a surname ("Carly Fiorina"), or a surname the doc gives a person; not a name
        written after "the" ("the Sierra Club")."""
        if entity.label_ == "PERSON":
            return True
        if entity.label_ != "ORG" or any(t.pos_ != "PROPN" for t in entity):
            return False
        if entity.start > 0 and self._doc[entity.start - 1].lower_ == "the":
            return False
        return first_name_gender(entity) is not None or entity.text in self._surnames

    def _has_quote(self, sentence: Span) -> bool:
        """Whether quoted words overlap `sentence`."""
        index = bisect_left(self._quote_ends, sentence.start_char + 1)
        return index < len(self._quote_starts) and self._quote_starts[index] < sentence.end_char

    def _quotes_someone(self, sentence: Span, pronoun: Token, speaks: bool) -> bool:
        """Whether `sentence` says whom its quoted words are said of ("..., Baker said of
        Reed"), or, for a pronoun that does not speak, the words speak of a third person by its
        word ("he", "him", "his"): the pronoun may stand for that person as well as for the
        speaker."""
        family = _MALE if pronoun.lower_ in _MALE else _FEMALE
        return any(
            _said_of_person(token)
            or (not speaks and token.lower_ in family and self._quoted(token.idx))
            for token in sentence
            if token.i < pronoun.i
        )

    def _speaks_of_another(self, pronoun: Token) -> bool:
        """Whether the quoted words a pronoun speaks in its own sentence name a third person
        of its gender by an object or possessive pronoun ("'We will miss him,' he said"):
        someone speaking of themselves says "me", "my"."""
        family = (_MALE if pronoun.lower_ in _MALE else _FEMALE) - {pronoun.lower_}
        return any(
            token.lower_ in family and token.dep_ != "nsubj" and self._quoted(token.idx)
            for token in pronoun.sent
            if token.i < pronoun.i
        )

    def _role_subjects(self, sentence: Span) -> list[Token]:
        """The definite role or relation words standing as subjects of the sentence's main
        verb outside quote marks ("the senator said", "Baker's brother said"), found once per
        sentence."""
        found = self._sentence_roles.get(sentence.start)
        if found is None:
            found = self._sentence_roles[sentence.start] = [
                token
                for token in sentence.root.children
                if token.dep_ in ("nsubj", "nsubjpass")
                and token.tag_ == "NN"
                and not token.ent_type_
                and _is_person_word(token)
                and _is_definite(token)
                and not self._quoted(token.idx)
                # ("The economist Mark Hollis measured", parsed as two subjects: a title)
                and not (token.i + 1 < len(self._doc) and _title_of_name(self._doc[token.i + 1]))
            ]
        return found

    def _description(self, token: Token) -> Referent | None:
        """What a description standing as a subject stands for, once per token; descriptions
        it looks back to are not followed further (a bounded chain)."""
        if token.i not in self._descriptions:
            self._descriptions[token.i] = None
            self._in_description = True
            try:
                self._descriptions[token.i] = self._resolve(token, *_noun_phrase(token))
            finally:
                self._in_description = False
        return self._descriptions[token.i]

    def _pronoun_subjects(self) -> list[int]:
        """Indices of the subject pronouns "he" and "she" and the owners of subjects ("his
        administration"; "his wife", a mention, if not the subject), found once per doc."""
        if self._subject_pronouns is None:
            words = doc_column(self._doc, LOWER)
            self._subject_pronouns = [
                int(i)
                for i in np.flatnonzero(among(self._doc, words, _MALE | _FEMALE))
                if _is_subject(self._doc[int(i)]) or _is_subject(self._doc[int(i)].head)
            ]
        return self._subject_pronouns

    def _thing_subject_between(
        self, earlier: int, referent: Referent, start: int, word: str
    ) -> bool:
        """Whether a sentence between a speaker and "it" or "they" has as its subject an
        unnamed thing of the pronoun's number ("Exxon said ... The letter also accuses ... It
        also accused") or another named body ("The ministry said ... Google announced ... It
        said"): the pronoun is as likely that one's."""
        plural = word in _PLURAL
        first = bisect_left(self._sentence_starts, earlier + 1)
        for index in range(first, bisect_left(self._sentence_starts, start)):
            for subject in self._sentences[index].root.children:
                if subject.dep_ not in ("nsubj", "nsubjpass"):
                    continue
                if (
                    subject.pos_ == "NOUN"
                    and subject.ent_type_ == ""
                    and (subject.tag_ == "NNS") == plural
                ):
                    return True
                body = self._entity_at(subject)
                if (
                    body is not None
                    and body.label_ in ("ORG", "GPE")
                    and not self._is_person(body)
                    and (referent.entity is None or not _same_bearer(body, referent.entity))
                ):
                    return True
        return False

    def _other_body_since(self, earlier: int, referent: Referent, start: int) -> bool:
        """Whether the narrative names another organisation between a speaker and "it" or
        "they" ("The Authority said ... grain for Delmar Foods. 'We are ready,' it said"): the
        pronoun is as likely that one's."""
        between = self._entities[
            bisect_left(self._entity_starts, earlier + 1) : bisect_left(self._entity_starts, start)
        ]
        return any(
            body.label_ == "ORG"
            and not self._quoted(body.start_char)
            and (referent.entity is None or not _same_bearer(body, referent.entity))
            for body in between
        )

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

    def _party_of(self, person: Span, start: int) -> Referent | None:
        """The party a person's "party" is ("Ben Cardin, a Democrat ... his party"): the one
        party or nationality the doc's mentions of that person before `start` were introduced
        with; a person's party is no side of its own."""
        surname = person[-1].lower_
        parties = {
            party.text: party
            for e in self._entities[: bisect_left(self._entity_starts, start)]
            if e.label_ == "PERSON" and e[-1].lower_ == surname
            for token in described_by(e)
            if (party := self._entity_at(token)) is not None and _party_of_person(party, e)
        }
        if len(parties) != 1:
            return None
        party = next(iter(parties.values()))
        return Referent(party.start_char, party.end_char, party, "group")

    def _names_body(self, word: Token) -> bool:
        """Whether the doc tags the word alone as an organisation, place or nationality and
        never as a person: a name it left untagged here is that body's, no unnamed person."""
        if self._body_names is None:
            labels: dict[str, set[str]] = {}
            for entity in self._entities:
                if len(entity) == 1:
                    labels.setdefault(entity.text, set()).add(entity.label_)
            self._body_names = {name for name, found in labels.items() if "PERSON" not in found}
        return word.text in self._body_names

    def _said_in(self, head: Token) -> Referent | None:
        """The one who says something in the document a word names ("Baker wrote in a statement
        to the paper", "In a statement, the ministry called ..."): its author, whatever its
        determiner; not two joined ("Trump and Ryan said in a statement"), nor one the document
        is from or by another ("responded in a statement from his lawyer")."""
        verb = head.head.head
        if (
            head.dep_ != "pobj"
            or any(c.dep_ == "prep" and c.lower_ in ("by", "from") for c in head.children)
            or head.head.lower_ != "in"
            or head.tag_ != "NN"
            or head.lemma_.lower() not in _DOCUMENT_NOUNS
            or verb.pos_ != "VERB"
            or not (verb.lemma_.lower() in _SAYING or head.lemma_.lower() == "statement")
        ):
            return None
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or any(c.dep_ == "conj" for c in subject.children):
            return None
        referent = self._resolve(subject, *_noun_phrase(subject))
        if referent is None or referent.entity is None or referent.entity.label_ not in _ONE_BEARER:
            return None
        return Referent(referent.start, referent.end, referent.entity, "group")

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
        anchor = head.head if head.dep_ == "appos" else None
        for entity in inside:
            if anchor is not None and entity.start <= anchor.i < entity.end:
                return entity  # "Mr. Guerrero, a Republican": the appositive is its anchor's
        if any(e.label_ == "NORP" and e.start <= head.i < e.end for e in inside) and _one_member(
            head
        ):
            # "a Republican who ...", "the Democrat said": one member of a party or a people,
            # a person, never the party or people itself; the name it is in apposition to
            # ("Mr. Guerrero, a Republican", "The Democrat, Sen. Ann Fisk, said").
            names = [anchor] if anchor is not None else []
            names += [c for c in head.children if c.dep_ == "appos"]
            entities = [self._entity_at(name) for name in names]
            persons = [e for e in entities if e is not None and self._is_person(e)]
            return persons[0] if len(persons) == 1 else None
        for entity in inside:
            if entity.start <= head.i < entity.end:
                return entity
        apposed = self._set_off_after(head, start)
        if apposed is not None:
            return apposed
        if (
            head.is_title
            and head.text in self._surnames
            and not any(c.dep_ == "det" for c in head.children)
        ):
            # "Sanders remarked" the model took for a plural noun or a title: the person of
            # that surname the doc named.
            return self._named_earlier(head, start)
        document = _document_of(head)
        if _description_kind(head) == "people" and document is None:
            return None  # "Clinton supporters", "the three scholars -- Mr. Tribe, ...": several
        if head.lower_ in _ORGANISATION_WORDS or document is not None:
            # "Japan's defence ministry", "the Clinton campaign": whose organisation it is.
            head = document or head
            owners = [e for e in inside if e.end_char <= head.idx]
            if any(c.dep_ == "det" and c.lower_ in _INDEFINITE for c in head.children):
                # "an Israeli newspaper", "a Dutch firm": one of a people's many, not its body.
                owners = [e for e in owners if e.label_ != "NORP"]
            if document is not None:
                # A document is its author's: an organisation, one ("an Oregon poll",
                # "a Channel 9/Harbour College poll" are nobody's), before it, after "by"
                # ("the poll by the Lakeshore Policy Institute") or as the agent of a verb of
                # making ("the timetable published by the harbour board"), not one it is
                # about ("an audit of the club").
                writers = [
                    c
                    for prep in head.children
                    if prep.dep_ == "prep" and prep.lower_ in ("by", "from")
                    for c in prep.children
                    if c.dep_ == "pobj"
                ]
                makers = _made_by(head, end)
                owners = [e for e in owners if e.label_ == "ORG"]
                if owners and writers:
                    return None  # "A Washington Post analysis by Tom Baker": its writer's
                # (One who commissioned or put out an outlet's poll did not write it: the
                # outlet before it stays its author.)
                authors = writers + makers
                owners = owners or [
                    e for e in map(self._entity_at, authors) if e is not None and e.label_ == "ORG"
                ]
                if (
                    len(owners) > 1
                    or len(makers) > 1
                    or any(_joint_authors(e) for e in owners)
                    or any(c.dep_ in ("conj", "cc") for a in authors for c in a.children)
                    or _made_jointly(head)
                ):
                    return None  # "a study by Harvard and Yale": several bodies', no one's
            if owners:
                return owners[-1]
            names = [c for c in head.children if c.dep_ in ("compound", "poss")]
            named = self._named_earlier(names[-1], start) if names else None
            if named is not None and (
                (head.tag_ in ("NNS", "NNPS") and named.label_ not in _ONE_BEARER)
                or (document is not None and _kept_record(head) and named.label_ != "ORG")
            ):
                # "Fenwick County surveys": where, not who, made them; "Ann Voss's medical
                # records" are kept of her, not said by her.
                return None
            return named
        for child in head.children:
            # "The Halvorsen Group's chief, Nora Lind": a title and the name it is given,
            # also where the phrase ends before the name ("The mayor, John Reed, said").
            name = self._entity_at(child) if child.dep_ == "appos" else None
            if name is not None and name.label_ == "PERSON" and name.root.i == child.i:
                return name
        return self._named_earlier(head, start)

    def _phrase_head(self, head: Token, start: int, end: int) -> Token:
        """The noun a phrase is about when the word given for it is not one, or is one of a
        complement the parse tore off it ("her letter to the Fenwick Gazette", "Ada Quell, at
        the board meeting in March" given by their last word): an English noun phrase opens
        with its head and its modifiers; what follows a preposition or a verb is a complement."""
        phrase = self._doc.char_span(start, end, alignment_mode="expand")
        if phrase is None:
            return head
        roots = [t for t in phrase if t.head.i == t.i or not phrase.start <= t.head.i < phrase.end]
        first = next((t for t in roots if t.pos_ in ("NOUN", "PROPN")), None)
        if first is None or first.i >= head.i:
            return head
        # The last word before the head that opens a complement or an aside, less a noun's
        # modifiers ("Fenwick bakery chains"): a complement's word is no head ("her letter to
        # the Fenwick Gazette"), an aside's may be ("the captain of the club, Ada Quell").
        # A conjunction before it joins another ("a home fan, Ada Quell, and an away fan, Ivo
        # Brandt"): the phrase is several, and its first word says so.
        name = self._entity_at(head)
        between = self._doc[first.i + 1 : name.start if name is not None else head.i]
        opening = [
            t
            for t in between
            if (t.pos_ in ("ADP", "PART", "VERB") or t.text in _ASIDE_MARKS)
            and t.dep_ not in ("compound", "amod")
        ]
        if head.pos_ not in ("NOUN", "PROPN", "PRON") or any(t.pos_ == "CCONJ" for t in between):
            return first
        if not opening:
            return head
        # A name set off after a complement renames the phrase's head unless the complement
        # ends with a person, whom it may as well rename ("the son of the head coach, Ivo
        # Brandt"); a description may describe the complement's noun ("the son of Ivo Brandt,
        # a ferry pilot").
        before = self._doc[opening[-1].i - 1]
        person_before = before.ent_type_ == "PERSON" or _is_person_word(before)
        if opening[-1].text in _ASIDE_MARKS and (
            all(t.text in _ASIDE_MARKS for t in opening) or (name is not None and not person_before)
        ):
            return head
        return first

    def _opening_name(self, head: Token, start: int, end: int) -> Span | None:
        """The person or body a phrase opens with when the word given for it is in an aside set
        off after the name ("Ada Quell, who coached the club for years, ...", "Ada Quell,
        speaking on behalf of the bakers", "club captain Ada Quell, at the March meeting"):
        news sets off what it says of a name right after it, so a name in the aside is no
        speaker ("Ada Quell, who trained Ivo Brandt"). Only titles may come before the name,
        and no other name is joined to it ("Ada Quell, Ivo Brandt and Lena Moss", "Ada Quell,
        the coach, and Ivo Brandt"), nor others ("Ada Quell, others")."""
        phrase = self._doc.char_span(start, end, alignment_mode="expand")
        if phrase is None:
            return None
        for token in phrase:
            mark = token.nbor() if token.i + 1 < phrase.end else None
            if mark is not None and _sets_off(mark) and token.ent_type_:
                break
            if token.pos_ not in _TITLE_POS - {"CCONJ"} and not token.ent_type_:
                if token.i == phrase.start and token.lower_ == "the":
                    continue  # "the Norvale Rowing Club, which ..."
                return None  # "the wife of Tom Reed, ...": a name after a preposition
        else:
            return None
        name = self._entity_at(token)
        opener = mark.nbor() if mark.i + 1 < phrase.end else None
        if (
            name is None
            or name.end != token.i + 1
            or name.label_ not in _ONE_BEARER
            or not _is_name(name)
            or head.i <= mark.i
            or opener is None
            or opener.ent_type_ == "PERSON"
            or _plural_opener(opener)
            or name.root.dep_ == "conj"
        ):
            return None
        joined = [name.root] + [c for c in name.root.children if c.dep_ == "appos"]
        if any(c.dep_ in ("conj", "cc") for word in joined for c in word.children):
            return None
        return name

    def _set_off_after(self, head: Token, start: int) -> Span | None:
        """The name a description is set off right after, which it describes also where the
        parse hangs it elsewhere ("the Norvale Rowing Club, a charity that trains young rowers"):
        news writes an appositive right after the name, with a comma, and of its kind. Not the
        subject of a clause after an opening phrase ("Unlike Ada Quell, the coach kept ...",
        "When it comes to Quell, the minutes record ..."), nor a speaker set in a quote's
        sentence ("Quell, her deputy insisted, will stay")."""
        phrase = self._doc.char_span(start, start + 1, alignment_mode="expand")
        first = phrase[0] if phrase else None  # (none where the span holds no word)
        after = head.right_edge.i + 1
        if (
            first is None
            or first.i < 2
            or first.pos_ != "DET"
            or head.tag_ != "NN"
            or self._doc[first.i - 1].text != ","
            or (head.dep_ in ("nsubj", "nsubjpass") and head.head.dep_ not in ("relcl", "acl"))
            or (after < len(self._doc) and self._doc[after].lemma_.lower() in _SAYING)
        ):
            return None
        name = self._entity_at(self._doc[first.i - 2])
        if name is None or name.end != first.i - 1 or not _is_name(name):
            return None
        if name.label_ == "PERSON":
            return name if _is_person_word(head) else None
        return name if name.label_ == "ORG" and _description_kind(head) == "group" else None

    def _titled_name(self, head: Token, start: int, end: int) -> Span | None:
        """The person a title is given to when the phrase ends with the name ("English comedian
        and actor Peter Serafinowicz", "Fox News contributor George Will"): a singular noun,
        then nouns, adjectives and names of no other person, no comma, verb or preposition."""
        if head.tag_ != "NN" or head.ent_type_:
            return None
        doc = self._doc
        for token in doc[head.i + 1 :]:
            if token.idx >= end or (token.pos_ == "CCONJ" and token.lower_ not in _TITLE_JOINS):
                return None  # "Everyone but Tom Reed", "the mayor or Ann Doe": not one person
            if _honorific_the(token):
                continue  # "parish warden the Rev. Ada Quell": "the" before a title is the name's
            if token.pos_ not in _TITLE_POS and not token.ent_type_:
                return None
            if token.ent_type_ == "PERSON":
                name = self._entity_at(token)
                return name if name is not None and name.end_char >= end else None
        return None

    def _full_name(self, entity: Span) -> Span:
        """An organisation named by its first word is the one the doc named in full with that
        word first: where the word modifies a document ("the Fox poll", "a Quinnipiac survey"),
        the nearest such before; where it stands alone, the one such the doc names, when that
        name is the word and a word for what kind of body it is ("Quinnipiac" for "Quinnipiac
        University"). "The Senate" is not "Senate Judiciary Committee", "Harvard" not "Harvard
        Medical School", "Apple" not "Apple Daily": a longer name is a part or another body."""
        if len(entity) != 1 or entity.label_ != "ORG":
            return entity
        full = self._full_names.get(entity.start)
        if full is None:
            word = entity[0].text
            earlier = [
                e
                for e in self._entities[: bisect_left(self._entity_starts, entity.start_char)]
                if len(e) > 1 and e[0].text == word and e.label_ == "ORG"
            ]
            root = entity.root
            if root.dep_ in ("compound", "nmod") and root.head.lemma_.lower() in _DOCUMENT_NOUNS:
                full = earlier[-1] if earlier else entity
            else:
                named = {e.text for e in self._entities if len(e) > 1 and e[0].text == word}
                bodies = [e for e in earlier if len(e) == 2 and e[1].lower_ in _BODY_KINDS]
                full = bodies[-1] if len(named) == 1 and bodies else entity
            self._full_names[entity.start] = full
        return full

    def _entity_at(self, token: Token) -> Span | None:
        """The named mention holding `token`, if any."""
        index = bisect_right(self._entity_starts, token.idx) - 1
        if index >= 0 and token.i < self._entities[index].end:
            return self._entities[index]
        return None

    def _named_earlier(self, word: Token, start: int) -> Span | None:
        """A name the model left untagged here but tagged before, whole or as its last word
        ("Forbes", "Sanders" after "Bernie Sanders")."""
        if word.pos_ != "PROPN" and not word.is_title:
            return None  # "Hannity interjected" is a name the tagger may call a noun
        # A name stands for its bearer however far back the text named them in full.
        for index in range(bisect_left(self._entity_starts, start) - 1, -1, -1):
            entity = self._entities[index]
            if entity.end_char <= start and word.text in (entity.text, entity[-1].text):
                return entity
        return None

    def _recent(self, earlier: int, start: int, paragraphs: int = _RECENT_PARAGRAPHS) -> bool:
        """Whether `earlier` is at most `paragraphs` paragraph breaks before `start`."""
        breaks = bisect_left(self._breaks, start) - bisect_left(self._breaks, earlier)
        return breaks <= paragraphs

    def _recent_speaker(self, start: int, compatible) -> tuple[int, Referent] | None:
        """(where it was mentioned, referent) of the latest compatible speaker before `start`."""
        for speaker_start, lemma, referent, _ in reversed(self._history):
            if speaker_start >= start:
                continue
            if not self._recent(speaker_start, start):
                return None
            if compatible(lemma, referent):
                return speaker_start, referent
        return None

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

    def _agrees(self, entity: Span | None, gender: str | None) -> bool:
        if entity is None or gender is None or entity.label_ != "PERSON":
            return True
        return self._gender(entity) in (None, gender)

    def _gender(self, entity: Span) -> str | None:
        if self._own_first_name(entity):
            # "Zorelle Varley" beside "Paul Varley": a first name of no known sex is not
            # told by the others that bear the surname, but a word for a kin or role it is
            # set beside is ("his brother, Kiri Varley").
            return first_name_gender(entity) or _apposed_gender(entity)
        return first_name_gender(entity) or self._genders.get(entity[-1].lower_)

    def _own_first_name(self, entity: Span) -> bool:
        """Whether a full name starts with a first name none of the doc's other names of its
        surname has ("Zorelle Varley" beside "Paul Varley"; not "Ortiz Varley" beside "Ana
        Ortiz Varley", one person's)."""
        first = entity[0]
        title = first.lower_.rstrip(".")
        if (
            len(entity) < 2
            or not first.is_title
            or first.lower_ in _MALE_TITLES | _FEMALE_TITLES
            or title in _ABBREVIATED_TITLES
            or title in person_titles()
        ):
            return False  # ("Mrs. Varley", "Sen. Varley": a title, no first name)
        if self._surname_words is None:
            self._surname_words = {}
            for name in self._entities:
                if name.label_ == "PERSON" and len(name) > 1:
                    words = self._surname_words.setdefault(name[-1].lower_, {})
                    for word in name[:-1]:
                        words.setdefault(word.lower_, set()).add(name.text)
        bearers = self._surname_words.get(entity[-1].lower_, {}).get(first.lower_, set())
        return not bearers - {entity.text}

    def _described_before(self, head: Token, start: int, kind: str) -> Referent | None:
        """The nearest earlier named mention that the head noun of a definite description
        named or described: "the ministry" -> "Defence Ministry", "the spokesperson" ->
        "Taiwan Affairs spokesperson Chen Binhua"."""
        lemma = head.lemma_.lower()
        labels = ("ORG",) if kind == "group" else ("PERSON",)
        if head.lower_ in _COUNTRY_NOUNS:
            return None  # "the country": which one is a guess
        document = kind == "group" and lemma in _DOCUMENT_NOUNS
        # A document is the author's of the latest one mentioned ("CNN reported ... a
        # government report said ... the report": not CNN's).
        latest = self._latest_document(head, lemma) if document else None
        between = set()
        for entity in self._named_before(start):
            if self._quoted(entity.start_char):
                continue
            if self._said_of(head, entity, kind):
                if kind == "person" and self._tells_apart(head, entity):
                    continue  # "the former governor" is not "Gov. Mia Ford", nor her rival
                if document:
                    authored = _authored(entity, lemma)
                    if latest is None or authored is None or authored.i != latest.i:
                        return None
                    return Referent(entity.start_char, entity.end_char, entity, kind)
                if not (kind == "group" and _owns(entity, lemma)) and between - {entity[-1].lower_}:
                    return None  # "Halvorsen ... Brightline Systems ... the company": either
                referent = Referent(entity.start_char, entity.end_char, entity, kind)
                # "The Defence Ministry said ... The Foreign Ministry said ... the ministry
                # said": two bodies of the kind in view, either; so two people introduced with
                # the word who acted or spoke ("Sen. Ann Fisk ... Her colleague, Sen. Roy Dunne,
                # opposed it ... the senator said"). (Of two people only one of whom was
                # introduced with a title, the one the text is about is meant: "Rao said ...
                # after lunch with Harbour Board Chairman Ivo Lent ... The chairman said".)
                if self._other_called(head, referent, start, kind):
                    # (A person word then stands for nobody, not for whom the text is about.)
                    end = head.idx + len(head.text)
                    return None if kind == "group" else Referent(start, end, None, kind)
                return referent
            if entity.label_ in labels and (lemma not in _MEDIA_NOUNS or _is_outlet(entity)):
                between.add(entity[-1].lower_)  # (only an outlet is "the newspaper")
        if kind == "group":
            # "the campaign" in a story of one campaign: the one owner the doc gave it before.
            first = bisect_left(self._entity_starts, start)
            owners = {
                e[-1].lower_: e
                for e in self._entities[:first]
                if (
                    latest is not None and getattr(_authored(e, lemma), "i", None) == latest.i
                    if document
                    else _owns(e, lemma)
                )
            }
            if len(owners) == 1:
                entity = next(iter(owners.values()))
                # "Google's parent company ... Exxon ... the company": either (a document
                # has one author, whoever is named between).
                rival = entity.label_ == "ORG" and lemma not in _DOCUMENT_NOUNS
                if rival and between - {entity[-1].lower_}:
                    return None
                return Referent(entity.start_char, entity.end_char, entity, kind)
        return None

    def _latest_document(self, head: Token, lemma: str) -> Token | None:
        """The latest word before `head` for a document of `lemma`'s kind or the act that made
        one ("a report", "reported"): one that `_introduces` a document, not "the report" or
        "the new report", one named before, nor "polls". (However far back: a story of one
        poll names it once.)"""
        if self._documents is None:
            self._documents = {}
            for token in self._doc:
                word = token.lemma_.lower()
                if token.pos_ == "VERB" and word in _DOCUMENT_VERBS:
                    self._documents.setdefault(_DOCUMENT_VERBS[word], []).append(token)
                elif (
                    token.pos_ in ("NOUN", "PROPN")
                    and token.tag_ != "NNS"
                    and word in _DOCUMENT_NOUNS
                    and _introduces(token)
                ):
                    self._documents.setdefault(_document_kind(word), []).append(token)
        found = self._documents.get(_document_kind(lemma), [])
        index = bisect_left([t.i for t in found], head.i) - 1
        return found[index] if index >= 0 else None

    def _other_called(
        self, head: Token, referent: Referent, start: int, kind: str = "group"
    ) -> bool:
        """Whether a named mention in the recent paragraphs before an organisation word (or a
        person word, `kind`) is another bearer than `referent` that the word could be said of,
        and a subject or a speaker: a body only mentioned ("after talks with the Foreign
        Ministry", "mocking the Trump campaign") is less likely the one a description stands
        for than the one that spoke or acted."""
        speakers = {ref.entity.start for _, _, ref, _ in self._history if ref.entity is not None}
        return any(
            not self._quoted(entity.start_char)
            and self._said_of(head, entity, kind)
            and (referent.entity is None or not _same_bearer(entity, referent.entity))
            and (entity.start in speakers or _is_subject(_owned(entity.root)))
            and (kind == "group" or not self._tells_apart(head, entity))
            for entity in self._named_before(start)
        )

    def _tells_apart(self, head: Token, entity: Span) -> bool:
        """Whether a person word's own modifiers say something a named person's introduction
        does not ("the French president" is not "President Joe Lane"; "the former president",
        "the dissenting justice"): news text adds such a word to say which of two it means."""
        if not self._same_places(head, entity, strict=True):
            return True
        # (With the modifiers of its words: "Acme's chief executive, Tim Reed" is a chief.)
        words = self._introduction(entity)[2]
        given = self._titles(entity) | {c.lemma_.lower() for w in words for c in w.children}
        return any(
            _tells_which(c) and c.lemma_.lower().rstrip(".") not in given for c in head.children
        )

    def _said_of(self, head: Token, entity: Span, kind: str) -> bool:
        """Whether a description's head noun may stand for a named mention: its owner's
        ("Clinton's campaign" ... "the campaign"), or one of its kind it `_calls`."""
        if kind == "group" and _owns(entity, head.lemma_.lower()):
            return True
        return entity.label_ == ("ORG" if kind == "group" else "PERSON") and self._calls(
            head, entity
        )

    def _calls(self, head: Token, entity: Span) -> bool:
        """Whether a description's head noun is a word for a named mention's bearer: one the
        mention was introduced with, of the same places ("the ministry" -> "Defence Ministry",
        "the spokesperson" -> "spokesperson Chen Binhua"), or a word for a news outlet for one
        ("the newspaper" -> "New York Daily News"). A document ("the poll") is no
        organisation's name or description, only its author's (`_owns`)."""
        lemma = head.lemma_.lower()
        if lemma in _MEDIA_NOUNS and entity.label_ == "ORG":
            return _is_outlet(entity)
        if lemma in _DOCUMENT_NOUNS:
            return False
        called = (
            lemma in self._titles(entity)  # ("the senator" -> "Sen. Ann Fisk")
            or (lemma == "company" and self._the_company(head, entity))
            or (lemma in _GROUP_WORDS and self._named_as_association(head, entity))
        )
        return (
            called
            and self._same_places(head, entity)
            and not _other_office(head, self._introduction(entity)[2])
        )

    def _named_as_association(self, head: Token, entity: Span) -> bool:
        """Whether "the group" or "the organization" may be a body whose name ends in a word
        for an association ("the Harlow Foundation"): not when a body named before ends in the
        very word ("the Kestrel Group"), which it names more surely."""
        word = head.lemma_.lower()
        return entity[-1].lemma_.lower() in _ASSOCIATION_ENDINGS and not any(
            e.label_ == "ORG" and e[-1].lemma_.lower() == word for e in self._named_before(head.idx)
        )

    def _the_company(self, head: Token, entity: Span) -> bool:
        """Whether "the company" may be a named body: the one body the text introduced as a
        company before it ("the chemicals giant Halvorsen Industries"), not another's rival
        ("Halvorsen Industries cut its forecast ... rival firm Norvik Chemicals ... the company":
        which?)."""
        companies = [
            e
            for e in self._named_before(head.idx)  # (any label: "the drugmaker Pfizer", a PERSON)
            if self._introduction(e)[0] & _COMPANY_NOUNS
        ]
        return (
            bool(companies)
            and all(_same_bearer(e, entity) for e in companies)
            and not any(
                word.lemma_.lower() in _RIVAL_NOUNS
                for description in described_by(entity)  # ("the rival oil giant Chevron")
                for word in (description, *description.children)
            )
        )

    def _same_places(self, head: Token, entity: Span, strict: bool = False) -> bool:
        """Whether a description and a named mention's introduction do not name different
        places or parties ("the Utah governor" is not "Nevada governor Paul
        Dorsey"; "the Republican nominee" is not "Democratic nominee Hillary Clinton");
        `strict`: a description naming a place is given only to one introduced with it ("the
        Vermont senator" is not shown to be "Sen. Ted Cruz")."""
        own = _places(head)
        if not own:
            return True
        theirs = self._introduction(entity)[1]
        if not theirs:
            return not strict
        # One place written two ways is one place ("the Japanese minister", "Japan's trade
        # minister, Kenji Oda").
        return bool(own & theirs) or bool(_countries(own) & _countries(theirs))

    def _introduction(self, entity: Span) -> _Introduction:
        """The lemmas of the words a mention was introduced with, its places and parties
        among them, and the words, once per mention."""
        found = self._described.get(entity.start)
        if found is None:
            words = described_by(entity)
            # (with the places owning or naming its words: "Ohio's governor, Ann Fisk")
            placed = [
                c for t in words for c in t.children if c.dep_ in ("poss", "compound", "amod")
            ]
            found = self._described[entity.start] = (
                frozenset(t.lemma_.lower() for t in words),
                frozenset(t.lower_ for t in [*words, *placed] if _proper(t)),
                tuple(words),
            )
        return found

    def _is_anonymous(self, head: Token, start: int, end: int) -> bool:
        first = self._doc.char_span(start, end, alignment_mode="expand")
        first_word = first[0].lower_ if first is not None and len(first) else ""
        determiners = {c.lower_ for c in head.children if c.dep_ in ("det", "nummod")}
        return (
            head.lower_ in _ANONYMOUS_HEADS
            or bool(determiners & _INDEFINITE)
            or first_word in _INDEFINITE
        )


@dataclass(frozen=True)
class _Candidate:
    """A mention a "he" or "she" may stand for: a named person or a remembered speaker
    (`referent` set, `surname` telling who), or an earlier pronoun to follow (`referent` None)."""

    token: Token
    referent: Referent | None
    surname: str
    named: bool


def _centre(
    candidates: list[_Candidate], root: Token, subjects_only: bool = False
) -> _Candidate | None:
    """The mention a sentence is about: its main-clause subject (`_main_subject`), else its
    one other subject, else its one person; None when two people are as likely."""
    subjects = [c for c in candidates if _is_subject(c.token)]
    found, chosen = _main_subject(subjects, root)
    if found:
        return chosen
    if subjects:
        return _one(subjects)
    return None if subjects_only else _one(candidates)


def _main_subject(candidates: list[_Candidate], root: Token) -> tuple[bool, _Candidate | None]:
    """Whether some candidates are subjects of the main verb or of a verb joined to it, and the
    one they make: the main verb's, else the joined verb's; None when the two are different
    people named ("Baker criticized the plan, and Reed defended it": either)."""
    main, joined = [], []
    for candidate in candidates:
        if not _is_subject(candidate.token):
            continue
        verb = _subject_verb(candidate.token)
        if verb.i == root.i:
            main.append(candidate)
        elif verb.dep_ == "conj" and verb.head.i == root.i:
            joined.append(candidate)
    chosen = _one(main or joined)
    if (
        main
        and chosen is not None
        and chosen.named
        and any(
            c.referent is not None and c.referent.entity is not None and c.surname != chosen.surname
            for c in joined
        )
    ):
        return True, None
    return bool(main or joined), chosen


def _answerer(candidates: list[_Candidate], root: Token) -> _Candidate | None:
    """The named person a sentence's main verb asks a question ("Baker asked Reed whether
    ...", "questioned Reed on whether ..."): whose the answer quoted next is. Not one asked
    about something ("asked Reed about the delay", no question quoted), nor one asked to do
    something ("asked Reed to leave"), nor when the asker goes on to act ("asked Reed whether
    ..., then turned to the crowd": the asker speaks on)."""
    for candidate in candidates:
        token, verb = candidate.token, candidate.token.head
        if (
            candidate.named
            and token.dep_ == "dobj"
            and verb.lemma_.lower() in _ASKING_VERBS
            and (verb.i == root.i or (verb.dep_ == "conj" and verb.head.i == root.i))
            and any(_asks(child) for child in verb.children if child.i > token.i)
            and not any(
                child.pos_ == "VERB" and child.dep_ in ("conj", "dep")
                for child in verb.children
                if child.i > token.i
            )
        ):
            return candidate
    return None


def _asks(child: Token) -> bool:
    """Whether a verb's dependent is a question asked: a clause opening with a question word
    ("whether he would run"), or a preposition over one ("on whether ...")."""
    if child.dep_ == "prep":
        clauses = [c for c in child.children if c.dep_ == "pcomp"]
        return any(c.left_edge.lower_ in _QUESTION_WORDS for c in clauses)
    return child.dep_ == "ccomp" and child.left_edge.lower_ in _QUESTION_WORDS


def _hypothetical(head: Token) -> bool:
    """Whether an indefinite description is the subject of an infinitive ("it is common for
    a referee to review the tape"): a kind of person the sentence supposes, no one it tells
    of."""
    return (
        any(c.lower_ in ("a", "an") and c.dep_ == "det" for c in head.children)
        and head.dep_ == "nsubj"
        and any(c.dep_ == "aux" and c.tag_ == "TO" for c in head.head.children)
    )


def _joined_clause_noun(relative: Token) -> Token | None:
    """The noun a "who" clause joined to a relative clause describes ("Mayor Tom Baker, who cut
    the budget and who wants a second term": Baker, as the first clause's), also where the
    parse hangs the joined clause on the noun itself; None for a "who" of no joined clause."""
    verb = relative.head
    if relative.dep_ not in ("nsubj", "nsubjpass") or verb.dep_ != "conj":
        return None
    while verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        verb = verb.head
    if verb.dep_ == "conj" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    return verb.head if verb.dep_ == "relcl" else None


def _verb_after(head: Token) -> bool:
    """Whether a verb follows a phrase right after its last word."""
    after = head.right_edge.i + 1
    return after < len(head.doc) and head.doc[after].pos_ in ("VERB", "AUX")


def _same_person(first: Referent, second: Referent) -> bool:
    """Whether two referents name one person: the same mention or the same surname."""
    if first.entity is None or second.entity is None:
        return first.start == second.start
    return first.entity[-1].lower_ == second.entity[-1].lower_


def _one(candidates: list[_Candidate]) -> _Candidate | None:
    """The one person the candidates are (a name before a pronoun), else None; None too when
    two of them are joined in one phrase, whatever their form ("He and Reed met")."""
    if _joined(candidates):
        return None
    named = [c for c in candidates if c.named]
    if not named:
        return candidates[-1] if len(candidates) == 1 else None
    if len({c.surname for c in named}) > 1:
        return None
    return named[-1]


def _joined(candidates: list[_Candidate]) -> bool:
    """Whether two candidates of different people are joined in one phrase: "He and Reed",
    "Baker, Reed and Smith" (where the parse hangs a name listed after a name as its
    appositive); not "comedian and actor Peter Serafinowicz", one person."""
    people: dict[int, dict[int, str]] = {}  # the first of the phrase: its words' people
    for candidate in candidates:
        token = candidate.token
        while token.dep_ == "conj" or (
            token.dep_ == "appos" and any(c.dep_ == "conj" for c in token.children)
        ):
            token = token.head
        words = people.setdefault(token.i, {})
        if candidate.named or candidate.token.i not in words:  # (a speaker "he": its name)
            words[candidate.token.i] = (
                candidate.surname if candidate.named else f"#{candidate.token.i}"
            )
    return any(len(set(words.values())) > 1 for words in people.values())


def _joined_subject(pronoun: Token, candidates: list[_Candidate]) -> tuple[bool, _Candidate | None]:
    """Whether the pronoun is the subject of a verb joined to a main verb that has a subject
    ("X hit Y, and he claimed"), and the candidate that subject is (None when it is none: a
    name the model did not call a person, "Trump said Obama ..., and he repeated")."""
    verb = pronoun.head
    if pronoun.dep_ not in ("nsubj", "nsubjpass") or verb.dep_ != "conj":
        return False, None
    main = verb.head
    if main.i != pronoun.sent.root.i:
        return False, None  # "X said Y was wrong, and he": joined to what Y was, or X's saying?
    if not any(child.dep_ in ("nsubj", "nsubjpass") for child in main.children):
        return False, None
    subjects = [c for c in candidates if _is_subject(c.token) and _subject_verb(c.token) == main]
    return True, _one(subjects) if subjects else None


def _is_outlet(entity: Span) -> bool:
    """Whether an organisation's name says it is a news outlet: it ends with a word for one and
    is more than that word or written with "The" ("The Guardian", "Fox News"; not "Times
    Square", "Post Office", "Harvard Business Review" or "Guardian" alone)."""
    if entity[-1].lower_ not in _OUTLET_ENDINGS:
        return False
    before = entity.doc[entity.start - 1] if entity.start > 0 else None
    return len(entity) > 1 or (before is not None and before.lower_ == "the")


@cache
def _role_nouns() -> frozenset[str]:
    return _ROLE_NOUNS | person_titles()


def is_role_noun(token: Token) -> bool:
    """Whether a word names a person by role or office ("the senator", "the candidate"); the
    tokenizer splits a hyphened one ("front-runner": "runner"), read whole. Shared with the
    quote extractor, whose speakers it tells too: the hyphened words count there as well."""
    if token.lemma_.lower() in _role_nouns():
        return True
    if token.i < 2 or token.doc[token.i - 1].text != "-" or token.doc[token.i - 2].whitespace_:
        return False
    return f"{token.doc[token.i - 2].lower_}-{token.lower_}" in _role_nouns()


def _is_role_word(token: Token) -> bool:
    """A word for a person by role (`is_role_noun`) or one only descriptions use for someone
    named (`_DESCRIBED_ROLES`)."""
    return is_role_noun(token) or token.lemma_.lower() in _DESCRIBED_ROLES


def _of_a_person(name: Token) -> bool:
    """Whether a name is the object of a preposition after a word for a person or people ("a
    spokesman for Sen. Reed, who said", "the wife of John Reed, who", "rivals such as Cruz,
    who"): "who" is as likely theirs as the name's."""
    while name.dep_ == "compound":
        name = name.head
    preposition = name.head
    if name.dep_ != "pobj" or preposition.dep_ != "prep":
        return False
    noun = preposition.head
    return noun.pos_ == "NOUN" and _is_person_word(noun)


def _introduces_someone(token: Token) -> bool:
    """Whether a word brings in one unnamed person as a subject, an object or an agent ("A
    neighbor disagreed", "Rescuers hugged a miner", "taken by a retired chemist", "the porch
    of a fisherman", "The manager disagreed"): a singular noun with "a", "an" or "one", or a
    word for a person by role or tie. A text has no list of every word for a person, so any
    singular noun so introduced counts (a speaking "he" after it may as well be that one's)."""
    if token.pos_ != "NOUN" or token.tag_ != "NN" or _description_kind(token) != "person":
        return False
    if token.dep_ not in ("nsubj", "nsubjpass", "dobj", "dative", "pobj", "appos"):
        return False
    return _is_person_word(token) or any(
        c.dep_ in ("det", "nummod") and c.lower_ in ("a", "an", "one") for c in token.children
    )


def _placed_person(name: Token) -> Token | None:
    """The named person a place or body after "from", "of" or "in" tells where they are from
    ("Rhea Dalton, a Liberal from Tromsby, who", "Martin Hughes, 61, of Fresno, who"): whom a
    "who" after it is about, as English hangs the clause on the person, not the place."""
    while name.dep_ == "compound":
        name = name.head
    preposition = name.head
    if (
        name.dep_ != "pobj"
        or name.ent_type_ == "PERSON"
        or preposition.lower_ not in ("from", "of", "in")
    ):
        return None
    owner = preposition.head
    owner = owner.head if owner.dep_ == "appos" else owner
    return owner if owner.ent_type_ == "PERSON" else None


def _is_person_word(token: Token) -> bool:
    """Whether a word names a person by role or office ("the senator") or by a tie to another
    ("Baker's brother")."""
    return _is_role_word(token) or token.lemma_.lower() in _RELATION_NOUNS


def _role_gender(word: Token) -> str | None:
    """The gender a word for a person says ("congresswoman", "actress", "businessman",
    "wife")."""
    text = word.lower_
    if text.endswith(_FEMALE_ENDINGS) or text in _FEMALE_RELATIONS:
        return "f"
    return "m" if text.endswith("man") or text in _MALE_RELATIONS else None


def _apposed_gender(entity: Span) -> str | None:
    """The gender a word for a person in apposition to a name says ("his brother, Kiri
    Varley", "Kiri Varley, her son")."""
    root = entity.root
    words = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        words.append(root.head)
    genders = {_role_gender(word) for word in words} - {None}
    return genders.pop() if len(genders) == 1 else None


def _subject_verb(token: Token) -> Token:
    """The verb a subject (or the owner of one, "his administration") is the subject of."""
    return _as_subject(token).head


def _is_subject(token: Token) -> bool:
    """A subject, the owner of one ("Kishida's administration unveiled ...") or one of joined
    subjects ("Baker and Reed met": both are, and neither is the one a pronoun stands for)."""
    return _as_subject(token).dep_ in ("nsubj", "nsubjpass")


def _as_subject(token: Token) -> Token:
    """The phrase a mention stands in as a subject: the noun it owns, unless that is a word
    for another person ("Baker's aide", "Baker's brother": the aide speaks); the noun it is
    the appositive of ("Baker's aide, John Reed, said"); the first of the nouns it is joined
    to."""
    if token.dep_ == "poss" and not _is_person_word(token.head):
        token = token.head
    while token.dep_ == "appos" and (
        token.head.pos_ == "NOUN" or any(c.dep_ == "conj" for c in token.children)
    ):
        # (A name in apposition to a name is the parse's slip, or a list the parse hangs so:
        # "Baker, Reed and Smith met".)
        token = token.head
    while token.dep_ == "conj" and token.head.pos_ in ("NOUN", "PROPN", "PRON"):
        token = token.head
    return token


def _places(head: Token) -> set[str]:
    """The places, nationalities and parties a description names ("the Vermont senator")."""
    return {c.lower_ for c in head.children if c.dep_ in ("compound", "amod") and _proper(c)}


def _tells_which(modifier: Token) -> bool:
    """Whether a person word's modifier says which holder of the word it is: a noun ("the
    club captain"), a participle of what one of them did ("the dissenting justice") or
    "former"; not a place (see `_same_places`) and not a word of manner ("the outspoken
    minister", "the young coach"), which a writer adds to any mention."""
    if _proper(modifier):
        return False
    if modifier.dep_ in ("compound", "nmod"):
        return True
    return modifier.dep_ == "amod" and (
        modifier.tag_ in ("VBG", "VBN") or modifier.lower_ == "former"
    )


def _countries(places: frozenset[str] | set[str]) -> set[str]:
    """The countries a set of place, nationality and party words names ("japanese", "japan")."""
    return {code for code in map(country_code, places) if code is not None}


def _proper(token: Token) -> bool:
    """A place, nationality or party modifier ("Florida", "Democratic", "Libertarian")."""
    if token.ent_type_ in _PLACE_LABELS:
        return True
    return token.pos_ == "ADJ" and token.is_title and not token.is_sent_start


def _owns(entity: Span, lemma: str) -> bool:
    """Whether a named mention owns a noun of `lemma` ("Clinton's campaign", "the Clinton
    campaign"), a person or organisation, not a nationality ("the Russian government"); a
    document is its author's (`_authored`)."""
    if entity.label_ not in ("PERSON", "ORG"):
        return False
    if lemma in _DOCUMENT_NOUNS:
        return _authored(entity, lemma) is not None
    root = entity.root
    return (
        root.dep_ in ("poss", "compound")
        and root.head.lemma_.lower() == lemma
        and root.head.i >= entity.end
    )


def _authored(entity: Span, lemma: str) -> Token | None:
    """The word for the document of `lemma`'s kind a named person or organisation is the
    author of: one written of it ("the Quinnipiac poll"; not "the CNN/WMUR poll" or "the
    CNN-ORC survey", several authors' and no one's), or the act that made it ("Quinnipiac
    conducted the poll", "the AP reported", "X said in a statement")."""
    if entity.label_ not in ("PERSON", "ORG"):
        return None
    kind = _document_kind(lemma)
    root = entity.root
    if any(c.dep_ == "conj" for c in root.children) or _joint_authors(entity):
        return None  # "Trump and Ryan said in a statement", "CNN/ORC conducted the poll"
    if root.dep_ == "nsubj" and root.head.i >= entity.end:
        verb = root.head
        verb_lemma = verb.lemma_.lower()
        if _DOCUMENT_VERBS.get(verb_lemma) == kind:
            return verb
        made = [c for c in verb.children if c.dep_ == "dobj"] if verb_lemma in _MAKING else []
        if verb_lemma in _SAYING:
            made += [
                c
                for p in verb.children
                if p.dep_ == "prep" and p.lower_ == "in"
                for c in p.children
                if c.dep_ == "pobj"
            ]
        return next((c for c in made if _document_kind(c.lemma_.lower()) == kind), None)
    if root.head.tag_ == "NNS":
        return None  # "Exit polls", "past Quinnipiac polls": no one poll
    if root.dep_ == "pobj" and root.head.lower_ in ("by", "from"):
        document = root.head.head  # "a poll by Gallup", "an ad from the PAC"
        plural = document.tag_ == "NNS"
        return None if plural or _document_kind(document.lemma_.lower()) != kind else document
    document = root.head
    if root.dep_ in ("poss", "compound") and document.i >= entity.end:
        return document if _document_kind(document.lemma_.lower()) == kind else None
    return None


def _document_of(word: Token) -> Token | None:
    """The document a word names: itself, singular or plural ("the bakery's accounts",
    "Fenwick Herald surveys"), or the one whose findings it gives ("the findings of the club's
    survey")."""
    if {word.lower_, word.lemma_.lower()} & _RECORDS:
        return word
    if word.lemma_.lower() not in _SHOWN:
        return None
    return next(
        (
            c
            for prep in word.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for c in prep.children
            if c.dep_ == "pobj" and c.lemma_.lower() in _RECORDS
        ),
        None,
    )


def _kept_record(word: Token) -> bool:
    """Whether a word names records a body keeps, not a document someone wrote."""
    words = {word.lower_, word.lemma_.lower()}
    return bool(words & _KEPT_RECORDS) and not words & _DOCUMENT_NOUNS


def _made_by(document: Token, end: int) -> list[Token]:
    """Who its own phrase says made a document: the agents of verbs of making hung on it, and
    of the verbs joined to them ("the survey carried out and published by the Rowing Club",
    "the audit, which was prepared by Fenn & Co."); not one the phrase names otherwise ("an
    audit of the club", "the survey of club members")."""
    verbs = [
        v
        for v in document.children
        if v.dep_ in ("acl", "relcl") and v.idx < end and v.lemma_.lower() in _MAKING | _WRITING
    ]
    verbs += [c for v in verbs for c in v.children if c.dep_ == "conj" and c.idx < end]
    return [
        c
        for verb in verbs
        if verb.lemma_.lower() in _MAKING | _WRITING
        for agent in verb.children
        if agent.dep_ == "agent"
        for c in agent.children
        if c.dep_ == "pobj"
    ]


def _party_of_person(party: Span, person: Span) -> bool:
    """Whether a name in a person's introduction is the person's party: a party by name ("a
    member of the Green Party"), or a nationality or party member that is what the person is
    ("Cardin, a Maryland Democrat", "Cardin is a Democrat") or that the title before the name
    says ("Democratic Sen. Ben Cardin"); not a body the person works at or sits on ("a fellow
    at the Brookings Institution", "a member of the Finance Committee") nor a word of a
    description ("an American lawyer")."""
    if party.label_ == "ORG":
        return party[-1].lower_ == "party"
    if party.label_ != "NORP":
        return False
    root = party.root
    if root.dep_ == "appos" and person.start <= root.head.i < person.end:
        return True
    if root.dep_ == "attr" or (person.root.dep_ == "appos" and person.root.head == root):
        return True
    return party.end <= person.start and party.end <= root.head.i < person.end


def _document_kind(lemma: str) -> str:
    """The kind of document a noun names, one word for its synonyms ("survey": a poll)."""
    return _SAME_DOCUMENT.get(lemma, lemma)


def _introduces(document: Token) -> bool:
    """Whether a word for a document introduces one: without "the" ("a report"), a named
    body's ("the agency's report", "the Lakeshore report"; "its report" is one named before) or
    made by a named subject ("Lakeshore ran the survey", "X said in the statement"; not
    "most agreed in the previous survey")."""
    children = list(document.children)
    if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in children):
        return False
    if not any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in children):
        return True
    owners = [c for c in children if c.dep_ in ("poss", "compound")]
    if any(
        c.dep_ == "poss" or c.pos_ == "PROPN" or c.lower_ in _ORGANISATION_WORDS for c in owners
    ):
        return True
    verb = document.head.head if document.dep_ == "pobj" else document.head
    if not any(c.dep_ == "nsubj" and c.ent_type_ in ("PERSON", "ORG") for c in verb.children):
        return False
    return (document.dep_ == "dobj" and verb.lemma_.lower() in _MAKING) or (
        document.dep_ == "pobj" and document.head.lower_ == "in" and verb.lemma_.lower() in _SAYING
    )


def _joint_authors(entity: Span) -> bool:
    """Whether a document's named author is one of several written together ("a CNN/WMUR
    poll", "a CNN-ORC survey", "the Post-SurveyMonkey poll", "an NBC News/Marist poll"); a
    hyphen between two plain capitalised words neither of which the doc names alone is one
    name ("Hewlett-Packard")."""
    doc = entity.doc
    words = doc[max(entity.start - 1, 0) : min(entity.end + 1, len(doc))]
    return any(
        t.text in ("/", "-")
        and 0 < t.i < len(doc) - 1
        and doc[t.i - 1].text[:1].isupper()
        and doc[t.i + 1].text[:1].isupper()
        and (t.text == "/" or not _one_hyphened_name(t))
        for t in words
    )


def _made_jointly(document: Token) -> bool:
    """Whether the phrase of a document says another made it too ("a poll conducted jointly
    with the Ostrava Trust", "a survey released together with ...", "a report produced in
    partnership with ..."): several bodies' document, no one body's."""
    for verb in document.children:
        if verb.dep_ != "acl" or verb.lemma_.lower() not in _MAKING:
            continue
        for child in verb.children:
            if child.lower_ == "jointly":
                return True
            withs = [child] if child.dep_ == "prep" else list(child.children)
            if child.lower_ in ("with", "together") and any(
                _a_body(partner)
                for word in withs
                if word.lower_ == "with"
                for partner in word.children
                if partner.dep_ == "pobj"
            ):
                return True
            if child.dep_ == "prep" and child.lower_ == "in":
                partner = [c.lemma_.lower() for c in child.children if c.dep_ == "pobj"]
                if partner and partner[0] in ("partnership", "conjunction", "collaboration"):
                    return True
    return False


def _a_body(word: Token) -> bool:
    """Whether a word stands for a body or a person that can make a document with another (a
    named one, or "the university"), not for a manner ("with little fanfare")."""
    return word.ent_type_ in _ONE_BEARER or word.lemma_.lower() in GROUP_NOUNS - _DOCUMENT_NOUNS


def _one_hyphened_name(hyphen: Token) -> bool:
    """Whether the words a hyphen joins are one name: one plain capitalised word each side
    ("Hewlett-Packard"; not "CNN-ORC", "Post-SurveyMonkey" or "Washington Post-ABC News"),
    neither named alone elsewhere in the doc ("the Chicago Tribune ... Gallup ... a
    Tribune-Gallup poll")."""
    doc = hyphen.doc
    left, right = doc[hyphen.i - 1], doc[hyphen.i + 1]
    if not (left.text.istitle() and right.text.istitle()):
        return False
    outside = [doc[i] for i in (left.i - 1, right.i + 1) if 0 <= i < len(doc)]
    if any(t.text[:1].isupper() and t.ent_type_ for t in outside):
        return False
    return not any(
        e.text in (left.text, right.text)
        or (e.label_ == "ORG" and e[-1].text in (left.text, right.text))
        for e in doc.ents
        if not e.start <= hyphen.i < e.end
    )


def _owned(token: Token) -> Token:
    """The noun a name owns or modifies ("Trump's campaign", "the Trump campaign"), else it."""
    return token.head if token.dep_ in ("poss", "compound") else token


def _same_bearer(first: Span, second: Span) -> bool:
    """Whether two named mentions may name one bearer: people of one surname ("Grace
    Okafor", "Okafor"); bodies of the same words in any order, less "the", "of" and the
    country they may start with ("the U.S. Labor Department", "Labor Department"; "Department
    of Energy", "Energy Department"), or one the start of the other ("Lakeshore",
    "Lakeshore Polling") or its last words ("Daily Ledger", "Lakeshore Daily Ledger"), or its
    initials ("IMF"). "Defence Ministry" and "Foreign Ministry" are two, and so are "Chinese
    Foreign Ministry" and "Russian Foreign Ministry"."""
    if first.label_ == "PERSON" or second.label_ == "PERSON":
        return first[-1].lower_ == second[-1].lower_
    (country, words), (other_country, other_words) = _body_words(first), _body_words(second)
    if not (words and other_words) or (country and other_country and country != other_country):
        return False
    if set(words) == set(other_words):
        return True
    short, long = sorted((words, other_words), key=len)
    if long[: len(short)] == short:
        return True
    if len(short) > 1 and long[-len(short) :] == short and _is_outlet(first) and _is_outlet(second):
        return True  # an outlet's last words ("Daily News"), not a body's ("Supreme Court")
    return len(short) == 1 and short[0].upper() in name_initials(long)


def _body_words(name: Span) -> tuple[str | None, list[str]]:
    """The country a body's name starts with, if any, and its other words but "the" and "of"."""
    words = [t for t in name if t.lower_ not in ("the", "of")]
    match = country_match(words[0].text) if len(words) > 1 else None
    if match is None or match[1] == "capital":
        return None, [t.lower_ for t in words]
    return match[0], [t.lower_ for t in words[1:]]


def _thing_of_a_name(word: Token, entity: Span) -> bool:
    """Whether "which" after a person's name `word` is of the thing the name is written of ("a
    book by Johnston, which says"); a name "which" follows as a subject is a body the tagger
    took for a person ("Norton, which declined to comment")."""
    return (
        entity.label_ == "PERSON"
        and entity.start <= word.i < entity.end
        and entity.root.dep_ == "pobj"
    )


def _plural_subject(pronoun: Token) -> bool:
    """Whether a relative pronoun is the subject of a verb that agrees with a plural ("who
    are", "who were", "who have"; not "whom voters trust")."""
    if pronoun.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = pronoun.head
    words = [verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass"))]
    return any(
        (w.tag_ == "VBP" and w.lower_ not in ("'s", "\u2019s")) or w.lower_ == "were" for w in words
    )


def _narrows(child: Token) -> bool:
    """Whether a word under a noun narrows it to someone not named before ("the brother of a
    driver hurt in the crash"); a relative clause set off by a comma or a dash does not, it only
    says more of the one meant ("The appeals judge -- who has long been ... -- said")."""
    if child.dep_ not in NARROWING_DEPS:
        return False
    first = child.left_edge.i
    return child.dep_ != "relcl" or first == 0 or child.doc[first - 1].text not in _ASIDE_MARKS


def _is_name(entity: Span) -> bool:
    """Whether a mention is a name: not a person the model made of an adverb or a function
    word ("Overall, some two-thirds of parents ..."), nor a headline the model made a name
    of, which starts with a demonstrative ("This Radio Quiz Just Crushed ...")."""
    if entity[0].lower_ in _DEMONSTRATIVES:
        return False
    return entity.label_ != "PERSON" or len(entity) > 1 or entity[0].pos_ not in _NO_NAME_POS


def _plural_people(entity: Span | None) -> bool:
    """Whether a name is a party or nationality named as a group, in the plural
    ("Democrats", "Ukrainians"; not "a Democrat"), which "they" in the clause it reports
    stands for as "The French said" is the people."""
    return entity is not None and entity.label_ == "NORP" and entity.root.tag_ in ("NNS", "NNPS")


def _kind_of(entity: Span) -> str:
    return "person" if entity.label_ == "PERSON" else "group"


def _description_kind(head: Token) -> str:
    if head.lower_ == "police":
        return "group"  # a body, which the tagger takes for a plural ("Brazilian police said")
    if head.tag_ in ("NNS", "NNPS") or _counts_people(head):
        return "people"
    if (
        head.lower_ in _ORGANISATION_WORDS | _COUNTRY_NOUNS | _MEDIA_NOUNS
        or head.lemma_.lower() in _ORGANISATION_WORDS
    ):
        return "group"
    return "person"


def _joins_described(head: Token, start: int, end: int) -> bool:
    """Whether the phrase [start, end) joins two people each described and named ("a Labour
    member, Ruth Gale, and a Tory member, Owen Pryce"), wherever the parse hangs the second
    (on the first's name, or on a verb outside): a set, not the one its head names. A
    description joined without an article is more words for one person ("the former
    secretary and first lady"), and so is one joined to a description with no name of its
    own ("Ann Cole, a nurse and a mother of two")."""
    words = [head, *(c for c in head.children if c.dep_ == "appos")]
    if head.dep_ == "appos":
        words.append(head.head)
    joined = [c for word in words for c in word.children if c.dep_ == "conj"]
    joined += [word for word in words if word.dep_ == "conj"]
    return any(
        start <= word.idx < end
        and word.pos_ in ("NOUN", "PROPN")
        and _article(word) is not None
        and any(c.dep_ == "cc" and start <= c.idx < end for c in word.head.children)
        and _has_name(word)
        and any(_has_name(other) for other in (*words, word.head) if other.i != word.i)
        for word in joined
    )


def _has_name(word: Token) -> bool:
    """Whether a word is a person's name or a description of one in apposition to a name
    ("Ruth Gale", "a Tory member, Owen Pryce", the "member" of "Ruth Gale, a member")."""
    return (
        word.ent_type_ == "PERSON"
        or any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in word.children)
        or (word.dep_ == "appos" and word.head.ent_type_ == "PERSON")
    )


def _other_office(head: Token, introduction: tuple[Token, ...]) -> bool:
    """Whether a role or body word's own modifier names another office than the one a
    mention was introduced with ("the defence minister" is not "Health Minister Eva Brink",
    "the prime minister" not "her finance minister"): news text keeps an office's full
    name when several of the kind are about, and a lower or past office's rank. Words of
    manner ("the outspoken minister") are no office; places, another country's office ("the
    Greek minister"), are `_same_places`'s to compare."""
    lemma = head.lemma_.lower()
    titled = [word for word in introduction if word.lemma_.lower() == lemma]
    own = {c.lemma_.lower() for c in head.children if _names_office(c)}
    given = {c.lemma_.lower() for word in titled for c in word.children if _names_office(c)}
    if own and given and not own & given:
        return True
    # A rank the word lacks is another office ("the president" is not "Vice President Tom
    # Hale"), and a past holder is not one given the title without "former" ("the former
    # president" is not "President Ian Marsh"): news text keeps both in every mention.
    own_words = {c.lower_ for c in head.children}
    given_words = {c.lower_ for word in titled for c in word.children}
    if (given_words & _RANK_WORDS) - own_words:
        return True
    return bool(titled) and "former" in own_words - given_words


def _names_office(modifier: Token) -> bool:
    """Whether a modifier of a role or body word says which office it is: a noun ("defence",
    "party") or an office's adjective ("prime", "foreign"), not when or how ("former",
    "beleaguered") and not where or whose (a name or a place)."""
    if modifier.ent_type_ not in ("", "ORDINAL"):  # (the model tags "first" an ordinal)
        return False
    if modifier.dep_ == "compound":
        return modifier.pos_ in ("NOUN", "PROPN")
    return modifier.dep_ == "amod" and modifier.lower_ in _OFFICE_ADJECTIVES


def _one_member(head: Token) -> bool:
    """Whether a party's or a people's word is one person of it: a singular noun after an
    article ("a Republican", "the Democrat", "the Dane"), not a plural ("Republicans"), a
    word owned by it ("the Republican nominee"), nor "the" and a nationality adjective,
    which is the people ("the French", "the Swiss": English has no singular noun of those,
    whose forms end so)."""
    article = _article(head)
    return (
        head.tag_ in ("NN", "NNP")
        and article is not None
        and not (article == "the" and head.lower_.endswith(("ese", "ish", "ch", "sh", "ss")))
    )


def _article(word: Token) -> str | None:
    """The article of a noun ("a", "an", "the"), if it has one."""
    return next(
        (c.lower_ for c in word.children if c.dep_ == "det" and c.lower_ in ("a", "an", "the")),
        None,
    )


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


def _reporting_subject(pronoun: Token) -> Token | None:
    """The subject of the verb whose complement clause the pronoun is the subject of ("Syria
    said [it will ...]", "said it would continue [to ...]"), when it is no pronoun and comes
    first; not through
    an infinitive ("Syria wants it to stop": something else) or a verb joined to the clause's
    own ("X hit Y, and it ...": `_person` and the speakers decide)."""
    if pronoun.dep_ not in ("nsubj", "nsubjpass"):
        return None
    current, reported = pronoun.head, False
    if any(child.tag_ == "TO" for child in current.children):
        return None
    # "McAuliffe said ..., but he refuses": a verb joined to the main one shares its subject.
    joined = current.dep_ == "conj" and current.head.dep_ == "ROOT"
    while current.head.i != current.i:
        if current.dep_ in _CLAUSE_DEPS:
            reported = reported or current.dep_ == "ccomp"
        elif current.dep_ != "advcl" or current.tag_ != "VBG":
            return None  # (", saying he would ...": the subject of the clause it hangs on)
        current = current.head
        subjects = [child for child in current.children if child.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            subject = subjects[0]
            if not (reported or joined) or subject.pos_ in ("PRON", "DET") or current.i > pronoun.i:
                return None  # "She didn't care ..., Gutin says": the parse's, not the text's
            return subject
    return None


def _acted_on_by(token: Token, pronoun: Token) -> bool:
    """Whether `token` is in a clause with no subject of its own hung on the pronoun's verb
    ("Having beaten Ferrer twice, he said ...", "Asked whether Ferrer would run, he shrugged"),
    whose understood subject the pronoun is. Only a subject pronoun is: the clause takes the
    main clause's subject as its own ("Asked about Ferrer, Haddad praised him": Haddad was
    asked, and "him" may be Ferrer)."""
    if pronoun.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = pronoun.head
    node = token
    while node.head.i != node.i and node.i != verb.i:
        if (
            node.head.i == verb.i
            and node.dep_ in ("advcl", "xcomp")
            and node.pos_ == "VERB"
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children)
        ):
            return True
        node = node.head
    return False


def _reports(pronoun: Token) -> bool:
    """Whether a pronoun is the subject of a reporting verb reporting a clause ("Sales fell,
    he said", "she argues that ..."; not "he refused to quit")."""
    # (Imported here: the quote extractor's module imports this one.)
    from tasks.extract.quotes_speakers import is_cue

    verb = pronoun.head
    return (
        pronoun.dep_ == "nsubj"
        and is_cue(verb)
        and any(child.dep_ in ("ccomp", "parataxis") for child in verb.children)
    )


def _said_of_person(token: Token) -> bool:
    """Whether a word is the person a verb of saying says something of ("Baker said of Reed",
    "said of the former aide", "said of him")."""
    return (
        token.dep_ == "pobj"
        and token.head.lower_ == "of"
        and token.head.head.pos_ == "VERB"
        and token.head.head.lemma_.lower() in _SAYING  # (not "the state of Iowa")
        and (
            token.ent_type_ == "PERSON" or token.lower_ in _MALE | _FEMALE or _is_person_word(token)
        )
    )


def _sets_off(mark: Token) -> bool:
    """Whether a mark after a name sets off an aside: a comma or a dash, not a hyphen that makes
    one word of the name and the next ("Norvale-born", "the Gazette-Fenwick survey")."""
    if mark.text not in _ASIDE_MARKS:
        return False
    return mark.text != "-" or bool(mark.doc[mark.i - 1].whitespace_)


def _plural_opener(opener: Token) -> bool:
    """Whether an aside after a name opens with a plural, which joins others to the name ("Ada
    Quell, others") rather than describes it ("Ada Quell, the club's captain")."""
    return opener.tag_ in ("NNS", "NNPS") and not any(c.dep_ == "case" for c in opener.children)


def _honorific_the(token: Token) -> bool:
    """Whether a "the" opens a clergyman's or official's honorific before a name ("the Rev. Ivo
    Brandt", "the Hon. Ada Quell"), which English writes with the article."""
    following = token.nbor() if token.i + 1 < len(token.doc) else None
    return (
        token.lower_ == "the"
        and following is not None
        and following.pos_ == "PROPN"
        and following.lower_.rstrip(".") in _ARTICLE_HONORIFICS
    )


def _title_of_name(after: Token) -> bool:
    """Whether the word after a role word starts a person's name, which makes the role word
    its title ("The economist Mark Hollis"; not "the senator Tuesday")."""
    return after.pos_ == "PROPN" and after.ent_type_ in ("", "PERSON")


def _noun_phrase(token: Token) -> tuple[int, int]:
    """Character span of a noun with its left modifiers ("the Taiwanese organizer")."""
    left = token.left_edge
    while left.i < token.i and (left.is_punct or left.dep_ == "cc"):
        left = token.doc[left.i + 1]
    return left.idx, token.idx + len(token.text)
