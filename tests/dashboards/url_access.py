"""The dashboards' URLs for the URL meta-tests (tests/core/test_url_access.py, test_access_matrix.py)."""

PUBLIC_ALLOW_LIST = [
    "dashboards:home",  # the country's public figures
    "dashboards:choose",  # the lens pickers' target
    "dashboards:definitions",
    "dashboards:lens",  # public figures for everybody, internal ones for the organisation's members
    "dashboards:export_xlsx",
    "dashboards:chart",
    "api-v1:dashboard",
]

SAMPLE_KWARGS = {"panel": "by_phase", "fmt": "svg", "lens": "country"}

# The sample lens slug ("oygarden") and key name no lens: 404 for everybody. The pickers' target without a choice
# is a refused form (400).
# fmt: off
ACCESS_MATRIX = {
    # route                                                        anon  outsi membr editr admin opera suppl
    "dashboards:home":                                            "ok    ok    ok    ok    ok    ok    ok",
    "dashboards:definitions":                                     "ok    ok    ok    ok    ok    ok    ok",
    "dashboards:choose":                                          "400   400   400   400   400   400   400",
    "dashboards:lens":                                            "404   404   404   404   404   404   404",
    "dashboards:export_xlsx":                                     "404   404   404   404   404   404   404",
    "dashboards:chart":                                           "404   404   404   404   404   404   404",
    "api-v1:dashboard":                                           "404   404   404   404   404   404   404",
}
# fmt: on
