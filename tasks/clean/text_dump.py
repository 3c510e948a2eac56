"""Body-line selection for plain text: a page dump's body, or an already-clean article whole.

A text is a page dump when it holds page furniture (`is_page_dump`); an article from a feed,
an API or a wire service holds none and is kept whole (`article_body`).

In a dump, a story is a run of long, sentence-like lines; page furniture is short, repeated,
link-like or matches a known boilerplate line. Each line gets a score (positive for prose,
negative for furniture) and the body is the contiguous run with the highest total (maximum
subarray), with known boilerplate lines and the headline removed from inside it.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import takewhile
from pathlib import Path

from tasks.clean.metadata import (
    find_byline,
    is_headline_length,
    letters_key,
    looks_like_headline,
    wire_sign_off,
)
from tasks.stop_words import spacy_stop_words

_BOILERPLATE_FILE = Path(__file__).with_name("boilerplate.txt")
_WORD = re.compile(r"\w+")
# German and Swiss quotations close on “ ‘ « and French ones on »: after a stop, they end it.
_SENTENCE_END = re.compile(r"(?:[.!?…\"”’)\]。！？」]|[.!?…][“‘«»]+)$")
# Hiragana, katakana, CJK ideographs, Thai: scripts that do not separate words by spaces.
_UNSPACED_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u0e00-\u0e7f]")
# A page whose words are at least this share a language's stopwords is read in that language.
_PAGE_STOPWORD_RATIO = 0.2
# The languages spaCy lists function words for that are most written on the web.
_STOPWORD_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "da", "nb", "sv", "pl", "ru")
# The heading of a block of links to other stories.
_RELATED_HEADING = re.compile(
    r"(more (from|on|in|about) .{1,40}|(more|related|recommended|similar|latest|top|popular|"
    r"trending|other) (stories|articles|news|posts|reads|links|content|headlines|videos)"
    r"( .{1,30})?|related|recommended( for you)?|read (more|next|also)|also read|see also|"
    r"you (may|might) (also )?(like|enjoy|be interested in)|don'?t miss|most (read|popular|viewed|"
    r"shared)|trending( now)?|editor'?s picks|what to read next|up next|elsewhere on .{1,40}|"
    # The same headings in the other languages most read on the web.
    r"lesen sie auch|lest auch|mehr zum thema|mehr aus dem ressort|mehr zu .{1,40}|meistgelesen|"
    r"das könnte (sie|dich) auch interessieren|die redaktion empfiehlt|passend zum (artikel|thema)|"
    r"ähnliche (beiträge|artikel|nachrichten)|lire aussi|à lire aussi|vous aimerez aussi|"
    r"sur le même sujet|les også|læs også|läs också|lue myös|lee también|leer más|"
    r"te puede interesar|leia também|leggi anche|czytaj (też|także|więcej)|lees ook)"
    r"[ :.!]*",
    re.IGNORECASE,
)
# An ad slot's label in the languages most read on the web:
# between two paragraphs, it neither ends the story nor belongs to it.
_AD_LABEL = re.compile(
    r"advertisement|advertorial|anzeige|werbung|publicidad|publicité|pubblicità|publicidade|"
    r"annonse|annonce|annons|reklame|reklama|advertentie|mainos",
    re.IGNORECASE,
)
# The author's bio closing the story: "Jane Doe is the paper's senior health writer, based in ...".
_AUTHOR_BIO = re.compile(
    r"(?:[A-Z][\w.'’-]+ ){1,3}(?:is|was) (?:a|an|the)\b[^.]{0,80}\b(?i:correspondent|reporter|"
    r"writer|editor|columnist|journalist|contributor|author|photographer)s?\b.*"
)
_BIO_LINES = 6  # among the story's last lines
# A link to another story inside or below it: "READ MORE: headline", "Les også headline".
_STORY_LINK = re.compile(
    r"(?:(?:read (?:more|also|next)|also read|see also|related(?: article| story)?)\s*[:|]|"
    r"(?:lire aussi|à lire aussi|voir aussi|lesen sie auch|lest auch|siehe auch|les også|"
    r"læs også|läs också|lue myös|lee también|ver también|leia também|leggi anche|"
    r"czytaj (?:też|także|więcej)|lees ook)\b\s*[:|]?)\s*\S.{0,200}",
    re.IGNORECASE,
)
# An ad slot's or a box's note that the story goes on below it.
_CONTINUES_BELOW = re.compile(
    r".{0,40}\b(?:story|article|text|artikel|beitrag) (?:continues|geht) (?:below|weiter|unten)"
    r".{0,60}|.{0,40}continue reading below.{0,40}|.{0,40}(?:weiterlesen|lesen sie) nach der "
    r"(?:anzeige|werbung).{0,40}|.{0,40}la suite (?:après|sous) (?:cette|la) publicité.{0,40}"
    r"|.{0,40}(?:el artículo|la noticia) (?:continúa|sigue).{0,40}"
    r"|.{0,40}l.articolo (?:continua|prosegue).{0,40}",
    re.IGNORECASE,
)
_MAX_CONTINUED_GAP = 40
# The heading or button that opens the readers' comments: the story never goes on past it.
_COMMENTS_OPENING = re.compile(
    r"((\d+ )?(readers?'? |user )?(comments?|kommentare?|commentaires?|comentarios?|commenti|"
    r"kommentarer|reacties|komentarze)( \(?\d+\)?)?|(leave|post|add|write) (a|your) "
    r"(comment|reply)|join the (conversation|discussion)|(show|view|load|read|see) (all )?"
    r"(\d+ )?comments|comments? (are|is) (closed|moderated)|"
    # WordPress's heading of the thread: '6 thoughts on "Headline"'.
    r"(\d+|one) (thoughts?|responses?) (on|to) [“\"].{1,200}[”\"])[ :.!]*",
    re.IGNORECASE,
)
# A line announcing the list below it: a colon, or "as follows" in the languages most read on
# the web ("各地の震度は次のとおり。").
_ANNOUNCES_LIST = re.compile(
    r"(?:[:：]|\b(?:as follows|wie folgt|comme suit|como sigue|come segue)\.|"
    r"(?:次|以下)の(?:とおり|通り)(?:です)?。)$"
)
_INNER_SENTENCE_END = re.compile(r"[.!?…。！？] ")
# One sentence ending and the next starting with a capital: not an ellipsis inside a phrase.
_SENTENCE_BREAK = re.compile(r"[^.…\s][.!?。！？][\"”»’]?\s+[A-ZÀ-ÖØ-ÞА-ЯЁ]")
_FINISHED_SENTENCE = re.compile(r"[.!?…。！？][\"”’“‘«»]*$")
_TEASER_END = re.compile(r"(\.\.\.|…)\s*(\S{0,20})?$")
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—:]\s+[^|\-–—:]{2,60}$")
# Where a page's <title> joins the headline and the site's name: "Headline | Site", "Site: ...".
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:»/]+\s+|:\s+")
_LINK_LINE = re.compile(r"https?://|www\.\w|[\w.-]+@[\w-]+\.\w|\w\.(?:com|org|net)\b")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")
# Picture agencies and libraries, whose name closes a photo credit ("NAME / AFP", "(AP)").
_PICTURE_AGENCY = (
    r"(?:AP|AAP|AFP|ANP|ANSA|APA|EFE|EPA|NTB|PAP|TT|(?i:anadolu|belga|bloomberg|dpa|getty|"
    r"imago|istock\w*|keystone|kyodo|picture[ -]alliance|pool|reuters|ritzau|shutterstock|sipa|"
    r"xinhua|yonhap|alamy)|[A-Z][\w-]* (?:Images|Photos?|Pictures))"
)
# A photo credit closing a caption: "... Photo by NAME /AFP", "...GIVENCHY.Foto: NAME",
# "... | Bild: NAME", "... NAME (dpa/picture alliance via Getty)", "... (AP)".
_CAPTION_CREDIT = re.compile(
    r"(?:(?:^|[.!?|()»”\",]\s*)(?i:photos?|fotos?|bild|bildrechte|images?|pictures?|credits?|"
    r"quelle|ljósmynd|fot\.|zdjęcie|kuva)(?:\s+by\s|\s*[:/©])\s*.{1,150}"
    rf"|[(/|]\s*[^()/|]{{0,60}}\b{_PICTURE_AGENCY}\b[^()]{{0,40}}\)?"
    r"|[.!?]\s*\((?:(?:[A-Z][\w'’.&-]*|of|via|and|/)\s?){1,5}\))\s*$"
)
# Japanese newspapers close a caption with "＝" and the day, place or agency ("...＝１３日、東京で",
# "...＝ＡＰ") or with the photographer or source in brackets ("（...撮影）", "（警視庁提供）").
_JAPANESE_CAPTION_END = re.compile(
    r"(?:＝(?:[\d０-９]{1,2}日[^。]{0,40}|(?:ＡＰ|AP|ＡＦＰ|AFP|ＥＰＡ|EPA|ロイター|共同|時事)[^。]{0,10})"
    r"|（[^（）。]{0,30}(?:撮影|提供)）)$"
)
# A caption closed by a credit without a mark before it: "... the new lobby. Supplied",
# "... die Autobahn. (Archivbild)".
_CREDIT_WORDS = (". Supplied", ". Handout", "(Archivbild)", "(Symbolbild)", "(Symbolfoto)")
# A credit alone on its line, below the caption it closes: "Ammar Awad / Reuters", "AP",
# "(Los Angeles Times)", "Screenshots Instagram/TikTok".
_PICTURE_AGENCY_NAME = re.compile(rf"\b{_PICTURE_AGENCY}\b")
# The characters without which no line closes with a credit (a cheap test before the pattern).
_CREDIT_MARKS = re.compile(r"[(/|:©]| [Bb]y ")
_NAMES_AROUND_SLASH = re.compile(r"\(?[^()/.!?:]{1,40}/[^()/!?:]{1,40}\)?")
_CREDIT_LINE_MAX_WORDS = 8
# A time or date opening a line: a live blog's entry stamp ("08:41Jane Doe", "11:05 KEY EVENT"),
# a video's duration ("02:37 min"), a date alone ("03.11.2021 | 09:15 Uhr").
_STAMP = re.compile(
    r"(?:\d{1,2}[:.]\d{2}(?:[:.]\d{2})?|\d{1,2}\.\d{1,2}\.\d{2,4}|\d{4}-\d{2}-\d{2})"
    r"(?:\s*(?:uhr|h|am|pm|min|minutes?)\b\.?)?",
    re.IGNORECASE,
)
_STAMP_MAX_WORDS = 3  # besides the time: a name or a label
# A caption is a sentence or two; a paragraph closed by its source ("(Quelle: ...)") is not.
_CAPTION_MAX_WORDS = 50
_CREDIT_LINE_MAX_CHARS = 122  # the pattern's longest match

_BOILERPLATE_MAX_WORDS = 40
_BOILERPLATE_PENALTY = -30.0
_COMMENTS_BARRIER = float("-inf")


@lru_cache(maxsize=1)
def _boilerplate_patterns() -> re.Pattern[str]:
    lines = _BOILERPLATE_FILE.read_text(encoding="utf-8").splitlines()
    patterns = [line for line in lines if line and not line.startswith("#")]
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


@lru_cache(maxsize=1 << 16)  # menus and footers repeat from page to page of a site
def ends_sentence(line: str) -> bool:
    return _SENTENCE_END.search(line) is not None


@lru_cache(maxsize=1 << 16)  # a line is asked about at each step, and footers repeat
def is_boilerplate(line: str) -> bool:
    """A known furniture line (share bar, comment form, credit, notice, ...)."""
    if len(_WORD.findall(line)) > _BOILERPLATE_MAX_WORDS:
        return False
    return _boilerplate_patterns().fullmatch(line.strip()) is not None


# Evidence of page furniture (see `furniture_evidence`) from which a text is a page dump: the
# middle of the gap measured between 22,430 already-clean articles (BBC, Reuters-21578 and the
# CoNLL-2003 dev and train documents: at most 3) and the boilerplate benchmark's whole-page
# dumps (at least 6).
PAGE_DUMP_MIN_EVIDENCE = 4
# Never seen in those already-clean articles: each decides alone.
_TITLE_ECHO_EVIDENCE = PAGE_DUMP_MIN_EVIDENCE
_NAVIGATION_EVIDENCE = PAGE_DUMP_MIN_EVIDENCE
_BOILERPLATE_EVIDENCE = 2
_MAX_REPEATED_EVIDENCE = 3
_NAVIGATION_MIN_LINES = 4
_NAVIGATION_LABEL_MAX_WORDS = 2
_LINK_LINE_MAX_WORDS = 12
_SLOT_LABEL_MIN_REPEATS = 3
_MIN_ANNOUNCEMENT_WORDS = 3
_SLOT_LABEL_MAX_WORDS = 3
_COPIED_PARAGRAPHS = 2  # paragraphs held whole in a line that copies the story
_COPY_MIN_WORDS = 10  # a paragraph that long is not held by another by chance
# Pages compared paragraph by paragraph for a copy of the story (each pair once): a copy comes
# with pages of ordinary length, and beyond this the pairs grow with the square of the page.
_COPY_CHECK_MAX_PARAGRAPHS = 300


@dataclass(frozen=True)
class DumpBody:
    """The body paragraphs chosen from a dump and the headline and byline found before it."""

    paragraphs: list[str]
    title: str | None
    byline: str | None
    before_body: list[str]  # the page's lines above the body (dates and credits live there)
    # Lines of the box of teasers just below the story, which a reader's eye skips to reach
    # a date line right under it.
    box_below: int = 0


# The headline carries most of the <title>'s letters: a section name in the title does not.
_MIN_TITLE_SHARE = 0.4
# A line is the headline with a word or two changed when this share of its letters is the
# <title>'s, in order.
_NEAR_ECHO_SHARE = 0.8
# No line this many times longer than the <title> repeats its headline.
_MAX_HEADLINE_LENGTH = 3


def _headline_candidates(lines: list[str]) -> tuple[str, dict[int, str]]:
    """The <title>'s letters and those of each later line that could repeat its headline:
    headline-like, neither far shorter nor far longer than the <title>."""
    title_key = letters_key(lines[0]) if lines else ""
    shortest, longest = _MIN_TITLE_SHARE * len(title_key), _MAX_HEADLINE_LENGTH * len(lines[0])
    return title_key, {
        index: letters_key(line)
        for index, line in enumerate(lines[1:], 1)
        if shortest <= len(line) <= longest and is_headline_length(line)
    }


def _headline_echoes(lines: list[str]) -> list[int]:
    """Indices of the lines that repeat the headline of the page's <title> (its first line):
    the longest lines that the <title> contains ("Headline | Site")."""
    title_key, keys = _headline_candidates(lines)
    echoes = {
        index: len(key)
        for index, key in keys.items()
        if key in title_key and len(key) >= _MIN_TITLE_SHARE * len(title_key)
    }
    longest = max(echoes.values(), default=0)
    return [index for index, length in echoes.items() if length == longest]


def _near_headline_echo(lines: list[str]) -> int | None:
    """Index of the first line that is the <title>'s headline with a word or two changed (a
    name shortened, a word added): most of its letters are the <title>'s, in order."""
    title_key, keys = _headline_candidates(lines)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(title_key)
    for index, key in keys.items():
        if not _MIN_TITLE_SHARE * len(title_key) <= len(key) <= len(title_key) / _NEAR_ECHO_SHARE:
            continue
        matcher.set_seq1(key)
        if matcher.quick_ratio() * (len(key) + len(title_key)) / 2 < _NEAR_ECHO_SHARE * len(key):
            continue
        matched = sum(block.size for block in matcher.get_matching_blocks())
        if matched >= _NEAR_ECHO_SHARE * len(key):
            return index
    return None


