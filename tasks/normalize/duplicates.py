"""Duplicate articles (exact, near-equal, contained) and stories (articles on the same news event).

Each article is first summarised by article_features (in the worker that parsed it, or from
a published body): the hash of its token sequence, its hashed word 5-grams and its weighted
word vector, as flat Arrow/numpy arrays, so relating a corpus holds a few kilobytes per article
instead of its text and Python sets.

Duplicates. A body becomes the set of hashed word 5-grams (lowercased `\\w+` tokens, so quote
styles and spacing do not matter). Equal token sequences are exact duplicates. For the rest, a
fixed sample of each set (the 5-grams whose hash is 0 mod 4, Broder's mod-m sampling, so two
texts keep the same 5-grams where they overlap) goes into an inverted index; pairs sharing
sampled 5-grams are candidates and are checked on the full sets. The smaller article is a
duplicate when at least 80 % of its 5-grams are in the other (CONTAINMENT_THRESHOLD). Its
original: for near-equal sizes (ratio >= 0.9) the earlier published, else the smaller
source_uri; otherwise the containing (larger) article. Chains are followed to their root.
Linear in the corpus except for the candidate pairs; posting lists longer than 200
(boilerplate shared by many pages) are skipped.

Stories. Two articles are linked when (a) one is a duplicate of the other or at least 50 % of
the smaller's 5-grams are in the other, or (b) their word vectors have cosine >= 0.16, they
share an entity key when both have some, and they were filed at most 7 days apart: by their
published dates when both are dated, else by the day of the year of their date or of a wire
dateline's month and day ("PORT ELLIS, Oct 9 -", stated with no year), when both have one.
When either is undated, a shared key that is the place of an article's dateline must also be
named in its prose (a wire service files every item from a few cities).
(b) links are taken strongest first and join two stories only when each article also has
cosine >= 0.16 with the other story's centroid (no chaining snowball).
Word vectors weight each word (3+ letters) by (1 + log tf) * idf**2 with
idf = max(0, 6 - Zipf frequency) from wordfreq's general-English frequencies, so words every
text uses weigh nothing and a batch of five articles is scored like a batch of a million.
They leave out a genre's formatting, which every item of it repeats: paragraphs that are
table rows, form fields or labels, and the unit of each amount ("mln dlrs", "pct"). Every
rule reads one article or one pair, never counts over the corpus, so a story's grouping does
not change as the corpus grows.
Candidates for (b) are pairs sharing two of their 30 heaviest words. Stories are the
connected components of links; story_id is "s" + the article_id hex of the earliest member
(earliest published date, undated last, then smallest source_uri).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SHINGLE_WORDS = 5
SAMPLE_MODULUS = 4
CONTAINMENT_THRESHOLD = 0.8
NEAR_EQUAL_SIZE_RATIO = 0.9
MAX_POSTING = 200
STORY_CONTAINMENT = 0.5
STORY_COSINE = 0.16
STORY_WINDOW_DAYS = 7
SIGNATURE_WORDS = 30
SIGNATURE_SHARED = 2

_TOKEN = re.compile(r"\w+")
_WORD = re.compile(r"[^\W\d_]{3,}")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Amounts spelled out, and the scales that may follow a figure before its unit.
_NUMBER_WORDS = frozenset(
    {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"}
    | {"twelve", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
    | {"hundred", "several", "few"}
)
_NUMBER_SCALES = frozenset(
    {"hundred", "thousand", "million", "billion", "trillion", "mln", "bln", "mn", "bn"}
)
_SCALE = "(?:" + "|".join(sorted(_NUMBER_SCALES)) + r")\b"
# The units news writes after an amount: currencies (and the wire's abbreviations of them),
# shares of a whole and measures. A word after a figure is often no unit ("Category 5
# hurricane", "killed 12 villagers", "10 Downing Street"), so only these are.
_UNITS = frozenset(
    {"dlrs", "dlr", "dollars", "dollar", "cts", "cents", "stg", "pounds", "pence", "yen"}
    | {"euros", "euro", "francs", "marks", "yuan", "rupees", "pct", "percent", "points"}
    | {"tonnes", "tons", "barrels", "bpd", "ounces", "acres", "hectares", "miles", "kilometres"}
)
# An amount with its unit: a figure (not a year: a year names a time, it counts nothing; not
# part of a compound or a code such as "Covid-19" or "A-380") or a spelled-out number before
# a scale, then the scale, then the unit. The look-behind lets a run of digits start one
# match only, not one at each of its characters.
_AMOUNT = re.compile(
    r"(?:(?<![\w.,/-])(?!(?:1[89]|20)\d\d\b)\d[\d.,/-]*(?![\w-])"
    rf"|\b(?:{'|'.join(sorted(_NUMBER_WORDS))})(?=\s+{_SCALE}))"
    rf"(?:\s+{_SCALE})?(?:\s+(?:{'|'.join(sorted(_UNITS))})\b)?"
)
_AMOUNT_WORDS = _NUMBER_SCALES | _UNITS
# A table row, a form field or a label is one line of a few words; a paragraph longer than
# this is prose, however it ends (a feed item cut off at "[+1890 chars]" or before a colon).
_FORMATTING_MAX_WORDS = 12
_ARTICLE_COLUMNS = ["article_id", "source_uri", "published_date"]
# Earlier published first (undated last), then smaller source_uri, then id.
_CORPUS_ORDER = [
    ("published_date", "ascending", "at_end"),
    ("source_uri", "ascending", "at_end"),
    ("article_id", "ascending", "at_end"),
]

FEATURES_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source_uri", pa.string(), nullable=False),
        pa.field("published_date", pa.date32()),
        pa.field("tokens_digest", pa.binary(16), nullable=False),  # equal token sequences
        pa.field("shingles", pa.list_(pa.uint64()), nullable=False),  # sorted, distinct
        pa.field("words", pa.list_(pa.uint64()), nullable=False),  # sorted word hashes
        pa.field("weights", pa.list_(pa.float64()), nullable=False),  # unit vector over words
        pa.field("signature", pa.list_(pa.uint64()), nullable=False),  # heaviest words
        # Day of the year (1-366) of a wire dateline's month and day, stated with no year
        # ("PORT ELLIS, Oct 9 -"); null without one (and in features kept before it).
        pa.field("dateline_day", pa.int16()),
        # The name of the place of its dateline (_name_hash); null without one (and in
        # features kept before it).
        pa.field("dateline_place", pa.uint64()),
    ]
)


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


@lru_cache(maxsize=65536)
def _word_hash(word: str) -> int:
    return _hash(word)


def _name_hash(name: str) -> int:
    """A place or entity name's hash, whatever its case and punctuation."""
    return _hash(" ".join(_WORD.findall(name.lower())))


