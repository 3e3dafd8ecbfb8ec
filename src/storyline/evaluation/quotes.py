"""Quotation extraction and attribution quality: the "quotes" stage against PolNeAR and storyline's own gold.

`evaluate_quotes(directory)` runs on a folder in the layout of `../shared/benchmarks/polnear/<split>`:
`text/<article>.txt` and `attributions/<article>_<annotator>.ann` (brat standoff: `T<n>\\t<Label> <start> <end>
[;<start> <end>...]\\t<text>` with labels Source, Cue, Content; `E<n>\\tAttribution:T.. Content:T.. Cue:T..
Source:T..` ties them). When several annotators annotated an article, the first annotation file in name order
is used.

Definitions (chosen to measure what the stage claims, leniently but honestly):

- A gold **direct quotation** is a stretch in quotation marks inside an attribution's Content span: a Content
  entirely in quotation marks is one; a quotation embedded in reported content ("said the plan was "a
  disaster"") is one too (partial quotations are direct quotations, as in storyline's gold). Its text is what
  lies between the marks. Each Content fragment is paired on its own (PolNeAR cuts contents at paragraph
  breaks), and so are predictions: a predicted quotation that runs over paragraphs counts as one unit per
  paragraph.
- Quotations of fewer than `min_words` words (4 by default, storyline's gold convention: "shorter fragments in
  quotation marks are optional") are optional: a prediction matching one is neither a hit nor an error, and
  an unmatched one is not missed. Unmatched short predictions are not errors either. `min_words=1` counts
  everything.
- A prediction **matches** a gold quotation when they overlap by at least half of the longer of the two
  (character offsets); matching is one-to-one, largest overlaps first.
- **Speaker accuracy** is measured on matched quotations whose attribution has a Source. The predicted
  speaker is right when (a) the speaker mention the stage points at (`speaker_start`/`speaker_end`) overlaps
  the Source span, or (b) the predicted speaker's head word (a name's last word, a description's head noun) is
  the head of the Source text or of one of its appositions ("Pat Caddell" for "longtime Democratic pollster
  Pat Caddell"; "Donald Trump" is not right for "Trump's campaign manager Kellyanne Conway"), or (c) the
  Source is a pronoun and (b) holds for the entity it refers to. PolNeAR annotates Source mentions, not
  coreference, so (a) also accepts a pronoun Source found as such ("he" for "he said"), as PolNeAR's own span
  metrics do. `speaker_accuracy_resolved` is stricter: for a pronoun Source only the speaker the stage
  resolved counts, and it must match the entity the pronoun refers to, taken as the nearest Source before it
  in the same annotation that is not a pronoun (a guess: when it is wrong, a right answer counts as wrong).
- `articles_per_s` is the stage alone (quotation extraction and attribution) over the split's articles, per
  second of CPU time of the evaluating process (one core; less sensitive than wall-clock time to the other
  processes of a shared machine); `articles_per_s_wall` is the same per second of wall-clock time.

The body is the whole article text and the language English (PolNeAR is English news).

`evaluate_quote_gold(directory)` scores a corpus in storyline's gold layout (`*.txt` and `gold.json` with
`quotes`, `documents.<file>.boilerplate_lines`, `entities`); see its docstring.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..textnorm import fold

__all__ = ["evaluate_quotes", "evaluate_quote_gold", "read_ann", "gold_direct_quotes", "match_spans"]

MIN_WORDS = 4
_WORD = re.compile(r"\w+")
_PRONOUNS = frozenset(
    "he she they it i we you him her them his its their who il elle ils elles on lui eux er sie es él ella ellos "
    "lei egli ele ela eles он она они".split()
)
_STOP = frozenset(
    "the a an of for at in on to and or de du des d la le les l un une of 's s mr mrs ms dr sen rep gov m mme "
    "his her their its this that these those who which said says".split()
)


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


# ------------------------------------------------------------------------------------------- PolNeAR ------
def read_ann(path: Path) -> tuple[dict[str, tuple[str, list[tuple[int, int]], str]], list[dict[str, str]]]:
    """Text-bound annotations {id: (label, fragments, text)} and attributions [{role: id}] of a brat file."""
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            label, _, offs = parts[1].partition(" ")
            frags = []
            for f in offs.split(";"):
                a, _, b = f.strip().partition(" ")
                if a.isdigit() and b.isdigit():
                    frags.append((int(a), int(b)))
            spans[parts[0]] = (label, frags, parts[2] if len(parts) > 2 else "")
        elif line.startswith("E"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            roles = {}
            for item in parts[1].split():
                r, _, t = item.partition(":")
                roles[r.rstrip("0123456789")] = t
            events.append(roles)
    return spans, events


_DOUBLE = re.compile(r"''|``|[\"“”«»„‟]")
_SINGLE = re.compile(r"[‘’‚']")


def _quoted_stretches(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The stretches in quotation marks inside text[s:e] (between the marks), paired simply: an opening mark
    is “ « „ `` or a straight mark after a space; a closing mark is ” » or a straight mark after a word. A
    stretch still open at the end runs to the end; a closing mark with nothing open closes a stretch that
    began before the fragment."""
    marks = [(m.start(), m.end(), m.group()) for m in _DOUBLE.finditer(text, s, e)]
    single = False
    if not marks:
        single = True
        marks = []
        for m in _SINGLE.finditer(text, s, e):
            i, j, c = m.start(), m.end(), m.group()
            p = text[i - 1] if i > 0 else " "
            n = text[j] if j < len(text) else " "
            if c in "‘‚" or (c == "'" and not p.isalnum() and n.isalpha()):
                marks.append((i, j, "open"))
            elif c in "’'" and p.isalnum() is not None and not n.isalnum() and not p.isspace():
                marks.append((i, j, "close"))
    out = []
    open_at = None
    for i, j, c in marks:
        p = text[i - 1] if i > s else " "
        if single:
            opening = c == "open"
        else:
            opening = c in "“«„``‟" or (c in ("\"", "''") and (p.isspace() or p in "([—–-" or i == s))
            if c in ("\"", "''") and open_at is not None and not p.isspace():
                opening = False
        if opening:
            if open_at is None:
                open_at = j
        else:
            if open_at is not None:
                out.append((open_at, i))
                open_at = None
            elif not out:
                out.append((s, i))
    if open_at is not None:
        out.append((open_at, e))
    trimmed = []
    for a, b in out:
        while a < b and text[a].isspace():
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] == ","):
            b -= 1
        if b > a and _WORD.search(text, a, b):
            trimmed.append((a, b))
    return trimmed


