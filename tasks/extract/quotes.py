"""Quotations and their speakers: direct, partial, indirect and scare quotes.

Split quotes ("A," he said, "B.") and quotes running over several paragraphs give one row per
quoted part, all with the same speaker and cue, so that quote_text is always the body substring.
A partial quote's row spans the whole reported clause that contains the quoted fragment
(`Chen said Beijing opposed "any form of ..."` -> `Beijing opposed "any form of ..."`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from spacy.attrs import LOWER, POS
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, Token

from tasks.extract.coreference import (
    GROUP_NOUNS,
    REFERENT_LABELS,
    Coreference,
    Referent,
    is_pronoun,
    is_role_noun,
)
from tasks.extract.doc_cache import doc_column, doc_dateline_end, doc_text
from tasks.extract.quotes_clauses import (
    SUBJECT_DEPS,
    complement_after,
    conjoined_cue,
    gives_reason,
    is_setting,
    noun_content,
    reported_contents,
)
from tasks.extract.quotes_marks import QuotedSpan, find_quoted_spans
from tasks.extract.quotes_speakers import (
    Speaker,
    cue_entry,
    cue_text,
    in_paragraph,
    is_cue,
    is_document,
    is_listing_record,
    is_reporting_noun,
    object_is_listener,
    paragraph_bounds,
    speaker_head,
    speaker_like,
    speaker_span,
)


@dataclass(frozen=True)
class QuoteRow:
    quote_text: str  # the quoted words without the marks, equal to body[start_char:end_char]
    start_char: int
    end_char: int
    quote_type: str  # direct | partial | indirect | scare
    speaker_text: str | None  # as written: "Chen", "he", "one of the people who ..."
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None  # reporting verb or phrase as written: "said", "according to"
    sentence_index: int  # sentence of the quote's start
    # Span of the named mention the speaker resolves to ("he" -> the earlier "Chen Binhua");
    # the speaker's own span when it is itself a name; None when it stays anonymous.
    speaker_ref_start: int | None = None
    speaker_ref_end: int | None = None
    # Span of the unnamed speaker named before that a pronoun speaker stands for ("one of the
    # Taiwanese organizers ... He added"); None otherwise. Gold standards keep the pronoun as
    # the speaker as written; the published row shows who it is.
    speaker_antecedent_start: int | None = None
    speaker_antecedent_end: int | None = None


_MARK_CHARS = "\"“”„«»‘’'`"
_EDGE_CHARS = " \t\n\r\xa0\u2009\u202f" + _MARK_CHARS
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|St|Jr|Sr|Mt|Ft|No|vs|etc|"
    r"Inc|Corp|Co|Ltd|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec|Del|Sens|Reps|Supt|Adm|Maj|Msgr)"
    r"|\b[A-Z]|\b(?:[A-Za-z]\.)+[A-Za-z])$"
)
_ABBREVIATION_MAX_CHARS = 40  # longer than any abbreviation it matches ("U.S.A", "Sept")
_VERBS = ("VERB", "AUX")
# One or two capitalised words: what a nickname inside a name looks like.
_NICKNAME = re.compile(r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)?")
_DASHES = ("―", "—", "–", "--")
# "WALLACE: ..." or "Q: ..." opening a paragraph of a transcript.
_TRANSCRIPT_LABEL = re.compile(r"[\"“'‘]?([A-Z][A-Z.'\-]*(?: [A-Z][A-Z.'\-]*){0,3}):\s+\S")
# "(CROSSTALK)", "(APPLAUSE.)": a transcript's stage direction, nobody's words.
_STAGE_DIRECTION = re.compile(r"\s*\([^()]*\)[\s.]*")
# Capitalised paragraph labels that are not speakers.
_EDITORIAL_LABELS = {
    "UPDATE", "NOTE", "EDITOR'S NOTE", "BREAKING", "WATCH", "READ MORE", "RELATED", "CORRECTION",
    "SOURCE", "PHOTO", "VIDEO", "ABSTRACT", "CLAIM", "FACT", "VERDICT", "ANALYSIS", "LISTEN",
}  # fmt: skip
_MIN_SPEAKER_LABEL_CHARS = 2
# A transcript needs at least this many labelled paragraphs; one label is a heading.
_MIN_TRANSCRIPT_TURNS = 2
# At most this many tokens may stand between a quote and a following reporting verb
# ('"...," the country's foreign ministry spokesperson said').
_MAX_TOKENS_BEFORE_TRAILING_CUE = 12
# At most this many words stand between the comma closing a statement and its speech verb
# (", the country's foreign minister said").
_MAX_TOKENS_BEFORE_CLOSING_CUE = 8
# Relations of what a verb reports after it ("said [that ...]").
_REPORTED_DEPS = ("ccomp", "xcomp", "dobj", "advcl")
# Tags of finite verbs, which make a clause of their own.
_FINITE_TAGS = ("VBD", "VBZ", "VBP", "MD")
# Relations of verbs that only help another ("has said").
_AUX_DEPS = ("aux", "auxpass")
# A quote opening a sentence that goes on after it is a statement from this many words on.
_MIN_FOLLOW_ON_WORDS = 4
# Relations of an adverb or adverbial clause.
_MODIFIER_DEPS = ("advmod", "advcl")
# Relations of a clause or adverb that modifies a verb ("says no matter what ...").
_CLAUSE_MODIFIER_DEPS = (*_MODIFIER_DEPS, "ccomp", "parataxis")
# Relations of an adverbial that modifies a clause: its time, reason or condition.
_ADVERBIAL_DEPS = (*_MODIFIER_DEPS, "prep", "npadvmod")
# What opens a condition of what is said ("if ...", "as long as ...", "once ...").
_CONDITIONAL_OPENERS = (
    "if", "unless", "whether", "even if", "only if", "as long as", "so long as", "provided",
    "providing", "in case", "assuming", "supposing", "once",
)  # fmt: skip
_CONDITION_STARTS = tuple(f"{opener} " for opener in _CONDITIONAL_OPENERS)  # whole words
# What opens a concession of it ("says no matter what X does, ..."): concessive subordinators
# and "whatever", "whoever", "whichever", "however".
_CONCESSIVE_OPENERS = (
    "no matter", "regardless", "whatever", "whoever", "whichever", "however", "although",
    "though", "even though", "despite", "in spite of", "much as",
)  # fmt: skip
_QUALIFICATION_STARTS = _CONDITION_STARTS + tuple(f"{opener} " for opener in _CONCESSIVE_OPENERS)
# Nouns a statement can come "by" or "from" that never make one: means of sending words, and
# points in a sequence ("a claim by email", "the warning from the start").
_NON_AGENT_NOUNS = {
    "email", "e-mail", "mail", "letter", "phone", "telephone", "fax", "text", "message", "post",
    "tweet", "radio", "television", "tv", "video", "wire", "cable", "courier", "start",
    "beginning", "outset", "end", "onset", "past", "first",
}  # fmt: skip
# Words a clause must have before an attribution set inside it to be part of the statement.
_MIN_LEAD_WORDS = 2
# Relations of a comma-set aside that closes a reported clause ("..., a charge that ...",
# "..., which ...", "..., claiming that ...").
_ASIDE_DEPS = ("appos", "relcl", "advcl", "acl", "npadvmod")
# Words that open the writer's aside after a quote and a comma ("..., while ...").
_ASIDE_OPENERS = {"while", "though", "although", "whereas", "which"}
# Punctuation that ends the predicate holding a quoted fragment.
_CLAUSE_BREAKS = {",", ";", ":", "—", "–", "--", "(", "."}
_PERSONAL_PRONOUNS = {"he", "she", "they", "i", "we"}
# Relations of a verb that modifies a noun or completes another verb rather than heading a
# clause ("the eagerness [to defend]", "a rival [described as]", "wants [to say]").
_NOUN_MODIFIER_DEPS = ("acl", "xcomp", "amod")
# Endings of plural nouns for people who do something ("the farmers", "the investors", "the
# economists"); plural only, since singular "-er"/"-or" words are as often things ("the error").
_AGENT_ENDINGS = ("er", "or", "ist", "ian")
# Bodies that judge or decide besides the group nouns ("the panel found"), which hold views.
_BODIES = {"panel", "jury", "tribunal", "inquiry", "watchdog"}
# A closing quote mark and then, with no comma of the writer's, a subordinator of reason,
# condition or comparison: general English openers, none kept for a wording of its own.
_CLOSING_THEN_SUBORDINATOR = re.compile(
    r"[\"”’']+\s+(because|if|unless|than|rather than|compared to|compared with)\b"
)
# Verbs whose subject makes the statement their object names ("released a statement that").
_ISSUING_VERBS = {
    "make", "issue", "give", "send", "release", "deliver", "post", "publish", "voice", "express"
}  # fmt: skip
# Statements this many paragraphs back still lend their speaker to an unattributed quote.
_FOLLOW_ON_PARAGRAPHS = 2
_LINE_BREAK = re.compile(r"\n\s*")
# Verbs through which a document states what it holds ("the report lists", "the flyer shows").
_SHOWING_VERBS = {
    "show", "list", "include", "feature", "contain", "detail", "outline", "describe", "cite",
    "display", "depict", "present", "reveal", "find",
}  # fmt: skip


@dataclass
class _Statement:
    start: int
    end: int
    quote_type: str
    cue: Token | None = None
    speaker: Speaker | None = None
    follows: bool = False  # takes the speaker of the statement before it
    # A sentence that goes on with the statement before it in its paragraph: the span of the
    # quote in it, which stays a scare quote when no statement there lends it a speaker.
    within: tuple[int, int] | None = None
    cue_label: str | None = None  # a cue that is no verb: a dash or a transcript colon

    def cue_as_written(self) -> str | None:
        return cue_text(self.cue) if self.cue is not None else self.cue_label


class _QuoteFinder:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.quotes = find_quoted_spans(self.text)
        self.nicknames = [_is_nickname(self.text, quote) for quote in self.quotes]
        # Tokens inside quotes, by quote; a nickname stays part of the name it is in.
        self.quote_of_token: dict[int, int] = {}
        for index, quote in enumerate(self.quotes):
            span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
            for token in span if span is not None and not self.nicknames[index] else ():
                self.quote_of_token[token.i] = index
        self.paragraph_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(self.text)]
        # "WASHINGTON (Reuters) - ": where the story's dateline ends; no statement includes it.
        self.dateline_end = doc_dateline_end(doc)
        # First parts of clauses interrupted by their attribution (see _join_interrupted_clause).
        self.leads: list[_Statement] = []

    # ---- character-level regions around a quote -------------------------------------------

    def _paragraph_bounds(self, pos: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.paragraph_starts, pos) - 1
        start = self.paragraph_starts[max(index, 0)]
        newline = self.text.find("\n", pos)
        return start, len(self.text) if newline < 0 else newline

    def _is_sentence_end(self, pos: int) -> bool:
        if self.text[pos] not in ".!?":
            return False
        following = self.text[pos + 1 : pos + 2]
        if following and not following.isspace():
            return False
        # The pattern ends at `pos`: searching from the text's start instead of a few characters
        # before made a paragraph of many quotes quadratic.
        window = max(0, pos - _ABBREVIATION_MAX_CHARS)
        return self.text[pos] != "." or not _ABBREVIATION.search(self.text, window, pos)

    def _left_region(self, index: int) -> tuple[int, int]:
        quote = self.quotes[index]
        start, _ = self._paragraph_bounds(quote.start)
        start = max(start, self.dateline_end)
        previous = next((i for i in range(index - 1, -1, -1) if not self.nicknames[i]), None)
        if previous is not None and self.quotes[previous].end >= start:
            start = max(start, self.quotes[previous].end + 1)
        end = max(start, quote.start - 1)
        for pos in range(end - 1, start - 1, -1):
            if self._is_sentence_end(pos):
                return pos + 1, end
        return start, end

    def _right_region(self, index: int) -> tuple[int, int]:
        quote = self.quotes[index]
        if not quote.closed:
            return quote.end, quote.end
        _, end = self._paragraph_bounds(quote.end)
        following = next(
            (i for i in range(index + 1, len(self.quotes)) if not self.nicknames[i]), None
        )
        if following is not None and self.quotes[following].start <= end:
            end = min(end, self.quotes[following].start - 1)
        start = min(quote.end + 1, end)
        for pos in range(start, end):
            if self._is_sentence_end(pos):
                return start, pos + 1
        return start, end

    def _region_text(self, start: int, end: int) -> str:
        return _strip_edges(self.text[start:end])

    def _tokens_between(self, start: int, end: int) -> list[Token]:
        span = self.doc.char_span(start, end, alignment_mode="contract")
        if span is None:
            return []
        return [t for t in span if t.i not in self.quote_of_token]

    # ---- attribution ------------------------------------------------------------------------

    def _speaker(self, cue: Token) -> Speaker | None:
        head = speaker_head(cue, self.quote_of_token)
        # "will say the deal is fair and ask voters ...": the parser hung the cue's conjunct on
        # the clause it reports, whose subject ("the deal") cannot speak; the cue's speaker asks.
        outer = conjoined_cue(cue) if head is not None and not _is_person_like(head) else None
        if outer is not None:
            return self._speaker(outer)
        if head is None or head.idx < self.dateline_end:
            return None  # "LIMA (Reuters) - ... said": the parser's subject is the dateline
        # The speaker phrase stops before its own cue, which the parser may hang on it as a
        # modifier ("one councillor [called] Quillon ...": a finite verb read as a participle).
        start, end = speaker_span(head, self.quote_of_token.keys() | {cue.i})
        return Speaker(start, end, head)

    def _speaker_at(self, head: Token) -> Speaker:
        start, end = speaker_span(head, self.quote_of_token)
        return Speaker(start, end, head)

    def _attribution(
        self, start: int, end: int, last: bool
    ) -> tuple[Token, Speaker | None, int] | None:
        """The reporting cue in a region, its speaker and the number of tokens before it."""
        tokens = self._tokens_between(start, end)
        found = [(i, t) for i, t in enumerate(tokens) if is_cue(t)]
        found = [(i, t) for i, t in found if not _is_condition(t)] or found
        if last:
            found.reverse()
        for position, cue in found:
            speaker = self._speaker(cue)
            if speaker is not None:
                return cue, speaker, position
        if not found:
            return None
        # The parse missed the subject: take the name or pronoun just before the cue, or the
        # name right after it ("Said Ellis:").
        position, cue = found[0]
        before, after = tokens[:position], tokens[position + 1 : position + 2]
        candidates = (
            [t for t in before if t.pos_ in ("PROPN", "PRON") and speaker_like(t)]
            or [t for t in after if t.pos_ == "PROPN" and speaker_like(t)]
            or [t for t in before if t.pos_ == "NOUN" and speaker_like(t)]
        )
        speaker = self._speaker_at(candidates[0]) if candidates else None
        return cue, speaker, position

    def _says_more(self, index: int, found: tuple[Token, Speaker | None, int], start: int) -> bool:
        """Whether a cue in the sentence after a quoted sentence reports words of its own and
        so is no attribution of the quote ('"..." Lowe said.' and '"..." Later, Lowe said.'
        are): a clause before it ("The sale closes in May, the bank said"), or a clause after
        it when another speaker can carry the quote on, or when its subject is a group with no
        article ('"..." Analysts say the sale will ...'): one voice among many, not the quote's
        speaker. A named speaker saying more ('"..." Lowe said later that ...') stays its own."""
        cue, speaker = found[0], found[1]
        if _reports_clause_before(cue, start):
            return True
        if not _reports_clause_after(cue):
            return False
        return speaker is None or self._quote_goes_on(index) or _bare_plural(speaker.head)

    def _quote_goes_on(self, index: int) -> bool:
        """Whether a quote before quote `index`, near enough, can pass its speaker on to it."""
        if index == 0:
            return False
        gap = self.text[self.quotes[index - 1].end : self.quotes[index].start]
        return _paragraph_breaks(gap) <= _FOLLOW_ON_PARAGRAPHS

    def _dash_attribution(self, start: int, end: int) -> Speaker | None:
        """'"..." ― Jorge Falcon': a name after a dash closing the quote."""
        text = self.text[start:end]
        stripped = text.lstrip(_EDGE_CHARS)
        dash = next((d for d in _DASHES if stripped.startswith(d)), None)
        if dash is None:
            return None
        name_start = start + len(text) - len(stripped) + len(dash)
        match = re.match(r"\s*([A-Z][^,(\n]*)", self.text[name_start:end])
        if match is None:
            return None
        name_end = name_start + match.end(1)
        while name_end > name_start and self.text[name_end - 1] in " .\t":
            name_end -= 1
        span = self.doc.char_span(name_start + match.start(1), name_end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        return Speaker(span.start_char, span.end_char, span[-1])

    def _direct(self, index: int) -> _Statement | None:
        """A direct-quote statement for quote `index`, or None when the quote is embedded."""
        quote = self.quotes[index]
        left_start, left_end = self._left_region(index)
        right_start, right_end = self._right_region(index)
        left = self._region_text(left_start, left_end)
        right = self._region_text(right_start, right_end)
        content = self.text[quote.start : quote.end].rstrip()
        if self._is_name_of_work(quote):
            return None  # a book or show title ("''Make Your Kid a Millionaire,'' he wrote")
        if _STAGE_DIRECTION.fullmatch(content):
            return None
        statement = _Statement(quote.start, quote.end, "direct")
        left_opens = not left or left[-1] in ":,"
        said_more = False  # the sentence after the quote reports words of its own
        # '"... from that." The sale closes in May.': a quoted sentence ends where its mark does.
        sentence_after = (
            content.endswith((".", "!", "?")) and right.lstrip(_EDGE_CHARS)[:1].isupper()
        )
        if left.endswith(":"):
            heading_name = self._name_before_colon(left_start, left_end)
            if heading_name is not None:
                statement.speaker, statement.cue_label = heading_name, ":"
                return statement
            found = self._colon_introduction(left_start, left_end)
            if found is not None:
                statement.cue, statement.speaker = found[0], found[1]
                if not right or self._attribution(right_start, right_end, last=False) is None:
                    self._widen_to_clause_before_colon(statement, quote)
                return statement
        if right and left_opens:
            dash_speaker = self._dash_attribution(right_start, right_end)
            if dash_speaker is not None:
                statement.speaker = dash_speaker
                statement.cue_label = right[: len(right) - len(right.lstrip("―—–-"))]
                return statement
            found = self._attribution(right_start, right_end, last=False)
            if found is not None and sentence_after and self._says_more(index, found, right_start):
                found = None  # '"... rise." Analysts say the sale will ...': a new statement
                said_more = True
            if found is not None:
                cue, speaker, position = found
                if (
                    content.endswith((",", "?", "!", "—", "-"))
                    or right[0] in ",—–-"
                    or right[0].islower()
                    or position <= _MAX_TOKENS_BEFORE_TRAILING_CUE
                ):
                    statement.cue, statement.speaker = cue, speaker
                    if not sentence_after:
                        self._widen_to_clause(statement, (left_start, left_end), right_start)
                    return statement
        if left.endswith(","):
            opened = self._clause_opened_before(left_start, left_end, quote)
            if opened is not None:
                statement.cue, statement.speaker = opened
                self._widen_to_reported_clause(statement, quote)
                return statement
        if left and left[-1] in ":,":
            found = self._attribution(left_start, left_end, last=True)
            if found is not None:
                statement.cue, statement.speaker = found[0], found[1]
                if left[-1] == ",":
                    self._widen_to_reported_clause(statement, quote)
                if statement.quote_type == "direct" and left[-1] == ",":
                    self._join_interrupted_clause(statement, index, left_start, right_end)
                    if statement.quote_type == "direct":
                        self._join_clause_after_cue(statement, quote)
                return statement
        if left:
            cue = self._cue_right_before(left_start, left_end)
            if cue is not None and not right.strip(".,;!?"):
                statement.cue, statement.speaker = cue, self._speaker(cue)
                return statement
            dash = next((d for d in _DASHES if left.endswith(d)), None)
            if dash is not None and right.startswith(_DASHES):
                # 'including Mitt Romney -- "It is disqualifying ..." -- and': a quote set off
                # by dashes right after a name is that person's.
                before_dash = self.text[left_start:left_end].rstrip(_EDGE_CHARS + "―—–-")
                name = self._name_ending(left_start + len(before_dash))
                if name is not None:
                    statement.speaker, statement.cue_label = name, dash
                    return statement
            return None
        if right.strip(".,;!?—–-") and not said_more:
            if not self._opens_own_clause(quote, right_start, right_end):
                return None
            if not sentence_after:
                # '"Nobody would name that a fix ..." for the night shift.': the speaker goes on.
                end = right_start + len(self.text[right_start:right_end].rstrip(".!? \n"))
                statement.end = end
                statement.quote_type = "partial"
        statement.follows = True
        if self._opens_paragraph(index):
            found = self._colon_attribution(quote.start)
            if found is not None:
                statement.cue, statement.speaker = found[0], found[1]
                statement.follows = False
        return statement

    def _widen_to_clause_before_colon(self, statement: _Statement, quote: QuotedSpan) -> None:
        """'She added that the party had two choices: "..."': a clause the cue reports that ends
        at the colon is what was said, and the quote after the colon spells it out; the
        statement is a partial quote from the clause's start. A cue that only introduces the
        quote ('he said on Monday:') reports nothing before the colon, and a quote with an
        attribution of its own after it ('"...," he said.') stays that speaker's."""
        cue = statement.cue
        if not is_cue(cue):
            return
        for run in reported_contents(cue):
            content = self._char_span(run)
            if (
                content is not None
                and cue.idx < content[0] < quote.start
                and (
                    content[1] >= quote.start
                    or not re.search(r"\w", self.text[content[1] : quote.start])
                )
                and _has_clause(run)
            ):
                statement.start = content[0]
                statement.quote_type = "partial"
                return

    def _name_ending(self, end: int) -> Speaker | None:
        """The person or organisation named by the entity ending at character `end`."""
        for ent in self.doc.ents:
            if ent.end_char == end and ent.label_ in ("PERSON", "ORG"):
                return Speaker(ent.start_char, ent.end_char, ent[-1])
        return None

    def _opens_own_clause(self, quote: QuotedSpan, start: int, end: int) -> bool:
        """Whether a quote opening a sentence that goes on after it, with no reporting cue, is
        a statement (several words, not a title) rather than a name in quote marks."""
        words = self.text[quote.start : quote.end].split()
        return (
            quote.closed
            and len(words) >= _MIN_FOLLOW_ON_WORDS
            and not self._is_title(quote)
            and not any(is_cue(t) for t in self._tokens_between(start, end))
        )

    def _widen_to_clause(
        self, statement: _Statement, left_region: tuple[int, int], right_start: int
    ) -> None:
        """A quote that is only part of its clause becomes a partial quote of the whole clause:
        'With two spare pumps, "the plant can never run dry," he said' and
        '"They cut the staff" to fatten the quarterly bonus, she said'."""
        cue, speaker = statement.cue, statement.speaker
        attribution_start = cue.idx
        if speaker is not None and right_start <= speaker.start < attribution_start:
            attribution_start = speaker.start
        between = self.text[right_start:attribution_start]
        if re.search(r"\w", between):
            statement.end = right_start + len(between.rstrip(_EDGE_CHARS + ",;—–-"))
            statement.quote_type = "partial"
        left_start, left_end = left_region
        left = self.text[left_start:left_end]
        if (
            _strip_edges(left).endswith(",")
            and re.search(r"\w", left)
            and not any(_reports_in_clause(t) for t in self._tokens_between(left_start, left_end))
        ):
            statement.start = left_start + len(left) - len(left.lstrip(_EDGE_CHARS))
            statement.quote_type = "partial"

    def _join_interrupted_clause(
        self, statement: _Statement, index: int, left_start: int, right_end: int
    ) -> None:
        """'The bakery's new oven, Mirelle said, "is a fine case" of planning ahead': an
        attribution set inside a clause that the quote finishes. The words before it are the
        first part of one partial quote and the quote runs on to the clause's end; each part is
        a row, as the parts of a split quote are."""
        cue, speaker = statement.cue, statement.speaker
        attribution_start = min(cue.idx, speaker.start) if speaker is not None else cue.idx
        lead = self._tokens_between(left_start, attribution_start)
        words = [t for t in lead if not t.is_punct and not t.is_space]
        quoted = {i for i, q in self.quote_of_token.items() if q == index}
        # The quoted words finish the clause whose subject stands before the attribution.
        joined = any(t.dep_ in SUBJECT_DEPS and t.head.i in quoted for t in words)
        between = (
            self.text[words[-1].idx + len(words[-1].text) : attribution_start] if words else ""
        )
        if (
            len(words) < _MIN_LEAD_WORDS
            or not joined
            or between.strip() != ","
            or any(is_cue(t) for t in words)
        ):
            return
        lead_end = words[-1].idx + len(words[-1].text)
        self.leads.append(_Statement(words[0].idx, lead_end, "partial", cue, speaker))
        statement.quote_type = "partial"
        self._run_on_to_clause_end(statement, self.quotes[index], right_end)

    def _run_on_to_clause_end(self, statement: _Statement, quote: QuotedSpan, end: int) -> None:
        """A partial quote whose clause goes on after the closing mark ('"wouldn't go far"
        without it') ends where the clause does, at `end` (the sentence's end)."""
        rest = self.text[quote.end : end]
        if quote.closed and re.match(rf"[{_MARK_CHARS}]*\s+[a-z]", rest):
            statement.end = quote.end + len(rest.rstrip(_EDGE_CHARS + ".!?,;:"))

    def _join_clause_after_cue(self, statement: _Statement, quote: QuotedSpan) -> None:
        """'The mayor says no matter what the council decides, "the pools will open"': a
        clause between the speech verb and the quote, which the parser hung on the verb, opens
        what was said when it is a condition or concession of it; any other clause there is the
        writer's (the time or the reason of the speaking: 'said, as the crowd cheered, "..."',
        'said, because she was tired, "..."')."""
        cue = statement.cue
        after = self._tokens_between(cue.idx + len(cue.text), quote.start)
        words = [t for t in after if not t.is_punct and not t.is_space]
        if not words:
            return
        top = _top_of(words)
        # The words open the quoted clause, or modify the verb as a clause of its own (not
        # its addressee or object: 'told the mayors who gathered there, "..."').
        opens = top.head.i in self.quote_of_token or (
            top.head.i == cue.i and top.dep_ in _CLAUSE_MODIFIER_DEPS
        )
        if (
            not opens
            or not _opens_qualification(words)
            or (statement.speaker is not None and statement.speaker.end > words[0].idx)
            or any(is_cue(t) and not _is_condition(t) for t in words)
            or not _has_clause(words)
        ):
            return
        statement.start = words[0].idx
        statement.quote_type = "partial"

    def _clause_opened_before(
        self, start: int, end: int, quote: QuotedSpan
    ) -> tuple[Token, Speaker] | None:
        """'She said that when the bill passed, "it was a good day"': the reporting verb before
        a quote whose clause opens before the comma and ends with the quote, even with other
        verbs between them ("when the bill passed"). The cue and its speaker."""
        tokens = [t for t in self._tokens_between(start, end) if not t.is_punct]
        if not tokens or (is_cue(tokens[-1]) and not _is_condition(tokens[-1])):
            return None  # 'signs saying, "..."': the verb right before introduces the quote
        for cue in reversed(tokens):
            if not is_cue(cue) or cue.lower_ == "according":
                continue
            for run in reported_contents(cue):
                content = self._char_span(run)
                if content is None or not content[0] < quote.start <= quote.end - 1 <= content[1]:
                    continue
                speaker = self._speaker(cue)
                if speaker is not None and _apart(speaker, content, cue):
                    return cue, speaker
        return None

    def _widen_to_reported_clause(self, statement: _Statement, quote: QuotedSpan) -> None:
        """'X said Friday that if she won, "she would sign it"': the quote ends a clause that
        began before it, so the statement is a partial quote of that clause. So does a quote
        set off by a comma right after the clause the cue reports, which the parser left out
        of it ('said the town would recover because it is stubborn, "like all of you"')."""
        for run in reported_contents(statement.cue):
            content = self._char_span(run)
            if content is None or not (
                content[0] < quote.start and re.search(r"\w", self.text[content[0] : quote.start])
            ):
                continue
            if not self._lead_is_said(statement.cue, content[0], quote):
                return
            if content[1] >= quote.end - 1:
                statement.start, statement.end = content
                statement.quote_type = "partial"
                return
            if (
                statement.cue.idx < content[0]
                and not re.search(r"\w", self.text[content[1] : quote.start])
                and any(t.pos_ in _VERBS for t in run)
            ):
                statement.start = content[0]
                statement.quote_type = "partial"
                return

    def _lead_is_said(self, cue: Token, start: int, quote: QuotedSpan) -> bool:
        """Whether the words from `start` to a quote open what the cue before them reports. Set
        off from the cue by a comma with no "that" ('said, as the crowd cheered, "..."'), they
        do only when they state a condition or concession of it ('said, if the council agrees,
        "..."'): the time or the reason of the speaking there is the writer's."""
        end = cue.idx + len(cue.text)
        if start < end:
            return True
        words = [t for t in self._tokens_between(start, quote.start) if not t.is_punct]
        while words and words[0].ent_type_ in ("DATE", "TIME"):
            words.pop(0)  # 'said Friday, when asked, "..."': the day is the cue's
        if not words or "," not in self.text[end : words[0].idx]:
            return True
        top = _top_of(words)
        # Only an adverbial set between commas interrupts; a clause of its own is what was said.
        if top.dep_ not in _ADVERBIAL_DEPS or top.right_edge.i < words[-1].i:
            return True
        return _opens_qualification(words)

    def _cue_right_before(self, start: int, end: int) -> Token | None:
        """A speech verb ending the text before a quote ('He said "..."', 'said that "..."',
        '"A," he said, but "B."')."""
        tokens = self._tokens_between(start, end)
        while tokens and (
            tokens[-1].lower_ == "that" or tokens[-1].dep_ == "cc" or tokens[-1].text == ","
        ):
            tokens = tokens[:-1]
        if tokens and is_cue(tokens[-1]) and cue_entry(tokens[-1]).kind == "speech":
            return tokens[-1]
        return None

    def _opens_paragraph(self, index: int) -> bool:
        start, _ = self._paragraph_bounds(self.quotes[index].start)
        # Only blanks and quote marks before it; stops at the first other character, where
        # stripping the whole prefix made a paragraph of many quotes quadratic.
        before = self.text[start : self.quotes[index].start]
        return all(char.isspace() or char in _MARK_CHARS for char in before)

    def _colon_attribution(self, quote_start: int) -> tuple[Token, Speaker | None, int] | None:
        """The cue of a previous paragraph that ends with a colon ("The Times reports:")."""
        start, _ = self._paragraph_bounds(quote_start)
        previous_end = len(self.text[:start].rstrip())
        if previous_end == 0 or self.text[previous_end - 1] != ":":
            return None
        previous_start, _ = self._paragraph_bounds(previous_end - 1)
        for pos in range(previous_end - 2, previous_start - 1, -1):
            if self._is_sentence_end(pos):
                previous_start = pos + 1
                break
        return self._colon_introduction(previous_start, previous_end)

    def _name_before_colon(self, start: int, end: int) -> Speaker | None:
        """'Pollsters agree - Carl Bialik: "..."': a name standing alone between a dash (or the
        sentence start) and the colon introduces the quote, whatever the words before say."""
        text = self.text[start:end].rstrip(_EDGE_CHARS)
        if not text.endswith(":"):
            return None
        tokens = self._tokens_between(start, start + len(text) - 1)
        name: list[Token] = []
        for token in reversed(tokens):
            if token.pos_ != "PROPN" and not (name and token.lower_ == "and"):
                break
            name.insert(0, token)
        if not name or name[0].lower_ == "and" or not speaker_like(name[-1]):
            return None
        before = tokens[: len(tokens) - len(name)]
        if before and before[-1].text not in ("-", *_DASHES):
            return None
        return Speaker(name[0].idx, name[-1].idx + len(name[-1].text), name[-1])

    def _colon_introduction(self, start: int, end: int) -> tuple[Token, Speaker | None, int] | None:
        """Who introduces a quote with a colon: the reporting cue of the clause, or else the
        subject of its main verb ("Mirelle made the following comment:")."""
        found = self._attribution(start, end, last=True)
        if found is not None and found[1] is not None:
            return found
        tokens = self._tokens_between(start, end)
        inside = {t.i for t in tokens}
        # The main verb: the one whose head lies outside the clause (the parser often hangs the
        # clause on the quote that follows it).
        verbs = [
            t for t in tokens if (t.dep_ == "ROOT" or t.head.i not in inside) and t.pos_ in _VERBS
        ]
        speaker = self._speaker(verbs[-1]) if verbs else None
        return (verbs[-1], speaker, 0) if speaker is not None else None

    def _transcript_turns(self) -> list[tuple[_Statement, set[int]]]:
        """Turns of an interview transcript ("WALLACE: ...") and the quotes each one covers."""
        turns = []
        for start in self.paragraph_starts:
            match = _TRANSCRIPT_LABEL.match(self.text, start)
            label = match.group(1).strip(".") if match is not None else ""
            # "Q:" and "A:" stand for the interview's roles, not for anyone named.
            if len(label) < _MIN_SPEAKER_LABEL_CHARS or label in _EDITORIAL_LABELS:
                continue
            _, end = self._paragraph_bounds(start)
            content_start = match.end() - 1
            content_end = len(self.text[:end].rstrip(_EDGE_CHARS))
            label = self.doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
            content = self.text[content_start:content_end]
            if label is None or not content.strip() or _STAGE_DIRECTION.fullmatch(content):
                continue
            speaker = Speaker(label.start_char, label.end_char, label[-1])
            statement = _Statement(content_start, content_end, "direct", None, speaker)
            statement.cue_label = ":"
            covered = {i for i, q in enumerate(self.quotes) if start <= q.start < end}
            turns.append((statement, covered))
        return turns if len(turns) >= _MIN_TRANSCRIPT_TURNS else []

    # ---- reported clauses -------------------------------------------------------------------

    def _char_span(self, tokens: list[Token]) -> tuple[int, int] | None:
        """Character span of a content run, widened to whole quotes it cuts through (the parse
        often ends a clause inside the quoted words), without an aside that closes it."""
        tokens = self._before_aside_after_quote(self._without_closing_aside(tokens))
        if not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        for quote in self.quotes:
            if quote.start < start < quote.end:
                start = self._subject_before_quote(quote.start)
            if quote.start < end < quote.end:
                end = quote.end
        while end > start and self.text[end - 1] in _EDGE_CHARS + ".,;:":
            end -= 1
        while start < end and self.text[start] in _EDGE_CHARS:
            start += 1
        return (start, end) if end > start else None

    def _without_closing_aside(self, tokens: list[Token]) -> list[Token]:
        """A run less the aside set off by a comma at its end, which is the writer's, not what
        was said: '"stacked" against the town[, a claim the board rejects]', '[, which lets
        ...]', '[, arguing that ...]'. An aside that holds quoted words stays."""
        last = tokens[-1].i if tokens else -1
        for position, comma in enumerate(tokens[:-1]):
            if comma.text != "," or comma.i in self.quote_of_token:
                continue
            first = tokens[position + 1]
            top = first
            while top.head.i != top.i and top.head.left_edge.i == first.i and top.head.i <= last:
                top = top.head
            if (
                top.dep_ in _ASIDE_DEPS
                and not (top.dep_ == "advcl" and gives_reason(top))
                and top.left_edge.i == first.i
                and top.right_edge.i >= last
                and top.head.i < comma.i
                and not any(t.i in self.quote_of_token for t in tokens[position:])
            ):
                return tokens[:position]
        return tokens

    def _before_aside_after_quote(self, tokens: list[Token]) -> list[Token]:
        """A run cut before the writer's aside that follows its last quoted words, which the
        parser often hangs on them: '"a bit higher" in fees[, an admission that ...]',
        '"phony"[ and asking why ...]', '"off the shelves,"[ while hoping to ...]',
        '"thrilled" by the deal[ — a small gain ...]', '"a joker"[ on her weekly podcast]'."""
        marks = [
            p
            for p in range(1, len(tokens))
            if tokens[p].is_quote
            and tokens[p].i not in self.quote_of_token
            and tokens[p - 1].i in self.quote_of_token
        ]
        for mark in marks:
            if _reports_anew(tokens[mark + 1 : mark + 3], tokens[mark - 1]):
                return tokens[: mark + 1]
        if not marks or any(t.i in self.quote_of_token for t in tokens[marks[-1] :]):
            return tokens
        mark = marks[-1]
        inner = tokens[mark - 1].text if tokens[mark - 1].text in (",", ";") else None
        for position in range(mark + 1, len(tokens)):
            token = tokens[position]
            if token.text in (",", ";", *_DASHES) or (
                token.text == "-" and token.whitespace_ and tokens[position - 1].whitespace_
            ):
                separator, following = token.text, tokens[position + 1 :]
            elif position == mark + 1 and inner is not None:
                separator, following = inner, tokens[position:]
            elif position == mark + 1 or tokens[position].dep_ == "prep":
                separator, following = None, tokens[position:]
            else:
                continue
            if following and _opens_aside(tokens[:position], following, separator):
                return tokens[:position]
            if separator is not None:
                return tokens  # the clause goes on past its first break: what was said
        return tokens

    def _quotes_within(self, start: int, end: int) -> list[int]:
        return [i for i, q in enumerate(self.quotes) if q.start < end and q.end > start]

    def _is_wholly_quoted(self, start: int, end: int, indexes: list[int]) -> bool:
        """Whether nothing but "that" and punctuation of a reported clause is outside quotes."""
        outside = self.text[start:end]
        for quote in sorted((self.quotes[i] for i in indexes), key=lambda q: -q.start):
            outside = outside[: max(quote.start - start, 0)] + outside[max(quote.end - start, 0) :]
        return re.sub(r"\W+", " ", outside).strip().lower() in ("", "that")

    # ---- the whole article ------------------------------------------------------------------

    def statements(self) -> list[_Statement]:
        statements: list[_Statement] = []
        taken: set[int] = set()  # quotes that are direct statements or transcript turns
        for turn, covered in self._transcript_turns():
            statements.append(turn)
            taken.update(covered)
        direct: dict[int, _Statement] = {}
        for index in range(len(self.quotes)):
            if index not in taken:
                statement = self._direct(index)
                if statement is not None:
                    direct[index] = statement
        _share_speaker_across_parts(self.quotes, direct)
        statements.extend(direct.values())
        statements.extend(self.leads)
        taken.update(direct)
        consumed = set(taken)
        used_cues = {s.cue.i for s in statements if s.cue is not None}
        for index in _possible_cues(self.doc):
            if index in self.quote_of_token or index in used_cues or not is_cue(self.doc[index]):
                continue
            token = self.doc[index]
            runs = reported_contents(token)
            speaker = self._speaker(token) if runs else None
            if speaker is None:
                continue
            for run in runs:
                content = self._char_span(run)
                if content is None or not _apart(speaker, content, token):
                    continue
                overlapping = self._quotes_within(*content)
                if taken.intersection(overlapping):
                    if self._reports_direct(token, overlapping, direct, statements):
                        taken.difference_update(overlapping)
                    elif not _nests(run, overlapping, direct):
                        continue
                quote_type = "partial" if overlapping else "indirect"
                if overlapping and self._is_wholly_quoted(*content, overlapping):
                    quote_type = "direct"
                consumed.update(overlapping)
                statement = _Statement(*content, quote_type, token, speaker)
                statements.append(self._reported_by(statement, token) if overlapping else statement)
        claims: set[int] = set()  # reporting nouns whose content is a statement already
        for index in sorted(consumed - taken):
            statement = self._claim_within(index, claims)
            if statement is not None:
                statements.append(statement)
        # One row per span: several quotes in one reported clause ('called him "driven" and
        # "brilliant"') or in one sentence of a continuation make one statement.
        spans = {(s.start, s.end) for s in statements if s.quote_type != "scare"}
        for index, quote in enumerate(self.quotes):
            if index not in consumed:
                statement = self._embedded(index, quote)
                if statement.quote_type != "scare":
                    if (statement.start, statement.end) in spans:
                        continue
                    spans.add((statement.start, statement.end))
                statements.append(statement)
        cues = {s.cue.i for s in statements if s.cue is not None}
        for statement in statements:
            if statement.quote_type == "partial":
                self._run_on_to_subordinate_clause(statement, cues)
        statements.sort(key=lambda s: (s.start, s.end))
        _resolve_follow_ons(self.text, statements)
        statements.sort(key=lambda s: (s.start, s.end))
        for statement in statements:
            if statement.start < self.dateline_end < statement.end:
                statement.start = self.dateline_end
        return statements

    def _run_on_to_subordinate_clause(self, statement: _Statement, cues: set[int]) -> None:
        """A partial quote that ends at a closing quote mark followed, with no comma, by a
        clause of reason, condition or comparison ('called the plan "a trap" because it raises
        taxes', '"better" than the last one', '"a step back" compared with ...') ends where that
        clause does: the clause qualifies what was said, and news writing sets it off from the
        quoted words by a comma when it is the writer's. Only a clause of the statement's own
        cue or words: one that qualifies the writer's main verb ('was suspended after calling
        him "a cheat" because ...') is the writer's; and not over another quote or a reporting
        verb with its own statement ('because Ruiz had called it "..."'), another speaker's."""
        # The quote the statement ends with: a comma before the mark ends the quoted words.
        quote = next(
            (
                q
                for q in self.quotes
                if q.closed
                and q.start < statement.end <= q.end
                and not self.text[statement.end : q.end].strip()
            ),
            None,
        )
        if quote is None:
            return
        after = _CLOSING_THEN_SUBORDINATOR.match(self.text, quote.end)
        if after is None:
            return
        opener = self.doc.char_span(after.start(1), after.end(1))
        if opener is None:
            return
        word = opener[0]
        # The opener's clause: the verb a subordinator opens, else the opener itself.
        opens = word.dep_ in ("mark", "advmod") and word.head.i > word.i
        clause = word.head if opens and word.head.sent.start == word.sent.start else word
        owner = clause.head
        cue = statement.cue.i if statement.cue is not None else None
        if owner.i != cue and not statement.start <= owner.idx < statement.end:
            return
        paragraph = paragraph_bounds(word)
        words = [
            t
            for t in self.doc[word.i : clause.right_edge.i + 1]
            if in_paragraph(t, paragraph) and t.sent.start == word.sent.start
        ]
        if any(t.i in self.quote_of_token or t.i in cues for t in words):
            return
        while words and (words[-1].is_punct or words[-1].is_space):
            words.pop()
        if len(words) >= _MIN_LEAD_WORDS:
            statement.end = max(statement.end, words[-1].idx + len(words[-1].text))

    def _reports_direct(
        self,
        cue: Token,
        indexes: list[int],
        direct: dict[int, _Statement],
        statements: list[_Statement],
    ) -> bool:
        """'"...," the bishop told pilgrims, according to the wire service': a direct quote and
        its speaker inside what "according to" qualifies are the wire service's report. The direct
        statements are dropped from `statements` for the report that holds them."""
        if cue.lower_ != "according" or not all(i in direct for i in indexes):
            return False
        held = {id(direct[i]) for i in indexes}
        statements[:] = [s for s in statements if id(s) not in held]
        return True

    def _embedded(self, index: int, quote: QuotedSpan) -> _Statement:
        """A quote inside a sentence: a partial quote of the clause a reporting cue reports
        ('Quillon called her "a menace"'), else of the predicate of the verb above it when a
        person is that verb's subject (see `_governed`), else a scare quote or title."""
        root = self._root_of(index)
        if root is None:
            return _Statement(quote.start, quote.end, "scare")
        paragraph = paragraph_bounds(root)
        governor: Token | None = None  # the nearest verb above the quote
        for head in root.ancestors:
            if head.i in self.quote_of_token or not in_paragraph(head, paragraph):
                continue
            if governor is None and head.pos_ == "VERB":
                governor = head
            # A cue whose content does not hold the quote ("said that she spoke with X and that
            # ... "..."") does not stop the walk: a cue above it may report the quote.
            if head.pos_ in _VERBS and is_cue(head):
                runs = reported_contents(head)
                if cue_entry(head).kind == "speech":
                    runs += complement_after(head)
                for run in runs:
                    statement = self._partial(run, quote, head)
                    if statement is not None:
                        return self._reported_by(statement, head)
            # "Quillon's claim that there were "hundreds of leaks"": the owner speaks.
            owners = _owners(head)
            if is_reporting_noun(head) and owners:
                statement = self._partial(noun_content(head, root), quote, head)
                if statement is not None:
                    statement.speaker = self._speaker_at(owners[0])
                    return statement
            statement = self._unowned_claim(head, root, quote, paragraph)
            if statement is not None:
                return statement
            statement = self._equated_claim(head, root, quote)
            if statement is not None:
                return statement
        statement = (
            self._hung_on_report(root, quote)
            or self._held_that(root, quote)
            or self._raised_passive(root, quote)
        )
        if statement is not None:
            return statement
        if governor is not None and (not self._is_title(quote) or _names_object(root, governor)):
            statement = self._governed(governor, quote)
            if statement is not None:
                return self._reported_by(statement, governor)
        if self._is_title(quote):
            return _Statement(quote.start, quote.end, "scare")
        statement = self._closing_attribution(root) or self._continuation(root, quote)
        return statement or _Statement(quote.start, quote.end, "scare")

    def _unowned_claim(
        self, noun: Token, root: Token, quote: QuotedSpan, paragraph: tuple[int, int]
    ) -> _Statement | None:
        """'a decade-old admission that the dam "was never inspected"': a statement noun's
        "that" clause states what was said even when the noun names no one who said it; nobody
        speaks. Not when a speech verb above the noun reports it ('said in a statement that
        ...') or the noun is the object of a verb of issuing ('released a statement that ...',
        'gave a warning that ...'): the verb's subject speaks."""
        if not is_reporting_noun(noun) or _owners(noun) or _issuer(noun) is not None:
            return None
        content = noun_content(noun, root)
        if not content or content[0].lower_ != "that" or content[0].dep_ != "mark":
            return None
        if any(
            is_cue(head) and cue_entry(head).kind == "speech"
            for head in noun.ancestors
            if head.pos_ in _VERBS and in_paragraph(head, paragraph)
        ):
            return None
        span = self._char_span(content)
        if span is None or not span[0] <= quote.start < quote.end - 1 <= span[1]:
            return None
        return _Statement(*span, "partial")

    def _equated_claim(self, verb: Token, root: Token, quote: QuotedSpan) -> _Statement | None:
        """'Her main claim is that the panel is a "sham"': a copula whose subject is a
        statement noun with an owner equates the statement with the "that" clause after it,
        which is what the owner said; the owner speaks."""
        if verb.lemma_ != "be":
            return None
        claims = [c for c in verb.children if c.dep_ == "nsubj" and is_reporting_noun(c)]
        owners = _owners(claims[0]) if claims else []
        if not owners:
            return None
        branch = next((a for a in (root, *root.ancestors) if a.head.i == verb.i != a.i), None)
        # Only a "that" clause states the claim; "his remarks were "propaganda"" judges it.
        if branch is None or branch.i < verb.i or branch.left_edge.lower_ != "that":
            return None
        paragraph = paragraph_bounds(verb)
        content = self._char_span([t for t in branch.subtree if in_paragraph(t, paragraph)])
        if content is None or not content[0] <= quote.start < quote.end - 1 <= content[1]:
            return None
        return _Statement(*content, "partial", claims[0], self._speaker_at(owners[0]))

    def _hung_on_report(self, root: Token, quote: QuotedSpan) -> _Statement | None:
        """'Lee told The Times he was "not yet convinced"': a reported clause with no "that",
        which the parser took for the main clause, hanging its reporting verb on it. The speech
        verb stands right before the clause's subject (see `_right_before`), with its own
        subject and addressee and no complement of its own; the clause from its subject on is
        what was said."""
        paragraph = paragraph_bounds(root)
        for host in (root, *root.ancestors):
            if not in_paragraph(host, paragraph):
                return None
            subjects = [c for c in host.children if c.dep_ in ("nsubj", "nsubjpass")]
            if host.pos_ not in _VERBS or not subjects:
                continue
            subject = subjects[0]
            for cue in host.children:
                if (
                    cue.i >= subject.i
                    or cue.dep_ not in ("advcl", "parataxis", "ccomp")
                    or not self._right_before(cue, subject)
                    or cue.i in self.quote_of_token
                    or not is_cue(cue)
                    or cue_entry(cue).kind != "speech"
                    or any(c.dep_ in ("ccomp", "xcomp") for c in cue.children)
                ):
                    continue
                speaker = self._speaker(cue)
                if speaker is None:
                    continue
                run = [
                    t
                    for t in self.doc[subject.left_edge.i : host.right_edge.i + 1]
                    if in_paragraph(t, paragraph)
                ]
                while run and (run[-1].is_punct or run[-1].is_space):
                    run.pop()
                statement = self._partial(run, quote, cue)
                if statement is not None:
                    return statement
            return None
        return None

    def _held_that(self, root: Token, quote: QuotedSpan) -> _Statement | None:
        """'The growers learned that the "wet years" were over', 'She expressed confidence
        that the plan would "work"': a clause opened by "that" states what the subject of the
        verb above it holds, says or finds, whatever the verb (learn, figure, determine, vent,
        recognize ...), also through a noun the verb takes as its object or the parser hung
        the clause on (see `_holder_verb`). The clause is the partial quote and that subject
        its source, when it can hold a view (see `_may_hold`); a noun's owner speaks instead
        ('adopted her rival's motto that'), so a noun with one is left to the reporting
        nouns; "be" equates ('the lesson is that': see `_equated_claim`)."""
        paragraph = paragraph_bounds(root)
        for branch in (root, *root.ancestors):
            head = branch.head
            if head.i == branch.i or not in_paragraph(head, paragraph):
                return None
            if head.i in self.quote_of_token or not _opens_with_that_mark(branch):
                continue
            claim = _claim_right_before(branch)
            if claim is not None and not is_cue(head):
                return self._owned_claim(claim, branch, quote, paragraph)
            if branch.dep_ == "ccomp" and head.pos_ in _VERBS and head.lemma_ != "be":
                verb = head
            else:
                verb = _holder_verb(head)
            if verb is None:
                continue
            speaker = self._speaker(verb)
            if speaker is None or not _may_hold(speaker.head, verb):
                return None
            content = self._char_span([t for t in branch.subtree if in_paragraph(t, paragraph)])
            if content is None or not content[0] <= quote.start < quote.end - 1 <= content[1]:
                return None
            if not _apart(speaker, content, verb):
                return None
            return _Statement(*content, "partial", verb, speaker)
        return None

    def _owned_claim(
        self, noun: Token, clause: Token, quote: QuotedSpan, paragraph: tuple[int, int]
    ) -> _Statement | None:
        """The "that" clause of a statement noun with an owner as the owner's partial quote."""
        content = self._char_span([t for t in clause.subtree if in_paragraph(t, paragraph)])
        if content is None or not content[0] <= quote.start < quote.end - 1 <= content[1]:
            return None
        return _Statement(*content, "partial", noun, self._speaker_at(_owners(noun)[0]))

    def _raised_passive(self, root: Token, quote: QuotedSpan) -> _Statement | None:
        """'The mayor is expected to "veto" the plan', 'He is believed by aides to be
        "furious"': a reporting verb in the passive reports its subject with the infinitive
        after it; the subject is what was said about, not who said it, so the source is the
        "by" phrase, or nobody. The subject through the infinitive is the partial quote."""
        paragraph = paragraph_bounds(root)
        for branch in (root, *root.ancestors):
            verb = branch.head
            if verb.i == branch.i or not in_paragraph(verb, paragraph):
                return None
            if verb.i in self.quote_of_token:
                continue
            if branch.dep_ != "xcomp" or not is_cue(verb) or verb.tag_ != "VBN":
                continue
            if not any(c.dep_ == "aux" and c.lower_ == "to" for c in branch.children):
                return None  # a participle ("were shown singing"): what was shown, not said
            subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
            if not subjects:
                return None
            words = self.doc[subjects[0].left_edge.i : branch.right_edge.i + 1]
            content = self._char_span([t for t in words if in_paragraph(t, paragraph)])
            if content is None or not content[0] <= quote.start < quote.end - 1 <= content[1]:
                return None
            agents = [a for c in verb.children if c.dep_ == "agent" for a in c.children]
            speaker = self._speaker_at(agents[0]) if agents else None
            return _Statement(*content, "partial", verb, speaker)
        return None

    def _right_before(self, cue: Token, subject: Token) -> bool:
        """Whether a reporting verb's phrase ends right before a clause's subject, or before a
        comma there when it is no adverbial clause ("Lee told The Times, his plan would ...";
        not "After Lee spoke, the crowd ...")."""
        gap = self.doc[cue.right_edge.i + 1 : subject.left_edge.i]
        return not gap or (cue.dep_ != "advcl" and [t.text for t in gap] == [","])

    def _claim_within(self, index: int, claims: set[int]) -> _Statement | None:
        """'The mayor said the fuss came from the senator's claim that she had "rigged" it':
        inside what a cue reports, a reporting noun's "that" clause holding a quote is a
        statement of its own, the noun's owner's (nobody's when it has none). One statement
        per noun."""
        root = self._root_of(index)
        if root is None:
            return None
        paragraph = paragraph_bounds(root)
        for head in root.ancestors:
            if not in_paragraph(head, paragraph) or (head.pos_ in _VERBS and is_cue(head)):
                return None
            if not is_reporting_noun(head) or head.i in claims:
                continue
            content = noun_content(head, root)
            if not content or content[0].lower_ != "that":
                return None
            span = self._char_span(content)
            quote = self.quotes[index]
            if span is None or not span[0] <= quote.start < quote.end - 1 <= span[1]:
                return None
            claims.add(head.i)
            owners = _owners(head)
            speaker = self._speaker_at(owners[0]) if owners else None
            return _Statement(*span, "partial", head if owners else None, speaker)
        return None

    def _continuation(self, root: Token, quote: QuotedSpan) -> _Statement | None:
        """'"...," Ana Ruiz said. That makes the plan "a dead letter for this session."': a
        sentence with no reporting verb whose quoted words are a clause goes on with the
        statement before it in the paragraph (resolved in `_resolve_follow_ons`)."""
        if not quote.closed or len(self.text[quote.start : quote.end].split()) < (
            _MIN_FOLLOW_ON_WORDS
        ):
            return None
        paragraph = paragraph_bounds(root)
        words = [t for t in root.sent if not t.is_space and in_paragraph(t, paragraph)]
        if any(is_cue(t) for t in words if t.i not in self.quote_of_token):
            return None
        span = self._char_span(words)
        if span is None:
            return None
        statement = _Statement(*span, "partial", follows=True)
        statement.within = (quote.start, quote.end)
        return statement

    def _closing_attribution(self, root: Token) -> _Statement | None:
        """'The plan is "dead on arrival" for now, said Ana Ruiz, an aide.': a sentence closed by
        its attribution after a comma, which the parser often misreads (taking the statement
        for the subject of "said"). The words before the comma are a partial quote of the
        speaker named after it. Found from the words alone: a speech verb within a few words
        after a comma, with no verb before it, and no reporting verb in the statement."""
        paragraph = paragraph_bounds(root)
        words = [t for t in root.sent if not t.is_space and in_paragraph(t, paragraph)]
        for position, comma in enumerate(words):
            closes_quote = position + 1 < len(words) and words[position + 1].is_quote
            if (
                comma.i <= root.i
                or comma.text != ","
                or (comma.i in self.quote_of_token and not closes_quote)
            ):
                continue
            tail = words[position + 1 : position + 1 + _MAX_TOKENS_BEFORE_CLOSING_CUE]
            cue = next((t for t in tail if t.pos_ in _VERBS and t.dep_ not in _AUX_DEPS), None)
            if cue is None or not is_cue(cue) or cue_entry(cue).kind != "speech":
                continue
            if (
                cue.i in self.quote_of_token
                or cue.lower_ == "according"
                or any(
                    c.dep_ in _REPORTED_DEPS and c.i > cue.i and not _is_addressee(c, cue)
                    for c in cue.children
                )
            ):
                return None
            content = words[:position]
            if any(is_cue(t) and t.i not in self.quote_of_token for t in content):
                return None
            span = self._char_span(content)
            if span is None:
                return None
            speaker = self._speaker(cue)
            if speaker is None or speaker.start < span[1]:
                names = [t for t in tail if t.i < cue.i and t.pos_ in ("PROPN", "PRON", "NOUN")]
                after = [t for t in words[position + 1 :] if t.i > cue.i and t.pos_ == "PROPN"]
                name = names[-1] if names else after[0] if after else None
                while name is not None and name.dep_ == "compound" and name.head.pos_ == "PROPN":
                    name = name.head  # "said Ana Ruiz": the name's last word heads it
                speaker = self._speaker_at(name) if name is not None else None
            if speaker is None or not speaker_like(speaker.head):
                return None
            return _Statement(*span, "partial", cue, speaker)
        return None

    def _subject_before_quote(self, start: int) -> int:
        """Where a content that `_char_span` starts inside the quote opening at `start` starts
        (any content the parse starts there): 'The two finalists "looked tired. Nobody laughed"
        at the gala, Ortiz said.' The parser ends the first sentence inside the quote, so the
        clause read from the last one starts within it; a subject written before the opening
        mark whose verb is inside the quote is part of what was said, from its first word. Any
        other words there are the writer's lead-in ('But "the money is gone. ..."', 'The vote
        failed and "nobody knows why. ..."'), left out: the statement starts at the quote."""
        index = next((i for i, q in enumerate(self.quotes) if q.start == start), None)
        if index is None:
            return start
        left_start, left_end = self._left_region(index)
        # The sentence may introduce its subject after a colon ("One example: the agency ...").
        left_start += max(self.text.rfind(":", left_start, left_end) + 1 - left_start, 0)
        tokens = self._tokens_between(left_start, left_end)
        if any(is_cue(t) for t in tokens):
            return start
        quote = self.quotes[index]
        subject = next(
            (
                t
                for t in tokens
                if t.dep_ in ("nsubj", "nsubjpass")
                and quote.start <= t.head.idx < quote.end
                and t.left_edge.idx >= left_start
            ),
            None,
        )
        return start if subject is None else subject.left_edge.idx

    def _reported_by(self, statement: _Statement, verb: Token) -> _Statement:
        """'Mirelle said she believes "..."': words under a pronoun's belief or deed, inside what
        a named speaker says, are that speaker's (the pronoun is mostly the speaker himself).
        A pronoun's own speech verb ("X said he told them") keeps the pronoun."""
        inner = statement.speaker
        if inner is None or inner.head.pos_ != "PRON":
            return statement
        if is_cue(verb) and cue_entry(verb).kind == "speech":
            return statement
        paragraph = paragraph_bounds(verb)
        for head in verb.ancestors:
            if head.i in self.quote_of_token or not in_paragraph(head, paragraph):
                continue
            if head.pos_ in _VERBS and is_cue(head) and cue_entry(head).kind == "speech":
                outer = self._speaker(head)
                if outer is not None and outer.head.pos_ != "PRON":
                    statement.speaker, statement.cue = outer, head
                return statement
        return statement

    def _governed(self, verb: Token, quote: QuotedSpan) -> _Statement | None:
        """A quoted fragment in what a person does with words ('Ortiz bemoaned a town in
        which neighbours "barely speak anymore"'), or in what a document shows or holds ('the
        release lists her as "chief cook"', see `_shows_as_document`): the words are the
        subject's, and the partial quote is the verb's predicate right of it, up to the clause
        break after the quote."""
        speaker = self._speaker(verb)
        if speaker is None:
            return None
        if not (_is_person_like(speaker.head) or _shows_as_document(speaker, verb)):
            return None
        paragraph = paragraph_bounds(verb)
        run = [
            t for t in self.doc[verb.i + 1 : verb.right_edge.i + 1] if in_paragraph(t, paragraph)
        ]
        for position, token in enumerate(run):
            breaks = token.text in _CLAUSE_BREAKS and token.i not in self.quote_of_token
            if breaks and token.idx >= quote.end:
                run = run[:position]
                break
        content = self._char_span(run)
        if content is None or not (content[0] <= quote.start and content[1] >= quote.end - 1):
            return None
        # Any overlap, unlike `_apart`: the run starts after the verb, so a speaker inside it
        # is no attribution set inside the statement.
        if speaker.start < content[1] and speaker.end > content[0]:
            return None
        return _Statement(*content, "partial", verb, speaker)

    def _root_of(self, index: int) -> Token | None:
        """The quoted token whose head lies outside the quote."""
        tokens = sorted(i for i, q in self.quote_of_token.items() if q == index)
        for i in tokens:
            if self.quote_of_token.get(self.doc[i].head.i) != index:
                return self.doc[i]
        return self.doc[tokens[0]] if tokens else None

    def _partial(self, run: list[Token], quote: QuotedSpan, cue: Token) -> _Statement | None:
        """A partial-quote statement for a content run holding the quote (speaker may be None)."""
        content = self._char_span(run)
        if content is None or not (content[0] <= quote.start and content[1] >= quote.end - 1):
            return None
        speaker = self._speaker(cue)
        if speaker is not None and not _apart(speaker, content, cue):
            return None
        return _Statement(*content, "partial", cue, speaker)

    def _is_name_of_work(self, quote: QuotedSpan) -> bool:
        """A title of several words ("Meet the Press"); one capitalised word may be a nickname
        or a quoted word."""
        return self._is_title(quote) and len(self.text[quote.start : quote.end].split()) > 1

    def _is_title(self, quote: QuotedSpan) -> bool:
        """A name of a show, book or law ("Nightly News"), or no words at all."""
        words = re.findall(r"[^\W\d_][\w'’-]*", self.text[quote.start : quote.end])
        long_words = [w for w in words if len(w) > 3] or words
        return not words or all(w[0].isupper() for w in long_words)


