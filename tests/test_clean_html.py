"""CLEAN step on HTML pages: what the page's markup says is not the story leaves the body."""

from __future__ import annotations

import json

from trafilatura.utils import load_html

from tasks.clean import clean
from tasks.clean.html import _PageFurniture
from tasks.records import RawDocument

HEADLINE = "Council passes budget with forty new teachers and a rise in the property tax"
STORY = [
    "The city council approved the new budget on Tuesday after a long debate about schools, "
    "roads and the cost of running the buses that carry children across the city every day.",
    "Council members said the plan would add forty teachers and repair buildings across the "
    "city over the next three years, paid for by a small rise in the property tax.",
    "“This is a budget for our children,” the mayor said after the vote, thanking the residents "
    "who had come to the meeting to speak for and against the plan.",
    "Opponents said the tax rise would hurt small businesses that are still recovering from a "
    "difficult year, and they promised to raise the issue again in the spring.",
    "The budget also sets aside money for a new library in the east of the city, which has "
    "waited more than a decade for one, and for longer opening hours at the pools.",
]


def _page(article: str, head: str = "") -> str:
    return (
        f"<html><head><title>{HEADLINE} | City Times</title>"
        '<meta property="og:site_name" content="City Times">'
        f"{head}</head><body>"
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<header><h1>{HEADLINE}</h1></header>"
        f"<article>{article}</article>"
        "<footer><p>Copyright 2024 City Times.</p></footer></body></html>"
    )


def _body(page: str) -> list[str]:
    (article,), quarantined = clean([RawDocument("page.html", "html", None, page)])
    assert not quarantined
    return article.body.split("\n\n")


def _paragraphs(paragraphs: list[str]) -> str:
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def test_headline_with_its_kicker_above_the_story_is_not_in_the_body():
    page = _page(f"<h2>City finances: {HEADLINE}</h2>{_paragraphs(STORY)}")
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
    caption = "The mayor speaks to residents before the vote on Tuesday evening in the hall."
    teasers = [
        "Storm closes schools and roads across the north as rivers keep rising",
        "Prime minister faces new questions over the cost of the rail project",
    ]
    subheading = "What the plan means for the roads"
    closing_link = "Opponents of the budget plan to march on the city hall next week"
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
    # About a sixth of the body: more than a box of links or a notice below a story.
    items = [
        "Eight ripe pears, peeled and cored",
        "One lemon, or a quarter cup of its juice",
        "Six spoons of fruit pectin powder",
        "One spoon of ground cinnamon",
        "Two cups of honey",
        "One spoon of nutmeg",
    ]
    listed = "".join(f"<li>{item}</li>" for item in items)
    body = "\n".join(_body(_page(f"{_paragraphs(STORY)}<h2>What you need</h2><ul>{listed}</ul>")))
    assert all(item in body for item in items)
    assert body.startswith(STORY[0])
