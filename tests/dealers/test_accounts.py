import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD


def test_it_shows_the_login_page_in_french_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


def test_it_logs_in_with_the_email_address(client, owner, dealership):
    response = client.post(reverse("login"), {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert not response.headers["Location"].startswith(reverse("login"))
    # The session holds this user, and the home sends them to their dealership, not to
    # the login page (a refused login would be a 200 with the form, then a login redirect).
    assert client.session["_auth_user_id"] == str(owner.pk)
    home = client.get(reverse("home"))
    assert home.headers["Location"] == reverse("dealership_detail", args=[dealership.pk])
    assert client.get(home.headers["Location"]).status_code == 200


def test_it_refuses_a_wrong_password_with_a_message(client, owner):
    response = client.post(reverse("login"), {"username": owner.email, "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_it_sends_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("dealership_list"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


def test_it_logs_out_on_post_only(client, owner):
    client.force_login(owner)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("dealership_list")).status_code == 302


def test_it_changes_the_password(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "garage-2026-nouveau",
            "new_password2": "garage-2026-nouveau",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("garage-2026-nouveau")


@pytest.mark.parametrize("known", [True, False])
def test_it_answers_password_reset_the_same_way_for_any_address(client, owner, known):
    email = owner.email if known else "nobody@example.com"
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == (1 if known else 0)


def test_it_resets_the_password_through_the_emailed_link(client, owner):
    client.post(reverse("password_reset"), {"email": owner.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "garage-2026-reset", "new_password2": "garage-2026-reset"}
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("garage-2026-reset")


def test_it_switches_the_language_to_english(client, owner):
    client.force_login(owner)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("dealership_list"))
    assert '<html lang="en">' in response.content.decode()
