"""The owner's page to download (one zip archive) or delete all of a dealership's data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.downloads import temporary_file_response
from common.i18n import normalise_language
from dealers.models import Dealership
from dealers.permissions import can_manage_data
from dealers.scoping import get_scoped_or_404
from maturity.dealership_data.archive import archive_filename, dealership_archive_write
from maturity.dealership_data.forms import DeleteConfirmationForm
from maturity.dealership_data.services import dealership_data_delete


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
def dealership_data_download(request: HttpRequest, pk: int) -> FileResponse:
    """The zip archive, written into a temporary file and streamed from it; its README in
    the requester's language (the one their e-mails are written in)."""
    dealership = _owned_dealership(request, pk)
    language = normalise_language(request.user.language)
    return temporary_file_response(
        lambda target: dealership_archive_write(
            dealership=dealership, requested_by=request.user, language=language, target=target
        ),
        filename=archive_filename(dealership, language=language),
        content_type="application/zip",
    )


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
