"""One event per happening across articles, and the timeline of a storyline.

    with storyline.open("news.db") as sl:
        for ev in sl.events():            # merged_events(sl)
            print(ev.date, ev.type, [a["name"] for a in ev.actors], len(ev.sources))
        tl = sl.timeline(story_id)        # build_timeline(sl, story_id)

Both read the events the "events" stage stored per article (`Storyline.facts("event")`).

Merging (`merged_events`). Reports of one happening merge when
- their types are compatible (the same, or one family: CONSULT with MEET, DEMAND with REQUEST);
- their actors overlap: they share two canonical entities; or one, when a report names only one, and then
  the reports must be of one type, name no two different targets and share some words (one person does
  many things on one day); or, when one of them names countries only, two countries ("Washington and
  Moscow" and "Biden and Putin"); reports naming nobody merge only on similar evidence;
- their dates are compatible: the stretches of days their dates cover meet ("2021-12-06" lies within "early
  December" and within "the month before 30 December"), two single days at most one day apart;
- they come from different articles (one article's distinct events are distinct happenings).
Reports are taken most precise date first, so day-level reports found the events that coarser ones join;
a report joins the event it matches best (shared actors, then similar evidence: the word overlap of the two
sentences). Negated and hypothetical reports are no happenings and stay out.

The merged date is the most precise one, and among equally precise ones the one the most independent sources
give; a source whose date or duration disagrees is listed in `conflicts`. Sources are independent when they
are not copies of one another (`Storyline.copy_of`, when the store knows copies), not credited to the same
wire agency, and not from the same outlet. `salience` is the number of independent sources, plus a quarter
for each further repeat, plus a half when an article leads with the event (its first body sentences).

Timeline order (`build_timeline`): events sort by the middle of the stretch of days they may have happened
on. A day-level event sits on its day, a week-level one mid-week, a month-level one mid-month (after the
day-level events of the first half of the month, before those of the second half), "early January" around
5 January; at equal middles the more precise event comes first, then the more salient. Events without a
calendar date ("a few weeks ago") are listed apart, as `undated`.

Summaries are extractive, in the articles' language: per event, the sentences that report it, ranked by
centrality (tf-idf cosine with the other reports) and chosen with maximal marginal relevance (MMR) so that a
second sentence adds something; per storyline, the same over every body sentence of its articles.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from .cluster import article_day
from .events import actors_overlap, compatible, sentence_spans, type_family
from .events.dates import midpoint, span_days

if TYPE_CHECKING:
    from .api import Storyline
    from .records import Article

__all__ = ["MergedEvent", "Source", "Timeline", "build_timeline", "merged_events", "merge_event_records"]

HAPPENED = ("asserted", "planned")  # modalities of reports that say something happened or will
EVIDENCE_MATCH = 0.5  # word overlap of two evidence sentences that merges reports naming no actor
SINGLE_PARTY_MATCH = 0.12  # word overlap that merges reports naming one same party
LEAD_SENTENCES = 2  # an event told in an article's first body sentences is that article's lead
EVENT_SUMMARY_SENTENCES = 2
STORY_SUMMARY_SENTENCES = 4
MMR_LAMBDA = 0.7
DESCRIPTION_CHARS = 180
MAX_DATED_DAYS = 366  # a date vaguer than a year places nothing on a timeline
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class Source:
    """One article's report of a merged event."""

    article_id: str
    outlet: str | None
    start: int
    end: int
    evidence: str
    date: str | None
    granularity: str | None
    earliest: str | None
    latest: str | None
    date_source: str
    duration: str | None
    published: str | None
    implied: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "outlet": self.outlet,
            "start": self.start,
            "end": self.end,
            "evidence": self.evidence,
            "date": self.date,
            "granularity": self.granularity,
            "earliest": self.earliest,
            "latest": self.latest,
            "date_source": self.date_source,
            "duration": self.duration,
            "published": self.published,
            "implied": self.implied,
        }


