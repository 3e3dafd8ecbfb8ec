"""Bytes to text, carefully: size limits, binary detection, BOMs, UTF-8 first, then a charset guess.

Readers call `read_limited(path)` (checks the size with `stat()` before reading a byte) and then
`decode_text(data)` or `decode_html(data)`. Anything that cannot become text raises `InputRejected` with a
machine-readable `code` and a reason written for humans; readers turn it into a `Rejection` for the source.
"""

from __future__ import annotations

import codecs
import os
import re
import stat as stat_module
from pathlib import Path

MAX_BYTES = 10_000_000
"""Default size limit per file (and per JSON Lines row). `STORYLINE_MAX_BYTES` overrides it."""

SNIFF_BYTES = 8192
"""How much of the start of an input binary detection looks at."""

MAX_CONTROL_RATIO = 0.10
"""More control characters than this (share of the first `SNIFF_BYTES`) means binary."""

ENV_MAX_BYTES = "STORYLINE_MAX_BYTES"


class InputRejected(Exception):
    """An input that cannot become a document: `code` is one of the `Rejection` codes."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


# -- sizes -----------------------------------------------------------------------------------------

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?)?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "ki": 2**10, "mi": 2**20, "gi": 2**30}


def max_bytes() -> int:
    """The size limit in force: `$STORYLINE_MAX_BYTES` (bytes, or with a unit: "50MB", "1.5G", "512KiB")
    if set and valid, else the module default `MAX_BYTES` (read at call time, so it can be changed)."""
    raw = os.environ.get(ENV_MAX_BYTES)
    if raw:
        parsed = parse_size(raw)
        if parsed is not None:
            return parsed
    return MAX_BYTES


def parse_size(value: str) -> int | None:
    match = _SIZE_RE.match(value)
    if not match:
        return None
    size = int(float(match.group(1)) * _UNITS[(match.group(2) or "").lower()])
    return size if size > 0 else None


def human_size(n: int) -> str:
    """52428800 -> "52.4 MB"; 10000000 -> "10 MB"; 512 -> "512 bytes" (decimal units)."""
    if n < 1000:
        return f"{n} byte" if n == 1 else f"{n} bytes"
    for unit, scale in (("KB", 10**3), ("MB", 10**6), ("GB", 10**9), ("TB", 10**12)):
        if n < scale * 1000 or unit == "TB":
            number = f"{n / scale:.1f}".removesuffix(".0")
            return f"{number} {unit}"
    raise AssertionError("unreachable")


def too_large(size: int, limit: int, what: str = "file") -> InputRejected:
    return InputRejected(
        "too_large",
        f"{what} is {human_size(size)}, over the {human_size(limit)} limit (set {ENV_MAX_BYTES} to raise it)",
    )


# -- reading ---------------------------------------------------------------------------------------


def unreadable(error: OSError) -> InputRejected:
    """An `OSError` while opening or reading, in words."""
    if isinstance(error, FileNotFoundError):
        reason = "file vanished before it could be read"
    elif isinstance(error, PermissionError):
        reason = "permission denied"
    elif isinstance(error, IsADirectoryError):
        reason = "is a folder, not a file"
    else:
        reason = f"could not be read: {error.strerror or error}"
    return InputRejected("unreadable", reason)


def read_limited(path: Path, limit: int | None = None) -> bytes:
    """The bytes of `path`, after checking with `stat()` that it is within the size limit (an oversized file
    is never loaded). Raises `InputRejected` ('too_large', 'unreadable', 'empty')."""
    limit = max_bytes() if limit is None else limit
    try:
        st = path.stat()
        if stat_module.S_ISREG(st.st_mode) and st.st_size > limit:
            raise too_large(st.st_size, limit)
        with path.open("rb") as f:
            # read one byte more than allowed: catches files that grew since stat() and pipes of unknown size
            data = f.read(limit + 1)
    except OSError as error:
        raise unreadable(error) from error
    if len(data) > limit:
        raise InputRejected(
            "too_large", f"file is over the {human_size(limit)} limit (set {ENV_MAX_BYTES} to raise it)"
        )
    if not data:
        raise InputRejected("empty", "file is empty")
    return data


# -- binary detection ------------------------------------------------------------------------------

# (magic bytes, offset, description). Checked on the first bytes of every input.
MAGIC_NUMBERS: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image"),
    (b"\xff\xd8\xff", 0, "JPEG image"),
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"II*\x00", 0, "TIFF image"),
    (b"MM\x00*", 0, "TIFF image"),
    (b"\x00\x00\x01\x00", 0, "icon image"),
    (b"%PDF-", 0, "PDF document"),
    (b"PK\x03\x04", 0, "ZIP archive or Office document"),
    (b"PK\x05\x06", 0, "ZIP archive"),
    (b"PK\x07\x08", 0, "ZIP archive"),
    (b"\x1f\x8b", 0, "gzip-compressed data"),
    (b"BZh", 0, "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", 0, "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", 0, "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "RAR archive"),
    (b"ustar", 257, "tar archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "legacy Office document"),
    (b"{\\rtf", 0, "RTF document"),
    (b"SQLite format 3\x00", 0, "SQLite database"),
    (b"PAR1", 0, "Parquet file"),
    (b"\x7fELF", 0, "executable"),
    (b"MZ", 0, "Windows executable"),
    (b"\xca\xfe\xba\xbe", 0, "Java class or Mach-O binary"),
    (b"\xcf\xfa\xed\xfe", 0, "Mach-O binary"),
    (b"\x00asm", 0, "WebAssembly module"),
    (b"ID3", 0, "MP3 audio"),
    (b"OggS", 0, "Ogg media"),
    (b"fLaC", 0, "FLAC audio"),
    (b"ftyp", 4, "MP4/QuickTime media"),
    (b"\x1aE\xdf\xa3", 0, "Matroska/WebM media"),
    (b"wOFF", 0, "web font"),
    (b"wOF2", 0, "web font"),
)
_RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# control bytes that do not occur in text (tab, LF, VT, FF, CR and ESC do)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r\x1b") + b"\x7f"


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(encoding, BOM length) if `data` starts with a byte order mark."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def magic_kind(data: bytes) -> str | None:
    """What a known binary format calls itself, from its first bytes ("PNG image"), else None."""
    for magic, offset, kind in MAGIC_NUMBERS:
        if data[offset : offset + len(magic)] == magic:
            return kind
    if data[:4] == b"RIFF" and data[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[data[8:12]]
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes sit on every other position as in mostly-ASCII UTF-16."""
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.6 and even_nul < 0.01:
        return "utf-16-le"
    if even_nul > 0.6 and odd_nul < 0.01:
        return "utf-16-be"
    return None


