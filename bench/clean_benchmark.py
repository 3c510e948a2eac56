"""Score the CLEAN step's body extraction on the boilerplate benchmark (text dumps and HTML).

    python bench/clean_benchmark.py [--bench-dir DIR] [--split dev.jsonl.gz] [--inputs text html]
        [--leave-one-site-out] [--articles [--leave-one-publisher-out]]

Prints the scorer's last line for each input kind, prefixed "text:" / "html:".

With --articles, the articles benchmark instead: body, headline, authors (the byline) and
publishing date of real news pages, scored by its own scorer. With --articles
--leave-one-publisher-out, also the metadata figures with the header rules' hand-set
constants (METADATA_GRID) chosen without each page's publisher group: for each group, the
grid value that scores best on the other groups' pages, and the group's pages scored with it.

With --leave-one-site-out, also the text dumps scored with the page-dump decision made
without each page's site: its evidence threshold is the middle of the gap between the
already-clean articles (BBC, Reuters-21578, CoNLL-2003 dev documents) and the other sites'
pages, as PAGE_DUMP_MIN_EVIDENCE is from all of them. And the body figures cross-validated
(`body:` lines): each site (on the articles benchmark, each publisher group) scored with the
story-choice constants (text dumps: how much the headline's anchor weighs; HTML: below which
agreement trafilatura's precision mode is asked, and from which its tail is trimmed to the
dump's story, and how much of it at most) chosen from a small grid on the other sites'
pages, beside the dev figure of the shipped constants, precision and recall apart, and every
page whose body F1 is under 0.5.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gzip
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from itertools import chain, product
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tasks.clean
from tasks.clean import clean, metadata, repair
from tasks.clean.html import MAX_TRIMMED_SHARE, MIN_AGREEMENT, MIN_TRIM_AGREEMENT
from tasks.clean.text_dump import (
    PAGE_DUMP_MIN_EVIDENCE,
    SCORING,
    Scoring,
    furniture_evidence,
    select_body,
)
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


# The page-header rules' constants set by hand, and the values tried without each group.
METADATA_GRID = {
    "_MIN_TITLE_SIMILARITY": (0.4, 0.5, 0.6),
    "_HEADER_LINES_BELOW": (6, 10, 14),
    "_HEADER_LINES_TO_STORY": (15, 25, 35),
}


@contextlib.contextmanager
def _metadata_constants(values: dict[str, float]) -> Iterator[None]:
    saved = {name: getattr(metadata, name) for name in values}
    for name, value in values.items():
        setattr(metadata, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(metadata, name, value)


def _load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("articles_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _page_metadata_score(row: dict) -> float:
    """A page's headline, date and authors F1 in one figure, to choose constants by."""
    score = float(row.get("title_exact", 0)) + float(row.get("date_same", 0))
    tp, predicted, gold = row.get("authors", (0, 0, 0))
    return score + (2 * tp / (predicted + gold) if predicted + gold else 0.0)


def _metadata_leave_one_group_out(pages: list[dict], kinds: list[str], folder: Path) -> None:
    """Print each kind's metadata figures with METADATA_GRID chosen without the page's group."""
    scorer = _load_scorer(folder / "score.py")
    settings = [
        dict(zip(METADATA_GRID, values, strict=True)) for values in product(*METADATA_GRID.values())
    ]
    gold = {page["id"]: page for page in pages}
    extracted = {}  # trafilatura's output does not depend on the grid: extract each page once

    def extract_once(html: str, url: str | None = None) -> object:
        if html not in extracted:
            extracted[html] = extract_html(html, url=url)
        return extracted[html]

    extract_html = tasks.clean.extract_html
    tasks.clean.extract_html = extract_once
    try:
        for kind in kinds:
            rows = []
            for setting in settings:
                with _metadata_constants(setting):
                    predictions = _predictions(pages, kind)
                rows.append(
                    {p["id"]: scorer.score_page(gold[p["id"]], p, "bow") for p in predictions}
                )
            held_out, chosen = {}, []
            for group in sorted({page["publisher_group"] for page in pages}):
                inside = [page["id"] for page in pages if page["publisher_group"] == group]
                outside = [page["id"] for page in pages if page["publisher_group"] != group]
                best = max(
                    range(len(settings)),
                    key=lambda s: sum(_page_metadata_score(rows[s][i]) for i in outside),
                )
                chosen.append(best)
                held_out.update({i: rows[best][i] for i in inside})
            summary = scorer.summarise(list(held_out.values()))
            figures = " ".join(
                f"{key}={summary[key]:.4f}"
                for key in ("title_acc", "author_f1", "author_p", "author_r", "date_acc")
            )
            picked = sorted({str(settings[i]) for i in chosen})
            print(f"{kind}-lopo: {figures} groups={len(chosen)} chosen={picked}", flush=True)
    finally:
        tasks.clean.extract_html = extract_html


# The grids the cross-validation chooses from; the shipped value is in each.
_ANCHOR_BOOSTS = (1.0, 2.0, 3.0, 5.0)  # 1: the headline's anchor never overrides the best run
_ANCHORED_MIN_SHARES = (0.1, 0.2, 0.3)
_MIN_PANEL_LINES = (3, 1_000_000)  # 1,000,000: no panel is dropped from inside the story
_MIN_AGREEMENTS = (0.0, 0.7, 0.8, 0.9, 1.01)  # 0: never the precision mode; 1.01: always
_MIN_TRIM_AGREEMENTS = (0.5, 0.8, 1.01)  # 1.01: trafilatura's tail never trimmed
_MAX_TRIMMED_SHARES = (0.1, 0.15, 0.2)
_LOW_F1 = 0.5

