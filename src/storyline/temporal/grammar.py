"""Compile a language's temporal table into regular expressions, word lookups and a trigger index.

A pattern of the table is a regular expression over slots: `{month}`, `{day}`, `{num}`, `{unit}`...
(`{slot#2}` is a second slot of the same kind). A space in a pattern means a run of white space (` ?` an
optional one), `~` a hyphen or white space, an apostrophe any apostrophe, a hyphen any hyphen. Word slots
become named groups whose text the tagger looks up in the table (`Grammar.value`); number-like slots are
fixed expressions.

Speed comes from not running every pattern over every character: each pattern is triggered by one slot that
every match holds (a word list such as `{unit}`, else a year, else a small number); one pass over the text
finds the trigger words, and a pattern only runs in a window around them, as wide as its longest match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from re import _parser  # the standard library's pattern parser: the width of a pattern (see _max_width)
from typing import Any

from ..textnorm import fold, trie_pattern

__all__ = ["Grammar", "Rule", "key"]

MAX_WIDTH = 64  # no temporal expression is longer; also the window for a pattern with no fixed trigger
_SEP = r"(?:\s*[-‐‑–]\s*|\s+)"
_APOS = "['’ʼ]"
_HYPHEN = "[-‐‑]"
_SLOT = re.compile(r"\{(\w+)(?:#(\d))?\}")
_STRIP = re.compile(r"[\s.\-'’]+")

# Word slots: slot -> (table key, group base, is a trigger).
_WORD_SLOTS: dict[str, tuple[str, str, bool]] = {
    "month": ("months", "month", True),
    "month_full": ("months_full", "month", True),
    "weekday": ("weekdays", "weekday", True),
    "unit": ("units", "unit", True),
    "unit_sg": ("units_sg", "unit", True),
    "unit_pl": ("units_pl", "unit", True),
    "days": ("days", "days", True),
    "part": ("parts_of_day", "part", True),
    "season": ("seasons", "season", True),
    "ref": ("refs", "ref", True),
    "set": ("sets", "set", True),
    "holiday": ("holidays", "holiday", True),
    "anaphora": ("anaphora", "anaphora", True),
    "clockword": ("clock_words", "clockword", True),
    "idiom": ("idioms", "idiom", True),
    "num": ("numbers", "num", False),
    "vague": ("vague", "vague", False),
    "approx": ("approx", "approx", False),
    "shift": ("shifts", "shift", False),
    "ashift": ("anaphoric_shifts", "ashift", False),
    "ord": ("ordinals", "ord", False),
    "mod": ("modifiers", "mod", False),
    "ampm": ("ampm", "ampm", False),
    "tz": ("timezones", "tz", False),
}
# Fixed slots: slot -> regular expression with one group named like the slot ("{g}"). Their trigger is a
# number: "year" for a four-digit year or decade ("1989", "1980s"), "digit" for one or two digits.
_FIXED_SLOTS: dict[str, str] = {
    "year": r"(?<![\d$€£¥])(?<!\d[.,])(?P<{g}>1[5-9]\d\d|20\d\d)(?!\d|[.,]\d|\s?%)",
    "year2short": r"(?P<{g}>\d\d)(?!\d)",
    "yy": r"(?P<{g}>\d\d)(?![\d%])",
    "mm": r"(?P<{g}>1[0-2]|0?[1-9])",
    "dd": r"(?P<{g}>[12]\d|3[01]|0?[1-9])",
    "decade": r"(?P<{g}>1[5-9]\d0|20\d0)",
    "decade2": r"(?P<{g}>[1-9]0|00)",
    "hour": r"(?<![\d.,:])(?P<{g}>2[0-4]|[01]?\d)",
    "minute": r"(?P<{g}>[0-5]\d)(?![\d%])",
    "qnum": r"(?P<{g}>[1-4])",
    "ordcentury": r"(?P<{g}>\d{{1,2}})(?:st|nd|rd|th|e|ème|er|º|°|\.)",
    "roman": r"(?P<{g}>x{{0,3}}(?:ix|iv|vi{{0,3}}|i{{1,3}}|v)|x{{1,3}})",
}


def key(text: str) -> str:
    """Lookup key of a table entry or a matched text: folded (case, accents, quotes), without dots, hyphens,
    apostrophes or white space ("Déc." -> "dec", "a.m." -> "am", "week end" -> "weekend")."""
    return _STRIP.sub("", fold(text))


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


# Placeholders for the pieces of a table entry that are not literal characters, so that the entries can be
# shaped as a trie by textnorm.trie_pattern and the pieces put in afterwards.
_PIECES = {"\x00": r"\s+", "\x01": _APOS, "\x02": f"{_HYPHEN}?\\s*", "\x03": r"\.?"}
_TO_PLACEHOLDER = str.maketrans({" ": "\x00", "'": "\x01", "’": "\x01", "-": "\x02", ".": "\x03"})


def _alternation(entries: Iterable[str], abbreviations: Iterable[str] = ()) -> str:
    """One regular expression for a word list, in lower case and trie-shaped, with accentless spellings
    added: a space matches any white space, an apostrophe any apostrophe, a hyphen a hyphen or nothing, a
    dot a dot or nothing; an abbreviation may take a dot."""
    abbreviations = set(abbreviations)
    words = set()
    for e in entries:
        for v in {e.lower(), _strip_accents(e).lower()}:
            w = v.translate(_TO_PLACEHOLDER)
            words.add(w + "\x03" if e in abbreviations and not v.endswith(".") else w)
    pattern = trie_pattern(sorted(words))
    for placeholder, piece in _PIECES.items():
        pattern = pattern.replace(placeholder, piece)
    return pattern


def _is_required(template: str, start: int, end: int) -> bool:
    """Whether the slot at template[start:end] is in every match: outside any group, alternation or
    quantifier."""
    depth = 0
    for ch in template[:start]:
        depth += ch == "("
        depth -= ch == ")"
    if depth or "|" in _top_level(template):
        return False
    return template[end:end + 1] not in ("?", "*", "{")


def _top_level(template: str) -> str:
    depth, out = 0, []
    for ch in template:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def _max_width(regex: str) -> int:
    """The longest text a piece of pattern matches or looks at, counting a run of white space as two
    characters, bounded by MAX_WIDTH."""
    # a lookahead matches nothing but must see its text: count it (the window ends where the text may)
    flat = regex.replace(_SEP, "--").replace(r"\s+", "  ").replace(r"\s*", "  ").replace("(?=", "(?:")
    try:
        width = _parser.parse(flat).getwidth()[1]
    except Exception:  # an unexpected construct: assume the widest
        return MAX_WIDTH
    return min(width, MAX_WIDTH)


def _index_token(entry: str, words: set[str]) -> str:
    """The word of a table entry that triggers it: a word that triggers on its own ("day" in "that same
    day", "now" in "right now"), else the longest ("future" in "the near future")."""
    tokens = re.findall(r"\w+", entry.lower())
    own = [t for t in tokens if t in words]
    return max(own or tokens, key=len) if tokens else ""


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str  # the handler that turns a match into a value
    template: str
    regex: re.Pattern[str]
    triggers: frozenset[str]  # categories of words around which the pattern runs
    priority: int
    before: int  # how far a match may start before its trigger word, and end after it (characters)
    after: int


class Grammar:
    """The compiled form of one language's temporal table."""

    def __init__(self, table: dict[str, Any]):
        self.code = table["code"]
        self.table = table
        self.lookups: dict[str, dict[str, Any]] = {}
        self._entries: dict[str, list[str]] = {}
        self._abbrev: dict[str, set[str]] = {}
        self._build_words(table)
        self.slot_regex = {name: self._slot_regex(name) for name in _WORD_SLOTS}
        self.rules = [self._compile(i, kind, tpl) for i, (kind, tpl) in enumerate(table["patterns"])]
        self.triggers = self._trigger_index()
        # one pass over a text finds every trigger: a word of the index or a word with digits at an end
        self.trigger_regex = re.compile(r"(?<!\w)(?:" + _alternation(self.triggers) + r"|\d\w*)(?!\w)")
        self.rules_by_trigger: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for cat in rule.triggers:
                self.rules_by_trigger.setdefault(cat, []).append(rule)
        # names that are also common words ("May", "fall", "mars") count only after a cue word
        self.ambiguous = {key(m) for m in table.get("ambiguous", [])}
        self.cues = {key(m) for m in table.get("cues", [])}
        self.capitalized_names = bool(table.get("capitalized_names"))  # English and German write "Friday"
        self.lowercase_only = {key(w) for w in table.get("lowercase_only", [])}  # German "morgen"/"Morgen"
        self.lowercase_names = bool(table.get("lowercase_names"))  # French and Spanish write "mardi", "mars"
        self.unit_needs_number = {key(u) for u in table.get("unit_needs_number", [])}
        self.articles = {key(a) for a in table.get("articles", {})}
        self.ref_exclude_after = {key(w) for w in table.get("ref_exclude_after", [])}
        self.duration_exclude_after = {key(w) for w in table.get("duration_exclude_after", [])}
        tense = table.get("tense", {})
        self.future_words = {key(w) for w in tense.get("future", [])}
        self.past_words = {key(w) for w in tense.get("past", [])}
        self.future_suffixes = tuple(s.lower().replace("’", "'") for s in tense.get("future_suffixes", []))
        self.past_suffixes = tuple(s.lower().replace("’", "'") for s in tense.get("past_suffixes", []))
        self.passive_auxiliaries = {key(w) for w in tense.get("passive_auxiliaries", [])}
        self.min_suffix_length = int(tense.get("min_suffix_length", 5))
        self.suffix_exceptions = {key(w) for w in tense.get("suffix_exceptions", [])}

    # --- word tables ---------------------------------------------------------------------------------------

    def _add(self, name: str, entries: dict[str, Any], abbreviations: Iterable[str] = ()) -> None:
        self._entries[name] = list(entries)
        self._abbrev[name] = set(abbreviations)
        self.lookups[name] = {key(e): v for e, v in entries.items()}

    def _build_words(self, t: dict[str, Any]) -> None:
        months, months_full, abbrev = {}, {}, []
        for i, names in enumerate(t["months"], start=1):
            for j, name in enumerate(names):
                months[name] = i
                if j == 0 or len(name) > 5:
                    months_full[name] = i
                else:
                    abbrev.append(name)
        self._add("months", months, abbrev)
        self._add("months_full", months_full)
        weekdays = {}
        for i, names in enumerate(t["weekdays"], start=1):
            for j, name in enumerate(names):
                if j == 0 or len(name) > 4:
                    weekdays[name] = i
        self._add("weekdays", weekdays)
        units, sg, pl = {}, {}, {}
        for code, (singular, plural) in t["units"].items():
            for w in singular:
                units[w] = sg[w] = code
            for w in plural:
                units[w] = pl[w] = code
        self._add("units", units)
        self._add("units_sg", sg)
        self._add("units_pl", pl)
        for name in ("days", "parts_of_day", "seasons", "refs", "sets", "holidays", "anaphora", "clock_words",
                     "idioms", "shifts", "anaphoric_shifts", "ordinals", "modifiers", "ampm"):
            self._add(name, dict(t.get(name, {})))
        self._add("numbers", {**t.get("numbers", {}), **t.get("articles", {})})
        for name in ("vague", "approx", "timezones"):
            self._add(name, {w: True for w in t.get(name, [])})

    def value(self, table: str, text: str | None) -> Any:
        """The table value of a matched text (None when absent)."""
        if text is None:
            return None
        return self.lookups[table].get(key(text))

    # --- slots and patterns --------------------------------------------------------------------------------

    def _slot_regex(self, name: str) -> str:
        table, _, _ = _WORD_SLOTS[name]
        entries = self._entries.get(table, [])
        if name == "num":
            return self._number_regex()
        if not entries:
            return r"(?!x)x"  # matches nothing
        return _alternation(entries, self._abbrev.get(table, ()))

    def _number_regex(self) -> str:
        t = self.table
        words = [w for w in t.get("numbers", {})]
        word = _alternation(words)
        joiners = "|".join(re.escape(j) for j in t.get("number_joiners", []))
        join = rf"(?:\s+|\s*{_HYPHEN}\s*)(?:(?:{joiners})(?:\s+|\s*{_HYPHEN}\s*))?" if joiners else r"(?:\s+|\s*-\s*)"
        composite = rf"(?:{word})(?:{join}(?:{word})){{0,2}}"
        # an amount, not a year: "1,000", "2.5", "1,5" (decimal comma), "5 1/2"; "1988 quarter" is no amount
        digits = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d{1,3})(?:[.,]\d{1,2})?(?:\s+1/2)?(?!\d)"
        articles = _alternation(t.get("articles", {}))
        parts = [digits, composite] + ([articles] if articles else [])
        return "|".join(parts)

    def _expand(self, name: str, index: str | None) -> tuple[str, str | None]:
        """(regex of one slot occurrence, its trigger category or None)."""
        if name == "day":
            group = "day" + (index or "")
            suffixes = "|".join(re.escape(s) for s in sorted(self.table.get("day_suffixes", []), key=len, reverse=True))
            suffix = f"(?:{suffixes})?" if suffixes else ""
            return rf"(?:(?<![\d.,])(?P<{group}>[12]\d|3[01]|0?[1-9]){suffix}(?![\d%]))", "digit"
        if name in _FIXED_SLOTS:
            cat = "year" if name in ("year", "decade") else "digit"
            return "(?:" + _FIXED_SLOTS[name].format(g=name + (index or "")) + ")", cat
        if name not in _WORD_SLOTS:
            raise ValueError(f"E102 unknown slot {{{name}}} in the {self.code} temporal table")
        table, base, trigger = _WORD_SLOTS[name]
        group = base + (index or "")
        body = self.slot_regex[name]
        if name == "mod":  # a modifier carries its own separator: "mid-" + "1990", "early" + " " + "May"
            return rf"(?:(?P<{group}>{body}){_SEP})", None
        return rf"(?:(?P<{group}>{body}))", (name if trigger else ("digit" if name == "num" else None))

    def _compile(self, priority: int, kind: str, template: str) -> Rule:
        if "[" in template:
            raise ValueError(f"E103 pattern {template!r}: write '~' for a hyphen-or-space, not a character class")
        out: list[str] = []
        slots: list[tuple[int, str, bool]] = []  # (index in out, trigger category, required)
        pos = 0
        for m in _SLOT.finditer(template):
            out.append(self._literal(template[pos:m.start()]))
            regex, cat = self._expand(m.group(1), m.group(2))
            if cat:
                slots.append((len(out), cat, _is_required(template, m.start(), m.end())))
            out.append(regex)
            pos = m.end()
        out.append(self._literal(template[pos:]))
        if not slots:
            raise ValueError(f"E104 pattern {template!r} has no slot to trigger it")
        # Every match holds each required slot, so running around one of them is enough: the first
        # required word (rarer than a number), else a year, else any number. Without a required slot, the
        # pattern runs around every slot it has.
        required = [(i, cat) for i, cat, req in slots if req]
        anchor = (next((x for x in required if x[1] not in ("digit", "year")), None)
                  or next((x for x in required if x[1] == "year"), None)
                  or next(iter(required), None))
        if anchor:
            i, cat = anchor
            triggers = {cat}
            before = _max_width("".join(out[:i + 1]))
            after = _max_width("".join(out[i:]))
        else:
            triggers = {cat for _, cat, _ in slots}
            before = after = _max_width("".join(out))
        regex = re.compile(r"(?<!\w)(?:" + "".join(out) + r")(?!\w)")
        return Rule(kind, template, regex, frozenset(triggers), priority, before, after)

    @staticmethod
    def _literal(s: str) -> str:
        # patterns run on lower-cased text: letters go to lower case, escapes ("\\S", "\\D") stay
        s = re.sub(r"\\.|\(\?P<\w+>|[^\W\d_]", lambda m: m.group() if m.group()[0] in "\\(" else m.group().lower(), s)
        s = re.sub(r"(?<!\\)-", "\x01", s)
        s = s.replace(" ?", "\x00").replace(" ", r"\s+").replace("\x00", r"\s*").replace("~", _SEP)
        return re.sub("['’]", lambda _: _APOS, s).replace("\x01", _HYPHEN)

    def _trigger_index(self) -> dict[str, frozenset[str]]:
        index: dict[str, set[str]] = {}
        single = {e.lower() for slot, (table, _, trigger) in _WORD_SLOTS.items() if trigger
                  for e in self._entries.get(table, []) if re.fullmatch(r"\w+", e)}
        for slot, (table, _, trigger) in _WORD_SLOTS.items():
            if not trigger:
                continue
            for entry in self._entries.get(table, []):
                token = _index_token(entry, single)
                for t in {token, _strip_accents(token)}:
                    if t:
                        index.setdefault(t, set()).add(slot)
        return {t: frozenset(c) for t, c in index.items()}
