"""CLEAN step: recover each raw document's article body and metadata, or quarantine it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from schemas.tables import latest_date
from tasks.clean import metadata, repair
from tasks.clean.html import HtmlExtract, extract_html, strip_site_name
from tasks.clean.text_dump import (
    article_body,
    is_boilerplate,
    is_page_dump,
    select_body,
)
from tasks.ids import article_id
from tasks.records import Article, Quarantined, RawDocument

STEP = "clean"
# spaCy's default max_length: the NLP pass refuses a longer text, which would fail the whole
# batch. No news article comes near it (a text file may hold up to ingest's 10 MiB).
MAX_BODY_CHARS = 1_000_000
# An inline HTML element as feeds leave them in titles ("<em>Live</em>:"), opened and closed
# (its words are kept), and a line break: a lone "<b>" or "<a lot>" is the title's words, as
# is a ticker ("HARBOUR LINES <HBL> SETS DIVIDEND").
_INLINE_ELEMENT = re.compile(
    r"<(?P<tag>a|abbr|b|cite|code|em|font|i|mark|q|s|small|span|strong|sub|sup|u)(?:\s[^<>]*)?>"
    r"(?P<words>[^<>]*)</(?P=tag)>|<br\s*/?>"
)
# A web or e-mail address: a body of nothing else is a feed's item that gives only its link.
_ADDRESS = re.compile(r"(?:https?://|www\.|mailto:)\S+|\S+@\S+")
# What a stated author holds besides the name: "By " before it, an e-mail address in angle
# brackets or parentheses after it ("Jane Doe <jane@example.org>", RSS 2.0's
# "jane@example.org (Jane Doe)").
_BY = re.compile(r"^by\s+", re.IGNORECASE)
_BRACKETED_ADDRESS = re.compile(r"\s*[<(]\s*(?:mailto:)?\S+@\S+?\s*[>)]")
_EMAIL_WITH_NAME = re.compile(r"^(?:mailto:)?\S+@\S+\s*\((?P<name>[^()]+)\)$")


class _Rejected(Exception):
    """A document with no recoverable body; args are (reason, detail)."""


def clean(documents: Iterable[RawDocument]) -> tuple[list[Article], list[Quarantined]]:
    """Recover each document's body and metadata; quarantine what has no recoverable body."""
    # Dates after this are in the future: today in the time zone furthest ahead of UTC.
    latest = latest_date()
    articles: list[Article] = []
    quarantined: list[Quarantined] = []
    for document in documents:
        try:
            articles.append(clean_document(document, latest))
        except _Rejected as rejected:
            reason, detail = rejected.args
            quarantined.append(Quarantined(document.source_uri, STEP, reason, detail))
        except Exception as error:  # one bad document must not stop the run
            detail = f"{type(error).__name__}: {error}"
            quarantined.append(Quarantined(document.source_uri, STEP, "clean_error", detail))
    return articles, quarantined


def clean_document(document: RawDocument, latest: date) -> Article:
    """The article recovered from one document; raises _Rejected when it has no body."""
    if not document.content.strip():
        raise _Rejected("empty_body", "the document has no text")
    stated_date = metadata.parse_stated_date(document.metadata.get("date", ""), latest)
    if document.html is not None:
        return _from_html(document, stated_date, latest)
    return _from_text(document, stated_date, latest)


def _from_text(document: RawDocument, stated_date: date | None, latest: date) -> Article:
    header_date, text = metadata.split_date_header(document.text or "", latest)
    paragraphs = repair.paragraphs(text)
    if not paragraphs:
        if header_date is None and text.strip():
            raise _Rejected("empty_body", "only control characters and invisible marks")
        raise _Rejected("empty_body", "nothing left after the date header")
    stated_title = _stated(document, "title")
    # The input's own word (JSONL "kind") first; else the text shows whether it is a page dump.
    kind = document.metadata.get("kind") or ("page" if is_page_dump(paragraphs) else "article")
    dump = select_body(paragraphs) if kind == "page" else article_body(paragraphs, stated_title)
    if not dump.paragraphs:
        raise _Rejected("no_body_found", "only navigation and boilerplate lines")
    # A page dump's headline, byline and date are where a reader looks: around the headline.
    header = (
        metadata.read_page_header(paragraphs, len(dump.before_body), latest)
        if kind == "page"
        else None
    )
    above_body = [line for line in dump.before_body[-10:] if not is_boilerplate(line)]
    text_date = (header and header.published) or metadata.find_text_date(above_body, latest)
    byline = (header and header.byline) or dump.byline
    start, last = len(dump.before_body), dump.paragraphs[-1]
    if header and text_date is None:
        text_date = metadata.story_date(paragraphs, start, last, latest, dump.box_below)
    if header and byline is None:
        byline = metadata.story_credit(paragraphs, start, last)
    return _article(
        document,
        body_paragraphs=dump.paragraphs,
        title=stated_title or (header and header.title) or dump.title,
        byline=byline,
        source_name=metadata.find_source_name(dump.paragraphs),
        published=_first_date((stated_date, "metadata"), (header_date, "header")),
        text_date=text_date,
        latest=latest,
    )


