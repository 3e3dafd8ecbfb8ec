"""Find temporal expressions in a text and normalise them against an anchor day.

`Tagger(code).tag(text, anchor, ranges)`:

1. a text with decomposed accents is viewed through `textnorm.normalized_view` (NFC), so the patterns see
   composed letters while offsets still point into the text as read; the patterns run on the text in lower
   case;
2. the words of each range are looked up in the grammar's trigger index; each pattern runs only in a small
   window around the words that can anchor it;
3. overlapping candidates are resolved longest first (then leftmost, then earlier pattern); each goes to the
   handler of its pattern kind, which may reject it ("May" the verb): the next candidate at that place is
   then tried;
4. the kept expressions get their TIMEX3 values in text order, from the anchor (the publication day), the
   tense of the clause, and the last date the text mentioned (for anaphoric expressions such as "the next
   day" or "a year earlier").

Relative expressions need an anchor; without one the expression is still reported, with a null value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..textnorm import OffsetMap, normalized_view
from .calendar import (
    SEASON_START,
    UNIT_GRAIN,
    Period,
    add_months,
    duration_value,
    holiday,
    period,
    shift,
    start_of,
    weekday_near,
)
from .expr import TimeExpr
from .grammar import Grammar, Rule, key
from .tables import time_table

__all__ = ["Tagger", "tagger_for"]

_WORD = re.compile(r"\w+")
_TENSE_WORD = re.compile(r"\w+(?:['’]\w+)*|['’]\w+")
_CLAUSE_END = re.compile(r"[.;!?:\n«»“”\"()]")
CLOSE_DAYS = 45  # a year-less date this close to the anchor keeps its nearest year whatever the tense
# Without a tense cue, a year-less date farther than CLOSE_DAYS is in the past unless it is at most this many
# months ahead: news looks back more often and farther than it looks ahead (in TimeBank, bare months run
# from ten months back to four ahead).
FUTURE_REACH = 4
# Words before an expression searched for a tense cue (up to the start of the clause): far for a weekday,
# whose verb may be some way off; near for a year-less date, where only a clear cue (the verb right before)
# overrides the distance rule.
LEFT_WORDS = 12
RIGHT_WORDS = 8  # after it, when the clause opens with the expression ("Mercredi, le Conseil se réunira")
CLEAR_TENSE = 4


@lru_cache(maxsize=None)
def tagger_for(code: str) -> Tagger | None:
    """The tagger of a language (built once per process), or None when storyline has no temporal table."""
    table = time_table(code)
    return Tagger(Grammar(table)) if table else None


@dataclass(slots=True)
class _Found:
    value: str | None
    type: str
    grain: str
    mod: str | None = None
    ref: Period | None = None  # the period this expression makes the reference for later anaphora


class _Context:
    """What handlers need beyond the match: the anchor, the text around, the reference period."""

    __slots__ = ("text", "anchor", "lo", "hi", "ref", "ref_end", "grammar", "provisional")

    def __init__(self, grammar: Grammar, text: str, anchor: date | None):
        self.grammar = grammar
        self.text = text
        self.anchor = anchor
        self.lo = 0
        self.hi = len(text)
        self.ref: Period | None = None
        self.ref_end = -1  # where the expression that set `ref` ends
        self.provisional = False  # True while candidates are chosen, before the reference dates are known

    def tense(self, start: int, end: int, reach: int = LEFT_WORDS) -> str | None:
        """"past", "future" or None: the nearest tense cue of the clause around text[start:end], looking at
        most `reach` words before it (and fewer after)."""
        g = self.grammar
        left = self.text[max(self.lo, start - 80):start]
        cut = list(_CLAUSE_END.finditer(left))
        if cut:
            left = left[cut[-1].end():]
        right = self.text[end:min(self.hi, end + 60)]
        stop = _CLAUSE_END.search(right)
        if stop:
            right = right[:stop.start()]
        # the verb an expression modifies is most often before it ("a déclaré mercredi", "will meet
        # Tuesday"); after it only when the clause opens with the expression ("On Friday, the team met")
        words = _TENSE_WORD.findall(left)[-reach:][::-1]
        for i, word in enumerate(words):
            t = self._cue(word)
            if t == "past" and i + 1 < len(words) and key(words[i + 1]) in g.passive_auxiliaries:
                continue  # "would be held": a participle after "be" is no past tense
            if t:
                return t
        for word in _TENSE_WORD.findall(right)[:min(RIGHT_WORDS, reach)]:
            t = self._cue(word)
            if t:
                return t
        return None

    def _cue(self, word: str) -> str | None:
        g = self.grammar
        k = key(word)
        if k in g.future_words:
            return "future"
        if k in g.past_words:
            return "past"
        w = word.lower().replace("’", "'")
        if "'" in w:  # clitics: "they'll"
            return "future" if w.endswith(g.future_suffixes) and "'" in w else None
        if len(w) >= g.min_suffix_length and k not in g.suffix_exceptions and not word[:1].isupper():
            if g.future_suffixes and w.endswith(g.future_suffixes):
                return "future"
            if g.past_suffixes and w.endswith(g.past_suffixes):
                return "past"
        return None

    def preceding_word(self, start: int) -> str:
        words = _WORD.findall(self.text[max(self.lo, start - 30):start])
        return key(words[-1]) if words else ""

    def following_word(self, end: int) -> str:
        m = _WORD.search(self.text, end, min(self.hi, end + 30))
        return key(m.group()) if m else ""


class Tagger:
    """Temporal expressions of one language."""

    def __init__(self, grammar: Grammar):
        self.grammar = grammar
        self.code = grammar.code
        self._handlers: dict[str, Callable[[re.Match[str], _Context], _Found | None]] = {
            "date": self._date, "decade": self._decade, "century": self._century, "weekday": self._weekday,
            "days": self._days, "part": self._part, "relative": self._relative,
            "anaphoric": self._anaphoric, "amount": self._amount_kind, "duration": self._duration,
            "vague": self._vague, "ref": self._ref, "set": self._set, "quarter": self._quarter,
            "season": self._season, "holiday": self._holiday, "clock": self._clock,
        }
        unknown = {r.kind for r in grammar.rules} - set(self._handlers)
        if unknown:
            raise ValueError(f"E105 unknown pattern kinds in the {self.code} table: {', '.join(sorted(unknown))}")

    # --- scanning ------------------------------------------------------------------------------------------

    def tag(self, text: str, anchor: date | str | None,
            ranges: Sequence[tuple[int, int]] | None = None) -> list[TimeExpr]:
        """Temporal expressions of `text` (only inside `ranges` when given), in text order."""
        if isinstance(anchor, str):
            anchor = date.fromisoformat(anchor[:10])
        if text.isascii() or unicodedata.is_normalized("NFC", text):
            # patterns match any white space and the few invisible characters normalisation removes do not
            # occur inside dates: the normalised view is only needed for decomposed accents
            norm, omap = text, OffsetMap.identity(len(text))
        else:
            norm, omap = normalized_view(text)
        if ranges is None:
            spans = [(0, len(norm))]
        elif omap.is_identity:
            spans = [(max(0, s), min(len(norm), e)) for s, e in ranges]
        else:
            spans = [(omap.to_normalized(s), omap.to_normalized(e)) for s, e in ranges]
        ctx = _Context(self.grammar, norm, anchor)
        low = _lower(norm)
        anchor_text = anchor.isoformat() if anchor else None
        out: list[TimeExpr] = []
        for lo, hi in sorted(spans):
            if hi <= lo:
                continue
            ctx.lo, ctx.hi = lo, hi
            for rule, m, found in self._select(low, lo, hi, ctx):
                s, e = m.span()
                if not omap.is_identity:
                    s, e = omap.span(s, e)
                out.append(TimeExpr(text[s:e], s, e, found.value, found.type, found.grain, anchor_text,
                                    found.mod or None, rule.kind))
        return out

    def _candidates(self, text: str, lo: int, hi: int) -> list[tuple[int, int, int, Rule, re.Match[str]]]:
        g = self.grammar
        windows: dict[int, list[tuple[int, int]]] = {}
        rules: dict[int, Rule] = {}
        triggers = g.triggers
        by_trigger = g.rules_by_trigger
        for m in g.trigger_regex.finditer(text, lo, hi):
            tok = m.group()
            if tok[-1].isdigit() or tok[0].isdigit():
                cats = _number_category(tok)
                if not cats:
                    continue
            else:
                cats = triggers.get(tok.lower())
                if not cats:
                    continue
            s, e = m.span()
            for cat in cats:
                for rule in by_trigger.get(cat, ()):
                    rules[rule.priority] = rule
                    windows.setdefault(rule.priority, []).append((max(lo, s - rule.before), min(hi, e + rule.after)))
        found = []
        for prio, ws in windows.items():
            rule = rules[prio]
            ws.sort()
            merged: list[list[int]] = []
            for a, b in ws:
                if merged and a <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            for a, b in merged:
                for m in rule.regex.finditer(text, a, b):
                    if m.end() > m.start() and "\n\n" not in m.group():
                        found.append((m.start(), -(m.end() - m.start()), prio, rule, m))
        return found

    def _select(self, text: str, lo: int, hi: int, ctx: _Context):
        """Non-overlapping candidates that their handler accepts, longest first (earlier, then earlier pattern
        on a tie), yielded in text order. Values that depend on the previously mentioned date are computed
        again in text order, once the expressions before them are known."""
        kept: list[tuple[int, int, Rule, re.Match[str], _Found]] = []
        seen: set[tuple[int, int, int]] = set()
        ctx.ref, ctx.provisional = None, True  # the previous date is not known yet: accept, value later
        for start, neg_len, prio, rule, m in sorted(self._candidates(text, lo, hi), key=_longest_first):
            end = start - neg_len
            if (start, end, prio) in seen or any(s < end and start < e for s, e, *_ in kept):
                continue
            seen.add((start, end, prio))
            found = self._handle(rule, m, ctx)
            if found is not None:
                kept.append((start, end, rule, m, found))
        kept.sort(key=lambda k: k[0])
        ctx.ref, ctx.provisional = None, False
        for start, end, rule, m, found in kept:
            if _uses_reference(rule.kind, m):
                found = self._handle(rule, m, ctx)
                if found is None:
                    continue
            if found.ref is not None:
                ctx.ref, ctx.ref_end = found.ref, end
            yield rule, m, found

    def _handle(self, rule: Rule, m: re.Match[str], ctx: _Context) -> _Found | None:
        try:
            return self._handlers[rule.kind](m, ctx)
        except (ValueError, OverflowError):  # a day the calendar lacks: "31 février", 10,000 years ago
            return None

    # --- helpers -------------------------------------------------------------------------------------------

    def _v(self, table: str, m: re.Match[str], group: str):
        text = _group(m, group)
        return self.grammar.value(table, text)

    def _number(self, text: str | None) -> float | None:
        """The amount a number slot says: digits, words ("twenty-four", "vingt et un", "a couple of")."""
        if text is None:
            return None
        t = text.strip()
        if t[:1].isdigit():
            half = t.endswith("1/2")
            t = t[:-3].strip() if half else t
            t = t.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", t) else t.replace(",", ".")
            try:
                return float(t) + (0.5 if half else 0)
            except ValueError:
                return None
        g = self.grammar
        whole = g.value("numbers", t)
        if whole is not None:
            return float(whole)
        total = 0.0
        joiners = {key(j) for j in g.table.get("number_joiners", [])}
        for w in re.split(r"[\s\-‐‑]+", t):
            k = key(w)
            if not k or k in joiners:
                continue
            v = g.lookups["numbers"].get(k)
            if v is None:
                return None
            total = total * v if v in (100, 1000) and total else total + v
        return total

    def _year(self, m: re.Match[str], which: str = "year") -> int | None:
        y = _group(m, which)
        if y:
            return int(y)
        yy = _group(m, "yy")
        if yy and which == "year":
            n = int(yy)
            return 2000 + n if n < 50 else 1900 + n
        return None

    def _shift(self, m: re.Match[str]) -> int | None:
        shift_by = self._v("shifts", m, "shift")
        return self._v("shifts", m, "shift2") if shift_by is None else shift_by

    def _mod(self, m: re.Match[str]) -> str | None:
        mod = self._v("modifiers", m, "mod")
        return mod or None

    # --- handlers ------------------------------------------------------------------------------------------

    def _date(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        g = self.grammar
        month_text = _group(m, "month")
        month = g.value("months", month_text) if month_text else None
        if month is None and _group(m, "mm"):
            month = int(_group(m, "mm"))
        day_text = _group(m, "day") or _group(m, "dd")
        day = int(day_text) if day_text else None
        year = self._year(m) or self._year(m, "year2")
        weekday = self._v("weekdays", m, "weekday")
        shift_by = self._shift(m)
        mod = self._mod(m)
        anchor = ctx.anchor
        year_shift = self._v("shifts", m, "shift9")  # "June last year": a pattern's {shift#9} is the year's
        if year_shift is not None and year is None and anchor is not None:
            year = anchor.year + year_shift
        if month is None and year is None:
            return None
        if month_text and not self._name_ok("month", ctx, m, alone=not (day or year or mod or shift_by is not None)):
            return None
        if month_text and not (day or year) and "." not in month_text and g.value("months_full", month_text) is None:
            return None  # "Jan" the name: an abbreviated month needs a day or a year
        if day and month and year:
            try:
                d = date(year, month, day)
            except ValueError:
                return None
            return _point(Period(d, "day"), mod)
        if month and year:
            return _point(Period(date(year, month, 1), "month"), mod)
        if day and month:
            if day > _month_days(month):
                return None
            if anchor is None:
                return _Found(None, "DATE", "day", mod)
            if shift_by in (-1, 1):  # "le 24 février dernier": the last one before the anchor (next: after)
                cands = [date(y, month, day) for y in range(anchor.year - 2, anchor.year + 3)
                         if day <= _month_days_in(y, month)]
                d = max(c for c in cands if c < anchor) if shift_by < 0 else min(c for c in cands if c > anchor)
                return _point(Period(d, "day"), mod)
            d = self._resolve_day_month(ctx, m, month, day, weekday)
            return _point(Period(d, "day"), mod)
        if month:
            if anchor is None:
                return _Found(None, "DATE", "month", mod)
            y = self._resolve_month(ctx, m, month, shift_by)
            return _point(Period(date(y, month, 1), "month"), mod)
        # a year alone
        if not self._plausible_year(m, ctx, year, mod):
            return None
        return _point(Period(date(year, 1, 1), "year"), mod)

    def _name_ok(self, group: str, ctx: _Context, m: re.Match[str], alone: bool) -> bool:
        """Whether the month, weekday or season name of `group` is one here: capitalised where the language
        writes it so, and, for a name that is also a common word ("May", "fall"), after a cue word when it
        stands alone."""
        g = self.grammar
        name = ctx.text[m.start(group):m.end(group)]  # as written (the match is on lower-cased text)
        if g.capitalized_names and name[:1].islower():
            return False
        if (g.lowercase_names and name[:1].isupper() and not name.isupper() and key(name) in g.ambiguous
                and not _sentence_start(ctx, m.start(group))):
            return False  # French "Mars" inside a sentence is the planet: months are written in lower case
        return not (alone and key(name) in g.ambiguous and ctx.preceding_word(m.start()) not in g.cues)

    def _plausible_year(self, m: re.Match[str], ctx: _Context, year: int, mod: str | None) -> bool:
        text = m.group()
        if mod or not text[:1].isdigit():
            return True
        nxt = ctx.following_word(m.end())
        after = ctx.text[m.end():m.end() + 2]
        if after[:1] in ("-", "/") or (nxt and nxt in self.grammar.lookups["units"]):
            return False
        if ctx.anchor and abs(year - ctx.anchor.year) > 80:
            # far years in news are usually amounts unless the text says so: keep those after a preposition
            return ctx.preceding_word(m.start()) in self.grammar.cues
        return True

    def _resolve_day_month(self, ctx: _Context, m: re.Match[str], month: int, day: int, weekday: int | None) -> date:
        anchor = ctx.anchor
        cands = []
        for y in (anchor.year - 1, anchor.year, anchor.year + 1):
            try:
                cands.append(date(y, month, day))
            except ValueError:
                pass
        if weekday:
            same = [c for c in cands if c.isoweekday() == weekday]
            if same:
                cands = same
        best = min(cands, key=lambda c: (abs((c - anchor).days), c > anchor))
        if abs((best - anchor).days) <= CLOSE_DAYS:
            return best
        past = max((c for c in cands if c <= anchor), default=None)
        future = min((c for c in cands if c >= anchor), default=None)
        if past is None or future is None:
            return best
        tense = ctx.tense(m.start(), m.end(), CLEAR_TENSE)
        if tense is None:
            tense = "future" if (future - anchor).days <= FUTURE_REACH * 30.5 else "past"
        return past if tense == "past" else future

    def _resolve_month(self, ctx: _Context, m: re.Match[str], month: int, shift_by: int | None) -> int:
        anchor = ctx.anchor
        here = anchor.year * 12 + anchor.month
        diffs = {y: y * 12 + month - here for y in (anchor.year - 1, anchor.year, anchor.year + 1)}
        if shift_by == 0:
            return anchor.year
        if shift_by == -1:
            return max((y for y, d in diffs.items() if d < 0), key=lambda y: diffs[y])
        if shift_by == 1:
            return min((y for y, d in diffs.items() if d > 0), key=lambda y: diffs[y])
        best = min(diffs, key=lambda y: (abs(diffs[y]), diffs[y] > 0))
        if abs(diffs[best]) <= 1:
            return best
        past = max((y for y, d in diffs.items() if d <= 0), key=lambda y: diffs[y])
        future = min((y for y, d in diffs.items() if d >= 0), key=lambda y: diffs[y])
        tense = ctx.tense(m.start(), m.end(), CLEAR_TENSE)
        if tense is None:
            tense = "future" if diffs[future] <= FUTURE_REACH else "past"
        return past if tense == "past" else future

    def _decade(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        d = _group(m, "decade")
        if d:
            y = int(d)
        else:
            n = int(_group(m, "decade2"))
            y = 1900 + n if n >= 20 else 2000 + n
        return _point(Period(date(y, 1, 1), "decade"), self._mod(m))

    def _century(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        n = _group(m, "ordcentury")
        value = int(n) if n else _roman(_group(m, "roman") or "")
        if not value or value > 30:
            return None
        return _point(Period(date(max(1, (value - 1) * 100), 1, 1), "century"), self._mod(m))

    def _weekday(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        g = self.grammar
        wd_text = _group(m, "weekday")
        weekday = g.value("weekdays", wd_text)
        if weekday is None:
            return None
        shift_by = self._shift(m)
        if not self._name_ok("weekday", ctx, m, alone=shift_by is None):
            return None
        if ctx.anchor is None:
            return _Found(None, "DATE", "day")
        # a part of the day ("Friday night") stays out of the value: the day is what a timeline needs
        return _point(Period(self._resolve_weekday(ctx, m, weekday, shift_by), "day"), None)

    def _resolve_weekday(self, ctx: _Context, m: re.Match[str], weekday: int, shift_by: int | None) -> date:
        anchor = ctx.anchor
        ashift = self._v("anaphoric_shifts", m, "ashift")
        if ashift:  # "the previous Friday": before the day the text was just talking about
            base = ctx.ref.first if ctx.ref is not None and ctx.ref.grain == "day" else anchor
            return weekday_near(base, weekday, ashift, strict=True)
        if shift_by == -1:
            return weekday_near(anchor, weekday, -1, strict=True)
        if shift_by == 1:
            return weekday_near(anchor, weekday, 1, strict=True)
        tense = ctx.tense(m.start(), m.end())
        if tense == "future":
            return weekday_near(anchor, weekday, 1)
        if shift_by == 0 and tense is None:
            return weekday_near(anchor, weekday, 0)
        return weekday_near(anchor, weekday, -1)

    def _days(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        offset = self._v("days", m, "days")
        if offset is None:
            return None
        written = ctx.text[m.start("days"):m.end("days")]
        if (key(written) in self.grammar.lowercase_only and written[:1].isupper()
                and not _sentence_start(ctx, m.start())):
            return None  # German "am Morgen" (the morning), not "morgen" (tomorrow)
        if ctx.anchor is None:
            return _Found(None, "DATE", "day")
        return _point(Period(ctx.anchor + timedelta(days=offset), "day"), None)

    def _part(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        part = self._v("parts_of_day", m, "part")
        shift_by = self._v("shifts", m, "shift")
        days = self._v("days", m, "days")
        offset = days if days is not None else (shift_by if shift_by is not None else -1)
        if part is None or offset > 0 and days is None:
            return None
        if ctx.anchor is None:
            return _Found(None, "TIME", "day")
        return _point(Period(ctx.anchor + timedelta(days=offset), "day", part), None)

    def _relative(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        unit = self._v("units", m, "unit")
        shift_by = self._v("shifts", m, "shift")
        mod = self._mod(m)
        if unit is None or unit in ("S", "MIN", "H"):
            return None
        if shift_by is None:
            if unit == "WE" and mod is None and not _group(m, "mod"):
                return self._weekend(m, ctx)
            shift_by = 0
            if mod is None and not _group(m, "mod"):
                return None
        base = ctx.anchor
        if _group(m, "that"):
            base = ctx.ref.first if ctx.ref else ctx.anchor
        if base is None:
            return _Found(None, "DATE", UNIT_GRAIN[unit], mod)
        if unit == "D" and shift_by != 0:
            return None  # "the next day" is anaphoric; "last day" is not a date
        if unit == "WE":
            week = shift(base, "W", shift_by)
            y, w, _ = week.isocalendar()
            return _Found(f"{y:04d}-W{w:02d}-WE", "DATE", "week", mod, Period(start_of(week, "week"), "week"))
        grain = UNIT_GRAIN[unit]
        return _point(period(shift(base, unit, shift_by), grain), mod)

    def _weekend(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        """"The weekend": the last one in past tense (the default), the coming one in future tense."""
        if ctx.anchor is None:
            return _Found(None, "DATE", "week")
        saturday = weekday_near(ctx.anchor, 6, 1 if ctx.tense(m.start(), m.end()) == "future" else -1)
        if ctx.anchor.isoweekday() == 7 and saturday > ctx.anchor:
            saturday -= timedelta(days=7)
        y, w, _ = saturday.isocalendar()
        return _Found(f"{y:04d}-W{w:02d}-WE", "DATE", "week", None, Period(start_of(saturday, "week"), "week"))

    def _amount(self, m: re.Match[str]) -> tuple[float | None, str | None, bool]:
        """(amount, unit, vague) of a "{num} {unit}" match; idioms ("quinze jours") count in days."""
        idiom = self._v("idioms", m, "idiom")
        if idiom:
            return float(idiom[0]), "D", False
        unit = self._v("units", m, "unit")
        if _group(m, "vague") is not None:
            return None, unit, True
        num_text = _group(m, "num")
        idiom = self.grammar.value("idioms", f"{num_text} {_group(m, 'unit')}")
        if idiom:
            return float(idiom[0]), "D", False
        n = self._number(num_text)
        if n is None:
            return None, unit, False
        if unit and key(_group(m, "unit")) in self.grammar.unit_needs_number and key(num_text) in self.grammar.articles:
            return None, None, False
        if _group(m, "half"):  # "two and a half years", "deux heures et demie"
            n += 0.5
        return n, unit, False

    def _amount_kind(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        """An amount of time: a duration ("two weeks"), or a date that far back ("two weeks ago", "il y a
        deux semaines"), ahead ("dans deux semaines") or from the last date mentioned ("a year earlier")."""
        if _group(m, "ago"):
            return self._offset(m, ctx, -1, "PAST_REF")
        if _group(m, "later"):
            return self._offset(m, ctx, 1, "FUTURE_REF")
        if _group(m, "before") or _group(m, "after"):
            return self._anaphoric(m, ctx)
        return self._duration(m, ctx)

    def _offset(self, m: re.Match[str], ctx: _Context, sign: int, vague_ref: str) -> _Found | None:
        n, unit, vague = self._amount(m)
        if unit is None:
            return None
        if vague:
            return _Found(vague_ref, "DATE", "ref")
        if n is None:
            return None
        grain = UNIT_GRAIN[unit]
        if ctx.anchor is None:
            return _Found(None, "DATE", grain)
        if unit in ("S", "MIN", "H"):
            return _point(Period(ctx.anchor, "day"), None, keep_ref=False)
        ref = ctx.ref
        if unit == "Y" and ref is not None and ref.grain in ("quarter", "half") and n == int(n) and sign < 0:
            # "a year ago" among quarterly figures is the same quarter a year before
            return _point(Period(shift(ref.first, "Y", -n), ref.grain), None, keep_ref=False)
        d = shift(ctx.anchor, unit, sign * n)
        if unit == "WE":
            y, w, _ = d.isocalendar()
            return _Found(f"{y:04d}-W{w:02d}-WE", "DATE", "week")
        return _point(period(d, grain), None)

    def _anaphoric(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        fixed = self._v("anaphora", m, "anaphora")
        ref = ctx.ref
        if fixed is not None:
            unit, n = fixed
            if unit in ("Q", "HY") and n == 0 and ctx.anchor is not None:
                # "the quarter": the one just named, else the last complete one (what results report on)
                grain = UNIT_GRAIN[unit]
                if ref is None or ref.grain != grain:
                    ref = period(shift(ctx.anchor, unit, -1), grain)
                return _point(ref, None)
        else:
            unit = self._v("units", m, "unit")
            if unit is None:
                return None
            ashift = self._v("anaphoric_shifts", m, "ashift")
            if ashift is not None:
                n = ashift
            elif _group(m, "num") is not None:
                n, unit, _ = self._amount(m)
                if n is None or unit is None:
                    return None
                if _group(m, "before"):
                    n = -n
            else:  # "year-earlier", "the year-ago quarter"
                n = -1
                unit2 = self._v("units", m, "unit2")
                if unit2 in ("Q", "HY") and ctx.anchor is not None:
                    grain = UNIT_GRAIN[unit2]
                    if ref is None or ref.grain != grain:  # the quarter just named, else the last complete
                        ref = period(shift(ctx.anchor, unit2, -1), grain)
                    return _point(Period(shift(ref.first, unit, n), grain), None, keep_ref=False)
        if unit in ("S", "MIN", "H"):
            return None
        base = ref.first if ref else ctx.anchor
        if base is None:
            return _Found(None, "DATE", UNIT_GRAIN[unit])
        grain = UNIT_GRAIN[unit]
        if unit == "Y" and n < 0 and n == int(n) and ctx.anchor is not None:
            if ref is not None and ref.grain in ("quarter", "half"):
                grain = ref.grain  # "a year earlier" among quarterly figures: that quarter a year before
            else:
                base = ctx.anchor  # otherwise news means a year before the report, like "a year ago"
        if ref is not None and unit == "D" and ref.grain != "day":
            return None  # "the next day" after a month says nothing we can compute
        return _point(period(shift(base, unit, n), grain), None, keep_ref=unit != "Y")

    def _duration(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        idiom = self._v("idioms", m, "idiom") or self.grammar.value("idioms", f"{_group(m, 'num')} {_group(m, 'unit')}")
        if idiom:
            return _Found(idiom[1], "DURATION", "week")
        if ctx.following_word(m.end()) in self.grammar.duration_exclude_after:
            return None  # an age: "52 years old"
        n, unit, vague = self._amount(m)
        if unit is None:
            return None
        if not vague and n is None:
            if _group(m, "num") is None and _group(m, "vague") is None:  # a bare plural: "years"
                vague = True
            else:
                return None
        n2 = self._number(_group(m, "num2"))
        unit2 = self._v("units", m, "unit2")
        value = duration_value(None if vague else n, unit)
        if n2 is not None and unit2 and not vague:
            value = _combine(value, duration_value(n2, unit2))
        return _Found(value, "DURATION", UNIT_GRAIN[unit])

    def _vague(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        """Some time back or ahead, without an amount: "recent years", "ces dernières semaines" (PAST_REF),
        "coming months", "dans les prochains jours" (FUTURE_REF)."""
        unit = self._v("units", m, "unit")
        if unit is None:
            return None
        shift_by = self._shift(m)
        if shift_by is None:
            return _Found(duration_value(None, unit), "DURATION", UNIT_GRAIN[unit])
        return _Found(("PAST_REF", "PRESENT_REF", "FUTURE_REF")[(shift_by > 0) - (shift_by < 0) + 1], "DATE", "ref")

    def _ref(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        value = self._v("refs", m, "ref")
        if value is None:
            return None
        if ctx.following_word(m.end()) in self.grammar.ref_exclude_after:
            return None
        return _Found(value, "DATE", "ref")

    def _set(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        value = self._v("sets", m, "set")
        if value:
            return _Found(value, "SET", "set")
        weekday = self._v("weekdays", m, "weekday")
        if weekday:
            return _Found(f"XXXX-WXX-{weekday}", "SET", "day")
        unit = self._v("units", m, "unit")
        if unit is None:
            return None
        n = self._number(_group(m, "num"))
        if n is not None and _group(m, "every"):  # "every two weeks"; "twice a week" is every week
            return _Found(duration_value(n, unit), "SET", UNIT_GRAIN[unit])
        return _Found(duration_value(1, unit), "SET", UNIT_GRAIN[unit])

    def _quarter(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        """A quarter or a half of a year: "the third quarter", "Q3 2021", "le premier semestre"."""
        unit = self._v("units", m, "unit") or "Q"
        if unit not in ("Q", "HY"):
            return None
        n = self._v("ordinals", m, "ord")
        if n is None and _group(m, "qnum"):
            n = int(_group(m, "qnum"))
        months = 3 if unit == "Q" else 6
        grain = UNIT_GRAIN[unit]
        year = self._year(m) or self._year(m, "year2")
        if n is None and _group(m, "ord") is None and year:
            # "the 1988 quarter": the quarter just named, in 1988
            if ctx.provisional:
                return _Found(None, "DATE", grain)
            if ctx.ref is None or ctx.ref.grain != grain:
                return None
            n = (ctx.ref.first.month - 1) // months + 1
        if n == -1:  # "the last quarter of 1989"
            n = 12 // months
        if n is None or not 1 <= n <= 12 // months:
            return None
        if year is None:
            if ctx.anchor is None:
                return _Found(None, "DATE", grain)
            shift_by = self._shift(m)
            year = ctx.anchor.year + (shift_by or 0)
            current = (ctx.anchor.month - 1) // months + 1
            if shift_by is None and n > current + 1:
                year -= 1  # "the fourth quarter" said in February is the one just ended
        return _point(Period(date(year, months * (n - 1) + 1, 1), grain), None)

    def _season(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        season_text = _group(m, "season")
        season = self.grammar.value("seasons", season_text)
        if season is None:
            return None
        year = self._year(m)
        shift_by = self._shift(m)
        if year is None and shift_by is None and key(season_text) in self.grammar.ambiguous:
            alone = key(m.group()) == key(season_text)  # no article, shift or year around it
            if alone and ctx.preceding_word(m.start()) not in self.grammar.cues:
                return None  # "fall" the verb
        if year is None:
            anchor = ctx.anchor
            if anchor is None:
                return _Found(None, "DATE", "season")
            start_month = SEASON_START[season]
            # the occurrence of the season that started last (winter starts in December), and whether the
            # anchor is inside it
            year = anchor.year if date(anchor.year, start_month, 21) <= anchor else anchor.year - 1
            end = add_months(date(year, start_month, 21), 3)
            current = anchor < end
            if shift_by == -1:
                year -= 1 if current else 0
            elif shift_by == 1 or (not current and shift_by == 0):
                year += 1
            elif not current:
                tense = ctx.tense(m.start(), m.end())
                upcoming = date(year + 1, start_month, 21)
                if tense == "future" or tense is None and (upcoming - anchor) < (anchor - end):
                    year += 1
        return _Found(f"{year:04d}-{season}", "DATE", "season", None,
                      Period(date(year, SEASON_START[season], 1), "season", season=season))

    def _holiday(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        spec = self._v("holidays", m, "holiday")
        if spec is None:
            return None
        year = self._year(m)
        if year is None:
            anchor = ctx.anchor
            if anchor is None:
                return _Found(None, "DATE", "day")
            shift_by = self._v("shifts", m, "shift")
            cands = [d for d in (holiday(spec, y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)) if d]
            if shift_by == -1:
                d = max(c for c in cands if c < anchor)
            elif shift_by == 1:
                d = min(c for c in cands if c > anchor)
            else:
                d = min(cands, key=lambda c: (abs((c - anchor).days), c > anchor))
                if abs((d - anchor).days) > CLOSE_DAYS:
                    tense = ctx.tense(m.start(), m.end())
                    if tense == "past":
                        d = max(c for c in cands if c <= anchor)
                    elif tense == "future":
                        d = min(c for c in cands if c >= anchor)
        else:
            d = holiday(spec, year)
            if d is None:
                return None
        return _point(Period(d, "day"), None)

    def _clock(self, m: re.Match[str], ctx: _Context) -> _Found | None:
        word = self._v("clock_words", m, "clockword")
        if word:
            hh, mm = (int(x) for x in word.split(":"))
        else:
            hh = int(_group(m, "hour"))
            mm = int(_group(m, "minute") or 0)
            ampm = self._v("ampm", m, "ampm")
            if ampm:
                if not 1 <= hh <= 12:
                    return None
                hh = hh % 12 + (12 if ampm == "pm" else 0)
            elif _group(m, "minute") is None and not _group(m, "oclock") and not _group(m, "part"):
                return None  # a bare number is no time of day
        part = self._v("parts_of_day", m, "part")
        if part in ("AF", "EV", "NI") and hh < 12:
            hh += 12 if part != "NI" or hh >= 6 else 0
        if hh > 24 or mm > 59:
            return None
        clock = f"{hh:02d}:{mm:02d}"
        anchor = ctx.anchor
        if anchor is None:
            return _Found(None, "TIME", "time")
        day = anchor
        offset = self._v("days", m, "days")
        if offset is None:
            offset = self._v("days", m, "days2")
        weekday = self._v("weekdays", m, "weekday") or self._v("weekdays", m, "weekday2")
        month = self._v("months", m, "month")
        just_before = ctx.ref is not None and ctx.ref.grain == "day" and 0 <= m.start() - ctx.ref_end <= 4
        if offset is not None:
            day = anchor + timedelta(days=offset)
        elif month and _group(m, "day"):
            if int(_group(m, "day")) > _month_days(month):
                return None
            day = self._resolve_day_month(ctx, m, month, int(_group(m, "day")), weekday)
        elif weekday:
            day = self._resolve_weekday(ctx, m, weekday, None)
        elif just_before:  # "le 31 décembre 2021 à minuit", "Friday at 9 a.m."
            day = ctx.ref.first
        return _Found(f"{day.isoformat()}T{clock}", "TIME", "time", None, Period(day, "day"))


_DIGITS = re.compile(r"\D*(\d+)")


def _number_category(token: str) -> tuple[str, ...]:
    """Trigger categories of a word with digits: a plausible year ("1989", "1980s"), one or two digits
    ("23", "3rd", "10h30", "Q3"), or nothing (amounts such as "250" or "2000000")."""
    digits = _DIGITS.match(token).group(1)
    if len(digits) <= 2:
        return ("digit",)
    if len(digits) == 4 and (digits[:2] == "20" or "15" <= digits[:2] <= "19"):
        return ("year",)
    return ()


def _lower(text: str) -> str:
    """The text in lower case, of the same length (the few letters whose lower case is longer, such as
    the dotted capital I, stay as they are)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _uses_reference(kind: str, m: re.Match[str]) -> bool:
    """Whether the value of a match may depend on the date mentioned before it ("the next day", "that
    week", "a year earlier", "the 1988 quarter", "the previous Friday")."""
    if kind == "anaphoric":
        return True
    if kind == "amount":
        return bool(_group(m, "before") or _group(m, "after") or _group(m, "ago"))
    if kind == "relative":
        return bool(_group(m, "that"))
    if kind == "weekday":
        return bool(_group(m, "ashift"))
    if kind == "quarter":
        return _group(m, "ord") is None and _group(m, "qnum") is None
    return kind == "clock"  # a time of day takes the day written just before it


def _longest_first(c: tuple[int, int, int, Rule, re.Match[str]]) -> tuple[int, int, int]:
    start, neg_len, prio = c[:3]
    return neg_len, start, prio


def _sentence_start(ctx: _Context, start: int) -> bool:
    before = ctx.text[max(ctx.lo, start - 20):start].rstrip()
    return not before or before[-1] in ".!?:\n\"«“'"


def _group(m: re.Match[str], name: str) -> str | None:
    return m.group(name) if name in m.re.groupindex else None


def _point(p: Period, mod: str | None, keep_ref: bool = True) -> _Found:
    return _Found(p.value, "TIME" if p.clock else "DATE", p.grain, mod, p if keep_ref else None)


def _combine(first: str, second: str) -> str:
    """One duration from two: P2Y + P3M = P2Y3M, PT2H + PT30M = PT2H30M, P1D + PT6H = P1DT6H."""
    if first.startswith("PT") or "T" not in second:
        return first + second[2 if second.startswith("PT") and "T" in first else 1:]
    return first + second[1:]


def _month_days_in(year: int, month: int) -> int:
    return 28 if month == 2 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else _month_days(month)


def _month_days(month: int) -> int:
    return (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


_ROMAN = {"I": 1, "V": 5, "X": 10}


def _roman(s: str) -> int:
    total, prev = 0, 0
    for ch in reversed(s.upper()):
        v = _ROMAN.get(ch, 0)
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total
