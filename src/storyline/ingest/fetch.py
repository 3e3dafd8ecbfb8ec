"""Fetching a URL: one web page, or a feed's entries. Off by default.

Nothing is fetched unless asked: `STORYLINE_FETCH=1` in the environment, or `FetchOptions(allow_network=True)`.
Otherwise `read_url` yields a `fetch_disabled` rejection that says how to turn fetching on.

When fetching is on, the safeguards stay on:

- only `http` and `https`;
- the host name is resolved and every address it resolves to is checked: private, loopback, link-local,
  shared, multicast, reserved and unspecified addresses are refused (`blocked`), unless
  `STORYLINE_FETCH_ALLOW_PRIVATE=1` / `FetchOptions(allow_private=True)`. The connection then goes to the
  address that was checked (with the original Host header and TLS server name), so a second DNS answer
  cannot slip a private address in; redirects are followed by hand, each hop checked the same way, at most
  `max_redirects` of them;
- timeouts: `connect_timeout` and `read_timeout` (10 s each) and `total_timeout` (60 s) for the whole fetch;
- size: the body is streamed and the fetch stops as soon as it passes `max_bytes` (10 MB, or
  `STORYLINE_MAX_BYTES`): `too_large`. The limit applies to the decoded body, so compressed bombs stop too;
- environment proxies are not used (`trust_env=False`): the address check must see the real destination.

The body decides what the URL is: an HTML page (by its content type, or its first bytes when the type is
missing or generic) becomes one `RawDocument` (`meta`: `url` after redirects, `fetched`, `last_modified`);
an RSS or Atom feed is parsed like a feed file (`storyline.ingest.feeds.parse_feed`), each entry a document.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin

from ..records import RawDocument, Rejection
from .decode import InputRejected, human_size, max_bytes
from .web import FEED_TYPES, HTML_TYPES, decode_body, http_date, looks_like_feed, looks_like_html, media_type, now_iso

Item = RawDocument | Rejection

ENV_FETCH = "STORYLINE_FETCH"
ENV_ALLOW_PRIVATE = "STORYLINE_FETCH_ALLOW_PRIVATE"
USER_AGENT = "storyline/0.1 (news article reader; +https://github.com/storyline)"
_TRUE = frozenset({"1", "true", "yes", "on"})


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How `read_url` may use the network. The defaults fetch nothing."""

    allow_network: bool = False
    allow_private: bool = False
    connect_timeout: float = 10.0
    read_timeout: float = 10.0
    total_timeout: float = 60.0
    max_bytes: int = field(default_factory=max_bytes)
    max_redirects: int = 5
    fetch_feed_links: bool = True  # a fetched or read feed: fetch each entry's page too
    user_agent: str = USER_AGENT
    ca_bundle: str | None = None  # extra certificate authorities (PEM file), e.g. a company proxy's; else certifi

    @classmethod
    def from_env(cls, **overrides: object) -> FetchOptions:
        """Options from the environment (`STORYLINE_FETCH`, `STORYLINE_FETCH_ALLOW_PRIVATE`,
        `STORYLINE_MAX_BYTES`); keyword arguments win."""
        options = cls(allow_network=_env_flag(ENV_FETCH), allow_private=_env_flag(ENV_ALLOW_PRIVATE))
        return replace(options, **overrides) if overrides else options  # type: ignore[arg-type]


