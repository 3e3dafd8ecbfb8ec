"""Who published an article and whose copy it is: outlet, wire agency and dateline.

- `doc.dateline` = {place, source, text, start, end}: "MADRID, 15 février (EUROPA PRESS) -" gives Madrid and
  Europa Press; "Paris, 20 déc. (Cinktank.com) –" gives Paris and Cinktank.com.
- `doc.wire`: the wire agencies the article credits ("Avec AFP", "Source: AFP", "(EUROPA PRESS)", "(Reuters) -",
  "Quelle: dpa"), canonical names joined by ", ". A wire copy is not an independent source, so the agency is
  kept apart from the outlet. A mention ("a déclaré à l'AFP", "selon Reuters") is not a credit.
- `doc.outlet`: declared (input metadata, URL domain: set by the `metadata` stage) wins; else the site-name line
  above the headline, a dateline source that is not a wire, or a site's own words ("Suivez RT en français sur
  Telegram", "RT en français utilise des cookies").

Wire names live in `lang/wires.json`; credit words and outlet patterns in each language's table.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from .. import lang
from ..pipeline import register_stage
from ..records import Document
from ..textnorm import clean_line, fold, normalized_view, trie_pattern
from .metadata import line_ranges

__all__ = ["Dateline", "match_dateline", "wire_credit_line", "wire_name", "find_wires", "guess_outlet", "Source"]

# Reasons (from the boilerplate stage) of removed lines that belong to other articles: no credit counts there.
_MAY_OPEN_WITH_DATELINE = frozenset({"credit", "byline"})  # removed lines: "MADRID, 15 feb (EFE) -", "Par AFP - ..."
_FOREIGN = frozenset({"read_also", "teaser", "navigation", "tail", "ads", "tagline", "header", "repeated", "player"})


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str
    date_text: str | None
    source: str | None  # as written
    end: int  # offset in the line where the article text starts


@lru_cache(maxsize=1)
def _wire_tables() -> tuple[dict[str, str], dict[str, str], re.Pattern, re.Pattern]:
    """(folded alias -> name, folded strict alias -> name, loose-alias regex, any-alias regex)."""
    loose: dict[str, str] = {}
    strict: dict[str, str] = {}
    for w in lang.shared("wires")["wires"]:
        for a in w["strict"]:
            strict[fold(a)] = w["name"]
        for a in [w["name"], *w["aliases"]]:
            if fold(a) not in strict:
                loose[fold(a)] = w["name"]

    any_re = re.compile(rf"(?<!\w)(?:{trie_pattern(set(loose) | set(strict))})(?!\w)")
    loose_re = re.compile(rf"(?<!\w)(?:{trie_pattern(loose)})(?!\w)")
    return loose, strict, loose_re, any_re


@lru_cache(maxsize=1)
def _any_wire_raw() -> re.Pattern:
    """Any wire name in lower-cased text: a quick test before the careful one."""
    loose, strict, _, _ = _wire_tables()
    written = {a.lower() for w in lang.shared("wires")["wires"] for a in [w["name"], *w["aliases"], *w["strict"]]}
    return re.compile(rf"(?<!\w)(?:{trie_pattern(set(loose) | set(strict) | written)})(?!\w)")


def wire_name(text: str) -> str | None:
    """The canonical wire name when `text` is exactly a wire's name or alias ("EUROPA PRESS" -> "Europa Press")."""
    loose, strict, _, _ = _wire_tables()
    key = fold(text).strip(" .,;:-()[]")
    return loose.get(key) or strict.get(key)


def _folded_words(kind: str) -> str:
    """A regex alternation of some function words of every table, folded ("l'", "la", "le", "the"...)."""
    found = sorted({fold(w) for w in lang.words(kind)}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in found) or "(?!)"


@lru_cache(maxsize=1)
def _credit_re() -> re.Pattern:
    prefixes = {fold(p) for t in lang.tables() for p in t.get("credit_prefixes", ())}
    prefix = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    _, _, _, any_re = _wire_tables()
    wire = any_re.pattern
    agencies = _folded_words("agencies_word")
    article = rf"(?:(?:{_folded_words('articles')})(?<=')|(?:{_folded_words('articles')})\s)?"
    return re.compile(
        rf"^[\s\-–—(\[•*|]*(?:(?:{prefix})\s*:?\s*)?{article}\s*(?:{wire}|{agencies})"
        rf"(?:\s*(?:,|/|&|\+|{_folded_words('conjunctions')})\s*{article}\s*(?:{wire}|{agencies}))*[\s)\].]*$"
    )


def wire_credit_line(line: str) -> list[str] | None:
    """The wires a line credits when the whole line is a credit ("- Avec AFP", "(AFP)", "Source : AFP et
    Reuters", "avec agences" -> []), else None."""
    key = fold(line)
    if len(key) > 60 or not _credit_re().match(key):
        return None
    _, _, _, any_re = _wire_tables()
    return _names(m.group() for m in any_re.finditer(key))


def _names(found) -> list[str]:
    loose, strict, _, _ = _wire_tables()
    out = []
    for f in found:
        n = loose.get(f) or strict.get(f)
        if n and n not in out:
            out.append(n)
    return out


@lru_cache(maxsize=1)
def _inline_credit_res() -> tuple[re.Pattern, ...]:
    _, _, _, any_re = _wire_tables()
    wire = any_re.pattern
    prefixes = {fold(p) for t in lang.tables() for p in t.get("credit_prefixes", ())}
    src = "|".join(re.escape(p) for p in sorted((p for p in prefixes if len(p) > 3), key=len, reverse=True))
    short = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    conj = _folded_words("conjunctions")
    return (
        # "Source: AFP", "Sources : AFP, Reuters", "Quelle: dpa"
        re.compile(rf"(?:{src})\s*:\s*(?P<w>(?:{wire})(?:\s*(?:,|/|{conj})\s*(?:{wire}))*)"),
        # "(AFP)" or "(avec AFP)" closing a line, "(Reuters) -" opening a paragraph, "Belga | Publié le..."
        # opening a byline
        re.compile(rf"\((?:(?:{short})\s+)?(?P<w>{wire})\)\s*\.?$"),
        re.compile(rf"^\(?(?P<w>{wire})\)?\s*(?:[-–—]|[|•·]\s)"),
        # "© AFP 2022" is a photo credit, not the text's: deliberately absent
    )


def find_wires(lines: list[str]) -> list[str]:
    """Canonical wire names credited in some lines (whole-line credits and inline credit forms)."""
    found: list[str] = []
    _, _, _, any_re = _wire_tables()
    quick = _any_wire_raw()
    for line in lines:
        if not quick.search(line.lower()):
            continue
        credited = wire_credit_line(line)
        if credited is None and "©" not in line:  # "© ... Source: AFP" credits the photo, not the text
            key = fold(line)
            credited = []
            for rx in _inline_credit_res():
                for m in rx.finditer(key):
                    credited += [w.group() for w in any_re.finditer(m.group("w"))]
            credited = _names(credited)
        for n in credited or ():
            if n not in found:
                found.append(n)
    return found


# --- datelines -------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _dateline_res() -> tuple[re.Pattern, re.Pattern]:
    from .date_grammar import grammar

    date = grammar().date_re.pattern.replace("(?P<", "(?P<dl_")
    word = r"[^\W\d_][\w'’.\-]*"
    place = rf"(?P<place>{word}(?:\s{word}){{0,3}})"
    main = re.compile(
        rf"^{place}\s*(?:,\s*(?P<date>{date}))?\s*(?:\((?P<src>[^()]{{2,40}})\))?\s*"
        rf"(?P<dash>[-–—]+|:|\.-|\.—)?\s*",
        re.I,
    )
    # ANSA style: "(ANSA) - ROMA, 15 FEB - "
    lead = re.compile(rf"^\((?P<src>[^()]{{2,40}})\)\s*[-–—]\s*{place}\s*(?:,\s*(?P<date>{date}))?\s*(?P<dash>[-–—]+)\s*", re.I)
    return main, lead


def match_dateline(line: str) -> Dateline | None:
    """The dateline opening a line ("MADRID, 15 février (EUROPA PRESS) -", "WASHINGTON (Reuters) -",
    "Paris, 20 déc. (Cinktank.com) –"), else None."""
    stripped = line.lstrip()
    text, omap = normalized_view(stripped)  # same text, no-break spaces and look-alikes folded
    if len(text) < 4 or not (text[0].isalpha() or text[0] == "("):
        return None
    main, lead = _dateline_res()
    m = lead.match(text) if text[0] == "(" else main.match(text)
    if not m:
        return None
    place, date_text, src, dash = " ".join(m.group("place").split()), m.group("date"), m.group("src"), m.group("dash")
    if not date_text and not src:
        return None
    words = place.split()
    joiners = set(lang.words("place_joiners"))
    if not words[0][0].isupper() or not all(w[0].isupper() or w.lower() in joiners for w in words):
        return None
    from .date_grammar import grammar

    g = grammar()
    first = fold(words[0]).rstrip(".")
    if first in g.weekday_of or first in g.month_of:
        return None
    rest = text[m.end():]
    if not dash and rest.strip():
        return None
    if not date_text and not (wire_name(src) or place.isupper()):
        return None  # "Place (Source) -" only when the source is a wire or the place is written in capitals
    if src is not None and len(src.split()) > 5:
        return None
    source = " ".join(src.split()) if src else None
    end = m.end()
    if not source and rest:
        # "МОСКВА, 15 фев — РИА Новости. Президент": the agency follows the dash
        _, _, loose_re, _ = _wire_tables()
        w = loose_re.match(fold(rest))
        if w and len(fold(rest[: w.end()])) == w.end():
            source = rest[: w.end()].strip()
            end += w.end() + (1 if rest[w.end():w.end() + 1] == "." else 0)
    return Dateline(place=place, date_text=date_text, source=source,
                    end=len(line) - len(stripped) + omap.to_original(end))


def place_name(place: str) -> str:
    """"MADRID" -> "Madrid", "NEW YORK" -> "New York"; mixed case stays as written."""
    if place.isupper():
        return "-".join(" ".join(w.capitalize() for w in part.split()) for part in place.split("-"))
    return place


# --- outlets ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _outlet_res() -> tuple[re.Pattern, tuple[re.Pattern, ...]]:
    """(a quick test for any pattern's fixed words, the patterns)."""
    out = []
    fixed = set()
    for t in lang.tables():
        for p in t.get("outlet_patterns", ()):
            before, _, after = fold(p).partition("{outlet}")
            before, after = before.strip(), after.strip()
            name = r"(?P<outlet>[^\W_][^.!?;:«»\"]{1,40}?)"
            head = rf"(?:^|[\s\-–—•]){re.escape(before)}\s+" if before else "^"
            out.append(re.compile(rf"{head}{name}\s*{re.escape(after)}"))
            fixed.add(before or after)
    quick = re.compile("|".join(re.escape(f) for f in sorted(fixed, key=len, reverse=True)))
    return quick, tuple(out)


def outlet_in_line(line: str) -> str | None:
    """An outlet named by a site's own words in a line ("Suivez RT en français sur Telegram")."""
    quick, patterns = _outlet_res()
    key = fold(line)[:400]
    if not quick.search(key):
        return None
    text = clean_line(line)[:400]
    for rx in patterns:
        m = rx.search(key)
        if not m:
            continue
        name = m.group("outlet").strip()
        words = fold(name).split()
        self_words = {fold(w) for w in lang.words("self_words")}
        if len(words) > 5 or fold(name) in self_words or self_words & set(words):
            continue  # "Ce site utilise des cookies", "Nous utilisons...": the site, not its name
        written = _as_written(text, fold(name))
        if written and written[0].isupper():
            return written
    return None


