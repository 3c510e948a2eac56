"""Canonical-entity check over the seeds: surface forms that must share an id, pairs that must not.

Usage: python bench/canonical_check.py [--seeds DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.extract.entities import Mention, extract_mentions
from tasks.extract.nlp import load_nlp
from tasks.normalize.entities import link_mentions

DEFAULT_SEEDS = Path(__file__).resolve().parents[1] / "seeds"
# Each group: forms that name one entity wherever they occur in the seeds.
SAME_ENTITY = [
    {"Chen", "Chen Binhua"},
    {"Sato", "Masahisa Sato"},
    {"Harris", "Kamala Harris"},
    {"Aso", "Aso Taro"},
    {"U.S.", "US", "United States"},
    {"China", "People's Republic of China", "PRC"},
    {"Japan Self Defence Force", "Japan Self-Defense Forces", "JSDF"},
    {"MOD", "Ministry of Defense"},
    {"DPP", "Democratic Progressive Party"},
    {"Japan-Taiwan Exchange Association", "Association"},
]
# Pairs of forms that must never share an id.
DIFFERENT_ENTITIES = [
    ("Japan", "China"),
    ("Japan", "Taiwan"),
    ("China", "Taiwan"),
    ("Japan", "Japanese"),
    ("Japan", "Tokyo"),
    ("Taiwan", "Taipei"),
    ("China", "Beijing"),
    ("Japan", "Japan Self-Defense Forces"),
    ("Japan", "Japan-Taiwan Exchange Association"),
    ("Chen Binhua", "Masahisa Sato"),
]


def seed_body(path: Path) -> str:
    """A seed's text without its ` date ...` header line (the clean step's job in the flow)."""
    text = path.read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    return rest if first.startswith(" date ") else text


def seed_mentions(seeds: Path) -> list[tuple[str, Mention]]:
    nlp = load_nlp()
    paths = sorted(seeds.glob("*.txt"))
    docs = nlp.pipe(seed_body(path) for path in paths)
    return [
        (path.stem, mention)
        for path, doc in zip(paths, docs, strict=True)
        for mention in extract_mentions(doc)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    args = parser.parse_args()
    mentions = seed_mentions(args.seeds)
    ids_by_form: dict[str, set[str]] = defaultdict(set)
    for (_article, mention), link in zip(mentions, link_mentions(mentions)[0], strict=True):
        ids_by_form[mention.text].add(link.entity_id)
    groups_ok = 0
    for forms in SAME_ENTITY:
        ids = set().union(*(ids_by_form.get(form, set()) for form in forms))
        complete = all(form in ids_by_form for form in forms)
        if complete and len(ids) == 1:
            groups_ok += 1
        else:
            missing = sorted(form for form in forms if form not in ids_by_form)
            print(f"group failed: {sorted(forms)} ids={len(ids)} missing={missing}")
    separations_ok = 0
    for first, second in DIFFERENT_ENTITIES:
        if ids_by_form.get(first) and ids_by_form.get(second):
            if ids_by_form[first].isdisjoint(ids_by_form[second]):
                separations_ok += 1
            else:
                print(f"separation failed: {first!r} / {second!r}")
        else:
            print(f"separation not testable: {first!r} / {second!r} not both found")
    print(f"canonical_groups_ok={groups_ok}/{len(SAME_ENTITY)}")
    print(f"canonical_separations_ok={separations_ok}/{len(DIFFERENT_ENTITIES)}")


if __name__ == "__main__":
    main()
