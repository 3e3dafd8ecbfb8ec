"""Article text and metadata out of one HTML page.

trafilatura's main extractor (fast mode: without its readability/jusText comparison, which on news pages
more often swaps a good extraction for a worse one than the reverse) does the heavy lifting on a page parsed
once. storyline then improves its output with evidence trafilatura does not use:

- split bodies: paragraphs of the same article that sit in sibling containers of the same kind (bodies cut
  into chunks between ads) and that trafilatura left out are put back, in document order;
- the page's own title (OpenGraph, JSON-LD, `<title>`, `<h1>`): a headline repeated at the top of the text is
  dropped (it is kept as metadata);
- the page's links: a line that is nothing but the text of a link to the same site (related-article lists,
  "Read more: ..." teasers) is navigation, not prose; so are long runs of one-to-three-word lines (menus,
  tag clouds);
- head and tail zones: short date, byline and reading-time lines before the first paragraph, and the
  furniture after the last one (copyright, newsletter and follow-us calls, share buttons, tags, related
  links, credits), dropped only while they sit at the edges of the text.

When the cleaned text is empty or trafilatura fell back to a dump of the whole page (a menu run was found),
the full trafilatura cascade runs as a second opinion. Metadata: title, site name, canonical URL, the
declared language and the original publication date (htmldate, fast mode).

Measured on the Scrapinghub article-extraction benchmark (141 pages, `storyline eval extraction`): body F1
0.977 against 0.947 for trafilatura alone with its defaults, at about the same speed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class ExtractedArticle:
    """What `extract_article` found in one page."""

    text: str
    title: str | None = None
    published: str | None = None  # ISO day, from htmldate (original publication date)
    outlet: str | None = None
    url: str | None = None
    language: str | None = None  # the page's declared language (html lang), not a detection
    method: str = "trafilatura-fast"
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (reason, line) removed by the cleaning


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _norm(text: str) -> str:
    return " ".join(_tokens(text))


# ---------------------------------------------------------------------------------------------------------
# parsing


def parse_html(html: str | bytes):  # -> lxml.html.HtmlElement | None
    """The page as an lxml tree (trafilatura's loader: it repairs broken markup and guesses encodings of
    bytes), or None when the input is not HTML at all."""
    from trafilatura.utils import load_html

    if isinstance(html, str):
        html = html.replace("\x00", "")  # NUL characters make lxml give up
    try:
        tree = load_html(html)
        if tree is None and html.strip():
            # a fragment (a feed entry's content, a lone paragraph): trafilatura's loader wants a document
            if isinstance(html, bytes):
                tree = load_html(b"<html><body>" + html + b"</body></html>")
            else:
                tree = load_html(f"<html><body>{html}</body></html>")
        return tree
    except Exception as exc:  # lxml raises a variety of errors on hostile input
        log.debug("HTML parsing failed: %s", exc)
        return None


# ---------------------------------------------------------------------------------------------------------
# metadata


@dataclass(slots=True)
class PageMeta:
    title: str | None = None
    titles: set[str] = field(default_factory=set)  # normalised title candidates
    title_strings: list[str] = field(default_factory=list)  # normalised raw <title> / og:title strings
    sitename: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None


_TITLE_SPLIT = re.compile(r"\s+[|\-–—:·•»/]\s+|\s*[|·•»]\s*")


def page_metadata(tree, url: str | None = None, *, with_date: bool = True) -> PageMeta:
    """Title, site name, canonical URL, language and publication date the page declares about itself."""
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title

    meta = PageMeta(url=url)
    try:
        declared = examine_meta(tree)
    except Exception:  # pragma: no cover - defensive: metadata must never sink the text
        from trafilatura.settings import Document as _TDoc

        declared = _TDoc()
    og_title = declared.title
    try:
        declared = extract_meta_json(tree, declared)
    except Exception:
        pass
    title = declared.title or None
    if not title:
        try:
            title = extract_title(tree)
        except Exception:
            title = None
    meta.title = " ".join(title.split()) if title else None
    meta.sitename = _clean_sitename(declared.sitename)
    meta.url = url or declared.url or _canonical_url(tree)

    candidates: list[str] = [t for t in (title, og_title) if t]
    title_el = tree.find(".//title")
    if title_el is not None:
        raw = title_el.text_content() or ""
        if raw.strip():
            candidates.append(raw)
            meta.title_strings.append(_norm(raw))
            candidates.extend(p for p in _TITLE_SPLIT.split(raw) if p)
    for t in (og_title, title):
        if t:
            meta.title_strings.append(_norm(t))
    for h in tree.iter("h1"):
        text = h.text_content()
        if text:
            candidates.append(text)
    meta.titles = {n for n in (_norm(c) for c in candidates) if n}
    if not meta.sitename and meta.title_strings:
        from trafilatura.metadata import extract_sitename

        try:
            meta.sitename = _clean_sitename(extract_sitename(tree))
        except Exception:
            pass
    lang = tree.get("lang") or tree.get("xml:lang")
    if lang and re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", lang.strip()):
        meta.language = lang.strip().replace("_", "-")
    if with_date:
        meta.published = page_date(tree, meta.url)
    return meta


def _canonical_url(tree) -> str | None:
    for link in tree.iterfind(".//head/link[@rel='canonical']"):
        href = (link.get("href") or "").strip()
        if href.startswith(("http://", "https://")):
            return href
    return None


def _clean_sitename(name: str | None) -> str | None:
    if not name:
        return None
    name = " ".join(name.split()).lstrip("@")
    if name.startswith(("http://", "https://")):
        return None
    return name or None


def page_date(tree, url: str | None = None) -> str | None:
    """The original publication date (ISO day) from the page's markup and URL, htmldate's fast mode."""
    from htmldate import find_date

    try:
        return find_date(tree, extensive_search=False, original_date=True, url=url)
    except Exception as exc:  # htmldate must never sink the text
        log.debug("htmldate failed: %s", exc)
        return None


# ---------------------------------------------------------------------------------------------------------
# link texts


def link_texts(tree, url: str | None = None) -> dict[str, bool]:
    """Normalised texts of the page's links (at least two words), each with whether the link stays on the
    page's own site (relative, or the same registered domain as `url`; every link counts as internal when
    the page's URL is unknown). A body line equal to an internal link's text is navigation or a teaser."""
    from urllib.parse import urlsplit

    site = _site_key(urlsplit(url).hostname or "") if url else ""
    out: dict[str, bool] = {}
    for a in tree.iter("a"):
        try:
            text = a.text_content()
        except ValueError:
            continue
        n = _norm(text)
        if n.count(" ") < 1 or n.startswith(("http ", "https ", "www ")):
            continue
        internal = True
        if site:
            href = (a.get("href") or "").strip()
            if href.startswith(("http://", "https://", "//")):
                try:
                    host = urlsplit(href).hostname or ""
                except ValueError:
                    host = ""
                internal = _site_key(host) == site
        out[n] = out.get(n, False) or internal
    return out


def _site_key(host: str) -> str:
    """The registered domain, roughly: "www.bbc.co.uk" -> "bbc.co.uk", "news.sky.com" -> "sky.com"."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and (len(labels[-2]) <= 3 or labels[-2] in {"gov", "ac", "edu"}) and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


# ---------------------------------------------------------------------------------------------------------
# line cleaning

# short labels that introduce a teaser link: "Read more: <headline>", "Related: <headline>"
_TEASER_LABEL = re.compile(
    r"^\W*(read more|read also|also read|more|related|related articles?|related stories|related posts?|see more|"
    r"see also|also|also on [\w.]+|recommended|watch|watch more|listen|more on this|more from [\w. ]+|"
    r"don'?t miss|must read|trending|popular|click here|leggi anche( su)?|lesen sie auch|lire aussi|"
    r"leia também|veja também|saiba mais|читайте также)\b\W*",
    re.IGNORECASE,
)

# furniture that never belongs to an article body, recognised at the edges of the text
_EDGE_BOILERPLATE = re.compile(
    r"(^\W*(©|\(c\)|copyright\b)|all rights reserved|"
    # calls to action: subscribe, sign up, follow, share, download the app
    r"\bsubscribe (to|for|now|today|here)\b|^\W*subscribe\b|\b(our|free|daily|weekly|e-?mail) newsletters?\b|"
    r"\bnewsletters? (here|today|now)\b|^\W*sign up\b|\bsign up (for|to) (our|the)\b|"
    r"\bfollow (us|him|her|them|me)\b|\bfollow @|\bfollow\b.{0,60}\bon (twitter|facebook|instagram)\b|"
    r"^\W*(share|tweet|email|print)( this( article| story| post)?)?\W*$|\bshare (this|it) with\b|"
    r"click here|\bget the [\w ]{0,30}\bapp\b|"
    # furniture labels
    r"^\W*comments?\W*$|^\W*\d+\s+comments?\W*$|^\W*tags?\s*(:|$)|^\W*(filed|posted) (under|in)\b|"
    r"^\W*(you may|you might) (also )?like|^\W*(related|recommended|more) (stories|articles|posts|reading)\b|"
    r"^\W*explore further\W*$|^\W*most (read|popular|viewed)\b|^\W*popular on\b|^\W*source\s*:|"
    r"^\W*advertisement\W*$|^\W*(read|see) more\W*$|"
    # contact lines and credits
    r"^\W*(write to|email|contact) [\w .'-]+ at\b|@[\w.-]+\.\w{2,}|^\W*(https?://|www\.)\S+\W*$|"
    r"^\W*twitter\.com/|\bcontributed to this report\b|^\W*(additional )?reporting by\b|"
    r"^\W*\(?(reporting|editing|writing) by\b|\bthis (article|story) (was|has been) (updated|corrected)|"
    r"^\W*(image|photo|picture) (credit|source)s?\b|"
    r"무단\s*전재|재배포\s*금지|^\W*(leia|veja) (mais|também)\b|^\W*tempo de leitura\b|\breading time\b|"
    r"\bmin(ute)?s? read\W*$)",
    re.IGNORECASE,
)