def _from_html(document: RawDocument, stated_date: date | None, latest: date) -> Article:
    page = extract_html(document.html or "", url=document.metadata.get("url"))
    body_paragraphs = repair.paragraphs(page.text)
    if not body_paragraphs:
        raise _Rejected("no_body_found", "trafilatura found no article text")
    meta_date = metadata.parse_iso_date(page.date or "", latest)
    return _article(
        document,
        body_paragraphs=body_paragraphs,
        title=_stated(document, "title") or _html_headline(page, document.html or ""),
        byline=metadata.html_byline(
            page.author, page.sitename, document.html or "", page.title, latest
        ),
        source_name=page.sitename or metadata.find_source_name(body_paragraphs),
        published=_first_date((stated_date, "metadata"), (meta_date, "metadata")),
        text_date=None,
        latest=latest,
    )


def _stated_byline(document: RawDocument) -> str | None:
    """The author the input states, as a name: without "By " and without e-mail addresses
    (the name of RSS's "jane@example.org (Jane Doe)"); an address alone names no one."""
    author = _stated(document, "author")
    if author is None:
        return None
    match = _EMAIL_WITH_NAME.match(author)
    if match:
        return match.group("name").strip()
    name = _ADDRESS.sub("", _BRACKETED_ADDRESS.sub("", _BY.sub("", author)))
    name = " ".join(name.strip(" ,;").split())
    return name if any(character.isalpha() for character in name) else None


def _stated(document: RawDocument, field: str) -> str | None:
    """A line the input states (a title, an author), repaired as a body is (HTML entities such
    as "&amp;" that feeds leave in, mojibake, control characters), without the inline markup
    feeds leave in ("<em>Live</em>"); None when nothing is left."""
    stated = _INLINE_ELEMENT.sub(
        lambda match: match.group("words") or " ", document.metadata.get(field, "")
    )
    return " ".join(repair.fix_text(stated).split()) or None


def _html_headline(page: HtmlExtract, html: str) -> str | None:
    stated = metadata.stated_title(html)
    stated_headline = strip_site_name(stated, page.sitename) if stated else None
    return metadata.full_headline(page.title, stated_headline)


def _first_date(*candidates: tuple[date | None, str]) -> tuple[date | None, str]:
    """The first stated date with its source, in order of trust; (None, "none") if none."""
    return next(((d, source) for d, source in candidates if d is not None), (None, "none"))


def _article(
    document: RawDocument,
    *,
    body_paragraphs: list[str],
    title: str | None,
    byline: str | None,
    source_name: str | None,
    published: tuple[date | None, str],
    text_date: date | None,
    latest: date,
) -> Article:
    """The Article, with the byline the input states first, and the dateline and the weaker
    date sources filled in."""
    published_date, date_source = published
    known_year = published_date.year if published_date else None
    byline = _stated_byline(document) or byline
    dateline, dateline_date = metadata.find_dateline(body_paragraphs, known_year, latest)
    if published_date is None and dateline_date is not None:
        published_date, date_source = dateline_date, "dateline"
    if published_date is None:
        published_date, date_source = text_date, "text" if text_date else "none"
    body = "\n\n".join(body_paragraphs)
    if _ADDRESS.search(body) and not any(
        character.isalnum() for character in _ADDRESS.sub("", body)
    ):
        # A feed's item that gives only its link: no article's text to publish.
        raise _Rejected("no_body_found", "only web or e-mail addresses")
    if len(body) > MAX_BODY_CHARS:
        raise _Rejected(
            "too_large", f"a body of {len(body)} characters; the limit is {MAX_BODY_CHARS}"
        )
    return Article(
        article_id=article_id(document.source_uri, document.content),
        source_uri=document.source_uri,
        source_name=source_name,
        title=title,
        byline=byline,
        dateline=dateline,
        published_date=published_date,
        date_source=date_source,
        language=metadata.detect_language(title, body),
        body=body,
        raw_length=len(document.content),
    )
