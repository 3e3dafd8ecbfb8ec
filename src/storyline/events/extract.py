"""Events of one document: triggers from the language's lexicon, read clause by clause.

1. The body is cut into sentences and each sentence into segments: a complementizer ("que", "that") opens
   reported content, a semicolon or a colon another clause; long quotations are speech, never read for
   triggers or actors.
2. Triggers are found with the lexicon (`storyline.events.lexicon`). In one segment, triggers of one type
   make one mention; a noun right after a trigger of another type is its object ("menacé de sanctions" is a
   threat); a STATEMENT counts only alone in its segment and only when it is a noun ("conférence de presse")
   or its segment has its own date.
   Where no trigger is, two people (not of one known country) joined by a verb and "à"/"with" ("Biden
   [a parlé] au président russe Vladimir Poutine") make a weak CONSULT (the `dyad` rule of the lexicon).
3. Actors and target come from the entity mentions of the segment (canonical entities; capitalised names
   without the entities stage). Symmetric types (CONSULT, MEET, AGREE) take the people of the clause, or
   the parties when fewer than two people are named; a genitive ("le conseiller de Poutine") is no actor
   unless it hangs on the trigger itself ("la conversation de Biden et Poutine"); who is quoted ("selon X",
   "said X") is no actor. Directed types take the subject as actor and the nearest other party as target.
4. The date is the temporal expression governing the event's segment (the nearest one); else, for a mention
   without one, an earlier mention of the same happening in the document ("la conversation a duré 50
   minutes"), an earlier dated event of the same actors ("Biden a averti Poutine" in a report of their
   call), a date elsewhere in the sentence, and last the publication date. `date_source` says which.
5. Mentions of one happening in the document merge (same type family, shared actors, compatible dates).
   "La deuxième conversation en moins d'un mois" also implies an earlier call of the same people in the month
   before: an `implied` event with an interval, which cross-article merging can join to its own report.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import attrgetter
from typing import Any

from .. import lang
from ..textnorm import OffsetMap, fold, normalized_view
from .dates import compatible, interval_of
from .lexicon import Entry, Lexicon, lexicon_for, lower_view, sentence_end_regex
from .record import Event

__all__ = [
    "COMPATIBLE_TYPES", "DIRECTED", "SYMMETRIC", "actors_overlap", "extract_events", "sentence_spans", "type_family",
]

SYMMETRIC = frozenset({"CONSULT", "MEET", "AGREE"})
DIRECTED = frozenset({"DEMAND", "REQUEST", "THREATEN", "SANCTION", "ACCUSE", "REJECT"})
# Types that may name one happening ("talks" in one report, "a phone call" in another): type -> family.
COMPATIBLE_TYPES = {"MEET": "CONSULT", "REQUEST": "DEMAND"}
ACTOR_TYPES = frozenset({"PER", "ORG", "GPE", "NAME"})
MAX_ACTORS = 4
ABSORB_WORDS = 3  # a noun this many words after a trigger of another type is that trigger's object
AFTER_WORDS = 8  # a participant after the trigger is at most this many words away, in the same clause
NEG_BEFORE, NEG_AFTER = 6, 1
# Types whose conditions are part of what they are ("menace de sanctions si..."): an "if" after them is no doubt.
CONDITIONAL_BY_NATURE = frozenset({"THREATEN", "DEMAND", "REQUEST", "STATEMENT"})
FUTURE_BEFORE = 4
SUFFIX_MIN = 6  # a word shorter than this is never read for a mood suffix
DYAD_CONFIDENCE = 0.5
MODALITY_RANK = {"asserted": 0, "planned": 1, "hypothetical": 2, "negated": 3}
_UNIT_DAYS = {"D": 1, "W": 7, "M": 30, "Y": 365}

_TOKEN = re.compile(r"\w+'|\w+(?:-\w+)*")  # "qu'" and "il"; "didn'" and "t" (see _negated)
_QUOTE = re.compile(r"[«“„\"]([^«»“”„\"\n]{1,1000})[»”“\"]")
_HARD = re.compile(r"[;:]|\s[–—]\s")
_CLAUSE_PUNCT = re.compile(r"(?<!\d),|,(?!\d)|[;:()«»\"“”]")  # not the comma of "100,000"
_LAST_WORD = re.compile(r"(\w+'?)\s*$")
_WINDOW = re.compile(r"^P(\d+(?:\.\d+)?)([DWMY])$")
_EVENT_DURATION = re.compile(r"^(?:PT\d|P\d+(?:\.\d+)?D$)")
_EMPTY = re.compile("")
_PLAIN_END = sentence_end_regex(())  # sentence ends for a language without a lexicon
_UPPER = "".join(c for c in map(chr, range(0x41, 0x530)) if c.isupper() and c.isalpha())
_CAPITALISED = re.compile(f"\\b[{_UPPER}][\\w'’-]*(?: [{_UPPER}][\\w'’-]*)*")  # "Joe Biden", "l'OTAN"


def type_family(etype: str) -> str:
    return COMPATIBLE_TYPES.get(etype, etype)


def actors_overlap(a: set[str], b: set[str], allow_empty: bool = False) -> bool:
    """Whether two actor sets can be one happening's: they share two actors, or every actor of the smaller
    set when it has one. Empty sets agree with anything only when `allow_empty` (anaphora in one text)."""
    if not a or not b:
        return allow_empty
    return len(a & b) >= min(2, len(a), len(b))


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


_ENTITY_FIELDS = ("type", "entity_id", "canonical", "text", "country", "refers_to", "start", "end", "role")


def _entity_fields(e: Any) -> tuple:
    try:
        return _ENTITY_GETTER(e)
    except AttributeError:  # a record without some optional field
        return tuple(getattr(e, k, None) for k in _ENTITY_FIELDS)


_ENTITY_GETTER = attrgetter(*_ENTITY_FIELDS)


@dataclass(slots=True)
class _Ment:
    """An entity mention in normalised offsets, as an actor would be named."""

    start: int
    end: int
    type: str
    name: str
    id: str
    country: str | None

    def actor(self) -> dict[str, Any]:
        return {"name": self.name, "entity_id": self.id, "type": self.type, "country": self.country}


@dataclass(slots=True)
class _Time:
    start: int
    end: int
    text: str
    value: str | None
    type: str
    granularity: str | None
    mod: str | None
    interval: tuple[date, date] | None

    @property
    def vague(self) -> bool:
        return self.interval is None and self.type in ("DATE", "TIME") and (self.value or "").endswith("_REF")


@dataclass(slots=True)
class _Trigger:
    start: int
    end: int
    entry: Entry
    noun: bool = False  # a noun trigger, or a verb stem used as a noun ("la demande de Moscou")


@dataclass(slots=True)
class _Mention:
    type: str
    triggers: list[_Trigger]
    sentence: int
    segment: tuple[int, int]
    actors: list[_Ment] = field(default_factory=list)
    target: _Ment | None = None
    place: _Ment | None = None
    own_time: _Time | None = None
    sentence_time: _Time | None = None
    duration: _Time | None = None
    window: _Time | None = None  # a duration that bounds an ordinal ("en moins d'un mois")
    ordinal: tuple[int, int] | None = None
    modality: str = "asserted"
    confidence: float = 1.0

    @property
    def start(self) -> int:
        return self.triggers[0].start

    @property
    def end(self) -> int:
        return self.triggers[0].end

    @property
    def actor_ids(self) -> set[str]:
        return {a.id for a in self.actors}


@dataclass(slots=True)
class _Cluster:
    mentions: list[_Mention]
    interval: tuple[date, date] | None = None
    date: str | None = None
    granularity: str | None = None
    date_source: str = "none"
    time: _Time | None = None
    future: bool = False  # dated after publication: planned, not yet happened

    @property
    def type(self) -> str:
        return self.mentions[0].type

    @property
    def actor_ids(self) -> set[str]:
        return {a.id for m in self.mentions for a in m.actors}

    @property
    def modality(self) -> str:
        return min((m.modality for m in self.mentions), key=MODALITY_RANK.__getitem__)


def extract_events(
    text: str,
    body: Sequence[tuple[int, int]] | None = None,
    language: str | None = None,
    times: Iterable[Any] = (),
    entities: Iterable[Any] = (),
    published: Any = None,
) -> list[Event]:
    """The events of a document (`times` and `entities` as the stages give them, objects or dicts;
    `published` a `records.Published`). An empty list for a language without an event lexicon."""
    lex = lexicon_for(language)
    if lex is None or not text.strip():
        return []
    return _Reader(lex, text, body, times, entities, published).events()


class _Reader:
    """One document, read once: sentences, quotations, mentions and times indexed by offset."""

    def __init__(self, lex: Lexicon, text: str, body, times, entities, published):
        self.lex = lex
        self.text = text
        self.norm, self.omap = _view(text)
        self.low = lower_view(self.norm)
        to_norm = self.omap.to_normalized
        ranges = [(to_norm(s), to_norm(e)) for s, e in (body or ()) if e > s]
        self.ranges = sorted(ranges) or [(0, len(self.norm))]
        self.sentences = self._sentences()
        self.sentence_starts = [s for s, _ in self.sentences]
        self.speech = self._speech()
        self.speech_starts = [s for s, _ in self.speech]
        self.roles: list[tuple[str, _Ment]] = []  # ("président russe", Vladimir Putin's first mention)
        self._trigger_list: list[_Trigger] = []
        self.times = self._times(times)
        self.mentions = self._entity_mentions(entities) or self._name_mentions()
        self.mention_starts = [m.start for m in self.mentions]
        self.anchor, self.published = self._published(published)
        self._tokens: dict[int, list[tuple[int, int, str]]] = {}
        self._speakers: dict[tuple[int, int], bool] = {}

    # -- reading the text --------------------------------------------------------------------------------
    def _sentences(self) -> list[tuple[int, int]]:
        return _split(self.norm, self.ranges, self.lex.sentence_end)

    def _speech(self) -> list[tuple[int, int]]:
        """Quotations of four words or more (a scare-quoted word is no speech)."""
        out = []
        for rs, re_ in self.ranges:
            for m in _QUOTE.finditer(self.norm, rs, re_):
                if m.group(1).count(" ") >= 3:
                    out.append((m.start(), m.end()))
        return out

    def _in_speech(self, pos: int) -> bool:
        i = bisect_right(self.speech_starts, pos) - 1
        return i >= 0 and pos < self.speech[i][1]

    def _entity_mentions(self, entities: Iterable[Any]) -> list[_Ment]:
        to_norm = self.omap.to_normalized
        identity = self.omap.is_identity
        raw = []
        countries: dict[str, str] = {}
        for e in entities or ():
            etype, eid, canonical, text, country, refers, start, end, role = (
                [e.get(k) for k in _ENTITY_FIELDS] if isinstance(e, dict) else _entity_fields(e))
            if etype not in ("PER", "ORG", "GPE", "LOC"):
                continue
            eid = eid or "name:" + fold(canonical or text or "")
            if refers and country:  # a capital standing for its government: the country acts
                eid, name, etype = refers, country, "GPE"
            else:
                name = canonical or text
            if etype == "GPE" and not country:
                country = name
            if country:
                countries.setdefault(eid, country)
            raw.append((int(start), int(end), etype, name, eid, country, role) if identity else
                       (to_norm(int(start)), to_norm(int(end)), etype, name, eid, country, role))
        raw.sort(key=lambda r: (r[0], -r[1]))
        out: list[_Ment] = []
        for s, e, etype, name, eid, country, role in raw:
            if out and s < out[-1].end:  # nested ("OTAN" in "Conseil OTAN-Russie") or overlapping
                continue
            out.append(_Ment(s, e, etype, name, eid, country or countries.get(eid)))
            if role and etype == "PER" and len(role.split()) >= 2:
                self.roles.append((lower_view(" ".join(role.split())), out[-1]))
        return out

    def _name_mentions(self) -> list[_Ment]:
        """Without the entities stage: runs of capitalised words, one actor per last word (a surname: "Biden"
        and "Joe Biden" are one); a run after a place preposition ("in Geneva") is a place. A capitalised
        word that starts a sentence counts only when the text also writes it capitalised elsewhere, or when
        another name follows it ("Biden and Putin"); else it is just a first word."""
        skip = set(lang.words("articles", (self.lex.code,))) | set(lang.words("conjunctions", (self.lex.code,)))
        skip |= self.lex.pronouns | self.lex.complementizers | self.lex.determiners
        found: list[tuple[int, int, str, bool]] = []
        firsts = set(self.sentence_starts)
        times = [(t.start, t.end) for t in self.times]
        conjunctions = set(lang.words("conjunctions", (self.lex.code,)))
        for rs, re_ in self.ranges:
            for m in _CAPITALISED.finditer(self.norm, rs, re_):
                words = m.group().split(" ")
                start = m.start()
                while words and words[0].lower() in skip:
                    start += len(words.pop(0)) + 1
                if not words or any(a < m.end() and start < b for a, b in times):  # "Friday" is a date
                    continue
                follows = self.norm[m.end():m.end() + 12].split(" ", 2)
                paired = len(follows) > 2 and follows[1].lower() in conjunctions and follows[2][:1].isupper()
                found.append((start, m.end(), " ".join(words), start in firsts and not paired))
        mid_sentence = {fold(n.rsplit(" ", 1)[-1]) for _, _, n, first in found if not first}
        longest: dict[str, str] = {}
        for _, _, name, _ in found:
            key = fold(name.rsplit(" ", 1)[-1])
            if len(name) > len(longest.get(key, "")):
                longest[key] = name
        out = []
        for s, e, name, first in found:
            key = fold(name.rsplit(" ", 1)[-1])
            if first and " " not in name and key not in mid_sentence:
                continue
            place = self.lex.place_rx is not None and self.lex.place_rx.search(self.low[max(0, s - 12):s])
            out.append(_Ment(s, e, "LOC" if place else "NAME", longest[key], "name:" + key, None))
        return out

    def _times(self, times: Iterable[Any]) -> list[_Time]:
        to_norm = self.omap.to_normalized
        out = []
        for t in times or ():
            value, ttype = _get(t, "value"), _get(t, "type") or "DATE"
            iv = interval_of(value, _get(t, "mod")) if ttype in ("DATE", "TIME") else None
            out.append(_Time(to_norm(int(_get(t, "start"))), to_norm(int(_get(t, "end"))), _get(t, "text") or "",
                             value, ttype, _get(t, "granularity"), _get(t, "mod"), iv))
        out.sort(key=lambda t: t.start)
        return out

    @staticmethod
    def _published(published: Any) -> tuple[date | None, tuple[tuple[date, date], str | None, str] | None]:
        """The anchor day and the publication date as a fallback event date (interval, value, granularity)."""
        if published is None:
            return None, None
        day, earliest, latest = (_get(published, k) for k in ("date", "earliest", "latest"))
        try:
            if day:
                d = date.fromisoformat(day[:10])
                return d, ((d, d), d.isoformat(), "day")
            if earliest and latest:
                a, b = date.fromisoformat(earliest[:10]), date.fromisoformat(latest[:10])
                return a + (b - a) / 2, ((a, b), None, "range")
        except ValueError:
            pass
        return None, None

    def tokens(self, si: int) -> list[tuple[int, int, str]]:
        toks = self._tokens.get(si)
        if toks is None:
            s, e = self.sentences[si]
            toks = self._tokens[si] = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(self.low, s, e)]
        return toks

    def sentence_of(self, pos: int) -> int:
        return bisect_right(self.sentence_starts, pos) - 1

    def mentions_in(self, s: int, e: int) -> list[_Ment]:
        i = bisect_left(self.mention_starts, s)
        j = bisect_left(self.mention_starts, e)
        return self.mentions[i:j]

    # -- events ------------------------------------------------------------------------------------------
    def events(self) -> list[Event]:
        per_sentence: dict[int, list[_Trigger]] = {}
        self._trigger_list = self._triggers()
        for t in self._trigger_list:
            si = self.sentence_of(t.start)
            if si >= 0:
                per_sentence.setdefault(si, []).append(t)
        dyads = self._dyads()
        raw: list[_Mention] = []
        for si in sorted(set(per_sentence) | set(dyads)):
            raw.extend(self._sentence_mentions(si, per_sentence.get(si, []), dyads.get(si, [])))
        clusters = self._corefer(raw)
        events = [self._event(c) for c in clusters]
        events += [ev for c in clusters if (ev := self._implied(c)) is not None]
        return _unique(sorted(events, key=lambda e: (e.start, e.end, e.type)))

    def _triggers(self) -> list[_Trigger]:
        lex, low = self.lex, self.low
        out = []
        for rs, re_ in self.ranges:
            last = rs
            for m in lex.trigger_rx.finditer(low, rs, re_):
                if m.start() < last:
                    continue
                si = self.sentence_of(m.start())
                sentence = self.sentences[si] if si >= 0 else (rs, re_)
                hit = lex.match_at(low, m.start(), m.group(), sentence)
                if hit is None:
                    continue
                entry, end = hit
                last = end
                if entry.type == "IGNORE" or self._in_speech(m.start()) or self._inside_mention(m.start(), end):
                    continue
                out.append(_Trigger(m.start(), end, entry, entry.kind == "noun" or self._after_determiner(m.start())))
        return out

    def _after_determiner(self, pos: int) -> bool:
        word = _LAST_WORD.search(self.low[max(0, pos - 12):pos])
        return bool(word) and word.group(1) in self.lex.determiners

    def _inside_mention(self, s: int, e: int) -> bool:
        i = bisect_right(self.mention_starts, s) - 1
        return (i >= 0 and self.mentions[i].end > s) or bool(self.mentions_in(s, e))

    def _dyads(self) -> dict[int, list[tuple[_Ment, _Ment]]]:
        """Pairs of people (not of one known country) joined by a verb and a preposition of address."""
        out: dict[int, list[tuple[_Ment, _Ment]]] = {}
        rx = self.lex.dyad_rx
        if rx is None:
            return out
        people = [m for m in self.mentions if m.type in ("PER", "NAME") and not self._in_speech(m.start)]
        for a, b in zip(people, people[1:]):
            if b.start - a.end > 80 or (a.country and a.country == b.country):
                continue
            si = self.sentence_of(a.start)
            if si != self.sentence_of(b.start) or si < 0:
                continue
            if rx.match(self.low[a.end:b.start]):
                out.setdefault(si, []).append((a, b))
        return out

    def _segments(self, si: int) -> list[tuple[int, int]]:
        s, e = self.sentences[si]
        cuts = {s}
        for m in _HARD.finditer(self.norm, s, e):
            if not self._in_speech(m.start()):
                cuts.add(m.start())
        for ts, _, w in self.tokens(si):
            if w in self.lex.complementizers and not self._in_speech(ts):
                cuts.add(ts)
        bounds = sorted(cuts) + [e]
        return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]

    def _sentence_mentions(self, si: int, triggers: list[_Trigger], dyads: list[tuple[_Ment, _Ment]]) -> list[_Mention]:
        segments = self._segments(si)
        seg_starts = [a for a, _ in segments]
        per_segment: dict[int, list[_Trigger]] = {}
        for t in triggers:
            per_segment.setdefault(bisect_right(seg_starts, t.start) - 1, []).append(t)
        out = []
        for gi, ts in sorted(per_segment.items()):
            seg = segments[gi]
            kept = [t for t in ts if not self._absorbed(t, ts, si)]
            types = list(dict.fromkeys(t.entry.type for t in kept))
            for etype in types:
                group = [t for t in kept if t.entry.type == etype]
                if etype == "STATEMENT":
                    if len(types) > 1:
                        continue
                    if not any(t.noun for t in group) and self._own_time(group[0], seg, statement=True) is None:
                        continue
                out.append(self._mention(etype, group, si, seg, segments))
        busy = {gi for gi, ts in per_segment.items() if any(t.entry.type != "STATEMENT" for t in ts)}
        for a, b in dyads:
            gi = bisect_right(seg_starts, a.start) - 1
            if gi in busy or gi != bisect_right(seg_starts, b.start) - 1:
                continue
            trig = _Trigger(a.end, b.start, Entry(self.lex.dyad_type, "verb", "", _EMPTY, None))
            m = self._mention(self.lex.dyad_type, [trig], si, segments[gi], segments, dyad=(a, b))
            m.confidence = DYAD_CONFIDENCE
            out.append(m)
            busy.add(gi)
        return out

    def _absorbed(self, t: _Trigger, group: list[_Trigger], si: int) -> bool:
        if not t.noun:
            return False
        for p in group:  # what a statement announces is an event of its own ("a annoncé le retrait")
            if p.entry.type not in (t.entry.type, "STATEMENT") and p.end <= t.start:
                between = [w for s, _, w in self.tokens(si) if p.end <= s < t.start]
                if len(between) <= ABSORB_WORDS:
                    return True
        return False

    def _own_time(self, t: _Trigger, seg: tuple[int, int], statement: bool = False) -> _Time | None:
        """The temporal expression governing a trigger: the nearest of its segment, outside quotations; a
        date in an attribution ("..., a déclaré vendredi le Kremlin") dates the statement only."""
        best, best_d = None, None
        for tm in self.times:
            if tm.start >= seg[1]:
                break
            if tm.start < seg[0] or tm.type not in ("DATE", "TIME") or (tm.interval is None and not tm.vague):
                continue
            if self._in_speech(tm.start) or (not statement and self._attributed(tm.start, seg[0])):
                continue
            d = t.start - tm.end if tm.end <= t.start else max(0, tm.start - t.end)
            if best_d is None or d < best_d:
                best, best_d = tm, d
        return best

    def _mention(self, etype: str, group: list[_Trigger], si: int, seg: tuple[int, int],
                 segments: list[tuple[int, int]], dyad: tuple[_Ment, _Ment] | None = None) -> _Mention:
        t = group[0]
        m = _Mention(etype, group, si, seg)
        if dyad:
            m.actors = list(dyad)
        elif etype in SYMMETRIC:
            m.actors = self._participants(t, si, seg)
        else:
            agent = self._agent(t, si, seg)
            m.actors = [agent] if agent else []
            if etype != "STATEMENT":
                m.target = self._target(t, seg, agent)
        m.place = self._place(seg, m.actors, m.target)
        m.own_time = self._own_time(t, seg, statement=etype == "STATEMENT")
        s, e = self.sentences[si]
        elsewhere = [tm for tm in self.times if s <= tm.start < e and tm.interval is not None
                     and not seg[0] <= tm.start < seg[1] and not self._in_speech(tm.start)]
        m.sentence_time = min(elsewhere, key=lambda tm: abs(tm.start - t.start), default=None)
        for tm in self.times:
            if s <= tm.start < e and tm.type == "DURATION" and tm.value:
                if _WINDOW.match(tm.value) and m.window is None:
                    m.window = tm
                elif seg[0] <= tm.start < seg[1] and _EVENT_DURATION.match(tm.value) and m.duration is None:
                    m.duration = tm
        if m.window is not None and m.duration is m.window:
            m.duration = None
        m.modality = self._modality(t, si, seg, etype)
        toks = [tok for tok in self.tokens(si) if tok[1] <= t.start][-2:]
        for ts, te, w in toks:
            if w in self.lex.ordinals:
                m.ordinal = (ts, te)
        return m

    # -- who ---------------------------------------------------------------------------------------------
    def _eligible(self, m: _Ment) -> bool:
        """A party that may act: a person, organisation or country, not quoted, not an aside in brackets
        ("Bernie Sanders (I-Vt.)")."""
        return m.type in ACTOR_TYPES and not self._in_speech(m.start) and self.norm[m.start - 1:m.start] != "("

    def _attributed(self, pos: int, floor: int) -> bool:
        """Whether an attribution cue ("selon", "a déclaré", "said") opens the clause part `pos` is in."""
        rx = self.lex.attribution_rx
        if rx is None:
            return False
        head = self.low[max(floor, pos - 60):pos]
        cut = list(_CLAUSE_PUNCT.finditer(head))
        start = max(floor, pos - 60) + (cut[-1].end() if cut else 0)
        return rx.search(self.low, start, pos) is not None

    def _speaker(self, m: _Ment, floor: int) -> bool:
        """Whether a mention names who is quoted: after an attribution cue ("selon X", "a déclaré X"), or
        the subject of a reporting verb that opens reported content ("X a déclaré que ...")."""
        key = (m.start, floor)
        found = self._speakers.get(key)
        if found is None:
            found = self._speakers[key] = self._find_speaker(m, floor)
        return found

    def _find_speaker(self, m: _Ment, floor: int) -> bool:
        if self._attributed(m.start, floor):
            return True
        rx = self.lex.attribution_rx
        if rx is None:
            return False
        si = self.sentence_of(m.start)
        comp = next((ts for ts, _, w in self.tokens(si) if ts > m.end and w in self.lex.complementizers), None)
        if comp is None:
            return False
        s = self.sentences[si][0]
        for o in self.mentions[bisect_right(self.mention_starts, m.start):]:
            if o.start >= comp:
                break
            if not self._genitive(o, s):  # ("X, conseiller de Poutine, a déclaré que": Poutine is X's apposition)
                return False  # another party comes first: it is the subject, or the object
        return rx.search(self.low, m.end, comp) is not None and self._only_reporting(m.end, comp)

    def _only_reporting(self, s: int, e: int) -> bool:
        """Between a subject and its complementizer: no trigger of an event, only the reporting verb."""
        return not any(s <= t.start < e and t.entry.type != "STATEMENT" for t in self._trigger_list)

    def _genitive(self, m: _Ment, floor: int) -> bool:
        """Whether a mention is the complement of a noun ("conseiller de Poutine", "Putin's adviser")."""
        if self.lex.possessive and self.low.startswith(self.lex.possessive, m.end):
            return True
        rx = self.lex.genitive_rx
        return rx is not None and rx.search(self.low[max(floor, m.start - 14):m.start]) is not None

    def _attached_after(self, t: _Trigger, m: _Ment, si: int) -> str | None:
        """How a mention after the trigger hangs on it: "participant" (avec, entre, et, with), "genitive"
        (de, of), or None (another clause, too far, or no such word)."""
        if _CLAUSE_PUNCT.search(self.norm, t.end, m.start):
            return None
        names = [(o.start, o.end) for o in self.mentions_in(t.end, m.start)]  # a name between counts as a word
        words = [w for s, _, w in self.tokens(si) if t.start <= s < m.start
                 and not any(a < s < b for a, b in names)]
        inside = sum(1 for s, _, _ in self.tokens(si) if t.start <= s < t.end)
        if len(words) == inside:  # right after the trigger: its object ("met Putin", "rencontré Poutine")
            return "participant"
        if len(words) - inside > AFTER_WORDS:
            return None
        for w in reversed(words[max(0, inside - 1):]):  # the trigger's last word may be the preposition
            if self.lex.genitive_rx is not None and self.lex.genitive_rx.search(" " + w):
                return "genitive"
            if w in self.lex.participants:
                return "participant"
        return None

    def _participants(self, t: _Trigger, si: int, seg: tuple[int, int]) -> list[_Ment]:
        """Who took part in a symmetric event: the parties of its clause (not genitives of another noun, not
        speakers), then the people of its sentence; people only when two are named."""
        found: list[_Ment] = []
        for m in self.mentions_in(*seg):
            if not self._eligible(m) or self._speaker(m, seg[0]):
                continue
            if m.end <= t.start:
                if self._genitive(m, seg[0]):
                    continue
            else:
                how = self._attached_after(t, m, si)  # "entre Biden et Poutine"; "la conversation de Biden"
                if how != "participant" and not (how == "genitive" and t.noun):
                    continue
            found.append(m)
        s, e = self.sentences[si]
        if sum(1 for m in found if m.type in ("PER", "NAME")) < 2:
            found += [m for m in self.mentions_in(s, e) if m.type in ("PER", "NAME") and not seg[0] <= m.start < seg[1]
                      and self._eligible(m) and not self._speaker(m, s) and not self._genitive(m, s)]
        if not found:
            found = [m for m in self.mentions_in(s, e) if not seg[0] <= m.start < seg[1] and self._eligible(m)
                     and not self._speaker(m, s) and not self._genitive(m, s)]
        if not found:
            antecedent = self._antecedent(t, si, seg) or self._described(seg[0], t.start)
            found = [antecedent] if antecedent else []
        people = [m for m in found if m.type in ("PER", "NAME")]
        chosen = people if len(people) >= 2 else sorted(found, key=lambda m: (m.type not in ("PER", "NAME"), m.start))
        return _dedupe(chosen)[:MAX_ACTORS]

    def _agent(self, t: _Trigger, si: int, seg: tuple[int, int]) -> _Ment | None:
        """Who acts: the owner of a noun trigger ("les accusations de Moscou"); else the party nearest before
        the trigger in its clause (a person rather than an institution), or the clause's subject when a
        pronoun stands between; else a pronoun's antecedent or a role named alone; else the sentence's first
        party. A statement's actor is its speaker."""
        statement = t.entry.type == "STATEMENT"
        cands = [m for m in self.mentions_in(*seg) if self._eligible(m)]
        if statement:  # the speaker: the nearest party, people first
            if cands:
                return min(cands, key=lambda m: (m.type not in ("PER", "NAME"), abs(m.start - t.start)))
            return self._antecedent(t, si, seg)
        if t.noun:  # "le déploiement de la Russie", "les accusations de Moscou", "Trump's accusations"
            owner = self._possessor(t, cands)
            if owner is not None:
                return owner
            for m in cands:
                if m.start >= t.end:
                    if self._attached_after(t, m, si) == "genitive" and len(
                            [1 for s, _, _ in self.tokens(si) if t.end <= s < m.start]) <= 3:
                        return m
                    break
        before = [m for m in cands
                  if m.end <= t.start and not self._genitive(m, seg[0]) and not self._speaker(m, seg[0])]
        if before:
            people = [m for m in before if m.type in ("PER", "NAME")]
            nearest = people[-1] if people else before[-1]
            pronoun = any(w in self.lex.pronouns for s, _, w in self.tokens(si) if nearest.end <= s < t.start)
            if pronoun and before[0] is not nearest:  # "Blinken ..., Lavrov, à qui il a exigé": il is the subject
                return before[0]
            return nearest
        antecedent = self._antecedent(t, si, seg) or self._described(seg[0], t.start)
        if antecedent:
            return antecedent
        s, _ = self.sentences[si]
        for m in self.mentions_in(s, seg[0]):
            if self._eligible(m) and not self._genitive(m, s) and not self._speaker(m, s):
                return m
        return None

    def _possessor(self, t: _Trigger, cands: list[_Ment]) -> _Ment | None:
        """The owner of a noun trigger in a possessive ("Trump's repeated accusations")."""
        if not self.lex.possessive:
            return None
        for m in reversed(cands):
            if m.end <= t.start and self.low.startswith(self.lex.possessive, m.end) and \
                    self.low.count(" ", m.end, t.start) <= 3 and not _CLAUSE_PUNCT.search(self.norm, m.end, t.start):
                return m
        return None

    def _target(self, t: _Trigger, seg: tuple[int, int], agent: _Ment | None) -> _Ment | None:
        """Whom a directed event is aimed at: the first party after the trigger in its clause, else the last
        one between the actor and the trigger."""
        cands = [m for m in self.mentions_in(*seg) if self._eligible(m) and (agent is None or m.id != agent.id)
                 and not self._speaker(m, seg[0])]
        after = [m for m in cands if m.start >= t.end and not _CLAUSE_PUNCT.search(self.norm, t.end, m.start)]
        if after:
            return after[0]
        before = [m for m in cands if m.end <= t.start and (agent is None or m.start > agent.start)]
        return before[-1] if before else None  # "Blinken ..., Lavrov, à qui il a exigé"

    def _antecedent(self, t: _Trigger, si: int, seg: tuple[int, int]) -> _Ment | None:
        """A subject pronoun before the trigger stands for the last person named before its clause (within
        the two sentences before)."""
        if not any(w in self.lex.pronouns for s, _, w in self.tokens(si) if seg[0] <= s < t.start):
            return None
        floor = self.sentences[max(0, si - 2)][0]
        for m in reversed(self.mentions_in(floor, seg[0])):
            if m.type in ("PER", "NAME") and self._eligible(m) and not self._genitive(m, floor):
                return m
        return None

    def _described(self, s: int, e: int) -> _Ment | None:
        """A person named earlier by the role the text now uses alone ("le président russe")."""
        for role, m in self.roles:
            i = self.low.find(role, s, e)
            if i >= 0 and not (m.start <= i < m.end) and m.start < e:
                return m
        return None

    def _place(self, seg: tuple[int, int], actors: list[_Ment], target: _Ment | None) -> _Ment | None:
        rx = self.lex.place_rx
        if rx is None:
            return None
        taken = {a.id for a in actors} | ({target.id} if target else set())
        for m in self.mentions_in(*seg):  # a city or region (a LOC with its country), after "à", "in"...
            if m.type == "LOC" and (m.country or m.id.startswith("name:")) and m.id not in taken \
                    and rx.search(self.low[max(seg[0], m.start - 16):m.start]):
                return m
        return None

    # -- how ---------------------------------------------------------------------------------------------
    def _modality(self, t: _Trigger, si: int, seg: tuple[int, int], etype: str) -> str:
        lex = self.lex
        toks = self.tokens(si)
        before = [w for s, _, w in toks if seg[0] <= s < t.start]
        inside = [w for s, _, w in toks if t.start <= s < t.end]
        after = [w for s, _, w in toks if t.end <= s < seg[1]]
        if any(_negated(w, lex.negation) for w in before[-NEG_BEFORE:] + after[:NEG_AFTER]):
            return "negated"
        later = [] if etype in CONDITIONAL_BY_NATURE else after
        if any(w in lex.hypothetical for w in before + later):
            return "hypothetical"
        suffixes = lex.hypothetical_suffixes
        if suffixes and any(len(w) >= SUFFIX_MIN and w.endswith(suffixes) and w not in lex.hypothetical_exceptions
                            for w in before[-3:] + inside + later[:4]):
            return "hypothetical"
        if any(w in lex.future for w in before[-FUTURE_BEFORE:]) or any(
                " ".join(pair) in lex.future for pair in zip(before[-FUTURE_BEFORE:], before[-FUTURE_BEFORE + 1:])):
            return "planned"
        return "asserted"

    # -- when, and which mentions are one happening -------------------------------------------------------
    def _corefer(self, mentions: list[_Mention]) -> list[_Cluster]:
        """Mentions of one happening in the document, in text order: a mention joins the latest earlier
        event of its type (else of its type family) that shares its actors (a mention naming nobody, "l'appel",
        joins on type alone) and whose date agrees with its own; a mention without a date of its own joins
        only an event of the same modality (what happened is not what is planned)."""
        clusters: list[_Cluster] = []
        for m in sorted(mentions, key=lambda m: m.start):
            home = self._home(m, clusters) if m.modality in ("asserted", "planned") else None
            if home is None:
                c = _Cluster([m])
                self._date(c, m, clusters)
                clusters.append(c)
                continue
            home.mentions.append(m)
            if m.own_time is not None and m.own_time.interval and home.date_source != "expression":
                self._date(home, m, [])  # a headline dated by publication, then its dated report
        return clusters

    def _home(self, m: _Mention, clusters: list[_Cluster]) -> _Cluster | None:
        iv = m.own_time.interval if m.own_time is not None else None
        if m.own_time is not None and iv is None:
            return None  # vaguely dated ("il y a quelques semaines"): a happening of its own
        for same_type in (True, False):
            for c in reversed(clusters):
                if c.modality not in ("asserted", "planned") or (c.future and iv is None and m.modality != "planned"):
                    continue
                if (c.type == m.type) != same_type or type_family(c.type) != type_family(m.type):
                    continue
                if m.actors and not actors_overlap(c.actor_ids, m.actor_ids):
                    continue
                if iv is not None:
                    if not compatible(c.interval, iv):
                        continue
                elif c.modality != m.modality:
                    continue
                return c
        return None

    def _date(self, c: _Cluster, m: _Mention, earlier: list[_Cluster]) -> None:
        self._date_from(c, m, earlier)
        c.future = bool(c.interval and self.anchor and c.interval[0] > self.anchor)

    def _date_from(self, c: _Cluster, m: _Mention, earlier: list[_Cluster]) -> None:
        tm = m.own_time
        if tm is not None:
            c.time, c.date_source = tm, "expression" if tm.interval else "vague"
            c.interval, c.date, c.granularity = tm.interval, tm.value if tm.interval else None, tm.granularity
            if tm.vague and self.anchor:
                c.date = None
            return
        ids = m.actor_ids | ({m.target.id} if m.target else set())
        for o in reversed(earlier):  # an earlier dated event of the same actors ("Biden a averti Poutine")
            if o.date_source == "expression" and o.modality == "asserted" and not o.future \
                    and len(ids & o.actor_ids) >= 2:
                c.interval, c.date, c.granularity, c.date_source = o.interval, o.date, o.granularity, "context"
                c.time = o.time
                return
        if m.sentence_time is not None:
            st = m.sentence_time
            c.interval, c.date, c.granularity, c.time = st.interval, st.value, st.granularity, st
            c.date_source = "sentence"
            return
        if self.published is not None:
            c.interval, c.date, c.granularity = self.published
            c.date_source = "published"

    def _span(self, s: int, e: int) -> tuple[int, int]:
        return self.omap.span(s, e)

    def _event(self, c: _Cluster) -> Event:
        rep = next((m for m in c.mentions if m.own_time is not None), c.mentions[0])
        s, e = self._span(rep.start, rep.end)
        ss, se = self._span(*self.sentences[rep.sentence])
        actors: list[dict[str, Any]] = []
        for a in _dedupe([a for m in c.mentions for a in m.actors]):
            actors.append(a.actor())
        target = next((m.target for m in c.mentions if m.target and m.target.id not in c.actor_ids), None)
        place = next((m.place for m in c.mentions if m.place), None)
        duration = next((m.duration for m in c.mentions if m.duration), None)
        modality = c.modality
        interval = c.interval
        if c.date_source == "vague" and c.time is not None and self.anchor:
            interval = None
        if modality == "asserted" and c.future:
            modality = "planned"
        earliest = latest = None
        if interval:
            earliest, latest = interval[0].isoformat(), interval[1].isoformat()
        elif c.date_source == "vague" and self.anchor and c.time is not None:
            if c.time.value == "PAST_REF":
                latest = self.anchor.isoformat()
            elif c.time.value == "FUTURE_REF":
                earliest = self.anchor.isoformat()
            else:
                earliest = latest = self.anchor.isoformat()
        time = None
        if c.time is not None:
            ts, te = self._span(c.time.start, c.time.end)
            time = {"text": c.time.text, "start": ts, "end": te, "value": c.time.value, "mod": c.time.mod}
        mentions = []
        for m in c.mentions:
            ms, me = self._span(m.start, m.end)
            xs, xe = self._span(*self.sentences[m.sentence])
            mentions.append({"start": ms, "end": me, "trigger": self.text[ms:me],
                             "evidence_start": xs, "evidence_end": xe})
        return Event(
            type=c.type,
            start=s,
            end=e,
            trigger=self.text[s:e],
            trigger_kind="noun" if rep.triggers[0].noun else "verb",
            actors=actors,
            target=target.actor() if target else None,
            date=c.date,
            granularity=c.granularity,
            earliest=earliest,
            latest=latest,
            date_source=c.date_source,
            time=time,
            place={"name": place.name, "entity_id": place.id, "country": place.country} if place else None,
            evidence=self.text[ss:se],
            evidence_start=ss,
            evidence_end=se,
            modality=modality,
            duration=duration.value if duration else None,
            mentions=mentions,
            confidence=max(m.confidence for m in c.mentions) * (1.0 if actors else 0.8),
            language=self.lex.code,
        )

    def _implied(self, c: _Cluster) -> Event | None:
        """"La deuxième conversation de Biden et Poutine en moins d'un mois": an earlier call of the same
        people, in the window before this one."""
        if c.interval is None or c.modality not in ("asserted", "planned"):
            return None
        for m in c.mentions:
            if m.ordinal is None or m.window is None:
                continue
            w = _WINDOW.match(m.window.value or "")
            days = round(float(w.group(1)) * _UNIT_DAYS[w.group(2)])
            first = c.interval[0] - timedelta(days=days)
            last = c.interval[0] - timedelta(days=1)
            s, e = self._span(*m.ordinal)
            ss, se = self._span(*self.sentences[m.sentence])
            return Event(
                type=c.type, start=s, end=e, trigger=self.text[s:e], trigger_kind="noun",
                actors=[a.actor() for a in _dedupe([a for x in c.mentions for a in x.actors])],
                date=None, granularity="range", earliest=first.isoformat(), latest=last.isoformat(),
                date_source="implied", evidence=self.text[ss:se], evidence_start=ss, evidence_end=se,
                mentions=[{"start": s, "end": e, "trigger": self.text[s:e], "evidence_start": ss, "evidence_end": se}],
                implied=True, confidence=0.6, language=self.lex.code,
            )
        return None


