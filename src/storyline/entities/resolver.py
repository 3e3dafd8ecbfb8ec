"""Cross-document entity resolution: every spelling of one entity, in any document and language, gets one
canonical name and one stable id.

A document contributes its *document entities* (mentions the recogniser grouped: "Jake Sullivan" +
"M. Sullivan"). Each is matched against the entities seen so far through a blocking index, so the work per
name is a few dictionary lookups and merging grows about linearly (n log n at worst) with the number of
distinct names, never n²:

- a canonical name from a table or the gazetteer ("Poutine" -> Vladimir Putin, "OTAN" -> NATO, "Moscou" ->
  Moscow): exact key;
- people: the phonetic key of the full name ("Iouri Ouchakov" = "Yuriy Ushakov"); else the phonetic key of
  the surname with a compatible first name (same key, one edit apart, an initial, or none on one side); else
  a surname one edit away ("Baiden") when the two share context (co-occurring entities) and the variant is
  the rarer one. Different first names keep different people apart ("Joe Biden" / "Hunter Biden");
- organisations: the order-free key of the name ("Conseil national de sécurité" = "Conseil de sécurité
  nationale") and acronyms defined in a document (which tie the acronym to the long name for later
  documents);
- places: the gazetteer's canonical name, else the phonetic key.

Ids are "E" + 12 hex digits of SHA-1 over the entity's group and canonical key when it is created, so the
same input gives the same ids run after run; an id never changes once given (a merge keeps the older id
and redirects the other). The resolver persists whole (`to_dict` / `from_dict`) or in parts, one per entity
("e/<id>") and per redirect ("r/<id>"): `state_changes()` gives the parts changed since its previous call (all
of them at the first), so saving after a batch costs what the batch changed, not what the resolver holds;
`from_parts` reads them back.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .blocks import BlockingIndex
from .collector import cycle_collection_paused
from .keys import edit_distance, fold_name, is_latin, org_key, phonetic, translit
from .knowledge import KnowledgeBase
from .mention import Mention, group_of

__all__ = ["EntityResolver", "KnowledgeBase", "DocEntity", "doc_entities", "entity_id"]

FUZZY_MIN_LEN = 5  # surnames shorter than this are only matched exactly
MAX_CONTEXT = 64  # co-occurring entity keys kept per entity (trimmed back to this when twice as many)
MAX_BLOCK_SCAN = 32  # candidates examined per blocking key (the earliest: usually the most mentioned)
FUZZY_BLOCK_SCAN = 8  # candidates examined per key of a one-edit neighbourhood
ENTITY_PART = "e/"  # state part keys: an entity, a redirect (see `state_changes`)
REDIRECT_PART = "r/"


def entity_id(group: str, canonical_key: str) -> str:
    return "E" + hashlib.sha1(f"{group}|{canonical_key}".encode()).hexdigest()[:12]


@dataclass(eq=False)
class DocEntity:
    """The mentions of one entity in one document, as the resolver sees them."""

    type: str
    names: list[str]  # names without honorifics, one per mention
    known: str | None = None
    country: str | None = None
    roles: list[str] = field(default_factory=list)
    weak: bool = False
    mentions: list[Mention] = field(default_factory=list)
    context: set[str] = field(default_factory=set)

    @property
    def group(self) -> str:
        return group_of(self.type)

    def primary_key(self, key: Callable[[str], str] = phonetic) -> str:
        """`key`: the phonetic key (or a memo of it)."""
        if self.known:
            return f"K:{self.group}:{fold_name(self.known)}"
        best = max(self.names, key=lambda n: (len(n.split()), n))
        return f"N:{self.group}:{key(best)}"


def doc_entities(mentions: Iterable[Mention]) -> list[DocEntity]:
    """Group a document's mentions by their document-level entity (`Mention.local`)."""
    groups: dict[int, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(m.local if m.local >= 0 else -id(m), []).append(m)
    out = []
    for ms in groups.values():
        types = [m.type for m in ms]
        if len(ms) == 1:
            typ = types[0]
        else:
            typ = _commonest([m.type for m in ms if not m.weak] or types)
        if all(t == "GPE" or t == "LOC" for t in types):
            # a country is a GPE; a city stays a place even where a text uses it for its government
            typ = "GPE" if any(m.kind == "country" for m in ms) else ("LOC" if any(m.type == "LOC" or m.kind in ("capital", "city") for m in ms) else typ)
        out.append(
            DocEntity(
                type=typ,
                # an organisation word alone ("l'Alliance") is no name to match other documents by
                names=[m.name or m.text for m in ms if m.kind != "short"] or [m.name or m.text for m in ms],
                known=next((m.known for m in ms if m.known), None),
                country=next((m.country_code for m in ms if m.country_code), None),
                roles=[m.role for m in ms if m.role],
                weak=all(m.weak for m in ms),
                mentions=ms,
            )
        )
    keys = [e.primary_key() for e in out]
    every = set(keys)
    for e, k in zip(out, keys):
        e.context = every - {k}
    return out


@dataclass(eq=False, slots=True)  # identity: two entities are never "equal" field by field
class _Entity:
    """A corpus entity. Its counts and name sets are plain dicts of strings (a set is a dict of None values):
    the cycle collector does not track those, so an entity is one object for it, not seven, when a full
    collection walks what a long run holds."""

    id: str
    group: str
    canonical: str
    forms: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)
    known: str | None = None
    country: str | None = None
    roles: dict[str, int] = field(default_factory=dict)
    context: dict[str, int] = field(default_factory=dict)
    first_names: dict[str, None] = field(default_factory=dict)
    surnames: dict[str, None] = field(default_factory=dict)
    docs: int = 0
    kb_id: str | None = None
    seq: int = 0  # the order entities were created in, which the blocking index keeps (see `from_parts`)
    size: int = 0  # the sum of the form counts (names met), kept: candidates are ranked by it

    @property
    def type(self) -> str:
        return _commonest(self.types) if self.types else {"per": "PER", "org": "ORG"}.get(self.group, "LOC")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "group": self.group,
            "canonical": self.canonical,
            "forms": dict(self.forms),
            "types": dict(self.types),
            "known": self.known,
            "country": self.country,
            "roles": dict(self.roles),
            "context": dict(self.context),
            "first_names": sorted(self.first_names),
            "surnames": sorted(self.surnames),
            "docs": self.docs,
            "kb_id": self.kb_id,
            "seq": self.seq,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> _Entity:
        return cls(
            id=d["id"],
            group=d["group"],
            canonical=d["canonical"],
            forms=dict(d.get("forms", {})),
            types=dict(d.get("types", {})),
            known=d.get("known"),
            country=d.get("country"),
            roles=dict(d.get("roles", {})),
            context=dict(d.get("context", {})),
            first_names=dict.fromkeys(d.get("first_names", [])),
            surnames=dict.fromkeys(d.get("surnames", [])),
            docs=int(d.get("docs", 0)),
            kb_id=d.get("kb_id"),
            seq=int(d.get("seq", 0)),
            size=sum(d.get("forms", {}).values()),
        )


