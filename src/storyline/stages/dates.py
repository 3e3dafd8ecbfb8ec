"""When an article was published, from what the input declared or, failing that, from the text itself.

Evidence, strongest first:
0. a date the input declared (`doc.meta["published"]`: JSON Lines field, HTML metadata, feed or WARC header);
1. a date line ("15 FÉVRIER 2022", "Publié le 3 mars 2022 à 10h", "Par AFP - 20 déc. 2021 à 18:30") among the
   first lines: the last one above the first paragraph of prose (higher ones date teasers for other
   articles), else one just below a standfirst; with update times on the line, the earliest date;
2. the day in the article's address ("/2021/12/23/");
3. a dateline ("MADRID, 15 février (EUROPA PRESS) -", "Paris, 20 déc. (Cinktank.com) –"), or the date just after
   it ("Genève (AFP) - 10/01/2022");
4. a day the text calls today ("ce 23 décembre", "este 15 de febrero"), unless an anniversary ("un an après ce
   24 février 2022") or a stated year of writing says otherwise;
5. internal evidence that bounds an interval: "le mois prochain" with meetings "le 12 janvier" (published the
   month before), "el mes pasado, en abril", "earlier this month, on October 5" (on the 5th or later), a holiday
   ("les vacances du Nouvel An"), the year of writing the text states ("l'an dernier, en 2021": 2022), the
   weekdays the story tells of ("jeudi", "vendredi": published on the latest of them; not "lundi prochain",
   nor "lundi 10 janvier", which dates only that day). Never after today.

A day without a year takes the year that agrees with the weekdays the text mentions and lies nearest to the
dates of the other documents of the batch (`pipe(docs)`: corpus evidence); alone, the nearest past year.
The result is always a `Published` {date or None, earliest, latest, evidence}.

All language knowledge (month and weekday names, relative words, holidays) comes from `storyline.lang`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .. import lang
from ..pipeline import register_stage
from ..records import Document, Published
from ..textnorm import fold
from .date_grammar import DateGrammar, Mention, age_line, date_line, grammar
from .metadata import parse_day

__all__ = ["DateGrammar", "Mention", "grammar", "date_line", "age_line", "PublicationDate"]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "\u00a0": " ", "\u202f": " "})
YEAR_SPAN = 12  # a year inferred from weekdays is searched this many years around the reference


# A year written alone ("au début de 2022."), not part of a numeric date (2022-01-05, 05.01.2022) or a number.
_WRITTEN_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/-]|[.,]\d)")

_NEAR = 30  # characters between a relative phrase and the date or year it is about
_YEAR_SHIFTS = {"last_year": 1, "this_year": 0, "next_year": -1}  # a year written beside: the year of writing +-
# "next month": the months named are after the month of writing; "earlier this month": the days named are past
_MONTH_SHIFTS = (("next_month", 1), ("last_month", -1), ("earlier_this_month", 0), ("this_month", 0))
# right after a relative year phrase: the year it is ("l'an dernier, en 2021", "im vergangenen Jahr (2021)")
_YEAR_BESIDE = re.compile(r"[\s,(]*(?:[^\W\d]+\s+)?((?:19|20)\d\d)(?!\d)")


def _publication_year(body: str, spans, mentions: list[Mention]) -> tuple[int | None, str]:
    """The year of writing the text states: a year written beside "last year" / "this year" / "next year"
    ("l'an dernier, en 2021": 2022), or beside an anniversary ("un an après ce 24 février 2022": 2023)."""
    for kind, s, e in spans:
        if kind in _YEAR_SHIFTS:
            shift = _YEAR_SHIFTS[kind]
        elif kind.startswith("since_"):
            shift = int(kind.removeprefix("since_"))
        else:
            continue
        beside = _YEAR_BESIDE.match(body, e)
        year = int(beside.group(1)) if beside and beside.end() - e <= _NEAR else None
        if year is None and shift > 0 and kind.startswith("since_"):
            year = next((m.year for m in mentions if m.year and 0 <= m.start - e <= _NEAR), None)
        if year:
            end = beside.end() if beside and beside.end() - e <= _NEAR else e
            return year + shift, " ".join(body[s:end].split())
    return None, ""


def _months_beside(body: str, spans, kind: str, g: DateGrammar) -> set[int]:
    """Months named right beside a relative month phrase ("el mes pasado, en abril", "le mois prochain, le 14
    mars")."""
    out = set()
    for k, s, e in spans:
        if k == kind:
            for m in g.month_word_re.finditer(body[max(0, s - _NEAR):e + _NEAR].lower()):
                month = g.month_of.get(fold(m.group()))
                if month:
                    out.add(month)
    return out

# --- the stage -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Evidence:
    """What one document says about its own date, before the year is settled."""

    exact: Published | None = None  # fully dated (declared, or a date line with its year)
    anchor: Mention | None = None  # a day and month that is the publication day (dateline, "ce 23 décembre")
    anchor_kind: str = ""
    anchor_text: str = ""
    weekdays: tuple[int, ...] = ()  # weekdays named in the body, in order of first appearance
    month_shift: int | None = None  # +1: events "next month" are in month M, so published in M-1
    shifted_months: tuple[int, ...] = ()
    not_before_day: int | None = None  # "earlier this month, on October 5": published on the 5th or later
    year: int | None = None  # the year of publication the text states ("l'an dernier, en 2021": 2022)
    year_phrase: str = ""
    holiday: str | None = None
    years: tuple[int, ...] = ()  # years written in the body
    phrases: tuple[str, ...] = ()


@register_stage("published")
class PublicationDate:
    """Publication date: declared, else read from the text (see the module docstring)."""

    requires = ("text", "meta", "body")
    assigns = ("published",)

    def __init__(self, today: date | None = None):
        self.today = today  # None: the real today, read when a document needs it

    def __call__(self, doc: Document) -> Document:
        return self.pipe([doc])[0]

    def pipe(self, docs: list[Document]) -> list[Document]:
        docs = list(docs)
        evidence = [self._evidence(doc) for doc in docs]
        # Corpus evidence: the days the batch states outright anchor the years of the others.
        refs = [date.fromisoformat(e.exact.date) for e in evidence if e.exact and e.exact.date]
        for doc, ev in zip(docs, evidence):
            if ev.exact:
                doc.published = ev.exact
        # Documents with a day but no year next, nearest first, so they can anchor the interval-only ones.
        for doc, ev in zip(docs, evidence):
            if not ev.exact and ev.anchor:
                doc.published = self._resolve_anchor(ev, refs)
        refs2 = refs + [date.fromisoformat(d.published.date) for d, e in zip(docs, evidence)
                        if not e.exact and e.anchor and d.published.date]
        for doc, ev in zip(docs, evidence):
            if not ev.exact and not ev.anchor:
                doc.published = self._resolve_interval(ev, refs2)
        return docs

    # -- evidence from one document

    def _evidence(self, doc: Document) -> _Evidence:
        ev = _Evidence()
        declared = doc.meta.get("published")
        day = parse_day(declared) if declared else None
        if day:
            ev.exact = Published.exact(day, f"declared by the input: {declared}")
            return ev
        codes = (doc.language,) if doc.language and lang.table(doc.language) else None
        g = grammar(codes)
        # 1. a date line near the top
        dated = _top_date_line(doc)
        yearless_line = None
        if dated:
            s, e, m = dated
            if m.year:
                ev.exact = Published.exact(m.on(m.year).isoformat(), f"date line {_quote(doc.text[s:e])}")
                return ev
            yearless_line = m, " ".join(doc.text[s:e].split())
        # 2. the day in the article's address ("/2021/12/23/", "-20211223-")
        day = _url_day(doc.url or "")
        if day:
            ev.exact = Published.exact(day, f"the article's address {_quote(doc.url)}")
            return ev
        # the body as written, apostrophes and quotes unified (same length, so offsets hold)
        body = (doc.body_text() if doc.body else doc.text).translate(_APOSTROPHES)
        scanned = g.scan(body)
        relative = scanned.relative
        mentions = g.mentions(body)
        # the weekdays the story tells of; one written with its date ("lundi 10 janvier") dates that day only
        ev.weekdays = tuple(dict.fromkeys(
            wd for wd, (s, e) in zip(scanned.weekdays, scanned.weekday_spans)
            if not any(m.start <= s < m.end for m in mentions)))
        ev.years = tuple(sorted({m.year for m in mentions if m.year} | {int(y) for y in _WRITTEN_YEAR.findall(body)}))
        ev.year, ev.year_phrase = _publication_year(body, scanned.spans, mentions)
        # a date just after "un an après", "a year ago" is an anniversary, not the day of writing
        since_ends = [e for kind, _, e in scanned.spans if kind.startswith("since_")]
        # 3. a dateline
        dl = doc.dateline or {}
        if dl.get("end") is not None:  # "Genève (AFP) - 10/01/2022 18:02": the date follows the dateline
            line_end = doc.text.find("\n", dl["end"])
            rest = doc.text[dl["end"]:line_end if line_end >= 0 else len(doc.text)]
            m = date_line(rest) if rest.strip() else None
            if m and m.year and m.on(m.year):
                ev.exact = Published.exact(m.on(m.year).isoformat(), f"dateline {_quote(dl['text'] + rest)}")
                return ev
        if dl.get("text"):
            found = g.mentions(dl["text"]) or grammar().mentions(dl["text"])
            if found:
                m = found[0]
                if m.year and m.on(m.year):
                    ev.exact = Published.exact(m.on(m.year).isoformat(), f"dateline {_quote(dl['text'])}")
                    return ev
                # the body may write the dateline's day with its weekday ("este martes 15 de febrero")
                wd = next((x.weekday for x in mentions
                           if x.weekday is not None and (x.day, x.month) == (m.day, m.month)), None)
                if m.weekday is None and wd is not None:
                    m = replace(m, weekday=wd)
                ev.anchor, ev.anchor_kind, ev.anchor_text = m, "dateline", dl["text"]
                return ev
        if yearless_line:  # "Jeudi 23 décembre": the year comes from the weekday and the corpus
            ev.anchor, ev.anchor_kind, ev.anchor_text = yearless_line[0], "date line", yearless_line[1]
            return ev
        # 4. a day the text calls today
        for m in mentions:
            if any(0 <= m.start - e <= _NEAR for e in since_ends) or (ev.year and m.year and m.year != ev.year):
                continue
            if g.is_today(body, m):
                phrase = _today_phrase(body, m, g)
                if m.year and m.on(m.year):
                    ev.exact = Published.exact(m.on(m.year).isoformat(), f"the text calls {_quote(phrase)} today")
                    return ev
                ev.anchor, ev.anchor_kind, ev.anchor_text = m, "today", phrase
                return ev
        # 5. interval evidence
        phrases = []
        days = [m for m in mentions if m.year is None or m.year == ev.year]
        for kind, shift in _MONTH_SHIFTS:
            # "le mois prochain" alone dates nothing; with "le 12 janvier" (or "el mes pasado, en abril") it does
            beside = _months_beside(body, scanned.spans, kind, g)
            months = sorted({m.month for m in days} | beside)
            if kind in relative and months:
                # the month meant: one named right beside the phrase, else one whose neighbour (the month of
                # writing) is named too, else the first
                paired = [mo for mo in months if shift and (mo - shift - 1) % 12 + 1 in months]
                ev.month_shift, ev.shifted_months = shift, tuple(sorted(beside) or paired or months)
                if kind == "earlier_this_month":  # the days it names are past
                    ev.not_before_day = min((m.day for m in days if m.month == ev.shifted_months[0]), default=None)
                phrases.append(relative[kind])
                break
        for name in g.holidays:
            if name in scanned.holidays:
                ev.holiday = name
                phrases.append(scanned.holidays[name])
                break
        ev.phrases = tuple(phrases)
        return ev

    # -- settling years and intervals

    def _resolve_anchor(self, ev: _Evidence, refs: list[date]) -> Published:
        m = ev.anchor
        what = (f"{ev.anchor_kind} {_quote(ev.anchor_text)}" if ev.anchor_kind in ("dateline", "date line")
                else f"{_quote(ev.anchor_text)} (the text's today)")
        latest_shift = timedelta(days=1) if ev.anchor_kind == "today" else timedelta(0)
        if m.year:
            d = m.on(m.year)
            if d is None:
                return Published(evidence=f"{what} is not a calendar day")
            return Published(date=d.isoformat(), earliest=d.isoformat(), latest=(d + latest_shift).isoformat(),
                             evidence=what)
        reference, why_ref, strong = self._reference(refs, ev)
        today = self.today or date.today()
        reach = 550 if strong else YEAR_SPAN * 366  # days from the reference a candidate may lie
        floor = 0
        if not ev.year and not refs and ev.years:
            # Only years the text writes: they may be history ("depuis 2014") but seldom more than a year ahead
            # ("au début de 2022"), so the day is no earlier than the year before the latest of them; and a
            # weekday that agrees weighs more than nearness to them.
            past = [y for y in ev.years if y <= today.year]
            floor, reach = (max(past) - 1 if past else 0), YEAR_SPAN * 366
        named = set(ev.weekdays)
        candidates = []
        for y in range(reference.year - YEAR_SPAN, reference.year + YEAR_SPAN + 1):
            d = m.on(y)
            if d is None or d > today + timedelta(days=1) or abs((d - reference).days) > reach or y < floor:
                continue
            if m.weekday is not None:  # "mardi 15 février": the weekday is part of the date
                agree = 0 if d.weekday() == m.weekday else 3
            elif d.weekday() in named:  # the story's weekdays: the day itself...
                agree = 0
            elif (d.weekday() - 1) % 7 in named:  # ...or the day before it
                agree = 1
            else:
                agree = 2
            candidates.append((agree, abs((d - reference).days), d))
        if not candidates:
            return Published(evidence=f"{what} has no year and no year fits {why_ref}")
        agree, _, d = min(candidates)
        if agree == 0 and (m.weekday is not None or named):
            why = (f"{what} has no year; {d:%d %B} fell on a {_weekday_name(d.weekday())} (as the text says) "
                   f"in {d.year}, the year nearest {why_ref}")
        else:
            why = f"{what} has no year; {d.year} puts it nearest {why_ref}"
        return Published(date=d.isoformat(), earliest=d.isoformat(), latest=(d + latest_shift).isoformat(),
                         evidence=why)

    def _resolve_interval(self, ev: _Evidence, refs: list[date]) -> Published:
        reference, why_ref, _ = self._reference(refs, ev)
        # Years the text writes date what the text tells of (the January of "le 12 janvier"), not the day of
        # publication: with them, a window is judged by the day its evidence points at.
        by_content = not refs and bool(ev.years) and ev.year is None
        years = range(reference.year - 1, reference.year + 2)
        # per kind of evidence, its window in each year: (first day, last day, why, the day the evidence names)
        kinds: list[list[tuple[date, date, str, date]]] = []
        if ev.month_shift is not None:
            month = ev.shifted_months[0]
            target = month - ev.month_shift  # the month of publication
            wins = []
            for y in years:
                yy, mm = y + (target - 1) // 12, (target - 1) % 12 + 1
                start = date(yy, mm, ev.not_before_day or 1)
                end = date(yy + mm // 12, mm % 12 + 1, 1) - timedelta(days=1)
                shifted = yy * 12 + mm - 1 + ev.month_shift  # the month the dates are in, counted from year 0
                named = date(shifted // 12, shifted % 12 + 1, 1)
                wins.append((start, end, f"{_quote(ev.phrases[0])} with dates in {_month_name(month)}: "
                                         f"published in {start:%B %Y}", named))
            kinds.append(wins)
        if ev.holiday:
            a, b = lang.shared("common")["holiday_windows"][ev.holiday]
            wins = []
            for y in years:
                start = date(y, int(a[:2]), int(a[3:]))
                end = date(y + (1 if b < a else 0), int(b[:2]), int(b[3:]))
                wins.append((start, end, f"{_quote(ev.phrases[-1])}: published between {start:%d %B} and "
                                         f"{end:%d %B %Y}", start))
            kinds.append(wins)
        if ev.year:  # the year of writing the text states: every window is cut to it
            first, last = date(ev.year, 1, 1), date(ev.year, 12, 31)
            kinds.append([(first, last, f"{_quote(ev.year_phrase)}: written in {ev.year}", first)])
        if not kinds:
            return Published(evidence="no date in the input or the text")
        # every combination of one window per kind that overlaps; the one nearest the reference wins
        combos = [(s, e, [w], [n]) for s, e, w, n in kinds[0]]
        for wins in kinds[1:]:
            combos = [(max(s, s2), min(e, e2), whys + [w2], named + [n2]) for s, e, whys, named in combos
                      for s2, e2, w2, n2 in wins if max(s, s2) <= min(e, e2)]
        today = self.today or date.today()
        # not published in the future
        combos = [(s, min(e, today), whys, named) for s, e, whys, named in combos if s <= today]
        if not combos:
            return Published(evidence="the text's date clues disagree: " + "; ".join(w[0][2] for w in kinds))

        def distance(c) -> int:
            s, e, _, named = c
            if by_content:
                return sum(min(abs(n.year - y) for y in ev.years) for n in named)
            return 0 if s <= reference <= e else min(abs((s - reference).days), abs((e - reference).days))

        start, end, whys, _ = min(combos, key=distance)
        why = "; ".join(whys) + f" (year from {why_ref})"
        if ev.weekdays:
            anchor_wd = _latest_weekday(ev.weekdays)
            hits = [start + timedelta(days=i) for i in range((end - start).days + 1)
                    if (start + timedelta(days=i)).weekday() == anchor_wd]
            wd = _weekday_name(anchor_wd)
            if len(hits) == 1:
                d = hits[0]
                return Published(date=d.isoformat(), earliest=d.isoformat(),
                                 latest=(d + timedelta(days=1)).isoformat(),
                                 evidence=f"{why}; the latest weekday the story tells of is {wd}: {d:%d %B %Y}")
            if hits:
                return Published(earliest=hits[0].isoformat(), latest=end.isoformat(),
                                 evidence=f"{why}; the story tells of a {wd}, so not before {hits[0]:%d %B}")
        return Published(earliest=start.isoformat(), latest=end.isoformat(), evidence=why)

    def _reference(self, refs: list[date], ev: _Evidence) -> tuple[date, str, bool]:
        """The day a year is chosen around, why, and whether it is evidence (the batch's dated documents, the
        years the text writes) or only today's date."""
        if ev.year:
            return date(ev.year, 7, 1), f"the year of writing the text states ({_quote(ev.year_phrase)})", True
        if refs:
            ordered = sorted(refs)
            mid = ordered[len(ordered) // 2]
            return mid, f"the other dated articles of the batch (around {mid:%B %Y})", True
        if ev.years:
            y = max(ev.years)
            return date(y, 7, 1), f"the year the text writes ({y})", True
        today = self.today or date.today()
        return today, "today (no other evidence of the year)", False


# Lines removed as the article's own furniture, which may carry its date ("Par Marie Dupont | Publié le ...");
# never lines of teasers for other articles.
_OWN_LINES = frozenset({"byline", "navigation", "header", "credit"})
_HEAD_LINES = 12
# the lead of a byline or a place before a date ("Par AFP - ", "Paris, le ...", "By Jane Doe | ")
_LEAD = re.compile(r"[^\d|·•,]{1,60}?(?:\s*[|·•,]|\s+[-–—])\s*")


def _top_date_line(doc: Document) -> tuple[int, int, Mention] | None:
    """The article's own date line: the last one above the first paragraph of prose (those higher up date
    teasers for other articles), else the first one below it (after a standfirst); never further down, where
    comments and related articles carry their own dates. Date lines one under the other ("Publié le ...",
    "Modifié le ...") are one group, dated by its earliest date."""
    above, below, prose, last = [], [], 0, -2
    for i, (s, e) in enumerate(_head_lines(doc)):
        m = _dated_line(doc.text[s:e])
        if m:
            groups = below if prose else above
            if groups and last == i - 1:
                groups[-1].append((s, e, m))
            else:
                groups.append([(s, e, m)])
            last = i
        elif _is_prose(doc.text[s:e]):
            prose += 1
            if prose == 2 or below or (above and prose):
                break
    group = above[-1] if above else below[0] if below else None
    return min(group, key=lambda line: (line[2].year or 0, line[2].month, line[2].day)) if group else None


def _head_lines(doc: Document) -> list[tuple[int, int]]:
    """The first lines of the article in text order: its body lines, and the lines of its own furniture
    (byline, date) removed below the first body line."""
    body = doc.body or [(0, len(doc.text))]
    first = body[0][0]
    own = [(r["start"], r["end"]) for r in doc.removed if r["reason"] in _OWN_LINES and r["start"] > first]
    return sorted(body[:_HEAD_LINES] + own)[:_HEAD_LINES + len(own)]


def _dated_line(line: str) -> Mention | None:
    """The date of a date line (its year when written), also one led by a byline or a place ("Par AFP - 20 déc.
    2021 à 18:30", "Paris, le 20 décembre 2021")."""
    m = date_line(line)
    if not m:
        lead = _LEAD.match(line.strip())
        if lead and len(lead.group().split()) <= 7:
            m = date_line(line.strip()[lead.end():])
    return m if m and m.on(m.year or 2000) else None  # 2000: a leap year, for a yearless 29 February


_URL_DAY = re.compile(r"[/_-]((?:19|20)\d\d)([/-]?)(0[1-9]|1[0-2])\2([0-2]\d|3[01])(?=[/_.-]|$)")


def _url_day(url: str) -> str | None:
    """The ISO day an article's address gives ("/2021/12/23/slug", "/slug-20211223.html"), else None."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    for m in _URL_DAY.finditer(path):
        try:
            return date(int(m.group(1)), int(m.group(3)), int(m.group(4))).isoformat()
        except ValueError:
            continue
    return None


def _is_prose(line: str) -> bool:
    """A paragraph of running text, not a headline, credit or date: many words and a sentence's end."""
    return len(line.split()) >= 12 and line.rstrip()[-1:] in ".!?»\"”"


def _today_phrase(text: str, m: Mention, g: DateGrammar) -> str:
    """The words that call a date today, with the date ("ce 23 décembre")."""
    before = text[max(0, m.start - 20):m.start]
    hit = g.today_re.search(fold(before))
    cut = len(before) - (len(fold(before)) - hit.start()) if hit else len(before)
    return (before[max(0, cut):] + text[m.start:m.end]).strip()


def _latest_weekday(weekdays: tuple[int, ...]) -> int:
    """The weekday that makes the named weekdays one compact run ending on it ("mercredi", "jeudi",
    "vendredi" -> vendredi): the day the story was written, if it tells of the days before."""
    best = None
    for cand in sorted(set(weekdays)):
        span = max((cand - w) % 7 for w in weekdays)
        if best is None or span < best[0]:
            best = (span, cand)
    return best[1]


def _weekday_name(i: int) -> str:
    return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[i]


def _month_name(m: int) -> str:
    return date(2000, m, 1).strftime("%B")


def _quote(s: str) -> str:
    s = " ".join(s.split())
    return f"'{s[:80]}'"
