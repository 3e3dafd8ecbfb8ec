"""Near-duplicate and syndication detection: precision and recall of copy links, throughput, and scaling.

    python benchmarks/syndication.py                 # PolNeAR from ../shared when present, else examples/
    python benchmarks/syndication.py --per-kind 50 --scale 10000,100000 --json out.json

1. Quality. Copies are planted into a real corpus (PolNeAR article texts, else the bundled examples):
   - exact: the same article re-encoded (typographic quotes and dashes, spacing): a new content id, same words;
   - reheadlined: the same body under another headline;
   - trimmed: the last 20-40% of the paragraphs dropped;
   - wrapped: site chrome added before and after (navigation, cookie banner, share buttons, teasers quoting
     other articles' headlines).
   Hard negatives are planted too: articles that share one paragraph (a quote, a statement) with another
   article, and the corpus's own articles about the same events. Articles of the corpus that already copy
   each other (updated versions of one story) are left out first, so the truth is known. Every document gets a
   publication date (the corpus's own; copies one to three days later) and the whole set is ingested in a
   random order through the real API into a temporary SQLite database, so copies often arrive before their
   original. A link is right when a planted copy points to the article it was made from.
2. Scale. The band index is filled with synthetic signatures (random band hashes) around real originals, and
   the time to place one real planted copy (find its original through the index, verify, link, index) is
   measured at each size: the ratio between the largest and the smallest size should stay near 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples" / "diplomacy-fr"
KINDS = ("exact", "reheadlined", "trimmed", "wrapped")

NAV = [
    "Home | News | Politics | World | Business | Opinion | Sports",
    "Menu Search Subscribe Sign in",
    "Politics > Elections > 2016",
    "Skip to main content",
]
COOKIES = [
    "We use cookies to improve your experience on our site. By continuing to browse you agree to our use of cookies. Accept",
    "This site uses cookies. Learn more about our privacy policy.",
    "Advertisement",
]
SHARE = [
    "Share on Facebook Share on Twitter Share via Email",
    "Follow us on Twitter and Facebook",
    "Sign up for our daily newsletter to get the latest headlines delivered to your inbox.",
    "Comments (12)",
    "© 2016 The Daily Example. All rights reserved.",
]
PREFIXES = ["WATCH", "REPORT", "BREAKING", "Analysis", "Update", "Exclusive"]
_FILE_DATE = re.compile(r"_(\d{4}-\d{2}-\d{2})_")


# -- corpus --------------------------------------------------------------------------------------------------
USE_EXAMPLES = False  # --examples: the bundled corpus even when PolNeAR is there


def corpus() -> tuple[str, list[dict]]:
    """(name, documents): {key, text, published, outlet} for every text of the corpus."""
    polnear = SHARED / "benchmarks" / "polnear" / "train" / "text"
    files = sorted(polnear.glob("*.txt")) if polnear.is_dir() and not USE_EXAMPLES else []
    name = "PolNeAR train" if files else "examples/diplomacy-fr"
    files = files or sorted(EXAMPLES.glob("*.txt"))
    docs = []
    for i, f in enumerate(files):
        m = _FILE_DATE.search(f.name)
        day = m.group(1) if m else (dt.date(2022, 1, 1) + dt.timedelta(days=i)).isoformat()
        docs.append({"key": f.stem, "text": f.read_text(encoding="utf-8"), "published": day,
                     "outlet": f.name.split("_")[0]})
    return name, docs


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of a text (PolNeAR separates paragraphs by one line break)."""
    return [p.strip() for p in text.splitlines() if p.strip()]


def drop_natural_copies(docs: list[dict]) -> tuple[list[dict], list[tuple[str, str, float]]]:
    """Leave out the later article of every pair of corpus articles that already share half their text or more
    (exact containment of word 5-gram shingles), so that the planted copies are the only copies."""
    from storyline.dedup import shingle

    sets = [set(shingle(d["text"]).shingles.tolist()) for d in docs]
    postings: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for h in s:
            postings[h].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in postings.values():
        if 1 < len(ids) <= 50:
            shared.update(combinations(ids, 2))
    dropped: set[int] = set()
    pairs = []
    for (a, b), n in shared.items():
        c = n / max(1, min(len(sets[a]), len(sets[b])))
        if c >= 0.5:
            later = max(a, b, key=lambda i: (docs[i]["published"], docs[i]["key"]))
            dropped.add(later)
            pairs.append((docs[a]["key"], docs[b]["key"], round(c, 3)))
    return [d for i, d in enumerate(docs) if i not in dropped], sorted(pairs)


