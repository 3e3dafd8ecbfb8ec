"""The storyline timeline of the bundled example corpus against its gold.json in ../shared (skipped when it is
absent): ingest the five articles into a real SQLite database with the entities, times and events stages;
the storyline's timeline holds gold events E00, E01, E04, E11 and E13 (same type, the gold actors, the gold
date within its tolerance), in gold order, and E00 (the early-December Biden-Putin call, background in three
articles with three different wordings and relative dates) carries its three reporting articles.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

import storyline
from storyline.events import interval_of
from storyline.pipeline import Pipeline
from storyline.stages import DEFAULT_PIPELINE
from storyline.textnorm import fold

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "diplomacy-fr"
GOLD = ROOT.parent / "shared" / "corpora" / "diplomacy-fr" / "gold.json"
REQUIRED = ("E00", "E01", "E04", "E11", "E13")

pytestmark = pytest.mark.skipif(not GOLD.is_file(), reason="../shared (gold.json) is not present")


def _pipeline() -> Pipeline:
    import storyline.stages.events  # noqa: F401  (registers "events" until it is in DEFAULT_PIPELINE)
    import storyline.stages.entities  # noqa: F401

    names = [n for n in DEFAULT_PIPELINE if n not in ("entities", "events")]
    names.insert(names.index("times"), "entities")
    names.insert(names.index("times") + 1, "events")
    return Pipeline.from_names(names)


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The timeline of the storyline holding the most example articles, and article id -> file name."""
    db = tmp_path_factory.mktemp("gold-timeline") / "examples.db"
    with storyline.open(db, pipeline=_pipeline()) as sl:
        report = sl.ingest([EXAMPLES])
        assert report.counts["stored"] == 5
        files = {a.id: Path(a.source).name for a in sl.articles()}
        stories = sl.stories("storyline")
        story = max(stories, key=lambda s: (sum(a in files for a in s.articles), s.id))
        yield sl.timeline(story.id), files


def _variants(gold: dict) -> dict[str, set[str]]:
    """Gold canonical name -> its folded spellings and surnames (as the articles and translations write it)."""
    out: dict[str, set[str]] = {}
    for ent in gold["entities"]:
        forms = {ent["canonical"], *(v for vs in ent["mentions"].values() for v in vs)}
        keys = {fold(f) for f in forms} | {fold(f.split()[-1]) for f in forms if ent["type"] == "PER"}
        out[ent["canonical"]] = keys
    return out


def _names_actor(variants: set[str], actor: dict) -> bool:
    name = actor.get("name") or ""
    return fold(name) in variants or (actor.get("type") in ("PER", "NAME") and fold(name.split()[-1]) in variants)


def _within(event: dict, gold_event: dict) -> bool:
    """The event's days lie within the gold date, widened by its tolerance."""
    gold_iv = interval_of(gold_event["date"])
    if gold_iv is None or not event.get("earliest") or not event.get("latest"):
        return False
    pad = timedelta(days=gold_event.get("tolerance_days", 0))
    lo, hi = gold_iv[0] - pad, gold_iv[1] + pad
    return lo <= date.fromisoformat(event["earliest"]) and date.fromisoformat(event["latest"]) <= hi


def _match(events: list[dict], gold_event: dict, variants: dict[str, set[str]], files: dict[str, str]) -> dict | None:
    """The timeline event that is the gold event: same type, every gold actor among its actors, the gold date;
    the one reported by the most gold documents when several are."""
    found = [
        e for e in events
        if e["type"] == gold_event["type"]
        and all(any(_names_actor(variants.get(g, {fold(g)}), a) for a in e["actors"]) for g in gold_event["actors"])
        and _within(e, gold_event)
    ]
    if not found:
        return None
    return max(found, key=lambda e: len({files[s["article_id"]] for s in e["sources"]} & set(gold_event["documents"])))


def test_timeline_holds_the_gold_events_in_order(run, gold):
    timeline, files = run
    data = timeline.to_dict()
    variants = _variants(gold)
    by_id = {g["id"]: g for g in gold["events"]}
    positions = {}
    for gid in REQUIRED:
        event = _match(data["events"], by_id[gid], variants, files)
        assert event is not None, f"{gid} ({by_id[gid]['what']}) is not in the timeline: " + "; ".join(
            f"{e['date'] or e['earliest']} {e['type']} {[a['name'] for a in e['actors']]}" for e in data["events"])
        positions[gid] = event["position"]
    order = [gid for gid in gold["timeline"] if gid in REQUIRED]
    assert [positions[g] for g in order] == sorted(positions[g] for g in order), positions


def test_the_early_december_call_carries_its_three_articles(run, gold):
    timeline, files = run
    e00 = next(g for g in gold["events"] if g["id"] == "E00")
    event = _match(timeline.to_dict()["events"], e00, _variants(gold), files)
    assert event is not None
    assert {files[s["article_id"]] for s in event["sources"]} == set(e00["documents"])
    assert event["independent_sources"] == 3
    # the 50-minute call of 30 December is another happening
    e11 = next(g for g in gold["events"] if g["id"] == "E11")
    assert _match(timeline.to_dict()["events"], e11, _variants(gold), files)["id"] != event["id"]


def test_timeline_json_shape(run):
    timeline, _ = run
    data = json.loads(json.dumps(timeline.to_dict(), ensure_ascii=False))
    assert {"story_id", "label", "language", "articles", "summary", "events", "undated"} <= set(data)
    assert data["language"] == "fr" and data["summary"]
    for e in data["events"]:
        assert {"position", "id", "type", "actors", "date", "granularity", "sources", "conflicts", "salience",
                "description", "summary"} <= set(e)
        for s in e["sources"]:
            assert {"article_id", "outlet", "start", "end", "evidence"} <= set(s)
