"""Per-document memory of attribution: names seen, roles said of people, entities of the entities stage, and
the sentences only skimmed."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any, NamedTuple

from .lexicon import Lexicon, key
from .mentions import MAX_NP, PERSON_TYPES, Mention, Speaker
from .text import Tok, tokenize

PARTIAL_TOKENS = 8  # tokens read from a sentence with no quotation and no cue
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ"
# A run of capitalised words. The capital comes first and what may not precede it is checked after it: a
# pattern that opens with a character class is scanned for that class at C speed.
_NAME_RUN = re.compile(rf"[{_UPPER}](?<![\w'’-].)[\w'’-]*(?:\.?[ \t\u00a0](?:[{_UPPER}][\w'’-]*|[{_UPPER}]\.))+")


class EntityRef(NamedTuple):
    """A mention found by the entities stage, as attribution reads it (offsets into the analysed text)."""

    start: int
    end: int
    type: str  # upper case ("PER"), "" when unknown
    canonical: str  # the entity's canonical name, else the mention's text, else ""
    entity_id: str | None
    refers_to: str | None  # the entity a capital names ("Moscou" for the Russian government)
    role: str | None


_new = tuple.__new__  # builds an EntityRef without the keyword machinery of its constructor
_FIELDS = attrgetter("start", "end", "type", "canonical", "text", "entity_id", "refers_to", "role")


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def entity_refs(entities: Iterable[Any] | None, to_normalized: Callable[[int], int] | None = None) -> list[EntityRef]:
    """The entities stage's mentions (records or dicts with start, end, type, canonical, entity_id, refers_to,
    role) read once, sorted by offset; `to_normalized` maps their offsets into the analysed text."""
    out = []
    for item in entities or ():
        try:
            s, e, typ, canonical, text, eid, target, role = _FIELDS(item)
        except AttributeError:  # a dict, or a record without some of the fields
            s, e, typ, canonical, text, eid, target, role = (_field(item, f) for f in (
                "start", "end", "type", "canonical", "text", "entity_id", "refers_to", "role"))
        if s is None or e is None:
            continue
        if to_normalized is not None:
            s, e = to_normalized(s), to_normalized(e)
        if eid is None:
            eid = _field(item, "id")
        out.append(_new(EntityRef, (s, e, str(typ or _field(item, "label") or "").upper(),
                                    str(canonical or text or ""), None if eid is None else str(eid), target, role)))
    out.sort(key=lambda x: (x[0], x[1]))
    return out


class DocumentState:
    """Per-document state: names seen, roles, speakers in order (for pronouns), entities."""

    def __init__(self, text: str, lex: Lexicon, entities: list[EntityRef]):
        self.text = text
        self.lex = lex
        self.entities = entities
        self.ent_starts = [e.start for e in entities]
        self.by_id: dict[str, str] = {}  # entity id -> canonical name
        for ent in entities:
            if ent.entity_id and ent.entity_id not in self.by_id:
                self.by_id[ent.entity_id] = ent.canonical
        self.history: list[tuple[int, Speaker]] = []
        self.mentions: list[tuple[int, Mention]] = []  # names of people, wherever they stand
        self.roles: list[tuple[int, frozenset[str], str, Speaker]] = []  # (pos, role words, head, person)
        self.descs: list[tuple[int, frozenset[str], str, Speaker]] = []  # earlier descriptions
        self.names: dict[str, list[tuple[str, int, bool]]] = {}  # last-token key -> (full name, n tokens, person)
        self.gender: dict[str, str] = {}  # canonical -> gender
        self.mid_caps: set[str] = set()  # capitalised words seen inside sentences (names, not sentence starts)

    def entity_at(self, s: int, e: int, prefer_person: bool = True) -> EntityRef | None:
        """The entity mention overlapping [s, e), a person's first."""
        ents = self.entities
        if not ents:
            return None
        best = None
        for i in range(bisect_left(self.ent_starts, s - 200), len(ents)):
            ent = ents[i]
            if ent.start >= e:
                break
            if ent.end <= s:
                continue
            if best is None or (prefer_person and ent.type in PERSON_TYPES and best.type not in PERSON_TYPES):
                best = ent
        return best


class DocumentMemory:
    """What the article says of people, gathered as sentences are read: names (for their fullest form), roles
    ("le président russe Vladimir Poutine"), who sentences are about (for pronouns), skimming the sentences
    with no quotation and no cue only when a pronoun or a description needs them. A mixin of the attribution
    analyzer."""

    t: str
    lex: Lexicon
    doc: DocumentState

    def _collect(self, toks: list[Tok]) -> None:
        """Names and roles of one sentence (for canonical names and role descriptions). A headline in title
        case ("Gold Star Mom Corners Obama") names nobody."""
        lex = self.lex
        n = len(toks)
        if n >= 5 and self.t[toks[-1].e:toks[-1].e + 1] != "." and not lex.capitalized_nouns:
            words = [t for t in toks if t.kind == "w"]
            if len(words) >= 5 and sum(1 for t in words if t.cap) >= 0.7 * len(words):
                return
        names = self.doc.names
        not_name = lex.not_name
        honorifics = lex.honorifics
        done = -1
        caps = [x for x, t in enumerate(toks) if t.cap]
        mid = self.doc.mid_caps
        for i in caps:
            t = toks[i]
            if i > 0 and toks[i - 1].kind == "w":
                mid.add(t.k)
            if i < done or (t.k in not_name and t.k not in honorifics):
                continue
            j = i
            while j < n:
                u = toks[j]  # a name word (`_is_name_tok`), an honorific, or a particle after the first word
                if not (u.cap and (u.kind == "w" and u.k not in not_name or u.k in honorifics)
                        or (j - i == 1 and j + 1 < n and self._particle(u, toks[j - 1], toks[j + 1]))):
                    break
                j += 1
            run = list(toks[i:j])
            while run and (run[0].k in lex.honorifics or run[0].k in lex.titles):
                run = run[1:]
            if i == 0 and len(run) >= 2 and run[0] is toks[0] and (
                    lex.is_participle(run[0].k) or run[0].k in lex.verb_forms or lex.is_adverb(run[0].k)):
                run = run[1:]  # "Injecting Clinton's troubles …": the sentence's first word is no name
            run = self._trim_run(run)
            prev = toks[i - 1] if i > 0 else None
            article = prev is not None and prev.kind == "w" and (
                prev.k in lex.determiners or prev.k in lex.contracted_articles)
            complement = prev is not None and prev.kind == "w" and prev.k in lex.complement_markers
            if complement and len(run) >= 3:
                run = run[1:]
                article = False
            if run:
                if lex.capitalized_nouns and article:
                    run = []
                if run:
                    full = self.t[run[0].s:run[-1].e]
                    if len(run) >= 2:
                        person = False if article else self._name_person([x.text for x in run])
                        names.setdefault(run[-1].k, []).append((full, len(run), person))
                    else:
                        person = False if article else None
                    if person is not False:
                        self._collect_roles(toks, i, j, run, prev, complement)
                        if person or any(x.k in lex.honorifics for x in toks[i:j]):
                            self.doc.mentions.append((run[0].s, Mention("name", run[0].s, run[-1].e, toks[i:j], run)))
            done = j

    def _collect_roles(self, toks: list[Tok], i: int, j: int, run: list[Tok], prev: Tok | None,
                       complement: bool) -> None:
        """Roles said of the name toks[i:j]: "le président russe Vladimir Poutine", "Iouri Ouchakov, conseiller
        de Poutine,", "le porte-parole du Kremlin, Dmitri Peskov,". Resolved once every name is known."""
        lex = self.lex
        n = len(toks)
        roles = []
        # "role Name" without a comma
        if prev is not None and not complement:
            r = i - 1
            while r >= 0 and toks[r].kind == "w" and not toks[r].cap and toks[r].k not in lex.boundary \
                    and toks[r].k not in lex.verb_forms and i - r < 7:
                r -= 1
            role = toks[r + 1:i]
            if role and any(x.k in lex.titles for x in role):
                roles.append(role)
        # "Name, role," and "role, Name,"
        if j < n and toks[j].text == ",":
            k = j + 1
            while k < n and toks[k].kind == "w" and k - j < MAX_NP:
                k += 1
            if k > j + 1 and (k >= n or toks[k].kind != "w"):
                d = self._np_backward(toks, k - 1, j + 1)
                if d is not None and d.kind == "desc" and d.toks[0] is toks[j + 1] and self._head(d.toks) in lex.titles:
                    roles.append(d.toks)
        if i >= 2 and toks[i - 1].text == "," and (j >= n or toks[j].kind != "w"):
            x = i - 2
            while x >= 0 and toks[x].kind == "w" and i - x < MAX_NP:
                x -= 1
            d = self._np_backward(toks, i - 2, x + 1)
            if d is not None and d.kind == "desc" and d.toks[0] is toks[x + 1] and self._head(d.toks) in lex.titles:
                roles.append(d.toks)
        if roles:
            m = Mention("name", run[0].s, run[-1].e, toks[i:j], run)
            for role in roles:
                self._pending_roles.append((role, m))

    def _entity_roles(self) -> None:
        """Roles the entities stage found ("porte-parole du Kremlin" said of Dmitri Peskov)."""
        lex = self.lex
        for ent in self.doc.entities:
            if not ent.role or ent.type not in PERSON_TYPES:
                continue
            words = [key(w) for w in re.findall(r"\w+(?:[-'’]\w+)*", str(ent.role))]
            content = frozenset(w for w in words if w not in lex.determiners and w not in lex.complement_markers
                                and w not in lex.function_words)
            head = next((w for w in words if w in lex.titles), "")
            if not head or not content or words[-1] in lex.complement_markers:
                continue  # no title, or a dangling complement ("conseiller de" said of the one advised)
            sp = Speaker(ent.canonical, "name", True, "", ent.entity_id, ent.start, ent.end)
            sp.gender = self._name_gender(ent.canonical)
            self.doc.roles.append((ent.start, content, head, sp))

    def _resolve_roles(self) -> None:
        for role, m in self._pending_roles:
            sp = self._resolve_name(m)
            if sp.person is not False:
                if not sp.gender:
                    sp.gender = self.lex.titles.get(self._head(role), "") or ""
                self._add_role(role, sp)
        self._pending_roles.clear()

    def _catch_up(self, pos: int, window: int | None = None) -> None:
        """Skim the sentences without quotation or cue that start before `pos` (within `window` characters
        before it, when given: what a pronoun may refer to): their opening words (who the sentence is about),
        names and roles (after an opener: "In an interview, Trump …")."""
        t = self.t
        lex = self.lex
        skimmed = self._skimmed
        hi = bisect_left(self._skim_starts, pos)
        lo = 0 if window is None else bisect_left(self._skim_starts, pos - window)
        for k in range(lo, hi):
            if self._skim_done[k]:
                continue
            self._skim_done[k] = True
            s, e = skimmed[k][:2]
            limit = PARTIAL_TOKENS
            first = t[s:s + 20].split(None, 1)
            fk = first[0].lower() if first else ""
            if fk in lex.function_words and fk not in lex.determiners and fk not in lex.pronouns:
                comma = t.find(",", s, min(e, s + 100))
                if comma != -1:
                    limit = PARTIAL_TOKENS + len(t[s:comma].split()) + 1
            toks = tokenize(t, s, e, (), lex, limit=limit)
            self._collect(toks)
            self._resolve_roles()
            subject = self._opening_subject(toks)
            if subject is not None and self._speakerlike(subject):
                sp = self._resolve(subject, subject.s)
                if sp is not None and sp.person is not False:
                    self._remember(subject.s, sp)

    def _collect_names(self, s: int, e: int) -> None:
        """Names of two words or more in text[s:e] (sentences only skimmed), without tokenizing."""
        lex = self.lex
        if lex.capitalized_nouns:
            return  # German: capitalised runs are nouns as often as names
        strip = lex.name_strip
        t = self.t
        names = self.doc.names
        mid = self.doc.mid_caps
        for m in _NAME_RUN.finditer(t, s, e):
            words = m.group().split()
            while words and words[0].lower() in strip:
                words = words[1:]
            if len(words) < 2:
                continue
            prev = t[max(s, m.start() - 12):m.start()].split()
            if prev and prev[-1].lower() in lex.article_words:
                continue
            low = [w.lower() for w in words]
            names.setdefault(low[-1], []).append((" ".join(words), len(words), self._name_person(words)))
            mid.update(low)
