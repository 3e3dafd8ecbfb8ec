"""Readers: real files in tmp_path (no mocks), every input accounted for, exact codes, sources and text."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest

from storyline.ingest import iter_inputs
from storyline.ingest import decode
from storyline.ingest.readers import iter_path, split_lines
from storyline.records import RawDocument, Rejection

FRENCH = (
    "Le président a déclaré mercredi que la réforme serait adoptée avant l'été. "
    "Les élèves étudient à Montréal.\n"
)
PNG = b"\x89PNG\r\n\x1a\n"
MiB = 1024 * 1024


def outcome(item: RawDocument | Rejection) -> tuple:
    """(source, what) for an item: the rejection code, or the kind of document."""
    if isinstance(item, Rejection):
        return item.source, item.code
    return item.source, item.content_type


def by_source(items) -> dict:
    out = {}
    for item in items:
        assert item.source not in out, f"{item.source} yielded twice"
        out[item.source] = item
    return out


@pytest.fixture(autouse=True)
def _default_limit(monkeypatch):
    monkeypatch.delenv("STORYLINE_MAX_BYTES", raising=False)


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as f:
        f.truncate(size)
    return path


# -- a folder of bad inputs ------------------------------------------------------------------------


@pytest.fixture
def bad_inputs(tmp_path: Path) -> Path:
    root = tmp_path / "inputs"
    rng = random.Random(7)
    write(root / "scan.dat", PNG + bytes(rng.randrange(256) for _ in range(4000)))
    write(root / "empty.txt", b"")
    write(root / "latin1.txt", FRENCH.encode("latin-1"))
    sparse(root / "huge.txt", 50 * MiB)
    write(root / "broken.html", "<html><body><p>Unclosed <div>paragraph <b>bold</p>\n")
    write(
        root / "wrong-charset.html",
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        "</head><body><p>Café élevé — 10 € à Zürich</p></body></html>",
    )
    write(
        root / "articles.jsonl",
        '{"text": "First article.", "title": "One", "id": "a1"}\n'
        "\n"
        '{"html": "<p>Second article.</p>", "url": "https://example.org/2"}\n'
        '{"text": "Third art',
    )
    write(root / "report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    write(root / "nested" / "b" / "deep.txt", "deep")
    write(root / "nested" / "a.txt", "a")
    write(root / "nested" / "c.txt", "c")
    write(root / ".hidden-note.txt", "hidden but read")
    write(root / ".DS_Store", b"\x00\x00\x00\x01Bud1")
    write(root / ".git" / "config", "[core]\n")
    write(root / "__MACOSX" / "._latin1.txt", b"\x00\x05\x16\x07")
    return root


def test_every_input_in_a_folder_is_accounted_for_in_sorted_order(bad_inputs: Path, tmp_path: Path):
    missing = tmp_path / "missing.txt"
    items = list(iter_inputs([bad_inputs, missing]))
    r = str(bad_inputs)
    assert [outcome(i) for i in items] == [
        (f"{r}/.hidden-note.txt", "text"),
        (f"{r}/articles.jsonl#L1", "text"),
        (f"{r}/articles.jsonl#L3", "html"),
        (f"{r}/articles.jsonl#L4", "bad_json"),
        (f"{r}/broken.html", "html"),
        (f"{r}/empty.txt", "empty"),
        (f"{r}/huge.txt", "too_large"),
        (f"{r}/latin1.txt", "text"),
        (f"{r}/nested/a.txt", "text"),
        (f"{r}/nested/b/deep.txt", "text"),
        (f"{r}/nested/c.txt", "text"),
        (f"{r}/report.pdf", "binary"),
        (f"{r}/scan.dat", "binary"),
        (f"{r}/wrong-charset.html", "html"),
        (str(missing), "unreadable"),
    ]
    got = by_source(items)
    assert got[f"{r}/latin1.txt"].text == FRENCH
    assert got[f"{r}/latin1.txt"].meta["path"] == f"{r}/latin1.txt"
    assert got[f"{r}/broken.html"].html == "<html><body><p>Unclosed <div>paragraph <b>bold</p>\n"
    assert "<p>Café élevé — 10 € à Zürich</p>" in got[f"{r}/wrong-charset.html"].html
    assert got[f"{r}/nested/b/deep.txt"].text == "deep"
    assert got[f"{r}/.hidden-note.txt"].text == "hidden but read"

    first, second = got[f"{r}/articles.jsonl#L1"], got[f"{r}/articles.jsonl#L3"]
    assert (first.text, first.meta) == ("First article.", {"title": "One", "id": "a1"})
    assert (second.html, second.meta) == ("<p>Second article.</p>", {"url": "https://example.org/2"})

    reasons = {i.source: i.reason for i in items if isinstance(i, Rejection)}
    assert reasons == {
        f"{r}/articles.jsonl#L4": "line 4 is not valid JSON: Unterminated string starting at column 10",
        f"{r}/empty.txt": "file is empty",
        f"{r}/huge.txt": "file is 52.4 MB, over the 10 MB limit (set STORYLINE_MAX_BYTES to raise it)",
        f"{r}/report.pdf": "binary file (PDF document), not an article",
        f"{r}/scan.dat": "binary file (PNG image), not an article",
        str(missing): "no such file or folder",
    }


def test_folder_order_is_deterministic(bad_inputs: Path):
    first = [outcome(i) for i in iter_inputs([bad_inputs])]
    second = [outcome(i) for i in iter_inputs([str(bad_inputs) + "/"])]
    assert first == second


def test_a_large_file_is_rejected_without_being_read(tmp_path: Path):
    huge = sparse(tmp_path / "huge.txt", 50 * MiB)
    list(iter_inputs([write(tmp_path / "warm-up.txt", "x")]))  # reader modules imported before measuring
    tracemalloc.start()
    try:
        items = list(iter_inputs([huge]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [outcome(i) for i in items] == [(str(huge), "too_large")]
    assert peak < 5 * MiB  # the 50 MB were never loaded


def test_the_size_limit_is_configurable(tmp_path: Path, monkeypatch):
    small = write(tmp_path / "small.txt", "x" * 200)
    monkeypatch.setenv("STORYLINE_MAX_BYTES", "100")
    [item] = iter_inputs([small])
    assert (item.code, item.reason) == (
        "too_large",
        "file is 200 bytes, over the 100 bytes limit (set STORYLINE_MAX_BYTES to raise it)",
    )
    monkeypatch.setenv("STORYLINE_MAX_BYTES", "1KB")
    [item] = iter_inputs([small])
    assert item.text == "x" * 200
    monkeypatch.delenv("STORYLINE_MAX_BYTES")
    monkeypatch.setattr(decode, "MAX_BYTES", 150)
    [item] = iter_inputs([small])
    assert item.code == "too_large"


# -- text ------------------------------------------------------------------------------------------


def test_text_is_kept_exactly_as_decoded(tmp_path: Path):
    raw = "  Title\r\n\r\nBody with\u00a0non-breaking space and e\u0301 (decomposed).  \n\n"
    plain = write(tmp_path / "plain.txt", raw)
    bom = write(tmp_path / "bom.text", b"\xef\xbb\xbf" + raw.encode())
    utf16 = write(tmp_path / "utf16.txt", raw.encode("utf-16"))  # with its BOM
    items = list(iter_inputs([plain, bom, utf16]))
    assert [i.text for i in items] == [raw, raw, raw]
    assert [i.source for i in items] == [str(plain), str(bom), str(utf16)]


def test_short_latin1_and_windows1252_texts(tmp_path: Path):
    short = write(tmp_path / "short.txt", "Le café est très apprécié à Montréal.".encode("latin-1"))
    quotes = write(tmp_path / "quotes.txt", "« L’œuvre » – dit-il, “enfin”.".encode("cp1252"))
    items = list(iter_inputs([short, quotes]))
    assert [i.text for i in items] == [
        "Le café est très apprécié à Montréal.",
        "« L’œuvre » – dit-il, “enfin”.",
    ]


def test_whitespace_only_and_binary_text_files(tmp_path: Path):
    blank = write(tmp_path / "blank.txt", " \n\t\r\n")
    nul = write(tmp_path / "nul.txt", b"some text\x00\x00\x00\x01\x02 more")
    zip_ = write(tmp_path / "archive.txt", b"PK\x03\x04" + b"\x14\x00" * 40)
    items = list(iter_inputs([blank, nul, zip_]))
    assert [(i.code, i.reason) for i in items] == [
        ("empty", "file contains only white space"),
        ("binary", "binary file, not an article"),
        ("binary", "binary file (ZIP archive or Office document), not an article"),
    ]


def test_unknown_suffixes_are_sniffed(tmp_path: Path):
    page = write(tmp_path / "page.xyz", "\n  <!DOCTYPE html>\n<html><body><p>Hello</p></body></html>")
    notes = write(tmp_path / "notes.md", "# Notes\n\nNot <html> at the start.")
    noext = write(tmp_path / "README", "Plain text without a suffix.")
    blob = write(tmp_path / "blob.xyz", bytes(range(256)) * 4)
    items = list(iter_inputs([page, notes, noext, blob]))
    assert [outcome(i) for i in items] == [
        (str(page), "html"),
        (str(notes), "text"),
        (str(noext), "text"),
        (str(blob), "binary"),
    ]
    assert items[0].html.startswith("\n  <!DOCTYPE html>")
    assert items[1].text == "# Notes\n\nNot <html> at the start."


def test_known_non_article_types_are_rejected_by_type(tmp_path: Path):
    docx = write(tmp_path / "memo.docx", b"PK\x03\x04\x14\x00\x06\x00" + bytes(100))
    png = write(tmp_path / "photo.PNG", PNG + bytes(100))
    svg = write(tmp_path / "logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><text>Hi</text></svg>')
    items = list(iter_inputs([docx, png, svg]))
    assert [(i.source, i.code, i.reason) for i in items] == [
        (str(docx), "binary", "binary file (Word document), not an article"),
        (str(png), "binary", "binary file (PNG image), not an article"),
        (str(svg), "unsupported", "unsupported file type: SVG image (.svg), not an article"),
    ]


# -- HTML ------------------------------------------------------------------------------------------


def test_html_declared_charset_is_honoured_when_it_decodes(tmp_path: Path):
    body = "<p>« Été » — 5 € chez l’épicier</p>"
    declared = write(
        tmp_path / "cp1252.htm",
        f'<html><head><meta charset="windows-1252"></head><body>{body}</body></html>'.encode("cp1252"),
    )
    latin1 = write(  # browsers read iso-8859-1 as windows-1252: the € and curly quotes survive
        tmp_path / "latin1.html",
        f"<html><head><meta charset=ISO-8859-1></head><body>{body}</body></html>".encode("cp1252"),
    )
    koi8 = write(
        tmp_path / "koi8.html",
        '<html><head><meta charset="koi8-r"></head><body>Привет, мир</body></html>'.encode("koi8-r"),
    )
    items = list(iter_inputs([declared, latin1, koi8]))
    assert body in items[0].html
    assert body in items[1].html
    assert "Привет, мир" in items[2].html


def test_html_without_declaration_and_with_bom(tmp_path: Path):
    utf8 = write(tmp_path / "a.html", "<p>Ça marche — déjà</p>")
    legacy = write(tmp_path / "b.html", "<p>Le café est très apprécié à Montréal.</p>".encode("latin-1"))
    bom = write(tmp_path / "c.html", b"\xef\xbb\xbf" + '<meta charset="iso-8859-1"><p>€</p>'.encode())
    items = list(iter_inputs([utf8, legacy, bom]))
    assert [i.html for i in items] == [
        "<p>Ça marche — déjà</p>",
        "<p>Le café est très apprécié à Montréal.</p>",
        '<meta charset="iso-8859-1"><p>€</p>',
    ]


def test_empty_and_binary_html(tmp_path: Path):
    empty = write(tmp_path / "empty.html", b"")
    gz = write(tmp_path / "page.html", b"\x1f\x8b\x08\x00" + bytes(100))
    items = list(iter_inputs([empty, gz]))
    assert [(i.code, i.reason) for i in items] == [
        ("empty", "file is empty"),
        ("binary", "binary file (gzip-compressed data), not an article"),
    ]


# -- JSON Lines ------------------------------------------------------------------------------------


def test_jsonl_rows_meta_and_bad_lines(tmp_path: Path):
    rows = [
        {"text": "One.", "title": "T", "url": "u", "published": "2024-05-01", "outlet": "O", "language": "fr",
         "id": 7, "section": "world", "score": 0.5, "tags": ["a"], "extra": {"k": 1}, "author": None},
        [1, 2],
        {"title": "no text"},
        {"text": "   "},
        {"text": 42},
        {"text": "Last.", "html": "<p>ignored</p>"},
    ]
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    lines.insert(1, "   ")
    lines.insert(3, '{"text": "oops",}')
    path = write(tmp_path / "feed.ndjson", "\r\n".join(lines) + "\r\n")
    items = list(iter_inputs([path]))
    p = str(path)
    assert [outcome(i) for i in items] == [
        (f"{p}#L1", "text"),
        (f"{p}#L3", "bad_json"),
        (f"{p}#L4", "bad_json"),
        (f"{p}#L5", "bad_json"),
        (f"{p}#L6", "empty"),
        (f"{p}#L7", "bad_json"),
        (f"{p}#L8", "text"),
    ]
    assert items[0].text == "One."
    assert items[0].meta == {"title": "T", "url": "u", "published": "2024-05-01", "outlet": "O",
                             "language": "fr", "id": 7, "section": "world", "score": 0.5}
    assert [i.reason for i in items[1:6]] == [
        "line 3 is a JSON array, not an object",
        "line 4 is not valid JSON: Expecting property name enclosed in double quotes at column 17",
        'line 5 has no "text" (or "html") field',
        'line 6 has an empty "text"',
        'line 7: "text" is a JSON number, not a string',
    ]
    assert (items[6].text, items[6].html) == ("Last.", None)


def test_jsonl_line_limit_skips_long_lines_and_keeps_counting(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(decode, "MAX_BYTES", 1000)
    long_row = json.dumps({"text": "x" * 5000})
    path = write(tmp_path / "big.jsonl", f'{{"text": "a"}}\n{long_row}\n{{"text": "b"}}\n{long_row}')
    items = list(iter_inputs([path]))
    p = str(path)
    assert [outcome(i) for i in items] == [
        (f"{p}#L1", "text"), (f"{p}#L2", "too_large"), (f"{p}#L3", "text"), (f"{p}#L4", "too_large"),
    ]
    assert items[1].reason == "line 2 is 5 KB, over the 1 KB limit (set STORYLINE_MAX_BYTES to raise it)"
    assert [items[0].text, items[2].text] == ["a", "b"]


def test_split_lines_across_chunk_boundaries():
    chunks = [b"ab", b"c\nde", b"f\n\n", b"0123456789", b"xx\nlast"]
    assert list(split_lines(chunks, limit=8)) == [
        (1, b"abc", 3), (2, b"def", 3), (3, b"", 0), (4, None, 12), (5, b"last", 4),
    ]


def test_empty_binary_and_blank_jsonl(tmp_path: Path):
    empty = write(tmp_path / "empty.jsonl", b"")
    blank = write(tmp_path / "blank.jsonl", "\n \n\n")
    binary = write(tmp_path / "data.jsonl", b"\x1f\x8b\x08\x00" + bytes(64))
    items = list(iter_inputs([empty, blank, binary]))
    assert [(i.source, i.code, i.reason) for i in items] == [
        (str(empty), "empty", "file is empty"),
        (str(blank), "empty", "no JSON lines, only blank lines"),
        (str(binary), "binary", "binary file (gzip-compressed data), not JSON Lines"),
    ]


def test_jsonl_with_bom_and_a_latin1_line(tmp_path: Path):
    path = write(
        tmp_path / "a.jsonl",
        b"\xef\xbb\xbf{\"text\": \"ok\"}\n"
        + '{"text": "Le café est très apprécié à Montréal."}'.encode("latin-1"),
    )
    items = list(iter_inputs([path]))
    assert [i.text for i in items] == ["ok", "Le café est très apprécié à Montréal."]


# -- folders and odd files -------------------------------------------------------------------------


def test_symlink_loops_do_not_hang(tmp_path: Path):
    root = tmp_path / "root"
    write(root / "a.txt", "a")
    write(tmp_path / "elsewhere" / "b.txt", "b")
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to(root, target_is_directory=True)
    (root / "other").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    items = list(iter_inputs([root]))
    assert [outcome(i) for i in items] == [
        (f"{root}/a.txt", "text"),
        (f"{root}/dangling.txt", "unreadable"),
        (f"{root}/other/b.txt", "text"),
    ]
    assert items[1].reason == "broken symbolic link"


def test_empty_folder_and_special_files(tmp_path: Path):
    empty = tmp_path / "empty"
    (empty / "only" / "folders").mkdir(parents=True)
    fifo_dir = tmp_path / "fifo"
    fifo_dir.mkdir()
    os.mkfifo(fifo_dir / "pipe.txt")
    items = list(iter_inputs([empty, fifo_dir, ""]))
    assert [(i.source, i.code, i.reason) for i in items] == [
        (str(empty), "empty", "folder contains no files"),
        (f"{fifo_dir}/pipe.txt", "unsupported", "not a regular file (named pipe)"),
        ("", "unreadable", "empty path"),
    ]


def test_urls_are_handed_to_the_fetcher(monkeypatch):
    monkeypatch.delenv("STORYLINE_FETCH", raising=False)  # network off: no request is made
    url = "https://example.org/article"
    [item] = iter_path(url)
    assert isinstance(item, Rejection)
    assert item.source == url
    try:
        import storyline.ingest.fetch  # noqa: F401
    except ImportError:
        assert item.code == "unsupported"
        assert item.reason.startswith("fetching URLs is not available: ")
    else:
        assert item.code == "fetch_disabled"


# -- standard input --------------------------------------------------------------------------------

STDIN_SCRIPT = textwrap.dedent(
    """
    import json
    from storyline.ingest import iter_inputs
    for item in iter_inputs(["-"]):
        print(json.dumps({"source": item.source, "code": getattr(item, "code", None),
                          "text": getattr(item, "text", None), "html": getattr(item, "html", None),
                          "reason": getattr(item, "reason", None)}))
    """
)


def run_stdin(data: bytes, **env: str) -> list[dict]:
    proc = subprocess.run(
        [sys.executable, "-c", STDIN_SCRIPT], input=data, capture_output=True, check=True,
        env={**os.environ, **env},
    )
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def test_stdin_text():
    assert run_stdin(FRENCH.encode("latin-1")) == [
        {"source": "-", "code": None, "text": FRENCH, "html": None, "reason": None}
    ]


def test_stdin_jsonl():
    data = b'{"text": "one"}\n\n{"text": "two"}\n{"text": "thr\n'
    out = run_stdin(data)
    assert [(o["source"], o["code"], o["text"]) for o in out] == [
        ("-#L1", None, "one"), ("-#L3", None, "two"), ("-#L4", "bad_json", None),
    ]
    assert out[2]["reason"] == "line 4 is not valid JSON: Unterminated string starting at column 10"


def test_stdin_jsonl_larger_than_the_limit_is_streamed():
    rows = b"".join(json.dumps({"text": f"row {i}"}).encode() + b"\n" for i in range(200))
    out = run_stdin(rows, STORYLINE_MAX_BYTES="500")
    assert [o["source"] for o in out] == [f"-#L{i}" for i in range(1, 201)]
    assert out[-1]["text"] == "row 199"


def test_stdin_html_empty_binary_and_too_large():
    [html] = run_stdin(b"<!doctype html><html><body><p>Hi</p></body></html>")
    assert (html["source"], html["html"]) == ("-", "<!doctype html><html><body><p>Hi</p></body></html>")
    assert [(o["code"], o["reason"]) for o in run_stdin(b"")] == [("empty", "standard input is empty")]
    assert [(o["code"], o["reason"]) for o in run_stdin(PNG + bytes(100))] == [
        ("binary", "binary input (PNG image), not an article")
    ]
    assert [(o["code"], o["reason"]) for o in run_stdin(b"a" * 600, STORYLINE_MAX_BYTES="500")] == [
        ("too_large", "standard input is over the 500 bytes limit (set STORYLINE_MAX_BYTES to raise it)")
    ]
