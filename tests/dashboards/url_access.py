"""The dashboards' URLs for the URL meta-tests (tests/core/test_url_access.py, test_access_matrix.py)."""

PUBLIC_ALLOW_LIST = [
    "dashboards:home",  # the country's public figures
    "dashboards:choose",  # the organisation search, and the lens pickers' target
    "dashboards:definitions",
    "dashboards:lens",  # public figures for everybody, internal ones for the organisation's members
    "dashboards:export_xlsx",
    "dashboards:chart",
    "api-v1:dashboard",
]

SAMPLE_KWARGS = {"panel": "by_phase", "fmt": "svg", "lens": "country"}

# The sample lens slug ("oygarden") and key name no lens: 404 for everybody. The pickers' target without a choice
# is the organisation search page. Who sees which figures of a real lens: tests/dashboards/test_pages.py.
# fmt: off
ACCESS_MATRIX = {
    # route                                                        anon  outsi membr editr admin opera suppl
    "dashboards:home":                                            "ok    ok    ok    ok    ok    ok    ok",
    "dashboards:definitions":                                     "ok    ok    ok    ok    ok    ok    ok",
    "dashboards:choose":                                          "ok    ok    ok    ok    ok    ok    ok",
    "dashboards:lens":                                            "404   404   404   404   404   404   404",
    "dashboards:export_xlsx":                                     "404   404   404   404   404   404   404",
    "dashboards:chart":                                           "404   404   404   404   404   404   404",
    "api-v1:dashboard":                                           "404   404   404   404   404   404   404",
}
# fmt: on
