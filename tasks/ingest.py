"""Ingest: the one place that reads input. Files, folders and globs become raw documents.

Supported inputs: `.txt` dumps, `.html`/`.htm` pages, `.jsonl` files with one article per
line (`{"id", "url", "title", "date", "kind", "text" or "html"}`; `kind`, optional, says
whether a `text` is already just the article or a whole page's dump; the date may also be
called "published" or "date_published", as feeds call it) and RSS, Atom or RDF feed files
(`.xml`, `.rss`, `.atom`, `.rdf`), read by feedparser, each item one record of the same
fields as a JSONL line. What cannot be read becomes a quarantine row with its reason; nothing
is dropped silently.

Size limits (quarantined beyond them, reason `too_large`): a document (a file, or one JSONL
record or feed item) of more than MAX_DOCUMENT_BYTES, and a text document with a line longer than
MAX_LINE_CHARS (no article has such a line; a dump that does is a data blob, not prose).
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from charset_normalizer import from_bytes

from tasks.ids import article_id
from tasks.records import TEXT_KINDS, Quarantined, RawDocument

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_LINE_CHARS = 1_000_000
FORMATS = {
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
}
JSONL_FIELDS = ("id", "url", "title", "author", "date", "kind", "text", "html")
# What feeds call the fields when they use other names: the date as feedparser's entries
# ("published" from RSS's pubDate or Atom's published, else "updated" from Atom's updated or
# dc:date) and JSON Feed items ("date_published") name it, JSON Feed's "content_text" and
# "content_html", feedparser's "content" (a list of {"type", "value"}), and an RSS item's or
# feedparser entry's "link". The field's own name comes first when a record has several.
_ALIASES = {
    "date": ("published", "date_published", "updated"),
    "text": ("content_text",),
    "html": ("content_html", "content"),
    "url": ("link",),
    "author": ("byline", "authors"),
}
# An item's summary (feedparser's "summary", RSS's "description", JSON Feed's "summary"): its
# body where it has no other, as a feed reader shows it.
_SUMMARIES = ("summary", "description")
# Fields a reader takes for one line of words. (An id or url is kept as written: the article
# id derives from it.)
_LINE_FIELDS = {"title", "author", "date", "kind"}
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_BINARY_MAGIC = (b"\x89PNG", b"\x1f\x8b", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04")
_CONTROL_BYTES = bytes(range(32)).translate(None, b"\t\n\r\f\v\x1b")
_ASCII_BYTES = bytes(range(128))
# Share of the non-ASCII bytes that must form valid UTF-8 characters for text with a few
# invalid bytes to be read as damaged UTF-8. Legacy encodings measured on news sentences:
# 0 for single-byte code pages (Windows-1252/1251, Latin-1, Greek), at most 0.42 for CJK ones
# (GBK, Big5, Shift-JIS, EUC-JP, EUC-KR); UTF-8 with a few truncated or stray bytes: 0.7 to 0.96.
_DAMAGED_UTF8_MIN_VALID = 0.6
# UTF-16 text of ASCII and Latin-1 letters, Greek or Cyrillic has a zero or a small constant
# byte on one side of each pair: ASCII and Latin-1 characters (spaces, digits, punctuation
# among them) write a zero there, so zeros fill at least half of that side in a Latin text,
# and hardly any of the other (only characters such as U+0100 "Ā" or U+3000 have a zero low
# byte). A text mostly in Cyrillic or Greek (high byte 0x04 or 0x03, not zero) or in CJK
# characters fails this test: only the encoding detection after it may read it.
_UTF16_MIN_ZEROS = 0.5
_UTF16_MAX_OTHER_ZEROS = 0.01
# Lone UTF-16 surrogates: JSON escapes like "\ud800" and file-name bytes that are not UTF-8
# decode to them, and no table can store them (UTF-8 cannot encode them).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_JSONL_LINE_END = re.compile(r"\r\n|\r|\n")
# A tag, a comment, a doctype or a character reference: what makes a string HTML.
_TAG = re.compile(r"<[A-Za-z!/?]")
_MARKUP = re.compile(rf"{_TAG.pattern}|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
# What shows that a text is a page and not words that mention a tag or a ticker ("use the <p>
# tag and close it with </p>", "USX <X>", "print('<b>bold</b>')"): it opens with an HTML
# element's tag, it has a doctype or an <html>/<body> element, or it has at least two elements
# of paragraphs, lists, tables or sections, each opened and closed. Tags in lower case open a
# text: "<T> rose" is a ticker.
_PAGE_START = re.compile(
    r"\s*(?:<!--|<!DOCTYPE\s|<(?:p|div|span|a|em|strong|b|i|u|br|img|h[1-6]|ul|ol|li|table"
    r"|blockquote|figure|section|article|header|main|pre)[\s/>])"
)
_PAGE_ELEMENT = re.compile(r"<!DOCTYPE\s+html|<html[\s>]|<body[\s>]", re.IGNORECASE)
_BLOCK_TAG = r"(?:p|div|li|h[1-6]|tr|td|th|blockquote|table|ul|ol|section|article|figure)"
_BLOCK_OPEN = re.compile(rf"<{_BLOCK_TAG}[\s>]", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"</{_BLOCK_TAG}>", re.IGNORECASE)
_MIN_BLOCK_ELEMENTS = 2
_ESCAPED_TAG = re.compile(r"&(?:lt|#0*60|#x0*3[Cc]);/?[A-Za-z]")
# An XML CDATA section left in a feed's field ("<![CDATA[Headline]]>"): its content, which
# cannot hold "]]>", is the value's text in its place.
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
# Fields a CDATA section is unwrapped in: an id or url is kept as written (the article id
# derives from it).
_CDATA_FIELDS = {"title", "author", "date", "kind", "text", "html"}


class InputError(ValueError):
    """An input argument that names nothing readable (a run-level error, not a row's)."""


@dataclass(frozen=True)
class InputFile:
    path: Path
    root: Path  # the input root that source_uri is relative to
    # The root with its links resolved, once for all its files (resolving walks every part).
    real_root: Path

    @property
    def source_uri(self) -> str:
        return _storable(self.path.relative_to(self.root).as_posix())


def unpublished(documents: Sequence[RawDocument], published: set[str]) -> list[RawDocument]:
    """The documents whose article id is not among the `published` ones."""
    return [d for d in documents if article_id(d.source_uri, d.content) not in published]


def read_inputs(inputs: Sequence[str]) -> tuple[list[RawDocument], list[Quarantined]]:
    """Read every input file into raw documents; unreadable ones become quarantine rows."""
    documents: list[RawDocument] = []
    quarantined: list[Quarantined] = []
    # Article id -> the file it was read from. Two input roots can hold one file name with one
    # content (a feed mirrored in two folders): one source_uri and one content make one article
    # id, and article ids must be unique, so the later copy is quarantined.
    read_from: dict[str, Path] = {}
    for item in _input_files(inputs):
        for result in _read_file(item):
            if isinstance(result, RawDocument):
                key = article_id(result.source_uri, result.content)
                if key in read_from:
                    result = Quarantined(
                        result.source_uri,
                        "ingest",
                        "duplicate_document",
                        f"{item.path} has the name and content of {read_from[key]}, "
                        "read earlier in this run",
                    )
                else:
                    read_from[key] = item.path
            (documents if isinstance(result, RawDocument) else quarantined).append(result)
    return documents, quarantined


def _input_files(inputs: Sequence[str]) -> Iterator[InputFile]:
    """Expand files, folders (recursively) and globs, each path once, in a stable order."""
    seen: set[Path] = set()
    for spec in inputs:
        for item in _expand(spec):
            key = item.path.absolute()
            if key not in seen:
                seen.add(key)
                yield item


def _expand(spec: str) -> list[InputFile]:
    path = Path(spec)
    if glob.has_magic(spec):
        root = _glob_root(spec)
        matches = [
            Path(p)
            for p in sorted(glob.glob(spec, recursive=True))
            if not _through_linked_folder(Path(p), root)
        ]
        files = [p for p in matches if p.is_file() or p.is_symlink()]
        for folder in (p for p in matches if p.is_dir()):
            files.extend(_walk(folder))
        if not files:
            raise InputError(f"input {spec!r} matches no file")
        real_root = root.resolve()
        return [InputFile(p, root, real_root) for p in files]
    if path.is_dir():
        real_root = path.resolve()
        return [InputFile(p, path, real_root) for p in _walk(path)]
    if path.is_file():
        return [InputFile(path, path.parent, path.parent.resolve())]
    raise InputError(f"input {spec!r} does not exist")


def _through_linked_folder(path: Path, root: Path) -> bool:
    """Whether a glob match lies below a linked folder: `**` follows such links, even in a
    loop (a link to `..`), and a folder input never does."""
    parts = path.relative_to(root).parts if path.is_relative_to(root) else path.parts
    return any((root / Path(*parts[:depth])).is_symlink() for depth in range(1, len(parts)))


def _glob_root(spec: str) -> Path:
    parts = Path(spec).parts
    fixed = [p for p in parts[: next(i for i, p in enumerate(parts) if glob.has_magic(p))]]
    return Path(*fixed) if fixed else Path(".")


def _walk(folder: Path) -> list[Path]:
    """Files under a folder, recursively and sorted; symlinked folders are not followed."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        found.extend(Path(dirpath) / name for name in sorted(filenames))
    return found


def _read_file(item: InputFile) -> Iterator[RawDocument | Quarantined]:
    uri = item.source_uri

    def reject(reason: str, detail: str) -> Quarantined:
        return Quarantined(uri, "ingest", reason, detail)

    if not item.path.resolve().is_relative_to(item.real_root):  # a link out of the root
        yield reject("outside_input_root", "the file resolves to a path outside its input root")
        return
    input_format = FORMATS.get(item.path.suffix.lower())
    if input_format is None:
        yield reject("unsupported_format", f"not one of {', '.join(sorted(FORMATS))}")
        return
    try:
        status = item.path.stat()
        if not stat.S_ISREG(status.st_mode):
            # Reading a named pipe or a device blocks or never ends.
            yield reject("unreadable", "not a regular file (a pipe, socket or device)")
            return
        size = status.st_size
        # A JSONL file or a feed is limited by record, as its records are read one by one.
        if input_format not in ("jsonl", "feed") and size > MAX_DOCUMENT_BYTES:
            yield reject("too_large", f"{size} bytes; the limit is {MAX_DOCUMENT_BYTES}")
            return
        data = item.path.read_bytes()
    except (PermissionError, FileNotFoundError, IsADirectoryError) as error:
        yield reject("unreadable", str(error))
        return
    if input_format == "jsonl":
        yield from _read_jsonl(uri, data)
        return
    if input_format == "feed":
        yield from _read_feed(uri, data)
        return
    text, problem = _decode(data)
    if problem:
        yield reject(*problem)
    elif not text.strip():
        yield reject("empty_file", "the file holds no text")
    elif input_format == "txt" and max(map(len, text.splitlines()), default=0) > MAX_LINE_CHARS:
        yield reject("too_large", f"a line is longer than {MAX_LINE_CHARS} characters")
    elif input_format == "txt" and not _is_page(text):
        yield RawDocument(uri, "txt", text=text, html=None)
    elif input_format == "txt":
        # A page's source saved as text: read as the page it is, not as text showing its tags.
        yield RawDocument(uri, "txt", text=None, html=text)
    else:
        yield RawDocument(uri, "html", text=None, html=text)


def _decode(data: bytes) -> tuple[str, tuple[str, str] | None]:
    """Text from bytes: a BOM's encoding, else UTF-8, else the best detected encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as error:
                return "", ("undecodable", f"invalid {encoding} after its byte-order mark: {error}")
    if data.startswith(_BINARY_MAGIC):
        return "", ("binary", "the file is binary data, not text")
    utf16 = _decode_utf16_without_bom(data)
    if utf16 is not None:
        return utf16, None
    if _looks_binary(data):
        return "", ("binary", "the file is binary data, not text")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    damaged = _decode_damaged_utf8(data)
    if damaged is not None:
        return damaged, None
    western = _decode_western(data)
    if western is not None:
        return western, None
    best = from_bytes(data).best()
    if best is None:
        return "", ("undecodable", "not UTF-8 and no text encoding fits the bytes")
    return str(best), None


def _decode_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without its byte-order mark (as Windows tools export it), or None:
    zero bytes on one side of the pairs (the odd bytes in little-endian order), and decoded, no
    control characters."""
    if len(data) < 2 or len(data) % 2:
        return None
    for zeros, others, encoding in (
        (data[1::2], data[0::2], "utf-16-le"),
        (data[0::2], data[1::2], "utf-16-be"),
    ):
        if zeros.count(0) >= _UTF16_MIN_ZEROS * len(zeros) and others.count(
            0
        ) <= _UTF16_MAX_OTHER_ZEROS * len(others):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return None if _looks_binary(text.encode("utf-8")) else text
    return None


def _decode_damaged_utf8(data: bytes) -> str | None:
    """UTF-8 with a few invalid bytes (a truncated character, a stray legacy byte), the
    invalid bytes shown as U+FFFD; None when the bytes are not mostly valid UTF-8.

    Read as a legacy code page instead, every correct character of such text would turn into
    two or three wrong ones.
    """
    text = data.decode("utf-8", errors="replace")
    non_ascii = len(data.translate(None, _ASCII_BYTES))
    valid = len(text.replace("\ufffd", "").encode("utf-8").translate(None, _ASCII_BYTES))
    return text if valid >= _DAMAGED_UTF8_MIN_VALID * non_ascii else None


def _decode_western(data: bytes) -> str | None:
    """Windows-1252, the commonest legacy encoding of news text, when it plausibly fits.

    Encoding detectors often mistake short Western European text for Central European code
    pages. Text in a Latin-script language is mostly ASCII letters with a few accented ones;
    other scripts decoded as Windows-1252 turn almost every letter into an accented one.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [c for c in text if c.isalpha()]
    accented = sum(1 for c in letters if not c.isascii())
    return text if letters and accented <= 0.3 * len(letters) else None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    return bool(sample) and len(sample.translate(None, _CONTROL_BYTES)) < 0.9 * len(sample)


def _read_jsonl(uri: str, data: bytes) -> Iterator[RawDocument | Quarantined]:
    text, problem = _decode(data)
    if problem:
        yield Quarantined(uri, "ingest", *problem)
        return
    seen_keys: set[str] = set()
    # Records end at "\n", "\r\n" or a lone "\r" (JSON strings cannot hold either unescaped),
    # not at every line break `splitlines` knows: JSON strings may hold U+2028 or U+0085
    # unescaped, as JavaScript's JSON.stringify and Python's json.dumps(ensure_ascii=False)
    # write them.
    for number, line in enumerate(_JSONL_LINE_END.split(text), start=1):
        if line.strip():
            yield _jsonl_record(uri, number, line, seen_keys)


def _jsonl_record(
    uri: str, number: int, line: str, seen_keys: set[str]
) -> RawDocument | Quarantined:
    """One JSONL line as a document, or the reason it is not one."""
    line_uri = f"{uri}#line{number}"
    if len(line.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES:
        return Quarantined(
            line_uri, "ingest", "too_large", f"record larger than {MAX_DOCUMENT_BYTES} bytes"
        )
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as error:
        # Besides syntax errors (JSONDecodeError is a ValueError): numbers too long to convert
        # (ValueError) and nesting deeper than Python's recursion limit (RecursionError).
        return Quarantined(line_uri, "ingest", "malformed_json", f"line {number}: {error}")
    if not isinstance(record, dict):
        return Quarantined(
            line_uri, "ingest", "invalid_record", f"line {number} is a JSON {type(record).__name__}"
        )
    return _record_document(uri, _Position("jsonl", "line", number), record, seen_keys)


@dataclass(frozen=True)
class _Position:
    """Where a record sits in its file: "line 3" of a JSONL file, "item 3" of a feed."""

    input_format: str
    unit: str
    number: int

    def __str__(self) -> str:
        return f"{self.unit} {self.number}"


def _record_document(
    uri: str, position: _Position, record: dict[str, object], seen_keys: set[str]
) -> RawDocument | Quarantined:
    """A record's fields (a JSONL line's object, a feed item's entry) as a document, or the
    reason it is not one. Its source is the file and the record's id or url, else its
    position (a feed item without an id: its url, if any, and a digest of its content);
    `seen_keys` holds the keys of the file's earlier records."""
    position_uri = f"{uri}#{position.unit}{position.number}"
    _resolve_aliases(record)
    wrong = [k for k in JSONL_FIELDS if record.get(k) is not None and not _scalar(record[k])]
    if wrong:
        return Quarantined(
            position_uri,
            "ingest",
            "invalid_record",
            f"{position}: wrong type for {', '.join(wrong)}",
        )
    fields = {
        k: _storable(_CDATA.sub(r"\1", str(record[k])) if k in _CDATA_FIELDS else str(record[k]))
        for k in JSONL_FIELDS
        if record.get(k) is not None
    }
    # As a reader means them: a title broken over lines is one line, "Article" is the kind
    # "article", an id or title of spaces is none.
    for name in _LINE_FIELDS & fields.keys():
        fields[name] = " ".join(fields[name].split())
    if "kind" in fields:
        fields["kind"] = fields["kind"].lower()
    fields = {k: v for k, v in fields.items() if v.strip()}
    if "kind" in fields and fields["kind"] not in TEXT_KINDS:
        return Quarantined(
            position_uri,
            "ingest",
            "invalid_record",
            f"{position}: 'kind' is {fields['kind']!r}, not one of {', '.join(TEXT_KINDS)}",
        )
    key = fields.get("id") or fields.get("url")
    if position.input_format == "feed" and "id" not in fields:
        # A feed item without a guid is known by what it says: its position changes when an
        # item is added above it, and a live blog's updates share one link.
        key = "#".join(filter(None, (fields.get("url"), _content_digest(fields))))
    record_uri = f"{uri}#{key}" if key else position_uri
    if key in seen_keys:
        return Quarantined(
            record_uri,
            "ingest",
            "duplicate_record_id",
            f"{position}: {key!r} appeared earlier in the file",
        )
    if key:
        seen_keys.add(key)
    size = sum(len(value.encode("utf-8")) for value in fields.values())
    if size > MAX_DOCUMENT_BYTES:  # a feed's item: a JSONL line is measured before it is parsed
        return Quarantined(
            record_uri, "ingest", "too_large", f"record larger than {MAX_DOCUMENT_BYTES} bytes"
        )
    if not fields.get("text", "").strip() and not fields.get("html", "").strip():
        return Quarantined(
            record_uri, "ingest", "missing_content", f"{position} has neither 'text' nor 'html'"
        )
    metadata = {
        k: fields[k] for k in ("id", "url", "title", "author", "date", "kind") if k in fields
    }
    html, text = (_unescaped_markup(fields.get(name)) for name in ("html", "text"))
    if html is not None and not _MARKUP.search(html):
        # An "html" field without one tag (a feed's plain description) is its text: read as a
        # page, it has no element to find a story in. The same content, so the same article id.
        return RawDocument(
            record_uri, position.input_format, text=html, html=None, metadata=metadata
        )
    text = None if html else text
    if text is not None and _is_page(text):
        # A feed's HTML description under "text": its markup is no part of the words.
        text, html = None, text
    return RawDocument(record_uri, position.input_format, text=text, html=html, metadata=metadata)


def _read_feed(uri: str, data: bytes) -> Iterator[RawDocument | Quarantined]:
    """An RSS, Atom or RDF file's items as documents, each read as a JSONL record is; a file
    that is no feed is one quarantine row saying what it is."""
    if not data.strip():
        yield Quarantined(uri, "ingest", "empty_file", "the file holds no text")
        return
    # Imported for the first feed: 50-100 ms that a run without feeds (and the command's
    # check for anything new) does not pay.
    import feedparser

    # A stream of the bytes: given bytes or a string, feedparser opens one that looks like a
    # path or fetches one that looks like a URL (a file holding "/dev/zero" would be read
    # forever). From a stream it reads the encoding the XML declares and opens nothing; with
    # no base URL it resolves links against none.
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
    if not parsed.version:
        yield Quarantined(uri, "ingest", *_not_a_feed(data, parsed.get("bozo_exception")))
        return
    if not parsed.entries:
        name = _FEED_NAMES.get(parsed.version, "feed")
        yield Quarantined(uri, "ingest", "empty_feed", f"the {name} has no items")
        return
    seen_keys: set[str] = set()
    # A cut file is never well-formed: a whole one whose last item quotes "<item>" in a CDATA
    # section is not taken for one.
    last_cut = bool(parsed.bozo) and _cut_before_last_item_ends(data)
    for number, entry in enumerate(parsed.entries, start=1):
        if last_cut and number == len(parsed.entries):
            yield Quarantined(
                f"{uri}#item{number}",
                "ingest",
                "truncated_item",
                f"item {number}: the file ends before the item does: its text may be cut",
            )
        else:
            position = _Position("feed", "item", number)
            yield _record_document(uri, position, _feed_record(entry), seen_keys)


# The entry fields a feed item's record is read from, each as feedparser names it: any other
# element of an item (<kind>, <text>) is no record field.
_FEED_ENTRY_FIELDS = (
    "id", "link", "title", "author", "authors", "published", "updated", "content", "summary"
)  # fmt: skip
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _feed_record(entry: dict[str, object]) -> dict[str, object]:
    """A feedparser entry's fields that a record reads. Its body in feedparser's "content" is
    the item's one HTML part (else its longest part), not every part: a second summary
    element (<itunes:summary> after <description>) lands there as plain text, and a plain
    part shorter than the item's summary is that summary's teaser, not the body."""
    record = {name: entry.get(name) for name in _FEED_ENTRY_FIELDS if entry.get(name)}
    body = _alias_value(record.get("content"))
    summary = record.get("summary")
    plain_teaser = (
        isinstance(body, str)
        and isinstance(summary, str)
        and not any(part.get("type") in _HTML_TYPES for part in record["content"])
        and len(summary.strip()) > len(body.strip())
    )
    if plain_teaser:
        del record["content"]
    return record


# feedparser's versions as their specifications name them.
_FEED_NAMES = {
    "rss090": "RSS 0.90 feed",
    "rss091n": "RSS 0.91 feed",
    "rss091u": "RSS 0.91 feed",
    "rss092": "RSS 0.92 feed",
    "rss093": "RSS 0.93 feed",
    "rss094": "RSS 0.94 feed",
    "rss20": "RSS 2.0 feed",
    "rss10": "RSS 1.0 (RDF) feed",
    "rss": "RSS feed",
    "atom01": "Atom 0.1 feed",
    "atom02": "Atom 0.2 feed",
    "atom03": "Atom 0.3 feed",
    "atom10": "Atom 1.0 feed",
    "atom": "Atom feed",
    "cdf": "CDF channel",
}
# What an XML file that is no feed usually is, by its root element.
_XML_DOCUMENTS = {
    "urlset": "a sitemap",
    "sitemapindex": "a sitemap index",
    "html": "an HTML page",
    "opml": "an OPML outline (a list of feeds, not their items)",
    "svg": "an SVG image",
}
# The root element's name: the first tag after the XML declaration, comments, processing
# instructions and the doctype.
_XML_ROOT = re.compile(
    r"^(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*<([A-Za-z_][\w.:-]*)",
    re.DOTALL | re.IGNORECASE,
)
# Where a feed's item or entry opens and closes (any namespace prefix).
_ITEM_OPEN = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s/>]")
_ITEM_CLOSE = re.compile(
    rb"</(?:[\w.-]+:)?(?:item|entry)\s*>|<(?:[\w.-]+:)?(?:item|entry)\b[^>]*/>"
)


def _not_a_feed(data: bytes, error: Exception | None) -> tuple[str, str]:
    """The reason and detail for a file feedparser finds no feed in."""
    # The whole file: comments and processing instructions of any length may come before
    # its root element.
    text, _ = _decode(data)
    root = _XML_ROOT.match(text.lstrip("\ufeff"))
    if root is None:
        detail = f": {error}" if error else ""
        return "malformed_xml", f"not XML with an RSS, Atom or RDF feed in it{detail}"
    name = root.group(1)
    what = _XML_DOCUMENTS.get(name.rpartition(":")[2].lower(), "XML")
    return "not_a_feed", f"{what} (root element <{name}>), not an RSS, Atom or RDF feed"


def _cut_before_last_item_ends(data: bytes) -> bool:
    """Whether the file ends inside its last item (a download cut short): the last item
    opened is never closed. Read from the bytes alone, as an error the XML parser reports
    earlier (an undefined entity such as &nbsp;) hides the one at the end. feedparser's
    loose parser still reads such an item, with what it has of it (its summary without the
    full text that was cut, say)."""
    opened = [match.start() for match in _ITEM_OPEN.finditer(data)]
    return bool(opened) and _ITEM_CLOSE.search(data, opened[-1]) is None


def _content_digest(fields: dict[str, str]) -> str:
    """A short digest of a record's title, date and body."""
    stated = "\n".join(fields.get(name, "") for name in ("title", "date", "text", "html"))
    return hashlib.sha256(stated.encode("utf-8")).hexdigest()[:16]


def _unescaped_markup(value: str | None) -> str | None:
    """Markup escaped once more than it should be ("&lt;p&gt;...", as feeds double-escape
    their descriptions) as the markup it stands for; any other value as it is."""
    if value is not None and not _TAG.search(value) and _ESCAPED_TAG.search(value):
        unescaped = unescape(value)
        # Only a page's markup: an escaped ticker or tag named in the words ("AT&amp;T
        # &lt;T&gt;", "use &lt;br&gt;") stays as the words show it.
        return unescaped if _is_page(unescaped) else value
    return value


def _is_page(text: str) -> bool:
    """Whether `text` is HTML markup (a page, a feed's description) rather than words that
    mention a tag."""
    return bool(
        _PAGE_START.match(text)
        or _PAGE_ELEMENT.search(text)
        or (
            len(_BLOCK_OPEN.findall(text)) >= _MIN_BLOCK_ELEMENTS
            and len(_BLOCK_CLOSE.findall(text)) >= _MIN_BLOCK_ELEMENTS
        )
    )


def _storable(text: str) -> str:
    """The text with lone surrogates replaced by U+FFFD, so that it encodes as UTF-8."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def _resolve_aliases(record: dict[str, object]) -> None:
    """Fill `record`'s fields from the names feeds give them, in place: an alias is used only
    in a shape it is read in (any other shape is some other thing of the same name, such as
    WordPress's "content": {"rendered": ...}), and the body's aliases only where the record
    has no "text" or "html" of its own. The author is read from a name, a list of names or
    JSON Feed's {"name": ...} objects, and is left out in any other shape: an optional field
    never makes a record invalid. A list of authors wins over the single "author"."""
    has_body = any(_given(record.get(name)) for name in ("text", "html"))
    for name, aliases in _ALIASES.items():
        if name == "author" or (name in ("text", "html") and has_body) or _given(record.get(name)):
            continue
        record[name] = next(
            (value for value in map(_alias_value, map(record.get, aliases)) if value is not None),
            record.get(name),
        )
    if not any(_given(record.get(name)) for name in ("text", "html")):
        summary = next((record[k] for k in _SUMMARIES if _given(record.get(k))), None)
        record["html"] = summary if isinstance(summary, str) else record.get("html")
    # feedparser's and JSON Feed 1.1's "authors" list every author where "author" names one
    # (feedparser's last, in its spelling, JSON Feed 1.0's only): the list is the byline.
    listed = record.get("authors")
    record["author"] = (isinstance(listed, list) and _author_names(listed)) or next(
        filter(None, map(_author_names, map(record.get, ("author", *_ALIASES["author"])))), None
    )


def _alias_value(value: object) -> object:
    """An alias's value as its field's, or None for a shape that is not the field's: a scalar,
    or of feedparser's "content" parts [{"type", "value"}, ...] the HTML one, else the
    longest (the parts are versions of the body or summaries, never pieces of one text)."""
    if _scalar(value) and _given(value):
        return value
    if (
        isinstance(value, list)
        and value
        and all(isinstance(part, dict) and isinstance(part.get("value"), str) for part in value)
    ):
        html = [part for part in value if part.get("type") in _HTML_TYPES]
        return max(html or value, key=lambda part: len(part["value"]))["value"]
    return None


def _author_names(value: object) -> str | None:
    """The names an author field gives ("Jane Doe", ["Jane Doe", "Tom Roe"], {"name": "Jane
    Doe"}, [{"name": ...}, ...]) joined with commas, each once, or None. A feed names an
    author twice (<dc:creator> and <itunes:author>) in any case and spacing."""
    parts = value if isinstance(value, list) else [value]
    given = [part.get("name") if isinstance(part, dict) else part for part in parts]
    names: dict[str, str] = {}
    for name in given:
        if isinstance(name, str) and name.strip():
            names.setdefault(" ".join(name.casefold().split()), " ".join(name.split()))
    return ", ".join(names.values()) or None


def _given(value: object) -> bool:
    """Whether a record states `value`: an empty string or null states nothing."""
    return value is not None and not (isinstance(value, str) and not value.strip())


def _scalar(value: object) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)