@lru_cache(maxsize=65536)
def _word_weight(word: str) -> float:
    # Imported at the first word, not with this module: wordfreq finds its data through
    # inspect.stack(), whose cost grows with every module loaded before (0.1 s in the flow's
    # process, which weighs no words: the workers do).
    from wordfreq import zipf_frequency

    return max(0.0, 6.0 - zipf_frequency(word, "en")) ** 2


def _mixed(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every bit of the result depends on every bit of the input, so
    the sample (hash mod 4) is not decided by a few tokens' low bits."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def _shingles(tokens: list[str]) -> np.ndarray:
    """The distinct hashes of the body's word 5-grams (one hash for a shorter body)."""
    if len(tokens) < SHINGLE_WORDS:
        hashes = [_hash(" ".join(tokens))] if tokens else []
        return np.array(hashes, dtype=np.uint64)
    token_hashes = np.fromiter((_word_hash(t) for t in tokens), np.uint64, len(tokens))
    count = len(tokens) - SHINGLE_WORDS + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE_WORDS):
        # A polynomial in the token hashes: word order matters ("a b" and "b a" differ).
        combined = combined * np.uint64(0x9E3779B97F4A7C15) + token_hashes[offset : offset + count]
    return np.unique(_mixed(combined))


def _is_formatting(paragraph: str) -> bool:
    """Whether a paragraph is a table row, a form field or a label rather than prose: it ends
    as no sentence does and holds a figure ("Net 4.1 mln vs 3.9 mln", "Pay April 2", "Loss
    two cts vs nine cts") or is a word or two ("Year", a sign-off). Such paragraphs are the
    layout of a genre, alike in every results table or notice, and tell nothing of which
    event a report is about."""
    # Imported here, as in article_features: the flow's process relates articles without
    # loading the cleaning's models.
    from tasks.clean.text_dump import ends_sentence

    stripped = paragraph.strip()
    if len(stripped.split()) > _FORMATTING_MAX_WORDS or ends_sentence(stripped):
        return False
    tokens = _TOKEN.findall(stripped.lower())
    return len(tokens) <= 2 or any(t[0].isdigit() or t in _NUMBER_WORDS for t in tokens)