def _apart(speaker: Speaker, content: tuple[int, int], cue: Token) -> bool:
    """Whether a speaker stands outside what its cue reports, as it must, unless the
    attribution is set inside the statement ("The plan, as Sato noted, was "doomed""): then
    the speaker is the attribution's own subject, as an attribution with none reports nothing
    (`reported_contents`: "The plan, as reported by Reuters, was ...")."""
    return (
        speaker.end <= content[0]
        or speaker.start >= content[1]
        or content[0] <= cue.idx < content[1]
    )


def _nests(run: list[Token], indexes: list[int], direct: dict[int, _Statement]) -> bool:
    """Whether the direct quotes a reported clause holds are reported inside it, by a verb of
    its own before them ('the coach said fans were calling "day and night"', 'X said Y told her
    "..."'): the clause is a statement of its own, and the quotes stay statements too. An
    attribution after its quote ('... say that "A," Lee added') closes a statement of its own,
    which no clause before it reports."""
    inside = {t.i for t in run}
    return all(
        i in direct
        and direct[i].cue is not None
        and direct[i].cue.i in inside
        and direct[i].cue.idx < direct[i].start
        for i in indexes
    )


def _opens_aside(before: list[Token], after: list[Token], separator: str | None) -> bool:
    """Whether the words `after` a closing quote mark (and the separator after it) are the
    writer's aside that runs to the end of the content, not the rest of what was said: after a
    dash, anything but more quoted words or a paired dash; after a comma, a further reporting
    participle ("adding"), a concessive or relative word with no subject of its own ("while
    trying", "which") or a noun phrase that is no subject ("an acknowledgment that ..."); with
    no separator, "and" with a verb of its own where the quoted words stand in no clause
    ("called it "weak" and said ...")."""
    first, last = after[0], after[-1]
    if separator in (*_DASHES, "-"):
        return not any(t.text in (*_DASHES, "-") for t in after)
    if separator is not None:
        if first.tag_ == "VBG":
            return is_cue(first) and first.right_edge.i >= last.i
        if first.lower_ in _ASIDE_OPENERS:
            clause = first.head
            return clause.right_edge.i >= last.i and not any(
                c.dep_ in SUBJECT_DEPS for c in clause.children if c.i != first.i
            )
        noun = first.head
        return (
            first.pos_ == "DET"
            and noun.pos_ in ("NOUN", "PROPN")
            and noun.dep_ not in SUBJECT_DEPS
            and noun.right_edge.i >= last.i
        )
    if first.dep_ == "prep" and is_setting(first):
        return first.right_edge.i >= last.i  # '"a joker"[ on her weekly podcast]'
    if first.lower_ != "and" or len(after) < 2:
        return False
    verb = after[1]
    finite = any(t.tag_ in _FINITE_TAGS for t in before)
    return (
        verb.tag_ in ("VBD", "VBZ", "VBG")
        and (verb.tag_ == "VBG" or not finite)
        and not any(c.dep_ in SUBJECT_DEPS for c in verb.children)
    )