def typographic(text: str) -> str:
    """The same words, re-encoded: what a CMS does to quotes, dashes and spacing."""
    out = (text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
           .replace("\u2014", " -- "))
    if out == text:
        out = text.replace("'", "\u2019").replace(" - ", " \u2013 ")
    if out == text:
        out = text.replace(", ", " , ").replace(". ", " . ")
    return out


def plant(kind: str, text: str, rng: random.Random, others: list[str]) -> str:
    ps = paragraphs(text)
    title, body = ps[0], ps[1:]
    if kind == "exact":
        return typographic(text)
    if kind == "reheadlined":
        source = body[len(body) // 2] if body else title
        words = re.findall(r"\w+", source)
        middle = " ".join(words[3:12]) or "the news"
        return "\n\n".join([f"{rng.choice(PREFIXES)}: {middle[:1].upper()}{middle[1:]}", *body])
    if kind == "trimmed":
        drop = max(1, round(rng.uniform(0.2, 0.4) * len(body)))
        return "\n\n".join([title, *body[: max(1, len(body) - drop)]])
    if kind == "wrapped":
        teasers = [paragraphs(rng.choice(others))[0] for _ in range(2)]
        before = [*rng.sample(NAV, 2), rng.choice(COOKIES)]
        after = [*rng.sample(SHARE, 2), "Related: " + teasers[0], "Read more: " + teasers[1], rng.choice(COOKIES)]
        return "\n\n".join([*before, title, *body, *after])
    raise ValueError(kind)


def share_paragraph(text: str, donor: str, rng: random.Random) -> str:
    """A different article that quotes one paragraph of `donor`: a quote, at most a quarter of either article
    (more than that of the donor, and the donor is partly copied)."""
    ps = paragraphs(text)
    limit = min(len(text.split()), len(donor.split())) // 4
    fitting = [p for p in paragraphs(donor)[1:] if 12 <= len(p.split()) <= limit]
    if len(ps) < 3 or not fitting:
        return text
    at = rng.randrange(2, len(ps))
    return "\n\n".join([*ps[:at], rng.choice(fitting), *ps[at:]])


def later(day: str, rng: random.Random) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=rng.randint(1, 3))).isoformat()


# -- quality -------------------------------------------------------------------------------------------------
def bench_quality(per_kind: int, negatives: int, seed: int) -> dict:
    import storyline
    from storyline.dedup import detect
    from storyline.records import content_id

    rng = random.Random(seed)
    name, docs = corpus()
    docs, natural = drop_natural_copies(docs)
    texts = [d["text"] for d in docs]
    rows: list[dict] = []
    truth: dict[str, tuple[str, str]] = {}  # copy key -> (kind, original key)
    for d in docs:
        rows.append({"id": d["key"], "text": d["text"], "published": d["published"], "outlet": d["outlet"]})
    by_key = {d["key"]: d for d in docs}
    for kind in KINDS:
        planted = 0
        for d in rng.sample(docs, len(docs)):
            if planted == per_kind:
                break
            key = f"{kind}:{d['key']}"
            text = plant(kind, d["text"], rng, texts)
            if content_id(text) == content_id(d["text"]):
                continue  # too short to trim: the same article, caught by its id
            planted += 1
            rows.append({"id": key, "text": text, "published": later(d["published"], rng), "outlet": f"copier-{kind}"})
            truth[key] = (kind, d["key"])
    shared_quote = 0
    if len(docs) > 2:
        for d in rng.sample(docs, min(negatives, len(docs))):
            donor = rng.choice([x for x in docs if x is not d])
            new = share_paragraph(d["text"], donor["text"], rng)
            if new != d["text"]:
                row = next(r for r in rows if r["id"] == d["key"])
                row["text"] = new  # replaces the article: it is an original that quotes another
                by_key[d["key"]] = {**d, "text": new}
                shared_quote += 1
    rng.shuffle(rows)

    place_ms: list[float] = []
    verified: list[tuple[str, str, float, float, bool]] = []  # every candidate pair the detector verified
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        with src.open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        with storyline.open(Path(tmp) / "bench.db") as sl:
            place = sl.deduper.place

            def timed(*a, **kw):
                t = time.perf_counter()
                try:
                    return place(*a, **kw)
                finally:
                    place_ms.append((time.perf_counter() - t) * 1000)

            sl.deduper.place = timed  # type: ignore[method-assign]
            compare = detect.compare

            def recording(a, b):
                m = compare(a, b)
                ids = {id(body): aid for aid, body in sl.deduper._cache.items()}  # noqa: SLF001
                if id(a) in ids and id(b) in ids:
                    verified.append((ids[id(a)], ids[id(b)], *detect.similarity(a, b), m is not None))
                return m

            detect.compare = recording
            t0 = time.perf_counter()
            try:
                report = sl.ingest([src])
            finally:
                detect.compare = compare
            elapsed = time.perf_counter() - t0
            key_of = {a.id: str(a.meta.get("id")) for a in sl.articles()}
            id_of = {k: aid for aid, k in key_of.items()}
            links = sl.store.copy_links(list(key_of))
            stories = sl.stories("event")
            sources = [(len(s.articles), sl.independent_sources(s.articles)) for s in stories]

    per_kind_rows = []
    missed: list[str] = []
    found_total = planted_total = 0
    for kind in KINDS:
        keys = [k for k, (kd, _) in truth.items() if kd == kind and k in id_of]
        right = wrong = 0
        labels: Counter[str] = Counter()
        for k in keys:
            link = links.get(id_of[k])
            if link is None:
                missed.append(k)
                continue
            if key_of.get(link.original_id) == truth[k][1]:
                right += 1
                labels[link.kind] += 1
            else:
                wrong += 1
        planted_total += len(keys)
        found_total += right
        per_kind_rows.append({"kind": kind, "planted": len(keys), "right": right, "wrong_original": wrong,
                              "missed": len(keys) - right - wrong, "recall": right / max(1, len(keys)),
                              "labelled": dict(labels)})
    by_label: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    false_links = []
    for aid, link in links.items():
        k = key_of[aid]
        ok = k in truth and key_of.get(link.original_id) == truth[k][1]
        by_label[link.kind][0] += 1
        by_label[link.kind][1] += ok
        if not ok:
            false_links.append({"copy": k, "original": key_of.get(link.original_id), "kind": link.kind,
                                "score": link.score})
    def group(aid: str) -> str:
        k = key_of.get(aid, aid)
        return truth[k][1] if k in truth else k

    same = [(j, c) for a, b, j, c, _ in verified if group(a) == group(b)]
    different = [(j, c, ok) for a, b, j, c, ok in verified if group(a) != group(b)]
    margins = {
        "pairs_verified": len(verified),
        "same_article_pairs": len(same),
        "same_min_containment": min((c for _, c in same), default=None),
        "same_min_jaccard": min((j for j, _ in same), default=None),
        "different_pairs": len(different),
        "different_max_containment": max((c for _, c, _ in different), default=None),
        "different_max_jaccard": max((j for j, _, _ in different), default=None),
        "different_containment_over_0.5": sum(1 for _, c, _ in different if c >= 0.5),
        "closest_different": sorted(
            ((key_of.get(a, a), key_of.get(b, b), round(c, 3), round(j, 3), ok)
             for a, b, j, c, ok in verified if group(a) != group(b)), key=lambda x: -x[2])[:5],
        "loosest_same": sorted(
            ((key_of.get(a, a), key_of.get(b, b), round(c, 3), round(j, 3), ok)
             for a, b, j, c, ok in verified if group(a) == group(b)), key=lambda x: x[2])[:5],
    }
    precision_rows = [{"label": lab, "links": n, "right": r, "precision": r / n} for lab, (n, r) in sorted(by_label.items())]
    n_links = sum(v[0] for v in by_label.values())
    return {
        "corpus": name,
        "documents": len(rows),
        "originals": len(docs),
        "natural_copies_left_out": natural,
        "shared_quote_negatives": shared_quote,
        "stored": report.counts["stored"],
        "duplicates_by_id": report.counts["duplicate"],
        "per_kind": per_kind_rows,
        "per_label": precision_rows,
        "precision": (n_links - len(false_links)) / max(1, n_links),
        "recall": found_total / max(1, planted_total),
        "false_links": false_links[:20],
        "missed": missed[:20],
        "margins": margins,
        "docs_per_s": len(rows) / elapsed,
        "place_ms_mean": statistics.mean(place_ms) if place_ms else None,
        "place_ms_p95": sorted(place_ms)[int(len(place_ms) * 0.95)] if place_ms else None,
        "event_stories": len(stories),
        "story_articles_vs_sources": [sum(a for a, _ in sources), sum(s for _, s in sources)],
    }


