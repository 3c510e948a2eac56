"""Reporting cues and speakers: which verb introduces a statement and who its speaker is (what a
pronoun or description speaker stands for is `coreference`'s)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from spacy.tokens import Token

from tasks.extract.coreference import REFERENT_LABELS, RELATIVE_PRONOUNS, TELLING_VERBS
from tasks.extract.doc_cache import doc_dateline_end, doc_text
from tasks.extract.document_nouns import DOCUMENT_NOUNS

_CUES_FILE = Path(__file__).with_name("reporting_cues.txt")
# Dependents that hold the speaker when it follows the verb ("said one of the organizers").
_INVERTED_SPEAKER_DEPS = ("nsubj", "dobj", "attr", "oprd", "dative", "appos")
# Entity types that are never speakers ("said Monday").
_NON_SPEAKER_ENTITIES = {"DATE", "TIME", "ORDINAL", "MONEY", "QUANTITY"}
# Relations through which a verb shares the subject of its head ("he said, adding that ...").
_SUBJECT_SHARING_DEPS = ("conj", "xcomp", "advcl", "pcomp")
_QUOTE_TOKENS = {"''", "``", "”", "“", '"'}
# Pronouns that are objects, never the speaker after an inverted verb ("asking her").
_OBJECT_PRONOUNS = {"her", "him", "them", "me", "us", "it", "you", "himself", "herself"}
_SPAN_BREAKS = {",", "(", ")", "—", "–", "―", "--", ";", ":"}
# Nouns naming a statement: "Quillon's claim that ...", "his description of X as ...".
_REPORTING_NOUNS = {
    "claim", "statement", "assertion", "remark", "comment", "warning", "promise", "pledge",
    "suggestion", "argument", "insistence", "accusation", "allegation", "charge", "description",
    "word", "message", "assessment", "contention", "prediction", "admission", "denial", "vow",
    "declaration", "explanation", "response", "reply", "answer", "tweet", "post", "emphasis",
    "characterization", "complaint", "criticism", "boast", "threat", "demand", "call",
}  # fmt: skip


# Things that bear someone's words, and verbs of sending them (see `_carries_words`).
_WORD_CARRIERS = {
    "message", "email", "e-mail", "text", "letter", "note", "memo", "statement", "release",
    "tweet", "post", "ad", "advertisement", "commercial", "sign", "banner", "placard", "poster",
    "flyer", "mailer", "cover", "headline", "caption", "photo", "video", "article", "editorial",
    "op-ed", "column", "petition", "leaflet", "brochure", "pamphlet", "invitation",
}  # fmt: skip
# Records that bear words but hold no view: their filer speaks ("a lawsuit saying ...") and
# they are the source of what they show or list ("the filing lists him as ..."), never of a
# "that" clause ("the lawsuit means that ..." is the writer's reading, not the lawsuit's words).
_LISTING_RECORDS = {
    "result", "page", "website", "transcript", "document", "filing", "indictment", "lawsuit",
    "complaint",
}  # fmt: skip
# Adjectives whose subject is the object of their infinitive ("hard to describe"), not its doer.
_TOUGH_ADJECTIVES = {
    "difficult", "hard", "easy", "impossible", "tough", "simple", "tricky", "awkward", "painful",
    "safe", "fun", "pleasant", "unpleasant", "tempting",
}  # fmt: skip
_SENDING_VERBS = {"email", "e-mail", "text", "send", "mail", "write", "message", "tweet", "fax"}


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
    """A reporting verb ("said", "warned"), the "according" of "according to" or the "put" of
    "as she put it"."""
    if token.lower_ == "according":
        return token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to"
    if token.pos_ not in ("VERB", "AUX"):
        return False
    if token.lemma_.lower() == "put":
        return _puts_it(token)
    return _cue_lemma(token) is not None and not _reports_nothing(token)


def _reports_nothing(verb: Token) -> bool:
    """A reporting verb that introduces no one's statement: a word of a name in title case
    ("the Valley Says Yes campaign"), an infinitive of a question ("how to describe it",
    "what to say"), or the writer's aside ("that is not to say", "needless to say")."""
    return _in_title_case_name(verb) or _asks_or_aside(verb)


# Characters either side of a verb read to tell a headline's title case from prose.
_LINE_WINDOW = 300