def _reports_anew(after: list[Token], before: Token) -> bool:
    """Whether the words after a closing quote mark open a further statement of the speaker,
    no part of the one the quote ends: a reporting participle after a comma ('"...," adding
    "..."', ', citing ...') or "and" with a speech verb of no subject of its own ('and urged
    voters "..."')."""
    if not after:
        return False
    first = after[0]
    comma = before.text == "," or first.text == ","
    if first.text == ",":
        after = after[1:]
    if not after:
        return False
    verb = after[1] if after[0].lower_ == "and" and len(after) > 1 else after[0]
    if not (is_cue(verb) and cue_entry(verb).kind == "speech"):
        return False
    if verb.tag_ == "VBG":
        return comma or after[0].lower_ == "and"
    return (
        after[0].lower_ == "and"
        and verb.tag_ in ("VBD", "VBZ")
        and not any(c.dep_ in SUBJECT_DEPS for c in verb.children)
    )


def _top_of(words: list[Token]) -> Token:
    """The word that heads a run of words in the parse: the first word's highest ancestor
    inside the run."""
    top = words[0]
    while top.head.i != top.i and words[0].i <= top.head.i <= words[-1].i:
        top = top.head
    return top


def _opens_condition(words: list[Token], starts: tuple[str, ...] = _CONDITION_STARTS) -> bool:
    """Whether the words open a condition of what is said ("if ...", "as long as ..."), or what
    else `starts` lists, also after the complementizer ('said, that if his son had enlisted,
    "..."')."""
    lead = words[1:] if words and words[0].lower_ == "that" else words
    opening = " ".join(t.lower_ for t in lead[:3]) + " "
    return opening.startswith(starts)


