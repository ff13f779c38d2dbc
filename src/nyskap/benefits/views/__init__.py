"""Pages of benefit realisation (M5). Thin: parse, check access on the server, call one service or selector, render.

A plan is as visible as its project: a project the user may not see answers 404 (its existence is not revealed); a
plan the user may see but not change answers 403 to changes.

`plans` (a project's plan), `followup` (measurements), `portfolio` and `prevention` (the calculator); `common` holds
what they share.
"""