def _stopword_ratio(words: list[str], stopwords: frozenset[str] | set[str]) -> float:
    return sum(map(stopwords.__contains__, map(str.lower, words))) / len(words) if words else 0.0


@cache
def _stopword_lists() -> tuple[frozenset[str], ...]:
    """spaCy's function words of _STOPWORD_LANGUAGES."""
    return tuple(spacy_stop_words(code) for code in _STOPWORD_LANGUAGES)


def _page_stopwords(words: list[str]) -> frozenset[str] | set[str] | None:
    """The function words of the page's language: of the languages spaCy lists them for that
    are most written on the web, the one whose list covers most of the page's words, when its
    share is that of running text; None for another language or script."""
    best = max(_stopword_lists(), key=lambda stopwords: _stopword_ratio(words, stopwords))
    return best if _stopword_ratio(words, best) >= _PAGE_STOPWORD_RATIO else None


def _length(line: str) -> float:
    """Length in words; scripts written without spaces count one word per two characters."""
    unspaced = len(_UNSPACED_CHAR.findall(line))
    return len(_WORD.findall(_UNSPACED_CHAR.sub(" ", line))) + unspaced / 2


@dataclass(frozen=True)
class Scoring:
    """Weights of the line scores (word units): prose earns its length, furniture costs."""

    min_prose_words: float = 10.0
    prose_cost: float = 5.0
    unfinished_factor: float = 0.5
    low_stopword_factor: float = 0.3
    min_stopword_ratio: float = 0.2
    short_sentence: float = -1.0
    short_fragment: float = -5.0
    streak_step: float = 5.0
    max_streak_penalty: float = 20.0
    min_running_words: float = 15.0
    repeated: float = -8.0
    block_line_floor: float = -1.5
    max_gap: int = 10
    min_block_value: float = 40.0
    min_block_prose_lines: int = 1
    anchored_min_share: float = 0.2
    min_paragraph_score: float = 5.0
    min_panel_lines: int = 3
    anchor_boost: float = 3.0
    max_teaser_words: float = 40.0
    aside_distance: float = 0.5


