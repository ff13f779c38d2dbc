"""Helpers for pages whose work runs as a background job (the test settings run jobs at once)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client


def file_via_job(client: Client, url: str, **extra: Any) -> Any:
    """Ask for ``url``, which answers with a job's progress page; check that the page offers the finished file,
    and download it as the user would."""
    response = client.get(url, **extra)
    assert response.status_code == 302, response.status_code
    job_path = response["Location"]
    assert re.fullmatch(r"/oppgaver/[0-9a-f-]{36}/", job_path), job_path
    page = client.get(job_path, **extra)
    assert page.status_code == 200
    assert f'href="{job_path}fil/"' in page.content.decode()
    return client.get(f"{job_path}fil/", **extra)
