"""Who may open which object URL: a matrix of roles x routes.

Every route whose URL carries an object id must have a case here; the first test fails
when a new route is added without one. Expected outcomes:

- a role in ``allowed`` gets a page (status below 400, not the login redirect);
- a role in ``forbidden`` sees the object but may not do this: 403;
- ``anonymous`` is sent to the login page;
- every other role gets 404, exactly like an id that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = (
    "owner",
    "member",
    "outsider",
    "assigned_consultant",
    "unassigned_consultant",
    "staff",
    "anonymous",
)

# Routes that carry a secret token rather than an object id: the token is the
# authorisation, and their own tests cover reuse and expiry.
TOKEN_ROUTES = {"invitation_accept", "password_reset_confirm"}


@dataclass
class World:
    """The objects the routes point at, all belonging to ``dealership``."""

    dealership: object
    users: dict[str, object]
    objects: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    url: Callable[[World], str]
    allowed: frozenset[str]
    forbidden: frozenset[str] = frozenset()
    method: str = "GET"
    data: Callable[[World], dict] | None = None


EVERYONE_WHO_SEES = frozenset({"owner", "member", "assigned_consultant", "staff"})

CASES: dict[str, Case] = {
    "dealership_detail": Case(
        url=lambda w: reverse("dealership_detail", args=[w.dealership.pk]),
        allowed=EVERYONE_WHO_SEES,
    ),
    "invitation_create": Case(
        url=lambda w: reverse("invitation_create", args=[w.dealership.pk]),
        allowed=frozenset({"owner", "assigned_consultant", "staff"}),
        forbidden=frozenset({"member"}),
    ),
}


def _object_routes() -> set[str]:
    """Names of every project route (admin aside) whose pattern takes a parameter."""
    found: set[str] = set()

    def walk(patterns: list, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace != "admin":
                pattern = entry.pattern
                params = getattr(pattern, "converters", {}) or getattr(
                    getattr(pattern, "regex", None), "groupindex", {}
                )
                if params and entry.name:
                    found.add(entry.name)

    walk(get_resolver().url_patterns, None)
    return found


def test_it_has_a_case_for_every_route_that_takes_an_id():
    missing = _object_routes() - set(CASES) - TOKEN_ROUTES
    assert not missing, f"Add authorisation cases for: {sorted(missing)}"


@pytest.fixture
def world(
    dealership, owner, member, outsider, assigned_consultant, unassigned_consultant, staff
) -> World:
    users = {
        "owner": owner,
        "member": member,
        "outsider": outsider,
        "assigned_consultant": assigned_consultant,
        "unassigned_consultant": unassigned_consultant,
        "staff": staff,
        "anonymous": None,
    }
    return World(dealership=dealership, users=users)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(CASES))
def test_it_scopes_every_object_route(client, world, route, role):
    case = CASES[route]
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.get(url) if case.method == "GET" else client.post(url, data)

    if role in case.allowed:
        assert response.status_code < 400, (route, role, response.status_code)
        assert "/accounts/login/" not in response.headers.get("Location", "")
    elif role == "anonymous":
        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("login"))
    elif role in case.forbidden:
        assert response.status_code == 403, (route, role, response.status_code)
    else:
        assert response.status_code == 404, (route, role, response.status_code)


@pytest.mark.parametrize("route", sorted(CASES))
def test_it_answers_404_for_an_id_that_does_not_exist(client, world, route):
    """Guessing the next id gives the same answer as someone else's object."""
    client.force_login(world.users["staff"])
    url = CASES[route].url(world)
    pk = str(world.dealership.pk)
    guessed = url.replace(f"/{pk}/", f"/{int(pk) + 10_000}/", 1)
    assert guessed != url
    assert client.get(guessed).status_code == 404