SCORING = Scoring()


def _base_score(
    line: str, repeats: int, stopwords: frozenset[str] | set[str] | None, scoring: Scoring
) -> tuple[float, bool]:
    """(score, is prose) of one line on its own."""
    if _COMMENTS_OPENING.fullmatch(line):
        return _COMMENTS_BARRIER, False
    if is_boilerplate(line):
        return _BOILERPLATE_PENALTY, False
    count = _length(line)
    if count == 0:
        return scoring.short_fragment, False
    if _TEASER_END.search(line) and count >= 8:
        return -count, False
    if repeats > 1 and count < 20:
        return scoring.repeated, False
    ends_sentence = _SENTENCE_END.search(line) is not None
    if count >= scoring.min_prose_words:
        worded = stopwords is None or (
            _stopword_ratio(_WORD.findall(line), stopwords) >= scoring.min_stopword_ratio
        )
        weight = 1.0 if worded else scoring.low_stopword_factor
        if not ends_sentence:
            weight *= scoring.unfinished_factor
        # A long line with ordinary function words is running text even when unfinished (a
        # standfirst, a paragraph cut by the dump): it ends a stretch of furniture.
        running_text = worded and count >= scoring.min_running_words
        return count * weight - scoring.prose_cost, ends_sentence or running_text
    return (scoring.short_sentence, True) if ends_sentence else (scoring.short_fragment, False)


