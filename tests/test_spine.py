"""End to end through the real CLI and a real SQLite file: ingest, accounting, idempotency, contracts."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import storyline
from conftest import cli_json, run_cli


def test_ingest_examples_then_again_adds_nothing(tmp_path, examples):
    db = tmp_path / "news.db"
    first = cli_json("ingest", str(examples), db=db)
    assert (first["stored"], first["duplicate"], first["rejected"]) == (5, 0, 0)
    again = cli_json("ingest", str(examples), db=db)
    assert (again["stored"], again["duplicate"], again["rejected"]) == (0, 5, 0)
    arts = cli_json("articles", db=db)
    assert len(arts) == 5
    assert {Path(a["source"]).name for a in arts} == {p.name for p in examples.glob("*.txt")}
    for a in arts:
        assert a["language"] == "fr"
        assert a["title"] and a["stories"], a
        assert set(a["published"]) == {"date", "earliest", "latest", "evidence"}


def test_same_content_under_two_names_is_one_article(tmp_path, examples):
    src = next(examples.glob("*.txt")).read_bytes()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(src)
    (folder / "b.txt").write_bytes(src.replace(b"\n", b"\r\n"))  # same words, other line endings
    report = cli_json("ingest", str(folder), db=tmp_path / "x.db")
    assert (report["stored"], report["duplicate"]) == (1, 1)
    con = sqlite3.connect(tmp_path / "x.db")
    # the duplicate is recorded as a duplicate of the first article
    rows = con.execute("SELECT status, article_id FROM inputs ORDER BY rowid").fetchall()
    assert rows[0][0] == "stored" and rows[1] == ("duplicate", rows[0][1])


def test_stories_contract_and_story_command(tmp_path, examples):
    db = tmp_path / "s.db"
    run_cli("ingest", str(examples), db=db)
    stories = cli_json("stories", db=db)
    assert stories, "five articles on one topic make at least one story"
    levels = {s["level"] for s in stories}
    assert levels == {"event", "storyline"}
    article_ids = {a["id"] for a in cli_json("articles", db=db)}
    for s in stories:
        assert {"id", "level", "label", "articles", "first", "last"} <= set(s)
        assert set(s["articles"]) <= article_ids and s["label"]
    # every article is in exactly one story per level
    for level in ("event", "storyline"):
        members = [a for s in stories if s["level"] == level for a in s["articles"]]
        assert sorted(members) == sorted(article_ids)
    one = cli_json("story", stories[0]["id"], db=db)
    assert one["id"] == stories[0]["id"] and len(one["article_details"]) == len(one["articles"])
    assert run_cli("story", "no-such-story", db=db, check=False).returncode == 1


def test_grouping_is_incremental(tmp_path, examples):
    files = sorted(examples.glob("*.txt"))
    first, rest = tmp_path / "first", tmp_path / "rest"
    for folder, group in ((first, files[:3]), (rest, files[3:])):
        folder.mkdir()
        for f in group:
            (folder / f.name).write_bytes(f.read_bytes())
    db = tmp_path / "inc.db"
    run_cli("ingest", str(first), db=db)
    before = {s["id"]: s for s in cli_json("stories", db=db)}
    run_cli("ingest", str(rest), db=db)
    after = {s["id"]: s for s in cli_json("stories", db=db)}
    # stories that existed keep their id and their articles: new articles are placed, nothing is recomputed
    for sid, s in before.items():
        assert sid in after and set(s["articles"]) <= set(after[sid]["articles"])
    assert sum(len(s["articles"]) for s in after.values() if s["level"] == "storyline") == 5


def test_search_and_export(tmp_path, examples):
    db = tmp_path / "e.db"
    run_cli("ingest", str(examples), db=db)
    hits = cli_json("search", "Ouchakov", db=db)
    assert len(hits) == 1 and "Ouchakov" in hits[0]["snippet"].replace("[", "").replace("]", "")
    assert cli_json("search", "etats-unis AND \"Lavrov", db=db) is not None  # awkward syntax does not crash
    for fmt in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"out.{fmt}"
        run_cli("export", "--format", fmt, "--out", str(out), db=db)
        if fmt == "jsonl":
            rows = [json.loads(line) for line in out.read_text().splitlines()]
        elif fmt == "csv":
            rows = list(csv.DictReader(out.open(encoding="utf-8")))
        else:
            import pyarrow.parquet as pq

            rows = pq.read_table(out).to_pylist()
        assert len(rows) == 5 and all(r["text"] and r["id"] for r in rows)
    bad = run_cli("export", "--format", "xml", "--out", str(tmp_path / "x"), db=db, check=False)
    assert bad.returncode == 2 and b"unknown export format" in bad.stderr


def test_db_from_environment(tmp_path, examples):
    db = tmp_path / "env.db"
    run_cli("ingest", str(examples), env={"STORYLINE_DB": str(db)})
    assert db.exists() and len(cli_json("articles", env={"STORYLINE_DB": str(db)})) == 5


def test_analyze_contract_for_text_and_jsonl(tmp_path, examples):
    path = sorted(examples.glob("*.txt"))[0]
    proc = run_cli("analyze", str(path), "--json")
    (doc,) = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert doc["text"] == path.read_text(encoding="utf-8")  # exactly the decoded content
    assert {"id", "source", "text", "title", "language", "published", "outlet", "body"} <= set(doc)
    for start, end in doc["body"]:
        assert 0 <= start < end <= len(doc["text"])
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        json.dumps({"id": "row-1", "text": "Hello world. The minister spoke on Monday.", "published": "2022-03-01",
                    "language": "en"}) + "\n"
        + json.dumps({"id": 7, "text": "Bonjour. Le ministre a parlé lundi.", "title": "Le ministre"}) + "\n",
        encoding="utf-8",
    )
    proc = run_cli("analyze", str(rows), "--json", "--published", "2020-01-01")
    one, two = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert one["id"] == "row-1" and one["published"]["date"] == "2022-03-01" and one["language"] == "en"
    assert two["id"] == "7" and two["title"] == "Le ministre" and two["published"]["date"] == "2020-01-01"


def test_analyze_reads_standard_input():
    proc = run_cli("analyze", "-", "--json", stdin="Un texte.\n\nLe ministre a parlé lundi à Paris.\n".encode())
    (doc,) = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert doc["source"] == "-" and doc["text"].startswith("Un texte.")


def test_analyze_takes_a_long_one_line_text_as_text():
    # longer than a file name may be: still a text, not an error from the file system
    text = "Le ministre a déclaré lundi à Paris que les négociations reprendraient bientôt. " * 5
    (doc,) = storyline.analyze(text.strip())
    assert doc.source == "<text>" and doc.text == text.strip()


def test_bad_inputs_are_all_accounted_for(tmp_path, examples):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("Le président français a déclaré mardi à Paris qu'il était prêt.".encode("latin-1"))
    with (folder / "huge.txt").open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    # broken HTML: what can be recovered is; a page with no text at all is rejected
    (folder / "broken.html").write_bytes(
        "<html><body><div><p>Le ministre a rencontré son homologue à Genève mardi <b>pour des pourparlers <table><tr><td>".encode()
    )
    (folder / "nothing.html").write_bytes(b"<html><head><script>var x = 1;</script></head><body><nav></nav></body></html>")
    (folder / "rows.jsonl").write_text(
        json.dumps({"text": "First good row about the summit in Geneva, where ministers met."}) + "\n"
        + json.dumps({"text": "Second good row about talks in Vienna between the delegations."}) + "\n"
        + '{"text": "truncated row', encoding="utf-8",
    )
    (folder / "good.txt").write_bytes(next(examples.glob("*.txt")).read_bytes())
    proc = run_cli("ingest", str(folder), "--json", db=tmp_path / "bad.db")
    assert proc.returncode == 0  # processed everything, even with rejections
    report = json.loads(proc.stdout)
    # 8 files, the JSONL one holding 3 inputs: 10 inputs, each accounted for
    assert report["total"] == 10
    assert (report["stored"], report["rejected"]) == (5, 5)
    reasons = {Path(r["source"].split("#")[0]).name + ("#" + r["source"].split("#")[1] if "#" in r["source"] else ""):
               r for r in cli_json("rejected", db=tmp_path / "bad.db")}
    assert reasons["image.png"]["code"] == "binary"
    assert reasons["empty.txt"]["code"] == "empty"
    assert reasons["huge.txt"]["code"] == "too_large" and "MB" in reasons["huge.txt"]["reason"]
    assert reasons["nothing.html"]["code"] == "no_text"
    assert reasons["rows.jsonl#L3"]["code"] == "bad_json"
    stored = {Path(a["source"]).name: a for a in cli_json("articles", db=tmp_path / "bad.db")}
    assert "latin1.txt" in stored and "broken.html" in stored
    assert "président" in cli_json("search", "président", db=tmp_path / "bad.db")[0]["snippet"]


def test_unusable_database_is_a_clear_error(tmp_path):
    not_db = tmp_path / "notes.db"
    not_db.write_text("this is not a database" * 100)
    proc = run_cli("articles", db=not_db, check=False)
    assert proc.returncode == 2 and b"error" in proc.stderr


def _make_corpus(folder: Path, examples: Path, n: int) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(examples.glob("*.txt"))]
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:05d}.txt").write_text(f"{texts[i % len(texts)]}\n\nDocument {i}.\n", encoding="utf-8")


def _no_process_left(marker: str, wait: float = 10.0) -> bool:
    """No process has `marker` on its command line (workers are forks: they carry their parent's), within
    `wait` seconds. True where /proc is not available."""
    proc = Path("/proc")
    deadline = time.time() + wait
    while True:
        left = []
        for cmdline in proc.glob("[0-9]*/cmdline"):
            try:
                if marker.encode() in cmdline.read_bytes():
                    left.append(cmdline)
            except OSError:  # the process ended meanwhile
                continue
        if not left or time.time() > deadline:
            return not left
        time.sleep(0.1)


def _count(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_sigkill_mid_ingest_then_resume(tmp_path, examples):
    n = 2000
    corpus = tmp_path / "corpus"
    _make_corpus(corpus, examples, n)
    db = tmp_path / "kill.db"
    cmd = [sys.executable, "-m", "storyline.cli", "ingest", str(corpus), "--db", str(db)]
    for kill_after in (1, 600):  # once in the first batch, once after some batches have committed
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while _count(db) < kill_after and proc.poll() is None and time.time() < deadline:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert _count(db) < n, "the run finished before it could be killed; make the corpus larger"
        assert _no_process_left(str(db)), "worker processes outlived the killed ingest"
    run_cli("ingest", str(corpus), db=db)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    sources = [Path(s).name for (s,) in con.execute("SELECT source FROM articles")]
    assert len(sources) == n and len(set(sources)) == n
    assert sorted(sources) == sorted(p.name for p in corpus.iterdir())
    memberships = con.execute(
        "SELECT count(*) FROM story_articles sa JOIN stories s ON s.id = sa.story_id WHERE s.level = 'storyline'"
    ).fetchone()[0]
    assert memberships == n  # every article grouped exactly once per level, even across the kills
