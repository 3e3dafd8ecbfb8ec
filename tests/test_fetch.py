"""Fetching URLs: off by default, loopback refused by default, and the real thing against a local HTTP server
(127.0.0.1, in a thread) with the allow-private option on."""

from __future__ import annotations

import http.server
import ipaddress
import threading
import time

import pytest

pytest.importorskip("httpx")

from storyline.ingest import fetch  # noqa: E402
from storyline.ingest.fetch import FetchOptions, blocked_reason, read_url  # noqa: E402
from storyline.records import RawDocument, Rejection  # noqa: E402

PAGE = (
    "<html><head><meta charset='utf-8'><title>Le café rouvre</title></head><body><article>"
    "<p>Le café de la place a rouvert mardi après six mois de travaux, a annoncé la mairie.</p>"
    "</article></body></html>"
)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str | None = "text/html", headers=()) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        self.server.requests.append((self.path, self.headers.get("Host")))
        port = self.server.server_port
        if self.path == "/page":
            modified = [("Last-Modified", "Tue, 19 Nov 2019 10:00:00 GMT")]
            self._send(200, PAGE.encode("utf-8"), "text/html; charset=utf-8", modified)
        elif self.path == "/wrong-charset":  # declared Latin-1, really UTF-8
            self._send(200, PAGE.encode("utf-8"), "text/html; charset=ISO-8859-1")
        elif self.path == "/latin1":
            self._send(200, PAGE.replace("utf-8", "iso-8859-1").encode("latin-1"), "text/html; charset=iso-8859-1")
        elif self.path == "/untyped":
            self._send(200, PAGE.encode("utf-8"), content_type=None)
        elif self.path == "/redirect":
            self._send(302, headers=[("Location", "/page")])
        elif self.path == "/loop":
            self._send(302, headers=[("Location", "/loop")])
        elif self.path == "/redirect-elsewhere":
            self._send(302, headers=[("Location", f"http://internal.test:{port}/page")])
        elif self.path == "/big":
            self._send(200, b"<html><body>" + b"x" * 300_000 + b"</body></html>")
        elif self.path == "/big-stream":  # no Content-Length: must be stopped while streaming
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"y" * 10_000)
            except OSError:
                pass
            self.close_connection = True
        elif self.path == "/slow":
            time.sleep(2)
            self._send(200, PAGE.encode())
        elif self.path == "/feed":
            self._send(200, _feed(port).encode("utf-8"), "application/rss+xml; charset=utf-8")
        elif self.path == "/feed-as-xml":
            self._send(200, _feed(port).encode("utf-8"), "text/xml")
        elif self.path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n0000", "image/png")
        else:
            self._send(404, b"not found")


def _feed(port: int) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local News</title>'
        f"<item><title>Café</title><link>http://127.0.0.1:{port}/page</link>"
        "<pubDate>Tue, 19 Nov 2019 08:00:00 +0100</pubDate>"
        "<description>Short summary from the feed.</description></item>"
        f"<item><title>Missing</title><link>http://127.0.0.1:{port}/missing</link>"
        "<description>The linked page is gone but this summary remains.</description></item>"
        "</channel></rss>"
    )


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # clients hanging up early is part of the tests
        pass


@pytest.fixture
def server():
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("STORYLINE_FETCH", raising=False)
    monkeypatch.delenv("STORYLINE_FETCH_ALLOW_PRIVATE", raising=False)
    monkeypatch.delenv("STORYLINE_MAX_BYTES", raising=False)


LOCAL = FetchOptions(allow_network=True, allow_private=True, connect_timeout=5, read_timeout=5)


def _url(server, path: str) -> str:
    return f"http://127.0.0.1:{server.server_port}{path}"


def _one(items) -> RawDocument | Rejection:
    items = list(items)
    assert len(items) == 1, items
    return items[0]


# -- off by default, loopback refused by default ---------------------------------------------------


