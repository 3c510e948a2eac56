"""CLEAN step: the seeds' must-keep and must-drop lines, repairs, dates and metadata, quarantine."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from conftest import SEEDS
from trafilatura.utils import load_html

from schemas.tables import latest_date
from tasks.clean import clean
from tasks.clean.html import page_lines
from tasks.clean.metadata import dateline_length
from tasks.ingest import read_inputs
from tasks.records import Article, RawDocument


def _seed_text(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _clean_one(document: RawDocument) -> Article:
    articles, quarantined = clean([document])
    assert not quarantined, quarantined
    (article,) = articles
    return article


def _text(text: str, metadata: dict[str, str] | None = None) -> Article:
    return _clean_one(RawDocument("test.txt", "txt", text, None, metadata or {}))


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    documents = [
        RawDocument(path.name, "txt", path.read_text(encoding="utf-8"), None)
        for path in sorted(SEEDS.glob("*.txt"))
    ]
    articles, quarantined = clean(documents)
    assert not quarantined
    return {article.source_uri[:3]: article for article in articles}


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("seed", "must_keep"),
    [
        ("000", "has been dispatched to Taiwan and stationed within an organization"),
        ("000", "NHK World-Japan is the international service of Japan's public media"),
        ("000", "the country's Defence Ministry said."),
        ("001", "Japan has appointed a serving government official to act as its de facto"),
        ("001", "“China urges the Japanese side to draw lessons from history"),
        ("001", "Beijing said the remark was harmful to “the political foundation"),
        ("002", "Highlighting Tokyo's nervousness about Beijing's reaction"),
        ("003", "Japanese media in June reported that Tokyo plans to station"),
        ("003", "In the meantime, Tokyo will continue to expand unofficial relations"),
        ("004", "The ruling parties in Japan and Taiwan will hold their first bilateral"),
        ("004", "“China firmly opposes all forms of official exchanges"),
    ],
)
def test_seed_story_sentences_are_kept(seeds, seed, must_keep):
    assert must_keep in _flat(seeds[seed].body)


# Where each seed's story starts and ends (line prefixes), and the furniture inside it.
STORY_SPANS = {
    "000": (" date 2023-09-13", "This came hours after"),
    "001": ("Japan has appointed", "At a forum there"),
    "002": (" date 2023-09-12", "At a forum there"),
    "003": ("Japanese media in June", "In short, whether Tokyo"),
    "004": ("The ruling parties", "Chinese Foreign Ministry spokesperson"),
}
FURNITURE_IN_STORY = ("msid ", "Getty")


@pytest.mark.parametrize("seed", sorted(STORY_SPANS))
def test_every_story_line_of_a_seed_is_kept(seeds, seed):
    """Every line of the story survives (with page-break pieces joined, header removed)."""
    first, last = STORY_SPANS[seed]
    lines = _seed_text(seed).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i, line in enumerate(lines) if line.startswith(last))
    body = _flat(seeds[seed].body).replace("’", "'")
    for line in lines[start : end + 1]:
        line = _flat(line.removeprefix(first if first.startswith(" date") else "")).replace(
            "’", "'"
        )
        if line and not any(marker in line for marker in FURNITURE_IN_STORY):
            assert line in body


@pytest.mark.parametrize(
    ("seed", "must_drop"),
    [
        ("001", "HomeGlobal Defence Updates"),
        ("001", "msid 103625732"),
        ("001", "RELATED ARTICLES"),
        ("001", "LEAVE A REPLY"),
        ("001", "Please enter your comment"),
        ("001", "Akismet"),
        ("001", "#Japan #elevates"),
        ("001", "S-400 Competitor"),
        ("001", "Operation Kaveri"),
        ("001", "Adblock"),
        ("001", "bloggers like this"),
        ("003", "Picture source"),
        ("003", "Tingzhou Rd"),
        ("003", "Tel: 886"),
        ("003", "pf.org.tw"),
        ("003", "Editor's Note"),
        ("003", "By Tetsuo Kotani"),
        ("004", "Source link"),
        ("004", "Getty"),
        ("004", "Taiwan update"),
    ],
)
def test_seed_furniture_is_dropped(seeds, seed, must_drop):
    assert must_drop not in seeds[seed].body


def test_headline_is_the_title_and_not_in_the_body(seeds):
    assert seeds["001"].title == "Japan elevates Taiwan security ties in move likely to rile China"
    assert (
        seeds["003"].title
        == "Japan to Upgrade Defense Ties with Taipei by Dispatching a MOD Official"
    )
    assert seeds["004"].title == "Japan and Taiwan hold talks to counter Chinese aggression"
    for seed in ("001", "003", "004"):
        assert seeds[seed].title not in seeds[seed].body.split("\n\n")


def test_byline_dateline_and_source(seeds):
    assert seeds["003"].byline == "Tetsuo Kotani"
    assert seeds["000"].dateline == "Tokyo"
    assert seeds["000"].source_name == "NHK World"


def test_page_break_is_joined_into_one_paragraph(seeds):
    paragraphs = seeds["003"].body.split("\n\n")
    assert any("Japan-Taiwan Exchange Association — Japan's unofficial" in p for p in paragraphs)
    assert any("(OPLAN 5077) to respond to a Chinese invasion" in p for p in paragraphs)
    assert not any(
        p.startswith(("Association", "to respond", "common interest")) for p in paragraphs
    )


def test_paragraphs_are_separated_by_blank_lines_and_quotes_kept(seeds):
    body = seeds["001"].body
    assert "\n\n" in body and "\n\n\n" not in body
    assert "“symbolic”" in body  # typographic quotes survive repair


def test_date_header_is_parsed_and_removed(seeds):
    assert seeds["000"].published_date == date(2023, 9, 13)
    assert seeds["000"].date_source == "header"
    assert seeds["000"].body.startswith("Tokyo [Japan], September 13 :")
    assert "date 2023" not in seeds["002"].body


STORY = (
    "The city council approved the new budget on Tuesday after a long debate about schools. "
    "Council members said the plan would add teachers and repair buildings across the city."
)


def test_metadata_date_wins_over_header():
    article = _text(f" date 2023-09-13 {STORY}", {"date": "2023-09-10"})
    assert article.published_date == date(2023, 9, 10)
    assert article.date_source == "metadata"


@pytest.mark.parametrize(
    "stated",
    ["Wed, 13 Sep 2023 08:30:00 GMT", "September 13th, 2023", "13 Sept 2023", "2023-09-13T08:30Z"],
)
def test_a_feeds_date_as_written_is_read(stated):
    # RSS pubDate (RFC 822) and dates in words, as feeds converted to JSONL carry them.
    article = _text(STORY, {"date": stated})
    assert (article.published_date, article.date_source) == (date(2023, 9, 13), "metadata")


@pytest.mark.parametrize(
    "stated", ["04/03/2023", "2999-01-01", "2023-02-30", "yesterday", "0001-01-01T00:00:00Z"]
)
def test_an_ambiguous_impossible_future_or_placeholder_date_is_not_used(stated):
    # 0001-01-01 is many feeds' "no date"; taken as a date it once failed the whole batch (an
    # event's "on Monday" resolved before year 1) and would fail published_date_plausible.
    article = _text(
        f"OSLO (Reuters) - The fund said on Monday it lost money. {STORY}", {"date": stated}
    )
    assert article.published_date is None
    assert article.date_source == "none"


def test_a_date_ahead_of_utc_is_no_future_date():
    # A story published at 00:30 in Tokyo, or in any zone up to UTC+14, is dated the next
    # day while UTC is still on this one: it is today somewhere, not in the future.
    furthest_ahead = datetime.now(timezone(timedelta(hours=14)))  # now, in Kiribati
    for stated in (furthest_ahead.date().isoformat(), furthest_ahead.isoformat()):
        article = _text(STORY, {"date": stated})
        assert (article.published_date, article.date_source) == (furthest_ahead.date(), "metadata")
    day_after = (furthest_ahead + timedelta(days=1)).date().isoformat()
    assert _text(STORY, {"date": day_after}).published_date is None


def test_the_latest_date_is_today_in_the_zone_furthest_ahead():
    assert latest_date(datetime(2024, 12, 5, 9, 59, tzinfo=UTC)) == date(2024, 12, 5)
    assert latest_date(datetime(2024, 12, 5, 10, 0, tzinfo=UTC)) == date(2024, 12, 6)
    tokyo = timezone(timedelta(hours=9))
    assert latest_date(datetime(2024, 12, 6, 0, 30, tzinfo=tokyo)) == date(2024, 12, 6)


@pytest.mark.parametrize(
    "stated", [1733356800, "1733356800", 1733356800000, "1733356800000", 1733356800.5]
)
def test_a_unix_time_in_seconds_or_milliseconds_is_read(tmp_path, stated):
    # 1733356800 is 2024-12-05T00:00:00Z; feeds and APIs give it as a number or a string,
    # under "date" or under "published".
    for field in ("date", "published"):
        record = {"id": "r", "text": STORY, field: stated}
        (tmp_path / "feed.jsonl").write_text(json.dumps(record) + "\n")
        documents, _ = read_inputs([str(tmp_path / "feed.jsonl")])
        (article,) = clean(documents)[0]
        assert (article.published_date, article.date_source) == (date(2024, 12, 5), "metadata")


@pytest.mark.parametrize("stated", [2024, 12345678, 17333568000, "99999999999999"])
def test_a_number_that_is_no_unix_time_is_no_date(stated):
    # A year, an id (eight digits that are no calendar date), or a number of 11 digits:
    # seconds past 2286 or milliseconds of 1970.
    assert _text(STORY, {"date": str(stated)}).published_date is None


@pytest.mark.parametrize(
    ("stated", "published"),
    [
        # RSS pubDates written to RFC 822, whose years have two digits (RFC 2822: 00-49 are
        # 2000-2049, 50-99 are 1950-1999); the day is the one stated in its zone.
        ("Tue, 05 Mar 24 10:00:00 GMT", date(2024, 3, 5)),
        ("Tue, 05 Mar 24 23:30:00 EST", date(2024, 3, 5)),
        ("5 Mar 24 10:00 +0100", date(2024, 3, 5)),
        ("Fri, 05 Mar 99 10:00:00 GMT", date(1999, 3, 5)),
        ("Tuesday, 05 Mar 24 10:00 GMT", date(2024, 3, 5)),
        ("Tue 05 Mar 24 10:00", date(2024, 3, 5)),
        # ISO 8601's basic form, as dc:date and calendar stamps write it.
        ("20240305", date(2024, 3, 5)),
        ("20240305T101500Z", date(2024, 3, 5)),
        ("20240305T2330-0500", date(2024, 3, 5)),
        # Not dates: a month 13, a 31 February, a time with no date.
        ("20241305", None),
        ("Sat, 31 Feb 24 10:00:00 GMT", None),
        ("101500Z", None),
        # A compact stamp whose time is none: hour 25, minute 61, a zone of +25 hours.
        ("20240305T2500Z", None),
        ("20240305T1061", None),
        ("20240305T1015+2500", None),
    ],
)
def test_a_two_digit_year_rfc822_date_or_a_compact_iso_date_is_read(tmp_path, stated, published):
    record = {"id": "r", "text": STORY, "date": stated}
    (tmp_path / "feed.jsonl").write_text(json.dumps(record) + "\n")
    (article,) = clean(read_inputs([str(tmp_path / "feed.jsonl")])[0])[0]
    assert article.published_date == published


@pytest.mark.parametrize("header", ["2023-02-30", "2999-01-01"])
def test_impossible_or_future_header_date_is_not_used(header):
    article = _text(f" date {header} {STORY}")
    assert article.published_date is None
    assert article.date_source == "none"
    assert article.body.startswith("The city council")


def test_dateline_gives_a_date_only_with_a_known_year():
    with_year = _text(f"LONDON, Sept 13 (Reuters) - {STORY}", {"date": "2023-09-13"})
    assert with_year.dateline == "London"
    assert with_year.source_name == "Reuters"
    stated = _text(f"LONDON, Sept 12, 2023 (Reuters) - {STORY}")
    assert (stated.published_date, stated.date_source) == (date(2023, 9, 12), "dateline")
    no_year = _text(f"LONDON, Sept 13 (Reuters) - {STORY}")
    assert no_year.dateline == "London"
    assert no_year.published_date is None


def test_non_english_article_is_kept_with_its_language():
    text = (
        "Le conseil municipal a approuvé mardi le nouveau budget après un long débat sur les "
        "écoles. Les élus ont déclaré que le plan permettrait d'embaucher des enseignants et de "
        "rénover les bâtiments de toute la ville."
    )
    assert _text(text).language == "fr"
    assert _text(STORY).language == "en"


def test_boilerplate_only_and_empty_pages_are_quarantined():
    furniture = "Home\nNews\nSports\nShare this article\nLeave a reply\nPrivacy Policy\n© 2023 Site"
    documents = [
        RawDocument("nav.txt", "txt", furniture, None),
        RawDocument("empty.txt", "txt", "   \n\n ", None),
    ]
    articles, quarantined = clean(documents)
    assert not articles
    reasons = {row.source_uri: row.reason for row in quarantined}
    assert reasons == {"nav.txt": "no_body_found", "empty.txt": "empty_body"}
    assert {row.step for row in quarantined} == {"clean"}


def test_odd_input_never_raises():
    documents = [
        RawDocument("odd1.txt", "txt", "\x00\x01 date 9999-99-99 \ufffd", None),
        RawDocument("odd2.html", "html", None, "<html><body><p>x</p></body"),
        RawDocument("odd3.txt", "txt", "a-\n" * 500, None),
    ]
    articles, quarantined = clean(documents)
    assert len(articles) + len(quarantined) == len(documents)


HTML_PAGE = """<!DOCTYPE html><html><head><title>Council passes budget | City Times</title>
<meta property="og:site_name" content="City Times">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2023-09-12T08:00:00Z">
</head><body>
<nav><a href="/">Front page</a> <a href="/local">Local</a> <a href="/games">Games</a></nav>
<article><h1>Council passes budget</h1>
<p>The city council approved the new budget on Tuesday after a long debate about schools and
roads that lasted well into the evening.</p>
<p>Council members said the plan would add forty teachers and repair buildings across the city
over the next three years.</p>
<p>“This is a budget for our children,” the mayor said after the vote, thanking residents who
had come to the meeting.</p>
</article>
<footer><p>Copyright 2023 City Times. All rights reserved.</p>
<a href="/privacy">Privacy</a></footer>
</body></html>"""


def test_html_page_through_trafilatura():
    article = _clean_one(RawDocument("page.html", "html", None, HTML_PAGE))
    assert "forty teachers" in article.body
    assert "“This is a budget for our children,”" in article.body
    assert "All rights reserved" not in article.body
    assert "Sport" not in article.body
    assert article.title == "Council passes budget"
    assert article.byline == "Jane Doe"
    assert article.source_name == "City Times"
    assert (article.published_date, article.date_source) == (date(2023, 9, 12), "metadata")
    assert article.raw_length == len(HTML_PAGE)


NAVIGATION = "\n".join(
    ["Home", "World", "Politics", "Business", "Tech", "Science", "Health", "Sport", "Culture"]
)
STORY_PARAGRAPHS = [
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
    "The council will meet again next month to decide how the money for the roads is shared "
    "between the districts, a question that has divided members for years.",
]


def test_unfinished_lead_after_long_navigation_is_kept():
    lead = (
        "The council has voted through a budget that adds teachers and repairs schools in what "
        "members called the most important decision of the year for the city"
    )
    article = _text("\n".join([NAVIGATION, lead, *STORY_PARAGRAPHS]))
    assert lead in article.body
    assert "Culture" not in article.body


def test_teasers_under_a_related_heading_are_dropped():
    teasers = [
        "More from World",
        "Storm closes schools and roads across the north as rivers keep rising",
        "Prime minister faces new questions over the cost of the rail project",
        "Football club appoints a new manager after a poor start to the season",
    ]
    text = "\n".join([NAVIGATION, *STORY_PARAGRAPHS[:3], *teasers, *STORY_PARAGRAPHS[3:]])
    article = _text(text)
    for paragraph in STORY_PARAGRAPHS:
        assert paragraph in article.body
    for teaser in teasers:
        assert teaser not in article.body


def test_wire_photo_captions_are_dropped():
    captions = [
        "In this Sept. 12, 2019, file photo, council members listen to residents during a "
        "meeting at city hall.",
        "The mayor speaks to reporters after the vote on Tuesday. (AP Photo/Jane Doe)",
    ]
    paragraphs = STORY_PARAGRAPHS
    text = "\n".join([*paragraphs[:2], captions[0], *paragraphs[2:4], captions[1], *paragraphs[4:]])
    article = _text(text)
    assert all(paragraph in article.body for paragraph in STORY_PARAGRAPHS)
    assert not any(caption in article.body for caption in captions)


# Already-clean articles (a feed's or wire service's text, written for these tests): every
# line of content is kept, only the headline goes to the title.
WIRE_STORY = """MAPLE RIVER MILLS RAISES DIVIDEND