def _story_words(body: str, dateline_end: int) -> Counter[str]:
    """The body's words (3+ letters, lowercased, counted) outside its dateline and its formatting
    paragraphs, without the words it uses only as units of amounts: after a figure, or after
    its scale, wherever it writes them ("40 mln yen", "2.75 dlrs", "6 pct"). Units say how
    much, not what happened, and a genre repeats its own on every item (wire copy's "dlrs",
    "mln" and "pct", rare in general English and so the heaviest words of any finance item);
    a word also written without a figure ("9 tonnes ... tonnes of grain") is the article's
    subject and stays."""
    # A dateline names where and when the correspondent filed, not what happened.
    body = body[dateline_end:]
    prose = "\n".join(p for p in _PARAGRAPH_BREAK.split(body) if not _is_formatting(p))
    prose = prose.lower()
    counts = Counter(_WORD.findall(prose))
    if _AMOUNT_WORDS.isdisjoint(counts):  # no unit or scale to look for (most prose)
        return counts
    as_units = Counter(w for amount in _AMOUNT.findall(prose) for w in _WORD.findall(amount))
    for word, times in as_units.items():
        if times >= counts[word]:
            del counts[word]
    return counts


def _word_vector(counts: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
    """(sorted word hashes, unit-length weights) of the weighted words counted in `counts`."""
    weighted = [(w, (1 + math.log(n)) * _word_weight(w)) for w, n in counts.items()]
    weighted = [(_word_hash(w), value) for w, value in weighted if value > 0]
    words = np.array([h for h, _ in weighted], dtype=np.uint64)
    weights = np.array([value for _, value in weighted], dtype=np.float64)
    order = np.argsort(words)
    norm = math.sqrt(float(weights @ weights)) or 1.0
    return words[order], weights[order] / norm


def _year_day(month_day: tuple[int, int] | None) -> int | None:
    """The day of a leap year (1-366) of a month and day, or None if there is no such day."""
    if month_day is None:
        return None
    month, day = month_day
    if day > _LEAP_YEAR_MONTH_LENGTHS[month - 1]:
        return None
    return int(_LEAP_YEAR_MONTH_STARTS[month - 1]) + day


def article_features(articles: pa.Table) -> pa.Table:
    """What relating articles needs of each (FEATURES_SCHEMA), from a table with article_id,
    source_uri, published_date and body."""
    # Imported here: this runs in the workers, and the flow's process, which relates the
    # articles, would otherwise load the cleaning's models (trafilatura, py3langid) at start.
    from tasks.clean.metadata import dateline_parts

    columns: dict[str, list] = {name: [] for name in FEATURES_SCHEMA.names[3:]}
    for body in articles.column("body").to_pylist():
        tokens = _TOKEN.findall(body.lower())
        dateline_end, place, month_day = dateline_parts(body)
        words, weights = _word_vector(_story_words(body, dateline_end))
        heaviest = np.lexsort((words, -weights))[:SIGNATURE_WORDS]
        columns["tokens_digest"].append(
            hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=16).digest()
        )
        columns["shingles"].append(_shingles(tokens))
        columns["words"].append(words)
        columns["weights"].append(weights)
        columns["signature"].append(np.sort(words[heaviest]))
        columns["dateline_day"].append(_year_day(month_day))
        columns["dateline_place"].append(None if place is None else _name_hash(place))
    arrays = [articles.column(name) for name in _ARTICLE_COLUMNS]
    for name in FEATURES_SCHEMA.names[3:]:
        field = FEATURES_SCHEMA.field(name)
        arrays.append(pa.array(columns[name], field.type))
    return pa.Table.from_arrays(arrays, schema=FEATURES_SCHEMA)