def _opens_qualification(words: list[Token]) -> bool:
    """Whether the words open a condition or concession of what is said ("if ...", "no matter
    what ...")."""
    return _opens_condition(words, _QUALIFICATION_STARTS)


def _is_condition(cue: Token) -> bool:
    """A speech verb heading a condition ('said, if the council agrees, "..."', 'said, as long
    as the council agrees, "..."', 'said, if you ask him, "..."'): it states what the quote
    depends on and introduces nothing. (With no other cue about, `_attribution` still takes
    it: 'If you tell them, "..."'; a concession's verb introduces: 'though he said, "We may"'.)"""
    return cue.dep_ in ("advcl", "pcomp") and _opens_condition_clause(cue)


def _opens_condition_clause(verb: Token) -> bool:
    """Whether a verb's clause opens with a condition, also when the parser left the opener's
    first words out of it ("as long as", "provided" hung on the verb above)."""
    doc, start = verb.doc, verb.left_edge.i
    for outside in (2, 1, 0):
        lead = doc[max(start - outside, verb.sent.start) : verb.i + 1]
        if not any(t.is_punct for t in lead[: outside + 1]) and _opens_condition(list(lead)):
            return True
    return False


def _owners(noun: Token) -> list[Token]:
    """Who a statement noun is by: its possessor ("Quillon's claim") or the agent of its "by" or
    "from" phrase ("a claim by the senator that ...", "a warning from the engineer that"), when
    that agent can speak: not the time, means or origin of the statement ("the statement from
    Monday", "a claim by email", "the warning from the start")."""
    owners = [c for c in noun.children if c.dep_ == "poss"]
    for preposition in noun.children:
        if (
            preposition.dep_ == "prep"
            and preposition.lower_ in ("by", "from")
            and preposition.i > noun.i
        ):
            owners += [c for c in preposition.children if c.dep_ == "pobj" and _may_speak(c)]
    return owners