OAKVILLE, Ont., March 3 - Maple River Mills Ltd said its board
lifted its quarterly payout to 14 cts a share from 11 cts,
payable May 22 to shareholders on the register at May 8.
    The company said higher flour sales in the fourth quarter
allowed the increase, and that it expects sales to keep rising.
                  Qtr         Year
    Shr       1.10 dlrs    3.95 dlrs
    Net       4.2 mln      15.1 mln
    Revs      61.3 mln     230.5 mln
 Reuter"""
STANDINGS = """Hockey - Northern league standings
Standings after Sunday's games (played, won, lost, points):
Lakeside Otters 12 9 3 27
Hill City Foxes 12 8 4 24
Port Ellen Gulls 12 5 7 15
Granite Bay Wolves 12 2 10 6"""
BRIEF = (
    "The central bank of Freedonia left its main interest rate unchanged at 4.5 percent on "
    "Thursday, as economists had expected."
)
LIST_STORY = """Five things the new city budget changes
The council approved the budget on Tuesday. Here is what it pays for:
- Forty new teachers for primary schools
- Repairs to six school buildings
- Longer opening hours at two public pools
- A new library in the east of the city"""


def _paragraphs(article: Article) -> list[str]:
    return article.body.split("\n\n")


def test_wire_story_keeps_its_paragraphs_table_rows_and_dateline():
    article = _text(WIRE_STORY)
    assert article.title == "MAPLE RIVER MILLS RAISES DIVIDEND"
    assert article.dateline == "Oakville"
    assert _paragraphs(article) == [
        "OAKVILLE, Ont., March 3 - Maple River Mills Ltd said its board lifted its quarterly "
        "payout to 14 cts a share from 11 cts, payable May 22 to shareholders on the register "
        "at May 8.",
        "The company said higher flour sales in the fourth quarter allowed the increase, and "
        "that it expects sales to keep rising.",
        "Qtr Year",
        "Shr 1.10 dlrs 3.95 dlrs",
        "Net 4.2 mln 15.1 mln",
        "Revs 61.3 mln 230.5 mln",
    ]
    # The agency's name on the last line signs the story off: its byline, not its words.
    assert article.byline == "Reuter"


def test_results_table_list_and_brief_are_kept_whole():
    standings = _text(STANDINGS)
    assert standings.title == "Hockey - Northern league standings"
    assert _paragraphs(standings) == STANDINGS.splitlines()[1:]
    listed = _text(LIST_STORY)
    assert listed.title == "Five things the new city budget changes"
    assert _paragraphs(listed) == LIST_STORY.splitlines()[1:]
    brief = _text(BRIEF)
    assert (brief.title, brief.body) == (None, BRIEF)


def test_page_dump_loses_navigation_share_bar_teasers_and_footer():
    furniture = [
        *NAVIGATION.splitlines(),
        "Share this article",
        "Facebook",
        "Twitter",
        "Email",
        "More from World",
        "Storm closes schools and roads across the north as rivers keep rising",
        "Prime minister faces new questions over the cost of the rail project",
        "© 2024 City Times. All rights reserved.",
    ]
    text = "\n".join([*furniture[:13], *STORY_PARAGRAPHS, *furniture[13:]])
    article = _text(text)
    assert _paragraphs(article) == STORY_PARAGRAPHS
    assert not any(line in article.body for line in furniture)


def test_stated_kind_overrides_the_guess():
    page_as_article = _text("\n".join([NAVIGATION, *STORY_PARAGRAPHS]), {"kind": "article"})
    assert page_as_article.body.startswith("Home\n\nWorld")
    # Read as a page, the short list story has no run of prose to select.
    _, quarantined = clean([RawDocument("list.txt", "txt", LIST_STORY, None, {"kind": "page"})])
    assert [row.reason for row in quarantined] == ["no_body_found"]


def _html_page(head: str, body: str) -> str:
    story = " ".join(["The harbour board voted to rebuild the old pier before winter."] * 6)
    return f"<html><head>{head}</head><body>{body}<article><p>{story}</p></article></body></html>"


def test_html_headline_is_the_h1_not_the_seo_title():
    page = _html_page(
        "<title>Harbour board rebuilds the pier - Coast Gazette</title>"
        '<meta property="og:site_name" content="Coast Gazette">',
        '<nav class="breadcrumbs"><h1>News</h1></nav><h1>Harbour board rebuilds the pier</h1>',
    )
    assert _clean_one(RawDocument("p.html", "html", None, page)).title == (
        "Harbour board rebuilds the pier"
    )


def test_html_headline_differs_from_seo_title():
    page = _html_page(
        "<title>Pier plan approved | Coast Gazette</title>",
        "<h1>After a long night, the harbour board rebuilds the old pier</h1><h1>More news</h1>",
    )
    article = _clean_one(RawDocument("p.html", "html", None, page))
    assert article.title == "After a long night, the harbour board rebuilds the old pier"


def test_html_headline_without_h1_loses_the_site_name():
    page = _html_page(
        "<title>Harbour board rebuilds the pier | Coast Gazette</title>"
        '<meta property="og:site_name" content="Coast Gazette">',
        "",
    )
    assert _clean_one(RawDocument("p.html", "html", None, page)).title == (
        "Harbour board rebuilds the pier"
    )


def test_html_authors_keep_bylines_and_drop_the_site_beside_them():
    page = _html_page(
        "<title>Pier rebuilt</title>"
        '<meta property="og:site_name" content="Coast Gazette">'
        '<meta name="author" content="Coast Gazette GmbH">'
        '<meta name="author" content="Sam Reed">',
        "<h1>Harbour board rebuilds the pier</h1>",
    )
    assert _clean_one(RawDocument("p.html", "html", None, page)).byline == "Sam Reed"


def test_html_authors_from_catalogue_tags_in_reading_order():
    page = _html_page(
        '<title>Pier rebuilt</title><meta name="dc.creator" content="Reed, Sam">'
        '<meta name="dc.creator" content="Lund, Ada">',
        "<h1>Harbour board rebuilds the pier</h1>",
    )
    assert _clean_one(RawDocument("p.html", "html", None, page)).byline == "Sam Reed; Ada Lund"


def test_html_date_is_the_one_marked_published():
    page = _html_page(
        "<title>Pier rebuilt</title>",
        "<h1>Harbour board rebuilds the pier</h1>"
        '<time itemprop="datePublished" datetime="2023-08-29T11:20+0100">29 August 2023</time>'
        '<aside><time datetime="2019-02-05">Old story</time></aside>',
    )
    article = _clean_one(RawDocument("p.html", "html", None, page))
    assert (article.published_date, article.date_source) == (date(2023, 8, 29), "metadata")


HEADER_DUMP = "\n".join(
    [
        "Harbour board rebuilds the old pier | Coast Gazette",
        "Home",
        "News",
        "Sport",
        "Weather",
        "Harbour board rebuilds the old pier",
        "By Sam Reed",
        "29.11.2024",
        *STORY_PARAGRAPHS,
        "Most read",
        "Pier festival 12.01.2020",
        "Copyright 2024 Coast Gazette. All rights reserved.",
    ]
)


def test_page_dump_headline_byline_and_date_around_the_headline():
    article = _clean_one(RawDocument("dump.txt", "txt", HEADER_DUMP, None))
    assert article.title == "Harbour board rebuilds the old pier"
    assert article.byline == "Sam Reed"
    assert (article.published_date, article.date_source) == (date(2024, 11, 29), "text")
    assert "By Sam Reed" not in article.body


def test_page_dump_name_beside_the_date_line_is_the_byline():
    dump = HEADER_DUMP.replace("By Sam Reed\n29.11.2024", "Sam ReedReporter\n30. Januar 2024")
    article = _clean_one(RawDocument("dump.txt", "txt", dump, None))
    assert article.byline == "Sam Reed"
    assert article.published_date == date(2024, 1, 30)


def test_page_dump_section_heading_beside_the_date_is_no_byline():
    dump = HEADER_DUMP.replace("By Sam Reed", "LOCAL NEWS")
    assert _clean_one(RawDocument("dump.txt", "txt", dump, None)).byline is None


COMMENTS = [
    "I have lived in this city for thirty years and I have never seen the council spend so much "
    "money on so little, and nobody asked the people who actually pay the tax what they wanted.",
    "The schools in the east have waited far too long for repairs, so I am glad that something "
    "is finally being done about it, even if the tax rise will be hard for many of us to pay.",
    "Why does every budget promise new teachers when the ones we already have are leaving for "
    "other cities because the pay here is lower than anywhere else in the whole of the region?",
    "My children take the bus to school every morning and it is always late, so I hope some of "
    "this money goes to the buses as well and not only to the buildings that the mayor likes.",
    "The library in the east was promised before the last election and the one before that, "
    "and I will believe it when I see the doors open and the books on the shelves at last.",
    "Property owners are not the only people who pay for this city, and renters will see the "
    "tax rise passed on to them next year, which nobody at the meeting seemed to care about.",
    "I went to the meeting and spoke against the plan, and the council did not answer a single "
    "one of the questions that residents asked about the cost of the roads and the buses.",
    "Forty teachers sounds like a lot until you count the classes that have no teacher at all "
    "this year and the ones that share a teacher with another school on the other side of town.",
]


def test_page_dump_story_after_its_headline_wins_over_a_longer_comment_thread():
    # The first line is the page's <title>; the headline repeats it above the story, and the
    # readers' comments below hold more prose than the story itself.
    lines = [
        "Council passes budget | City Times",
        *NAVIGATION.splitlines(),
        "Council passes budget",
        "By Jane Doe",
        *STORY_PARAGRAPHS[:3],
        "Share this article",
        "Facebook",
        "Twitter",
        "Related",
        "Storm closes schools and roads across the north as rivers keep rising",
        "Prime minister faces new questions over the cost of the rail project",
        "Football club appoints a new manager after a poor start to the season",
        "Comments",
        "Sign in to comment",
        *COMMENTS,
    ]
    article = _text("\n".join(lines))
    assert _paragraphs(article) == STORY_PARAGRAPHS[:3]
    assert article.title == "Council passes budget"


def test_slot_labels_inside_the_story_neither_cut_it_nor_stay_in_it():
    lines = [
        "Council passes budget | City Times",
        *NAVIGATION.splitlines(),
        "Council passes budget",
    ]
    for paragraph in STORY_PARAGRAPHS:
        lines += [paragraph, "Advertisement"]
    article = _text("\n".join([*lines, "© 2024 City Times. All rights reserved."]))
    assert _paragraphs(article) == STORY_PARAGRAPHS


def test_a_box_repeated_through_the_story_is_dropped():
    box = [
        "External content not available",
        "Your privacy settings prevent the loading and display of all external content such "
        "as graphics, tables and social networks, so this part of the story cannot be shown.",
    ]
    lines = [
        "Council passes budget | City Times",
        *NAVIGATION.splitlines(),
        "Council passes budget",
    ]
    for paragraph in STORY_PARAGRAPHS:
        lines += [paragraph, *box]
    article = _text("\n".join(lines))
    assert _paragraphs(article) == STORY_PARAGRAPHS


def test_full_width_digits_and_letters_are_kept_as_published():
    text = "２０２５年１月１３日、ＪＲ東日本は新しい路線の計画を発表した。"
    article = _text(text)
    assert article.body == text


def test_html_body_has_neither_the_headline_nor_the_page_furniture_around_the_story():
    page = HTML_PAGE.replace(
        "<article>",
        "<article><p>Share</p><p>Facebook</p><p>Twitter</p>"
        "<h2>Council passes budget</h2><p>12 September 2023</p>",
    )
    article = _clean_one(RawDocument("page.html", "html", None, page))
    first = article.body.split("\n\n")[0]
    assert first.startswith("The city council approved the new budget")


def test_html_page_text_reads_as_the_page_dump():
    tree = load_html(
        "<html><head><title>Budget | City Times</title><script>var x = 1;</script></head>"
        "<body><nav><a>Home</a><a>World</a></nav><!-- ad --><div>The council <b>voted</b>"
        " on\nTuesday.<br>Next line</div><p>Last</p></body></html>"
    )
    assert page_lines(tree) == [
        "Budget | City Times",
        "HomeWorld",
        "The council voted on Tuesday.",
        "Next line",
        "Last",
    ]


SERVICE_LIST = [
    (
        "City Times Jobs",
        "Find a new job among thousands of offers from employers in the city "
        "and the region, updated every day by our team.",
    ),
    (
        "City Times Travel",
        "Our travel service offers trips and holidays for readers, with "
        "discounts on hotels, flights and guided tours all year.",
    ),
    (
        "City Times Shop",
        "The shop sells books, maps, prints of our best photographs and gifts "
        "chosen by the editors for readers of all ages.",
    ),
    (
        "City Times Events",
        "Talks, concerts and readings organised by the newspaper for its "
        "readers, in the city and online, every single month.",
    ),
    (
        "City Times Archive",
        "Every article published since the first edition can be read in "
        "the archive, which subscribers can search for free.",
    ),
    (
        "City Times Kids",
        "A weekly paper for children that explains the news of the week in "
        "simple words, with puzzles, games and competitions.",
    ),
]


def test_page_dump_story_after_a_near_copy_of_its_headline_wins_over_a_link_list():
    # The on-page headline is the <title>'s with a word left out; in the footer, a longer
    # list of the publisher's services, each with a sentence of description.
    lines = [
        "Council passes the city budget after a long night | City Times",
        *NAVIGATION.splitlines(),
        "Council passes city budget after a long night",
        *STORY_PARAGRAPHS[:2],
        "Share this article",
        "Facebook",
        "Twitter",
        *NAVIGATION.splitlines(),
        "Our services",
    ]
    for name, description in SERVICE_LIST:
        lines += [name, description]
    article = _text("\n".join([*lines, "© 2024 City Times. All rights reserved."]))
    assert _paragraphs(article) == STORY_PARAGRAPHS[:2]


def test_page_dump_keeps_the_list_its_story_announces():
    dates = [
        "June 9 -- City Arena, Springfield",
        "June 12 -- Riverside Hall, Shelbyville",
        "June 15 -- Harbour Stage, Capital City",
        "June 20 -- Old Mill Theatre, Ogdenville",
        "June 24 -- Lakeside Park, North Haverbrook",
    ]
    lines = [
        "Band announces summer tour | City Times",
        *NAVIGATION.splitlines(),
        "Band announces summer tour",
        *STORY_PARAGRAPHS[:3],
        "The band will play these dates:",
        *dates,
        "Share this article",
        "Facebook",
        "Twitter",
        *NAVIGATION.splitlines(),
    ]
    article = _text("\n".join(lines))
    assert _paragraphs(article) == [
        *STORY_PARAGRAPHS[:3],
        "The band will play these dates:",
        *dates,
    ]


def _council_page(*body: str) -> list[str]:
    """A page dump: the <title>, the menu, the headline and the lines below it."""
    return [
        "Council passes budget | City Times",
        *NAVIGATION.splitlines(),
        "Council passes budget",
        *body,
    ]


def _story_page_with_asides(asides: list[str]) -> list[str]:
    """A page dump whose story has one aside after each of its first paragraphs."""
    lines = _council_page(STORY_PARAGRAPHS[0])
    for aside, paragraph in zip(asides, STORY_PARAGRAPHS[1:], strict=False):
        lines += [aside, paragraph]
    return [*lines, *STORY_PARAGRAPHS[len(asides) + 1 :]]


def test_captions_credits_and_links_to_other_stories_leave_the_story_whole():
    between_paragraphs = [
        "The mayor speaks to residents before the vote on Tuesday. Photo by Jane Roe / AFP via "
        "Getty Images",
        "John Smith / Reuters",
        "READ MORE: Storm closes schools and roads across the north",
        "Les også: Bystyret vedtok budsjettet etter en lang debatt",
        "Anzeige",
    ]
    lines = _story_page_with_asides(between_paragraphs)
    article = _text("\n".join([*lines, "© 2024 City Times. All rights reserved."]))
    assert _paragraphs(article) == STORY_PARAGRAPHS


def test_teasers_with_a_summary_under_each_title_are_dropped():
    teasers = [
        "More from City Times",
        "Storm closes schools and roads across the north",
        "Rivers kept rising all week after the heaviest rain the region has seen in more than "
        "forty years, and the army was called in.",
        "Prime minister faces new questions over the rail project",
        "The opposition wants the full costs of the line published before the next vote in "
        "parliament, and says the public has a right to know.",
        "Football club appoints a new manager after a poor start",
        "The former youth coach takes over a side that has lost six of its first eight games "
        "and sits at the bottom of the table.",
    ]
    lines = [
        "Council passes budget | City Times",
        *NAVIGATION.splitlines(),
        "Council passes budget",
        *STORY_PARAGRAPHS,
        *teasers,
        "© 2024 City Times. All rights reserved.",
    ]
    article = _text("\n".join(lines))
    assert _paragraphs(article) == STORY_PARAGRAPHS


def test_live_blog_stamps_doubled_link_labels_and_account_notices_leave_the_story():
    asides = [
        "08:41 Jane Roe",
        "Storm closes schools Storm closes schools",
        "11:05 KEY EVENT",
        "Vous possédez déjà un compte ?",
    ]
    lines = [
        *_story_page_with_asides(asides),
        "Il vous reste 64% de ce reportage à découvrir, un contenu réservé à nos abonnés.",
        "By signing up, you agree to receive occasional offers from City Times and partners.",
    ]
    article = _text("\n".join(lines))
    assert _paragraphs(article) == STORY_PARAGRAPHS


def test_page_dump_keeps_the_list_its_story_announces_as_follows():
    results = ["North ward: Jane Roe", "South ward: John Smith", "East ward: Ann Lee"]
    lines = [
        "Council election results | City Times",
        *NAVIGATION.splitlines(),
        "Council election results",
        *STORY_PARAGRAPHS[:3],
        "The winners in each ward were as follows.",
        *results,
        "Share this article",
        "Facebook",
        *NAVIGATION.splitlines(),
    ]
    article = _text("\n".join(lines))
    assert _paragraphs(article)[-4:] == ["The winners in each ward were as follows.", *results]


def test_html_body_opens_with_the_standfirst_the_page_shows():
    standfirst = (
        "The city will hire forty teachers and repair its schools, but the property tax rises."
    )
    # Above the article's element, where trafilatura does not look.
    page = HTML_PAGE.replace(
        "</head>", f'<meta name="description" content="{standfirst}"></head>'
    ).replace(
        "<article><h1>Council passes budget</h1>",
        f'<header><h1>Council passes budget</h1><p class="standfirst">{standfirst}</p></header>'
        "<article>",
    )
    article = _clean_one(RawDocument("page.html", "html", None, page))
    assert _paragraphs(article)[0] == standfirst
    assert "forty teachers and repair buildings" in article.body


def test_html_body_ends_where_the_story_ends_not_with_the_links_below_it():
    teasers = [
        "Storm closes schools and roads across the north as rivers keep rising",
        "Prime minister faces new questions over the cost of the rail project",
        "Football club appoints a new manager after a poor start to the season",
    ]
    story = "".join(f"<p>{paragraph}</p>" for paragraph in STORY_PARAGRAPHS)
    links = "<h3>More from World</h3>" + "".join(f"<p>{teaser}</p>" for teaser in teasers)
    page = HTML_PAGE.replace(
        HTML_PAGE[HTML_PAGE.index("<article>") : HTML_PAGE.index("</article>")],
        f"<article><h1>Council passes budget</h1>{story}{links}",
    )
    article = _clean_one(RawDocument("page.html", "html", None, page))
    assert _paragraphs(article) == STORY_PARAGRAPHS


def test_a_copy_of_the_story_and_a_repeated_paragraph_are_read_once():
    lines = [
        *_story_page_with_asides([]),
        STORY_PARAGRAPHS[2],  # a pull quote shown again below the story
        " ".join(STORY_PARAGRAPHS[1:]),  # the story again as one block (a print version)
        "© 2024 City Times. All rights reserved.",
    ]
    article = _text("\n".join(lines))
    assert _paragraphs(article) == STORY_PARAGRAPHS


def test_job_boxes_and_boxes_under_a_related_heading_leave_the_story():
    lines = _story_page_with_asides(["Stellenmarkt", "Advertorial", "Lesen Sie auch"])
    lines[lines.index("Stellenmarkt") + 1 : lines.index("Stellenmarkt") + 1] = [
        "Ingenieur Nachrichtentechnik (m/w/d)",
        "Stadtwerke Musterstadt GmbH, Musterstadt",
        "Sachbearbeiter Finanzen (w/m/d)",
    ]
    lines.insert(lines.index("Lesen Sie auch") + 1, "Storm closes schools and roads in the north")
    lines.insert(lines.index("Advertorial") + 1, "Four per cent interest at Musterbank")
    article = _text("\n".join(lines))
    assert _paragraphs(article) == STORY_PARAGRAPHS


def test_a_box_that_says_the_story_continues_below_is_crossed_however_long():
    paywall = [
        "Story continues below",
        "Subscribers only beyond this point",
        "Daily puzzles and games.",
        "Support local journalism.",
        "Subscribe for more articles",
        "Sign in or register for free to read more about your town.",
        "Receive an alert when your chosen writers publish.",
        "New here? Open an account",
        "Sign in without password",
        "View more offers",
        "Newsletter",
        "Your first City Mornings letter arrives tomorrow at dawn.",
        "Sign Up",
        "Thanks for signing up!",
        "Advertisement",
    ]
    lines = _council_page(
        *STORY_PARAGRAPHS[:2],
        *paywall,
        *STORY_PARAGRAPHS[2:],
    )
    article = _text("\n".join(lines))
    assert _paragraphs(article) == STORY_PARAGRAPHS


def test_author_bio_under_the_story_and_the_comment_thread_are_dropped():
    lines = [
        *_story_page_with_asides([]),
        "Jane Roe",
        "Jane Roe is a senior reporter for City Times, covering local politics and schools.",
        "You can email Jane Roe here, and read more of Jane Roe's articles here.",
        "Hat Ihnen der Artikel gefallen?",
        "3 thoughts on “Council passes budget”",
        "Great news for the schools, and about time too after all these years of waiting.",
    ]
    article = _text("\n".join(lines))
    assert _paragraphs(article) == STORY_PARAGRAPHS


def test_a_paragraph_trailing_off_with_the_story_going_on_under_it_is_kept():
    suspense = (
        "Then the mayor stood up to answer the last question of the night. Nobody in the room "
        "expected what she was about to say, least of all her own party..."
    )
    lines = _council_page(
        *STORY_PARAGRAPHS[:3],
        "Gallery: the council meeting",
        "Open the gallery",
        "Photo: Jane Roe",
        "Close",
        suspense,
        *STORY_PARAGRAPHS[3:],
    )
    article = _text("\n".join(lines))
    assert suspense in _paragraphs(article)
    assert STORY_PARAGRAPHS[-1] in _paragraphs(article)


def test_japanese_caption_credits_leave_the_story():
    paragraphs = [
        "市議会は十三日、新しい予算案を賛成多数で可決した。学校の改修や教員の増員に充てる費用が"
        "盛り込まれ、市長は会見で「子どもたちのための予算だ」と述べた。採決の前には、賛成と反対の"
        "立場から多くの議員が発言し、議論は夜遅くまで続いた。",
        "予算案をめぐっては、固定資産税の引き上げに反対する声も根強く、商店街の関係者からは"
        "負担が重すぎるとの意見が相次いだ。市は来年度から段階的に実施する方針だ。商工会議所は"
        "近く、中小企業への支援策を市に求める要望書を提出する。",
        "新しい図書館の建設費も計上された。東部地区の住民は十年以上前から図書館の設置を求めて"
        "おり、地元の自治会は今回の決定を歓迎している。新しい図書館には子ども向けの読書室や"
        "学習スペースも設けられ、二年後の開館を目指す。",
        "市議会は来月、道路整備の予算配分について改めて審議する予定で、各地区の議員の間では"
        "意見が分かれている。市長は「すべての地区に公平な配分を目指したい」と話しており、"
        "議会との調整が続く見通しだ。",
    ]
    lines = [
        "市議会が予算案を可決 | シティ新聞",
        *NAVIGATION.splitlines(),
        "市議会が予算案を可決",
        paragraphs[0],
        "予算案の採決に臨む市議会の議員ら＝１３日、市役所で（山田太郎撮影）",
        paragraphs[1],
        "会見する市長（市提供）",
        paragraphs[2],
        "市役所の前に集まった住民ら＝ＡＰ",
        paragraphs[3],
    ]
    article = _text("\n".join(lines))
    assert _paragraphs(article) == paragraphs


def test_captions_closed_by_a_bare_credit_leave_the_story():
    captions = [
        "The council chamber was packed for the vote on Tuesday evening. Supplied",
        "Die Stadthalle vor der Abstimmung am Dienstag. (Archivbild)",
    ]
    article = _text("\n".join(_story_page_with_asides(captions)))
    assert _paragraphs(article) == STORY_PARAGRAPHS


@pytest.mark.parametrize("separator", ["\v", "\x1e", "\x1f", "\f"])
def test_a_control_character_between_words_is_a_space(separator):
    # Exported records and printed dumps separate words with these; deleted, they glued the
    # words on either side ("bankheld") into one token.
    article = _text(f"CAIRO (Reuters) - Egypt's central bank{separator}held rates on Thursday.")
    assert "central bank held rates" in article.body


def test_a_byline_opening_a_wire_story_is_its_byline_not_its_title():
    article = _text(f"By Jane Doe\n\nWASHINGTON (AP) — {STORY}", {"kind": "article"})
    assert (article.title, article.byline) == (None, "Jane Doe")
    assert article.body.startswith("WASHINGTON (AP) —")
    unstated = _text(f"By Jane Doe\n\nWASHINGTON (AP) — {STORY}")
    assert (unstated.title, unstated.byline) == (None, "Jane Doe")


def test_a_text_of_control_characters_only_is_quarantined_for_what_it_is():
    documents = [
        RawDocument("nul.txt", "txt", "\x00\x00\u200b\x07", None),
        RawDocument("header.txt", "txt", " date 2024-01-01 \n", None),
    ]
    _, quarantined = clean(documents)
    details = {q.source_uri: (q.reason, q.detail) for q in quarantined}
    assert details["nul.txt"] == ("empty_body", "only control characters and invisible marks")
    assert details["header.txt"] == ("empty_body", "nothing left after the date header")


def test_a_stated_title_is_repaired_as_a_body_is():
    # Feeds leave HTML entities and control characters in their titles; the body had them
    # repaired, the title was published as it came.
    stated = {"title": "Rates rise &amp; bonds fall\x00\x07 in \u201cquiet\u201d trade"}
    article = _text(f"Rates rise & bonds fall in \u201cquiet\u201d trade\n\n{STORY}", stated)
    assert article.title == "Rates rise & bonds fall in \u201cquiet\u201d trade"
    assert article.body.startswith("The city council")  # the title repeated there is the title
    assert _text(STORY, {"title": "\x00 \x07"}).title is None


@pytest.mark.parametrize(
    ("opening", "place", "published"),
    [
        ("GAZA CITY/JERUSALEM (Reuters) -", "Gaza City", None),
        ("TOKYO, JAN 5, 2024 -", "Tokyo", date(2024, 1, 5)),
        ("LONDON, March 3, 2024 (AP) —", "London", date(2024, 3, 3)),
        # A place in any Latin letters, and a region of several words after it.
        ("ÖREBRO, Sweden -", "Örebro", None),
        ("HALDEN, New Brunswick, May 9, 2024 -", "Halden", date(2024, 5, 9)),
        ("ST. ALDRIC, Ore., Aug 14 -", "St. Aldric", None),
    ],
)
def test_wire_datelines_are_read(opening, place, published):
    article = _text(f"{opening} {STORY}")
    assert article.dateline == place
    assert article.published_date == published


@pytest.mark.parametrize(
    "opening",
    [
        "Note:",
        "CORRECTION:",
        "Editor's note:",
        "UPDATE -",
        "BREAKING —",
        "Officials:",
        "ANALYSIS -",
        # Everyday words that small towns also bear (Police in Poland): a speaker or a label.
        "Police:",
        "Bank:",
        "Officer:",
        # ... or that a city bears only as a nickname, a misspelling or a transliteration
        # GeoNames lists, or as a modifier in its name (Gold Coast).
        "Name:",
        "Soul:",
        "Gold:",
        "Google:",
        # Several words after a comma, with no date or agency, are a title or a phrase.
        "Farewell, Mrs Pennyworth:",
        "Mara Ellison, Chief Executive:",
        "TOM ARDLEY, MINISTER OF WORKS:",
    ],
)
def test_a_label_opening_a_feed_item_is_no_dateline(opening):
    # Feeds open items with an editorial label where wire copy has its dateline; a name in
    # mixed case before a colon is a dateline only where it is a place.
    article = _text(f"{opening} {STORY}", {"title": "Council passes budget"})
    assert article.dateline is None
    assert dateline_length(article.body) == 0
    assert article.body.startswith(opening)


def test_capitals_over_a_table_of_figures_are_no_dateline():
    table = "GRAIN - 1.20 1.25 1.31 1.28 1.40 2.05 2.10 and 2.15 cents, the exchange said."
    article = _text(f"{table}\n\n{STORY}", {"title": "Grain prices"})
    assert article.dateline is None


@pytest.mark.parametrize(
    ("opening", "place"),
    [
        ("NEW DELHI:", "New Delhi"),
        ("Dubai:", "Dubai"),
        # A city of 100,000 people or more keeps its name where it is an English word too.
        ("Reading:", "Reading"),
        # ... by its main name or the last word of it (GeoNames names Hull "Kingston upon
        # Hull").
        ("Hull:", "Hull"),
        ("PORTLAND, Ore. -", "Portland"),
        ("SPRINGFIELD, Dec 5 -", "Springfield"),
        # A place in capitals before a dash is a dateline, known to a gazetteer or not.
        ("UNITED NATIONS -", "United Nations"),
        ("ABOARD AIR FORCE ONE -", "Aboard Air Force One"),
        ("CAMP DAVID -", "Camp David"),
        ("SMALLVILLE -", "Smallville"),
    ],
)
def test_a_colon_dateline_or_a_bare_place_is_read_where_it_names_a_place(opening, place):
    article = _text(f"{opening} {STORY}", {"title": "Council passes budget"})
    assert article.dateline == place
    assert article.body[dateline_length(article.body) :].startswith("The city council")


def test_feed_items_in_their_usual_shapes_give_clean_bodies_and_titles(tmp_path):
    paragraphs = [
        "The ferry resumed service on Monday.",
        "Passengers were relieved, the operator said.",
    ]
    markup = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    escaped = markup.replace("<", "&lt;").replace(">", "&gt;")  # as a feed double-escapes it
    lines = [
        {"id": "text-html", "title": "Ferry back", "text": markup},
        {"id": "escaped", "title": "Ferry back", "html": escaped},
        {"id": "escaped-text", "title": "Ferry back", "text": escaped},
        {"id": "cdata", "title": "<![CDATA[Ferry back]]>", "html": f"<![CDATA[{markup}]]>"},
        {"id": "json-feed", "title": "Ferry back", "content_html": markup},
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n")
    articles, quarantined = clean(read_inputs([str(tmp_path / "feed.jsonl")])[0])
    assert quarantined == [] and len(articles) == len(lines)
    for article in articles:
        assert article.title == "Ferry back"
        assert article.body.split("\n\n") == paragraphs


def test_a_feeds_author_is_the_byline(tmp_path):
    lines = [
        # RSS 2.0: the author's e-mail address, the name in brackets.
        {"id": "rss", "author": "jdoe@example.org (Jane Doe)", "text": STORY},
        # JSON Feed and feedparser: a list of authors with their names.
        {"id": "json", "authors": [{"name": "Jane Doe"}, {"name": "Tom Roe"}], "text": STORY},
        # The stated author wins over a byline line in the text.
        {"id": "stated", "byline": "<b>Jane Doe</b>", "text": f"By Ann Smith\n\n{STORY}"},
        # An address alone names no one: the text's byline stays.
        {"id": "address", "author": "desk@example.org", "text": f"By Ann Smith\n\n{STORY}"},
        {"id": "list", "author": ["Jane Doe", "Tom Roe"], "text": STORY},
        {"id": "object", "author": {"name": "Jane Doe", "url": "https://x.org/jd"}, "text": STORY},
        {"id": "angled", "author": "By Jane Doe <jdoe@example.org>", "text": STORY},
        {"id": "web", "author": "https://example.org/staff/jane-doe", "text": STORY},
        # An author field in a shape no feed gives it is left out; the record stays readable.
        {"id": "nameless", "authors": [{"url": "https://example.org/jd"}], "text": STORY},
        {"id": "false", "byline": False, "text": STORY},
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n")
    articles, quarantined = clean(read_inputs([str(tmp_path / "feed.jsonl")])[0])
    assert quarantined == []
    bylines = {article.source_uri.split("#")[1]: article.byline for article in articles}
    assert bylines == {
        "rss": "Jane Doe",
        "json": "Jane Doe, Tom Roe",
        "stated": "Jane Doe",
        "address": "Ann Smith",
        "list": "Jane Doe, Tom Roe",
        "object": "Jane Doe",
        "angled": "Jane Doe",
        "web": None,
        "nameless": None,
        "false": None,
    }
    assert all(article.body == STORY for article in articles)


def test_an_item_that_gives_only_its_link_is_quarantined():
    documents = [
        RawDocument("feed.jsonl#link", "jsonl", "https://example.org/news/ferry-back", None),
        RawDocument("feed.jsonl#both", "jsonl", "www.example.org/a\n\ndesk@example.org", None),
        RawDocument("feed.jsonl#prose", "jsonl", "Read it at https://example.org/a", None),
        RawDocument("feed.jsonl#draw", "jsonl", "4 11 23 35 42", None, {"title": "Draw"}),
        # A rating or a row of emoji gives no address: it is published as it is.
        RawDocument("feed.jsonl#stars", "jsonl", "★★★★☆", None, {"title": "Review"}),
        RawDocument("feed.jsonl#emoji", "jsonl", "🎉🎉🎉", None, {"title": "Party"}),
    ]
    articles, quarantined = clean(documents)
    assert [(q.source_uri, q.reason) for q in quarantined] == [
        ("feed.jsonl#link", "no_body_found"),
        ("feed.jsonl#both", "no_body_found"),
    ]
    assert [a.source_uri for a in articles] == [
        "feed.jsonl#prose",
        "feed.jsonl#draw",
        "feed.jsonl#stars",
        "feed.jsonl#emoji",
    ]


def test_soft_hyphens_and_invisible_marks_leave_the_words_whole():
    # CMSs mark where a long word may break with U+00AD; readers never see it, searches must.
    text = "The har\u00adbour au\u00adthor\u00adity said the\u200b quay\u2060 would reopen soon."
    article = _text(text, {"title": "Har\u00adbour quay to re\u00adopen"})
    assert article.body == "The harbour authority said the quay would reopen soon."
    assert article.title == "Harbour quay to reopen"


@pytest.mark.parametrize(
    ("stated", "title"),
    [
        ("<em>Live</em>: Harbour quay &#039;to reopen&#039;", "Live: Harbour quay 'to reopen'"),
        ('Harbour <a href="/x">quay</a> to reopen<br/>', "Harbour quay to reopen"),
        ("HARBOUR LINES <HBL> SETS DIVIDEND", "HARBOUR LINES <HBL> SETS DIVIDEND"),  # a ticker
        # Tags named in the words, not markup.
        ("Why you should use the <b> tag", "Why you should use the <b> tag"),
        ("Revenue grew <a lot> this year", "Revenue grew <a lot> this year"),
    ],
)
def test_a_feeds_title_loses_its_inline_markup(stated, title):
    assert _text(STORY, {"title": stated}).title == title


def test_a_year_in_a_pages_text_is_no_publishing_date():
    # Only what the page states as its date counts: "since 1999" in the story dates nothing.
    story = (
        "<p>The harbour authority, which has run the port since 1999, said on Tuesday that "
        "the new quay would open in the spring after two years of building work.</p>"
        "<p>Ferry operators welcomed the plan and said more routes would follow soon.</p>"
    )
    for html in (story, _html_page("<title>Quay to open</title>", story)):
        article = _clean_one(RawDocument("page.html", "html", None, html))
        assert (article.published_date, article.date_source) == (None, "none")
    dated = _html_page(
        '<title>Quay to open</title><meta property="article:published_time" '
        'content="2024-03-05T10:00:00Z">',
        story,
    )
    article = _clean_one(RawDocument("page.html", "html", None, dated))
    assert (article.published_date, article.date_source) == (date(2024, 3, 5), "metadata")
    # A full date the page writes in its text is its date, the first of a month too.
    for written, day in (("March 5, 2024", date(2024, 3, 5)), ("1 March 2024", date(2024, 3, 1))):
        posted = _html_page("<title>Quay to open</title>", f"<p>Posted on {written}</p>{story}")
        article = _clean_one(RawDocument("page.html", "html", None, posted))
        assert article.published_date == day


@pytest.mark.parametrize(
    "above",
    ["ANALYSIS", "EXCLUSIVE\n\nBy Jane Doe", "UPDATE 2-Council passes budget", "By Jane Doe"],
)
@pytest.mark.parametrize(
    ("opening", "place"),
    [("WASHINGTON (Reuters) -", "Washington"), ("LONDON, Dec 5 (AP) —", "London")],
)
def test_a_dateline_under_a_kicker_or_byline_line_is_read(above, opening, place):
    article = _text(f"{above}\n\n{opening} {STORY}", {"title": "Council passes budget"})
    assert article.dateline == place
    # Where the dateline ends: the extractors take no speaker or actor before it.
    end = dateline_length(article.body)
    assert article.body[:end].endswith(f"{opening} ")
    assert article.body[end:].startswith("The city council")


@pytest.mark.parametrize(
    "text",
    [
        f"INTERVIEW\n\nQUESTION: What do you make of the budget the council passed?\n\n{STORY}",
        f"RESULTS\n\nLIVERPOOL - Salah 23, Nunez 78\n\nCHELSEA - Palmer 12\n\n{STORY}",
        f"{STORY}\n\nLONDON (Reuters) - {STORY}",  # a second dateline, under the story's prose
        f"The council met on Tuesday.\n\nLONDON (Reuters) - {STORY}",  # under a standfirst
    ],
)
def test_no_dateline_is_read_past_the_storys_opening(text):
    article = _text(text, {"title": "Council passes budget"})
    assert article.dateline is None
    assert dateline_length(article.body) == 0


@pytest.mark.parametrize(
    "ending",
    [
        # A story's own last line answers the paragraph before it.
        "Who was the first to report the leak?\n\nAP",
        "Sources for this story:\n\nBloomberg",
    ],
)
def test_an_agency_name_ending_a_story_is_its_own_line_where_it_answers_a_question(ending):
    article = _text(f"HALDEN, May 9 (Reuters) - {STORY}\n\n{ending}")
    assert article.body.endswith(ending.rsplit("\n\n", 1)[1])


def test_only_a_wire_story_is_signed_off_by_an_agency_name():
    # Without a wire dateline the last line is the story's.
    article = _text(f"{STORY}\n\nThe report was written for the agency.\n\nAP")
    assert article.body.endswith("\n\nAP")