def test_fetching_is_off_by_default(server):
    rejection = _one(read_url(_url(server, "/page")))
    assert isinstance(rejection, Rejection) and rejection.code == "fetch_disabled"
    assert "STORYLINE_FETCH=1" in rejection.reason
    assert server.requests == []
    assert FetchOptions().allow_network is False and FetchOptions().allow_private is False


def test_loopback_is_refused_by_default(server, monkeypatch):
    monkeypatch.setenv("STORYLINE_FETCH", "1")
    for url in (_url(server, "/page"), f"http://localhost:{server.server_port}/page"):
        rejection = _one(read_url(url))
        assert rejection.code == "blocked", rejection
        assert "loopback" in rejection.reason and "STORYLINE_FETCH_ALLOW_PRIVATE=1" in rejection.reason
    rejection = _one(read_url(_url(server, "/page"), FetchOptions(allow_network=True)))
    assert rejection.code == "blocked"
    assert server.requests == []  # refused before connecting


def test_env_allows_private_addresses(server, monkeypatch):
    monkeypatch.setenv("STORYLINE_FETCH", "1")
    monkeypatch.setenv("STORYLINE_FETCH_ALLOW_PRIVATE", "1")
    doc = _one(read_url(_url(server, "/page")))
    assert isinstance(doc, RawDocument) and "rouvert mardi" in doc.html