def _in_title_case_name(verb: Token) -> bool:
    """A capitalised verb between two capitalised words inside a sentence of prose: news
    capitalises a verb mid-sentence only in a name or title ("Simon Says", "the North Says No
    group"). A headline's title case ("Minister Says Talks Resume") is no prose sentence."""
    doc = verb.doc
    if not verb.is_title or verb.is_sent_start or verb.i + 1 >= len(doc) or verb.i == 0:
        return False
    if not (doc[verb.i - 1].is_title and doc[verb.i + 1].is_title):
        return False
    # The verb's own line (the parser may join a headline line to the prose under it), read
    # within a bounded window so that a long unbroken line costs no more than a short one.
    text = doc_text(doc)
    window_start = max(0, verb.idx - _LINE_WINDOW)
    window_end = min(len(text), verb.idx + _LINE_WINDOW)
    line_end = text.find("\n", verb.idx, window_end)
    line_start = text.rfind("\n", window_start, verb.idx) + 1 or window_start
    line = text[line_start : line_end if line_end >= 0 else window_end]
    words = [word for word in line.split() if word[:1].isalpha()]
    return sum(word.islower() for word in words) * 2 >= len(words)


# "that is not to say", "this is to say", "which is to say": the writer rephrasing.
_ASIDE_SUBJECTS = {"that", "this", "which"}


def _asks_or_aside(verb: Token) -> bool:
    """An infinitive asking what to do ("how to describe it") or the writer's aside ("that is
    not to say", "needless to say"): no one's statement."""
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    doc = verb.doc
    if verb.i >= 2 and doc[verb.i - 1].lower_ == "to" and doc[verb.i - 2].tag_ in ("WRB", "WP"):
        return True  # "did not know how to describe the plan": nothing said
    head = verb.head
    if verb.lemma_.lower() != "say" or head.i == verb.i:
        return False
    if head.lower_ == "needless":
        return True
    return head.lemma_ == "be" and any(
        c.dep_ == "nsubj" and c.lower_ in _ASIDE_SUBJECTS for c in head.children
    )


def _cue_lemma(token: Token) -> str | None:
    """The reporting_cues.txt lemma of a verb, also when the lemmatizer got it wrong ("rated"
    -> "rat"): the word less a regular inflection."""
    return _cue_lemma_of(token.lemma_.lower(), token.lower_)


@lru_cache(maxsize=4096)
def _cue_lemma_of(lemma: str, word: str) -> str | None:
    lemmas = reporting_lemmas()
    if lemma in lemmas:
        return lemma
    for ending, replacement in _INFLECTIONS:
        if word.endswith(ending) and word[: len(word) - len(ending)] + replacement in lemmas:
            return word[: len(word) - len(ending)] + replacement
    return None


def _puts_it(token: Token) -> bool:
    return any(c.dep_ == "dobj" and c.lower_ == "it" for c in token.children)


def is_reporting_noun(token: Token) -> bool:
    """A noun naming something said ("claim", "remarks"), whose owner is its speaker."""
    return token.pos_ == "NOUN" and token.lemma_.lower() in _REPORTING_NOUNS


_ACCORDING_TO = CueEntry("speech", frozenset())
# Regular verb endings and what they replace: "rated" -> "rate", "urges" -> "urge".
_INFLECTIONS = (
    ("ed", "e"),
    ("ed", ""),
    ("d", ""),
    ("es", ""),
    ("s", ""),
    ("ing", "e"),
    ("ing", ""),
)


def cue_entry(token: Token) -> CueEntry:
    """Kind and frames of a cue token ("according to" is a speech cue with no frames)."""
    return reporting_lemmas().get(_cue_lemma(token) or "", _ACCORDING_TO)


def object_is_listener(cue: Token) -> bool:
    """Whether the direct object of a cue is whom the words were told, never what was said nor
    the reported clause's subject: the object of a verb of telling (tell, warn, assure) or of one
    reporting an infinitive after its object ("urged the council to wait"), unless the verb's
    object can also be what was said ("promised a review", "called the plan reckless")."""
    frames = cue_entry(cue).frames
    telling = (_cue_lemma(cue) or "") in TELLING_VERBS or "infinitive" in frames
    return telling and "object" not in frames


def paragraph_bounds(token: Token) -> tuple[int, int]:
    """Character span of the paragraph (line) holding a token."""
    text = doc_text(token.doc)
    end = text.find("\n", token.idx)
    return text.rfind("\n", 0, token.idx) + 1, len(text) if end < 0 else end