def gold_direct_quotes(text: str, spans, events) -> list[dict[str, Any]]:
    """Gold direct quotations of one PolNeAR article: [{start, end, words, source: [(s, e)], source_text,
    referent}] (see the module docstring)."""
    out = []
    seen = set()
    # the Source of every attribution, in text order, for pronoun referents
    sources = []
    for ev in events:
        sid = ev.get("Source")
        if sid in spans:
            label, frags, stext = spans[sid]
            if frags:
                sources.append((frags[0][0], stext))
    sources.sort()
    for ev in events:
        cid = ev.get("Content")
        if cid not in spans:
            continue
        _, frags, _ = spans[cid]
        sid = ev.get("Source")
        sfrags, stext = (spans[sid][1], spans[sid][2]) if sid in spans else ([], "")
        referent = stext
        if stext and set(_words(stext)) <= _PRONOUNS and sfrags:
            referent = ""
            for pos, t in reversed(sources):
                if pos < sfrags[0][0] and not set(_words(t)) <= _PRONOUNS:
                    referent = t
                    break
        for fs, fe in frags:
            for a, b in _quoted_stretches(text, fs, fe):
                if (a, b) in seen:
                    continue
                seen.add((a, b))
                out.append({"start": a, "end": b, "words": len(_WORD.findall(text[a:b])), "source": sfrags,
                            "source_text": stext, "referent": referent})
    return out


