"""Public URLs of the survey engine: respondents answer without an account (the link is the authority)."""

PUBLIC_ALLOW_LIST = ["surveys:respond", "surveys:resume", "surveys:thanks", "surveys:privacy"]

SAMPLE_KWARGS = {"secret": "no-such-secret", "round_id": "1"}
