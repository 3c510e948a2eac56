"""What a reporting cue reports: the clause, object or infinitive it introduces (its content)."""

from __future__ import annotations

from spacy.tokens import Token

from tasks.extract.quotes_speakers import cue_entry, is_cue

# Prepositions that introduce what is said after a verb ("called for", "spoke of", "warned about").
_CONTENT_PREPOSITIONS = {"for", "of", "about", "against"}
# Relations of a verb's own arguments that carry content ("called the charges unsubstantiated").
_OBJECT_DEPS = ("dobj", "oprd")
# Dependents right of a verb that belong to what it reports ("described X as Y").
_COMPLEMENT_DEPS = {"dobj", "dative", "oprd", "attr", "acomp", "ccomp", "xcomp", "prep", "pcomp"}
# Prepositions that introduce an argument of the verb rather than a time or place adjunct.
_ARGUMENT_PREPOSITIONS = {"as", "of", "for", "about", "against", "to", "with", "into", "like"}
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


def _without_reporting_conjuncts(head: Token) -> list[Token]:
    """The subtree of a reported clause without a coordinated reporting verb, which belongs to
    the outer clause ("said that X and suggested that Y": the content is X)."""
    cut: set[int] = set()
    for child in head.children:
        if (
            child.dep_ == "conj"
            and is_cue(child)
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
        ):
            cut.update(t.i for t in child.subtree)
            cut.update(c.i for c in head.children if c.dep_ == "cc" and c.i < child.i)
    return [t for t in head.subtree if t.i not in cut]


def reported_contents(cue: Token) -> list[list[Token]]:
    """Token runs that a cue reports, in text order; empty when it reports nothing we can tell.

    - "according to X": the clause it qualifies;
    - a clause complement ("said [that] ...", "..., he said");
    - a parenthetical cue ("The test, North Korea said, was its biggest"): both sides;
    - an infinitive ("urged Tokyo to reconsider ...", "pledged to ..."), "called for X",
      or a direct object ("described X as ...", "called X Y"), for the speech verbs whose entry
      in reporting_cues.txt has that frame.
    Stance and evidence verbs ("believes", "shows") report clauses only.
    """
    if cue.lower_ == "according":
        if cue.head is cue:
            return []
        inside = {t.i for t in cue.subtree}
        runs = _block_runs([t for t in cue.head.subtree if t.i not in inside])
        return _largest(runs)
    children = list(cue.children)
    complements = [c for c in children if c.dep_ == "ccomp"]
    if complements:
        return _largest(_block_runs(_without_reporting_conjuncts(complements[0])))
    if cue.dep_ == "parataxis" and cue.head is not cue:
        inside = {t.i for t in cue.subtree}
        outside = [t for t in cue.head.subtree if t.i not in inside]
        runs = [_trim(run) for run in _block_runs(outside)]
        return [run for run in runs if len(run) >= _MIN_CONTENT_TOKENS]
    entry = cue_entry(cue)
    if entry.kind != "speech":
        return []
    if "infinitive" in entry.frames:
        infinitives = [c for c in children if c.dep_ == "xcomp" and c.i > cue.i]
        if infinitives:
            return _largest(_block_runs(_without_reporting_conjuncts(infinitives[0])))
        for child in children:
            if child.dep_ == "prep" and child.lower_ in _CONTENT_PREPOSITIONS and child.i > cue.i:
                objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                if objects:
                    return _largest(_block_runs(list(objects[0].subtree)))
    if "object" in entry.frames and any(c.dep_ in _OBJECT_DEPS for c in children):
        return complement_after(cue)
    return []


def complement_after(verb: Token) -> list[list[Token]]:
    """The complements right of a verb: "described [the plan as reckless] on Monday, saying".

    Objects and clauses count, and prepositional phrases that carry an argument ("as", "of",
    "for", ...), not the adjuncts after them ("on Monday"); the content stops at a comma that
    follows a complement. A pronoun object before a predicate is left out ("called him [a
    genius]").
    """
    taken: list[Token] = []
    for child in verb.rights:
        if child.dep_ in ("punct", "cc") and taken and child.text in (",", ";", "—", "–", "--"):
            break
        if child.dep_ in _COMPLEMENT_DEPS and (
            child.dep_ != "prep" or child.lower_ in _ARGUMENT_PREPOSITIONS
        ):
            taken.append(child)
    if len(taken) > 1 and taken[0].dep_ == "dobj" and taken[0].pos_ == "PRON":
        taken = taken[1:]
    if not taken:
        return []
    doc = verb.doc
    run = _trim(list(doc[taken[0].left_edge.i : taken[-1].right_edge.i + 1]))
    return [run] if len(run) >= _MIN_CONTENT_TOKENS else []


def _largest(runs: list[list[Token]]) -> list[list[Token]]:
    trimmed = [_trim(run) for run in runs]
    trimmed = [run for run in trimmed if len(run) >= _MIN_CONTENT_TOKENS]
    return [max(trimmed, key=len)] if trimmed else []
