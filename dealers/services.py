"""Writes on dealerships and people (HackSoft style: ``<entity>_<action>``, keyword-only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.mail import render_email
from dealers.models import Dealership, Invitation, Membership, User


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
    email = email.strip().lower()
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
