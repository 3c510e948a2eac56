"""Score the CLEAN step's body extraction on the boilerplate benchmark (text dumps and HTML).

    python bench/clean_benchmark.py [--bench-dir DIR] [--split dev.jsonl.gz] [--inputs text html]
        [--leave-one-site-out] [--articles]

Prints the scorer's last line for each input kind, prefixed "text:" / "html:".

With --articles, the articles benchmark instead: body, headline, authors (the byline) and
publishing date of real news pages, scored by its own scorer. The metadata rules' constants
were set by hand, not searched on these pages; choosing them from a small grid without each
publisher group gave the same figures (README).

With --leave-one-site-out, also the text dumps scored with the page-dump decision made
without each page's site: its evidence threshold is the middle of the gap between the
already-clean articles (BBC, Reuters-21578, CoNLL-2003 dev documents) and the other sites'
pages, as PAGE_DUMP_MIN_EVIDENCE is from all of them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from itertools import chain
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.clean import clean, repair
from tasks.clean.text_dump import PAGE_DUMP_MIN_EVIDENCE, furniture_evidence
from tasks.records import RawDocument

DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench"


def _documents(pages: list[dict], kind: str) -> list[RawDocument]:
    if kind == "html":
        return [RawDocument(page["id"], "html", None, page["html"]) for page in pages]
    # "text-loso": each page's kind as decided without its site, stated as a JSONL field would.
    return [
        RawDocument(
            page["id"],
            "txt",
            page["raw_text"],
            None,
            {"kind": page["loso_kind"]} if kind == "text-loso" else {},
        )
        for page in pages
    ]


def _predictions(pages: list[dict], kind: str) -> list[dict[str, str | None]]:
    """One prediction per page; a quarantined page is an empty prediction."""
    articles, _quarantined = clean(_documents(pages, kind))
    by_id = {article.source_uri: article for article in articles}
    predictions: list[dict[str, str | None]] = []
    for page in pages:
        article = by_id.get(page["id"])
        if article is None:
            predictions.append({"id": page["id"], "text": ""})
            continue
        published = article.published_date.isoformat() if article.published_date else None
        predictions.append(
            {
                "id": page["id"],
                "text": article.body,
                "title": article.title,
                "authors": article.byline,
                "date": published,
            }
        )
    return predictions


def _clean_article_texts(bench_dir: Path) -> chain[str]:
    corpus = bench_dir / "corpus"
    files = chain(sorted(corpus.glob("bbc/*/*.txt")), sorted(corpus.glob("reuters21578/*/*.txt")))
    with (bench_dir / "ner" / "conll2003_dev.jsonl").open(encoding="utf-8") as lines:
        conll = [json.loads(line)["text"] for line in lines if line.strip()]
    return chain((path.read_text(encoding="utf-8") for path in files), conll)


def _decide_without_each_site(pages: list[dict], bench_dir: Path) -> None:
    """Set each page's "loso_kind" from a threshold chosen without its site's pages."""
    clean_max = max(
        furniture_evidence(repair.paragraphs(t)) for t in _clean_article_texts(bench_dir)
    )
    evidence = {
        page["id"]: furniture_evidence(repair.paragraphs(page["raw_text"])) for page in pages
    }
    site = {page["id"]: urlsplit(page["url"]).netloc for page in pages}
    overall = (clean_max + min(evidence.values())) // 2
    print(
        f"evidence: clean articles at most {clean_max}, pages at least {min(evidence.values())}; "
        f"threshold {overall} (PAGE_DUMP_MIN_EVIDENCE {PAGE_DUMP_MIN_EVIDENCE})"
    )
    thresholds = set()
    for page in pages:
        others = [e for i, e in evidence.items() if site[i] != site[page["id"]]]
        threshold = (clean_max + min(others)) // 2
        thresholds.add(threshold)
        page["loso_kind"] = "page" if evidence[page["id"]] >= threshold else "article"
    as_articles = sum(page["loso_kind"] == "article" for page in pages)
    print(
        f"leave-one-site-out thresholds {sorted(thresholds)}; pages read as articles: {as_articles}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--split", default="dev.jsonl.gz")
    parser.add_argument("--inputs", nargs="+", choices=["text", "html"], default=["text", "html"])
    parser.add_argument("--per-doc-dir", type=Path, help="also write the scorer's per-page TSVs")
    parser.add_argument("--leave-one-site-out", action="store_true")
    parser.add_argument("--articles", action="store_true", help="the articles benchmark instead")
    args = parser.parse_args()

    folder = args.bench_dir / ("articles" if args.articles else "boilerplate")
    gold = folder / args.split
    with gzip.open(gold, "rt", encoding="utf-8") as lines:
        pages = [json.loads(line) for line in lines if line.strip()]
    kinds = list(args.inputs)
    if args.leave_one_site_out:
        _decide_without_each_site(pages, args.bench_dir)
        kinds.append("text-loso")
    with tempfile.TemporaryDirectory(prefix="clean-bench-") as tmp:
        for kind in kinds:
            predictions = Path(tmp) / f"{kind}.jsonl"
            with predictions.open("w", encoding="utf-8") as out:
                for row in _predictions(pages, kind):
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
            command = [sys.executable, str(folder / "score.py"), "--gold", str(gold)]
            command += ["--pred", str(predictions)]
            if args.per_doc_dir:
                args.per_doc_dir.mkdir(parents=True, exist_ok=True)
                if args.articles:
                    command += ["--per-page"]
                else:
                    command += ["--per-doc", str(args.per_doc_dir / f"{kind}.tsv")]
            result = subprocess.run(command, capture_output=True, text=True, check=True)
            if args.articles and args.per_doc_dir:
                (args.per_doc_dir / f"{kind}.txt").write_text(result.stdout, encoding="utf-8")
                (args.per_doc_dir / f"{kind}.jsonl").write_text(
                    predictions.read_text(encoding="utf-8"), encoding="utf-8"
                )
            print(f"{kind}: {result.stdout.strip().splitlines()[-1]}", flush=True)


if __name__ == "__main__":
    main()
