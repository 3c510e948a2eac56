"""Records passed between steps: what ingest reads, what clean recovers, what gets quarantined."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# What a text input is, as a JSONL record's "kind" field may state (metadata["kind"]): an
# already-clean "article" (a feed's or wire service's text) is kept whole; a "page" (a whole
# web page's text dump) has its body selected. Without it, clean decides from the text.
TEXT_KINDS = ("article", "page")


@dataclass(frozen=True)
class RawDocument:
    """One input document as read, before any cleaning."""

    # Path relative to its input root, or "<file>#<id or url>" for JSONL records and feed items
    source_uri: str
    input_format: str  # "txt" | "html" | "jsonl" | "feed"
    text: str | None  # plain-text dump (txt files, JSONL "text")
    html: str | None  # page HTML (html files, JSONL "html")
    metadata: dict[str, str] = field(default_factory=dict)  # id, url, title, date, kind

    @property
    def content(self) -> str:
        """The raw content the article id and size limits are computed from."""
        return self.html if self.html is not None else (self.text or "")


@dataclass(frozen=True)
class Article:
    """A cleaned article: its body and the metadata recovered from the raw document."""

    article_id: str
    source_uri: str
    source_name: str | None
    title: str | None
    byline: str | None
    dateline: str | None
    published_date: date | None
    date_source: str  # header | dateline | text | metadata | none
    language: str  # ISO 639-1, or "und" when the text is too short or unusual to tell
    body: str
    raw_length: int  # characters of the raw input, to measure what cleaning removed


@dataclass(frozen=True)
class Quarantined:
    """An input or article that cannot be published, and why."""

    source_uri: str | None  # None only for an orphan row, whose article is unknown
    step: str  # ingest | clean | extract | validate
    reason: str  # short machine-readable reason: empty_body, undecodable, too_large, ...
    detail: str  # human-readable explanation
    table_name: str | None = None  # the table of a row that failed validation
    row_id: str | None = None  # that row's key


@dataclass(frozen=True)
class RunInfo:
    """Provenance stamped on published rows."""

    run_id: str
    started_at: datetime  # UTC
    pipeline_version: str
