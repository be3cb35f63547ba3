from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count, QuerySet, URLField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dealers.forms import NetworkAdminForm
from dealers.models import (
    Assignment,
    Brand,
    DealerGroup,
    Dealership,
    Invitation,
    Membership,
    Network,
    PersonalAccessToken,
    User,
)
from dealers.services import access_token_revoke, network_managers_set
from dealers.signin import admin as signin_admin  # noqa: F401 - the organisation logins' admin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["consultant"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_consultant", "is_staff", "is_active", "last_login"]
    list_filter = ["is_consultant", "network", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["network"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language")}),
        (
            _("Roles"),
            {
                "fields": (
                    "is_active",
                    "is_consultant",
                    "network",
                    "is_staff",
                    "is_superuser",
                    "groups",
                )
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [MembershipInline]


@admin.register(Dealership)
class DealershipAdmin(admin.ModelAdmin):
    # A website typed without a scheme is taken as https (Django 6's default, said now).
    formfield_overrides = {URLField: {"assume_scheme": "https"}}
    list_display = ["name", "city", "region", "profile", "group", "size_band", "language"]
    list_filter = ["profile", "region", "size_band", "language", "brands"]
    search_fields = ["name", "city"]
    filter_horizontal = ["brands"]
    inlines = [MembershipInline, AssignmentInline]


@admin.register(DealerGroup)
class DealerGroupAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    """A network and its dealerships; its managers are people whose "network managed" is
    this one (set on their page, or with the form's field below)."""

    form = NetworkAdminForm
    list_display = ["name", "dealership_count", "manager_list"]
    search_fields = ["name"]
    autocomplete_fields = ["dealerships"]
    fields = ["name", "dealerships", "managers"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Network]:
        return (
            super()
            .get_queryset(request)
            .annotate(_dealerships=Count("dealerships", distinct=True))
            .prefetch_related("managers")
        )

    def save_related(self, request: HttpRequest, form: NetworkAdminForm, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        network_managers_set(network=form.instance, users=form.cleaned_data["managers"])

    @admin.display(description=_("dealerships"), ordering="_dealerships")
    def dealership_count(self, network: Network) -> int:
        return network._dealerships

    @admin.display(description=_("managers"))
    def manager_list(self, network: Network) -> str:
        return ", ".join(str(user) for user in network.managers.all()) or "–"


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["consultant", "dealership", "created_at"]
    autocomplete_fields = ["consultant", "dealership"]
    search_fields = ["consultant__email", "dealership__name"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "dealership", "role", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["token_hash", "created_at", "accepted_at"]
    search_fields = ["email", "dealership__name"]


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin):
    """Staff see every API token and revoke any; nobody creates or edits one here (a
    person creates their own on their account page, where the secret is shown once)."""

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    exclude = ["token_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a read-only page: revoking is the list's action

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[PersonalAccessToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            access_token_revoke(token=token, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", count) % {"n": count},
            messages.SUCCESS,
        )