@pytest.mark.parametrize(
    "address,blocked",
    [
        ("127.0.0.1", "loopback"),
        ("10.0.0.8", "private"),
        ("192.168.1.1", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata endpoint
        ("100.64.0.1", "non-public"),  # carrier-grade NAT
        ("0.0.0.0", "private"),
        ("224.0.0.1", "multicast"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("93.184.216.34", None),
        ("2606:2800:220:1:248:1893:25c8:1946", None),
    ],
)
def test_blocked_addresses(address, blocked):
    assert blocked_reason(ipaddress.ip_address(address)) == blocked


def test_every_resolved_address_is_checked(monkeypatch):
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["93.184.216.34", "10.0.0.7"])
    rejection = _one(read_url("http://mixed.test/page", FetchOptions(allow_network=True)))
    assert rejection.code == "blocked" and "10.0.0.7" in rejection.reason


def test_redirects_are_checked_again(server, monkeypatch):
    """The first hop is allowed, the redirect target resolves to a forbidden address: refused."""
    monkeypatch.setattr(fetch, "blocked_reason", lambda ip: "private" if str(ip) == "127.0.0.2" else None)
    real_resolve = fetch.resolve

    def resolve(host, port):
        return ["127.0.0.2"] if host == "internal.test" else real_resolve(host, port)

    monkeypatch.setattr(fetch, "resolve", resolve)
    rejection = _one(read_url(_url(server, "/redirect-elsewhere"), FetchOptions(allow_network=True)))
    assert rejection.code == "blocked" and "internal.test" in rejection.reason
    assert [path for path, _host in server.requests] == ["/redirect-elsewhere"]


def test_connection_goes_to_the_checked_address(server, monkeypatch):
    """The host name is resolved once and the connection pinned to that address (no second DNS answer),
    with the original Host header."""
    calls = []

    def resolve(host, port):
        calls.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(fetch, "resolve", resolve)
    url = f"http://news.test:{server.server_port}/page"
    doc = _one(read_url(url, LOCAL))
    assert isinstance(doc, RawDocument) and doc.meta["url"] == url
    assert calls == ["news.test"]
    assert server.requests == [("/page", f"news.test:{server.server_port}")]


# -- fetching for real (loopback allowed) ----------------------------------------------------------


def test_html_page(server):
    doc = _one(read_url(_url(server, "/page"), LOCAL))
    assert isinstance(doc, RawDocument)
    assert doc.source == _url(server, "/page") and doc.meta["url"] == _url(server, "/page")
    assert "Le café de la place a rouvert mardi" in doc.html
    assert doc.meta["last_modified"] == "2019-11-19T10:00:00+00:00"
    assert doc.meta["fetched"].startswith("20")
    assert "published" not in doc.meta


@pytest.mark.parametrize("path", ["/wrong-charset", "/latin1", "/untyped"])
def test_charsets_and_missing_content_type(server, path):
    doc = _one(read_url(_url(server, path), LOCAL))
    assert isinstance(doc, RawDocument), doc
    assert "Le café de la place a rouvert mardi après six mois" in doc.html


def test_redirects(server):
    doc = _one(read_url(_url(server, "/redirect"), LOCAL))
    assert isinstance(doc, RawDocument) and doc.meta["url"] == _url(server, "/page")
    assert doc.source == _url(server, "/redirect")
    rejection = _one(read_url(_url(server, "/loop"), LOCAL))
    assert rejection.code == "fetch_failed" and "redirects" in rejection.reason
    from dataclasses import replace

    rejection = _one(read_url(_url(server, "/redirect"), replace(LOCAL, max_redirects=0)))
    assert rejection.code == "fetch_failed"


def test_size_limit(server):
    from dataclasses import replace

    small = replace(LOCAL, max_bytes=100_000)
    rejection = _one(read_url(_url(server, "/big"), small))
    assert rejection.code == "too_large" and "limit" in rejection.reason
    rejection = _one(read_url(_url(server, "/big-stream"), small))
    assert rejection.code == "too_large"
    doc = _one(read_url(_url(server, "/big"), LOCAL))  # within the default 10 MB
    assert isinstance(doc, RawDocument)


def test_timeout(server):
    from dataclasses import replace

    started = time.monotonic()
    rejection = _one(read_url(_url(server, "/slow"), replace(LOCAL, read_timeout=0.3)))
    assert rejection.code == "fetch_failed" and "timed out" in rejection.reason
    assert time.monotonic() - started < 1.9


def test_http_errors_and_unsupported_content(server):
    rejection = _one(read_url(_url(server, "/missing"), LOCAL))
    assert rejection.code == "fetch_failed" and "404" in rejection.reason
    rejection = _one(read_url(_url(server, "/image"), LOCAL))
    assert rejection.code == "unsupported" and "image/png" in rejection.reason
    rejection = _one(read_url("ftp://127.0.0.1/file", LOCAL))
    assert rejection.code == "unsupported"
    port = server.server_port
    server.shutdown()
    server.server_close()
    rejection = _one(read_url(f"http://127.0.0.1:{port}/page", LOCAL))
    assert rejection.code == "fetch_failed"


@pytest.mark.parametrize("path", ["/feed", "/feed-as-xml"])
def test_feed_url_fetches_entry_pages(server, path):
    pytest.importorskip("feedparser")
    items = list(read_url(_url(server, path), LOCAL))
    assert len(items) == 2
    page, fallback = items
    assert isinstance(page, RawDocument) and "rouvert mardi" in page.html  # the linked page, fetched
    assert page.meta["title"] == "Café" and page.meta["outlet"] == "Local News"
    assert page.meta["published"] == "2019-11-19T08:00:00+01:00"
    assert isinstance(fallback, RawDocument)  # page gone: the entry's own summary
    assert "summary remains" in fallback.html and fallback.meta["fetch_error"].startswith("fetch_failed")


def test_feed_url_without_following_links(server):
    pytest.importorskip("feedparser")
    from dataclasses import replace

    items = list(read_url(_url(server, "/feed"), replace(LOCAL, fetch_feed_links=False)))
    assert [i.html for i in items] == [
        "Short summary from the feed.",
        "The linked page is gone but this summary remains.",
    ]
    assert [p for p, _h in server.requests] == ["/feed"]


def test_urls_given_as_inputs(server, monkeypatch):
    from storyline.ingest import iter_inputs

    (rejection,) = list(iter_inputs([_url(server, "/page")]))
    assert rejection.code == "fetch_disabled"
    monkeypatch.setenv("STORYLINE_FETCH", "1")
    monkeypatch.setenv("STORYLINE_FETCH_ALLOW_PRIVATE", "1")
    (doc,) = list(iter_inputs([_url(server, "/page")]))
    assert isinstance(doc, RawDocument) and "rouvert mardi" in doc.html