def _claim_right_before(clause: Token) -> Token | None:
    """'Residents balked at her statement that "..."': the parser often hangs a statement noun's
    "that" clause on the verb above the noun; a clause opening right after a noun with an owner
    is the noun's (see `_owners`)."""
    if clause.left_edge.i == 0:
        return None
    noun = clause.doc[clause.left_edge.i - 1]
    if noun.pos_ != "NOUN" or not is_reporting_noun(noun) or clause.head not in noun.ancestors:
        return None
    return noun if _owners(noun) else None


def _issuer(noun: Token) -> Token | None:
    """The subject of a verb of making or issuing whose object is the statement noun ("The
    ministry released a statement that ...", "made a promise that ...", "sent a message to
    residents that ..."): who issues a statement makes it."""
    verb = noun.head
    if noun.dep_ != "dobj" or verb.pos_ not in _VERBS or verb.lemma_ not in _ISSUING_VERBS:
        return None
    return next((c for c in verb.children if c.dep_ == "nsubj"), None)


def _may_speak(agent: Token) -> bool:
    """Whether the object of a statement noun's "by" or "from" can be who made the statement: a
    person or group, or a noun that is none of a time, a number, a means of sending words or a
    point in a sequence ("from the engineer", not "from Monday", "by email", "from the start")."""
    return _is_person_like(agent) or (
        agent.pos_ in ("NOUN", "PROPN")
        and speaker_like(agent)
        and not agent.like_num
        and agent.ent_type_ != "CARDINAL"
        and agent.lemma_.lower() not in _NON_AGENT_NOUNS
    )