@dataclass(slots=True)
class MergedEvent:
    """One happening, with every article that reports it (see the module docstring)."""

    id: str
    type: str
    actors: list[dict[str, Any]]
    target: dict[str, Any] | None
    date: str | None
    granularity: str | None
    earliest: str | None
    latest: str | None
    place: dict[str, Any] | None
    modality: str
    sources: list[Source]
    conflicts: list[dict[str, Any]]
    salience: float
    independent_sources: int
    description: str
    summary: str
    language: str | None

    @property
    def interval(self) -> tuple[date, date] | None:
        if self.earliest and self.latest:
            return date.fromisoformat(self.earliest), date.fromisoformat(self.latest)
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "actors": self.actors,
            "target": self.target,
            "date": self.date,
            "granularity": self.granularity,
            "earliest": self.earliest,
            "latest": self.latest,
            "place": self.place,
            "modality": self.modality,
            "sources": [s.to_dict() for s in self.sources],
            "conflicts": self.conflicts,
            "salience": self.salience,
            "independent_sources": self.independent_sources,
            "description": self.description,
            "summary": self.summary,
            "language": self.language,
        }


@dataclass(slots=True)
class Timeline:
    """A storyline's events in date order (`events`), those without a calendar date apart (`undated`), and
    an extractive summary of the storyline."""

    story_id: str
    label: str
    language: str | None
    articles: list[str]
    summary: str
    events: list[MergedEvent] = field(default_factory=list)
    undated: list[MergedEvent] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "label": self.label,
            "language": self.language,
            "articles": self.articles,
            "summary": self.summary,
            "events": [{"position": i + 1, **e.to_dict()} for i, e in enumerate(self.events)],
            "undated": [e.to_dict() for e in self.undated],
        }


# -- public functions ---------------------------------------------------------------------------------------
def merged_events(sl: Storyline, article_ids: Iterable[str] | None = None) -> list[MergedEvent]:
    """The happenings reported by the stored articles (all of them, or `article_ids`), one event each, with
    all their sources; in date order (undated last)."""
    if article_ids is None:
        facts = sl.facts("event")
    else:
        facts = [f for aid in dict.fromkeys(article_ids) for f in sl.facts("event", aid)]
    articles = _Articles(sl)
    return sorted(merge_event_records(facts, articles), key=timeline_key)


def build_timeline(sl: Storyline, story_id: str) -> Timeline:
    """The timeline of one stored story (see the module docstring for the order)."""
    story = sl.story(story_id)
    if story is None:
        raise KeyError(f"no story {story_id!r}")
    articles = _Articles(sl)
    facts = [f for aid in story.articles for f in sl.facts("event", aid)]
    events = merge_event_records(facts, articles)
    dated = [e for e in events if e.interval and span_days(e.interval) <= MAX_DATED_DAYS]
    undated = [e for e in events if e not in dated]
    language = _majority(articles.get(a).language for a in story.articles if articles.get(a))
    return Timeline(
        story_id=story.id,
        label=story.label,
        language=language,
        articles=list(story.articles),
        summary=_story_summary([articles.get(a) for a in story.articles if articles.get(a)], language),
        events=sorted(dated, key=timeline_key),
        undated=sorted(undated, key=lambda e: (-e.salience, e.id)),
    )


def timeline_key(ev: MergedEvent) -> tuple:
    """Sort key: the middle of the event's days, then the more precise, then the more salient."""
    iv = ev.interval
    if iv is None:
        return (date.max, 0, -ev.salience, ev.id)
    return (midpoint(iv), span_days(iv), -ev.salience, ev.id)


