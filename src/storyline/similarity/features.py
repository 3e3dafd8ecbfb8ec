"""Article signatures and the pairwise features compared between them.

`signature(text, lang)` reads an article once and keeps what a comparison needs, compactly (JSON-able via
`Signature.to_dict`, so the clustering can store it):

- `words`: TF-IDF weights of the article's words (L2-normalised). Words come from `wordfreq.tokenize` (Unicode
  word segmentation; Chinese through wordfreq's own jieba dictionary); a word's IDF is read off its frequency
  in the language (`8 - zipf`), so no corpus is needed and "the"/"der"/"的" weigh almost nothing.
- `grams`: character 3-5-grams of those words (1-2-grams for Chinese/Japanese/Korean), weighted by their
  word's IDF, hashed to stable integers (CRC-32): robust to inflection ("Deutschlands"/"Deutschland"), and
  shared by cognates across languages ("coronavirus"/"coronavirusu"/"Coronavirus").
- `title` / `lead`: character n-grams of the first `TITLE_TOKENS` words (the title, or what stands for it) and
  words and n-grams of the first `LEAD_TOKENS` words (title and lead), which say what the article is about;
  comparing them apart keeps shared boilerplate (cookie notices, subscription prompts) from passing as a
  shared story.
- `keywords`: the article's `KEYWORDS` heaviest words; the share of them the other article also has, exactly
  or as a near spelling (character-trigram Dice >= 0.5: "Parlament"/"parliament", "Kalbitz"/"Kalbitza"),
  is the single best feature across languages.
- `entities`: names, i.e. capitalised words that are not ordinary words capitalised by position, keyed by a
  folded and romanised form ("Pelosi", "Пелоси" -> "pelosi"), weighted by rarity; `names` keeps a surface form.
- `countries` / `places`: places resolved through the shipped gazetteer (CLDR country names in ~30 languages,
  cities of 1M+ and capitals in many scripts): "Allemagne", "Germany", "Deutschland", "德国" -> `DE`; a city
  counts for its country too.
- `numbers`: significant digits of numbers ("750.000" and "750" -> "75"); years and times go elsewhere.
- `dates`: years (`y2020`), days of a month (`d04-24` from "24 April", "24. April", "24 kwietnia",
  "April 24", "24/04/2020", "2020-04-24", "4月24日"), weekdays (`w4`).
- `domains`: web domains of URLs in the text or of the article's own URL, and the outlet when known.

`pair_features(a, b)` turns two signatures into the features the model weighs (all in [0, 1]), and
`shared_evidence(a, b)` names what the two have in common.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .text import CJK, fold, is_cjk, translit_key

__all__ = ["Signature", "signature", "pair_features", "shared_evidence", "FEATURES", "detect_language"]

TITLE_TOKENS = 15
LEAD_TOKENS = 100
KEYWORDS = 25
EXACT_KEYWORDS = 10  # the exact-match share reads the heaviest 10, the fuzzy share all 25
FUZZY_MATCH = 0.5  # character-trigram Dice above which two keywords are taken for the same word
MAX_ENTITIES = 60
GRAM_BITS = 24  # n-gram hash space: 16M buckets, collisions negligible for article-sized vectors
MAX_IDF = 8.0
_GAZETTEER = Path(__file__).with_name("gazetteer.json")

# Base features, in the order the model reads them.
FEATURES = (
    "words",  # cosine of word TF-IDF
    "grams",  # cosine of character n-gram TF-IDF
    "lead",  # cosine of the lead's words
    "lead_grams",  # cosine of the lead's n-grams
    "title",  # cosine of the titles' n-grams
    "title_lead",  # each title against the other's lead (mean of both ways)
    "body_excess",  # max(0, grams - lead_grams): bodies alike beyond their leads (shared boilerplate)
    "keywords_min",  # share of the 10 main keywords found exactly in the other article (lower of both ways)
    "keywords_max",  # ... the higher of both ways
    "fuzzy_min",  # share of keywords found exactly or as a near spelling (lower of both ways)
    "fuzzy_max",  # ... the higher of both ways
    "entities",  # shared entity weight over the smaller side's
    "entities_shared",  # number of shared entities (log-scaled, 20+ = 1)
    "entity_grams",  # cosine of the entity names' n-grams (near spellings across languages)
    "top_entities",  # share of each side's 3 main entities found in the other
    "countries",  # weighted Jaccard of countries (mentions, cities resolved to their country)
    "top_country",  # the most mentioned country is the same
    "places",  # Jaccard of cities
    "numbers",  # shared numbers over the smaller side's
    "years",  # Jaccard of years
    "days",  # Jaccard of days of the year
    "weekdays",  # Jaccard of weekdays
    "domains",  # a web domain or outlet in common
    "cross_lingual",  # the two languages differ
    "length_min",  # log of the shorter article's length in words, / 10
    "length_ratio",  # |log of the length ratio|, / 5
)


@dataclass(slots=True)
class Signature:
    """What one article contributes to comparisons (see the module docstring)."""

    lang: str | None
    words: dict[str, float]
    grams: dict[int, float]
    title_words: dict[str, float]
    title: dict[int, float]
    lead: dict[str, float]
    lead_grams: dict[int, float]
    keywords: list[str]
    entities: dict[str, float]
    names: dict[str, str]
    countries: dict[str, int]
    places: dict[str, int]
    numbers: dict[str, float]
    dates: frozenset[str]
    domains: frozenset[str]
    length: int
    embedding: list[float] | None = field(default=None)
    _trigrams: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)

    def trigram_index(self) -> dict[str, list[str]]:
        """Character trigram -> the article's words that have it (built on first use, not stored)."""
        if self._trigrams is None:
            index: dict[str, list[str]] = {}
            for word in self.words:
                for g in _trigrams(word):
                    index.setdefault(g, []).append(word)
            self._trigrams = index
        return self._trigrams

    def to_dict(self, digits: int = 5) -> dict[str, Any]:
        """A JSON-able form (~10-20 kB for a news article). The n-gram vectors are not stored: they follow from
        the word weights (`from_dict` rebuilds them)."""

        def r(d: dict) -> dict:
            return {k: round(v, digits) for k, v in d.items()}

        return {
            "lang": self.lang,
            "words": r(self.words),
            "title_words": r(self.title_words),
            "lead": r(self.lead),
            "keywords": self.keywords,
            "entities": r(self.entities),
            "names": self.names,
            "countries": self.countries,
            "places": self.places,
            "numbers": self.numbers,
            "dates": sorted(self.dates),
            "domains": sorted(self.domains),
            "length": self.length,
            "embedding": None if self.embedding is None else [round(v, 6) for v in self.embedding],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Signature:
        words, title_words, lead = dict(d["words"]), dict(d["title_words"]), dict(d["lead"])
        return cls(
            lang=d.get("lang"),
            words=words,
            grams=_grams_from_words(words),
            title_words=title_words,
            title=_grams_from_words(title_words),
            lead=lead,
            lead_grams=_grams_from_words(lead),
            keywords=list(d["keywords"]),
            entities=dict(d["entities"]),
            names=dict(d["names"]),
            countries=dict(d["countries"]),
            places=dict(d["places"]),
            numbers=dict(d["numbers"]),
            dates=frozenset(d["dates"]),
            domains=frozenset(d["domains"]),
            length=int(d["length"]),
            embedding=d.get("embedding"),
        )


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, Any]:
    data = json.loads(_GAZETTEER.read_text("utf-8"))
    cjk = sorted((k for k in (*data["countries"], *data["cities"]) if is_cjk(k)), key=lambda k: (-len(k), k))
    data["cjk_places"] = re.compile("|".join(map(re.escape, cjk))) if cjk else None
    # first word of every multi-word name -> the most words a name starting with it has
    first: dict[str, int] = {}
    for key in (*data["countries"], *data["cities"]):
        words = key.split(" ")
        if len(words) > 1:
            first[words[0]] = max(first.get(words[0], 0), len(words))
    data["first_words"] = first
    # inflected forms: a one-word name of 5+ letters without its last letter ("германи" for "Германия", so that
    # "Германии" matches by dropping its own last letter), unless that is a name already
    stems: dict[str, tuple[str, Any]] = {}
    for kind in ("countries", "cities"):
        for key, value in data[kind].items():
            if " " in key or len(key) < 5 or is_cjk(key) or re.match("[\u0600-\u06ff]", key):
                continue
            stem = key[:-1]
            if stem not in data["countries"] and stem not in data["cities"]:
                stems.setdefault(stem, (kind, value))
    data["stems"] = stems
    return data


