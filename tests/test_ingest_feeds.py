"""RSS, Atom and RDF feed files as input: each item one record, read as a JSONL record is."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

import flows.news_pipeline as pipeline
from tasks.clean import clean
from tasks.ingest import read_inputs

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Lakeside Gazette</title><link>https://gazette.example.org/</link>
<item>
  <title>Ferry service resumes &amp; timetable changes</title>
  <link>https://gazette.example.org/ferry</link>
  <guid isPermaLink="false">gazette-101</guid>
  <pubDate>Tue, 05 Mar 24 10:00:00 GMT</pubDate>
  <dc:creator>Jane Doe</dc:creator>
  <description>&lt;p&gt;Ferries are back.&lt;/p&gt;</description>
  <content:encoded><![CDATA[<p>The lake ferry resumed service on Tuesday after a month of
  repairs to its engines.</p><p>The operator said the new timetable adds two evening
  crossings.</p>]]></content:encoded>
</item>
<item>
  <title>Library hours extended</title>
  <link>https://gazette.example.org/library</link>
  <pubDate>Wed, 06 Mar 2024 09:00:00 +0000</pubDate>
  <description>The town library will open until nine on weekdays, the council said.</description>
</item>
<item>
  <title>A headline with no story</title>
  <link>https://gazette.example.org/empty</link>
</item>
<item>
  <title>Market day moves</title>
  <pubDate>sometime last week</pubDate>
  <description>The weekly market moves to the harbour square from next month.</description>
</item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Valley Courier</title><id>urn:valley-courier</id><updated>2024-03-06T00:00:00Z</updated>
<entry>
  <title type="html">&lt;em&gt;Live&lt;/em&gt; Bridge vote</title>
  <id>urn:valley-courier:7</id>
  <link rel="alternate" href="https://courier.example.org/bridge"/>
  <published>2024-03-05T23:30:00-05:00</published>
  <updated>2024-03-07T08:00:00Z</updated>
  <author><name>Jane Doe</name></author><author><name>Tom Roe</name></author>
  <summary>The council voted.</summary>
  <content type="html">&lt;p&gt;The valley council voted on Tuesday to rebuild the old
  stone bridge over the river.&lt;/p&gt;</content>
</entry>
<entry>
  <title>Snow closes the pass</title>
  <id>urn:valley-courier:8</id>
  <updated>2024-03-06T06:00:00Z</updated>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Heavy snow closed the
  mountain pass overnight, the road authority said.</p></div></content>
</entry>
</feed>
"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://hill.example.org/">
  <title>Hill Herald</title><link>https://hill.example.org/</link><description>News</description>
</channel>
<item rdf:about="https://hill.example.org/school">
  <title>School roof repaired</title><link>https://hill.example.org/school</link>
  <description>Workers finished repairing the school roof before the spring term.</description>
  <dc:date>20240305T101500Z</dc:date><dc:creator>Ann Lee</dc:creator>
</item>
<item rdf:about="https://hill.example.org/school">
  <title>School roof repaired (again)</title><link>https://hill.example.org/school</link>
  <description>The same item twice in one file.</description>
</item>
</rdf:RDF>
"""