# -- merging ------------------------------------------------------------------------------------------------
class _Articles:
    """Stored articles by id, read once, with their independence key (copy, wire, outlet)."""

    def __init__(self, sl: Storyline):
        self.sl = sl
        self._cache: dict[str, Article | None] = {}
        self._keys: dict[str, str] = {}
        self._leads: dict[str, int | None] = {}

    def get(self, article_id: str) -> Article | None:
        if article_id not in self._cache:
            self._cache[article_id] = self.sl.article(article_id)
        return self._cache[article_id]

    def outlet(self, article_id: str) -> str | None:
        a = self.get(article_id)
        return (a.outlet or a.wire) if a else None

    def independence_key(self, article_id: str) -> str:
        key = self._keys.get(article_id)
        if key is None:
            original = article_id
            copy_of = getattr(self.sl, "copy_of", None)
            if copy_of is not None:
                try:
                    link = copy_of(article_id)
                except Exception:  # a store that keeps no copy links: every article stands for itself
                    link = None
                if link is not None:
                    original = link.original_id
            a = self.get(original) or self.get(article_id)
            if a is not None and a.wire:
                key = "wire:" + " ".join(a.wire.split()).casefold()
            elif a is not None and a.outlet:
                key = "outlet:" + " ".join(a.outlet.split()).casefold()
            else:
                key = "article:" + original
            self._keys[article_id] = key
        return key

    def published(self, article_id: str) -> str | None:
        """The publication day, or the middle of the publication interval (ISO), for ordering."""
        a = self.get(article_id)
        return article_day(a) if a is not None else None

    def lead_end(self, article_id: str) -> int | None:
        """Where the article's lead (its first body sentences) ends, or None without a body."""
        if article_id not in self._leads:
            a = self.get(article_id)
            spans = sentence_spans(a.text, a.body, a.language)[:LEAD_SENTENCES] if a is not None and a.body else []
            self._leads[article_id] = spans[-1][1] if spans else None
        return self._leads[article_id]

    def published_label(self, article_id: str) -> str | None:
        """The publication day, or the interval "earliest/latest" when the day is unknown."""
        a = self.get(article_id)
        if a is None:
            return None
        p = a.published
        if p.date or not (p.earliest and p.latest):
            return p.date or p.earliest or p.latest
        return f"{p.earliest}/{p.latest}"


@dataclass(slots=True)
class _Report:
    fact: dict[str, Any]
    interval: tuple[date, date] | None
    actor_ids: set[str]
    words: set[str]
    countries: set[str]  # the countries its actors belong to or are
    people: bool  # whether it names a person

    @property
    def keys(self) -> set[str]:
        return self.actor_ids | {"country:" + c for c in self.countries} or {""}

    @property
    def article_id(self) -> str:
        return self.fact["article_id"]


@dataclass(slots=True)
class _Group:
    reports: list[_Report]

    @property
    def actor_ids(self) -> set[str]:
        return set().union(*(r.actor_ids for r in self.reports))

    @property
    def articles(self) -> set[str]:
        return {r.article_id for r in self.reports}

    @property
    def countries(self) -> set[str]:
        return set().union(*(r.countries for r in self.reports))

    @property
    def people(self) -> bool:
        return any(r.people for r in self.reports)


def merge_event_records(facts: Iterable[dict[str, Any]], articles: Any) -> list[MergedEvent]:
    """Merge stored event records (each with its `article_id`) into happenings. `articles` gives `get(id)` (the
    stored article or None), `outlet(id)`, `published(id)`, `published_label(id)`, `independence_key(id)` and
    optionally `lead_end(id)`."""
    reports = []
    for f in facts:
        if f.get("modality", "asserted") not in HAPPENED:
            continue
        iv = None
        if f.get("earliest") and f.get("latest"):
            iv = (date.fromisoformat(f["earliest"]), date.fromisoformat(f["latest"]))
        actors = f.get("actors") or ()
        ids = {a["entity_id"] for a in actors if a.get("entity_id")}
        countries = {a["country"] for a in actors if a.get("country")}
        people = any(a.get("type") in ("PER", "NAME") for a in actors)
        reports.append(_Report(f, iv, ids, _content_words(f.get("evidence") or ""), countries, people))
    # most precise first; then the report told for itself before the one only implied; then by article
    reports.sort(key=lambda r: (
        span_days(r.interval) if r.interval else 10**6, bool(r.fact.get("implied")),
        articles.published(r.article_id) or "9999", r.article_id, r.fact["start"],
    ))
    groups: list[_Group] = []
    by_key: dict[tuple[str, str], list[_Group]] = defaultdict(list)
    for r in reports:
        home = _best_group(r, by_key) if r.interval is not None else None
        if home is None:
            home = _Group([r])
            groups.append(home)
        else:
            home.reports.append(r)
        for aid in r.keys:
            key = (type_family(r.fact["type"]), aid)
            if home not in by_key[key]:
                by_key[key].append(home)
    return [_merged(g, articles) for g in groups]


