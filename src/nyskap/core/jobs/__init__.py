"""Background jobs: long work (imports, large exports, PDF reports) run by a task worker while the user watches a
progress page, with the result kept for its owner only.

An app plugs in a kind of job with `registry.register` (a handler that takes the job and a `Progress` and returns a
`JobOutput`); `services.job_start` records the job and queues it; `tasks.run_job` runs it in the worker. Imports
("file in → result or problems") have a ready-made helper in `imports`.
"""
