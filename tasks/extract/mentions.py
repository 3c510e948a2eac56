"""The mentions of a doc's people and organisations that the resolver can point at, beyond the
model's entities: a name the model left untagged where the doc tags it elsewhere, and the
nouns a named mention was introduced with.

News names someone in full once and then by surname ("Nefzi said ...", "PENCE: ..."), and the
model tags the first and not always the others; a surname alone, or tagged as a nationality
("Cuban said he ...": Mark Cuban), is the person the doc named with it. A description ("the
campaign", "the nominee") stands for the mention it was introduced with: in apposition ("X, the
Republican nominee"), as a title ("Republican nominee X"), as what X is ("X is the nominee") or
as what X owns ("X's campaign", "the X campaign"). Everything is read from the parse once per
doc.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable

import numpy as np
from spacy.attrs import ENT_IOB, LOWER, POS
from spacy.parts_of_speech import PROPN
from spacy.tokens import Doc, Span, Token

from tasks.extract.doc_cache import StringTest, doc_column
from tasks.extract.gazetteer import person_titles

# Relations under a name that hold words describing its bearer ("spokesperson Chen Binhua",
# "Aso Taro, a former prime minister").
_DESCRIBING_DEPS = ("compound", "amod", "appos", "nmod", "poss")
# Relations under a noun that narrow it to someone not named before ("the wife of a man shot by
# police", "the only candidate that ...").
NARROWING_DEPS = ("prep", "relcl", "acl")
# Relations of a surname alone that make it a mention of its bearer, not a word modifying
# another ("Cuban said", "Cuban's", "said Cuban"; not "Cuban immigrants").
_NAME_DEPS = frozenset({
    "nsubj", "nsubjpass", "poss", "dobj", "pobj", "appos", "conj", "attr", "dep", "ROOT",
})  # fmt: skip
# Labels the model gives a surname written alone ("Cuban said", "PENCE:"); a place ("Washington",
# "Jordan") is named as often as a person of that surname and is left as tagged.
_SURNAME_LABELS = frozenset({"ORG", "NORP"})
# Labels the model gives a person's name it does not know ("Tarvik, a geology lecturer, said"
# tagged a body) that a role word in apposition shows to be a person's. Not a place: a country
# or a city is described by many of a person's role words ("Ohio, a candidate for ...").
_MISTAKEN_LABELS = frozenset({"ORG", "NORP"})
# Role words an organisation or a country is described by as well as a person ("Exxon, the
# industry leader", "Norway, the host", "a member of the alliance", "the nominee for the
# prize", "chair of the council"): no sign of a person.
_SHARED_ROLES = frozenset({
    "leader", "head", "chief", "owner", "investor", "host", "star", "model", "player",
    "rival", "opponent", "challenger", "incumbent", "contender", "hopeful", "pollster",
    "adviser", "advisor", "veteran", "author", "founder", "manager", "official", "candidate",
    "president", "member", "representative", "nominee", "chair", "chairman", "chairwoman",
})  # fmt: skip


def mention_list(
    doc: Doc,
    entities: list[Span],
    is_first_name: StringTest,
    is_recent: Callable[[int, int], bool],
    is_role_word: Callable[[Token], bool],
) -> tuple[list[Span], dict[int, Span | None]]:
    """The named mentions (`entities`, in text order), with, as PERSON mentions: the surnames
    of the doc's PERSON mentions written alone where the model tagged nothing, or tagged a
    nationality or organisation the doc names nowhere else (a recent full name; see
    `_relabelled`), and the untagged names of a first name (`is_first_name` of the lower-case
    word) and a surname ("Twitter's Adam Sharp said"); in text order. And, by start token, the
    tagged entity each added mention is published as: the full name the surname is of (the
    nearest before it, else the first after), or None for a name the model never tagged (no
    row of the entities table to point at). Also as PERSON mentions, published as the model's
    own row: the names it tagged an organisation or nationality that stand as a subject with
    a word for a person by role (`is_role_word`) in apposition ("Tarvik, a geology lecturer,
    said": news introduces a source so; see `_introduced_as_person`).
    `is_recent(earlier, start)` says whether character `earlier` is near enough before
    character `start` for a referent."""
    words = doc_column(doc, LOWER)
    person = doc.vocab.strings["PERSON"]
    full_names: dict[int, list[Span]] = {}
    for entity in entities:
        if entity.label == person and len(entity) > 1:
            full_names.setdefault(int(words[entity.end - 1]), []).append(entity)
    mentions, bearers = list(entities), {}
    for index, bearer in _relabelled(entities, full_names, words, is_recent).items():
        start = entities[index].start  # a one-word name the model gave another label
        mentions[index] = Span(doc, start, start + 1, label="PERSON")
        bearers[start] = bearer
    for index, entity in enumerate(entities):
        if (
            entity.start not in bearers
            and entity.label_ in _MISTAKEN_LABELS
            and entity.root.dep_ in ("nsubj", "nsubjpass")
            and _introduced_as_person(entity, is_role_word)
        ):
            mentions[index] = Span(doc, entity.start, entity.end, label="PERSON")
            bearers[entity.start] = entity  # the row the model made of it
    # The proper nouns the model tagged nothing.
    untagged = np.flatnonzero((doc_column(doc, ENT_IOB) == 2) & (doc_column(doc, POS) == PROPN))
    for i, key in zip(untagged.tolist(), words[untagged].tolist(), strict=True):
        if key in full_names:
            if _alone(doc[i]):
                insort(mentions, Span(doc, i, i + 1, label="PERSON"), key=lambda m: m.start)
                bearers[i] = _nearest(full_names[key], i)
        elif is_first_name.passes(doc, key) and _starts_name(doc[i]):
            insort(mentions, Span(doc, i, i + 2, label="PERSON"), key=lambda m: m.start)
            bearers[i] = None
    return mentions, bearers


def _relabelled(
    entities: list[Span],
    full_names: dict[int, list[Span]],
    words: np.ndarray,
    is_recent: Callable[[int, int], bool],
) -> dict[int, Span]:
    """The one-word nationality and organisation mentions (indices into `entities`) that are a
    PERSON's surname ("Cuban said he ...", "PENCE: ..."), each with the full name it is of:
    standing as a name, with the person named within the recent paragraphs before (in full or
    so: a story about Mark Cuban goes on saying "Cuban"; "Harrison Ford" three paragraphs back
    does not make "Ford said it would cut jobs" the actor), and with the word nowhere in the doc
    under the label the model gave it here as a word modifying another ("Cuban immigrants": the
    doc uses it for what the model says). A place is never relabelled: "Washington said it
    would impose sanctions" after "Denzel Washington" is the government."""
    person = entities[0].vocab.strings["PERSON"] if entities else 0
    last_named: dict[int, int] = {}  # surname -> where its bearer was last named
    found: dict[int, Span] = {}
    refused: set[tuple[int, str]] = set()
    for index, entity in enumerate(entities):
        key = int(words[entity.end - 1])
        if entity.label == person:
            last_named[key] = entity.start_char
            continue
        if len(entity) > 1 or entity.label_ not in _SURNAME_LABELS or key not in full_names:
            continue
        if not _stands_as_name(entity[0]):
            refused.add((key, entity.label_))  # "Cuban immigrants": the word as the model says
            continue
        # Named before, recently; or not yet, and named in full next, recently.
        if is_recent(last_named.get(key, full_names[key][0].start_char), entity.start_char):
            found[index] = _nearest(full_names[key], entity.start)
            last_named[key] = entity.start_char
    return {
        index: bearer
        for index, bearer in found.items()
        if (int(words[entities[index].start]), entities[index].label_) not in refused
    }


def _introduced_as_person(entity: Span, is_role_word: Callable[[Token], bool]) -> bool:
    """Whether a name has in apposition, set off by commas, a word only a person is described
    by ("Tarvik, a geology lecturer at the college, said"): news introduces someone so, and
    the model tags an unfamiliar surname as a body. Not a role word organisations take as well
    ("Exxon, the industry leader"), nor a phrase the parse hung on the name that runs on into
    a clause ("in the Lakeview hall, the mayor spoke of ...": a verb under it, or no comma
    after)."""
    doc = entity.doc
    for child in entity.root.children:
        if child.dep_ != "appos" or child.pos_ != "NOUN" or child.i < entity.end:
            continue
        after = child.right_edge.i + 1
        closed = after >= len(doc) or doc[after].text in (",", ".", ";")
        if (
            closed
            and doc[entity.end].text == ","
            and not any(c.pos_ in ("VERB", "AUX") for c in child.children)
            and is_role_word(child)
            and child.lemma_.lower() not in _SHARED_ROLES
        ):
            return True
    return False


def _nearest(names: list[Span], i: int) -> Span:
    """The name (in text order) nearest before token `i`, else the first."""
    before = [name for name in names if name.start < i]
    return before[-1] if before else names[0]


def _starts_name(token: Token) -> bool:
    """A first name followed by one capitalised proper noun, neither tagged nor joined to
    another proper noun ("Adam Sharp", not "Adam Smith Institute")."""
    doc = token.doc
    if token.i + 1 >= len(doc) or not token.is_title or token.lower_ in person_titles():
        return False  # "Miss Piggy": a title, not a first name
    if token.i > 0 and (doc[token.i - 1].pos_ == "PROPN" or doc[token.i - 1].lower_ == "the"):
        return False  # "the Carolina Panthers"
    surname, after = doc[token.i + 1], doc[token.i + 2] if token.i + 2 < len(doc) else None
    return (
        surname.tag_ == "NNP"
        and surname.is_title
        and surname.ent_iob_ == "O"
        and (after is None or after.pos_ != "PROPN")
    )


def _stands_as_name(word: Token) -> bool:
    """A one-word mention the model gave another label that stands as a name stands ("Cuban
    said"), not as a word modifying a noun ("Cuban immigrants")."""
    return word.pos_ == "PROPN" and word.dep_ in _NAME_DEPS


def _alone(token: Token) -> bool:
    """A proper noun standing alone as a name (no proper noun joined to it on either side)."""
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if before is not None and before.pos_ == "PROPN" and not before.text.endswith("."):
        return False  # "Patricia Nefzi": another name with this word, which the model left
    return (after is None or after.pos_ != "PROPN") and token.dep_ in _NAME_DEPS


def described_by(entity: Span) -> list[Token]:
    """The words a named mention was introduced with: its own (an organisation's name says
    what it is), its title with the title's modifiers ("former South Carolina Gov."), its
    appositive, the noun it is the appositive of, and what it is said to be ("X is the
    nominee", not "X is not the first candidate" or "the only candidate that ...")."""
    root = entity.root
    # A person's name says nothing of what the person is ("Hillary Photo" is no photo).
    tokens = [] if entity.label_ == "PERSON" else list(entity)
    for child in root.children:
        if child.dep_ in _DESCRIBING_DEPS and not entity.start <= child.i < entity.end:
            tokens.extend(child.subtree if child.dep_ in ("appos", "compound") else [child])
        elif child.dep_ == "prep" and child.lower_ == "of":
            # "Sen. Ann Miller of Ohio": the place the title is of
            tokens.extend(c for c in child.children if c.ent_type_ in ("GPE", "NORP"))
    if root.dep_ == "appos":
        tokens.append(root.head)
    verb = root.head
    if (
        root.dep_ == "nsubj"
        and verb.lemma_ == "be"
        and not any(c.dep_ == "neg" for c in verb.children)
    ):
        for attribute in verb.children:
            if (
                attribute.dep_ == "attr"
                and attribute.pos_ == "NOUN"
                and not any(c.dep_ in NARROWING_DEPS for c in attribute.children)
            ):
                tokens.append(attribute)
                tokens.extend(c for c in attribute.children if c.dep_ in ("compound", "amod"))
    return [t for t in tokens if t.pos_ in ("NOUN", "PROPN", "ADJ")]