def _best_group(r: _Report, by_key: dict[tuple[str, str], list[_Group]]) -> _Group | None:
    """The event a report joins: among those of its type family sharing an actor or a country, the one it
    matches best (see the module docstring), or None."""
    family = type_family(r.fact["type"])
    candidates = {id(g): g for k in sorted(r.keys) for g in by_key.get((family, k), ())}.values()
    best, best_score = None, 0.0
    for g in candidates:
        if r.article_id in g.articles:
            continue
        if not all(compatible(r.interval, o.interval) for o in g.reports):
            continue
        similarity = max(_jaccard(r.words, o.words) for o in g.reports)
        g_ids = g.actor_ids
        if r.actor_ids and g_ids and actors_overlap(r.actor_ids, g_ids):
            if min(len(r.actor_ids), len(g_ids)) < 2 and not _same_single_party_event(r, g, similarity):
                continue
            score = len(r.actor_ids & g_ids) / len(r.actor_ids | g_ids) + 0.5 * similarity
        elif r.actor_ids and g_ids and not (r.people and g.people) and len(r.countries & g.countries) >= 2:
            # "Washington and Moscow talked" and "Biden and Putin talked": the same parties, named as countries
            score = 0.5 * len(r.countries & g.countries) / len(r.countries | g.countries) + 0.5 * similarity
        elif similarity >= EVIDENCE_MATCH and not r.actor_ids and not g_ids:
            score = similarity
        else:
            continue
        score += 0.1 * any(o.fact["type"] == r.fact["type"] for o in g.reports)
        if score > best_score:
            best, best_score = g, score
    return best


def _same_single_party_event(r: _Report, g: _Group, similarity: float) -> bool:
    """Reports naming one party ("Trump gave a speech") merge only when they are of one type, name no two
    different targets and tell it in like words: one person does many things on one day."""
    if not any(o.fact["type"] == r.fact["type"] for o in g.reports):
        return False
    target = _key(r.fact["target"]) if r.fact.get("target") else None
    if target and any(o.fact.get("target") and _key(o.fact["target"]) != target for o in g.reports):
        return False
    return similarity >= SINGLE_PARTY_MATCH


def _merged(g: _Group, articles: Any) -> MergedEvent:
    reports = g.reports
    told = [r for r in reports if not r.fact.get("implied")] or reports
    first = min(told, key=lambda r: (articles.published(r.article_id) or "9999", r.article_id, r.fact["start"]))
    keys = {r.article_id: articles.independence_key(r.article_id) for r in reports}
    independent = len(set(keys.values()))

    types: Counter[str] = Counter()
    for r in reports:  # a noun names the kind of happening better than a verb ("pourparlers", "discuteront")
        types[r.fact["type"]] += 0.5 if r.fact.get("implied") else 1.0 if r.fact.get("trigger_kind") == "noun" else 0.8
    etype = max(types, key=lambda t: (types[t], t == first.fact["type"], t))

    # the date: the most precise; among those, the one the most independent sources give
    dated = [r for r in reports if r.interval is not None]
    chosen = None
    if dated:
        finest = min(span_days(r.interval) for r in dated)
        votes: dict[tuple, set[str]] = defaultdict(set)
        for r in dated:
            if span_days(r.interval) == finest:
                votes[(r.fact.get("date"), r.interval)].add(keys[r.article_id])
        value, interval = max(votes, key=lambda v: (len(votes[v]), -v[1][0].toordinal()))  # ties: the earlier
        chosen = next(r for r in dated if r.interval == interval and r.fact.get("date") == value)
    date_fact = chosen.fact if chosen else first.fact
    conflicts = _conflicts(reports, chosen)

    actor_count: Counter[str] = Counter()
    actor_first: dict[str, dict[str, Any]] = {}
    for r in reports:
        for a in r.fact.get("actors") or ():
            eid = a.get("entity_id") or a.get("name")
            actor_count[eid] += 1
            actor_first.setdefault(eid, a)
    order = list(actor_first)
    actors = [actor_first[k] for k in sorted(order, key=lambda k: (-actor_count[k], order.index(k)))]
    targets = Counter(_key(r.fact["target"]) for r in reports if r.fact.get("target"))
    target = None
    if targets:
        tk = max(targets, key=lambda k: (targets[k], -list(targets).index(k)))
        target = next(r.fact["target"] for r in reports if r.fact.get("target") and _key(r.fact["target"]) == tk)
    place = next((r.fact["place"] for r in reports if r.fact.get("place")), None)
    modality = "asserted" if any(r.fact.get("modality", "asserted") == "asserted" for r in reports) else "planned"

    sources = []
    for r in sorted(reports, key=lambda r: (articles.published(r.article_id) or "9999", r.article_id, r.fact["start"])):
        f = r.fact
        sources.append(Source(
            article_id=r.article_id, outlet=articles.outlet(r.article_id), start=f["start"], end=f["end"],
            evidence=" ".join((f.get("evidence") or "").split()), date=f.get("date"), granularity=f.get("granularity"),
            earliest=f.get("earliest"), latest=f.get("latest"), date_source=f.get("date_source", ""),
            duration=f.get("duration"), published=articles.published_label(r.article_id),
            implied=bool(f.get("implied")),
        ))
    lead = any(_is_lead(r, articles) for r in told)
    salience = independent + 0.25 * (len({r.article_id for r in reports}) - independent) + (0.5 if lead else 0.0)
    language = _majority(r.fact.get("language") for r in told)

    ident = "|".join([type_family(etype), first.article_id, str(first.fact["start"]), str(first.fact["end"])])
    return MergedEvent(
        id="ev-" + hashlib.sha256(ident.encode("utf-8")).hexdigest()[:12],
        type=etype,
        actors=actors,
        target=target,
        date=date_fact.get("date"),
        granularity=date_fact.get("granularity"),
        earliest=date_fact.get("earliest"),
        latest=date_fact.get("latest"),
        place=place,
        modality=modality,
        sources=sources,
        conflicts=conflicts,
        salience=round(salience, 2),
        independent_sources=independent,
        description=_description(_best_told(told, chosen)),
        summary=_event_summary(told, articles, language),
        language=language,
    )


