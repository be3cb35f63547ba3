import time

from django.urls import reverse

from tests.factories import PASSWORD


def _login(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_it_gives_a_new_session_key_at_login(client, owner):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    _login(client, owner)
    assert client.session.session_key != before


def test_it_kills_the_old_cookie_at_logout(client, owner):
    _login(client, owner)
    cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    client.cookies["sessionid"] = cookie  # replay the old cookie
    response = client.get(reverse("dealership_list"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


def test_it_logs_out_after_the_idle_timeout(client, owner, settings):
    _login(client, owner)
    assert client.get(reverse("dealership_list")).status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 1
    session.save()
    assert client.get(reverse("dealership_list")).status_code == 302


def test_it_keeps_an_active_session(client, owner):
    _login(client, owner)
    for _ in range(3):
        assert client.get(reverse("dealership_list")).status_code == 200
