"""Dealerships, the people who work for them, and the consultants who follow them."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English")]


def normalise_email(email: str) -> str:
    """The form of an e-mail address that is stored and looked up: trimmed, lower case.

    People type ``Claire.Conseil@…`` as readily as ``claire.conseil@…``; no mail provider
    we deal with tells the two apart, so the product does not either (login, invitations,
    password reset, login throttling all see this form).
    """
    return (email or "").strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        # Django's ModelBackend looks the login up here: whatever the case typed.
        return self.get(email=normalise_email(username or ""))

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with their e-mail address.

    Roles: ``is_staff`` administers everything; ``is_consultant`` follows a portfolio of
    dealerships (``Assignment``); ``network`` makes a network manager, who reads the
    aggregates of that network (never its dealerships' own pages unless assigned as their
    consultant); anyone else reaches dealerships through ``Membership``.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_consultant = models.BooleanField(_("consultant"), default=False)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="fr")
    # A consultant's rhythm: the portfolio flags a dealership whose last submission is older.
    reassessment_cadence_months = models.PositiveSmallIntegerField(
        _("re-assessment every (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    network = models.ForeignKey(
        "dealers.Network",
        verbose_name=_("network managed"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managers",
        help_text=_(
            "A network manager reads the network's dashboard: figures over its dealerships, "
            "never one dealership's answers or scores."
        ),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Addresses are stored in lower case (``save``); this holds even for a row
            # written around the model (a raw update, an import).
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("A person with this e-mail address already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        # Before the uniqueness checks of ``full_clean``: the admin's forms then report a
        # duplicate that differs only in case on the e-mail field.
        self.email = normalise_email(self.email)

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_network_manager(self) -> bool:
        return self.network_id is not None

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class DealerGroup(models.Model):
    """A group that owns several dealerships (Groupe Horizon owns twelve)."""

    name = models.CharField(_("name"), max_length=150, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("dealer group")
        verbose_name_plural = _("dealer groups")

    def __str__(self) -> str:
        return self.name


class Brand(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self) -> str:
        return self.name


class Region(models.TextChoices):
    ARA = "ara", "Auvergne-Rhône-Alpes"
    BFC = "bfc", "Bourgogne-Franche-Comté"
    BRE = "bre", "Bretagne"
    CVL = "cvl", "Centre-Val de Loire"
    COR = "cor", "Corse"
    GES = "ges", "Grand Est"
    HDF = "hdf", "Hauts-de-France"
    IDF = "idf", "Île-de-France"
    NOR = "nor", "Normandie"
    NAQ = "naq", "Nouvelle-Aquitaine"
    OCC = "occ", "Occitanie"
    PDL = "pdl", "Pays de la Loire"
    PAC = "pac", "Provence-Alpes-Côte d'Azur"
    DOM = "dom", "Outre-mer"


class SizeBand(models.TextChoices):
    SMALL = "small", _("Small (under 20 employees)")
    MEDIUM = "medium", _("Medium (20 to 100 employees)")
    LARGE = "large", _("Large (over 100 employees)")


class DealerProfile(models.TextChoices):
    """What kind of dealer it is (DOMAIN.md, "Dealer profiles"): it selects the questions
    asked, the wording of the roadmap and a peer group. Not scored. The keys are the
    engine's ``maturity.engine.definition.PROFILES``."""

    BRAND_DEALER = "brand_dealer", _("Brand dealer")
    BRAND_AGENT = "brand_agent", _("Brand agent")
    INDEPENDENT = "independent", _("Independent used-car dealer")
    REPAIRER = "repairer", _("Repairer or body shop")


