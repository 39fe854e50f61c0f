from django.contrib import admin

from .models import IdentityDecision, IdentityKey, IdentityMatch


@admin.register(IdentityKey)
class IdentityKeyAdmin(admin.ModelAdmin):
    list_display = ["profile", "person", "name_key", "birth_date", "nationality"]
    search_fields = ["name_key"]
    readonly_fields = ["profile", "person", "name_key", "birth_date", "sex", "nationality", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(IdentityMatch)
class IdentityMatchAdmin(admin.ModelAdmin):
    list_display = ["profile", "candidate", "application", "level", "score", "birth_date_match", "decision"]
    list_filter = ["level"]
    raw_id_fields = ["profile", "candidate", "application", "decision"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IdentityDecision)
class IdentityDecisionAdmin(admin.ModelAdmin):
    # Decisions are taken on the officer's page (audited), never edited here.
    list_display = ["first", "second", "verdict", "decided_by", "decided_at"]
    list_filter = ["verdict"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
