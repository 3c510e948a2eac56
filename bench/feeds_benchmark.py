"""Run the real flow over the English corpora of already-clean articles and count what it keeps.

    python bench/feeds_benchmark.py [--bench-dir DIR] [--corpus NAME ...] [--limit N]

Each corpus goes through `newsflow run` (this checkout's command) into a temporary output
directory: BBC and Reuters-21578 as their `.txt` files, the JSONL benchmarks (CoNLL-2003 dev
documents, PLOVER dev sentences, quotes dev articles) as temporary JSONL inputs of
`{"id", "text"}`, and BBC again as one feed file of each kind, as publishers write them: RSS
2.0 (`<content:encoded>` HTML paragraphs in CDATA), Atom 1.0 (escaped HTML `<content>`) and
RSS 1.0 / RDF (a plain-text `<description>`), each article one item, its first line the
item's title, its id the item's guid. Printed per corpus, from the published tables:
documents, published, quarantined by step and reason, whether every document is accounted
for (published + quarantined = documents), words kept and the share of published articles
labelled `en`.

Words are whitespace-separated tokens. Words kept = the words of the published articles'
`body` and `title` over the words of every input text (a `.txt` file's whole content, a JSONL
record's `text`, a feed item's article), quarantined inputs included. A run that fails
validation publishes nothing: then its failure, validation summary and failed expectations
are printed instead.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import pyarrow.dataset as ds

DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench"
NEWSFLOW = Path(sys.executable).with_name("newsflow")


@dataclass(frozen=True)
class Corpus:
    name: str
    path: str  # under the bench directory: a folder of .txt files or a JSONL file
    pattern: str = "*/*.txt"  # the folder's article files
    feed: str | None = None  # written as one feed file of this kind: rss, atom or rdf


CORPORA = [
    Corpus("bbc", "corpus/bbc"),
    Corpus("reuters21578", "corpus/reuters21578"),
    Corpus("conll2003-dev", "ner/conll2003_dev.jsonl"),
    Corpus("plover-dev", "events/dev.jsonl"),
    Corpus("quotes-dev", "quotes/dev.jsonl"),
    Corpus("bbc-rss", "corpus/bbc", feed="rss"),
    Corpus("bbc-atom", "corpus/bbc", feed="atom"),
    Corpus("bbc-rdf", "corpus/bbc", feed="rdf"),
]
# Characters XML 1.0 cannot hold: a feed writer leaves them out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FEED_FILES = {
    "rss": (
        "news.rss",
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Benchmark</title><link>https://bench.example/</link><description>Benchmark"
        "</description>\n",
        "</channel></rss>\n",
    ),
    "atom": (
        "news.atom",
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Benchmark</title><id>urn:bench</id><updated>2024-01-01T00:00:00Z</updated>\n",
        "</feed>\n",
    ),
    "rdf": (
        "news.rdf",
        '<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://bench.example/">'
        "<title>Benchmark</title><link>https://bench.example/</link><description>Benchmark"
        "</description></channel>\n",
        "</rdf:RDF>\n",
    ),
}


def _texts(source: Path, corpus: Corpus, limit: int | None) -> Iterator[tuple[str, str]]:
    """(relative path or id, text) of the corpus's first `limit` documents, in order."""
    if source.is_dir():
        paths = sorted(source.glob(corpus.pattern))[:limit]
        for path in paths:
            yield path.relative_to(source).as_posix(), path.read_text(encoding="utf-8")
        return
    with source.open(encoding="utf-8") as lines:
        records = (json.loads(line) for line in lines if line.strip())
        for _, record in zip(range(limit or sys.maxsize), records, strict=False):
            yield record["id"], record["text"]


def _write_inputs(source: Path, corpus: Corpus, limit: int | None, folder: Path) -> list[str]:
    """The corpus as the run's input in `folder` (text files as they are, JSONL records as
    `{"id", "text"}`); returns every input text."""
    texts: list[str] = []
    if corpus.feed:
        name, head, tail = _FEED_FILES[corpus.feed]
        with (folder / name).open("w", encoding="utf-8") as out:
            out.write(head)
            for relative, text in _texts(source, corpus, limit):
                out.write(_feed_item(corpus.feed, relative, _NOT_XML.sub("", text)))
                texts.append(text)
            out.write(tail)
        return texts
    if source.is_dir():
        for relative, text in _texts(source, corpus, limit):
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / relative, target)
            texts.append(text)
        return texts
    with (folder / f"{corpus.name}.jsonl").open("w", encoding="utf-8") as out:
        for record_id, text in _texts(source, corpus, limit):
            out.write(json.dumps({"id": record_id, "text": text}, ensure_ascii=False) + "\n")
            texts.append(text)
    return texts