def _opens_with_that_mark(clause: Token) -> bool:
    """A clause whose complementizer is "that" (not a relative clause, whose "that" is its
    subject or object)."""
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)


def _holder_verb(noun: Token) -> Token | None:
    """The verb whose subject holds what a noun's "that" clause states: the verb taking the
    noun as object ("expressed [confidence] that", "made [the point] that"), or the reporting
    verb of a phrase the noun is in, on which the parser hung the verb's own "that" clause
    ("said in a [statement] that", "told her at a [debate] that"); another verb's phrase
    holds someone else's words ("resigned amid [claims] that"). None for a noun with an
    owner of its own, a "such" making the clause a result ("posed such a threat that") or a
    fact, which nobody states ("the fact that")."""
    if (
        noun.pos_ != "NOUN"
        or noun.lemma_.lower() == "fact"
        or any(c.dep_ == "poss" or c.lower_ == "such" for c in noun.children)
    ):
        return None
    if noun.dep_ == "dobj" and noun.head.pos_ in _VERBS:
        return noun.head
    phrase = noun.head
    if noun.dep_ == "pobj" and phrase.dep_ == "prep" and is_cue(phrase.head):
        return phrase.head
    return None


def _may_hold(head: Token, verb: Token) -> bool:
    """Whether a verb's subject can hold the view its "that" clause states: under a reporting
    verb any noun or name; under another verb, which things take too ("the delay meant
    that", "the rules ensure that"), only who can hold a view (a person, a role, a group or
    body, or a document); a personal pronoun or "who", not "it", "this" or "what"."""
    if head.pos_ == "PRON":
        return _is_person_like(head)
    if head.pos_ not in ("NOUN", "PROPN") or not speaker_like(head):
        return False
    return (
        is_cue(verb)
        or _is_person_like(head)
        or is_document(head)
        or (head.tag_ == "NNS" and head.lemma_.lower().endswith(_AGENT_ENDINGS))
        or head.lemma_.lower() in _BODIES
    )


