"""Named entities: people, organisations and places, with every spelling merged into one identity.

- `EntityRecognizer` finds PER, ORG, GPE and LOC mentions in a document's body with no model (cue tables,
  gazetteers from data packages, token shape) and groups those of one entity within the document; a model
  backend (`SpacyBackend`) may replace or complement its spans.
- `EntityResolver` merges the document entities of a corpus into entities with a canonical name and a stable
  id (transliterations, exonyms, acronyms across languages, one-off typos), optionally linked to a
  knowledge base (`KnowledgeBase`, e.g. Wikidata ids).
- The pipeline stage is `storyline.stages.entities` ("entities").
"""

from .backends import Backend, SpacyBackend, load_backend
from .keys import edit_distance, fold_name, org_key, phonetic, translit
from .mention import TYPES, Mention
from .recognizer import EntityRecognizer, Evidence
from .resolver import EntityResolver, KnowledgeBase, entity_id

__all__ = [
    "TYPES",
    "Backend",
    "EntityRecognizer",
    "EntityResolver",
    "Evidence",
    "KnowledgeBase",
    "Mention",
    "SpacyBackend",
    "edit_distance",
    "entity_id",
    "fold_name",
    "load_backend",
    "org_key",
    "phonetic",
    "translit",
]
