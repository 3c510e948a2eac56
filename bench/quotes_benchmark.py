"""Quote attribution benchmark: extract_quotes on the PolNeAR articles, scored by the bench scorer.

python bench/quotes_benchmark.py [--bench-dir DIR] [--cache-dir DIR] [--folds K]
                                 [--predictions FILE]

Prints, for each scope (direct + partial quotes, speech-cue attributions, all attributions),
detection and quote + speaker precision / recall / F1 and recall by kind (direct, partial =
the scorer's "mixed", indirect) on the dev split, then the same figures cross-validated:
dev + train split into K folds of whole articles, each fold scored on its own, mean and
spread over the folds. The extractor learns nothing from the articles, so a fold's score is
its held-out score; a dev figure above the folds' mean says a rule fits the dev articles.
Then the speaker-resolution figures on the annotation set in bench/annotations/ (see
bench/README.md) and the cost of extract_quotes against parsing the dev articles, both timed
in this process. Parsed Docs are cached as DocBins in the cache dir.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spacy.tokens import Doc, DocBin, Span, Token

from tasks.extract.coreference import Coreference
from tasks.extract.nlp import load_nlp
from tasks.extract.quotes import QuoteRow, extract_quotes

DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench"
DEFAULT_CACHE_DIR = Path("/tmp/cache-quotes")
# (label, scorer kinds, speech cues only): the scopes the targets are stated for.
SCOPES = (
    ("direct+partial", {"direct", "mixed"}, False),
    ("speech-cues", None, True),
    ("all", None, False),
)
SPLITS = ("dev", "train")
ANNOTATIONS = Path(__file__).resolve().parent / "annotations" / "speaker_resolution.jsonl"


def load_scorer(quotes_dir: Path):
    """The bench's own score.py, imported so each fold is scored without a subprocess."""
    spec = importlib.util.spec_from_file_location("quotes_score", quotes_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prediction(row: QuoteRow) -> dict:
    """A quote row in the scorer's format (it reads the data-contract column names)."""
    return {
        "quote": row.quote_text,
        "quote_start": row.start_char,
        "quote_end": row.end_char,
        "kind": "mixed" if row.quote_type == "partial" else row.quote_type,
        "speaker": row.speaker_text,
        "speaker_start": row.speaker_start,
        "speaker_end": row.speaker_end,
        "cue": row.cue,
    }


def parsed_docs(records: list[dict], cache: Path) -> list[Doc]:
    """The records' texts parsed by the project pipeline, from the DocBin cache when the
    texts and the model are the ones it was made from."""
    nlp = load_nlp()
    digest = hashlib.sha256("\n".join(r["text"] for r in records).encode()).hexdigest()[:16]
    path = cache / f"{digest}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe((r["text"] for r in records), batch_size=16))
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    return docs


def predict(records: list[dict], docs: list[Doc]) -> Iterator[dict]:
    """One prediction line per article; scare quotes are not attributions, so not scored."""
    for record, doc in zip(records, docs, strict=True):
        rows = [prediction(row) for row in extract_quotes(doc) if row.quote_type != "scare"]
        yield {"id": record["id"], "quotes": rows}


def cost(records: list[dict]) -> tuple[float, float]:
    """Seconds to parse the records' texts and seconds for extract_quotes on the parsed Docs,
    measured together (same process, same machine load)."""
    nlp = load_nlp()
    started = time.perf_counter()
    docs = list(nlp.pipe((r["text"] for r in records), batch_size=16))
    parsed = time.perf_counter()
    for doc in docs:
        list(extract_quotes(doc))
    return parsed - started, time.perf_counter() - parsed


def figures(result: dict) -> dict[str, float]:
    """The figures reported per scope: detection and end-to-end P/R/F1, recall by kind."""
    out = {
        "detection P": result["quote_p"],
        "detection R": result["quote_r"],
        "detection F1": result["quote_f1"],
        "quote+speaker P": result["e2e_p"],
        "quote+speaker R": result["e2e_r"],
        "quote+speaker F1": result["e2e_f1"],
    }
    for kind, (recall, count) in result["recall_by_kind"].items():
        if recall is not None and count:
            out[f"recall {'partial' if kind == 'mixed' else kind}"] = recall
    return out


def report(label: str, dev: dict[str, float], folds: list[dict[str, float]]) -> None:
    print(f"{label}")
    print(f"  {'figure':18s} {'dev':>6s}  {'5-fold mean':>11s} {'(min-max)':>13s}  gap")
    for name, value in dev.items():
        values = [fold[name] for fold in folds if name in fold]
        mean = statistics.fmean(values)
        spread = f"({min(values):.3f}-{max(values):.3f})"
        print(f"  {name:18s} {value:6.3f}  {mean:11.3f} {spread:>13s}  {value - mean:+.3f}")


def same_referent(doc: Doc, predicted: Span, gold: tuple[int, int]) -> bool:
    """The predicted mention is the annotated one or another mention of the same name (its
    last word: "Clinton" for "Hillary Clinton")."""
    start, end = gold
    if predicted.start_char < end and predicted.end_char > start:
        return True
    annotated = doc.char_span(start, end, alignment_mode="expand")
    return annotated is not None and annotated[-1].lower_ == predicted[-1].lower_


def speaker_head(span: Span) -> Token:
    """The head word of a gold speaker span: its syntactic root, or its last word when the
    parse hangs the span on a word outside it (root "the" in "the Rubio campaign risks")."""
    if span.root.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        return span.root
    words = [t for t in span if not t.is_punct]
    return words[-1] if words else span.root


def resolution(docs: dict[str, Doc], gold: dict[str, dict], annotations: list[dict]) -> None:
    """Speaker-resolution precision and recall on the annotation set, by part. Each document's
    gold speakers are resolved in text order, as extract_quotes resolves the speakers it finds,
    so a pronoun can look back to the speakers before it."""
    by_doc: dict[str, list[dict]] = {}
    for annotation in annotations:
        by_doc.setdefault(annotation["doc"], []).append(annotation)
    counts: dict[str, list[int]] = {}
    for doc_id, wanted in by_doc.items():
        doc = docs[doc_id]
        coreference = Coreference(doc)
        spans = {(q["speaker_start"], q["speaker_end"]) for q in gold[doc_id]["quotes"]}
        spans.update(tuple(a["speaker"]) for a in wanted)
        resolved = {}
        for start, end in sorted(s for s in spans if s[0] is not None):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None and len(span):
                head = speaker_head(span)
                resolved[start, end] = coreference.resolve(head, start, end, remember=True)
        for annotation in wanted:
            referent = resolved.get(tuple(annotation["speaker"]))
            entity = referent.entity if referent is not None else None
            right = annotation["referent"] is not None and entity is not None
            right = right and same_referent(doc, entity, tuple(annotation["referent"]))
            count = counts.setdefault(annotation["part"], [0, 0, 0, 0])
            count[0] += 1
            count[1] += entity is not None
            count[2] += annotation["referent"] is not None
            count[3] += right
    for part, (speakers, predicted, annotated, right) in sorted(counts.items()):
        precision = right / predicted if predicted else 0.0
        recall = right / annotated if annotated else 0.0
        print(
            f"speaker resolution, {part} part: {speakers} speakers ({annotated} named in the "
            f"text), {predicted} resolved, precision {precision:.3f} recall {recall:.3f}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--predictions", type=Path, help="where to write the predictions JSONL")
    args = parser.parse_args(argv)
    quotes_dir = args.bench_dir / "quotes"
    scorer = load_scorer(quotes_dir)
    gold: dict[str, dict] = {}
    split_of: dict[str, str] = {}
    predictions: dict[str, dict] = {}
    docs_by_id: dict[str, Doc] = {}
    for split in SPLITS:
        records = list(scorer.load(quotes_dir / f"{split}.jsonl").values())
        docs = parsed_docs(records, args.cache_dir)
        for line in predict(records, docs):
            predictions[line["id"]] = line
        for record, doc in zip(records, docs, strict=True):
            gold[record["id"]] = record
            docs_by_id[record["id"]] = doc
            split_of[record["id"]] = split
    if args.predictions:
        with args.predictions.open("w", encoding="utf-8") as handle:
            for line in predictions.values():
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    # Folds of whole articles, assigned by a hash of the id: stable, and independent of order.
    fold_of = {
        doc_id: int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % args.folds for doc_id in gold
    }
    dev_gold = {doc_id: g for doc_id, g in gold.items() if split_of[doc_id] == "dev"}
    for label, kinds, speech_only in SCOPES:
        dev = figures(scorer.score(dev_gold, predictions, kinds, speech_only))
        folds = []
        for fold in range(args.folds):
            fold_gold = {doc_id: g for doc_id, g in gold.items() if fold_of[doc_id] == fold}
            folds.append(figures(scorer.score(fold_gold, predictions, kinds, speech_only)))
        report(label, dev, folds)
    if ANNOTATIONS.exists():
        with ANNOTATIONS.open(encoding="utf-8") as handle:
            annotations = [json.loads(line) for line in handle if line.strip()]
        resolution(docs_by_id, gold, annotations)
    parse_seconds, extract_seconds = cost(list(dev_gold.values()))
    print(
        f"cost on the {len(dev_gold)} dev articles: parse {parse_seconds:.1f} s, extract_quotes "
        f"{extract_seconds:.2f} s = {extract_seconds / parse_seconds:.1%} of the parse"
    )


if __name__ == "__main__":
    main()
