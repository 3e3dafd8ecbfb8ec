"""Temporal expressions: storyline's recognizer and normalizer against TimeML gold (TempEval-3 metrics).

`evaluate_timex(directory)` reads every `*.tml` file below `directory` (TempEval-3 TBAQ layout: TimeBank,
AQUAINT, or the platinum test set), and for each document:

- strips the tags inside `<TEXT>` to get the plain text and the gold `TIMEX3` spans, types and values
  (XML entities are decoded; offsets are into the decoded text);
- takes the document creation time from the `TIMEX3` with `functionInDocument="CREATION_TIME"`;
- runs storyline's temporal tagger on the plain text, in English, anchored on that day.

Metrics, as in TempEval-3 (UzZaman et al., 2013):

- extraction, strict: a predicted span counts when it equals a gold span exactly;
- extraction, relaxed: a predicted span counts when it overlaps a gold span; precision is over predicted
  spans, recall over gold spans;
- value F1: predicted and gold expressions are paired one to one by overlap (largest overlap first); a pair
  counts when the values are equal; precision = right values / predicted, recall = right values / gold;
- type accuracy over the relaxed pairs, and the speed of the tagger alone (documents per second of CPU
  time, so that other work on the machine does not change the figure).

Values compare as strings after one canonicalisation that changes no meaning: ISO week numbers are written
with two digits ("2000-W7" and "2000-W07" are the same week).
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["GoldTimex", "TimeMLDocument", "evaluate_timex", "read_timeml"]

_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_DCT = re.compile(r"<TIMEX3([^>]*functionInDocument=\"CREATION_TIME\"[^>]*)>")
_WEEK = re.compile(r"-W(\d)(?!\d)")


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class TimeMLDocument:
    name: str
    text: str
    dct: date | None
    timexes: tuple[GoldTimex, ...]


def read_timeml(path: Path) -> TimeMLDocument:
    """The plain text of a TimeML file's <TEXT>, its gold TIMEX3 and its creation day."""
    raw = Path(path).read_text(encoding="utf-8")
    body = _TEXT.search(raw)
    content = body.group(1) if body else ""
    out: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    timexes: list[GoldTimex] = []
    pos = 0
    for m in _TAG.finditer(content):
        piece = html.unescape(content[pos:m.start()])
        out.append(piece)
        length += len(piece)
        pos = m.end()
        closing, name = m.group(1), m.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex.append((length, dict(_ATTR.findall(m.group(3)))))
        elif open_timex:
            start, attrs = open_timex.pop()
            timexes.append(GoldTimex(start, length, "", attrs.get("type", ""), attrs.get("value", "")))
    tail = html.unescape(content[pos:])
    out.append(tail)
    text = "".join(out)
    timexes = [GoldTimex(t.start, t.end, text[t.start:t.end], t.type, t.value) for t in timexes]
    dct = None
    dm = _DCT.search(raw)
    if dm:
        value = dict(_ATTR.findall(dm.group(1))).get("value", "")
        try:
            dct = date.fromisoformat(value[:10])
        except ValueError:
            dct = None
    return TimeMLDocument(Path(path).stem, text, dct, tuple(sorted(timexes, key=lambda t: t.start)))


def canonical_value(value: str | None) -> str:
    return _WEEK.sub(r"-W0\1", value or "")


def _prf(right: int, predicted: int, gold: int) -> dict[str, float]:
    p = right / predicted if predicted else 0.0
    r = right / gold if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _pairs(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs of overlapping spans, largest overlap first."""
    candidates = []
    for i, (gs, ge) in enumerate(gold):
        for j, (ps, pe) in enumerate(pred):
            overlap = min(ge, pe) - max(gs, ps)
            if overlap > 0:
                candidates.append((-overlap, i, j))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return out


def evaluate_timex(directory: Path, *, language: str = "en", errors: bool = False) -> dict[str, Any]:
    """TempEval-3 extraction and normalisation scores of storyline's temporal tagger on a TimeML folder.

    With `errors=True` the result also lists, per document, the missed, spurious and wrongly valued
    expressions (for development)."""
    from ..temporal import tagger_for

    files = sorted(Path(directory).rglob("*.tml"))
    if not files:
        raise FileNotFoundError(f"no .tml files below {directory}")
    docs = [read_timeml(f) for f in files]
    tagger = tagger_for(language)
    n_gold = n_pred = strict = relaxed_p = relaxed_g = value_right = type_right = pairs_n = 0
    elapsed = 0.0
    problems: list[dict[str, Any]] = []
    for doc in docs:
        t0 = time.process_time()
        found = tagger.tag(doc.text, doc.dct)
        elapsed += time.process_time() - t0
        gold_spans = [(g.start, g.end) for g in doc.timexes]
        pred_spans = [(p.start, p.end) for p in found]
        n_gold += len(gold_spans)
        n_pred += len(pred_spans)
        strict += len(set(gold_spans) & set(pred_spans))
        relaxed_p += sum(1 for ps, pe in pred_spans if any(ps < ge and gs < pe for gs, ge in gold_spans))
        relaxed_g += sum(1 for gs, ge in gold_spans if any(ps < ge and gs < pe for ps, pe in pred_spans))
        pairs = _pairs(gold_spans, pred_spans)
        pairs_n += len(pairs)
        paired_g = {i for i, _ in pairs}
        paired_p = {j for _, j in pairs}
        for i, j in pairs:
            g, p = doc.timexes[i], found[j]
            ok = canonical_value(g.value) == canonical_value(p.value)
            value_right += ok
            type_right += g.type == p.type
            if errors and not ok:
                problems.append({"doc": doc.name, "kind": "value", "gold": [g.text, g.value],
                                 "pred": [p.text, p.value, p.rule], "dct": str(doc.dct),
                                 "context": doc.text[max(0, g.start - 80):g.end + 40].replace("\n", " ")})
        if errors:
            for i, g in enumerate(doc.timexes):
                if i not in paired_g:
                    problems.append({"doc": doc.name, "kind": "missed", "gold": [g.text, g.value],
                                     "context": doc.text[max(0, g.start - 60):g.end + 40].replace("\n", " ")})
            for j, p in enumerate(found):
                if j not in paired_p:
                    problems.append({"doc": doc.name, "kind": "spurious", "pred": [p.text, p.value, p.rule],
                                     "context": doc.text[max(0, p.start - 60):p.end + 40].replace("\n", " ")})
    relaxed_prec = relaxed_p / n_pred if n_pred else 0.0
    relaxed_rec = relaxed_g / n_gold if n_gold else 0.0
    result: dict[str, Any] = {
        "documents": len(docs),
        "gold": n_gold,
        "predicted": n_pred,
        "strict": _prf(strict, n_pred, n_gold),
        "relaxed": {
            "precision": relaxed_prec,
            "recall": relaxed_rec,
            "f1": 2 * relaxed_prec * relaxed_rec / (relaxed_prec + relaxed_rec) if relaxed_prec + relaxed_rec else 0.0,
        },
        "value": _prf(value_right, n_pred, n_gold),
        "value_accuracy": value_right / pairs_n if pairs_n else 0.0,
        "type_accuracy": type_right / pairs_n if pairs_n else 0.0,
        "seconds": elapsed,
        "documents_per_second": len(docs) / elapsed if elapsed else float("inf"),
        "ms_per_document": 1000 * elapsed / len(docs),
    }
    if errors:
        result["errors"] = problems
    return result