def _read(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return read_inputs([str(path)])


def test_rss_items_are_records_with_the_jsonl_field_mapping(tmp_path):
    documents, quarantined = _read(tmp_path, "gazette.rss", RSS)
    ferry, library, _ = documents
    # Source URIs: the file and the item's guid, else its link and a digest of its content.
    assert [d.source_uri.rpartition("#")[0] for d in documents] == [
        "gazette.rss",
        "gazette.rss#https://gazette.example.org/library",
        "gazette.rss",
    ]
    assert ferry.source_uri == "gazette.rss#gazette-101"
    assert ferry.metadata == {
        "id": "gazette-101",
        "url": "https://gazette.example.org/ferry",
        "title": "Ferry service resumes & timetable changes",
        "author": "Jane Doe",
        "date": "Tue, 05 Mar 24 10:00:00 GMT",
    }
    # content:encoded is the body, not the description's teaser.
    assert "two evening" in ferry.html and "Ferries are back" not in ferry.html
    # A description without markup is the body where there is no other, read as text.
    assert library.text.startswith("The town library") and library.html is None
    assert [(q.source_uri.rpartition("#")[0], q.reason) for q in quarantined] == [
        ("gazette.rss#https://gazette.example.org/empty", "missing_content")
    ]
    assert "item 3" in quarantined[0].detail

    articles, rejected = clean(documents)
    assert rejected == []
    by_uri = {article.source_uri: article for article in articles}
    assert by_uri[ferry.source_uri].published_date == date(2024, 3, 5)
    assert by_uri[ferry.source_uri].byline == "Jane Doe"
    assert by_uri[ferry.source_uri].body.startswith("The lake ferry resumed service")
    # No usable date is a null date, as for JSONL: the item is still published.
    assert by_uri[documents[2].source_uri].published_date is None


def test_atom_entries_give_every_author_and_the_published_date(tmp_path):
    documents, quarantined = _read(tmp_path, "courier.atom", ATOM)
    assert quarantined == []
    bridge, snow = documents
    assert bridge.source_uri == "courier.atom#urn:valley-courier:7"
    assert bridge.metadata["url"] == "https://courier.example.org/bridge"
    assert bridge.metadata["author"] == "Jane Doe, Tom Roe"
    # "published" wins over "updated"; "updated" dates an entry that has no other date.
    assert bridge.metadata["date"] == "2024-03-05T23:30:00-05:00"
    assert snow.metadata["date"] == "2024-03-06T06:00:00Z"

    articles, _ = clean(documents)
    first = next(a for a in articles if a.source_uri == bridge.source_uri)
    assert first.title == "Live Bridge vote"
    assert first.published_date == date(2024, 3, 5)  # the day it states in its zone
    assert first.body.startswith("The valley council voted")
    assert {a.source_uri: a.body for a in articles}[snow.source_uri].startswith("Heavy snow")


def test_rdf_items_read_dublin_core_fields_and_a_repeated_item_once(tmp_path):
    documents, quarantined = _read(tmp_path, "herald.rdf", RDF)
    (school,) = documents
    assert school.source_uri == "herald.rdf#https://hill.example.org/school"
    assert school.metadata["author"] == "Ann Lee"
    assert [(q.source_uri, q.reason) for q in quarantined] == [
        ("herald.rdf#https://hill.example.org/school", "duplicate_record_id")
    ]
    (article,), _ = clean(documents)
    assert article.published_date == date(2024, 3, 5)  # dc:date in ISO 8601's compact form


@pytest.mark.parametrize(
    ("name", "content", "reason", "said"),
    [
        (
            "sitemap.xml",
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>https://example.org/a</loc></url></urlset>",
            "not_a_feed",
            "a sitemap (root element <urlset>)",
        ),
        (
            "page.rss",
            "<!DOCTYPE html><html><body><p>Our feed has moved.</p></body></html>",
            "not_a_feed",
            "an HTML page",
        ),
        (
            "notes.xml",
            '<?xml version="1.0"?><!-- settings --><config><size>3</size></config>',
            "not_a_feed",
            "XML (root element <config>)",
        ),
        ("broken.xml", "The council met. No markup here at all.", "malformed_xml", "not XML"),
        (
            "quiet.rss",
            '<rss version="2.0"><channel><title>Quiet</title></channel></rss>',
            "empty_feed",
            "the RSS 2.0 feed has no items",
        ),
        ("blank.atom", "  \n", "empty_file", "no text"),
    ],
)
def test_a_file_that_is_no_feed_is_quarantined_saying_what_it_is(
    tmp_path, name, content, reason, said
):
    documents, quarantined = _read(tmp_path, name, content)
    assert documents == []
    assert [(q.source_uri, q.step, q.reason) for q in quarantined] == [(name, "ingest", reason)]
    assert said in quarantined[0].detail


def test_a_feed_cut_short_quarantines_only_its_unfinished_last_item(tmp_path):
    whole = RSS.encode("utf-8")
    # Cut inside the first item's content:encoded: its description alone would be published
    # as its body.
    cut = whole[: whole.index(b"crossings.")]
    documents, quarantined = _read(tmp_path, "cut.rss", cut)
    assert documents == []
    assert [(q.source_uri, q.reason) for q in quarantined] == [("cut.rss#item1", "truncated_item")]
    # Cut after the last item closes: every item is whole and read.
    ended = whole[: whole.index(b"</channel>")]
    documents, quarantined = _read(tmp_path, "ended.rss", ended)
    assert len(documents) == 3 and [q.reason for q in quarantined] == ["missing_content"]


@pytest.mark.parametrize(
    "elements",
    [
        # Feeds often use HTML's entities (&nbsp;, &mdash;), which XML does not define.
        "<title>Roads&nbsp;reopen</title><description>The roads reopened on Monday &mdash; "
        "the council said.</description>",
        # An element no feed format defines is no record field: no invalid "kind", no body.
        "<kind>breaking</kind><text>Short</text><description>The roads reopened on Monday "
        "&#8212; the council said.</description>",
    ],
)
def test_a_feed_item_is_read_despite_html_entities_or_elements_of_its_own(tmp_path, elements):
    feed = f'<rss version="2.0"><channel><item><guid>a1</guid>{elements}</item></channel></rss>'
    documents, quarantined = _read(tmp_path, "entities.xml", feed)
    assert quarantined == []
    assert documents[0].text == "The roads reopened on Monday — the council said."
    assert "kind" not in documents[0].metadata


def test_a_feed_in_a_legacy_encoding_is_decoded_as_it_declares(tmp_path):
    feed = (
        '<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><item>'
        "<guid>z1</guid><title>Caf\u00e9 opens</title><description>The caf\u00e9 in Z\u00fcrich"
        " opened on Monday.</description></item></channel></rss>"
    )
    documents, quarantined = _read(tmp_path, "legacy.xml", feed.encode("cp1252"))
    assert quarantined == []
    assert documents[0].metadata["title"] == "Caf\u00e9 opens"
    assert documents[0].text == "The caf\u00e9 in Z\u00fcrich opened on Monday."


@pytest.mark.slow
def test_feed_files_run_through_the_flow_with_every_item_accounted_for(prefect_api, tmp_path):
    inbox = tmp_path / "feeds"
    inbox.mkdir()
    (inbox / "gazette.rss").write_text(RSS)
    (inbox / "courier.atom").write_text(ATOM)
    (inbox / "herald.rdf").write_text(RDF)
    (inbox / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset><url><loc>https://example.org/</loc></url></urlset>'
    )
    output = tmp_path / "out"
    summary = pipeline.news_pipeline(inputs=(str(inbox),), output=str(output))
    # 4 + 2 + 2 items and one file that is no feed: 6 published, 3 quarantined.
    assert summary["documents"] == {
        "read": 9, "published": 6, "quarantined": 3, "already_published": 0
    }  # fmt: skip
    reasons = duckdb.sql(
        f"SELECT source_uri, reason FROM read_parquet('{output}/quarantine/*.parquet')"
    ).fetchall()
    # (An item without a guid: its link and a digest of its content.)
    assert sorted((uri.removesuffix(f"#{uri[-16:]}"), reason) for uri, reason in reasons) == [
        ("gazette.rss#https://gazette.example.org/empty", "missing_content"),
        ("herald.rdf#https://hill.example.org/school", "duplicate_record_id"),
        ("sitemap.xml", "not_a_feed"),
    ]
    # A re-run over the same feeds is incremental: every item published is skipped (the
    # quarantined ones are read and quarantined again, as a JSONL file's are).
    again = pipeline.news_pipeline(inputs=(str(inbox),), output=str(output))
    assert again["published"] is False
    assert (again["documents_read"], again["documents_new"]) == (9, 3)


def test_a_feed_never_reads_a_file_or_expands_entities_its_doctype_declares(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("PRIVATE-KEY-MATERIAL")
    nested = "".join(
        f'<!ENTITY e{depth} "{(f"&e{depth - 1};" if depth else "ha") * 10}">' for depth in range(9)
    )
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "external.xml").write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><item><guid>a</guid><description>Roads reopen &x; today.'
        "</description></item></channel></rss>"
    )
    (feeds / "laughs.xml").write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [{nested}]><rss version="2.0"><channel><item>'
        "<guid>b</guid><description>Roads reopen &e8; today.</description></item></channel></rss>"
    )
    documents, _ = read_inputs([str(feeds)])
    assert documents
    for document in documents:
        assert "PRIVATE-KEY-MATERIAL" not in document.content
        assert len(document.content) < 1000  # a billion laughs are not expanded