_MONTHS = (
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|janvier|février|mars|avril|mai|juin|juillet|août|"
    r"septembre|octobre|novembre|décembre|janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|"
    r"outubro|novembro|dezembro|enero|febrero|marzo|mayo|junio|julio|septiembre|octubre|noviembre|diciembre|"
    r"gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|januar|februar|märz|juni|juli|"
    r"oktober|dezember"
)
_DATEISH = re.compile(
    rf"(\b\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}\b|\b(?:{_MONTHS})[a-zé]*\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\.?\s+(?:de\s+)?"
    rf"(?:{_MONTHS})[a-zé]*\b|\b\d{{4}}\s*년|\b\d{{4}}年|\b(?:published|updated|posted|modified)\b|"
    rf"\b\d{{1,2}}:\d{{2}}\b)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\W*(by|von|par|por|di|door|av)\s+\w+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…。！？]['\"’”»)]*\s*$")


_MENU_WORDS = 3  # a line of at most this many words ...
_MENU_RUN = 10  # ... repeated this many times in a row is navigation


@dataclass(slots=True)
class _Line:
    raw: str
    norm: str
    ntok: int


def _is_menu_item(line: _Line) -> bool:
    """One to three words, no sentence, not a list item or table row (those are trafilatura's own markup)."""
    return line.ntok <= _MENU_WORDS and not _SENTENCE_END.search(line.raw) and not line.raw.startswith(("- ", "|"))


def _is_link_line(line: _Line, links: dict[str, bool], *, external: bool = False) -> bool:
    """The line is the text of one link (internal links only, unless `external`), possibly after a teaser
    label ("Read more: ...")."""
    if line.ntok < 2:
        return False
    hit = links.get(line.norm)
    if hit is not None and (hit or external):
        return True
    m = _TEASER_LABEL.match(line.raw)
    if m and m.end() < len(line.raw):
        hit = links.get(_norm(line.raw[m.end() :]))
        if hit is not None and (hit or external):
            return True
    return False


def _is_title_line(line: _Line, meta: PageMeta) -> bool:
    if not line.norm:
        return False
    if line.norm in meta.titles:
        return True
    if line.ntok >= 3:
        for t in meta.title_strings:
            # "<headline> | Site" titles: the line is a leading part of the page title
            if t.startswith(line.norm) and len(line.norm) >= 0.6 * len(t):
                return True
            # the line is the title plus a short decoration
            if line.norm.startswith(t) and line.ntok <= len(t.split()) + 3:
                return True
    return False


def _is_head_furniture(line: _Line) -> bool:
    """A short line before the article proper: dateline stamp, byline, reading time."""
    if line.ntok == 0:
        return True
    if line.ntok > 14:
        return False
    if _EDGE_BOILERPLATE.search(line.raw):
        return True
    if _SENTENCE_END.search(line.raw):  # a sentence, however short, is prose
        return False
    if _DATEISH.search(line.raw):
        return True
    return bool(_BYLINE.match(line.raw)) and line.ntok <= 6