class _Ragged:
    """One list column as a flat numpy array and offsets, read in the corpus's order."""

    def __init__(self, column: pa.ChunkedArray, order: np.ndarray):
        lengths = pc.list_value_length(column).to_numpy(zero_copy_only=False)
        self._values = pc.list_flatten(column).to_numpy(zero_copy_only=False)
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        self._starts, self._ends = offsets[:-1][order], offsets[1:][order]

    def __getitem__(self, index: int) -> np.ndarray:
        return self._values[self._starts[index] : self._ends[index]]

    def size(self, index: int) -> int:
        return int(self._ends[index] - self._starts[index])


class _Postings:
    """An inverted index from keys (5-gram or word hashes) to sorted article positions."""

    def __init__(self, keys_of: Sequence[np.ndarray], positions: np.ndarray):
        """`keys_of[n]`: the keys of the article at positions[n]."""
        keys = np.concatenate(keys_of) if len(keys_of) else np.zeros(0, np.uint64)
        positions = np.repeat(positions, [len(keys) for keys in keys_of])
        order = np.lexsort((positions, keys))
        keys, self._members = keys[order], positions[order]
        boundaries = np.flatnonzero(keys[1:] != keys[:-1]) + 1
        self._keys = keys[np.concatenate(([0], boundaries))] if len(keys) else keys
        self._offsets = np.concatenate(([0], boundaries, [len(keys)])).astype(np.int64)

    def sharing(self, keys: np.ndarray, position: int) -> tuple[np.ndarray, np.ndarray]:
        """(other positions, how many of `keys` each shares) over keys whose posting list is
        at most MAX_POSTING long."""
        slots = np.minimum(np.searchsorted(self._keys, keys), max(len(self._keys) - 1, 0))
        slots = slots[self._keys[slots] == keys] if len(self._keys) else slots[:0]
        starts, ends = self._offsets[slots], self._offsets[slots + 1]
        lengths = ends - starts
        wanted = (lengths > 1) & (lengths <= MAX_POSTING)
        starts, lengths = starts[wanted], lengths[wanted]
        shift = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        members = self._members[np.arange(int(lengths.sum())) + shift]
        return np.unique(members[members != position], return_counts=True)


