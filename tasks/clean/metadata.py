"""Article metadata from a text dump: date header, headline, byline, dateline, source, language."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from html import unescape
from itertools import repeat, takewhile

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from schemas.tables import EARLIEST_DATE, UNDETERMINED_LANGUAGE, language_codes
from tasks.extract.gazetteer import CITY_MIN_POPULATION, place_country
from tasks.geonames import load_gazetteer, name_key
from tasks.stop_words import spacy_stop_words
from tasks.words import dominant_script_text

_STOP_WORDS = spacy_stop_words("en")  # the parser's English stop words
# A scraper's header line: " date 2023-09-13 " followed by the article text on the same line.
_DATE_HEADER = re.compile(r"^\s*date\s+(\d{4})-(\d{1,2})-(\d{1,2})\b[ \t]*")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
# A Unix time as feeds and APIs state dates: seconds (9 or 10 digits, 1973 to 2286) or
# milliseconds (12 or 13 digits), a JSON number's fraction allowed. Shorter or 11-digit numbers
# are no Unix time: a year ("2024"), a compact date ("20240305", read below), an id.
_UNIX_TIME = re.compile(r"^(?:\d{9,10}|(?P<milliseconds>\d{12,13}))(?:\.\d*)?$")
# ISO 8601's basic (compact) form, as feeds' dc:date and iCalendar-style stamps write it:
# "20240305", "20240305T101500Z", "20240305T1015+0100". The date is the one it states.
# Its time must be one: hours 00-23 (24 only as 2400, the day's end), minutes 00-59, seconds
# 00-60 (a leap second).
_COMPACT_ISO_DATE = re.compile(
    r"^(\d{4})(\d{2})(\d{2})"
    r"(?:T(?:[01]\d|2[0-3]|24(?=00(?:00)?\b))(?:[0-5]\d(?:(?:[0-5]\d|60)(?:[.,]\d+)?)?)?"
    r"(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?)?$"
)
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
# German month names that the English abbreviations do not start (Januar, Juni... they do).
_MONTHS.update({"mär": 3, "märz": 3, "mai": 5, "okt": 10, "oktober": 10, "dez": 12, "dezember": 12})
_MONTH = r"(?i:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?)"
# RFC 822's date with a two-digit year, as RSS pubDates written to that standard have it:
# "Tue, 05 Mar 24 10:00:00 GMT" (the time after the year tells it from "05 Mar 24 people").
_RFC822_SHORT_YEAR = re.compile(
    rf"^(?:[A-Za-z]{{3,9}},?\s*)?(\d{{1,2}})\s+({_MONTH})\s+(\d{{2}})\s+\d{{1,2}}:\d{{2}}"
)
# RFC 2822's reading of a two-digit year: 00-49 are 2000-2049, 50-99 are 1950-1999.
_RFC2822_PIVOT = 50
# A place's words, in any Latin letters ("ÖREBRO", "São Paulo").
_PLACE_WORD = r"[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’.-]+"
_PLACE = rf"{_PLACE_WORD}(?:[ -]{_PLACE_WORD}){{0,3}}"
# "Tokyo [Japan], September 13 :", "TOKYO, Sept 13 (Reuters) -", "TOKYO, JAN 5 -", "LONDON (AP) —",
# "PARIS —", "HALDEN, New Brunswick, May 9 -"; a story filed from two places names the first:
# "GAZA CITY/JERUSALEM (Reuters) -".
_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE})(?:/{_PLACE})*(?P<region>,? \[[^\]]{{1,40}}\]|, {_PLACE})?"
    rf"(?:,? (?P<month>{_MONTH}) (?P<day>\d{{1,2}})(?:,? (?P<year>\d{{4}}))?)?"
    r"(?: \((?P<agency>[A-Z][\w .&-]{1,30})\))?"
    r"\s*(?P<sep>[:—–-]{1,2}) "
)
# The labels newsrooms and feeds put before an item's text, which a dateline's form takes
# ("CORRECTION:", "UPDATE -", "Analysis:", "EDITOR'S NOTE:"): the news industry's usual ones.
_EDITORIAL_LABELS = frozenset(
    {
        "note",
        "editor's note",
        "editors' note",
        "correction",
        "corrections",
        "clarification",
        "update",
        "updated",
        "breaking",
        "breaking news",
        "advisory",
        "media advisory",
        "result",
        "results",
        "watch",
        "live",
        "analysis",
        "opinion",
        "comment",
        "commentary",
        "editorial",
        "exclusive",
        "factbox",
        "explainer",
        "fact check",
        "review",
        "preview",
        "recap",
        "interview",
        "feature",
        "profile",
        "obituary",
        "podcast",
        "video",
        "photos",
        "gallery",
        "sponsored",
        "advertisement",
        "background",
        "context",
        "warning",
        "disclaimer",
        "transcript",
        "poll",
        "quiz",
        "letters",
        "more",
        "also",
    }
)
# A word frequent in English text: used at least once in 100,000 words (Zipf frequency 4, as
# "police", "bank", "date"; wordfreq counts words in any case, so well-known names reach it
# too, and a city of 100,000 people or more, the usual threshold of a city, keeps its name).
_COMMON_WORD_MIN_ZIPF = 4.0
# How many words after a dash are looked at for a table of figures.
_TABLE_WORDS = 8
# The word that introduces a byline, in the languages of the news the step reads: "By",
# "Von", "Par", "Por", "di", "door", "Av", "Af", "Written by", "Reporting by", or the label
# "Author:" ("Auteur :"), with its colon: "Author Profile" or "Author Tom Clancy dies" is none.
_BYLINE_INTRODUCER = re.compile(
    r"^(?:(?:written|words|reporting|text|story|photos?) by|by|von|par|por|door|av|af"
    r"|(?:author|autor(?:in)?|auteur|autore|autora)(?=\s*:)"
    r"|(?-i:di|da|de|dal|del))\b[:\s]*|^(?-i:by)(?=[A-Z])",
    re.IGNORECASE,
)
# A byline's label on its own line, the name on the next: "Author of the article:", "Von".
_BYLINE_LABEL = re.compile(
    r"^(?:(?:author|autor|autorin|auteur|autore|автор|text|written by)(?: of the article)?\s*:?"
    r"|by|von|par|por|di|door|av|af)$",
    re.IGNORECASE,
)
# Where the names of a byline end: a date, a time, a figure, a "|"-separated credit or a link.
_BYLINE_END = re.compile(r"\d|@|https?:|\s[|•·]\s|\s[-–—]\s|\(")
# What separates the names of several authors.
_AUTHOR_JOIN = re.compile(
    r"\s*(?:,|;|\||&|/|\b(?:and|And|AND|und|og|och|en|et|e|y|i)\b)\s*|\s+(?=The\s)"
)
# Longer "By ..." lines are sentences, not bylines (six authors and a desk fit).
_BYLINE_MAX_WORDS = 20
# The wire services whose names news pages print as a byline (national agencies and the big
# international ones; "Reuter" is how Reuters signed its copy until the 1980s), and any short
# name in capitals after "By" ("By AP").
_WIRE_SERVICE = re.compile(
    r"(?:the )?(?:associated press|canadian press|press association)|reuters?|bloomberg"
    r"|agence france-presse|deutsche presse-agentur|keystone-sda|xinhua|kyodo(?: news)?"
    r"|jiji press|yonhap|anadolu(?: agency)?|europa press|belga|ritzau|interfax|ukrinform|lusa"
    r"|ap|afp|dpa|apa|sda|sid|kna|epd|ansa|efe|anp|pap|tass|aap|ntb|tt|upi|pti|ians|čtk|mti",
    re.IGNORECASE,
)
_AGENCY = re.compile(rf"^(?:(?-i:[A-Z]{{2,5}})|{_WIRE_SERVICE.pattern})$", re.IGNORECASE)
# A job title after a name on a byline line: "Jane Doe Political Correspondent".
_ROLE_WORDS = re.compile(
    r"\b(?:correspondent|reporter|editor|writer|journalist|columnist|contributor|staff|"
    r"director|producer|presenter|analyst|"
    r"redakteur(?:in)?|korrespondent(?:in)?|autor(?:in)?|redaktion|reporterin|"
    r"journaliste|rédacteur|rédactrice|giornalista|periodista|corresponsal)\b",
    re.IGNORECASE,
)
# A name alone on its line: two to four capitalised words (particles allowed), maybe several
# names joined by "|", "," or "and"/"und".
_NAME_WORD = r"[A-ZÀ-ÖØ-ÞА-ЯЁΑ-Ω][\w'’.-]*"  # Latin, Cyrillic and Greek capitals
_NAME = rf"{_NAME_WORD}(?: (?:(?:de|da|del|la|van|von|der|al|bin) )*{_NAME_WORD}){{1,3}}"
_NAME_LINE = re.compile(rf"^(?P<name>{_NAME}(?:(?: ?[|,] | and | und ){_NAME})*)$")
# A capital right after three lowercase letters: where a dump glues two texts together.
_GLUED_WORD = re.compile(r"(?<=[a-zà-öø-ÿ]{3})(?=[A-Z])")
# An outlet named as the report's source: "..., NHK World reported." / "Source: Reuters".
_REPORTED_BY = re.compile(
    r"(?:^|[,;] )(?P<name>(?:[A-Z][\w&.-]*|of|the)(?: (?:[A-Z][\w&.-]*|of)){0,4}) "
    r"(?:reported|reports|said in a report)[.,]"
)
_SOURCE_LINE = re.compile(r"^Source\s*:\s*(?P<name>[A-Z][\w&.' -]{1,60}?)\s*$")
# A full date written out. A month word is looked up in every language's month names (see
# _month_names), so the pattern only says where words and figures go: "November 19, 2019",
# "19. November 2019", "2 de diciembre de 2024", "30 août 2023", "Apr. 28, 2023", numeric
# "2019-11-19", "19.11.2019", "19. 11. 2019", "15.10.24" (day first), "2019/11/19",
# "02/02/2025" (read only where day and month cannot be swapped) and "2019年11月19日".
# A dump glues the year to what follows ("April 10, 20233 years"): a month word's year may be
# followed by figures.
_MONTH_WORD = r"[^\W\d_]{3,}\.?"
_TEXT_DATE = re.compile(
    rf"(?<!\d)(?P<day1>\d{{1,2}})\.?\s*(?:de\s+)?(?P<month1>{_MONTH_WORD}),?\s*(?:de\s+)?"
    r"(?P<year1>\d{4})"
    rf"|(?<![^\W\d_])(?P<month2>{_MONTH_WORD})\s*(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s*"
    r"(?P<year2>\d{4})"
    r"|(?<!\d)(?P<year3>\d{4})(?P<sep3>[-/.])(?P<month3>\d{1,2})(?P=sep3)(?P<day3>\d{1,2})(?!\d)"
    r"|(?<!\d)(?P<day4>\d{1,2})\.\s?(?P<month4>\d{1,2})\.\s?(?P<year4>\d{4}|\d{2}(?![\d.]))"
    r"|(?P<year5>\d{4})\s*[年년]\s*(?P<month5>\d{1,2})\s*[月월]\s*(?P<day5>\d{1,2})\s*[日일]"
    r"|(?<![\d/])(?P<first6>\d{1,2})/(?P<second6>\d{1,2})/(?P<year6>\d{4})(?!\d)",
    re.IGNORECASE,
)
_TEXT_DATE_MAX_WORDS = 15
_HEADLINE_MAX_WORDS = 25
_MIN_HEADLINE_WORDS = 3
# Scripts written without spaces: a headline there is measured in characters, not words.
_UNSPACED_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_MIN_UNSPACED_HEADLINE_CHARS = 8
# Short lines a dateline's paragraph may come under: a kicker and a byline.
_MAX_LINES_ABOVE_DATELINE = 2
_LANGUAGE_SAMPLE_CHARS = 5000
# Less than this many UTF-8 bytes of letters (about two words) is too little text to tell. The
# model reads bytes, so a CJK character counts three, as it carries about a word.
_MIN_LETTER_BYTES = 10


def parse_date(year: int, month: int, day: int, latest: date) -> date | None:
    """The date if it exists on the calendar and is neither in the future (after `latest`,
    today in the time zone furthest ahead of UTC) nor before EARLIEST_DATE (a placeholder such
    as 0001-01-01), else None."""
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value if EARLIEST_DATE <= value <= latest else None


def parse_iso_date(text: str, latest: date) -> date | None:
    """A date from text starting "YYYY-MM-DD" (metadata values, HTML meta), or None."""
    match = _ISO_DATE.match(text.strip()) if text else None
    if not match:
        return None
    return parse_date(*(int(part) for part in match.groups()), latest=latest)


def parse_stated_date(text: str, latest: date) -> date | None:
    """The date a metadata value states: ISO 8601 (also its compact form, "20240305T1015Z"),
    a Unix time in seconds or milliseconds (its UTC date), else a full date as written ("Tue,
    05 Mar 2024 10:00:00 GMT" in RSS, also with RFC 822's two-digit year, "March 5th, 2024");
    None when ambiguous, invalid or future."""
    value = text.strip()
    if _ISO_DATE.match(value):
        return parse_iso_date(value, latest)
    compact = _COMPACT_ISO_DATE.match(value)
    if compact:
        return parse_date(*(int(part) for part in compact.groups()), latest=latest)
    short_year = _RFC822_SHORT_YEAR.match(value)
    if short_year:
        day, month, year = short_year.groups()
        century = 2000 if int(year) < _RFC2822_PIVOT else 1900
        month_number = _month_number(month)
        if month_number is None:
            return None
        return parse_date(century + int(year), month_number, int(day), latest)
    epoch = _UNIX_TIME.match(value)
    if epoch:
        seconds = float(epoch.group()) / (1000 if epoch.group("milliseconds") else 1)
        stated = datetime.fromtimestamp(seconds, UTC)
        return parse_date(stated.year, stated.month, stated.day, latest)
    return next(iter(dates_in(value, latest)), None)


def split_date_header(text: str, latest: date) -> tuple[date | None, str]:
    """(valid date or None, text without the header) for a leading " date YYYY-MM-DD " line."""
    match = _DATE_HEADER.match(text)
    if not match:
        return None, text
    found = parse_date(*(int(part) for part in match.groups()), latest=latest)
    return found, text[match.end() :]


def find_dateline(
    paragraphs: list[str], year: int | None, latest: date
) -> tuple[str | None, date | None]:
    """The place of the dateline opening the story (see `dateline_length`), and its date if the
    year is known.

    A month and day give a date only with a stated year (in the dateline or from the header or
    metadata): a year is never guessed.
    """
    found = _story_dateline(paragraphs)
    if not found:
        return None, None
    match = found[1]
    place = match.group("place")
    if place.isupper():
        place = place.title()
    stated_year = int(match.group("year")) if match.group("year") else year
    if not match.group("month") or stated_year is None:
        return place, None
    month = _month_number(match.group("month"))
    if month is None:
        return place, None
    return place, parse_date(stated_year, month, int(match.group("day")), latest)


def dateline_agency(paragraph: str) -> str | None:
    """The agency named in a dateline, "TOKYO (Reuters) -" -> "Reuters"."""
    match = _DATELINE.match(paragraph)
    return match.group("agency") if match else None


def dateline_length(text: str) -> int:
    """Where the dateline opening the story of `text` (a body, paragraphs separated by a blank
    line) ends, its dash and space included ("WASHINGTON (Reuters) - " -> 23), or 0 when it
    has none: the dateline opens the text, or the first paragraph of prose under a kicker or a
    byline (see `_story_dateline`)."""
    return dateline_parts(text)[0]


def dateline_parts(text: str) -> tuple[int, str | None, tuple[int, int] | None]:
    """`dateline_length` of `text`, the place its dateline names and the (month, day) it
    states, with or without a year ("PORT ELLIS, Oct 9 -" -> "PORT ELLIS", (10, 9)); 0, None,
    None without a dateline."""
    paragraphs = text.split("\n\n", _MAX_LINES_ABOVE_DATELINE + 1)
    found = _story_dateline(paragraphs)
    if not found:
        return 0, None, None
    index, match = found
    length = sum(len(paragraph) + 2 for paragraph in paragraphs[:index]) + match.end()
    month = _month_number(match.group("month")) if match.group("month") else None
    day = int(match.group("day")) if month is not None else 0
    return length, match.group("place"), ((month, day) if 1 <= day <= 31 else None)


def _story_dateline(paragraphs: list[str]) -> tuple[int, re.Match[str]] | None:
    """(paragraph index, match) of the dateline opening the story: at the start of the first
    paragraph, or of the first paragraph of prose (a sentence of ten words or more) under at
    most two short lines that end no sentence ("EXCLUSIVE", "By Jane Doe", "UPDATE 2-Oil
    rises"). There it must be a wire dateline with a dash: a place in capitals, a date or an
    agency before it ("LONDON, Dec 5 (AP) —"); "Note:" or "QUESTION:" opening a second
    paragraph is no dateline, nor is a table's "LIVERPOOL - Salah 23" under a "RESULTS" line.
    """
    match = _dateline_match(paragraphs[0]) if paragraphs else None
    if match:
        return 0, match
    for index, paragraph in enumerate(paragraphs[1 : _MAX_LINES_ABOVE_DATELINE + 1], start=1):
        above = paragraphs[index - 1]
        if _SENTENCE_END.search(above) or len(above.split()) > _HEADLINE_MAX_WORDS:
            return None  # the lines above are the story's own prose or a standfirst
        match = _dateline_match(paragraph)
        if (
            match
            and match.group("sep") != ":"
            and len(paragraph.split()) >= _MIN_PROSE_WORDS
            and _SENTENCE_END.search(paragraph)
        ):
            return index, match
    return None


def _dateline_match(paragraph: str) -> re.Match[str] | None:
    """The dateline opening `paragraph`, if its words are one: a place with a date or an
    agency ("LONDON, Dec 5 (AP) —"), a place in capitals ("UNITED NATIONS -", "NEW DELHI:"),
    or a place in mixed case before a colon that is known or given its region ("Dubai:",
    "Srinagar [India]:"; "Police:", a Polish town's name, is a speaker: see `_is_place_name`).
    An editorial label opening a feed's item ("CORRECTION:", "UPDATE -", "Note:") is none,
    nor are capitals over a table of figures ("WHEAT - 1.20 1.25 ...")."""
    match = _DATELINE.match(paragraph)
    if match is None or match.group("month") or match.group("agency"):
        return match
    region = (match.group("region") or "").removeprefix(", ")
    if " " in region and not region.startswith(("[", " [")) and not _is_place_name(region):
        # Several words after a comma with no date or agency after them are a title or a
        # phrase ("Jane Roe, Chief Executive: ..."), unless they are a known region.
        return None
    place = match.group("place")
    if _is_editorial_label(place):
        return None
    if place.isupper():
        return None if _opens_table(paragraph[match.end() :]) else match
    if match.group("sep") != ":":
        # "Mixed Case —" with nothing else is more often a sentence's dash than a dateline.
        return None
    return match if match.group("region") or _is_place_name(place) else None


def _is_editorial_label(words: str) -> bool:
    return words.replace("’", "'").casefold() in _EDITORIAL_LABELS


def _opens_table(text: str) -> bool:
    """Whether `text` goes on as a table of figures: most of its first words are numbers."""
    words = text.split()[:_TABLE_WORDS]
    figures = sum(any(character.isdigit() for character in word) for word in words)
    return len(words) >= _TABLE_WORDS // 2 and figures * 2 > len(words)


def _is_place_name(name: str) -> bool:
    """Whether `name` is a country, a state or province, or a town of the gazetteer; a town
    whose name is also an everyday English word only when it is a city by that name."""
    if place_country(name, cities=False) is not None:
        return True
    gazetteer, key = load_gazetteer(), name_key(name)
    towns = [c for c in gazetteer.names.get(key, ()) if c.place.country_code]
    if " " not in name and _is_common_english_word(name):
        # The gazetteer's towns of 15,000 people bear everyday words ("Police" in Poland,
        # "Date", "Bank", "Union", "Officer") and well-known people's surnames: in mixed case
        # before a colon such a word is a label or a speaker ("Police: ..."), where a city
        # known by the name ("Reading", "Nice"), or by the last word of it ("Hull" for
        # "Kingston upon Hull"), is its dateline. Other alternate names GeoNames lists are
        # nicknames, misspellings and transliterations ("Soul" for Seoul, "Name" for Namur).
        by_name = key in gazetteer.main_name_ends
        return any(c.population >= CITY_MIN_POPULATION and (c.main_name or by_name) for c in towns)
    return bool(towns)


def _is_common_english_word(word: str) -> bool:
    # Imported here: wordfreq finds its data through inspect.stack(), whose cost grows with
    # every module loaded before (see tasks/normalize/duplicates.py).
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= _COMMON_WORD_MIN_ZIPF


def states_first_day(text: str, day: date) -> bool:
    """Whether `text` writes `day`, the first of a month, as a full date: "2024-03-01",
    "01.03.2024", "03/01/2024", "March 1", "1st March", "1er mars", in any language's month
    names."""
    return bool(_first_day_pattern(day.year, day.month).search(text))


@cache
def _first_day_pattern(year: int, month: int) -> re.Pattern[str]:
    names = sorted((n for n, m in _month_names().items() if m == month), key=len, reverse=True)
    named = "|".join(map(re.escape, names))
    return re.compile(
        rf"{year}[-/.]0?{month}[-/.]0?1(?!\d)|(?<!\d)0?1[-/.]0?{month}[-/.]{year}"
        rf"|(?<!\d)0?{month}[-/.]0?1[-/.]{year}"
        rf"|(?<!\d)0?1(?:st|er|\.)?\s*(?:de |of )?(?:{named})\b"
        rf"|\b(?:{named})\.?\s+0?1(?:st)?(?!\d)",
        re.IGNORECASE,
    )


def _month_number(name: str) -> int | None:
    name = name.rstrip(".").casefold()
    return _month_names().get(name) or _MONTHS.get(name[:3])


@cache
def _month_names() -> dict[str, int]:
    """Month number of each month name and abbreviation in dateparser's locale data (about 200
    languages). English names come first; a name that means different months in two other
    languages ("lis", "listopad") is left out."""
    from dateparser.languages.loader import default_loader

    numbers: dict[str, set[int]] = {}
    for locale in default_loader.get_locales(locales=None, use_given_order=False):
        for number, key in enumerate(_MONTH_KEYS, start=1):
            for name in locale.info.get(key, []):
                if len(name.rstrip(".")) >= 3:
                    numbers.setdefault(name.rstrip(".").casefold(), set()).add(number)
    english = {name: number for name, number in _MONTHS.items() if number}
    unambiguous = {name: next(iter(found)) for name, found in numbers.items() if len(found) == 1}
    return unambiguous | english


_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august")
_MONTH_KEYS += ("september", "october", "november", "december")


def dates_in(line: str, latest: date) -> list[date]:
    """The full, valid dates written in a line, in order."""
    found = []
    for match in _TEXT_DATE.finditer(line):
        value = _match_date(match, latest)
        if value:
            found.append(value)
    return found


def _match_date(match: re.Match[str], latest: date) -> date | None:
    group = match.group
    if group("month1") or group("month2"):
        which = "1" if group("month1") else "2"
        month = _month_number(group("month" + which))
        if month is None:
            return None
        return parse_date(int(group("year" + which)), month, int(group("day" + which)), latest)
    if group("first6"):
        # "02/03/2025" is 2 March in most of the world and 3 February in the US: read only a
        # date whose two readings agree or of which only one exists.
        first, second, year = int(group("first6")), int(group("second6")), int(group("year6"))
        readings = {
            parse_date(year, second, first, latest),
            parse_date(year, first, second, latest),
        }
        readings.discard(None)
        return readings.pop() if len(readings) == 1 else None
    which = next(n for n in "345" if group("year" + n))
    year = int(group("year" + which))
    if year < 100:  # "15.10.24": a two-digit year of this century
        year += 2000
    return parse_date(year, int(group("month" + which)), int(group("day" + which)), latest)


def find_text_date(lines: list[str], latest: date) -> date | None:
    """The first full, valid date in short lines above the body ("Nov. 19, 2019", "By X - date")."""
    for paragraph in lines:
        if len(paragraph.split()) <= _TEXT_DATE_MAX_WORDS:
            found = dates_in(paragraph, latest)
            if found:
                return found[0]
    return None


# Chinese and Japanese names are written in Han characters, family name first: four or five,
# or the two names set apart by a space ("松岡大地", "大渡 美咲"). Fewer are as often a word
# of the page's furniture ("小字号", font size).
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff]"
_HAN_NAME = re.compile(rf"{_HAN}{{1,3}} {_HAN}{{1,3}}|{_HAN}{{4,5}}")
_HAN_NAME_JOIN = re.compile(r"\s*[、，,]\s*")
# A byline's label in Chinese or Japanese ("作者" author, "记者"/"記者" reporter, "责编"/"責編"
# editor in charge, "文" text) and the names after it: "（责编：牛镛、岳弘彬）", "記者 山田太郎".
_HAN_BYLINE = re.compile(
    r"^[（(【]?(?:作者|记者|記者|文|撰文|责编|責編|责任编辑|責任編集|编辑|編集)(?:\s*[：:]\s*|\s+)"
    rf"(?P<names>{_HAN}{{2,5}}(?:{_HAN_NAME_JOIN.pattern}{_HAN}{{2,5}})*)[)）】]?$"
)
# What the names of places and bodies end with (ward, city, prefecture, agency, ministry,
# department, company, party, country): a line of such Han characters is not a person's name.
_HAN_PLACE_OR_BODY_END = "都道府県市区町村庁省部局課社党国"


def _han_name(line: str) -> str | None:
    """A Chinese or Japanese person's name alone on a line, or None."""
    line = line.strip()
    return line if _HAN_NAME.fullmatch(line) and line[-1] not in _HAN_PLACE_OR_BODY_END else None


def find_name_line(line: str) -> str | None:
    """A line that is only a person's name ("Jane Doe", "Ana M. de la Cruz"), or None. A dump
    glues a name to the role or link after it ("Jane DoeReporter"): that part is dropped."""
    line = _GLUED_WORD.split(line.strip(), maxsplit=1)[0]
    match = _NAME_LINE.match(line)
    if not match or line.isupper():  # all capitals: a section heading more often than a name
        return None
    return match.group("name")


def find_byline(line: str) -> str | None:
    """The author(s) of a "By ..." line ("By Jane Doe and AP", "Von Jane Doe, Berlin",
    "by Jane Doe Apr. 28, 2023", "（责编：牛镛、岳弘彬）"), joined by "; ", or None."""
    line = line.strip()
    labelled = _HAN_BYLINE.match(line)
    if labelled:
        return AUTHOR_SEPARATOR.join(_HAN_NAME_JOIN.split(labelled.group("names")))
    introducer = _BYLINE_INTRODUCER.match(line)
    if not introducer or len(line.split()) > _BYLINE_MAX_WORDS:
        return None
    return _names(line[introducer.end() :], introduced=True)


def _names(text: str, introduced: bool, whole: bool = False) -> str | None:
    """The authors' names at the start of a byline's text, joined by "; ", or None when the
    text does not start with a name (or, if `whole`, is not only names). The names end where
    a date, a figure, a link or a glued word starts; a one-word part is a place or a desk
    ("Jane Doe, Zürich") unless it is an agency's short name or stands alone after "By"."""
    text = text.strip()
    names_text = _GLUED_WORD.split(_BYLINE_END.split(_text_before_date(text), maxsplit=1)[0])[0]
    role = _ROLE_WORDS.search(names_text)
    if role:  # "Jane Doe Political Correspondent": a name, maybe a qualifier, the title
        before = names_text[: role.start()].split()
        qualified = len(before) > 2 and before[-1][:1].isupper()
        names_text = " ".join(before[:-1] if qualified else before)
    if whole and names_text.strip() != text:
        return None
    names = []
    for index, part in enumerate(_AUTHOR_JOIN.split(names_text.strip(" ,.:&"))):
        words = part.split()
        name_words = list(takewhile(lambda w: w[:1].isupper() or w in _PARTICLES, words))
        agency = _AGENCY.match(part)
        if agency:
            name_words = words  # "dpa" is written small
        if agency or _is_name(name_words, introduced, first=index == 0):
            names.append(" ".join(name_words))
            if len(name_words) == len(words):
                continue
        if whole or not names:
            return None
        break  # what follows the names ("Jane Doe, Zürich", "Jane Doe published May 2")
    return "; ".join(dict.fromkeys(names)) or None


def _text_before_date(text: str) -> str:
    """The text up to its first valid date (all of it if it has none)."""
    for match in _TEXT_DATE.finditer(text):
        if _match_date(match, date.max):
            return text[: match.start()]
    return text


def _is_name(words: list[str], introduced: bool, first: bool) -> bool:
    """Capitalised words, particles allowed: two to five, or one where it stands alone after
    the introducer ("By Reuters"). Without an introducer, not a phrase that opens with a
    function word ("In Local News")."""
    capitalised = [word for word in words if word[:1].isupper()]
    if len(words) > 5 or not capitalised or not words[0][:1].isupper():
        return False
    if any(not (word[:1].isupper() or word in _PARTICLES) for word in words):
        return False
    if not introduced and words[0].casefold() in _STOP_WORDS:
        return False  # "In Local News", "The Big Read" (but "By The Associated Press")
    if any(word.endswith(":") for word in words):
        return False  # a label: "Source: AFP"
    if any(_is_calendar_word(word) for word in words):
        return False  # "Published Fri", "Stand: Montag"
    return len(capitalised) >= 2 or (introduced and first)


# A date line's label, where a name would be on a byline.
_DATE_LABEL = re.compile(
    r"(?:published|updated|posted|veröffentlicht|aktualisiert|stand|publié|publicado|"
    r"actualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt)[.,:]?",
    re.IGNORECASE,
)


def _is_calendar_word(word: str) -> bool:
    """A date line's label or a weekday's name ("Fri", "Montag")."""
    return bool(_DATE_LABEL.fullmatch(word)) or word.rstrip(".,:").casefold() in _weekday_names()


@cache
def _weekday_names() -> frozenset[str]:
    """Weekday names in dateparser's locale data (the full name of each language; among
    abbreviations only the English ones, as others are short words of anything: "ben")."""
    from dateparser.languages.loader import default_loader

    names = {
        max(locale.info.get(key, [""]), key=len).casefold()
        for locale in default_loader.get_locales(locales=None, use_given_order=False)
        for key in _WEEKDAY_KEYS
    }
    english = default_loader.get_locale("en").info
    names.update(name.casefold() for key in _WEEKDAY_KEYS for name in english.get(key, []))
    return frozenset(name for name in names if len(name) >= 3)


_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PARTICLES = {
    "de",
    "da",
    "del",
    "della",
    "la",
    "le",
    "van",
    "von",
    "der",
    "den",
    "al",
    "bin",
    "ter",
}


def html_byline(
    author: str | None, sitename: str | None, html: str, headline: str | None, latest: date
) -> str | None:
    """The byline of an HTML page, in order of trust: trafilatura's names, each once ("Jane Doe;
    Jane-Doe" is one name twice); else the authors the page's JSON-LD declares for its article;
    else the byline printed around the headline (read as in a page dump). The site's own name
    (the desk's byline) only when the page names no one else."""
    found = list(
        {letters_key(n): n for n in reversed((author or "").split(AUTHOR_SEPARATOR)) if n}.values()
    )[::-1]
    declared = _json_ld_authors(html)
    for names in (found, declared):
        if any(not (sitename and names_site(name, sitename)) for name in names):
            return AUTHOR_SEPARATOR.join(names)
    printed = _printed_byline(html, headline, latest)
    if printed and not (sitename and names_site(printed, sitename)):
        return printed
    return AUTHOR_SEPARATOR.join(declared or found) or None


# trafilatura joins the names it finds with "; "; so does every byline here.
AUTHOR_SEPARATOR = "; "


def _printed_byline(html: str, headline: str | None, latest: date) -> str | None:
    """The byline around the page's headline in the page's text, one block element a line."""
    from trafilatura.utils import load_html

    from tasks.clean.html import page_lines  # imported here: html builds on this module

    tree = load_html(html) if headline else None
    if tree is None:
        return None
    lines = page_lines(tree)
    key = letters_key(headline)
    # The <title> heads the page's lines; the headline is printed below it.
    after_title = 1 if (tree.findtext(".//title") or "").strip() else 0
    at = next(
        (i for i, line in enumerate(lines[after_title:], after_title) if letters_key(line) == key),
        None,
    )
    return _header_at(lines, at, latest).byline if at is not None else None


def names_site(name: str, sitename: str) -> bool:
    """Whether a name is the site's own: "Stuttgarter Zeitung" for "stuttgarter-zeitung.de",
    "Mdr De" for "MDR", "Deutsche Welle" for "DW.COM"."""
    name_key, site_key = letters_key(name), letters_key(sitename)
    site_initials = letters_key(re.split(r"[.\s]", sitename.strip())[0])
    initials = "".join(word[0] for word in name.split()).casefold()
    return bool(
        name_key
        and (
            name_key.startswith(site_key)
            or site_key.startswith(name_key)
            or (len(initials) > 1 and initials == site_initials)
        )
    )


def _json_ld_authors(html: str) -> list[str]:
    """The author names of the first article that the page describes in JSON-LD, or []."""
    for block in _JSON_LD_BLOCK.finditer(html):
        try:
            data = json.loads(block.group(1))
        except ValueError:
            continue
        for item in _json_ld_items(data):
            if _ARTICLE_TYPE.search(str(item.get("@type", ""))) and "author" in item:
                names = _author_names(item["author"])
                if names:
                    return names
    return []


_JSON_LD_BLOCK = re.compile(
    r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL
)
# The JSON-LD types whose "author" is the story's (not a comment's, a review's or a list's).
_ARTICLE_TYPE = re.compile(r"Article|BlogPosting|WebPage")


def _json_ld_items(data: object) -> list[dict]:
    """The JSON-LD objects of a block: itself, the items of a list, or its "@graph"."""
    items = data if isinstance(data, list) else [data]
    found = []
    for item in items:
        if isinstance(item, dict):
            found.append(item)
            graph = item.get("@graph")
            found.extend(node for node in graph or [] if isinstance(node, dict))
    return found


def _author_names(value: object) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names = (v.get("name") if isinstance(v, dict) else v for v in values)
    return list(
        dict.fromkeys(name.strip() for name in names if isinstance(name, str) and name.strip())
    )


def stated_title(html: str) -> str | None:
    """The headline a page states for sharing (og:title), else its <title>, unescaped."""
    match = _OG_TITLE.search(html) or _TITLE_ELEMENT.search(html)
    return unescape(" ".join(match.group(1).split())) if match else None


_OG_TITLE = re.compile(
    r"<meta\s[^>]*property=[\"']og:title[\"'][^>]*content=[\"']([^\"']+)", re.IGNORECASE
)
_TITLE_ELEMENT = re.compile(r"<title[^>]*>([^<]+)</title>", re.IGNORECASE)


def full_headline(headline: str | None, stated: str | None) -> str | None:
    """The on-page headline, written as the page states it where the two differ only by the
    punctuation or the kicker that a page sets apart in the <h1> ("Kicker Headline" for
    "Kicker: Headline"; a topic label before the headline)."""
    if not headline or not stated:
        return headline
    shown, written = letters_key(headline), letters_key(stated)
    if shown == written:
        return stated
    if written and shown.endswith(written):
        # A kicker set apart by markup opens the line with no punctuation of its own ("Premier
        # League Liverpool lose", "Culture : Liverpool lose"), and the headline after it starts
        # with a capital. "'Quote': economists say" and "Topic – Headline" are the headline.
        kicker, rest = headline[: len(headline) - len(stated)], headline[-len(stated) :]
        set_apart = kicker.rstrip()[-1:].isalnum() or kicker.endswith(" : ")
        if len(kicker.split()) <= _MAX_KICKER_WORDS and set_apart and rest[:1].isupper():
            return stated
    return headline


_MAX_KICKER_WORDS = 4


@dataclass(frozen=True)
class PageHeader:
    """What a reader of a page dump finds at the top of the story: the headline, and the byline
    and date printed around it."""

    title: str | None
    byline: str | None
    published: date | None


# The headline sits this many lines above where the story's text starts (a kicker, standfirst,
# byline, date, share bar and caption in between), or just inside it.
_HEADER_SEARCH_ABOVE = 20
_HEADER_SEARCH_INSIDE = 5
# The byline and date lines are this close to the headline: a kicker or date above it, the
# standfirst, byline, date and share bar below.
_HEADER_LINES_ABOVE = 3
_HEADER_LINES_BELOW = 10
_HEADER_LINES_TO_STORY = 25
# The headline repeats most of the page's <title> (less a site name or a rewording).
_MIN_TITLE_SIMILARITY = 0.5
_HEADLINE_MAX_CHARS = 300
# Where a page's <title> joins the headline and the site's name, a section or a date:
# "Headline | Site", "Section » Headline - Site", "Headline -- Site", "Headline :: Site",
# "Site › Section", "見出し：サイト".
TITLE_PARTS = re.compile(r"\s+(?:[|\-–—*·•/»›]+|::)\s+|\s*[|｜：]\s*|\s*--\s*")


def read_page_header(lines: list[str], body_start: int, latest: date) -> PageHeader:
    """The headline, byline and date of a page dump whose first line is the page's <title>, as
    a reader finds them: the headline is the line near the story's start most like the
    <title> (else the headline-shaped line above the first byline or date line there, else
    the one above the first sentence of prose), and
    the byline and date are the lines around it. Nothing is taken from further away (a
    teaser, a comment or a footer)."""
    end = min(len(lines), body_start + _HEADER_SEARCH_INSIDE)
    at = _title_echo(lines, range(1, end), body_start, latest)
    if at is None:
        window = range(max(1, body_start - _HEADER_SEARCH_ABOVE), end)
        at = _line_above_credits(lines, window, latest)
        if at is None:
            at = _line_above_standfirst(lines, window)
    if at is None:
        return PageHeader(title=None, byline=None, published=None)
    header = _header_at(lines, at, latest, story_start=body_start, title_line=lines[0])
    kicked = _without_set_apart_kicker(header.title, lines, at)
    if kicked:
        return PageHeader(title=kicked, byline=header.byline, published=header.published)
    stated = (full_headline(header.title, title) for title in _title_variants(lines[0]))
    written = next((title for title in stated if title != header.title), header.title)
    return PageHeader(title=written, byline=header.byline, published=header.published)


def _without_set_apart_kicker(headline: str | None, lines: list[str], at: int) -> str | None:
    """The headline read at lines[at] (or the next line, where the page prints it twice: a
    hidden heading, then the one shown) without the kicker the page sets apart with a dash
    where its <title> writes "Kicker: Headline": the dash is a hidden separator between the
    kicker's element and the headline's, and a reader takes the part after it. Else None."""
    if not headline:
        return None
    shown = [headline]
    if at + 1 < len(lines) and letters_key(lines[at + 1]) == letters_key(headline):
        shown.append(lines[at + 1])
    for line in shown:
        for dash in _KICKER_DASHES:
            kicker, found, rest = line.partition(dash)
            if (
                found
                and len(kicker.split()) <= _MAX_KICKER_WORDS
                and f"{kicker}: {rest}" in lines[0]
                and is_headline_length(rest)
            ):
                return rest.strip()
    return None


_KICKER_DASHES = (" – ", " - ", " — ")


def _header_at(
    lines: list[str], at: int, latest: date, story_start: int = 0, title_line: str = ""
) -> PageHeader:
    """The header around the headline at lines[at]: the byline and the date on the lines just
    above and below it. Where the story starts further down (`story_start`), the byline may be
    anywhere above it: share bars and captions come between. The parts of the page's <title>
    (`title_line`) that are not the headline name the site."""
    title, glued_byline = _split_glued_byline(lines[at])
    if title.startswith(":") and at > 1:
        title = f"{lines[at - 1]}{title}"  # "Kicker" / ": Headline" on two lines
    above = [line for line in lines[max(1, at - _HEADER_LINES_ABOVE) : at] if line != lines[at]]
    below = min(max(_HEADER_LINES_BELOW, story_start - at - 1), _HEADER_LINES_TO_STORY)
    under = [line for line in lines[at + 1 : at + 1 + below] if line != lines[at]]
    if glued_byline:
        under.insert(0, glued_byline)
    dates = (found[0] for line in under + above[::-1] if (found := _line_dates(line, latest)))
    return PageHeader(
        title=title.strip(_HEADLINE_EDGE) or None,
        byline=_header_byline(
            above + under, len(above), latest, _site_names(title_line, title), story_start - at - 1
        ),
        published=next(dates, None),
    )


def _site_names(title_line: str, headline: str) -> list[str]:
    """The parts of a <title> that are not in the headline: "Headline - Lesotho Times"."""
    in_headline = letters_key(headline)
    keys = (letters_key(part) for part in TITLE_PARTS.split(title_line))
    return [key for key in keys if key and key not in in_headline]


# What a dump leaves at a headline's edge: a breadcrumb's ">", a kicker's colon, spaces.
_HEADLINE_EDGE = " >:|•·-–—"


def story_date(
    lines: list[str], start: int, last_paragraph: str, latest: date, box_below: int = 0
) -> date | None:
    """The date on a date line where the story starts (a page that prints its date under the
    standfirst) or just after it ends ("Published 5 January 2025" under the last paragraph,
    or right under the box of teasers of `box_below` lines that follows it), or None. Further
    down are teasers and comments, whose dates are not the story's."""
    end = _story_end(lines, start, last_paragraph)
    near = lines[start : start + _STORY_DATE_LINES] + lines[end : end + _STORY_DATE_LINES]
    if box_below:
        near += lines[end + box_below : end + box_below + 1]
    return next((found[0] for line in near if (found := _line_dates(line, latest))), None)


def story_credit(lines: list[str], start: int, last_paragraph: str) -> str | None:
    """The byline of a credit line just after the story ends ("Reporting by Jane Doe",
    "（责编：牛镛、岳弘彬）"), or None: a page that prints no byline at the top may credit its
    authors there. A name alone there is a tag's or a teaser's."""
    end = _story_end(lines, start, last_paragraph)
    return next(filter(None, map(find_byline, lines[end : end + _STORY_DATE_LINES])), None)


def _story_end(lines: list[str], start: int, last_paragraph: str) -> int:
    """The page line after the story's last paragraph (its start if the body's selection
    rewrote that paragraph)."""
    return next(
        (i + 1 for i in range(len(lines) - 1, start - 1, -1) if lines[i] == last_paragraph), start
    )


_STORY_DATE_LINES = 3


def _title_echo(lines: list[str], window: range, body_start: int, latest: date) -> int | None:
    """The line in the window most like the <title>, or None if none is. Where the headline is
    repeated (a share box, a teaser), the copy with a byline or date below it; among equals,
    the last one above the story. Not a sentence, nor the last item of a breadcrumb trail; and
    the headline, not the standfirst under it that repeats more of the <title>."""
    # One matcher per variant: difflib indexes its second sequence once, not once per line.
    matchers = []
    for variant in _title_variants(lines[0]):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(variant.casefold())
        matchers.append(matcher)
    similarity, under_spaced_trail = {}, {}
    for index in window:
        line = lines[index]
        trail = _breadcrumb_before(lines[index - 1], line)
        if trail == _TRAIL:
            continue  # the trail's last item: the page's <title> again, not the headline shown
        if _FULL_STOP_END.search(line):
            continue  # a sentence (a standfirst, a caption): a headline ends without a full stop
        if len(line) <= _HEADLINE_MAX_CHARS and is_headline_length(line):
            score = max(_similarity(matcher, line.casefold()) for matcher in matchers)
            if score >= _MIN_TITLE_SIMILARITY:
                (under_spaced_trail if trail == _SPACED_TRAIL else similarity)[index] = score
    # A copy under what may be a trail ("Home World") or a kicker ("Home Secretary") is the
    # headline shown only when no other line echoes the <title>.
    similarity = similarity or under_spaced_trail
    if not similarity:
        return None
    best = max(similarity.values())
    copies = [index for index, score in similarity.items() if score == best]
    at = max(
        copies,
        key=lambda i: (
            _has_credits(lines[i + 1 : i + 1 + _HEADER_LINES_BELOW], latest),
            i <= body_start,
            i,
        ),
    )
    return at - 1 if at - 1 in similarity and _is_headline_over(lines[at - 1], lines[at]) else at


def _is_headline_over(line: str, standfirst: str) -> bool:
    """Whether a line that echoes the <title> is the headline over a longer line that echoes it
    too (the standfirst, which may repeat more of the <title>'s words): a whole headline, not a
    kicker ("Topic –"), a breadcrumb ("News / World") or a part of the line under it, nor the first
    part of a headline split over two lines."""
    return (
        len(line.split()) < len(standfirst.split())
        and looks_like_headline(line)
        and not line.rstrip().endswith(tuple(_HEADLINE_EDGE))
        and TITLE_PARTS.search(line) is None
        and letters_key(line) not in letters_key(standfirst)
        and standfirst[:1] not in _HEADLINE_EDGE  # ": Headline" goes on with the line above
    )


# A full stop after a word ("... three weeks early."), not after an initial ("... in the U.S.").
_FULL_STOP_END = re.compile(r"[^\W\d_]{2}\.\s*$")


def _breadcrumb_before(line: str, next_line: str) -> int:
    """How surely a line is a breadcrumb trail whose last item, the current page's name, is the
    next line: _TRAIL for a trail left open ("Home | World |", ">") or a short one from the home
    page with the section glued or set apart by a separator ("StartseitePolitik", "Accueil >
    Monde"); _SPACED_TRAIL for the home page and a section set apart by a space only ("Home
    World", which a kicker such as "Home Secretary" looks like too); _NO_TRAIL otherwise, and
    for a trail that holds that name already."""
    if line.rstrip().endswith(_BREADCRUMB_SEPARATORS):
        return _TRAIL
    home = _HOME_TRAIL.match(line)
    if (
        home is None
        or home.end() == len(line)
        or not line[home.end()].isupper()
        or len(line.split()) > _MAX_TRAIL_WORDS
        or letters_key(next_line) in letters_key(line)
    ):
        return _NO_TRAIL
    return _SPACED_TRAIL if home.group("between").isspace() else _TRAIL


_NO_TRAIL, _SPACED_TRAIL, _TRAIL = range(3)
_BREADCRUMB_SEPARATORS = ("|", ">", "»", "›", "/")
# A breadcrumb trail starts at the home page, named in the page's language, and goes on with
# a section's name (a capital), glued or set apart.
_HOME_TRAIL = re.compile(
    r"^(?:Home|Startseite|Accueil|Inicio|Portada|Início|Forside|Startsida|Etusivu"
    r"|Strona główna|Главная)(?P<between>\s*[|>»›/]?\s*)"
)
# The home page and a section or two; a longer line opened by "Home" is a menu or a sentence.
_MAX_TRAIL_WORDS = 6


def _has_credits(lines: list[str], latest: date) -> bool:
    return any(find_byline(line) or _line_dates(line, latest) for line in lines)


def _line_above_credits(lines: list[str], window: range, latest: date) -> int | None:
    """The headline-shaped line just above the first byline or date line in the window (a
    name line, a picture's caption and one standfirst may come between)."""
    for index in window:
        if find_byline(lines[index]) or _line_dates(lines[index], latest):
            standfirst = False
            # A picture's caption may come between too, with its picture: it is not counted.
            nearest = [
                i
                for i in range(index - 1, window.start - 1, -1)
                if not _CAPTION_CREDIT.search(lines[i])
            ]
            for above in nearest[:_HEADER_LINES_ABOVE]:
                line = lines[above]
                if _name_line(line) or _line_dates(line, latest):
                    continue
                if looks_like_headline(line):
                    return above
                if standfirst or not _SENTENCE_END.search(line):
                    return None
                standfirst = True
            return None
    return None


def _line_above_standfirst(lines: list[str], window: range) -> int | None:
    """The headline-shaped line just above the first sentence of prose in the window (the
    standfirst or the story's first paragraph), or None."""
    for index in window:
        if len(lines[index].split()) >= _MIN_PROSE_WORDS and _SENTENCE_END.search(lines[index]):
            above = index - 1
            return above if above in window and looks_like_headline(lines[above]) else None
    return None


_MIN_PROSE_WORDS = 10
_SENTENCE_END = re.compile(r"[.!?…]\W*$")
_NAME_TAIL = re.compile(r"\s*@\w+$|\s+\d+(?:\s+[^\W\d]+){0,2}$")


def wire_sign_off(paragraphs: list[str]) -> str | None:
    """The wire service whose name alone on a wire story's last line signs it off ("Reuter",
    "AP"). Only a story opening with a wire dateline is signed so; a name after a question or
    a colon ("Sources:") answers it and is the story's own."""
    if len(paragraphs) < 2 or paragraphs[-2].rstrip().endswith((":", "?")):
        return None
    line = paragraphs[-1].strip()
    if not _WIRE_SERVICE.fullmatch(line) or not dateline_length("\n\n".join(paragraphs[:3])):
        return None
    return line


def _name_line(line: str) -> str | None:
    """A line that is only names: a person's, or several joined ("Jane Doe and AP"), or a wire
    service's."""
    # What a dump prints after the name: a social handle, a reading time ("Jane Doe@janedoe",
    # "Jane Doe 2 minutes read").
    line = _NAME_TAIL.sub("", line.strip())
    if find_byline(line):  # "By Jane Doe" is read as a byline, its introducer dropped
        return None
    if _WIRE_SERVICE.fullmatch(line):
        return line
    if line.isupper() or _ROLE_WORDS.search(line):  # a section heading; a job title
        return None
    name = find_name_line(line)
    if name and all(
        _is_name(part.split(), introduced=False, first=False) for part in _AUTHOR_JOIN.split(name)
    ):
        return name
    return _names(line, introduced=False, whole=True) or _unseparated_names(line)


def _unseparated_names(line: str) -> str | None:
    """Several people's names in a row with nothing between them ("Jane Doe Ann Marie Roe
    John Poe"), each starting with a first name where the name before it has ended."""
    words = line.split()
    if len(words) < 4 or not all(_NAME_WORD_ONLY.fullmatch(word) for word in words):
        return None
    names: list[list[str]] = []
    for word in words:
        # A new name starts at a first name after at least a first name and a surname.
        if names and not (
            len(names[-1]) >= 2 and _is_first_name(word) and not _is_first_name(names[-1][-1])
        ):
            names[-1].append(word)
        else:
            names.append([word])
    if len(names) < 2 or not all(
        len(name) <= _MAX_NAME_WORDS and _is_first_name(name[0]) for name in names
    ):
        return None
    return AUTHOR_SEPARATOR.join(" ".join(name) for name in names)


_NAME_WORD_ONLY = re.compile(_NAME_WORD)
_MAX_NAME_WORDS = 4


def _split_glued_byline(line: str) -> tuple[str, str | None]:
    """A headline and the byline a dump glued to its end ("Headline by Jane Doe May 2, 2024")."""
    for match in _GLUED_BYLINE.finditer(line):
        tail = line[match.start() :].strip()
        introducer = _BYLINE_INTRODUCER.match(tail)
        names = introducer and _text_before_date(tail[introducer.end() :]).strip(" ,")
        # Only names (up to a date) after the introducer: "... Kühltürme von AKW X gesprengt"
        # is the headline's own "von".
        if (
            len(line[: match.start()].split()) >= _MIN_HEADLINE_WORDS
            and names
            and " " in names
            and _names(names, introduced=True, whole=True)
        ):
            return line[: match.start()], tail
    return line, None


_GLUED_BYLINE = re.compile(r"\s(?=(?:by|von|par|por)\s+[A-Z])", re.IGNORECASE)


def _title_variants(title: str) -> list[str]:
    """The <title>, and each run of its parts between separators ("Headline | Site",
    "Section | Headline - Site"): the headline is one of them."""
    title = title.strip()[:_HEADLINE_MAX_CHARS]
    separators = list(TITLE_PARTS.finditer(title))[:_MAX_TITLE_SEPARATORS]
    starts = [0] + [separator.end() for separator in separators]
    ends = [separator.start() for separator in separators] + [len(title)]
    variants = [title[start:end] for start in starts for end in ends if start < end]
    # A part much shorter than the <title> is the site's name ("Headline | Site"), not the
    # headline: a line that repeats it is a logo or a menu.
    shortest = _MIN_TITLE_SHARE * len(title)
    return [variant for variant in variants if len(variant) >= shortest]


_MIN_TITLE_SHARE = 0.4
# A <title> is a headline and a few names: more separators than this are a list of links.
_MAX_TITLE_SEPARATORS = 6


def _similarity(matcher: difflib.SequenceMatcher, line: str) -> float:
    """The line's similarity to the matcher's <title> variant (0 where it cannot reach the
    threshold: the cheap bounds first)."""
    matcher.set_seq1(line)
    if matcher.real_quick_ratio() < _MIN_TITLE_SIMILARITY:
        return 0.0
    if matcher.quick_ratio() < _MIN_TITLE_SIMILARITY:
        return 0.0
    return matcher.ratio()


def _leading_dates(part: str, latest: date) -> list[date]:
    """The dates of a credits part that opens with at most a few words (a label, a name, a
    place) before its date; a caption's date ends a sentence."""
    found = []
    for match in _TEXT_DATE.finditer(part):
        value = _match_date(match, latest)
        if value and len(part[: match.start()].split()) <= _MAX_WORDS_BEFORE_DATE:
            found.append(value)
    return found


_MAX_WORDS_BEFORE_DATE = 5


def _line_dates(line: str, latest: date) -> list[date]:
    """The dates of a date line: a short line, a short part of a credits line ("By Jane Doe ·
    31 Jan 2025, 20:02 · 3 Comments"), or a line that opens with its date (a long line of
    share buttons after it). A date inside a sentence is not the page's. A dump glues the
    month to the word before it ("by Jane DoeNovember 21, 2025"): they are set apart."""
    line = " ".join(_GLUED_WORD.split(line))
    for part in [line] if len(line.split()) <= _TEXT_DATE_MAX_WORDS else _CREDIT_PARTS.split(line):
        if len(part.split()) <= _TEXT_DATE_MAX_WORDS and (found := _leading_dates(part, latest)):
            return found
    match = _TEXT_DATE.match(line.strip())
    value = _match_date(match, latest) if match else None
    return [value] if value else []


def _header_byline(
    region: list[str], below: int, latest: date, site_names: list[str] = (), story: int = 0
) -> str | None:
    """The byline among the lines around the headline, the first a reader trusts (see
    _bylines); the site's own name (a desk's byline, "by Lesotho Times") only where no one else
    is named. `region` is in page order, and its lines from `below` on are under the headline:
    a bare name above the headline is a menu's or a teaser's, not the byline. The story starts
    `story` lines under the headline."""
    site_byline = None
    for byline in _bylines(region, below, latest, story):
        if not any(names_site(byline, site) for site in site_names):
            return byline
        site_byline = site_byline or byline
    return site_byline


def _bylines(region: list[str], below: int, latest: date, story: int) -> Iterator[str]:
    """The bylines around the headline, in the order a reader trusts them: a "By ..." line
    (nearest the headline first); a name under its label ("By" / "Jane Doe," / "John Roe"); a
    name with its job title ("Jane Doe Political Correspondent", or the title on the next
    line), and the co-authors' lines after it; a name on the date line ("Jane Doe, 12 May 2024
    10:00"); a name line just above the date line, else just below it; a person's name alone
    under the headline."""
    nearest_first = region[below:] + region[:below][::-1]
    for line in nearest_first:
        yield from filter(None, map(find_byline, _CREDIT_PARTS.split(line)))
    under = region[below:]
    for index, label in enumerate(under):
        if _BYLINE_LABEL.match(label.strip()):
            listed = " ".join(_name_lines(under[index + 1 :]))
            byline = find_byline(listed) or _names(listed, introduced=True)
            in_a_row = _names_in_a_row(under[index + 1 :])
            if byline or in_a_row:
                yield byline if len(in_a_row) < 2 else AUTHOR_SEPARATOR.join(in_a_row)
    for index, (line, after) in enumerate(zip(under, [*under[1:], ""], strict=False)):
        byline = _name_with_role(line, after)
        if byline:  # the co-authors' lines may follow, one a line
            names = [byline, *_names_in_a_row(under[index + 1 :])]
            yield AUTHOR_SEPARATOR.join({letters_key(name): name for name in names}.values())
    dated = next((i for i, line in enumerate(under) if _is_when_line(line, latest)), None)
    if dated is not None:
        segments = _CREDIT_SEGMENTS.split(under[dated])
        # A name in Han script glued to the date is not read: it is as often the date's label
        # ("最終更新", last updated).
        yield from filter(None, (_name_line(_text_before_date(s).strip()) for s in segments))
        # Not a caption's subject ("Jane Doe" / "Photo: Reuters").
        beside = [under[i] for i in (dated - 1, dated + 1) if not _caption_subject(under, i)]
        yield from filter(None, map(_person_line, beside))
    # A name alone belongs to the header above the story, or just under the headline; a
    # reader sees the two lines after it, unless the story starts there.
    seen = under if 0 <= story <= len(under) else under[:-_LIST_NEIGHBOURS]
    yield from _names_alone(under, len(seen[: max(story, _NAME_ALONE_LINES)]))
    if under and (name := _han_name(under[0])):
        yield name


def _person_line(line: str) -> str | None:
    """The names on a line that is only names, in Latin or Han script."""
    return _name_line(line.strip()) or _han_name(line)


_NAME_ALONE_LINES = 6


def _names_alone(lines: list[str], reach: int) -> Iterator[str]:
    """The names alone on a line among the first `reach` lines under the headline (after the
    standfirst, the share bar or a picture) that a reader takes for a byline: several names, or
    a person's (one that starts with a first name); not a caption's subject, nor one of a list
    of tags or teasers (name, name; name, headline, name, headline)."""
    names = [
        name if not _caption_subject(lines, i) and (name := _name_line(line)) else None
        for i, line in enumerate(lines)
    ]
    near = range(-_LIST_NEIGHBOURS, _LIST_NEIGHBOURS + 1)
    for i, name in enumerate(names[:reach]):
        if (
            name
            and (AUTHOR_SEPARATOR in name or _is_first_name(name.split()[0]))
            and not any(0 <= i + j < len(names) and names[i + j] for j in near if j)
        ):
            yield name


_LIST_NEIGHBOURS = 2


def _caption_subject(lines: list[str], index: int) -> bool:
    """Whether lines[index] is out of range or followed by a photo credit (then it names the
    picture's subject)."""
    if not 0 <= index < len(lines):
        return True
    return bool(_PHOTO_CREDIT.match(lines[index + 1] if index + 1 < len(lines) else ""))


def _is_first_name(word: str) -> bool:
    return word.casefold() in _first_names()


@cache
def _first_names() -> frozenset[str]:
    """The first names of the US census (1990), of either sex: what a byline's name starts
    with, where a menu's or a tag's two words do not."""
    from importlib.resources import files

    return frozenset(
        line.split()[0].casefold()
        for sex in ("male", "female")
        for line in (files("names") / f"dist.{sex}.first").read_text("ascii").splitlines()
        if line.strip()
    )


# A picture's credit line, in the languages of the news the step reads.
_CREDIT_WORD = r"(?:foto|photo|photograph|bild|image|picture|credit|crédit|zdjęcie|kuva)s?"
_PHOTO_CREDIT = re.compile(rf"^\s*(?:©|{_CREDIT_WORD}\b)", re.IGNORECASE)
# A caption's credit at its end: "... left the court. Photo: Jane Doe/AP", "(Foto: dpa)".
_CAPTION_CREDIT = re.compile(rf"(?:^|[\s(])(?:©|{_CREDIT_WORD}\s*:)", re.IGNORECASE)


def _is_when_line(line: str, latest: date) -> bool:
    """A line saying when the story was published: a date, or a clock time in words on a
    short line ("Published today at 12:19"; a time alone is as often a video's length)."""
    return bool(_line_dates(line, latest)) or (
        len(line.split()) <= _WHEN_LINE_MAX_WORDS
        and _CLOCK_TIME.search(line) is not None
        and _LETTERS.search(line) is not None
    )


_LETTERS = re.compile(r"[^\W\d_]{2}")
_CLOCK_TIME = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[:.]\d\d(?!\d)")
_WHEN_LINE_MAX_WORDS = 6


def _name_lines(lines: list[str]) -> list[str]:
    """The lines of a list of names written one a line ("Jane Doe," / "John Roe &" / "Ann
    Lee"): the first line and each that the one before leaves open."""
    names = [_AFFILIATION_MARK.sub("", line) for line in lines[:1]]
    for line in lines[1:]:
        if not names[-1].rstrip().endswith((",", "&", " and", " und")):
            break
        names.append(_AFFILIATION_MARK.sub("", line))
    return names


def _names_in_a_row(lines: list[str]) -> list[str]:
    """The names of the credit lines at the top of `lines`, one author a line, each maybe with
    a job title ("Jane DoeNews Reporter" / "John Roe")."""
    found = []
    for line in map(_AFFILIATION_MARK.sub, repeat(""), lines):
        name = _name_line(line) or _name_with_role(line, "")
        if not name:
            break
        found.append(name)
    return found


# An affiliation's figure after a name in a list: "Jane Doe1,".
_AFFILIATION_MARK = re.compile(r"\d+(?=\s*[,&]?\s*$)")


# The parts of a date line that may hold a name: "Jane Doe, 26.04.2024 10:00", "am 28. April
# 2024, 14:26 Uhr, Jane Doe", "12 May 2024 • Jane Doe • 3 min read".
_CREDIT_SEGMENTS = re.compile(r",\s|\s[|•·/–—-]\s")
# The parts of a credits line: "12 May 2024 • Jane Doe • 3 min read".
_CREDIT_PARTS = re.compile(r"\s[|•·/–—-]\s")


def _name_with_role(line: str, after: str) -> str | None:
    """The name on a line with a job title after it, or followed by a line that is one."""
    line = " ".join(_GLUED_WORD.split(line))  # "Jane DoeReporter"
    role = _ROLE_WORDS.search(line)
    # A short line, or a name and its title at the start of one ("Jane Doe – Journalist in
    # Paris Journalist in Paris": a dump repeats the screen reader's copy).
    if role and (
        len(line.split()) <= _MAX_ROLE_LINE_WORDS
        or (
            len(line[: role.end()].split()) <= _MAX_ROLE_WORDS + 1
            and len(line.split()) <= 2 * _MAX_ROLE_LINE_WORDS
        )
    ):
        words = line[: role.start()].split()
        # A name, then maybe a qualifier of the title ("Amy Gibbons Political Correspondent").
        return _name_line(" ".join(words[:2] if len(words) > 2 else words))
    if len(after.split()) <= _MAX_ROLE_WORDS and _ROLE_WORDS.fullmatch(after.strip()):
        return _name_line(line)
    return None


_MAX_ROLE_WORDS = 3
_MAX_ROLE_LINE_WORDS = 8


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


def is_headline_length(text: str) -> bool:
    """At least three words (or eight characters of a script written without spaces)."""
    if len(_UNSPACED_CHAR.findall(text)) >= _MIN_UNSPACED_HEADLINE_CHARS:
        return True
    return len(text.split()) >= _MIN_HEADLINE_WORDS


def letters_key(text: str) -> str:
    """The text's letters and digits only, case folded: what two spellings of it share."""
    return "".join(char for char in text.casefold() if char.isalnum())


def detect_language(title: str | None, body: str) -> str:
    """ISO 639-1 code of the article's language, or "und" when its text is too short or too
    unusual to tell.

    py3langid's normalised probabilities over the languages the column can name (others, such as
    Nigerian Pidgin, are not candidates), with English given half the prior mass instead of the
    model's uniform prior: the input is English news, and English tables, lists of names and
    abbreviated wire briefs are what the model cannot place. A language is given only when it is
    more likely than not after that prior.
    """
    sample = _language_sample(title, body)
    if not _has_letter_bytes(sample, _MIN_LETTER_BYTES):
        return UNDETERMINED_LANGUAGE
    identifier, column_codes = _language_identifier()
    # Prior odds of English against any one other language, when the others share half evenly.
    english_weight = len(column_codes) - 1
    weights = {
        column_codes[label]: probability * (english_weight if label == "en" else 1.0)
        for label, probability in identifier.rank(sample)
        if label in column_codes
    }
    best = max(weights, key=weights.__getitem__)
    return best if weights[best] > sum(weights.values()) / 2 else UNDETERMINED_LANGUAGE


def _language_sample(title: str | None, body: str) -> str:
    """Headline and body in the script most of their words are written in, all-capitals words
    lower-cased. The model reads bytes, so a quote in Chinese (three bytes a character) would
    outweigh the English story around it; and it learnt from mixed-case text, so it reads an
    all-caps headline or table as another language."""
    text = f"{title}\n{body}" if title else body
    words = dominant_script_text(text[:_LANGUAGE_SAMPLE_CHARS]).split()
    return " ".join(word.lower() if word.isupper() else word for word in words)


def _has_letter_bytes(text: str, minimum: int) -> bool:
    """Whether the text's letters take at least `minimum` bytes in UTF-8."""
    letter_bytes = 0
    for char in text:
        if char.isalpha():
            letter_bytes += len(char.encode())
            if letter_bytes >= minimum:
                return True
    return False


@cache
def _language_identifier() -> tuple[LanguageIdentifier, dict[str, str]]:
    """py3langid's model with normalised probabilities, and the ISO 639-1 code of each of its
    labels that has one (an ISO 639-3 label such as "kik" maps to "ki")."""
    import pycountry

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    iso_639_1 = set(language_codes())
    column_codes = {label: label for label in identifier.labels if label in iso_639_1}
    for label in set(identifier.labels) - column_codes.keys():
        code = getattr(pycountry.languages.get(alpha_3=label), "alpha_2", None)
        if code:
            column_codes[label] = code
    return identifier, column_codes
