"""Score the CLEAN step's body extraction on the boilerplate benchmark (text dumps and HTML).

    python bench/clean_benchmark.py [--bench-dir DIR] [--split dev.jsonl.gz] [--inputs text html]

Prints the scorer's last line for each input kind, prefixed "text:" / "html:".
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.clean import clean
from tasks.records import RawDocument

DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench"


def _documents(pages: list[dict], kind: str) -> list[RawDocument]:
    if kind == "text":
        return [RawDocument(page["id"], "txt", page["raw_text"], None) for page in pages]
    return [RawDocument(page["id"], "html", None, page["html"]) for page in pages]


def _predictions(pages: list[dict], kind: str) -> list[dict[str, str]]:
    """One prediction per page; a quarantined page is an empty prediction."""
    articles, _quarantined = clean(_documents(pages, kind))
    bodies = {article.source_uri: article.body for article in articles}
    return [{"id": page["id"], "text": bodies.get(page["id"], "")} for page in pages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--split", default="dev.jsonl.gz")
    parser.add_argument("--inputs", nargs="+", choices=["text", "html"], default=["text", "html"])
    parser.add_argument("--per-doc-dir", type=Path, help="also write the scorer's per-page TSVs")
    args = parser.parse_args()

    folder = args.bench_dir / "boilerplate"
    gold = folder / args.split
    with gzip.open(gold, "rt", encoding="utf-8") as lines:
        pages = [json.loads(line) for line in lines if line.strip()]
    with tempfile.TemporaryDirectory(prefix="clean-bench-") as tmp:
        for kind in args.inputs:
            predictions = Path(tmp) / f"{kind}.jsonl"
            with predictions.open("w", encoding="utf-8") as out:
                for row in _predictions(pages, kind):
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
            command = [sys.executable, str(folder / "score.py"), "--gold", str(gold)]
            command += ["--pred", str(predictions)]
            if args.per_doc_dir:
                args.per_doc_dir.mkdir(parents=True, exist_ok=True)
                command += ["--per-doc", str(args.per_doc_dir / f"{kind}.tsv")]
            result = subprocess.run(command, capture_output=True, text=True, check=True)
            print(f"{kind}: {result.stdout.strip().splitlines()[-1]}", flush=True)


if __name__ == "__main__":
    main()
