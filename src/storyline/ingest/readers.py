"""Readers for plain files and the dispatch behind `iter_inputs`: paths, folders, URLs and "-" (stdin).

- `.txt`/`.text`: one text document, exactly as decoded (only a BOM is removed).
- `.html`/`.htm`/`.xhtml`: one HTML document, decoded (BOM, then UTF-8, then the declared charset, then a
  guess) but not parsed: the `extract` stage runs trafilatura on it.
- `.jsonl`/`.ndjson`: one document per line, streamed (a huge file is never loaded at once); each row's
  source is `path#L<n>`.
- folders: recursively, in sorted order; VCS/OS clutter (`.git`, `.DS_Store`, ...) is skipped, symbolic
  link loops are not followed twice.
- other files: known non-article types (`.pdf`, `.png`, `.docx`, ...) are rejected, as 'binary' when their
  first bytes are binary, else as 'unsupported'; anything else is sniffed: binary is rejected, HTML is read
  as HTML, the rest as text.
- `-`: standard input, sniffed: JSON Lines if every non-blank line starts with "{", HTML if it looks like
  HTML, else text.
- `http://` and `https://` URLs: handed to `storyline.ingest.fetch.read_url`.

Every input yields at least one item, a `RawDocument` or a `Rejection`: nothing is silently dropped.
"""

from __future__ import annotations

import codecs
import json
import os
import stat as stat_module
import sys
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

from ..records import RawDocument, Rejection
from . import reader_for, register_reader
from .decode import (
    ENV_MAX_BYTES,
    SNIFF_BYTES,
    InputRejected,
    binary_kind,
    bom_encoding,
    decode_html,
    decode_text,
    human_size,
    max_bytes,
    read_limited,
    reject_binary,
    unreadable,
)

Item = RawDocument | Rejection

# Clutter that version control and operating systems leave in folders: never articles. (Compared in lower
# case.) Every other file, hidden or not, is read.
SKIPPED_NAMES = frozenset(name.lower() for name in (".git", ".svn", ".hg", ".DS_Store", "Thumbs.db", "__MACOSX"))

# File types we know we cannot read (unless a registered reader handles the suffix, which wins). Only their
# first bytes are read, to tell 'binary' from 'unsupported' (e.g. an SVG image is text, but not an article).
UNSUPPORTED_SUFFIXES: dict[str, str] = {
    ".pdf": "PDF document",
    ".doc": "Word document",
    ".docx": "Word document",
    ".odt": "OpenDocument text",
    ".rtf": "RTF document",
    ".pages": "Pages document",
    ".epub": "EPUB e-book",
    ".xls": "Excel spreadsheet",
    ".xlsx": "Excel spreadsheet",
    ".ods": "OpenDocument spreadsheet",
    ".ppt": "PowerPoint presentation",
    ".pptx": "PowerPoint presentation",
    ".odp": "OpenDocument presentation",
    ".png": "PNG image",
    ".jpg": "JPEG image",
    ".jpeg": "JPEG image",
    ".gif": "GIF image",
    ".webp": "WebP image",
    ".bmp": "BMP image",
    ".tif": "TIFF image",
    ".tiff": "TIFF image",
    ".ico": "icon image",
    ".svg": "SVG image",
    ".heic": "HEIC image",
    ".mp3": "MP3 audio",
    ".wav": "WAV audio",
    ".ogg": "Ogg media",
    ".flac": "FLAC audio",
    ".m4a": "M4A audio",
    ".mp4": "MP4 video",
    ".mov": "QuickTime video",
    ".avi": "AVI video",
    ".mkv": "Matroska video",
    ".webm": "WebM video",
    ".zip": "ZIP archive",
    ".tar": "tar archive",
    ".tgz": "gzip-compressed tar archive",
    ".gz": "gzip-compressed file",
    ".bz2": "bzip2-compressed file",
    ".xz": "xz-compressed file",
    ".zst": "zstd-compressed file",
    ".7z": "7-Zip archive",
    ".rar": "RAR archive",
    ".exe": "Windows executable",
    ".dll": "Windows library",
    ".so": "shared library",
    ".dylib": "shared library",
    ".iso": "disk image",
    ".dmg": "disk image",
    ".sqlite": "SQLite database",
    ".db": "database file",
    ".pyc": "compiled Python file",
    ".class": "Java class file",
    ".jar": "Java archive",
    ".woff": "web font",
    ".woff2": "web font",
    ".ttf": "font",
    ".otf": "font",
}

JSONL_CHUNK = 1 << 16


# -- dispatch --------------------------------------------------------------------------------------


