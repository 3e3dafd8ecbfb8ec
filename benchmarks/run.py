"""`make bench`: throughput, latency and peak memory of storyline, reported as a table.

Each measurement runs in its own process so peak memory (max RSS) belongs to that measurement alone.
Corpora: real article texts (PolNeAR from ../shared when present, else the bundled example corpus), made
unique per copy so every document is a new article. Results go to stdout (Markdown) and bench-results/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples" / "diplomacy-fr"


def real_texts() -> list[str]:
    polnear = SHARED / "benchmarks" / "polnear" / "train" / "text"
    files = sorted(polnear.glob("*.txt")) if polnear.is_dir() else []
    files = files or sorted(EXAMPLES.glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


def write_corpus(folder: Path, n: int, seed: int = 7) -> None:
    """n plain-text articles: real texts, each copy made unique by a shuffled paragraph order and a tag line."""
    rng = random.Random(seed)
    texts = real_texts()
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        paras = [p for p in texts[i % len(texts)].split("\n\n") if p.strip()]
        head, rest = paras[:1], paras[1:]
        rng.shuffle(rest)
        (folder / f"{i:06d}.txt").write_text("\n\n".join(head + rest) + f"\n\nRef. {i}\n", encoding="utf-8")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CLEANING_STAGES = ("extract", "metadata", "title", "body", "source", "language", "published")
SPINE_STAGES = ("extract", "metadata", "title", "body", "language", "identity")


def bench_spine(n: int) -> dict:
    """The spine alone: readers, the spine's stages, storage, duplicate detection and grouping."""
    return bench_ingest(n, spine=True)


def bench_ingest(n: int, spine: bool = False) -> dict:
    """Ingest n plain-text files into a fresh database, through the public API: the spine's stages only,
    or the whole default pipeline (entities, quotes, times, events...)."""
    import storyline

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(corpus, n)
        start_rss = rss_mb()
        marks: list[tuple[int, float, float]] = []  # (documents done, seconds, peak RSS MB)
        done = 0
        t0 = time.perf_counter()

        def progress(_outcome) -> None:
            nonlocal done
            done += 1
            if done % 200 == 0:
                marks.append((done, time.perf_counter() - t0, rss_mb()))

        pipeline = storyline.Pipeline.from_names(SPINE_STAGES) if spine else None
        with storyline.open(Path(tmp) / "bench.db", pipeline=pipeline) as sl:
            report = sl.ingest([corpus], progress=progress)
        elapsed = time.perf_counter() - t0
        per_batch = [(b[1] - a[1]) / (b[0] - a[0]) * 1000 for a, b in zip(marks, marks[1:])]
        half = marks[len(marks) // 2][2] if marks else rss_mb()
        return {
            "name": f"ingest {n} plain-text articles ({'spine alone' if spine else 'full default pipeline'})",
            "documents": n,
            "stored": report.counts["stored"],
            "docs_per_s": n / elapsed,
            "ms_per_doc_p50": statistics.median(per_batch) if per_batch else None,
            "ms_per_doc_p95": sorted(per_batch)[int(len(per_batch) * 0.95)] if per_batch else None,
            "peak_rss_mb": rss_mb(),
            "rss_growth_second_half_mb": rss_mb() - half,
            "rss_before_mb": start_rss,
        }


def bench_analyze(repeats: int) -> dict:
    """Latency of `storyline.analyze` on one real article, warm."""
    import storyline

    text = sorted(EXAMPLES.glob("*.txt"))[1].read_text(encoding="utf-8")
    storyline.analyze(text)  # warm-up: lazy imports and detectors
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        storyline.analyze(text)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "name": "analyze one article (warm)",
        "documents": repeats,
        "docs_per_s": 1000 / statistics.mean(times),
        "ms_per_doc_p50": statistics.median(times),
        "ms_per_doc_p95": times[int(len(times) * 0.95)],
        "peak_rss_mb": rss_mb(),
    }


def bench_html(limit: int) -> dict | None:
    """HTML pages through storyline's stages vs trafilatura extraction alone, same pages, same process."""
    import gzip

    pages_dir = SHARED / "benchmarks" / "article-extraction" / "html"
    if not pages_dir.is_dir():
        return None
    import trafilatura

    import storyline
    from storyline.records import RawDocument

    pages = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in sorted(pages_dir.glob("*.gz"))[:limit]]
    # this stages: extraction and cleaning (not entities, quotes, times, events)
    pipeline = storyline.Pipeline.from_names(CLEANING_STAGES)
    pipeline.pipe([storyline.Document.from_raw(RawDocument("warm", html=pages[0]))])
    t = time.perf_counter()
    for page in pages:
        trafilatura.extract(page)
    traf = len(pages) / (time.perf_counter() - t)
    t = time.perf_counter()
    pipeline.pipe(storyline.Document.from_raw(RawDocument(f"p{i}", html=p)) for i, p in enumerate(pages))
    ours = len(pages) / (time.perf_counter() - t)
    return {
        "name": f"HTML pages: storyline cleaning stages vs trafilatura alone ({len(pages)} pages)",
        "documents": len(pages),
        "docs_per_s": ours,
        "trafilatura_docs_per_s": traf,
        "ratio_vs_trafilatura": ours / traf,
        "peak_rss_mb": rss_mb(),
    }