class EntityResolver:
    """Merges document entities into corpus entities. `fit(docs)` starts afresh, `partial_fit(docs)` adds;
    `docs` are Documents (or any objects with `entities`) whose mentions carry `local` groups. After
    fitting, each mention has `entity_id`, `canonical`, `country` and, for a capital used as a government,
    `refers_to` (the country's entity id)."""

    def __init__(self, kb: KnowledgeBase | None = None, country_names: dict[str, str] | None = None):
        self.kb = kb
        self.country_names = country_names
        self._entities: dict[str, _Entity] = {}
        self._index = BlockingIndex()
        self._redirect: dict[str, str] = {}
        self._created = 0  # entities created so far (their `seq`)
        # what changed since the last `state_changes()`: entities created or changed, new redirects, part keys
        # gone; tracked from the first call on (before it, all of the state is new to whoever saves it)
        self._tracking = False
        self._changed: set[str] = set()
        self._redirected: set[str] = set()
        self._dropped: set[str] = set()
        self.comparisons = 0  # candidate entities examined so far (the cost of merging; see benchmarks)
        # the phonetic keys and skeletons of the names met in the batch being added: `phonetic`'s own cache
        # holds the whole corpus's names, and a look-up there (a dozen per name) is a cache miss in a table of
        # 100,000s of entries once the corpus is large; a batch's memo stays small and warm
        self._phonetic: dict[str, str] = {}
        self._skeletons: dict[str, str] = {}

    # --- fitting --------------------------------------------------------------------------------------------

    def fit(self, docs: Iterable[Any]) -> EntityResolver:
        if self._tracking:
            self._dropped.update(ENTITY_PART + eid for eid in self._entities)
            self._dropped.update(REDIRECT_PART + eid for eid in self._redirect)
        self._changed.clear()
        self._redirected.clear()
        self._entities.clear()
        self._index.clear()
        self._redirect.clear()
        return self.partial_fit(docs)

    def partial_fit(self, docs: Iterable[Any]) -> EntityResolver:
        batch: list[DocEntity] = []
        for doc in docs:
            mentions = [m for m in getattr(doc, "entities", doc) if isinstance(m, Mention)]
            batch.extend(doc_entities(mentions))
        self.add(batch)
        return self

    def add(self, batch: list[DocEntity]) -> None:
        """Resolve document entities; the most complete names go first, so ids do not depend on the order of
        documents within a batch."""
        with cycle_collection_paused():  # (full collections would walk every entity held: see `collector`)
            try:
                self._add(batch)
            finally:
                self._phonetic.clear()
                self._skeletons.clear()

    def _key(self, name: str) -> str:
        """`phonetic(name)`, from the batch's memo."""
        k = self._phonetic.get(name)
        if k is None:
            k = self._phonetic[name] = phonetic(name)
        return k

    def _skeleton(self, key: str) -> str:
        """`_skeleton(key)`, from the batch's memo."""
        k = self._skeletons.get(key)
        if k is None:
            k = self._skeletons[key] = _skeleton(key)
        return k

    def _add(self, batch: list[DocEntity]) -> None:
        order = sorted(
            range(len(batch)),
            key=lambda k: (batch[k].weak, not batch[k].known, -max(len(n.split()) for n in batch[k].names), -len(batch[k].names), batch[k].primary_key(self._key)),
        )
        assigned: dict[int, _Entity] = {}
        for k in order:
            assigned[k] = self._resolve_one(batch[k])
        for k, de in enumerate(batch):
            self._annotate(de, assigned[k])
        # a second pass: canonical names may have improved while the batch was merged
        for k, de in enumerate(batch):
            self._annotate(de, self._entities[self._final(assigned[k].id)])

    def _final(self, eid: str) -> str:
        while eid in self._redirect:
            eid = self._redirect[eid]
        return eid

    def _resolve_one(self, de: DocEntity) -> _Entity:
        found = self._match(de)
        if found is None:
            found = self._create(de)
        self._absorb(found, de)
        return found

    # --- matching ---------------------------------------------------------------------------------------------

    def _lookup(self, key: str, limit: int = MAX_BLOCK_SCAN) -> list[_Entity]:
        ids = self._index.get(key, limit)
        if not ids:
            return []
        self.comparisons += len(ids)
        if len(ids) == 1:
            e = self._entities.get(self._final(ids[0]))
            return [] if e is None else [e]
        out = []
        seen: set[str] = set()  # (a set: a crowded key, a common surname, must not cost its square)
        for eid in ids:
            eid = self._final(eid)
            e = self._entities.get(eid)
            if e is not None and eid not in seen:
                seen.add(eid)
                out.append(e)
        return out

    def _match(self, de: DocEntity) -> _Entity | None:
        g = de.group
        if de.known:
            hits = self._lookup(f"K:{g}:{fold_name(de.known)}")
            if hits:
                return hits[0]
        if g == "per":
            hit = self._match_person(de)
            if hit is None and de.weak and not de.known:  # a guessed person may be a known organisation or place
                for other in ("org", "place"):
                    hits = [e for n in de.names for e in self._lookup(f"N:{other}:{self._key(n)}")]
                    if hits:
                        de.type = hits[0].type
                        return hits[0]
            return hit
        hits: list[_Entity] = []
        for n in de.names:
            for key in self._name_keys(g, n):
                for e in self._lookup(key):
                    if e not in hits and (not de.known or not e.known or e.known == de.known):
                        hits.append(e)
        if not hits:
            return None
        best = max(hits, key=lambda e: (e.size, e.id))
        for other in hits:  # one document tied two names (an acronym and its expansion): one entity
            if other is not best and g == "org":
                best = self._merge(best, other)
        return best

    def _name_keys(self, group: str, name: str) -> list[str]:
        if group == "org":
            keys = [f"N:org:{self._key(name)}"]
            ok = org_key(name)
            if ok and " " in ok:
                keys.append(f"O:{ok}")
            return keys
        return [f"N:{group}:{self._key(name)}"]

    def _match_person(self, de: DocEntity) -> _Entity | None:
        fulls = [n for n in de.names if len(n.split()) >= 2]
        for n in sorted(set(fulls), key=lambda x: (-de.names.count(x), x)):
            hits = self._lookup(f"N:per:{self._key(n)}")
            if hits:
                return max(hits, key=lambda e: (e.size, e.id))
        firsts = {self._key(n.split()[0]) for n in fulls}
        surnames = {self._key(n.split()[-1]) for n in de.names if n.split()}
        candidates: list[_Entity] = []
        examined: set[str] = set()
        for s in sorted(surnames):
            if firsts:  # the same surname with a first name one edit away (or an initial), or with none yet
                keys = [f"SFS:{s}|{self._skeleton(f)}" for f in sorted(firsts)] + [f"SO:{s}"]
                keys += [f"SFI:{s}|{f}" for f in sorted(firsts) if len(f) == 1]
            else:  # a surname alone: anyone of that surname
                keys = [f"S:{s}"]
            for key in keys:
                for e in self._lookup(key):
                    if e.id not in examined:
                        examined.add(e.id)
                        if _compatible_first(firsts, e.first_names):
                            candidates.append(e)
        if candidates:
            return self._best_by_context(de, candidates)
        # one edit away: a typo or a machine-translation garble ("Baiden"), found through the surname's consonant
        # skeleton (with the same first name when there is one), taken only when the variant is the rarer and
        # the context agrees (a co-occurring entity in common)
        for s in sorted(surnames):
            if len(s) < FUZZY_MIN_LEN:
                continue
            keys = [f"DF:{f}|{self._skeleton(s)}" for f in sorted(firsts)] if firsts else [f"D:{self._skeleton(s)}"]
            near: list[_Entity] = []
            for key in keys:
                for e in self._lookup(key, FUZZY_BLOCK_SCAN):
                    if e not in near and any(edit_distance(s, t, 1) <= 1 for t in e.surnames):
                        near.append(e)
            for e in sorted(near, key=lambda e: (-e.size, e.id)):
                shared = len(e.context.keys() & de.context)
                rare = len(de.names) <= e.size
                if rare and shared >= 1:
                    return e
        return None

    def knows(self, name: str) -> bool:
        """True when a name (a word or more) is already the name or surname of an entity."""
        p = phonetic(name)
        return any(f"{k}{p}" in self._index for k in ("S:", "N:per:", "N:org:", "N:place:", "K:per:", "K:org:", "K:place:"))

    def _best_by_context(self, de: DocEntity, candidates: list[_Entity]) -> _Entity:
        def score(e: _Entity) -> tuple[float, int, str]:
            shared = len(e.context.keys() & de.context)
            return (shared * 2 + math.log1p(e.size), e.size, e.id)

        return max(candidates, key=score)

    # --- creating, absorbing, merging ---------------------------------------------------------------------

    def _create(self, de: DocEntity) -> _Entity:
        g = de.group
        if de.known:
            key = fold_name(de.known)
        else:
            best = max(de.names, key=lambda n: (len(n.split()), de.names.count(n), n))
            key = self._key(best)
        eid = entity_id(g, key)
        while eid in self._entities or eid in self._redirect:  # namesakes kept apart get distinct ids
            key += "'"
            eid = entity_id(g, key)
        e = _Entity(id=eid, group=g, canonical=de.known or "", seq=self._created)
        self._created += 1
        self._entities[eid] = e
        return e

    def _keys_of(self, e: _Entity) -> list[str]:
        """Every blocking key of an entity, derived from what it holds."""
        return self._keys_gained(e, e.forms, e.surnames, e.first_names, bool(e.known))

    def _keys_gained(self, e: _Entity, forms: Iterable[str], surnames: Iterable[str], firsts: Iterable[str], known: bool) -> list[str]:
        """The blocking keys that the given forms, surnames, first names (and known name) of an entity add:
        only what a document brought is indexed again, so absorbing a document costs what it brings, not
        what the entity holds."""
        g = e.group
        keys = [f"K:{g}:{fold_name(e.known)}"] if known and e.known else []
        for n in forms:
            if g != "per" or " " in n:  # a person's single name is indexed as a surname (S:)
                keys.extend(self._name_keys(g, n))
        if g != "per" or not (surnames or firsts):
            return keys
        for t in sorted(e.surnames):
            fresh = t in surnames
            fuzzy = len(t) >= FUZZY_MIN_LEN
            if fresh:
                keys.append(f"S:{t}")
                if fuzzy:
                    keys.append(f"D:{self._skeleton(t)}")
                if not e.first_names:
                    keys.append(f"SO:{t}")  # a surname without a first name yet
            for f in sorted(e.first_names if fresh else firsts):
                keys.append(f"SFI:{t}|{f[:1]}")  # "J. Smith" finds "John Smith"
                keys.append(f"SFS:{t}|{self._skeleton(f)}")  # a first name one vowel away ("Jen", "Jena")
                if fuzzy:
                    keys.append(f"DF:{f}|{self._skeleton(t)}")  # the same first name, a surname one vowel away
        return keys

    def _absorb(self, e: _Entity, de: DocEntity) -> None:
        g = e.group
        if self._tracking:
            self._changed.add(e.id)
        e.docs += 1
        e.types[de.type] = e.types.get(de.type, 0) + (len(de.mentions) or 1)
        had_first = bool(e.first_names)
        new_forms = [n for n in dict.fromkeys(de.names) if n not in e.forms]
        _count(e.forms, de.names)
        e.size += len(de.names)
        new_known = bool(de.known and not e.known)
        if new_known:
            e.known = de.known
        if de.country and not e.country:
            e.country = de.country
        if de.roles:
            _count(e.roles, de.roles)
        if de.context:
            _count(e.context, de.context)
        if len(e.context) > 2 * MAX_CONTEXT:  # trimmed now and then, not at every document: amortised O(1)
            # the most frequent, ties by key: the set a document's context came from has no stable order
            ranked = sorted(e.context)
            ranked.sort(key=e.context.__getitem__, reverse=True)  # a stable sort: equal counts stay by key
            e.context = {k: e.context[k] for k in ranked[:MAX_CONTEXT]}
        new_surnames: set[str] = set()
        new_firsts: set[str] = set()
        if g == "per":
            for n in de.names:
                words = n.split()
                t = self._key(words[-1]) if words else ""
                if t:
                    if t not in e.surnames:
                        e.surnames[t] = None
                        new_surnames.add(t)
                    if len(words) >= 2:
                        f = self._key(words[0])
                        if f not in e.first_names:
                            e.first_names[f] = None
                            new_firsts.add(f)
            if e.first_names and not had_first:
                for t in e.surnames:
                    self._index.remove(f"SO:{t}", e.id)
        for key in self._keys_gained(e, new_forms, new_surnames, new_firsts, new_known):
            self._index.add(key, e.id)
        e.canonical = self._canonical(e)
        if self.kb is not None and e.kb_id is None:
            e.kb_id = self.kb.link([e.canonical, *e.forms], e.type)

    def _merge(self, keep: _Entity, other: _Entity) -> _Entity:
        if keep is other:
            return keep
        if (other.docs, other.size) > (keep.docs, keep.size):
            keep, other = other, keep
        for key in self._keys_of(other):
            self._index.remove(key, other.id)
        for mine, theirs in ((keep.forms, other.forms), (keep.types, other.types), (keep.roles, other.roles),
                             (keep.context, other.context)):
            for k, n in theirs.items():
                mine[k] = mine.get(k, 0) + n
        keep.first_names |= other.first_names
        keep.surnames |= other.surnames
        keep.docs += other.docs
        keep.size += other.size
        keep.known = keep.known or other.known
        keep.country = keep.country or other.country
        keep.kb_id = keep.kb_id or other.kb_id
        if keep.first_names:
            for t in keep.surnames:
                self._index.remove(f"SO:{t}", keep.id)
        for key in self._keys_of(keep):
            self._index.add(key, keep.id)
        del self._entities[other.id]
        self._redirect[other.id] = keep.id
        if self._tracking:
            self._changed.add(keep.id)
            self._changed.discard(other.id)
            self._dropped.add(ENTITY_PART + other.id)
            self._redirected.add(other.id)
        keep.canonical = self._canonical(keep)
        return keep

    def _canonical(self, e: _Entity) -> str:
        """The known name, else the most complete, most frequent Latin-script form."""
        if e.known:
            return e.known
        if not e.forms:
            return e.canonical

        def score(item: tuple[str, int]) -> tuple[int, bool, bool, int, str]:
            name, count = item  # the most complete, Latin-script, not shouted, most frequent form
            return (len(name.split()), is_latin(name), not name.isupper(), count, name)

        name = max(e.forms.items(), key=score)[0]
        return name if is_latin(name) else translit(name)

    # --- output ---------------------------------------------------------------------------------------------

    def _annotate(self, de: DocEntity, e: _Entity) -> None:
        country = self._country_name(e.country) if e.country else None
        etype = e.type
        for m in de.mentions:
            m.entity_id = e.id
            m.canonical = e.canonical
            m.kb_id = e.kb_id
            m.entity_type = etype
            if e.group == "place" and m.kind == "country":
                m.country = None
            elif country:
                m.country = country
            if m.type == "GPE" and m.kind == "capital" and e.country:
                m.refers_to = self.country_entity(e.country)

    def _country_name(self, code: str) -> str:
        if self.country_names is None:
            from .gazetteer import gazetteer

            self.country_names = gazetteer().country_names
        return self.country_names.get(code, code)

    def country_entity(self, code: str) -> str:
        """The entity id of a country (created when no document named it yet)."""
        name = self._country_name(code)
        key = f"K:place:{fold_name(name)}"
        hits = self._lookup(key)
        if hits:
            return hits[0].id
        e = _Entity(id=entity_id("place", fold_name(name)), group="place", canonical=name, known=name, country=code,
                    seq=self._created)
        self._created += 1
        self._entities[e.id] = e
        if self._tracking:
            self._changed.add(e.id)
        self._index.add(key, e.id)
        return e.id

    # --- queries --------------------------------------------------------------------------------------------

    def resolve(self, mention: Mention | str, type: str | None = None) -> str | None:  # noqa: A002
        """The entity id of a mention (or of a name and a type), or None when nothing known matches."""
        if isinstance(mention, Mention):
            name, typ, known = mention.name or mention.text, mention.type, mention.known
        else:
            name, typ, known = mention, type or "PER", None
        de = DocEntity(type=typ, names=[name], known=known)
        if typ == "" or type is None and not isinstance(mention, Mention):
            for t in ("PER", "ORG", "GPE"):
                de.type = t
                e = self._match(de)
                if e is not None:
                    return e.id
            return None
        e = self._match(de)
        return e.id if e is not None else None

    def entity(self, eid: str) -> dict[str, Any] | None:
        e = self._entities.get(self._final(eid))
        return None if e is None else {**e.to_dict(), "type": e.type}

    def entities(self) -> list[dict[str, Any]]:
        return [{**e.to_dict(), "type": e.type} for e in sorted(self._entities.values(), key=lambda e: e.id)]

    def __len__(self) -> int:
        return len(self._entities)

    # --- persistence ---------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "entities": [e.to_dict() for e in self._entities.values()],  # in the order they came (blocking order)
            "redirects": dict(sorted(self._redirect.items())),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], kb: KnowledgeBase | None = None) -> EntityResolver:
        """The resolver saved whole with `to_dict`. None of it is saved in parts yet: the first
        `state_changes()` holds every part."""
        r = cls(kb=kb)
        for n, d in enumerate(data.get("entities", [])):
            e = _Entity.from_dict(d)
            if "seq" not in d:  # saved before entities kept their creation order: the list's order is it
                e.seq = n
            r._entities[e.id] = e
            for key in r._keys_of(e):
                r._index.add(key, e.id)
        r._created = max((e.seq for e in r._entities.values()), default=-1) + 1
        r._phonetic.clear()  # (the batch memos: filled by indexing, not to be kept)
        r._skeletons.clear()
        r._redirect = dict(data.get("redirects", {}))
        return r

    def state_changes(self) -> tuple[dict[str, Any], list[str]]:
        """The state parts changed since the previous call (or since the resolver was created or read whole):
        (part key -> value for the entities created or changed and the new redirects, the keys of the parts
        gone: entities merged into others). Saved after each batch, they add up to the resolver `from_parts`
        reads back."""
        if not self._tracking:  # the first call: every part
            self._tracking = True
            self._changed = set(self._entities)
            self._redirected = set(self._redirect)
        parts: dict[str, Any] = {}
        for eid in sorted(self._changed):
            parts[ENTITY_PART + eid] = self._entities[eid].to_dict()
        for eid in sorted(self._redirected):
            parts[REDIRECT_PART + eid] = self._redirect[eid]
        dropped = sorted(self._dropped - parts.keys())
        self._changed.clear()
        self._redirected.clear()
        self._dropped.clear()
        return parts, dropped

    @classmethod
    def from_parts(cls, parts: dict[str, Any], kb: KnowledgeBase | None = None) -> EntityResolver:
        """The resolver whose parts (`state_changes`, saved one after the other) are `parts`."""
        entities = sorted((v for k, v in parts.items() if k.startswith(ENTITY_PART)), key=lambda d: d["seq"])
        redirects = {k[len(REDIRECT_PART):]: v for k, v in parts.items() if k.startswith(REDIRECT_PART)}
        r = cls.from_dict({"entities": entities, "redirects": redirects}, kb)
        r._tracking = True  # what it holds is saved already
        return r


