from __future__ import annotations

from django.contrib import admin

from residence.core.admin import ReadOnlyAdmin

from . import services
from .models import CaseAccess, Consent, CorrectionRequest, LegalHold, RetentionPeriod


@admin.register(RetentionPeriod)
class RetentionPeriodAdmin(admin.ModelAdmin):
    list_display = ("category", "days", "updated_at")
    readonly_fields = ("category",)

    def has_add_permission(self, request):
        return False  # one row per category, installed by the migration

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Through the service, so the change is checked and audited like any other.
        services.retention_period_set(
            actor=request.user, category=obj.category, days=obj.days, basis=obj.basis
        )


admin.site.register(Consent, ReadOnlyAdmin)
admin.site.register(CorrectionRequest, ReadOnlyAdmin)
admin.site.register(CaseAccess, ReadOnlyAdmin)
admin.site.register(LegalHold, ReadOnlyAdmin)
