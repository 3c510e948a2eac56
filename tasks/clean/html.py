"""Body and metadata of an HTML page: trafilatura, and the headline shown on the page."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

_SPACES = re.compile(r"\s+")
# Where a page's <title> joins the headline and the site's name or a date: "Headline | Site".
_TITLE_PARTS = re.compile(r"\s+[|\-–—*·•/]\s+|\s*[|｜：]\s*")
# Scripts written without spaces: a headline there is measured in characters, not words.
_UNSPACED_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_MIN_HEADLINE_WORDS = 3
_MIN_UNSPACED_HEADLINE_CHARS = 8
# An <h1> this close to the page's SEO title is that title as the page shows it.
_MIN_TITLE_SIMILARITY = 0.6


@dataclass(frozen=True)
class HtmlExtract:
    """What trafilatura recovers from a page (body text, one paragraph a line, and metadata),
    with the headline taken from the page itself."""

    text: str
    title: str | None
    author: str | None
    date: str | None  # YYYY-MM-DD as trafilatura's htmldate finds it
    sitename: str | None


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    """The page's main text and metadata; an empty text when trafilatura finds no article."""
    tree = load_html(html)
    if tree is None:
        return HtmlExtract(text="", title=None, author=None, date=None, sitename=None)
    headings = _headings(tree)
    document = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    if document is None:
        return HtmlExtract(text="", title=None, author=None, date=None, sitename=None)
    sitename = document.sitename or None
    return HtmlExtract(
        text=document.text or "",
        title=page_headline(headings, document.title, sitename),
        author=document.author or None,
        date=document.date or None,
        sitename=sitename,
    )


def _headings(tree: HtmlElement) -> list[str]:
    """The text of each <h1> outside breadcrumbs, in page order (before trafilatura prunes
    the tree)."""
    return [
        text
        for text in (_element_text(h1) for h1 in tree.iter("h1") if not _in_breadcrumb(h1))
        if text
    ]


def _in_breadcrumb(element: HtmlElement) -> bool:
    """Whether the element is an item of a breadcrumb trail (the page's place, not its story)."""
    if element.find(".//meta[@itemprop='item']") is not None:
        return True
    for node in (element, *element.iterancestors()):
        marks = f"{node.get('class', '')} {node.get('id', '')} {node.get('itemtype', '')}"
        if "breadcrumb" in marks.lower():
            return True
    return False


def _element_text(element: HtmlElement) -> str:
    """An element's text with spaces collapsed; a kicker ending in a colon stays apart from
    the words after it ("<span>Kicker:</span>Headline")."""
    text = ""
    for piece in element.itertext():
        if text[-1:] == ":" and piece[:1].isalnum():
            text += " "
        text += piece
    return _SPACES.sub(" ", text).strip()


def page_headline(headings: list[str], seo_title: str | None, sitename: str | None) -> str | None:
    """The headline shown on the page: the <h1> that the SEO title repeats, else the first <h1>
    long enough to be a headline, else the SEO title without the site's name."""
    if seo_title:
        seo_headline = strip_site_name(seo_title, sitename)
        similarity = {h: _similarity(h, seo_headline) for h in headings}
        best = max(headings, key=similarity.__getitem__, default=None)
        if best is not None and similarity[best] >= _MIN_TITLE_SIMILARITY:
            return best
    for heading in headings:
        if _is_headline_length(heading) and heading != sitename:
            return heading
    return strip_site_name(seo_title, sitename) if seo_title else None


def strip_site_name(title: str, sitename: str | None) -> str:
    """A <title> without the site's name at either end ("Headline - Site", "Site | Headline")."""
    parts = _TITLE_PARTS.split(title.strip())
    if sitename and len(parts) > 1:
        if _similarity(parts[-1], sitename) >= _MIN_TITLE_SIMILARITY:
            return title[: title.rindex(parts[-1])].rstrip(" |-–—*·•/｜：")
        if _similarity(parts[0], sitename) >= _MIN_TITLE_SIMILARITY:
            return title[title.index(parts[1]) :].strip()
    return title.strip()


def _is_headline_length(text: str) -> bool:
    if len(_UNSPACED_CHAR.findall(text)) >= _MIN_UNSPACED_HEADLINE_CHARS:
        return True
    return len(text.split()) >= _MIN_HEADLINE_WORDS


def _similarity(first: str, second: str) -> float:
    return difflib.SequenceMatcher(None, first.casefold(), second.casefold()).ratio()
