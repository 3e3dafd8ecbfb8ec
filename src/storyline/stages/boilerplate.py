"""Boilerplate removal for text that is already extracted, line by line.

A scraped article carries lines that are not the article: navigation and breadcrumbs, teasers for other
articles ("Lire aussi : ...", "Article suivant..."), cookie banners, "follow us" and share buttons, comment
forms, photo credits and captions, forum controls, copies of the headline. They go; the headline, the dateline,
the standfirst, subheads and intertitles stay. Each line is judged by

1. cues (`stages.lines`): per-language tables (`storyline.lang`, category "boilerplate"): whole-line words
   ("Réduire", "Previous"), line openings ("Lire aussi", "Article précédent"), line endings ("... / AFP"),
   phrases anywhere ("utilise des cookies", "©"), some weak ones that only count in pairs or on short lines;
2. shape: a copy of the headline, a line without letters (but a time alone, a live blog entry's time stamp),
   a whole-line wire credit ("- Avec AFP"), a breadcrumb ("Actualités > Culture"), a caption under a photo
   credit;
3. position, around the article's core (`core_span`: the run of lines where paragraphs outweigh everything
   else, so that prose in a menu, a teaser grid or a comment section does not count as the article): lines
   above the headline (site header, and a date line above a menu when the article has its own); short lines,
   names and bylines between the headline and the first paragraph; what is no paragraph nor date between the
   headline and its repeat opening a reposted article (a forum post's header, the poster's words); the lines a
   lone cue announces ("Lire aussi" / the teaser under it and the teaser's date line, or
   a block of teaser titles and dates, but not the article's own headline and date that its first paragraph
   follows); a photo's caption over its credit; after the last paragraph,
   whatever is not a sentence (but a list the last paragraph announces with a colon), and everything once a
   footer cue appeared ("Previous", "Leave a Comment": the teasers "Santander court pour récupérer ..."
   between "Previous" and "Next"); dates there are the teasers' and comments', not protected; a line between
   two cues of one box (a newsletter form, a blocked video, a video player); a video's length and title under
   a player's cue; the last paragraphs opening with a name of the
   head's byline (the author's biography);
4. the outlet: lines that repeat across articles of one outlet (`OutletMemory`, learned over a batch with
   `pipe(docs)` and kept between batches; `to_dict`/`from_dict` let a store persist it).

A line is the unit of the decision; a "paragraph" (prose) is a line that reads as sentences. Texts from HTML
(`doc.html` set, extracted by trafilatura) are already clean: only cues, headline copies, empty lines and
outlet repeats apply there, never the position rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..pipeline import register_stage
from ..records import Document
from ..textnorm import fold
from .dates import age_line, date_line
from .lines import (BULLETS, CLOCK_LINE, LIST_MARKS, SENTENCE_INSIDE, SIDE_BY_SIDE, CueMatcher, Line, cues, line_reason,
                    split_lines)
from .source import guess_outlet, match_dateline, wire_name

# the line primitives live in `stages.lines`; they stay importable from here
__all__ = [
    "Line", "split_lines", "line_reason", "is_title_copy", "find_title_line", "CueMatcher", "cues", "OutletMemory",
    "Boilerplate", "BULLETS", "SENTENCE_INSIDE", "core_span", "teaser_block", "read_also_teasers",
]

# --- the headline ----------------------------------------------------------------------------------------


def find_title_line(lines: Sequence[Line], title: str | None) -> int | None:
    """Index of the first line that is the headline (bullets and case aside)."""
    if not title:
        return None
    tkey = fold(title).strip(BULLETS)
    if not tkey:
        return None
    for i, line in enumerate(lines):
        if line.key == tkey:
            return i
    for i, line in enumerate(lines[:40]):  # a declared title may carry or miss a site suffix
        shorter, longer = sorted((line.key, tkey), key=len)
        if len(shorter) >= 20 and longer.startswith(shorter) and len(shorter) >= 0.6 * len(longer):
            return i
    return None


def is_title_copy(line: Line, tkey: str) -> bool:
    """A copy of the headline: the same line, the headline followed by a credit, or a truncated headline at
    the end of a breadcrumb ("Accueil > Monde > Les États-Unis disent à la Russie qu'ils...")."""
    key = line.key
    if key == tkey:
        return True
    extra = len(key.split()) - len(tkey.split())
    if key.startswith(tkey) and (extra <= 12 or (extra <= 25 and not line.terminal)):
        return True  # the headline and a photo credit; not a lede that happens to open with it
    if key.endswith(tkey) and extra <= 8:
        return True  # a breadcrumb ending with the headline
    if line.ellipsis:
        stem = re.sub(r"(?:\.\.\.|…)[\s\"'»”’)\]]*$", "", line.text)
        words = fold(stem).split()
        for k in range(len(words), 3, -1):
            if tkey.startswith(" ".join(words[-k:])):
                return True
    return False




def _signed(line: Line, matcher: CueMatcher) -> bool:
    """A date line with a byline or a wire's name beside the date ("Par Claire Le Bihan | Publié le 16/01/2025",
    "Belga | Publié le 16 janvier 2025"): it says who wrote the article, and it goes (the date is still read)."""
    if not SIDE_BY_SIDE.search(line.text):
        return False
    parts = SIDE_BY_SIDE.split(line.text)
    return (any(matcher.byline.match(fold(p.strip())) or wire_name(p) for p in parts)
            and any(date_line(p) or age_line(p) for p in parts))


def _dated(line: Line) -> bool:
    """A date line ("15 FÉVRIER 2022") or an age line ("Il y a 3 heures")."""
    return line.words <= 14 and (date_line(line.text) is not None or age_line(line.text))


def _teaser_shaped(line: Line) -> bool:
    """A teaser's title: a short line without a sentence inside, or anything that is not running text."""
    return (line.words <= 20 and not SENTENCE_INSIDE.search(line.text.rstrip())) or not line.prose


