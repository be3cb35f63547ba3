"""Every API error has one JSON shape, whatever raised it:

.. code-block:: json

    {"status": 409, "code": "stale_revision", "message": "…", "fields": {}, "data": {…}}

- ``status``: the HTTP status again (for logs that keep only the body);
- ``code``: a stable machine-readable word (``invalid``, ``not_authenticated``,
  ``authentication_failed``, ``permission_denied``, ``not_found``,
  ``method_not_allowed``, ``throttled``, ``stale_revision``, ``assessment_locked``…);
- ``message``: for people, in the request's language (``Accept-Language``);
- ``fields``: for a 400, the messages per input field (``answers.website_own``); else
  empty;
- ``data``: what a program needs to recover, or ``null``: the stored answer on a stale
  revision, the questions left on an incomplete submission, the seconds to wait on a 429.

DRF's exceptions, Django's ``Http404`` and ``PermissionDenied`` (raised by the scoping
and permission modules) and :class:`ApiError` all come out this way; anything else is a
bug and gets Django's 500.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response


class ApiError(exceptions.APIException):
    """An expected refusal with its own ``code`` and, optionally, ``data`` for the caller."""

    def __init__(
        self, *, status_code: int, code: str, message: str, data: Any = None, fields=None
    ) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.data = data
        self.fields = fields or {}


def conflict(code: str, message: str, data: Any = None) -> ApiError:
    return ApiError(status_code=status.HTTP_409_CONFLICT, code=code, message=message, data=data)


def invalid(code: str, message: str, *, fields=None, data: Any = None) -> ApiError:
    return ApiError(
        status_code=status.HTTP_400_BAD_REQUEST,
        code=code,
        message=message,
        fields=fields,
        data=data,
    )


def not_found(message: str | None = None) -> exceptions.NotFound:
    return exceptions.NotFound(message)


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (documented as the ``Error`` schema)."""

    status = serializers.IntegerField(help_text=gettext_lazy("The HTTP status code."))
    code = serializers.CharField(help_text=gettext_lazy("A stable machine-readable code."))
    message = serializers.CharField(help_text=gettext_lazy("What went wrong, for people."))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=gettext_lazy("Messages per input field (400 only; empty otherwise)."),
    )
    data = serializers.JSONField(
        allow_null=True,
        help_text=gettext_lazy("What a program needs to recover (or null)."),
    )

    class Meta:
        ref_name = "Error"


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation details as ``{"a.b.0.c": [messages]}``."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = str(key) if key != "non_field_errors" else ""
            out.update(_flatten(value, f"{prefix}.{name}" if prefix and name else prefix or name))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]} if detail else {}
        out = {}
        for index, item in enumerate(detail):
            out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return out
    return {prefix or "non_field_errors": [str(detail)]}


def error_body(
    *, status_code: int, code: str, message: str, fields=None, data: Any = None
) -> dict[str, Any]:
    return {
        "status": status_code,
        "code": code,
        "message": message,
        "fields": fields or {},
        "data": data,
    }


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every expected error in the one shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    data = None
    if isinstance(exc, ApiError):
        code, message, fields, data = exc.error_code, str(exc.detail), exc.fields, exc.data
    elif isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        fields = _flatten(exc.detail)
        general = fields.pop("non_field_errors", [])
        message = " ".join(general) or _("The request is not valid: see the fields.")
    else:
        code = exc.default_code
        message = str(exc.detail) if not isinstance(exc.detail, dict | list) else str(exc)
        fields = {}
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            wait = int(exc.wait) + 1
            headers["Retry-After"] = str(wait)
            data = {"retry_after": wait}
    body = error_body(
        status_code=exc.status_code, code=code, message=message, fields=fields, data=data
    )
    return Response(body, status=exc.status_code, headers=headers)