def _wordfreq():
    try:
        import wordfreq
    except ImportError as exc:  # pragma: no cover - exercised only without the dependency
        raise ImportError(
            "storyline's article similarity needs the `wordfreq` package (word frequencies in 40 languages, used "
            "as IDF): pip install wordfreq jieba"
        ) from exc
    return wordfreq


_WF_LANGS: frozenset[str] | None = None


def _wf_lang(lang: str | None) -> str:
    """The wordfreq language to use for `lang` (English frequencies when wordfreq does not know it)."""
    global _WF_LANGS
    if _WF_LANGS is None:
        _WF_LANGS = frozenset(_wordfreq().available_languages())
    if lang:
        base = lang.lower().replace("_", "-").split("-")[0]
        if base in _WF_LANGS:
            return base
    return "en"


@lru_cache(maxsize=64)
def _frequencies(lang: str) -> dict[str, float]:
    return _wordfreq().get_frequency_dict(lang)


_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=200_000)
def _zipf(word: str, lang: str) -> float:
    """Zipf frequency of a word (log10 per billion words). Words straight from `wordfreq.tokenize` are looked
    up directly (wordfreq's own lookup re-tokenizes every word, ten times slower); numbers go through
    wordfreq, which buckets digits."""
    if _DIGIT.search(word):
        return _wordfreq().zipf_frequency(word, lang)
    freq = _frequencies(lang).get(word.casefold())
    return round(math.log10(freq) + 9.0, 2) if freq else 0.0


