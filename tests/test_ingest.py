"""Ingest: every input becomes a raw document or a quarantine row with a reason."""

from __future__ import annotations

import json

import pytest

from tasks.clean import clean
from tasks.ingest import InputError, read_inputs


def test_seeds_folder_reads_every_article_with_relative_uris(tmp_path):
    from conftest import SEEDS

    documents, quarantined = read_inputs([str(SEEDS)])
    assert quarantined == []
    assert sorted(d.source_uri for d in documents) == sorted(p.name for p in SEEDS.iterdir())
    assert all(d.input_format == "txt" and d.text for d in documents)


def test_folder_is_read_recursively_and_globs_and_files_are_accepted(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.txt").write_text("Deep story text.")
    (tmp_path / "a" / "page.html").write_text("<html><body><p>Page text.</p></body></html>")
    (tmp_path / "top.txt").write_text("Top story text.")

    documents, _ = read_inputs([str(tmp_path)])
    assert sorted(d.source_uri for d in documents) == ["a/b/deep.txt", "a/page.html", "top.txt"]
    html = next(d for d in documents if d.source_uri == "a/page.html")
    assert html.input_format == "html" and html.html and html.text is None

    documents, _ = read_inputs([str(tmp_path / "**" / "*.txt")])
    assert sorted(d.source_uri for d in documents) == ["a/b/deep.txt", "top.txt"]
    documents, _ = read_inputs([str(tmp_path / "top.txt"), str(tmp_path / "top.txt")])
    assert [d.source_uri for d in documents] == ["top.txt"]


def test_missing_input_is_a_clear_run_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_inputs([str(tmp_path / "nope")])
    with pytest.raises(InputError, match="matches no file"):
        read_inputs([str(tmp_path / "*.txt")])


def test_unreadable_files_are_quarantined_while_the_others_are_read(tmp_path):
    (tmp_path / "good.txt").write_text("A good article about Japan and Taiwan.")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\t\n")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 not an article")

    documents, quarantined = read_inputs([str(tmp_path)])
    assert [d.source_uri for d in documents] == ["good.txt"]
    reasons = {q.source_uri: q.reason for q in quarantined}
    assert reasons == {
        "blank.txt": "empty_file",
        "empty.txt": "empty_file",
        "image.txt": "binary",
        "notes.docx": "unsupported_format",
    }
    assert all(q.step == "ingest" and q.detail for q in quarantined)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Déjà vu in Zürich — “quoted”".encode("utf-16"), "Déjà vu in Zürich — “quoted”"),
        ("Déjà vu in Zürich".encode("utf-8-sig"), "Déjà vu in Zürich"),
        # UTF-16 saved without its byte-order mark, in either byte order (Windows exports).
        ("Déjà vu in Zürich — “quoted”".encode("utf-16-le"), "Déjà vu in Zürich — “quoted”"),
        ("Déjà vu in Zürich — “quoted”".encode("utf-16-be"), "Déjà vu in Zürich — “quoted”"),
        (
            "Le ministère a déclaré que la délégation était arrivée à Zürich.".encode("cp1252"),
            "Le ministère a déclaré que la délégation était arrivée à Zürich.",
        ),
    ],
)
def test_text_is_decoded_from_its_encoding(tmp_path, data, expected):
    (tmp_path / "article.txt").write_bytes(data)
    documents, quarantined = read_inputs([str(tmp_path / "article.txt")])
    assert quarantined == []
    assert documents[0].text == expected