class Dealership(models.Model):
    name = models.CharField(_("name"), max_length=150)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("region"), max_length=3, choices=Region.choices)
    brands = models.ManyToManyField(Brand, verbose_name=_("brands"), blank=True)
    group = models.ForeignKey(
        DealerGroup,
        verbose_name=_("dealer group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dealerships",
    )
    size_band = models.CharField(
        _("size"), max_length=10, choices=SizeBand.choices, default=SizeBand.SMALL
    )
    # No default: whoever creates a dealership says what kind it is (admin, demo data).
    profile = models.CharField(
        _("dealer profile"),
        max_length=20,
        choices=DealerProfile.choices,
        help_text=_(
            "Selects the questions asked (a body shop has no vehicle stock) and the wording "
            "of the roadmap. Part of a group: see the dealer group."
        ),
    )
    website_url = models.URLField(_("website"), blank=True)
    social_urls = models.JSONField(
        _("social pages"), default=list, blank=True, help_text=_("One address per page.")
    )
    language = models.CharField(
        _("preferred language"), max_length=2, choices=LANGUAGE_CHOICES, default="fr"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "city"]
        verbose_name = _("dealership")
        verbose_name_plural = _("dealerships")
        constraints = [
            models.UniqueConstraint(fields=["name", "city"], name="dealership_unique_name_city")
        ]
        # The portfolio sorts by name without case: a page of 50 out of 20,000 reads the
        # index instead of sorting every dealership.
        indexes = [models.Index(Lower("name"), name="dealership_lower_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"


class Network(models.Model):
    """A named set of dealerships followed as a whole: a manufacturer's network, a
    federation. A dealership may belong to several networks; the network's managers
    (``User.network``) read figures over its dealerships, never one dealership's own."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    dealerships = models.ManyToManyField(
        Dealership, verbose_name=_("dealerships"), related_name="networks", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    dealership = models.ForeignKey(Dealership, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "dealership"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.dealership} ({self.get_role_display()})"


class Assignment(models.Model):
    """A consultant follows a dealership: it is part of their portfolio."""

    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        limit_choices_to={"is_consultant": True},
    )
    dealership = models.ForeignKey(Dealership, on_delete=models.CASCADE, related_name="assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["consultant", "dealership"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.consultant} → {self.dealership}"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def find_by_token(self, token: str) -> Invitation | None:
        return self.filter(token_hash=_hash_token(token)).select_related("dealership").first()


class Invitation(models.Model):
    """A one-time link that lets a dealer contact set a password and join a dealership.

    Only the token's hash is stored: a database leak does not leak usable links.
    """

    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    dealership = models.ForeignKey(Dealership, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.dealership}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        """Return ``(token, token_hash)``: the token goes in the e-mail, the hash is stored."""
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @staticmethod
    def default_expiry() -> timezone.datetime:
        return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class PersonalAccessTokenQuerySet(models.QuerySet["PersonalAccessToken"]):
    def active(self) -> PersonalAccessTokenQuerySet:
        """Neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def find_active(self, secret: str) -> PersonalAccessToken | None:
        """The active token whose secret is ``secret``, with its user, or ``None``."""
        if not secret.startswith(PersonalAccessToken.PREFIX):
            return None
        return self.active().filter(token_hash=_hash_token(secret)).select_related("user").first()


class PersonalAccessToken(models.Model):
    """A secret a person gives a program so that it calls the API in their name.

    It can do what its owner can do, no more. Only the SHA-256 hash of the secret is
    stored (the secret is random, so a slow hash adds nothing) and the secret is shown
    once, at creation; ``prefix`` (its first characters) tells tokens apart in lists and
    logs. Every token expires (``API_TOKEN_MAX_DAYS`` at most); revoking one keeps the row
    (who used what, when) but stops it at once.
    """

    PREFIX = "dmat_"  # "digital maturity access token": what a secret scanner looks for

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PersonalAccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def new_secret(cls) -> tuple[str, str, str]:
        """``(secret, prefix, hash)``: the secret is shown once, the other two are stored."""
        secret = cls.PREFIX + secrets.token_urlsafe(32)
        return secret, secret[: len(cls.PREFIX) + 6], _hash_token(secret)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired
