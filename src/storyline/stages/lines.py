"""Lines of already-extracted text: their shape (`Line`, `split_lines`) and the boilerplate cues they carry
(`CueMatcher` over the language tables, `line_reason`). The boilerplate stage (`stages.boilerplate`) and the
headline search (`stages.title`) both read a text through these.

Cue kinds in the tables (`storyline.lang`, category "boilerplate"): whole-line words ("Réduire", "Previous",
"lecture # min" where # stands for any number),
line openings ("Lire aussi", "Article précédent"), openings that count on short lines only, line endings
("... / AFP"), phrases anywhere ("utilise des cookies", "©"), and weak phrases that only count in pairs or on
short lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lang
from ..textnorm import fold, trie_pattern
from .metadata import line_ranges
from .source import match_dateline, wire_credit_line

__all__ = ["Line", "split_lines", "CueMatcher", "cues", "line_reason", "BULLETS", "SENTENCE_INSIDE", "LIST_MARKS",
           "CLOCK_LINE"]

# Endings of a sentence: . ! ? … (and the full-width 。！？) possibly followed by closing quotes or brackets.
_TERMINAL = re.compile(r"[.!?;。！？](?:[\s\"'»”’)\]」』]*)$")
# Scripts written without spaces between words (Chinese characters, kana): two characters weigh a word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)[\s\"'»”’)\]]*$")
_CLOSING_QUOTE = re.compile(r"[»”\"]\s*$")
BULLETS = " \t•*·▪►▶-–—|>»"
_TWO_LETTERS = re.compile(r"[^\W\d_][^\n]*?[^\W\d_]")
_SENTENCES = re.compile(r"[^.!?]+[.!?]+")
# A sentence ending inside a line ("... a dit le ministre. Il a ajouté"), not an abbreviation ("U.S. to").
SENTENCE_INSIDE = re.compile(r"[^\W\d_]{2}[.!?]\s+[\"«“(]?[^\W\d_]")
_COUNTER = re.compile(r"^\d+\s+")
# A number inside a line cue is written "#": "lecture # min", "# messages • page # sur #".
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
LIST_MARKS = frozenset("•*·▪►▶-–—")
# A line that is only a time of day ("16h55", "09:12", "4:05 PM"): the time stamp of a live blog's entry.
CLOCK_LINE = re.compile(r"^\s*(?:[01]?\d|2[0-3])\s?[h:.]\s?[0-5]\d(?:\s?[ap]\.?m\.?)?\s*$", re.I)


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line: its offsets in the text, its text, a comparison key and its shape."""

    start: int
    end: int
    text: str
    key: str  # fold(text) without bullets
    words: int
    lettered: bool  # has two letters or more
    terminal: bool  # ends like a sentence
    ellipsis: bool  # ends with "..." (a truncated teaser or breadcrumb)

    @property
    def prose(self) -> bool:
        """Reads as running text: a sentence of six words or more, or a long line."""
        if self.words >= 25:
            return True
        if self.ellipsis:
            return False
        if self.terminal and self.words >= 6:
            return True
        return self.words >= 12 and bool(_CLOSING_QUOTE.search(self.text))

    @property
    def fragmentary(self) -> bool:
        """Three or more "sentences" of at most four words: an author blurb ("Fan de café. Expert en médias
        sociaux. Organisateur."), a list of tags, not a paragraph."""
        text = self.text
        if text.count(".") + text.count("!") + text.count("?") < 3:
            return False  # fewer than three sentence ends: not three sentences (and no regex run)
        parts = _SENTENCES.findall(text)
        return len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts)

    @property
    def short(self) -> bool:
        """Not running text and at most 20 words: a heading, a label, a link."""
        return self.words <= 20 and not self.prose


@lru_cache(maxsize=256)  # a batch of documents (api.BATCH_SIZE) goes through the title stage, then the body stage
def split_lines(text: str) -> tuple[Line, ...]:
    """The non-blank lines of a text (cached: the title and body stages read the same text in turn)."""
    out = []
    for s, e in line_ranges(text):
        t = text[s:e]
        key = fold(t).strip(BULLETS)
        words = len(key.split())
        if not key.isascii():
            words += len(_UNSPACED.findall(key)) // 2
        out.append(Line(
            start=s, end=e, text=t, key=key, words=words, lettered=bool(_TWO_LETTERS.search(t)),
            terminal=bool(_TERMINAL.search(t)), ellipsis=bool(_ELLIPSIS.search(t)),
        ))
    return tuple(out)


# --- cues ------------------------------------------------------------------------------------------------


class CueMatcher:
    """Boilerplate cues from the language tables, compiled once. `match(line)` gives a category or None."""

    def __init__(self, codes: tuple[str, ...] | None = None):
        entries: dict[str, dict[str, list[str]]] = {}
        sources = [t["boilerplate"] for t in lang.tables(codes)] + [lang.shared("common")["boilerplate"]]
        for table in sources:
            for category, kinds in table.items():
                for kind, words in kinds.items():
                    entries.setdefault(kind, {}).setdefault(category, []).extend(words)
        self.line: dict[str, str] = {}
        for category, words in entries.get("line", {}).items():
            for w in words:
                self.line.setdefault(_cue_key(w), category)
        self.prefix, self.prefix_of = _compile(entries.get("prefix", {}), anchored=True)
        self.prefix_short, self.prefix_short_of = _compile(entries.get("prefix_short", {}), anchored=True)
        # line endings ("... — Jean Dupont / AFP"): matched on the reversed end of the line, as openings are
        suffixes = {c: [fold(w)[::-1] for w in ws] for c, ws in entries.get("suffix", {}).items()}
        self.suffix, self.suffix_of = _compile(suffixes, anchored=True)
        self.suffix_chars = max((len(k) for k in self.suffix_of), default=0)
        self.contains_of = _cue_map(entries.get("contains", {}))
        self.weak_of = {k: c for k, c in _cue_map(entries.get("contains_weak", {})).items() if k not in self.contains_of}
        # strong and weak phrases in one scan of the line; a strong phrase also counts the weak ones inside it
        # ("utilise des cookies" holds "cookies"), which one scan cannot see apart
        self.anywhere, _ = _compile({"": list(self.contains_of) + list(self.weak_of)}, anchored=False)
        self.inner_weak = {c: sum(1 for w in self.weak_of if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", c))
                           for c in self.contains_of}
        # a caption signed at its end, "photographer / agency": "... ville. Photo CLA / Thomas Brégardis"
        signed = sorted({fold(w) for ws in entries.get("signed", {}).values() for w in ws})
        self.signed = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, signed))})\s+[^/.!?«»]{{1,40}}?\s/\s[^/.!?«»]{{2,40}}$"
                                 if signed else r"(?!)")
        bylines = {fold(p) for t in lang.tables(codes) for p in t.get("byline_prefixes", ())}
        self.byline = re.compile(rf"^(?:{trie_pattern(bylines)})\s+\S")

    def match(self, line: Line) -> str | None:
        key = line.key
        bare = _cue_key(key)
        if bare in self.line:
            return self.line[bare]
        if line.words <= 10 and _NUMBER.search(bare):  # numbers: "Lecture 4 min.", "3 messages • Page 1 sur 1"
            numbered = _NUMBER.sub("#", bare)
            if numbered in self.line:
                return self.line[numbered]
        if bare[:1].isdigit():  # a counter: "0", "12 commentaires"
            counted = _COUNTER.sub("", bare)
            if counted in self.line:
                return self.line[counted]
            m = self.prefix.match(counted)
            if m:
                return self.prefix_of[m.group()]
        m = self.prefix.match(key)
        if m:
            return self.prefix_of[m.group()]
        if 2 <= line.words <= 6:  # a row of buttons: "Share Tweet Submit", "Facebook Twitter E-mail"
            buttons = sum(1 for w in bare.split() if self.line.get(w.strip(",;|")) in _BUTTONS)
            if buttons >= 2 and 3 * buttons >= 2 * line.words:
                return "share"
        if line.words < 30 and self.suffix_chars:  # a caption's credit, not a paragraph's last words
            m = self.suffix.match(key[-self.suffix_chars:].rstrip(" .")[::-1])
            if m:
                return self.suffix_of[m.group()]
        if line.words < 30 and "/" in key and (self.signed.search(key) or _SLASHED_CREDIT.search(line.text)):
            return "credit"
        if line.short:
            m = self.prefix_short.match(key)
            if m:
                return self.prefix_short_of[m.group()]
        found = {m.group() for m in self.anywhere.finditer(key)}
        if not found:
            return None
        strong = {c for c in found if c in self.contains_of}
        if line.words < 30:  # a caption or a credit, not a paragraph that happens to name one
            for cue in strong:
                if self.contains_of[cue] in _DECISIVE:
                    return self.contains_of[cue]
        weak = found - strong
        score = len(strong) + 0.5 * (len(weak) + sum(self.inner_weak[c] for c in strong))
        if score >= (1.5 if line.prose else 1.0):
            first = min(strong | weak, key=key.find)
            return self.contains_of.get(first) or self.weak_of[first]
        return None