def _starts_with_link(line: _Line, links: dict[str, bool]) -> bool:
    """The line opens with an internal link's text covering much of it (a related-article teaser: linked
    headline, then its summary): at least 40% of a paragraph, 20% of a list item."""
    toks = line.norm.split()
    share = 0.2 if line.raw.startswith("- ") else 0.4
    for k in range(len(toks) - 1, 2, -1):
        if k < share * len(toks):
            break
        if links.get(" ".join(toks[:k])):
            return True
    return False


def _is_tail_furniture(line: _Line, links: dict[str, bool]) -> bool:
    if line.ntok == 0:
        return True
    if _is_link_line(line, links, external=True) or _starts_with_link(line, links):
        return True
    return line.ntok <= 60 and bool(_EDGE_BOILERPLATE.search(line.raw))


def clean_lines(text: str, meta: PageMeta, links: dict[str, bool], *, dropped: list | None = None) -> str:
    """The extracted text without repeated title, edge furniture and link-only lines."""
    raw_lines = [ln for ln in text.split("\n")]
    lines = []
    for raw in raw_lines:
        toks = _tokens(raw)
        lines.append(_Line(raw, " ".join(toks), len(toks)))
    keep = [True] * len(lines)
    drop_log = dropped if dropped is not None else []

    def drop(i: int, why: str) -> None:
        if keep[i]:
            keep[i] = False
            drop_log.append((why, lines[i].raw))

    # interior: link-only lines (menus, teaser links between paragraphs)
    for i, line in enumerate(lines):
        if _is_link_line(line, links):
            drop(i, "link")
    # navigation dumps: long runs of one-to-three-word lines (menus, category and tag clouds)
    run: list[int] = []
    for i in [*range(len(lines)), -1]:
        line = lines[i] if i >= 0 else None
        if line is not None and (line.ntok == 0 or _is_menu_item(line)):
            if line.ntok:
                run.append(i)
            continue
        if len(run) >= _MENU_RUN:
            for k in run:
                drop(k, "menu")
        run = []
    # head zone: title, then short furniture until the first real paragraph
    i, seen = 0, 0
    while i < len(lines) and seen < 6:
        line = lines[i]
        if not keep[i] or line.ntok == 0:
            i += 1
            continue
        if _is_title_line(line, meta):
            drop(i, "title")
        elif _is_head_furniture(line):
            drop(i, "head")
        else:
            break
        seen += 1
        i += 1
    # tail zone
    j = len(lines) - 1
    while j > i:
        line = lines[j]
        if not keep[j] or line.ntok == 0:
            j -= 1
            continue
        if _is_tail_furniture(line, links):
            drop(j, "tail")
            j -= 1
            continue
        break
    out = "\n".join(ln.raw for ln, k in zip(lines, keep, strict=True) if k)
    return out.strip()


# ---------------------------------------------------------------------------------------------------------
# split bodies

_SIG_DEPTH = 3  # ancestors that make a paragraph's container signature
_MIN_RECOVER_WORDS = 8
_MAX_COMMON_ANCESTOR_UP = 4


def _signature(el) -> tuple:
    sig = []
    parent = el.getparent()
    for _ in range(_SIG_DEPTH):
        if parent is None:
            break
        sig.append((parent.tag, parent.get("class") or ""))
        parent = parent.getparent()
    return tuple(sig)


_FURNITURE_TAGS = frozenset(
    {"figure", "figcaption", "aside", "nav", "footer", "header", "form", "template", "noscript"}
)


def _in_furniture(el) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag in _FURNITURE_TAGS:
            return True
        parent = parent.getparent()
    return False


def _shingle_set(norm_text: str, n: int = 4) -> set[tuple[str, ...]]:
    toks = norm_text.split()
    return {tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1))}


