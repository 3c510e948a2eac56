"""CLEAN step on HTML pages: what the page's markup says is not the story leaves the body."""

from __future__ import annotations

import json

from trafilatura.utils import load_html

from tasks.clean import clean
from tasks.clean.html import _PageFurniture
from tasks.records import RawDocument

HEADLINE = "Old river bridge reopens to traffic after two years of repairs and a long dispute"
STORY = [
    "The old river bridge reopened to cars and buses on Monday morning, two years after cracks "
    "in its main arch forced the county to close it at short notice.",
    "Engineers replaced the rusted steel under the deck and rebuilt both of the stone piers, "
    "work that cost more than twice what the county had first planned to spend.",
    "“We waited a long time, but the shop is busy again,” said a baker whose customers had to "
    "drive twenty minutes around the valley while the crossing was shut.",
    "The repairs were delayed by a dispute between the county and the first builder, which left "
    "the site empty for most of a year while lawyers argued over the contract.",
    "Lorries heavier than twelve tonnes will still have to use the ring road, and the county "
    "says it will check the arch every six months for the next five years.",
]


def _page(article: str, head: str = "") -> str:
    return (
        f"<html><head><title>{HEADLINE} | Valley News</title>"
        '<meta property="og:site_name" content="Valley News">'
        f"{head}</head><body>"
        '<nav><a href="/">Front page</a> <a href="/local">Local</a></nav>'
        f"<header><h1>{HEADLINE}</h1></header>"
        f"<article>{article}</article>"
        "<footer><p>Copyright 2024 Valley News.</p></footer></body></html>"
    )


def _body(page: str) -> list[str]:
    (article,), quarantined = clean([RawDocument("page.html", "html", None, page)])
    assert not quarantined
    return article.body.split("\n\n")


def _paragraphs(paragraphs: list[str]) -> str:
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def test_headline_with_its_kicker_above_the_story_is_not_in_the_body():
    page = _page(f"<h2>Transport: {HEADLINE}</h2>{_paragraphs(STORY)}")
    assert _body(page) == STORY


def test_body_ends_where_the_publishers_article_body_ends():
    box = (
        "<p>About this series</p>"
        "<p>This report is part of a series on how cities spend their money.</p>"
    )
    stated = {"@type": "NewsArticle", "headline": HEADLINE, "articleBody": " ".join(STORY)}
    ld = f'<script type="application/ld+json">{json.dumps(stated)}</script>'
    assert _body(_page(_paragraphs(STORY) + box, head=ld)) == STORY
    # Without the publisher's copy, the box reads as the story's end and stays.
    assert _body(_page(_paragraphs(STORY) + box))[-1].startswith("This report is part")


def test_captions_link_lists_and_closing_links_leave_the_body_and_linked_subheadings_stay():
    caption = "Cars cross the reopened bridge on Monday morning under a clear sky."
    teasers = [
        "Storm closes schools and roads across the north as rivers keep rising",
        "Prime minister faces new questions over the cost of the rail project",
    ]
    subheading = "What the reopening means for lorries"
    closing_link = "Residents ask for a second crossing further down the valley"
    tree = load_html(
        _page(
            _paragraphs(STORY[:2])
            + f'<figure><img src="a.jpg"><figcaption>{caption}</figcaption></figure>'
            + "<ul>"
            + "".join(f'<li><a href="/n/{i}">{teaser}</a></li>' for i, teaser in enumerate(teasers))
            + "</ul>"
            + _paragraphs(STORY[2:3])
            + f'<h2><a href="#roads">{subheading}</a></h2>'
            + _paragraphs(STORY[3:])
            + f'<p><a href="/x">{closing_link}</a></p>'
        )
    )
    # The body as trafilatura may give it on some pages: caption and links kept, in page order.
    text = "\n".join(
        [
            *STORY[:2],
            caption,
            *(f"- {teaser}" for teaser in teasers),
            STORY[2],
            subheading,
            *STORY[3:],
            closing_link,
        ]
    )
    kept = _PageFurniture.of(tree).removed_from(text).split("\n")
    assert kept == [*STORY[:3], subheading, *STORY[3:]]


def test_a_body_made_only_of_links_is_left_whole():
    links = ["Storm closes schools across the north", "Rail project costs rise again"]
    tree = load_html(
        _page("".join(f'<p><a href="/{i}">{link}</a></p>' for i, link in enumerate(links)))
    )
    assert _PageFurniture.of(tree).removed_from("\n".join(links)) == "\n".join(links)


def test_a_list_closing_the_story_stays_though_the_page_text_leaves_it_out():
    # Nearly a fifth of the body: more than a box of links or a notice below a story.
    items = [
        "Eight ripe pears, peeled and cored",
        "One lemon, or a quarter cup of its juice",
        "Six spoons of fruit pectin powder",
        "One spoon of ground cinnamon",
        "Two cups of honey",
    ]
    listed = "".join(f"<li>{item}</li>" for item in items)
    body = "\n".join(_body(_page(f"{_paragraphs(STORY)}<h2>What you need</h2><ul>{listed}</ul>")))
    assert all(item in body for item in items)
    assert body.startswith(STORY[0])


def test_a_feeds_html_fragment_of_one_paragraph_is_its_body():
    # RSS and API feeds carry an item's content as a fragment; one of one block (one <p> or
    # one <div>) is no page to trafilatura's loader, which once quarantined it (no_body_found).
    brief = "HELSINKI (Reuters) - Finland's parliament approved the border bill on Tuesday."
    fragments = [f"<p>{brief}</p>", f"<div class='story'><p>{brief}</p></div>"]
    documents = [
        RawDocument(f"feed.jsonl#{n}", "jsonl", text=None, html=html, metadata={"id": str(n)})
        for n, html in enumerate(fragments)
    ]
    articles, quarantined = clean(documents)
    assert quarantined == []
    assert [a.body for a in articles] == [brief, brief]
