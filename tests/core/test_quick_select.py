"""The quick select gives the same markup as Django's template-rendered select (whitespace aside), escaped."""

from __future__ import annotations

import re

import pytest
from django import forms

from nyskap.core.forms import QuickSelect

# A repeated value: only its first option is selected
CHOICES = [("", "Alle"), ("a&b", "<b>Fet</b> & mer"), ("yes", "Ja"), (3, "Tre"), ("yes", "Ja, igjen")]


class Both(forms.Form):
    plain = forms.ChoiceField(label="Valg", choices=CHOICES, required=False)
    quick = forms.ChoiceField(label="Valg", choices=CHOICES, required=False, widget=QuickSelect)
    plain_attrs = forms.ChoiceField(
        label="Valg", choices=CHOICES, widget=forms.Select(attrs={"class": "wide", "aria-describedby": "hjelp"})
    )
    quick_attrs = forms.ChoiceField(
        label="Valg", choices=CHOICES, widget=QuickSelect(attrs={"class": "wide", "aria-describedby": "hjelp"})
    )


def _normalised(html: str, name: str) -> str:
    html = html.replace(f'name="{name}"', 'name="x"').replace(f'"id_{name}', '"id_x')
    return re.sub(r"\s+", " ", html).replace(" >", ">").replace("> <", "><").strip()


@pytest.mark.parametrize("value", ["", "a&b", "yes", "3", "unknown"])
def test_when_a_quick_select_renders_then_it_equals_the_template_select(value):
    form = Both({"plain": value, "quick": value, "plain_attrs": value, "quick_attrs": value})
    assert _normalised(str(form["quick"]), "quick") == _normalised(str(form["plain"]), "plain")
    assert _normalised(str(form["quick_attrs"]), "quick_attrs") == _normalised(str(form["plain_attrs"]), "plain_attrs")


def test_when_an_option_holds_markup_then_the_quick_select_escapes_it():
    html = str(Both({"quick": "a&b"})["quick"])
    assert '<option value="a&amp;b" selected>&lt;b&gt;Fet&lt;/b&gt; &amp; mer</option>' in html
    assert html.startswith('<select name="quick" class="ds-input" id="id_quick">')
