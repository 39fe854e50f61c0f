from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from residence.mfa.admin import RecentSecondFactorAdminMixin

from .models import AGENCY_ROLES, Agency, Office, User


class UserAdminForm(UserChangeForm):
    def clean(self):
        cleaned = super().clean()
        roles = {g.name for g in cleaned.get("groups") or []}
        if roles & AGENCY_ROLES and not cleaned.get("agency"):
            self.add_error("agency", _("Agency staff must belong to exactly one agency."))
        return cleaned


@admin.register(User)
class UserAdmin(RecentSecondFactorAdminMixin, BaseUserAdmin):
    form = UserAdminForm
    ordering = ["email"]
    list_display = ["email", "full_name", "agency", "office", "is_active", "is_staff"]
    list_filter = ["groups", "agency", "office", "is_active", "is_staff"]
    list_select_related = ["agency", "office"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "preferred_language")}),
        (_("Organisation"), {"fields": ("agency", "office")}),
        (
            _("Roles and permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_en", "name_zh"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "level", "province", "city_code", "parent"]
    list_filter = ["level", "province"]
    search_fields = ["code", "name_en", "name_zh"]
    list_select_related = ["parent"]
