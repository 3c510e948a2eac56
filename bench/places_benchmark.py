"""Places benchmark: the country of each annotated place name, as the flow resolves it.

Reads the stand-off annotations of bench/annotations/places.tsv (format and rules in
bench/README.md) over BBC articles and PLOVER dev sentences, runs the real extract and
normalize steps over those documents, and prints per corpus and split:
- country accuracy: right countries among the annotated place names that got a place;
- coverage: the share of the annotated place names with a country that got a place;
- wrong: places given to names that have no one country ("Europe") or are no place at all.
PLOVER's gold event locations ("in the eastern town of Velmora") are read as the events
table reads location_text. Then a 5-fold cross-validation over the dev documents, where each
fold's DOMINANCE (the one threshold) is chosen on the other folds.

.venv/bin/python bench/places_benchmark.py [--bench-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.tables import ENTITIES
from tasks.extract import extract
from tasks.ids import article_id
from tasks.normalize import (
    canonical_names,
    canonical_places,
    finalize,
    normalize_batch,
    place_articles,
)
from tasks.normalize import places as place_rules
from tasks.normalize.entities import link_mentions
from tasks.normalize.places import location_place
from tasks.records import Article, RunInfo

DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench"
ANNOTATIONS = Path(__file__).resolve().parent / "annotations" / "places.tsv"
FOLDS = 5
DOMINANCE_GRID = (2.0, 3.0, 5.0, 10.0, 20.0, 50.0)
NO_COUNTRY, NO_PLACE = "-", "x"


@dataclass(frozen=True)
class Annotation:
    corpus: str
    doc_id: str
    start: int  # offsets into the raw document
    end: int
    kind: str  # mention (a GPE, LOC or FAC the NER found) or location (a gold event location)
    country: str  # alpha-3, NO_COUNTRY or NO_PLACE
    split: str  # dev or heldout


def read_annotations() -> list[Annotation]:
    rows = [line.split("\t") for line in ANNOTATIONS.read_text("utf-8").splitlines()]
    return [
        Annotation(c, d, int(s), int(e), k, country, split)
        for c, d, s, e, k, country, split in (r for r in rows if not r[0].startswith("#"))
    ]


def documents(bench: Path, annotations: list[Annotation]) -> dict[tuple[str, str], str]:
    """(corpus, doc_id) -> the raw text the annotation offsets point into."""
    wanted = {(a.corpus, a.doc_id) for a in annotations}
    texts = {}
    for corpus, doc_id in wanted:
        if corpus == "bbc":
            texts[(corpus, doc_id)] = (bench / "corpus" / "bbc" / doc_id).read_text("utf-8")
    seen: Counter[str] = Counter()
    for line in (bench / "events" / "dev.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        seen[record["id"]] += 1  # an id the file repeats is told apart as "<id>#2"
        doc_id = record["id"] + (f"#{seen[record['id']]}" if seen[record["id"]] > 1 else "")
        if ("plover", doc_id) in wanted:
            texts[("plover", doc_id)] = record["text"]
    return texts


def _article(corpus: str, doc_id: str, raw: str) -> tuple[int, Article]:
    """The article of a document and where its body starts in the raw text (a BBC file's
    headline line is not body)."""
    start = raw.index("\n\n") + 2 if corpus == "bbc" else 0
    body = raw[start:]
    return start, Article(
        article_id(doc_id, raw), doc_id, None, None, None, None, None, "none", "en", body, len(raw)
    )


@dataclass
class Parsed:
    articles: dict[tuple[str, str], tuple[int, Article]]
    extractions: list


def parse(texts: dict[tuple[str, str], str]) -> Parsed:
    articles = {key: _article(*key, raw) for key, raw in sorted(texts.items())}
    extractions, failed = extract([article for _start, article in articles.values()])
    assert not failed, failed
    return Parsed(articles, extractions)


def predict(parsed: Parsed, annotations: list[Annotation]) -> dict[Annotation, str | None]:
    """The country of the place the flow gives each annotated name (None: no place)."""
    articles = [article for _start, article in parsed.articles.values()]
    run = RunInfo("bench", datetime.now(UTC), "bench")
    batch = normalize_batch(articles, parsed.extractions, run)
    forms = batch.name_forms
    rows = finalize(
        ENTITIES.name,
        batch.tables[ENTITIES.name],
        canonical_names(forms, {}),
        {},
        canonical_places(forms, {}),
        {},
    ).to_pylist()
    mentions = {(r["article_id"], r["start_char"], r["end_char"]): r for r in rows}
    pairs = [(e.article_id, m) for e in parsed.extractions for m in e.mentions]
    links, _forms = link_mentions(pairs, {a.article_id: a.body for a in articles})
    place_mentions, placed = place_articles(articles, pairs, links)
    predictions = {}
    for annotation in annotations:
        offset, article = parsed.articles[(annotation.corpus, annotation.doc_id)]
        start, end = annotation.start - offset, annotation.end - offset
        if annotation.kind == "location":
            _place, predictions[annotation] = location_place(
                article.body[start:end],
                start,
                place_mentions[article.article_id],
                placed[article.article_id],
            )
        else:
            row = mentions.get((article.article_id, start, end))
            predictions[annotation] = row["country_code"] if row is not None else None
    return predictions


@dataclass(frozen=True)
class Score:
    names: int  # annotated names with a country
    placed: int  # of which got a place
    right: int  # of which in the right country
    others: int  # names with no one country or no place
    wrong_others: int  # of which got a country

    @property
    def accuracy(self) -> float:
        return self.right / self.placed if self.placed else 0.0

    @property
    def coverage(self) -> float:
        return self.placed / self.names if self.names else 0.0

    def line(self, label: str) -> str:
        return (
            f"{label:<34} country accuracy {self.accuracy:.3f} ({self.right}/{self.placed})  "
            f"coverage {self.coverage:.3f} ({self.placed}/{self.names})  "
            f"country on no-country/no-place names {self.wrong_others}/{self.others}"
        )


def score(predictions: dict[Annotation, str | None], selected: list[Annotation]) -> Score:
    names = [a for a in selected if a.country not in (NO_COUNTRY, NO_PLACE)]
    others = [a for a in selected if a.country in (NO_COUNTRY, NO_PLACE)]
    placed = [a for a in names if predictions[a] is not None]
    return Score(
        len(names),
        len(placed),
        sum(predictions[a] == a.country for a in placed),
        len(others),
        sum(predictions[a] is not None for a in others),
    )


def _fold(doc_id: str) -> int:
    return zlib.crc32(doc_id.encode()) % FOLDS


def _best_dominance(by_dominance: dict[float, dict], annotations: list[Annotation]) -> float:
    """Precision first: the most accurate threshold, then the one placing the most names, then
    the stricter one."""

    def rank(dominance: float) -> tuple[float, float, float]:
        result = score(by_dominance[dominance], annotations)
        return (result.accuracy, result.coverage, dominance)

    return max(DOMINANCE_GRID, key=rank)


def cross_validate(parsed: Parsed, annotations: list[Annotation]) -> Score:
    """Pooled held-fold predictions, each fold's threshold chosen on the other folds."""
    dev = [a for a in annotations if a.split == "dev"]
    by_dominance = {}
    for dominance in DOMINANCE_GRID:
        place_rules.DOMINANCE = dominance
        by_dominance[dominance] = predict(parsed, dev)
    pooled: dict[Annotation, str | None] = {}
    for fold in range(FOLDS):
        train = [a for a in dev if _fold(a.doc_id) != fold]
        chosen = _best_dominance(by_dominance, train)
        for annotation in dev:
            if _fold(annotation.doc_id) == fold:
                pooled[annotation] = by_dominance[chosen][annotation]
        print(f"  fold {fold}: DOMINANCE {chosen:g} chosen on the other folds")
    return score(pooled, list(pooled))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--errors", action="store_true", help="list the names not placed right")
    args = parser.parse_args()
    annotations = read_annotations()
    texts = documents(args.bench_dir, annotations)
    parsed = parse(texts)
    default = place_rules.DOMINANCE
    predictions = predict(parsed, annotations)
    if args.errors:
        for a in annotations:
            if a.split == "dev" and predictions[a] != (
                a.country if a.country not in (NO_COUNTRY, NO_PLACE) else None
            ):
                name = texts[(a.corpus, a.doc_id)][a.start : a.end]
                print(f"  {a.split} {a.doc_id} {name!r}: gold {a.country}, got {predictions[a]}")
    groups: dict[str, list[Annotation]] = defaultdict(list)
    for annotation in annotations:
        kind = "locations" if annotation.kind == "location" else "names"
        groups[f"{annotation.corpus} {kind} {annotation.split}"].append(annotation)
        groups[f"all {annotation.split}"].append(annotation)
    print(f"DOMINANCE {default:g}")
    for dominance in DOMINANCE_GRID:
        place_rules.DOMINANCE = dominance
        line = score(predict(parsed, annotations), groups["all dev"]).line("all dev")
        print(f"  DOMINANCE {dominance:g}: {line}")
    place_rules.DOMINANCE = default
    for label in sorted(groups):
        print(score(predictions, groups[label]).line(label))
    print(f"{FOLDS}-fold cross-validation over the dev documents:")
    cross = cross_validate(parsed, annotations)
    place_rules.DOMINANCE = default
    print(cross.line("all dev, cross-validated"))
    dev = score(predictions, groups["all dev"])
    held = score(predictions, groups["all heldout"])
    print(
        f"summary: dev accuracy={dev.accuracy:.3f} coverage={dev.coverage:.3f} "
        f"cv accuracy={cross.accuracy:.3f} coverage={cross.coverage:.3f} "
        f"heldout accuracy={held.accuracy:.3f} coverage={held.coverage:.3f}"
    )


if __name__ == "__main__":
    main()
