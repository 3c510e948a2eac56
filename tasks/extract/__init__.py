"""Extract: one spaCy pass over every English body, then the pure extractors over each Doc."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tasks.records import Article, Quarantined

if TYPE_CHECKING:
    from tasks.extract.entities import Mention
    from tasks.extract.events import EventRow
    from tasks.extract.quotes import QuoteRow

EXTRACTED_LANGUAGES = frozenset({"en"})  # the model is English; others, und too, get no rows


@dataclass(frozen=True)
class Extraction:
    """Everything found in one article body; offsets are into that body."""

    article_id: str
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[QuoteRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)


def extract(
    articles: Sequence[Article], *, batch_size: int = 16
) -> tuple[list[Extraction], list[Quarantined]]:
    """Mentions, quotes and events per article; an article an extractor fails on is quarantined."""
    # Imported here, as they import spaCy: the flow's process, which never parses, imports
    # this package for its spaCy-free modules (the gazetteer, for normalize).
    from tasks.extract.entities import extract_mentions
    from tasks.extract.events import extract_events
    from tasks.extract.nlp import load_nlp
    from tasks.extract.quotes import extract_quotes

    nlp = load_nlp()
    english = [a for a in articles if a.language in EXTRACTED_LANGUAGES]
    extractions = {a.article_id: Extraction(a.article_id) for a in articles}
    quarantined: list[Quarantined] = []
    docs = nlp.pipe((a.body for a in english), batch_size=batch_size)
    for article, doc in zip(english, docs, strict=True):
        try:
            extractions[article.article_id] = Extraction(
                article.article_id,
                mentions=list(extract_mentions(doc)),
                quotes=list(extract_quotes(doc)),
                events=list(extract_events(doc)),
            )
        except Exception as error:  # one article's failure must not cost the others
            del extractions[article.article_id]
            quarantined.append(
                Quarantined(article.source_uri, "extract", "extraction_error", repr(error)[:500])
            )
    return list(extractions.values()), quarantined
