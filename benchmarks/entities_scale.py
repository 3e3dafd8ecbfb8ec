"""Entity benchmarks: how merging grows with the number of distinct names, and the stage's throughput.

    python benchmarks/entities_scale.py            # 10k and 100k distinct names; throughput on 400 articles;
                                                   # ingest of 8,000 small articles, state saved in parts / whole
    python benchmarks/entities_scale.py --quick    # 2k and 20k names; 100 articles; ingest of 2,000
    python benchmarks/entities_scale.py --instructions  # also the instructions merging executes (valgrind)

Merging: synthetic people (random first names and surnames from syllables, a heavy-tailed surname
distribution so some surnames are shared by many), each met in 1 to 3 documents under varied spellings: the
full name, the surname alone, a one-letter typo of the surname, a transliteration-style variant. Reported:
CPU seconds of `EntityResolver.add` (each size in a fresh process, best of 2-3 runs; each batch's document
entities are made just before it is added, as the stage makes them), candidate comparisons per name, the growth
ratio between the two sizes, and the n log n ratio it must stay under; the memory per entity (the growth of the
process's peak RSS while the first run merges, over the entities made) and a fingerprint of the result (SHA-1
of the resolver's `to_dict()` as JSON: a change meant to make merging cheaper must leave it as it was). With
`--instructions`, the instructions merging executes at each size, counted under valgrind: a measure of the
work that no machine's memory caches change (CPU time here grows faster than the work: see `dict_baseline`). Saving
the state after one more batch: the resolver whole (as before schema 5) and the parts that batch changed, each
as JSON into a real SQLite store.

State in an ingest: synthetic articles (a few people each, mostly new names) through the spine and the entity
stage into a real database, batch after batch; the CPU time per batch at the start and at the end of the run,
with the resolver's state saved in parts and, for comparison, whole after every batch.

Throughput: the articles of the example corpus (bodies from its gold file when ../shared is present, else
whole texts), copied with a unique line so every copy is a new article, through the "entities" stage with one
and two worker processes.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.entities.resolver import DocEntity, EntityResolver  # noqa: E402

SYLLABLES = [
    "ka", "lo", "mi", "sen", "tor", "vi", "dra", "pel", "shu", "rin", "ga", "bo", "zet", "nu", "fa", "kov", "an",
    "el", "is", "or", "ul", "ber", "chen", "dor", "fen", "gor", "hal", "jin", "kir", "lan", "mor", "nik", "pas",
    "quin", "ros", "sal", "tan", "ur", "val", "wen", "yas", "zor",
]


def synthetic_people(n: int, seed: int = 11) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    surnames = [
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize() for _ in range(max(50, n // 3))
    ]
    weights = [1 / (i + 1) ** 0.8 for i in range(len(surnames))]  # heavy tail: a few very common surnames
    cumulative = list(itertools.accumulate(weights))  # (what `choices` makes of `weights` at every call)
    people: set[tuple[str, str]] = set()
    while len(people) < n:
        first = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        people.add((first, rng.choices(surnames, cum_weights=cumulative)[0]))
    return sorted(people)


# The document entities of the merge benchmark, as compact codes: (person, variant, typo position, typo vowel).
FULL_AND_SURNAME, FULL, TRANSLIT, SURNAME, TYPO = range(5)


def documents(people: list[tuple[str, str]], seed: int = 5) -> list[tuple[int, int, int, str]]:
    """Each person in 1-3 documents under varied spellings, shuffled: the codes of the document entities
    (`document_entities` makes them). Codes, not strings: the stage does not hold the corpus's later input
    while it merges a batch, so neither does the benchmark (200,000 name lists and context sets made up front
    sat among the resolver's entities; measured: no difference in the merge time, the same result)."""
    rng = random.Random(seed)
    out = []
    for k, (first, last) in enumerate(people):
        for _ in range(rng.randint(1, 3)):
            r = rng.random()
            if r < 0.55:
                out.append((k, FULL_AND_SURNAME, 0, ""))
            elif r < 0.75:
                out.append((k, FULL, 0, ""))
            elif r < 0.85:
                out.append((k, TRANSLIT, 0, ""))
            elif r < 0.95:
                out.append((k, SURNAME, 0, ""))
            else:
                out.append((k, TYPO, rng.randrange(1, len(last)), rng.choice("aeiou")))
    rng.shuffle(out)
    return out


def document_entities(people: list[tuple[str, str]], codes: list[tuple[int, int, int, str]]) -> list[DocEntity]:
    """The document entities of `codes`, each with a co-occurring "context" entity, their strings made anew
    (as the recogniser makes them from each document's text)."""
    out = []
    for k, variant, at, vowel in codes:
        first, last = people[k]
        last = last.encode().decode()  # a new string object
        if variant == FULL_AND_SURNAME:
            names = [f"{first} {last}", last]
        elif variant == FULL:
            names = [f"{first} {last}"]
        elif variant == TRANSLIT:
            names = [f"{first} {last.replace('k', 'c').replace('v', 'w')}"]  # a transliteration-style variant
        elif variant == SURNAME:
            names = [last]
        else:
            names = [last[:at] + vowel + last[at:]]  # a one-letter typo
        out.append(DocEntity(type="PER", names=names, context={f"N:per:ctx{k % 997}"}))
    return out


BATCH = 1000  # document entities per batch (about what a batch of 200 articles brings)


def bench_merge(n: int, repeat: int = 1) -> dict:
    """CPU seconds of merging (the process's own time: other load on the machine does not count), best of
    `repeat`; then what saving the state after one more batch costs, whole and in parts (`bench_state_save`)."""
    people = synthetic_people(n)
    specs = documents(people)

    def made(codes: list) -> list[DocEntity]:
        return document_entities(people, codes)

    warm_up(people, specs)
    best = None
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB, the peak so far
    rss_merged = None
    for _ in range(repeat):
        resolver = EntityResolver()
        dt = 0.0
        cut = len(specs) - BATCH  # the last batch is kept for `bench_state_save`
        for i in range(0, cut, BATCH):  # batches, as the stage sees them
            batch = made(specs[i : min(i + BATCH, cut)])
            c0 = time.process_time()
            resolver.add(batch)
            dt += time.process_time() - c0
        best = dt if best is None else min(best, dt)
        if rss_merged is None:
            rss_merged = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    last = made(specs[-BATCH:])
    out = {"names": n, "doc_entities": len(specs), "seconds": best, "entities": len(resolver),
           "comparisons_per_name": resolver.comparisons / n, "lookup_us": lookup_cost(resolver),
           "bytes_per_entity": (rss_merged - rss_before) * 1024 / len(resolver),
           **bench_state_save(resolver, last)}
    out["fingerprint"] = hashlib.sha1(json.dumps(resolver.to_dict(), ensure_ascii=False).encode()).hexdigest()[:12]
    return out


def warm_up(people: list[tuple[str, str]], codes: list) -> None:
    """Merge a few names into a throwaway resolver, so that the tables it reads (the given names: ~70 ms) load
    before the clock starts, as the stage loads them when it starts: a fixed cost counted in the merge would
    weigh ten times more per name at 10k names than at 100k, and flatter the growth."""
    EntityResolver().add(document_entities(people, codes[:50]))


def lookup_cost(resolver: EntityResolver, n: int = 200_000) -> float:
    """CPU µs of one blocking-index look-up of a key it holds (the same operation whatever the size: what it
    costs more in a larger index is the memory's doing, not the algorithm's)."""
    keys = list(resolver._index._d)
    rng = random.Random(2)
    sample = [keys[rng.randrange(len(keys))] for _ in range(n)]
    get = resolver._index.get
    c0 = time.process_time()
    for k in sample:
        get(k, 32)
    return (time.process_time() - c0) / n * 1e6


def bench_state_save(resolver: EntityResolver, batch: list[DocEntity]) -> dict:
    """CPU seconds of saving the state after `batch`, into a real SQLite store: whole (`to_dict`, one JSON
    row, what every batch cost before schema 5) and in parts (`state_changes`: the entities the batch touched)."""
    import sqlite3
    import tempfile

    from storyline.store import open_store

    resolver.state_changes()  # every part: as if the earlier batches had been saved
    resolver.add(batch)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "state.db"))
        c0 = time.process_time()
        parts, deleted = resolver.state_changes()
        with store.batch() as b:
            b.update_state("entities", parts, deleted)
        in_parts = time.process_time() - c0
        c0 = time.process_time()
        with store.batch() as b:
            b.set_state("entities-whole", resolver.to_dict())
        whole = time.process_time() - c0
        store.close()
        con = sqlite3.connect(Path(tmp) / "state.db")
        size = con.execute("SELECT length(data) FROM state WHERE name = 'entities-whole'").fetchone()[0]
        con.close()
    return {"save_whole_seconds": whole, "save_parts_seconds": in_parts, "parts_written": len(parts),
            "whole_bytes": size}


