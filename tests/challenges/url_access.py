"""The challenges' URLs for the URL meta-tests (tests/core/test_url_access.py, test_access_matrix.py)."""

PUBLIC_ALLOW_LIST = [
    "challenges:list",  # the open challenges (drafts only for their owners)
    "challenges:detail",  # an open challenge, or 404
    "challenges:attachment",  # an open challenge's attachment, or 404
    "challenges:outcomes",  # the public outcome table
    "challenges:outcomes_csv",
    "api-v1:challenge_list",
    "api-v1:challenge_create",  # the same path as the list; the POST needs a token
    "api-v1:challenge_detail",
]

SAMPLE_KWARGS = {"action": "open_dialogue", "decision": "godta"}

# Who gets what (the sample slug names no challenge: 404 for whoever may look; writes need a sign-in, then POST only).
# fmt: off
ACCESS_MATRIX = {
    # route                                                        anon  outsi membr editr admin opera suppl
    "api-v1:challenge_list":                                      "ok    ok    ok    ok    ok    ok    ok",
    "api-v1:challenge_create":                                    "ok    ok    ok    ok    ok    ok    ok",
    "api-v1:challenge_detail":                                    "404   404   404   404   404   404   404",
    "challenges:list":                                            "ok    ok    ok    ok    ok    ok    ok",
    "challenges:create":                                          "login ok    403   ok    ok    403   403",
    "challenges:outcomes":                                        "ok    ok    ok    ok    ok    ok    ok",
    "challenges:outcomes_csv":                                    "ok    ok    ok    ok    ok    ok    ok",
    "challenges:follows":                                         "login ok    ok    ok    ok    ok    ok",
    "challenges:unfollow":                                        "login 405   405   405   405   405   405",
    "challenges:detail":                                          "404   404   404   404   404   404   404",
    "challenges:attachment":                                      "404   404   404   404   404   404   404",
    "challenges:edit":                                            "login 404   404   404   404   404   404",
    "challenges:transition":                                      "login 405   405   405   405   405   405",
    "challenges:not_awarded":                                     "login 404   404   404   404   404   404",
    "challenges:outcome":                                         "login 404   404   404   404   404   404",
    "challenges:stage":                                           "login 404   404   404   404   404   404",
    "challenges:join":                                            "login 404   404   404   404   404   404",
    "challenges:join_decide":                                     "login 405   405   405   405   405   405",
    "challenges:ask":                                             "login 404   404   404   404   404   404",
    "challenges:answer":                                          "login 404   404   404   404   404   404",
    "challenges:proposal":                                        "login 404   404   404   404   404   404",
    "challenges:proposal_withdraw":                               "login 405   405   405   405   405   405",
    "challenges:proposal_view":                                   "login 404   404   404   404   404   404",
    "challenges:proposal_attachment":                             "login 404   404   404   404   404   404",
    "challenges:proposal_operator_read":                          "login 404   404   404   404   404   404",
    "challenges:evaluation":                                      "login 404   404   404   404   404   404",
    "challenges:score":                                           "login 404   404   404   404   404   404",
    "challenges:shortlist":                                       "login 405   405   405   405   405   405",
    # The admin: operators only; proposals are read-only metadata (no add, no change of content).
    "admin:challenges_challenge_add":                             "login login login login login ok    login",
    "admin:challenges_challenge_change":                          "login login login login login go    login",
    "admin:challenges_challenge_changelist":                      "login login login login login ok    login",
    "admin:challenges_challenge_delete":                          "login login login login login go    login",
    "admin:challenges_challenge_history":                         "login login login login login go    login",
    "admin:challenges_outcome_add":                               "login login login login login ok    login",
    "admin:challenges_outcome_change":                            "login login login login login go    login",
    "admin:challenges_outcome_changelist":                        "login login login login login ok    login",
    "admin:challenges_outcome_delete":                            "login login login login login go    login",
    "admin:challenges_outcome_history":                           "login login login login login go    login",
    "admin:challenges_proposal_add":                              "login login login login login 403   login",
    "admin:challenges_proposal_change":                           "login login login login login go    login",
    "admin:challenges_proposal_changelist":                       "login login login login login ok    login",
    "admin:challenges_proposal_delete":                           "login login login login login go    login",
    "admin:challenges_proposal_history":                          "login login login login login go    login",
    "admin:challenges_proposalaccess_add":                        "login login login login login 403   login",
    "admin:challenges_proposalaccess_change":                     "login login login login login go    login",
    "admin:challenges_proposalaccess_changelist":                 "login login login login login ok    login",
    "admin:challenges_proposalaccess_delete":                     "login login login login login 403   login",
    "admin:challenges_proposalaccess_history":                    "login login login login login go    login",
    "admin:challenges_question_add":                              "login login login login login ok    login",
    "admin:challenges_question_change":                           "login login login login login go    login",
    "admin:challenges_question_changelist":                       "login login login login login ok    login",
    "admin:challenges_question_delete":                           "login login login login login go    login",
    "admin:challenges_question_history":                          "login login login login login go    login",
    "admin:challenges_sharedneed_add":                            "login login login login login ok    login",
    "admin:challenges_sharedneed_change":                         "login login login login login go    login",
    "admin:challenges_sharedneed_changelist":                     "login login login login login ok    login",
    "admin:challenges_sharedneed_delete":                         "login login login login login go    login",
    "admin:challenges_sharedneed_history":                        "login login login login login go    login",
    "admin:challenges_supplierfollow_add":                        "login login login login login ok    login",
    "admin:challenges_supplierfollow_change":                     "login login login login login go    login",
    "admin:challenges_supplierfollow_changelist":                 "login login login login login ok    login",
    "admin:challenges_supplierfollow_delete":                     "login login login login login go    login",
    "admin:challenges_supplierfollow_history":                    "login login login login login go    login",
}
# fmt: on
