"""Storage behind one interface: `Store` (see `base.py`); SQLite is the default backend."""

from .base import IngestOutcome, Store, StoreError

__all__ = ["IngestOutcome", "Store", "StoreError", "open_store"]


def open_store(path: str) -> Store:
    """Open (creating and migrating if needed) the store at `path`. Only SQLite files exist so far."""
    from .sqlite import SQLiteStore

    return SQLiteStore(path)