@lru_cache(maxsize=200_000)
def _idf(word: str, lang: str) -> float:
    """Rarity of a word in its language: 8 - Zipf frequency, so "the" ~ 0.3 and an unseen name 8."""
    return max(0.05, MAX_IDF - _zipf(word, lang))


_GLUED = re.compile(r"(?<=[^\W\d_]{2})([.!?;:,])(?=[^\W\d_])")


def _tokenize(text: str, lang: str) -> list[str]:
    text = _GLUED.sub(r"\1 ", text)  # "erklärt.Andreas" (sentences glued by extraction) -> two words
    wf = _wordfreq()
    try:
        return wf.tokenize(text, lang)
    except Exception:  # noqa: BLE001 - e.g. a CJK tokenizer missing: fall back to plain Unicode words
        return wf.tokenize(text, "en")


_DETECTOR = None


def detect_language(text: str) -> str | None:
    """A language code for `text`: the script alone when it decides (Chinese, Japanese, Korean, Arabic, Hebrew,
    Greek), otherwise lingua over the languages wordfreq knows."""
    sample = text[:2000]
    if re.search("[\u3040-\u30ff]", sample):
        return "ja"
    if re.search("[\uac00-\ud7af]", sample):
        return "ko"
    if re.search("[\u4e00-\u9fff]", sample):
        return "zh"
    if re.search("[\u0600-\u06ff]", sample):
        return "ar"
    global _DETECTOR
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ImportError:  # pragma: no cover
        return None
    if _DETECTOR is None:
        codes = []
        for code in sorted(_wordfreq().available_languages()):
            iso = getattr(IsoCode639_1, code.upper(), None)
            if iso is not None:
                codes.append(iso)
        _DETECTOR = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()
    found = _DETECTOR.detect_language_of(sample) if sample.strip() else None
    return found.iso_code_639_1.name.lower() if found else None


# --------------------------------------------------------------------------------------------- vectors


def _hash(gram: str) -> int:
    return zlib.crc32(gram.encode("utf-8")) & ((1 << GRAM_BITS) - 1)


