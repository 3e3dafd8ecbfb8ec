"""Built-in pipeline stages. Importing this package registers them (see `storyline.pipeline`).

`DEFAULT_PIPELINE` is the order `storyline ingest` and `storyline analyze` run them in.
"""

from . import extract, identity, language, metadata  # noqa: F401  (registration)

DEFAULT_PIPELINE: tuple[str, ...] = (
    "extract",
    "metadata",
    "title",
    "body",
    "language",
    "published",
    "identity",
)
