"""Built-in pipeline stages. Importing this package registers them (see `storyline.pipeline`).

`DEFAULT_PIPELINE` is the order `storyline ingest` and `storyline analyze` run them in.

Cleaning runs first: the headline (`title`), the body without boilerplate (`body`), then what needs the clean
body: outlet, wire and dateline (`source`), language, and the publication date (`published`, which reads the
dateline and the body's weekdays, and uses the batch for missing years).
"""

from . import (  # noqa: F401  (registration)
    boilerplate, dates, entities, events, extract, identity, language, metadata, quotes, source, times, title,
)

DEFAULT_PIPELINE: tuple[str, ...] = (
    "extract",
    "metadata",
    "title",
    "body",
    "source",
    "language",
    "published",
    "entities",
    "quotes",
    "times",
    "events",
    "identity",
)