def _normalise(vec: dict) -> dict:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def _grams_of(token: str) -> list[str]:
    if is_cjk(token):
        return [*token, *(token[i : i + 2] for i in range(len(token) - 1))]
    padded = f"<{token}>"
    n = len(padded)
    return [padded[i : i + k] for k in (3, 4, 5) for i in range(n - k + 1)] if n > 3 else [padded]


@lru_cache(maxsize=200_000)
def _gram_hashes(token: str) -> tuple[int, ...]:
    return tuple(_hash(g) for g in _grams_of(token))


def _grams_from_words(words: dict[str, float]) -> dict[int, float]:
    """The character n-gram vector of a word vector: each word's weight goes to each of its n-grams."""
    grams: dict[int, float] = {}
    for tok, w in words.items():
        for h in _gram_hashes(tok):
            grams[h] = grams.get(h, 0.0) + w
    return _normalise(grams)


def _vectors(tokens: list[str], lang: str) -> tuple[dict[str, float], dict[int, float]]:
    """Word TF-IDF (sublinear TF, IDF from word frequency) and its character n-gram vector, both unit length."""
    counts = Counter(tokens)
    words = _normalise({tok: (1.0 + math.log(tf)) * _idf(tok, lang) for tok, tf in counts.items()})
    return words, _grams_from_words(words)


def cosine(a: dict, b: dict) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


@lru_cache(maxsize=100_000)
def _trigrams(word: str) -> frozenset[str]:
    padded = f"<{word}>"
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def _keyword_share(keywords: list[str], other: Signature) -> tuple[float, float]:
    """Share of the first `EXACT_KEYWORDS` keywords the other article has exactly, and share of all `keywords`
    it has exactly or as a near spelling."""
    if not keywords:
        return 0.0, 0.0
    index = other.trigram_index()
    head = keywords[:EXACT_KEYWORDS]
    exact = sum(1 for word in head if word in other.words)
    fuzzy = 0
    for word in keywords:
        if word in other.words:
            fuzzy += 1
            continue
        grams = _trigrams(word)
        counts: Counter[str] = Counter(w for g in grams for w in index.get(g, ()))
        best = max((2 * c / (len(grams) + len(_trigrams(w))) for w, c in counts.items()), default=0.0)
        fuzzy += best >= FUZZY_MATCH
    return exact / len(head), fuzzy / len(keywords)


# --------------------------------------------------------------------------------------------- entities

_WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*")
_CONNECTORS = frozenset("de del della di da do dos das du des la le van von der den al el bin ibn y e".split())
_SENTENCE_END = re.compile(r"(?:^|[.!?…:;«»\"“”„()\[\]|–—-])\s*$")


_LATIN_LANGS = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr", "sv")
_CYRILLIC_LANGS = ("ru", "uk", "bg", "mk")


@lru_cache(maxsize=200_000)
def _ordinary_word(low: str, lang: str) -> bool:
    """True for a word that is ordinary vocabulary of `lang` rather than a name: very frequent, or frequent in
    `lang` and much rarer in the other languages of its script ("Entscheidung", "Against" are; "Merkel",
    "Trump", "Brandenburg", which every language writes, are not)."""
    own = _zipf(low, lang)
    if own >= 5.5:
        return True
    if own < 3.5:
        return False
    if re.match(r"[\u0400-\u04ff]", low):
        others = _CYRILLIC_LANGS
    elif re.match(r"[a-zà-ɏ]", low):
        others = _LATIN_LANGS
    else:
        return False
    elsewhere = max((_zipf(low, o) for o in others if o != lang), default=0.0)
    return own - elsewhere >= 1.5


