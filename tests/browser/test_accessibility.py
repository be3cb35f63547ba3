"""Every page of every role passes axe-core at desktop and phone width, and is photographed.

The pages are the project's own routes, as ``tests/test_every_route.py`` walks them: routes
without parameters plus every object route of the authorisation matrix, each opened by the
roles that may see it (a page that answers anything but an HTML 200 to a role, an export or
a redirect, is not that role's page). Staff also walk the admin (its index, a list and a
change form: the product's templates dress it), and the network manager's dashboard shows
figures (aggregates rebuilt over five assessed dealerships), not only its empty state.
Each page is checked with axe-core (bundled by ``axe-playwright-python``) at 1366×768 and
390×844; any violation of impact "serious" or "critical" fails the test, with the rule,
the page and the elements named.

A full-page screenshot of each page at both widths goes to
``test-artifacts/screenshots/pages/<role>/<route>-<width>.png``: what a designer reviews.

One live server (pytest-django's, per session) and one browser for the whole module; each
role gets its own context (cookies) and its own world of objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from tests.browser.conftest import ARGS, CHROMIUM, SHOTS, needs_chromium
from tests.factories import DealershipFactory, submitted_assessment
from tests.test_authorization_matrix import CASES, TOKEN_ROUTES, world  # noqa: F401 - fixture
from tests.test_every_route import NOT_PAGES, _routes, _url

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, needs_chromium]

WIDTHS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
ROLES = ("owner", "member", "assigned_consultant", "staff", "network_manager", "anonymous")
# Fewest pages a role must have for the walk to mean something (a network manager has the
# network dashboard and their account pages, not the dealership pages).
MIN_PAGES = {"anonymous": 3, "network_manager": 4}
# Pages that are not ours to fix: the API's interactive documentation is Swagger UI's.
NOT_OURS = {"api_docs"}
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def module_browser() -> Iterator[Browser]:
    """One headless Chromium for every role of the module."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _admin_pages(world) -> dict[str, str]:  # noqa: F811
    """The admin pages staff open most: the index, a list with its filters, a change form."""
    return {
        "admin_index": reverse("admin:index"),
        "admin_dealership_changelist": reverse("admin:dealers_dealership_changelist"),
        "admin_dealership_change": reverse(
            "admin:dealers_dealership_change", args=[world.dealership.pk]
        ),
        "admin_user_change": reverse("admin:dealers_user_change", args=[world.users["owner"].pk]),
    }


def _seed_network(world) -> None:  # noqa: F811
    """Enough assessed dealerships in the manager's network for its figures to show."""
    from maturity.network.services import network_aggregate_rebuild

    network = world.objects["network"]
    for number, persona in enumerate("abcde"):
        shop = DealershipFactory(name=f"Concession du réseau {number + 1}", region="bre")
        submitted_assessment(dealership=shop, persona=persona)
        network.dealerships.add(shop)
    network_aggregate_rebuild()


def _pages(client, world, role: str) -> dict[str, str]:  # noqa: F811
    """Route name -> URL of every HTML page ``role`` gets a 200 for."""
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    pages = {}
    if role == "staff":
        # The demo's staff member administers everything, as its admin@ login does.
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
        for name, url in _admin_pages(world).items():
            response = client.get(url)
            assert response.status_code == 200, (name, response.status_code)
            pages[name] = url
    for name, takes_params in _routes():
        if name in NOT_PAGES or name in TOKEN_ROUTES or name in NOT_OURS:
            continue
        case = CASES.get(name)
        if case is not None and (case.api or case.method != "GET"):
            continue
        url = _url(name, takes_params, world)
        if url is None or url.startswith("/api/"):
            continue
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        # An htmx fragment (a status that polls) is part of its page, not a page.
        if b"<html" in response.content[:200]:
            pages[name] = url
    return pages


def _violations(page) -> list[str]:
    """The serious and critical axe-core violations of the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
        found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


def _cut_or_unhinted(page, width: str) -> list[str]:
    """Wide boxes: none scrolls sideways at desktop width (a cut column), and on a phone
    each one that does says so above it."""
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.table-responsive, .heatmap-scroll')]
            .filter(b => b.offsetParent !== null)
            .map(b => ({sideways: b.scrollWidth > b.clientWidth + 1,
                        hinted: !!(b.previousElementSibling
                                   && b.previousElementSibling.classList.contains('scroll-hint')),
                        focusable: b.tabIndex === 0,
                        heatmap: b.classList.contains('heatmap-scroll')}))"""
    )
    problems = []
    for box in boxes:
        if box["sideways"] and width == "desktop" and not box["heatmap"]:
            problems.append("a table is wider than the page at 1366 px: a column is cut")
        if box["sideways"] and not (box["hinted"] and box["focusable"]):
            problems.append("a box scrolls sideways without a hint or keyboard access")
    return problems


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db(transaction=True)
def test_it_has_no_serious_accessibility_violation_on_any_page(
    live_server,
    module_browser,
    client,
    world,  # noqa: F811
    role,
):
    if role == "network_manager":
        _seed_network(world)
    pages = _pages(client, world, role)
    assert len(pages) >= MIN_PAGES.get(role, 15), pages

    context = module_browser.new_context(locale="fr-FR", viewport=WIDTHS["desktop"])
    if role != "anonymous":
        session = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    failures = []
    try:
        for name, url in sorted(pages.items()):
            page.goto(live_server.url + url, wait_until="load")
            for width, viewport in WIDTHS.items():
                page.set_viewport_size(viewport)
                page.wait_for_timeout(250)  # app.js re-marks scrolling boxes after a resize
                shot = SHOTS / "pages" / role / f"{name}-{width}.png"
                shot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shot), full_page=True)
                failures += [f"{name} [{width}] {v}" for v in _violations(page)]
                failures += [f"{name} [{width}] {v}" for v in _cut_or_unhinted(page, width)]
    finally:
        context.close()
    if role == "network_manager":
        # The dashboard was walked with its figures, not its empty state.
        page_text = client.get(pages["network_dashboard"]).content.decode()
        assert "<table" in page_text or "<svg" in page_text
    assert not failures, "\n".join(failures)
