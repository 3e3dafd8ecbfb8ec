"""Comparison keys for names: folding, transliteration, a phonetic key, acronyms, edit distance.

Two spellings of one name should get one key, so that variants meet in a dictionary instead of being compared
pairwise:

- `fold_name("Sergueï")` drops case and accents ("serguei"); look-alike letters of another script inside a
  word are folded by `storyline.textnorm.fold`.
- `translit("Юрий Ушаков")` writes Cyrillic in Latin letters ("Yuriy Ushakov").
- `phonetic("Iouri Ouchakov") == phonetic("Yuriy Ushakov") == "iuri ushakov"`: the spelling differences of
  the usual transliteration systems (French ou/ch/j/ï, German w/sch/j, English y/kh/zh) are folded away.
- `org_key` ("Conseil national de sécurité" and "Conseil de sécurité nationale" meet) and `initials`
  (for an acronym defined in parentheses) serve organisations.
- `edit_distance(a, b, limit)` is a bounded Damerau-Levenshtein distance for one-off typos ("Baiden").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..textnorm import fold

__all__ = [
    "deletions",
    "edit_distance",
    "fold_name",
    "initials",
    "is_latin",
    "org_key",
    "phonetic",
    "spells",
    "translit",
]

# Russian, Ukrainian and Belarusian Cyrillic to Latin (a simple, readable system close to English usage).
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}
_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")


@lru_cache(maxsize=65536)
def translit(text: str) -> str:
    """Cyrillic letters written in Latin ones, keeping capitals; other characters unchanged."""
    if not _CYRILLIC_RE.search(text):
        return text
    out = []
    for ch in text:
        low = ch.lower()
        rep = _CYRILLIC.get(low)
        if rep is None:
            out.append(ch)
        elif ch != low and rep:
            out.append(rep[0].upper() + rep[1:])
        else:
            out.append(rep)
    return "".join(out)


def is_latin(text: str) -> bool:
    """True when every letter of `text` is a Latin letter (accented or not)."""
    if text.isascii():
        return True
    for ch in text:
        if ord(ch) > 0x24F and ch.isalpha() and not (0x1E00 <= ord(ch) <= 0x1EFF):
            return False
    return True


@lru_cache(maxsize=131072)
def fold_name(text: str) -> str:
    """Lower case, no accents, Latin letters, apostrophes and dashes unified, one space between words."""
    return fold(translit(text))


# Ordered rewrites of the phonetic key. Each maps spellings that transliteration systems use for one sound
# to a single spelling. The order matters: longer patterns first.
_PHONETIC_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"[^a-z ]", ""),  # punctuation, digits, apostrophes, hyphens
        (r"shch|chtch|chch", "shsh"),
        (r"tsch|tch", "ch"),  # Gorbatchev, Gorbatschow
        (r"sch", "sh"),  # Uschakow
        (r"ch", "sh"),  # Ouchakov / Ushakov (French ch = English sh)
        (r"zh", "j"),  # Prigozhin / Prigojine
        (r"kh", "h"),
        (r"ph", "f"),
        (r"th", "t"),  # Anthony / Antony, Al-Thani / Al Tani: an h after t is silent in transliterations
        (r"(?<=[aeiou])h\b", ""),  # a final h after a vowel (al-Hayyah / al-Hayya, Abdallah / Abdalla)
        (r"ck", "k"),
        (r"qu", "k"),
        (r"x", "ks"),
        (r"w", "v"),  # Wladimir / Vladimir, Lawrow / Lavrov
        (r"z", "s"),  # Selenskyj / Zelensky
        (r"gu(?=[eiy])", "g"),  # Sergueï / Sergey
        (r"iou", "iu"),  # Iouri / Yuri
        (r"ou", "u"),  # Poutine, Ouchakov
        (r"[yj]", "i"),  # Yuriy, Dmitry, Selenskyj
        (r"ee", "i"),
        (r"ie\b", "i"),
        (r"(?<=[^aeiou ])e\b", ""),  # a final silent e after a consonant (Poutine / Putin)
        (r"(?<=[oe])f+\b", "v"),  # the Russian ending -ov/-ev written -of, -off (Lavrof, Smirnoff / Smirnov)
        # Ukrainian and Russian forms of one place or name: h between vowels for g (Chernihiv / Chernigov), a
        # final -iv for -ov (Kharkiv / Kharkov, Lviv / Lvov)
        (r"(?<=[aeiou])h(?=[aeiou])", "g"),
        (r"(?<=[^aeiou ])iv\b", "ov"),
        (r"(.)\1+", r"\1"),  # doubled letters (Zelenskyy, Yuriy -> iuri)
    )
)


@lru_cache(maxsize=131072)
def phonetic(text: str) -> str:
    """A spelling-insensitive key of a name: one key for its usual transliterations."""
    key = fold_name(text)
    for pattern, rep in _PHONETIC_RULES:
        key = pattern.sub(rep, key)
    return " ".join(key.split())


@lru_cache(maxsize=1)
def _org_key_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """Function words an organisation key skips and the agreement endings it strips ("national" / "nationale"),
    from the language tables (`org_key_stopwords`, `agreement_suffixes`): their union, since one organisation
    gets one key whatever the language of the text."""
    from .resources import _read_table, available_languages

    stop: set[str] = set()
    suffixes: set[str] = set()
    for code in available_languages():
        table = _read_table(code)
        stop.update(fold_name(w).strip("'") for w in table.get("org_key_stopwords", []))
        suffixes.update(fold_name(w) for w in table.get("agreement_suffixes", []))
    return frozenset(stop), tuple(sorted(suffixes, key=lambda x: (-len(x), x)))


@lru_cache(maxsize=65536)
def org_key(text: str) -> str:
    """An order-free key of an organisation name: its content words, lightly stemmed, sorted.

    "Conseil de sécurité nationale" and "Conseil national de sécurité" get the same key; so do singular and
    plural, masculine and feminine forms of one adjective."""
    stop, _ = _org_key_words()
    words = re.findall(r"[a-z0-9]+", fold_name(text))
    stems = sorted({_stem(w) for w in words if w not in stop})
    return " ".join(stems)


def _stem(word: str) -> str:
    for suffix in _org_key_words()[1]:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def initials(words: list[str], skip: frozenset[str] | None = None) -> str:
    """Upper-case initials of the content words ("Organisation pour la sécurité et la coopération en Europe"
    gives "OSCE"); `skip` replaces the function words of the language tables."""
    if skip is None:
        skip = _org_key_words()[0]
    out = []
    for w in words:
        f = fold_name(w)
        if not f or f.strip("'") in skip:
            continue
        for part in re.split(r"[-\s]+", f):
            if part:
                out.append(part[0])
    return "".join(out).upper()


def spells(acronym: str, letters: str) -> bool:
    """An acronym made of a name's initials: all of them, or for a longer name some of them from its first to its
    last ("Haut-Commissariat des Nations unies pour les réfugiés (HCR)")."""
    if acronym == letters:
        return True
    if len(acronym) < 3 or len(acronym) >= len(letters) or acronym[0] != letters[0] or acronym[-1] != letters[-1]:
        return False
    rest = iter(letters)
    return all(ch in rest for ch in acronym)


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one), or `limit + 1` as soon as it exceeds
    `limit`."""
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    if limit == 1:  # the common question ("one edit apart?") in linear time
        return 1 if _one_edit(a, b) else 2
    prev2: list[int] | None = None
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        best = cur[0]
        ca = a[i - 1]
        for j in range(1, lb + 1):
            cost = 0 if ca == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            if v < best:
                best = v
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[lb] if prev[lb] <= limit else limit + 1


def _one_edit(a: str, b: str) -> bool:
    """True when two different strings are one substitution, insertion, deletion or adjacent swap apart."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    n = len(a)
    while i < n and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    if a[i + 1 :] == b[i + 1 :]:
        return True
    return i + 1 < n and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]


def deletions(key: str, max_edits: int = 1) -> set[str]:
    """Every string obtained from `key` by deleting up to `max_edits` characters (the key itself included):
    two keys within edit distance `max_edits` share at least one of them (symmetric-delete blocking)."""
    out = {key}
    frontier = {key}
    for _ in range(max_edits):
        nxt = set()
        for k in frontier:
            for i in range(len(k)):
                nxt.add(k[:i] + k[i + 1 :])
        out |= nxt
        frontier = nxt
    return out
