"""What the grouping knows about one article: language-independent evidence, read once and stored.

`Evidence` holds
- `vector`: weighted keys naming what the article is about. With the entities stage these are canonical entity
  ids (`e:<id>`, a metonymic "Washington" counted as the country it stands for), the countries its places lie in
  (`c:<country>`) and its larger numbers (`n:<digits>`), so a French, an English and a Spanish report of one
  happening share them. Without that stage they are the article's capitalised terms (`t:<word>`).
- `happenings`: the article's lead happenings, read from the events stage: type family, participants (entity
  ids of actors and target) and the days it may have happened on. Only those told in the title or the first
  body sentences, asserted or planned, dated to within a week: the article's own news, not its background.
- `lo`/`hi`: the publication interval as ordinal days, used honestly: an article known only to lie within a
  month is never put into an event on a guess at its day.
- `weighted` (set by the grouper): `vector` weighted by the rarity of its keys when the article was grouped;
  `embedding` (optional backend): a sentence embedding of title and body.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..events import sentence_spans, type_family
from ..records import Article

# A word of at least three letters (any script) that does not start with a common lowercase letter: capitalised
# words, acronyms, names after an elision ("l'Ukraine"). The lowercase look-ahead only spares the caller most
# words; `salient_terms` still checks the capital.
_NAME = re.compile(r"(?<!\w)(?![a-zß-ÿа-яё])[^\W\d_][\w'’-]{2,}\b")
_SENTENCE_STOPS = frozenset(".!?…:«\"“\n")
# A number of at least three digits, thousands possibly grouped by a space, dot, comma or apostrophe.
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f.,’']\d{3})+(?![\d])|(?<![\w.,])\d{3,}(?![\d])")
MAX_TERMS = 40  # per article: enough to recognise a story, few enough to keep lookups cheap
LEAD_CHARS = 500  # happenings told in the title or the body sentences starting within this many characters
# of body text (the headline aside) are the article's news
MAX_HAPPENINGS = 3
HAPPENING_MAX_DAYS = 7  # a happening dated only to a month says nothing about which day's news it is
LEAD_MODALITIES = ("asserted", "planned")
TITLE_BOOST = 1.0  # an entity named in the headline counts this much more
PLACE_TYPES = ("GPE", "LOC")
PLACE_WEIGHT = 0.5  # places (countries above all) are the setting of many stories, people and bodies their actors
COUNTRY_WEIGHT = 0.5  # a place's country weighs this fraction of the place's own mentions
NUMBER_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Happening:
    family: str  # event type family (`storyline.events.type_family`)
    participants: frozenset[str]
    lo: int  # ordinal days
    hi: int

    def matches(self, other: Happening, tolerance: int = 1) -> bool:
        """Same kind of happening, a participant in common, days that can be the same. One shared participant
        is enough: the resolver does not always join a short form ("Yoon") to the full name, and the caller
        asks for shared entities besides."""
        return (self.family == other.family and not self.participants.isdisjoint(other.participants)
                and self.lo <= other.hi + tolerance and other.lo <= self.hi + tolerance)


@dataclass(slots=True)
class Evidence:
    article_id: str
    title: str
    lo: int | None  # publication interval, ordinal days
    hi: int | None
    vector: dict[str, float]  # unit length
    names: dict[str, str] = field(default_factory=dict)  # key -> readable name, where the key is an id
    happenings: list[Happening] = field(default_factory=list)
    embedding: list[float] | None = None
    weighted: dict[str, float] | None = None  # `vector` weighted by rarity when the article was grouped

    @property
    def day(self) -> int | None:
        """The middle of the publication interval: where the article sits in the story index."""
        return None if self.lo is None or self.hi is None else (self.lo + self.hi) // 2

    @property
    def width(self) -> int | None:
        return None if self.lo is None or self.hi is None else self.hi - self.lo

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title, "lo": self.lo, "hi": self.hi,
            "vector": {k: round(w, 5) for k, w in self.vector.items()}, "names": self.names,
            "happenings": [[h.family, sorted(h.participants), h.lo, h.hi] for h in self.happenings],
            "embedding": self.embedding,
            "weighted": {k: round(w, 5) for k, w in self.weighted.items()} if self.weighted is not None else None,
        }

    @classmethod
    def from_dict(cls, article_id: str, d: dict[str, Any]) -> Evidence:
        return cls(article_id, d["title"], d["lo"], d["hi"], d["vector"], d.get("names", {}),
                   [Happening(f, frozenset(p), lo, hi) for f, p, lo, hi in d.get("happenings", [])],
                   d.get("embedding"), d.get("weighted"))


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two sparse vectors (norms computed, so accumulated story vectors need no normalising)."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(k, 0.0) for k, w in a.items())
    if not dot:
        return 0.0
    return dot / math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit vectors (every `Evidence` vector is one)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[k] for k, w in a.items() if k in b)


def salient_terms(text: str) -> dict[str, float]:
    """Weights of proper-name-like words: capitalised words that do not merely start a sentence.
    Language-light on purpose: names carry a story across outlets better than common words."""
    counts: Counter[str] = Counter()
    for m in _NAME.finditer(text):
        word = m.group()
        if not word[0].isupper():
            continue
        if not word.isupper() and _starts_sentence(text, m.start()):
            continue
        counts[word.strip("'’-")] += 1
    return _unit(dict(counts.most_common(MAX_TERMS)))


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the word at `at` opens the text, a line or a sentence (up to two blanks after the stop)."""
    j = at - 1
    while j >= 0 and at - j <= 3 and text[j].isspace() and text[j] != "\n":
        j -= 1
    return j < 0 or text[j] in _SENTENCE_STOPS


