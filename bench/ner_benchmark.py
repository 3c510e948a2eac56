"""NER benchmark: the pipeline's mentions on CoNLL-2003, scored with the bench scorer.

Usage: python bench/ner_benchmark.py [--split dev|train|all] [--folds K] [--flow] [--limit N]
       [--predictions PATH] [--bench-dir DIR]

--folds K also scores K folds of the dev and train documents together (document i in fold
i mod K) and prints each fold's figure and their mean beside the split's figure. The rules
have nothing fitted to data, so each fold is scored as held out: a fold scoring well below the
dev figure means a rule fits the dev documents.

--flow runs the real flow (`newsflow run`, into a temporary output directory) over the
documents written as a temporary JSONL input, and scores the published `entities` table.
The clean step keeps an already-clean text whole but for a headline (to `title`) and a
byline opening it, whose gold entities cannot be found in the table; the figure is printed
for every gold entity, then for the gold entities whose text the published body kept
(aligned by characters: the body's paragraphs are separated by blank lines where the input
had one line break).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from difflib import SequenceMatcher
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.extract.entities import extract_mentions
from tasks.extract.nlp import load_nlp

DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench"
SPLIT_FILES = {
    "dev": ("conll2003_dev.jsonl",),
    "train": ("conll2003_train.jsonl",),
    "all": ("conll2003_dev.jsonl", "conll2003_train.jsonl"),
}
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
NEWSFLOW = Path(sys.executable).with_name("newsflow")

Documents = list[dict]  # gold records: {"id", "text", "entities"}
Predictions = dict[str, list[dict]]  # document id -> predicted entities, CoNLL labels


def load_documents(ner_dir: Path, split: str, limit: int | None) -> Documents:
    records = [
        json.loads(line)
        for name in SPLIT_FILES[split]
        for line in (ner_dir / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return records[:limit] if limit else records


def _conll_entity(start: int, end: int, label: str, text: str) -> dict | None:
    conll_label = ONTONOTES_TO_CONLL.get(label)
    if conll_label is None:
        return None
    return {"start": start, "end": end, "label": conll_label, "text": text}


def predict_with_extractor(documents: Documents) -> Predictions:
    """The extractor's mentions of each document, from the pipeline run in this process."""
    nlp = load_nlp()
    predictions = {}
    docs = nlp.pipe((record["text"] for record in documents), batch_size=16)
    for record, doc in zip(documents, docs, strict=True):
        entities = [
            _conll_entity(m.start_char, m.end_char, m.label, m.text) for m in extract_mentions(doc)
        ]
        predictions[record["id"]] = [entity for entity in entities if entity]
    return predictions


def _aligned(body: str, text: str) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """Body offset -> text offset for the characters the two share (in order), and the
    [start, end) ranges of the text that the body kept."""
    matcher = SequenceMatcher(None, body, text, autojunk=False)
    mapping, kept = {}, []
    for body_start, text_start, size in matcher.get_matching_blocks():
        for step in range(size + 1):  # + 1: a span's end may be a block's end
            mapping.setdefault(body_start + step, text_start + step)
        if size:
            kept.append((text_start, text_start + size))
    return mapping, kept


def predict_with_flow(documents: Documents, scratch: Path) -> tuple[Predictions, dict]:
    """The published entities of a real run over `documents`, in offsets of each input text,
    and per document the [start, end) ranges of its text that the published body kept."""
    input_path = scratch / "documents.jsonl"
    input_path.write_text(
        "".join(
            json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n"
            for r in documents
        ),
        encoding="utf-8",
    )
    output = scratch / "output"
    environment = {**os.environ, "PREFECT_HOME": str(scratch / "prefect")}
    command = [str(NEWSFLOW), "run", "--input", str(input_path), "--output", str(output)]
    subprocess.run(command, check=True, env=environment, stdout=subprocess.DEVNULL)
    articles = pq.read_table(output / "articles", columns=["article_id", "source_uri", "body"])
    entities = pq.read_table(output / "entities").to_pylist()
    text_of = {r["id"]: r["text"] for r in documents}
    document_of, offsets, kept = {}, {}, {}
    for article in articles.to_pylist():
        document_id = article["source_uri"].rpartition("#")[2]
        document_of[article["article_id"]] = document_id
        offsets[article["article_id"]], kept[document_id] = _aligned(
            article["body"], text_of[document_id]
        )
    predictions: Predictions = {r["id"]: [] for r in documents}
    for row in entities:
        mapping = offsets[row["article_id"]]
        start, end = row["start_char"], row["end_char"]
        if start not in mapping or end not in mapping:
            continue  # a span over characters the clean step changed: cannot match gold
        entity = _conll_entity(mapping[start], mapping[end], row["label"], row["text"])
        if entity:
            predictions[document_of[row["article_id"]]].append(entity)
    return predictions, kept


