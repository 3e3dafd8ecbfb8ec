"""Who said what: quotations in news text, attributed to resolved speakers.

    from storyline.quotes import extract_quotes
    quotes = extract_quotes(doc.text, doc.body, doc.language, doc.entities)

Direct quotations in every quotation-mark style (mismatched pairs, several sentences or paragraphs, partial
quotations inside a sentence: `marks`), their speakers from the surrounding words with per-language tables
(`lang/quotes/<code>.json`, read by `lexicon`), indirect speech as a second kind, and the grouping of one statement
reported by several outlets (`merge`). Offsets are into the text exactly as read: the analysis runs on the
normalised view of `storyline.textnorm` and maps back.

Attribution (`attribution`: the rules, and the reading of each sentence) is built from parts: `text` (sentences
and tokens), `cues` (reporting verbs, source markers, colons), `noun_phrases` (speaker phrases, names versus
descriptions), `subjects` (the speaker mention of a cue), `resolution` (mentions to speakers: names, pronouns,
role descriptions), `document_memory` (names, roles and entities of the article), `indirect` (reported
statements), over the records of `mentions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .attribution import Attribution, attribute
from .document_memory import entity_refs
from .lexicon import lexicon
from .marks import QuoteSpan, find_quotes
from .merge import QuoteGroup, QuoteMerger, merge_quotes

__all__ = [
    "Quote",
    "extract_quotes",
    "find_quotes",
    "QuoteSpan",
    "QuoteGroup",
    "QuoteMerger",
    "merge_quotes",
]


@dataclass(slots=True)
class Quote:
    """One quotation (`kind` "direct") or reported statement ("indirect"). `text` is the quotation without its
    marks (reopening marks of a quotation that runs over paragraphs removed); `start`/`end` are offsets into
    `Document.text`. `speaker` is a canonical name (the entity's, when the entities stage ran) or the
    description the article gives ("un haut responsable de la Maison Blanche"), None when unknown;
    `speaker_start`/`speaker_end` locate the mention that gives it in this sentence (a name, a description or
    a pronoun), when there is one. `cue` is the reporting expression ("a déclaré", "said", "selon", ":")."""

    text: str
    start: int
    end: int
    kind: str
    speaker: str | None = None
    speaker_entity_id: str | None = None
    cue: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "speaker": self.speaker,
            "speaker_entity_id": self.speaker_entity_id,
            "cue": self.cue,
        }
        if self.speaker_start is not None:
            d["speaker_start"] = self.speaker_start
            d["speaker_end"] = self.speaker_end
        return d


def _normalized(text: str):
    try:
        from ..textnorm import normalized_view
    except ImportError:  # pragma: no cover - textnorm is part of storyline
        return text, None
    norm, omap = normalized_view(text)
    return norm, (None if omap.is_identity else omap)


def extract_quotes(text: str, body: list[tuple[int, int]] | None = None, language: str | None = None,
                   entities: list[Any] | None = None, indirect: bool = True,
                   language_blocks: list[dict[str, Any]] | None = None) -> list[Quote]:
    """The quotations of `text` inside the `body` ranges (the whole text when None), attributed. `entities`
    are items with start, end, type, canonical and entity_id (the entities stage's output), optional.
    `language_blocks` ({start, end, language}: passages in another language, `Document.language_blocks`) are
    read with their own language's cues."""
    if body is None:
        body = [(0, len(text))]
    foreign = sorted((int(b["start"]), int(b["end"]), str(b["language"])) for b in language_blocks or ()
                     if b.get("language") and b.get("language") != language and b.get("end", 0) > b.get("start", 0))
    if foreign:
        out: list[Quote] = []
        for lang, ranges in _by_language(body, foreign, language).items():
            if ranges:
                out.extend(extract_quotes(text, ranges, lang, entities, indirect))
        out.sort(key=lambda q: (q.start, q.kind != "direct"))
        return out
    norm, omap = _normalized(text)
    ranges = [(omap.to_normalized(s), omap.to_normalized(e)) if omap else (s, e) for s, e in body]
    ranges = [r for r in ranges if r[1] > r[0]]
    blocks = _blocks(norm, ranges)
    spans = find_quotes(norm, ranges)
    lex = lexicon(language)
    found = attribute(norm, blocks, spans, lex, entity_refs(entities, omap.to_normalized if omap else None))
    out: list[Quote] = []
    for a in found:
        if a.kind == "indirect" and not indirect:
            continue
        out.append(_to_quote(a, text, norm, omap))
    out.sort(key=lambda q: (q.start, q.kind != "direct"))
    return out


def _by_language(body: list[tuple[int, int]], foreign: list[tuple[int, int, str]],
                 language: str | None) -> dict[str | None, list[tuple[int, int]]]:
    """The body ranges split by language: the foreign blocks' parts go to their language, the rest to the
    document's."""
    out: dict[str | None, list[tuple[int, int]]] = {language: []}
    for s, e in body:
        pos = s
        for fs, fe, lang in foreign:
            if fe <= pos or fs >= e:
                continue
            if fs > pos:
                out[language].append((pos, fs))
            out.setdefault(lang, []).append((max(fs, pos), min(fe, e)))
            pos = max(pos, min(fe, e))
        if pos < e:
            out[language].append((pos, e))
    return out


def _blocks(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Consecutive ranges separated only by white space, merged."""
    out: list[list[int]] = []
    for s, e in sorted(ranges):
        if out and not text[out[-1][1]:s].strip():
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _to_quote(a: Attribution, text: str, norm: str, omap) -> Quote:
    def orig(s: int, e: int) -> tuple[int, int]:
        return omap.span(s, e) if omap is not None else (s, e)

    start, end = orig(a.start, a.end)
    if a.quote is not None and a.quote.continuations:
        parts, pos = [], a.start
        for cs, ce in a.quote.continuations:
            parts.append(norm[pos:cs])
            pos = ce
        parts.append(norm[pos:a.end])
        qtext = "".join(parts)
    else:
        qtext = norm[a.start:a.end]
    sp = a.speaker
    q = Quote(qtext, start, end, a.kind, sp.name if sp else None, sp.entity_id if sp else None,
              None, None, None)
    if a.cue_span is not None:
        cs, ce = orig(*a.cue_span)
        q.cue = text[cs:ce]
    if a.mention_span is not None:
        q.speaker_start, q.speaker_end = orig(*a.mention_span)
    return q
