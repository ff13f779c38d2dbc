"""One language at a time: every page the crawl from the home page reaches (tests/portal/crawl.py), opened in bokmål
and in nynorsk as the persona who reached it, shows no English string from the catalogues, no pointer into Nyskap's
own working documents ("DOMAIN.md", "WP box", "See §3.3") and no raw field name in a change history."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings

from .crawl import PERSONAS, client_for, crawl, load_demo_site

pytestmark = [pytest.mark.django_db]

# Pointers into the working documents, and the white paper by its working abbreviation.
INTERNAL_MARKERS = [
    re.compile(r"DOMAIN\.md"),
    re.compile(r"PRODUCT\.md|ARCHITECTURE\.md|STYLE\.md"),
    re.compile(r"\bWP box\b"),
    re.compile(r"\[WP\]"),
    re.compile(r"\bSee §"),
    re.compile(r"§\d"),  # "§3.3" as the working documents write it; laws are cited with a space ("§ 11")
]
# English that Django or a library adds by itself, not from Nyskap's catalogues.
ENGLISH_DEFAULTS = ["Select an option", "This field is required", "Too few", "Enter a valid"]
# Words that are English and not Norwegian: a text with two of them is English prose (catalogue or not).
ENGLISH_WORDS = re.compile(r"\b(the|and|of|with|is|are|which|this|that|from|not|only|when|been)\b", re.IGNORECASE)
# Field names as the code writes them (name_nb, closes_on, is_example), in a change history.
RAW_FIELD_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    """The text a reader meets: text nodes outside script and style, and the attributes read aloud or shown. A
    quotation marked as another language (``lang="en"``: the catalogue's source notes) is that language's, not a
    leak, and is left out."""

    SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.history: list[str] = []
        self._open: list[tuple[str, bool, bool]] = []  # (tag, skipped, history)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        # A textarea holds what an editor wrote or will change (the catalogue's stored notes), not the page's words.
        skipped = tag in ("script", "style", "textarea") or values.get("lang") not in (None, "nb", "nn")
        if tag not in VOID:
            self._open.append((tag, skipped, "data-history" in values))
        if not self._skipping and not skipped:
            for name in self.SHOWN_ATTRIBUTES:
                if values.get(name):
                    self.texts.append(str(values[name]).strip())

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    @property
    def _skipping(self) -> bool:
        return any(skipped for _tag, skipped, _history in self._open)

    def handle_data(self, data: str) -> None:
        if self._skipping or not data.strip():
            return
        text = " ".join(data.split())
        self.texts.append(text)
        if any(history for _tag, _skipped, history in self._open):
            self.history.append(text)


def _english_only_messages() -> set[str]:
    """Catalogue msgids of at least two words whose bokmål and nynorsk translations both differ from the English:
    seen as a whole text on a bokmål or nynorsk page, they are a string that was not translated."""
    locale = Path(django_settings.LOCALE_PATHS[0])
    translations: dict[str, list[str]] = {}
    for language in ("nb", "nn"):
        for entry in polib.pofile(str(locale / language / "LC_MESSAGES" / "django.po")):
            if not entry.obsolete and not entry.msgid_plural and "%" not in entry.msgid and "{" not in entry.msgid:
                translations.setdefault(entry.msgid, []).append(entry.msgstr)
    return {
        msgid
        for msgid, texts in translations.items()
        if len(msgid.split()) >= 2 and len(texts) == 2 and all(text and text != msgid for text in texts)
    }


def _problems(html: str, english: set[str]) -> list[str]:
    parser = _Text()
    parser.feed(html)
    problems = []
    for text in parser.texts:
        for marker in INTERNAL_MARKERS:
            if marker.search(text):
                problems.append(f"internal reference {marker.pattern!r} in {text[:120]!r}")
        for default in ENGLISH_DEFAULTS:
            if default in text:
                problems.append(f"English {default!r} in {text[:120]!r}")
        if text in english:
            problems.append(f"untranslated {text!r}")
        elif len({word.lower() for word in ENGLISH_WORDS.findall(text)}) >= 2:
            problems.append(f"English prose {text[:120]!r}")
    for text in parser.history:
        for name in RAW_FIELD_NAME.findall(text):
            problems.append(f"raw field name {name!r} in the change history: {text[:120]!r}")
    return problems


@pytest.mark.crawl_once
def test_when_every_page_is_read_in_bokmal_and_nynorsk_then_it_is_all_in_that_language(settings):
    load_demo_site(settings)
    english = _english_only_messages()
    problems: dict[str, list[str]] = {}
    done: set[str] = set()
    errors = []
    for persona in PERSONAS:
        client = client_for(persona)
        result = crawl(client)
        # Every page the crawl meets answers on this database too (the link crawl runs on PostgreSQL in CI).
        errors += [(persona, path, status) for path, status in result.errors]
        pages = [path for paths in result.html_pages.values() for path in sorted(paths) if path not in done]
        done.update(pages)
        for language in ("nb", "nn"):
            client.cookies["django_language"] = language
            for path in pages:
                response = client.get(path)
                if response.status_code >= 500:
                    errors.append((persona, f"{language} {path}", response.status_code))
                if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                    continue
                found = _problems(response.content.decode(), english)
                if found:
                    problems[f"{language} {path} ({persona or 'anonymous'})"] = sorted(set(found))
    assert errors == []
    assert not problems, "\n" + "\n".join(
        f"{page}: {problem}" for page, found in sorted(problems.items()) for problem in found
    )


def test_the_checks_find_what_they_look_for():
    """The page check must be able to fail: each kind of leak in a small page is reported."""
    english = {"Not started"}
    page = (
        "<main><p>Source: WP box 13.3 (DOMAIN.md §3.3). See §3.3.</p><select><option>- Select an option -</option>"
        "</select><td>Not started</td><ul data-history><li>Changed: closes_on, name_nb</li></ul>"
        '<p title="Too few">x</p><script>var a_b = "DOMAIN.md";</script></main>'
    )
    found = _problems(page, english)
    assert len([p for p in found if p.startswith("internal reference")]) == 4
    assert "untranslated 'Not started'" in found
    assert "English 'Select an option' in '- Select an option -'" in found
    assert "English 'Too few' in 'Too few'" in found
    assert _problems("<p>The scheme is for state bodies, not for municipalities.</p>", set()) == [
        "English prose 'The scheme is for state bodies, not for municipalities.'"
    ]
    assert [p for p in found if p.startswith("raw field name")] == [
        "raw field name 'closes_on' in the change history: 'Changed: closes_on, name_nb'",
        "raw field name 'name_nb' in the change history: 'Changed: closes_on, name_nb'",
    ]
    # A quotation marked as English is the source's own words, not a leak.
    assert _problems('<p lang="en">The scheme is for state bodies, not for municipalities.<br></p>', set()) == []
    # Laws are cited with a space ("forvaltningsloven § 11"), and are not working-document sections.
    assert _problems("<p>forvaltningsloven § 11</p>", english) == []
