from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from dealers.models import Assignment, Brand, DealerGroup, Dealership, Invitation, Membership, User


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
    list_filter = ["is_consultant", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language")}),
        (
            _("Roles"),
            {"fields": ("is_active", "is_consultant", "is_staff", "is_superuser", "groups")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [MembershipInline]


@admin.register(Dealership)
class DealershipAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "region", "profile", "group", "size_band", "language"]
    list_filter = ["profile", "region", "size_band", "language", "brands"]
    search_fields = ["name", "city"]
    filter_horizontal = ["brands"]
    inlines = [MembershipInline, AssignmentInline]


@admin.register(DealerGroup)
class DealerGroupAdmin(admin.ModelAdmin):
    search_fields = ["name"]


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
