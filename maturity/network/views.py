"""The network dashboard: for network managers (their network) and staff (every network).

Both routes fetch through ``dealers.scoping.networks_for``: anybody else gets a 404, as
for an id that does not exist. The page reads one precomputed row: it never opens a
dealership, and a network manager reaches a dealership's own pages only if they are also
its assigned consultant.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from common.i18n import current_language
from dealers.scoping import get_network_or_404
from maturity.network import presenters, selectors
from maturity.questionnaire.files import current_definition


@login_required
@require_GET
def network_index(request: HttpRequest) -> HttpResponse:
    """Staff: every network; a network manager goes straight to theirs."""
    networks = selectors.network_list(user=request.user)
    if not request.user.is_staff:
        if len(networks) != 1:
            raise Http404
        return redirect("network_dashboard", pk=networks[0].pk)
    return render(request, "maturity/network/index.html", {"networks": networks})


@login_required
@require_GET
def network_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_network_or_404(request.user, pk)
    board = presenters.network_dashboard(
        aggregate=selectors.network_aggregate(network=network),
        definition=current_definition(),
        language=current_language(),
    )
    return render(request, "maturity/network/dashboard.html", {"network": network, "board": board})
