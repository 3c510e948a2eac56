"""Body and metadata of an HTML page: trafilatura, checked against the text-level story
model, and the headline shown on the page.

trafilatura's default extraction keeps more than the story on some pages (a box of links, a
paywall notice, a product card). The page's whole text, read as a text dump, gives a second
opinion: where trafilatura's body and the dump's story disagree, trafilatura's precision mode
is run too and the body that agrees better with the dump's story is kept. The second run is
paid only on those pages (about one in nine of the benchmark pages). What the markup says is
no story text (links standing as a list or closing the body, figures' captions) leaves the
body, and its tail is trimmed to the publisher's own copy of the story (JSON-LD articleBody).
"""

from __future__ import annotations

import difflib
import html as html_module
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from tasks.clean.metadata import (
    AUTHOR_SEPARATOR,
    TITLE_PARTS,
    is_headline_length,
    letters_key,
    names_site,
    states_first_day,
)
from tasks.clean.repair import paragraphs
from tasks.clean.text_dump import SCORING, ends_sentence, is_boilerplate, line_scores, select_body

_SPACES = re.compile(r"\s+")
# "Magazine von Jane Doe": the name follows the word that introduces it.
_NAME_INTRODUCER = re.compile(r"^.*?\b(?:by|von|par|di|de|av|door)\s+(?=[A-Z])", re.IGNORECASE)
_LINK_WORD = re.compile(r"\b(?:https?|www)\b", re.IGNORECASE)
# A job title where a name should be: "Journalist", "Redakteurin".
_ROLE_WORD = re.compile(
    r"(?:journalist|reporter|editor|correspondent|writer|author|photographer|redakteur|"
    r"korrespondent|autor|fotograf|journalistin|redakteurin|korrespondentin|autorin)",
    re.IGNORECASE,
)
# A longer "name" is a description (an author's affiliation, a caption), not a name.
_MAX_AUTHOR_WORDS = 6
# Library-catalogue author tags, where names are written "Last, First".
_CATALOGUE_AUTHORS_XPATH = (
    "//meta[@name='dc.creator' or @name='DC.creator' or @name='citation_author']/@content"
)
_LAST_COMMA_FIRST = re.compile(r"^\s*([^,]+?),\s*([^,]+?)\s*$")
# Where a page states its publishing date for machines, in order of trust: the meta tags, an
# element marked datePublished (its content or datetime), then JSON-LD.
_PUBLISHED_XPATH = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished']/@content | //*[@itemprop='datePublished']/@datetime"
)
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"(\d{4}-\d{2}-\d{2})')
_ISO_DAY = re.compile(r"\s*(\d{4}-\d{2}-\d{2})")
# An <h1> this close to the page's SEO title is that title as the page shows it.
_MIN_TITLE_SIMILARITY = 0.6
# Elements that start a line of a page's text dump (as a browser's innerText does), and
# elements whose text is no reading matter.
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "option",
        "p",
        "pre",
        "section",
        "select",
        "summary",
        "table",
        "tbody",
        "td",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
# The page's description for machines, which is often its standfirst.
_DESCRIPTION_XPATH = (
    "//meta[@property='og:description']/@content | //meta[@name='description']/@content"
)
_UNREAD_TAGS = frozenset({"script", "style", "template", "svg", "math"})
# A list item as trafilatura writes it ("- Label"), which a link's text does not show.
_LIST_MARK = re.compile(r"^[-•*]\s+")
# Below this agreement (word 4-gram F1) between trafilatura's body and the dump's story, the
# two disagree and trafilatura's precision mode is asked too.
MIN_AGREEMENT = 0.8
# From this agreement on, the two agree on the story and trafilatura's last lines that the
# dump's story leaves out (a box of links, a bio, a notice) are dropped, unless they are more
# than MAX_TRIMMED_SHARE of its words (then the dump's story is the one cut short: a recipe's
# list, a show's details, a last section under its own subheading).
MIN_TRIM_AGREEMENT = 0.8
MAX_TRIMMED_SHARE = 0.15
_MIN_SENTENCE_WORDS = 4  # a closing sentence that stays, not a label ("Thanks.")
# A line is in the dump's story when at least half of its word trigrams are.
_MIN_SHARED_TRIGRAMS = 0.5
# A description shorter than this (letters) is a label, not a standfirst.
_MIN_STANDFIRST_LETTERS = 40
_SHINGLE = 4
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class HtmlExtract:
    """What trafilatura recovers from a page (body text, one paragraph a line, and metadata),
    with the headline taken from the page itself."""

    text: str
    title: str | None
    author: str | None
    date: str | None  # YYYY-MM-DD: the page's published date for machines, else htmldate's
    sitename: str | None


