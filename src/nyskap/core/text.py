"""The one rule for characters Nyskap accepts in text from outside.

Refused everywhere: C0 control characters other than tab, line feed and carriage return (which textareas send as
CRLF), DEL, the C1 control characters (U+0080–U+009F), lone UTF-16 surrogates and the bidirectional embedding,
override and isolate characters (U+202A–U+202E, U+2066–U+2069), which can make text read differently from what
is stored. NUL cannot be stored in PostgreSQL at all, the others break XML (XLSX, PDF) and terminals, and a lone
surrogate cannot be encoded as UTF-8. Single-line form fields also refuse line breaks.

Where the rule applies: every page form field refuses such text with an error on that field naming the character
(`nyskap.core.forms.refuse_control_characters`, installed for every Django form at start-up); query strings of
pages have the characters removed (`nyskap.core.middleware.InputMiddleware`), since nothing is saved from them;
the API refuses them with a 422 naming the field (`nyskap.api.parser`); a path holding one is not found (404).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

_REFUSED = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
REFUSED_CHARACTERS = re.compile(rf"[{_REFUSED}\ud800-\udfff]")
REFUSED_IN_ONE_LINE = re.compile(rf"[{_REFUSED}\n\r\ud800-\udfff]")
# The same rule as a pattern for JSON Schema / OpenAPI (which cannot express lone surrogates).
ACCEPTED_TEXT_PATTERN = rf"^[^{_REFUSED}]*$"

_KINDS = {
    "nul": _("a null character"),
    "control": _("an invisible control character"),
    "line_break": _("a line break, which this one-line field cannot hold"),
    "surrogate": _("half of a character (a lone surrogate)"),
    "bidi": _("a character that reverses the writing direction"),
}


@dataclass(frozen=True)
class RefusedCharacter:
    kind: str
    code_point: str  # "U+0000"
    position: int  # 1-based, in characters

    @property
    def description(self) -> str:
        return str(_KINDS[self.kind])


def has_refused_characters(text: str) -> bool:
    return REFUSED_CHARACTERS.search(text) is not None


def remove_refused_characters(text: str) -> str:
    return REFUSED_CHARACTERS.sub("", text)


def first_refused_character(text: str, *, multiline: bool = True) -> RefusedCharacter | None:
    """The first character of the text the rule refuses (line breaks too when the text is one line), or None."""
    match = (REFUSED_CHARACTERS if multiline else REFUSED_IN_ONE_LINE).search(text)
    if match is None:
        return None
    char = match.group()
    point = ord(char)
    if point == 0:
        kind = "nul"
    elif char in "\n\r":
        kind = "line_break"
    elif 0xD800 <= point <= 0xDFFF:
        kind = "surrogate"
    elif unicodedata.bidirectional(char) in ("LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"):
        kind = "bidi"
    else:
        kind = "control"
    return RefusedCharacter(kind=kind, code_point=f"U+{point:04X}", position=match.start() + 1)