def _view(text: str) -> tuple[str, OffsetMap]:
    """The text the lexicon reads: as it is when it is composed (NFC), which keeps offsets as they are;
    else the normalised view (`textnorm.normalized_view`). Spaces and apostrophes are unified by
    `lower_view`, one character for one."""
    if unicodedata.is_normalized("NFC", text):
        return text, OffsetMap.identity(len(text))
    return normalized_view(text)


def _split(norm: str, ranges: list[tuple[int, int]], end_rx: re.Pattern) -> list[tuple[int, int]]:
    """Sentences of the ranges (offsets into `norm`), cut where `end_rx` matches."""
    out = []
    for rs, re_ in ranges:
        start = rs
        for m in end_rx.finditer(norm, rs, re_):
            s = m.start()
            if s > start:
                out.append((start, s + 1 if norm[s] != "\n" else s))
            start = m.end()
        if re_ > start and not norm[start:re_].isspace():
            out.append((start, re_))
    return out


def sentence_spans(text: str, body: Sequence[tuple[int, int]] | None = None,
                   language: str | None = None) -> list[tuple[int, int]]:
    """Sentences of a text's body ranges as (start, end) offsets into `text`, cut with the abbreviations of
    `language` when it has an event lexicon."""
    lex = lexicon_for(language)
    norm, omap = _view(text)
    to_norm = omap.to_normalized
    ranges = sorted((to_norm(s), to_norm(e)) for s, e in (body or ()) if e > s) or [(0, len(norm))]
    return [omap.span(s, e) for s, e in _split(norm, ranges, lex.sentence_end if lex else _PLAIN_END)]


def _negated(word: str, negation: frozenset[str]) -> bool:
    """A negation word, or an English contraction cut by the tokeniser ("didn'" of "didn't")."""
    return word in negation or (word.endswith("n'") and "n't" in negation)


def _dedupe(ments: Iterable[_Ment]) -> list[_Ment]:
    seen: set[str] = set()
    out = []
    for m in ments:
        if m.id not in seen:
            seen.add(m.id)
            out.append(m)
    return out


def _unique(events: list[Event]) -> list[Event]:
    """Events keep distinct (start, end) spans (the store keys facts by them): a clash takes the evidence
    span, and a second clash drops the event."""
    taken: set[tuple[int, int]] = set()
    out = []
    for ev in events:
        if (ev.start, ev.end) in taken:
            if (ev.evidence_start, ev.evidence_end) in taken:
                continue
            ev.start, ev.end = ev.evidence_start, ev.evidence_end
        taken.add((ev.start, ev.end))
        out.append(ev)
    return out