def teaser_block(lines: Sequence[Line], reasons: Sequence[str | None], cue: int, stop: int | None) -> list[int]:
    """The lines a read-also cue alone (line `cue`: "À LIRE AUSSI") announces: the teaser's title under it
    and the teaser's date line under that; a bulleted list of titles; further title and date pairs while a
    title-shaped line follows them (a block of teasers), but not the pair the article's first paragraph
    follows: that is the article's own headline and date. Stops at line `stop` (a known headline)."""
    n = len(lines)
    out: list[int] = []
    j = cue + 1
    while j < n and j != stop and reasons[j] is None and _teaser_shaped(lines[j]) and not _dated(lines[j]):
        end = j + 1 if j + 1 < n and j + 1 != stop and _dated(lines[j + 1]) else j
        if out and end > j and not (end + 1 < n and not lines[end + 1].prose):
            break
        out.extend(range(j, end + 1))
        listed = lines[j].text[:1] in LIST_MARKS and j + 1 < n and lines[j + 1].text[:1] in LIST_MARKS
        if not (listed or end > j):
            break
        j = end + 1
    return out


def read_also_teasers(lines: Sequence[Line], reasons: Sequence[str | None], stop: int | None) -> set[int]:
    """The lines every read-also cue alone ("À lire aussi", at most four words) announces (`teaser_block`)."""
    return {j for i, line in enumerate(lines) if reasons[i] == "read_also" and line.words <= 4
            for j in teaser_block(lines, reasons, i, stop)}


# --- outlet memory ---------------------------------------------------------------------------------------

SETTINGS_PART, OUTLET_PART = "settings", "o/"  # state part keys (see `OutletMemory.state_changes`)


