"""Events benchmark: code the dev sentences and print the PLOVER scorer's lines.

.venv/bin/python bench/events_benchmark.py [--bench-dir DIR] [--split dev] [--confusion]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.extract.events import EventRow, extract_events
from tasks.extract.gazetteer import country_code
from tasks.extract.nlp import load_nlp

DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench"


def _country(text: str | None, ref: str | None) -> str | None:
    """Country of an actor: from its entity mention if it names one, else from its text."""
    for candidate in (ref, text):
        if candidate:
            code = country_code(candidate)
            if code:
                return code
    return None


def _prediction(row: EventRow, text: str) -> dict:
    actor_ref = text[row.actor_ref_start : row.actor_ref_end] if row.actor_ref_start else None
    target_ref = text[row.target_ref_start : row.target_ref_end] if row.target_ref_start else None
    return {
        "event_type": row.event_type,
        "trigger_text": row.trigger_text,
        "actor_text": row.actor_text,
        "target_text": row.target_text,
        "actor_country": _country(row.actor_text, actor_ref),
        "target_country": _country(row.target_text, target_ref),
        "modality": row.modality,
        "negated": row.negated,
    }


def _confusion(gold_path: Path, predictions: dict[str, list[dict]]) -> Counter:
    """(gold type, predicted types) for gold events whose type was not predicted."""
    misses: Counter = Counter()
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        predicted = sorted({e["event_type"] for e in predictions.get(record["id"], [])})
        for event in record["events"]:
            if event["type"] not in predicted:
                misses[(event["type"], "+".join(predicted) or "nothing")] += 1
    return misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--confusion", action="store_true", help="print the missed gold types")
    args = parser.parse_args()

    events_dir = args.bench_dir / "events"
    gold_path = events_dir / f"{args.split}.jsonl"
    records = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines()]
    nlp = load_nlp()
    predictions: dict[str, list[dict]] = {}
    texts = (record["text"] for record in records)
    for record, doc in zip(records, nlp.pipe(texts, n_process=1), strict=True):
        predictions[record["id"]] = [_prediction(row, doc.text) for row in extract_events(doc)]

    with tempfile.TemporaryDirectory() as scratch:
        pred_path = Path(scratch) / "pred.jsonl"
        pred_path.write_text(
            "".join(json.dumps({"id": i, "events": e}) + "\n" for i, e in predictions.items()),
            encoding="utf-8",
        )
        result = subprocess.run(
            [sys.executable, str(events_dir / "score.py"), str(gold_path), str(pred_path)],
            capture_output=True,
            text=True,
            check=True,
        )
    if args.confusion:
        for (gold_type, predicted), count in _confusion(gold_path, predictions).most_common(15):
            print(f"missed {gold_type:<10} predicted {predicted:<30} x{count}")
    print(result.stdout, end="")


if __name__ == "__main__":
    main()
