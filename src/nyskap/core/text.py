"""The one rule for characters Nyskap accepts in text from outside.

C0 control characters other than tab, line feed and carriage return (which textareas send as CRLF), DEL and lone
UTF-16 surrogates have no meaning in a title or a comment. NUL cannot be stored in PostgreSQL at all, the others
break XML (XLSX, PDF) and terminals, and a lone surrogate cannot be encoded as UTF-8. Forms and query strings have
them removed at the edge (`nyskap.core.middleware.InputMiddleware`); the API refuses them with a 422 naming the
field (`nyskap.api.parser`); a path holding one is not found (404).
"""

from __future__ import annotations

import re

REFUSED_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# The same rule as a pattern for JSON Schema / OpenAPI (which cannot express lone surrogates).
ACCEPTED_TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def has_refused_characters(text: str) -> bool:
    return REFUSED_CHARACTERS.search(text) is not None


def remove_refused_characters(text: str) -> str:
    return REFUSED_CHARACTERS.sub("", text)
