"""Quote attribution benchmark: extract_quotes on the dev articles, scored by the bench scorer.

python bench/quotes_benchmark.py [--bench-dir DIR] [--predictions FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.extract.nlp import load_nlp
from tasks.extract.quotes import QuoteRow, extract_quotes

DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench"
# (label, scorer flags): the three scopes the targets are stated for.
SCOPES = (
    ("direct+partial", ["--kinds", "direct,mixed"]),
    ("speech-cues", ["--speech-cues-only"]),
    ("all", []),
)


def prediction(row: QuoteRow) -> dict:
    """A quote row in the scorer's format (it reads the data-contract column names)."""
    return {
        "quote_text": row.quote_text,
        "start_char": row.start_char,
        "end_char": row.end_char,
        "quote_type": row.quote_type,
        "speaker_text": row.speaker_text,
        "speaker_start": row.speaker_start,
        "speaker_end": row.speaker_end,
        "cue": row.cue,
    }


def predict(records: list[dict]) -> Iterable[dict]:
    """One prediction line per article; scare quotes are not attributions, so not scored."""
    nlp = load_nlp()
    docs = nlp.pipe((record["text"] for record in records), batch_size=16, n_process=1)
    for record, doc in zip(records, docs, strict=True):
        rows = [prediction(row) for row in extract_quotes(doc) if row.quote_type != "scare"]
        yield {"id": record["id"], "quotes": rows}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--predictions", type=Path, help="where to keep the predictions JSONL")
    args = parser.parse_args(argv)
    quotes_dir = args.bench_dir / "quotes"
    gold = quotes_dir / "dev.jsonl"
    with gold.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    with tempfile.TemporaryDirectory() as scratch:
        predictions = args.predictions or Path(scratch) / "quotes_pred.jsonl"
        with predictions.open("w", encoding="utf-8") as handle:
            for line in predict(records):
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        for label, flags in SCOPES:
            command = [sys.executable, str(quotes_dir / "score.py"), str(gold), str(predictions)]
            result = subprocess.run(command + flags, capture_output=True, text=True, check=True)
            for line in result.stdout.splitlines():
                print(f"{label:15s} {line}")


if __name__ == "__main__":
    main()