class OutletMemory:
    """Lines that repeat across the articles of one outlet, counted per outlet.

    Learned from a batch (`learn`), persisted by whoever owns it: whole (`to_dict` / `from_dict`) or in
    parts, one per outlet (`state_changes` / `from_parts`), so that saving after a batch costs the outlets
    that batch taught, not every outlet ever seen. A document that is mostly lines already seen (a second
    version of an article) teaches nothing, so a story told twice does not turn its own paragraphs into
    boilerplate.
    """

    def __init__(self, min_docs: int = 2, max_lines: int = 20000, near_duplicate: float = 0.8):
        self.min_docs = min_docs
        self.max_lines = max_lines
        self.near_duplicate = near_duplicate
        self.outlets: dict[str, dict[str, Any]] = {}
        self._saved = False  # whether the store holds every part (then only the outlets taught are saved)
        self._taught: set[str] = set()

    def learn(self, outlet: str | None, keys: list[str]) -> bool:
        """Count the distinct lines of one document. Returns False when it taught nothing."""
        if not outlet or not keys:
            return False
        entry = self.outlets.setdefault(outlet, {"docs": 0, "lines": {}})
        seen = entry["lines"]
        distinct = list(dict.fromkeys(k[:300] for k in keys if k))
        total = sum(len(k) for k in distinct)
        known = sum(len(k) for k in distinct if k in seen)
        if entry["docs"] and total and known / total >= self.near_duplicate:
            return False
        entry["docs"] += 1
        self._taught.add(outlet)
        for k in distinct:
            seen[k] = seen.get(k, 0) + 1
        if len(seen) > self.max_lines:  # forget lines seen once; they are the articles, not the outlet
            entry["lines"] = {k: c for k, c in seen.items() if c > 1}
        return True

    def count(self, outlet: str | None, key: str) -> int:
        entry = self.outlets.get(outlet) if outlet else None
        return entry["lines"].get(key[:300], 0) if entry else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_docs": self.min_docs, "max_lines": self.max_lines, "near_duplicate": self.near_duplicate,
            "outlets": {o: {"docs": e["docs"], "lines": dict(sorted(e["lines"].items()))}
                        for o, e in sorted(self.outlets.items())},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutletMemory:
        mem = cls(data.get("min_docs", 2), data.get("max_lines", 20000), data.get("near_duplicate", 0.8))
        mem.outlets = {o: {"docs": int(e["docs"]), "lines": {k: int(c) for k, c in e["lines"].items()}}
                       for o, e in data.get("outlets", {}).items()}
        return mem

    def state_changes(self) -> tuple[dict[str, Any], list[str]]:
        """The parts changed since the previous call: the settings and every outlet the first time, then the
        outlets taught since (part key -> value; no part is ever deleted)."""
        if self._saved:
            parts = {OUTLET_PART + o: self.outlets[o] for o in sorted(self._taught)}
        else:
            self._saved = True
            settings = {"min_docs": self.min_docs, "max_lines": self.max_lines, "near_duplicate": self.near_duplicate}
            parts = {SETTINGS_PART: settings, **{OUTLET_PART + o: e for o, e in sorted(self.outlets.items())}}
        self._taught.clear()
        return {k: {**v, "lines": dict(sorted(v["lines"].items()))} if "lines" in v else v for k, v in parts.items()}, []

    @classmethod
    def from_parts(cls, parts: dict[str, Any]) -> OutletMemory:
        outlets = {k[len(OUTLET_PART):]: v for k, v in parts.items() if k.startswith(OUTLET_PART)}
        mem = cls.from_dict({**parts.get(SETTINGS_PART, {}), "outlets": outlets})
        mem._saved = bool(parts)  # read back from the store: only what later batches teach is new
        return mem


# --- the stage -------------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Analysis:
    lines: Sequence[Line]
    title_index: int | None
    reasons: list[str | None]
    protected: list[bool]  # date lines and datelines: part of the article's head, never removed
    outlet: str | None = None