def _has_clause(tokens: list[Token]) -> bool:
    """Whether the tokens hold a verb with a subject of its own: a clause, not a phrase."""
    return any(t.pos_ in _VERBS and any(c.dep_ in SUBJECT_DEPS for c in t.children) for t in tokens)


def _names_object(root: Token, verb: Token) -> bool:
    """'Quillon described the referee as "Belgian"': quoted words that a verb gives its object as
    a name or label are the subject's words, even when they look like a title."""
    preposition = root.head
    return (
        root.dep_ == "pobj"
        and preposition.lower_ == "as"
        and preposition.head.i == verb.i
        and any(c.dep_ == "dobj" for c in verb.children)
    )


def _reports_clause_after(cue: Token) -> bool:
    """A cue with a clause of its own after it ("say the sale will help"): what it reports."""
    return any(child.dep_ == "ccomp" and child.i > cue.i for child in cue.children)


def _reports_clause_before(cue: Token, start: int) -> bool:
    """A cue reporting a clause between character `start` and it ("The sale closes in May, the
    bank said"), which the parser hangs under the cue or the cue under; an adverbial before
    it ("Later, she said") is no clause."""
    clause_deps = ("ccomp", "parataxis")
    heads = [cue.head] if cue.dep_ in clause_deps and cue.head.pos_ in _VERBS else []
    clauses = heads + [c for c in cue.children if c.dep_ in clause_deps]
    return any(start <= c.idx < cue.idx for c in clauses)