def extract_html(
    html: str,
    url: str | None = None,
    min_agreement: float = MIN_AGREEMENT,
    min_trim_agreement: float = MIN_TRIM_AGREEMENT,
    max_trimmed_share: float = MAX_TRIMMED_SHARE,
) -> HtmlExtract:
    """The page's main text and metadata; an empty text when trafilatura finds no article."""
    tree = load_html(html)
    if tree is None:
        # trafilatura takes markup that does not name <html> and parses to one element (a feed's
        # "<p>...</p>") for no HTML at all: read it as the body of a page.
        html = f"<html><body>{html}</body></html>"
        tree = load_html(html)
    if tree is None:
        return HtmlExtract(text="", title=None, author=None, date=None, sitename=None)
    headings = _headings(tree)
    published = published_day(tree)
    catalogue_authors = _catalogue_authors(tree)
    description = next(iter(tree.xpath(_DESCRIPTION_XPATH)), None)
    # Before trafilatura, which prunes the tree.
    furniture = _PageFurniture.of(tree)
    dump = paragraphs("\n".join(page_lines(tree)), fix_characters=False)
    story = "\n".join(select_body(dump).paragraphs)
    document = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    if document is None:
        return HtmlExtract(text="", title=None, author=None, date=None, sitename=None)
    sitename = document.sitename or None
    headline = page_headline(headings, document.title, sitename)
    text = _body_text(document.text or "", headline, headings)
    agreement = _agreement(text, story)
    if agreement < min_agreement:
        precise = _precise_body(html, url, headline, headings)
        if precise and _agreement(precise, story) > agreement:
            text, agreement = precise, _agreement(precise, story)
    if agreement >= min_trim_agreement:
        text = _trimmed_to_story(text, story, max_trimmed_share)
    # The publisher's own copy of the story, where the page gives one, ends where it ends too.
    if furniture.article_body and _agreement(text, furniture.article_body) >= min_trim_agreement:
        text = _trimmed_to_story(text, furniture.article_body, max_trimmed_share)
    text = furniture.removed_from(text)
    text = _with_standfirst(text, dump, description)
    return HtmlExtract(
        text=text,
        title=headline,
        author=catalogue_authors or authors_without_site(document.author, sitename),
        date=published or _stated_day(document.date, html),
        sitename=sitename,
    )


@dataclass(frozen=True)
class _PageFurniture:
    """What the page marks as no part of its story's text, read before trafilatura prunes the
    tree: the texts of its links and of its figures (captions, credits), and the story as the
    publisher states it for machines (schema.org articleBody in JSON-LD)."""

    link_keys: frozenset[str]
    figure_keys: frozenset[str]
    article_body: str

    @classmethod
    def of(cls, tree: HtmlElement) -> _PageFurniture:
        return cls(
            link_keys=frozenset(_text_keys(tree.iter("a"))),
            figure_keys=frozenset(
                _text_keys(e for figure in tree.iter("figure", "figcaption") for e in figure.iter())
            ),
            article_body=_article_body(tree),
        )

    def removed_from(self, text: str) -> str:
        """The body without captions and without links to other pages where they stand as a
        list (two or more lines that are each a link) or close the body; a single link line
        inside the story is a linked subheading and stays."""
        lines = [line for line in text.split("\n") if letters_key(line) not in self.figure_keys]
        is_link = [letters_key(_LIST_MARK.sub("", line)) in self.link_keys for line in lines]
        dropped: set[int] = set()
        start = 0
        while start < len(lines):
            end = start
            while end < len(lines) and is_link[end]:
                end += 1
            if end - start >= 2 or (end == len(lines) and end > start):
                dropped.update(range(start, end))
            start = end + 1
        kept = [line for index, line in enumerate(lines) if index not in dropped]
        return "\n".join(kept) if kept else text


