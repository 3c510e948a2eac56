"""Article metadata as a reader finds it: the on-page headline, the byline and the date printed
around it (page dumps and HTML), never a teaser's, a sidebar's or a comment's."""

from __future__ import annotations

from datetime import date

import pytest

from tasks.clean import clean, metadata
from tasks.records import Article, RawDocument

TODAY = date(2026, 1, 1)
STORY = [
    "The harbour board voted on Tuesday to rebuild the old pier before the winter storms, "
    "after a year in which the damaged structure kept most of the fishing boats away.",
    "Work will start next month and should take about six weeks, the board's chair said at "
    "the end of a meeting that ran late into the evening and drew a large crowd.",
    "Fishermen welcomed the decision, saying the damaged pier had cost them a season of "
    "catches and forced them to land their boats at the next town along the coast.",
    "The council will pay for most of the repairs from its reserve fund this year, and the "
    "rest will come from a grant that the regional government promised in the spring.",
    "Engineers had warned in the spring that the pier's wooden piles were rotting and that "
    "a strong storm could bring down the whole of its seaward end without warning.",
    "The board will meet again in the new year to choose a builder from the four firms that "
    "have sent in offers, and it has promised to publish all of them before it votes.",
]
MENU = ["Home", "News", "Sport", "Weather", "Opinion"]
FOOTER = [
    "Most read",
    "Council closes the old library",
    "Jane Roe",
    "3 March 2019",
    "Comments",
    "Posted by Sam Reed on 4 March 2019",
    "Copyright 2024 Coast Gazette. All rights reserved.",
]


def _dump(*header: str, title: str = "Harbour board rebuilds the old pier | Coast Gazette") -> str:
    return "\n".join([title, *MENU, *header, *STORY, *FOOTER])


def _clean_one(document: RawDocument) -> Article:
    articles, quarantined = clean([document])
    assert not quarantined, quarantined
    (article,) = articles
    return article


def _page(*header: str, title: str = "Harbour board rebuilds the old pier | Coast Gazette"):
    return _clean_one(RawDocument("dump.txt", "txt", _dump(*header, title=title), None))


def test_headline_byline_and_date_are_read_around_the_headline():
    article = _page(
        "Harbour board rebuilds the old pier",
        "The pier has been closed since the spring floods",
        "Author of the article:",
        "By Ann Lee and AP",
        "Published Jun 05, 2024",
    )
    assert article.title == "Harbour board rebuilds the old pier"
    assert article.byline == "Ann Lee; AP"
    assert (article.published_date, article.date_source) == (date(2024, 6, 5), "text")


def test_reworded_headline_on_the_page_is_the_title_not_the_seo_title():
    article = _page(
        "Old pier to be rebuilt by the harbour board",
        "Ann Lee",
        "12 May 2024",
        title="Harbour board to rebuild the old pier - Coast Gazette",
    )
    assert article.title == "Old pier to be rebuilt by the harbour board"
    assert article.byline == "Ann Lee"
    assert article.published_date == date(2024, 5, 12)


@pytest.mark.parametrize(
    ("header", "headline"),
    [
        # The page sets the <title>'s kicker apart with a dash: the headline is what follows.
        (["Harbour - Board rebuilds the old pier", "Ann Lee"], "Board rebuilds the old pier"),
        # Printed twice, a hidden heading as the <title> writes it, then the one shown.
        (
            ["Harbour: Board rebuilds the old pier", "Harbour – Board rebuilds the old pier"],
            "Board rebuilds the old pier",
        ),
        # Printed as the <title> writes it, the kicker is part of the headline.
        (
            ["Harbour: Board rebuilds the old pier", "Ann Lee"],
            "Harbour: Board rebuilds the old pier",
        ),
    ],
)
def test_kicker_set_apart_by_a_dash_is_not_the_headline(header: list[str], headline: str):
    title = "Harbour: Board rebuilds the old pier | Coast Gazette"
    article = _page(*header, "12 May 2024", title=title)
    assert article.title == headline