@register_stage("body")
class Boilerplate:
    """Body ranges without boilerplate: assigns `body` [(start, end)] and `removed` [{start, end, reason}]."""

    requires = ("text", "meta", "title")
    assigns = ("body", "removed")

    state_name = "outlet_memory"  # what it learns is kept in the store between runs (see api.Storyline)

    def __init__(self, memory: OutletMemory | None = None):
        self.memory = memory if memory is not None else OutletMemory()

    def get_state(self) -> dict[str, Any]:
        return self.memory.to_dict()

    def get_state_changes(self) -> tuple[dict[str, Any], list[str]]:
        """The outlets the batches since the previous call taught (see `OutletMemory.state_changes`)."""
        return self.memory.state_changes()

    def set_state(self, data: dict[str, Any]) -> None:
        """Read the memory back from its parts, or from a state saved whole (by an older version)."""
        self.memory = OutletMemory.from_dict(data) if "outlets" in data else OutletMemory.from_parts(data)

    def __call__(self, doc: Document) -> Document:
        return self.pipe([doc])[0]

    def pipe(self, docs: list[Document], analyses: list[_Analysis] | None = None) -> list[Document]:
        """`analyses`: the documents' `analyse(doc)` when already computed (by a worker process)."""
        docs = list(docs)
        if analyses is None:
            analyses = [self.analyse(doc) for doc in docs]
        for a in analyses:
            self.memory.learn(a.outlet, [ln.key for ln, p in zip(a.lines, a.protected) if not p])
        for doc, a in zip(docs, analyses):
            self._decide(doc, a)
        return docs

    def analyse(self, doc: Document) -> _Analysis:
        """What the outlet memory does not change: the lines, the headline among them, each line's own reason
        to go, and the outlet (see `storyline.pipeline.run_stages`)."""
        lines = split_lines(doc.text)
        matcher = cues()
        title_index = find_title_line(lines, doc.title)
        reasons: list[str | None] = []
        protected: list[bool] = []
        for i, line in enumerate(lines):
            reason = None if i == title_index else line_reason(line, matcher)
            if reason is None and line.words <= 20 and _signed(line, matcher):
                reason = "byline"  # the date beside who wrote it: a byline, with its names (the date is read)
            is_date = line.words <= 14 and (reason in (None, "junk") and (
                _dated(line) or match_dateline(line.text) is not None or CLOCK_LINE.match(line.text) is not None)
                or reason == "navigation" and _dated(line))  # "30 mars 2022 - Temps de lecture : 3 min"
            # a date line or dateline is the article's own head, a time alone a live blog entry's time stamp:
            # never boilerplate (unless a cue says whose it is: "Message par pierre_l » 14 sept. 2023, 16:02")
            protected.append(is_date and i != title_index)
            reasons.append(None if is_date else reason)
            if protected[i] and i and reasons[i - 1] == "player" and CLOCK_LINE.match(line.text):
                # a time alone under a video player's cue ("Regarder la vidéo", "02:13") is the video's
                # length, not a live blog entry's time stamp
                protected[i], reasons[i] = False, "player"
        outlet = doc.outlet
        if not outlet:
            skip = {i for i, r in enumerate(reasons) if r}
            own = [i for i, r in enumerate(reasons) if r in ("follow", "cookies", "subscribe", "share", "credit")]
            outlet = guess_outlet([ln.text for ln in lines], title_index, skip, own_words=own)
        return _Analysis(lines, title_index, reasons, protected, outlet)

    def _decide(self, doc: Document, a: _Analysis) -> None:
        lines, reasons, protected, t = a.lines, a.reasons, a.protected, a.title_index
        from_html = doc.html is not None
        tkey = lines[t].key if t is not None else (fold(doc.title).strip(BULLETS) if doc.title else "")
        for i, line in enumerate(lines):
            if from_html and reasons[i] == "junk" and any(c.isalnum() for c in line.text):
                reasons[i] = None  # extracted text keeps its figures ("S : 40,000₩", "0")
            if reasons[i] or protected[i] or i == t:
                continue
            if tkey and len(tkey) >= 15 and is_title_copy(line, tkey):
                reasons[i] = "title_copy"
            elif (c := self.memory.count(a.outlet, line.key)) >= self.memory.min_docs and (not line.prose or c >= 3):
                reasons[i] = "repeated"
        if not from_html:
            _position_rules(lines, reasons, protected, t)
        body, removed = [], []
        for i, line in enumerate(lines):
            if reasons[i] and not protected[i]:
                removed.append({"start": line.start, "end": line.end, "reason": reasons[i]})
            else:
                body.append((line.start, line.end))
        if not body and lines:  # never leave an article without text: keep all but the sure cues
            body = [(ln.start, ln.end) for ln, r in zip(lines, reasons) if r in (None, "header", "tail", "navigation")]
            body = body or [(ln.start, ln.end) for ln in lines]
            kept = set(body)
            removed = [r for r in removed if (r["start"], r["end"]) not in kept]
        doc.body = body
        doc.removed = removed


