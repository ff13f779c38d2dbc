"""Pages of the instrument catalogue (M2). Thin: parse, check access on the server, call one service or selector,
render. The catalogue, calls, matcher and portfolio are public; writes need the instrument-owner role (instruments
and calls), the right to change the project (its use of instruments) or an organisation's admin role (granting
the owner role).

`catalogue` (instruments and calls), `matcher` (with saved profiles), `portfolio` (with the exports), `uses` (a
project's use of instruments) and `owners` (the instrument-owner role); `common` holds what they share.
"""