def test_a_feed_file_holding_a_path_or_a_url_opens_neither(tmp_path):
    other = tmp_path / "other.rss"
    other.write_text(RSS)
    for name, content in [
        ("pointer.xml", str(other)),
        ("zero.xml", "/dev/zero"),
        ("link.xml", "http://127.0.0.1:9/feed.rss"),
    ]:
        documents, quarantined = _read(tmp_path, name, content)
        assert documents == []
        assert [q.reason for q in quarantined] == ["malformed_xml"]


def test_a_feed_cut_short_after_an_html_entity_still_quarantines_its_last_item(tmp_path):
    feed = (
        '<rss version="2.0"><channel>\n<item><guid>a1</guid><title>Roads&nbsp;reopen</title>\n'
        "<description>The roads reopened on Monday, the council said.</description></item>\n"
        "<item><guid>a2</guid><title>Bridge vote</title>\n"
        "<description>The council will vote on the bridge on"
    )
    documents, quarantined = _read(tmp_path, "cut.rss", feed)
    assert [d.source_uri for d in documents] == ["cut.rss#a1"]
    assert [(q.source_uri, q.reason) for q in quarantined] == [("cut.rss#item2", "truncated_item")]


def test_an_author_named_twice_is_named_once(tmp_path):
    feed = (
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
        "<item><guid>p1</guid><dc:creator>Jane Doe</dc:creator><itunes:author>jane  doe"
        "</itunes:author><description>The first episode of the season.</description></item>"
        "<item><guid>p2</guid><author>jdoe@example.com (Jane Doe)</author><dc:creator>Jane Doe"
        "</dc:creator><description>The second episode of the season.</description></item>"
        "<item><guid>p3</guid><dc:creator>Jane Doe</dc:creator><dc:creator>Tom Roe</dc:creator>"
        "<description>The third episode of the season.</description></item>"
        "</channel></rss>"
    )
    documents, _ = _read(tmp_path, "podcast.rss", feed)
    authors = [d.metadata["author"] for d in documents]
    assert authors == ["Jane Doe", "Jane Doe", "Jane Doe, Tom Roe"]


