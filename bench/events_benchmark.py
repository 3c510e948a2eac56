"""Events benchmark: code the gold sentences and print the PLOVER scorer's lines, then the
figures it does not print (countries, location, negation and modality) and a 5-fold split.

.venv/bin/python bench/events_benchmark.py [--bench-dir DIR] [--split dev] [--confusion] [--places]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import zlib
from collections import Counter
from pathlib import Path
from types import ModuleType

import pycountry

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.extract.events import EventRow, extract_events
from tasks.extract.nlp import load_nlp

DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench"
FOLDS = 5
SCORES = ("type_recall", "type_actor_recall", "type_actor_target_recall", "type_precision")


def _prediction(row: EventRow) -> dict:
    return {
        "event_type": row.event_type,
        "trigger_text": row.trigger_text,
        "actor_text": row.actor_text,
        "target_text": row.target_text,
        "actor_country": row.actor_country,
        "target_country": row.target_country,
        "location_text": row.location_text,
        "modality": row.modality,
        "negated": row.negated,
    }


def _scorer(events_dir: Path) -> ModuleType:
    """The benchmark's own score.py, so that the extra figures match events as it does."""
    spec = importlib.util.spec_from_file_location("plover_score", events_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score_lines(events_dir: Path, gold: list[dict], predictions: dict[str, list[dict]]) -> str:
    """score.py's output on these gold records."""
    with tempfile.TemporaryDirectory() as scratch:
        gold_path, pred_path = Path(scratch) / "gold.jsonl", Path(scratch) / "pred.jsonl"
        gold_path.write_text("".join(json.dumps(r) + "\n" for r in gold), encoding="utf-8")
        pred_path.write_text(
            "".join(
                json.dumps({"id": r["id"], "events": predictions.get(r["id"], [])}) + "\n"
                for r in gold
            ),
            encoding="utf-8",
        )
        result = subprocess.run(
            [sys.executable, str(events_dir / "score.py"), str(gold_path), str(pred_path)],
            capture_output=True,
            text=True,
            check=True,
        )
    return result.stdout


def _summary(score_output: str) -> dict[str, float]:
    last = score_output.strip().splitlines()[-1]
    return {key: float(value) for key, value in (pair.split("=") for pair in last.split())}


def _is_country(code: str | None) -> bool:
    """An ISO 3166-1 alpha-3 code (the gold also has IGO, NGO, IMG ... and a few typos)."""
    return bool(code) and pycountry.countries.get(alpha_3=code.upper()) is not None


def _extra_figures(scorer: ModuleType, gold: list[dict], predictions: dict[str, list[dict]]):
    """Countries of matched events, location recall, negation and modality of matched events."""
    counts: Counter = Counter()
    modalities: Counter = Counter()
    for record in gold:
        predicted = predictions.get(record["id"], [])
        for event in record["events"]:
            same = [p for p in predicted if p["event_type"] == event["type"]]
            matched = [
                p
                for p in same
                if scorer.actor_hit(p["actor_text"], p["actor_country"], event["source"])
            ]
            if event.get("location"):
                counts["location_gold"] += 1
                place = {"text": event["location"]["name"]}
                counts["location_hit"] += any(
                    scorer.actor_hit(p["location_text"], None, [place]) for p in same
                )
            if not matched:
                continue
            best = matched[0]
            counts["matched"] += 1
            counts["negated"] += best["negated"]
            modalities[best["modality"]] += 1
            for role, field in (("source", "actor_country"), ("target", "target_country")):
                codes = {g["code"].upper() for g in event[role] if _is_country(g.get("code"))}
                if codes:
                    counts[f"{role}_coded"] += 1
                    right = any(p[field] in codes for p in matched)
                    counts[f"{role}_right"] += right
                    counts["country_wrong"] += not right and any(p[field] for p in matched)
    return counts, modalities


def _folds(gold: list[dict]) -> list[list[dict]]:
    """Five folds by a stable hash of the record id (types spread over the folds)."""
    folds: list[list[dict]] = [[] for _ in range(FOLDS)]
    for record in gold:
        folds[zlib.crc32(record["id"].encode()) % FOLDS].append(record)
    return folds


def _confusion(gold: list[dict], predictions: dict[str, list[dict]]) -> Counter:
    """(gold type, predicted types) for gold events whose type was not predicted."""
    misses: Counter = Counter()
    for record in gold:
        predicted = sorted({e["event_type"] for e in predictions.get(record["id"], [])})
        for event in record["events"]:
            if event["type"] not in predicted:
                misses[(event["type"], "+".join(predicted) or "nothing")] += 1
    return misses


def _missed_places(scorer: ModuleType, gold: list[dict], predictions: dict[str, list[dict]]):
    """(record id, gold type, gold place, places given to events of that type) for each gold
    location that no event of its type names."""
    for record in gold:
        predicted = predictions.get(record["id"], [])
        for event in record["events"]:
            if not event.get("location"):
                continue
            same = [p for p in predicted if p["event_type"] == event["type"]]
            place = {"text": event["location"]["name"]}
            if not any(scorer.actor_hit(p["location_text"], None, [place]) for p in same):
                given = [p["location_text"] for p in same] if same else "no event of the type"
                yield record["id"], event["type"], place["text"], given


def _countries(counts: Counter, *roles: str) -> tuple[int, int]:
    """(right, coded): matched events' roles whose gold has a country code, and those given it."""
    return (
        sum(counts[f"{role}_right"] for role in roles),
        sum(counts[f"{role}_coded"] for role in roles),
    )


def _ratio(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def _percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f} ({part}/{whole})" if whole else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--confusion", action="store_true", help="print the missed gold types")
    parser.add_argument("--places", action="store_true", help="print the missed gold places")
    args = parser.parse_args()

    events_dir = args.bench_dir / "events"
    gold_path = events_dir / f"{args.split}.jsonl"
    # One record per id, the last as score.py reads it (dev.jsonl repeats one id).
    records = (json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines())
    gold = list({record["id"]: record for record in records}.values())
    nlp = load_nlp()
    predictions: dict[str, list[dict]] = {}
    texts = (record["text"] for record in gold)
    for record, doc in zip(gold, nlp.pipe(texts, n_process=1), strict=True):
        predictions[record["id"]] = [_prediction(row) for row in extract_events(doc)]

    if args.confusion:
        for (gold_type, predicted), count in _confusion(gold, predictions).most_common(15):
            print(f"missed {gold_type:<10} predicted {predicted:<30} x{count}")
    scorer = _scorer(events_dir)
    if args.places:
        for record_id, gold_type, place, given in _missed_places(scorer, gold, predictions):
            print(f"missed place {record_id} {gold_type}: {place!r}, given {given}")
    score_output = _score_lines(events_dir, gold, predictions)
    counts, modalities = _extra_figures(scorer, gold, predictions)
    print(
        f"countries of type+actor matches: actor {_percent(*_countries(counts, 'source'))}"
        f"  target {_percent(*_countries(counts, 'target'))}"
        f"  both {_percent(*_countries(counts, 'source', 'target'))}"
        f" (another country given: {counts['country_wrong']})"
    )
    print(f"location recall {_percent(counts['location_hit'], counts['location_gold'])}")
    # The gold codes only events that happened (PLOVER leaves negated and hypothetical events
    # out): each of them should come out not negated, and not "possible".
    print(
        f"type+actor matches: negated {counts['negated']} of {counts['matched']}, hypothetical"
        f" {modalities['possible']} (the gold has none of either); modality"
        f" {dict(sorted(modalities.items()))}"
    )
    # Nothing in the coder is fitted to these sentences, so each fold is scored as it stands:
    # the spread across folds is how much the figures depend on which sentences are held out.
    per_fold = []
    for fold in _folds(gold):
        figures = _summary(_score_lines(events_dir, fold, predictions))
        fold_counts, fold_modalities = _extra_figures(scorer, fold, predictions)
        figures["countries"] = _ratio(*_countries(fold_counts, "source", "target"))
        figures["location_recall"] = _ratio(
            fold_counts["location_hit"], fold_counts["location_gold"]
        )
        figures["negated_or_hypothetical"] = fold_counts["negated"] + fold_modalities["possible"]
        per_fold.append(figures)
    print(
        f"{FOLDS}-fold: "
        + "  ".join(
            f"{key} {statistics.mean(f[key] for f in per_fold):.1f}"
            f" [{min(f[key] for f in per_fold):.1f}-{max(f[key] for f in per_fold):.1f}]"
            for key in (*SCORES, "countries", "location_recall", "negated_or_hypothetical")
        )
    )
    print(score_output, end="")


if __name__ == "__main__":
    main()