@lru_cache(maxsize=262144)
def _skeleton(key: str) -> str:
    """The first letter and the consonants of a phonetic key: one-vowel typos and machine-translation garbles
    ("Baiden" / "Biden", "Jena" / "Jen") share it. Candidates found by it are checked by edit distance."""
    return key[:1] + "".join(c for c in key[1:] if c not in "aeiouy ")


def _count(counts: dict[str, int], values: Iterable[str]) -> None:
    """Count `values` into `counts` (what `Counter.update` does, on a plain dict)."""
    for v in values:
        counts[v] = counts.get(v, 0) + 1


def _commonest(values: Iterable[str] | dict[str, int]) -> str:
    """The most frequent value (of a list, or the key of a dict of counts with the highest count), the first
    met among equals: what `Counter.most_common(1)` gives, without building a Counter or a heap."""
    if isinstance(values, dict):
        return max(values, key=values.__getitem__)
    counts: dict[str, int] = {}
    _count(counts, values)
    return max(counts, key=counts.__getitem__)


def _compatible_first(a: set[str], b: set[str]) -> bool:
    """First names that can be one person's: none on a side, the same key, an initial, or one edit apart
    ("Jen" / "Jena")."""
    if not a or not b:
        return True
    for x in a:
        for y in b:
            if x == y:
                return True
            if (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
                return True
            if min(len(x), len(y)) >= 3 and edit_distance(x, y, 1) <= 1:
                return True
    return False
