"""The owner's page to export or delete all of a dealership's data."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dealers.models import Dealership
from dealers.permissions import can_manage_data
from dealers.scoping import get_scoped_or_404
from maturity.dealership_data.forms import DeleteConfirmationForm
from maturity.dealership_data.services import dealership_data_delete, dealership_data_export


def _owned_dealership(request: HttpRequest, pk: int) -> Dealership:
    """The dealership, if the user is its owner (or staff); 403 for its other people."""
    dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
    if not can_manage_data(user=request.user, dealership=dealership):
        raise PermissionDenied
    return dealership


@login_required
@require_GET
def dealership_data(request: HttpRequest, pk: int) -> HttpResponse:
    dealership = _owned_dealership(request, pk)
    form = DeleteConfirmationForm(dealership=dealership)
    return render(
        request, "maturity/dealership_data/page.html", {"dealership": dealership, "form": form}
    )


@login_required
@require_GET
def dealership_data_download(request: HttpRequest, pk: int) -> HttpResponse:
    dealership = _owned_dealership(request, pk)
    document = dealership_data_export(dealership=dealership)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json"
    )
    filename = f"donnees-{slugify(dealership.name)}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def dealership_data_erase(request: HttpRequest, pk: int) -> HttpResponse:
    dealership = _owned_dealership(request, pk)
    form = DeleteConfirmationForm(request.POST, dealership=dealership)
    if not form.is_valid():
        return render(
            request,
            "maturity/dealership_data/page.html",
            {"dealership": dealership, "form": form},
            status=400,
        )
    name = dealership.name
    dealership_data_delete(dealership=dealership, user=request.user)
    messages.success(request, _("All the data of %(name)s has been deleted.") % {"name": name})
    return redirect("home")
