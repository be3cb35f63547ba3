"""The webhook pages: the list of one's endpoints, the form, an endpoint's page with its
delivery log (re-send, test event, secret rotation, enable/disable) and deleting one
(after a confirmation page).

Consultants and staff only (anybody else: 403, like the portfolio); an endpoint is its
owner's and staff's (404 for other consultants). A secret is shown once: the page that
shows it is the POST's answer, never a redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from maturity.models import WebhookEndpoint
from maturity.portfolio.views import consultant_or_staff
from maturity.webhooks import selectors, services
from maturity.webhooks.forms import EndpointForm

DISABLED = gettext_lazy("Enable the endpoint first: a disabled endpoint receives nothing.")


@consultant_or_staff
@require_GET
def endpoint_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "maturity/webhooks/list.html",
        {"endpoints": selectors.endpoints_for(user=request.user)},
    )


def _form_page(
    request: HttpRequest, form: EndpointForm, endpoint: WebhookEndpoint | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "maturity/webhooks/form.html",
        {"form": form, "endpoint": endpoint},
        status=status,
    )


def _detail_page(
    request: HttpRequest, endpoint: WebhookEndpoint, *, secret: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "maturity/webhooks/detail.html",
        {
            "endpoint": endpoint,
            "deliveries": selectors.delivery_log(endpoint=endpoint),
            "event_labels": dict(WebhookEndpoint.Event.choices),
            "secret": secret,
        },
        status=status,
    )


@consultant_or_staff
@require_http_methods(["GET", "POST"])
def endpoint_create(request: HttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return _form_page(request, form, None, status=400)
        try:
            endpoint, secret = services.endpoint_create(user=request.user, **form.cleaned_data)
        except services.WebhookError as exc:
            form.add_error(None, str(exc))
            return _form_page(request, form, None, status=400)
        return _detail_page(request, endpoint, secret=secret, status=201)
    return _form_page(request, form, None)


@consultant_or_staff
@require_GET
def endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.endpoint_get_or_404(user=request.user, pk=pk))


@consultant_or_staff
@require_http_methods(["GET", "POST"])
def endpoint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.endpoint_get_or_404(user=request.user, pk=pk)
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not form.is_valid():
            return _form_page(request, form, endpoint, status=400)
        try:
            services.endpoint_update(endpoint=endpoint, **form.cleaned_data)
        except services.WebhookError as exc:
            form.add_error(None, str(exc))
            return _form_page(request, form, endpoint, status=400)
        messages.success(request, _("The endpoint is saved."))
        return redirect("webhook_detail", endpoint.pk)
    return _form_page(request, form, endpoint)


@consultant_or_staff
@require_http_methods(["GET", "POST"])
def endpoint_secret(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for confirmation (GET: the old secret stops at once), then show the new one."""
    endpoint = selectors.endpoint_get_or_404(user=request.user, pk=pk)
    if request.method == "POST":
        secret = services.endpoint_secret_rotate(endpoint=endpoint)
        return _detail_page(request, endpoint, secret=secret)
    return render(request, "maturity/webhooks/secret.html", {"endpoint": endpoint})


@consultant_or_staff
@require_POST
def endpoint_enable(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.endpoint_get_or_404(user=request.user, pk=pk)
    enabled = request.POST.get("enabled") == "1"
    services.endpoint_enable(endpoint=endpoint, enabled=enabled)
    if enabled:
        messages.success(request, _("The endpoint is enabled: it receives its events again."))
    else:
        messages.success(request, _("The endpoint is disabled: it receives nothing any more."))
    return redirect("webhook_detail", endpoint.pk)


@consultant_or_staff
@require_http_methods(["GET", "POST"])
def endpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.endpoint_get_or_404(user=request.user, pk=pk)
    if request.method == "POST":
        services.endpoint_delete(endpoint=endpoint)
        messages.success(request, _("The endpoint and its delivery log are deleted."))
        return redirect("webhooks")
    return render(request, "maturity/webhooks/delete.html", {"endpoint": endpoint})


@consultant_or_staff
@require_POST
def endpoint_test(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.endpoint_get_or_404(user=request.user, pk=pk)
    try:
        services.delivery_test_send(endpoint=endpoint)
    except services.EndpointDisabled:
        messages.error(request, DISABLED)
    else:
        messages.success(request, _("A test event is on its way: see its delivery below."))
    return redirect("webhook_detail", endpoint.pk)


@consultant_or_staff
@require_POST
def delivery_resend(request: HttpRequest, pk: int, delivery: int) -> HttpResponse:
    endpoint = selectors.endpoint_get_or_404(user=request.user, pk=pk)
    found = selectors.delivery_get_or_404(endpoint=endpoint, pk=delivery)
    try:
        services.delivery_resend(delivery=found)
    except services.EndpointDisabled:
        messages.error(request, DISABLED)
    else:
        messages.success(request, _("The delivery is sent again."))
    return redirect("webhook_detail", endpoint.pk)