def dict_baseline(n: int, repeat: int = 2) -> float:
    """CPU seconds of a plain workload of the same shape (a few small dicts per name, a dozen keyed inserts and
    lookups): what memory caches alone make of a larger n on this machine, to read the merge growth against.
    The cycle collector is paused, as the resolver pauses it."""
    import gc

    gc.disable()
    rng = random.Random(1)
    names = ["".join(rng.choice("abcdefghijklmnop") for _ in range(12)) for _ in range(n)]
    best = float("inf")
    for _ in range(repeat):
        index: dict[str, int] = {}
        objs = []
        c0 = time.process_time()
        for i, name in enumerate(names):
            objs.append({"forms": {name: 1}, "types": {"PER": 1}, "keys": {name[:5]}})
            for k in range(6):
                index.setdefault(f"{k}:{name[k:]}", i)
            for k in range(6):
                index.get(f"{k}:{name[: k + 3]}")
        best = min(best, time.process_time() - c0)
    return best


def bench_merge_isolated(n: int, repeat: int) -> dict:
    """`bench_merge` in a fresh process (what an earlier measurement left in memory does not count)."""
    import subprocess

    code = (
        f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import entities_scale as b; "
        f"r = b.bench_merge({n}, {repeat}); r['baseline'] = b.dict_baseline({n}); print(json.dumps(r))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def merge_instructions(n: int) -> int | None:
    """Instructions the CPU executes to merge `n` names (valgrind's cachegrind, no cache simulation: the same
    count on any x86-64 machine, whatever its caches): a run that makes the input and merges it, minus one that
    only makes the input. None without valgrind. Slow: ~5 minutes for 100k names."""
    import os
    import re
    import shutil
    import subprocess

    if shutil.which("valgrind") is None:
        return None
    counts = []
    for merge in (False, True):
        code = (
            f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import entities_scale as b; "
            f"from storyline.entities.resolver import EntityResolver; people = b.synthetic_people({n}); "
            f"specs = b.documents(people); b.warm_up(people, specs); r = EntityResolver()\n"
            f"for i in range(0, len(specs), b.BATCH):\n"
            f"    batch = b.document_entities(people, specs[i : i + b.BATCH])\n"
            f"    {'r.add(batch)' if merge else 'pass'}"
        )
        run = subprocess.run(
            ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", sys.executable,
             "-c", code], capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        counts.append(int(re.search(r"I\s+refs:\s+([\d,]+)", run.stderr).group(1).replace(",", "")))
    return counts[1] - counts[0]


def article_docs(n: int):
    from storyline.entities.evaluation import gold_body, load_gold
    from storyline.records import Document

    corpus = ROOT.parent / "shared" / "corpora" / "diplomacy-fr"
    base = []
    if (corpus / "gold.json").is_file():
        gold = load_gold(corpus)
        for name, meta in sorted(gold["documents"].items()):
            text = (corpus / name).read_text(encoding="utf-8")
            base.append((text, gold_body(text, meta["boilerplate_lines"])))
    else:
        for f in sorted((ROOT / "examples" / "diplomacy-fr").glob("*.txt")):
            text = f.read_text(encoding="utf-8")
            base.append((text, [(0, len(text))]))
    docs = []
    for i in range(n):
        text, body = base[i % len(base)]
        tag = f"\nRéf. {i} : dépêche de Jean Dupont{i}.\n"
        docs.append(Document(source=str(i), text=text + tag, body=[*body, (len(text) + 1, len(text) + len(tag) - 1)], language="fr"))
    return docs


def bench_stage(n: int, workers: int, batch_size: int = 200) -> dict:
    from storyline.stages.entities import Entities

    stage = Entities(workers=workers)
    stage.pipe(article_docs(64))  # load the tables (and start the workers)
    docs = article_docs(n)
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(0, n, batch_size):
        stage.pipe(docs[i : i + batch_size])
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    stage.close()
    chars = sum(len(d.text) for d in docs) / n
    return {"workers": workers, "articles": n, "chars_per_article": round(chars), "seconds": wall,
            "articles_per_second": n / wall, "parent_cpu_seconds": cpu}


def synthetic_articles(folder: Path, n: int, seed: int = 3) -> None:
    """`n` short French articles, each naming three people (titled, so they are recognised), drawn from a pool
    of 2n: most names are new, some recur; with made-up words around them, so they are no copies of each other."""
    rng = random.Random(seed)
    pool = synthetic_people(2 * n, seed)
    folder.mkdir()

    def words(k: int) -> str:
        return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(k))

    for i in range(n):
        (a, b), (c, d), (e, f) = (pool[rng.randrange(len(pool))] for _ in range(3))
        text = (f"Réunion {words(4)}\n\nLe ministre {a} {b} a reçu lundi M. {c} {d} pour parler de {words(12)}. "
                f"Selon Mme {e} {f}, la rencontre avec M. {b} sur {words(10)} a été utile.\n")
        (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")


def bench_ingest_state(n: int, in_parts: bool, batch_size: int = 200) -> dict:
    """CPU seconds per batch of an ingest of `n` synthetic articles (spine + entities, in this process, into a
    real database), the mean of the first and of the last five batches: of the whole batch, and of saving the
    resolver's state (taking it from the stage, writing it in the batch's transaction). `in_parts=False`
    saves the resolver whole after every batch, as before schema 5."""
    import tempfile

    import storyline
    from storyline.api import Storyline
    from storyline.stages.entities import Entities
    from storyline.store import open_store
    from storyline.store.sqlite import SQLiteBatch

    saving: list[float] = []  # CPU seconds spent saving the resolver's state: taking it, then writing it

    def timed(method):
        def run(self, *args):
            if args and args[0] != Entities.state_name:  # (the outlet memory's state is not the resolver's)
                return method(self, *args)
            c0 = time.process_time()
            out = method(self, *args)
            saving.append(time.process_time() - c0)
            return out
        return run

    class PartsEntities(Entities):
        get_state_changes = timed(Entities.get_state_changes)

    class WholeStateEntities(Entities):
        get_state_changes = None  # the whole-state path: `get_state()` after every batch
        get_state = timed(Entities.get_state)

    spine = ("extract", "metadata", "title", "body", "language", "identity")
    writes = {"update_state": SQLiteBatch.update_state, "set_state": SQLiteBatch.set_state}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        synthetic_articles(corpus, n)
        stage = PartsEntities(workers=1) if in_parts else WholeStateEntities(workers=1)
        pipeline = storyline.Pipeline([*storyline.Pipeline.from_names(spine).stages, stage])
        marks: list[float] = []
        seen = 0

        def progress(_outcome) -> None:
            nonlocal seen
            if seen % batch_size == 0:
                marks.append(time.process_time())
            seen += 1

        for name, method in writes.items():
            setattr(SQLiteBatch, name, timed(method))
        try:
            store = open_store(str(Path(tmp) / "s.db"))
            with Storyline(store, pipeline=pipeline, batch_size=batch_size, workers=0) as sl:
                sl.ingest([corpus], progress=progress)
                entities = len(stage.resolver)
        finally:
            for name, method in writes.items():
                setattr(SQLiteBatch, name, method)
    per_batch = [b - a for a, b in zip(marks, marks[1:])]
    per_save = [a + b for a, b in zip(saving[::2], saving[1::2])]  # taken, then written: one save per batch
    return {"articles": n, "entities": entities, "first": sum(per_batch[:5]) / 5, "last": sum(per_batch[-5:]) / 5,
            "save_first": sum(per_save[:5]) / 5, "save_last": sum(per_save[-5:]) / 5}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--instructions", action="store_true",
                    help="also count the instructions merging executes, under valgrind (minutes)")
    args = ap.parse_args()
    small, large = (2_000, 20_000) if args.quick else (10_000, 100_000)
    articles = 100 if args.quick else 400
    ingest = 2_000 if args.quick else 8_000

    print("| distinct names | document entities | entities | CPU seconds | CPU µs/name | comparisons/name "
          "| µs/index look-up | bytes/entity (peak RSS) | state save after a batch: whole | in parts | result SHA-1 |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    results = [bench_merge_isolated(small, repeat=3), bench_merge_isolated(large, repeat=3)]
    for r in results:
        print(f"| {r['names']:,} | {r['doc_entities']:,} | {r['entities']:,} | {r['seconds']:.2f} "
              f"| {r['seconds'] / r['names'] * 1e6:.1f} | {r['comparisons_per_name']:.2f} | {r['lookup_us']:.2f} "
              f"| {r['bytes_per_entity']:,.0f} | {r['save_whole_seconds'] * 1000:.0f} ms ({r['whole_bytes'] / 1e6:.1f} MB) "
              f"| {r['save_parts_seconds'] * 1000:.1f} ms ({r['parts_written']} parts) | {r['fingerprint']} |")
    growth = results[1]["seconds"] / results[0]["seconds"]
    work = (results[1]["comparisons_per_name"] * large) / (results[0]["comparisons_per_name"] * small)
    nlogn = (large * math.log(large)) / (small * math.log(small))
    memory = results[1]["baseline"] / results[0]["baseline"]
    normalised = growth / memory * (large / small)
    print(f"\ngrowth for x{large // small} names: CPU time x{growth:.1f} (ratio to n log n {growth / nlogn:.2f}), "
          f"candidate comparisons x{work:.1f} (ratio {work / nlogn:.2f}); n log n allows x{nlogn:.1f}. "
          f"CPU time {'within' if growth <= nlogn else 'ABOVE'} n log n.")
    print(f"for reference, a plain dictionary workload of the same sizes grows x{memory:.1f} on this machine "
          f"(memory caches, not algorithm): merge time relative to it grows x{normalised:.1f}.")
    if args.instructions:
        counts = [merge_instructions(small), merge_instructions(large)]
        if None in counts:
            print("instructions: valgrind is not installed")
        else:
            ratio = counts[1] / counts[0]
            print(f"instructions executed by merging (valgrind): {counts[0] / small:,.0f} per name at {small:,}, "
                  f"{counts[1] / large:,.0f} at {large:,}: x{ratio:.1f} for x{large // small} names "
                  f"({'within' if ratio <= nlogn else 'ABOVE'} n log n, x{nlogn:.1f}); the rest of the CPU time's "
                  f"growth is waiting for memory.")

    print(f"\ningest of {ingest:,} synthetic articles, CPU ms per batch of 200 (spine + entities, one process):")
    print("| resolver state saved | entities at the end | batch: first 5 | last 5 | of which state save: first 5 "
          "| last 5 |")
    print("|---|---:|---:|---:|---:|---:|")
    for in_parts in (True, False):
        r = bench_ingest_state(ingest, in_parts)
        print(f"| {'in parts' if in_parts else 'whole'} | {r['entities']:,} | {r['first'] * 1000:.0f} "
              f"| {r['last'] * 1000:.0f} | {r['save_first'] * 1000:.1f} | {r['save_last'] * 1000:.1f} |")
    print()

    print("| workers | articles | chars/article | seconds | articles/s |")
    print("|---:|---:|---:|---:|---:|")
    for w in (1, 2):
        r = bench_stage(articles, w)
        print(f"| {w} | {r['articles']} | {r['chars_per_article']} | {r['seconds']:.2f} | {r['articles_per_second']:.0f} |")


if __name__ == "__main__":
    main()
