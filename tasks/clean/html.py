"""Body and metadata of an HTML page through trafilatura."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura


@dataclass(frozen=True)
class HtmlExtract:
    """What trafilatura recovers from a page: body text (one paragraph a line) and metadata."""

    text: str
    title: str | None
    author: str | None
    date: str | None  # YYYY-MM-DD as trafilatura's htmldate finds it
    sitename: str | None


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    """The page's main text and metadata; an empty text when trafilatura finds no article."""
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    if document is None:
        return HtmlExtract(text="", title=None, author=None, date=None, sitename=None)
    return HtmlExtract(
        text=document.text or "",
        title=document.title or None,
        author=document.author or None,
        date=document.date or None,
        sitename=document.sitename or None,
    )
