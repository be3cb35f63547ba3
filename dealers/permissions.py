"""Who may do what with a dealership they can see: the one place for these rules.

``dealers.scoping`` decides what a user *sees* (404 for the rest); this module decides
what they may *change* once they see it (a 403 when they may not). Every view, template
flag and API permission asks here, so a rule is written once:

- the dealership's own people (owner or member) answer its assessments and move its
  roadmap: a consultant filling in a self-assessment would no longer make it one, and a
  consultant ticking the dealer's roadmap boxes would make "done" mean nothing;
- who does what by when is planned together: the dealership's people and its consultants
  (and staff) give roadmap actions an owner, a due date and notes, and set the target;
- staff and the dealership's consultants review assessments, invite contacts and remind
  the dealership about a stalled draft;
- owners invite contacts too, and only owners (and staff) take away or erase the data or
  change the dealership's profile (what kind of dealer it is, website, social pages, size,
  language);
- measured facts: the dealership's consultants (and staff) record lead-response tests (the
  dealer's own people read them: a test the dealer records on itself would measure
  nothing); owners, its consultants and staff import customer reviews;

Each question costs at most two small queries (the membership role, the assignment);
:func:`permissions_for` answers them all at once for a page that needs several.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Subquery

from dealers.models import Assignment, Dealership, Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dealers.models import User


# Where a read that loaded the dealership also loaded the user's role in it (one query
# fewer on a hot path such as the autosave) keeps it: ``{user pk: role or None}``.
_ROLES_READ = "_membership_roles_read"


def membership_role_subquery(user: User | AnonymousUser, dealership_field: str) -> Subquery:
    """The role of ``user`` in the dealership ``dealership_field`` points to, as an
    annotation (``None`` when not a member); hand the value to :func:`remember_role`."""
    user_pk = user.pk if user.is_authenticated else None
    return Subquery(
        Membership.objects.filter(user_id=user_pk, dealership_id=OuterRef(dealership_field))
        .order_by("pk")
        .values("role")[:1]
    )


def remember_role(dealership: Dealership, user: User | AnonymousUser, role: str | None) -> None:
    """Record the role read by :func:`membership_role_subquery` on ``dealership``, so
    that :func:`membership_role` answers without a query."""
    if user.is_authenticated:
        dealership.__dict__.setdefault(_ROLES_READ, {})[user.pk] = role


def membership_role(user: User | AnonymousUser, dealership: Dealership | int) -> str | None:
    """``"owner"``, ``"member"`` or ``None`` for ``user`` in ``dealership``."""
    if not user.is_authenticated:
        return None
    known = getattr(dealership, _ROLES_READ, None)
    if known is not None and user.pk in known:
        return known[user.pk]
    return (
        Membership.objects.filter(user=user, dealership=dealership)
        .values_list("role", flat=True)
        .first()
    )


def is_assigned_consultant(user: User | AnonymousUser, dealership: Dealership | int) -> bool:
    """``user`` is a consultant who follows ``dealership`` (it is in their portfolio)."""
    if not user.is_authenticated or not user.is_consultant:
        return False
    return Assignment.objects.filter(consultant=user, dealership=dealership).exists()


@dataclass(frozen=True, slots=True)
class DealershipPermissions:
    """What one user may do with one dealership (computed by :func:`permissions_for`)."""

    role: str | None  # "owner", "member" or None
    is_staff: bool
    is_assigned_consultant: bool

    @property
    def is_dealer(self) -> bool:
        return self.role is not None

    @property
    def can_answer(self) -> bool:
        return self.is_dealer

    @property
    def can_follow_up(self) -> bool:
        return self.is_dealer

    @property
    def can_review(self) -> bool:
        return self.is_staff or self.is_assigned_consultant

    @property
    def can_plan(self) -> bool:
        return self.is_dealer or self.can_review

    @property
    def can_manage_contacts(self) -> bool:
        return self.can_review or self.role == Membership.Role.OWNER

    @property
    def can_manage_data(self) -> bool:
        return self.is_staff or self.role == Membership.Role.OWNER

    @property
    def can_edit_profile(self) -> bool:
        return self.is_staff or self.role == Membership.Role.OWNER

    @property
    def can_record_lead_tests(self) -> bool:
        return self.can_review

    @property
    def can_import_reviews(self) -> bool:
        return self.can_review or self.role == Membership.Role.OWNER


def permissions_for(
    *, user: User | AnonymousUser, dealership: Dealership | int
) -> DealershipPermissions:
    if not user.is_authenticated:
        return DealershipPermissions(role=None, is_staff=False, is_assigned_consultant=False)
    return DealershipPermissions(
        role=membership_role(user, dealership),
        is_staff=user.is_staff,
        is_assigned_consultant=not user.is_staff and is_assigned_consultant(user, dealership),
    )


def can_answer(*, user: User | AnonymousUser, dealership: Dealership | int) -> bool:
    """Only the dealership's own people answer its assessment; consultants and staff read."""
    return membership_role(user, dealership) is not None


def can_follow_up(*, user: User | AnonymousUser, dealership: Dealership | int) -> bool:
    """Only the dealership's own people move its roadmap; consultants and staff read it."""
    return membership_role(user, dealership) is not None


def can_review(*, user: User | AnonymousUser, dealership: Dealership | int) -> bool:
    """Staff and the dealership's consultants review; the dealer's own people do not."""
    if not user.is_authenticated:
        return False
    return user.is_staff or is_assigned_consultant(user, dealership)


def can_plan(*, user: User | AnonymousUser, dealership: Dealership | int) -> bool:
    """The dealership's people, its consultants and staff plan roadmap actions and targets."""
    return permissions_for(user=user, dealership=dealership).can_plan


def can_manage_contacts(*, user: User | AnonymousUser, dealership: Dealership | int) -> bool:
    """Staff, the dealership's consultants and its owners may invite contacts."""
    return permissions_for(user=user, dealership=dealership).can_manage_contacts


def can_manage_data(*, user: User | AnonymousUser, dealership: Dealership | int) -> bool:
    """The owner (and staff) may export or erase all of the dealership's data."""
    return permissions_for(user=user, dealership=dealership).can_manage_data


def can_edit_profile(*, user: User | AnonymousUser, dealership: Dealership | int) -> bool:
    """The owner (and staff) change the dealership's profile: what kind of dealer it is,
    where it is online, its size and language. Its name, city, region, group and brands are
    set by staff (the portfolio's filters and the peer groups rely on them)."""
    return permissions_for(user=user, dealership=dealership).can_edit_profile


def can_record_lead_tests(*, user: User | AnonymousUser, dealership: Dealership | int) -> bool:
    """The dealership's consultants and staff record lead-response tests."""
    return can_review(user=user, dealership=dealership)


def can_import_reviews(*, user: User | AnonymousUser, dealership: Dealership | int) -> bool:
    """Owners, the dealership's consultants and staff import customer reviews."""
    return permissions_for(user=user, dealership=dealership).can_import_reviews


def can_use_portfolio(user: User | AnonymousUser) -> bool:
    """Consultants and staff have a portfolio (staff see every dealership in it)."""
    return user.is_authenticated and (user.is_staff or user.is_consultant)