class _Corpus:
    """Articles in a fixed order (independent of input order) with their features."""

    def __init__(
        self,
        features: pa.Table,
        story_entities: pa.Table,
        settled: Mapping[str, str],
        names: Mapping[str, str],
    ):
        features = features.combine_chunks()
        order = pc.sort_indices(features, sort_keys=_CORPUS_ORDER).to_numpy()
        self.ids: list[str] = features.column("article_id").take(order).to_pylist()
        self.settled = np.array([identifier in settled for identifier in self.ids], dtype=bool)
        days = features.column("published_date").take(order)
        self.dated = pc.is_valid(days).to_numpy(zero_copy_only=False)
        self.days = pc.fill_null(days.cast(pa.int32()), 0).to_numpy(zero_copy_only=False)
        self.year_days = _year_days(days, features.column("dateline_day").take(order))
        self.dateline_places = pc.fill_null(
            features.column("dateline_place").take(order), 0
        ).to_numpy(zero_copy_only=False)
        self.shingles = _Ragged(features.column("shingles"), order)
        self.words = _Ragged(features.column("words"), order)
        self.weights = _Ragged(features.column("weights"), order)
        self.signatures = _Ragged(features.column("signature"), order)
        self.entity_keys, self._entity_ids = _entity_keys(story_entities, self.ids)
        self._names = names
        self._name_hashes: dict[int, int] = {}
        digests = features.column("tokens_digest").take(order).to_pylist()
        groups: dict[bytes, list[int]] = defaultdict(list)
        for index, digest in enumerate(digests):
            groups[digest].append(index)
        self.exact_groups = list(groups.values())  # positions of equal token sequences
        self.representatives = np.array([group[0] for group in self.exact_groups], np.int64)
        # (i, j, containment) of representatives i < j with containment >= STORY_CONTAINMENT:
        # below it, neither duplicates nor stories use the overlap.
        self.overlaps = list(self._overlapping_pairs())

    def __len__(self) -> int:
        return len(self.ids)

    def _overlapping_pairs(self) -> Iterator[tuple[int, int, float]]:
        samples = []
        for index in self.representatives:
            shingles = self.shingles[index]
            sample = shingles[shingles % np.uint64(SAMPLE_MODULUS) == 0]
            samples.append(sample if len(sample) else shingles)
        postings = _Postings(samples, self.representatives)
        pairs = []
        for i, sample in zip(self.representatives.tolist(), samples, strict=True):
            if not self.settled[i]:
                candidates, _shared = postings.sharing(sample, i)
                pairs.extend(self.new_pairs(i, candidates))
        for i, j in sorted(pairs):
            smaller = min(self.shingles.size(i), self.shingles.size(j))
            common = np.intersect1d(self.shingles[i], self.shingles[j], assume_unique=True)
            if smaller and len(common) >= STORY_CONTAINMENT * smaller:
                yield i, j, len(common) / smaller

    def new_pairs(self, i: int, candidates: np.ndarray) -> Iterator[tuple[int, int]]:
        """(smaller, larger position) of new article i with each candidate, each pair once:
        a pair of two settled articles is never compared again, so the work of a run grows
        with its new articles, not with what is published."""
        for j in candidates.tolist():
            if self.settled[j] or j > i:
                yield min(i, j), max(i, j)

    def within_window(self, i: int, j: int) -> bool:
        """Published at most STORY_WINDOW_DAYS apart; when either is undated, filed at most
        that many days apart in the year by their dates or datelines (two reports of one
        event are filed within days of each other, whatever the year), or either unknown."""
        if self.dated[i] and self.dated[j]:
            return abs(int(self.days[i]) - int(self.days[j])) <= STORY_WINDOW_DAYS
        left, right = int(self.year_days[i]), int(self.year_days[j])
        if not left or not right:
            return True
        apart = abs(left - right)
        return min(apart, 366 - apart) <= STORY_WINDOW_DAYS

    def share_entities(self, i: int, j: int) -> bool:
        """True unless both articles have entity keys and none in common. A pair with an
        undated article has no exact time window to keep two happenings told in alike words
        apart, so a shared key that is the place of an article's dateline counts only if that
        article also names it in its prose: a wire service files every item from a few
        cities."""
        left, right = self.entity_keys[i], self.entity_keys[j]
        if not len(left) or not len(right):
            return True
        shared = np.intersect1d(left, right, assume_unique=True)
        if self.dated[i] and self.dated[j]:
            return bool(len(shared))
        return any(self._in_prose(i, k) and self._in_prose(j, k) for k in shared.tolist())

    def _in_prose(self, index: int, key: int) -> bool:
        """False when entity key is the article's dateline place and no word of its name is
        among the article's story words (which leave the dateline out)."""
        if key not in self._name_hashes:
            self._name_hashes[key] = _name_hash(self._names.get(self._entity_ids[key].as_py(), ""))
        if self._name_hashes[key] != self.dateline_places[index]:
            return True
        name = self._names.get(self._entity_ids[key].as_py(), "").lower()
        name_words = _word_vector(Counter(_WORD.findall(name)))[0]
        return bool(len(np.intersect1d(name_words, self.words[index], assume_unique=True)))


# The day before each month's first in a leap year.
_LEAP_YEAR_MONTH_LENGTHS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_LEAP_YEAR_MONTH_STARTS = np.cumsum((0, *_LEAP_YEAR_MONTH_LENGTHS[:-1]))