def bench_quotes(limit: int) -> dict:
    """The "quotes" stage alone, CPU time per article: real texts (PolNeAR dev and train when present) run once
    through the default pipeline's stages before it (entities included), then the stage timed document by
    document on the prepared documents (three passes; the fastest counts)."""
    import storyline
    from storyline.records import RawDocument
    from storyline.stages import DEFAULT_PIPELINE
    from storyline.stages.quotes import Quotes

    polnear = SHARED / "benchmarks" / "polnear"
    files = [f for split in ("dev", "train") for f in sorted((polnear / split / "text").glob("*.txt"))]
    files = (files or sorted(EXAMPLES.glob("*.txt")))[:limit]
    upstream = storyline.Pipeline.from_names(DEFAULT_PIPELINE[:DEFAULT_PIPELINE.index("quotes")])
    docs = [storyline.Document.from_raw(RawDocument(f.name, text=f.read_text(encoding="utf-8"))) for f in files]
    docs = [d for i in range(0, len(docs), 200) for d in upstream.pipe(docs[i:i + 200])]
    stage = Quotes(workers=1)
    stage(docs[0])  # warm-up: the language tables
    rss_before = rss_mb()
    best: list[float] = []
    for _ in range(3):
        times = []
        for doc in docs:
            t = time.process_time()
            stage(doc)
            times.append((time.process_time() - t) * 1000)
        if not best or sum(times) < sum(best):
            best = times
    total_s = sum(best) / 1000
    best.sort()
    return {
        "name": f"quotes stage alone, CPU time ({len(docs)} prepared articles)",
        "documents": len(docs),
        "docs_per_s": len(docs) / total_s,
        "ms_per_doc_mean": total_s * 1000 / len(docs),
        "ms_per_doc_p50": statistics.median(best),
        "ms_per_doc_p95": best[int(len(best) * 0.95)],
        "peak_rss_mb": rss_mb(),
        "rss_growth_during_stage_mb": rss_mb() - rss_before,
        "quotes": sum(len(d.quotes) for d in docs),
    }


def bench_entities(n: int, batch_size: int = 100) -> dict:
    """The "entities" stage alone, in one process (no recognition workers), on n real articles whose upstream
    stages (extraction, body, language...) ran once beforehand. Speed is CPU time of this process
    (`time.process_time`), so other load on the machine does not count; per-article times are per batch."""
    import storyline
    from storyline.records import RawDocument
    from storyline.stages.entities import Entities

    texts = real_texts()
    upstream = storyline.Pipeline.from_names(CLEANING_STAGES)
    docs = upstream.pipe(
        storyline.Document.from_raw(RawDocument(f"a{i}", text=texts[i % len(texts)] + f"\n\nRef. {i}\n")) for i in range(n)
    )
    stage = Entities(workers=1)
    stage.pipe(docs[:batch_size])  # warm-up: the tables load once per process
    stage = Entities(workers=1)
    per_batch = []
    c0 = time.process_time()
    for i in range(0, n, batch_size):
        chunk = docs[i : i + batch_size]
        t = time.process_time()
        stage.pipe(chunk)
        per_batch.append((time.process_time() - t) * 1000 / len(chunk))
    cpu = time.process_time() - c0
    per_batch.sort()
    return {
        "name": f"entities stage alone, one process, {n} articles (CPU time)",
        "documents": n,
        "docs_per_s": n / cpu,
        "ms_per_doc_p50": statistics.median(per_batch),
        "ms_per_doc_p95": per_batch[int(len(per_batch) * 0.95)],
        "peak_rss_mb": rss_mb(),
        "mentions": sum(len(d.entities or []) for d in docs),
    }


BENCHES = {"spine": bench_spine, "ingest": bench_ingest, "analyze": bench_analyze, "html": bench_html}
BENCHES["quotes"] = bench_quotes
BENCHES["entities"] = bench_entities  # the entity stage alone (issue 4)


def run_child(name: str, arg: int) -> dict | None:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        [sys.executable, __file__, "--child", name, str(arg)], capture_output=True, text=True, env=env, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"benchmark {name} failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


def fmt(value) -> str:
    if value is None:
        return "-"
    return f"{value:,.1f}" if isinstance(value, float) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--docs", type=int, default=2000, help="documents for the ingest benchmark")
    args = parser.parse_args()
    if args.child:
        name, arg = args.child
        print(json.dumps(BENCHES[name](int(arg))))
        return
    results = [
        r for r in (run_child("spine", args.docs), run_child("ingest", args.docs), run_child("analyze", 200),
                    run_child("html", 141), run_child("quotes", 924), run_child("entities", 1000)) if r
    ]
    cols = ["name", "documents", "docs_per_s", "ms_per_doc_p50", "ms_per_doc_p95", "peak_rss_mb"]
    print(f"storyline benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in results:
        print("| " + " | ".join(fmt(r.get(c)) for c in cols) + " |")
    for r in results:
        extra = {k: v for k, v in r.items() if k not in cols}
        if extra:
            print(f"\n{r['name']}: " + ", ".join(f"{k}={fmt(v)}" for k, v in extra.items()))
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