def iter_path(p: str | Path) -> Iterator[Item]:
    """Every document in one input: a file, a folder (recursively, sorted), a URL or "-" (stdin)."""
    if isinstance(p, str):
        if not p.strip():
            yield Rejection(p, "unreadable", "empty path")
            return
        if p == "-":
            yield from read_stdin()
            return
        if p.lower().startswith(("http://", "https://")):
            yield from _accounted(_read_url(p), p)
            return
    path = Path(p)
    source = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        reason = "broken symbolic link" if path.is_symlink() else "no such file or folder"
        yield Rejection(source, "unreadable", reason)
        return
    except OSError as error:  # permission denied on a parent folder, symbolic link loop, name too long
        yield Rejection(source, "unreadable", _os_reason(error))
        return
    if stat_module.S_ISDIR(st.st_mode):
        found = False
        for item in _walk(path, st):
            found = True
            yield item
        if not found:
            yield Rejection(source, "empty", "folder contains no files")
    else:
        yield from read_file(path, explicit=True)


def read_file(path: Path, *, explicit: bool = False) -> Iterator[Item]:
    """One file, by its registered reader, else rejected as unsupported or sniffed. `explicit` files (named
    by the user) may be pipes or devices, e.g. `<(zcat x.txt.gz)`; inside folders those are rejected."""
    source = str(path)
    if not explicit:
        try:
            mode = path.stat().st_mode
        except OSError as error:
            yield Rejection(source, "unreadable", _os_reason(error))
            return
        if not stat_module.S_ISREG(mode):
            yield Rejection(source, "unsupported", f"not a regular file ({_file_kind(mode)})")
            return
    reader = reader_for(path)
    if reader is not None:
        yield from _accounted(reader(path), source)
        return
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED_SUFFIXES:
        yield _unsupported(path, UNSUPPORTED_SUFFIXES[suffix])
        return
    yield from read_sniffed(path)