def binary_kind(data: bytes, *, allow: tuple[str, ...] = ()) -> str | None:
    """Why `data` is binary rather than text ("PNG image", "binary data"), or None if it may be text.
    `allow` names magic-number kinds the caller can handle itself (e.g. "gzip-compressed data")."""
    if bom_encoding(data):
        return None
    sample = data[:SNIFF_BYTES]
    kind = magic_kind(data)
    if kind in allow:
        return None
    # "MZ" is too short to trust on its own: a text may start with "MZ"
    if kind and (kind != "Windows executable" or _has_binary_bytes(sample)):
        return kind
    return "binary data" if _has_binary_bytes(sample) else None


def _has_binary_bytes(sample: bytes) -> bool:
    """NUL bytes (unless the sample reads as UTF-16), or too many control characters."""
    if b"\x00" in sample:
        if not _utf16_without_bom(sample):
            return True
        sample = sample.replace(b"\x00", b"")  # UTF-16: judge the other bytes
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / len(sample) > MAX_CONTROL_RATIO


def reject_binary(data: bytes, *, allow: tuple[str, ...] = ()) -> None:
    kind = binary_kind(data, allow=allow)
    if kind:
        what = "binary file" if kind == "binary data" else f"binary file ({kind})"
        raise InputRejected("binary", f"{what}, not an article")


# -- decoding --------------------------------------------------------------------------------------

