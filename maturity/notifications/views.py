"""A person's notifications: the list, opening one (it is then read), their settings.

Everyone logged in has a list; nobody sees anybody else's (404). Opening and "mark all as
read" are POST: a GET never changes anything.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.http import safe_next_url
from common.i18n import current_language
from maturity.notifications import presenters, selectors, services
from maturity.notifications.forms import PreferencesForm

PAGE_SIZE = 30


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_of(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    language = current_language()
    lines = [presenters.line(n, language) for n in page.object_list]
    return render(
        request,
        "maturity/notifications/list.html",
        {"page": page, "lines": lines, "unread": selectors.unread_count(user=request.user)},
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_get(user=request.user, pk=pk)
    if request.method != "POST":  # after the lookup: someone else's id is a 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    services.notification_read(notification=notification)
    return redirect(safe_next_url(request, notification.url, default=reverse("notifications")))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(user=request.user)
    if count:
        messages.success(request, _("Every notification is marked as read."))
    return redirect("notifications")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    kinds = selectors.kinds_for(request.user)
    current = selectors.preferences_of(user=request.user)
    form = PreferencesForm(request.POST or None, kinds=kinds, current=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Saved: you will hear about each event as you chose."))
        return redirect("notification_settings")
    return render(
        request,
        "maturity/notifications/settings.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
