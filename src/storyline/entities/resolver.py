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
import sys
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from .blocks import BlockingIndex
from .collector import cycle_collection_paused
from .keys import edit_distance, fold_name, is_latin, org_key, phonetic, translit
from .knowledge import KnowledgeBase
from .mention import Mention, group_of
from .person_names import name_parts, surname_variants

__all__ = ["EntityResolver", "KnowledgeBase", "DocEntity", "doc_entities", "entity_id"]

FUZZY_MIN_LEN = 5  # surnames shorter than this are only matched exactly
MAX_CONTEXT = 64  # co-occurring entity keys kept per entity (trimmed back to this when twice as many)
MAX_BLOCK_SCAN = 32  # candidates examined per blocking key (the earliest: usually the most mentioned)
FUZZY_BLOCK_SCAN = 8  # candidates examined per key of a one-edit neighbourhood
ENTITY_PART = "e/"  # state part keys: an entity, a redirect (see `state_changes`)
REDIRECT_PART = "r/"
# The version of the rules that make people's surname and first-name keys (phonetic keys, name parts): raise it
# when they change, so that a state saved before has its keys made again when it is read (`_rekey_names`).
NAME_KEYS = 2
NAME_KEYS_PART = "v/name_keys"


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


# An entity's counts and name sets mostly hold one item (one type, one surname, one first name, one context
# entity) or none (roles): each is None while empty, the item itself while it is the only one (a count: a
# (key, count) pair), a dict from the second on. A dict of one entry takes 184 bytes, and six of them per entity
# were most of the memory that merging 100,000 names walks (see benchmarks/entities_scale.py). Dicts of strings
# (a set is a dict of None values) and tuples of strings and ints: the cycle collector tracks none of them, so an
# entity is one object for it when a full collection walks what a long run holds.
Counts = dict[str, int] | tuple[str, int] | None
Names = dict[str, None] | str | None