# Cues that open the footer of a page: nothing after them is the article.
_FOOTER_CUES = frozenset({"navigation", "comments", "share", "follow", "cookies", "subscribe", "ads", "tagline",
                          "read_also", "teaser", "forum", "credit"})


# Cues of the boxes a page puts inside or around the article (see `_position_rules`); not an advert slot or a
# share button, which stand alone around a short paragraph ("Publicité", "Le match est interrompu.", "Publicité").
_BOX_CUES = frozenset({"subscribe", "cookies", "follow", "player"})


def _sentence(line: Line) -> bool:
    """A short closing sentence ("They ignored us, too.") rather than a label, link or teaser."""
    first = line.text.lstrip("\"'«“‘—–- ")[:1]
    return line.terminal and not line.ellipsis and line.words >= 3 and not line.fragmentary and first.isupper()


# Weights of the article's core (see `core_span`): a paragraph gains its words beyond the first five, up to a
# cap, so that one long cookie notice or site blurb does not outweigh a menu and a teaser's one-sentence summary
# does not outweigh its title and time stamp; any other line costs, a cue line more. Chosen on the extraction
# benchmark's pages dumped as text (`storyline eval boilerplate`).
_CORE_GAIN_CAP = 40
_CORE_GAIN_OFFSET = 5
_CORE_COST = 3
_CORE_CUE_COST = 5
_CORE_BARRIERS = frozenset({"comments"})
_CORE_ALONE = 0.25
_CORE_BEFORE_COMMENTS = 60.0  # a core this heavy above a comment section is the article (a few paragraphs)

# Cues of a line a page inserts between two paragraphs of the article: a teaser, an advert, a share button
# under a live blog's entry, a photo's caption and credit.
_INSERTS = frozenset({"read_also", "teaser", "ads", "share", "credit", "caption", "player"})


_CAPTION_BETWEEN_CUES = 20  # words: a caption between a cue and its credit (a paragraph, or a lede the
# photo repeats as its caption, is longer)

_DOMAIN = re.compile(r"\w\.[a-z]{2,}\b")  # "example.org": a teaser's source, never an intertitle


def _intertitle(line: Line, reason: str | None) -> bool:
    """A short heading without a cue, opening on a capital: an intertitle between two paragraphs (not a
    teaser's source and rubric, "1 digg example.org World", nor a teaser's kicker in capitals)."""
    return (reason is None and line.words <= 12 and not line.terminal and not line.ellipsis
            and line.text.lstrip()[:1].isupper() and not line.text.isupper() and not _DOMAIN.search(line.text))


