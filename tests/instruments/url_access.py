"""The catalogue's public pages for the URL meta-tests (tests/core/test_url_access.py)."""

PUBLIC_ALLOW_LIST = [
    "instruments:list",
    "instruments:detail",
    "instruments:calls",
    "instruments:matcher",
    "instruments:portfolio",
    "instruments:export_*",
    "instruments:unsubscribe",  # the signed token in the e-mail is the authority
]

SAMPLE_KWARGS = {"project_slug": "no-such-project", "call_id": "1"}
