"""Walk every route of the product with GET.

- Every HTML response carries the Content-Security-Policy (no inline script, scripts
  from our own static files only, no plugins, no <base>, no framing).
- No GET changes anything in the database: state changes are POST only, behind CSRF
  (the API's are POST, PUT or PATCH, behind a token; its GETs are walked with one).

Object routes take their URLs from the authorisation matrix, so a new route is walked
as soon as it has its authorisation case.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core import serializers
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.test_authorization_matrix import (  # noqa: F401 - world is a fixture
    CASES,
    TOKEN_ROUTES,
    Case,
    call,
    route_of,
    world,
)

# Tables that a GET legitimately writes to: the session (idle-timeout stamp), the login
# throttling log and the API tokens' "last used" stamp.
VOLATILE = {
    "sessions.Session",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "dealers.PersonalAccessToken",
}

# Routes that do not answer a plain GET with a page of ours.
NOT_PAGES = {"logout", "set_language", "password_reset_confirm", "invitation_accept"}


def _routes() -> list[tuple[str, bool]]:
    """(name, takes parameters) for every named project route outside the admin."""
    found: list[tuple[str, bool]] = []

    def has_params(pattern) -> bool:
        return bool(
            getattr(pattern, "converters", {})
            or getattr(getattr(pattern, "regex", None), "groupindex", {})
        )

    def walk(patterns: list, namespace: str | None, inherited: bool) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                # A prefix with a parameter (allauth's ``oidc/<provider_id>/``) gives it to
                # every route below.
                walk(
                    entry.url_patterns,
                    entry.namespace or namespace,
                    inherited or has_params(entry.pattern),
                )
            elif isinstance(entry, URLPattern) and entry.name and namespace != "admin":
                found.append((entry.name, inherited or has_params(entry.pattern)))

    walk(get_resolver().url_patterns, None, False)
    return sorted(set(found))


def _url(name: str, takes_params: bool, w) -> str | None:
    if not takes_params:
        return reverse(name)
    case = CASES.get(name)
    return case.url(w) if case else None


def _database_state() -> dict[str, str]:
    state = {}
    for model in apps.get_models():
        if model._meta.label in VOLATILE or model._meta.proxy:
            continue
        state[model._meta.label] = serializers.serialize("json", model.objects.order_by("pk"))
    return state


@pytest.mark.parametrize(
    "role", ["owner", "assigned_consultant", "network_manager", "staff", "anonymous"]
)
def test_it_sends_the_csp_and_changes_nothing_on_get(client, world, role):  # noqa: F811
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    # Build every URL first: the matrix creates some objects (a report, a result) the
    # first time a URL asks for them.
    urls = {name: _url(name, params, world) for name, params in _routes()}
    before = _database_state()
    walked = 0
    for name, url in sorted(urls.items()):
        if name in NOT_PAGES or name in TOKEN_ROUTES or url is None:
            continue
        case = CASES.get(name)
        if case is not None and case.api:
            # The API with the role's token (it refuses a session).
            response = call(client, Case(url=case.url, allowed=frozenset(), api=True), world, role)
        else:
            response = client.get(url)
        walked += 1
        if response.headers.get("Content-Type", "").startswith("text/html"):
            policy = response.headers.get("Content-Security-Policy", "")
            assert "script-src 'self'" in policy, (name, policy)
            assert "'unsafe-inline'" not in policy, name
            for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
                assert directive in policy, (name, directive)
    assert walked > 20
    after = _database_state()
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"A GET changed {changed}"


def test_it_refuses_get_on_every_post_only_route(client, world):  # noqa: F811
    readable = {route_of(name) for name, case in CASES.items() if case.method == "GET"}
    for name, case in CASES.items():
        if case.method != "GET" and route_of(name) not in readable:
            role = sorted(case.allowed)[0]
            as_get = Case(url=case.url, allowed=case.allowed, api=case.api)
            response = call(client, as_get, world, role)
            assert response.status_code == 405, (name, role, response.status_code)


def test_it_has_no_inline_script_or_style_in_pages(client, world):  # noqa: F811
    client.force_login(world.users["staff"])
    urls = {name: _url(name, params, world) for name, params in _routes()}
    for name, url in sorted(urls.items()):
        if name in NOT_PAGES or name in TOKEN_ROUTES or url is None:
            continue
        response = client.get(url)
        if not response.headers.get("Content-Type", "").startswith("text/html"):
            continue
        page = response.content.decode()
        assert "<script>" not in page and "<script " not in page.replace("<script src=", ""), name
        assert " style=" not in page, name
        assert "<style" not in page, name
        assert " onclick=" not in page and " onload=" not in page, name
