"""The procurement statistics' URLs for the URL meta-tests (tests/core/test_url_access.py, test_access_matrix.py)."""

PUBLIC_ALLOW_LIST = [
    "procurement:statistics",  # public statistics over public notices
    "api-v1:procurement_classify",  # a calculation on the caller's own codes; nothing stored
]

# The import is the operators' alone: an outsider (or any other signed-in user) is refused.
# fmt: off
ACCESS_MATRIX = {
    # route                                                        anon  outsi membr editr admin opera suppl
    "procurement:statistics":                                     "ok    ok    ok    ok    ok    ok    ok",
    "procurement:imports":                                        "login 403   403   403   403   ok    403",
    "procurement:import_detail":                                  "login 403   403   403   403   404   403",
    "api-v1:procurement_classify":                                "405   405   405   405   405   405   405",
}
# fmt: on
