"""Language identification on the English corpora of the bench: the share labelled `en`.

    python bench/language_benchmark.py [--bench-dir DIR] [--examples N]

Reads and cleans each corpus as the flow does (ingest, then clean) and counts the `language`
of the cleaned articles: one line per corpus with the documents, the share labelled `en`, the
`und` count, the other labels with their counts, and the CPU time of language identification
per document. `--examples N` also prints the first N articles of each corpus not labelled `en`.
The last line is the lowest share over the corpora.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.tables import UNDETERMINED_LANGUAGE
from tasks.clean import clean
from tasks.clean.metadata import detect_language
from tasks.ingest import read_inputs

DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench"
CORPORA = {
    "bbc": ["corpus/bbc"],
    "reuters21578": ["corpus/reuters21578"],
    "conll2003_dev": ["ner/conll2003_dev.jsonl"],
    "plover_dev": ["events/dev.jsonl"],
    "quotes_dev_train": ["quotes/dev.jsonl", "quotes/train.jsonl"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--examples", type=int, default=0, help="non-en articles shown per corpus")
    args = parser.parse_args()

    shares = []
    for corpus, inputs in CORPORA.items():
        documents, _unreadable = read_inputs([str(args.bench_dir / path) for path in inputs])
        articles, _quarantined = clean(documents)
        labels = Counter(article.language for article in articles)
        started = time.process_time()
        for article in articles:
            detect_language(article.title, article.body)
        milliseconds = (time.process_time() - started) / len(articles) * 1000
        share = labels["en"] / len(articles)
        shares.append(share)
        others = ", ".join(
            f"{label} {count}" for label, count in labels.most_common() if label != "en"
        )
        print(
            f"{corpus}: documents={len(articles)} en={share:.4f} "
            f"{UNDETERMINED_LANGUAGE}={labels[UNDETERMINED_LANGUAGE]} non_en=[{others}] "
            f"language_ms_per_document={milliseconds:.2f}"
        )
        not_english = [article for article in articles if article.language != "en"]
        for article in not_english[: args.examples]:
            text = f"{article.title or ''} | {article.body}"[:160]
            print(f"  {article.language} {article.source_uri}: {text!r}")
    print(f"lowest en share: {min(shares):.4f}")


if __name__ == "__main__":
    main()