def _year_days(days: pa.ChunkedArray, dateline_days: pa.ChunkedArray) -> np.ndarray:
    """Each article's day of a leap year (1-366) by its published date, else by its dateline's
    month and day; 0 when it has neither."""
    months = pc.fill_null(pc.month(days), 1).to_numpy(zero_copy_only=False)
    by_date = _LEAP_YEAR_MONTH_STARTS[months - 1] + pc.fill_null(pc.day(days), 0).to_numpy(
        zero_copy_only=False
    )
    by_dateline = pc.fill_null(dateline_days, 0).to_numpy(zero_copy_only=False)
    return np.where(pc.is_valid(days).to_numpy(zero_copy_only=False), by_date, by_dateline)


def _entity_keys(story_entities: pa.Table, ids: list[str]) -> tuple[_Ragged, pa.Array]:
    """Each article's distinct entity ids, as integer codes, by corpus position, and the
    entity id of each code."""
    position = pc.index_in(
        story_entities.column("article_id"), value_set=pa.array(ids, pa.string())
    )
    keep = pc.is_valid(position)
    positions = pc.filter(position, keep).to_numpy(zero_copy_only=False)
    entity = pc.filter(story_entities.column("entity_id"), keep)
    encoded = pc.dictionary_encode(entity).combine_chunks()
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    pairs = np.unique(np.stack([positions.astype(np.int64), codes]), axis=1)
    counts = np.bincount(pairs[0], minlength=len(ids))
    lists = pa.ListArray.from_arrays(
        pa.array(np.concatenate(([0], np.cumsum(counts))).astype(np.int32)),
        pa.array(pairs[1]),
    )
    return _Ragged(pa.chunked_array([lists]), np.arange(len(ids))), encoded.dictionary


def relate_features(
    features: pa.Table,
    story_entities: pa.Table,
    settled: Mapping[str, str],
    names: Mapping[str, str],
) -> tuple[dict[str, str], dict[str, str]]:
    """Duplicates (article_id -> article_id of its original; only duplicates appear) and
    stories (article_id -> story_id, for every article) of the articles in `features`.

    `story_entities` holds (article_id, entity_id) pairs of the entities that make two
    articles' casts comparable, and `names` their canonical names (by entity_id; a pair
    with an undated article is not tied by the place of a dateline alone). `settled` maps
    the articles whose story is already decided (published) to their story_id: they keep
    it, pairs of two settled articles are not compared again (so adding articles costs about
    as many comparisons as they take part in), a new article related to a settled story
    joins it, and two settled stories are never merged.
    """
    corpus = _Corpus(features, story_entities, settled, names)
    return _duplicates(corpus), _stories(corpus, settled)


def _duplicates(corpus: _Corpus) -> dict[str, str]:
    parent: dict[int, int] = {}
    for group in corpus.exact_groups:
        # Groups list members in corpus order: the first is the original.
        parent.update({member: group[0] for member in group[1:]})
    for a, b, containment in corpus.overlaps:
        if containment < CONTAINMENT_THRESHOLD:
            continue
        # a precedes b in corpus order
        size_a, size_b = corpus.shingles.size(a), corpus.shingles.size(b)
        if min(size_a, size_b) >= NEAR_EQUAL_SIZE_RATIO * max(size_a, size_b):
            duplicate, original = b, a
        else:
            duplicate, original = (a, b) if size_a < size_b else (b, a)
        best = parent.get(duplicate)
        if best is None or _original_rank(corpus, original) < _original_rank(corpus, best):
            parent[duplicate] = original
    return {corpus.ids[index]: corpus.ids[_root(parent, index)] for index in parent}


def _original_rank(corpus: _Corpus, index: int) -> tuple[int, int]:
    """Prefer the largest containing article, then the earliest in corpus order."""
    return (-corpus.shingles.size(index), index)


def _root(parent: Mapping[int, int], index: int) -> int:
    seen = {index}
    while index in parent and parent[index] not in seen:
        index = parent[index]
        seen.add(index)
    return index


_Vector = tuple[np.ndarray, np.ndarray]  # sorted word hashes, weights


