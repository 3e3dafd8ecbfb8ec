"""Entity quality against a gold file in the layout of `shared/corpora/*/gold.json`.

Gold lists, per entity, the distinct mention texts of each document (`entities[*].mentions`), texts that may
or may not be extracted (`optional_entities`) and texts that must not be (`not_entities`, found only in
boilerplate). Texts compare after the gold's "matching" normalisation: NFKC, look-alike letters of another
script folded, white space runs collapsed.

- Mention precision / recall / F1 over (document, text, type) triples; a predicted mention whose text is,
  contains or is contained in an optional text of its document is neither rewarded nor counted as an error.
- Grouping: pairwise precision / recall / F1 over the gold (document, text) items: two items are predicted
  together when their mentions share an entity — the `refers_to` country for a capital used as a government
  (the gold groups "Moscou" with Russia), else the `entity_id`. An item never predicted is a singleton.
- `not_entities_found`: not-entity texts that were extracted.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path
from typing import Any

from ..textnorm import clean_line

__all__ = ["match_key", "gold_body", "evaluate_entities", "load_gold"]


def match_key(text: str) -> str:
    return unicodedata.normalize("NFKC", clean_line(text))


def load_gold(corpus: str | Path) -> dict[str, Any]:
    return json.loads((Path(corpus) / "gold.json").read_text(encoding="utf-8"))


def gold_body(text: str, boilerplate_lines: Iterable[int]) -> list[tuple[int, int]]:
    """Body ranges of a raw text from the gold's 1-based boilerplate line numbers: every other non-blank line,
    white space trimmed."""
    skip = set(boilerplate_lines)
    out = []
    pos = 0
    for n, line in enumerate(text.split("\n"), 1):
        start = pos
        pos += len(line) + 1
        if n in skip or not line.strip():
            continue
        lead = len(line) - len(line.lstrip())
        out.append((start + lead, start + len(line.rstrip())))
    return out


def _prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def evaluate_entities(gold: dict[str, Any], predicted: dict[str, list[Any]]) -> dict[str, Any]:
    """Scores of `predicted` (document name -> mentions with text, type, entity_id, refers_to) against
    `gold`."""
    optional: dict[str, list[str]] = {}
    for o in gold.get("optional_entities", []):
        optional.setdefault(o["document"], []).append(match_key(o["text"]))
    gold_triples: set[tuple[str, str, str]] = set()
    gold_cluster: dict[tuple[str, str], str] = {}
    for ent in gold.get("entities", []):
        for doc, texts in ent["mentions"].items():
            for t in texts:
                key = match_key(t)
                gold_triples.add((doc, key, ent["type"]))
                gold_cluster[(doc, key)] = ent["canonical"]
    pred_triples: set[tuple[str, str, str]] = set()
    pred_groups: dict[tuple[str, str], Counter] = {}
    for doc, mentions in predicted.items():
        for m in mentions:
            key = match_key(m.text)
            if (doc, key) not in gold_cluster and any(key in o or o in key for o in optional.get(doc, [])):
                continue
            pred_triples.add((doc, key, m.type))
            group = getattr(m, "refers_to", None) or getattr(m, "entity_id", "") or f"{doc}:{key}"
            pred_groups.setdefault((doc, key), Counter())[group] += 1
    tp = len(gold_triples & pred_triples)
    mention = _prf(tp, len(pred_triples - gold_triples), len(gold_triples - pred_triples))
    # pairwise grouping over the gold items
    items = sorted(gold_cluster)
    predicted_group = {
        item: (pred_groups[item].most_common(1)[0][0] if item in pred_groups else f"unfound:{item}") for item in items
    }
    same_gold = same_pred = both = 0
    for a, b in combinations(items, 2):
        g = gold_cluster[a] == gold_cluster[b]
        p = predicted_group[a] == predicted_group[b]
        same_gold += g
        same_pred += p
        both += g and p
    grouping = _prf(both, same_pred - both, same_gold - both)
    not_found = []
    for ne in gold.get("not_entities", []):
        key = match_key(ne["text"])
        if any(k == key for (d, k, _t) in pred_triples if d == ne["document"]):
            not_found.append((ne["document"], ne["text"]))
    return {
        "mentions": mention,
        "grouping": grouping,
        "not_entities_found": not_found,
        "missed": sorted(gold_triples - pred_triples),
        "spurious": sorted(pred_triples - gold_triples),
    }
