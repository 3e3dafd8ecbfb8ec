"""Line-level boilerplate removal on scraped page text: storyline's "body" stage, scored line by line.

The "body" stage works on text that a scraper already pulled out of a page, with the page's chrome still in it
(menus, teasers, share buttons, cookie banners, comment forms). Two kinds of folders are scored:

- labelled texts: `*.txt` files and a `gold.json` or `labels.json` (`{"documents": {"<file>": {"language":
  "fr", "boilerplate_lines": [1-based line numbers]}}}`, the layout of the example corpus's gold);
- the article-extraction benchmark (`html/<id>.html.gz`, `ground-truth.json` with `articleBody`): each page's
  whole visible text is dumped as a scraper would (`page_lines`: no script/style/noscript/template, nothing
  hidden, one line per block element or `<br>`), and each line is labelled against the human-checked body
  (`label_lines`).

Every non-blank line is a decision: removed (outside every body range) or kept. Scores are counted over lines
(micro averages), for boilerplate lines (precision, recall, F1 of the removed ones) and for body lines (of the
kept ones), overall and per language. The stages run are the cleaning ones up to "body" (metadata, title,
body), over each folder as one batch, so the outlet memory learns as it would on a corpus.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from ..records import Document
from ..textnorm import fold
from .extraction import load_benchmark, tokenize

__all__ = ["evaluate_boilerplate", "page_lines", "label_lines", "line_decisions"]

STAGES = ("metadata", "title", "body")

# Elements whose text never shows on the page, and elements that start a new line of text.
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas", "select")
_BLOCKS = frozenset((
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr html li main menu nav ol p pre section summary table tbody tfoot thead tr ul "
    "button label option legend"
).split())
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

CONTAINED = 0.5  # share of a line's word trigrams found in the true body for the line to count as body
LONG_LINE = 8  # words: a line this long that the body contains anchors the article's region on the page


def page_lines(html: str) -> tuple[list[str], str | None]:
    """The visible text of a page, one line per block element, as a scraper dumping the page would give it,
    and the text of its first `<h1>` (the headline, when the page has one)."""
    from lxml import etree, html as lxml_html

    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        root = lxml_html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return [], None
    for el in root.xpath("|".join(f"//{t}" for t in _INVISIBLE) + "|//*[@hidden]|//*[@style]"):
        if el.tag in _INVISIBLE or el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""):
            if el.getparent() is not None:
                el.drop_tree()  # keeps the text that follows the element
    h1 = root.find(".//h1")
    headline = " ".join(h1.text_content().split()) if h1 is not None else None
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buf).split())
        if text:
            lines.append(text)
        buf.clear()

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS or tag == "br":
                flush()
            elif tag in ("td", "th"):
                buf.append(" ")  # the cells of a table row share its line
            buf.append(el.text or "")
        else:
            if tag in _BLOCKS:
                flush()
            buf.append(el.tail or "")
    flush()
    return lines, headline or None


def _grams(tokens: list[str]) -> list[tuple[str, ...]]:
    n = min(3, len(tokens))
    if not n:
        return []
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def label_lines(lines: list[str], body: str, headline: str | None = None) -> list[str | None]:
    """"body", "boilerplate" or None (not scored) for each line of a page, against the page's true body.

    A line is body when at least half of its word trigrams (bigrams, words for shorter lines) occur in the
    true body. A short line (under four words) counts as body only inside the article's region, from the
    first to the last long line the body contains: "Share" or "Politics" outside it are chrome even when the
    article uses the word. The headline (the line that is the page's `<h1>`) is not scored: the benchmark
    leaves it out of the body, storyline keeps it. Lines without a word are not scored either."""
    body_tokens = [t.lower() for t in tokenize(body)]
    known = {n: {tuple(body_tokens[i:i + n]) for i in range(len(body_tokens) - n + 1)} for n in (1, 2, 3)}
    tokens = [[t.lower() for t in tokenize(line)] for line in lines]
    contained = []
    for toks in tokens:
        grams = _grams(toks)
        hits = sum(1 for g in grams if g in known[len(g)])
        contained.append(bool(grams) and hits / len(grams) >= CONTAINED)
    anchors = [i for i, (toks, c) in enumerate(zip(tokens, contained)) if c and len(toks) >= LONG_LINE]
    first, last = (anchors[0], anchors[-1]) if anchors else (len(lines), -1)
    head = headline_index(lines, headline)
    labels: list[str | None] = []
    for i, (toks, c) in enumerate(zip(tokens, contained)):
        if not toks or i == head:
            labels.append(None)
        elif c and (len(toks) >= 4 or first <= i <= last):
            labels.append("body")
        else:
            labels.append("boilerplate")
    return labels


def headline_index(lines: list[str], headline: str | None) -> int | None:
    """Index of the first line that is the page's headline (its `<h1>`), or None."""
    key = " ".join(headline.split()).lower() if headline else None
    return next((i for i, line in enumerate(lines) if line.lower() == key), None) if key else None


def line_decisions(doc: Document) -> list[tuple[int, str, bool]]:
    """(1-based line number, line, removed) for every non-blank line of a cleaned document."""
    out, pos = [], 0
    for number, line in enumerate(doc.text.split("\n"), 1):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        s = start + len(line) - len(line.lstrip())
        e = end - (len(line) - len(line.rstrip()))
        out.append((number, line.strip(), not any(a <= s and e <= b for a, b in doc.body)))
    return out


def _clean(docs: list[Document]) -> list[Document]:
    from ..pipeline import Pipeline

    return Pipeline.from_names(STAGES).pipe(docs)


class _Item(NamedTuple):
    name: str
    text: str
    labels: dict[int, str]  # line number (1-based) -> "body" | "boilerplate"
    language: str | None
    headline_line: int | None  # line number of the headline, when known


def _labelled_texts(directory: Path) -> list[_Item]:
    """The documents of a folder of texts with gold.json or labels.json that label their lines (a document
    without `boilerplate_lines` says nothing of its lines, and is left out)."""
    labels_path = next((p for p in (directory / "gold.json", directory / "labels.json") if p.is_file()), None)
    if labels_path is None:
        raise FileNotFoundError(f"{directory}: expected ground-truth.json and html/, or *.txt with gold.json "
                                "or labels.json")
    documents = json.loads(labels_path.read_text(encoding="utf-8"))["documents"]
    labelled = sorted(name for name, meta in documents.items() if "boilerplate_lines" in meta)
    if not labelled:
        raise ValueError(f"{labels_path}: no document has `boilerplate_lines` (the 1-based numbers of its "
                         "boilerplate lines): nothing to score")
    out = []
    for name in labelled:
        text = (directory / name).read_text(encoding="utf-8")
        removed = set(documents[name]["boilerplate_lines"])
        labels = {n: ("boilerplate" if n in removed else "body")
                  for n, line in enumerate(text.split("\n"), 1) if line.strip()}
        out.append(_Item(name, text, labels, documents[name].get("language"), documents[name].get("title_line")))
    return out


def _benchmark_pages(directory: Path) -> list[_Item]:
    """The benchmark's pages dumped as text, labelled, with the language of their true body."""
    detect = _language_detector()
    out = []
    for key, html, body, _url in load_benchmark(directory):
        lines, headline = page_lines(html)
        if not lines:
            continue
        labels = {i: lab for i, lab in enumerate(label_lines(lines, body, headline), 1) if lab}
        head = headline_index(lines, headline)
        out.append(_Item(key, "\n".join(lines), labels, detect(body), None if head is None else head + 1))
    return out


def _language_detector():
    """Language of a true body, among the benchmark's languages (storyline's seven and Korean, Japanese,
    Indonesian), so that a Korean page is reported as Korean rather than as its nearest supported language."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = ("en", "fr", "es", "de", "it", "pt", "ru", "ko", "ja", "id")
    detector = LanguageDetectorBuilder.from_iso_codes_639_1(
        *(getattr(IsoCode639_1, c.upper()) for c in codes)).with_low_accuracy_mode().build()

    def detect(text: str) -> str | None:
        found = detector.detect_language_of(text[:800]) if text.strip() else None
        return found.iso_code_639_1.name.lower() if found else None

    return detect


def _scores(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def _summary(rows: Iterable[tuple[str, bool]]) -> dict[str, Any]:
    """Scores of (label, removed) decisions for both classes."""
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for label, removed in rows:
        truth = label == "boilerplate"
        counts[("t" if truth == removed else "f") + ("p" if removed else "n")] += 1
    tp, fp, fn, tn = counts["tp"], counts["fp"], counts["fn"], counts["tn"]
    return {"lines": tp + fp + fn + tn, "boilerplate_lines": tp + fn,
            "boilerplate": _scores(tp, fp, fn), "body": _scores(tn, fn, fp)}


def evaluate_boilerplate(directory: Path, *, details: bool = False) -> dict[str, Any]:
    """Line-level scores of the "body" stage on a folder (see the module docstring), overall and per language,
    and `headlines`: the share of documents with a known headline whose title is that line. With `details`,
    `errors` lists each wrongly decided line per document."""
    directory = Path(directory)
    if (directory / "ground-truth.json").is_file():
        items = _benchmark_pages(directory)
    else:
        items = _labelled_texts(directory)
    docs = _clean([Document(source=it.name, text=it.text) for it in items])
    by_language: dict[str, list[tuple[str, bool]]] = {}
    everything: list[tuple[str, bool]] = []
    errors: dict[str, list[dict[str, Any]]] = {}
    headlines = []
    for (name, text, labels, language, headline_line), doc in zip(items, docs):
        if headline_line is not None:
            headlines.append(fold(doc.title or "") == fold(text.split("\n")[headline_line - 1].strip()))
        for number, line, removed in line_decisions(doc):
            label = labels.get(number)
            if label is None:
                continue
            everything.append((label, removed))
            by_language.setdefault(language or "unknown", []).append((label, removed))
            if details and (label == "boilerplate") != removed:
                reason = next((r["reason"] for r in doc.removed if doc.text[r["start"]:r["end"]] == line), None)
                errors.setdefault(name, []).append({"line": number, "label": label, "reason": reason,
                                                    "text": line[:160]})
    result: dict[str, Any] = {"documents": len(items), **_summary(everything)}
    result["headlines"] = {"documents": len(headlines),
                           "accuracy": round(sum(headlines) / len(headlines), 4) if headlines else None}
    result["by_language"] = {code: {"documents": sum(1 for it in items if (it.language or "unknown") == code),
                                    **_summary(rows)} for code, rows in sorted(by_language.items())}
    if details:
        result["errors"] = errors
    return result