Counts = tuple[int, int, int]


def _text_bodies(scoring: Scoring) -> Callable[[dict], str]:
    return lambda page: "\n\n".join(
        select_body(repair.paragraphs(page["raw_text"]), scoring).paragraphs
    )


def _html_bodies(
    min_agreement: float, min_trim_agreement: float, max_trimmed_share: float
) -> Callable[[dict], str]:
    return lambda page: "\n\n".join(
        repair.paragraphs(
            tasks.clean.html.extract_html(
                page["html"],
                min_agreement=min_agreement,
                min_trim_agreement=min_trim_agreement,
                max_trimmed_share=max_trimmed_share,
            ).text
        )
    )


def _cross_validate(
    pages: list[dict],
    group: Callable[[dict], str],
    candidates: dict[str, Callable[[dict], str]],
    shipped: str,
    metric: ModuleType,
) -> tuple[list[Counts], list[Counts], dict[str, int]]:
    """(dev counts with the shipped candidate, held-out counts, how often each candidate was
    chosen): each group's pages scored with the candidate best on the other groups' pages."""
    counts = {
        name: [metric.tp_fp_fn(page["body"], bodies(page), "shingle4") for page in pages]
        for name, bodies in candidates.items()
    }
    groups = [group(page) for page in pages]
    held_out: list[Counts] = [(0, 0, 0)] * len(pages)
    chosen = dict.fromkeys(candidates, 0)
    for left_out in sorted(set(groups)):
        others = [i for i, g in enumerate(groups) if g != left_out]
        best = max(candidates, key=lambda n: metric.aggregate([counts[n][i] for i in others])[2])
        chosen[best] += 1
        for i, g in enumerate(groups):
            if g == left_out:
                held_out[i] = counts[best][i]
    return counts[shipped], held_out, chosen


def _print_body_figures(
    label: str,
    pages: list[dict],
    result: tuple[list[Counts], list[Counts], dict[str, int]],
    metric: ModuleType,
) -> None:
    dev, held_out, chosen = result
    (dev_p, dev_r, dev_f), (cv_p, cv_r, cv_f) = metric.aggregate(dev), metric.aggregate(held_out)
    print(
        f"body: {label}: dev P {dev_p:.3f} R {dev_r:.3f} F1 {dev_f:.3f}; cross-validated "
        f"P {cv_p:.3f} R {cv_r:.3f} F1 {cv_f:.3f}; chosen without each group: "
        + ", ".join(f"{name} x{count}" for name, count in chosen.items() if count),
        flush=True,
    )
    for page, counts in zip(pages, dev, strict=True):
        if (page_f1 := metric.doc_f1(counts)) < _LOW_F1:
            print(f"body: {label}: under {_LOW_F1}: {page['id']} F1 {page_f1:.2f}")


def _body_cross_validation(pages: list[dict], articles: bool, bench_dir: Path, kinds) -> None:
    """The body figures, dev and cross-validated by site (or publisher group)."""
    metric = _load_scorer(bench_dir / "boilerplate" / "score.py")

    def group(page: dict) -> str:
        return page["publisher_group"] if articles else urlsplit(page["url"]).netloc

    shipped_scoring = (
        f"boost {SCORING.anchor_boost} share {SCORING.anchored_min_share} "
        f"panel {SCORING.min_panel_lines}"
    )
    if "text" in kinds:
        scorings = {
            f"boost {boost} share {share} panel {panel}": _text_bodies(
                dataclasses.replace(
                    SCORING, anchor_boost=boost, anchored_min_share=share, min_panel_lines=panel
                )
            )
            for boost, share, panel in product(
                _ANCHOR_BOOSTS, _ANCHORED_MIN_SHARES, _MIN_PANEL_LINES
            )
        }
        result = _cross_validate(pages, group, scorings, shipped_scoring, metric)
        _print_body_figures("text", pages, result, metric)
    if "html" in kinds:
        agreements = {
            f"agreement {value} trim {trim} share {share}": _html_bodies(value, trim, share)
            for value, trim, share in product(
                _MIN_AGREEMENTS, _MIN_TRIM_AGREEMENTS, _MAX_TRIMMED_SHARES
            )
        }
        shipped_agreement = (
            f"agreement {MIN_AGREEMENT} trim {MIN_TRIM_AGREEMENT} share {MAX_TRIMMED_SHARE}"
        )
        result = _cross_validate(pages, group, agreements, shipped_agreement, metric)
        _print_body_figures("html", pages, result, metric)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--split", default="dev.jsonl.gz")
    parser.add_argument("--inputs", nargs="+", choices=["text", "html"], default=["text", "html"])
    parser.add_argument("--per-doc-dir", type=Path, help="also write the scorer's per-page TSVs")
    parser.add_argument("--leave-one-site-out", action="store_true")
    parser.add_argument("--articles", action="store_true", help="the articles benchmark instead")
    parser.add_argument(
        "--leave-one-publisher-out",
        action="store_true",
        help="with --articles: metadata figures with the constants chosen without each group",
    )
    args = parser.parse_args()

    folder = args.bench_dir / ("articles" if args.articles else "boilerplate")
    gold = folder / args.split
    with gzip.open(gold, "rt", encoding="utf-8") as lines:
        pages = [json.loads(line) for line in lines if line.strip()]
    kinds = list(args.inputs)
    if args.leave_one_site_out:
        _body_cross_validation(pages, args.articles, args.bench_dir, kinds)
        if not args.articles:
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
    if args.articles and args.leave_one_publisher_out:
        _metadata_leave_one_group_out(pages, list(args.inputs), folder)


if __name__ == "__main__":
    main()