def test_jsonl_records_get_uris_metadata_and_reasons(tmp_path):
    lines = [
        json.dumps(
            {
                "id": "r1",
                "url": "https://example.com/1",
                "title": "T",
                "date": "2023-09-12",
                "text": "Body one.",
            }
        ),
        json.dumps({"url": "https://example.com/2", "html": "<p>Body two.</p>"}),
        "{not json",
        json.dumps({"id": "r3", "title": "no content"}),
        json.dumps({"id": "r1", "text": "Same id again."}),
        json.dumps({"id": "r4", "text": ["wrong", "type"]}),
        json.dumps(["not", "an", "object"]),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    documents, quarantined = read_inputs([str(tmp_path / "feed.jsonl")])

    assert [d.source_uri for d in documents] == [
        "feed.jsonl#r1",
        "feed.jsonl#https://example.com/2",
    ]
    first, second = documents
    assert first.text == "Body one." and first.metadata["date"] == "2023-09-12"
    assert first.metadata["title"] == "T"
    assert second.html == "<p>Body two.</p>" and second.text is None
    assert [(q.source_uri, q.reason) for q in quarantined] == [
        ("feed.jsonl#line3", "malformed_json"),
        ("feed.jsonl#r3", "missing_content"),
        ("feed.jsonl#r1", "duplicate_record_id"),
        ("feed.jsonl#line6", "invalid_record"),
        ("feed.jsonl#line7", "invalid_record"),
    ]


def test_jsonl_kind_is_read_into_the_metadata_and_checked(tmp_path):
    lines = [
        json.dumps({"id": "a", "kind": "article", "text": "An already-clean story."}),
        json.dumps({"id": "p", "kind": "page", "text": "Home\nA whole page's text."}),
        json.dumps({"id": "x", "kind": "blog", "text": "Neither kind."}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    documents, quarantined = read_inputs([str(tmp_path / "feed.jsonl")])
    assert [d.metadata["kind"] for d in documents] == ["article", "page"]
    assert [(q.source_uri, q.reason) for q in quarantined] == [
        ("feed.jsonl#line3", "invalid_record")
    ]
    assert "'blog'" in quarantined[0].detail


def test_a_symlink_out_of_the_input_root_is_not_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Outside the input root.")
    root = tmp_path / "inbox"
    root.mkdir()
    (root / "link.txt").symlink_to(secret)
    documents, quarantined = read_inputs([str(root)])
    assert documents == []
    assert [(q.source_uri, q.reason) for q in quarantined] == [("link.txt", "outside_input_root")]


def test_one_file_name_and_content_under_two_input_roots_is_read_once(tmp_path):
    # A feed mirrored in two folders: both copies have the source_uri "latest.txt" and one
    # content, so one article id, which the articles table must hold once.
    story = "BRUSSELS (Reuters) - Ministers agreed on Monday to extend the measures."
    for folder in ("mirror_a", "mirror_b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "latest.txt").write_text(story)
        (tmp_path / folder / "own.txt").write_text(f"A story filed only to {folder}.")

    documents, quarantined = read_inputs([str(tmp_path / "mirror_a"), str(tmp_path / "mirror_b")])
    assert sorted(d.source_uri for d in documents) == ["latest.txt", "own.txt", "own.txt"]
    assert [(q.source_uri, q.reason) for q in quarantined] == [("latest.txt", "duplicate_document")]
    assert "mirror_b" in quarantined[0].detail and "mirror_a" in quarantined[0].detail


def test_jsonl_one_line_fields_are_read_as_a_reader_means_them(tmp_path):
    lines = [
        {"id": "a", "kind": "Article", "title": "Talks resume\n in Geneva ", "text": "A story."},
        {"id": "  ", "kind": " PAGE ", "text": "Home\nA whole page's text."},
        {"id": "  ", "text": "A second record with a blank id."},
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n")
    documents, quarantined = read_inputs([str(tmp_path / "feed.jsonl")])
    assert quarantined == []
    assert [d.source_uri for d in documents] == [
        "feed.jsonl#a",
        "feed.jsonl#line2",
        "feed.jsonl#line3",
    ]
    assert [d.metadata.get("kind") for d in documents] == ["article", "page", None]
    assert documents[0].metadata["title"] == "Talks resume in Geneva"


def test_a_jsonl_html_field_without_markup_is_read_as_text(tmp_path):
    lines = [
        {"id": "plain", "html": "Bank of Canada holds its key rate at 5% for a third time"},
        {"id": "tagged", "html": "<p>Bank of Canada holds its key rate</p>"},
        {"id": "entity", "html": "Rates &amp; bonds"},
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n")
    documents, _ = read_inputs([str(tmp_path / "feed.jsonl")])
    plain, tagged, entity = documents
    assert (plain.text, plain.html) == (lines[0]["html"], None)
    assert plain.content == lines[0]["html"]  # the content, and so the article id, are kept
    assert tagged.html is not None and entity.html is not None


def test_feed_items_are_read_under_the_names_feeds_give_their_fields(tmp_path):
    lines = [
        # A JSON Feed item: its body is "content_html" or "content_text", its date
        # "date_published"; an RSS item's or feedparser entry's address is its "link".
        {
            "id": "jf-1",
            "title": "Harbour bridge reopens",
            "date_published": "2024-03-05T10:00:00Z",
            "content_html": "<p>The harbour bridge reopened on Tuesday.</p>",
        },
        {"id": "jf-2", "content_text": "The ferry timetable changes on Monday."},
        {"link": "https://example.org/rss/3", "html": "<p>Trams run again.</p>"},
        # A field's own name wins over its alias.
        {"id": "both", "text": "The body.", "content_text": "The feed's copy."},
        # A feedparser entry: its content in parts, its summary a teaser of it.
        {
            "id": "fp",
            "summary": "Ferries are back.",
            "content": [{"type": "text/html", "value": "<p>The ferries are back.</p>"}],
        },
        # An item with only its summary (RSS "description"): the body a feed reader shows.
        {"id": "rss", "description": "Trams run again on the east side."},
        {"id": "teaser", "text": "The whole story.", "summary": "A teaser."},
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n")
    documents, quarantined = read_inputs([str(tmp_path / "feed.jsonl")])
    assert quarantined == []
    first, second, third, both, entry, described, teaser = documents
    assert first.html == lines[0]["content_html"]
    assert first.metadata["date"].startswith("2024-03-05")
    assert (second.text, second.html) == (lines[1]["content_text"], None)
    assert third.source_uri == "feed.jsonl#https://example.org/rss/3"
    assert both.text == "The body."
    assert entry.html == "<p>The ferries are back.</p>"
    assert (described.text, described.html) == ("Trams run again on the east side.", None)
    assert (teaser.text, teaser.html) == ("The whole story.", None)


def test_cdata_sections_and_escaped_markup_left_in_feed_fields_are_unwrapped(tmp_path):
    lines = [
        {
            "id": "cdata",
            "title": "<![CDATA[Harbour bridge reopens]]>",
            "html": "<![CDATA[<p>The bridge reopened.</p><p>Traffic was light.</p>]]>",
        },
        # A description escaped twice: its tags arrive as "&lt;p&gt;".
        {"id": "escaped", "html": "&lt;p&gt;Trams run again &amp;amp; on time.&lt;/p&gt;"},
        # Text that only shows an escaped character is kept as it was written.
        {"id": "entity", "html": "Rates &amp; bonds"},
        # Each section unwrapped where it stands; an id or url is kept as written.
        {
            "id": "<![CDATA[x]]>",
            "title": "<![CDATA[Ferries]]> and <![CDATA[trams]]>",
            "html": "<![CDATA[<p>First.</p>]]><p>Second.</p><![CDATA[<p>Third.</p>]]>",
        },
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n")
    documents, quarantined = read_inputs([str(tmp_path / "feed.jsonl")])
    assert quarantined == []
    cdata, escaped, entity, sections = documents
    assert cdata.metadata["title"] == "Harbour bridge reopens"
    assert cdata.html == "<p>The bridge reopened.</p><p>Traffic was light.</p>"
    assert escaped.html == "<p>Trams run again &amp; on time.</p>"
    assert entity.html == "Rates &amp; bonds"
    assert sections.metadata["id"] == "<![CDATA[x]]>"
    assert sections.metadata["title"] == "Ferries and trams"
    assert sections.html == "<p>First.</p><p>Second.</p><p>Third.</p>"


def test_a_text_that_is_html_is_read_as_a_page(tmp_path):
    markup = "<p>The ferry resumed service.</p><p>Passengers were relieved.</p>"
    mentions = [
        "To start a paragraph, use the <p> tag and close it with </p>. Browsers add space.",
        "In Python, write print('<b>bold</b>') to emit bold markup in a page.",
        "HARBOUR LINES <HBL> SETS DIVIDEND as costs < revenue",
        "Shares of USX <X> rose on Monday.<br>Analysts cheered.",
    ]
    lines = [
        {"id": "tags", "text": markup},
        {"id": "fragment", "text": "<div>The ferry resumed service.</div>"},
        # Words that mention a tag, a ticker in angle brackets, a comparison: words, not markup.
        *({"id": f"words{number}", "text": text} for number, text in enumerate(mentions)),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n")
    (tmp_path / "saved.txt").write_text(f"<!DOCTYPE html><html><body>{markup}</body></html>")
    (tmp_path / "tutorial.txt").write_text(mentions[0])
    documents, quarantined = read_inputs([str(tmp_path)])
    assert quarantined == []
    read = {d.source_uri: d for d in documents}
    for uri in ("feed.jsonl#tags", "feed.jsonl#fragment", "saved.txt"):
        assert read[uri].html is not None and read[uri].text is None
    for number, text in enumerate(mentions):
        words = read[f"feed.jsonl#words{number}"]
        assert (words.text, words.html) == (text, None)
    assert (read["tutorial.txt"].text, read["tutorial.txt"].html) == (mentions[0], None)


def test_escaped_words_stay_words_and_escaped_pages_are_read(tmp_path):
    lines = [
        {"id": "ticker", "html": "Shares of AT&amp;T &lt;T&gt; rose 3% on Monday, traders said."},
        {"id": "caps", "html": "HARBOUR LINES &lt;HBL&gt; SETS DIVIDEND of 5 cents a share."},
        {"id": "tag", "html": "Use &lt;br&gt; for a line break in a signature, the guide says."},
        {
            "id": "page",
            "html": "&lt;p&gt;Ferries sailed.&lt;/p&gt;&lt;p&gt;Riders cheered.&lt;/p&gt;",
        },
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n")
    documents, quarantined = read_inputs([str(tmp_path)])
    articles, rejected = clean(documents)
    assert quarantined == rejected == []
    bodies = {a.source_uri.split("#")[1]: a.body for a in articles}
    assert "AT&T <T> rose" in bodies["ticker"]
    assert "HARBOUR LINES <HBL> SETS DIVIDEND" in bodies["caps"]
    assert bodies["tag"].startswith("Use <br> for a line break")
    assert "<p>" not in bodies["page"] and "Riders cheered." in bodies["page"]


def test_jsonl_records_end_at_newlines_only(tmp_path):
    # JSON strings may hold U+2028, U+2029 or U+0085 unescaped (json.dumps with
    # ensure_ascii=False, JavaScript's JSON.stringify write them so).
    lines = [
        {"id": "a", "text": "The harbour reopened.\u2028Ferries sailed again."},
        {"id": "b", "text": "Prices rose\u2029 sharply\u0085 on Monday."},
        {"id": "c", "text": "Trams run again."},
    ]
    # Lines end with CRLF, a lone CR (old Mac files) or LF.
    records = "".join(
        json.dumps(line, ensure_ascii=False) + end
        for line, end in zip(lines, ("\r", "\r\n", "\n"), strict=True)
    )
    (tmp_path / "feed.jsonl").write_text(records, encoding="utf-8", newline="")
    documents, quarantined = read_inputs([str(tmp_path / "feed.jsonl")])
    assert quarantined == []
    assert [d.text for d in documents] == [line["text"] for line in lines]


def test_a_feed_field_in_a_shape_it_is_not_read_in_never_invalidates_the_record(tmp_path):
    story = "The ferry resumed service on Monday, the operator said."
    lines = [
        # WordPress's REST "content", feedparser's content without a value, a list of links,
        # authors without names: each is left out, and the record's own text is read.
        {"id": "wordpress", "text": story, "content": {"rendered": "<p>x</p>"}},
        {"id": "novalue", "text": story, "content": [{"type": "text/html", "value": None}]},
        {"id": "links", "text": story, "link": ["https://example.org/a"]},
        {"id": "authors", "text": story, "authors": [{"url": "https://example.org/jd"}]},
        {"id": "byline", "text": story, "byline": False},
        # A record's own text is its body, not another field's copy.
        {"id": "own", "text": story, "content_html": "<p>A teaser.</p>"},
        # An empty text is no text: the summary is the body.
        {"id": "empty", "text": "", "summary": story},
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n")
    documents, quarantined = read_inputs([str(tmp_path / "feed.jsonl")])
    assert quarantined == []
    assert [d.source_uri.split("#")[1] for d in documents] == [line["id"] for line in lines]
    assert all(d.text == story and d.html is None for d in documents)
    assert all("author" not in d.metadata and "url" not in d.metadata for d in documents)
