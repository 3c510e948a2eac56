"""Rules applied after the statistical NER: span repairs, gazetteers and document consistency."""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import accumulate

import numpy as np
from spacy.attrs import IDX, LOWER, ORTH
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from tasks.extract.coreference import GROUP_NOUNS
from tasks.extract.doc_cache import StringTest, among, doc_dateline_end, doc_text
from tasks.extract.gazetteer import (
    country_match,
    country_name_forms,
    known_organizations,
    person_titles,
)

COMPONENT_NAME = "newsflow_entity_rules"
# Labels whose spans never hold a comma: "Riverside Park, Leeds" is two places. No span holds a
# spaced dash ("Norway - Erik Lund") or a line break.
COMMA_SPLIT_LABELS = frozenset({"PERSON", "GPE", "LOC", "FAC", "NORP"})
# Labels a name can never end in a number with ("T. Barker 54" is "T. Barker").
NO_NUMBER_LABELS = frozenset({"PERSON", "GPE", "LOC", "NORP", "ORG", "FAC"})
GAZETTEER_LABELS = {
    "name": "GPE",
    "short": "GPE",
    "part": "GPE",
    "capital": "GPE",
    "demonym": "NORP",
}
# Country and capital forms that are also common personal names: never relabelled from PERSON.
PERSON_LIKE_FORMS = frozenset(
    {"Jordan", "Chad", "Georgia", "Israel", "Washington", "Kingston", "Lima", "Victoria"}
)

_INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}$")
_ARE_INITIALS = StringTest(_INITIALS.match)
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,5}$")
_NUMBER = re.compile(r"^[\d.,:/()-]+$")
# A year written alone ("in 2019 euro area lending"), which is no amount of money.
_YEAR = re.compile(r"^(?:1[6-9]|20)\d\d$")
# Tags of a verb that makes a clause ("sold", "posts", "can"); the tagger reads a table's
# abbreviated label ("Avg") as a bare verb at times.
FINITE_VERB_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
# A line ending as a sentence ends, which no table row does.
_SENTENCE_END = re.compile(r"[.!?]\W*$")
_WORD = re.compile(r"[^\W\d_]+")
# A score, count, time, share price or percentage in a results or prices row.
_FIGURE = re.compile(r"^[+-]?(?:\d[\d.,:/%-]*|\.\d+)$|^-$")
_ROW_LINE = re.compile(r"^[\W\d]*[A-Z].*\d")
_ISO_DATE = re.compile(r"\b\d{4}-\d\d-\d\d\b")
# Month and weekday names lead rows of dated figures, not of teams or companies.
CALENDAR_WORDS = frozenset(
    word.lower().rstrip(".")
    for names in (calendar.month_name, calendar.month_abbr, calendar.day_name, calendar.day_abbr)
    for word in names
    if word
) | {"sept"}
# Words that make a phrase a time by themselves ("Last week", "Today", "Under three weeks").
_TIME_WORDS = frozenset(
    [
        "today",
        "hour",
        "hours",
        "minute",
        "minutes",
        "moment",
        "moments",
        "overnight",
        "tonight",
        "yesterday",
        "tomorrow",
        "day",
        "days",
        "week",
        "weeks",
        "weekend",
        "month",
        "months",
        "year",
        "years",
        "decade",
        "decades",
        "quarter",
        "quarters",
        "season",
        "morning",
        "afternoon",
        "evening",
        "night",
        "ago",
        "earlier",
        "later",
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
    ]
)
# What the model calls a team named after a place or a founder, in running text.
TEAM_MISREADINGS = frozenset({"GPE", "LOC", "PERSON", "NORP", "FAC"})
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "from", "outside"})
# Legal-form words that end a company's name ("Acme Widgets Ltd"): the name and the word are
# the company. Written with and without the abbreviation's dot, as news spells them.
COMPANY_SUFFIXES = frozenset({
    "Inc", "Corp", "Co", "Ltd", "Plc", "PLC", "AG", "SA", "NV", "GmbH", "Bhd", "Corporation",
    "N.V", "S.A", "B.V",
})  # fmt: skip
# Forms written without a dot: a dot after them ends the sentence ("... Rivabella SpA.").
UNDOTTED_COMPANY_SUFFIXES = frozenset({"SpA", "BV"})
COMPANY_SUFFIX_FORMS = (
    COMPANY_SUFFIXES | UNDOTTED_COMPANY_SUFFIXES | {f"{suffix}." for suffix in COMPANY_SUFFIXES}
)
# Words between two sides of a fixture ("Leeds v Hull"; "BOSTON AT TEXAS" in capitals).
FIXTURE_WORDS = frozenset({"v", "v.", "vs", "vs."})
# Currency names written after an amount ("17bn rupees", "13.85 mln Swiss francs", "45 cts"), wire
# abbreviations included. Not "pounds" or "marks", which weigh and score as often.
CURRENCY_WORDS = frozenset({
    "dollar", "dollars", "dlr", "dlrs", "cent", "cents", "ct", "cts", "sterling", "stg",
    "pence", "euro", "euros", "yen", "yuan", "renminbi", "franc", "francs", "lira", "lire",
    "peseta", "pesetas", "rupee", "rupees", "rupiah", "baht", "ringgit", "rand", "krona",
    "kronor", "krone", "kroner", "peso", "pesos", "rouble", "roubles", "ruble", "rubles",
    "shekel", "shekels", "dinar", "dinars", "dirham", "dirhams", "riyal", "riyals", "naira",
    "ecu", "ecus", "guilder", "guilders", "schilling", "schillings", "drachma", "drachmas",
    "escudo", "escudos", "zloty", "zlotys", "forint", "cruzado", "cruzados",
})  # fmt: skip
# Wire copy's abbreviations of currencies, which name only money, in a headline's capitals too
# ("Dlrs"), where a currency's full name in capitals names something else ("Euro finals").
CURRENCY_ABBREVIATIONS = frozenset({"dlr", "dlrs", "ct", "cts", "stg"})
# Words of an amount's size, written apart from its figure ("7.46 mln", "4 billion").
MAGNITUDE_WORDS = frozenset({
    "thousand", "million", "mln", "billion", "bln", "bn", "trillion", "m", "k",
})  # fmt: skip
# Words a results row writes after its label: sizes, currencies, and units and kinds of figure.
TABLE_WORDS = (
    MAGNITUDE_WORDS | CURRENCY_WORDS | CURRENCY_ABBREVIATIONS | {"vs", "pct", "loss", "profit"}
)
# A currency sign, alone or with a country's letters ("$", "£", "US$", "HK$").
_CURRENCY_SIGN = re.compile(r"^[A-Z]{0,3}[$£€¥₹₩₽]$")
_IS_CURRENCY_SIGN = StringTest(_CURRENCY_SIGN.match)
# A row of a company's results in wire copy: a label, then this period's figure against the
# last one's ("Shr 93 cts vs 68 cts", "Avg shrs 8,127,406 vs 7,963,118", "Oper net 6.12 mln vs
# loss 413,275"). A fixture's "Leeds 2 vs Hull 1" names a side after "vs".
_RESULTS_ROW = re.compile(
    r"(?P<label>[A-Z][A-Za-z.&/-]*(?: [A-Za-z.&/-]+){0,3}?) [$(-]?\d"
    r"[^\n]*?\bvs\.? (?:[a-z]+ )?[$(-]?\d"
)
# Labels the model gives an amount of money whose currency it did not see.
AMOUNT_LABELS = frozenset({"MONEY", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT"})


def _could_be_row(line: str) -> bool:
    """A line of names and figures, not a dateline ("PORTLAND 2023-09-13")."""
    return bool(_ROW_LINE.match(line)) and not _ISO_DATE.search(line)


def _is_caps_line(line: str) -> bool:
    """A headline, dateline or table row in capitals, where the model's casing cues fail."""
    letters = "".join(filter(str.isalpha, line))
    return len(letters) >= 3 and sum(map(str.isupper, letters)) >= 0.8 * len(letters)


@lru_cache(maxsize=1)
def _gazetteer_casing() -> dict[str, str]:
    """Lower-case word -> spelling, for the words of the gazetteers' names."""
    names = [surface for surface, _code, _kind in country_name_forms()]
    names += [organization.full_name for organization in known_organizations()]
    return {
        word.lower(): word
        for name in names
        for word in _WORD.findall(name)
        if not word.isupper() and word.lower() not in STOP_WORDS
    }


def _known_casing(doc: Doc) -> dict[str, str]:
    """Lower-case word -> its most frequent mixed-case spelling in `doc`, else the gazetteers'."""
    spellings = Counter(token.text for token in doc if token.is_alpha and not token.is_upper)
    casing: dict[str, str] = {}
    for spelling, _count in spellings.most_common():
        casing.setdefault(spelling.lower(), spelling)
    for word, spelling in _gazetteer_casing().items():
        casing.setdefault(word, spelling)
    return casing


def _true_cased(text: str, casing: dict[str, str]) -> str:
    """`text` with each word spelled as the document spells it, else in lower case."""
    return _WORD.sub(lambda match: casing.get(match.group().lower(), match.group().lower()), text)


def _lines_where(doc: Doc, test: Callable[[str], bool]) -> list[Iterator[Token]]:
    """The tokens of each line of `doc` that passes `test`, read lazily and once: a row's
    reader stops at a paragraph's first word in lower case, without a Token made for the rest."""
    lines = doc_text(doc).split("\n")
    line_starts = [0, *accumulate(len(line) + 1 for line in lines)]
    chosen = [index for index, line in enumerate(lines) if test(line)]
    if not chosen:
        return []
    token_starts = doc.to_array(IDX).tolist()
    tokens_of_lines = []
    for index in chosen:
        first = bisect_left(token_starts, line_starts[index])
        end = bisect_left(token_starts, line_starts[index + 1])
        tokens_of_lines.append(token for token in doc[first:end] if not token.is_space)
    return tokens_of_lines


def _recase_caps_lines(doc: Doc, spans: list[Span], ner: Language) -> list[Span]:
    """Entities of capitalised lines, re-read by the model from a true-cased copy of each line.

    The copy has the same tokens, so its entities map back token for token.
    """
    lines = [tokens for tokens in map(list, _lines_where(doc, _is_caps_line)) if tokens]
    if not lines:
        return spans
    casing = _known_casing(doc)
    covered = {token.i for tokens in lines for token in tokens}
    kept = [span for span in spans if not covered.intersection(range(span.start, span.end))]
    for tokens in lines:
        copy = Doc(
            doc.vocab,
            words=[_true_cased(token.text, casing) for token in tokens],
            spaces=[bool(token.whitespace_) for token in tokens],
        )
        for entity in ner(copy).ents:
            start, end = tokens[entity.start].i, tokens[entity.end - 1].i + 1
            if end - start == entity.end - entity.start:  # one contiguous run of the line
                kept.append(Span(doc, start, end, label=entity.label_))
    return kept


def _is_figure(text: str) -> bool:
    return bool(_FIGURE.match(text))


def _row_names(tokens: Iterable[Token]) -> list[tuple[int, int]]:
    """(start, end) doc token indices of the names heading the figures of a results or prices
    row.

    A row is names each followed by figures ("Leeds 2 Hull 1", a standings or share-price line),
    with at most a rank before it and a bracketed note after it; a line with any other word is
    running text and has no row names.
    """
    depth, names, start = 0, [], None
    previous_figure = False
    end = 0  # after the token read before this one
    for token in tokens:
        name_end, end = end, token.i + 1
        text = token.text
        if text in {"(", "["}:
            depth += 1
        if depth:
            depth -= text in {")", "]"}
            start = None
            continue
        if _is_figure(text):
            if start is not None:
                names.append((start, name_end))
                start = None
            previous_figure = True
            continue
        if token.is_alpha or (start is not None and text in {".", "&", "'", "-"}):
            if token.is_alpha and (
                not text[0].isupper()
                or text.lower() in CALENDAR_WORDS
                or text.lower() in _TIME_WORDS  # a forward price's term ("6 Months 812.5")
            ):
                return []
            if start is None:
                if names and not previous_figure:
                    return []
                start = token.i
            previous_figure = False
            continue
        if text in {",", ":", "-", "*", "."} and start is None:
            continue
        return []
    if start is not None:  # a name with no figure after it: a heading, not a row
        return []
    return names


def _row_heads(doc: Doc) -> list[Span]:
    """Names heading the figures of results, standings and prices rows: teams and companies."""
    return [
        Span(doc, start, end)
        for tokens in _lines_where(doc, _could_be_row)
        for start, end in _row_names(tokens)
    ]


def _side(doc: Doc, start: int, step: int) -> Span | None:
    """The capitalised name running from token `start` away from a fixture word."""
    end = start
    while 0 <= end < len(doc) and doc[end].is_alpha and doc[end].text[0].isupper():
        end += step
    if end == start:
        return None
    first, last = sorted((start, end - step))
    return Span(doc, first, last + 1)


def _companies(doc: Doc, spans: list[Span]) -> list[Span]:
    """A name followed by a legal form ("Acme Widgets Ltd") is a company, the form included:
    the model often leaves the form out or reads the name as a person's."""
    result = list(spans)
    suffixes = among(doc, doc.to_array(ORTH), COMPANY_SUFFIX_FORMS)
    for suffix in map(doc.__getitem__, np.flatnonzero(suffixes).tolist()):
        name = _side(doc, suffix.i - 1, -1) if suffix.i else None
        if name is None:
            continue
        ending = [s for s in result if s.end == suffix.i and s.start <= name.start]
        start = min([name.start] + [s.start for s in ending])
        overlapping = [s for s in result if s.start < suffix.i + 1 and start < s.end]
        if any(s.start < start for s in overlapping):
            continue
        result = [s for s in result if s not in overlapping]
        result.append(Span(doc, start, suffix.i + 1, label="ORG"))
    return result


def _initials(span: Span) -> str:
    """ "Northern Farmers Alliance" -> "NFA": the capitals of a name's words."""
    return "".join(token.text[0] for token in span if token.text[0].isupper())


def _acronyms(doc: Doc, spans: list[Span]) -> list[Span]:
    """An organisation's acronym is the organisation wherever the document uses it: written in
    brackets after its name ("Northern Farmers Alliance (NFA)") or made of its name's
    capitals. The model often leaves an acronym it does not know unlabelled."""
    organizations = [s for s in spans if s.label_ == "ORG" and len(s) > 1]
    if not organizations:
        return spans
    acronyms = {_initials(s) for s in organizations}
    for span in organizations:
        after = doc[span.end : span.end + 3]
        if len(after) == 3 and after[0].text == "(" and after[2].text == ")":
            acronyms.add(after[1].text)
    acronyms = {a for a in acronyms if _ACRONYM.match(a) and not country_match(a)}
    if not acronyms:
        return spans
    result = list(spans)
    taken = {index: s for s in result for index in range(s.start, s.end)}
    for index in np.flatnonzero(among(doc, doc.to_array(ORTH), acronyms)).tolist():
        covering = taken.get(index)
        if covering is None:
            result.append(Span(doc, index, index + 1, label="ORG"))
        elif len(covering) == 1 and covering.label_ != "ORG":
            result[result.index(covering)] = Span(doc, index, index + 1, label="ORG")
    return result


def _alone_on_its_line(doc: Doc, first: int, last: int) -> bool:
    """Whether tokens first..last (inclusive) make up a whole line."""
    starts_line = first == 0 or "\n" in doc[first - 1].text + doc[first - 1].whitespace_
    ends_line = last == len(doc) - 1 or "\n" in doc[last].whitespace_ + doc[last + 1].text
    return starts_line and ends_line


def _fixture_sides(doc: Doc) -> list[Span]:
    """The sides of fixtures: both in "Leeds v Hull"; in a schedule's "BOSTON AT TEXAS" line
    the first only, the second being where they play."""
    sides_found = []
    words = among(doc, doc.to_array(LOWER), FIXTURE_WORDS) | among(doc, doc.to_array(ORTH), ["AT"])
    for token in map(doc.__getitem__, np.flatnonzero(words).tolist()):
        if token.i == 0 or token.i == len(doc) - 1:
            continue
        sides = [_side(doc, token.i - 1, -1), _side(doc, token.i + 1, 1)]
        if token.text == "AT":
            if None in sides or not _alone_on_its_line(doc, sides[0].start, sides[1].end - 1):
                continue
            sides = sides[:1]
        sides_found.extend(side for side in sides if side is not None)
    return sides_found


def _teams(doc: Doc, spans: list[Span]) -> list[Span]:
    """Names in a team's place (heading a row's figures, a side of a fixture) are teams or
    companies, and so is the same name elsewhere in the document's running text: the model
    reads a club named after its town as the town ("Leeds"), and often finds nothing in a row.
    """
    result = list(spans)
    team_names = set()
    for name in _row_heads(doc) + _fixture_sides(doc):
        if _is_team_name(name, result):
            result = [s for s in result if not (s.start < name.end and name.start < s.end)]
            result.append(Span(doc, name.start, name.end, label="ORG"))
            team_names.add(name.text)
    if not team_names:
        return result
    return [
        Span(doc, s.start, s.end, label="ORG")
        if s.text in team_names and s.label_ in TEAM_MISREADINGS and not _after_place_word(s)
        else s
        for s in result
    ]


def _after_place_word(span: Span) -> bool:
    """ "in Leeds", "at Leeds": the place, not the team."""
    return span.start > 0 and span.doc[span.start - 1].lower_ in PLACE_PREPOSITIONS


def _is_team_name(name: Span, spans: list[Span]) -> bool:
    """Whether a name in a team's place is a team: not a country (a national side is called by
    its country) nor a person (initials, or the model's full name)."""
    if country_match(name.text) or any(_INITIALS.match(token.text) for token in name):
        return False
    # A person's full name leads rows too (a golfer's rounds); a one-word "person" is the model
    # misreading a club.
    return not any(
        s.label_ == "PERSON" and name.start <= s.start and s.end <= name.end and len(s) > 1
        for s in spans
    )


def _pieces(span: Span) -> list[Span]:
    """`span` cut at line breaks, and for place and person names at commas and spaced dashes."""
    doc = span.doc
    pieces, start = [], span.start
    for token in span:
        breaks = "\n" in token.text or "\n" in token.whitespace_
        spaced_dash = token.text in {"-", "–", "—"} and bool(token.whitespace_)
        separator = spaced_dash or (
            span.label_ in COMMA_SPLIT_LABELS and token.text in {",", ";", "(", ")"}
        )
        if separator or token.is_space:
            if start < token.i:
                pieces.append(Span(doc, start, token.i, label=span.label))
            start = token.i + 1
        elif breaks:
            pieces.append(Span(doc, start, token.i + 1, label=span.label))
            start = token.i + 1
    if start < span.end:
        pieces.append(Span(doc, start, span.end, label=span.label))
    return pieces


def _trimmed(span: Span) -> Span | None:
    """The name alone: without a leading "the", "#" or title, trailing possessive or numbers."""
    texts = [token.text for token in span]
    lowers = [token.lower_ for token in span]
    start, end = 0, len(texts)  # within the span
    # Wire copy sets a company's name in angle brackets ("<Acme Holdings Inc>").
    while start < end and (lowers[start] == "the" or texts[start] in {"#", "(", "[", "<"}):
        start += 1
    if span.label_ == "PERSON":
        while end - start > 1 and lowers[start].rstrip(".") in person_titles():
            start += 1
    while end > start and (
        lowers[end - 1] in {"'s", "’s", "'", "’"}
        or texts[end - 1] in {",", ";", ":", "-", "–", "—", ">"}
        or (span.label_ in NO_NUMBER_LABELS and _NUMBER.match(texts[end - 1]))
    ):
        end -= 1
    parens = [index for index in range(start, end) if texts[index] in {"(", ")"}]
    if len(parens) % 2:  # unbalanced: keep the side of the bracket the name is on
        start, end = (parens[0] + 1, end) if texts[parens[0]] == ")" else (start, parens[0])
    if start >= end or not any(char.isalpha() for text in texts[start:end] for char in text):
        return None
    return Span(span.doc, span.start + start, span.start + end, label=span.label)


def _split_demonym(span: Span) -> list[Span]:
    """ "Australian Kim Porter": a demonym before a person's name is its own NORP entity."""
    if span.label_ != "PERSON" or len(span) < 3:
        return [span]
    match = country_match(span[0].text)
    if not match or match[1] != "demonym":
        return [span]
    doc = span.doc
    return [
        Span(doc, span.start, span.start + 1, label="NORP"),
        Span(doc, span.start + 1, span.end, label="PERSON"),
    ]


def _repaired(spans: list[Span]) -> list[Span]:
    repaired = []
    for span in spans:
        for piece in _pieces(span):
            trimmed = _trimmed(piece)
            if trimmed is not None:
                repaired.extend(_split_demonym(_group_after_the(trimmed)))
    return repaired


# After a name, these make "the" + name a person still: "the Jane Doe of chess", "the Jane Doe
# who won", "the Jane Doe whose shop burned" (one of several, or a likeness).
_PERSON_AFTER_THE_FOLLOWERS = frozenset({"of", "who", "whose"})


def _group_after_the(span: Span) -> Span:
    """ "The Lib Dems", "the W.H.O. Council": news writes no "the" before a person's name, so a
    PERSON after one is an organisation, unless it modifies a noun ("the Obama administration",
    "the A. Jones study"), is a family ("the Smiths"), a title ("the Prince of Wales") or one
    person picked out ("the Jane Doe who won")."""
    if span.label_ != "PERSON" or not _after_the(span.doc, span.start):
        return span
    if span.root.dep_ == "compound" or any(token.lower_ == "of" for token in span):
        return span
    if _picks_out_a_person(span.doc, span.end):
        return span
    if len(span) == 1 and span.text.endswith("s"):
        return span
    return Span(span.doc, span.start, span.end, label="ORG")


def _without_dateline_spill(doc: Doc, spans: list[Span]) -> list[Span]:
    """ "DENVER, May 19 - Cattle ranchers ...": the model reads the words right after a wire
    dateline's date and dash as more date. A DATE or TIME there with no figure and no calendar
    or time word is no date."""
    dateline_end = doc_dateline_end(doc)
    first = doc.char_span(dateline_end, dateline_end + 1, alignment_mode="expand")
    if not dateline_end or first is None:
        return spans
    # Blank lines may stand between the dateline and the story's first word.
    while first[0].is_space and first.end < len(doc):
        first = doc[first.end : first.end + 1]
    # The story's first word, or the noun after its article ("The central bank").
    opening = {first.start, first.start + 1} if first[0].pos_ == "DET" else {first.start}

    def spilled(span: Span) -> bool:
        return (
            span.label_ in ("DATE", "TIME")
            and span.start in opening
            and not any(
                _has_digit(token) or token.lower_ in CALENDAR_WORDS or token.lower_ in _TIME_WORDS
                for token in span
            )
        )

    return [span for span in spans if not spilled(span)]


def _dateline_place(doc: Doc, spans: list[Span]) -> list[Span]:
    """ "FRANKFURT, March 2 - ", "ST. LOUIS, Mo., Oct 14 - ", "ÖREBRO, Sweden - ": the words in
    capitals opening a wire dateline, before its comma, name the place it was filed from, which
    the model, seeing capitals, often takes for an organisation, cuts or misses."""
    dateline_end = doc_dateline_end(doc)
    if not dateline_end:
        return spans
    line_start = doc_text(doc).rfind("\n", 0, dateline_end) + 1
    first = doc.char_span(line_start, line_start + 1, alignment_mode="expand")
    if first is None:
        return spans
    start = end = first.start
    while end < len(doc) and (
        _in_capitals(doc[end])
        # the dot of an abbreviation ("ST. LOUIS"), which the tokenizer may set apart
        or (end > start and doc[end].text == "." and not doc[end - 1].whitespace_)
    ):
        end += 1
    if end == start or end >= len(doc) or doc[end].text not in {",", "("}:
        return spans
    place = Span(doc, start, end, label="GPE")
    return [s for s in spans if not (s.start < end and start < s.end)] + [place]


def _without_results_labels(doc: Doc, spans: list[Span]) -> list[Span]:
    """The labels of a results table's rows ("Shr", "Revs", "Avg shrs") name no one, though
    the model, seeing a capital before figures, reads them as names or dates. A row starts a
    line, or the story after a wire dateline, and is no sentence: the line has no sentence
    end, and its label no verb unless only figures and units follow it, where the tagger
    misreads a label's noun ("Group sheet total 4.81 billion vs 4.52"). "Acme sold 5 mln
    units vs 4 mln, it said." names Acme."""
    text = doc_text(doc)
    starts = {0, doc_dateline_end(doc)} | {match.end() for match in re.finditer("\n", text)}
    label_tokens: set[int] = set()
    for start in starts:
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        match = _RESULTS_ROW.match(text, start, line_end)
        if not match or _SENTENCE_END.search(text[start:line_end]):
            continue
        label = doc.char_span(start, match.end("label"), alignment_mode="expand")
        if label is None:
            continue
        rest = doc.char_span(label.end_char, line_end, alignment_mode="expand") or []
        figures_only = all(token.lower_ in TABLE_WORDS or not token.is_alpha for token in rest)
        if figures_only or not any(token.tag_ in FINITE_VERB_TAGS for token in label):
            label_tokens.update(range(label.start, label.end))
    if not label_tokens:
        return spans
    return [
        span
        for span in spans
        if not any(index in label_tokens for index in range(span.start, span.end))
    ]


def _has_digit(token: Token) -> bool:
    return any(char.isdigit() for char in token.text)


def _amount_figure(token: Token) -> bool:
    """A number of an amount, in figures or words ("2.4", "4.83bn", "nine"); not a year ("in
    2019 euro area lending")."""
    return (token.like_num or _has_digit(token)) and not _YEAR.match(token.text)


def _amount_start(doc: Doc, end: int) -> int:
    """Where the amount ending before token `end` starts: its figures and size words ("2.4
    mln"), with a currency sign before them ("$ 4bn"); `end` when no figure is there."""
    start = end
    while start > 0 and (
        _amount_figure(doc[start - 1]) or doc[start - 1].lower_ in MAGNITUDE_WORDS
    ):
        start -= 1
    if not any(_amount_figure(token) for token in doc[start:end]):
        return end
    if start > 0 and _CURRENCY_SIGN.match(doc[start - 1].text):
        start -= 1
    return start


def _currency_qualifier(token: Token) -> bool:
    """A word saying whose currency follows: "U.S.", "N.Z.", "Canadian", "Swiss"."""
    match = country_match(token.text)
    return bool(_INITIALS.match(token.text)) or bool(match and match[1] == "demonym")


def _attributive(token: Token) -> bool:
    """A currency's name before a noun on its line describes the noun ("the 27 euro
    members"): no amount of money. Wire copy's abbreviations name only amounts ("a 2.35 mln
    dlr loan")."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return (
        following is not None
        and token.lower_ not in CURRENCY_ABBREVIATIONS
        and "\n" not in token.whitespace_
        and following.pos_ in ("NOUN", "PROPN")
        and following.text not in CURRENCY_WORDS
    )


def _calendar_date(span: Span) -> bool:
    """A date the model found that says a day, month or year in words ("May 2019", "last
    year"); a bare figure it calls a date ("70" of "70 mln pesos") may be an amount."""
    return span.label_ == "DATE" and any(
        token.is_alpha and token.lower_ not in MAGNITUDE_WORDS for token in span
    )


def _amounts_of_money(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) of the amounts written with a currency sign before their figures or a
    currency's name, in lower case, after them."""
    amounts = []
    # Only a currency's word or sign can end or start an amount: found on the token arrays, so
    # that no Token is made for the other words.
    words, lower = doc.to_array(ORTH), doc.to_array(LOWER)
    candidates = (
        among(doc, words, CURRENCY_WORDS)
        | among(doc, lower, CURRENCY_ABBREVIATIONS)
        | _IS_CURRENCY_SIGN.mask(doc, words)
    )
    for index in np.flatnonzero(candidates).tolist():
        token = doc[index]
        currency = token.text in CURRENCY_WORDS or token.lower_ in CURRENCY_ABBREVIATIONS
        if currency and not _attributive(token):
            end = index
            while end > max(index - 2, 0) and _currency_qualifier(doc[end - 1]):
                end -= 1
            start = _amount_start(doc, end)
            if start < end:
                amounts.append((start, index + 1))
        elif (
            _CURRENCY_SIGN.match(token.text) and index + 1 < len(doc) and _has_digit(doc[index + 1])
        ):
            # After a sign, only figures and size words: "$20 one way" is "$20".
            end = index + 2
            while end < len(doc) and (_has_digit(doc[end]) or doc[end].lower_ in MAGNITUDE_WORDS):
                end += 1
            amounts.append((index, end))
    return amounts


def _money(doc: Doc, spans: list[Span]) -> list[Span]:
    """Amounts of money whole, with their currency: a sign before the figure ("£4.83bn",
    "(€950m)"), a currency's name after it ("17bn rupees", "13.85 mln Swiss francs", wire copy's
    "dlrs" and "cts"). The model often leaves the sign or the name out, or reads the amount as
    a count and the currency as a name. A figure within a date written in words is none."""
    dated = {i for span in spans if _calendar_date(span) for i in range(span.start, span.end)}
    kept = dict.fromkeys(spans)  # in order; spans by token, to merge in one pass
    at_token: defaultdict[int, list[Span]] = defaultdict(list)
    for span in spans:
        for index in range(span.start, span.end):
            at_token[index].append(span)
    for start, end in _amounts_of_money(doc):
        if any(index in dated for index in range(start, end)):
            continue
        overlapping = list(
            dict.fromkeys(s for index in range(start, end) for s in at_token[index] if s in kept)
        )
        # A name around the amount is kept; the model's words before the figure stay too
        # ("about 718,460 dlrs").
        if any(
            s.label_ not in AMOUNT_LABELS and (s.start < start or s.end > end) for s in overlapping
        ):
            continue
        money = Span(
            doc,
            min([start] + [s.start for s in overlapping]),
            max([end] + [s.end for s in overlapping]),
            label="MONEY",
        )
        for span in overlapping:
            del kept[span]
        kept[money] = None
        for index in range(money.start, money.end):
            at_token[index].append(money)
    return list(kept)


def _in_capitals(token: Token) -> bool:
    """A word in capitals, or its abbreviation ("ST." of "ST. LOUIS")."""
    return token.is_upper and token.text.removesuffix(".").isalpha()


def _after_the(doc: Doc, index: int) -> bool:
    return index > 0 and doc[index - 1].lower_ == "the"


def _picks_out_a_person(doc: Doc, name_end: int) -> bool:
    """Whether the word after a name following "the" keeps it a person's: "of", "who", "whose"
    or a common noun the name modifies, which the parse may miss ("the A. Jones study")."""
    if name_end >= len(doc):
        return False
    following = doc[name_end]
    return following.lower_ in _PERSON_AFTER_THE_FOLLOWERS or following.pos_ == "NOUN"


class EntityRules:
    """Post-NER rules for news: re-read capitalised lines, repair spans, apply gazetteers,
    make a document's names consistent, and find "J. Smith" style names."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.nlp = nlp
        self.places = PhraseMatcher(nlp.vocab)
        self.organizations = PhraseMatcher(nlp.vocab)
        forms: dict[str, list[str]] = defaultdict(list)
        for surface, _code, kind in country_name_forms():
            forms[GAZETTEER_LABELS[kind]].append(surface)
        for label, surfaces in forms.items():
            self.places.add(label, self._patterns(nlp, surfaces))
        names = [o.acronym for o in known_organizations()]
        names += [o.full_name for o in known_organizations()]
        self.organizations.add("ORG", self._patterns(nlp, names))

    @staticmethod
    def _patterns(nlp: Language, surfaces: list[str]) -> list[Doc]:
        """Each name as written and in capitals (headlines), tokenised like running text."""
        variants = {variant for surface in surfaces for variant in (surface, surface.upper())}
        return list(nlp.tokenizer.pipe(sorted(variants)))

    def __call__(self, doc: Doc) -> Doc:
        spans = _recase_caps_lines(doc, list(doc.ents), self.nlp.get_pipe("ner"))
        spans = _without_results_labels(doc, spans)
        spans = _money(doc, spans)
        spans = _repaired(spans)
        spans = _without_dateline_spill(doc, spans)
        spans = _dateline_place(doc, spans)
        spans = self._apply_gazetteers(doc, spans)
        spans = _teams(doc, spans)
        spans = _companies(doc, spans)
        spans = _acronyms(doc, spans)
        spans = _consistent_people(doc, spans)
        spans = _initialled_people(doc, spans)
        doc.ents = filter_spans(spans)
        return doc

    def _apply_gazetteers(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """Gazetteer names get the gazetteer's label when the model found them or nothing there.

        A longer model entity around a name ("South China Sea") is kept.
        """
        matches = [
            Span(doc, start, end, label=label)
            for matcher in (self.places, self.organizations)
            for label, start, end in matcher(doc)
        ]
        result = list(spans)
        for match in filter_spans(matches):
            overlapping = [s for s in result if s.start < match.end and match.start < s.end]
            if any(s.start < match.start or s.end > match.end for s in overlapping):
                continue
            if any(s.label_ == "PERSON" for s in overlapping) and match.text in PERSON_LIKE_FORMS:
                continue
            result = [s for s in result if s not in overlapping] + [match]
        return result


def _consistent_people(doc: Doc, spans: list[Span]) -> list[Span]:
    """A surname of a person named in full is that person elsewhere in the document too."""
    surnames = {
        span[-1].text
        for span in spans
        if span.label_ == "PERSON" and len(span) > 1 and span[-1].is_title
    }
    surnames -= {surname for surname in surnames if surname.lower() in STOP_WORDS}
    if not surnames:
        return spans
    result = []
    taken = set()
    for span in spans:
        if (
            len(span) == 1
            and span.text in surnames
            and span.label_ in {"ORG", "GPE", "NORP"}
            and not country_match(span.text)
        ):
            span = Span(doc, span.start, span.end, label="PERSON")
        result.append(span)
        taken.update(range(span.start, span.end))
    named = among(doc, doc.to_array(ORTH), surnames)
    for index in np.flatnonzero(named).tolist():
        if index not in taken and not country_match(doc[index].text):
            result.append(Span(doc, index, index + 1, label="PERSON"))
    return result


def _initialled_people(doc: Doc, spans: list[Span]) -> list[Span]:
    """ "T. Barker", "R.K. Ellis": initials and a capitalised word are a person's name (not after
    "the")."""
    result = list(spans)
    initials = _ARE_INITIALS.mask(doc, doc.to_array(ORTH)[:-1])
    for token in map(doc.__getitem__, np.flatnonzero(initials).tolist()):
        surname = doc[token.i + 1]
        if not (surname.is_title and surname.is_alpha):
            continue
        if surname.lower_ in STOP_WORDS or country_match(surname.text) or country_match(token.text):
            continue
        start = token.i
        while start > 0 and _INITIALS.match(doc[start - 1].text):
            start -= 1
        # "the W.H.O. Council": no person's name follows "the", unless one is picked out
        # ("the A. Jones study"); a body's word ("Council", "Board") after initials names a body.
        if _after_the(doc, start) and (
            surname.lower_ in GROUP_NOUNS or not _picks_out_a_person(doc, surname.i + 1)
        ):
            continue
        overlapping = [
            s for s in result if s.start <= surname.i < s.end or s.start <= start < s.end
        ]
        # A longer name of something else around them ("J. Walter Thompson Co.") is kept.
        if any(
            s.label_ != "PERSON" and (s.start < start or s.end > surname.i + 1) for s in overlapping
        ):
            continue
        end = max([surname.i + 1] + [s.end for s in overlapping])
        result = [s for s in result if s not in overlapping]
        result.append(Span(doc, start, end, label="PERSON"))
    return result


@Language.factory(COMPONENT_NAME)
def make_entity_rules(nlp: Language, name: str) -> EntityRules:
    return EntityRules(nlp, name)
