"""The trials registry's URLs for the URL meta-tests (tests/core/test_url_access.py, test_access_matrix.py)."""

PUBLIC_ALLOW_LIST = [
    "trials:list",  # the trials the visitor may see
    "trials:detail",  # the trial's visibility decides (404 otherwise)
    "trials:export_csv",  # public trials only
    "trials:export_xlsx",
    "trials:statistics",  # of the trials the visitor may see
    "trials:sandboxes",  # the sandboxes are public schemes
    "trials:sandbox",  # with the admitted projects the visitor may see
    "api-v1:trial_list",
    "api-v1:trial_detail",
]

SAMPLE_KWARGS = {"action": "start"}

# Who gets what (the sample slug names no trial: 404 for whoever may look; writes need a sign-in, then POST only).
# fmt: off
ACCESS_MATRIX = {
    # route                                                        anon  outsi membr editr admin opera suppl
    "api-v1:trial_list":                                          "ok    ok    ok    ok    ok    ok    ok",
    "api-v1:trial_detail":                                        "404   404   404   404   404   404   404",
    "trials:list":                                                "ok    ok    ok    ok    ok    ok    ok",
    "trials:export_csv":                                          "ok    ok    ok    ok    ok    ok    ok",
    "trials:export_xlsx":                                         "ok    ok    ok    ok    ok    ok    ok",
    "trials:statistics":                                          "ok    ok    ok    ok    ok    ok    ok",
    "trials:sandboxes":                                           "ok    ok    ok    ok    ok    ok    ok",
    "trials:sandbox":                                             "404   404   404   404   404   404   404",
    "trials:exemptions":                                          "login 404   404   404   404   404   404",
    "trials:exemption_remove":                                    "login 405   405   405   405   405   405",
    "trials:sandbox_participation":                               "login 404   404   404   404   404   404",
    "trials:create":                                              "login ok    403   ok    ok    ok    403",
    "trials:detail":                                              "404   404   404   404   404   404   404",
    "trials:decide":                                              "login 404   404   404   404   404   404",
    "trials:approval":                                            "login 404   404   404   404   404   404",
    "trials:edit":                                                "login 404   404   404   404   404   404",
    "trials:results":                                             "login 404   404   404   404   404   404",
    "trials:report":                                              "login 405   405   405   405   405   405",
    "trials:transition":                                          "login 405   405   405   405   405   405",
}
# fmt: on