def core_span(
    lines: Sequence[Line], reasons: Sequence[str | None], protected: Sequence[bool]
) -> tuple[int, int] | None:
    """(first, last) line of the article's core: the run of lines where paragraphs most outweigh everything
    else (a maximum-sum segment). A scraped page holds prose outside the article too (a site blurb above the
    menu, a cookie notice, teasers' summaries, readers' comments); what sets the article apart is paragraphs
    that follow each other with few short lines between them. Dates and datelines weigh nothing; a comment
    section is a wall the core does not cross."""
    n = len(lines)
    paragraph = [reasons[i] is None and not protected[i] and ln.prose and not ln.fragmentary
                 for i, ln in enumerate(lines)]
    # on a page where paragraphs follow each other somewhere, a paragraph alone between short lines is more
    # likely a teaser's summary (title, summary, date, title, summary...) and weighs less. Neighbours are
    # looked for across dates and time stamps (a live blog's entries, each under its time, follow each other)
    # and across one intertitle or one insert (paragraph, "Lire aussi : ...", paragraph); a teaser grid's
    # summaries (title, summary, date, title, summary...) still stand alone
    undated = [i for i in range(n) if not protected[i]]
    before, after = [False] * n, [False] * n
    for k, a in enumerate(undated[:-1]):
        if not paragraph[a]:
            continue
        nxt = k + 1
        # an insert of one or two lines: a cue and its teaser, a caption and its credit
        while nxt < min(k + 3, len(undated) - 1) and reasons[undated[nxt]] in _INSERTS:
            nxt += 1
        # an intertitle opens a section, not a one-line summary; a one-line insert may stand above it ("Lire
        # aussi : ...", then the intertitle), but a name under a share button is the author's box, and a cue and
        # its teaser over a title-like line are a teaser grid (title, byline, summary...)
        if nxt < len(undated) - 1 and _intertitle(lines[undated[nxt]], reasons[undated[nxt]]) and (
            nxt == k + 1 or (nxt == k + 2 and not _name_like(lines[undated[nxt]]))
        ):
            nxt += 1
        if nxt > k + 1 and (nxt >= len(undated) or lines[undated[nxt]].words < 15):
            nxt = k + 1
        b = undated[nxt]
        if paragraph[b]:
            after[a] = before[b] = True
    runs = any(paragraph[i] and after[i] for i in range(n))
    best, best_span = 0.0, None
    run, run_start = 0.0, 0
    for i, line in enumerate(lines):
        if reasons[i] in _CORE_BARRIERS and any(
            reasons[j] in _CORE_BARRIERS or protected[j] for j in range(i + 1, min(i + 6, n))
        ):  # a comment section (its cue, then a form, a reply button or a comment's date): readers' prose
            if best >= _CORE_BEFORE_COMMENTS:
                break  # an article above it: what follows is the readers', however long
            run, run_start = 0.0, i + 1
            continue
        if protected[i]:
            value = 0.0
        elif reasons[i] is not None:
            value = -_CORE_CUE_COST
        elif paragraph[i]:
            value = float(min(line.words, _CORE_GAIN_CAP) - _CORE_GAIN_OFFSET)
            if runs and not before[i] and not after[i]:
                value *= _CORE_ALONE
        else:
            value = -_CORE_COST
        if run <= 0:
            run, run_start = value, i
        else:
            run += value
        if run > best:
            best, best_span = run, (run_start, i)
    return best_span


def _name_like(line: Line) -> bool:
    """Every word capitalised but short particles ("Marie Le Goff.", "Jean de La Tour"): a name, not a
    sentence."""
    return all(w[:1].isupper() or (len(w) <= 3 and w.isalpha()) for w in line.text.rstrip(" .").split())


def _opens_with_name(line: Line, names: str) -> bool:
    """The line's first two words are capitalised and stand together in `names` (folded head lines)."""
    words = line.text.split()[:2]
    if len(words) < 2 or not all(w[:1].isupper() and w[1:2].islower() for w in words):
        return False
    return re.search(rf"(?<!\w){re.escape(' '.join(line.key.split()[:2]))}(?!\w)", names) is not None


def _heads_a_list(lines: Sequence[Line], i: int) -> bool:
    """Line i stands over a bulleted list of sentences: the heading of the article's summary ("L'essentiel")."""
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    return nxt is not None and _list_item(nxt) and nxt.prose


def _list_item(line: Line) -> bool:
    return line.text.lstrip()[:1] in LIST_MARKS


