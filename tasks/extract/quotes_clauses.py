"""What a reporting cue reports: the clause, object or infinitive it introduces (its content)."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from tasks.extract.quotes_speakers import (
    cue_entry,
    in_paragraph,
    is_cue,
    object_is_listener,
    paragraph_bounds,
)

# Prepositions that introduce what is said after a verb ("called for", "spoke of", "warned about").
_CONTENT_PREPOSITIONS = {"for", "of", "about", "against"}
# Relations of a verb's own arguments that carry content ("called the charges unsubstantiated").
_OBJECT_DEPS = ("dobj", "oprd")
# Dependents right of a verb that belong to what it reports ("described X as Y").
_COMPLEMENT_DEPS = {"dobj", "dative", "oprd", "attr", "acomp", "ccomp", "xcomp", "prep", "pcomp"}
# Prepositions that introduce an argument of the verb rather than a time or place adjunct.
_ARGUMENT_PREPOSITIONS = {"as", "of", "for", "about", "against", "to", "with", "into", "like"}
# Prepositions of the topic a speech verb reports on ("commented on the "crazy" plan",
# "remarked upon ..."), unless they name the time, place or occasion of the speaking.
_TOPIC_PREPOSITIONS = {"on", "upon"}
# Adverbs of a two-word "as X as" subordinator ("as long as", "as soon as", "as far as").
_AS_ADVERBS = {"long", "soon", "far", "much", "well"}
# Dependents through which a verb reports something of its own.
_OWN_CONTENT_DEPS = {"dobj", "ccomp", "xcomp", "prep", "dative", "oprd", "attr"}
# Words that open a time adjunct rather than part of what was said.
_ADJUNCT_PREPOSITIONS = {
    "during", "after", "before", "since", "amid", "while", "following", "throughout", "last",
    "this", "earlier",
}  # fmt: skip
# Prepositions that open an adjunct only when their object is a time or a place ("at a rally
# in Iowa", "on Monday"); otherwise they carry what was said ("turning its back on voters").
_PLACE_PREPOSITIONS = {"at", "on", "in"}
# Nouns of the occasion on which something is said ("in an interview"), not what was said.
_OCCASION_NOUNS = {
    "interview", "statement", "speech", "rally", "debate", "hearing", "meeting", "event",
    "conference", "appearance", "address", "call", "briefing", "forum", "session", "email",
    "letter", "post", "tweet", "message", "broadcast", "show", "program", "podcast", "video",
    "op-ed", "article", "column", "book", "memo", "report", "remarks", "town", "stop", "visit",
}  # fmt: skip
# Nouns that after "on" name the medium or standing of the speaking ("on television", "on the
# floor", "on the record", "on behalf of", "on condition of anonymity"), not what was said.
_ON_SETTING_NOUNS = {
    "radio", "television", "tv", "phone", "telephone", "air", "camera", "floor", "stage",
    "record", "background", "behalf", "condition",
}  # fmt: skip
# Verb forms a coordinated predicate can take (not a participle: "said X, adding Y").
_PREDICATE_TAGS = ("VB", "VBD", "VBP", "VBZ", "MD")
# Subordinators that open a reason, concession or condition of what was said ("because", "if").
_REASON_MARKS = {"because", "although", "though", "unless", "if", "so"}
# Entity types of a time or place.
_SETTING_ENTITIES = {"DATE", "TIME", "GPE", "LOC", "FAC"}
# Relations of a clause's subject.
SUBJECT_DEPS = ("nsubj", "nsubjpass", "expl", "csubj")
# A content smaller than this many tokens is a pronoun or a stray word, not a statement.
_MIN_CONTENT_TOKENS = 2


def _block_runs(tokens: list[Token]) -> list[list[Token]]:
    """Runs of consecutive tokens, in text order."""
    runs: list[list[Token]] = []
    for token in sorted(tokens, key=lambda t: t.i):
        if runs and token.i == runs[-1][-1].i + 1:
            runs[-1].append(token)
        else:
            runs.append([token])
    return runs


def _trim(tokens: list[Token]) -> list[Token]:
    start, end = 0, len(tokens)
    while start < end and (
        tokens[start].is_punct or tokens[start].is_space or tokens[start].dep_ == "cc"
    ):
        start += 1
    while end > start and (
        tokens[end - 1].is_punct or tokens[end - 1].is_space or tokens[end - 1].dep_ == "cc"
    ):
        end -= 1
    return tokens[start:end]


def _without_reporting_conjuncts(head: Token, cue: Token) -> list[Token]:
    """The subtree of a reported clause without a coordinated reporting verb, which belongs to
    the outer clause ("said that X and suggested that Y": the content is X). A verb in another
    form than the cue cannot be its conjunct: it goes on with the reported clause ("says he
    would sit the mayor down and tell him ...": "tell" shares "would"). A bare verb after a cue
    that is one too ("will say X and ask", "to say X and ask") is the cue's conjunct unless the
    reported clause has an auxiliary for it to share."""
    cut: set[int] = set()
    for child in head.children:
        if _is_cue_conjunct(child, head, cue):
            cut.update(t.i for t in child.subtree)
            cut.update(c.i for c in head.children if c.dep_ == "cc" and c.i < child.i)
    return [t for t in head.subtree if t.i not in cut]


def _is_cue_conjunct(child: Token, head: Token, cue: Token) -> bool:
    """Whether a reporting verb coordinated with a clause the cue reports is the cue's own
    conjunct (see `_without_reporting_conjuncts`)."""
    return (
        child.dep_ == "conj"
        and is_cue(child)
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
        and (
            _verb_form(child) == _verb_form(cue)
            or (
                child.tag_ == cue.tag_ and not any(c.dep_ in ("aux", "auxpass") for c in head.lefts)
            )
        )
    )


def conjoined_cue(verb: Token) -> Token | None:
    """The cue whose conjunct a reporting verb is though the parser hung it on the clause the
    cue reports ("will say the deal is fair and ask voters to back it": "ask" is the mayor's,
    not the deal's), or None."""
    head = verb.head
    cue = head.head
    # The subject of a reported clause that gives evidence ("said the data showed X and
    # suggested Y") is a source that can go on reporting.
    if head.dep_ not in ("ccomp", "xcomp", "advcl") or not is_cue(cue):
        return None
    if is_cue(head) and cue_entry(head).kind == "evidence":
        return None
    return cue if _is_cue_conjunct(verb, head, cue) else None


def reported_contents(cue: Token) -> list[list[Token]]:
    """Token runs that a cue reports (see `_reported_contents`), kept to the cue's paragraph:
    the parser sometimes joins a paragraph to the one before it."""
    paragraph = paragraph_bounds(cue)
    runs = [[t for t in run if in_paragraph(t, paragraph)] for run in _reported_contents(cue)]
    return [run for run in runs if len(run) >= _MIN_CONTENT_TOKENS]


def _reported_contents(cue: Token) -> list[list[Token]]:
    """Token runs that a cue reports, in text order; empty when it reports nothing we can tell.

    - "according to X": the clause it qualifies;
    - a clause complement ("said [that] ...", "..., he said");
    - a parenthetical cue ("The harvest, the co-op said, was its largest"): both sides;
    - an infinitive ("urged the council to rethink ...", "pledged to ..."), "called for X",
      or a direct object ("described X as ...", "called X Y"), for the speech verbs whose entry
      in reporting_cues.txt has that frame.
    Stance and evidence verbs ("believes", "shows") report clauses only.
    """
    if cue.lower_ == "according":
        return _according_to_content(cue)
    children = list(cue.children)
    # A "that" clause the parser took for an adverbial one is a complement all the same.
    paragraph = paragraph_bounds(cue)
    complements = [
        c
        for c in children
        if (c.dep_ == "ccomp" or (c.dep_ == "advcl" and _opens_with_that(c)))
        and in_paragraph(c, paragraph)
    ]
    if complements:
        content = _subject_taken_for_object(cue, complements[0])
        content += _without_reporting_conjuncts(complements[0], cue)
        content += _reasons_after(cue, complements[0], paragraph)
        return _largest(_block_runs(content + _content_conjuncts(cue, content, paragraph)))
    if cue.head.i != cue.i and _is_attribution(cue):
        # "The plan, as reported by Reuters, was ...": a participle with no subject names no
        # one the words are of.
        if not any(c.dep_ in SUBJECT_DEPS for c in children):
            return []
        return _around_attribution(cue)
    entry = cue_entry(cue)
    if entry.kind != "speech":
        return []
    addressed = "addressee" not in entry.frames or any(
        c.dep_ in ("dobj", "dative") for c in children
    )
    if "infinitive" in entry.frames and addressed:
        infinitives = [
            c
            for c in children
            if c.i > cue.i
            and (
                c.dep_ == "xcomp" or (c.dep_ == "advcl" and any(a.lower_ == "to" for a in c.lefts))
            )
        ]
        if infinitives:
            return _largest(_block_runs(_without_reporting_conjuncts(infinitives[0], cue)))
        for child in children:
            if child.dep_ == "prep" and child.lower_ in _CONTENT_PREPOSITIONS and child.i > cue.i:
                objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                if objects:
                    return _largest(_block_runs(list(objects[0].subtree)))
    if "prep" in entry.frames:
        # "accused Kim of [...]", "likened the refugees to [...]": the object is the target.
        objects = [c for c in children if c.dep_ == "dobj"]
        # The parser often hangs the phrase on the object ("accused [the rebels of ...]").
        heads = children + [c for o in objects for c in o.rights]
        phrases = [
            c for c in heads if c.dep_ == "prep" and c.i > cue.i and c.lower_ in ("of", "to")
        ]
        if phrases:
            return _largest([_before_trailing_adjunct(list(phrases[0].subtree))])
    if "object" in entry.frames and any(c.dep_ in _OBJECT_DEPS for c in children):
        return complement_after(cue)
    return []


def _subject_taken_for_object(cue: Token, complement: Token) -> list[Token]:
    """'Brandt maintains the bridge "can carry ..."': the parser took the subject of a reported
    clause with no subject of its own for the cue's object. When that object is neither what was
    said ("object" frame: "confirmed the figures") nor whom it was told, and it ends right before
    a clause with no "that", it is the clause's subject: the words of that object."""
    if any(c.dep_ in (*SUBJECT_DEPS, "mark") for c in complement.children):
        return []  # 'told the mayor that it "...": the clause has its own subject or "that"
    objects = [c for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < complement.i]
    if not objects or object_is_listener(cue) or "object" in cue_entry(cue).frames:
        return []
    subtree = list(objects[-1].subtree)
    if subtree[-1].i + 1 != complement.left_edge.i:
        return []
    return subtree


def _opens_with_that(clause: Token) -> bool:
    """A clause introduced by the complementizer "that", also after an adverb ("only that he
    was ...")): "that" subordinates no adverbial clause."""
    return clause.left_edge.lower_ == "that" or any(
        c.dep_ == "mark" and c.lower_ == "that" for c in clause.children
    )


def _reasons_after(cue: Token, complement: Token, paragraph: tuple[int, int]) -> list[Token]:
    """The reason or condition that closes what was said, which the parser often hangs on the
    reporting verb instead ("said the request was "futile," because ..."): an adverbial clause
    right after the complement opened by a subordinator of reason, concession or condition, or
    a comparison ("..., compared to ..."), with the commas before it."""

    def is_reason(child: Token) -> bool:
        return (child.dep_ == "advcl" and gives_reason(child) and not is_cue(child)) or (
            _compares(child)
        )

    return _clauses_after(cue, complement.right_edge.i, paragraph, is_reason, joined_by_and=False)


def _compares(child: Token) -> bool:
    """A comparison right after quoted words, which measures them ('rated half the claims
    "false," compared to a tenth of ...'): "compared" with "to" or "with" after the closing mark.
    After the writer's own words ('said they liked her, compared with 40% who ...') it is the
    writer's."""
    before = [t for t in child.doc[max(child.i - 2, 0) : child.i] if t.text != ","]
    return (
        child.lower_ == "compared"
        and bool(before)
        and before[-1].is_quote
        and any(c.lower_ in ("to", "with") for c in child.children)
    )


def _content_conjuncts(cue: Token, content: list[Token], paragraph: tuple[int, int]) -> list[Token]:
    """What the parser coordinated with the reporting verb but goes on with what was said: a
    second "that" clause ("said that A and that B") and a predicate that cannot share the
    cue's tense ("said the count could be "far from final," and have misled"; a verb with no
    subject of its own, in another form than the cue), with the words between."""

    def goes_on(child: Token) -> bool:
        return child.dep_ == "conj" and (
            _opens_with_that(child)
            or (
                child.pos_ in ("VERB", "AUX")
                and _verb_form(child) in _PREDICATE_TAGS
                and _verb_form(child) != _verb_form(cue)
                and not is_cue(child)
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
            )
        )

    if not content:
        return []
    end = max(t.i for t in content)
    return _clauses_after(cue, end, paragraph, goes_on, joined_by_and=True)


def _clauses_after(
    cue: Token,
    end: int,
    paragraph: tuple[int, int],
    goes_on: Callable[[Token], bool],
    joined_by_and: bool,
) -> list[Token]:
    """The cue's dependents right after token `end` that `goes_on` accepts, one after another
    in the paragraph, with the commas (and, where `joined_by_and`, the "and") between."""

    def joins(token: Token) -> bool:
        return token.is_punct or (joined_by_and and token.dep_ == "cc")

    taken: list[Token] = []
    for child in cue.rights:
        if child.i <= end or joins(child):
            continue
        between = cue.doc[end + 1 : child.left_edge.i]
        if not all(joins(t) for t in between):
            break
        if not goes_on(child) or not in_paragraph(child.right_edge, paragraph):
            break
        taken += [*between, *child.subtree]
        end = child.right_edge.i
    return taken


def _verb_form(verb: Token) -> str:
    """The tag of a verb group's first word: "have" in "have been", the verb when alone."""
    auxiliaries = [c for c in verb.lefts if c.dep_ in ("aux", "auxpass")]
    return auxiliaries[0].tag_ if auxiliaries else verb.tag_


def gives_reason(clause: Token) -> bool:
    """An adverbial clause of reason, concession or condition ("because ...", "even though
    ...", "if ...")."""
    return clause.left_edge.lower_ in _REASON_MARKS or any(
        c.dep_ == "mark" and c.lower_ in _REASON_MARKS for c in clause.children
    )


def _is_attribution(cue: Token) -> bool:
    """A cue set inside the clause it reports: parenthetical ("The harvest, the co-op said,
    was ...") or an "as" clause ("as Sato noted")."""
    return cue.dep_ == "parataxis" or _is_as_clause(cue)


def _around_attribution(cue: Token) -> list[list[Token]]:
    """What an attribution set inside a clause reports: the clause it stands in, one statement
    with the attribution inside it when there are words on both sides (a row is one stretch of
    text). The statement stops at another attribution and at a clause coordinated with its own
    subject ("The dog, as the vet said, was "sick," but the cat, as she added, ...")."""
    # The parser may hang an "as" clause on the subject ("The bridge, as Okafor warned,
    # was ..."): the clause is the verb's above it.
    host = cue.head.head if cue.head.dep_ in SUBJECT_DEPS else cue.head
    attribution = {t.i for t in cue.subtree}
    cut = set(attribution)
    others: list[int] = []  # where the other attributions stand
    for token in host.subtree:
        other = token.i != cue.i and is_cue(token) and _is_attribution(token)
        if token.i not in cut and (other or _is_clause_after(token, host, cue)):
            cut.update(t.i for t in token.subtree)
            cut.update(c.i for c in token.head.children if c.dep_ == "cc" and c.i < token.i)
            others += [token.i] if other else []
    runs = [
        run
        for run in (_trim(run) for run in _block_runs([t for t in host.subtree if t.i not in cut]))
        if run and not any(min(run[0].i, cue.i) < i < max(run[0].i, cue.i) for i in others)
    ]
    lead = next((run for run in reversed(runs) if run[-1].i < cue.i), None)
    rest = next((run for run in runs if run[0].i > cue.i), None)
    if lead and rest:
        gap = cue.doc[lead[-1].i + 1 : rest[0].i]
        # '"A," she said, "B"': two quotes, not one statement.
        if all(t.i in attribution or (t.is_punct and not t.is_quote) for t in gap):
            subject = next((t for t in lead if t.dep_ in SUBJECT_DEPS and t.head.i == host.i), None)
            if subject is None:  # "Six months ago, she said, ...": the lead is the setting
                return [rest] if len(rest) >= _MIN_CONTENT_TOKENS else []
            # "After the vote, the plan, the mayor said, was ...": the setting before the
            # subject is no statement either.
            return [list(cue.doc[subject.left_edge.i : rest[-1].i + 1])]
    return [run for run in runs if len(run) >= _MIN_CONTENT_TOKENS]


def _is_clause_after(token: Token, host: Token, cue: Token) -> bool:
    """A clause with its own subject coordinated with the one an attribution stands in, after
    the words that follow it ("The plan, as Lee said, is "dead," but the mayor disagrees")."""
    return (
        token.dep_ == "conj"
        and token.head.i == host.i
        and any(c.dep_ in SUBJECT_DEPS for c in token.children)
        and any(
            not (t.is_punct or t.dep_ == "cc")
            for t in cue.doc[cue.right_edge.i + 1 : token.left_edge.i]
        )
    )


def _is_as_clause(cue: Token) -> bool:
    """ "as Sato noted", "as she put it": an "as" clause of a speech verb with nothing of its own
    to report (not "as officials praised the protests"), nor the second "as" of a condition or
    comparison ("as long as the council agrees")."""
    children = list(cue.children)
    return (
        any(
            c.dep_ == "mark"
            and c.lower_ == "as"
            and not (c.i and c.doc[c.i - 1].lower_ in _AS_ADVERBS)
            for c in children
        )
        and cue_entry(cue).kind == "speech"
        and not any(
            c.dep_ in _OWN_CONTENT_DEPS
            and c.lower_ != "it"
            and (c.dep_ != "prep" or c.lower_ in _CONTENT_PREPOSITIONS)
            for c in children
        )
    )


def noun_content(noun: Token, token: Token) -> list[Token]:
    """What a reporting noun reports: its dependent right of it that holds `token` ("claim
    [that ...]", "description [of X as ...]"); empty when `token` is not in one."""
    branch = next((a for a in (token, *token.ancestors) if a.head.i == noun.i != a.i), None)
    if branch is None or branch.i < noun.i:
        return []
    paragraph = paragraph_bounds(noun)
    return _trim([t for t in branch.subtree if in_paragraph(t, paragraph)])


def _according_to_content(cue: Token) -> list[list[Token]]:
    """The rest of the sentence around "according to X" (X ends at the first comma), which the
    parser often gets wrong by attaching the clause to X."""
    sentence = cue.sent
    end = cue.i + 2
    while end < sentence.end and sentence.doc[end].text not in (",", ";", "—", "–", "--"):
        end += 1
    outside = [t for t in sentence if not cue.i <= t.i <= end]
    return _largest(_block_runs(outside))


def complement_after(verb: Token) -> list[list[Token]]:
    """The complements right of a verb: "described [the plan as reckless] on Monday, saying".

    Objects and clauses count, and prepositional phrases that carry an argument ("as", "of",
    "for", ...), not the adjuncts after them ("on Monday"); the content stops at a comma that
    follows a complement. A pronoun object before a predicate stays: "called [him a genius]"
    says who the words are about.
    """
    taken: list[Token] = []
    for child in verb.rights:
        if child.dep_ in ("punct", "cc") and taken and child.text in (",", ";", "—", "–", "--"):
            break
        if child.dep_ in _COMPLEMENT_DEPS and (
            child.dep_ != "prep"
            or child.lower_ in _ARGUMENT_PREPOSITIONS
            or (child.lower_ in _TOPIC_PREPOSITIONS and _names_topic(child, verb))
            or (taken and _goes_on_after_quote(child))
        ):
            taken.append(child)
        elif child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN") and taken:
            taken.append(child)  # "questioned [X and his readiness]": the parser hung Y on the verb
    if not taken:
        return []
    doc = verb.doc
    paragraph = paragraph_bounds(verb)
    run = [
        t
        for t in doc[taken[0].left_edge.i : taken[-1].right_edge.i + 1]
        if in_paragraph(t, paragraph)
    ]
    run = _trim(_before_trailing_adjunct(run))
    if run and run[-1].i == taken[-1].right_edge.i:
        run += [t for t in _reasons_after(verb, taken[-1], paragraph) if t.i > run[-1].i]
    return [run] if len(run) >= _MIN_CONTENT_TOKENS else []


def _names_topic(preposition: Token, verb: Token) -> bool:
    """Whether "on" or "upon" after a speech verb with no object of its own names what it is
    about ("commented on the "crazy" plan", "remarked upon the fact that ..."), not where or
    when it was said ("on Monday", "on television", "on "Face the Facts"": a show's name); nor
    when another argument of the verb follows, which is then the topic ('spoke on the bus about
    the "crisis"'; a word inside a quoted title is none: 'on "This Week With ..."')."""
    doc = preposition.doc

    def argument_after(child: Token) -> bool:
        marks = sum(t.is_quote for t in doc[preposition.i : child.i])
        return (
            child.dep_ == "prep"
            and child.i > preposition.i
            and child.lower_ in _ARGUMENT_PREPOSITIONS
            and marks % 2 == 0
        )

    return (
        not is_setting(preposition)
        and not any(c.dep_ in ("dobj", "dative") for c in verb.children)
        and any(c.dep_ == "pobj" and c.pos_ != "PROPN" for c in preposition.children)
        and not any(argument_after(c) for c in verb.children)
    )


def _before_trailing_adjunct(run: list[Token]) -> list[Token]:
    """A run cut after a closing quote mark that is followed by a time or place adjunct the
    parser hung on the quoted noun ('called it a "crazy system" during a stop in Flint')."""
    if run and run[0].is_quote:
        return run  # the quote is the object itself: what follows describes it
    for index in range(1, len(run) - 1):
        mark, following = run[index], run[index + 1]
        if not (mark.is_quote and mark.is_right_punct) or mark.i != following.i - 1:
            continue
        if (
            following.lower_ in _ADJUNCT_PREPOSITIONS
            or (following.lower_ in _PLACE_PREPOSITIONS and _has_setting_object(following))
            or following.ent_type_ in ("DATE", "TIME")
            or following.text in ("—", "–", "--", "-")
        ):
            return run[: index + 1]
    return run


def _goes_on_after_quote(preposition: Token) -> bool:
    """'mocked the "cheap theatrics" seen at the hearing': a phrase right after a
    closing quote mark that is no time, place or occasion of the speaking goes on with what was
    said."""
    before = preposition.doc[preposition.i - 1] if preposition.i else preposition
    return (
        before.is_quote
        and preposition.lower_ in _PLACE_PREPOSITIONS
        and not is_setting(preposition)
    )


def is_setting(preposition: Token) -> bool:
    """Whether a phrase "at", "on" or "in" ... names the time, place or occasion of the
    speaking ("on Monday", "in Flint", "in an interview"), not part of what was said."""
    return preposition.lower_ in _PLACE_PREPOSITIONS and (
        _has_setting_object(preposition)
        or any(
            c.dep_ == "pobj"
            and (
                c.lemma_.lower() in _OCCASION_NOUNS
                or (preposition.lower_ == "on" and c.lemma_.lower() in _ON_SETTING_NOUNS)
            )
            and not any(n.dep_ == "nummod" for n in c.children)  # "in 22 emails": no occasion
            for c in preposition.children
        )
    )


def _has_setting_object(preposition: Token) -> bool:
    """Whether a preposition's object is a time or a place ("on Monday", "in Flint")."""
    return any(
        c.dep_ == "pobj" and (c.ent_type_ in _SETTING_ENTITIES or c.like_num)
        for c in preposition.children
    )


def _largest(runs: list[list[Token]]) -> list[list[Token]]:
    trimmed = [_trim(run) for run in runs]
    trimmed = [run for run in trimmed if len(run) >= _MIN_CONTENT_TOKENS]
    return [max(trimmed, key=len)] if trimmed else []