def _slot_labels(lines: list[str], repeats: Counter[str], prose: list[bool]) -> set[int]:
    """Indices of a slot's label inside running text: a line of a few words that the page
    repeats several times, here between two prose lines, alone or in a row of copies
    ("Advertisement", "Article content" between every paragraph). It neither ends a story nor
    belongs to it."""
    labels: set[int] = set()
    index = 1
    while index < len(lines) - 1:
        line, end = lines[index], index + 1
        while end < len(lines) and lines[end] == line:
            end += 1
        if (
            end < len(lines)
            and repeats[line] >= _SLOT_LABEL_MIN_REPEATS
            and _length(line) <= _SLOT_LABEL_MAX_WORDS
            and prose[index - 1]
            and prose[end]
        ):
            labels.update(range(index, end))
        index = end
    return labels


def _is_stamp(line: str) -> bool:
    """A line that is a time or date with at most a name or a label after it."""
    stamp = _STAMP.match(line)
    if stamp is None:
        return False
    rest = line[stamp.end() :]
    return _length(rest) <= _STAMP_MAX_WORDS and not _FINISHED_SENTENCE.search(rest)


def _is_doubled(line: str) -> bool:
    """A line that is one text twice ("Headline Headline"): a link's label and its title
    attribute (a teaser, a button), never a sentence of the story."""
    half = len(line) // 2
    return (
        len(line) > 3
        and line[half] == " "
        and line[:half] == line[half + 1 :]
        and _INNER_SENTENCE_END.search(line, 0, half) is None  # a label is one phrase
    )