def _announces(line: Line) -> bool:
    """A line that ends with a colon announces what follows it."""
    return line.text.rstrip().endswith(":")


def _position_rules(lines: Sequence[Line], reasons: list[str | None], protected: list[bool], t: int | None) -> None:
    """Header above the headline, controls before the first paragraph, captions under photo credits, teasers
    after a cue line, and the footer after the last paragraph of the article's core."""
    n = len(lines)
    # a box inside the page (a newsletter form, a blocked video, a paywall notice): a line between two lines
    # of the same kind of cue is that box's text ("Chaque matin, recevez l'essentiel..." under "Newsletter")
    for i in range(1, n - 1):
        if reasons[i] is None and not protected[i] and i != t and lines[i].words <= 30 and (
            reasons[i - 1] in _BOX_CUES and reasons[i + 1] == reasons[i - 1]
        ):
            reasons[i] = reasons[i - 1]
    # a video's title under its length under a player's cue ("Regarder la vidéo", "00:45", "« On chauffe une
    # seule pièce » : à Lille, ..."): a heading, not the article's
    for i in range(2, n):
        if reasons[i] is None and not protected[i] and i != t and lines[i].short and (
            reasons[i - 1] == "player" and CLOCK_LINE.match(lines[i - 1].text) and reasons[i - 2] == "player"
        ):
            reasons[i] = "player"
    # a photo's caption over its credit ("La Vesdre en crue, mercredi." over "Photo : Belga"): a short line, not
    # the article's one-line paragraph after an intertitle; both are an insert between two paragraphs. Between
    # a cue (share buttons over the lead photo) and the credit, a caption may be a long sentence
    for i in range(n - 1):
        if reasons[i] is None and not protected[i] and i != t and (
            reasons[i + 1] == "credit" and lines[i + 1].words <= 10
        ) and (lines[i].words <= 15 and (i == 0 or lines[i - 1].prose)
               or i > 0 and reasons[i - 1] is not None and lines[i].words <= _CAPTION_BETWEEN_CUES):
            reasons[i] = "caption"
    # a read-also cue alone announces a teaser (its title, its date line): marked before the core is found, so
    # that the teaser counts as an insert between two paragraphs
    for j in read_also_teasers(lines, reasons, t):
        reasons[j], protected[j] = "teaser", False
    core = core_span(lines, reasons, protected)
    if core is not None:
        for i in range(core[1] + 1, n):
            protected[i] = False  # a date under the article's end dates a teaser or a comment, not the article

    def content(i: int) -> bool:
        return (reasons[i] is None and not protected[i] and lines[i].prose and not lines[i].fragmentary
                and core is not None and core[0] <= i <= core[1])

    # captions: the line under a photo credit ("© ... / Getty Images"): a short one anywhere, a longer one
    # only right under the headline, where the lead photo sits (lower down, it is the text itself)
    lead = next((i for i in range(n) if content(i)), n)
    for i in range(1, n):
        prev = lines[i - 1]
        near_top = t is not None and t < i <= lead
        if reasons[i] is None and not protected[i] and i != t and (
            lines[i].words <= 12 or (near_top and lines[i].words < 25)
        ) and ("©" in prev.text or reasons[i - 1] == "credit"):
            reasons[i] = "caption"
    # a navigation cue alone ("Previous") announces the teaser line under it too, below the article's core
    # only: above it, a rubric label ("Économie") announces the headline, and the header rules apply
    for i in range(core[0] if core is not None else 0, n - 1):
        if reasons[i] == "navigation" and lines[i].words <= 4:
            for j in teaser_block(lines, reasons, i, t):
                if protected[j] and not _dated(lines[j]):
                    break
                reasons[j], protected[j] = "teaser", False
    first = next((i for i in range(n) if content(i)), None)
    last = next((i for i in range(n - 1, -1, -1) if content(i)), None)
    if first is None:
        return  # no paragraph at all: nothing tells the header from the text
    # header: everything above the headline, when the headline comes before the first paragraph
    if t is not None and t <= first:
        # a date line above a menu or a breadcrumb is the site's (today's date in its header: "Mercredi 11 mars
        # 2026", then the menu), when the article has its own date line between its headline and its text
        own_date = any(protected[j] and _dated(lines[j]) for j in range(t + 1, first))
        cued = [reasons[j] is not None for j in range(t)]
        for i in range(t):
            if reasons[i] is None and not protected[i]:
                reasons[i] = "header"
            elif protected[i] and own_date and _dated(lines[i]) and any(cued[i + 1:]):
                reasons[i], protected[i] = "header", False
    # between the headline (or the top) and the first paragraph: controls (short lines that are not subheads)
    # and bylines ("Par Jean Dupont et Marie Martin")
    byline = cues().byline
    top = (t + 1) if t is not None and t <= first else 0
    for i in range(top, max(first, top + 4)):  # a byline may follow the standfirst
        if i >= n or reasons[i] is not None or protected[i]:
            continue
        line = lines[i]
        if line.words <= 12 and (not line.terminal or line.words <= 4) and byline.match(line.key):
            reasons[i] = "byline"
        elif i < first and line.words <= 5 and (not line.terminal or _name_like(line)) and not _heads_a_list(lines, i):
            reasons[i] = "navigation"  # a control, a rubric, or a name ("Ouest-Matin Marie Le Goff.")
    # a repost: the headline again, word for word, above the first paragraph opens the reposted article; what
    # stands between the two and is no paragraph nor date is the page's (a forum post's header, the poster's
    # words "Enfin du concret, la dépêche :")
    if t is not None and t <= first:
        repeat = next((c for c in range(first - 1, t, -1) if reasons[c] == "title_copy" and lines[c].key == lines[t].key),
                      None)
        for i in range(t + 1, repeat or t):
            if reasons[i] is None and not protected[i] and not lines[i].prose:
                reasons[i] = "forum"
    # the bylines under the headline: the last paragraphs opening with an author's name are the author's
    # biography ("Claire Dufresne est journaliste..." under "Texte Claire Dufresne"); a caption's name is not
    # an author's ("Antony Blinken" under a photo, then "Antony Blinken doit se rendre...")
    head_names = " | ".join(lines[i].key for i in range(top, first)
                            if lines[i].words <= 8 and reasons[i] == "byline")
    while head_names and last > first and _opens_with_name(lines[last], head_names):
        reasons[last] = "author"
        last = next(i for i in range(last - 1, -1, -1) if content(i))
    # footer: after the last paragraph (or the headline), whatever is not a sentence; after the first cue
    # of the footer ("Previous", "Leave a comment", "Suivez-nous"), everything
    end = max(last, t) if t is not None else last
    footer = False
    # a list the last paragraph announces ("... dates:", "Voici les offres :") is the article's, up to the
    # first cue; so is the list under a heading that announces it right after the last paragraph
    listing = _announces(lines[end])
    for i in range(end + 1, n):
        if reasons[i] is not None:
            footer = footer or reasons[i] in _FOOTER_CUES
            listing = False
        elif protected[i] or (listing and not footer):
            continue
        elif i == end + 1 and _announces(lines[i]):
            listing = True
        elif not footer and _list_item(lines[i]) and _list_item(lines[i - 1]) and reasons[i - 1] is None:
            continue  # the rest of a list the article's last paragraphs hold ("- un dépôt...;", "- des immeubles.")
        elif footer or not _sentence(lines[i]):
            reasons[i] = "tail"
            # a name alone under the article signs it: what follows is the author's box ("Amadou Diallo",
            # then a blurb "Gourou des médias sociaux. Fanatique de la bière...")
            footer = footer or (2 <= lines[i].words <= 4 and not lines[i].terminal and _name_like(lines[i]))
        elif head_names and _opens_with_name(lines[i], head_names):
            reasons[i] = "author"  # a short biography under the article