def _best_told(told: list[_Report], chosen: _Report | None) -> dict[str, Any]:
    """The report that describes the event best: the surest, then the one giving the merged date."""
    return max(told, key=lambda r: (r.fact.get("confidence", 1.0), r is chosen,
                                    -(span_days(r.interval) if r.interval else 10**6))).fact


def _key(entity: dict[str, Any]) -> str:
    return entity.get("entity_id") or entity.get("name") or ""


def _conflicts(reports: list[_Report], chosen: _Report | None) -> list[dict[str, Any]]:
    """Details the sources disagree on: a date that does not contain the merged one, and different durations."""
    out = []
    if chosen is not None:
        disagree = [r for r in reports if r.interval is not None and not (
            r.interval[0] <= chosen.interval[0] and chosen.interval[1] <= r.interval[1])]
        if disagree:
            values: dict[str, list[str]] = defaultdict(list)
            for r in [chosen, *disagree]:
                values[_date_label(r.fact)].append(r.article_id)
            out.append({"field": "date", "values": _values(values.items())})
    durations: dict[str, list[str]] = defaultdict(list)
    for r in reports:
        if r.fact.get("duration"):
            durations[r.fact["duration"]].append(r.article_id)
    if len(durations) > 1:
        out.append({"field": "duration", "values": _values(sorted(durations.items()))})
    return out


def _values(pairs: Iterable[tuple[str, list[str]]]) -> list[dict[str, Any]]:
    return [{"value": v, "article_ids": sorted(set(a))} for v, a in pairs]


def _date_label(f: dict[str, Any]) -> str:
    if f.get("date"):
        return f["date"]
    return f"{f.get('earliest')}/{f.get('latest')}"


def _is_lead(r: _Report, articles: Any) -> bool:
    lead_end = getattr(articles, "lead_end", None)
    end = lead_end(r.article_id) if lead_end else None
    return end is not None and r.fact.get("evidence_start", r.fact["start"]) < end


