"""The barometer's URLs for the URL meta-tests (tests/core/test_url_access.py, test_access_matrix.py)."""

PUBLIC_ALLOW_LIST = [
    "barometer:overview",  # published rounds and the published national and Nordic figures
    "barometer:results",  # published rounds only (404 otherwise; a closed round for its owner's editors)
    "barometer:results_csv",
    "barometer:results_xlsx",
    "barometer:trends",  # the published rounds' own figures over time, published rounds only
    "api-v1:barometer_estimate",  # a calculator: nothing stored, nothing read
]

# Who gets what (the sample pk names no round: 404 for whoever may look; writes need a sign-in, then POST only).
# fmt: off
ACCESS_MATRIX = {
    # route                                                        anon  outsi membr editr admin opera suppl
    "api-v1:barometer_estimate":                                  "405   405   405   405   405   405   405",
    "barometer:overview":                                         "ok    ok    ok    ok    ok    ok    ok",
    "barometer:trends":                                           "ok    ok    ok    ok    ok    ok    ok",
    "barometer:create":                                           "login ok    403   ok    ok    403   403",
    "barometer:round":                                            "login 404   404   404   404   404   404",
    "barometer:frame":                                            "login 405   405   405   405   405   405",
    "barometer:frame_reference":                                  "login 405   405   405   405   405   405",
    "barometer:sample":                                           "login 405   405   405   405   405   405",
    "barometer:import":                                           "login 405   405   405   405   405   405",
    "barometer:fieldwork":                                        "login 405   405   405   405   405   405",
    "barometer:remind":                                           "login 405   405   405   405   405   405",
    "barometer:close":                                            "login 405   405   405   405   405   405",
    "barometer:publish":                                          "login 405   405   405   405   405   405",
    "barometer:results":                                          "404   404   404   404   404   404   404",
    "barometer:organisation_results":                             "login 404   404   404   404   404   404",
    "barometer:organisation_results_csv":                         "login 404   404   404   404   404   404",
    "barometer:results_csv":                                      "404   404   404   404   404   404   404",
    "barometer:results_xlsx":                                     "404   404   404   404   404   404   404",
    "barometer:results_pdf":                                      "login 404   404   404   404   404   404",
    "barometer:microdata":                                        "login 404   404   404   404   404   404",
}
# fmt: on
