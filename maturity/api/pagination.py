"""Lists come in pages: ``?page=2&page_size=100`` (``API_PAGE_SIZE`` by default, at most
``API_MAX_PAGE_SIZE``), with ``count``, ``next``, ``previous`` and ``results``. A page
that does not exist is a 404."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response


class Pagination(PageNumberPagination):
    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def respond(self, page: Page, request: Request, results: list) -> Response:
        """The paginated response for a page made elsewhere (the portfolio's selector)."""
        self.page, self.request = page, request
        return self.get_paginated_response(results)