def _is_credit_line(line: str) -> bool:
    return (
        len(line) <= _CREDIT_LINE_MAX_CHARS
        and "(" not in line[1:-1]
        and ")" not in line[1:-1]
        and not line.endswith(":")
        and not _FINISHED_SENTENCE.search(line)
        and (
            (line.startswith("(") and line.endswith(")"))
            or ("/" in line and _NAMES_AROUND_SLASH.fullmatch(line) is not None)
            or _PICTURE_AGENCY_NAME.search(line) is not None
        )
        and _length(line) <= _CREDIT_LINE_MAX_WORDS
    )


def _read_on_past_ellipses(
    lines: list[str], base: list[tuple[float, bool]], scoring: Scoring
) -> None:
    """Rescore, in place, the paragraphs that trail off ("...") with a story paragraph right
    under them: a teaser cut short stands among other teasers, a paragraph of several
    sentences that the story goes on from is the story's (a reporter's suspense)."""
    for index in range(len(lines) - 1):
        line = lines[index]
        if not (
            base[index][0] < 0
            and _TEASER_END.search(line)
            and _SENTENCE_BREAK.search(line)
            and base[index + 1][1]
            and base[index + 1][0] > 0
        ):
            continue
        count = _length(line)
        if count >= scoring.min_prose_words:
            base[index] = (count * scoring.unfinished_factor - scoring.prose_cost, True)


def line_scores(lines: list[str], scoring: Scoring = SCORING) -> tuple[list[float], set[int]]:
    """Each line's score and the indices of the asides (slot labels, see `_slot_labels`, and
    pictures' captions and embedded posts, see `pictures_and_posts`), scored 0; a long
    stretch of furniture costs more per line than a lone one (up to a cap, so a list inside a
    story can still be crossed), and headline-like lines under a related-stories heading count
    as teasers."""
    repeats = Counter(lines)
    words = [word for line in lines for word in _WORD.findall(line)]
    stopwords = _page_stopwords(words)
    base = [_base_score(line, repeats[line], stopwords, scoring) for line in lines]
    _read_on_past_ellipses(lines, base, scoring)
    labels = _slot_labels(lines, repeats, [score > 0 and prose for score, prose in base])
    captions = {
        index
        for index, line in enumerate(lines)
        if (
            _CREDIT_MARKS.search(line)
            and _CAPTION_CREDIT.search(line)
            and _length(line) <= _CAPTION_MAX_WORDS
        )
        or _STORY_LINK.fullmatch(line)
        or ((line.endswith("）") or "＝" in line) and _JAPANESE_CAPTION_END.search(line))
        or (line.endswith(_CREDIT_WORDS) and _length(line) <= _CAPTION_MAX_WORDS)
        or _AD_LABEL.fullmatch(line)
        or _is_doubled(line)
        or _is_stamp(line)
    }
    credits = {index for index, line in enumerate(lines) if _is_credit_line(line)}
    scores: list[float] = []
    streak = 0
    in_teasers = False
    teasers: set[int] = set()
    teaser_titles: list[int] = []
    for index, (line, (score, prose)) in enumerate(zip(lines, base, strict=True)):
        if index in labels or index in captions:
            # Neither a slot label nor a caption breaks the story's run.
            scores.append(0.0 if index in labels else min(score, 0.0))
            continue
        ends_sentence = _SENTENCE_END.search(line) is not None
        # Below a "More from ..." heading, headline-like lines are teasers of other stories,
        # each with its summary sentence under it, until a finished sentence that no title
        # heads shows the story going on.
        short = _length(line) <= scoring.max_teaser_words
        # A summary sits between its title and the next teaser (or the list's end): a finished
        # line under a title and over another finished one is the story going on.
        summary = (
            ends_sentence
            and short
            and teaser_titles
            and teaser_titles[-1] == index - 1
            and not (index + 1 < len(lines) and _SENTENCE_END.search(lines[index + 1]))
        )
        if in_teasers and (summary or not ends_sentence) and score >= scoring.short_fragment:
            if short and (summary or not prose):  # a paragraph cut by the dump may be the story's
                teasers.add(index)
            if not ends_sentence:
                teaser_titles.append(index)
            if score > scoring.short_fragment:
                score, prose = -_length(line), False
        in_teasers = _RELATED_HEADING.fullmatch(line) is not None or (
            in_teasers and (summary or not ends_sentence)
        )
        streak = 0 if prose else streak + 1
        if streak > 1:
            score -= min(scoring.streak_step * (streak - 1), scoring.max_streak_penalty)
        scores.append(score)
    return scores, labels | captions | credits | teasers