def match_spans(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs overlapping by at least half the longer span."""
    cands = []
    for gi, (gs, ge) in enumerate(gold):
        for pi, (ps, pe) in enumerate(pred):
            ov = min(ge, pe) - max(gs, ps)
            if ov > 0 and ov * 2 >= max(ge - gs, pe - ps):
                cands.append((ov, gi, pi))
    cands.sort(reverse=True)
    used_g, used_p, pairs = set(), set(), []
    for ov, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def _split_paragraphs(text: str, s: int, e: int) -> list[tuple[int, int]]:
    out = []
    pos = s
    for m in re.finditer(r"\n\s*", text[s:e]):
        a, b = s + m.start(), s + m.end()
        if a > pos:
            out.append((pos, a))
        pos = b
    if e > pos:
        out.append((pos, e))
    return [(a, b) for a, b in out if _WORD.search(text, a, b)]


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _head(speaker: str) -> str:
    """A speaker's head word: a name's last word (not "Jr."), a description's noun before any complement."""
    words = _words(re.sub(r"\([^)]*\)", " ", speaker))
    for i, w in enumerate(words):
        if w in ("of", "for", "at", "de", "du", "des", "who", "which", "qui") and i > 0:
            words = words[:i]
            break
    words = [w for w in words if w not in _STOP and w not in _SUFFIXES]
    return words[-1] if words else ""


def _heads(source: str) -> set[str]:
    """The heads of a Source text and of its appositions ("Vann R. Newkirk II, a writer for The Atlantic" has
    "newkirk" and "writer")."""
    return {h for h in (_head(part) for part in re.split(r"[,;]", source)) if h}


def _speaker_ok(q: dict[str, Any], g: dict[str, Any], resolved: bool = False) -> bool:
    """Is the predicted speaker right (see the module docstring)? With `resolved`, a pronoun Source is judged
    by the speaker the stage resolved it to, against the entity the pronoun refers to."""
    pronoun = bool(g["source_text"]) and set(_words(g["source_text"])) <= _PRONOUNS
    head = _head(q.get("speaker") or "")
    if pronoun and resolved:
        return bool(head) and bool(g["referent"]) and head in _heads(g["referent"])
    for s, e in g["source"]:
        if q.get("speaker_start") is not None and q["speaker_start"] < e and q["speaker_end"] > s:
            return True
    if pronoun:
        return bool(head) and bool(g["referent"]) and head in _heads(g["referent"])
    return bool(head) and head in _heads(g["source_text"])


def _default_extract(text: str, language: str) -> list[Any]:
    from ..quotes import extract_quotes

    return extract_quotes(text, [(0, len(text))], language)


def evaluate_quotes(directory: Path, min_words: int = MIN_WORDS,
                    extract: Callable[[str, str], list[Any]] | None = None, language: str = "en") -> dict[str, Any]:
    """Quotation precision/recall/F1 and speaker accuracy of the "quotes" stage on a PolNeAR split folder."""
    directory = Path(directory)
    extract = extract or _default_extract
    ann_dir = directory / "attributions"
    by_article: dict[str, Path] = {}
    for p in sorted(ann_dir.glob("*.ann")):
        stem = p.stem.rsplit("_", 1)[0]
        by_article.setdefault(stem, p)
    tp = fp = fn = 0
    sp_total = sp_ok = sp_resolved = 0
    articles = 0
    elapsed = cpu = 0.0
    for stem, ann in sorted(by_article.items()):
        tpath = directory / "text" / f"{stem}.txt"
        if not tpath.exists():
            continue
        text = tpath.read_text(encoding="utf-8")
        spans, events = read_ann(ann)
        gold = gold_direct_quotes(text, spans, events)
        t0, c0 = time.perf_counter(), time.process_time()
        found = extract(text, language)
        elapsed += time.perf_counter() - t0
        cpu += time.process_time() - c0
        articles += 1
        preds: list[tuple[tuple[int, int], dict[str, Any]]] = []
        for q in found:
            d = q.to_dict() if hasattr(q, "to_dict") else dict(q)
            if d.get("kind", "direct") != "direct":
                continue
            for a, b in _split_paragraphs(text, d["start"], d["end"]):
                preds.append(((a, b), d))
        pairs = match_spans([(g["start"], g["end"]) for g in gold], [p[0] for p in preds])
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, pi in pairs:
            g = gold[gi]
            if g["words"] < min_words:
                continue
            tp += 1
            if g["source"]:
                sp_total += 1
                sp_ok += _speaker_ok(preds[pi][1], g)
                sp_resolved += _speaker_ok(preds[pi][1], g, resolved=True)
        for gi, g in enumerate(gold):
            if gi not in matched_g and g["words"] >= min_words:
                fn += 1
        for pi, ((a, b), d) in enumerate(preds):
            if pi not in matched_p and len(_WORD.findall(text[a:b])) >= min_words:
                fp += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "speaker_accuracy": round(sp_ok / sp_total, 4) if sp_total else 0.0,
        "speaker_accuracy_resolved": round(sp_resolved / sp_total, 4) if sp_total else 0.0,
        "articles": articles,
        "gold": tp + fn,
        "predicted": tp + fp,
        "matched": tp,
        "speaker_evaluated": sp_total,
        "min_words": min_words,
        "articles_per_s": round(articles / cpu, 1) if cpu > 0 else 0.0,
        "articles_per_s_wall": round(articles / elapsed, 1) if elapsed > 0 else 0.0,
    }


