"""The title of a document: declared (`doc.meta["title"]`) or its headline line.

Scraped text opens with what the page put above the article: site name, breadcrumb, menus, forum controls.
The headline is a line just above the article's core that reads like a headline (a phrase, no cue of
boilerplate, not a date, a time stamp or a byline) and, on most pages, the line the page repeats: a
breadcrumb ending with its first words ("Accueil ... Les États-Unis disent à la Russie qu'ils..."), a photo
credit starting with it, a second heading. Copies count for a line; distance from the first of its group,
capitals and running text count against it. The boilerplate stage drops the copies and keeps the headline
line in the body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..pipeline import register_stage
from ..records import Document
from ..textnorm import clean_line, fold
from .boilerplate import core_span, is_title_copy, read_also_teasers
from .lines import BULLETS, SENTENCE_INSIDE, SIDE_BY_SIDE, Line, cues, line_reason, split_lines
from .dates import age_line, date_line
from .source import match_dateline

__all__ = ["Headline", "headline_index"]

MAX_HEAD_LINES = 40  # the headline is looked for among the 40 lines above the article's core only
# a time stamp ("Published 10:02 AM", "Mis à jour à 18h05", "Publié à 16 h 12")
_CLOCK = re.compile(r"\b\d{1,2}(?::|\s?h\s?)\d{2}(?!\d)")
_FULL_STOP = re.compile(r"\.[\s\"'»”’)\]]*$")
_TRAILING_MARKS = BULLETS.replace("»", "")
GROUP_GAP = 4  # lines (dates and bylines aside) that part two groups of headline-like lines
_CONTROLS = frozenset({"share", "follow"})  # buttons under a headline: no gap between it and the byline


def headline_index(lines: Sequence[Line]) -> int | None:
    """Index of the headline among `lines`, or None when no line looks like one.

    The headline sits above the article's core (`core_span`), in the group of headline-like lines nearest to
    it (a page dump can open with a long menu of teasers, far above): the headline, the standfirst, a byline
    or a caption, a few lines apart (share buttons under the headline part no group). In that group the first
    line is favoured; copies and a standfirst under it count for a line, a full stop against it; the first
    paragraph is the headline only when no line above it can be. A line repeated word for word in
    the window (a forum topic and its first post) is the headline at its first place."""
    matcher = cues()
    reasons = [line_reason(line, matcher) for line in lines]
    # the core without the date lines' exemption (they weigh as any short line): close enough to place the
    # window, and date lines are then looked for in the window only
    core = core_span(lines, reasons, [False] * len(lines))
    stop = core[0] if core is not None else min(len(lines), MAX_HEAD_LINES) - 1
    window = range(max(0, stop - MAX_HEAD_LINES + 1), stop + 1)
    byline = matcher.byline
    # the article's head around the headline: date lines, ages ("Il y a 3 heures"), time stamps, bylines, or
    # these side by side ("September 10, 2018 | by Catherine"): neither headlines nor gaps
    head = {i for i in window if lines[i].words <= 14 and (
        date_line(lines[i].text) or age_line(lines[i].text) or match_dateline(lines[i].text)
        or _CLOCK.search(lines[i].text) or byline.match(lines[i].key) or _side_by_side(lines[i].text, byline))
        or lines[i].words <= 20 and _signed(lines[i].text, byline)}  # "Par X | Publié le ... | Mis à jour ..."
    # the teasers a read-also cue announces ("À LIRE AUSSI", a title, its date): never the headline
    teasers = read_also_teasers(lines, reasons, None)
    usable = [
        i for i in window
        if 3 <= lines[i].words <= 40 and not lines[i].ellipsis and reasons[i] is None and i not in head
        and i not in teasers
    ]
    if core is not None and len(usable) > 1 and usable[-1] == stop and lines[stop].terminal:
        usable.pop()  # the core's first paragraph; a headline ending on a quotation (« ... ») may open the core
    if not usable:
        return None
    if core is not None:  # the group nearest to the core: candidates at most GROUP_GAP lines apart
        k = len(usable) - 1
        while k > 0 and sum(1 for j in range(usable[k - 1] + 1, usable[k])
                            if j not in head and reasons[j] not in _CONTROLS) < GROUP_GAP:
            k -= 1
        usable = usable[k:]
    candidates: list[tuple[float, int]] = []
    for rank, i in enumerate(usable):
        line = lines[i]
        score = 0.5 if line.text[:1].isupper() or not line.text[:1].isalpha() else 0.0
        opening = line.key[:10]  # every kind of copy holds the headline's first words (a cheap filter)
        copies = sum(1 for j, other in enumerate(lines)
                     if j != i and opening in other.key and is_title_copy(other, line.key))
        if line.words >= 5 and copies <= 3:  # a short line or one repeated all over the page is a label
            score += 3.0 * min(copies, 2)
        score -= 0.3 * rank
        if 6 <= line.words <= 30:
            score += 0.5  # a headline is a phrase; a shorter line above it is a kicker or a label
        elif line.words > 30:
            score -= 3.0
        if _standfirst_below(lines, i, head):
            score += 1.0  # a headline stands over its standfirst (a site's tagline over a menu does not)
        if i + 1 in head and line.words >= 6:
            # or right over its byline or date ("Par Claire Le Bihan | Publié le 16/01/2025"); a source's
            # name over the article's age ("Le Courrier de Provence" / "Il y a 3 heures") is too short for one
            score += 1.0
        if line.text.isupper():
            score -= 1.0  # a kicker in capitals ("BLACK DEATH FEARS")
        if _FULL_STOP.search(line.text):
            # a full stop: a standfirst or a caption more often than a headline; with sentences inside, a
            # paragraph ("Brest. Le chantier recrute" is a headline)
            score -= 3.0 if SENTENCE_INSIDE.search(line.text.rstrip()) else 2.0
        candidates.append((score, i))
    best = max(candidates, key=lambda c: (c[0], -c[1]))[1]
    return next(i for i in window if lines[i].key == lines[best].key)


def _standfirst_below(lines: Sequence[Line], i: int, head: set[int]) -> bool:
    """The line under line i (dates and bylines aside) is a paragraph of some length: a standfirst or a lede."""
    j = i + 1
    while j in head:
        j += 1
    return j < len(lines) and lines[j].prose and lines[j].words >= 15 and not lines[j].ellipsis


def _signed(text: str, byline: re.Pattern) -> bool:
    """A byline beside other parts of a line ("Par Claire Le Bihan | Publié le 16/01/2025 à 06h30 | Mis à jour ...")."""
    parts = SIDE_BY_SIDE.split(text)
    return len(parts) > 1 and any(byline.match(fold(part)) for part in parts)


def _side_by_side(text: str, byline: re.Pattern) -> bool:
    """A date or a byline beside other parts of a line ("September 10, 2018 | by Catherine")."""
    parts = SIDE_BY_SIDE.split(text)
    return len(parts) > 1 and any(date_line(part) or byline.match(fold(part)) for part in parts)


@register_stage("title")
class Headline:
    """The declared title, else the headline line (see the module docstring)."""

    requires = ("text", "meta")
    assigns = ("title",)

    def __call__(self, doc: Document) -> Document:
        declared = doc.meta.get("title")
        if declared and str(declared).strip():
            doc.title = " ".join(str(declared).split())
            return doc
        lines = split_lines(doc.text)
        i = headline_index(lines)
        if i is not None:
            # list marks go, a closing quotation mark stays (« ... » is the headline's own)
            doc.title = clean_line(lines[i].text).lstrip(BULLETS).rstrip(_TRAILING_MARKS) or None
        elif lines:  # no headline-like line: the opening words of the text
            first = clean_line(lines[0].text)
            doc.title = first if len(first) <= 200 else first[:200].rsplit(" ", 1)[0] + "…"
        else:
            doc.title = None
        return doc
