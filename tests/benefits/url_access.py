"""Public URLs of benefit realisation for the URL meta-tests (tests/core/test_url_access.py)."""

PUBLIC_ALLOW_LIST = [
    "benefits:portfolio",  # aggregates over the plans the visitor may see
    "benefits:prevention",  # a calculator over the visitor's own figures; example sets are public
    "benefits:plan",  # the project's visibility decides (404 otherwise)
    "benefits:plan_version",
    "benefits:export_xlsx",
    "benefits:export_pdf",
]

SAMPLE_KWARGS = {"version": "1", "benefit_id": "1"}