def _unsupported(path: Path, kind: str) -> Rejection:
    """A file of a type we cannot read: 'binary' when its first bytes are (only those are read), else
    'unsupported'; the reason names the type either way."""
    source = str(path)
    try:
        with path.open("rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError as error:
        rejected = unreadable(error)
        return Rejection(source, rejected.code, rejected.reason)
    if not head:
        return Rejection(source, "empty", "file is empty")
    if binary_kind(head):
        return Rejection(source, "binary", f"binary file ({kind}), not an article")
    reason = f"unsupported file type: {kind} ({path.suffix.lower()}), not an article"
    return Rejection(source, "unsupported", reason)


def _accounted(items: Iterable[Item], source: str) -> Iterator[Item]:
    """`items`, but never nothing and never an exception: a reader that fails or finds nothing still
    accounts for its input."""
    count = 0
    try:
        for item in items:
            count += 1
            yield item
    except Exception as error:  # a reader's bug or a corrupt file must not stop a whole ingest
        yield Rejection(source, "unreadable", f"could not be read: {type(error).__name__}: {error}")
        return
    if not count:
        yield Rejection(source, "empty", "no documents found")


def _read_url(url: str) -> Iterator[Item]:
    try:
        from .fetch import read_url
    except ImportError as error:
        yield Rejection(url, "unsupported", f"fetching URLs is not available: {error}")
        return
    yield from read_url(url)


# -- folders ---------------------------------------------------------------------------------------


def _walk(root: Path, root_stat: os.stat_result) -> Iterator[Item]:
    """Files under `root`, depth first, each folder's entries sorted by name. Folders are identified by
    (device, inode) so a symbolic link loop, or a folder linked twice, is walked once."""
    seen = {(root_stat.st_dev, root_stat.st_ino)}
    try:
        stack = [_listing(root)]
    except OSError as error:
        yield Rejection(str(root), "unreadable", f"folder could not be read: {_os_reason(error)}")
        return
    while stack:
        path = next(stack[-1], None)
        if path is None:
            stack.pop()
            continue
        try:
            st = path.stat()  # follows symbolic links
        except OSError as error:
            reason = "broken symbolic link" if path.is_symlink() else _os_reason(error)
            yield Rejection(str(path), "unreadable", reason)
            continue
        if stat_module.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in seen:
                continue  # already walked: a symbolic link loop or a second link to the same folder
            seen.add(key)
            try:
                stack.append(_listing(path))
            except OSError as error:
                yield Rejection(str(path), "unreadable", f"folder could not be read: {_os_reason(error)}")
        else:
            yield from read_file(path)


def _listing(folder: Path) -> Iterator[Path]:
    with os.scandir(folder) as entries:
        names = sorted(entry.name for entry in entries if entry.name.lower() not in SKIPPED_NAMES)
    return iter([folder / name for name in names])


def _os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "no such file or folder"
    return error.strerror or str(error)


def _file_kind(mode: int) -> str:
    if stat_module.S_ISFIFO(mode):
        return "named pipe"
    if stat_module.S_ISSOCK(mode):
        return "socket"
    if stat_module.S_ISCHR(mode) or stat_module.S_ISBLK(mode):
        return "device"
    return "special file"


# -- plain text and HTML ---------------------------------------------------------------------------


@register_reader(".txt", ".text")
def read_text(path: Path) -> Iterator[Item]:
    """One text document: the decoded text exactly as it is (only a BOM is removed)."""
    source = str(path)
    try:
        text = decode_text(read_limited(path))
    except InputRejected as rejected:
        yield Rejection(source, rejected.code, rejected.reason)
        return
    yield RawDocument(source, text=text, meta={"path": source})


@register_reader(".html", ".htm", ".xhtml")
def read_html(path: Path) -> Iterator[Item]:
    """One HTML document, decoded but not parsed (the `extract` stage does that)."""
    source = str(path)
    try:
        html = decode_html(read_limited(path))
    except InputRejected as rejected:
        yield Rejection(source, rejected.code, rejected.reason)
        return
    yield RawDocument(source, html=html, meta={"path": source})


def read_sniffed(path: Path) -> Iterator[Item]:
    """A file of unknown type: binary is rejected, HTML read as HTML, anything else as text."""
    source = str(path)
    try:
        data = read_limited(path)
        reject_binary(data)
        if looks_like_html(data):
            yield RawDocument(source, html=decode_html(data), meta={"path": source})
        else:
            yield RawDocument(source, text=decode_text(data), meta={"path": source})
    except InputRejected as rejected:
        yield Rejection(source, rejected.code, rejected.reason)


def looks_like_html(data: bytes) -> bool:
    """Starts (after a BOM, white space) with markup and has `<!doctype html` or `<html` early on."""
    found = bom_encoding(data)
    if found:
        head = data[found[1] : found[1] + 4096].decode(found[0], errors="ignore")
    else:
        head = data[:4096].decode("latin-1")
    head = head.lstrip().lower()
    return head.startswith("<") and ("<!doctype html" in head or "<html" in head)


# -- JSON Lines ------------------------------------------------------------------------------------

KNOWN_FIELDS = ("title", "url", "published", "outlet", "language", "id")


@register_reader(".jsonl", ".ndjson")
def read_jsonl(path: Path) -> Iterator[Item]:
    """One document per line, streamed. Rows are `path#L<n>` (1-based); blank lines are skipped; a bad row
    is rejected on its own and the other rows are still read."""
    source = str(path)
    try:
        f = path.open("rb")
    except OSError as error:
        rejected = unreadable(error)
        yield Rejection(source, rejected.code, rejected.reason)
        return
    with f:
        try:
            head = f.read(SNIFF_BYTES)
        except OSError as error:
            rejected = unreadable(error)
            yield Rejection(source, rejected.code, rejected.reason)
            return
        if not head:
            yield Rejection(source, "empty", "file is empty")
            return
        kind = binary_kind(head)
        if kind:
            what = "binary file" if kind == "binary data" else f"binary file ({kind})"
            yield Rejection(source, "binary", f"{what}, not JSON Lines")
            return
        yield from jsonl_items(chain([head], iter(lambda: f.read(JSONL_CHUNK), b"")), source)


def jsonl_items(chunks: Iterable[bytes], source: str) -> Iterator[Item]:
    """The rows of a JSON Lines byte stream given in chunks. Each line is limited to `max_bytes()`."""
    limit = max_bytes()
    rows = 0
    line_no = 0
    try:
        for line_no, line, size in split_lines(chunks, limit):
            row_source = f"{source}#L{line_no}"
            if line is None:
                rows += 1
                yield Rejection(
                    row_source,
                    "too_large",
                    f"line {line_no} is {human_size(size)}, over the {human_size(limit)} limit "
                    f"(set {ENV_MAX_BYTES} to raise it)",
                )
                continue
            if line_no == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue  # blank lines are not inputs
            rows += 1
            yield jsonl_row(line, line_no, row_source)
    except OSError as error:
        yield Rejection(source, "unreadable", f"reading stopped after line {line_no}: {_os_reason(error)}")
        return
    if not rows:
        yield Rejection(source, "empty", "no JSON lines, only blank lines")


def jsonl_row(line: bytes, line_no: int, source: str) -> Item:
    """One JSON Lines row: an object with a "text" (or "html") string; other scalar fields go to meta."""
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError:
        try:
            decoded = decode_text(line, what=f"line {line_no}")
        except InputRejected:
            reason = f"line {line_no} is not valid UTF-8 and no charset could be detected"
            return Rejection(source, "undecodable", reason)
    try:
        obj = json.loads(decoded)
    except json.JSONDecodeError as error:
        return Rejection(source, "bad_json", f"line {line_no} is not valid JSON: {_json_error(error)}")
    except RecursionError:
        return Rejection(source, "bad_json", f"line {line_no} is not valid JSON: nested too deeply")
    if not isinstance(obj, dict):
        return Rejection(source, "bad_json", f"line {line_no} is a JSON {_json_type(obj)}, not an object")
    meta = {key: value for key, value in obj.items() if key not in ("text", "html") and _scalar(value)}
    for field in ("text", "html"):
        value = obj.get(field)
        if value is not None and not isinstance(value, str):
            return Rejection(
                source, "bad_json", f'line {line_no}: "{field}" is a JSON {_json_type(value)}, not a string'
            )
    text, html = obj.get("text"), obj.get("html")
    if text is not None and text.strip():
        return RawDocument(source, text=text, meta=meta)
    if html is not None and html.strip():
        return RawDocument(source, html=html, meta=meta)
    if text is None and html is None:
        return Rejection(source, "bad_json", f'line {line_no} has no "text" (or "html") field')
    field = "text" if text is not None else "html"
    return Rejection(source, "empty", f'line {line_no} has an empty "{field}"')


def split_lines(chunks: Iterable[bytes], limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, line without its newline, size) for each line of a byte stream; the line is None when
    it is longer than `limit` bytes, in which case it is skipped without being kept in memory."""
    buf = bytearray()
    line_no = 0
    skipping = False
    skipped = 0
    for chunk in chunks:
        start = 0
        while True:
            newline = chunk.find(b"\n", start)
            piece = chunk[start:] if newline < 0 else chunk[start:newline]
            if skipping:
                skipped += len(piece)
            else:
                buf += piece
                if len(buf) > limit:
                    skipping, skipped = True, len(buf)
                    buf.clear()
            if newline < 0:
                break
            line_no += 1
            if skipping:
                yield line_no, None, skipped
                skipping, skipped = False, 0
            else:
                line = bytes(buf)
                buf.clear()
                yield line_no, line, len(line)
            start = newline + 1
    if skipping:
        yield line_no + 1, None, skipped
    elif buf:
        yield line_no + 1, bytes(buf), len(buf)


def _json_error(error: json.JSONDecodeError) -> str:
    # json's messages read "Unterminated string starting at" or "Expecting value"
    joiner = " " if error.msg.endswith(" at") else " at "
    return f"{error.msg}{joiner}column {error.colno}"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _scalar(value: Any) -> bool:
    # null is left out, so that defaults (e.g. `analyze --published`) still apply to the row
    return isinstance(value, (str, int, float, bool))


# -- standard input --------------------------------------------------------------------------------


def read_stdin(stream: BinaryIO | None = None) -> Iterator[Item]:
    """Standard input ("-"), sniffed: JSON Lines (streamed, rows `-#L<n>`) if every non-blank line starts
    with "{", HTML if it looks like HTML, else text. Anything but JSON Lines is limited to `max_bytes()`."""
    source = "-"
    if stream is None:
        if sys.stdin is None:
            yield Rejection(source, "unreadable", "standard input is not available")
            return
        stream = sys.stdin.buffer
    limit = max_bytes()
    try:
        data = stream.read(limit + 1)
    except OSError as error:
        yield Rejection(source, "unreadable", f"standard input could not be read: {_os_reason(error)}")
        return
    if not data:
        yield Rejection(source, "empty", "standard input is empty")
        return
    read_more = getattr(stream, "read1", stream.read)
    rest = iter(lambda: read_more(JSONL_CHUNK), b"")
    if len(data) > limit:
        if _first_line_is_object(data):  # too much to check every line first: stream it as JSON Lines
            yield from jsonl_items(chain([data], rest), source)
        else:
            yield Rejection(
                source,
                "too_large",
                f"standard input is over the {human_size(limit)} limit (set {ENV_MAX_BYTES} to raise it)",
            )
        return
    kind = binary_kind(data)
    if kind:
        what = "binary input" if kind == "binary data" else f"binary input ({kind})"
        yield Rejection(source, "binary", f"{what}, not an article")
        return
    try:
        if looks_like_jsonl(data):
            yield from jsonl_items([data], source)
        elif looks_like_html(data):
            yield RawDocument(source, html=decode_html(data, what="standard input"))
        else:
            yield RawDocument(source, text=decode_text(data, what="standard input"))
    except InputRejected as rejected:
        yield Rejection(source, rejected.code, rejected.reason)


def looks_like_jsonl(data: bytes) -> bool:
    """Every non-blank line starts with "{" (and there is at least one)."""
    lines = [line.strip() for line in data.removeprefix(codecs.BOM_UTF8).split(b"\n")]
    lines = [line for line in lines if line]
    return bool(lines) and all(line.startswith(b"{") for line in lines)


def _first_line_is_object(data: bytes) -> bool:
    for line in data.removeprefix(codecs.BOM_UTF8).split(b"\n", 100):
        if line.strip():
            return line.strip().startswith(b"{")
    return False