@pytest.mark.parametrize(
    ("header", "title", "headline"),
    [
        # The breadcrumb trail ends with the page's <title>: the headline shown is under it.
        (
            ["Home | News |", "Harbour board rebuilds the old pier", "Pier rebuilt by winter"],
            "Harbour board rebuilds the old pier | Coast Gazette",
            "Pier rebuilt by winter",
        ),
        # A trail from the home page ends with the <title> too, on the next line: the same.
        (
            ["StartseiteLokales", "Harbour board rebuilds the old pier", "Pier rebuilt by winter"],
            "Harbour board rebuilds the old pier | Coast Gazette",
            "Pier rebuilt by winter",
        ),
        # A trail that already holds the <title>: the copy under it is the headline shown, and so
        # is a copy under a kicker that only looks like a trail, over the byline.
        (
            ["Home NewsHarbour board rebuilds the old pier", "Harbour board rebuilds the old pier"],
            "Harbour board rebuilds the old pier | Coast Gazette",
            "Harbour board rebuilds the old pier",
        ),
        (
            ["Home Office", "Harbour board rebuilds the old pier"],
            "Harbour board rebuilds the old pier | Coast Gazette",
            "Harbour board rebuilds the old pier",
        ),
        # A kicker that reads like a trail ("Home Secretary") over the only copy of the <title>
        # leaves it the headline shown; under a trail set apart by a separator it is not.
        (
            ["Home Secretary", "Harbour board rebuilds the old pier", "Pier rebuilt by winter"],
            "Harbour board rebuilds the old pier | Coast Gazette",
            "Harbour board rebuilds the old pier",
        ),
        (
            ["Accueil > Monde", "Harbour board rebuilds the old pier", "Pier rebuilt by winter"],
            "Harbour board rebuilds the old pier | Coast Gazette",
            "Pier rebuilt by winter",
        ),
        # The standfirst repeats more of the <title>'s words than the headline over it.
        (
            ["Board to rebuild old pier", "Harbour board will rebuild the old pier before winter"],
            "Harbour board to rebuild the old pier before winter - Coast Gazette",
            "Board to rebuild old pier",
        ),
        # A sentence is not the headline, however like the <title>; nor is a picture's caption.
        (
            [
                "Fishermen cheer on the quay: – At last",
                "CHEERS: Boats at the quay. Photo: Ben Roy (Coast Gazette)",
                "The harbour board rebuilds the old pier before the winter storms.",
            ],
            "Coast Gazette | Harbour board rebuilds the old pier before winter",
            "Fishermen cheer on the quay: – At last",
        ),
    ],
)
def test_headline_is_the_one_shown_not_its_copy_standfirst_or_caption(
    header: list[str], title: str, headline: str
):
    article = _page(*header, "Ann Lee", "12 May 2024", title=title)
    assert article.title == headline
    assert article.byline == "Ann Lee"


def test_headline_over_the_standfirst_where_nothing_echoes_the_title_or_dates_it():
    article = _page(
        "Pier repairs",
        "Harbour board rebuilds the old pier",
        "Work starts next month, and the pier should reopen before the winter storms arrive.",
        title="Weekend reading: what changes for the fishing fleet",
    )
    assert article.title == "Harbour board rebuilds the old pier"


def test_byline_under_a_headline_that_ends_with_a_quote_stays_apart():
    # "di ..." in lower case would read as the headline's sentence going on after a page break.
    article = _page(
        "Il porto ricostruirà il vecchio molo prima delle tempeste: «Finalmente»",
        "di Anna Leone",
        "12 maggio 2024",
        title="Il porto ricostruirà il vecchio molo prima delle tempeste | Gazzetta",
    )
    assert article.title.endswith("prima delle tempeste: «Finalmente»")
    assert article.byline == "Anna Leone"


