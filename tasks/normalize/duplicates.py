"""Duplicate articles (exact, near-equal, contained) and stories (articles on the same news event).

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
share an entity key when both have some, and, when both are dated, they were published at
most 7 days apart; (b) links are taken strongest first and join two stories only when each
article also has cosine >= 0.16 with the other story's centroid (no chaining snowball).
Word vectors weight each word (3+ letters) by (1 + log tf) * idf**2 with
idf = max(0, 6 - Zipf frequency) from wordfreq's general-English frequencies, so words every
text uses weigh nothing and a batch of five articles is scored like a batch of a million.
Candidates for (b) are pairs sharing two of their 30 heaviest words. Stories are the
connected components of links; story_id is "s" + the article_id hex of the earliest member
(earliest published date, undated last, then smallest source_uri).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import combinations

from wordfreq import zipf_frequency

from tasks.records import Article

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


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def _shingles(body: str) -> frozenset[int]:
    tokens = _TOKEN.findall(body.lower())
    if len(tokens) < SHINGLE_WORDS:
        return frozenset([_hash(" ".join(tokens))]) if tokens else frozenset()
    return frozenset(
        _hash(" ".join(tokens[i : i + SHINGLE_WORDS]))
        for i in range(len(tokens) - SHINGLE_WORDS + 1)
    )


def _order_key(article: Article) -> tuple[date, str, str]:
    """Earlier published first (undated last), then smaller source_uri, then id."""
    return (article.published_date or date.max, article.source_uri, article.article_id)


def _overlapping_pairs(
    shingle_sets: Sequence[frozenset[int]], settled: Sequence[bool]
) -> Iterable[tuple[int, int, float]]:
    """(i, j, share of the smaller set's shingles in the other) for pairs that overlap and are
    not both settled."""
    postings: dict[int, list[int]] = defaultdict(list)
    for index, shingles in enumerate(shingle_sets):
        sample = {s for s in shingles if s % SAMPLE_MODULUS == 0} or set(shingles)
        for shingle in sample:
            postings[shingle].append(index)
    candidates: set[tuple[int, int]] = set()
    for members in postings.values():
        if 1 < len(members) <= MAX_POSTING:
            candidates.update(combinations(members, 2))
    for i, j in sorted(candidates):
        if settled[i] and settled[j]:
            continue
        smaller = min(len(shingle_sets[i]), len(shingle_sets[j]))
        if smaller:
            yield i, j, len(shingle_sets[i] & shingle_sets[j]) / smaller


@dataclass(frozen=True)
class _Corpus:
    """Articles in a fixed order (independent of input order) with their 5-gram sets."""

    articles: list[Article]
    settled: list[bool]  # published already: its relations are not recomputed
    shingles: list[frozenset[int]]
    exact_groups: list[list[int]]  # indices of articles with equal token sequences
    representatives: list[int]  # one index per exact group
    # (i, j, containment) of representatives[i] and representatives[j] sharing 5-grams
    overlaps: list[tuple[int, int, float]]


def _corpus(articles: Sequence[Article], settled: Mapping[str, str]) -> _Corpus:
    ordered = sorted(articles, key=_order_key)
    is_settled = [article.article_id in settled for article in ordered]
    shingles = [_shingles(article.body) for article in ordered]
    groups: dict[str, list[int]] = defaultdict(list)
    for index, article in enumerate(ordered):
        groups[" ".join(_TOKEN.findall(article.body.lower()))].append(index)
    exact_groups = list(groups.values())
    representatives = [group[0] for group in exact_groups]
    overlaps = list(
        _overlapping_pairs(
            [shingles[index] for index in representatives],
            [is_settled[index] for index in representatives],
        )
    )
    return _Corpus(ordered, is_settled, shingles, exact_groups, representatives, overlaps)


def relate_articles(
    articles: Sequence[Article],
    entity_keys: Mapping[str, set[str]],
    settled: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """find_duplicates and assign_stories at once, sharing the 5-gram index they both need.

    `settled` maps the articles whose story is already decided (published) to their story_id:
    they keep it, pairs of two settled articles are not compared again (so adding articles
    costs about as many comparisons as they take part in), a new article related to a settled
    story joins it, and two settled stories are never merged.
    """
    corpus = _corpus(articles, settled or {})
    return _duplicates(corpus), _stories(corpus, entity_keys, settled or {})


def find_duplicates(articles: Sequence[Article]) -> dict[str, str]:
    """article_id -> article_id of the article it duplicates or is contained in.

    Only duplicates appear as keys.
    """
    return _duplicates(_corpus(articles, {}))


def _duplicates(corpus: _Corpus) -> dict[str, str]:
    parent: dict[int, int] = {}
    for group in corpus.exact_groups:
        # Groups list members in _order_key order: the first is the original.
        parent.update({member: group[0] for member in group[1:]})
    representatives = corpus.representatives
    for i, j, containment in corpus.overlaps:
        if containment < CONTAINMENT_THRESHOLD:
            continue
        a, b = representatives[i], representatives[j]  # a precedes b in _order_key order
        size_a, size_b = len(corpus.shingles[a]), len(corpus.shingles[b])
        if min(size_a, size_b) >= NEAR_EQUAL_SIZE_RATIO * max(size_a, size_b):
            duplicate, original = b, a
        else:
            duplicate, original = (a, b) if size_a < size_b else (b, a)
        best = parent.get(duplicate)
        if best is None or _original_rank(corpus, original) < _original_rank(corpus, best):
            parent[duplicate] = original
    return {
        corpus.articles[index].article_id: corpus.articles[_root(parent, index)].article_id
        for index in parent
    }


def _original_rank(corpus: _Corpus, index: int) -> tuple[int, int]:
    """Prefer the largest containing article, then the earliest in _order_key order."""
    return (-len(corpus.shingles[index]), index)


def _root(parent: Mapping[int, int], index: int) -> int:
    seen = {index}
    while index in parent and parent[index] not in seen:
        index = parent[index]
        seen.add(index)
    return index


@lru_cache(maxsize=65536)
def _word_weight(word: str) -> float:
    return max(0.0, 6.0 - zipf_frequency(word, "en")) ** 2


def _word_vector(body: str) -> dict[str, float]:
    counts = Counter(_WORD.findall(body.lower()))
    vector = {w: (1 + math.log(n)) * _word_weight(w) for w, n in counts.items()}
    norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
    return {w: value / norm for w, value in vector.items() if value > 0}


def _cosine(left: Mapping[str, float], right: Mapping[str, float]) -> float:
    if len(left) > len(right):
        left, right = right, left
    return sum(value * right.get(word, 0.0) for word, value in left.items())


def _normalised(vector: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
    return {word: value / norm for word, value in vector.items()}


def _within_window(left: Article, right: Article) -> bool:
    if left.published_date is None or right.published_date is None:
        return True
    return abs((left.published_date - right.published_date).days) <= STORY_WINDOW_DAYS


def assign_stories(
    articles: Sequence[Article], entity_keys: Mapping[str, set[str]]
) -> dict[str, str]:
    """article_id -> story_id for every article.

    entity_keys maps article_id -> its canonical entity ids (may be empty sets).
    """
    return _stories(_corpus(articles, {}), entity_keys, {})


def _shared_words(
    signatures: Sequence[list[str]], postings: Mapping[str, list[int]]
) -> Iterator[tuple[int, int, int]]:
    """(i, j, signature words they share) for i < j sharing one, one article at a time: the
    pairs of a whole corpus at once would grow faster than the corpus."""
    for i, signature in enumerate(signatures):
        shared = Counter(
            j
            for word in signature
            if len(postings[word]) <= MAX_POSTING
            for j in postings[word]
            if j > i
        )
        for j, count in sorted(shared.items()):
            yield i, j, count


def _stories(
    corpus: _Corpus, entity_keys: Mapping[str, set[str]], settled: Mapping[str, str]
) -> dict[str, str]:
    ordered = corpus.articles
    component = list(range(len(ordered)))
    fixed: dict[int, str] = {}  # root -> story_id of a component holding settled articles

    def find(index: int) -> int:
        while component[index] != index:
            component[index] = component[component[index]]
            index = component[index]
        return index

    def link(i: int, j: int) -> None:
        root_i, root_j = find(i), find(j)
        if root_i == root_j or (root_i in fixed and root_j in fixed):
            return
        # The earlier article (in _order_key order) names the story, unless it is settled.
        component[max(root_i, root_j)] = min(root_i, root_j)
        story = fixed.pop(root_i, None) or fixed.pop(root_j, None)
        if story is not None:
            fixed[min(root_i, root_j)] = story

    vectors = [_word_vector(article.body) for article in ordered]
    centroids = {index: dict(vector) for index, vector in enumerate(vectors)}
    settled_stories: dict[str, list[int]] = defaultdict(list)
    for index, article in enumerate(ordered):
        if corpus.settled[index]:
            settled_stories[settled[article.article_id]].append(index)
    for story, indices in settled_stories.items():
        root = indices[0]
        for index in indices[1:]:
            link(root, index)
            for word, value in centroids.pop(index).items():
                centroids[root][word] = centroids[root].get(word, 0.0) + value
        fixed[root] = story

    for group in corpus.exact_groups:
        for member in group[1:]:
            link(group[0], member)
    representatives = corpus.representatives
    for i, j, containment in corpus.overlaps:
        if containment >= STORY_CONTAINMENT:
            link(representatives[i], representatives[j])

    signatures = [
        sorted(vector, key=lambda word: (-vector[word], word))[:SIGNATURE_WORDS]
        for vector in vectors
    ]
    postings: dict[str, list[int]] = defaultdict(list)
    for index, signature in enumerate(signatures):
        for word in signature:
            postings[word].append(index)
    scored = []
    for i, j, count in _shared_words(signatures, postings):
        left, right = ordered[i], ordered[j]
        keys_left = entity_keys.get(left.article_id, set())
        keys_right = entity_keys.get(right.article_id, set())
        if count < SIGNATURE_SHARED or (corpus.settled[i] and corpus.settled[j]):
            continue
        if not _within_window(left, right):
            continue
        if keys_left and keys_right and not keys_left & keys_right:
            continue
        similarity = _cosine(vectors[i], vectors[j])
        if similarity >= STORY_COSINE:
            scored.append((-similarity, i, j))
    # Strongest links first; a link joins two stories only if each article is also close to
    # the other story's centroid, so a chain of loosely related articles does not snowball.
    for _negative, i, j in sorted(scored):
        root_i, root_j = find(i), find(j)
        if root_i == root_j or (root_i in fixed and root_j in fixed):
            continue
        if (
            _cosine(vectors[i], _normalised(centroids[root_j])) >= STORY_COSINE
            and _cosine(vectors[j], _normalised(centroids[root_i])) >= STORY_COSINE
        ):
            merged = centroids.pop(root_i)
            for word, value in centroids.pop(root_j).items():
                merged[word] = merged.get(word, 0.0) + value
            link(i, j)
            centroids[find(i)] = merged
    return {
        article.article_id: fixed.get(find(index)) or "s" + ordered[find(index)].article_id[1:]
        for index, article in enumerate(ordered)
    }