def in_paragraph(token: Token, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= token.idx < bounds[1]


def speaker_like(token: Token) -> bool:
    """Whether a token can head a speaker: not a date, number or amount."""
    return token.ent_type_ not in _NON_SPEAKER_ENTITIES and not token.is_punct


def cue_text(token: Token) -> str:
    """The cue as written: the verb with its particle ("pointed out"), or "according to"."""
    if token.lower_ == "according" or (token.lemma_.lower() == "put" and _puts_it(token)):
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
    # The parser sometimes joins a paragraph to the one before it (a headline with no full stop):
    # a speaker is never found across a line break.
    paragraph = paragraph_bounds(cue)
    verb = cue
    for _ in range(4):
        for child in verb.children:
            if child.i in skip or not speaker_like(child) or not in_paragraph(child, paragraph):
                continue
            if child.dep_ == "nsubjpass" and verb.i == cue.i:
                # "was quoted by X": the speaker is the agent; "it is expected that": none.
                agents = [a for c in verb.children if c.dep_ == "agent" for a in c.children]
                return agents[0] if agents and agents[0].i not in skip else None
            if child.dep_ in ("nsubj", "nsubjpass"):
                subject = _past_dateline(child)
                if subject is None:
                    continue
                # A climbed-to passive subject speaks: "Oz was grilled for saying ...".
                return subject if _can_speak(child, verb) else None
        # "the man who said", "footage of Quillon saying": the noun the clause describes.
        if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN"):
            if verb.dep_ == "acl" and _carries_words(verb.head):
                sender = _sender(verb.head, skip)
                if sender is not None:
                    return sender
            return verb.head
        if verb.dep_ not in _SUBJECT_SHARING_DEPS or verb.head.i == verb.i:
            break
        if verb.head.i in skip:
            # '"...," Mirelle said, adding later that': the parser hung the participle on the
            # quote; it shares the subject of the cue before it.
            before = [
                c for c in verb.head.children if c.i < verb.i and c.i not in skip and is_cue(c)
            ]
            if before:
                return speaker_head(before[-1], skip)
            # 'X said that he will "try ..." and insisted that': a reporting verb the parser
            # coordinated with the quoted clause shares the subject of the verb reporting it.
            outer = next((a for a in verb.head.ancestors if a.i not in skip), None)
            if outer is not None and is_cue(outer) and verb.head.dep_ == "ccomp":
                return speaker_head(outer, skip)
            return None
        below, verb = verb, verb.head
        if verb.dep_ == "prep" and verb.head.i != verb.i:  # "before asking", "for saying"
            verb = verb.head
        if below.dep_ == "xcomp":
            # "was eager to stress", "is careful to point out": the infinitive of a copula's
            # adjective is said by the copula's subject; the parser hangs it on either word.
            if verb.dep_ == "acomp" and verb.pos_ == "ADJ":
                adjective, verb = verb, verb.head
            else:
                adjective = next(
                    (c for c in verb.children if c.dep_ == "acomp" and c.pos_ == "ADJ"), None
                )
            # Not an "it" holding the infinitive's place ("It is only right to admit ..."), nor
            # the subject of a "tough" adjective, which is the infinitive's object ("The
            # scheme is hard to call ...": someone would call the scheme so).
            if adjective is not None and (
                adjective.lemma_.lower() in _TOUGH_ADJECTIVES
                or any(c.dep_ == "nsubj" and c.lower_ == "it" for c in verb.children)
            ):
                return None
    if _may_invert(cue):
        for child in cue.rights:
            if (
                child.dep_ in _INVERTED_SPEAKER_DEPS
                and child.pos_ in ("PROPN", "NOUN", "PRON", "NUM")
                and child.lower_ not in _OBJECT_PRONOUNS
                and speaker_like(child)
                and child.i not in skip
            ):
                return child
    return _name_right_before(cue, skip)


def _carries_words(noun: Token) -> bool:
    """A thing that bears someone's words ("a message saying", "signs reading") or the people
    they were sent to ("emailed supporters saying"): the sender speaks, not the noun."""
    if noun.pos_ != "NOUN" or noun.ent_type_:
        return False
    if noun.lemma_.lower() in _WORD_CARRIERS or noun.lemma_.lower() in _LISTING_RECORDS:
        return True
    if noun.dep_ in ("dobj", "dative"):
        return noun.head.lemma_.lower() in _SENDING_VERBS
    # "a message to supporters saying"
    return noun.dep_ == "pobj" and noun.head.lower_ == "to" and _carries_words(noun.head.head)


def is_document(noun: Token) -> bool:
    """A common noun naming a record, publication or thing bearing words ("the report", "the
    flyers", "the ad"), which can be the source of what it shows."""
    lemma = noun.lemma_.lower()
    return noun.pos_ == "NOUN" and (lemma in _WORD_CARRIERS or lemma in DOCUMENT_NOUNS)


def is_listing_record(noun: Token) -> bool:
    """A document (see `is_document`) or a record that bears words but holds no view ("the
    page", "the filing", "the results"): the source of what it shows or lists."""
    return is_document(noun) or (noun.pos_ == "NOUN" and noun.lemma_.lower() in _LISTING_RECORDS)


def _sender(noun: Token, skip: set[int]) -> Token | None:
    """Who issued a word-bearing noun: the subject of the verb it is the object of ("Quillon
    put up a sign on the door reading ...")."""
    node = noun
    while node.dep_ in ("dobj", "dative", "pobj", "prep") and node.head.i != node.i:
        node = node.head
        if node.pos_ == "VERB":
            subjects = [c for c in node.children if c.dep_ == "nsubj" and c.i not in skip]
            return subjects[0] if subjects and speaker_like(subjects[0]) else None
    return None


def _name_right_before(cue: Token, skip: set[int]) -> Token | None:
    """The parse found no subject: a name or pronoun standing right before the verb ("Quillon
    and Mirelle call them ..."), past auxiliaries and adverbs."""
    index = cue.i - 1
    while index >= cue.sent.start and cue.doc[index].dep_ in ("aux", "auxpass", "advmod", "neg"):
        index -= 1
    if index < cue.sent.start or index in skip:
        return None
    token = cue.doc[index]
    if token.pos_ in ("PROPN", "PRON") and token.lower_ not in _OBJECT_PRONOUNS | RELATIVE_PRONOUNS:
        return token if speaker_like(token) else None
    return None


def _may_invert(cue: Token) -> bool:
    """Speaker after the verb only right after a quote or at a sentence start: '"...," said
    Sato', 'Said Ellis:' (not "suggesting a few questions")."""
    if cue.is_sent_start or cue.i == 0:
        return True
    before = cue.doc[max(cue.i - 2, 0) : cue.i]
    return any(t.is_quote or t.text in _QUOTE_TOKENS for t in before)


def _past_dateline(subject: Token) -> Token | None:
    """ "LIMA -- President Quillon ... said": the parser takes the dateline as the subject,
    or as one of two ("LIMA (Reuters) - ... Mirelle said"). None for the dateline alone: its
    place and its agency ("(Reuters)", an appositive too) never speak."""
    end = doc_dateline_end(subject.doc)
    if subject.idx < end or (subject.is_upper and len(subject.text) > 2):
        names = [
            c for c in subject.rights if c.dep_ == "appos" and c.pos_ == "PROPN" and c.idx >= end
        ]
        if names:
            return names[0]
        if subject.idx < end:
            return None
    return subject


def _can_speak(subject: Token, verb: Token) -> bool:
    """A relative "that"/"which" speaks only for a named antecedent ("China, which claims")."""
    if subject.lower_ not in ("that", "which") or verb.dep_ != "relcl":
        return True
    return verb.head.ent_type_ in REFERENT_LABELS


def speaker_span(head: Token, excluded: Iterable[int] = ()) -> tuple[int, int]:
    """Character span of the speaker phrase headed by `head`, without quoted tokens.

    A name keeps its title and compounds but drops an appositive after a comma ("Masahisa Sato,
    a member of ..." -> "Masahisa Sato"); a description keeps its modifiers ("one of the people
    who know about the appointment").
    """
    if head.pos_ == "PRON":
        return head.idx, head.idx + len(head.text)
    skip = set(excluded)
    # "DALLAS, March 9 - Acme Corp said": the parser hangs the dateline's date on the name.
    dateline_end = doc_dateline_end(head.doc)
    kept: list[Token] = []
    for token in head.subtree:
        breaks = token.i in skip or "\n" in token.text or token.text in _SPAN_BREAKS
        breaks = breaks or token.idx < dateline_end
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