# Categories of the one-word buttons that make a row of buttons ("Share Tweet Submit").
_BUTTONS = frozenset({"share", "follow"})

# Categories whose phrases settle a short line alone, even a sentence ("(image d'illustration)", "©",
# "Akismet"); the others (cookies, follow, subscribe...) need a second cue on a line that reads as a sentence.
_DECISIVE = frozenset({"illustration", "credit", "comments"})


# a caption's last words credit its photo as "agency/agency/photographer", no spaces around the slashes:
# "... mardi à Istanbul. Keystone/EPA/Emre Yildiz"
_SLASHED_CREDIT = re.compile(r"[.!?»]\s+[^\s/.!?]+(?:\s[^\s/.!?]+)?/[^/.!?]{1,30}/[^/.!?]{1,30}$")


def _cue_key(s: str) -> str:
    return fold(s).strip(BULLETS + " .:;,!?()[]…")


def _cue_map(by_category: dict[str, list[str]]) -> dict[str, str]:
    """{folded cue: category}; a cue listed twice keeps its first category."""
    of: dict[str, str] = {}
    for category, words in by_category.items():
        for w in words:
            k = fold(w)
            if k:
                of.setdefault(k, category)
                # a colon is spaced in French typography and not in Swiss, English or most web pages: a table
                # writes one, pages use both ("Mots-clés : ..." and "Mots-clés: ...")
                if k.endswith(" :"):
                    of.setdefault(k[:-2] + ":", category)
                elif k.endswith(":") and len(k) > 1 and k[-2].isalnum():
                    of.setdefault(k[:-1] + " :", category)
    return of


def _compile(by_category: dict[str, list[str]], anchored: bool) -> tuple[re.Pattern, dict[str, str]]:
    """One regex for many cue strings, shaped as a trie so that a position fails on its first character
    (a plain alternation of hundreds of strings is tried one by one at every position)."""
    of = _cue_map(by_category)
    if not of:
        return re.compile(r"(?!)"), of
    # a one-word cue must end on a word boundary ("accueil" is not "accueillir"); longer anchored ones may be
    # glued to what follows ("Article précédentLes talibans..."); a cue inside a line starts on a boundary
    bounded = {k: k[-1].isalnum() and (" " not in k or not anchored) for k in of}
    word_start = [k for k in of if k[0].isalnum()]
    other_start = [k for k in of if not k[0].isalnum()]
    parts = []
    if word_start:
        parts.append(("" if anchored else r"(?<!\w)") + trie_pattern(word_start, bounded.get))
    if other_start:
        parts.append(trie_pattern(other_start, bounded.get))
    body = "|".join(parts)
    return re.compile(("^(?:" if anchored else "(?:") + body + ")"), of