def _text_keys(elements: Iterable[HtmlElement]) -> Iterator[str]:
    for element in elements:
        if isinstance(element.tag, str) and (key := letters_key("".join(element.itertext()))):
            yield key


def _article_body(tree: HtmlElement) -> str:
    """The longest schema.org articleBody in the page's JSON-LD, or ""."""
    bodies = []
    for script in tree.iter("script"):
        if script.get("type") != "application/ld+json" or "articleBody" not in (script.text or ""):
            continue
        try:
            stack = [json.loads(script.text)]
        except ValueError:
            continue
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if isinstance(body := node.get("articleBody"), str):
                    bodies.append(html_module.unescape(body))
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    return max(bodies, key=len, default="")


def _with_standfirst(text: str, dump: list[str], description: str | None) -> str:
    """trafilatura's body with the standfirst above it, which it often leaves out: the page's
    description for machines, where the page also shows it above the story."""
    key = letters_key(description or "")
    lines = text.split("\n")
    if len(key) < _MIN_STANDFIRST_LETTERS or key in letters_key(text):
        return text
    first = letters_key(lines[0])
    for line in dump[1:]:
        line_key = letters_key(line)
        if line_key == first:
            break
        if line_key == key:
            return "\n".join([line, *lines])
    return text


def _trimmed_to_story(text: str, story: str, max_trimmed_share: float) -> str:
    """trafilatura's body without its last lines that the dump's story leaves out."""
    story_trigrams = set(_trigrams(story))
    lines = text.split("\n")
    last = next(
        (
            index
            for index in range(len(lines) - 1, -1, -1)
            if (trigrams := _trigrams(lines[index]))
            and sum(map(story_trigrams.__contains__, trigrams))
            >= _MIN_SHARED_TRIGRAMS * len(trigrams)
        ),
        None,
    )
    if last is None:
        return text
    # A story often ends on a short sentence that the dump's scoring leaves out ("The
    # delegation will report back next week."): sentences that are no page furniture stay.
    while last + 1 < len(lines) and _is_closing_sentence(lines[last + 1]):
        last += 1
    kept = "\n".join(lines[: last + 1])
    if len(_WORD.findall(kept)) < (1 - max_trimmed_share) * len(_WORD.findall(text)):
        return text
    return kept


def _is_closing_sentence(line: str) -> bool:
    return (
        len(_WORD.findall(line)) >= _MIN_SENTENCE_WORDS
        and ends_sentence(line)
        and not is_boilerplate(line)
    )


def _trigrams(text: str) -> list[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return [tuple(words[index : index + 3]) for index in range(max(1, len(words) - 2))]


def _precise_body(html: str, url: str | None, headline: str | None, headings: list[str]) -> str:
    """trafilatura's body in its precision mode (on a fresh tree: the first run pruned it)."""
    tree = load_html(html)
    document = trafilatura.bare_extraction(
        tree, url=url, favor_precision=True, include_comments=False, include_tables=True
    )
    return _body_text(document.text or "", headline, headings) if document is not None else ""


def _body_text(text: str, headline: str | None, headings: list[str]) -> str:
    """trafilatura's body without what opens it above the story: the page's headline (which
    trafilatura keeps when it sits in the article's element) and furniture lines (a date, a
    byline, a share bar), as the text-level model scores them."""
    lines = paragraphs(text, fix_characters=False)  # the clean step fixes the body's
    if lines and _is_headline_line(lines[0], [*headings, headline or ""]):
        lines = lines[1:]
    scores, asides = line_scores(lines)
    start = next(
        (index for index, score in enumerate(scores) if score >= SCORING.block_line_floor),
        len(lines),
    )
    return "\n".join(line for index, line in enumerate(lines[start:], start) if index not in asides)


def _is_headline_line(line: str, headlines: list[str]) -> bool:
    """Whether the line is one of the page's headlines as it stands above the story: its
    words, with a kicker before them ("Kicker: Headline") or without the kicker that the
    headline has; a kicker is no longer than its headline (a longer line ending on the
    headline's words is a lead)."""
    key = letters_key(line)
    return any(
        (key.endswith(headline) and len(key) <= 2 * len(headline))
        or (key and headline.endswith(key) and 2 * len(key) >= len(headline))
        for headline in filter(None, map(letters_key, headlines))
    )


def _agreement(first: str, second: str) -> float:
    """F1 of the two texts' multisets of word 4-grams: 1 for the same words in the same order."""
    first_shingles, second_shingles = _shingles(first), _shingles(second)
    common = sum((first_shingles & second_shingles).values())
    total = sum(first_shingles.values()) + sum(second_shingles.values())
    return 2 * common / total if total else 1.0


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    words = _WORD.findall(text)
    return Counter(
        tuple(words[index : index + _SHINGLE]) for index in range(max(1, len(words) - _SHINGLE + 1))
    )


def page_lines(tree: HtmlElement) -> list[str]:
    """The page's whole text as a dump: its <title> first, a line per block element, spaces
    collapsed, no empty line; scripts, styles and comments left out."""
    pieces: list[str] = []
    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walker:
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if event == "start":
            if tag is None or tag in _UNREAD_TAGS:
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS:
                pieces.append("\n")
            pieces.append(_SPACES.sub(" ", element.text or ""))
        else:
            if tag in _BLOCK_TAGS:
                pieces.append("\n")
            if element is not tree:
                pieces.append(_SPACES.sub(" ", element.tail or ""))
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(pieces).split("\n"))
    return [line for line in lines if line]


