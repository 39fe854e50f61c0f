"""The admin changes roles, users and second factors: each change needs a fresh second factor."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .guards import require_recent_second_factor
from .models import WebAuthnDevice


class RecentSecondFactorAdminMixin:
    """Every write through this admin (add, change, delete, bulk actions) runs the guard first."""

    def _guard(self, request) -> None:
        if request.method == "POST":
            require_recent_second_factor(request)

    def changeform_view(self, request, *args, **kwargs):
        self._guard(request)
        return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        self._guard(request)
        return super().delete_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        self._guard(request)
        return super().changelist_view(request, *args, **kwargs)

    def user_change_password(self, request, *args, **kwargs):
        self._guard(request)
        return super().user_change_password(request, *args, **kwargs)


def _reregister(model, base) -> None:
    admin.site.unregister(model)
    admin.site.register(model, type(base.__name__, (RecentSecondFactorAdminMixin, base), {}))


_reregister(Group, GroupAdmin)
_reregister(TOTPDevice, TOTPDeviceAdmin)
_reregister(StaticDevice, StaticDeviceAdmin)


@admin.register(WebAuthnDevice)
class WebAuthnDeviceAdmin(RecentSecondFactorAdminMixin, admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "name"]
    readonly_fields = [
        "credential_id",
        "public_key",
        "sign_count",
        "transports",
        "created_at",
        "last_used_at",
    ]
    fields = ["user", "name", "confirmed", *readonly_fields]
    raw_id_fields = ["user"]