# When charset-normalizer cannot tell single-byte encodings apart (short texts often tie), prefer these.
_TIE_PREFERENCE = ("cp1252", "iso8859_15", "latin_1")
_TIE_EPSILON = 0.005


def decode_text(data: bytes, *, what: str = "file") -> str:
    """`data` as text: rejects binary, honours a BOM (removed), tries UTF-8, then charset-normalizer's best
    guess. Raises `InputRejected` ('binary', 'undecodable', 'empty'). The text is otherwise exactly as
    decoded: no stripping, no newline or Unicode normalisation."""
    if not data:
        raise InputRejected("empty", f"{what} is empty")
    reject_binary(data)
    text = _decode(data, declared=None)
    _reject_blank(text, what)
    return text


def decode_html(data: bytes, *, what: str = "file") -> str:
    """An HTML page's bytes as text: a BOM wins; then UTF-8 if the bytes are valid UTF-8 (real Latin-1 pages
    are practically never valid UTF-8, while pages declaring a wrong charset are common); then the charset
    the page declares (`<meta charset>`, http-equiv, XML declaration) if it decodes cleanly; then
    charset-normalizer. The HTML is not parsed here."""
    if not data:
        raise InputRejected("empty", f"{what} is empty")
    reject_binary(data)
    text = _decode(data, declared=declared_charset(data))
    _reject_blank(text, what)
    return text


def _reject_blank(text: str, what: str) -> None:
    if not text.strip():
        raise InputRejected("empty", f"{what} is empty" if not text else f"{what} contains only white space")


_META_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
# stateful 7-bit encodings: their bytes are valid ASCII (so valid UTF-8) yet must be decoded as declared
_SEVEN_BIT = ("iso2022", "utf_7", "hz")
# what browsers actually mean by these labels (WHATWG Encoding Standard)
_WHATWG_ALIASES = {"iso8859_1": "cp1252", "ascii": "cp1252", "iso8859_9": "cp1254", "iso8859_11": "cp874"}


def declared_charset(data: bytes) -> str | None:
    """The Python codec name of the charset an HTML page declares in its first 4 KB, if any and known."""
    head = data[:4096]
    match = _META_CHARSET_RE.search(head) or _XML_ENCODING_RE.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    name = name.replace("-", "_")
    return _WHATWG_ALIASES.get(name, name)


def _decode(data: bytes, declared: str | None) -> str:
    found = bom_encoding(data)
    if found:
        encoding, length = found
        try:
            return data[length:].decode(encoding)
        except UnicodeDecodeError:
            data = data[length:]  # a lying BOM: guess like for any other bytes
    if declared and declared.startswith(_SEVEN_BIT):
        text = _try(data, declared)
        if text is not None:
            return text
    utf16 = _utf16_without_bom(data[:SNIFF_BYTES])
    if utf16:
        text = _try(data, utf16)
        if text is not None:
            return text
    text = _try(data, "utf-8")
    if text is not None:
        return text
    if declared:
        text = _try(data, declared)
        if text is None and declared == "cp1252":
            text = _try(data, "latin-1")  # bytes cp1252 leaves undefined (0x81, 0x8d, ...)
        if text is not None:
            return text
    text = _guess(data)
    if text is None:
        raise InputRejected("undecodable", "not valid UTF-8 and no charset could be detected")
    return text


def _try(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return None if "\ufffd" in text else text


def _guess(data: bytes) -> str | None:
    """charset-normalizer's best guess, except that exact ties between single-byte encodings (frequent on
    short texts) go to Windows-1252, the most common legacy encoding of news text."""
    from charset_normalizer import from_bytes  # imported lazily: UTF-8 inputs never pay for it

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    tied = [
        m
        for m in matches
        if abs(m.chaos - best.chaos) <= _TIE_EPSILON and abs(m.coherence - best.coherence) <= _TIE_EPSILON
    ]
    for preferred in _TIE_PREFERENCE:
        for match in tied:
            if match.encoding == preferred:
                best = match
                break
        else:
            continue
        break
    try:
        text = str(best)
    except (UnicodeDecodeError, LookupError):  # pragma: no cover - charset-normalizer checked it decodes
        return None
    return text if text else None
