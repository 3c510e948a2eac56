"""Duplicate detection on the BBC corpus: every exact byte-duplicate pair found, no false pair.

    python bench/duplicates_benchmark.py [--bench-dir DIR]

Cleans the corpus's .txt files, relates their features as the flow does (duplicates and
stories), and prints the exact-duplicate recall, the reported pairs that are not
byte-identical (with their word overlap, to judge them as near-duplicates), the story count
and the time taken.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.tables import ARTICLES
from tasks.clean import clean
from tasks.extract import Extraction
from tasks.normalize import normalize_batch
from tasks.normalize.duplicates import article_features, relate_features
from tasks.records import RawDocument, RunInfo

DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench"
_TOKEN = re.compile(r"\w+")


def _word_overlap(left: str, right: str) -> float:
    """Share of the smaller text's distinct words found in the other."""
    a, b = set(_TOKEN.findall(left.lower())), set(_TOKEN.findall(right.lower()))
    return len(a & b) / max(1, min(len(a), len(b)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    args = parser.parse_args()

    folder = args.bench_dir / "corpus" / "bbc"
    paths = sorted(folder.rglob("*.txt"))
    raw = {str(path.relative_to(folder)): path.read_bytes() for path in paths}
    documents = [
        RawDocument(uri, "txt", data.decode("utf-8", errors="replace"), None)
        for uri, data in raw.items()
    ]
    articles, quarantined = clean(documents)
    by_id = {article.article_id: article for article in articles}

    same_bytes: dict[bytes, list[str]] = defaultdict(list)
    for uri, data in raw.items():
        same_bytes[data].append(uri)
    expected = {
        frozenset(pair) for group in same_bytes.values() for pair in combinations(sorted(group), 2)
    }

    # The articles' rows as the flow's workers make them, summarised, then related.
    run = RunInfo("duplicates-benchmark", datetime.now(UTC), "bench")
    rows = normalize_batch(articles, [Extraction(a.article_id) for a in articles], run)
    started = time.perf_counter()
    features = article_features(rows.tables[ARTICLES.name])
    summarise_seconds = time.perf_counter() - started
    started = time.perf_counter()
    no_entities = pa.table(
        {"article_id": pa.array([], pa.string()), "entity_id": pa.array([], pa.string())}
    )
    duplicates, stories = relate_features(features, no_entities, {}, {})
    relate_seconds = time.perf_counter() - started

    # Members of one duplicate cluster (same root) are all duplicates of each other.
    clusters: dict[str, set[str]] = defaultdict(set)
    for duplicate, original in duplicates.items():
        clusters[original].update({duplicate, original})
    found = {
        frozenset((by_id[a].source_uri, by_id[b].source_uri))
        for members in clusters.values()
        for a, b in combinations(sorted(members), 2)
    }
    exact_found = found & expected
    near = sorted(found - expected, key=sorted)
    print(f"articles={len(articles)} quarantined={len(quarantined)}")
    print(f"exact byte-duplicate pairs: expected={len(expected)} found={len(exact_found)}")
    print(f"reported pairs that are not byte-identical: {len(near)}")
    uri_body = {article.source_uri: article.body for article in articles}
    for pair in near:
        left, right = sorted(pair)
        overlap = _word_overlap(uri_body[left], uri_body[right])
        print(f"  near-duplicate {left} ~ {right} word_overlap={overlap:.2f}")
    story_sizes = defaultdict(int)
    for story in stories.values():
        story_sizes[story] += 1
    multi = sum(1 for size in story_sizes.values() if size > 1)
    print(f"stories={len(story_sizes)} multi_article_stories={multi}")
    print(f"summarise_seconds={summarise_seconds:.2f} relate_seconds={relate_seconds:.2f}")


if __name__ == "__main__":
    main()
