"""The optional fetch from the national notice database: never needed, never on the network in tests."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from nyskap.procurement import doffin
from nyskap.procurement.models import Notice

PACKAGE = (Path(__file__).parent / "fixtures" / "ocds" / "release-package.json").read_bytes()


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_without_a_key_nothing_is_fetched(settings, monkeypatch):
    monkeypatch.delenv("DOFFIN_API_KEY", raising=False)
    settings.DOFFIN_API_KEY = ""
    with pytest.raises(doffin.DoffinNotConfigured):
        doffin.fetch_release_package(published_from=datetime.date(2025, 1, 1), opener=pytest.fail)


def test_the_key_goes_in_the_subscription_header(settings):
    settings.DOFFIN_API_KEY = "secret-key"
    seen = {}

    def opener(request, timeout):
        seen["key"] = request.get_header("Ocp-apim-subscription-key")
        seen["url"] = request.full_url
        return FakeResponse(PACKAGE)

    stream = doffin.fetch_release_package(published_from=datetime.date(2025, 1, 1), opener=opener)
    assert seen == {"key": "secret-key", "url": "https://api.doffin.no/public/v2/search?issueDateFrom=2025-01-01"}
    assert stream.read() == PACKAGE


@pytest.mark.django_db
def test_command_imports_what_was_fetched(settings, monkeypatch):
    settings.DOFFIN_API_KEY = "secret-key"
    monkeypatch.setattr(doffin.urllib.request, "urlopen", lambda request, timeout: FakeResponse(PACKAGE))
    monkeypatch.setattr(
        "nyskap.procurement.management.commands.fetch_doffin_notices.fetch_release_package",
        lambda published_from: doffin.fetch_release_package(
            published_from=published_from, opener=lambda r, timeout: FakeResponse(PACKAGE)
        ),
    )
    call_command("fetch_doffin_notices", "--since", "2025-01-01")
    assert Notice.objects.count() == 16


@pytest.mark.django_db
def test_command_without_a_key_says_so(settings, monkeypatch):
    monkeypatch.delenv("DOFFIN_API_KEY", raising=False)
    settings.DOFFIN_API_KEY = ""
    with pytest.raises(CommandError, match="DOFFIN_API_KEY"):
        call_command("fetch_doffin_notices", "--since", "2025-01-01")