def test_a_second_summary_element_is_not_the_body(tmp_path):
    feed = (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
        "<item><guid>s1</guid><description>The harbour master explains how the new ferry "
        "timetable works and why two evening crossings were added.</description>"
        "<itunes:summary>The new timetable.</itunes:summary></item>"
        "<item><guid>s2</guid><description>A teaser.</description><content:encoded>"
        "<![CDATA[<p>The library will open until nine on weekdays.</p><p>The council said the "
        "change starts next month.</p>]]></content:encoded>"
        "<itunes:summary>The library's new hours.</itunes:summary></item>"
        "</channel></rss>"
    )
    (described, encoded), _ = _read(tmp_path, "summaries.rss", feed)
    assert described.text.startswith("The harbour master explains")
    assert "The new timetable." not in described.content
    assert encoded.html.startswith("<p>The library will open")
    assert "new hours" not in encoded.html


def test_items_without_a_guid_are_known_by_their_content(tmp_path):
    def feed(*items: str) -> str:
        return f'<rss version="2.0"><channel>{"".join(items)}</channel></rss>'

    old = "<item><title>Roads reopen</title><description>The roads reopened.</description></item>"
    new = "<item><title>Snow falls</title><description>Snow fell overnight.</description></item>"
    before, _ = _read(tmp_path, "a.rss", feed(old))
    after, _ = _read(tmp_path, "a.rss", feed(new, old))
    # An item added above an item without a guid or link leaves that item's source as it was.
    assert before[0].source_uri == after[1].source_uri != after[0].source_uri
    # A live blog's updates share a link: each update is an item, the same one twice is not.
    update = "<item><link>https://example.org/live</link><description>{}</description></item>"
    updates = [update.format(text) for text in ("Polls close.", "Polls open.", "Polls open.")]
    documents, quarantined = _read(tmp_path, "live.rss", feed(*updates))
    assert len(documents) == 2
    assert all(d.source_uri.startswith("live.rss#https://example.org/live#") for d in documents)
    assert [q.reason for q in quarantined] == ["duplicate_record_id"]


def test_a_sitemap_with_a_long_comment_header_is_named_a_sitemap(tmp_path):
    comment = "<!-- " + "generated by a site builder; " * 300 + "-->"
    sitemap = (
        f'<?xml version="1.0"?>{comment}<urlset><url><loc>https://example.org/</loc></url></urlset>'
    )
    _, quarantined = _read(tmp_path, "sitemap.xml", sitemap)
    assert [q.reason for q in quarantined] == ["not_a_feed"]
    assert "a sitemap" in quarantined[0].detail