@pytest.mark.parametrize(
    ("credits", "byline"),
    [
        (["Von Ann Lee, Berlin", "12.05.2024"], "Ann Lee"),  # a place after the name
        (["Ann Lee Political Correspondent", "12 May 2024"], "Ann Lee"),  # a job title
        (["Ann Lee", "Reporter", "12 May 2024"], "Ann Lee"),  # the title on its own line
        (["Ann Lee, 12.05.2024 10:00 Uhr"], "Ann Lee"),  # the name on the date line
        (["by Ann Lee May 12, 2024 1:15 pm"], "Ann Lee"),  # name and date on one line
        (["by Ann WalkerMay 12, 2024"], "Ann Walker"),  # glued by the dump
        (["By", "Ann Lee,", "Ben Roy &", "Cy Dunn", "12 May 2024"], "Ann Lee; Ben Roy; Cy Dunn"),
        (["Author: Ann Lee", "12 May 2024"], "Ann Lee"),  # a label where "By" would be
    ],
)
def test_byline_grammar(credits: list[str], byline: str):
    article = _page("Harbour board rebuilds the old pier", *credits)
    assert article.byline == byline
    assert article.published_date == date(2024, 5, 12)


@pytest.mark.parametrize(
    ("credits", "byline"),
    [
        (["AFP", "12.05.2024 | 17:52 Uhr"], "AFP"),  # a wire service beside the date
        (["Reuters, Ann Lee", "12 May 2024"], "Reuters; Ann Lee"),
        (["Von dpa 12.05.2024, 18:58"], "dpa"),  # written small
        (
            ["By", "Ann WalkerNews Reporter", "Ben HartNews Reporter", "Cy Dunn", "12 May 2024"],
            "Ann Walker; Ben Hart; Cy Dunn",
        ),  # co-authors one a line, with their job titles
        (
            [
                "Ann Lee – Journalist",
                "Ben Roy – Journalist in Paris Journalist in Paris",
                "12 May 2024",
            ],
            "Ann Lee; Ben Roy",
        ),
        # Names in a row with nothing between: a new one starts at a first name.
        (
            ["Ann Baker Ben Walsh Mary Ann Dunn", "12 May 2024"],
            "Ann Baker; Ben Walsh; Mary Ann Dunn",
        ),
        (["12 May 2024", "Ann Lee@annlee"], "Ann Lee"),  # a social handle
        (["12 May 2024", "Ann Lee 2 minutes read"], "Ann Lee"),  # a reading time
        (["12 May 2024", "大渡 美咲"], "大渡 美咲"),  # a Japanese name beside the date
        (["Андрей Колесников", "12.05.2024"], "Андрей Колесников"),  # Cyrillic
    ],
)
def test_byline_beside_the_date_line(credits: list[str], byline: str):
    article = _page("Harbour board rebuilds the old pier", *credits)
    assert article.byline == byline


@pytest.mark.parametrize(
    ("header", "byline"),
    [
        # A person's name alone under the standfirst, the share bar and a picture's credit.
        (["The pier has been closed since the spring floods.", "Share", "Ann Lee"], "Ann Lee"),
        (["Foto: Reuters/Ben Roy", "Ann Lee", "Listen"], "Ann Lee"),
        (["松岡大地", "国際"], "松岡大地"),  # a Japanese name right under the headline
        # The site's own name is the desk's byline only where the page names no one else.
        (["by Coast Gazette", "Share", "Ann Lee/Ben Roy"], "Ann Lee; Ben Roy"),
        (["by Coast Gazette", "Share"], "Coast Gazette"),
        # Not a byline: a caption's subject, a list of tags, two words of furniture.
        (["Ann Lee", "Photo: Reuters"], None),
        (["Ann Lee", "Ben Roy", "Cy Dunn"], None),
        (["Share Close", "Key Points"], None),
    ],
)
def test_name_alone_under_the_headline(header: list[str], byline: str | None):
    article = _page("Harbour board rebuilds the old pier", *header)
    assert article.byline == byline


@pytest.mark.parametrize("separator", [" | ", " - ", " – ", " :: ", " › "])
def test_site_name_after_any_separator_of_the_title_is_no_byline(separator: str):
    title = f"Harbour board rebuilds the old pier{separator}Coast Gazette"
    headline = "Harbour board rebuilds the old pier"
    article = _page(headline, "by Coast Gazette", "Ann Lee", title=title)
    assert article.title == headline
    assert article.byline == "Ann Lee"


def test_labelled_credit_after_the_story_when_the_top_names_no_one():
    text = "\n".join(
        [
            "Harbour board rebuilds the old pier | Coast Gazette",
            *MENU,
            "Harbour board rebuilds the old pier",
            *STORY,
            "(责编：牛镛、岳弘彬)",
            *FOOTER,
        ]
    )
    article = _clean_one(RawDocument("dump.txt", "txt", text, None))
    assert article.byline == "牛镛; 岳弘彬"