def _as_written(text: str, folded_name: str) -> str | None:
    n = len(folded_name)
    for i in range(0, len(text) - n + 1):
        if fold(text[i:i + n]) == folded_name:
            return text[i:i + n]
    return None


def site_name_line(line: str) -> str | None:
    """A line that looks like a site's name (one to three words, no sentence punctuation, capitalised; no
    separator between its words: "Monde | Proche-Orient" is a breadcrumb)."""
    text = clean_line(line)
    words = text.split()
    if not 1 <= len(words) <= 3 or len(text) > 40 or re.search(r"[!?,;:«»\"()|•›>]|\.\s|\.$", text):
        return None
    if not (text[0].isupper() or text[0].isdigit()) or any(c.isdigit() for c in text) and not re.search(r"\.\w{2,}$", text):
        return None
    return text


def guess_outlet(lines: list[str], title_index: int | None, skip=frozenset(),
                 dateline_source: str | None = None, own_words=None) -> str | None:
    """The outlet a text names itself: a site-name line above the headline, else the source of a dateline
    that is not a wire, else a site's own words (in the lines `own_words` lists, all when None). Lines whose
    index is in `skip` (navigation) are no site name."""
    for i in range(title_index or 0):
        if i not in skip:
            name = site_name_line(lines[i])
            if name:
                return name
    if dateline_source and not wire_name(dateline_source):
        return dateline_source
    for i in range(len(lines)) if own_words is None else own_words:
        name = outlet_in_line(lines[i])
        if name:
            return name
    return None


# --- the stage -------------------------------------------------------------------------------------------


@register_stage("source")
class Source:
    """Outlet, wire agency and dateline (see the module docstring)."""

    requires = ("text", "meta", "title", "body")
    assigns = ("outlet", "wire", "dateline")

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        body = doc.body
        removed = {(r["start"], r["end"]): r.get("reason", "") for r in doc.removed}
        # every line of the text with the reason it was removed ("" for body lines)
        in_body = set(body)
        lines = []
        for s, e in line_ranges(text):
            lines.append((s, e, removed.get((s, e), "" if (s, e) in in_body or _inside(s, e, body) else "removed")))
        # dateline: the first one among the first body lines (and credit lines, which may open with one)
        doc.dateline = None
        kept = [(s, e) for s, e, why in lines if not why or why in _MAY_OPEN_WITH_DATELINE]
        for s, e in kept[:15]:
            dl = match_dateline(text[s:e])
            if dl:
                wire = wire_name(dl.source) if dl.source else None
                doc.dateline = {
                    "place": place_name(dl.place),
                    "source": wire or (dl.source or None),
                    "text": clean_line(text[s:s + dl.end]).rstrip(" -–—:"),
                    "start": s,
                    "end": s + dl.end,
                }
                break
        # wires: credits in body lines and in removed credit lines, never in teasers of other articles
        credit_lines = [text[s:e] for s, e, why in lines if why not in _FOREIGN]
        wires = find_wires(credit_lines)
        if doc.dateline and doc.dateline["source"] and wire_name(doc.dateline["source"]):
            name = wire_name(doc.dateline["source"])
            wires = [name] + [w for w in wires if w != name]
        doc.wire = ", ".join(wires) if wires else None
        # outlet: declared wins
        if not doc.outlet:
            doc.outlet = self._outlet(doc, lines)
        return doc

    def _outlet(self, doc: Document, lines: list[tuple[int, int, str]]) -> str | None:
        text = doc.text
        strings = [text[s:e] for s, e, _ in lines]
        title_index = None
        if doc.title:
            tkey = fold(doc.title)
            title_index = next((i for i, t in enumerate(strings) if fold(t).lstrip("•*-– ") == tkey), None)
        skip = {i for i, (_, _, why) in enumerate(lines) if why and why != "header"}
        return guess_outlet(strings, title_index, skip, (doc.dateline or {}).get("source"))


def _inside(s: int, e: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether [s, e) lies in one of the sorted ranges."""
    i = bisect_right(ranges, (s, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= s and e <= ranges[i][1]