def _cosine(left: _Vector, right: _Vector) -> float:
    if len(left[0]) > len(right[0]):
        left, right = right, left
    if not len(left[0]):
        return 0.0
    at_right = np.minimum(np.searchsorted(right[0], left[0]), len(right[0]) - 1)
    common = right[0][at_right] == left[0]
    return float(left[1][common] @ right[1][at_right[common]])


def _sum(left: _Vector, right: _Vector) -> _Vector:
    words, where = np.unique(np.concatenate((left[0], right[0])), return_inverse=True)
    return words, np.bincount(where, np.concatenate((left[1], right[1])), len(words))


def _normalised(vector: _Vector) -> _Vector:
    norm = math.sqrt(float(vector[1] @ vector[1])) or 1.0
    return vector[0], vector[1] / norm


def _stories(corpus: _Corpus, settled: Mapping[str, str]) -> dict[str, str]:
    component = list(range(len(corpus)))
    fixed: dict[int, str] = {}  # root -> story_id of a component holding settled articles
    # Unnormalised centroids of stories of several articles, by root; a single article's
    # centroid is its own vector.
    centroids: dict[int, _Vector] = {}

    def find(index: int) -> int:
        while component[index] != index:
            component[index] = component[component[index]]
            index = component[index]
        return index

    def vector(index: int) -> _Vector:
        return corpus.words[index], corpus.weights[index]

    def centroid(root: int) -> _Vector:
        return centroids[root] if root in centroids else vector(root)

    def link(i: int, j: int) -> None:
        root_i, root_j = find(i), find(j)
        if root_i == root_j or (root_i in fixed and root_j in fixed):
            return
        # The earlier article (in corpus order) names the story, unless it is settled.
        component[max(root_i, root_j)] = min(root_i, root_j)
        story = fixed.pop(root_i, None) or fixed.pop(root_j, None)
        if story is not None:
            fixed[min(root_i, root_j)] = story

    settled_stories: dict[str, list[int]] = defaultdict(list)
    for index in np.flatnonzero(corpus.settled).tolist():
        settled_stories[settled[corpus.ids[index]]].append(index)
    for story, indices in settled_stories.items():
        root = indices[0]
        total = vector(root)
        for index in indices[1:]:
            link(root, index)
            total = _sum(total, vector(index))
        if len(indices) > 1:
            centroids[root] = total
        fixed[root] = story

    for group in corpus.exact_groups:
        for member in group[1:]:
            link(group[0], member)
    for i, j, _containment in corpus.overlaps:
        link(i, j)

    signatures = [corpus.signatures[index] for index in range(len(corpus))]
    postings = _Postings(signatures, np.arange(len(corpus)))
    scored = []
    for new in np.flatnonzero(~corpus.settled).tolist():
        candidates, shared = postings.sharing(signatures[new], new)
        for i, j in corpus.new_pairs(new, candidates[shared >= SIGNATURE_SHARED]):
            # Already one story: the link could add nothing (stories only grow).
            if find(i) == find(j):
                continue
            if not corpus.within_window(i, j) or not corpus.share_entities(i, j):
                continue
            similarity = _cosine(vector(i), vector(j))
            if similarity >= STORY_COSINE:
                scored.append((-similarity, i, j))
    # Strongest links first; a link joins two stories only if each article is also close to
    # the other story's centroid, so a chain of loosely related articles does not snowball.
    for _negative, i, j in sorted(scored):
        root_i, root_j = find(i), find(j)
        if root_i == root_j or (root_i in fixed and root_j in fixed):
            continue
        if (
            _cosine(vector(i), _normalised(centroid(root_j))) >= STORY_COSINE
            and _cosine(vector(j), _normalised(centroid(root_i))) >= STORY_COSINE
        ):
            merged = _sum(centroid(root_i), centroid(root_j))
            centroids.pop(root_i, None)
            centroids.pop(root_j, None)
            link(i, j)
            centroids[find(i)] = merged
    return {
        identifier: fixed.get(find(index)) or "s" + corpus.ids[find(index)][1:]
        for index, identifier in enumerate(corpus.ids)
    }
