"""Article metadata from a text dump: date header, headline, byline, dateline, source, language."""

from __future__ import annotations

import re
from datetime import date

import py3langid

from schemas.tables import language_codes

# A scraper's header line: " date 2023-09-13 " followed by the article text on the same line.
_DATE_HEADER = re.compile(r"^\s*date\s+(\d{4})-(\d{1,2})-(\d{1,2})\b[ \t]*")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
_PLACE = r"[A-Z][A-Za-z'’.-]+(?:[ -][A-Z][A-Za-z'’.-]+){0,3}"
# "Tokyo [Japan], September 13 :", "TOKYO, Sept 13 (Reuters) -", "LONDON (AP) —", "PARIS —"
_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE})(?:,? \[[^\]]{{1,40}}\]|, [A-Z][A-Za-z.]+)?"
    rf"(?:,? (?P<month>{_MONTH}) (?P<day>\d{{1,2}})(?:,? (?P<year>\d{{4}}))?)?"
    r"(?: \((?P<agency>[A-Z][\w .&-]{1,30})\))?"
    r"\s*(?P<sep>[:—–-]{1,2}) "
)
_BYLINE = re.compile(
    r"^(?:By|BY|Written by|Words by)[:\s]+"
    r"(?P<name>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|da|bin|al))*"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)*)"
)
# An outlet named as the report's source: "..., NHK World reported." / "Source: Reuters".
_REPORTED_BY = re.compile(
    r"(?:^|[,;] )(?P<name>(?:[A-Z][\w&.-]*|of|the)(?: (?:[A-Z][\w&.-]*|of)){0,4}) "
    r"(?:reported|reports|said in a report)[.,]"
)
_SOURCE_LINE = re.compile(r"^Source\s*:\s*(?P<name>[A-Z][\w&.' -]{1,60}?)\s*$")
# A full date written out: "November 19, 2019", "19 November 2019", "Nov. 19, 2019", "2019-11-19".
_TEXT_DATE = re.compile(
    rf"\b(?:(?P<month1>{_MONTH}) (?P<day1>\d{{1,2}}),? (?P<year1>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}}) (?P<month2>{_MONTH}),? (?P<year2>\d{{4}})"
    r"|(?P<year3>\d{4})-(?P<month3>\d{2})-(?P<day3>\d{2}))\b"
)
_TEXT_DATE_MAX_WORDS = 15
_HEADLINE_MAX_WORDS = 25
_LANGUAGE_SAMPLE_CHARS = 5000


def parse_date(year: int, month: int, day: int, today: date) -> date | None:
    """The date if it exists on the calendar and is not in the future, else None."""
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value if value <= today else None


def parse_iso_date(text: str, today: date) -> date | None:
    """A date from text starting "YYYY-MM-DD" (metadata values, HTML meta), or None."""
    match = _ISO_DATE.match(text.strip()) if text else None
    if not match:
        return None
    return parse_date(*(int(part) for part in match.groups()), today=today)


def split_date_header(text: str, today: date) -> tuple[date | None, str]:
    """(valid date or None, text without the header) for a leading " date YYYY-MM-DD " line."""
    match = _DATE_HEADER.match(text)
    if not match:
        return None, text
    found = parse_date(*(int(part) for part in match.groups()), today=today)
    return found, text[match.end() :]


def find_dateline(paragraph: str, year: int | None, today: date) -> tuple[str | None, date | None]:
    """The dateline place at the start of the first paragraph, and its date if the year is known.

    A month and day give a date only with a stated year (in the dateline or from the header or
    metadata): a year is never guessed.
    """
    match = _DATELINE.match(paragraph)
    if not match:
        return None, None
    place = match.group("place")
    if match.group("sep") != ":" and not (
        place.isupper() or match.group("month") or match.group("agency")
    ):
        # "Mixed Case —" with nothing else is more often a sentence's dash than a dateline.
        return None, None
    if place.isupper():
        place = place.title()
    stated_year = int(match.group("year")) if match.group("year") else year
    if not match.group("month") or stated_year is None:
        return place, None
    month = _month_number(match.group("month"))
    if month is None:
        return place, None
    return place, parse_date(stated_year, month, int(match.group("day")), today)


def dateline_agency(paragraph: str) -> str | None:
    """The agency named in a dateline, "TOKYO (Reuters) -" -> "Reuters"."""
    match = _DATELINE.match(paragraph)
    return match.group("agency") if match else None


def _month_number(name: str) -> int | None:
    name = name.rstrip(".").lower()
    return _MONTHS.get(name) or _MONTHS.get(name[:3])


def find_text_date(lines: list[str], today: date) -> date | None:
    """The first full, valid date in short lines above the body ("Nov. 19, 2019", "By X - date")."""
    for paragraph in lines:
        if len(paragraph.split()) > _TEXT_DATE_MAX_WORDS:
            continue
        for match in _TEXT_DATE.finditer(paragraph):
            if match.group("year3"):
                parts = (match.group("year3"), match.group("month3"), match.group("day3"))
                found = parse_date(*(int(part) for part in parts), today=today)
            else:
                which = "1" if match.group("year1") else "2"
                month = _month_number(match.group("month" + which))
                found = month and parse_date(
                    int(match.group("year" + which)), month, int(match.group("day" + which)), today
                )
            if found:
                return found
    return None


def find_byline(line: str) -> str | None:
    """The author(s) of a "By ..." line, or None."""
    match = _BYLINE.match(line.strip())
    if not match or len(line.split()) > 12:
        return None
    return match.group("name").strip(" ,")


def find_source_name(paragraphs: list[str]) -> str | None:
    """The outlet a text names as its source ("..., NHK World reported."; "Source: X")."""
    for paragraph in paragraphs[:3]:
        match = _REPORTED_BY.search(paragraph)
        if match and match.group("name")[:1].isupper():
            return match.group("name")
        agency = dateline_agency(paragraph)
        if agency:
            return agency
    for paragraph in paragraphs:
        match = _SOURCE_LINE.match(paragraph)
        if match:
            return match.group("name")
    return None


def looks_like_headline(line: str) -> bool:
    """A short line without a closing period: what a headline looks like in a dump."""
    words = line.split()
    return 3 <= len(words) <= _HEADLINE_MAX_WORDS and not line.rstrip().endswith((".", ":"))


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (py3langid)."""
    # py3langid also knows languages with no ISO 639-1 code (it reads a sports results table as
    # Nigerian Pidgin, "pcm"), which the articles table cannot hold: the likeliest that has one.
    ranked = py3langid.rank(text[:_LANGUAGE_SAMPLE_CHARS])
    return next((code for code, _score in ranked if code in language_codes()), ranked[0][0])
