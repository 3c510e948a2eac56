"""Article metadata from a text dump: date header, headline, byline, dateline, source, language."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from schemas.tables import UNDETERMINED_LANGUAGE, language_codes

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
# German month names that the English abbreviations do not start (Januar, Juni... they do).
_MONTHS.update({"mär": 3, "märz": 3, "mai": 5, "okt": 10, "oktober": 10, "dez": 12, "dezember": 12})
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
    r"^(?:By|BY|Written by|Words by|Von|VON|Par|Por|Av)[:\s]+"
    r"(?P<name>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|da|bin|al))*"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)*)"
)
# A name alone on its line: two to four capitalised words (particles allowed), maybe several
# names joined by "|", "," or "and"/"und".
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
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
# A full date written out: "November 19, 2019", "19 November 2019", "Nov. 19, 2019", "2019-11-19".
_TEXT_MONTH = rf"(?:{_MONTH}|(?:März|Mär|Mai|Okt|Dez)[a-z]*\.?)"
# Also "19. November 2019", "19 nov 2019", "19.11.2019" (day first), "2019/11/19" and
# "2019年11月19日".
_TEXT_DATE = re.compile(
    # Not inside a word, but right after figures: dumps glue "30.01.2024" to "30. Januar 2024".
    rf"(?<![^\W\d_])(?:(?P<month1>{_TEXT_MONTH}) (?P<day1>\d{{1,2}}),? (?P<year1>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})\.? (?P<month2>{_TEXT_MONTH}),? (?P<year2>\d{{4}})"
    r"|(?P<year3>\d{4})-(?P<month3>\d{2})-(?P<day3>\d{2})"
    r"|(?P<day4>\d{1,2})\.(?P<month4>\d{1,2})\.(?P<year4>\d{4})"
    r"|(?P<year5>\d{4})年(?P<month5>\d{1,2})月(?P<day5>\d{1,2})日"
    r"|(?P<year6>\d{4})/(?P<month6>\d{1,2})/(?P<day6>\d{1,2}))(?!\d)",
    re.IGNORECASE,
)
_TEXT_DATE_MAX_WORDS = 15
_HEADLINE_MAX_WORDS = 25
_MIN_HEADLINE_WORDS = 3
# Scripts written without spaces: a headline there is measured in characters, not words.
_UNSPACED_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_MIN_UNSPACED_HEADLINE_CHARS = 8
_LANGUAGE_SAMPLE_CHARS = 5000
# Less than this many UTF-8 bytes of letters (about two words) is too little text to tell. The
# model reads bytes, so a CJK character counts three, as it carries about a word.
_MIN_LETTER_BYTES = 10


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
            numeric = next((n for n in "3456" if match.group("year" + n)), None)
            if numeric:
                parts = (match.group(f"{field}{numeric}") for field in ("year", "month", "day"))
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


def mentions_date(line: str) -> bool:
    """Whether a short line holds a full date (a page's date line)."""
    return len(line.split()) <= _TEXT_DATE_MAX_WORDS and _TEXT_DATE.search(line) is not None


def find_name_line(line: str) -> str | None:
    """A line that is only a person's name ("Jane Doe", "Ana M. de la Cruz"), or None. A dump
    glues a name to the role or link after it ("Jane DoeReporter"): that part is dropped."""
    line = _GLUED_WORD.split(line.strip(), maxsplit=1)[0]
    match = _NAME_LINE.match(line)
    if not match or line.isupper():  # all capitals: a section heading more often than a name
        return None
    return match.group("name")


def find_byline(line: str) -> str | None:
    """The author(s) of a "By ..." line, or None."""
    match = _BYLINE.match(line.strip())
    if not match or len(line.split()) > 12:
        return None
    return _GLUED_WORD.split(match.group("name"), maxsplit=1)[0].strip(" ,")


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
    """Headline and body, all-capitals words lower-cased: the model learnt from mixed-case text
    and reads an all-caps headline or table as another language."""
    text = f"{title}\n{body}" if title else body
    words = text[:_LANGUAGE_SAMPLE_CHARS].split()
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
