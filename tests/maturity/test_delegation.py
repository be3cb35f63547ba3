"""Delegation: someone of the dealership asks a colleague to answer one step of a draft."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from maturity.assessments.services import NotAColleague, area_delegate
from maturity.models import AreaDelegation, Notification
from tests.factories import ConsultantFactory

pytestmark = pytest.mark.django_db


def _url(draft, area="crm"):
    return reverse("assessment_delegate", args=[draft.dealership_id, draft.pk, area])


def test_the_colleague_gets_an_e_mail_that_leads_to_the_step(
    client, draft, owner, member, eager, django_capture_on_commit_callbacks
):
    member.full_name = "Léa Morel"
    member.save()
    client.force_login(owner)
    assert client.get(_url(draft)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(draft), {"delegate": member.pk, "message": "Tu connais le CRM."}
        )
    step = reverse("assessment_step", args=[draft.dealership_id, draft.pk, "crm"])
    assert response.status_code == 302 and response["Location"] == step
    delegation = AreaDelegation.objects.get()
    assert (delegation.delegate, delegation.requested_by) == (member, owner)
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert message.body.startswith("Bonjour Léa,")
    assert step in message.body
    assert Notification.objects.get().kind == Notification.Kind.AREA_DELEGATED


def test_the_step_and_the_home_show_who_answers_it(client, draft, owner, member):
    area_delegate(assessment=draft, area_key="crm", delegate=member, user=owner)
    client.force_login(owner)
    step = client.get(reverse("assessment_step", args=[draft.dealership_id, draft.pk, "crm"]))
    html = step.content.decode()
    assert f"Répondue par {member.get_full_name()}" in html
    other = client.get(reverse("assessment_step", args=[draft.dealership_id, draft.pk, "website"]))
    assert "Répondue par" not in other.content.decode()
    home = client.get(reverse("dealership_detail", args=[draft.dealership_id]))
    assert home.context["home"].delegations[0][1] == member.get_full_name()


def test_only_the_dealerships_people_are_asked(client, draft, owner, outsider):
    client.force_login(owner)
    response = client.post(_url(draft), {"delegate": outsider.pk})
    assert response.status_code == 400
    assert not AreaDelegation.objects.exists()
    with pytest.raises(NotAColleague):
        area_delegate(assessment=draft, area_key="crm", delegate=ConsultantFactory(), user=owner)


def test_a_consultant_may_not_delegate(client, draft, assigned_consultant, member):
    client.force_login(assigned_consultant)
    assert client.post(_url(draft), {"delegate": member.pk}).status_code == 403


def test_asking_someone_else_replaces_and_withdrawing_clears(client, draft, owner, member):
    area_delegate(assessment=draft, area_key="crm", delegate=member, user=owner)
    client.force_login(member)
    client.post(_url(draft), {"delegate": owner.pk})
    assert AreaDelegation.objects.get().delegate == owner
    client.post(_url(draft), {"withdraw": "1"})
    assert not AreaDelegation.objects.exists()


def test_an_unknown_step_is_a_404(client, draft, owner, member):
    client.force_login(owner)
    assert client.post(_url(draft, "nope"), {"delegate": member.pk}).status_code == 404


def test_a_submitted_assessment_is_not_delegated(client, owner, member, dealership):
    from tests.factories import submitted_assessment

    assessment = submitted_assessment(dealership=dealership, user=owner)
    client.force_login(owner)
    response = client.post(_url(assessment), {"delegate": member.pk})
    assert response.status_code == 409
    assert not AreaDelegation.objects.exists()


def test_a_lonely_owner_is_told_to_invite_first(client, draft, owner):
    client.force_login(owner)
    client.cookies.load({"django_language": "en"})
    html = client.get(_url(draft)).content.decode()
    assert "Nobody else from the dealership has an account yet." in html
    assert reverse("invitation_create", args=[draft.dealership_id]) in html
