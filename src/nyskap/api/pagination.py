"""Page-number pagination that returns ``count``, ``next``, ``previous`` and ``results``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class PageNumberPagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=100000, description="Page number, from 1.")
        page_size: int = Field(50, ge=1, le=200, description="Results per page (1–200).")

    class Output(Schema):
        count: int
        next: str | None
        previous: str | None
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any) -> Any:
        offset = (pagination.page - 1) * pagination.page_size
        count = queryset.count()
        results = list(queryset[offset : offset + pagination.page_size])

        def link(page: int) -> str:
            query = request.GET.copy()
            query["page"] = str(page)
            query["page_size"] = str(pagination.page_size)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return {
            "count": count,
            "next": link(pagination.page + 1) if offset + pagination.page_size < count else None,
            "previous": link(pagination.page - 1)
            if pagination.page > 1 and offset - pagination.page_size < count
            else None,
            "results": results,
        }
