"""Grouping at scale: does placing one article cost the same with 100k articles stored as with 10k?

    PYTHONPATH=src python benchmarks/stories_scale.py [--articles 100000] [--pool 300] [--db PATH]

1. A pool of real articles (PolNeAR texts in ../shared/benchmarks/polnear/train/text, plus the bundled examples)
   is analysed once by the full default pipeline; each gives its grouping evidence (entity keys, lead
   happenings).
2. `--articles` articles are synthesised from the pool as stories: each story takes one pool article's evidence,
   keeps the keys found in at least 5% of the pool as they are (hubs such as countries and leading figures,
   shared by many stories) and renames the others per story, so stories share hubs and own the rest; three keys
   of another pool article are mixed in (recombination); it runs for a few events over days to
   weeks, each event reported by one to ten articles whose keys and weights vary (keys dropped, weights jittered,
   and whose lead happenings carry the event's day. Dates span a year
   and arrive roughly in order (up to three days late), as a news stream does.
3. They are streamed in batches of 200 into a real SQLite store through `Grouper.place_evidence` (articles are
   stored first, outside the measurement). The CPU time (process_time) of placing the articles stored around
   10k and around 100k is reported, with their ratio (bar <= 1.5) and the peak RSS (bar < 2 GB), and how well
   the events and storylines found match the synthesised ones (B-cubed precision and recall).
4. The spine check: the grouper alone (evidence reading included) on `--pool` PolNeAR articles analysed by the
   spine pipeline (no entities, no events, no dates): CPU ms per article (goal: well under 1.5 ms).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from storyline.cluster import Evidence, Grouper, Happening, evidence_of
from storyline.ingest import iter_inputs
from storyline.pipeline import Pipeline
from storyline.records import Article, Document, Published, RawDocument
from storyline.stages import DEFAULT_PIPELINE
from storyline.store import open_store

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "benchmarks" / "polnear" / "train" / "text"
EXAMPLES = ROOT / "examples" / "diplomacy-fr"
SPINE = ("extract", "metadata", "title", "body", "language", "identity")
BATCH = 200
START_DAY = 738_000  # an ordinal day (2021-08-07); the stream covers the year after it
SPAN_DAYS = 365
BORROWED_KEYS = 3
HUB_SHARE = 0.05  # keys found in this share of the pool (countries, leading figures) stay shared between stories
FAMILIES = ("CONSULT", "MEET", "STATEMENT", "DEMAND", "THREATEN", "AGREE")


def analyse(paths: list[Path], names: tuple[str, ...]) -> list[tuple[Article, Document]]:
    pipeline = Pipeline.from_names(names)
    raws = [r for r in iter_inputs([str(p) for p in paths]) if isinstance(r, RawDocument)]
    out = []
    for i in range(0, len(raws), BATCH):
        for doc in pipeline.pipe(Document.from_raw(r) for r in raws[i : i + BATCH]):
            if doc.id and doc.text.strip():
                out.append((Article.from_document(doc), doc))
    return out


def pool_paths(n: int) -> list[Path]:
    if not POLNEAR.is_dir():
        sys.exit(f"{POLNEAR} is missing: this benchmark needs ../shared")
    return sorted(POLNEAR.glob("*.txt"))[:n] + sorted(EXAMPLES.glob("*.txt"))


def synthesise(pool: list[Evidence], n: int, rng: random.Random):
    """Yield `n` evidences in stream order (see the module docstring), as (arrival day, evidence)."""
    made: list[tuple[float, Evidence]] = []
    story = 0
    df = Counter(k for e in pool for k in e.vector)
    hubs = {k for k, c in df.items() if c >= HUB_SHARE * len(pool)}
    while len(made) < n:
        story += 1
        base, other = rng.choice(pool), rng.choice(pool)
        weights = dict(base.vector)  # the story's keys: one article's, and a few of another's (recombined)
        for k in sorted(other.vector, key=lambda k: (-other.vector[k], k))[:BORROWED_KEYS]:
            weights.setdefault(k, other.vector[k] / 2)
        ranked = sorted(weights, key=lambda k: (-weights[k], k))
        rename = {k: k if k in hubs else f"{k}#{story}" for k in ranked}
        ids = {k[2:]: v[2:] for k, v in rename.items()}
        day = START_DAY + rng.randrange(SPAN_DAYS)
        for event in range(rng.choice((1, 1, 2, 3, 5, 8))):
            day += rng.choice((1, 2, 4, 7, 14, 21))
            family = rng.choice(FAMILIES)
            actors = [v for v in list(ids.values())[3:6]] or list(ids.values())[:2]
            happenings = [Happening(h.family, frozenset(ids.get(p, p) for p in h.participants), day, day)
                          for h in base.happenings[:1]] or [Happening(family, frozenset(actors), day, day)]
            for _ in range(rng.choice((1, 1, 2, 3, 5, 10))):
                kept = [k for k in ranked if rng.random() > 0.2] or ranked[:1]
                vector = {rename[k]: weights[k] * rng.uniform(0.5, 1.5) for k in kept}
                norm = sum(w * w for w in vector.values()) ** 0.5
                published = day + rng.choice((0, 0, 0, 1))
                aid = f"{len(made):016x}"
                ev = Evidence(aid, f"story {story} event {event}", published, published, {k: w / norm for k, w in vector.items()},
                              {}, happenings)
                made.append((published + rng.uniform(0, 3), ev))
    made.sort(key=lambda x: (x[0], x[1].article_id))
    return [ev for _, ev in made[:n]]


def bcubed(found: list[list[str]], truth: dict[str, str]) -> tuple[float, float]:
    """B-cubed precision and recall of a partition against the synthesised one (article -> true group)."""
    true_size = Counter(truth.values())
    precision = recall = 0.0
    for members in found:
        shared = Counter(truth[a] for a in members)
        for a in members:
            precision += shared[truth[a]] / len(members)
            recall += shared[truth[a]] / true_size[truth[a]]
    return precision / len(truth), recall / len(truth)


def stub_article(ev: Evidence) -> Article:
    day = date.fromordinal(ev.lo).isoformat()
    return Article(id=ev.article_id, source=f"synthetic:{ev.article_id}", text=ev.title, title=ev.title,
                   language="en", published=Published.exact(day, "synthetic"), outlet=None, wire=None, url=None,
                   body=(), meta={})


def stream(evidences: list[Evidence], db: str, windows: list[tuple[int, int]]) -> dict[tuple[int, int], float]:
    """Place every evidence batch by batch; CPU seconds per article placed within each window of stored counts."""
    grouper = Grouper()
    spent = {w: [0.0, 0] for w in windows}
    with open_store(db) as store:
        for i in range(0, len(evidences), BATCH):
            chunk = evidences[i : i + BATCH]
            with store.batch() as batch:
                for ev in chunk:
                    batch.add_article(stub_article(ev))
                t0 = time.process_time()
                grouper.place_evidence(batch, store, chunk)
                cpu = time.process_time() - t0
            for lo, hi in windows:
                if lo <= i < hi:
                    spent[(lo, hi)][0] += cpu
                    spent[(lo, hi)][1] += len(chunk)
            if (i // BATCH) % 50 == 0:
                print(f"  {i + len(chunk):>7} placed, last batch {1000 * cpu / len(chunk):.3f} ms/article", flush=True)
        truth = {ev.article_id: ev.title for ev in evidences}  # "story S event E"
        for level, key in (("storyline", lambda t: t.split(" event ")[0]), ("event", lambda t: t)):
            found = [s.articles for s in store.stories(level)]
            p, r = bcubed(found, {a: key(t) for a, t in truth.items()})
            sizes = sorted(map(len, found), reverse=True)[:5]
            print(f"  {level}s: {len(found)} found, {len(set(map(key, truth.values())))} synthesised, largest {sizes}, "
                  f"B-cubed precision {p:.3f} recall {r:.3f}")
    return {w: s / max(n, 1) for w, (s, n) in spent.items()}


def spine_cost(paths: list[Path]) -> float:
    items = analyse(paths, SPINE)
    grouper = Grouper()
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "spine.db")) as store:
        cpu = 0.0
        for i in range(0, len(items), BATCH):
            with store.batch() as batch:
                for article, _ in items[i : i + BATCH]:
                    batch.add_article(article)
                t0 = time.process_time()
                grouper.place_all(batch, store, items[i : i + BATCH])
                cpu += time.process_time() - t0
    return 1000 * cpu / len(items)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--pool", type=int, default=300, help="PolNeAR articles analysed (plus the examples)")
    ap.add_argument("--db", help="store file (default: a temporary one)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    t0 = time.process_time()
    paths = pool_paths(args.pool)
    pool = [evidence_of(a, d) for a, d in analyse(paths, DEFAULT_PIPELINE)]
    pool = [e for e in pool if e.vector]
    print(f"pool: {len(pool)} real articles analysed ({time.process_time() - t0:.0f} s CPU), "
          f"{sum(1 for e in pool if e.happenings)} with lead happenings")
    evidences = synthesise(pool, args.articles, random.Random(args.seed))
    n = len(evidences)
    small = (int(n * 0.08), int(n * 0.12))  # around 10k of 100k (20 batches)
    large = (n - n // 25, n)  # the last 4%: around 100k
    with tempfile.TemporaryDirectory() as tmp:
        costs = stream(evidences, args.db or str(Path(tmp) / "scale.db"), [small, large])
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    spine_ms = spine_cost(pool_paths(args.pool)[: args.pool])
    report = {
        "articles": n,
        "cpu_ms_per_article_around": {f"{small[0]}-{small[1]}": round(1000 * costs[small], 3),
                                      f"{large[0]}-{large[1]}": round(1000 * costs[large], 3)},
        "ratio": round(costs[large] / costs[small], 3),
        "peak_rss_mb": round(rss_mb),
        "spine_grouping_cpu_ms_per_article": round(spine_ms, 3),
    }
    print(json.dumps(report, indent=1))
    ok = report["ratio"] <= 1.5 and rss_mb < 2048
    print("bars (ratio <= 1.5, RSS < 2 GB):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
