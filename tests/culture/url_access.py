"""Public URLs of the culture module: the national picture, the methods and the questionnaire."""

PUBLIC_ALLOW_LIST = ["culture:national", "culture:methods", "culture:questionnaire"]