def _bare_plural(head: Token) -> bool:
    """A plural noun with no article or possessive ("analysts", "economists"): a group."""
    return head.tag_ == "NNS" and not any(c.dep_ in ("det", "poss") for c in head.children)


def _reports_in_clause(token: Token) -> bool:
    """A reporting verb that heads a clause of its own, not one inside a noun's modifier or an
    infinitive ("her eagerness to defend the policies", "a man described as"): only such a
    verb makes the words before a quote an attribution rather than the quote's subject."""
    return is_cue(token) and token.dep_ not in _NOUN_MODIFIER_DEPS


def _is_addressee(token: Token, cue: Token) -> bool:
    """Whether the object of a cue is whom the words were told ("she told the crowd"), not what
    was said: a plain noun phrase (no clause in it) as the object of a cue whose object is the
    listener."""
    return (
        token.dep_ == "dobj"
        and object_is_listener(cue)
        and not any(t.pos_ in _VERBS for t in token.subtree)
    )


def _is_person_like(token: Token) -> bool:
    """A word that can name who speaks: a person, organisation or country, a group ("the
    campaign"), a person by role ("the senator"), a personal pronoun, or "who" standing for
    one of those."""
    if token.lower_ == "who" and token.head.dep_ == "relcl":
        token = token.head.head  # "Beck, who has described ...": the noun "who" stands for
    elif token.pos_ == "PRON":
        return token.lower_ in _PERSONAL_PRONOUNS
    return (
        token.ent_type_ in REFERENT_LABELS
        or token.lemma_.lower() in GROUP_NOUNS
        or is_role_noun(token)
    )


def _shows_as_document(speaker: Speaker, verb: Token) -> bool:
    """'The survey showed a "rise in fees" for ...', 'the statement lists her as "cook"': a
    document is the source of what it shows, lists or holds, as the subject of a verb of
    showing or containing; not the noun a past participle describes, which undergoes the
    verb ('a memo described as "explosive"': others describe it)."""
    return (
        verb.lemma_.lower() in _SHOWING_VERBS
        and not (verb.dep_ == "acl" and verb.tag_ == "VBN")
        and is_listing_record(speaker.head)
    )


def _possible_cues(doc: Doc) -> list[int]:
    """Indices of the tokens that can be reporting cues (see `is_cue`): verbs and "according"."""
    pos, lower = doc_column(doc, POS), doc_column(doc, LOWER)
    possible = (pos == VERB) | (pos == AUX) | (lower == doc.vocab.strings["according"])
    return np.flatnonzero(possible).tolist()


def _is_nickname(text: str, quote: QuotedSpan) -> bool:
    """A quoted nickname inside a name (Marcia "Cia" Price), which does not end a region."""
    before = text[max(quote.start - 30, 0) : quote.start - 1]
    after = text[quote.end + 1 : quote.end + 30]
    return (
        quote.closed
        and _NICKNAME.fullmatch(text[quote.start : quote.end]) is not None
        and re.search(r"\b[A-Z][\w.'’-]* $", before) is not None
        and re.match(r" [A-Z]", after) is not None
    )


def _strip_edges(text: str) -> str:
    """Text without surrounding whitespace (any, including no-break spaces) and quote marks."""
    return re.sub(rf"^[\s{_MARK_CHARS}]+|[\s{_MARK_CHARS}]+$", "", text)


def _share_speaker_across_parts(quotes: list[QuotedSpan], direct: dict[int, _Statement]) -> None:
    """Parts of one quotation running over several paragraphs share the attribution found."""
    index = 0
    while index < len(quotes):
        chain = [index]
        while quotes[chain[-1]].continues and chain[-1] + 1 < len(quotes):
            chain.append(chain[-1] + 1)
        parts = [direct[i] for i in chain if i in direct and direct[i].quote_type == "direct"]
        attributed = next((p for p in parts if p.speaker is not None), None)
        if attributed is not None:
            for part in parts:
                if part.speaker is None:
                    part.cue, part.cue_label = attributed.cue, attributed.cue_label
                    part.speaker, part.follows = attributed.speaker, False
        index = chain[-1] + 1


def _paragraph_breaks(text: str) -> int:
    """How many line breaks (paragraphs) `text` crosses: how far a speaker's words carry on."""
    return len(_LINE_BREAK.findall(text))


def _resolve_follow_ons(text: str, statements: list[_Statement]) -> None:
    """An unattributed full quote belongs to the speaker of the statement just before it."""
    last: _Statement | None = None
    for statement in statements:
        if statement.follows and last is not None:
            gap = text[last.end : statement.start]
            reach = 0 if statement.within is not None else _FOLLOW_ON_PARAGRAPHS
            if _paragraph_breaks(gap) <= reach:
                statement.cue, statement.cue_label = last.cue, last.cue_label
                statement.speaker = last.speaker
            statement.follows = False
        if statement.within is not None and statement.speaker is None:
            statement.start, statement.end = statement.within
            statement.quote_type = "scare"
        # A statement nested in the one before it (a label or claim someone else made, quoted
        # inside what the speaker says) leaves the speaker the one who goes on talking.
        inside_last = last is not None and last.start <= statement.start < last.end
        if statement.speaker is not None and not inside_last:
            last = statement


def extract_quotes(doc: Doc) -> Iterator[QuoteRow]:
    """Quote rows of an article, in text order."""
    text = doc_text(doc)
    finder = _QuoteFinder(doc)
    statements = finder.statements()
    # Speakers are resolved in the order they are written, so "he" looks back from where it is.
    coreference = Coreference(doc, [(quote.start, quote.end) for quote in finder.quotes])
    # One resolution per speaker mention: the parts of a statement, and the statements that
    # take their speaker from another, share it, and remembering it twice adds nothing.
    referents = {
        speaker: coreference.resolve(speaker.head, speaker.start, speaker.end, remember=True)
        for speaker in sorted(
            {s.speaker for s in statements if s.speaker is not None}, key=lambda s: (s.start, s.end)
        )
    }
    sentence_starts = [sentence.start_char for sentence in doc.sents]
    for statement in statements:
        start, end = statement.start, statement.end
        trailing = " ,\n" if statement.quote_type == "direct" else " ,.;:\n"
        end = start + len(text[start:end].rstrip(trailing))
        speaker = statement.speaker
        referent = referents.get(speaker)
        entity = referent.entity if referent is not None else None
        antecedent = _unnamed_antecedent(speaker, referent)
        yield QuoteRow(
            quote_text=text[start:end],
            start_char=start,
            end_char=end,
            quote_type=statement.quote_type,
            speaker_text=text[speaker.start : speaker.end] if speaker else None,
            speaker_start=speaker.start if speaker else None,
            speaker_end=speaker.end if speaker else None,
            cue=statement.cue_as_written(),
            sentence_index=max(bisect.bisect_right(sentence_starts, start) - 1, 0),
            speaker_ref_start=entity.start_char if entity is not None else None,
            speaker_ref_end=entity.end_char if entity is not None else None,
            speaker_antecedent_start=antecedent.start if antecedent is not None else None,
            speaker_antecedent_end=antecedent.end if antecedent is not None else None,
        )


def _unnamed_antecedent(speaker: Speaker | None, referent: Referent | None) -> Referent | None:
    """The unnamed speaker named before that a pronoun speaker stands for, if any."""
    if (
        speaker is not None
        and referent is not None
        and referent.entity is None
        and is_pronoun(speaker.head)
        and referent.start != speaker.start
    ):
        return referent
    return None