@lru_cache(maxsize=8)
def cues(codes: tuple[str, ...] | None = None) -> CueMatcher:
    """The matcher for some languages; None (the default) unites every table, because boilerplate is often in
    another language than the article (an English "Previous" on a French page) and the language is not known
    yet when boilerplate is removed."""
    return CueMatcher(codes)


@lru_cache(maxsize=32768)  # the lines of a batch, read by the title stage then the body stage
def line_reason(line: Line, matcher: CueMatcher) -> str | None:
    """Why a line is boilerplate on its own (cues and shape), or None."""
    if not line.lettered:
        return "junk"
    if line.words <= 10 and wire_credit_line(line.text) is not None:
        return "wire_credit"
    if line.words <= 6 and _agency_slash_name(line.text):
        return "credit"
    if _BREADCRUMB.search(line.text) and _breadcrumb(line):
        return "navigation"
    if _MENU_SEPARATOR.search(line.text) and _menu(line):
        return "navigation"
    if line.words <= 16 and not line.terminal and _SITE_LINE.match(line.text):
        return "tagline"  # "InfoNord.ca — Nouvelles de l'Abitibi...": the site's name and motto over its pages
    reason = matcher.match(line)
    if reason in _DECISIVE and line.prose and _opens_paragraph(line):
        return None  # "Brasília, 10 de novembro (Agência Brasil) - O governo...": the agency is the article's
    return reason


def _agency_slash_name(text: str) -> bool:
    """A photo credit written agency in capitals, slash, photographer: "KEYSTONE/Anthony Anex", "REUTERS/Yves
    Herman", "EPA/OLIVIER HOSLET" (no table can list every photographer; the shape tells them)."""
    parts = text.strip().split("/")
    if len(parts) != 2:
        return False
    agency, name = parts[0].strip(), parts[1].split()
    return (2 <= len(agency) <= 25 and agency.isupper() and 2 <= len(name) <= 4
            and all(w[:1].isupper() and w[1:].replace("-", "").replace("'", "").isalpha() for w in name))


def _opens_paragraph(line: Line) -> bool:
    """A dateline followed by a sentence: the first paragraph, whatever agency the dateline names."""
    dateline = match_dateline(line.text)
    return dateline is not None and len(line.text[dateline.end:].split()) >= 6


# "Actualités > Culture", "Monde › Europe › Ukraine": short parts between arrows (a closing French quote
# is no arrow: « Non » à l'OTAN)
_BREADCRUMB = re.compile(r"\s[>›»]\s")


SIDE_BY_SIDE = re.compile(r"\s[|•·]\s")  # parts of one line side by side: "date | byline", "byline • date"

# a site's domain name opening a line, then a dash or a bar: "InfoNord.ca — Nouvelles de ...", "Actu.fr | ..."
_SITE_LINE = re.compile(r"^\s*[\w-]+\.[a-z]{2,4}\s+[-–—|]\s+\S")

# "Politique | Économie | Sport", "Accueil  Maroc  Monde arabe": a site's sections side by side, between bars,
# bullets or runs of spaces
_MENU_SEPARATOR = re.compile(r"\s[|•·]\s|\S\s{2,}\S")
_MENU_SPLIT = re.compile(r"\s+[|•·]\s+|\s{2,}")
MENU_ITEMS = 3  # at least; "date | byline" or "Site - tagline" are two parts, not a menu


def _menu(line: Line) -> bool:
    """Three or more short parts (four words at most each, "&" is none), no sentence ending: a menu."""
    if line.terminal or "«" in line.text or '"' in line.text:
        return False
    parts = [part for part in _MENU_SPLIT.split(line.text.strip(BULLETS)) if part.strip()]
    return len(parts) >= MENU_ITEMS and all(sum(1 for w in part.split() if w[0].isalnum()) <= 4 for part in parts)


def _breadcrumb(line: Line) -> bool:
    if line.words > 12 or line.terminal or "«" in line.text:
        return False
    return all(1 <= len(part.split()) <= 4 for part in _BREADCRUMB.split(line.text.strip(BULLETS)))
