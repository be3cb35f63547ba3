"""No answer lost, none overwritten silently, nothing bad stored."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from maturity.assessments.services import (
    AnswerConflict,
    AssessmentLocked,
    UnknownQuestion,
    answer_save,
    assessment_start,
    assessment_submit,
)
from maturity.models import Answer, Assessment
from tests.factories import PASSWORD
from tests.maturity.conftest import (
    HTMX,
    answer_url,
    fill,
    persona_answers,
    revision,
    step_url,
    stored,
)

# --- two people, one draft ---------------------------------------------------------------------


def test_a_stale_autosave_is_refused_showing_who_changed_what(
    client, draft, owner, member, english
):
    member.full_name = "Léa Morel"
    member.save()
    fill(draft, {"website_own": "own_site"}, member)  # revision 1, by Léa
    client.force_login(owner)

    response = client.post(  # the owner's page still shows "no answer" (revision 0)
        answer_url(draft, "website_own"),
        {"q-website_own": "locator_only", "rev-website_own": "0"},
        **HTMX,
    )

    assert response.status_code == 409
    html = response.content.decode()
    label = draft.version.definition.question("website_own").option("own_site").label.en
    assert "Léa Morel" in html and escape(label) in html
    assert "save again" in html
    # The page now holds the current revision: saving again is a deliberate choice.
    assert 'id="rev-website_own" name="rev-website_own" value="1" hx-swap-oob="true"' in html
    assert stored(draft) == {"website_own": "own_site"}
    assert Answer.objects.get(assessment=draft).updated_by == member


def test_saving_again_after_a_conflict_keeps_the_second_answer(client, draft, owner, member):
    fill(draft, {"website_own": "own_site"}, member)
    client.force_login(owner)
    client.post(
        answer_url(draft, "website_own"),
        {"q-website_own": "locator_only", "rev-website_own": "0"},
        **HTMX,
    )

    again = client.post(
        answer_url(draft, "website_own"),
        {"q-website_own": "locator_only", "rev-website_own": "1"},
        **HTMX,
    )

    assert again.status_code == 200
    assert stored(draft) == {"website_own": "locator_only"}


def test_without_javascript_a_stale_answer_is_a_form_error(client, draft, owner, member, english):
    fill(draft, {"website_own": "own_site", "website_mobile": "yes"}, member)
    client.force_login(owner)
    data = {
        "q-website_own": "own_site",  # unchanged: saved quietly
        "rev-website_own": "1",
        "q-website_mobile": "no",  # read at revision 0, changed since by the colleague
        "rev-website_mobile": "0",
        "q-website_stock": "live",
        "rev-website_stock": "0",
        "go": "next",
    }

    response = client.post(step_url(draft, "website"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "changed this answer at" in html and member.full_name in html
    # Nothing of the page is kept until the dealer saves it again.
    assert stored(draft) == {"website_own": "own_site", "website_mobile": "yes"}


def test_the_same_value_saved_twice_is_not_a_conflict(draft, owner, member):
    fill(draft, {"website_own": "own_site"}, member)

    answer = answer_save(
        assessment=draft, question_key="website_own", value="own_site", revision=0, user=owner
    )

    assert answer.revision == 1 and answer.updated_by == member


def test_only_one_of_two_saves_from_the_same_revision_wins(draft, owner, member):
    fill(draft, {"website_own": "own_site"}, owner)

    answer_save(
        assessment=draft, question_key="website_own", value="locator_only", revision=1, user=owner
    )
    with pytest.raises(AnswerConflict) as refused:
        answer_save(
            assessment=draft, question_key="website_own", value="none", revision=1, user=member
        )

    assert refused.value.current.value == "locator_only"
    assert stored(draft) == {"website_own": "locator_only"}


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "data", "message"),
    [
        ("website_own", {"q-website_own": "castle"}, "not one of the choices offered"),
        (
            "social_networks",
            {"q-social_networks": ["facebook", "myspace"]},
            "not one of the choices offered",
        ),
        (
            "social_networks",
            {"q-social_networks": ["facebook", "none"]},
            "cannot be combined",
        ),
        ("reviews_rating", {"q-reviews_rating": "7"}, "between 1 and 5"),
        ("reviews_rating", {"q-reviews_rating": "beaucoup"}, "enter a number"),
        ("contact_center_consistency", {"q-contact_center_consistency": "9"}, "between 1 and 5"),
        ("crm_comment", {"q-crm_comment": "x" * 2001}, "2000 characters at most"),
        ("website_url", {"q-website_url": "javascript:alert(1)"}, "full web address"),
        ("crm_assignment", {"q-crm_assignment": "dont_know"}, "not one of the choices"),
    ],
)
def test_it_refuses_a_bad_answer_and_saves_nothing(
    client, draft, owner, key, data, message, english
):
    client.force_login(owner)

    response = client.post(answer_url(draft, key), {**data, f"rev-{key}": "0"}, **HTMX)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.filter(assessment=draft).exists()


def test_it_refuses_a_question_that_is_not_in_the_pinned_version(client, draft, owner):
    client.force_login(owner)

    response = client.post(
        answer_url(draft, "website_castle"),
        {"q-website_castle": "yes", "rev-website_castle": "0"},
        **HTMX,
    )

    assert response.status_code == 404
    with pytest.raises(UnknownQuestion):
        answer_save(
            assessment=draft, question_key="website_castle", value="x", revision=0, user=owner
        )
    assert not Answer.objects.exists()


def test_it_refuses_a_step_that_is_not_in_the_pinned_version(client, draft, owner):
    client.force_login(owner)
    assert client.get(step_url(draft, "press")).status_code == 404


def test_it_refuses_a_tampered_revision(client, draft, owner):
    client.force_login(owner)

    response = client.post(
        answer_url(draft, "website_own"),
        {"q-website_own": "own_site", "rev-website_own": "latest"},
        **HTMX,
    )

    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_it_refuses_writes_to_a_submitted_assessment(draft, owner):
    fill(draft, persona_answers("A"), owner)
    assessment_submit(assessment=draft, user=owner)

    with pytest.raises(AssessmentLocked):
        answer_save(
            assessment=draft,
            question_key="website_own",
            value="own_site",
            revision=revision(draft, "website_own"),
            user=owner,
        )
    assert stored(draft)["website_own"] == "locator_only"


def test_another_dealerships_assessment_is_a_404(client, draft, owner, outsider, other_dealership):
    theirs, _ = assessment_start(dealership=other_dealership, user=outsider)
    client.force_login(owner)

    # Their assessment under their dealership's id, and under ours.
    for dealership_pk in (other_dealership.pk, draft.dealership_id):
        url = reverse("answer_save", args=[dealership_pk, theirs.pk, "website_own"])
        response = client.post(url, {"q-website_own": "own_site", "rev-website_own": "0"}, **HTMX)
        assert response.status_code == 404
        step = reverse("assessment_step", args=[dealership_pk, theirs.pk, "website"])
        assert (
            client.post(step, {"q-website_own": "own_site", "rev-website_own": "0"}).status_code
            == 404
        )
    assert not Answer.objects.filter(assessment=theirs).exists()


# --- an expired session ------------------------------------------------------------------------


def test_an_expired_session_keeps_the_draft_and_brings_the_dealer_back(
    client, draft, owner, english
):
    fill(draft, {"website_own": "own_site", "website_mobile": "yes"}, owner)
    page = "http://testserver" + step_url(draft, "website")
    client.logout()  # the session expired while the page stayed open
    client.cookies.load({"django_language": "en"})  # logout() drops every cookie

    response = client.post(
        answer_url(draft, "website_stock"),
        {"q-website_stock": "live", "rev-website_stock": "0"},
        HTTP_HX_CURRENT_URL=page,
        **HTMX,
    )

    assert response.status_code == 401
    html = response.content.decode()
    assert "session has expired" in html
    login = reverse("login") + "?next=" + step_url(draft, "website")
    assert login in html
    assert stored(draft) == {"website_own": "own_site", "website_mobile": "yes"}

    logged_in = client.post(
        login, {"username": owner.email, "password": PASSWORD, "next": step_url(draft, "website")}
    )
    assert logged_in.url == step_url(draft, "website")
    form = client.get(logged_in.url).content.decode()
    assert 'value="own_site" checked' in form and 'value="yes" checked' in form


def test_without_htmx_an_anonymous_save_goes_to_the_login_page(client, draft):
    response = client.post(
        answer_url(draft, "website_own"), {"q-website_own": "own_site", "rev-website_own": "0"}
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Answer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_from_the_same_revision_never_both_win(dealership, owner, member):
    import threading

    from django.db import connection

    draft, _ = assessment_start(dealership=dealership, user=owner)
    fill(draft, {"website_own": "own_site"}, owner)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user, value):
        try:
            barrier.wait()
            answer_save(
                assessment=draft, question_key="website_own", value=value, revision=1, user=user
            )
            outcomes.append("saved")
        except AnswerConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(owner, "locator_only")),
        threading.Thread(target=save, args=(member, "none")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict", "saved"]
    assert revision(draft, "website_own") == 2


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_first_answers_never_both_win(dealership, owner, member):
    import threading

    from django.db import connection

    draft, _ = assessment_start(dealership=dealership, user=owner)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user, value):
        try:
            barrier.wait()
            answer_save(
                assessment=draft, question_key="website_own", value=value, revision=0, user=user
            )
            outcomes.append("saved")
        except AnswerConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(owner, "own_site")),
        threading.Thread(target=save, args=(member, "none")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict", "saved"]
    assert revision(draft, "website_own") == 1


@pytest.mark.django_db(transaction=True)
def test_a_save_waiting_for_a_submit_in_progress_is_refused(dealership, owner):
    """The submit holds the assessment's row while it checks and scores the answers: a
    save arriving meanwhile waits, then finds the assessment locked and writes nothing."""
    import threading
    import time

    from django.db import connection, transaction

    draft, _ = assessment_start(dealership=dealership, user=owner)
    fill(draft, {"website_own": "own_site"}, owner)
    holding = threading.Event()
    outcomes: list[str] = []

    def submit():
        try:
            with transaction.atomic():
                Assessment.objects.select_for_update().filter(pk=draft.pk).update(
                    status=Assessment.Status.SUBMITTED
                )
                holding.set()
                time.sleep(0.5)  # the save below starts and has to wait
        finally:
            connection.close()

    def save(key, value, rev):
        holding.wait()
        try:
            answer_save(assessment=draft, question_key=key, value=value, revision=rev, user=owner)
            outcomes.append("saved")
        except AssessmentLocked:
            outcomes.append("locked")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit),
        threading.Thread(target=save, args=("website_own", "none", 1)),
        threading.Thread(target=save, args=("website_mobile", "yes", 0)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == ["locked", "locked"]
    assert stored(draft) == {"website_own": "own_site"}


def test_an_idle_session_gets_a_401_and_loses_nothing(client, draft, owner, settings):
    import time

    fill(draft, {"website_own": "own_site"}, owner)
    client.force_login(owner)
    assert client.get(step_url(draft, "website")).status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 1
    session.save()

    response = client.post(
        answer_url(draft, "website_mobile"),
        {"q-website_mobile": "yes", "rev-website_mobile": "0"},
        **HTMX,
    )

    assert response.status_code == 401
    assert stored(draft) == {"website_own": "own_site"}
