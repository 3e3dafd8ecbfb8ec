"""Over-fitting check for HTML extraction: the benchmark's F1 for storyline and trafilatura alone on two halves
of the pages, split by a hash of each page's id (its file name), and the pages each system wins by more than
0.005 of page F1. A rule tuned to a few pages shows as a gap between the halves.

    python benchmarks/extraction_halves.py ../shared/benchmarks/article-extraction
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from storyline.evaluation.extraction import (
    load_benchmark,
    metrics_from_counts,
    shingle_counts,
    storyline_extractor,
    trafilatura_alone,
)


def half_of(page_id: str) -> int:
    return int(hashlib.sha1(page_id.encode()).hexdigest(), 16) % 2


def page_f1(counts) -> float:
    m = metrics_from_counts([counts])
    return m["f1"]


def main(folder: str) -> dict:
    pages = load_benchmark(Path(folder))
    ours = storyline_extractor()
    rows = [(key, shingle_counts(true, ours(html, None)), shingle_counts(true, trafilatura_alone(html, None)))
            for key, html, true, _url in pages]
    out = {}
    for name, selected in (("half 0", 0), ("half 1", 1), ("all", None)):
        part = [r for r in rows if selected is None or half_of(r[0]) == selected]
        wins = sum(page_f1(s) > page_f1(t) + 0.005 for _, s, t in part)
        losses = sum(page_f1(s) < page_f1(t) - 0.005 for _, s, t in part)
        out[name] = {
            "pages": len(part),
            "storyline_f1": round(metrics_from_counts([s for _, s, _ in part])["f1"], 4),
            "trafilatura_f1": round(metrics_from_counts([t for _, _, t in part])["f1"], 4),
            "storyline_better_pages": wins,
            "trafilatura_better_pages": losses,
        }
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "../shared/benchmarks/article-extraction"), indent=1))
