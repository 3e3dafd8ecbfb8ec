"""Article-body extraction quality: storyline's "extract" stage against trafilatura alone.

The metric is the one of the Scrapinghub article extraction benchmark
(https://github.com/scrapinghub/article-extraction-benchmark, `evaluate.py`), reimplemented here:

- tokenise both texts with the Unicode regex `\\w+`;
- take the 4-gram shingles of tokens as multisets (a text of fewer than 4 tokens is one shorter shingle;
  an empty text has none);
- per page, TP = sum of the minimum counts, FP = predicted excess, FN = missing, then normalise TP, FP and FN
  so they sum to 1 (longer pages do not weigh more);
- per-page precision TP/(TP+FP) and recall TP/(TP+FN), both 1.0 when FP and FN are both 0;
- precision is averaged over the pages with TP+FP > 0, recall over the pages with TP+FN > 0, and
  F1 = 2PR/(P+R) of the two averages.

`evaluate_extraction(directory)` runs on a folder in the benchmark's layout: `html/<id>.html.gz` (gzip
compressed UTF-8 HTML) and `ground-truth.json` (`{"<id>": {"articleBody": ..., "url": ...}}`).
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)

Counts = tuple[float, float, float]


def tokenize(text: str | None) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """The multiset of n-token shingles of `text` (one shorter shingle when there are fewer than n tokens)."""
    tokens = tokenize(text)
    out: Counter[tuple[str, ...]] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            out[shingle] += 1
    return out


def shingle_counts(true: str | None, pred: str | None, n: int = 4) -> Counts:
    """(TP, FP, FN) of the predicted text against the true one, normalised to sum to 1 (when not all 0)."""
    t, p = shingles(true, n), shingles(pred, n)
    tp = fp = fn = 0.0
    for key in t.keys() | p.keys():
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return tp, fp, fn


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def metrics_from_counts(counts: Iterable[Counts]) -> dict[str, float]:
    """Averaged precision and recall over pages, and the F1 of the two averages."""
    counts = list(counts)
    precisions = [precision_score(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [recall_score(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def load_benchmark(directory: Path) -> list[tuple[str, str, str, str | None]]:
    """(id, html, true body, url) for every page of a benchmark folder, sorted by id."""
    directory = Path(directory)
    truth_path = directory / "ground-truth.json"
    if not truth_path.is_file():
        raise FileNotFoundError(f"{truth_path} not found: expected html/<id>.html.gz and ground-truth.json")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        path = directory / "html" / f"{key}.html.gz"
        if not path.is_file():
            continue
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
            html = f.read()
        item = truth[key] or {}
        pages.append((key, html, item.get("articleBody") or "", item.get("url")))
    return pages


def trafilatura_alone(html: str, url: str | None = None) -> str:
    """The baseline: trafilatura 2.x with its defaults, as `trafilatura.extract(html)` (no URL)."""
    import trafilatura

    return trafilatura.extract(html) or ""


def storyline_extractor() -> Callable[[str, str | None], str]:
    """storyline's "extract" stage as a function of the HTML: the stage itself, run on a fresh document."""
    from ..records import Document
    from ..stages.extract import ExtractText, NoTextError

    stage = ExtractText()

    def run(html: str, url: str | None = None) -> str:
        doc = Document(source="benchmark", html=html, meta={"url": url} if url else {})
        try:
            return stage(doc).text
        except NoTextError:
            return ""

    return run


def evaluate_extraction(directory: Path, *, details: bool = False) -> dict[str, Any]:
    """Score storyline's "extract" stage and trafilatura alone on a benchmark folder, with the benchmark's
    metric, in the same run. Neither is given the page's URL (the benchmark's own runners do not pass it).

    Speed (`pages_per_s`) is measured page by page with the two extractors alternating on each page, so both
    see the same machine load; both run once on the first page beforehand (imports, lazy tables) outside
    the timings. With `details`, `per_page` lists each page's F1 for both."""
    pages = load_benchmark(Path(directory))
    systems: dict[str, Callable[[str, str | None], str]] = {
        "storyline": storyline_extractor(),
        "trafilatura": trafilatura_alone,
    }
    if pages:
        for fn in systems.values():
            fn(pages[0][1], None)
    counts: dict[str, list[Counts]] = {name: [] for name in systems}
    seconds: dict[str, float] = dict.fromkeys(systems, 0.0)
    per_page: list[dict[str, Any]] = []
    for key, html, true, _url in pages:
        row: dict[str, Any] = {"id": key}
        for name, fn in systems.items():
            t0 = time.perf_counter()
            text = fn(html, None)
            seconds[name] += time.perf_counter() - t0
            c = shingle_counts(true, text)
            counts[name].append(c)
            row[name] = round(_page_f1(c), 4)
        per_page.append(row)
    result: dict[str, Any] = {"pages": len(pages)}
    for name in systems:
        m = metrics_from_counts(counts[name]) if pages else {"precision": 0.0, "recall": 0.0, "f1": 0.0}
        m["pages_per_s"] = len(pages) / seconds[name] if seconds[name] > 0 else 0.0
        result[name] = {k: round(v, 4) for k, v in m.items()}
    if details:
        result["per_page"] = per_page
    return result


def _page_f1(c: Counts) -> float:
    p, r = precision_score(*c), recall_score(*c)
    return 2 * p * r / (p + r) if p + r > 0 else 0.0
