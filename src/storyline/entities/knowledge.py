"""An optional knowledge base of reference entities (Wikidata or other ids) that resolved entities link to."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .keys import phonetic
from .mention import group_of

__all__ = ["KnowledgeBase"]


class KnowledgeBase:
    """An optional list of reference entities (Wikidata or other ids) with a label and aliases.

    JSON: a list of {"id", "label", "aliases": [...], "type"?} or a mapping id -> {"label", "aliases"}.
    CSV: columns id, label, aliases (separated by "|" or ";"), optional type."""

    def __init__(self, rows: Iterable[dict[str, Any]]):
        self.labels: dict[str, str] = {}
        self.types: dict[str, str | None] = {}
        self._index: dict[str, set[str]] = {}
        for row in rows:
            kid = str(row["id"])
            label = str(row.get("label") or "")
            aliases = row.get("aliases") or []
            if isinstance(aliases, str):
                aliases = [a for a in aliases.replace(";", "|").split("|")]
            self.labels[kid] = label
            self.types[kid] = row.get("type") or None
            for name in [label, *aliases]:
                name = str(name).strip()
                if name:
                    self._index.setdefault(phonetic(name), set()).add(kid)

    @classmethod
    def load(cls, path: str | Path) -> KnowledgeBase:
        path = Path(path)
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8", newline="") as f:
                return cls(list(csv.DictReader(f)))
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data = [{"id": k, **v} for k, v in data.items()]
        return cls(data)

    def link(self, names: Iterable[str], typ: str | None = None) -> str | None:
        """The id that the names point to, or None when none or several do."""
        votes: Counter[str] = Counter()
        for n in names:
            for kid in self._index.get(phonetic(n), ()):
                if typ is None or self.types.get(kid) in (None, typ) or group_of(self.types.get(kid) or "") == group_of(typ):
                    votes[kid] += 1
        if not votes:
            return None
        ranked = votes.most_common(2)
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            return None
        return ranked[0][0]
