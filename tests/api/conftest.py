"""Fixtures for the API tests: a token for any user, and a client that sends it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.factories import token_for


class Api:
    """A test client that calls the API with one token (or none) and JSON bodies."""

    def __init__(self, client: Client, secret: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def _call(self, method: str, url: str, body: Any = None, **extra: Any):
        kwargs: dict[str, Any] = {"headers": {**self.headers, **extra.pop("headers", {})}}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(url, **kwargs, **extra)

    def get(self, url: str, **extra: Any):
        return self._call("get", url, **extra)

    def post(self, url: str, body: Any = None, **extra: Any):
        return self._call("post", url, body, **extra)

    def put(self, url: str, body: Any = None, **extra: Any):
        return self._call("put", url, body, **extra)

    def patch(self, url: str, body: Any = None, **extra: Any):
        return self._call("patch", url, body, **extra)


@pytest.fixture
def api_as(client):
    """``api_as(user)``: an API client with a new token of ``user`` (``None``: no token)."""

    def make(user) -> Api:
        return Api(client, token_for(user) if user is not None else None)

    return make


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The response is an error of the documented shape with this status (and code)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "code", "message", "fields", "data"}, body
    assert body["status"] == status and body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body
