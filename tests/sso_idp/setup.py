"""Prepare the test provider's database: its tables, one client, its people.

Run as ``python -m tests.sso_idp.setup CLIENT_ID SECRET REDIRECT_URI EMAIL[:unverified]…``
with the provider's settings.
"""

import sys

import django


def main(client_id: str, secret: str, redirect_uri: str, *people: str) -> None:
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    Application.objects.create(
        client_id=client_id,
        client_secret=secret,
        name="Dealer digital maturity",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    for person in people:
        email, _, flag = person.partition(":")
        User.objects.create_user(
            username=email, email=email, password="idp-password", last_name=flag
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