# -- scale ---------------------------------------------------------------------------------------------------
def bench_scale(sizes: list[int], probes: int, seed: int, rounds: int = 5) -> dict:
    """Time to place one planted copy with `sizes` articles indexed: real originals plus synthetic articles
    with random band hashes, one database per size. Rounds alternate between the databases, so load from other
    processes on the machine weighs on every size alike; each placement is rolled back, and the body cache is
    emptied first (the original is read and shingled again, as for a cold article)."""
    import numpy as np

    import storyline
    from storyline.dedup import minhash
    from storyline.dedup.detect import LEAD_BANDS, index_keys, prepare
    from storyline.records import Article, Document, Published, RawDocument

    rng = random.Random(seed)
    _, docs = corpus()
    docs, _ = drop_natural_copies(docs)
    docs = rng.sample(docs, min(probes, len(docs)))
    pipeline = storyline.api.default_pipeline()

    def articles(texts: list[tuple[str, str]]) -> list[Article]:
        raws = [RawDocument(source=k, text=t, meta={"published": "2016-01-01"}) for k, t in texts]
        return [Article.from_document(d) for d in pipeline.pipe(Document.from_raw(r) for r in raws)]

    originals = articles([(d["key"], d["text"]) for d in docs])
    copies = articles([(f"copy:{d['key']}", plant(rng.choice(("trimmed", "wrapped")), d["text"], rng, [d["text"]]))
                       for d in docs])
    n_keys = minhash.BANDS + LEAD_BANDS
    with tempfile.TemporaryDirectory() as tmp:
        handles = {}
        build_s = {}
        for size in sorted(sizes):
            t0 = time.perf_counter()
            sl = storyline.open(Path(tmp) / f"scale-{size}.db")
            store = sl.store
            with store.batch() as batch:
                for a in originals:
                    batch.add_article(a)
                    sl.deduper.place(batch, store, a)
            done = len(originals)
            np_rng = np.random.default_rng(seed)
            while done < size:
                step = min(5000, size - done)
                hashes = np_rng.integers(0, 1 << 31, size=(step, n_keys)).tolist()
                with store.batch() as batch:
                    for j in range(step):
                        aid = f"{done + j:016x}"
                        batch.add_article(Article(aid, f"synthetic:{done + j}", f"synthetic {done + j}", None, None,
                                                  Published(), None, None, None, (), {}))
                        batch.add_signature(aid, list(enumerate(hashes[j])))
                done += step
            store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # noqa: SLF001  (steady state, as after any run)
            handles[size] = (sl, done)
            build_s[size] = time.perf_counter() - t0
        place_ms: dict[int, list[float]] = defaultdict(list)
        lookup_ms: dict[int, list[float]] = defaultdict(list)
        hits: Counter[int] = Counter()
        keys = [index_keys(prepare(c)) for c in copies]
        for _round in range(rounds):
            for size, (sl, _) in handles.items():
                store = sl.store
                for c, o, k in zip(copies, originals, keys):
                    sl.deduper._cache.clear()  # noqa: SLF001
                    try:
                        with store.batch() as batch:
                            batch.add_article(c)
                            t = time.perf_counter()
                            store.lsh_candidates(k, limit=21)
                            lookup_ms[size].append((time.perf_counter() - t) * 1000)
                            t = time.perf_counter()
                            link = sl.deduper.place(batch, store, c)
                            place_ms[size].append((time.perf_counter() - t) * 1000)
                            hits[size] += link is not None and link.original_id == o.id
                            raise _Rollback
                    except _Rollback:
                        pass
        results = [{"articles": done, "place_ms_p50": statistics.median(place_ms[size]),
                    "lookup_ms_p50": statistics.median(lookup_ms[size]), "probes": len(place_ms[size]),
                    "found": hits[size] / len(place_ms[size]), "build_s": build_s[size],
                    "db_mb": (Path(tmp) / f"scale-{size}.db").stat().st_size / 1e6}
                   for size, (_, done) in handles.items()]
        for sl, _ in handles.values():
            sl.close()
    first, last = results[0], results[-1]
    return {
        "sizes": results,
        "place_ratio": last["place_ms_p50"] / first["place_ms_p50"],
        "lookup_ratio": last["lookup_ms_p50"] / first["lookup_ms_p50"],
    }


class _Rollback(Exception):
    pass