def _description(f: dict[str, Any]) -> str:
    """One line from the evidence: the sentence when it is short; else its beginning (who) and the clause
    of the trigger (what), joined by an ellipsis."""
    evidence = f.get("evidence") or ""
    text = " ".join(evidence.split())
    if len(text) <= DESCRIPTION_CHARS:
        return text
    offset = max(0, f["start"] - f.get("evidence_start", f["start"]))
    at = len(" ".join(evidence[:offset].split())) + (1 if offset and evidence[:offset][-1:].isspace() else 0)
    if at + 60 <= DESCRIPTION_CHARS:  # the trigger is near the start: the sentence, cut
        return _cut(text, DESCRIPTION_CHARS) + " …"
    comma = text.rfind(", ", 0, at)
    start = comma + 2 if comma >= 0 and at - comma <= 90 else text.rfind(" ", 0, max(0, at - 50)) + 1
    clause = text[start:]
    clause = clause if len(clause) <= DESCRIPTION_CHARS - 40 else _cut(clause, DESCRIPTION_CHARS - 40) + " …"
    head = _cut(text[:start], DESCRIPTION_CHARS - len(clause) - 3).rstrip(" ,;")
    return f"{head} … {clause}" if head else "… " + clause


def _cut(text: str, n: int) -> str:
    """At most n characters of text, ending on a whole word."""
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0]


# -- summaries ----------------------------------------------------------------------------------------------
def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 3}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _majority(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return max(counts, key=lambda v: (counts[v], v)) if counts else None


def _event_summary(reports: list[_Report], articles: Any, language: str | None) -> str:
    """The sentences reporting the event (each mention's sentence), chosen by centrality and MMR."""
    sentences: list[str] = []
    seen: set[str] = set()
    for r in reports:
        f = r.fact
        a = articles.get(r.article_id)
        if language and f.get("language") and f["language"] != language:
            continue
        for m in f.get("mentions") or [f]:
            if a is not None and m.get("evidence_start") is not None:
                s = " ".join(a.text[m["evidence_start"]:m["evidence_end"]].split())
            else:
                s = " ".join((f.get("evidence") or "").split())
            if s and s not in seen:
                seen.add(s)
                sentences.append(s)
    return " ".join(sentences[i] for i in sorted(_mmr(sentences, EVENT_SUMMARY_SENTENCES)))


def _story_summary(articles: list[Article], language: str | None) -> str:
    """Body sentences of the storyline's articles (in its language), chosen by centrality and MMR, in
    the order of the articles' publication."""
    arts = sorted((a for a in articles if not language or a.language in (language, None)),
                  key=lambda a: (a.published.date or a.published.earliest or "9999", a.id))
    sentences: list[str] = []
    seen: set[str] = set()
    for a in arts:
        for s, e in sentence_spans(a.text, a.body, a.language):
            text = " ".join(a.text[s:e].split())
            if 6 <= len(text.split()) <= 60 and text not in seen:
                seen.add(text)
                sentences.append(text)
    return " ".join(sentences[i] for i in sorted(_mmr(sentences, STORY_SUMMARY_SENTENCES)))


def _mmr(sentences: list[str], k: int) -> list[int]:
    """Indices of `k` sentences: each the most central (tf-idf cosine with the centroid of all) less its
    likeness to those already chosen (maximal marginal relevance)."""
    if len(sentences) <= k:
        return list(range(len(sentences)))
    bags = [Counter(w for w in _WORD.findall(s.lower()) if len(w) > 2) for s in sentences]
    df = Counter(w for b in bags for w in b)
    n = len(bags)
    vecs = []
    for b in bags:
        v = {w: (1 + math.log(c)) * math.log((1 + n) / (1 + df[w])) for w, c in b.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({w: x / norm for w, x in v.items()})
    centroid: Counter[str] = Counter()
    for v in vecs:
        centroid.update(v)
    cn = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
    relevance = [sum(x * centroid[w] for w, x in v.items()) / cn for v in vecs]
    chosen: list[int] = []
    while len(chosen) < k:
        best, best_score = None, None
        for i, v in enumerate(vecs):
            if i in chosen:
                continue
            redundancy = max((sum(x * vecs[j].get(w, 0.0) for w, x in v.items()) for j in chosen), default=0.0)
            score = MMR_LAMBDA * relevance[i] - (1 - MMR_LAMBDA) * redundancy
            if best_score is None or score > best_score:
                best, best_score = i, score
        chosen.append(best)
    return chosen