class FetchRefused(Exception):
    """A fetch that must not or could not happen; `code` and `reason` as in `Rejection`."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(slots=True)
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str | None
    body: bytes
    headers: dict[str, str]


def read_url(url: str, options: FetchOptions | None = None) -> Iterator[Item]:
    """The document(s) at `url`: one HTML page, or the entries of a feed; a `Rejection` when fetching is
    off, refused, fails, or finds something that is neither."""
    options = options or FetchOptions.from_env()
    try:
        fetched = fetch(url, options)
    except FetchRefused as refused:
        yield Rejection(url, refused.code, refused.reason)
        return
    mtype = media_type(fetched.content_type)
    kind = _kind(mtype, fetched.body)
    if kind == "feed":
        from .feeds import parse_feed

        yield from parse_feed(fetched.body, url, content_type=fetched.content_type, options=options)
    elif kind == "html":
        yield _page(url, fetched)
    else:
        what = f"content type {mtype}" if mtype else "content without a type"
        yield Rejection(url, "unsupported", f"{what} is neither an HTML page nor an RSS or Atom feed")


def fetch_page(url: str, options: FetchOptions) -> Item:
    """The HTML page at `url` (a feed entry's link), or why not."""
    try:
        fetched = fetch(url, options)
    except FetchRefused as refused:
        return Rejection(url, refused.code, refused.reason)
    if _kind(media_type(fetched.content_type), fetched.body) != "html":
        return Rejection(url, "unsupported", f"not an HTML page ({fetched.content_type or 'no content type'})")
    return _page(url, fetched)


def _kind(mtype: str, body: bytes) -> str | None:
    if mtype in HTML_TYPES:
        return "html"
    if mtype in FEED_TYPES:
        return "feed"
    if mtype in ("", "application/xml", "text/xml", "text/plain", "application/octet-stream", "binary/octet-stream"):
        if looks_like_feed(body):
            return "feed"
        if looks_like_html(body):
            return "html"
    return None


def _page(source: str, fetched: Fetched) -> Item:
    try:
        html = decode_body(fetched.body, fetched.content_type)
    except InputRejected as rejected:
        return Rejection(source, rejected.code, rejected.reason)
    meta = {"url": fetched.url, "fetched": now_iso()}
    modified = http_date(fetched.headers.get("last-modified"))
    if modified:
        meta["last_modified"] = modified
    return RawDocument(source, html=html, meta=meta)


# -- the fetch itself ------------------------------------------------------------------------------


def fetch(url: str, options: FetchOptions) -> Fetched:
    """GET `url` under `options` (see the module docstring). Raises `FetchRefused`."""
    if not options.allow_network:
        raise FetchRefused(
            "fetch_disabled",
            f"fetching from the network is off; set {ENV_FETCH}=1 (or pass FetchOptions(allow_network=True)) "
            "to fetch URLs",
        )
    try:
        import httpx
    except ImportError as error:
        raise FetchRefused("unsupported", "fetching URLs needs httpx: pip install 'storyline[feeds]'") from error
    deadline = time.monotonic() + options.total_timeout
    timeout = httpx.Timeout(options.read_timeout, connect=options.connect_timeout)
    current = url
    verify: object = True
    if options.ca_bundle:
        import ssl

        verify = ssl.create_default_context(cafile=options.ca_bundle)
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, verify=verify) as client:
        for _hop in range(options.max_redirects + 1):
            if time.monotonic() > deadline:
                raise FetchRefused("fetch_failed", f"fetching {url} took longer than {options.total_timeout:g} s")
            target = httpx.URL(current) if _valid_url(current) else None
            if target is None or target.scheme not in ("http", "https") or not target.host:
                raise FetchRefused("unsupported", f"not an http(s) URL: {current}")
            address = _checked_address(target, options)
            request = _pinned_request(client, target, address, options)
            try:
                response = client.send(request, stream=True)
            except httpx.TimeoutException as error:
                raise FetchRefused("fetch_failed", f"timed out fetching {current}: {_why(error)}") from error
            except httpx.HTTPError as error:
                raise FetchRefused("fetch_failed", f"could not fetch {current}: {_why(error)}") from error
            try:
                if response.status_code in (301, 302, 303, 307, 308) and response.headers.get("location"):
                    current = urljoin(current, response.headers["location"].strip())
                    continue
                if response.status_code >= 400:
                    status = f"HTTP {response.status_code} {response.reason_phrase or ''}".strip()
                    raise FetchRefused("fetch_failed", f"{status} for {current}")
                body = _read_limited(response, options, deadline, current)
                return Fetched(
                    url=current,
                    status=response.status_code,
                    content_type=response.headers.get("content-type"),
                    body=body,
                    headers={k.lower(): v for k, v in response.headers.items()},
                )
            finally:
                response.close()
    raise FetchRefused("fetch_failed", f"more than {options.max_redirects} redirects from {url}")


