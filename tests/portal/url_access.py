"""Public URLs of the front door for the URL meta-tests (tests/core/test_url_access.py)."""

PUBLIC_ALLOW_LIST = [
    "portal:home",  # only public content and public figures
]