def _feed_item(kind: str, item_id: str, text: str) -> str:
    """An article as a feed's item: its first line the title, its other lines paragraphs."""
    title, _, body = text.strip().partition("\n")
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    html = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    if kind == "rss":
        cdata = html.replace("]]>", "]]]]><![CDATA[>")
        return (
            f'<item><title>{escape(title)}</title><guid isPermaLink="false">{escape(item_id)}'
            f"</guid><content:encoded><![CDATA[{cdata}]]></content:encoded></item>\n"
        )
    if kind == "atom":
        return (
            f"<entry><title>{escape(title)}</title><id>urn:bench:{escape(item_id)}</id>"
            f'<updated>2024-01-01T00:00:00Z</updated><content type="html">{escape(html)}'
            "</content></entry>\n"
        )
    return (
        f'<item rdf:about="urn:bench:{escape(item_id)}"><title>{escape(title)}</title>'
        f"<description>{escape(chr(10).join(paragraphs))}</description></item>\n"
    )


def _words(text: str | None) -> int:
    return len(text.split()) if text else 0


def _report_published(output: Path, input_words: int, documents: int) -> None:
    articles = ds.dataset(output / "articles", format="parquet").to_table(
        columns=["title", "body", "language"]
    )
    quarantine = ds.dataset(output / "quarantine", format="parquet").to_table(
        columns=["step", "reason"]
    )
    kept = sum(map(_words, articles["body"].to_pylist())) + sum(
        map(_words, articles["title"].to_pylist())
    )
    reasons = Counter(
        zip(quarantine["step"].to_pylist(), quarantine["reason"].to_pylist(), strict=True)
    )
    english = articles["language"].to_pylist().count("en")
    quarantined = sum(reasons.values())
    print(f"  documents {documents}, published {articles.num_rows}, quarantined {quarantined}")
    accounted = articles.num_rows + quarantined == documents
    print(f"  accounted for: {'yes' if accounted else 'NO'}")
    for (step, reason), count in reasons.most_common():
        print(f"    quarantined {step}/{reason}: {count}")
    print(f"  words kept {kept / input_words:.4f} ({kept:,} of {input_words:,})")
    share = english / articles.num_rows if articles.num_rows else 0.0
    print(f"  labelled en {share:.4f} ({english} of {articles.num_rows} published)")


def _report_failed(output: Path, documents: int, stderr: str) -> None:
    lines = stderr.strip().splitlines()
    reasons = [line for line in lines if line.startswith("newsflow:")] or lines[-5:]
    print(f"  documents {documents}, published 0 (the run failed)")
    for line in reasons:
        print(f"  {line}")
    for results in sorted((output / ".failed").glob("*/validation/results.json")):
        validation = json.loads(results.read_text())
        print(f"  validation: {validation['summary']}")
        print(f"  metrics: {json.dumps(validation['metrics'])}")
        for outcome in validation["outcomes"]:
            if not outcome["success"]:
                column = f"({outcome['column']})" if outcome["column"] else ""
                print(
                    f"    failed {outcome['severity']} {outcome['suite']}.{outcome['expectation']}"
                    f"{column}: unexpected {outcome['unexpected_count']}, "
                    f"observed {outcome['observed']}, sample {outcome['sample'][:5]}"
                )


def run_corpus(bench_dir: Path, corpus: Corpus, limit: int | None) -> None:
    source = bench_dir / corpus.path
    with tempfile.TemporaryDirectory(prefix=f"feeds-{corpus.name}-") as tmp:
        inputs, output = Path(tmp) / "inputs", Path(tmp) / "output"
        inputs.mkdir()
        texts = _write_inputs(source, corpus, limit, inputs)
        started = time.perf_counter()
        command = [str(NEWSFLOW), "run", "--input", str(inputs), "--output", str(output)]
        result = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        print(f"{corpus.name}: newsflow run exit {result.returncode} in {seconds:.0f} s")
        if result.returncode == 0:
            _report_published(output, sum(map(_words, texts)), len(texts))
        else:
            _report_failed(output, len(texts), result.stderr)
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument(
        "--corpus",
        action="append",
        choices=[corpus.name for corpus in CORPORA],
        help="a corpus to run (repeatable; default: all)",
    )
    parser.add_argument("--limit", type=int, help="the first N documents of each corpus only")
    args = parser.parse_args()
    for corpus in CORPORA:
        if not args.corpus or corpus.name in args.corpus:
            run_corpus(args.bench_dir, corpus, args.limit)


if __name__ == "__main__":
    main()