def test_sidebar_teaser_and_comment_give_no_byline_and_no_date():
    article = _page("Harbour board rebuilds the old pier", "Share this article")
    # "Jane Roe" / "3 March 2019" (a teaser) and the comment's "Posted by" are far below.
    assert article.byline is None
    assert article.published_date is None


@pytest.mark.parametrize(
    "line", ["Author Profile", "Author Page", "Author Tom Clancy Dies at 66", "Author Of The Month"]
)
def test_author_without_its_colon_introduces_no_byline(line: str):
    # "Author:" is a byline's label; a page's link or a headline that starts with the word is not.
    assert metadata.find_byline(line) is None


def test_labels_and_section_names_are_no_byline():
    for line in (
        "Published Fri",
        "In Local News",
        "Source: AFP",
        "Autor der Studie ist Ann Lee",
    ):
        article = _page("Harbour board rebuilds the old pier", line, "12 May 2024")
        assert article.byline is None, line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Publié le 14 février 2022 à 09h05", date(2022, 2, 14)),
        ("Bruselas - 2 de diciembre de 2024 - 08:22", date(2024, 12, 2)),
        ("15.10.24 23:35", date(2024, 10, 15)),
        ("06. 01. 2025, 14:59 Uhr", date(2025, 1, 6)),
        ("2025年1月13日 21時37分", date(2025, 1, 13)),
        ("07/07/2024 KL. 16:30", date(2024, 7, 7)),  # day and month cannot be swapped
        ("Published Tue, Mar 14 20237:41 PM EDT", date(2023, 3, 14)),  # glued to the time
        ("Opinion2024.03.31 19:59", date(2024, 3, 31)),  # year first, with dots
        ("03/04/2024", None),  # 3 April or 4 March: not guessed
        ("12 May 2027", None),  # in the future
    ],
)
def test_dates_in_many_languages_and_forms(line: str, expected: date | None):
    found = metadata.dates_in(line, TODAY)
    assert (found[0] if found else None) == expected


def _html(head: str, body: str) -> str:
    story = "".join(f"<p>{paragraph}</p>" for paragraph in STORY)
    return f"<html><head>{head}</head><body>{body}<article>{story}</article></body></html>"


def _html_article(head: str, body: str) -> Article:
    return _clean_one(RawDocument("page.html", "html", None, _html(head, body)))


def test_html_kicker_set_apart_in_the_h1_is_not_the_headline():
    head = '<meta property="og:title" content="Harbour board rebuilds the old pier">'
    article = _html_article(head, "<h1><span>Coast</span> Harbour board rebuilds the old pier</h1>")
    assert article.title == "Harbour board rebuilds the old pier"
    # A quote opening the headline is part of it, though og:title leaves it out.
    quoted = "<h1>'Finally': harbour board rebuilds the old pier</h1>"
    assert _html_article(head, quoted).title == "'Finally': harbour board rebuilds the old pier"


def test_html_byline_from_json_ld_where_the_meta_tags_name_no_one():
    json_ld = (
        '<script type="application/ld+json">{"headline": "Pier", "@type": "NewsArticle",'
        ' "author": {"@type": "Organization", "name": "Coast Gazette Desk"}}</script>'
    )
    article = _html_article(json_ld, "<h1>Harbour board rebuilds the old pier</h1>")
    assert article.byline == "Coast Gazette Desk"


def test_html_byline_printed_under_the_headline_beats_the_site_name():
    head = (
        '<meta name="author" content="Coast Gazette">'
        '<meta property="og:site_name" content="Coast Gazette">'
    )
    body = (
        "<h1>Harbour board rebuilds the old pier</h1>"
        "<div class='byline'>By Ann Lee</div><time>12 May 2024</time>"
    )
    assert _html_article(head, body).byline == "Ann Lee"


def test_html_author_named_twice_is_one_author():
    assert metadata.html_byline("Ann Lee; Ann-Lee", None, "", None, TODAY) == "Ann Lee"
