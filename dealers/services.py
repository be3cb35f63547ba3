"""Writes on dealerships and people (HackSoft style: ``<entity>_<action>``, keyword-only)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.mail import render_email
from dealers.models import (
    Dealership,
    Invitation,
    Membership,
    Network,
    PersonalAccessToken,
    User,
    normalise_email,
)
from dealers.signals import website_url_changed


class InvitationError(Exception):
    """The invitation cannot be used (already used, expired or unknown)."""


@transaction.atomic
def invitation_create(
    *,
    invited_by: User,
    dealership: Dealership,
    email: str,
    full_name: str = "",
    role: str = Membership.Role.MEMBER,
    note: str = "",
) -> Invitation:
    """Create an invitation and e-mail its one-time link (in the dealership's language).

    Earlier unused invitations for the same address and dealership are withdrawn, so
    only the newest link works. ``note``: a few words of the inviter's, quoted in the
    e-mail (an assessment campaign's message, say).
    """
    email = normalise_email(email)
    Invitation.objects.filter(email=email, dealership=dealership, accepted_at__isnull=True).update(
        expires_at=timezone.now()
    )
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name,
        dealership=dealership,
        role=role,
        invited_by=invited_by,
        token_hash=token_hash,
        expires_at=Invitation.default_expiry(),
    )
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])
    context = {"invitation": invitation, "link": link, "inviter": invited_by, "note": note}
    # The invitee has no account yet: the dealership's language is the best guess.
    message = render_email(name="invitation", context=context, language=dealership.language)
    transaction.on_commit(lambda: message.send(email))
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, password: str, full_name: str = "", existing_user: User | None = None
) -> User:
    """Use an invitation: create the account (or take the logged-in one) and join.

    The row is locked and re-checked inside the transaction, so a link clicked twice at
    the same moment still works only once.
    """
    found = Invitation.objects.find_by_token(token)
    if found is None:
        raise InvitationError("unknown")
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if invitation.accepted_at is not None:
        raise InvitationError("used")
    if invitation.expires_at <= timezone.now():
        raise InvitationError("expired")

    user = existing_user or User.objects.filter(email=invitation.email).first()
    if user is None:
        user = User(
            email=invitation.email,
            full_name=full_name or invitation.full_name,
            language=invitation.dealership.language,
        )
        validate_password(password, user)
        user.set_password(password)
        user.save()
    Membership.objects.get_or_create(
        user=user, dealership=invitation.dealership, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


# --- the dealership's profile --------------------------------------------------------------

# What the owner may change (``dealers.permissions.can_edit_profile``). The dealer profile
# is not scored: it selects the questions of the next (or the open) assessment and the
# wording of the roadmap; submitted assessments keep theirs.
PROFILE_FIELDS = ("profile", "website_url", "social_urls", "size_band", "language")


@transaction.atomic
def dealership_profile_update(
    *, dealership: Dealership, changes: Mapping[str, object]
) -> Dealership:
    """Change profile fields of ``dealership``, checked against the model's own rules.

    Raises ``ValueError`` for a field that is not a profile field and Django's
    ``ValidationError`` for a value the model refuses (nothing is saved then).
    """
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    if not changes:
        return dealership
    old_website = dealership.website_url
    for name, value in changes.items():
        setattr(dealership, name, value)
    others = [f.name for f in Dealership._meta.fields if f.name not in changes]
    dealership.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    dealership.save(update_fields=list(changes))
    if dealership.website_url and dealership.website_url != old_website:
        website_url_changed.send(sender=Dealership, dealership=dealership)
    return dealership


# --- personal access tokens (the API) ----------------------------------------------------


class TooManyTokens(Exception):
    """The person already holds ``API_TOKENS_PER_USER`` active tokens."""


def access_token_create(*, user: User, name: str, days: int) -> tuple[PersonalAccessToken, str]:
    """A new token for ``user``, valid ``days`` days: ``(token, secret)``.

    The secret is returned once and never stored (only its hash). Raises ``ValueError``
    for a validity outside 1..``API_TOKEN_MAX_DAYS`` or an empty name, and
    :class:`TooManyTokens`.
    """
    name = name.strip()
    if not name:
        raise ValueError("a token needs a name")
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValueError(f"validity must be 1 to {settings.API_TOKEN_MAX_DAYS} days")
    with transaction.atomic():
        # Lock the person's row: two creations at once cannot both pass the count.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if PersonalAccessToken.objects.filter(user=user).active().count() >= (
            settings.API_TOKENS_PER_USER
        ):
            raise TooManyTokens
        secret, prefix, token_hash = PersonalAccessToken.new_secret()
        token = PersonalAccessToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            token_hash=token_hash,
            expires_at=timezone.now() + timedelta(days=days),
        )
    return token, secret


def access_token_revoke(*, token: PersonalAccessToken, by: User) -> PersonalAccessToken:
    """Stop ``token`` at once (its owner, or staff in the admin). Revoking a revoked token
    changes nothing."""
    now = timezone.now()
    updated = PersonalAccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=by
    )
    if updated:
        token.revoked_at, token.revoked_by = now, by
    return token


def access_token_touch(*, token: PersonalAccessToken) -> None:
    """Record that ``token`` was just used, at most once per ``API_TOKEN_LAST_USED_EVERY``
    seconds (one UPDATE a minute per busy token, not one per request)."""
    now = timezone.now()
    every = timedelta(seconds=settings.API_TOKEN_LAST_USED_EVERY)
    if token.last_used_at is not None and now - token.last_used_at < every:
        return
    PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


@transaction.atomic
def network_managers_set(*, network: Network, users: Iterable[User]) -> None:
    """Make exactly ``users`` the managers of ``network``.

    A person manages one network at most: listing someone moves them from another.
    """
    chosen = {user.pk for user in users}
    User.objects.filter(network=network).exclude(pk__in=chosen).update(network=None)
    User.objects.filter(pk__in=chosen).update(network=network)
