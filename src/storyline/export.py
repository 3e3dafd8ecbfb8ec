"""Export stored articles with their stories: JSON Lines, CSV or Parquet."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import Storyline

FORMATS = ("jsonl", "csv", "parquet")
COLUMNS = ("id", "source", "url", "outlet", "wire", "title", "language", "published", "published_earliest",
           "published_latest", "stories", "text")


def article_rows(sl: Storyline) -> Iterator[dict[str, Any]]:
    for a in sl.articles():
        yield {
            "id": a.id,
            "source": a.source,
            "url": a.url,
            "outlet": a.outlet,
            "wire": a.wire,
            "title": a.title,
            "language": a.language,
            "published": a.published.date,
            "published_earliest": a.published.earliest,
            "published_latest": a.published.latest,
            "stories": sl.stories_of(a.id),
            "text": a.text,
        }


def export_articles(sl: Storyline, fmt: str, out: Path) -> int:
    """Write every article to `out` in `fmt`; returns how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = article_rows(sl)
    if fmt == "jsonl":
        n = 0
        with out.open("w", encoding="utf-8") as f:
            for n, row in enumerate(rows, 1):
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        return n
    if fmt == "csv":
        n = 0
        with out.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS)
            writer.writeheader()
            for n, row in enumerate(rows, 1):
                writer.writerow({**row, "stories": " ".join(row["stories"])})
        return n
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - depends on the install
        raise RuntimeError("Parquet export needs pyarrow: pip install 'storyline[parquet]'") from None
    schema = pa.schema([(c, pa.list_(pa.string()) if c == "stories" else pa.string()) for c in COLUMNS])
    n = 0
    with pq.ParquetWriter(str(out), schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == 1000:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                n += len(chunk)
                chunk = []
        if chunk or n == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            n += len(chunk)
    return n
