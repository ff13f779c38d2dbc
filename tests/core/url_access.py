"""Samples for the URL meta-tests: background jobs and API tasks are named by a UUID (no such job)."""

SAMPLE_KWARGS = {
    "job_id": "00000000-0000-4000-8000-000000000000",
    "task_id": "00000000-0000-4000-8000-000000000000",
}