def _best_run(scores: list[float], low: int = 0, high: int | None = None) -> tuple[float, int, int]:
    """(total, start, end) of the contiguous run of scores[low:high] with the largest total
    score (Kadane); total 0 and an empty run when no run is positive."""
    best_total, best = 0.0, (low, low)
    total, start = 0.0, low
    for index in range(low, len(scores) if high is None else high):
        if total <= 0:
            total, start = 0.0, index
        total += scores[index]
        if total > best_total:
            best_total, best = total, (start, index + 1)
    return best_total, *best


def _candidate_runs(scores: list[float]) -> list[tuple[float, int, int]]:
    """Disjoint runs of positive total, in page order: the best run, then the best run on
    each side of it, and so on."""
    runs: list[tuple[float, int, int]] = []
    spans = [(0, len(scores))]
    while spans:
        low, high = spans.pop()
        total, start, end = _best_run(scores, low, high)
        if total > 0:
            runs.append((total, start, end))
            spans += [(low, start), (end, high)]
    return sorted(runs, key=lambda run: run[1])


def _story_run(lines: list[str], scores: list[float], scoring: Scoring) -> tuple[int, int]:
    """[start, end) of the story: the page's best run of prose, unless a run nearly as
    substantial starts after the on-page headline (a comments thread, a teaser list or a link
    list can outweigh a short story; the story is the one that follows its headline). The
    anchored run takes in the runs that follow it closely (a story cut by a box)."""
    runs = _candidate_runs(scores)
    if not runs:
        return 0, 0
    headline = next(iter(_headline_echoes(lines)), None) or _near_headline_echo(lines)
    runs = _before_comments(runs, scores, headline, scoring)
    best = max(runs)
    if headline is None or best[1] <= headline < best[2]:
        return best[1], best[2]
    after = [
        run for run in runs if run[1] > headline and run[0] >= scoring.anchored_min_share * best[0]
    ]
    if not after:
        return best[1], best[2]
    start, end = after[0][1], after[0][2]
    for _total, run_start, run_end in runs:
        if run_start >= end and run_start - end <= scoring.max_gap:
            end = run_end
    if start <= best[1] < end:  # the best run goes on the anchored one: one story
        return start, best[2]
    if after[0][0] * scoring.anchor_boost > best[0]:
        return after[0][1], after[0][2]
    return best[1], best[2]


def _before_comments(
    runs: list[tuple[float, int, int]],
    scores: list[float],
    headline: int | None,
    scoring: Scoring,
) -> list[tuple[float, int, int]]:
    """The runs above the readers' comments, when a substantial one (below the headline, if
    known) is there: however long the thread, the story comes before it."""
    for barrier, score in enumerate(scores):
        if score != _COMMENTS_BARRIER:
            continue
        before = [run for run in runs if run[2] <= barrier]
        if any(
            total >= scoring.min_block_value and (headline is None or start > headline)
            for total, start, _end in before
        ):
            return before
    return runs


def _blocks(scores: list[float], scoring: Scoring) -> list[tuple[int, int]]:
    """Maximal [start, end) runs of prose and short sentences (no furniture inside)."""
    blocks: list[tuple[int, int]] = []
    start = None
    for index, score in enumerate([*scores, float("-inf")]):
        if score >= scoring.block_line_floor:
            start = index if start is None else start
        elif start is not None:
            blocks.append((start, index))
            start = None
    return blocks


def _extend(
    run: tuple[int, int],
    scores: list[float],
    asides: set[int],
    continued: set[int],
    scoring: Scoring,
) -> tuple[int, int, set[int]]:
    """The run grown over nearby dense prose blocks (a story cut by an embedded tweet, a
    gallery or an ad), and the indices of the furniture lines skipped in between. A box's
    asides (teasers, captions) count less in the distance: the box is one interruption. A
    box that says the story continues below it (`continued`) is crossed however long it is
    (a paywall offer, a newsletter form), up to _MAX_CONTINUED_GAP lines."""
    start, end = run
    skipped: set[int] = set()

    def substantial(block: tuple[int, int]) -> bool:
        values = scores[block[0] : block[1]]
        prose_lines = sum(value > 0 for value in values)
        return (
            sum(values) >= scoring.min_block_value and prose_lines >= scoring.min_block_prose_lines
        )

    def crossed(first: int, second: int) -> set[int] | None:
        """The lines of the gap [first, second) to skip when it is crossed, or None."""
        if _COMMENTS_BARRIER in scores[first:second]:
            return None
        distance = sum(
            scoring.aside_distance if index in asides else 1 for index in range(first, second)
        )
        if distance <= scoring.max_gap or (
            second - first <= _MAX_CONTINUED_GAP
            and any(first <= index < second for index in continued)
        ):
            return {i for i in range(first, second) if scores[i] < scoring.block_line_floor}
        return None

    blocks = _blocks(scores, scoring)
    for block in blocks:  # forward, in order
        if block[0] >= end and substantial(block) and (gap := crossed(end, block[0])) is not None:
            skipped |= gap
            end = block[1]
    for block in reversed(blocks):
        if (
            block[1] <= start
            and substantial(block)
            and (gap := crossed(block[1], start)) is not None
        ):
            skipped |= gap
            start = block[0]
    return start, end, skipped