def score(ner_dir: Path, documents: Documents, predictions: Predictions) -> str:
    """The bench scorer's report on `documents` (one line per label, then the totals)."""
    with tempfile.TemporaryDirectory() as scratch:
        gold_path, prediction_path = Path(scratch) / "gold.jsonl", Path(scratch) / "pred.jsonl"
        gold_path.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in documents), "utf-8"
        )
        prediction_path.write_text(
            "".join(
                json.dumps({"id": r["id"], "entities": predictions.get(r["id"], [])}) + "\n"
                for r in documents
            ),
            "utf-8",
        )
        command = [sys.executable, str(ner_dir / "score.py"), str(gold_path), str(prediction_path)]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _f1(report: str) -> float:
    """The overall F1 of a scorer report (its last line)."""
    return float(report.strip().splitlines()[-1].split("f1=")[1].split()[0])


def _label_f1(report: str, label: str) -> float:
    line = next(line for line in report.splitlines() if line.startswith(label + " "))
    return float(line.split("f1=")[1].split()[0])


def _figures(labels: tuple[str, ...], values: list[float]) -> str:
    return " ".join(f"{n}={v:.4f}" for n, v in zip(("f1", *labels), values, strict=True))


def print_folds(ner_dir: Path, documents: Documents, predictions: Predictions, k: int) -> None:
    """Each fold's F1 (overall and per label), then their mean."""
    labels = ("PER", "ORG", "LOC", "MISC")
    rows = []
    for fold in range(k):
        held_out = documents[fold::k]
        report = score(ner_dir, held_out, predictions)
        rows.append([_f1(report), *(_label_f1(report, label) for label in labels)])
        print(f"fold {fold + 1}/{k} docs={len(held_out)} {_figures(labels, rows[-1])}")
    means = [sum(column) / k for column in zip(*rows, strict=True)]
    spread = max(row[0] for row in rows) - min(row[0] for row in rows)
    print(f"{k}-fold mean {_figures(labels, means)} (fold f1 range {spread:.4f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--split", choices=sorted(SPLIT_FILES), default="dev")
    parser.add_argument("--folds", type=int, help="also score K folds of dev + train documents")
    parser.add_argument("--flow", action="store_true", help="score a real run's entities table")
    parser.add_argument("--limit", type=int, help="score only the first N documents")
    parser.add_argument("--predictions", type=Path, help="also keep the predictions here")
    args = parser.parse_args()
    ner_dir = args.bench_dir / "ner"
    documents = load_documents(ner_dir, "all" if args.folds else args.split, args.limit)
    with tempfile.TemporaryDirectory() as scratch:
        if args.flow:
            predictions, kept = predict_with_flow(documents, Path(scratch))
        else:
            predictions = predict_with_extractor(documents)
    if args.predictions:
        args.predictions.write_text(
            "".join(json.dumps({"id": i, "entities": e}) + "\n" for i, e in predictions.items()),
            "utf-8",
        )
    split_ids = {r["id"] for r in load_documents(ner_dir, args.split, None)}
    in_split = [r for r in documents if r["id"] in split_ids]
    print(f"{args.split}{' through the flow' if args.flow else ''}:")
    print(score(ner_dir, in_split, predictions), end="")
    if args.flow:
        in_body = [
            {
                **record,
                "entities": [
                    entity
                    for entity in record["entities"]
                    if any(
                        start <= entity["start"] and entity["end"] <= end
                        for start, end in kept.get(record["id"], [])
                    )
                ],
            }
            for record in in_split
        ]
        print(f"{args.split} through the flow, gold entities whose text the published body kept:")
        print(score(ner_dir, in_body, predictions), end="")
    if args.folds:
        print_folds(ner_dir, documents, predictions, args.folds)


if __name__ == "__main__":
    main()