@dataclass(eq=False, slots=True)  # identity: two entities are never "equal" field by field
class _Entity:
    """A corpus entity. Its counts (`forms`, `types`, `roles`, `context`) and name sets (`first_names`,
    `surnames`: phonetic keys) are compact containers: read them with `_items`/`_as_dict` and `_members`/`_has`,
    grow them with `_counted` and `_with`."""

    id: str
    group: str
    canonical: str
    forms: Counts = None
    types: Counts = None
    known: str | None = None
    country: str | None = None
    roles: Counts = None
    context: Counts = None
    first_names: Names = None
    surnames: Names = None
    docs: int = 0
    kb_id: str | None = None
    seq: int = 0  # the order entities were created in, which the blocking index keeps (see `from_parts`)
    size: int = 0  # the sum of the form counts (names met), kept: candidates are ranked by it

    @property
    def type(self) -> str:
        types = self.types
        if types is None:
            return {"per": "PER", "org": "ORG"}.get(self.group, "LOC")
        return types[0] if type(types) is tuple else _commonest(types)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "group": self.group,
            "canonical": self.canonical,
            "forms": _as_dict(self.forms),
            "types": _as_dict(self.types),
            "known": self.known,
            "country": self.country,
            "roles": _as_dict(self.roles),
            "context": _as_dict(self.context),
            "first_names": sorted(_members(self.first_names)),
            "surnames": sorted(_members(self.surnames)),
            "docs": self.docs,
            "kb_id": self.kb_id,
            "seq": self.seq,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> _Entity:
        country = d.get("country")
        return cls(  # (group, types and country interned: a JSON reader makes a string of each, per entity)
            id=d["id"],
            group=sys.intern(d["group"]),
            canonical=d["canonical"],
            forms=_compact_counts(d.get("forms")),
            types=_compact_counts(d.get("types"), sys.intern),
            known=d.get("known"),
            country=country and sys.intern(country),
            roles=_compact_counts(d.get("roles")),
            context=_compact_counts(d.get("context")),
            first_names=_compact_names(d.get("first_names")),
            surnames=_compact_names(d.get("surnames")),
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
        self._name_keys_saved = False  # whether the saved parts say which NAME_KEYS made their keys
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
        found: tuple[_Entity, ...] = self._index.get(key, limit)  # type: ignore[assignment]
        if not found:
            return []
        self.comparisons += len(found)
        redirect = self._redirect  # (an entity merged into another is looked up as the other)
        if len(found) == 1:
            e: _Entity | None = found[0]
            if e.id in redirect:
                e = self._entities.get(self._final(e.id))
            return [] if e is None else [e]
        out = []
        seen: set[str] = set()  # (a set: a crowded key, a common surname, must not cost its square)
        for e in found:
            if e.id in redirect:
                e = self._entities.get(self._final(e.id))
                if e is None:
                    continue
            if e.id not in seen:
                seen.add(e.id)
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
        singles = {self._key(n) for n in de.names if len(n.split()) == 1}
        parts = [name_parts(n.split(), singles, self._key) for n in de.names if n.split()]
        firsts = {f for _, fs in parts for f in fs}
        surnames = {t for t, _ in parts if t} | {v for n in de.names for v in surname_variants(n.split(), self._key)}
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
                    if e not in near and any(edit_distance(s, t, 1) <= 1 for t in _members(e.surnames)):
                        near.append(e)
            for e in sorted(near, key=lambda e: (-e.size, e.id)):
                shared = _shared(e.context, de.context)
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
            shared = _shared(e.context, de.context)
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
        return self._keys_gained(e, _keys(e.forms), _members(e.surnames), _members(e.first_names), bool(e.known))

    def _keys_gained(self, e: _Entity, forms: Iterable[str], surnames: Collection[str], firsts: Collection[str], known: bool) -> list[str]:
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
        all_firsts = _members(e.first_names)
        for t in sorted(_members(e.surnames)):
            fresh = t in surnames
            fuzzy = len(t) >= FUZZY_MIN_LEN
            if fresh:
                keys.append(f"S:{t}")
                if fuzzy:
                    keys.append(f"D:{self._skeleton(t)}")
                if e.first_names is None:
                    keys.append(f"SO:{t}")  # a surname without a first name yet
            for f in sorted(all_firsts if fresh else firsts):
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
        e.types = _counted(e.types, de.type, len(de.mentions) or 1)
        had_first = e.first_names is not None
        new_forms = []
        for n in de.names:
            if not _has_count(e.forms, n):
                new_forms.append(n)
            e.forms = _counted(e.forms, n)
        e.size += len(de.names)
        new_known = bool(de.known and not e.known)
        if new_known:
            e.known = de.known
        if de.country and not e.country:
            e.country = de.country
        for role in de.roles:
            e.roles = _counted(e.roles, role)
        for k in de.context:
            e.context = _counted(e.context, k)
        context = e.context
        if type(context) is dict and len(context) > 2 * MAX_CONTEXT:  # trimmed now and then: amortised O(1)
            # the most frequent, ties by key: the set a document's context came from has no stable order
            ranked = sorted(context)
            ranked.sort(key=context.__getitem__, reverse=True)  # a stable sort: equal counts stay by key
            e.context = {k: context[k] for k in ranked[:MAX_CONTEXT]}
        new_surnames: list[str] = []
        new_firsts: list[str] = []
        if g == "per":
            # (the one-word names only matter to a two-word name: see `name_parts`)
            two = any(n.count(" ") == 1 for n in de.names)
            singles = {self._key(n) for n in _keys(e.forms) if " " not in n} if two else ()
            surnames, firsts = self._person_keys(de.names, singles)
            for v in surnames:
                if not _has(e.surnames, v):
                    e.surnames = _with(e.surnames, v)
                    new_surnames.append(v)
            for f in firsts:
                if not _has(e.first_names, f):
                    e.first_names = _with(e.first_names, f)
                    new_firsts.append(f)
            if e.first_names is not None and not had_first:
                for t in _members(e.surnames):
                    self._index.remove(f"SO:{t}", e)
        for key in self._keys_gained(e, new_forms, new_surnames, new_firsts, new_known):
            self._index.add(key, e)
        e.canonical = self._canonical(e)
        if self.kb is not None and e.kb_id is None:
            e.kb_id = self.kb.link([e.canonical, *_keys(e.forms)], e.type)

    def _merge(self, keep: _Entity, other: _Entity) -> _Entity:
        if keep is other:
            return keep
        if (other.docs, other.size) > (keep.docs, keep.size):
            keep, other = other, keep
        for key in self._keys_of(other):
            self._index.remove(key, other)
        for k, n in _items(other.forms):
            keep.forms = _counted(keep.forms, k, n)
        for k, n in _items(other.types):
            keep.types = _counted(keep.types, k, n)
        for k, n in _items(other.roles):
            keep.roles = _counted(keep.roles, k, n)
        for k, n in _items(other.context):
            keep.context = _counted(keep.context, k, n)
        for f in _members(other.first_names):
            if not _has(keep.first_names, f):
                keep.first_names = _with(keep.first_names, f)
        for t in _members(other.surnames):
            if not _has(keep.surnames, t):
                keep.surnames = _with(keep.surnames, t)
        keep.docs += other.docs
        keep.size += other.size
        keep.known = keep.known or other.known
        keep.country = keep.country or other.country
        keep.kb_id = keep.kb_id or other.kb_id
        if keep.first_names is not None:
            for t in _members(keep.surnames):
                self._index.remove(f"SO:{t}", keep)
        for key in self._keys_of(keep):
            self._index.add(key, keep)
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
        if e.forms is None:
            return e.canonical

        def score(item: tuple[str, int]) -> tuple[int, bool, bool, int, str]:
            name, count = item  # the most complete, Latin-script, not shouted, most frequent form
            return (len(name.split()), is_latin(name), not name.isupper(), count, name)

        name = max(_items(e.forms), key=score)[0]
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
        old = self._entities.get(e.id)
        if old is not None:  # a place of that id made from its names: the country takes its id, and its keys
            for k in self._keys_of(old):
                self._index.replace(k, old, e)
        self._entities[e.id] = e
        if self._tracking:
            self._changed.add(e.id)
        self._index.add(key, e)
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
            "name_keys": NAME_KEYS,
            "entities": [e.to_dict() for e in self._entities.values()],  # in the order they came (blocking order)
            "redirects": dict(sorted(self._redirect.items())),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], kb: KnowledgeBase | None = None) -> EntityResolver:
        """The resolver saved whole with `to_dict`. None of it is saved in parts yet: the first
        `state_changes()` holds every part."""
        r = cls(kb=kb)
        # keys made by older rules are made again (a state saved before the versions were counted is older)
        rekey = data.get("name_keys", 1) != NAME_KEYS
        for n, d in enumerate(data.get("entities", [])):
            e = _Entity.from_dict(d)
            if "seq" not in d:  # saved before entities kept their creation order: the list's order is it
                e.seq = n
            r._entities[e.id] = e
            if rekey and e.group == "per" and r._rekey_names(e):
                r._changed.add(e.id)
            for key in r._keys_of(e):
                r._index.add(key, e)
        r._name_keys_saved = not rekey
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
        parts: dict[str, Any] = {}
        if not self._tracking:  # the first call: every part
            self._tracking = True
            self._changed = set(self._entities)
            self._redirected = set(self._redirect)
            self._name_keys_saved = False
        if not self._name_keys_saved:
            parts[NAME_KEYS_PART] = NAME_KEYS
            self._name_keys_saved = True
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
        data = {"entities": entities, "redirects": redirects, "name_keys": parts.get(NAME_KEYS_PART, 1)}
        r = cls.from_dict(data, kb)
        r._tracking = True  # what it holds is saved already (but for entities whose name keys were redone)
        return r

    def _person_keys(self, names: Iterable[str], singles: Collection[str]) -> tuple[list[str], list[str]]:
        """The surname keys (with their variants) and the first-name keys of a person's names, in the order met;
        `singles`: the keys of the one-word names the person goes by (see `name_parts`)."""
        surnames: dict[str, None] = {}
        firsts: dict[str, None] = {}
        for n in names:
            words = n.split()
            t, fs = name_parts(words, singles, self._key)
            if t:
                surnames[t] = None
                surnames.update(dict.fromkeys(surname_variants(words, self._key)))
                firsts.update(dict.fromkeys(fs))
        return list(surnames), list(firsts)

    def _rekey_names(self, e: _Entity) -> bool:
        """A person's surname and first-name keys made again from its forms, as `_absorb` makes them: a state
        saved by a version whose phonetic keys differed (a transliteration rule added since) would otherwise
        be indexed under stale keys, and later documents would miss the entity. True when they changed."""
        singles = {self._key(n) for n in _keys(e.forms) if " " not in n}
        surnames, firsts = self._person_keys(_keys(e.forms), singles)
        changed = False
        if set(surnames) != set(_members(e.surnames)):
            e.surnames, changed = _compact_names(list(surnames)), True
        if set(firsts) != set(_members(e.first_names)):
            e.first_names, changed = _compact_names(list(firsts)), True
        return changed