def _strip_site_name(title: str) -> str:
    return _TITLE_SUFFIX.sub("", title).strip()


def _find_title(lines: list[str], end: int) -> int | None:
    """Index of the headline line among lines[:end], or None.

    In order of trust: a line repeated inside an earlier line (a breadcrumb or <title>
    glued to the headline), the line just before a byline, the first line.
    """
    candidates = [i for i in range(end) if looks_like_headline(lines[i])]
    for index in candidates:
        line = lines[index]
        if any(
            other != line and (other.endswith(line) or other.startswith(line))
            for other in lines[:index]
        ):
            return index
    for index in candidates:
        if index + 1 < len(lines) and find_byline(lines[index + 1]):
            return index
    return 0 if candidates and candidates[0] == 0 else None


def _is_navigation_label(line: str) -> bool:
    """A link's label: one or two words with letters, no figures, no sentence end, not a
    heading in capitals (a table's section)."""
    return (
        _length(line) <= _NAVIGATION_LABEL_MAX_WORDS
        and _LETTER.search(line) is not None
        and not _DIGIT.search(line)
        and not _SENTENCE_END.search(line)
        and not line.rstrip().endswith((":", ";"))
        and not line.isupper()
    )


def _echoes_title(lines: list[str]) -> bool:
    """Whether the first line is a page's <title>: a later line repeats it, or repeats (or
    starts with) one of its parts around a separator ("Headline | Site", "Site: Headline")."""
    first = lines[0]
    parts = {first} | {
        part for part in _TITLE_SEPARATOR.split(first) if _length(part) >= 3 and part != first
    }
    return any(
        line == part or (part != first and line.startswith(part + " "))
        for line in lines[1:]
        for part in parts
    )


def furniture_evidence(lines: list[str]) -> int:
    """How much page furniture a text's lines show: 2 points per known boilerplate line, 1 per
    short link or e-mail line and per distinct repeated line (up to 3), and the threshold
    itself for a navigation menu (4 link labels in a row) or a first line that is the page's
    <title>. An article's tables and lists are no evidence: their rows hold figures or more
    than two words, and the labels repeated in a table are capitals (a division, a header)."""
    evidence = sum(
        _BOILERPLATE_EVIDENCE
        if is_boilerplate(line)
        else len(line.split()) <= _LINK_LINE_MAX_WORDS and _LINK_LINE.search(line) is not None
        for line in lines
    )
    repeated = [
        line
        for line, count in Counter(lines).items()
        if count > 1 and _LETTER.search(line) and not line.isupper()
    ]
    evidence += min(len(repeated), _MAX_REPEATED_EVIDENCE)
    run = 0
    for line in lines:
        run = run + 1 if _is_navigation_label(line) else 0
        if run == _NAVIGATION_MIN_LINES:
            evidence += _NAVIGATION_EVIDENCE
            break
    if len(lines) > 1 and _echoes_title(lines):
        evidence += _TITLE_ECHO_EVIDENCE
    return evidence


def is_page_dump(lines: list[str]) -> bool:
    """Whether the text is a whole page's dump rather than an already-clean article."""
    return furniture_evidence(lines) >= PAGE_DUMP_MIN_EVIDENCE


def article_body(lines: list[str], title: str | None = None) -> DumpBody:
    """An already-clean article kept whole: every line is body except a headline opening it
    (or the given title repeated there), which becomes the title, and a byline among the
    first lines (a byline opening it is no headline)."""
    body = list(lines)
    headline = None
    opens_with_headline = looks_like_headline(body[0]) and not find_byline(body[0])
    if len(body) > 1 and (body[0] == title or (title is None and opens_with_headline)):
        headline = body.pop(0)
    # A wire story ends with its agency's name on a line of its own ("Reuter", "AP"): a
    # signature, not the story's words.
    sign_off = wire_sign_off(body)
    if sign_off:
        body.pop()
    for index, line in enumerate(body[:3]):
        byline = find_byline(line)
        if byline and len(body) > 1:
            del body[index]
            return DumpBody(paragraphs=body, title=headline, byline=byline, before_body=[])
    return DumpBody(paragraphs=body, title=headline, byline=sign_off, before_body=[])


def _announced_list_end(lines: list[str], scores: list[float], end: int) -> int:
    """The story's end taken past the list its last line announces ("The tour dates:"): the
    items that follow, up to the first finished sentence or line of furniture (a known
    boilerplate line, a related-stories heading, a link label)."""

    def furniture(line: str, score: float) -> bool:
        return (
            score <= _BOILERPLATE_PENALTY
            or is_boilerplate(line)
            or _RELATED_HEADING.fullmatch(line) is not None
            or _is_navigation_label(line)
        )

    if (
        end < len(lines)
        and _ANNOUNCES_LIST.search(lines[end])
        and _length(lines[end]) >= _MIN_ANNOUNCEMENT_WORDS
        and not furniture(lines[end], scores[end])
    ):
        end += 1  # a short line announcing it just below the run
    if not end or not _ANNOUNCES_LIST.search(lines[end - 1]):
        return end
    while (
        end < len(lines)
        and not furniture(lines[end], scores[end])
        and not _FINISHED_SENTENCE.search(lines[end])  # an item, not a quoted paragraph
    ):
        end += 1
    return end