def _entity_words(text: str, lang: str) -> list[tuple[str, int, int]]:
    """Capitalised words that look like names: (word, start, end). Hyphenated words count part by part. A
    word is dropped when the text uses it in lower case at least as often (an ordinary word in a title or after
    a full stop), when it starts a sentence and is very frequent in the language, or when it is ordinary vocabulary
    of the language (see `_ordinary_word`)."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    found: list[tuple[str, int, int, bool]] = []
    for m in _WORD.finditer(text):
        offset = m.start()
        for part in m.group().split("-"):
            start = offset
            offset += len(part) + 1
            if not part:
                continue
            if part[0].islower():
                lower[part.casefold()] += 1
                continue
            if not part[0].isupper():
                continue
            core = _strip_clitics(part)
            if len(core) < 2:
                continue
            initial = start == m.start() and bool(_SENTENCE_END.search(text[max(0, start - 4) : start]))
            if not initial:
                upper[core.casefold()] += 1
            found.append((core, start, start + len(part), initial))
    out = []
    for core, start, end, initial in found:
        low = core.casefold()
        if core.isupper():
            if len(core) <= 6 and _zipf(low, lang) < 4.0:
                out.append((core, start, end))  # acronyms (NATO, AFD), not shouted words (TO, THEIR)
            continue
        if lower[low] >= max(1, upper[low]):
            continue
        if _ordinary_word(low, lang) or (initial and _zipf(low, lang) >= 5.0 and not upper[low]):
            continue
        out.append((core, start, end))
    return out


def _strip_clitics(word: str) -> str:
    """"l'Allemagne" -> "Allemagne", "Trump's" -> "Trump", "Çin'de" -> "Çin"."""
    parts = re.split(r"['’]", word)
    if len(parts) == 1:
        return word
    if len(parts[0]) <= 2 and len(parts) > 1 and parts[1]:
        return parts[1]
    return parts[0]


def _entities(text: str, lang: str) -> tuple[dict[str, float], dict[str, str]]:
    words = _entity_words(text, lang)
    weights: Counter[str] = Counter()
    names: dict[str, str] = {}
    # single words
    for word, _, _ in words:
        key = translit_key(word)
        if len(key) < 2:
            continue
        weights[key] += 1
        names.setdefault(key, word)
    # multi-word names: consecutive capitalised words (possibly joined by a connector such as "de", "von")
    i = 0
    while i < len(words):
        j = i
        while j + 1 < len(words):
            gap = text[words[j][2] : words[j + 1][1]]
            if gap == " " or (gap.strip().casefold() in _CONNECTORS and len(gap) <= 6 and gap.count(" ") == 2):
                j += 1
            else:
                break
        if 0 < j - i < 4:  # longer runs are title case or shouting, not one name
            surface = text[words[i][1] : words[j][2]]
            key = " ".join(translit_key(w) for w, _, _ in words[i : j + 1])
            weights[key] += 1
            names.setdefault(key, surface)
        i = j + 1
    scored = {}
    for key, tf in weights.items():
        parts = key.split(" ")
        rarity = max(_idf(p, lang) for p in parts) + (1.0 if len(parts) > 1 else 0.0)
        scored[key] = (1.0 + math.log(tf)) * rarity
    top = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_ENTITIES]
    return dict(top), {k: names[k] for k, _ in top}


# --------------------------------------------------------------------------------------------- places

_AR_PREFIXES = ("وال", "بال", "لل", "فال", "كال", "ال", "و", "ب", "ل", "ف", "ك")
_PLACE_TOKEN = re.compile(r"[^\W\d_][\w'’.]*(?:-[^\W\d_][\w'’]*)*")


def _place_candidates(token: str, lang: str) -> list[str]:
    key = fold(_strip_clitics(token))
    out = [key]
    if re.match("[\u0600-\u06ff]", key):
        out += [key[len(p) :] for p in _AR_PREFIXES if key.startswith(p) and len(key) - len(p) >= 3]
    elif len(key) >= 5:
        out += [key[:-1], key[:-2]]  # "Deutschlands", "России", "Niemiec" ... (inflected forms)
    return out


def _places(text: str, lang: str) -> tuple[dict[str, int], dict[str, int]]:
    gaz = _gazetteer()
    countries_map, cities_map = gaz["countries"], gaz["cities"]
    countries: Counter[str] = Counter()
    places: Counter[str] = Counter()

    stems = gaz["stems"]

    def found(key: str, inflected: bool = False) -> bool:
        if key in countries_map:
            countries[countries_map[key]] += 1
            return True
        if key in cities_map:
            gid, cc = cities_map[key]
            places[gid] += 1
            countries[cc] += 1
            return True
        if inflected and key in stems:
            kind, value = stems[key]
            if kind == "countries":
                countries[value] += 1
            else:
                places[value[0]] += 1
                countries[value[1]] += 1
            return True
        return False

    if is_cjk(text) and gaz["cjk_places"] is not None:
        for m in gaz["cjk_places"].finditer(text):
            found(m.group())
    tokens = [m for m in _PLACE_TOKEN.finditer(text)]
    cased = any(t.group()[0].isupper() for t in tokens[:200])
    first_words = gaz["first_words"]
    i = 0
    while i < len(tokens):
        tok = tokens[i].group()
        core = _strip_clitics(tok)  # "l'Allemagne", "Almanya'nın"
        if is_cjk(tok) or not core or (cased and not core[0].isupper()):
            i += 1
            continue
        matched = 0
        head = fold(tok).split(" ")[0]
        for n in range(min(first_words.get(head, 1), len(tokens) - i), 1, -1):
            span = text[tokens[i].start() : tokens[i + n - 1].end()]
            if len(span) <= 60 and "\n" not in span and found(fold(span)):
                matched = n
                break
        if not matched:
            for n, cand in enumerate(_place_candidates(tok, lang)):
                if found(cand, inflected=n > 0):
                    matched = 1
                    break
        i += max(1, matched)
    return dict(countries), dict(places)


# --------------------------------------------------------------------------------------------- numbers, dates

@lru_cache(maxsize=None)
def _month_first(code: str | None) -> bool:
    """Whether slashed numeric dates put the month first in this language (the table's first date order)."""
    from .. import lang as lang_tables

    t = lang_tables.table(code) if code else None
    orders = (t or {}).get("date_format", {}).get("orders") or ["dmy"]
    return orders[0] == "mdy"


_TIME = re.compile(r"\b\d{1,2}[:h]\d{2}\b")
_ISO_DATE = re.compile(r"\b((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_NUM_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})(?:[./]((?:19|20)?\d{2}))?\b")
_CJK_DATE = re.compile(r"(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?")
_NUMBER = re.compile(r"\d+(?:[.,'’  ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:\.|º|°|er|st|nd|rd|th)?\s+(?:de\s+|of\s+)?([^\W\d_]{3,}\.?)", re.U)
_MONTH_DAY = re.compile(r"\b([^\W\d_]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?![.,]?\d)", re.U)
_WORD_PLAIN = re.compile(r"[^\W\d_]{3,}")


def _numbers_dates(text: str, lang: str) -> tuple[dict[str, float], set[str]]:
    gaz = _gazetteer()
    months, weekdays = gaz["months"], gaz["weekdays"]
    dates: set[str] = set()
    numbers: Counter[str] = Counter()
    clean = _TIME.sub(" ", text)

    def day(month: int, d: int) -> None:
        if 1 <= month <= 12 and 1 <= d <= 31:
            dates.add(f"d{month:02d}-{d:02d}")

    for m in _ISO_DATE.finditer(clean):
        dates.add("y" + m.group(1))
        day(int(m.group(2)), int(m.group(3)))
    clean = _ISO_DATE.sub(" ", clean)
    for m in _NUM_DATE.finditer(clean):
        a, b = int(m.group(1)), int(m.group(2))
        if m.group(3) is None and "." not in m.group(0) and "/" not in m.group(0):
            continue
        if m.group(3) is None and not (1 <= b <= 12 or 1 <= a <= 12):
            continue
        if _month_first(lang) and a <= 12 and "/" in m.group(0):
            a, b = b, a
        if m.group(3) is not None or ("/" in m.group(0)):
            day(b, a)
            if m.group(3) and len(m.group(3)) == 4:
                dates.add("y" + m.group(3))
    for m in _CJK_DATE.finditer(clean):
        if m.group(1):
            dates.add("y" + m.group(1))
        if m.group(3):
            day(int(m.group(2)), int(m.group(3)))
    for m in _DAY_MONTH.finditer(clean):
        month = months.get(fold(m.group(2)))
        if month:
            day(month, int(m.group(1)))
    for m in _MONTH_DAY.finditer(clean):
        month = months.get(fold(m.group(1)))
        if month:
            day(month, int(m.group(2)))
    for m in _WORD_PLAIN.finditer(clean):
        wd = weekdays.get(fold(m.group()))
        if wd:
            dates.add(f"w{wd}")
    for m in _NUMBER.finditer(clean):
        raw = m.group()
        digits = re.sub(r"\D", "", raw)
        if _YEAR.match(raw):
            dates.add("y" + raw)
            continue
        key = digits.lstrip("0").rstrip("0")
        if len(key) < 2:
            continue
        numbers[key] += 1
    weighted = {k: min(len(k), 5) / 5.0 for k in numbers}
    return weighted, dates


# --------------------------------------------------------------------------------------------- domains

_URL = re.compile(r"(?:https?://|www\.)([\w.-]+\.[a-z]{2,})", re.I)


def _domain(host: str) -> str:
    parts = host.lower().strip(".").split(".")
    if parts and parts[0] == "www":
        parts = parts[1:]
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in {"co", "com", "org", "net", "gov", "ac"}:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


# --------------------------------------------------------------------------------------------- signature


def signature(text: str, lang: str | None = None, *, url: str | None = None, outlet: str | None = None) -> Signature:
    """Read an article once: everything `pair_features` compares (see the module docstring).

    `lang` is an ISO 639-1 code; when missing it is detected (script, then lingua). `url` and `outlet`, when
    known from the article's metadata, add to the domain evidence.
    """
    if lang is None:
        lang = detect_language(text)
    wl = _wf_lang(lang)
    tokens = _tokenize(text, wl)
    words, grams = _vectors(tokens, wl)
    title_words, title = _vectors(tokens[:TITLE_TOKENS], wl)
    lead, lead_grams = _vectors(tokens[:LEAD_TOKENS], wl)
    keywords = [w for w, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:KEYWORDS]]
    entities, names = _entities(text, wl)
    countries, places = _places(text, wl)
    numbers, dates = _numbers_dates(text, wl)
    domains = {_domain(m.group(1)) for m in _URL.finditer(text)}
    if url:
        m = _URL.search(url)
        if m:
            domains.add(_domain(m.group(1)))
    if outlet:
        domains.add("outlet:" + fold(outlet))
    return Signature(
        lang=lang,
        words=words,
        grams=grams,
        title_words=title_words,
        title=title,
        lead=lead,
        lead_grams=lead_grams,
        keywords=keywords,
        entities=entities,
        names=names,
        countries=countries,
        places=places,
        numbers=numbers,
        dates=frozenset(dates),
        domains=frozenset(domains),
        length=len(tokens),
    )


