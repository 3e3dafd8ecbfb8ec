"""Web archives (.warc, .warc.gz) and feeds (RSS, Atom): real files built in tmp_path."""

from __future__ import annotations

import gzip
from io import BytesIO
from pathlib import Path

import pytest

from storyline.ingest import reader_for
from storyline.records import RawDocument, Rejection

warcio = pytest.importorskip("warcio")
feedparser = pytest.importorskip("feedparser")

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from storyline.ingest.feeds import parse_feed, read_feed  # noqa: E402
from storyline.ingest.warc import read_warc  # noqa: E402

ARTICLE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>The city council approved the new budget on Tuesday after a long debate about school funding.</p>"
    "<p>{extra}</p></article></body></html>"
)


def _docs(items):
    return [i for i in items if isinstance(i, RawDocument)]


def _rejections(items):
    return [i for i in items if isinstance(i, Rejection)]


# -- WARC ------------------------------------------------------------------------------------------


def _response(writer, url, body: bytes, *, status="200 OK", content_type="text/html; charset=utf-8", extra=()):
    headers = [("Content-Type", content_type), *extra] if content_type else list(extra)
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    return writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http)


def _write_warc(path: Path, records_spec, *, gz: bool) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        for spec in records_spec:
            writer.write_record(spec(writer))


def _sample_records():
    utf8 = ARTICLE.format(title="Budget approved", extra="Café owners welcomed the decision.").encode("utf-8")
    latin1 = ARTICLE.format(title="Fête", extra="Les élèves étaient ravis de la fête.").encode("latin-1")
    wrong = ARTICLE.format(title="Wrong charset", extra="Naïve façade, déjà vu.").encode("utf-8")
    return [
        lambda w: w.create_warc_record(
            "http://news.example/a", "request", payload=BytesIO(b"GET /a HTTP/1.1\r\nHost: news.example\r\n\r\n")
        ),
        lambda w: _response(
            w, "http://news.example/a", utf8, extra=[("Last-Modified", "Tue, 19 Nov 2019 10:00:00 GMT")]
        ),
        lambda w: _response(w, "http://news.example/logo.png", b"\x89PNG\r\n\x1a\n0000", content_type="image/png"),
        lambda w: _response(w, "http://news.example/gone", b"<html>gone</html>", status="404 Not Found"),
        lambda w: _response(
            w, "http://news.example/old", b"", status="301 Moved Permanently", extra=[("Location", "/a")]
        ),
        # HTTP says Latin-1 and the bytes are Latin-1
        lambda w: _response(w, "http://news.example/fete", latin1, content_type="text/html; charset=ISO-8859-1"),
        # HTTP says Latin-1 but the bytes are UTF-8: the declaration is wrong
        lambda w: _response(w, "http://news.example/wrong", wrong, content_type="text/html; charset=iso-8859-1"),
        lambda w: w.create_warc_record(
            "http://news.example/a", "metadata", payload=BytesIO(b"via: crawler"), warc_content_type="text/plain"
        ),
    ]