def _stated_day(found: str | None, html: str) -> str | None:
    """htmldate's date (YYYY-MM-DD), unless it is the first of a month the page never states:
    a year alone or a month and year ("chief executive since 1999", a feed's fragment citing
    "2004") gives the first day, an invented date."""
    if not found:
        return None
    day = date.fromisoformat(found)
    return found if day.day != 1 or states_first_day(html, day) else None


def published_day(tree: HtmlElement) -> str | None:
    """The publishing day (YYYY-MM-DD) that the page states in its metadata, or None."""
    for value in tree.xpath(_PUBLISHED_XPATH):
        match = _ISO_DAY.match(value)
        if match:
            return match.group(1)
    for script in tree.iter("script"):
        if script.get("type") == "application/ld+json" and script.text:
            match = _JSON_LD_PUBLISHED.search(script.text)
            if match:
                return match.group(1)
    return None


def _catalogue_authors(tree: HtmlElement) -> str | None:
    """The names of dc.creator / citation_author tags written "Last, First", as "First Last"
    (trafilatura splits them at the comma into two names)."""
    matches = [_LAST_COMMA_FIRST.match(value) for value in tree.xpath(_CATALOGUE_AUTHORS_XPATH)]
    if not matches or not all(matches):
        return None
    names = dict.fromkeys(f"{match.group(2)} {match.group(1)}" for match in matches)
    return AUTHOR_SEPARATOR.join(names)


def authors_without_site(author: str | None, sitename: str | None) -> str | None:
    """trafilatura's author names without what is no byline: links, job titles, descriptions,
    and the site's own name (or its initials, or its domain) beside a named author; alone, the
    site's name is the byline of its desk."""
    if not author:
        return None
    names = []
    for name in author.split(AUTHOR_SEPARATOR):
        name = _NAME_INTRODUCER.sub("", name).strip()
        if (
            name
            and not _LINK_WORD.search(name)
            and not _ROLE_WORD.fullmatch(name)
            and len(name.split()) <= _MAX_AUTHOR_WORDS
        ):
            names.append(name)
    named = [name for name in names if not (sitename and names_site(name, sitename))]
    return AUTHOR_SEPARATOR.join(named or names) or None


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
        if is_headline_length(heading) and heading != sitename:
            return heading
    return strip_site_name(seo_title, sitename) if seo_title else None


def strip_site_name(title: str, sitename: str | None) -> str:
    """A <title> without the site's name at either end ("Headline - Site", "Site | Headline")."""
    title = title.strip()
    separators = list(TITLE_PARTS.finditer(title))
    if sitename and separators:
        last, first = title[separators[-1].end() :], title[: separators[0].start()]
        if _similarity(last, sitename) >= _MIN_TITLE_SIMILARITY:
            return title[: separators[-1].start()]
        if _similarity(first, sitename) >= _MIN_TITLE_SIMILARITY:
            return title[separators[0].end() :]
    return title


def _similarity(first: str, second: str) -> float:
    return difflib.SequenceMatcher(None, first.casefold(), second.casefold()).ratio()