# --------------------------------------------------------------------------------------------- pairs


def _weighted_jaccard(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    keys = a.keys() | b.keys()
    num = sum(min(a.get(k, 0.0), b.get(k, 0.0)) for k in keys)
    den = sum(max(a.get(k, 0.0), b.get(k, 0.0)) for k in keys)
    return num / den if den else 0.0


def _overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Shared weight over the smaller side's weight: 1 when one article's items are all in the other."""
    if not a or not b:
        return 0.0
    shared = a.keys() & b.keys()
    num = sum(min(a[k], b[k]) for k in shared)
    return num / min(sum(a.values()), sum(b.values()))


def _set_jaccard(a, b) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a and b else 0.0


def _top(counter: dict[str, int]) -> str | None:
    return max(counter.items(), key=lambda kv: (kv[1], kv[0]))[0] if counter else None


def _entity_grams(s: Signature) -> dict[int, float]:
    out: dict[int, float] = {}
    for key, w in s.entities.items():
        if " " in key:
            continue
        for g in _grams_of(key):
            h = _hash(g)
            out[h] = out.get(h, 0.0) + w
    return _normalise(out)


def _top_entities(a: Signature, b: Signature, k: int = 3) -> float:
    def share(x: Signature, y: Signature) -> float:
        top = sorted(x.entities, key=lambda e: (-x.entities[e], e))[:k]
        return sum(1 for e in top if e in y.entities) / len(top) if top else 0.0

    return (share(a, b) + share(b, a)) / 2


def pair_features(a: Signature, b: Signature) -> dict[str, float]:
    """The comparison of two signatures, one value per name in `FEATURES`."""
    ta, tb = _top(a.countries), _top(b.countries)
    la, lb = max(a.length, 1), max(b.length, 1)
    kw_a, fz_a = _keyword_share(a.keywords, b)
    kw_b, fz_b = _keyword_share(b.keywords, a)

    def dates(kind: str, s: Signature) -> set[str]:
        return {d for d in s.dates if d[0] == kind}

    grams = cosine(a.grams, b.grams)
    lead_grams = cosine(a.lead_grams, b.lead_grams)
    return {
        "words": cosine(a.words, b.words),
        "grams": grams,
        "lead": cosine(a.lead, b.lead),
        "lead_grams": lead_grams,
        "title": cosine(a.title, b.title),
        "title_lead": (cosine(a.title, b.lead_grams) + cosine(b.title, a.lead_grams)) / 2,
        "body_excess": max(0.0, grams - lead_grams),
        "keywords_min": min(kw_a, kw_b),
        "keywords_max": max(kw_a, kw_b),
        "fuzzy_min": min(fz_a, fz_b),
        "fuzzy_max": max(fz_a, fz_b),
        "entities": _overlap(a.entities, b.entities),
        "entities_shared": min(1.0, math.log1p(len(a.entities.keys() & b.entities.keys())) / math.log(21)),
        "entity_grams": cosine(_entity_grams(a), _entity_grams(b)),
        "top_entities": _top_entities(a, b),
        "countries": _weighted_jaccard(
            {k: math.log1p(v) for k, v in a.countries.items()}, {k: math.log1p(v) for k, v in b.countries.items()}
        ),
        "top_country": 1.0 if ta is not None and ta == tb else 0.0,
        "places": _set_jaccard(a.places, b.places),
        "numbers": _overlap(a.numbers, b.numbers),
        "years": _set_jaccard(dates("y", a), dates("y", b)),
        "days": _set_jaccard(dates("d", a), dates("d", b)),
        "weekdays": _set_jaccard(dates("w", a), dates("w", b)),
        "domains": 1.0 if a.domains & b.domains else 0.0,
        "cross_lingual": 0.0 if (a.lang or "").split("-")[0] == (b.lang or "").split("-")[0] else 1.0,
        "length_min": min(1.0, math.log(min(la, lb)) / 10.0),
        "length_ratio": min(1.0, abs(math.log(la / lb)) / 5.0),
        **({"embedding": min(1.0, max(0.0, sum(u * v for u, v in zip(a.embedding, b.embedding))))}
           if a.embedding is not None and b.embedding is not None else {}),
    }


def shared_evidence(a: Signature, b: Signature, limit: int = 12) -> dict[str, list[str]]:
    """What two articles have in common, most telling first: entity names (as written in the first article),
    countries (ISO codes), dates and numbers."""
    shared = sorted(a.entities.keys() & b.entities.keys(), key=lambda k: (-(a.entities[k] + b.entities[k]), k))
    # a multi-word name covers its single words ("Nancy Pelosi" rather than "Nancy", "Pelosi", "Nancy Pelosi")
    multi = [k for k in shared if " " in k]
    covered = {p for k in multi for p in k.split(" ")}
    names = [a.names.get(k, k) for k in shared if k not in covered][:limit]
    countries = sorted(a.countries.keys() & b.countries.keys(), key=lambda c: (-(a.countries[c] + b.countries[c]), c))
    return {
        "entities": names,
        "countries": countries[:limit],
        "dates": sorted(a.dates & b.dates)[:limit],
        "numbers": sorted(a.numbers.keys() & b.numbers.keys(), key=lambda k: (-len(k), k))[:limit],
    }


__all__ += ["cosine", "CJK"]
