"""How the OpenAPI schema describes the API beyond what DRF tells drf-spectacular: the
token scheme, and the error responses every operation may give (all in the ``Error``
shape of ``maturity.api.errors``), so that a client — and schemathesis in our tests —
knows every status an operation can answer."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema

from maturity.api.errors import ErrorSerializer

ERRORS = {
    "400": _("The request is not valid (see `fields`)."),
    "401": _("No token, or a token that is unknown, expired or revoked."),
    "403": _("The token's owner sees this but may not do it."),
    "404": _("Not found, or not yours to see (the same answer for both)."),
    "429": _("Too many requests for this token: wait `Retry-After` seconds."),
}
WRITE_ERRORS = {
    "409": _("The request conflicts with the current state (see `code` and `data`)."),
}


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method not in ("GET", "HEAD"):
            errors.update(WRITE_ERRORS)
        for code, description in errors.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = str(description)
                responses[code] = response
        return responses


class AccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = "maturity.api.authentication.AccessTokenAuthentication"
    name = "accessToken"

    def get_security_definition(self, auto_schema: BaseAutoSchema) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_("A personal access token (dmat_…), created on the account page.")),
        }
