"""Grouping the mentions of one document into document-level entities: a surname alone joins the full
name, a rare one-letter variant joins the frequent name, an acronym joins the name it is defined by, an
organisation word alone joins the organisation it abbreviates, places by their known name; weak types are
settled by their group."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

from .keys import edit_distance, fold_name, initials, org_key, phonetic, spells
from .mention import Mention

if TYPE_CHECKING:
    from .mention_rules import _Context
    from .scanner import _Cand


class _Linker:
    """Groups the mentions of one document into entities (union-find) and settles weak types."""

    def __init__(self, ctx: _Context, ms: list[Mention], meta: list[_Cand]):
        self.ctx = ctx
        self.ms = ms
        self.meta = meta
        self.parent = list(range(len(ms)))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb

    def run(self) -> list[Mention]:
        ms = self.ms
        ctx = self.ctx
        # roles and the country they imply
        for m, cand in zip(ms, self.meta):
            if m.type == "PER" or m.kind in ("single", "maybe", "name"):
                role, cc = ctx.role_text(cand)
                if role:
                    m.role = role
                    if m.type in ("", "PER"):
                        m.type = "PER"
                        m.weak = False
                    if cc and not m.country_code:
                        m.country_code = cc
        self.link_people()
        self.link_organisations()
        self.link_acronyms()
        self.link_places()
        # settle the rest
        self._standalone = Counter(self.find(k) for k, m in enumerate(ms) if m.kind not in ("maybe", "short"))
        keep = []
        for idx, m in enumerate(ms):
            if m.kind == "maybe" and not self._joined(idx):
                continue  # a capitalised common word or an unexplained word opening a sentence
            if m.kind == "short" and not self._joined(idx):
                continue  # "le Conseil" with nothing to abbreviate
            if not m.type:
                m.type = self.default_type(idx)
            keep.append(idx)
        # document-level entity index: the root of each group, renumbered in text order
        roots: dict[int, int] = {}
        out = []
        for idx in keep:
            m = ms[idx]
            root = self.find(idx)
            m.local = roots.setdefault(root, len(roots))
            out.append(m)
        self.unify_types(out)
        return out

    def _joined(self, idx: int) -> bool:
        """True when the mention's group holds a mention that stands by itself (not a guess like it)."""
        n = self._standalone.get(self.find(idx), 0)
        return n > (1 if self.ms[idx].kind not in ("maybe", "short") else 0)

    def default_type(self, idx: int) -> str:
        m = self.ms[idx]
        cand = self.meta[idx]
        toks = self.ctx.p.segments[cand.seg]
        prev = self.ctx.prev_word(toks, cand.i)
        # the word listing this name after another: "Kharkiv et Zaporijia", or "près de Kiev et de Tcherniguiv"
        # where the list repeats the preposition
        at = cand.i - 1
        if prev is not None and prev.key in self.ctx.c.of_words and at > 0 and toks[at - 1].key in self.ctx.c.coordinators:
            at -= 1
        listed = at >= 0 and (toks[at].key in self.ctx.c.coordinators or toks[at].text == ",")
        if listed and idx > 0:
            before = self.ms[idx - 1]
            if before.type in ("LOC", "GPE") and self.meta[idx - 1].seg == cand.seg and self.meta[idx - 1].j == at:
                return "LOC"  # a list of places
        if prev is not None and prev.key in self.ctx.c.of_words and cand.i > 1 and toks[cand.i - 2].key in self.ctx.c.locative:
            return "LOC"  # "près d'Avdiïvka"
        if prev is not None and prev.key in self.ctx.c.locative:
            before = toks[cand.i - 2] if cand.i > 1 else None
            dative = before is not None and before.kind == "w" and before.key.startswith(self.ctx.c.recipient_verbs or ("\0",))
            if not dative:
                return "LOC"  # "dans X", "in X", "à Brienz" (but "a demandé à X")
        m.weak = True
        return "PER"

    def unify_types(self, out: list[Mention]) -> None:
        groups: dict[int, list[Mention]] = {}
        for m in out:
            groups.setdefault(m.local, []).append(m)
        for g in groups.values():
            if len(g) == 1:
                continue
            strong = Counter(m.type for m in g if not m.weak and m.type in ("PER", "ORG")) or Counter(
                m.type for m in g if not m.weak and m.type
            )
            if strong:
                # a tie between a person and an organisation goes to the organisation word's evidence ("le groupe
                # Wagner" against a composer of that name)
                cued_org = any(m.kind == "org" and m.type == "ORG" and not m.weak for m in g)
                t = max(strong, key=lambda x: (strong[x], x == "ORG" and cued_org))
                for m in g:
                    if m.type in ("PER", "ORG", "") or m.weak:
                        m.type = t
                        if not m.known:
                            m.known = next((x.known for x in g if x.known), None)
            elif {m.type for m in g} == {"PER", "ORG"}:
                # nothing strong either way: an article a person's name does not take ("le Real Madrid") outweighs
                # the default person of a bare name elsewhere
                for m in g:
                    m.type = "ORG"
            known = next((m.known for m in g if m.known), None)
            cc = next((m.country_code for m in g if m.country_code), None)
            for m in g:
                if known and not m.known and m.type in ("PER", "ORG"):
                    m.known = known
                if cc and not m.country_code and m.type == "PER":
                    m.country_code = cc

    # --- people -------------------------------------------------------------------------------------------

    def link_people(self) -> None:
        ms = self.ms
        person_like = [k for k, m in enumerate(ms) if m.type in ("PER", "") or m.kind in ("single", "maybe")]
        full = [k for k in person_like if ms[k].type == "PER" and len(_words(ms[k].name)) >= 2]
        by_surname: dict[str, list[int]] = {}
        by_given_surname: dict[str, list[int]] = {}
        # two-word names may put the family name first ("Xi Jinping"): the first word, when it is no known first
        # name or when the word alone comes with an honorific or a title ("M. Xi", "le président Xi")
        by_family_first: dict[str, list[int]] = {}
        for k in full:
            words = _words(ms[k].name)
            by_surname.setdefault(phonetic(words[-1]), []).append(k)
            # "Yoon Suk-yeol" and "Yoon Suk Yeol": a hyphen between name parts is a spelling, not another name
            by_given_surname.setdefault(phonetic(" ".join(words).replace("-", " ")), []).append(k)
            if len(words) == 2:
                by_family_first.setdefault(phonetic(words[0]), []).append(k)
        # full names: same name, or the same surname with a close first name (Jen / Jena)
        for keys in by_given_surname.values():
            for k in keys[1:]:
                self.union(keys[0], k)
        for sur, keys in by_surname.items():
            for a_i, a in enumerate(keys):
                for b in keys[a_i + 1 :]:
                    fa, fb = phonetic(_words(ms[a].name)[0]), phonetic(_words(ms[b].name)[0])
                    if fa == fb or (min(len(fa), len(fb)) >= 3 and edit_distance(fa, fb, 1) <= 1) or self._particle_tail(a, b):
                        self.union(a, b)
        # a surname alone ("Poutine"), even after an article a person's name does not take ("le Biden"), joins
        # the full name; so does the family name of a name written family name first ("M. Xi")
        for k, m in enumerate(ms):
            if m.type == "ORG" and m.weak and m.kind == "org" and len(_words(m.name)) == 1 and by_surname.get(phonetic(m.name)):
                person_like.append(k)
        singles = [k for k in person_like if len(_words(ms[k].name)) == 1]
        for k in singles:
            key = phonetic(ms[k].name)
            targets = by_surname.get(key)
            if not targets and key in by_family_first:
                targets = by_family_first[key]
                if not (self.meta[k].kind == "hon" or ms[k].role):
                    targets = [t for t in targets if not self.ctx.given(fold_name(_words(ms[t].name)[0]))]
            if targets:
                self.union(self._nearest(k, targets), k)
                self._as_person(k)
        # places and organisations whose name is the surname of a person of the document ("Jackson")
        for k, m in enumerate(ms):
            if m.kind in ("city", "subdivision") and len(_words(m.name)) == 1:
                targets = [t for t in by_surname.get(phonetic(m.name), []) if not ms[t].weak]
                if targets:
                    m.kind, m.known, m.country_code = "name", None, None
                    self.union(self._nearest(k, targets), k)
                    self._as_person(k)
        # singles with the same key join each other
        by_key: dict[str, list[int]] = {}
        for k in singles:
            by_key.setdefault(phonetic(ms[k].name), []).append(k)
        for keys in by_key.values():
            for k in keys[1:]:
                self.union(keys[0], k)
        # a rare variant one edit away from a frequent name ("Baiden" 4 times, "Biden" 11 times)
        names = {}
        for k in person_like:
            key = phonetic(_words(ms[k].name)[-1]) if ms[k].name else ""
            if key:
                names.setdefault(key, []).append(k)
        keys_sorted = sorted(names, key=lambda x: (-len(names[x]), x))
        for key in keys_sorted:
            if len(key) < 4:
                continue
            mine = names[key]
            if any(ms[k].known for k in mine):
                continue
            for other in keys_sorted:
                if len(names[other]) <= len(mine):
                    break  # the names are sorted by frequency: none of the rest is more frequent
                if len(other) < 4:
                    continue
                if edit_distance(key, other, 1) <= 1 and not self._distinct_first_names(mine, names[other]):
                    if any(ms[k].type == "PER" or ms[k].kind == "name" for k in names[other]):
                        for k in mine:
                            self.union(names[other][0], k)
                            self._as_person(k)
                        break

    def _particle_tail(self, a: int, b: int) -> bool:
        """One name is the other's tail from a name particle on ("Bin Salman" in "Mohammed bin Salman")."""
        wa, wb = _words(self.ms[a].name), _words(self.ms[b].name)
        short, long_ = (wa, wb) if len(wa) < len(wb) else (wb, wa)
        if len(short) == len(long_) or fold_name(short[0]) not in self.ctx.c.particles:
            return False
        return [phonetic(w) for w in short[1:]] == [phonetic(w) for w in long_[len(long_) - len(short) + 1 :]] and (
            fold_name(long_[len(long_) - len(short)]) in self.ctx.c.particles
        )

    def _distinct_first_names(self, a: list[int], b: list[int]) -> bool:
        fa = {phonetic(_words(self.ms[k].name)[0]) for k in a if len(_words(self.ms[k].name)) >= 2}
        fb = {phonetic(_words(self.ms[k].name)[0]) for k in b if len(_words(self.ms[k].name)) >= 2}
        return bool(fa and fb and not (fa & fb))

    def _as_person(self, k: int) -> None:
        m = self.ms[k]
        if m.type in ("", "PER") or m.kind in ("single", "maybe", "name") or (m.type == "ORG" and m.weak):
            m.type = "PER"
            if m.kind == "maybe":
                m.kind = "single"
            m.weak = False

    def _nearest(self, k: int, targets: list[int]) -> int:
        before = [t for t in targets if t < k]
        return before[-1] if before else targets[0]

    # --- organisations ------------------------------------------------------------------------------------

    def link_organisations(self) -> None:
        ms = self.ms
        ctx = self.ctx
        orgs = [k for k, m in enumerate(ms) if m.type == "ORG"]
        # acronym defined in parentheses right after the name
        for k in orgs:
            cand = self.meta[k]
            toks = ctx.p.segments[cand.seg]
            j = cand.j
            if j + 2 < len(toks) and toks[j].text == "(" and toks[j + 2].text == ")":
                for k2, c2 in enumerate(self.meta):
                    if c2.seg != cand.seg or c2.i != j + 1:
                        continue
                    if ms[k2].type != "ORG":
                        # a word written like a name ("(Uemoa)") is the acronym when it spells the name's initials
                        words = list(_words(ms[k].name))
                        acronym = fold_name(ms[k2].name).upper()
                        if len(_words(ms[k2].name)) != 1 or not (spells(acronym, initials(words)) or spells(acronym, initials(words, frozenset()))):
                            continue
                        ms[k2].type, ms[k2].kind, ms[k2].weak = "ORG", "acronym", False
                    self.union(k, k2)
        # the same organisation named twice (by canonical, by order-free key, without a company word at its end:
        # "Wagner Group" and "Wagner")
        by_key: dict[str, int] = {}
        for k in orgs:
            m = ms[k]
            for key in (f"known:{m.known}" if m.known else None, f"org:{org_key(m.name)}" if m.kind != "short" else None):
                if key is None:
                    continue
                if key in by_key:
                    self.union(by_key[key], k)
                else:
                    by_key[key] = k
        for k in orgs:
            words = _words(ms[k].name)
            if len(words) >= 2 and fold_name(words[-1]) in ctx.c.org_suffixes:
                other = by_key.get(f"org:{org_key(' '.join(words[:-1]))}")
                if other is not None:
                    self.union(other, k)
        # one word named an organisation by its noun ("le groupe Wagner") names it elsewhere in the document too,
        # where nothing said what it was
        named = {fold_name(ms[k].name): k for k in orgs if ms[k].kind == "org" and not ms[k].weak and len(_words(ms[k].name)) == 1}
        if named:
            for k, m in enumerate(ms):
                if m.type != "ORG" and m.kind in ("single", "maybe") and fold_name(m.name) in named:
                    self.union(named[fold_name(m.name)], k)
                    m.type, m.weak = "ORG", False
        # the whole name of an organisation of the document, written again where nothing typed it, is that
        # organisation, not a person by default ("le Real Madrid" ... "will join Real Madrid")
        whole = {fold_name(ms[k].name): k for k in orgs if len(_words(ms[k].name)) >= 2}
        if whole:
            for k, m in enumerate(ms):
                if m.type == "PER" and m.weak and m.kind == "name" and not m.role and fold_name(m.name) in whole:
                    self.union(whole[fold_name(m.name)], k)
                    m.type = "ORG"
        # an organisation word alone ("l'Alliance", "la Commission") abbreviates an organisation of the document
        for k in orgs:
            m = ms[k]
            if m.kind != "short":
                continue
            head = fold_name(m.name)
            best = None
            for k2 in orgs:
                if k2 == k or ms[k2].kind == "short":
                    continue
                words = fold_name(ms[k2].name).split()
                canon = ms[k2].known
                if (words and (words[0] == head or words[-1] == head)) or (canon and canon in ctx.rec._aliases.get(head, ())):
                    if best is None or abs(k2 - k) < abs(best - k):
                        best = k2
            if best is not None:
                self.union(best, k)
                m.known = ms[best].known

    def link_acronyms(self) -> None:
        """An acronym nobody defines joins the one name of the document whose initials it spells, particles and
        articles included or not ("LR" for "Les Républicains", "MBS" for "Mohammed ben Salmane")."""
        ms = self.ms
        acronyms = {fold_name(m.name).upper().replace(".", "") for m in ms if m.kind == "acronym" and not m.known}
        if not acronyms:
            return
        firsts = {a[0] for a in acronyms if a}
        longest = max(len(a) for a in acronyms)
        spelled: dict[str, set[int]] = {}
        for k, m in enumerate(ms):
            words = _words(m.name)
            if m.kind in ("acronym", "short", "maybe") or len(words) < 2 or m.type not in ("PER", "ORG"):
                continue
            if len(words) > 2 * longest or not any(fold_name(w)[:1].upper() in firsts for w in words[:2]):
                continue  # no acronym of the document can spell this name
            root = self.find(k)
            for letters in {initials(list(words), frozenset()), initials(list(words))}:
                if len(letters) >= 2:
                    spelled.setdefault(letters, set()).add(root)
        for k, m in enumerate(ms):
            if m.kind != "acronym" or m.known:
                continue
            roots = spelled.get(fold_name(m.name).upper().replace(".", ""), set())
            if len(roots) == 1:
                (root,) = roots
                if self.find(k) != root:
                    self.union(root, k)
                    m.type = ms[root].type
                    m.weak = False

    # --- places -------------------------------------------------------------------------------------------

    def link_places(self) -> None:
        by_key: dict[str, int] = {}
        for k, m in enumerate(self.ms):
            if m.type in ("GPE", "LOC") and m.known:
                key = f"{m.known}|{m.country_code}"
                if key in by_key:
                    self.union(by_key[key], k)
                else:
                    by_key[key] = k
        # a name that its context made a place ("le point de passage de Rafah", "près d'Avdiïvka") is that place
        # where nothing typed it ("la mission EUBAM Rafah"), not a person by default
        placed = {fold_name(m.name): k for k, m in enumerate(self.ms) if m.type == "LOC" and m.kind == "name" and not m.weak}
        if placed:
            for k, m in enumerate(self.ms):
                if m.kind in ("single", "maybe") and not m.type and fold_name(m.name) in placed:
                    self.union(placed[fold_name(m.name)], k)
                    m.type, m.kind, m.weak = "LOC", "name", False
        # a capital the article uses for its government elsewhere names it in its dateline too ("Pékin (CNN) —"
        # over an article about what Beijing says); "la réunion aura lieu à Moscou" stays the city
        governments = {self.find(k) for k, m in enumerate(self.ms) if m.kind == "capital" and m.type == "GPE"}
        if governments:
            for k, m in enumerate(self.ms):
                if m.kind == "capital" and m.type == "LOC" and self.find(k) in governments and self.ctx.dateline(self.meta[k]):
                    m.type = "GPE"


@lru_cache(maxsize=65536)
def _words(name: str) -> tuple[str, ...]:
    return tuple(w for w in name.split() if w != ".")
