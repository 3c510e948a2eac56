"""Per-doc values that spaCy rebuilds on every access, built once per doc and shared by the entity
rules and the extractors; token selection on attribute arrays, without a Token per word."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

import numpy as np
from spacy.tokens import Doc, Span

from tasks.clean.metadata import dateline_length

# spaCy rebuilds doc.text and doc.ents from every token on each access: read once per cue or
# sentence they made quote extraction quadratic in the body's length (minutes for a
# 100k-character paragraph). They are built once for the doc being processed and kept for
# that doc only: a cache of every doc would keep each one alive (its spans refer to it), and
# one in the doc's user_data would make a reference cycle that frees docs only at the next
# full garbage collection (hundreds of MB per batch).
_current = threading.local()


def _cached(doc: Doc) -> dict[object, object]:
    """The values cached for `doc`, forgetting those of the doc before it."""
    if getattr(_current, "doc", None) is not doc:
        _current.doc, _current.values = doc, {}
    return _current.values


# The text is kept in the doc itself: the entity rules need it while the parse of the next docs
# of the batch goes on, and the extractors after it, when the cache above holds another doc. A
# string refers to no doc, so it makes no reference cycle.
_TEXT_KEY = "tasks.extract.doc_cache.text"


def doc_text(doc: Doc) -> str:
    """doc.text, built once per doc (the tokens, and so the text, never change)."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def doc_entities(doc: Doc) -> tuple[Span, ...]:
    """doc.ents, built once per doc: for the extractors, which run after every pipeline
    component has set the entities."""
    values = _cached(doc)
    if "entities" not in values:
        values["entities"] = doc.ents
    return values["entities"]


def doc_dateline_end(doc: Doc) -> int:
    """Where the dateline opening the doc's story ends, "WASHINGTON (Reuters) - " (under a
    kicker or byline line too), or 0: the clean step's dateline, read once per doc."""
    values = _cached(doc)
    if "dateline_end" not in values:
        values["dateline_end"] = dateline_length(doc_text(doc))
    return values["dateline_end"]


def doc_column(doc: Doc, attribute: int) -> np.ndarray:
    """doc.to_array(attribute), built once per doc and shared by the extractors (an entity
    attribute only after every pipeline component has set the entities)."""
    values = _cached(doc)
    key = ("column", attribute)
    if key not in values:
        values[key] = doc.to_array(attribute)
    return values[key]


def among(doc: Doc, values: np.ndarray, words: Iterable[str]) -> np.ndarray:
    """Whether each string-valued attribute (ORTH, LOWER, ...) of `doc.to_array` is in `words`."""
    hashes = np.array([doc.vocab.strings[word] for word in words], dtype=np.uint64)
    return np.isin(values, hashes)


class StringTest:
    """A test of the strings of an attribute array (ORTH, LEMMA, TAG ... of `doc.to_array`),
    made once per distinct string and remembered across docs: the same words recur in every
    article, and looking a word's string up costs more than the test."""

    _MAX_REMEMBERED = 100_000  # strings; forgotten all at once beyond, to bound memory

    def __init__(self, test: Callable[[str], object]):
        self._test = test
        self._verdicts: dict[int, bool] = {}

    def mask(self, doc: Doc, values: np.ndarray) -> np.ndarray:
        """Whether each value's string passes the test."""
        distinct, positions = np.unique(values, return_inverse=True)
        verdicts = self._verdicts  # most strings are known: no call for them
        passes = [
            verdict if (verdict := verdicts.get(value)) is not None else self.passes(doc, value)
            for value in distinct.tolist()
        ]
        return np.array(passes, dtype=bool)[positions.reshape(-1)]

    def passes(self, doc: Doc, value: int) -> bool:
        """Whether one value's string passes the test."""
        verdict = self._verdicts.get(value)
        if verdict is None:
            if len(self._verdicts) > self._MAX_REMEMBERED:
                self._verdicts.clear()
            verdict = self._verdicts[value] = bool(self._test(doc.vocab.strings[value]))
        return verdict
