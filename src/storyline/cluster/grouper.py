"""Incremental grouping of articles into events (one happening) and storylines (a thread of events).

Each new article is placed by looking up candidates through the store's index (`grouping_keys`: entity, term
and happening keys filed at a day), never by re-clustering:

- event: the article joins every earlier article that reports the same happening (`same_event`, a symmetric
  test on two articles' evidence): a lead happening of the same type family, with overlapping participants and
  compatible days, backed by shared entities; or, when one side has no typed events (a pipeline without the
  events stage), nearly the same terms in reports published within a day of each other, both precisely dated
  (or both undated, in a pipeline without a publication-date stage).
  An article that matches reports of two events merges them. Events are thus the connected components of
  `same_event` over the candidates the index returns: the same whatever the order the articles came in.
- storyline: every storyline holding an article the new one reports the same happening as, or resembles
  (cosine of keys weighted by rarity among the stored articles, so that hubs such as a country or a head of
  state mentioned by every story decide nothing) among the articles of the surrounding weeks
  (`STORYLINE_GAP_DAYS` either side, so a storyline survives gaps of weeks), sharing at least one key that is
  not a hub: one is joined, several are merged.
  Storylines are thus the connected components of that resemblance, threads that may drift as they go.

Within one call to `place_all` articles are placed in a canonical order (publication interval, then id), so a
batch gives the same stories whatever its order.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from ..records import Article, Story
from .evidence import HAPPENING_MAX_DAYS, Evidence, cosine, dot, evidence_of

EVENT_SUPPORT = 0.3  # cosine of rarity-weighted keys two reports of one happening reach at least
EVENT_FALLBACK = 0.6  # without typed events on one side: the cosine two reports of one happening reach...
EVENT_FALLBACK_DAYS = 1  # ...published at most this many days apart...
EVENT_MAX_WIDTH = 3  # ...each known to within this many days (a month-wide interval decides nothing)
EMBED_EVENT = 0.85  # with an embedding backend: sentence-embedding cosine that stands in for shared keys
STORYLINE_THRESHOLD = 0.3
STORYLINE_GAP_DAYS = 60
HUB_SHARE = 0.02  # a key held by more than this share of the stored articles (and more than HUB_MIN_ARTICLES)
HUB_MIN_ARTICLES = 50  # is a hub: resemblance resting on hubs alone links no storylines
MAX_STORY_TERMS = 200
LOOKUP_KEYS = 10  # the article's strongest keys find the candidates...
PER_KEY = 30  # ...at most this many articles each, nearest in time
EVENT_CANDIDATES = 6  # articles compared in full with `same_event`: those sharing most keys
STORYLINE_VOTERS = 15  # the articles of the same weeks sharing most keys are compared in full
LABEL_MEMBERS = 10  # an event's headline is chosen among its first members
LABEL_KEYS = 3
UNDATED = (0, 10**7)  # an undated article looks everywhere (still bounded per key)


MAX_STRETCH_DAYS = 31  # an undated article's publication interval widens a story's dates only up to this


def _iso(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day else None


def _embedding_cosine(a: Evidence, b: Evidence) -> float:
    if a.embedding is None or b.embedding is None:
        return 0.0
    return sum(x * y for x, y in zip(a.embedding, b.embedding))  # both unit length


def same_event(a: Evidence, b: Evidence) -> bool:
    """Whether two articles report the same happening. Symmetric, so events do not depend on the order within a
    batch. Shared keys count by rarity when known (`Evidence.weighted`): sharing only hubs is no support."""
    support = dot(a.weighted or a.vector, b.weighted or b.vector)
    embedded = _embedding_cosine(a, b) >= EMBED_EVENT
    if a.happenings and b.happenings:
        return (support >= EVENT_SUPPORT or embedded) and any(h.matches(g) for h in a.happenings for g in b.happenings)
    if a.width is None and b.width is None:  # nothing dated (no publication-date stage): terms alone decide
        return support >= EVENT_FALLBACK or embedded
    if a.width is None or b.width is None or max(a.width, b.width) > EVENT_MAX_WIDTH:
        return False
    if a.lo - b.hi > EVENT_FALLBACK_DAYS or b.lo - a.hi > EVENT_FALLBACK_DAYS:  # type: ignore[operator]
        return False
    return support >= EVENT_FALLBACK or embedded


class Grouper:
    """Places articles into an event and a storyline each, through the store's candidate index."""

    def __init__(self, embedding_model: str | Path | None = None):
        """`embedding_model`: a sentence-transformers model saved on disk; loaded when the first article is
        placed (reading a database never pays for it)."""
        self.embedding_model = None if embedding_model is None else str(Path(embedding_model).expanduser())
        self._embedder = None

    @property
    def embedder(self):
        if self._embedder is None and self.embedding_model is not None:
            from ..similarity.embed import get_embedder

            self._embedder = get_embedder(self.embedding_model)
        return self._embedder

    def evidence(self, article: Article, doc: Any = None) -> Evidence:
        ev = evidence_of(article, doc)
        if self.embedding_model is not None:
            text = "\n".join(article.text[s:e] for s, e in article.body) or article.text
            ev.embedding = [round(x, 5) for x in self.embedder.encode([f"{article.title or ''}\n{text}"])[0]]
        return ev

    def place_all(self, batch, store, items: list[tuple[Article, Any]]) -> dict[str, dict[str, str]]:
        """Place a batch's new articles ((article, pipeline document or None) pairs), writing through `batch`;
        returns {article id: {level: story id}}."""
        return self.place_evidence(batch, store, [self.evidence(a, d) for a, d in items])

    def place_evidence(self, batch, store, evidences: list[Evidence]) -> dict[str, dict[str, str]]:
        order = sorted(evidences, key=lambda e: (e.lo is None, e.lo or 0, e.hi or 0, e.article_id))
        return {ev.article_id: self._place(batch, store, ev) for ev in order}

    # -- one article ---------------------------------------------------------------------------------
    def _place(self, batch, store, ev: Evidence) -> dict[str, str]:
        weighted, hubs = self._weighted(store, ev)
        specific = set(ev.vector) - hubs
        strongest = sorted(weighted, key=lambda k: (-weighted[k], k))[:LOOKUP_KEYS]
        happening_keys = sorted({(f"h:{h.family}:{p}", h.lo, h.hi) for h in ev.happenings for p in h.participants})
        wide = UNDATED if ev.lo is None else (ev.lo - STORYLINE_GAP_DAYS, ev.hi + STORYLINE_GAP_DAYS)
        lookups = [(k, lo - HAPPENING_MAX_DAYS - 1, hi + 1) for k, lo, hi in happening_keys]
        if ev.width is not None and ev.width <= EVENT_MAX_WIDTH:  # reports of the same days, for `same_event`
            pad = EVENT_FALLBACK_DAYS + EVENT_MAX_WIDTH
            lookups += [(k, ev.lo - pad, ev.hi + pad) for k in strongest]
        elif ev.width is None:  # undated articles are filed at day 0
            lookups += [(k, 0, 0) for k in strongest]
        n_event = len(lookups)
        lookups += [(k, *wide) for k in strongest]  # earlier articles of the same weeks, for the storyline
        event_hits: Counter[str] = Counter()
        related: Counter[str] = Counter()
        for n, aid in store.grouping_candidates(lookups, PER_KEY):
            if aid != ev.article_id:
                (event_hits if n < n_event else related)[aid] += 1
        near = [aid for aid, _ in sorted(event_hits.items(), key=lambda kv: (-kv[1], kv[0]))[:EVENT_CANDIDATES]]
        voters = [aid for aid, _ in sorted(related.items(), key=lambda kv: (-kv[1], kv[0]))[:STORYLINE_VOTERS]]
        ev.weighted = weighted
        read = {aid: Evidence.from_dict(aid, d) for aid, d in store.grouping_evidence([*near, *voters]).items()}
        matched = sorted(aid for aid in near if aid in read and same_event(ev, read[aid]))
        linked = sorted(aid for aid in voters if aid in read and not specific.isdisjoint(read[aid].vector)
                        and dot(weighted, read[aid].weighted or read[aid].vector) >= STORYLINE_THRESHOLD)

        batch.add_evidence(ev.article_id, ev.to_dict(),
                           [(k, lo) for k, lo, _ in happening_keys]
                           + [(k, ev.day if ev.day is not None else 0) for k in strongest])
        event = self._place_event(batch, store, ev, matched)
        storyline = self._place_storyline(batch, store, ev, weighted, sorted({*matched, *linked}))
        return {"event": event, "storyline": storyline}

    def _place_event(self, batch, store, ev: Evidence, matched: list[str]) -> str:
        events = sorted(set(store.story_of(matched, "event").values()))
        stories = store.stories_by_id(events)
        keep = self._merge_into(batch, store, [stories[s] for s in events if s in stories])
        story = keep or Story(f"e-{ev.article_id}", "event", "", [], None, None)
        self._stretch(story, ev)
        if not keep or store.story_sizes([story.id])[story.id] < LABEL_MEMBERS:
            members = store.story(story.id).articles if keep else []
            story.label = self._event_label(store, ev, members)
        batch.add_to_story(story, ev.article_id)
        return story.id

    def _place_storyline(self, batch, store, ev: Evidence, weighted: dict[str, float], linked: list[str]) -> str:
        storylines = sorted(set(store.story_of(linked, "storyline").values()))
        stories = store.stories_by_id(storylines)
        keep = self._merge_into(batch, store, [stories[s] for s in storylines if s in stories])
        story = keep or Story(f"s-{ev.article_id}", "storyline", "", [], None, None)
        self._stretch(story, ev)
        batch.add_to_story(story, ev.article_id)
        batch.add_story_terms(story.id, weighted, MAX_STORY_TERMS)
        label = self._storyline_label(store, ev, store.top_terms(story.id, LABEL_KEYS + 2))
        if label != story.label:
            story.label = label
            batch.add_to_story(story, ev.article_id)
        return story.id

    # -- helpers -------------------------------------------------------------------------------------
    @staticmethod
    def _weighted(store, ev: Evidence) -> tuple[dict[str, float], set[str]]:
        """The article's keys weighted by rarity (a damped inverse document frequency over the stored articles),
        so that hubs every story mentions (a country, a head of state) neither find nor decide storylines; and
        which of its keys are such hubs."""
        n, df = store.key_frequencies(sorted(ev.vector))
        weighted = {k: w * (1.0 + math.log((n + 1) / (df.get(k, 0) + 1))) for k, w in ev.vector.items()}
        norm = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
        hubs = {k for k, c in df.items() if c > max(HUB_MIN_ARTICLES, HUB_SHARE * n)}
        return {k: w / norm for k, w in weighted.items()}, hubs

    @staticmethod
    def _merge_into(batch, store, stories: list[Story]) -> Story | None:
        """Merge `stories` into the largest (ties: smallest id), which is returned with the others' dates."""
        if not stories:
            return None
        sizes = store.story_sizes([s.id for s in stories]) if len(stories) > 1 else {stories[0].id: 0}
        stories = sorted(stories, key=lambda s: (-sizes[s.id], s.id))
        keep = stories[0]
        for gone in stories[1:]:
            batch.merge_stories(keep.id, gone.id, MAX_STORY_TERMS)
            keep.first = min(filter(None, (keep.first, gone.first)), default=None)
            keep.last = max(filter(None, (keep.last, gone.last)), default=None)
        return keep

    @staticmethod
    def _stretch(story: Story, ev: Evidence) -> None:
        """Widen the story's dates to the article's day, or to the days it may have been published on when only
        an interval of up to a month is known (a story's dates must not rest on a guessed middle); a wider
        interval counts by its middle, so one vaguely dated article does not stretch a story over a year."""
        if ev.lo is None or ev.hi is None:
            return
        lo, hi = (ev.lo, ev.hi) if ev.width <= MAX_STRETCH_DAYS else (ev.day, ev.day)
        story.first = min(filter(None, (story.first, _iso(lo))))
        story.last = max(filter(None, (story.last, _iso(hi))))

    @staticmethod
    def _event_label(store, ev: Evidence, members: list[str]) -> str:
        """The most central headline: the member's whose keys are nearest the event's summed keys."""
        others = [Evidence.from_dict(aid, d) for aid, d in sorted(store.grouping_evidence(members).items())]
        group = [*others, ev]
        centroid: dict[str, float] = {}
        for m in group:
            for k, w in m.vector.items():
                centroid[k] = centroid.get(k, 0.0) + w
        titled = [m for m in group if m.title] or group
        best = max(titled, key=lambda m: (cosine(m.vector, centroid), -(m.lo or 0), m.article_id))
        keys = sorted(best.vector, key=lambda k: (-best.vector[k], k))[:LABEL_KEYS]
        return best.title or ", ".join(best.names.get(k, k[2:]) for k in keys)

    @staticmethod
    def _storyline_label(store, ev: Evidence, top: list[str]) -> str:
        """The storyline's key entities (or terms), strongest first."""
        top = [k for k in top if not k.startswith("n:")][:LABEL_KEYS]
        known = store.entity_names([k[2:] for k in top if k.startswith("e:") and k not in ev.names])
        return ", ".join(ev.names.get(k) or known.get(k[2:]) or k[2:] for k in top)