def _is_box_label(line: str) -> bool:
    """A box's heading: links to other stories ("Lesen Sie auch") or an ad slot's label."""
    return _RELATED_HEADING.fullmatch(line) is not None or _AD_LABEL.fullmatch(line) is not None


def _panels(
    lines: list[str], scores: list[float], start: int, end: int, scoring: Scoring
) -> set[int]:
    """Indices of the panels inside the story's run: a stretch of lines between two
    paragraphs of the story, long enough to be a box and holding a known boilerplate line (a
    subscription offer, a newsletter form, an ad with its caption). Its prose-like lines (the
    offer's sentences) go with it. A stretch opened by a box's label (links to other stories,
    an ad) is that box up to the first finished line, which is the story's."""
    panels: set[int] = set()
    stretch: list[int] = []
    for index in range(start, end + 1):
        if index == end or scores[index] >= scoring.min_paragraph_score:
            if len(stretch) >= scoring.min_panel_lines and any(
                is_boilerplate(lines[i]) for i in stretch
            ):
                panels.update(stretch)
            elif stretch and _is_box_label(lines[stretch[0]]):
                panels.add(stretch[0])
                panels.update(takewhile(lambda i: not _SENTENCE_END.search(lines[i]), stretch[1:]))
            stretch = []
        else:
            stretch.append(index)
    return panels


def _without_copies(paragraphs: list[str]) -> list[str]:
    """The paragraphs without those a reader has already read: a later copy of one (a pull
    quote, a teaser shown twice) and a line that holds several others whole (the story again
    as one block: a print version, a no-script copy)."""
    seen: set[str] = set()
    kept = []
    for paragraph in paragraphs:
        if paragraph in seen:
            continue
        seen.add(paragraph)
        kept.append(paragraph)
    if len(kept) > _COPY_CHECK_MAX_PARAGRAPHS:
        return kept
    sentences = [paragraph for paragraph in kept if _length(paragraph) >= _COPY_MIN_WORDS]
    return [
        paragraph
        for paragraph in kept
        if sum(other in paragraph for other in sentences if len(other) < len(paragraph))
        < _COPIED_PARAGRAPHS
    ]


def select_body(lines: list[str], scoring: Scoring = SCORING) -> DumpBody:
    """Choose the body lines of a page dump (one paragraph per line)."""
    scores, asides = line_scores(lines, scoring)
    start, end = _story_run(lines, scores, scoring)
    continued = {index for index, line in enumerate(lines) if _CONTINUES_BELOW.fullmatch(line)}
    start, end, skipped = _extend(
        (start, _announced_list_end(lines, scores, end)), scores, asides, continued, scoring
    )
    skipped |= asides | _panels(lines, scores, start, end, scoring)
    repeats = Counter(lines)
    if end == start:
        return DumpBody(paragraphs=[], title=None, byline=None, before_body=lines)
    # A caption opening the story (scored 0, dropped) is where the story starts for a reader
    # looking for its byline and date above it.
    while start and start - 1 in asides and scores[start - 1] == 0:
        start -= 1
    # The headline may open the best run (a lead paragraph or teaser above it): the body
    # starts after it, so look for it in the run's first quarter too.
    title_index = _find_title(lines, min(len(lines), start + max(3, (end - start) // 4)))
    if title_index is not None and title_index >= start:
        start = title_index + 1
    title_line = lines[title_index] if title_index is not None else None
    byline = None
    for line in lines[max(0, start - 3) : end]:
        byline = find_byline(line)
        if byline:
            break
    kept = [
        line
        for index, line in enumerate(lines[start:end], start)
        if index not in skipped
        and line != title_line
        and repeats[line] < _SLOT_LABEL_MIN_REPEATS  # a box's text, not the story's
        and not is_boilerplate(line)
        and not find_byline(line)
    ]
    bio = next(
        (
            index
            for index in range(max(1, len(kept) - _BIO_LINES), len(kept))
            if _AUTHOR_BIO.fullmatch(kept[index])
        ),
        len(kept),
    )
    if bio < len(kept) and kept[bio].startswith(kept[bio - 1] + " "):
        bio -= 1  # the author's name over the bio that opens with it
    kept = _without_copies(kept[:bio])
    box_end = end
    while box_end < len(lines) and (
        (box_end in asides and not _is_stamp(lines[box_end]))  # a teaser's date is no box's
        or _RELATED_HEADING.fullmatch(lines[box_end]) is not None
    ):
        box_end += 1
    return DumpBody(
        paragraphs=kept,
        title=_strip_site_name(title_line) if title_line else None,
        byline=byline,
        before_body=lines[:start],
        box_below=box_end - end,
    )
