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


def children_peak_rss_mb() -> float:
    """The largest peak RSS among the finished child processes (the ingest workers)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def current_rss_mb(pid: int | str = "self") -> float | None:
    """Resident memory now (not the peak), from /proc; None where there is no /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


CLEANING_STAGES = ("extract", "metadata", "title", "body", "source", "language", "published")
SPINE_STAGES = ("extract", "metadata", "title", "body", "language", "identity")


def bench_spine(n: int) -> dict:
    """The spine alone, with worker processes (automatic: up to 2): readers, the spine's stages, storage,
    duplicate detection and grouping."""
    return bench_ingest(n, spine=True)


def bench_spine_in_process(n: int) -> dict:
    """The spine alone, everything in one process (workers=0)."""
    return bench_ingest(n, spine=True, workers=0)


def bench_ingest(n: int, spine: bool = False, workers: int | None = None) -> dict:
    """Ingest n plain-text files into a fresh database, through the public API: the spine's stages only,
    or the whole default pipeline (entities, quotes, times, events...).

    CPU time is reported for this (the writing) process and for its worker processes apart: on an idle
    machine the throughput is about 1000 / max(writer ms, worker ms / workers, total ms / cores) documents per
    second (`docs_per_s_idle_estimate`, which a shared machine's wall clock cannot show). Memory: peak RSS of the writer
    and of the largest worker, and the growth of the resident memory (writer, and writer plus workers) over
    the second half of the run: flat memory means it stays near zero."""
    import gc
    import multiprocessing

    import storyline
    from storyline.parallel import automatic_workers

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(corpus, n)
        start_rss = rss_mb()
        marks: list[tuple[int, float, float | None, float | None]] = []  # (done, seconds, writer RSS, +workers)
        done = 0

        def progress(_outcome) -> None:
            nonlocal done
            done += 1
            if done % 200 == 0:
                writer = current_rss_mb()
                workers_now = [current_rss_mb(p.pid) for p in multiprocessing.active_children()]
                total = None if writer is None or None in workers_now else writer + sum(workers_now)
                marks.append((done, time.perf_counter() - t0, writer, total))

        pipeline = storyline.Pipeline.from_names(SPINE_STAGES) if spine else None
        sl = storyline.open(Path(tmp) / "bench.db", pipeline=pipeline, workers=workers)
        used_workers = workers if workers is not None else automatic_workers()
        cpu0, children0 = time.process_time(), cpu_seconds(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        with sl:
            report = sl.ingest([corpus], progress=progress)
        elapsed = time.perf_counter() - t0
        writer_cpu = time.process_time() - cpu0
        del sl, pipeline
        gc.collect()  # stages with pools of their own (entities) stop them when collected
        workers_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - children0
        per_batch = [(b[1] - a[1]) / (b[0] - a[0]) * 1000 for a, b in zip(marks, marks[1:])]
        half, last = (marks[len(marks) // 2], marks[-1]) if marks else (None, None)

        def growth(i: int) -> float | None:
            return None if half is None or half[i] is None or last[i] is None else last[i] - half[i]

        what = "spine alone" if spine else "full default pipeline"
        return {
            "name": f"ingest {n} plain-text articles ({what}, {used_workers} workers)",
            "documents": n,
            "stored": report.counts["stored"],
            "workers": used_workers,
            "docs_per_s": n / elapsed,
            "ms_per_doc_p50": statistics.median(per_batch) if per_batch else None,
            "ms_per_doc_p95": sorted(per_batch)[int(len(per_batch) * 0.95)] if per_batch else None,
            "peak_rss_mb": rss_mb(),
            "peak_rss_largest_worker_mb": children_peak_rss_mb() if used_workers else None,
            "rss_growth_second_half_mb": growth(2),
            "rss_growth_second_half_with_workers_mb": growth(3),
            "rss_before_mb": start_rss,
            "cpu_ms_per_doc_writer": writer_cpu * 1000 / n,
            "cpu_ms_per_doc_workers": workers_cpu * 1000 / n,
            "cpu_ms_per_doc_total": (writer_cpu + workers_cpu) * 1000 / n,
            # what an idle machine would do: the writer's pace, unless the workers or the cores are slower
            "docs_per_s_idle_estimate": n / max(writer_cpu, workers_cpu / max(used_workers, 1),
                                                (writer_cpu + workers_cpu) / (os.cpu_count() or 1)),
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


def bench_entities(n: int, batch_size: int = 100, workers: int = 1) -> dict:
    """The "entities" stage alone on n real articles whose upstream stages (extraction, body, language...) ran
    once beforehand. With one process, speed is CPU time of this process (`time.process_time`), so other load on
    the machine does not count; with recognition workers (`workers` > 1) it is wall time (run it on an idle
    machine). Per-article times are per batch."""
    import storyline
    from storyline.records import RawDocument
    from storyline.stages.entities import Entities

    texts = real_texts()
    upstream = storyline.Pipeline.from_names(CLEANING_STAGES)
    docs = upstream.pipe(
        storyline.Document.from_raw(RawDocument(f"a{i}", text=texts[i % len(texts)] + f"\n\nRef. {i}\n")) for i in range(n)
    )
    clock = time.process_time if workers == 1 else time.perf_counter
    stage = Entities(workers=workers)
    stage.pipe(docs[:batch_size])  # warm-up: the tables load once per process (and the workers start)
    stage.resolver = Entities(workers=1).resolver  # a fresh resolver: the warm-up's names are not counted
    per_batch = []
    c0 = clock()
    for i in range(0, n, batch_size):
        chunk = docs[i : i + batch_size]
        t = clock()
        stage.pipe(chunk)
        per_batch.append((clock() - t) * 1000 / len(chunk))
    elapsed = clock() - c0
    stage.close()
    per_batch.sort()
    return {
        "name": (f"entities stage alone, one process, {n} articles (CPU time)" if workers == 1
                 else f"entities stage alone, {workers} recognition workers, {n} articles (wall time)"),
        "documents": n,
        "docs_per_s": n / elapsed,
        "ms_per_doc_p50": statistics.median(per_batch),
        "ms_per_doc_p95": per_batch[int(len(per_batch) * 0.95)],
        "peak_rss_mb": rss_mb(),
        "mentions": sum(len(d.entities or []) for d in docs),
    }


def bench_entities_parallel(n: int) -> dict:
    return bench_entities(n, workers=2)


BENCHES = {
    "spine": bench_spine, "spine-in-process": bench_spine_in_process, "ingest": bench_ingest,
    "analyze": bench_analyze, "html": bench_html, "quotes": bench_quotes, "entities": bench_entities,
    "entities-2-workers": bench_entities_parallel,
}


# what `make bench` runs, in order, with its size (None: --docs)
DEFAULT_RUNS = {"spine": None, "spine-in-process": None, "ingest": None, "analyze": 200, "html": 141,
                "quotes": 924, "entities": 1000, "entities-2-workers": 1000}


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
    parser.add_argument("--docs", type=int, default=2000, help="documents for the ingest benchmarks")
    parser.add_argument("--only", help=f"comma-separated benchmarks to run, of: {', '.join(DEFAULT_RUNS)}")
    args = parser.parse_args()
    if args.child:
        name, arg = args.child
        print(json.dumps(BENCHES[name](int(arg))))
        return
    names = args.only.split(",") if args.only else list(DEFAULT_RUNS)
    if unknown := [n for n in names if n not in BENCHES]:
        parser.error(f"no benchmark named {', '.join(unknown)}")
    results = [r for name in names if (r := run_child(name, DEFAULT_RUNS.get(name) or args.docs))]
    cols = ["name", "documents", "docs_per_s", "ms_per_doc_p50", "ms_per_doc_p95", "peak_rss_mb",
            "cpu_ms_per_doc_writer", "cpu_ms_per_doc_workers"]
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