# -- report --------------------------------------------------------------------------------------------------
def markdown(q: dict | None, s: dict | None) -> str:
    out = []
    if q:
        out.append(f"Corpus: {q['corpus']}: {q['originals']} originals + planted copies = {q['documents']} documents "
                   f"({q['shared_quote_negatives']} originals quote a paragraph of another; "
                   f"{len(q['natural_copies_left_out'])} natural copy pairs left out), ingested in random order.\n")
        out.append("| planted kind | planted | right original | wrong original | missed | recall | labelled as |")
        out.append("|---|---:|---:|---:|---:|---:|---|")
        for r in q["per_kind"]:
            labels = ", ".join(f"{k} {v}" for k, v in sorted(r["labelled"].items()))
            out.append(f"| {r['kind']} | {r['planted']} | {r['right']} | {r['wrong_original']} | {r['missed']} | "
                       f"{r['recall']:.3f} | {labels} |")
        out.append("")
        out.append("| detected kind | links | right | precision |")
        out.append("|---|---:|---:|---:|")
        for r in q["per_label"]:
            out.append(f"| {r['label']} | {r['links']} | {r['right']} | {r['precision']:.3f} |")
        out.append(f"| **all** | | | **{q['precision']:.3f}** (recall **{q['recall']:.3f}**) |")
        out.append("")
        out.append(f"Ingest: {q['docs_per_s']:.1f} docs/s end to end; dedup step {q['place_ms_mean']:.2f} ms/article "
                   f"mean, {q['place_ms_p95']:.2f} ms p95. Event stories: {q['event_stories']}, "
                   f"{q['story_articles_vs_sources'][0]} articles = {q['story_articles_vs_sources'][1]} independent sources.")
        m = q["margins"]
        out.append(f"Candidates verified: {m['pairs_verified']} pairs; copies of one article: {m['same_article_pairs']}, "
                   f"min containment {m['same_min_containment']:.3f}, min Jaccard {m['same_min_jaccard']:.3f}; "
                   f"different articles: {m['different_pairs']}, max containment {m['different_max_containment'] or 0:.3f}, "
                   f"max Jaccard {m['different_max_jaccard'] or 0:.3f} ({m['different_containment_over_0.5']} at 0.5 or more).")
        if q["missed"]:
            out.append("Missed: " + ", ".join(q["missed"]))
        if q["false_links"]:
            out.append("False links: " + "; ".join(f"{x['copy']} -> {x['original']} ({x['kind']} {x['score']})"
                                                   for x in q["false_links"]))
    if s:
        out.append("")
        out.append("| articles indexed | place one copy, p50 ms | band lookup, p50 ms | original found | database MB |")
        out.append("|---:|---:|---:|---:|---:|")
        for r in s["sizes"]:
            out.append(f"| {r['articles']} | {r['place_ms_p50']:.2f} | {r['lookup_ms_p50']:.3f} | {r['found']:.3f} | "
                       f"{r['db_mb']:.0f} |")
        out.append(f"\nScale ratio (largest / smallest): place {s['place_ratio']:.2f}x, lookup {s['lookup_ratio']:.2f}x")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--per-kind", type=int, default=100, help="planted copies per kind")
    ap.add_argument("--negatives", type=int, default=100, help="originals that quote a paragraph of another")
    ap.add_argument("--scale", default="10000,100000", help="index sizes for the scale check ('' to skip)")
    ap.add_argument("--probes", type=int, default=100, help="planted copies placed at each size")
    ap.add_argument("--rounds", type=int, default=5, help="rounds of placements, alternating between sizes")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip-quality", action="store_true")
    ap.add_argument("--examples", action="store_true", help="use the bundled examples/ even when PolNeAR is there")
    ap.add_argument("--json", help="also write the results as JSON to this file")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    global USE_EXAMPLES
    USE_EXAMPLES = args.examples
    q = None if args.skip_quality else bench_quality(args.per_kind, args.negatives, args.seed)
    sizes = [int(x) for x in args.scale.split(",") if x.strip()]
    s = bench_scale(sizes, args.probes, args.seed, args.rounds) if sizes else None
    print(markdown(q, s))
    if args.json:
        Path(args.json).write_text(json.dumps({"quality": q, "scale": s}, indent=2, ensure_ascii=False))
    ok = (q is None or (q["precision"] >= 0.95 and q["recall"] >= 0.95)) and (s is None or s["place_ratio"] <= 1.5)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