def _valid_url(value: str) -> bool:
    import httpx

    try:
        httpx.URL(value)
    except (httpx.InvalidURL, TypeError, ValueError):
        return False
    return True


def _read_limited(response, options: FetchOptions, deadline: float, url: str) -> bytes:  # noqa: ANN001
    import httpx

    limit = options.max_bytes
    declared = response.headers.get("content-length")
    if declared and declared.strip().isdigit() and int(declared) > limit:
        raise FetchRefused("too_large", f"page is {human_size(int(declared))}, over the {human_size(limit)} limit")
    chunks: list[bytes] = []
    total = 0
    try:
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > limit:
                raise FetchRefused("too_large", f"page is over the {human_size(limit)} limit")
            if time.monotonic() > deadline:
                raise FetchRefused("fetch_failed", f"fetching {url} took longer than {options.total_timeout:g} s")
            chunks.append(chunk)
    except httpx.TimeoutException as error:
        raise FetchRefused("fetch_failed", f"timed out reading {url}") from error
    except httpx.HTTPError as error:
        raise FetchRefused("fetch_failed", f"could not read {url}: {_why(error)}") from error
    return b"".join(chunks)


def _why(error: Exception) -> str:
    return str(error) or type(error).__name__


# -- address checks --------------------------------------------------------------------------------


def blocked_reason(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address must not be fetched from without `allow_private` ("loopback", ...), else None."""
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return blocked_reason(mapped)
    for attr, label in (
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_private", "private"),
        ("is_multicast", "multicast"),
        ("is_unspecified", "unspecified"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, attr, False):
            return label
    if not ip.is_global:
        return "non-public"
    return None


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (an address literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as error:
        raise FetchRefused("fetch_failed", f"could not resolve {host}: {error}") from error
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 zone
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchRefused("fetch_failed", f"could not resolve {host}")
    return addresses


def _checked_address(target, options: FetchOptions) -> str:  # noqa: ANN001
    host = target.raw_host.decode("ascii")
    port = target.port or (443 if target.scheme == "https" else 80)
    addresses = resolve(host, port)
    if not options.allow_private:
        for address in addresses:
            reason = blocked_reason(ipaddress.ip_address(address))
            if reason:
                shown = host if host == address else f"{host} ({address})"
                raise FetchRefused(
                    "blocked",
                    f"refusing to fetch from {shown}: a {reason} address; set {ENV_ALLOW_PRIVATE}=1 "
                    "(or FetchOptions(allow_private=True)) to allow it",
                )
    return addresses[0]


def _pinned_request(client, target, address: str, options: FetchOptions):  # noqa: ANN001, ANN202
    """A GET for `target` that connects to the already checked `address`, with the original Host header
    and TLS server name (certificates are still verified against the host name)."""
    host = target.raw_host.decode("ascii")
    is_literal = host == address
    pinned = target if is_literal else target.copy_with(host=address)
    shown_host = f"[{host}]" if ":" in host else host
    default_port = 443 if target.scheme == "https" else 80
    host_header = shown_host if target.port in (None, default_port) else f"{shown_host}:{target.port}"
    extensions = {"sni_hostname": host} if target.scheme == "https" and not is_literal else {}
    return client.build_request(
        "GET",
        pinned,
        headers={
            "Host": host_header,
            "User-Agent": options.user_agent,
            "Accept": (
                "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                "application/xml;q=0.9,*/*;q=0.5"
            ),
        },
        extensions=extensions,
    )
