"""The grammar of written dates, built from the language tables: calendar dates in every order the tables
declare ("15 février 2022", "Feb 4, 2022", "15.02.2022", "2022-02-15"), weekdays, relative words ("le mois
prochain", "l'an dernier", "un an après") and holidays; and `date_line`, which tells whether a whole line is a
date (with a prefix, a time, update times). Used by the publication date (`dates`), the dateline (`source`),
boilerplate and the headline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .. import lang
from ..textnorm import fold, trie_pattern

__all__ = ["DateGrammar", "Mention", "Scan", "grammar", "date_line", "age_line"]

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Mention:
    """A calendar date written in a text: day and month, year when written, weekday when written."""

    start: int
    end: int
    day: int
    month: int
    year: int | None
    weekday: int | None  # 0 = Monday

    def on(self, year: int) -> date | None:
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


def _alternation(words) -> str:
    """Every written and folded form of some words, as one trie-shaped group (matched case-insensitively)."""
    forms = set()
    for w in words:
        w = w.strip()
        if w:
            forms.add(w.lower())
            forms.add(fold(w))
    return "(?:" + trie_pattern(forms) + ")"


class DateGrammar:
    """Regular expressions for dates, weekdays and relative words, built from the tables of some languages."""

    def __init__(self, codes: tuple[str, ...]):
        tables = lang.tables(codes)
        self.codes = tuple(t["code"] for t in tables)
        self.month_of: dict[str, int] = {}
        self.weekday_of: dict[str, int] = {}
        month_names: list[str] = []
        weekday_names: list[str] = []
        for t in tables:
            for i, names in enumerate(t["months"]):
                for n in names:
                    self.month_of.setdefault(fold(n), i + 1)
                    month_names.append(n)
            # abbreviations ("mar. 15 févr.") only ever stand before a date: they are no weekday on their own
            abbreviations = t.get("weekday_abbreviations", [])
            for i, names in enumerate(t["weekdays"]):
                for n in [*names, *abbreviations[i:i + 1]]:
                    self.weekday_of.setdefault(fold(n), i)
                    weekday_names.append(n)
        orders = {o for t in tables for o in t["date_format"]["orders"]}
        suffixes = {s for t in tables for s in t["date_format"]["day_suffixes"]}
        month_joiners = {j for t in tables for j in t["date_format"]["month_joiners"]}
        year_joiners = {j for t in tables for j in t["date_format"]["year_joiners"]}
        year_suffixes = {x for t in tables for x in t["date_format"].get("year_suffixes", ())}
        months = _alternation(month_names)
        self.month_word_re = re.compile(rf"(?<!\w){months}(?!\w)")  # a month named alone ("en abril"), lower case
        weekdays = _alternation(weekday_names)
        sfx = "|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True)) or "(?!)"
        mj = "".join(rf"(?:{re.escape(j)}\s+)?" for j in sorted(month_joiners))
        yj = "|".join(re.escape(j) for j in sorted(year_joiners))
        yj = rf"(?:(?:{yj})\s+)?" if yj else ""
        ys = "|".join(re.escape(x) for x in sorted(year_suffixes, key=len, reverse=True))
        ys = rf"(?:\s*(?:{ys})(?!\w))?" if ys else ""  # "15 февраля 2022 г."
        year = r"(?P<{0}>(?:19|20)\d\d)(?!\d)" + ys.replace("{", "{{").replace("}", "}}")
        found_articles = lang.words("articles", self.codes)
        articles = _alternation(found_articles) if found_articles else "(?!)"
        parts = []
        if "dmy" in orders:
            parts.append(
                rf"(?:(?P<wd1>{weekdays})\.?,?\s+(?:{articles}\s+)?)?"
                rf"(?P<d1>[0-3]?\d)(?:{sfx})?\s*{mj}(?P<m1>{months})(?!\w)\.?"
                rf"(?:,?\s+{yj}{year.format('y1')})?"
            )
        if "mdy" in orders:
            parts.append(
                rf"(?:(?P<wd2>{weekdays})\.?,?\s+)?(?P<m2>{months})(?!\w)\.?\s+(?P<d2>[0-3]?\d)(?:{sfx})?(?!\d)"
                rf"(?:,?\s+{year.format('y2')})?"
            )
        parts.append(r"(?P<y3>(?:19|20)\d\d)-(?P<m3>[01]?\d)-(?P<d3>[0-3]?\d)(?!\d)")
        parts.append(r"(?P<d4>[0-3]?\d)[./-](?P<m4>[01]?\d)[./-](?P<y4>(?:19|20)\d\d)(?!\d)")
        parts.append(r"(?P<d5>[0-3]?\d)/(?P<m5>[01]?\d)/(?P<y5>\d\d)(?![\d/])")  # "15/02/22"
        self.date_re = re.compile(r"(?<![\w/.-])(?:" + "|".join(parts) + ")", re.I)
        self._date_lower = re.compile(self.date_re.pattern)  # for lower-cased text: much faster than re.I
        # Weekdays, relative words and holidays are found in one scan of the text (named groups).
        full_weekdays = [names[0] for t in tables for names in t["weekdays"]]
        relative: dict[str, set[str]] = {}
        holidays: dict[str, set[str]] = {}
        for t in tables:
            for kind, words in t["relative"].items():
                relative.setdefault(kind, set()).update(words)
            for name, words in t.get("holidays", {}).items():
                holidays.setdefault(name, set()).update(words)
        groups = [f"(?P<wd>{_alternation(full_weekdays)})"]
        groups += [f"(?P<r_{k}>{_alternation(w)})" for k, w in sorted(relative.items()) if k != "today_prefix"]
        groups += [f"(?P<h_{k}>{_alternation(w)})" for k, w in holidays.items()]
        self.holidays = tuple(holidays)  # in table order: the first is preferred when several occur
        self.words_re = re.compile(rf"(?<!\w)(?:{'|'.join(groups)})(?!\w)")  # on lower-cased text
        today = sorted({fold(w) for w in relative.get("today_prefix", ())}, key=len, reverse=True)
        self.today_re = re.compile(rf"(?:^|[^\w'])(?:{'|'.join(re.escape(w) for w in today) or '(?!)'})\s*$")
        joiners = "|".join(re.escape(fold(j)) for j in lang.words("time_joiners", self.codes))
        units = "|".join(re.escape(fold(u)) for u in lang.words("time_units", self.codes)) or "(?!)"
        # what may follow the date on a date line: a time, a time zone ("à 10h05", "10:05 AM CET", "- 14.30")
        joiner = rf"(?:(?:{joiners})\s+)?" if joiners else ""
        self.time_re = re.compile(
            rf"\s*(?:,|-|–|—|\||t(?=\d))?\s*{joiner}\d{{1,2}}\s*(?:[:h.]\s*\d{{2}}(?::\d{{2}}(?:\.\d+)?)?)?\s*"
            rf"(?:{units})?(?:\s*(?:utc|gmt|cet|cest|et|est|edt|pst|msk|z)?(?:\s*[+-]\d{{1,2}}(?::?\d{{2}})?)?)?\s*"
        )
        future = _alternation(w for t in tables for w in t.get("future_weekday_words", ()))
        self.future_after_re = re.compile(rf"\s+{future}(?!\w)")  # on lower-cased text
        self.future_before_re = re.compile(rf"(?<!\w){future}\s+$")
        prefixes = {fold(p) for t in tables for p in t.get("date_line_prefixes", ())}
        self.date_line_prefix_re = re.compile(
            rf"(?:{'|'.join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True)) or '(?!)'})(?!\w)\s*:?\s*"
        )
        # an age beside the date ("il y a 3 heures", "3 hours ago"): says nothing more, so it is skipped
        ages = [t.get("age_words", {}) for t in tables]
        before = _alternation(w for a in ages for w in a.get("before", ()))
        after = _alternation(w for a in ages for w in a.get("after", ()))
        age_units = _alternation(w for a in ages for w in a.get("units", ()))
        amount = r"(?:\d+|une?|an?|one)\s*"
        self.age_re = re.compile(
            rf"\(?(?:(?<!\w){before}\s+{amount}{age_units}|{amount}{age_units}\s+{after})(?!\w)\)?"
        )
        # a byline closing a date line: "Le 10/01/2022 à 18:42 par La rédaction avec AFP"
        bylines = {fold(p) for t in tables for p in t.get("byline_prefixes", ())}
        self.byline_tail_re = re.compile(
            rf"\s*[-–—|,]?\s*(?:{'|'.join(re.escape(p) for p in sorted(bylines, key=len, reverse=True)) or '(?!)'})"
            rf"\s+[^\W\d][^\d]{{0,60}}$"
        )

    def mentions(self, text: str) -> list[Mention]:
        """Every date written in the text. Only the stretches around figures are searched (a date always has
        one), which keeps long texts cheap."""
        low = text.lower()
        if len(low) != len(text):  # a rare letter whose lower case is longer: search the text as it is
            low, rx = text, self.date_re
        else:
            rx = self._date_lower
        out = []
        done = 0
        for run in _DIGITS.finditer(low):
            start = max(done, run.start() - 32)
            if run.end() <= done:
                continue
            stop = low.find(" ", run.end() + 40)  # never cut a word: a cut "mar|di" would read as March
            for m in rx.finditer(low, start, len(low) if stop < 0 else stop):
                if m.start() < done:
                    continue
                mention = self._mention(m)
                if mention:
                    out.append(mention)
                done = max(done, m.end())
            done = max(done, run.end())
        return out

    def _mention(self, m: re.Match) -> Mention | None:
        g = m.groupdict()
        try:
            if g["d1"] is not None:
                day, month, year, wd = int(g["d1"]), self.month_of[fold(g["m1"])], g["y1"], g["wd1"]
            elif g.get("d2") is not None:
                day, month, year, wd = int(g["d2"]), self.month_of[fold(g["m2"])], g["y2"], g["wd2"]
            elif g["d3"] is not None:
                day, month, year, wd = int(g["d3"]), int(g["m3"]), g["y3"], None
            elif g["d4"] is not None:
                day, month, year, wd = int(g["d4"]), int(g["m4"]), g["y4"], None
            else:
                day, month, year, wd = int(g["d5"]), int(g["m5"]), "20" + g["y5"], None
        except KeyError:
            return None
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None
        weekday = self.weekday_of.get(fold(wd)) if wd else None
        return Mention(m.start(), m.end(), day, month, int(year) if year else None, weekday)

    def scan(self, text: str) -> Scan:
        """Weekdays named (in order), relative words (first phrase of each kind, and where each occurs),
        holidays {name: first phrase}."""
        found = Scan([], [], {}, [], {})
        low = text.lower()
        same = len(low) == len(text)
        for m in self.words_re.finditer(low):
            group = m.lastgroup
            phrase = text[m.start():m.end()] if same else m.group()  # as written, for the evidence
            if group == "wd":
                if not self._future(low, m.start(), m.end()):
                    found.weekdays.append(self.weekday_of[fold(m.group())])
                    found.weekday_spans.append((m.start(), m.end()))
            elif group.startswith("r_"):
                found.relative.setdefault(group[2:], phrase)
                found.spans.append((group[2:], m.start(), m.end()))
            else:
                found.holidays.setdefault(group[2:], phrase)
        return found

    def _future(self, low: str, start: int, end: int) -> bool:
        """Whether a weekday is marked as coming ("lundi prochain", "next Monday", "el próximo lunes")."""
        before = self.future_before_re.search(low, max(0, start - 24), start)
        return bool(before or self.future_after_re.match(low, end))

    def is_today(self, text: str, mention: Mention) -> bool:
        """Whether the words just before a date call it today ("ce 23 décembre", "este 15 de febrero")."""
        before = fold(text[max(0, mention.start - 20):mention.start])
        return bool(self.today_re.search(before))


@dataclass(slots=True)
class Scan:
    """What one scan of a text finds besides dates (see `DateGrammar.scan`)."""

    weekdays: list[int]  # past or present ones: not "lundi prochain", "next Monday"
    weekday_spans: list[tuple[int, int]]
    relative: dict[str, str]  # kind -> its first phrase, as written
    spans: list[tuple[str, int, int]]  # (kind, start, end) of every relative phrase
    holidays: dict[str, str]


@lru_cache(maxsize=32)
def grammar(codes: tuple[str, ...] | None = None) -> DateGrammar:
    """The grammar for some languages (all languages with a table when None)."""
    return DateGrammar(tuple(codes) if codes else lang.available())




def date_line(line: str) -> Mention | None:
    """The date when a whole line is a date ("15 FÉVRIER 2022", "Publié le mardi 15 février 2022 à 10h05",
    "2022-02-15"), else None. Language-free: every table's names are tried. A line may give several dates
    ("Publié le 03/02/2022 à 14h05 Mis à jour le 04/02/2022 à 09h12"): the earliest is the publication, the
    others are updates."""
    key = fold(line).strip(" .,:;|-•*")
    if len(key) > 160 or not any(c.isdigit() for c in key):
        return None
    g = grammar()
    key = " ".join(g.age_re.sub(" ", key).split()).strip(" .,:;|-•*·")
    found: list[Mention] = []
    pos = 0
    while pos < len(key):
        if found:  # between two dates: a separator, then the next date's own prefix
            pos = _CLAUSE_SEPARATOR.match(key, pos).end()
        part = pos
        prefix = g.date_line_prefix_re.match(key, pos)
        if prefix:
            pos = _CLAUSE_SEPARATOR.match(key, prefix.end()).end()
        m = g.date_re.match(key, pos)
        if not m:  # the time first: "Published 3:45 PM EST, Tuesday, February 15, 2022"
            time = g.time_re.match(key, pos)
            m = g.date_re.match(key, _JOINER.match(key, time.end()).end()) if time else None
            if not m:
                if found and (prefix and time and time.end() == len(key) or _reading_time(key[part:])):
                    break  # "| Mis à jour à 08h12" (an update the same day), "- Temps de lecture : 3 min"
                return None
        mention = g.mentions(key[m.start():m.end()])
        if not mention:
            return None
        found.append(mention[0])
        pos = m.end()
        time = g.time_re.match(key, pos)
        if time and time.end() > pos:
            pos = time.end()
        byline = g.byline_tail_re.match(key, pos)
        if byline and len(byline.group().split()) <= 9:
            break
        if len(found) > 3:
            return None
    return min(found, key=lambda f: (f.year or 0, f.month, f.day)) if found else None


_READING_TIME = re.compile(r"(?<!\d)\d{1,2}\s?min\b")


def _reading_time(part: str) -> bool:
    """A reading time after a date ("Temps de lecture : 3 min", "4 min read", "Lesezeit: 3 Min."): a few words
    about minutes, in any language."""
    return len(part.split()) <= 6 and _READING_TIME.search(part) is not None


def age_line(line: str) -> bool:
    """A whole line that is an age ("Il y a 3 heures", "Publié il y a 2 jours", "3 hours ago"): the relative
    date a page prints under its headline (or under a teaser's title)."""
    key = fold(line).strip(" .,:;|-•*·()")
    if len(key) > 40:
        return False
    g = grammar()
    prefix = g.date_line_prefix_re.match(key)
    return g.age_re.fullmatch(key[prefix.end():] if prefix else key) is not None


_CLAUSE_SEPARATOR = re.compile(r"\s*[/|·•,;–—-]?\s*")
_JOINER = re.compile(r"\s*[/|·•,;–—-]?\s*(?:[^\W\d]{1,4}\s+)?")  # between a time and its date: ", ", " del "