def _skeleton(key: str) -> str:
    """The first letter and the consonants of a phonetic key: one-vowel typos and machine-translation garbles
    ("Baiden" / "Biden", "Jena" / "Jen") share it. Candidates found by it are checked by edit distance."""
    return key[:1] + "".join(c for c in key[1:] if c not in "aeiouy ")


def _counted(counts: Counts, key: str, n: int = 1) -> Counts:
    """`counts` with `n` more of `key` (the same dict, grown, once it is one)."""
    if counts is None:
        return (key, n)
    if type(counts) is tuple:
        if counts[0] == key:
            return (key, counts[1] + n)
        return {counts[0]: counts[1], key: n}
    counts[key] = counts.get(key, 0) + n
    return counts


def _items(counts: Counts) -> Iterable[tuple[str, int]]:
    """(key, count) pairs, in the order the keys came."""
    if counts is None:
        return ()
    return (counts,) if type(counts) is tuple else counts.items()


def _keys(counts: Counts) -> Collection[str]:
    if counts is None:
        return ()
    return (counts[0],) if type(counts) is tuple else counts.keys()


def _has_count(counts: Counts, key: str) -> bool:
    if counts is None:
        return False
    return counts[0] == key if type(counts) is tuple else key in counts


def _as_dict(counts: Counts) -> dict[str, int]:
    """A new dict of the counts (what `to_dict` saves)."""
    if counts is None:
        return {}
    return {counts[0]: counts[1]} if type(counts) is tuple else dict(counts)


