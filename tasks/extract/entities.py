"""Entity mentions: the model's NER, corrected where it is systematically wrong on news."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from tasks.extract.doc_cache import doc_entities
from tasks.extract.entity_rules import COMPONENT_NAME


@dataclass(frozen=True)
class Mention:
    text: str  # surface text, equal to body[start_char:end_char]
    label: str  # OntoNotes label: PERSON, ORG, GPE, NORP, LOC, FAC, EVENT, DATE, ...
    start_char: int
    end_char: int
    sentence_index: int


def configure_pipeline(nlp: Language) -> None:
    """Add the project's pattern layer to a freshly loaded pipeline (called once by load_nlp)."""
    nlp.add_pipe(COMPONENT_NAME, after="ner")


def extract_mentions(doc: Doc) -> Iterator[Mention]:
    """One Mention per entity of `doc`, with the index of the sentence containing its start."""
    sentence_starts = [sentence.start_char for sentence in doc.sents]
    for span in doc_entities(doc):
        yield Mention(
            text=span.text,
            label=span.label_,
            start_char=span.start_char,
            end_char=span.end_char,
            sentence_index=max(bisect_right(sentence_starts, span.start_char) - 1, 0),
        )
