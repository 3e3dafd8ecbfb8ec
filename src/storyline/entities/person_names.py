"""What a person's name says about its parts, for matching one person across documents: the surname key and
the first-name keys.

- The first name is the first word; middle names count too ("Recep Tayyip Erdogan" is also "Tayyip
  Erdogan"), but not the particles and linking words of a name, nor the father's name after a linking word
  ("Hamad" in "Tamim bin Hamad Al Thani" is his father, another person).
- A two-word name whose first word is the surname the text also uses alone, and whose second word is a given
  name (and the first is none), is written family name first: "Zelenskiy Vladimir" next to "Zelenskyy".
- A surname written with Turkish letters also gets the key of its French or English transliteration
  ("Çavuşoğlu": "Tchavouchoglou"; "Cavusoglu", the letters without their marks, keeps the plain key).
- One given name in related languages or transliterations ("Vladimir" / "Volodymyr", "Dmitri" / "Dmytro") gets
  one key, from the shared table's `given_name_variants`, so a Russian and a Ukrainian spelling of one person
  meet.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import lru_cache

from .keys import fold_name, phonetic
from .resources import available_languages, cues, given_names

__all__ = ["first_key", "name_parts", "surname", "surname_variants"]


@lru_cache(maxsize=1)
def _linkers() -> frozenset[str]:
    """Linking particles of every language's table ("al", "el", "ben"): an article or filiation word, not a
    surname."""
    return frozenset().union(*(cues(code).name_linkers for code in available_languages()))


@lru_cache(maxsize=1)
def _particles() -> frozenset[str]:
    """Name particles of every language's table ("de", "von", "van", "bin"): no first name."""
    return _linkers().union(*(cues(code).particles for code in available_languages()))


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    """Phonetic key of a given name -> the key of the first spelling of its group."""
    from .. import lang

    out: dict[str, str] = {}
    for group in lang.shared("common").get("given_name_variants", []):
        head = phonetic(group[0])
        for name in group:
            out.setdefault(phonetic(name), head)
    return out


def first_key(key: str) -> str:
    """A first name's phonetic key, the same for its variants in related languages."""
    return _variants().get(key, key)


def surname(words: list[str]) -> str:
    """The last word of a name, without a linking particle hyphenated to it: "Al-Thani" and "Al Thani",
    "Ben-Gvir" and "Ben Gvir" have one surname."""
    last = words[-1]
    head, sep, rest = last.partition("-")
    if sep and rest and fold_name(head) in _linkers():
        return rest
    return last


def _is_given(word: str) -> bool:
    return fold_name(word) in given_names()


def name_parts(words: list[str], singles: Collection[str], key: Callable[[str], str] = phonetic) -> tuple[str, list[str]]:
    """The surname key and the first-name keys of a name (`words`); `singles`: the keys of the one-word names
    the same entity goes by (a family-name-first order shows against them); `key`: the phonetic key (or a
    memo of it)."""
    if not words:
        return "", []
    if len(words) == 2 and key(words[0]) in singles and key(words[1]) not in singles and _is_given(words[1]) and not _is_given(words[0]):
        return key(words[0]), [first_key(key(words[1]))]
    sur = key(surname(words))
    if len(words) < 2:
        return sur, []
    firsts = [first_key(key(words[0]))]
    linkers, particles = _linkers(), _particles()
    for k in range(1, len(words) - 1):
        w = fold_name(words[k])
        if w in particles or w.partition("-")[0] in linkers or fold_name(words[k - 1]) in linkers:
            continue
        f = first_key(key(words[k]))
        if f and f not in firsts:
            firsts.append(f)
    return sur, firsts


# Turkish letters as French and English transliterations write them (c-cedilla and s-cedilla sound "ch" and
# "sh"; the soft g is kept as g in "Tchavouchoglou")
_TURKISH = str.maketrans({"ç": "ch", "Ç": "Ch", "ş": "sh", "Ş": "Sh", "ğ": "g", "ı": "i", "İ": "I"})


def surname_variants(words: list[str], key: Callable[[str], str] = phonetic) -> list[str]:
    """Further surname keys of a name: its transliteration when it is written with Turkish letters."""
    if not words:
        return []
    last = surname(words)
    spelled = last.translate(_TURKISH)
    if spelled == last:
        return []
    return [key(spelled)]
