"""A first incremental grouping of articles into events and storylines.

Each new article is placed by looking up candidate stories through the store's term index (never by
re-clustering everything): the article's salient terms (proper-name-like words of its body) are compared by
cosine similarity with each candidate's accumulated term weights (`Store.nearest_stories`, computed inside the
store), under a date constraint per level. The best
candidate above the level's threshold takes the article; otherwise the article starts a new story.

This is the spine's grouping; its thresholds are deliberately conservative. The stories issue replaces the
features (canonical entities, cross-lingual evidence) and makes placement independent of batch order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from ..records import Article, Story

# A capitalised word (any script), an acronym, or a word with inner capitals; at least three letters.
_NAME = re.compile(r"\b[^\W\d_][\w'’-]{2,}\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:«\"“]\s*|\n\s*)$")
MAX_TERMS = 40  # per article: enough to recognise a story, few enough to keep lookups cheap
MAX_STORY_TERMS = 200
LOOKUP_TERMS = 15  # the article's strongest terms find the candidates...
CANDIDATES = 10  # ...and the stories sharing most of them are compared in full


@dataclass(frozen=True)
class Level:
    name: str
    threshold: float  # minimum cosine similarity with the story's terms
    max_gap_days: int  # the article's date may lie this far outside the story's date range


LEVELS = (Level("event", 0.55, 3), Level("storyline", 0.30, 60))


def salient_terms(text: str) -> dict[str, float]:
    """Weights of proper-name-like words: capitalised words that do not merely start a sentence.
    Language-light on purpose: names carry a story across outlets better than common words."""
    counts: Counter[str] = Counter()
    for m in _NAME.finditer(text):
        word = m.group()
        if not word[0].isupper():
            continue
        if _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]) and not word.isupper():
            continue
        counts[word.strip("'’-")] += 1
    top = counts.most_common(MAX_TERMS)
    if not top:
        return {}
    norm = math.sqrt(sum(c * c for _, c in top))
    return {term: c / norm for term, c in sorted(top)}


def article_day(article: Article) -> str | None:
    """The article's day, or the middle of its publication interval when only that is known."""
    p = article.published
    if p.date:
        return p.date
    if p.earliest and p.latest:
        lo, hi = date.fromisoformat(p.earliest), date.fromisoformat(p.latest)
        return (lo + (hi - lo) / 2).isoformat()
    return p.earliest or p.latest


def _days_outside(day: str | None, story: Story) -> int:
    if not day or not story.first or not story.last:
        return 0  # undated on either side: dates say nothing, terms decide
    d = date.fromisoformat(day)
    first, last = date.fromisoformat(story.first), date.fromisoformat(story.last)
    if d < first:
        return (first - d).days
    if d > last:
        return (d - last).days
    return 0


class IncrementalGrouper:
    """Places one article at a time into an event and a storyline, through the store's term index."""

    def __init__(self, levels: tuple[Level, ...] = LEVELS):
        self.levels = levels

    def place(self, batch, store, article: Article) -> dict[str, str]:
        """Put `article` in one story per level, writing through `batch`; returns {level: story id}."""
        text = "\n".join(article.text[s:e] for s, e in article.body) or article.text
        terms = salient_terms(((article.title or "") + "\n") + text)
        day = article_day(article)
        placed = {}
        for level in self.levels:
            story, weights = self._best_candidate(store, level, terms, day)
            if story is None:
                story = Story(
                    id=f"{level.name[0]}-{article.id}",
                    level=level.name,  # type: ignore[arg-type]
                    label="",
                    articles=[],
                    first=day,
                    last=day,
                )
                weights = {}
            if day:
                story.first = min(filter(None, (story.first, day)))
                story.last = max(filter(None, (story.last, day)))
            merged = dict(weights)
            for t, w in terms.items():
                merged[t] = merged.get(t, 0.0) + w
            merged = dict(sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_STORY_TERMS])
            story.label = self._label(level, story, merged, article)
            batch.add_to_story(story, article.id, merged)
            placed[level.name] = story.id
        return placed

    def _best_candidate(self, store, level: Level, terms: dict[str, float], day: str | None):
        for story, score in store.nearest_stories(level.name, terms, limit=CANDIDATES, lookup=LOOKUP_TERMS):
            if score < level.threshold:
                break  # best first: nothing further qualifies
            if _days_outside(day, story) <= level.max_gap_days:
                return story, store.story_terms(story.id)
        return None, None

    @staticmethod
    def _label(level: Level, story: Story, weights: dict[str, float], article: Article) -> str:
        if level.name == "event" and story.label:
            return story.label  # an event keeps the headline of the article that opened it
        if level.name == "event":
            return article.title or ", ".join(list(weights)[:3])
        return ", ".join(list(weights)[:4])