# ------------------------------------------------------------------------------ storyline gold corpus ------
# Role vocabulary, to compare a description the article gives (in its language) with the English description
# of storyline's gold ("un haut responsable de la Maison Blanche" ~ "a senior White House official"). Used only
# for scoring; general vocabulary, not phrases of any corpus.
ROLE_GLOSSARY = {
    "responsable": "official", "officiel": "official", "porte-parole": "spokesperson", "portavoz": "spokesperson",
    "portavoce": "spokesperson", "porta-voz": "spokesperson", "sprecher": "spokesperson", "sprecherin": "spokesperson",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "haut": "senior", "haute": "senior", "alto": "senior",
    "américain": "us", "americain": "us", "américaine": "us", "américains": "us", "estadounidense": "us",
    "americano": "us", "amerikanisch": "us", "maison": "house", "blanche": "white", "casa": "house", "blanca": "white",
    "bianca": "white", "branca": "white", "conseil": "council", "consejo": "council", "consiglio": "council",
    "sécurité": "security", "securite": "security", "seguridad": "security", "sicurezza": "security",
    "nationale": "national", "national": "national", "nacional": "national", "nazionale": "national",
    "administration": "administration", "administración": "administration", "amministrazione": "administration",
    "gouvernement": "government", "gobierno": "government", "governo": "government", "ministère": "ministry",
    "ministre": "minister", "président": "president", "conseiller": "adviser", "diplomate": "diplomat",
    "département": "department", "état": "state", "etat": "state", "russe": "russian", "kremlin": "kremlin",
}


_GLOSSARY = {fold(k): v for k, v in ROLE_GLOSSARY.items()}


def _gloss(text: str) -> set[str]:
    out = set(_words(text))
    for w in re.findall(r"\w+(?:-\w+)*", fold(text)):
        g = _GLOSSARY.get(w)
        if g:
            out.add(g)
    return out


def speaker_matches(pred: str | None, gold: str, mentions: list[str], alternatives: list[list[str]] = ()) -> bool:
    """Lenient speaker comparison for storyline's gold. `mentions` are the surface forms the gold entity has in
    the document (from gold.json `entities`); `alternatives` are the mention lists of other accepted speakers.

    A predicted name is right when it equals the gold canonical name or one of its mentions, or shares its last
    word with one (accent- and case-insensitively): "Iouri Ouchakov" for Yuri Ushakov (mention "Iouri
    Ouchakov"), "Washington" for United States (mention "Washington"). A predicted description is right for a
    gold description when it contains the gold description's head noun (its last word) and at least half of its
    words, through a small role glossary ("un haut responsable de la Maison Blanche" for "a senior White House
    official")."""
    if not pred:
        return False
    pw = _words(pred)
    if not pw:
        return False
    for forms in [[gold, *mentions], *alternatives]:
        for m in forms:
            mw = _words(m)
            if not mw:
                continue
            if pw == mw or pw[-1] == mw[-1] and pw[-1] not in _STOP:
                return True
    gw = [w for w in _words(gold) if w not in _STOP]
    if not mentions and gw:
        have = _gloss(pred)
        if gw[-1] in have and sum(w in have for w in gw) * 2 >= len(gw):
            return True
    return False