def article_day(article: Article) -> str | None:
    """The article's day, or the middle of its publication interval when only that is known (for ordering)."""
    p = article.published
    if p.date:
        return p.date
    if p.earliest and p.latest:
        lo, hi = date.fromisoformat(p.earliest), date.fromisoformat(p.latest)
        return (lo + (hi - lo) / 2).isoformat()
    return p.earliest or p.latest


def publication_interval(article: Article) -> tuple[int | None, int | None]:
    p = article.published
    lo, hi = (p.date, p.date) if p.date else (p.earliest or p.latest, p.latest or p.earliest)
    if not lo or not hi:
        return None, None
    try:
        return date.fromisoformat(lo).toordinal(), date.fromisoformat(hi).toordinal()
    except ValueError:
        return None, None


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k: w / norm for k, w in sorted(weights.items())} if norm else {}


def _body_text(article: Article) -> str:
    return "\n".join(article.text[s:e] for s, e in article.body) or article.text


def _entity_vector(article: Article, entities: list[Any]) -> tuple[dict[str, float], dict[str, str]]:
    own = {" ".join(x.split()).casefold() for x in (article.outlet, article.wire) if x}
    title_end = _title_end(article)
    weights: Counter[str] = Counter()
    names: dict[str, str] = {}
    for e in entities:
        eid = _get(e, "refers_to") or _get(e, "entity_id")
        canonical = _get(e, "canonical") or _get(e, "text") or ""
        if not eid or " ".join(canonical.split()).casefold() in own:
            continue  # the outlet naming itself says nothing about the story
        key = "e:" + eid
        names.setdefault(key, canonical if not _get(e, "refers_to") else _get(e, "country") or canonical)
        boost = TITLE_BOOST if title_end is not None and (_get(e, "start") or 0) < title_end else 0.0
        place = _get(e, "type") in PLACE_TYPES or bool(_get(e, "refers_to"))
        weights[key] += (1.0 + boost) * (PLACE_WEIGHT if place else 1.0)
        country = _get(e, "country")
        if country and _get(e, "type") in PLACE_TYPES and not _get(e, "refers_to") and country != canonical:
            weights["c:" + country] += COUNTRY_WEIGHT
            names.setdefault("c:" + country, country)
    for number in set(_NUMBER.findall(_body_text(article))):
        digits = re.sub(r"\D", "", number)
        if not (len(digits) == 4 and digits[:2] in ("19", "20")):  # years are dates, not figures
            weights["n:" + digits] += NUMBER_WEIGHT
    # sqrt dampens the many repeats of a story's main actor; keep the strongest keys only
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TERMS]
    return _unit({k: math.sqrt(w) for k, w in top}), names


def _title_end(article: Article) -> int | None:
    if not article.title:
        return None
    at = article.text.find(article.title)
    return at + len(article.title) if at >= 0 else None


def lead_happenings(article: Article, events: list[Any]) -> list[Happening]:
    """The happenings the article leads with (see the module docstring): datelines and the headline do not use
    up the lead, whose length is counted in characters so that one long sentence and three short ones weigh alike."""
    if not events:
        return []
    title_end = _title_end(article) or 0
    lead_end, told = title_end, 0
    for s, e in sentence_spans(article.text, article.body, article.language) if article.body else ():
        if e <= title_end:
            continue  # the headline, repeated at the top of the body
        if told >= LEAD_CHARS:
            break
        lead_end, told = e, told + e - s
    found: list[Happening] = []
    for ev in sorted(events, key=lambda e: _get(e, "start") or 0):
        if (_get(ev, "start") or 0) >= lead_end or _get(ev, "implied") or _get(ev, "modality") not in LEAD_MODALITIES:
            continue
        lo, hi = _get(ev, "earliest"), _get(ev, "latest")
        if not lo or not hi:
            continue
        lo_day, hi_day = date.fromisoformat(lo).toordinal(), date.fromisoformat(hi).toordinal()
        if hi_day - lo_day >= HAPPENING_MAX_DAYS:
            continue
        who = [*(_get(ev, "actors") or []), *([_get(ev, "target")] if _get(ev, "target") else [])]
        participants = frozenset(a.get("entity_id") or a.get("name") for a in who if a.get("entity_id") or a.get("name"))
        if not participants:
            continue
        h = Happening(type_family(_get(ev, "type")), participants, lo_day, hi_day)
        if h not in found:
            found.append(h)
        if len(found) == MAX_HAPPENINGS:
            break
    return found


def evidence_of(article: Article, doc: Any = None) -> Evidence:
    """Read an article's evidence, with its pipeline document's entities and events when there is one."""
    entities = list(doc.entities) if doc is not None else []
    events = list(doc.events) if doc is not None else []
    if entities:
        vector, names = _entity_vector(article, entities)
    else:
        vector = {"t:" + t: w for t, w in salient_terms((article.title or "") + "\n" + _body_text(article)).items()}
        names = {}  # a term names itself
    lo, hi = publication_interval(article)
    return Evidence(article.id, article.title or "", lo, hi, vector, names, lead_happenings(article, events))
