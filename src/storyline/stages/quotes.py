"""Stage "quotes": who said what (see `storyline.quotes`).

Direct quotations and indirect speech from the body ranges, each with its speaker: a canonical name (the
entity's, when the "entities" stage ran before and found one), a description the article gives, or None.
The stage reads `doc.entities` when they are there but does not require them, so it runs with or without
the entities stage; place it after "entities" to get canonical names and entity ids.
"""

from __future__ import annotations

from ..pipeline import register_stage
from ..quotes import extract_quotes
from ..records import Document


@register_stage("quotes")
class Quotes:
    requires = ("text", "body", "language")
    assigns = ("quotes",)

    def __init__(self, indirect: bool = True):
        self.indirect = indirect

    def __call__(self, doc: Document) -> Document:
        doc.quotes = extract_quotes(doc.text, list(doc.body), doc.language, doc.entities or None,
                                    indirect=self.indirect)
        return doc