def evaluate_quote_gold(directory: Path, extract: Callable[..., list[Any]] | None = None) -> dict[str, Any]:
    """Quotation F1 and speaker accuracy on a corpus in storyline's gold layout (`gold.json` + texts).

    The body of each document is every line that is not listed as boilerplate, title or dateline in gold.json
    (so the score measures the quotes stage alone). Gold quotations are texts without offsets, so they are
    located in the document (after the NFKC/look-alike/white-space folding gold.json's `matching` describes);
    a prediction matches when it overlaps a located gold quotation by at least half of the longer span. Gold
    lists statements, not occurrences: predictions of one statement repeated (same folded text) count once.
    Predicted quotations under four words that match nothing are not errors (gold.json: shorter fragments are
    optional). Speakers are compared with `speaker_matches`, the gold entity's mentions serving as aliases; a
    gold note saying "either speaker is accepted" accepts the entities it names. `extract(text, body,
    language)` defaults to `storyline.quotes.extract_quotes`."""
    from ..quotes import extract_quotes
    from ..textnorm import fold

    directory = Path(directory)
    gold = json.loads((directory / "gold.json").read_text(encoding="utf-8"))
    extract = extract or (lambda text, body, language: extract_quotes(text, body, language))
    tp = fp = fn = 0
    sp_ok = sp_total = 0
    details = []
    for name, meta in gold.get("documents", {}).items():
        path = directory / name
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        skip = set(meta.get("boilerplate_lines", [])) | {meta.get("title_line")} | set(meta.get("dateline_lines", []))
        body, pos = [], 0
        for i, line in enumerate(text.split("\n"), 1):
            if i not in skip and line.strip():
                body.append((pos, pos + len(line)))
            pos += len(line) + 1
        preds = [q.to_dict() if hasattr(q, "to_dict") else dict(q) for q in extract(text, body, meta.get("language"))]
        preds = [q for q in preds if q.get("kind", "direct") == "direct"]
        # one prediction per statement
        uniq: dict[str, dict[str, Any]] = {}
        for q in preds:
            uniq.setdefault(fold(q["text"]), q)
        preds = list(uniq.values())
        golds = [g for g in gold.get("quotes", []) if g["document"] == name]
        ftext = fold(text)
        gspans = []
        for g in golds:
            ft = fold(g["text"])
            i = ftext.find(ft)
            gspans.append((i, i + len(ft)) if i >= 0 else (-1, -1))
        # predictions located the same way (folded text offsets)
        pspans = []
        for q in preds:
            ft = fold(q["text"])
            start = len(fold(text[:q["start"]]))
            i = ftext.find(ft, max(0, start - 20))
            pspans.append((i, i + len(ft)) if i >= 0 else (start, start + len(ft)))
        pairs = match_spans(gspans, pspans)
        mg = {gi for gi, _ in pairs}
        mp = {pi for _, pi in pairs}
        entities = {e["canonical"]: e for e in gold.get("entities", [])}
        for gi, pi in pairs:
            g, q = golds[gi], preds[pi]
            tp += 1
            sp_total += 1
            ent = entities.get(g["speaker"])
            mentions = ent["mentions"].get(name, []) if ent else []
            alts = []
            note = g.get("note", "")
            if "either" in note:
                for other in entities.values():
                    if other["canonical"] != g["speaker"] and any(
                            _words(other["canonical"])[-1:] == [w] for w in _words(note)):
                        alts.append([other["canonical"], *other["mentions"].get(name, [])])
            ok = speaker_matches(q.get("speaker"), g["speaker"], mentions, alts)
            sp_ok += ok
            details.append({"document": name, "text": g["text"], "gold_speaker": g["speaker"],
                            "speaker": q.get("speaker"), "speaker_ok": ok})
        for gi, g in enumerate(golds):
            if gi not in mg:
                fn += 1
                details.append({"document": name, "text": g["text"], "gold_speaker": g["speaker"], "missed": True})
        for pi, q in enumerate(preds):
            if pi not in mp and len(_WORD.findall(q["text"])) >= 4:
                fp += 1
                details.append({"document": name, "text": q["text"], "speaker": q.get("speaker"), "spurious": True})
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "speaker_accuracy": round(sp_ok / sp_total, 4) if sp_total else 0.0,
        "gold": tp + fn,
        "predicted": tp + fp,
        "matched": tp,
        "details": details,
    }