@pytest.mark.parametrize("name,gz", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc_html_responses_become_documents(tmp_path, name, gz):
    path = tmp_path / name
    _write_warc(path, _sample_records(), gz=gz)
    assert reader_for(path) is read_warc
    items = list(read_warc(path))
    assert _rejections(items) == []
    docs = _docs(items)
    assert [d.meta["url"] for d in docs] == [
        "http://news.example/a",
        "http://news.example/fete",
        "http://news.example/wrong",
    ]
    for doc in docs:
        source, _, offset = doc.source.rpartition("#")
        assert source == str(path) and offset.isdigit()
        assert doc.html and doc.text is None
        assert doc.meta["fetched"].startswith("20")  # WARC-Date, ISO 8601
        assert "published" not in doc.meta  # the crawl date is not a publication date
    assert len({d.source for d in docs}) == 3
    assert docs[0].meta["last_modified"] == "2019-11-19T10:00:00+00:00"
    assert "Café owners" in docs[0].html
    assert "Les élèves étaient ravis" in docs[1].html  # HTTP charset honoured
    assert "Naïve façade, déjà vu." in docs[2].html  # wrong HTTP charset: UTF-8 bytes still read right


def test_warc_offsets_find_the_record_again(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    _write_warc(path, _sample_records(), gz=True)
    from warcio.archiveiterator import ArchiveIterator

    for doc in _docs(read_warc(path)):
        offset = int(doc.source.rpartition("#")[2])
        with path.open("rb") as f:
            f.seek(offset)
            record = next(iter(ArchiveIterator(f)))
            assert record.rec_headers.get_header("WARC-Target-URI") == doc.meta["url"]


def _page_record(url: str, html: str):
    return lambda writer: _response(writer, url, html.encode("utf-8"))


def _five_pages(path: Path, gz: bool) -> None:
    pages = [
        _page_record(f"http://news.example/{i}", ARTICLE.format(title=f"Story {i}", extra="x" * 400)) for i in range(5)
    ]
    _write_warc(path, pages, gz=gz)


@pytest.mark.parametrize("name,gz", [("cut.warc.gz", True), ("cut.warc", False)])
def test_truncated_warc_keeps_records_before_the_damage(tmp_path, name, gz):
    whole = tmp_path / f"whole-{name}"
    _five_pages(whole, gz)
    data = whole.read_bytes()
    complete = _docs(read_warc(whole))
    assert len(complete) == 5
    # cut in the middle of the fourth record
    offsets = [int(d.source.rpartition("#")[2]) for d in complete]
    cut_at = (offsets[3] + offsets[4]) // 2
    path = tmp_path / name
    path.write_bytes(data[:cut_at])
    items = list(read_warc(path))
    docs = _docs(items)
    assert [d.meta["url"] for d in docs] == [f"http://news.example/{i}" for i in range(3)]
    rejections = _rejections(items)
    assert len(rejections) == 1
    rejection = rejections[0]
    assert rejection.code == "truncated" and rejection.source == str(path)
    assert f"byte {offsets[3]}" in rejection.reason and "3 pages" in rejection.reason
    assert items[-1] is rejection


def test_every_cut_of_a_warc_gz_is_accounted_for(tmp_path):
    whole = tmp_path / "whole.warc.gz"
    _five_pages(whole, True)
    data = whole.read_bytes()
    boundaries = {int(d.source.rpartition("#")[2]) for d in _docs(read_warc(whole))} | {len(data)}
    path = tmp_path / "cut.warc.gz"
    for cut in range(1, len(data), 37):
        path.write_bytes(data[:cut])
        items = list(read_warc(path))
        codes = [r.code for r in _rejections(items)]
        if cut in boundaries:
            assert codes == [], cut
        else:
            assert codes[-1:] == ["truncated"] or codes == ["unreadable"], (cut, codes)


def test_warc_without_html_pages_is_rejected_as_empty(tmp_path):
    path = tmp_path / "images.warc"
    _write_warc(path, _sample_records()[2:5], gz=False)
    items = list(read_warc(path))
    assert len(items) == 1 and items[0].code == "empty"
    assert "image/png" in items[0].reason and "HTTP 404" in items[0].reason


def test_not_a_warc(tmp_path):
    path = tmp_path / "notes.warc"
    path.write_text("these are my notes, not an archive\n")
    (rejection,) = read_warc(path)
    assert rejection.code == "unreadable" and "not a WARC" in rejection.reason
    gz = tmp_path / "notes.warc.gz"
    gz.write_bytes(gzip.compress(b"plain text, gzipped"))
    (rejection,) = read_warc(gz)
    assert rejection.code == "unreadable"
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    (rejection,) = read_warc(empty)
    assert rejection.code == "empty"


def test_warc_page_over_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYLINE_MAX_BYTES", "2000")
    big = _page_record("http://e.x/big", ARTICLE.format(title="Big", extra="y" * 5000))
    small = _page_record("http://e.x/small", ARTICLE.format(title="Small", extra="z"))
    path = tmp_path / "big.warc.gz"
    _write_warc(path, [big, small], gz=True)
    items = list(read_warc(path))
    assert [type(i).__name__ for i in items] == ["Rejection", "RawDocument"]
    assert items[0].code == "too_large" and items[0].source.startswith(f"{path}#")


def test_warc_documents_go_through_extraction():
    pytest.importorskip("trafilatura")
    from storyline.records import Document
    from storyline.stages.extract import ExtractText

    html = ARTICLE.format(title="Budget approved", extra="Café owners welcomed the decision.")
    meta = {"url": "http://news.example/a", "fetched": "2019-11-20T00:00:00+00:00"}
    raw = RawDocument("crawl.warc#0", html=html, meta=meta)
    doc = ExtractText()(Document.from_raw(raw))
    assert "approved the new budget" in doc.text and "Café owners" in doc.text
    assert doc.meta["title"] == "Budget approved"


# -- feeds -----------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Le Café Quotidien</title>
  <link>http://cafe.example/</link>
  <item>
    <title>Le café rouvre</title>
    <link>http://cafe.example/reouverture</link>
    <guid>http://cafe.example/?p=1</guid>
    <dc:creator>Amélie Poulain</dc:creator>
    <pubDate>Tue, 19 Nov 2019 23:30:00 -0500</pubDate>
    <description>Résumé court.</description>
    <content:encoded><![CDATA[<p>Le café de la place a rouvert mardi après six mois de travaux.</p>
      <p>Les habitués étaient là dès l'aube.</p>]]></content:encoded>
  </item>
  <item>
    <title>Deuxième article</title>
    <link>http://cafe.example/deux</link>
    <pubDate>Mon, 18 Nov 2019 08:00:00 +0100</pubDate>
    <description><![CDATA[<p>Seulement un résumé, mais complet, sur la fête du quartier.</p>]]></description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Wire</title>
  <id>urn:example:wire</id>
  <updated>2019-11-19T12:00:00Z</updated>
  <entry>
    <title>Storm hits the coast</title>
    <id>urn:example:1</id>
    <link rel="alternate" href="https://wire.example/storm"/>
    <published>2019-11-19T21:15:00-08:00</published>
    <updated>2019-11-20T09:00:00Z</updated>
    <summary>A storm hit the coast.</summary>
    <content type="html">&lt;p&gt;A powerful storm hit the coast on Tuesday night,
      cutting power to thousands.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Only updated</title>
    <id>urn:example:2</id>
    <link href="https://wire.example/updated"/>
    <updated>2019-11-18T07:00:00+02:00</updated>
    <content type="text">Plain text content about the harbour reopening after repairs.</content>
  </entry>
</feed>
"""


@pytest.fixture(autouse=True)
def _no_fetching(monkeypatch):
    monkeypatch.delenv("STORYLINE_FETCH", raising=False)
    monkeypatch.delenv("STORYLINE_FETCH_ALLOW_PRIVATE", raising=False)


def test_rss_entries_become_documents(tmp_path):
    path = tmp_path / "cafe.rss"
    path.write_bytes(RSS.format(encoding="utf-8").encode("utf-8"))
    assert reader_for(path) is read_feed
    items = list(read_feed(path))
    docs = _docs(items)
    assert len(docs) == 2 and not _rejections(items)
    first, second = docs
    assert first.source == f"{path}#1" and second.source == f"{path}#2"
    assert first.meta["title"] == "Le café rouvre"
    assert first.meta["url"] == "http://cafe.example/reouverture"
    assert first.meta["outlet"] == "Le Café Quotidien"
    assert first.meta["published"] == "2019-11-19T23:30:00-05:00"  # the feed's own offset, not UTC
    assert first.meta["author"] == "Amélie Poulain"
    assert first.meta["guid"] == "http://cafe.example/?p=1"
    # the full content wins over the summary
    assert "rouvert mardi après six mois" in first.html and "Résumé court" not in first.html
    assert first.meta["feed_content"] == "content"
    assert "fête du quartier" in second.html and second.meta["feed_content"] == "summary"


def test_atom_entries(tmp_path):
    path = tmp_path / "wire.atom"
    path.write_text(ATOM, encoding="utf-8")
    docs = _docs(read_feed(path))
    assert [d.meta["title"] for d in docs] == ["Storm hits the coast", "Only updated"]
    storm, updated = docs
    assert storm.meta["url"] == "https://wire.example/storm"
    assert storm.meta["published"] == "2019-11-19T21:15:00-08:00"
    assert storm.meta["outlet"] == "Example Wire"
    assert "cutting power to thousands" in storm.html
    assert updated.meta["published"] == "2019-11-18T07:00:00+02:00"  # no published: updated
    assert "<p>Plain text content about the harbour" in updated.html  # text content, escaped into HTML


def test_feed_entries_extract_to_text(tmp_path):
    pytest.importorskip("trafilatura")
    from storyline.records import Document
    from storyline.stages.extract import ExtractText

    path = tmp_path / "wire.atom"
    path.write_text(ATOM, encoding="utf-8")
    stage = ExtractText()
    texts = [stage(Document.from_raw(d)).text for d in _docs(read_feed(path))]
    assert "A powerful storm hit the coast on Tuesday night" in texts[0]
    assert "harbour reopening" in texts[1]


def test_xml_files_are_feeds_only_when_they_are(tmp_path):
    feed = tmp_path / "news.xml"
    feed.write_text(ATOM, encoding="utf-8")
    assert reader_for(feed) is read_feed
    assert len(_docs(read_feed(feed))) == 2
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>http://e.x/</loc></url></urlset>"
    )
    (rejection,) = read_feed(sitemap)
    assert rejection.code == "unsupported" and "<urlset>" in rejection.reason


@pytest.mark.parametrize(
    "declared,encoding",
    [
        ("utf-8", "latin-1"),  # declared UTF-8, written in Latin-1
        ("iso-8859-1", "utf-8"),  # declared Latin-1, written in UTF-8
        ("windows-1252", "windows-1252"),  # honest legacy charset
    ],
)
def test_feed_with_wrong_or_legacy_charset(tmp_path, declared, encoding):
    path = tmp_path / "cafe.rss"
    path.write_bytes(RSS.format(encoding=declared).encode(encoding))
    docs = _docs(read_feed(path))
    assert len(docs) == 2
    assert docs[0].meta["title"] == "Le café rouvre"
    assert docs[0].meta["outlet"] == "Le Café Quotidien"
    assert "après six mois" in docs[0].html


def test_broken_feed_keeps_recovered_entries(tmp_path):
    broken = RSS.format(encoding="utf-8").replace(
        "</channel>\n</rss>", "<item><title>Cut & broken</title><link>http://cafe.example/trois</link>"
    )
    path = tmp_path / "broken.rss"
    path.write_text(broken, encoding="utf-8")
    items = list(read_feed(path))
    docs = _docs(items)
    assert [d.meta["title"] for d in docs[:2]] == ["Le café rouvre", "Deuxième article"]
    assert all(r.code != "bad_feed" for r in _rejections(items))  # entries were recovered


def test_unparseable_feed_is_a_bad_feed(tmp_path):
    path = tmp_path / "garbage.rss"
    path.write_text("<rss><channel><title>Nothing <here", encoding="utf-8")
    (rejection,) = read_feed(path)
    assert rejection.code == "bad_feed" and rejection.reason
    path.write_text("this is plain text, not a feed at all", encoding="utf-8")
    (rejection,) = read_feed(path)
    assert rejection.code == "bad_feed"
    # a file whose bytes name another file: never read as a path
    real = tmp_path / "real.rss"
    real.write_text(ATOM, encoding="utf-8")
    path.write_text(str(real), encoding="utf-8")
    (rejection,) = read_feed(path)
    assert rejection.code == "bad_feed"


def test_feed_without_entries_and_entry_without_content(tmp_path):
    path = tmp_path / "empty.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>')
    (rejection,) = read_feed(path)
    assert rejection.code == "empty"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>Link only</title><link>http://e.x/1</link></item></channel></rss>"
    )
    (rejection,) = read_feed(path)
    assert rejection.code == "empty" and rejection.source == f"{path}#1"
    assert "STORYLINE_FETCH=1" in rejection.reason


def test_reading_a_feed_never_fetches_by_default(tmp_path, monkeypatch):
    import storyline.ingest.fetch as fetch

    def no_network(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(fetch, "fetch", no_network)
    monkeypatch.setattr(fetch, "fetch_page", no_network)
    path = tmp_path / "cafe.rss"
    path.write_bytes(RSS.format(encoding="utf-8").encode())
    assert len(_docs(read_feed(path))) == 2


def test_parse_feed_from_bytes_with_http_charset():
    data = RSS.format(encoding="utf-8").replace('encoding="utf-8"', "").encode("latin-1")
    docs = _docs(parse_feed(data, "http://cafe.example/feed", content_type="application/rss+xml; charset=iso-8859-1"))
    assert docs[0].meta["title"] == "Le café rouvre"
    assert docs[0].source == "http://cafe.example/feed#1"
