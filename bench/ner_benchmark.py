"""NER benchmark: the pipeline's mentions on CoNLL-2003 dev, scored with the bench scorer.

Usage: python bench/ner_benchmark.py [--bench-dir DIR] [--limit N] [--predictions PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.extract.entities import extract_mentions
from tasks.extract.nlp import load_nlp

DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench"
# The README's standard mapping of OntoNotes labels to CoNLL-2003 labels; others are dropped.
ONTONOTES_TO_CONLL = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}


def predict(gold_path: Path, limit: int | None) -> list[dict]:
    """One prediction record per gold document: its mentions mapped to CoNLL labels."""
    records = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines()]
    records = records[:limit] if limit else records
    nlp = load_nlp()
    predictions = []
    docs = nlp.pipe((record["text"] for record in records), batch_size=16)
    for record, doc in zip(records, docs, strict=True):
        entities = [
            {"start": m.start_char, "end": m.end_char, "label": label, "text": m.text}
            for m in extract_mentions(doc)
            if (label := ONTONOTES_TO_CONLL.get(m.label))
        ]
        predictions.append({"id": record["id"], "entities": entities})
    return predictions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--limit", type=int, help="score only the first N documents")
    parser.add_argument("--predictions", type=Path, help="also keep the predictions here")
    args = parser.parse_args()
    ner_dir = args.bench_dir / "ner"
    gold_path = ner_dir / "conll2003_dev.jsonl"
    predictions = predict(gold_path, args.limit)
    with tempfile.TemporaryDirectory() as scratch:
        prediction_path = args.predictions or Path(scratch) / "predictions.jsonl"
        prediction_path.write_text(
            "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions), "utf-8"
        )
        if args.limit:
            limited_gold = Path(scratch) / "gold.jsonl"
            lines = gold_path.read_text(encoding="utf-8").splitlines()[: args.limit]
            limited_gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
            gold_path = limited_gold
        scored = subprocess.run(
            [sys.executable, str(ner_dir / "score.py"), str(gold_path), str(prediction_path)],
            capture_output=True,
            text=True,
            check=True,
        )
    print(scored.stdout, end="")


if __name__ == "__main__":
    main()