def _compact_counts(counts: dict[str, int] | None, intern: Callable[[str], str] | None = None) -> Counts:
    """The compact form of saved counts; `intern`: applied to their keys."""
    if not counts:
        return None
    if intern is not None:
        counts = {intern(k): n for k, n in counts.items()}
    return next(iter(counts.items())) if len(counts) == 1 else dict(counts)


def _shared(counts: Counts, keys: set[str]) -> int:
    """How many of the counted keys are in `keys`."""
    if counts is None:
        return 0
    if type(counts) is tuple:
        return 1 if counts[0] in keys else 0
    return len(counts.keys() & keys)


def _with(names: Names, name: str) -> Names:
    """`names` with `name` added (not in it yet; the same dict, grown, once it is one)."""
    if names is None:
        return name
    if type(names) is str:
        return {names: None, name: None}
    names[name] = None
    return names


def _has(names: Names, name: str) -> bool:
    if names is None:
        return False
    return names == name if type(names) is str else name in names


def _members(names: Names) -> Collection[str]:
    if names is None:
        return ()
    return (names,) if type(names) is str else names


def _compact_names(names: list[str] | None) -> Names:
    """The compact form of a saved name set."""
    if not names:
        return None
    return names[0] if len(names) == 1 else dict.fromkeys(names)


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


def _compatible_first(a: set[str], b: Names) -> bool:
    """First names that can be one person's (`b`: an entity's): none on a side, the same key, an initial, or one
    edit apart ("Jen" / "Jena")."""
    if not a or b is None:
        return True
    for x in a:
        for y in _members(b):
            if x == y:
                return True
            if (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
                return True
            if min(len(x), len(y)) >= 3 and edit_distance(x, y, 1) <= 1:
                return True
    return False