def recover_split_body(tree, text: str, *, added: list | None = None) -> str:
    """Paragraphs of an article body split over several sibling containers (chunks between ads) that the
    extractor left out. A source paragraph is put back, in document order, when it sits in a container of
    exactly the same kind as extracted paragraphs (same tag and class for three ancestors) but not the same
    container (there, the extractor chose to drop it), close to them (a common ancestor at most four levels
    up), with at least eight words, few links, and not already in the text."""
    lines = text.split("\n")
    norms = [_norm(line) for line in lines]
    known = {n for n in norms if n}
    by_norm: dict[str, int] = {}
    paragraphs = []
    for el in tree.iter("p"):
        if el.find(".//script") is not None or el.find(".//style") is not None or _in_furniture(el):
            continue
        try:
            content = el.text_content()
        except ValueError:
            continue
        n = _norm(content)
        if n.count(" ") + 1 < _MIN_RECOVER_WORDS:
            continue
        by_norm.setdefault(n, len(paragraphs))
        paragraphs.append((el, n, content))
    if not paragraphs:
        return text
    # extracted lines that are source paragraphs: their positions and containers
    line_pos: list[int | None] = [by_norm.get(n) if n else None for n in norms]
    matched = {i for i in line_pos if i is not None}
    if len(matched) < 2:
        return text
    signatures = {_signature(paragraphs[i][0]) for i in matched}
    around: set | None = None  # the elements containing extracted paragraphs
    present: set[tuple[str, ...]] | None = None
    candidates = []
    for i, (el, n, content) in enumerate(paragraphs):
        if i in matched or n in known or _signature(el) not in signatures:
            continue
        if around is None:
            around = set()
            for j in matched:
                parent = paragraphs[j][0].getparent()
                while parent is not None and parent not in around:
                    around.add(parent)
                    parent = parent.getparent()
        # the same body: a close common ancestor with the extracted paragraphs, not a page-wide layout class
        parent, up = el.getparent(), 1
        while parent is not None and parent not in around:
            parent, up = parent.getparent(), up + 1
        if not 2 <= up <= _MAX_COMMON_ANCESTOR_UP:  # 1: same container, where trafilatura chose to drop it
            continue
        link_chars = sum(len(a.text_content()) for a in el.iter("a"))
        if link_chars > 0.3 * len(content):
            continue
        # already there, laid out differently (line breaks inside the paragraph)?
        if present is None:
            present = _shingle_set(" ".join(norms))
        own = _shingle_set(n)
        if len(own & present) > 0.2 * len(own):
            continue
        candidates.append(i)
        known.add(n)
        present |= own
    if not candidates:
        return text
    # insert each after the last extracted line that comes before it in the document
    inserts: dict[int, list[str]] = {}
    for i in candidates:
        after = -1
        for k, pos in enumerate(line_pos):
            if pos is not None and pos < i:
                after = k
        inserts.setdefault(after, []).append(" ".join(paragraphs[i][2].split()))
    out = list(inserts.get(-1, []))
    for k, line in enumerate(lines):
        out.append(line)
        out.extend(inserts.get(k, []))
    if added is not None:
        added.extend(" ".join(paragraphs[i][2].split()) for i in candidates)
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------------
# extraction


_SHORT_TEXT = 200  # characters: a result this short gets a second opinion


def _trafilatura_text(tree, url: str | None, *, fast: bool) -> str:
    import trafilatura

    result = trafilatura.extract(tree, url=url, fast=fast, include_comments=False)
    return result or ""


def _candidate(tree, url: str | None, meta: PageMeta, links: dict[str, bool], *, fast: bool):
    dropped: list[tuple[str, str]] = []
    raw = recover_split_body(tree, _trafilatura_text(tree, url, fast=fast))
    text = clean_lines(raw, meta, links, dropped=dropped)
    menu = any(why == "menu" for why, _ in dropped)
    return text, dropped, menu


def extract_article(html: str | bytes, url: str | None = None, *, metadata: bool = True) -> ExtractedArticle | None:
    """The article in an HTML page (`str`, or `bytes` in any encoding), or None when it cannot be parsed as
    HTML at all. `text` is empty when nothing reads as an article. `url` (the page's address, when known)
    tells links to the same site from links elsewhere and helps date the page; without it the page's own
    canonical URL is used. `metadata=False` skips the publication date (the slowest part of the metadata)."""
    tree = parse_html(html)
    if tree is None:
        return None
    meta = page_metadata(tree, url, with_date=metadata)
    links = link_texts(tree, meta.url)
    text, dropped, menu = _candidate(tree, url, meta, links, fast=True)
    method = "trafilatura-fast"
    if menu or len(text) < _SHORT_TEXT:
        # trafilatura's main extractor fell back to a dump of the whole page, or found little or nothing:
        # the full cascade (with its readability and jusText comparisons) gives a second opinion
        text2, dropped2, menu2 = _candidate(tree, url, meta, links, fast=False)
        if text2 and not menu2 and (menu or len(text2) > len(text)):
            text, dropped, method = text2, dropped2, "trafilatura-full"
    return ExtractedArticle(
        text=text,
        title=meta.title,
        published=meta.published,
        outlet=meta.sitename,
        url=meta.url,
        language=meta.language,
        method=method,
        dropped=dropped,
    )
